"""The PNG map read back as pixels: its size, and route pixels in the colour of every mode the
plan uses and of no other."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import matplotlib.image
import pytest
from map_pixels import colour_pixels

import silkroad_routing as sr
from silkroad_routing.plan import Plan
from silkroad_routing.report import MODE_COLOURS, write_map_png
from silkroad_routing.report.style import LAND_COLOUR, SEA_COLOUR

WIDTH, HEIGHT = 900, 560
#: Channel tolerance of "the same colour" (anti-aliased edges are blends and do not count).
TOLERANCE = 0.03
#: Pixels a drawn route leaves at least, at this size (a 2 pt line over a few degrees).
ROUTE_PIXELS = 40


def _image(plan: Plan, network: sr.Network, path: Path) -> object:
    write_map_png(plan, network, path, title="test map", width_px=WIDTH, height_px=HEIGHT)
    return matplotlib.image.imread(path)


def test_png_shows_every_mode_of_the_plan(pareto_plan: Plan, four_roads: sr.Network,
                                          tmp_path: Path) -> None:
    image = _image(pareto_plan, four_roads, tmp_path / "map.png")
    assert image.shape[:2] == (HEIGHT, WIDTH)
    modes = set(pareto_plan.selected().legs["mode"])
    assert modes == {"air", "rail", "sea", "road"}
    for mode in modes:
        assert colour_pixels(image, MODE_COLOURS[sr.Mode(mode)], TOLERANCE) >= ROUTE_PIXELS, mode
    area = HEIGHT * WIDTH
    assert colour_pixels(image, LAND_COLOUR, TOLERANCE) > 0.15 * area
    assert colour_pixels(image, SEA_COLOUR, TOLERANCE) > 0.10 * area


def test_png_of_air_routes_has_no_other_mode_colour(pareto_plan: Plan, four_roads: sr.Network,
                                                    tmp_path: Path) -> None:
    flights = ["A1", "A2"]
    air = replace(pareto_plan,
                  legs=pareto_plan.legs[pareto_plan.legs["shipment_id"].isin(flights)],
                  shipments=pareto_plan.shipments[pareto_plan.shipments["shipment_id"].isin(flights)])
    image = _image(air, four_roads, tmp_path / "air.png")
    assert colour_pixels(image, MODE_COLOURS[sr.Mode.AIR], TOLERANCE) >= ROUTE_PIXELS
    for mode in (sr.Mode.RAIL, sr.Mode.SEA, sr.Mode.ROAD):
        assert colour_pixels(image, MODE_COLOURS[mode], TOLERANCE) < 5, mode


def test_empty_plan_and_bad_size(empty_plan: Plan, four_roads: sr.Network, tmp_path: Path) -> None:
    image = _image(empty_plan, four_roads, tmp_path / "empty.png")
    assert image.shape[:2] == (HEIGHT, WIDTH)
    assert all(colour_pixels(image, c, TOLERANCE) == 0 for c in MODE_COLOURS.values())
    with pytest.raises(ValueError, match="too small"):
        write_map_png(empty_plan, four_roads, tmp_path / "x.png", title="x", width_px=50)


def test_png_labels_do_not_overlap_and_europe_has_an_inset(pareto_plan: Plan,
                                                            four_roads: sr.Network) -> None:
    from silkroad_routing.report.png_map import draw_map

    fig = draw_map(pareto_plan, four_roads, "labels")
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    (main,) = fig.axes
    insets = main.child_axes
    assert len(insets) == 1 and insets[0].get_title(loc="left") == "Europe"
    hubs = set(pareto_plan.selected().legs[["from_hub", "to_hub"]].to_numpy().ravel())
    inset_frame = insets[0].get_window_extent(renderer)
    for ax in (main, *insets):
        labels = [t for t in ax.texts if t.get_gid() == "hub-label"]
        assert len(labels) >= 5
        boxes = [t.get_window_extent(renderer) for t in labels]
        frame = ax.get_window_extent(renderer)
        for i, box in enumerate(boxes):
            code, tonnes, unit = labels[i].get_text().split(" ")
            assert code in hubs and unit == "t" and float(tonnes.replace(",", "")) > 0
            assert frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            assert not any(box.overlaps(other) for other in boxes[i + 1:])
            if ax is main:
                assert not box.overlaps(inset_frame)
    # The inset shows Europe's hubs, at its own scale: the Rotterdam-Duisburg rail terminal is
    # labelled there.
    assert "DEDUI" in {t.get_text().split(" ")[0] for t in insets[0].texts}

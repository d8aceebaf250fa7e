"""The HTML map, read back from its page: one polyline per flow with the flow's coordinates, in
its mode's colour and a width growing with tonnes; one circle per hub; the legend; no resource
fetched from the internet except tiles."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import shapely

import silkroad_routing as sr
from silkroad_routing.plan import Plan
from silkroad_routing.report import (
    MODE_COLOURS,
    flow_geodataframe,
    hub_geodataframe,
    map_html,
    write_map_html,
)
from silkroad_routing.report.style import mode_order

TITLE = "four roads <test>"


@pytest.fixture(scope="module")
def page(pareto_plan: Plan, four_roads: sr.Network) -> str:
    return map_html(pareto_plan, four_roads, title=TITLE)


def _calls(page: str, factory: str) -> dict[str, tuple[object, dict[str, object], str]]:
    """``var NAME = L.<factory>(LOCATIONS, OPTIONS)`` and ``NAME.bindTooltip(`TEXT`...)``:
    NAME -> (locations, options, tooltip text)."""
    calls = {}
    for name, locations, options in re.findall(
            rf"var (\w+) = L\.{factory}\(\s*(\[.*?\]),\s*(\{{.*?\}})\s*\)", page, flags=re.S):
        tooltip = re.search(rf"{name}\.bindTooltip\(\s*`(.*?)`", page, flags=re.S)
        calls[name] = (json.loads(locations), json.loads(options),
                       tooltip.group(1) if tooltip else "")
    return calls


def _points(locations: list) -> np.ndarray:
    """(lon mod 360, lat) of Leaflet [lat, lon] points, one list or a list per part."""
    flat = np.array(locations if not isinstance(locations[0][0], list) else
                    [p for part in locations for p in part], dtype=float)
    return np.column_stack([np.mod(flat[:, 1], 360.0), flat[:, 0]])


class _Legend(HTMLParser):
    """Collects ``data-mode`` / ``data-colour`` of the entries inside ``#sr-legend``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.entries: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id") == "sr-legend" or self.depth:
            self.depth += 1
            if "data-mode" in a:
                self.entries.append((str(a["data-mode"]), str(a["data-colour"])))

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def test_one_polyline_per_flow_with_its_coordinates(page: str, pareto_plan: Plan,
                                                     four_roads: sr.Network) -> None:
    flows = flow_geodataframe(pareto_plan, four_roads)
    lines = _calls(page, "polyline")
    assert len(lines) == len(flows)
    unmatched = dict(lines)
    for flow in flows.itertuples():
        xy = shapely.get_coordinates(flow.geometry)
        expected = np.column_stack([np.mod(xy[:, 0], 360.0), xy[:, 1]])
        # the ends of the parts split at 180 degrees are one point once the map is recentred
        expected = expected[np.r_[True, np.any(np.abs(np.diff(expected, axis=0)) > 1e-9, axis=1)]]
        match = [name for name, (locations, _, _) in unmatched.items()
                 if len(_points(locations)) == len(expected)
                 and np.allclose(_points(locations), expected, atol=2e-5)]
        assert match, f"no polyline for {flow.mode} {flow.from_hub}-{flow.to_hub}"
        _, options, tooltip = unmatched.pop(match[0])
        assert options["color"] == MODE_COLOURS[sr.Mode(flow.mode)]
        assert f"{flow.from_hub} &rarr; {flow.to_hub}" in tooltip
        assert f"{flow.weight_t:,.1f} t" in tooltip
    assert not unmatched


def test_route_width_grows_with_tonnes(page: str, pareto_plan: Plan, four_roads: sr.Network) -> None:
    by_tonnes = sorted((float(re.search(r"([\d,.]+) t &middot;", tip).group(1).replace(",", "")),
                        options["weight"]) for _, options, tip in _calls(page, "polyline").values())
    widths = [w for _, w in by_tonnes]
    assert widths == sorted(widths)
    assert widths[0] < widths[-1]


def test_one_circle_per_hub_sized_by_throughput(page: str, pareto_plan: Plan,
                                                 four_roads: sr.Network) -> None:
    hubs = hub_geodataframe(pareto_plan, four_roads)
    circles = list(_calls(page, "circleMarker").values())
    assert len(circles) == len(hubs)
    radii = {}
    for (locations, options, tooltip), hub in zip(circles, hubs.itertuples(), strict=True):
        record = four_roads.hub(hub.hub)
        np.testing.assert_allclose(_points([locations]), [[record.lon % 360.0, record.lat]], atol=1e-5)
        assert f"<b>{hub.hub}</b>" in tooltip and f"{hub.throughput_t:,.1f} t handled" in tooltip
        radii[hub.hub] = (hub.throughput_t, options["radius"])
    ordered = [r for _, r in sorted(radii.values())]
    assert ordered == sorted(ordered) and ordered[0] < ordered[-1]


def test_legend_title_and_layers(page: str, pareto_plan: Plan) -> None:
    legend = _Legend()
    legend.feed(page)
    modes_used = mode_order(pareto_plan.selected().legs["mode"])
    assert legend.entries == [(str(m), MODE_COLOURS[m]) for m in modes_used]
    assert "<h1>four roads &lt;test&gt;</h1>" in page
    control = re.search(r"base_layers : \{(.*?)\},\s*overlays :  \{(.*?)\}", page, flags=re.S)
    assert "Land (Natural Earth, offline)" in control.group(1)
    assert [f"{m} (" in control.group(2) for m in modes_used] == [True] * len(modes_used)
    assert '"Hubs"' in control.group(2)


def test_page_needs_no_internet_and_is_deterministic(page: str, pareto_plan: Plan,
                                                      four_roads: sr.Network, tmp_path: Path) -> None:
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert "Leaflet 1.9.4" in page  # inlined
    map_script = page.rsplit("<script>", 1)[1]
    assert "$(" not in map_script and "jQuery" not in map_script  # folium's popups need jQuery
    path = write_map_html(pareto_plan, four_roads, tmp_path / "map.html", title=TITLE)
    assert path.read_text(encoding="utf-8") == page


def test_empty_plan_still_draws_a_map(empty_plan: Plan, four_roads: sr.Network) -> None:
    page = map_html(empty_plan, four_roads, title="nothing routed")
    assert not _calls(page, "polyline") and not _calls(page, "circleMarker")
    assert "0 of 1 shipments routed" in page

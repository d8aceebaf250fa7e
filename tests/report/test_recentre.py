"""Moving a map's seam: the widest free gap against a brute-force scan of longitudes, and
recentred lines against the unwrapped walks they were cut from."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiPolygon, Point, box

from silkroad_routing.geometry import split_antimeridian
from silkroad_routing.report.recentre import central_longitude, recentre

GRID_DEG = 0.05


def _wrap(x: np.ndarray) -> np.ndarray:
    return (x + 180.0) % 360.0 - 180.0



#: Random walks in unwrapped longitude (no vertex exactly on the antimeridian).
walks = st.builds(
    lambda x0, y0, steps: np.cumsum(np.array([(x0, y0), *steps]), axis=0),
    st.floats(-180, 180), st.floats(-60, 60),
    st.lists(st.tuples(st.floats(-40, 40).filter(lambda dx: abs(dx) >= 0.01), st.floats(-3, 3)),
             min_size=1, max_size=8),
).filter(lambda w: not np.any(np.isclose(np.abs(_wrap(w[:, 0])), 180.0)))


def _free_gap_brute_force(lines: list[np.ndarray]) -> float:
    """Widest run of longitudes no segment covers, in 0.05 degree cells round the globe."""
    grid = np.arange(-180.0, 180.0, GRID_DEG)
    covered = np.zeros(grid.size, dtype=bool)
    for xy in lines:
        for x0, x1 in zip(xy[:-1, 0], xy[1:, 0], strict=True):  # unwrapped segment
            lo, hi = min(x0, x1), max(x0, x1)  # covers the cells it meets
            covered |= ((grid - lo) % 360.0 <= hi - lo) | ((lo - grid) % 360.0 < GRID_DEG)
    if covered.all():
        return 0.0
    free = np.roll(~covered, -int(np.argmax(covered))).astype(np.int8)  # starts covered
    edges = np.diff(np.concatenate([[0], free, [0]]))
    return float((np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)).max() * GRID_DEG)


@given(st.lists(walks, min_size=1, max_size=4))
def test_seam_goes_in_the_widest_free_gap(paths: list[np.ndarray]) -> None:
    lines = [split_antimeridian([(float(x), float(y)) for x, y in zip(_wrap(p[:, 0]), p[:, 1],
                                                                        strict=True)])
             for p in paths]
    centre = central_longitude(lines, default=999.0)
    widest = _free_gap_brute_force(paths)
    if widest < 1.0:  # (almost) every longitude is covered: nowhere to hide the seam
        return
    seam = centre + 180.0
    # The seam lies in a free gap: no segment covers it ...
    for p in paths:
        for x0, x1 in zip(p[:-1, 0], p[1:, 0], strict=True):
            lo, hi = min(x0, x1), max(x0, x1)
            assert not (0.0 < (seam - lo) % 360.0 < hi - lo - 1e-6)
    # ... and that gap is the widest: after recentring, everything spans 360 minus that gap.
    shifted = [shapely.get_coordinates(recentre(g, centre))[:, 0] for g in lines]
    span = max(s.max() for s in shifted) - min(s.min() for s in shifted)
    assert span == pytest.approx(360.0 - widest, abs=2 * GRID_DEG + 1e-6)


@given(walks, st.floats(-179.0, 179.0))
def test_recentred_walk_is_the_walk_shifted(walk: np.ndarray, offset: float) -> None:
    """A walk spanning less than 360 degrees, cut at 180 degrees, comes back whole and shifted
    by a multiple of 360 when the seam is moved off it."""
    cut = split_antimeridian([(float(x), float(y)) for x, y in zip(_wrap(walk[:, 0]), walk[:, 1],
                                                                     strict=True)])
    lo, hi = walk[:, 0].min(), walk[:, 0].max()
    if hi - lo > 300.0:
        return
    centre = float(_wrap(np.array([(lo + hi) / 2.0 + offset * (300.0 - (hi - lo)) / 360.0]))[0])
    line = recentre(cut, centre)
    assert line.geom_type == "LineString"
    xy = np.asarray(line.coords)
    assert xy[:, 0].min() >= centre - 180.0 - 1e-9 and xy[:, 0].max() <= centre + 180.0 + 1e-9
    keep = np.r_[True, np.any(np.abs(np.diff(walk, axis=0)) > 1e-12, axis=1)]
    expected = walk[keep]
    shift = 360.0 * np.round((xy[0, 0] - expected[0, 0]) / 360.0)
    # the walk's vertices, in order, plus the points where it crossed 180 degrees
    on_walk = [np.any(np.all(np.isclose(v, np.column_stack([expected[:, 0] + shift, expected[:, 1]]),
                                        atol=1e-7), axis=1)) for v in xy]
    assert sum(on_walk) == len(expected)
    np.testing.assert_allclose(xy[[0, -1]], [[expected[0, 0] + shift, expected[0, 1]],
                                             [expected[-1, 0] + shift, expected[-1, 1]]], atol=1e-7)


def test_points_and_polygons() -> None:
    assert recentre(Point(-87.9, 42.0), 120.0).x == pytest.approx(272.1)
    assert recentre(Point(113.8, 34.5), -60.0).x == pytest.approx(113.8)
    assert recentre(Point(150.0, 0.0), -60.0).x == pytest.approx(-210.0)
    # A country split at 180 degrees (like Russia's Chukotka) is merged into one polygon.
    split = MultiPolygon([box(170.0, 60.0, 180.0, 70.0), box(-180.0, 60.0, -170.0, 70.0)])
    merged = recentre(split, 180.0)
    assert merged.geom_type == "Polygon"
    assert merged.area == pytest.approx(200.0)
    assert merged.bounds == pytest.approx((170.0, 60.0, 190.0, 70.0))
    assert central_longitude([]) == 0.0


def test_zhengzhou_europe_chicago_seam_is_in_the_atlantic() -> None:
    """Flights Zhengzhou-Chicago over the Bering Strait and trains to Europe: the seam falls
    between Chicago and Europe, so no route is cut."""
    to_chicago = split_antimeridian([(113.8, 34.5), (150.0, 60.0), (180.0, 66.0), (-160.0, 66.0),
                                     (-120.0, 55.0), (-87.9, 42.0)])
    to_europe = LineString([(113.6, 34.8), (80.4, 44.2), (23.6, 52.1), (6.8, 51.4)])
    centre = central_longitude([to_chicago, to_europe])
    assert -87.9 < centre + 180.0 - 360.0 < 6.8
    assert recentre(to_chicago, centre).geom_type == "LineString"

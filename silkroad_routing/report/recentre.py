"""Move a map's seam off the routes: pick a central longitude and shift geometries around it.

Stored geometries live in longitudes [-180, 180] and are split at the antimeridian. A map of
Zhengzhou-Chicago flights (over the Bering Strait) and Europe would then cut those routes at its
edge. :func:`central_longitude` finds the widest stretch of longitudes no route or hub covers;
the map's seam goes in its middle, and :func:`recentre` re-expresses a geometry in longitudes
[c - 180, c + 180] around that centre ``c``, rejoining the pieces split at +-180 (longitudes
beyond 180 are fine for Leaflet and for a plate carree plot).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry


def _covered(geometry: BaseGeometry) -> list[tuple[float, float]]:
    """Longitude intervals covered by a geometry's points and segments (none jumps over 180)."""
    if geometry.is_empty:
        return []
    if geometry.geom_type in ("Point", "MultiPoint"):
        return [(x, x) for x in shapely.get_coordinates(geometry)[:, 0]]
    intervals = []
    for part in shapely.get_parts(shapely.get_parts(geometry)):
        ring_or_line = part.exterior if part.geom_type == "Polygon" else part
        x = np.asarray(ring_or_line.coords)[:, 0]
        lo, hi = np.minimum(x[:-1], x[1:]), np.maximum(x[:-1], x[1:])
        intervals += list(zip(lo.tolist(), hi.tolist(), strict=True)) or [(x[0], x[0])]
    return intervals


def central_longitude(geometries: Iterable[BaseGeometry], default: float = 0.0) -> float:
    """Longitude, degrees in [-180, 180), opposite the widest gap between the geometries.

    The gap is the widest range of longitudes that no point and no segment covers, going round
    the globe; ``default`` when there are no geometries or no gap.
    """
    intervals = sorted(i for g in geometries for i in _covered(g))
    if not intervals:
        return default
    merged = [list(intervals[0])]
    for lo, hi in intervals[1:]:
        if lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    # Gaps between consecutive covered ranges, and the one across the antimeridian.
    gaps = [(merged[i][1], merged[i + 1][0]) for i in range(len(merged) - 1)]
    gaps.append((merged[-1][1], merged[0][0] + 360.0))
    start, end = max(gaps, key=lambda g: g[1] - g[0])
    if end - start <= 0.0:
        return default
    return float((start + end) / 2.0 % 360.0 - 180.0)


def _shift(geometry: BaseGeometry, dx: float) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: xy + np.array([dx, 0.0]))


def recentre(geometry: BaseGeometry, central_lon: float) -> BaseGeometry:
    """``geometry`` in longitudes [central_lon - 180, central_lon + 180].

    Parts beyond the new seam move by 360 degrees; lines split at +-180 are joined again and
    polygons split there are merged. Latitudes are unchanged.
    """
    if geometry.is_empty:
        return geometry
    west = central_lon - 180.0
    if geometry.geom_type in ("Point", "MultiPoint"):
        return shapely.transform(
            geometry, lambda xy: np.column_stack([(xy[:, 0] - west) % 360.0 + west, xy[:, 1]]))
    if west == -180.0:  # the usual seam
        keep, moved = geometry, shapely.Point()
    elif west > -180.0:  # keep [west, 180], move [-180, west] east by 360
        keep = shapely.clip_by_rect(geometry, west, -90.0, 180.0, 90.0)
        moved = _shift(shapely.clip_by_rect(geometry, -180.0, -90.0, west, 90.0), 360.0)
    else:  # keep [-180, east], move [east, 180] west by 360
        east = central_lon + 180.0
        keep = shapely.clip_by_rect(geometry, -180.0, -90.0, east, 90.0)
        moved = _shift(shapely.clip_by_rect(geometry, east, -90.0, 180.0, 90.0), -360.0)
    if geometry.geom_type in ("LineString", "MultiLineString"):
        lines = [p for p in (*shapely.get_parts(keep), *shapely.get_parts(moved))
                 if isinstance(p, LineString) and not p.is_empty]
        return shapely.line_merge(MultiLineString(lines), directed=True)
    return shapely.union(keep, moved)

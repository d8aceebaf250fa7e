"""Geometry of a network for maps and GIS export: hubs as points, legs as lines (EPSG:4326).

Air legs are great circles, sea legs follow the sea lanes of the ``searoute`` package (honouring
the passages in ``via``: a leg via the Cape is routed with Suez and Bab-el-Mandeb closed), rail and
road legs run straight between their end hubs through their waypoints. Lines crossing the
antimeridian are split into a MultiLineString so that they draw correctly.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

import geopandas as gpd
import numpy as np
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from .model import Network
from .units import Mode

_GEOD = Geod(ellps="WGS84")
#: searoute passages closed for a leg via the Cape of Good Hope (with only Suez and Bab-el-Mandeb
#: closed, searoute would send an Asia-Europe lane through Panama).
_CAPE_CLOSES = ("suez", "babalmandab", "panama")
#: searoute's default restriction: keep the Northwest Passage closed.
_DEFAULT_RESTRICTIONS = ("northwest",)


def great_circle(lon1: float, lat1: float, lon2: float, lat2: float, points: int = 64) -> list[
    tuple[float, float]
]:
    """(lon, lat) points along the great circle between two places, ends included."""
    inner = _GEOD.npts(lon1, lat1, lon2, lat2, points)
    return [(lon1, lat1), *inner, (lon2, lat2)]


@lru_cache(maxsize=512)
def sea_lane(
    lon1: float, lat1: float, lon2: float, lat2: float, via: frozenset[str] = frozenset()
) -> tuple[tuple[tuple[float, float], ...], float]:
    """Sea-lane coordinates and length (km) between two ports, via the passages named.

    ``via`` containing ``cape`` closes Suez, Bab-el-Mandeb and Panama, so the lane rounds Africa.
    """
    import searoute

    closed = list(_DEFAULT_RESTRICTIONS)
    if "cape" in via:
        closed += list(_CAPE_CLOSES)
    feature = searoute.searoute([lon1, lat1], [lon2, lat2], units="km", restrictions=closed)
    coords = tuple((float(x), float(y)) for x, y in feature.geometry["coordinates"])
    return coords, float(feature.properties["length"])


def split_antimeridian(points: list[tuple[float, float]]) -> BaseGeometry:
    """A LineString, or a MultiLineString where the line jumps across the 180th meridian."""
    parts: list[list[tuple[float, float]]] = [[points[0]]]
    for (x0, y0), (x1, y1) in pairwise(points):
        if abs(x1 - x0) > 180.0:
            # Interpolate the crossing latitude on the continuous (unwrapped) segment.
            edge = 180.0 if x0 > 0 else -180.0
            x1u = x1 + 360.0 if x0 > 0 else x1 - 360.0
            t = (edge - x0) / (x1u - x0)
            y_cross = y0 + t * (y1 - y0)
            parts[-1].append((edge, y_cross))
            parts.append([(-edge, y_cross)])
        parts[-1].append((x1, y1))
    lines = [p for p in parts if len(p) >= 2]
    return LineString(lines[0]) if len(lines) == 1 else MultiLineString(lines)


def leg_geometry(
    network: Network, mode: Mode, from_hub: str, to_hub: str,
    waypoints: tuple[tuple[float, float], ...] = (), via: frozenset[str] = frozenset(),
) -> BaseGeometry:
    """Line of one leg between two hubs of ``network``, from the first hub to the second."""
    a, b = network.hub(from_hub), network.hub(to_hub)
    if mode == Mode.AIR:
        points = great_circle(a.lon, a.lat, b.lon, b.lat)
    elif mode == Mode.SEA:
        # searoute starts and ends the lane at its sea-network nodes nearest to the ports (up to
        # ~50 km away): join them to the hubs so that the line meets the hub's marker.
        lane = sea_lane(a.lon, a.lat, b.lon, b.lat, frozenset(via))[0]
        points = [(a.lon, a.lat), *lane, (b.lon, b.lat)]
        points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    else:
        points = [(a.lon, a.lat), *waypoints, (b.lon, b.lat)]
    return split_antimeridian(points)


def network_geodataframe(network: Network, *, include_optional: bool = True) -> gpd.GeoDataFrame:
    """Hubs (points), links and service legs (lines) of ``network`` in one GeoDataFrame.

    Columns: ``feature`` ('hub', 'link', 'service_leg'), ``id`` (hub code, link id or
    ``<service id>:<leg>``), ``name``, ``kind`` (hub kind) , ``mode``, ``from_hub``, ``to_hub``,
    ``distance_km``, ``duration_h``, ``weekly_departures``, ``optional``; CRS EPSG:4326.
    """
    rows: list[dict[str, object]] = []
    geoms: list[BaseGeometry] = []
    for h in network.hubs:
        rows.append({"feature": "hub", "id": h.code, "name": h.name, "kind": str(h.kind)})
        geoms.append(Point(h.lon, h.lat))
    for x in network.links:
        rows.append({
            "feature": "link", "id": x.id, "mode": str(x.mode), "from_hub": x.from_hub,
            "to_hub": x.to_hub, "distance_km": x.distance_km, "duration_h": x.duration_h,
            "optional": False,
        })
        geoms.append(leg_geometry(network, x.mode, x.from_hub, x.to_hub, x.waypoints, x.via))
    for s in network.services:
        if s.optional and not include_optional:
            continue
        for i, (a, b) in enumerate(zip(s.stops[:-1], s.stops[1:], strict=True)):
            rows.append({
                "feature": "service_leg", "id": f"{s.id}:{i}", "name": s.name, "mode": str(s.mode),
                "from_hub": a, "to_hub": b, "distance_km": s.leg_km[i], "duration_h": s.leg_h[i],
                "weekly_departures": len(s.weekdays), "optional": s.optional,
            })
            geoms.append(leg_geometry(network, s.mode, a, b, via=s.via))
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    for column in ("distance_km", "duration_h"):
        frame[column] = frame[column].astype(np.float64)
    return frame

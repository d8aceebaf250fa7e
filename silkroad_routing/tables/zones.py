"""Each hub's IANA time zone, from its coordinates.

The zone comes from the timezone-boundary-builder polygons (OpenStreetMap data) that the
``timezonefinder`` package ships, so that no hand-kept table of zones can drift from the hubs'
coordinates. A border crossing is placed at the midpoint of its two sides; its zone is the one of
whichever side that point falls on.
"""

from __future__ import annotations

from ..model import Network

#: Zone of a point no polygon covers (timezonefinder knows the oceans too, so a safety net only).
FALLBACK_ZONE = "UTC"
#: Zones already looked up, by (lat, lon): each lookup opens the boundary files.
_KNOWN: dict[tuple[float, float], str] = {}


def zones_at(points: list[tuple[float, float]]) -> list[str]:
    """The IANA time zone at each (lat, lon) of ``points``, degrees WGS 84."""
    missing = [p for p in dict.fromkeys(points) if p not in _KNOWN]
    if missing:
        from timezonefinder import TimezoneFinder

        with TimezoneFinder() as finder:  # closes its memory-mapped boundary files
            for lat, lon in missing:
                _KNOWN[lat, lon] = finder.timezone_at(lat=lat, lng=lon) or FALLBACK_ZONE
    return [_KNOWN[p] for p in points]


def hub_zones(network: Network) -> dict[str, str]:
    """Hub code -> IANA time zone, for every hub of ``network``."""
    return dict(zip([h.code for h in network.hubs],
                    zones_at([(h.lat, h.lon) for h in network.hubs]), strict=True))

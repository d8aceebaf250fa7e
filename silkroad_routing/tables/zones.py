"""Each hub's IANA time zone, from its coordinates.

The zone comes from the timezone-boundary-builder polygons (OpenStreetMap data) that the
``timezonefinder`` package ships, so that no hand-kept table of zones can drift from the hubs'
coordinates. A border crossing is placed at the midpoint of its two sides; its zone is the one of
whichever side that point falls on.
"""

from __future__ import annotations

from functools import cache

from ..model import Network

#: Zone of a point no polygon covers (timezonefinder knows the oceans too, so a safety net only).
FALLBACK_ZONE = "UTC"


@cache
def _finder() -> object:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()  # reads its data files once, on first use


@cache
def zone_at(lat: float, lon: float) -> str:
    """The IANA time zone at (``lat``, ``lon``), degrees WGS 84."""
    return _finder().timezone_at(lat=lat, lng=lon) or FALLBACK_ZONE  # type: ignore[attr-defined]


def hub_zones(network: Network) -> dict[str, str]:
    """Hub code -> IANA time zone, for every hub of ``network``."""
    return {hub.code: zone_at(hub.lat, hub.lon) for hub in network.hubs}

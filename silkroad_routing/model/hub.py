"""Hubs: airports, rail terminals, seaports, road hubs, border crossings and warehouses."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, field_validator

from ._base import Record


class HubKind(StrEnum):
    """What a hub is."""

    AIRPORT = "airport"
    RAIL_TERMINAL = "rail_terminal"
    SEAPORT = "seaport"
    ROAD_HUB = "road_hub"
    BORDER_CROSSING = "border_crossing"
    WAREHOUSE = "warehouse"


class Hub(Record):
    """A place where freight is handled.

    ``code`` is an IATA code for airports, a UN/LOCODE for ports and terminals, and a documented
    code such as ``ALA-DOS`` for border crossings (``networks/README.md``).
    ``dwell_h`` is the customs or border dwell every shipment passing through spends here;
    ``gauge_change`` marks a rail border where the track gauge changes (1435 <-> 1520 mm), where
    each container is transshipped at ``transshipment_usd_per_feu``.
    ``crossing_capacity_trains_day`` caps the trains that may cross a border crossing per
    local day; capacity-aware routing counts it in TEU
    (:func:`silkroad_routing.model.capacity.crossing_teu_day`).
    ``storage_usd_per_m3_day`` prices a shipment's ``storage_days`` at a warehouse.
    """

    code: str = Field(min_length=2, max_length=16, pattern=r"^[A-Z0-9][A-Z0-9\-]*$")
    name: str = Field(min_length=1)
    kind: HubKind
    country: str = Field(min_length=2, max_length=5, description="ISO 3166 alpha-2, e.g. CN or CN-KZ")
    lat: float = Field(ge=-90.0, le=90.0, description="latitude, degrees (WGS 84)")
    lon: float = Field(ge=-180.0, le=180.0, description="longitude, degrees (WGS 84)")
    capacity_t_day: float | None = Field(
        default=None, ge=0.0, description="handling capacity, tonnes per day; None = unlimited"
    )
    dwell_h: float = Field(default=0.0, ge=0.0, description="customs / border dwell, hours")
    crossing_capacity_trains_day: float | None = Field(
        default=None, ge=0.0,
        description="trains per local day that can cross at this border (counted in TEU: that "
                    "many trains of the largest TEU capacity calling there); None = unlimited")
    gauge_mm: int | None = Field(default=None, description="rail gauge at this hub, mm")
    gauge_change: bool = False
    transshipment_usd_per_feu: float = Field(default=0.0, ge=0.0)
    storage_usd_per_m3_day: float = Field(
        default=0.0, ge=0.0, description="storage at a warehouse, USD per m3 and day")
    source: str = ""

    @field_validator("gauge_mm")
    @classmethod
    def _known_gauge(cls, value: int | None) -> int | None:
        if value is not None and value not in (1435, 1520, 1524):
            raise ValueError(f"unknown rail gauge {value} mm (expected 1435, 1520 or 1524)")
        return value

"""Links: unscheduled legs (a truck can leave at any time)."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from ..units import Mode, PricingBasis
from ._base import Record, country_codes


class Link(Record):
    """A leg that can start at any time, such as a truck run between two hubs.

    ``price_usd`` is per ``price_basis`` (per truck, per kg, ...); ``part_load_usd_per_wm`` prices
    less-than-full loads per revenue tonne (W/M) and is required when the basis is a full unit
    (truck or FEU). ``waypoints`` are (lon, lat) pairs between the end hubs for drawing the link.
    ``via`` names sea passages the link uses (``suez``, ``cape``, ...), so that a scenario can
    close them. ``countries`` are the ISO 3166 alpha-2 codes of the countries the freight passes
    on the ground, both ends included (air: the two ends; overflight is not transit), so that a
    scenario can avoid them. ``co2e_kg_per_teu_km`` (with its TTW twin), where given, counts the
    link's emissions per TEU-km instead of per tonne-km, as on a service.
    """

    id: str = Field(min_length=1)
    from_hub: str
    to_hub: str
    mode: Mode
    distance_km: float = Field(ge=0.0)
    duration_h: float = Field(ge=0.0)
    price_usd: float = Field(ge=0.0)
    price_basis: PricingBasis
    part_load_usd_per_wm: float | None = Field(default=None, ge=0.0)
    co2e_kg_per_tkm: float = Field(
        ge=0.0, description="kg CO2e per tonne-km, well-to-wheel (the basis that is priced and minimised)")
    co2e_ttw_kg_per_tkm: float | None = Field(
        default=None, ge=0.0, description="kg CO2e per tonne-km, tank-to-wheel (None: not given)")
    co2e_kg_per_teu_km: float | None = Field(
        default=None, ge=0.0,
        description="kg CO2e per TEU-km, well-to-wheel: container emissions counted per TEU "
                    "(full loads per container, part loads by W/M share) instead of per tonne-km")
    co2e_ttw_kg_per_teu_km: float | None = Field(
        default=None, ge=0.0, description="kg CO2e per TEU-km, tank-to-wheel (None: not given)")
    waypoints: tuple[tuple[float, float], ...] = ()
    via: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    source: str = ""

    @field_validator("countries")
    @classmethod
    def _country_codes(cls, value: frozenset[str]) -> frozenset[str]:
        return country_codes(value)

    @model_validator(mode="after")
    def _consistent(self) -> Link:
        if self.from_hub == self.to_hub:
            raise ValueError(f"link {self.id} starts and ends at {self.from_hub}")
        if self.price_basis in (PricingBasis.FEU, PricingBasis.TRUCK) and self.part_load_usd_per_wm is None:
            raise ValueError(
                f"link {self.id} is priced per {self.price_basis}: part_load_usd_per_wm is required"
            )
        for lon, lat in self.waypoints:
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                raise ValueError(f"waypoint ({lon}, {lat}) is out of range")
        return self

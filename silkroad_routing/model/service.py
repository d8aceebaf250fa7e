"""Services: scheduled flights, block trains and sailings."""

from __future__ import annotations

from datetime import date, time

from pydantic import Field, field_validator, model_validator

from ..units import Mode, PricingBasis
from ._base import Record, country_codes


class Service(Record):
    """A scheduled product: a freighter rotation, a block train, a liner sailing.

    It calls at ``stops`` in order; ``leg_h[i]`` and ``leg_km[i]`` are the running time and
    distance from ``stops[i]`` to ``stops[i + 1]``; ``stop_dwell_h`` is the time spent at each
    intermediate stop (a border crossing's own ``dwell_h`` comes on top). It departs from the first
    stop at ``departure_time_utc`` on each of ``weekdays`` (0 = Monday) and on each of ``dates``.

    ``price_usd`` per ``price_basis`` is for the whole run; a shipment that rides part of it pays
    the distance share. Capacity per departure: ``capacity_kg`` and ``capacity_positions`` (ULD
    positions) for flights, ``capacity_teu`` for trains and ships. An ``optional`` service is a
    candidate (charter, extra block train) that runs only if network design opens it, at
    ``fixed_cost_usd_per_run``. ``countries`` are the ISO 3166 alpha-2 codes of the countries
    the freight passes on the ground over the whole run, stops included (air: the airports'
    countries; overflight is not transit). CO2e is per tonne-km (``co2e_kg_per_tkm``, WTW, and
    ``co2e_ttw_kg_per_tkm``) unless ``co2e_kg_per_teu_km`` is given: then a container service's
    emissions are counted per TEU-km (:func:`~silkroad_routing.compile.tariffs.co2e_rate_vector`).
    """

    id: str = Field(min_length=1)
    name: str = ""
    mode: Mode
    operator: str = ""
    stops: tuple[str, ...] = Field(min_length=2)
    leg_h: tuple[float, ...]
    leg_km: tuple[float, ...]
    stop_dwell_h: float = Field(default=0.0, ge=0.0)
    weekdays: frozenset[int] = frozenset()
    dates: tuple[date, ...] = ()
    departure_time_utc: time = time(0, 0)
    capacity_kg: float | None = Field(default=None, ge=0.0)
    capacity_positions: int | None = Field(default=None, ge=0)
    capacity_teu: float | None = Field(default=None, ge=0.0)
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
    optional: bool = False
    fixed_cost_usd_per_run: float = Field(default=0.0, ge=0.0)
    via: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    source: str = ""

    @field_validator("weekdays")
    @classmethod
    def _weekday_range(cls, value: frozenset[int]) -> frozenset[int]:
        bad = sorted(d for d in value if not 0 <= d <= 6)
        if bad:
            raise ValueError(f"weekday {bad[0]} is out of range (0 = Monday ... 6 = Sunday)")
        return value

    @field_validator("leg_h", "leg_km")
    @classmethod
    def _non_negative(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        bad = [v for v in value if not v >= 0.0]
        if bad:
            raise ValueError(f"legs must be non-negative, got {bad[0]}")
        return value

    @field_validator("countries")
    @classmethod
    def _country_codes(cls, value: frozenset[str]) -> frozenset[str]:
        return country_codes(value)

    @model_validator(mode="after")
    def _consistent(self) -> Service:
        legs = len(self.stops) - 1
        if len(self.leg_h) != legs or len(self.leg_km) != legs:
            raise ValueError(
                f"service {self.id} has {len(self.stops)} stops, so leg_h and leg_km need {legs} "
                f"values (got {len(self.leg_h)} and {len(self.leg_km)})"
            )
        if len(set(self.stops)) != len(self.stops):
            raise ValueError(f"service {self.id} calls twice at the same hub")
        if not self.weekdays and not self.dates:
            raise ValueError(f"service {self.id} has neither weekdays nor dates to run on")
        if self.price_basis in (PricingBasis.FEU, PricingBasis.TRUCK) and self.part_load_usd_per_wm is None:
            raise ValueError(
                f"service {self.id} is priced per {self.price_basis}: part_load_usd_per_wm is required"
            )
        if self.fixed_cost_usd_per_run > 0 and not self.optional:
            raise ValueError(f"service {self.id} has a fixed cost per run but is not optional")
        return self

    @property
    def distance_km(self) -> float:
        """Total running distance, km."""
        return float(sum(self.leg_km))

    @property
    def running_h(self) -> float:
        """Total running time without dwell, hours."""
        return float(sum(self.leg_h))

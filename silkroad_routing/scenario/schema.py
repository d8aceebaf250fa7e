"""The scenario file: what to plan, on which network, with which changes, and what to write.

A scenario is a YAML file validated by :class:`Scenario`. Every model here forbids unknown keys,
so a typo in a key is an error rather than a silently ignored setting. Units are in the field
names (``_h`` hours, ``_kg``, ``_m3``, ``_usd``, ``_t_day`` tonnes per day). Relative paths in a
scenario file are resolved against the folder of that file. The descriptions below feed the
scenario reference in the documentation and the JSON Schema (``silkroad schema``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..model import CargoClass, Link, Regime, Service
from ..model.params import MAX_ROUNDS
from ..units import MODES, Mode

#: Hub codes in a scenario are written like the network's: upper case letters, digits and '-'.
HUB_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9\-]*$"

# Upper bounds of scenario values. They are far above any real load, rate or delay, and keep a
# typo (an extra three zeros, 1e308) from validating and then running for hours.
#: Heaviest shipment, kg: 2,000 t, a full block train of 50 FEU.
MAX_WEIGHT_KG = 2_000_000.0
#: Largest shipment, m3 (150 FEU).
MAX_VOLUME_M3 = 10_000.0
#: Most containers per shipment (four block trains of 50 FEU).
MAX_UNITS_FEU = 200
#: Highest declared value of one shipment, USD.
MAX_VALUE_USD = 1e10
#: Longest extra time (dwell, running time) an edit may add, hours: a year.
MAX_HOURS = 8760.0
#: Largest factor on a duration, price, emission factor or capacity.
MAX_FACTOR = 100.0
#: Highest price of a link or service, USD per unit of its basis.
MAX_PRICE_USD = 10_000_000.0
#: Highest emission factor, kg CO2e per tonne-km (air freight is about 0.6-1.2).
MAX_CO2E_KG_PER_TKM = 10.0
#: Largest capacities: a hub's tonnes per day, a flight's kg, a ship's TEU, ULD positions.
MAX_CAPACITY_T_DAY, MAX_CAPACITY_KG, MAX_CAPACITY_TEU, MAX_POSITIONS = 1e6, 1e7, 30_000.0, 1_000
#: Trains a day at a border crossing, at most (the busiest take a few dozen).
MAX_TRAINS_DAY = 1_000.0
#: Highest carbon price, USD per tonne CO2e, and cost of capital, percent per year.
MAX_CO2_PRICE_USD_PER_T, MAX_VALUE_OF_TIME_PCT = 10_000.0, 1_000.0
#: Largest seed (solvers take a 32-bit seed).
MAX_SEED = 2**31 - 1
#: Longest solver limit, seconds (a day), and most solver threads.
MAX_TIME_LIMIT_S, MAX_THREADS = 86_400.0, 64
#: Most shipments the generator draws, per flow and over all flows of a scenario.
MAX_GENERATED_SHIPMENTS = 100_000
#: Largest log-normal sigma (3 puts the 99.9th percentile at 10,000 x the median).
MAX_SIGMA = 3.0
#: Largest value a distribution may be centred on or bounded by (hours or factors).
MAX_DRAW = 1_000_000.0
#: Longest ready window (horizon) and longest transit a generated flow may ask for, days.
MAX_HORIZON_DAYS, MAX_TRANSIT_DAYS = 366, 366.0
#: Longest name, shipment id or time zone name, characters.
MAX_NAME_CHARS = 100


def _date_to_datetime(value: Any) -> Any:
    """A bare date (``2026-11-02``, as a date or as text) means 00:00 on that day; a number is
    refused (it would be read as a Unix time)."""
    if isinstance(value, int | float) or (
            isinstance(value, str) and re.fullmatch(r"\s*[-+]?[\d.eE+-]+\s*", value)
            and not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value)):
        raise ValueError("a date must be written as a date (2026-11-02 or 2026-11-02T08:00), "
                         "not as a number")
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return value  # let the datetime parser report it
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time(0, 0))
    return value


#: Earliest and latest year of a date in a scenario (timetables are expanded from it).
MIN_YEAR, MAX_YEAR = 1970, 2200


def _plausible_year(value: datetime) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


#: What a date or date-time in a scenario looks like (ISO 8601; offset optional).
DATETIME_PATTERN = (r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                    r"(Z|[+-]\d{2}(:?\d{2})?)?)?$")
#: A date or date-time; a bare date means 00:00. Without a UTC offset it is local time in the
#: horizon's ``timezone``. A number is refused, and the year must lie in MIN_YEAR..MAX_YEAR.
DateTime = Annotated[
    datetime, BeforeValidator(_date_to_datetime), AfterValidator(_plausible_year),
    WithJsonSchema({"type": "string", "pattern": DATETIME_PATTERN,
                    "examples": ["2026-11-02", "2026-11-02T08:00", "2026-11-02T08:00:00+08:00"]}),
]
HubCode = Annotated[str, BeforeValidator(_upper), Field(pattern=HUB_CODE_PATTERN, min_length=2)]


def _takes(annotation: Any, kinds: tuple[type, ...]) -> bool:
    """Whether ``annotation`` (or one of its members) is one of ``kinds`` or Any."""
    if annotation is Any or annotation in kinds:
        return True
    return any(_takes(a, kinds) for a in get_args(annotation))


class Spec(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are checked.

    Numbers must be finite, and ``true``/``false`` is not a number (pydantic alone would read
    ``days: true`` as one day).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True,
                              allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_bool_for_number(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, value in data.items():
                info = cls.model_fields.get(key) if isinstance(key, str) else None
                if isinstance(value, bool) and info is not None and _takes(
                        info.annotation, (int, float)) and not _takes(info.annotation, (bool,)):
                    raise PydanticCustomError(
                        "bool_for_number", "expected a number, not true or false",
                        {"field": key})
        return data


# --------------------------------------------------------------------------------------------
# Edits of the network
# --------------------------------------------------------------------------------------------


class HubEdit(Spec):
    """Changes to one hub (keyed by hub code under ``edits.hubs``)."""

    capacity_t_day: float | None = Field(
        default=None, ge=0.0, le=MAX_CAPACITY_T_DAY,
        description="New handling capacity, tonnes per day. Default: unchanged.")
    capacity_factor: float = Field(
        default=1.0, gt=0.0, le=MAX_FACTOR,
        description="Multiplies the handling capacity (after `capacity_t_day`), e.g. 1.5 for 50 % "
                    "more. An unlimited capacity stays unlimited. Default 1.")
    extra_dwell_h: float = Field(
        default=0.0, ge=0.0, le=MAX_HOURS,
        description="Hours added to the dwell every shipment passing through spends here "
                    "(congestion at a border: Brest-Małaszewicze +240 h). Default 0.")
    crossing_capacity_trains_day: float | None = Field(
        default=None, ge=0.0, le=MAX_TRAINS_DAY,
        description="Trains a day that may cross at this border crossing; capacity-aware "
                    "routing lets that many trains' TEU across a day (the largest TEU capacity "
                    "of the rail services calling there). Default: unchanged.")


class LinkEdit(Spec):
    """Changes to one unscheduled link (keyed by link id under ``edits.links``)."""

    duration_factor: float = Field(
        default=1.0, gt=0.0, le=MAX_FACTOR,
        description="Multiplies the running time (1.5 = 50 % slower). Default 1.")
    extra_h: float = Field(
        default=0.0, ge=0.0, le=MAX_HOURS, description="Hours added to the running time. Default 0.")
    price_usd: float | None = Field(
        default=None, ge=0.0, le=MAX_PRICE_USD,
        description="New price, USD per the link's pricing basis. Default: unchanged.")
    price_factor: float = Field(
        default=1.0, ge=0.0, le=MAX_FACTOR,
        description="Multiplies the price (and the part-load price). Default 1.")
    co2e_kg_per_tkm: float | None = Field(
        default=None, ge=0.0, le=MAX_CO2E_KG_PER_TKM,
        description="New well-to-wheel emission factor, kg CO2e per tonne-km (the tank-to-wheel "
                    "factor becomes unknown). Default: unchanged.")
    co2e_factor: float = Field(
        default=1.0, ge=0.0, le=MAX_FACTOR,
        description="Multiplies the emission factors (WTW and TTW). Default 1.")


class ServiceEdit(LinkEdit):
    """Changes to one scheduled service (keyed by service id under ``edits.services``).

    Extra hours are spread over the service's legs in proportion to their distance.
    """

    capacity_kg: float | None = Field(
        default=None, ge=0.0, le=MAX_CAPACITY_KG, description="New payload per departure, kg (flights).")
    capacity_positions: int | None = Field(
        default=None, ge=0, le=MAX_POSITIONS, description="New ULD positions per departure (flights).")
    capacity_teu: float | None = Field(
        default=None, ge=0.0, le=MAX_CAPACITY_TEU,
        description="New containers per departure, TEU (trains, ships).")
    capacity_factor: float = Field(
        default=1.0, gt=0.0, le=MAX_FACTOR,
        description="Multiplies every capacity per departure (after the values above). Default 1.")


class PassageEdit(Spec):
    """Slows every link and service through a sea passage or corridor (keyed by passage name,
    such as ``suez``, ``cape``, ``babalmandab`` or ``caspian``, under ``edits.passages``)."""

    duration_factor: float = Field(
        default=1.0, gt=0.0, le=MAX_FACTOR,
        description="Multiplies the running time of each link and service using the passage.")
    extra_h: float = Field(
        default=0.0, ge=0.0, le=MAX_HOURS,
        description="Hours added to each link and service run using the passage (queueing at a "
                    "canal, a detour).")


class ModeEdit(Spec):
    """Changes to every link and service of one mode (keyed by mode under ``edits.modes``).

    They apply before the per-link and per-service edits, which then act on the result.
    """

    duration_factor: float = Field(default=1.0, gt=0.0, le=MAX_FACTOR,
                                   description="Multiplies running times.")
    price_factor: float = Field(
        default=1.0, ge=0.0, le=MAX_FACTOR,
        description="Multiplies prices: an ocean-rate spike is `sea: {price_factor: 3}`.")
    co2e_kg_per_tkm: float | None = Field(
        default=None, ge=0.0, le=MAX_CO2E_KG_PER_TKM,
        description="New well-to-wheel emission factor for the whole mode, kg CO2e per tonne-km "
                    "(the tank-to-wheel factor becomes unknown).")
    co2e_factor: float = Field(default=1.0, ge=0.0, le=MAX_FACTOR,
                               description="Multiplies emission factors (WTW and TTW).")


class Edits(Spec):
    """Changes applied to the network before planning, in this order: added links and services;
    mode, link, service, passage and hub edits; then closures. Every id, code and passage named
    must exist in the network (or be added here), else the scenario is rejected."""

    add_links: tuple[Link, ...] = Field(
        default=(),
        description="Unscheduled links to add, with the columns of `links.csv` "
                    "(see networks/README.md); `waypoints` as [[lon, lat], ...], `via` as a list.")
    add_services: tuple[Service, ...] = Field(
        default=(),
        description="Scheduled services to add, with the columns of `services.csv`; `weekdays` "
                    "as 0-6 (Monday = 0), `dates` as ISO dates. An `optional: true` service is "
                    "a candidate for the design task.")
    modes: dict[Mode, ModeEdit] = Field(
        default_factory=dict, description="Edits of every link and service of a mode, by mode.")
    links: dict[str, LinkEdit] = Field(
        default_factory=dict, description="Edits of single links, by link id.")
    services: dict[str, ServiceEdit] = Field(
        default_factory=dict, description="Edits of single services, by service id.")
    passages: dict[str, PassageEdit] = Field(
        default_factory=dict,
        description="Slowed sea passages and corridors, by passage name (`via` in the network).")
    hubs: dict[HubCode, HubEdit] = Field(
        default_factory=dict,
        description="Edits of single hubs (capacity, extra dwell), by hub code.")
    close_passages: tuple[str, ...] = Field(
        default=(),
        description="Passages closed: every link and service using one is removed, e.g. "
                    "`[suez]` for a Red Sea / Suez closure (sea-rail then goes round the Cape).")
    close_hubs: tuple[HubCode, ...] = Field(
        default=(),
        description="Hubs closed: every link and service touching one is removed.")
    avoid_countries: tuple[str, ...] = Field(
        default=(),
        description="Countries (ISO 3166 alpha-2) the shipments must not transit on the ground: "
                    "every link and service passing one (`countries` in the network) is removed, "
                    "e.g. `[RU]` to avoid Russia (rail then takes the Middle Corridor).")
    close_links: tuple[str, ...] = Field(default=(), description="Links removed, by id.")
    close_services: tuple[str, ...] = Field(default=(), description="Services removed, by id.")
    co2_price_usd_per_t: float = Field(
        default=0.0, ge=0.0, le=MAX_CO2_PRICE_USD_PER_T,
        description="Carbon price, USD per tonne CO2e: added to every route's cost in the "
                    "`generalized` objective and in design, and reported as a KPI. Default 0.")
    value_of_time_pct_per_year: float = Field(
        default=0.0, ge=0.0, le=MAX_VALUE_OF_TIME_PCT,
        description="Cost of capital tied up in transit, percent of a shipment's declared value "
                    "per year (8 = 8 %/year): the `generalized` objective and design add "
                    "declared value x rate x hours / 8760 to a route's cost. Default 0.")
    co2e_basis: Literal["WTW", "TTW"] = Field(
        default="WTW",
        description="Emission basis the CO2 price, the `greenest` objective and the Pareto "
                    "front use, and that `co2e_kg` and the KPI `co2e_t` are on: `WTW` "
                    "(well-to-wheel, ISO 14083's reporting basis) or `TTW` (tank-to-wheel). "
                    "Plans report both either way. Default WTW.")

    @field_validator("close_passages")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.lower() for v in value)

    @field_validator("avoid_countries")
    @classmethod
    def _upper(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.upper() for v in value)


# --------------------------------------------------------------------------------------------
# Horizon and demand
# --------------------------------------------------------------------------------------------


class Horizon(Spec):
    """The planning window: timetables are expanded over it and shipments become ready in it."""

    start: DateTime = Field(
        description="First moment of the horizon: a date (`2026-11-02`, meaning 00:00) or a "
                    "date-time; without a UTC offset it is local time in `timezone`. Required.")
    timezone: str = Field(
        default="UTC", max_length=MAX_NAME_CHARS,
        description="IANA time zone of date-times written without an offset in this scenario "
                    "(the horizon start and shipment times), e.g. `Asia/Shanghai`. Default UTC.")
    days: int = Field(
        default=28, ge=1, le=MAX_HORIZON_DAYS,
        description="Length of the window in which shipments become ready, days. Timetables are "
                    "expanded beyond it far enough to deliver them. Default 28.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. UTC, Asia/Shanghai, "
                             "Europe/Berlin)") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The scenario's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def start_at(self) -> datetime:
        """Start of the horizon, timezone-aware."""
        return localize(self.start, self.tz)

    @property
    def end_at(self) -> datetime:
        """End of the ready window, timezone-aware (``start_at`` + ``days``)."""
        return self.start_at + timedelta(days=self.days)


def localize(moment: datetime, tz: ZoneInfo) -> datetime:
    """``moment`` with ``tz`` attached when it carries no UTC offset; unchanged otherwise."""
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def split_modes(cell: str) -> list[str]:
    """The mode names of a ``;``- or ``,``-separated cell (``"Air; rail"``), lower case."""
    return [p.strip().lower() for p in cell.replace(",", ";").split(";") if p.strip()]


class ShipmentRow(Spec):
    """One shipment, as written inline in a scenario or as one row of a demand file."""

    id: str = Field(min_length=1, max_length=MAX_NAME_CHARS, description="Unique shipment id.")
    origin: HubCode = Field(description="Hub code where the shipment is ready.")
    destination: HubCode = Field(description="Hub code where it must be delivered.")
    ready: DateTime = Field(
        description="When it can leave the origin (date or date-time; local time in the "
                    "horizon's `timezone` unless an offset is given). Must fall in the horizon.")
    due: DateTime | None = Field(
        default=None,
        description="When it must arrive at the destination; after `ready`. Default: no due "
                    "date (never late).")
    weight_kg: float = Field(gt=0.0, le=MAX_WEIGHT_KG, description="Gross weight, kg (> 0).")
    volume_m3: float = Field(gt=0.0, le=MAX_VOLUME_M3, description="Volume, m3 (> 0).")
    units_feu: int | None = Field(
        default=None, ge=1, le=MAX_UNITS_FEU,
        description="Forces a full container load of this many 40-foot containers. Default: "
                    "FCL when the shipment fills half an FEU or more, else LCL.")
    cargo_class: CargoClass = Field(
        default=CargoClass.GENERAL,
        description="general, ecommerce, cold_chain, dangerous_goods or pharma. Default general.")
    declared_value_usd: float = Field(
        default=0.0, ge=0.0, le=MAX_VALUE_USD,
        description="Declared value, USD: prices the time in transit. Default 0.")
    modes: frozenset[Mode] = Field(
        default=frozenset(MODES), min_length=1,
        description="Modes allowed to carry it (a list, or `air;rail` in a file; not empty). "
                    "Default: all.")
    regime: Regime = Field(
        default=Regime.GENERAL,
        description="Customs regime: general, 9610, 9710, 9810, 1210, transit or returns "
                    "(networks/four_roads/README.md, \"Customs regimes\"). Default general.")
    storage_days: float = Field(
        default=0.0, ge=0.0, le=3650.0,
        description="Days stored at a destination warehouse, priced per m3 and day. Default 0.")

    @field_validator("modes", mode="before")
    @classmethod
    def _split_modes(cls, value: Any) -> Any:
        return split_modes(value) if isinstance(value, str) else value

    @field_validator("regime", mode="before")
    @classmethod
    def _regime_code(cls, value: Any) -> Any:
        # A supervision code written as a bare number in YAML (1210) or a Parquet column.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("due")
    @classmethod
    def _after_ready(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        ready = info.data.get("ready")
        if value is not None and ready is not None and (ready.tzinfo is None) == (value.tzinfo is None) \
                and value <= ready:
            raise ValueError(f"due date is not after the ready date ({ready.isoformat(sep=' ')})")
        return value

    @model_validator(mode="after")
    def _distinct_ends(self) -> ShipmentRow:
        if self.origin == self.destination:
            raise ValueError(f"origin and destination are the same hub ({self.origin})")
        return self


class DemandFile(Spec):
    """A CSV or Parquet file of shipments, one per row, with the columns of an inline shipment
    (`id`, `origin`, `destination`, `ready`, `weight_kg`, `volume_m3` required; `due`,
    `units_feu`, `cargo_class`, `declared_value_usd`, `modes`, `regime`, `storage_days`
    optional)."""

    path: Path = Field(description="The file (`.csv` or `.parquet`), relative to the scenario file.")


class Profile(StrEnum):
    """Kinds of generated flows; each has stated defaults (see :data:`PROFILE_DEFAULTS`)."""

    ECOMMERCE = "ecommerce"  # consolidated cross-border e-commerce parcels
    B2B_FCL = "b2b_fcl"  # full container loads between businesses
    B2B_LCL = "b2b_lcl"  # less-than-container loads
    COLD_CHAIN = "cold_chain"  # food and pharma in reefers
    DANGEROUS_GOODS = "dangerous_goods"  # lithium batteries (UN 3480/3481)


class ProfileParams(Spec):
    """What one generated shipment of a profile looks like."""

    cargo_class: CargoClass = Field(description="Cargo class of the shipments.")
    median_weight_kg: float = Field(gt=0.0, le=MAX_WEIGHT_KG,
                                    description="Median gross weight, kg (log-normal).")
    weight_sigma: float = Field(ge=0.0, le=MAX_SIGMA, description="Log-normal sigma of the weight.")
    density_kg_m3: float = Field(gt=0.0, le=10_000.0, description="Stowage density, kg per m3.")
    feu_max: int = Field(ge=0, le=MAX_UNITS_FEU,
                         description="FCL only: containers per shipment drawn from 1..feu_max "
                                     "(0 = not a full-container profile).")
    transit_days: float = Field(gt=0.0, le=MAX_TRANSIT_DAYS, description="Due date = ready + this many days.")
    value_usd_per_kg: float = Field(ge=0.0, le=1_000_000.0, description="Declared value, USD per kg.")
    modes: frozenset[Mode] = Field(description="Modes allowed.")
    regime: Regime = Field(default=Regime.GENERAL, description="Customs regime.")
    storage_days: float = Field(default=0.0, ge=0.0, le=3650.0,
                                description="Days stored at a destination warehouse.")


#: Stated defaults of the generator's profiles. Weights are log-normal around the median;
#: e-commerce is light and bulky (close to the IATA 167 kg/m3 volumetric ratio), FCL loads fill
#: 10-22 t into each 40' box, cold chain flies or rides reefer trains, and lithium batteries are
#: kept off aircraft (UN 3480 is cargo-aircraft-only with strict state-of-charge rules; forwarders
#: usually send them by rail or sea).
PROFILE_DEFAULTS: dict[Profile, ProfileParams] = {
    Profile.ECOMMERCE: ProfileParams(
        cargo_class=CargoClass.ECOMMERCE, median_weight_kg=350.0, weight_sigma=0.9,
        density_kg_m3=150.0, feu_max=0, transit_days=8.0, value_usd_per_kg=25.0,
        modes=frozenset({Mode.AIR, Mode.RAIL, Mode.ROAD})),
    Profile.B2B_FCL: ProfileParams(
        cargo_class=CargoClass.GENERAL, median_weight_kg=14_000.0, weight_sigma=0.3,
        density_kg_m3=250.0, feu_max=3, transit_days=40.0, value_usd_per_kg=8.0,
        modes=frozenset({Mode.RAIL, Mode.SEA, Mode.ROAD})),
    Profile.B2B_LCL: ProfileParams(
        cargo_class=CargoClass.GENERAL, median_weight_kg=2_500.0, weight_sigma=0.8,
        density_kg_m3=250.0, feu_max=0, transit_days=35.0, value_usd_per_kg=12.0,
        modes=frozenset(MODES)),
    Profile.COLD_CHAIN: ProfileParams(
        cargo_class=CargoClass.COLD_CHAIN, median_weight_kg=1_200.0, weight_sigma=0.6,
        density_kg_m3=300.0, feu_max=0, transit_days=12.0, value_usd_per_kg=60.0,
        modes=frozenset({Mode.AIR, Mode.RAIL, Mode.ROAD})),
    Profile.DANGEROUS_GOODS: ProfileParams(
        cargo_class=CargoClass.DANGEROUS_GOODS, median_weight_kg=3_000.0, weight_sigma=0.7,
        density_kg_m3=450.0, feu_max=0, transit_days=30.0, value_usd_per_kg=30.0,
        modes=frozenset({Mode.RAIL, Mode.SEA, Mode.ROAD})),
}


class Flow(Spec):
    """A generated flow: ``shipments`` shipments of one profile, ready uniformly over the
    horizon, from ``origins`` to ``destinations`` (each drawn uniformly). Any profile parameter
    can be overridden here; unset ones take the profile's stated default. Drawn weights are
    floored at 5 kg (smaller is a parcel, not a freight shipment) and, for FCL profiles, kept
    between 2 t and an FEU's payload per container."""

    name: str = Field(default="", description="Prefix of the shipment ids. Default: the profile.")
    profile: Profile = Field(description="ecommerce, b2b_fcl, b2b_lcl, cold_chain or dangerous_goods.")
    shipments: int = Field(ge=1, le=MAX_GENERATED_SHIPMENTS,
                           description="Number of shipments over the horizon.")
    origins: tuple[HubCode, ...] = Field(
        min_length=1, description="Hub codes shipments start from (drawn uniformly).")
    destinations: tuple[HubCode, ...] = Field(
        min_length=1, description="Hub codes shipments go to (drawn uniformly, never the origin).")
    median_weight_kg: float | None = Field(default=None, gt=0.0, le=MAX_WEIGHT_KG,
                                           description="Overrides the profile's median weight, kg.")
    weight_sigma: float | None = Field(default=None, ge=0.0, le=MAX_SIGMA,
                                       description="Overrides the profile's log-normal sigma.")
    density_kg_m3: float | None = Field(default=None, gt=0.0, le=10_000.0,
                                        description="Overrides the profile's density, kg/m3.")
    feu_max: int | None = Field(default=None, ge=0, le=MAX_UNITS_FEU,
                                description="Overrides the profile's containers per shipment.")
    transit_days: float | None = Field(default=None, gt=0.0, le=MAX_TRANSIT_DAYS,
                                       description="Overrides the profile's days from ready to due.")
    value_usd_per_kg: float | None = Field(default=None, ge=0.0, le=1_000_000.0,
                                           description="Overrides the profile's value, USD per kg.")
    modes: frozenset[Mode] | None = Field(default=None, min_length=1,
                                          description="Overrides the modes allowed (not empty).")
    regime: Regime | None = Field(default=None,
                                  description="Customs regime of the shipments. Default general.")
    storage_days: float | None = Field(
        default=None, ge=0.0, le=3650.0,
        description="Days stored at a destination warehouse. Default 0.")

    @field_validator("regime", mode="before")
    @classmethod
    def _regime_code(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def params(self) -> ProfileParams:
        """The profile's stated defaults with this flow's overrides."""
        base = PROFILE_DEFAULTS[self.profile]
        overrides = {k: getattr(self, k) for k in ProfileParams.model_fields
                     if k in type(self).model_fields and getattr(self, k) is not None}
        return base.model_copy(update=overrides)

    @model_validator(mode="after")
    def _some_pair(self) -> Flow:
        if set(self.origins) == set(self.destinations) and len(set(self.origins)) == 1:
            raise ValueError(f"origins and destinations are the same single hub ({self.origins[0]})")
        return self


class Generator(Spec):
    """A seeded generator of e-commerce and B2B flows. Draws use a NumPy generator seeded with
    the scenario's `seed` and the flow's position, so adding a flow leaves the others unchanged."""

    flows: tuple[Flow, ...] = Field(min_length=1, description="The flows to generate.")

    @model_validator(mode="after")
    def _bounded(self) -> Generator:
        total = sum(f.shipments for f in self.flows)
        if total > MAX_GENERATED_SHIPMENTS:
            raise ValueError(f"the flows generate {total:,} shipments in all; at most "
                             f"{MAX_GENERATED_SHIPMENTS:,}")
        return self


class Demand(Spec):
    """What has to move: inline shipments, a file, generated flows, or any combination (their
    shipment ids must be unique together). At least one is required."""

    shipments: tuple[ShipmentRow, ...] = Field(default=(), description="Shipments written inline.")
    file: DemandFile | None = Field(default=None, description="A CSV or Parquet file of shipments.")
    generate: Generator | None = Field(default=None, description="Generated flows.")

    @model_validator(mode="after")
    def _not_empty(self) -> Demand:
        if not self.shipments and self.file is None and self.generate is None:
            raise ValueError("demand needs at least one of: shipments, file, generate")
        return self


# --------------------------------------------------------------------------------------------
# Task and outputs
# --------------------------------------------------------------------------------------------


class TaskKind(StrEnum):
    """What the scenario asks for."""

    ROUTE = "route"  # route every shipment on the timetable
    CONSOLIDATE = "consolidate"  # route, then pack shipments sharing departures into units
    DESIGN = "design"  # choose which optional services to run, then route on them


class Objective(StrEnum):
    """What routing optimises."""

    CHEAPEST = "cheapest"  # least cost arriving by the due date (latest feasible if none)
    FASTEST = "fastest"  # earliest arrival
    GREENEST = "greenest"  # least CO2e arriving by the due date
    GENERALIZED = "generalized"  # cost + value of time + CO2 price
    PARETO = "pareto"  # every non-dominated (arrival, cost, CO2e) route; the plan keeps the cheapest


class Capacity(StrEnum):
    """Whether routing books shipments within what departures, hubs and crossings can take."""

    RESPECT = "respect"  # every plan within capacity; what finds no space is "no capacity"
    IGNORE = "ignore"  # every shipment routed as if it travelled alone (utilisation may pass 100 %)


class Assign(StrEnum):
    """How capacity-aware routing shares capacity among shipments."""

    SEQUENTIAL = "sequential"  # by due date, ready time, id: each the best route on what is left
    OPTIMAL = "optimal"  # the least total cost over all shipments (column generation and a MIP)


#: Most replays of a plan one run asks for (``task.reliability_samples``, ``sr.simulate``).
MAX_RELIABILITY_SAMPLES = 100_000


class Task(Spec):
    """What to compute and the solver limits."""

    kind: TaskKind = Field(default=TaskKind.ROUTE, description="route, consolidate or design. Default route.")
    objective: Objective = Field(
        default=Objective.CHEAPEST,
        description="cheapest, fastest, greenest, generalized or pareto. Default cheapest.")
    time_limit_s: float = Field(
        default=60.0, gt=0.0, le=MAX_TIME_LIMIT_S,
        description="Wall-clock limit, seconds: of the whole design or optimal-assignment "
                    "solve (every phase; it stops within about 1 s of the limit and says so in "
                    "its status), and of each exact packing. Default 60.")
    mip_gap: float = Field(
        default=0.01, ge=0.0, lt=1.0,
        description="Relative optimality gap at which the design MIP stops. Default 0.01.")
    threads: int = Field(default=1, ge=1, le=MAX_THREADS,
                         description="Solver threads. Default 1 (deterministic).")
    max_rounds: int = Field(
        default=MAX_ROUNDS, ge=1, le=MAX_ROUNDS,
        description="Most pricing rounds of each column generation of a design or optimal "
                    "assignment: a work limit that, unlike time_limit_s, stops every run at "
                    "the same point, so the same inputs give the same files. Default "
                    f"{MAX_ROUNDS}.")
    capacity: Capacity | None = Field(
        default=None,
        description="respect: every shipment booked within the capacity of departures (kg, "
                    "ULD positions, TEU), hubs (tonnes a day) and border crossings (trains a "
                    "day); ignore: each routed as if alone. Default respect (ignore for the "
                    "pareto objective, which books nothing).")
    reliability_samples: int = Field(
        default=0, ge=0, le=MAX_RELIABILITY_SAMPLES,
        description="Replay the plan this many times under the `uncertainty` section "
                    "(sr.simulate, seeded with `seed`): P(on time), P50/P90/P95 arrival, "
                    "lateness and rebooking cost per shipment in `reliability.csv`, P(missed) "
                    "per departure in `reliability_departures.csv`. Default 0 (none).")
    reliability_target: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="Route each shipment on the cheapest of its Pareto routes whose P(on time), "
                    "replayed reliability_samples times under the `uncertainty` section, is "
                    "at least this share (sr.route_reliable; else its most reliable, "
                    "meets_target false). Needs kind route, objective cheapest, capacity "
                    "ignore and reliability_samples. Default none.")
    reliability_lateness_usd_per_t_h: float | None = Field(
        default=None, ge=0.0, allow_inf_nan=False,
        description="Route each shipment on the Pareto route of least expected generalized "
                    "cost, replayed reliability_samples times under the `uncertainty` "
                    "section: tariffs, CO2 price, legs paid again after a rebooking, value of "
                    "time over the expected transit, and this penalty, USD per tonne and hour, "
                    "times the expected hours late (sr.route_expected). Needs what "
                    "reliability_target needs; not both. Default none.")
    assign: Assign = Field(
        default=Assign.SEQUENTIAL,
        description="How shipments share capacity: sequential (by due date, ready time and "
                    "id, each the best route on the capacity left) or optimal (the least total "
                    "cost over all shipments, within time_limit_s, with its bound and gap; "
                    "objective cheapest or generalized). Default sequential.")

    @model_validator(mode="after")
    def _pareto_books_nothing(self) -> Task:
        if self.objective == Objective.PARETO and self.capacity == Capacity.RESPECT:
            raise ValueError("the pareto objective lists options and books none: use "
                             "capacity: ignore (or leave it out)")
        if self.assign == Assign.OPTIMAL and (
                self.capacity == Capacity.IGNORE
                or self.objective not in (Objective.CHEAPEST, Objective.GENERALIZED)):
            raise ValueError("optimal assignment minimises the total cost within capacity: use "
                             "objective cheapest or generalized, capacity respect")
        if self.reliability_target is not None and (
                self.kind != TaskKind.ROUTE or self.objective != Objective.CHEAPEST
                or self.capacity != Capacity.IGNORE or not self.reliability_samples):
            raise ValueError("reliability_target routes each shipment alone on its cheapest "
                             "route reliable enough: use kind route, objective cheapest, "
                             "capacity ignore and reliability_samples of at least 1")
        if self.reliability_lateness_usd_per_t_h is not None and (
                self.reliability_target is not None or self.kind != TaskKind.ROUTE
                or self.objective != Objective.CHEAPEST or self.capacity != Capacity.IGNORE
                or not self.reliability_samples):
            raise ValueError("reliability_lateness_usd_per_t_h routes each shipment alone on "
                             "its route of least expected cost: use kind route, objective "
                             "cheapest, capacity ignore and reliability_samples of at least 1, "
                             "and no reliability_target")
        return self


class OutputFormat(StrEnum):
    """Files a run can write."""

    CSV = "csv"  # plan.csv, shipments.csv and itineraries.csv
    PARQUET = "parquet"  # plan.parquet and shipments.parquet
    JSON = "json"  # kpis.json
    XLSX = "xlsx"  # workbook.xlsx (summary, shipments, itineraries, utilisation, sources)
    GEOJSON = "geojson"  # routes.geojson
    GPKG = "gpkg"  # routes.gpkg
    HTML = "html"  # map.html (interactive)
    PNG = "png"  # map.png (static); with a replay also reliability_corridors.png


class Outputs(Spec):
    """Where and what to write."""

    folder: Path | None = Field(
        default=None,
        description="Output folder, relative to the scenario file. Default: `out/<name>` in the "
                    "current directory from the command line; nothing is written from Python "
                    "unless a folder is given. `silkroad run --out DIR` overrides it.")
    formats: tuple[OutputFormat, ...] = Field(
        default=tuple(OutputFormat),
        description="Formats to write: csv, parquet, json, xlsx, geojson, gpkg, html, png. Default: all "
                    "that this installation can write.")


# --------------------------------------------------------------------------------------------
# Variants and uncertainty (silkroad compare / silkroad sweep)
# --------------------------------------------------------------------------------------------

#: An override path: dotted keys with optional list indices, such as
#: ``edits.hubs.CGO.capacity_t_day`` or ``demand.generate.flows[0].shipments``.
OVERRIDE_PATH_PATTERN = r"^[^.\[\]\s]+(\[\d+\])*(\.[^.\[\]\s]+(\[\d+\])*)*$"
OverridePath = Annotated[str, Field(pattern=OVERRIDE_PATH_PATTERN)]
#: The row of the scenario itself in a comparison; no variant may take this name.
BASE_NAME = "base"


class Variant(Spec):
    """An option to compare with the scenario: the scenario with some fields set otherwise."""

    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
                      description="Short name (letters, digits, `_`, `-`, `.`; not `base`). Required.")
    description: str = Field(default="", description="What the option is, for readers.")
    overrides: dict[OverridePath, Any] = Field(
        min_length=1,
        description="Fields to set, by dotted path: `edits.hubs.CGO.capacity_t_day: 4500`, "
                    "`task.objective: fastest`, `edits.add_services: [...]`, "
                    "`demand.generate.flows[0].shipments: 50`. Missing sections on the way are "
                    "created; a list or section given as the value replaces the scenario's. The "
                    "result is validated like a scenario. Required.")

    @field_validator("name")
    @classmethod
    def _not_base(cls, value: str) -> str:
        if value == BASE_NAME:
            raise ValueError(f"'{BASE_NAME}' names the scenario itself in a comparison")
        return value


class Lognormal(Spec):
    """Log-normal draws: ``median x exp(sigma x Z)``, Z standard normal (always positive)."""

    distribution: Literal["lognormal"] = Field(description="The distribution's name: `lognormal`.")
    median: float = Field(gt=0.0, le=MAX_DRAW, description="Median of the draws (> 0).")
    sigma: float = Field(ge=0.0, le=MAX_SIGMA, description="Standard deviation of the log of the draws.")

    @property
    def low(self) -> float:
        """Lower end of the support (excluded)."""
        return 0.0


class Triangular(Spec):
    """Triangular draws between ``low`` and ``high``, most likely at ``mode``."""

    distribution: Literal["triangular"] = Field(description="The distribution's name: `triangular`.")
    low: float = Field(ge=-MAX_DRAW, le=MAX_DRAW, description="Smallest value drawn.")
    mode: float = Field(ge=-MAX_DRAW, le=MAX_DRAW,
                        description="Most likely value, between `low` and `high`.")
    high: float = Field(ge=-MAX_DRAW, le=MAX_DRAW, description="Largest value drawn (> `low`).")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(f"needs low <= mode <= high and low < high (got {self.low:g}, "
                             f"{self.mode:g}, {self.high:g})")
        return self


class Uniform(Spec):
    """Uniform draws between ``low`` and ``high``."""

    distribution: Literal["uniform"] = Field(description="The distribution's name: `uniform`.")
    low: float = Field(ge=-MAX_DRAW, le=MAX_DRAW, description="Smallest value drawn.")
    high: float = Field(ge=-MAX_DRAW, le=MAX_DRAW, description="Largest value drawn (> `low`).")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError(f"needs low < high (got {self.low:g}, {self.high:g})")
        return self


#: A distribution, chosen by its ``distribution`` key.
Distribution = Annotated[Lognormal | Triangular | Uniform, Field(discriminator="distribution")]


def _nonnegative(value: Distribution | None) -> Distribution | None:
    if value is not None and value.low < 0.0:
        raise ValueError(f"hours cannot be negative: the distribution starts at {value.low:g}")
    return value


def _positive(value: Distribution | None) -> Distribution | None:
    if value is not None and not isinstance(value, Lognormal) and value.low <= 0.0:
        raise ValueError(f"a factor must stay positive: the distribution starts at {value.low:g}")
    return value


class HubUncertainty(Spec):
    """Uncertain dwell at one hub (keyed by hub code under ``uncertainty.hubs``)."""

    extra_dwell_h: Distribution | None = Field(
        default=None, description="Draws of `edits.hubs.<code>.extra_dwell_h`, hours (>= 0).")

    _check = field_validator("extra_dwell_h")(_nonnegative)


class ModeUncertainty(Spec):
    """Uncertain running times of every link and service of one mode (under ``uncertainty.modes``)."""

    duration_factor: Distribution | None = Field(
        default=None, description="Draws of `edits.modes.<mode>.duration_factor` (> 0).")
    cancel_probability: float = Field(
        default=0.0, ge=0.0, le=1.0,
        description="Probability that one departure of the mode is cancelled, for `silkroad run "
                    "--reliability` (sr.simulate); sweeps do not draw it. Default 0.")

    _check = field_validator("duration_factor")(_positive)


class RunningTimeUncertainty(Spec):
    """Uncertain running time of one link, service or passage (keyed by its id or name)."""

    duration_factor: Distribution | None = Field(
        default=None, description="Draws of the edit's `duration_factor` (> 0).")
    extra_h: Distribution | None = Field(
        default=None, description="Draws of the edit's `extra_h`, hours (>= 0).")

    _check_factor = field_validator("duration_factor")(_positive)
    _check_hours = field_validator("extra_h")(_nonnegative)


class Uncertainty(Spec):
    """Distributions of border dwell and transit times for Monte-Carlo runs (`silkroad sweep
    --samples N --seed S`). It mirrors ``edits``: each distribution draws the value of the edit
    field at the same place (``uncertainty.hubs.BRE-MAL.extra_dwell_h`` draws
    ``edits.hubs.BRE-MAL.extra_dwell_h``), replacing any value the edits give it. Each field has
    its own random stream, seeded by the sweep seed, the sample number and the field's path, so
    adding a distribution leaves the draws of the others unchanged."""

    defaults: Literal["network"] | None = Field(
        default=None,
        description="`network`: start from the network's sourced defaults "
                    "(`reliability_defaults.csv`, sr.default_uncertainty); the entries below "
                    "replace them field by field. Default: none.")
    hubs: dict[HubCode, HubUncertainty] = Field(
        default_factory=dict, description="Dwell at hubs (border queues), by hub code.")
    modes: dict[Mode, ModeUncertainty] = Field(
        default_factory=dict, description="Running times of a whole mode, by mode.")
    links: dict[str, RunningTimeUncertainty] = Field(
        default_factory=dict, description="Running times of single links, by link id.")
    services: dict[str, RunningTimeUncertainty] = Field(
        default_factory=dict, description="Running times of single services, by service id.")
    passages: dict[str, RunningTimeUncertainty] = Field(
        default_factory=dict, description="Running times through a passage or corridor, by name.")


# --------------------------------------------------------------------------------------------
# The scenario
# --------------------------------------------------------------------------------------------


class Scenario(Spec):
    """A scenario: a network with edits, a horizon, demand, a task and outputs."""

    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
                      description="Short name (letters, digits, `_`, `-`, `.`): names the output "
                                  "folder. Required.")
    description: str = Field(default="", description="What the scenario is about, for readers.")
    seed: int = Field(default=0, ge=0, le=MAX_SEED,
                      description="Seed of every random draw (demand generator, fast-mode "
                                  "subsampling). Default 0.")
    network: str = Field(
        min_length=1,
        description="A bundled network name (`four_roads`) or the path of a network folder "
                    "(`./my_network`, `nets/x`, or absolute), relative to the scenario file. A "
                    "bare name that is both a bundled network and a folder next to the scenario "
                    "is an error; write `./name` for the folder. Required.")
    edits: Edits = Field(default_factory=Edits, description="Changes to the network.")
    horizon: Horizon = Field(description="The planning window. Required.")
    demand: Demand = Field(description="What has to move. Required.")
    task: Task = Field(default_factory=Task, description="What to compute. Default: route, cheapest.")
    outputs: Outputs = Field(default_factory=Outputs, description="Where and what to write.")
    variants: tuple[Variant, ...] = Field(
        default=(),
        description="Options to compare with this scenario (`silkroad compare`), each a name "
                    "and overrides of any field. Default: none.")
    uncertainty: Uncertainty | None = Field(
        default=None,
        description="Distributions of dwell and running times for Monte-Carlo runs "
                    "(`silkroad sweep --samples`) and for replaying the plan "
                    "(`task.reliability_samples`, `silkroad run --reliability`). Default: none.")

    @field_validator("variants")
    @classmethod
    def _unique_variants(cls, value: tuple[Variant, ...]) -> tuple[Variant, ...]:
        names = [v.name for v in value]
        repeated = next((n for i, n in enumerate(names) if n in names[:i]), None)
        if repeated is not None:
            raise ValueError(f"two variants are named '{repeated}'")
        return value


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    schema = Scenario.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema, "title": "silkroad-routing scenario"}

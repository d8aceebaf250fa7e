"""``sr.consolidate``: pack a routed plan's shipments into units, and price the plan by its units.

Leg-departures
    Consolidation happens per *leg-departure*: the shipments riding one leg (between two
    consecutive stops) of one service departure, or one link (a truck leg) within one time
    window. A truck group is the shipments on the same link whose routed departures fall in the
    same ``truck_window_h``-hour window counted from the plan's start (24 h by default: one
    consolidated truck run per link and day; the plan's times are not changed). Shipments that
    share their first legs (the same truck to CGO, the same train to Qingdao) share units on
    those legs and part where their routes part. Each leg-departure is packed on its own, so a
    shipment's units may differ leg by leg (a pallet built at CGO is not the trailer that
    brought the cargo); consecutive legs carrying the same shipments get the same units.

Units
    The mode's units (:data:`~silkroad_routing.consolidation.DEFAULT_UNITS`): containers on rail
    and sea, trailers on the road, ULDs on air; cold chain in reefers where the mode has one;
    cargo classes segregated by :class:`~silkroad_routing.model.equipment.SegregationRules`
    (dangerous goods alone). See :mod:`~silkroad_routing.consolidation.pack` for full loads,
    pieces, FFD or exact packing, and right-sizing.

Price
    A unit's *full price* is the leg's tariff (the rate vector of
    :mod:`~silkroad_routing.compile.tariffs`, distance share and gauge-change transshipment
    included) applied to the unit as one consignment: ``feu`` = TEU / 2 and ``truck`` = TEU / 2
    for a container, one truck (and one FEU) for a trailer, none for a ULD; ``kg_chargeable``,
    ``kg`` and ``wm`` of its cargo. Its *part-load price* is what its cargo paid as routed.
    With ``part_load_fallback`` (default) a unit pays the smaller of the two -- a forwarder
    buys the box, or tenders a thin load to a co-loader as LCL / part load -- except a full
    load's own unit, which pays its full price. Handling (per tonne) is unchanged.

Allocation
    A unit priced as a unit splits its cost pro rata over its pieces by the quantity its
    mode's part-load tariff charges: chargeable kg in a ULD, revenue tonnes (W/M, the larger of
    tonnes and m3) in a container or trailer. A unit priced as part loads charges each piece
    what it paid as routed. Either way every shipment-leg is allocated exactly once, and the
    allocations of a unit add up to its cost.

Vehicles
    :mod:`~silkroad_routing.consolidation.carriers`: block-train make-up per rail leg-departure,
    freighter load per flight, TEU capacity per sailing; overflow is reported, its units stay
    priced.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

import numpy as np
import pandas as pd

from ..compile.problem import Problem, as_problem
from ..compile.shipments import Shipments
from ..compile.tariffs import N_QUANTITIES
from ..compile.timetable import Timetable
from ..errors import InputError
from ..io import load_equipment
from ..model import CargoClass, Costs, Network, SolverParams
from ..model.equipment import AircraftType, EquipmentCatalog, SegregationRules, UnitType
from ..plan import Plan, vehicle_legs
from ..solvers.train_makeup import EU_MAX_TRAIN_LENGTH_M
from ..units import Mode, feu_count, is_full_container_load
from .carriers import (
    CHINA_EUROPE_MAX_TRAIN_LOAD_KG,
    CarrierLoad,
    TrainLimits,
    load_aircraft,
    load_ship,
    load_train,
    unchecked,
)
from .choice import ResolvedChoice, UnitChoice, resolve_units
from .pack import LegPacking, pack_leg
from .price import Columns, price_units, unit_quantities
from .result import Consolidation
from .tables import LEG_TEXT, assemble, departure_row, members

#: Freighter flown when the caller names none (source ``boeing_748f`` in the catalog).
DEFAULT_AIRCRAFT = "B748F"
#: Wagons of a block train by default: the 80-foot articulated Sggrss (two FEU).
DEFAULT_WAGONS: tuple[str, ...] = ("SGGRSS80",)
#: Exact packing (CP-SAT) is tried up to this many pieces per leg-departure.
EXACT_MAX_ITEMS = 150
#: Seconds each CP-SAT call (packing, train make-up, freighter load) may take by default.
DEFAULT_TIME_LIMIT_S = 10.0
#: Modes whose tariffs sell full loads (FEU or truck): full loads keep their own units there.
_FULL_LOAD_MODES = frozenset({Mode.RAIL, Mode.SEA, Mode.ROAD})
_T = TypeVar("_T")


def consolidate(
    network: Network | Problem,
    plan: Plan,
    shipments: Shipments | None = None,
    *,
    equipment: EquipmentCatalog | None = None,
    units: Mapping[Mode | str, UnitChoice] | None = None,
    rules: SegregationRules | None = None,
    aircraft: str | Mapping[str, str] = DEFAULT_AIRCRAFT,
    wagons: Sequence[str] = DEFAULT_WAGONS,
    max_train_length_m: float = EU_MAX_TRAIN_LENGTH_M,
    max_train_load_kg: float | None = CHINA_EUROPE_MAX_TRAIN_LOAD_KG,
    max_train_trailing_weight_kg: float | None = None,
    truck_window_h: float = 24.0,
    part_load_fallback: bool = True,
    exact: bool = False,
    exact_max_items: int = EXACT_MAX_ITEMS,
    params: SolverParams | None = None,
    costs: Costs | None = None,
) -> Consolidation:
    """Consolidate a routed plan into units, per leg-departure (see the module docstring).

    ``network`` is the network the plan was routed on and ``shipments`` its shipments (records
    or a DataFrame, as for :func:`~silkroad_routing.route`), prepared on the plan's horizon
    with ``costs``; or ``network`` is the prepared Problem the plan was routed on (its
    timetable is reused, not compiled again). With several options per shipment
    the plan's :meth:`~silkroad_routing.Plan.selected` options are consolidated.
    ``equipment`` is the catalog (default: the bundled one); ``units`` overrides the unit
    choice of some modes (:data:`~silkroad_routing.consolidation.DEFAULT_UNITS`); ``rules`` the
    segregation rules. ``aircraft`` is the freighter type code of every flight, or a mapping
    service id -> code (others: :data:`DEFAULT_AIRCRAFT`); ``wagons`` the wagon type codes of
    block trains, ``max_train_length_m`` (locomotive included), ``max_train_load_kg``
    (containers' gross, None = no limit) and ``max_train_trailing_weight_kg`` (None = no limit)
    their limits. ``truck_window_h`` groups truck legs; ``part_load_fallback`` lets a thin unit
    pay its part-load price. ``exact`` packs leg-departures of at most ``exact_max_items``
    pieces by CP-SAT; ``params.time_limit_s`` bounds each CP-SAT call (packing, train make-up,
    freighter load; :data:`DEFAULT_TIME_LIMIT_S` by default), ``params.seed`` seeds them
    (single-threaded: deterministic unless a limit is hit). The costs' chargeable-weight
    divisor must be the one the plan was routed with.

    Raises :class:`InputError` for a shipment of the plan that is not in ``shipments``, a leg
    not in the network's timetable, unknown equipment codes or bad parameters.
    """
    params = SolverParams(time_limit_s=DEFAULT_TIME_LIMIT_S) if params is None else params
    if not isinstance(params, SolverParams):
        raise InputError("must be a SolverParams", field="params", value=type(params).__name__)
    if isinstance(network, Problem):
        problem = as_problem(network, shipments, costs=costs)
    else:  # the plan's horizon, with the candidate services a design may have opened
        problem = as_problem(network, shipments, start=plan.start, days=plan.days, costs=costs,
                             include_optional=True)
    for name, value in (("truck_window_h", truck_window_h),
                        ("max_train_length_m", max_train_length_m)):
        if not (math.isfinite(value) and value > 0):
            raise InputError("must be positive and finite", field=name, value=value)
    if exact_max_items < 0:
        raise InputError("must be non-negative", field="exact_max_items", value=exact_max_items)
    catalog = equipment if equipment is not None else load_equipment()
    rules = rules or SegregationRules()
    setup = _Setup(
        network=problem.network, choices=resolve_units(catalog, units), rules=rules,
        limits=TrainLimits(tuple(_typed(catalog.wagon, c, "wagons") for c in wagons),
                           max_train_length_m, max_train_load_kg, max_train_trailing_weight_kg),
        planes=_aircraft_of(catalog, aircraft),
        group_names=["+".join(sorted(str(c) for c in g)) for g in rules.groups],
        divisor_cm3_per_kg=problem.costs.chargeable_divisor_cm3_per_kg,
        part_load_fallback=part_load_fallback, exact=exact, exact_max_items=exact_max_items,
        time_limit_s=params.time_limit_s, seed=params.seed)
    legs = vehicle_legs(plan.selected().legs).reset_index(drop=True)
    leg = _leg_inputs(problem, plan, legs, rules)
    keys, departures = _leg_departure_keys(plan, legs, truck_window_h)

    # Leg-departures in order of their first departure, then key.
    frame = pd.DataFrame({"key": keys, "dep": leg.hours})
    first = frame.groupby("key", sort=True)["dep"].min().sort_values(kind="stable")
    rows_of = frame.groupby("key", sort=False).indices
    unit_parts: list[Columns] = []
    piece_parts: list[Columns] = []
    departure_rows: list[dict[str, object]] = []
    for key in first.index:
        rows = np.sort(rows_of[key])
        unit_cols, piece_cols, packed, carrier = _leg_departure(setup, leg, key, rows)
        unit_parts.append(unit_cols)
        piece_parts.append(piece_cols)
        departure_rows.append(departure_row(key, departures[rows[0]], leg.text, leg.hours, rows,
                                            packed, unit_cols, carrier, leg.freight, exact,
                                            exact_max_items))
    return assemble(plan.start, legs, unit_parts, piece_parts, departure_rows)


@dataclass
class _Setup:
    """What every leg-departure is consolidated with: the network, unit choices, segregation
    rules, train limits, aircraft per service and solver settings; trains seen (a cache)."""

    network: Network
    choices: dict[Mode, ResolvedChoice]
    rules: SegregationRules
    limits: TrainLimits
    planes: Callable[[str], AircraftType]
    group_names: list[str]
    divisor_cm3_per_kg: float
    part_load_fallback: bool
    exact: bool
    exact_max_items: int
    time_limit_s: float
    seed: int
    train_cache: dict[tuple, CarrierLoad] = field(default_factory=dict)


@dataclass(frozen=True)
class _LegInputs:
    """Per leg of the plan (n): its rate vector (n x 6), shipment's weight, volume, cargo
    group and full-load units, shipment id, text columns (:data:`LEG_TEXT`), routed departure
    (hours from the plan's start) and routed freight (USD)."""

    rates: np.ndarray
    weight: np.ndarray
    volume: np.ndarray
    group: np.ndarray
    full_units: np.ndarray
    shipment_ids: np.ndarray
    text: dict[str, np.ndarray]
    hours: np.ndarray
    freight: np.ndarray


def _leg_inputs(problem: Problem, plan: Plan, legs: pd.DataFrame,
                rules: SegregationRules) -> _LegInputs:
    table = problem.shipments.table
    row = pd.Index(table.id).get_indexer(legs["shipment_id"])
    if (row < 0).any():
        raise InputError("the plan has a shipment that is not among the shipments given",
                         field="shipments",
                         value=sorted(set(legs["shipment_id"]) - set(table.id))[0])
    weight, volume, units = (table.weight_kg[row], table.volume_m3[row],
                             table.units_feu[row].tolist())
    groups = {c: rules.group_of(CargoClass(c)) for c in set(table.cargo_class.tolist())}
    full = [feu_count(w, v, u) if is_full_container_load(w, v, u) else 0
            for w, v, u in zip(weight.tolist(), volume.tolist(), units, strict=True)]
    return _LegInputs(
        rates=_leg_rates(problem.timetable, legs),
        weight=weight,
        volume=volume,
        group=np.array([groups[c] for c in table.cargo_class[row].tolist()], dtype=np.int64),
        full_units=np.array(full, dtype=np.int64),
        shipment_ids=legs["shipment_id"].to_numpy(dtype=object),
        text={c: legs[c].to_numpy(dtype=object) for c in LEG_TEXT},
        hours=_hours(plan, legs),
        freight=legs["freight_usd"].to_numpy(dtype=np.float64),
    )


def _leg_departure(setup: _Setup, leg: _LegInputs, key: str, rows: np.ndarray,
                   ) -> tuple[Columns, Columns, LegPacking, CarrierLoad]:
    """Pack, price and load one leg-departure (the legs ``rows``): its unit and piece columns,
    its packing and its vehicle load."""
    head = int(rows[0])
    mode = Mode(leg.text["mode"][head])
    rate = leg.rates[head]
    rules = setup.rules
    choice = setup.choices[mode]
    types = [choice.for_group(rules.needs_reefer(g)) for g in range(len(rules.groups))]
    divisor = setup.divisor_cm3_per_kg

    def price(t: UnitType, kg: float, m3: float) -> float:
        return float(rate @ unit_quantities(t, kg, m3, divisor))

    fcl = leg.full_units[rows] if mode in _FULL_LOAD_MODES else np.zeros(rows.size, np.int64)
    packed = pack_leg(leg.weight[rows], leg.volume[rows], leg.group[rows], fcl, types, price,
                      exact=setup.exact, exact_max_items=setup.exact_max_items,
                      time_limit_s=setup.time_limit_s, seed=setup.seed)
    unit_cols, piece_cols = price_units(packed, rows, leg.freight, price,
                                        setup.part_load_fallback, divisor)
    service_id = str(leg.text["service_id"][head])
    carrier = _carrier(setup, mode, service_id, packed, unit_cols["gross_kg"])
    ids = np.array([f"{key}#{b + 1}" for b in range(packed.n_units)], dtype=object)
    in_unit = members(piece_cols["row"], piece_cols["unit"], leg.shipment_ids, packed.n_units)
    unit_cols.update(
        leg_departure=np.full(packed.n_units, key, dtype=object), unit_id=ids,
        mode=np.full(packed.n_units, str(mode), dtype=object),
        cargo_group=np.array([setup.group_names[g] for g in packed.unit_group.tolist()],
                             dtype=object),
        shipments=np.array([";".join(m) for m in in_unit], dtype=object),
        n_shipments=np.array([len(m) for m in in_unit], dtype=np.int64),
        position=np.array(carrier.position, dtype=object), overflow=carrier.overflow)
    piece_cols.update(leg_departure=np.full(piece_cols["row"].size, key, dtype=object),
                      unit_id=ids[piece_cols["unit"]])
    return unit_cols, piece_cols, packed, carrier


def _carrier(setup: _Setup, mode: Mode, service_id: str, packed: LegPacking,
             gross: np.ndarray) -> CarrierLoad:
    """The vehicle check of a leg-departure's units: train make-up, freighter load or ship."""
    service = setup.network.service_by_id.get(service_id) if service_id else None
    if mode is Mode.RAIL:
        return load_train(packed.unit_type, gross, service.capacity_teu if service else None,
                          setup.limits, time_limit_s=setup.time_limit_s, seed=setup.seed,
                          cache=setup.train_cache)
    if mode is Mode.AIR:
        return load_aircraft(packed.unit_type, gross, setup.planes(service_id),
                             service.capacity_kg if service else None,
                             time_limit_s=setup.time_limit_s, seed=setup.seed)
    if mode is Mode.SEA:
        return load_ship(packed.unit_type, service.capacity_teu if service else None)
    return unchecked(packed.n_units)


def _typed(getter: Callable[[str], _T], code: str, field: str) -> _T:
    try:
        return getter(code)
    except KeyError:
        raise InputError("no such type in the equipment catalog", field=field,
                         value=code) from None


def _aircraft_of(catalog: EquipmentCatalog,
                 aircraft: str | Mapping[str, str]) -> Callable[[str], AircraftType]:
    """``service id -> AircraftType`` from a code or a mapping (validated now)."""
    if isinstance(aircraft, str):
        plane = _typed(catalog.aircraft_type, aircraft, "aircraft")
        return lambda _service_id: plane
    default = _typed(catalog.aircraft_type, DEFAULT_AIRCRAFT, "aircraft")
    by_service = {s: _typed(catalog.aircraft_type, c, f"aircraft.{s}")
                  for s, c in aircraft.items()}
    return lambda service_id: by_service.get(service_id, default)


def _leg_rates(tt: Timetable, legs: pd.DataFrame) -> np.ndarray:
    """Rate vector of every leg (n x 6): the prepared timetable's, so that distance shares and
    gauge-change transshipments are exactly those the router priced."""
    rates = np.zeros((len(legs), N_QUANTITIES))
    if legs.empty:
        return rates
    codes = np.array(tt.hub_codes, dtype=object)
    departure_ids = np.array(tt.departure_ids, dtype=object)
    conn = pd.DataFrame({"departure_id": departure_ids[tt.conn_trip],
                         "from_hub": codes[tt.conn_from], "to_hub": codes[tt.conn_to],
                         "conn": np.arange(tt.n_connections)})
    link_pos = pd.DataFrame({"link_id": np.array(tt.link_ids, dtype=object)[tt.link_ref],
                             "pos": np.arange(tt.n_links)})
    service = (legs["kind"] == "service").to_numpy()
    on_conn = legs.loc[service, ["departure_id", "from_hub", "to_hub"]].merge(
        conn, how="left", on=["departure_id", "from_hub", "to_hub"], validate="many_to_one")
    on_link = legs.loc[~service, ["link_id"]].merge(link_pos, how="left", on="link_id",
                                                    validate="many_to_one")
    for what, found in (("departure_id", on_conn["conn"]), ("link_id", on_link["pos"])):
        if found.isna().any():
            column = legs.loc[service if what == "departure_id" else ~service, what]
            raise InputError("a leg of the plan is not in the network's timetable (route and "
                             "consolidate on the same network)", field=what,
                             value=column.iloc[int(np.flatnonzero(found.isna())[0])])
    rates[service] = tt.conn_rate[on_conn["conn"].to_numpy(dtype=np.int64)]
    rates[~service] = tt.link_rate[on_link["pos"].to_numpy(dtype=np.int64)]
    return rates


def _hours(plan: Plan, legs: pd.DataFrame) -> np.ndarray:
    """Routed departure of every leg, hours from the plan's start."""
    return ((legs["departure"] - pd.Timestamp(plan.start)) / pd.Timedelta(hours=1)).to_numpy(
        dtype=np.float64)


def _leg_departure_keys(plan: Plan, legs: pd.DataFrame,
                        truck_window_h: float) -> tuple[np.ndarray, np.ndarray]:
    """Per leg: its leg-departure key ``<departure>/<from>><to>`` and its departure label."""
    service = (legs["kind"] == "service").to_numpy()
    hours = _hours(plan, legs)
    window = np.floor(hours / truck_window_h + 1e-9).astype(np.int64)
    labels = {w: (plan.start + timedelta(hours=float(w) * truck_window_h)).strftime(
        "%Y-%m-%dT%H:%MZ") for w in np.unique(window[~service]).tolist()}
    departure = np.where(
        service, legs["departure_id"].to_numpy(dtype=object),
        [f"{link}@{labels[w]}" if not s else "" for link, w, s in
         zip(legs["link_id"].tolist(), window.tolist(), service.tolist(), strict=True)])
    key = np.array([f"{d}/{a}>{b}" for d, a, b in zip(
        departure.tolist(), legs["from_hub"].tolist(), legs["to_hub"].tolist(), strict=True)],
        dtype=object)
    return key, departure



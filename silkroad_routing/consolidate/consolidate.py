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
    The mode's units (:data:`~silkroad_routing.consolidate.DEFAULT_UNITS`): containers on rail
    and sea, trailers on the road, ULDs on air; cold chain in reefers where the mode has one;
    cargo classes segregated by :class:`~silkroad_routing.model.equipment.SegregationRules`
    (dangerous goods alone). See :mod:`~silkroad_routing.consolidate.pack` for full loads,
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
    :mod:`~silkroad_routing.consolidate.carriers`: block-train make-up per rail leg-departure,
    freighter load per flight, TEU capacity per sailing; overflow is reported, its units stay
    priced.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

import numpy as np
import pandas as pd

from ..compile.tariffs import (
    N_QUANTITIES,
    Q_FEU,
    Q_KG,
    Q_KG_CHARGEABLE,
    Q_TRUCK,
    Q_WM,
)
from ..compile.timetable import compile_timetable
from ..errors import InputError
from ..io import load_equipment
from ..model import Network, Shipment
from ..model.equipment import AircraftType, EquipmentCatalog, SegregationRules, UnitKind, UnitType
from ..plan import Plan
from ..routing.shipments import as_records
from ..solvers.train_makeup import EU_MAX_TRAIN_LENGTH_M
from ..units import (
    AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
    TEU_PER_FEU,
    Mode,
    chargeable_weight_kg,
    feu_count,
    is_full_container_load,
)
from .carriers import (
    CHINA_EUROPE_MAX_TRAIN_LOAD_KG,
    CarrierLoad,
    TrainLimits,
    load_aircraft,
    load_ship,
    load_train,
    unchecked,
)
from .choice import UnitChoice, resolve_units
from .pack import LegPacking, UnitPrice, pack_leg
from .result import (
    ALLOCATION_COLUMNS,
    DEPARTURE_COLUMNS,
    PRICED_AS_PART_LOAD,
    PRICED_AS_UNIT,
    SHIPMENT_COLUMNS,
    UNIT_COLUMNS,
    Consolidation,
    as_number,
    empty_frame,
)

#: Freighter flown when the caller names none (source ``boeing_748f`` in the catalog).
DEFAULT_AIRCRAFT = "B748F"
#: Wagons of a block train by default: the 80-foot articulated Sggrss (two FEU).
DEFAULT_WAGONS: tuple[str, ...] = ("SGGRSS80",)
#: Exact packing (CP-SAT) is tried up to this many pieces per leg-departure.
EXACT_MAX_ITEMS = 150
#: Modes whose tariffs sell full loads (FEU or truck): full loads keep their own units there.
_FULL_LOAD_MODES = frozenset({Mode.RAIL, Mode.SEA, Mode.ROAD})
_T = TypeVar("_T")
#: Leg columns copied to the departures table.
_LEG_TEXT = ("kind", "mode", "service_id", "link_id", "from_hub", "to_hub")
#: Table columns under construction: name -> array.
Columns = dict[str, np.ndarray]


def unit_quantities(unit: UnitType, kg: float, m3: float,
                    divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG) -> np.ndarray:
    """Quantities of one unit over the tariff columns (float64[6]): priced as one full load."""
    q = np.zeros(N_QUANTITIES)
    q[Q_KG_CHARGEABLE] = chargeable_weight_kg(kg, m3, divisor_cm3_per_kg)
    q[Q_KG] = kg
    q[Q_WM] = max(kg / 1000.0, m3)
    if unit.teu is not None:  # a container: per FEU, one truck per FEU
        q[Q_FEU] = q[Q_TRUCK] = unit.teu / TEU_PER_FEU
    elif unit.kind is UnitKind.TRAILER:
        q[Q_FEU] = q[Q_TRUCK] = 1.0
    return q


def consolidate(
    network: Network,
    plan: Plan,
    shipments: Iterable[Shipment] | pd.DataFrame,
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
    time_limit_s: float = 10.0,
    chargeable_divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
    seed: int = 0,
) -> Consolidation:
    """Consolidate a routed plan into units, per leg-departure (see the module docstring).

    ``network`` is the network the plan was routed on and ``shipments`` its shipments (records
    or a DataFrame, as for :func:`~silkroad_routing.route`); with several options per shipment
    the plan's :meth:`~silkroad_routing.Plan.selected` options are consolidated.
    ``equipment`` is the catalog (default: the bundled one); ``units`` overrides the unit
    choice of some modes (:data:`~silkroad_routing.consolidate.DEFAULT_UNITS`); ``rules`` the
    segregation rules. ``aircraft`` is the freighter type code of every flight, or a mapping
    service id -> code (others: :data:`DEFAULT_AIRCRAFT`); ``wagons`` the wagon type codes of
    block trains, ``max_train_length_m`` (locomotive included), ``max_train_load_kg``
    (containers' gross, None = no limit) and ``max_train_trailing_weight_kg`` (None = no limit)
    their limits. ``truck_window_h`` groups truck legs; ``part_load_fallback`` lets a thin unit
    pay its part-load price. ``exact`` packs leg-departures of at most ``exact_max_items``
    pieces by CP-SAT; ``time_limit_s`` bounds each CP-SAT call (packing, train make-up,
    freighter load), ``seed`` seeds them (single-threaded: deterministic unless a limit is
    hit). ``chargeable_divisor_cm3_per_kg`` must be the one the plan was routed with.

    Raises :class:`InputError` for a shipment of the plan that is not in ``shipments``, a leg
    not in the network's timetable, unknown equipment codes or bad parameters.
    """
    for name, value in (("truck_window_h", truck_window_h), ("time_limit_s", time_limit_s),
                        ("chargeable_divisor_cm3_per_kg", chargeable_divisor_cm3_per_kg),
                        ("max_train_length_m", max_train_length_m)):
        if not (math.isfinite(value) and value > 0):
            raise InputError("must be positive and finite", field=name, value=value)
    if exact_max_items < 0:
        raise InputError("must be non-negative", field="exact_max_items", value=exact_max_items)
    catalog = equipment if equipment is not None else load_equipment()
    choices = resolve_units(catalog, units)
    rules = rules or SegregationRules()
    limits = TrainLimits(tuple(_typed(catalog.wagon, c, "wagons") for c in wagons),
                         max_train_length_m, max_train_load_kg, max_train_trailing_weight_kg)
    planes = _aircraft_of(catalog, aircraft)
    records = {s.id: s for s in as_records(shipments)}

    legs = plan.selected().legs.reset_index(drop=True)
    missing = sorted(set(legs["shipment_id"]) - set(records))
    if missing:
        raise InputError("the plan has a shipment that is not among the shipments given",
                         field="shipments", value=missing[0])
    rates = _leg_rates(network, plan, legs)
    keys, departures = _leg_departure_keys(plan, legs, truck_window_h)
    ship = [records[s] for s in legs["shipment_id"]]
    weight = np.array([s.weight_kg for s in ship], dtype=np.float64)
    volume = np.array([s.volume_m3 for s in ship], dtype=np.float64)
    group = np.array([rules.group_of(s.cargo_class) for s in ship], dtype=np.int64)
    full_units = np.array([feu_count(s.weight_kg, s.volume_m3, s.units_feu)
                           if is_full_container_load(s.weight_kg, s.volume_m3, s.units_feu)
                           else 0 for s in ship], dtype=np.int64)
    group_names = ["+".join(sorted(str(c) for c in g)) for g in rules.groups]
    shipment_ids = legs["shipment_id"].to_numpy(dtype=object)
    text = {c: legs[c].to_numpy(dtype=object) for c in _LEG_TEXT}
    hours = _hours(plan, legs)
    freight = legs["freight_usd"].to_numpy(dtype=np.float64)

    # Leg-departures in order of their first departure, then key.
    frame = pd.DataFrame({"key": keys, "dep": hours})
    first = frame.groupby("key", sort=True)["dep"].min().sort_values(kind="stable")
    rows_of = frame.groupby("key", sort=False).indices
    train_cache: dict[tuple, CarrierLoad] = {}
    unit_parts: list[Columns] = []
    piece_parts: list[Columns] = []
    departure_rows: list[dict[str, object]] = []
    for key in first.index:
        rows = np.sort(rows_of[key])
        head = int(rows[0])
        mode = Mode(text["mode"][head])
        rate = rates[head]
        choice = choices[mode]
        types = [choice.for_group(rules.needs_reefer(g)) for g in range(len(rules.groups))]

        def price(t: UnitType, kg: float, m3: float, rate: np.ndarray = rate) -> float:
            return float(rate @ unit_quantities(t, kg, m3, chargeable_divisor_cm3_per_kg))

        fcl = full_units[rows] if mode in _FULL_LOAD_MODES else np.zeros(rows.size, np.int64)
        packed = pack_leg(weight[rows], volume[rows], group[rows], fcl, types, price,
                          exact=exact, exact_max_items=exact_max_items,
                          time_limit_s=time_limit_s, seed=seed)
        unit_cols, piece_cols = _price_units(packed, rows, freight, price, part_load_fallback,
                                             chargeable_divisor_cm3_per_kg)
        service_id = str(text["service_id"][head])
        service = network.service_by_id.get(service_id) if service_id else None
        gross = unit_cols["gross_kg"]
        if mode is Mode.RAIL:
            carrier = load_train(packed.unit_type, gross,
                                 service.capacity_teu if service else None, limits,
                                 time_limit_s=time_limit_s, seed=seed, cache=train_cache)
        elif mode is Mode.AIR:
            carrier = load_aircraft(packed.unit_type, gross, planes(service_id),
                                    service.capacity_kg if service else None,
                                    time_limit_s=time_limit_s, seed=seed)
        elif mode is Mode.SEA:
            carrier = load_ship(packed.unit_type, service.capacity_teu if service else None)
        else:
            carrier = unchecked(packed.n_units)
        ids = np.array([f"{key}#{b + 1}" for b in range(packed.n_units)], dtype=object)
        members = _members(piece_cols["row"], piece_cols["unit"], shipment_ids, packed.n_units)
        unit_cols.update(
            leg_departure=np.full(packed.n_units, key, dtype=object), unit_id=ids,
            mode=np.full(packed.n_units, str(mode), dtype=object),
            cargo_group=np.array([group_names[g] for g in packed.unit_group.tolist()],
                                 dtype=object),
            shipments=np.array([";".join(m) for m in members], dtype=object),
            n_shipments=np.array([len(m) for m in members], dtype=np.int64),
            position=np.array(carrier.position, dtype=object), overflow=carrier.overflow)
        unit_parts.append(unit_cols)
        piece_cols.update(leg_departure=np.full(piece_cols["row"].size, key, dtype=object),
                          unit_id=ids[piece_cols["unit"]])
        piece_parts.append(piece_cols)
        departure_rows.append(_departure_row(key, departures[head], text, hours, rows, packed,
                                             unit_cols, carrier, freight, exact, exact_max_items))
    return _assemble(plan.start, legs, unit_parts, piece_parts, departure_rows)


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


def _leg_rates(network: Network, plan: Plan, legs: pd.DataFrame) -> np.ndarray:
    """Rate vector of every leg (n x 6): the compiled timetable's, so that distance shares and
    gauge-change transshipments are exactly those the router priced."""
    rates = np.zeros((len(legs), N_QUANTITIES))
    if legs.empty:
        return rates
    tt = compile_timetable(network, plan.start, plan.days, include_optional=True)
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


def _price_units(packed: LegPacking, rows: np.ndarray, freight: np.ndarray,
                 price: UnitPrice, part_load_fallback: bool,
                 divisor: float) -> tuple[Columns, Columns]:
    """Unit prices (full, part load, chosen) and the allocation of each unit's cost."""
    n = packed.n_units
    kg, m3 = packed.unit_kg, packed.unit_m3
    full = np.array([price(t, float(kg[b]), float(m3[b]))
                     for b, t in enumerate(packed.unit_type)])
    piece_routed = freight[rows[packed.piece_row]] * packed.piece_share
    part_load = np.bincount(packed.piece_unit, weights=piece_routed, minlength=n)
    # Ties (within rounding) stay priced as units.
    as_part_load = (part_load_fallback & ~packed.unit_dedicated
                    & (part_load < full - 1e-9 * np.maximum(1.0, full))
                    if n else np.zeros(0, dtype=bool))
    cost = np.where(as_part_load, part_load, full)
    # Pro rata key of a piece: chargeable kg in a ULD, revenue tonnes elsewhere.
    uld = np.array([t.kind in (UnitKind.ULD_PALLET, UnitKind.ULD_CONTAINER)
                    for t in packed.unit_type], dtype=bool)
    p_uld = uld[packed.piece_unit] if n else np.zeros(0, dtype=bool)
    chargeable = np.maximum(packed.piece_kg, packed.piece_m3 * 1_000_000.0 / divisor)
    key = np.where(p_uld, chargeable, np.maximum(packed.piece_kg / 1000.0, packed.piece_m3))
    key_total = np.bincount(packed.piece_unit, weights=key, minlength=n)
    count = np.bincount(packed.piece_unit, minlength=n)
    u = packed.piece_unit
    share = np.where(key_total[u] > 0, key / np.where(key_total[u] > 0, key_total[u], 1.0),
                     1.0 / count[u])
    allocated = np.where(as_part_load[u], piece_routed, cost[u] * share) if n else piece_routed
    payload = np.array([t.payload_kg for t in packed.unit_type], dtype=np.float64)
    volume = np.array([t.volume_m3 for t in packed.unit_type], dtype=np.float64)
    fill_kg, fill_m3 = kg / payload, m3 / volume
    units = {
        "unit_type": np.array([t.code for t in packed.unit_type], dtype=object),
        "unit_kind": np.array([str(t.kind) for t in packed.unit_type], dtype=object),
        "reefer": np.array([t.reefer for t in packed.unit_type], dtype=bool),
        "dedicated": packed.unit_dedicated,
        "kg": kg, "m3": m3, "payload_kg": payload, "volume_m3": volume,
        "fill_kg": fill_kg, "fill_m3": fill_m3, "fill": np.maximum(fill_kg, fill_m3),
        "gross_kg": kg + np.array([t.tare_kg or 0.0 for t in packed.unit_type]),
        "teu": np.array([t.teu or 0 for t in packed.unit_type], dtype=np.int64),
        "chargeable_kg": np.maximum(kg, m3 * 1_000_000.0 / divisor),
        "full_unit_usd": full, "part_load_usd": part_load, "cost_usd": cost,
        "priced_as": np.where(as_part_load, PRICED_AS_PART_LOAD, PRICED_AS_UNIT).astype(object),
    }
    pieces = {
        "row": rows[packed.piece_row], "unit": packed.piece_unit, "share": packed.piece_share,
        "kg": packed.piece_kg, "m3": packed.piece_m3, "routed_usd": piece_routed,
        "cost_usd": allocated,
    }
    return units, pieces


def _members(piece_row: np.ndarray, piece_unit: np.ndarray, shipment_ids: np.ndarray,
             n_units: int) -> list[list[str]]:
    """Shipment ids in each unit, in order of first appearance, without repeats."""
    out: list[list[str]] = [[] for _ in range(n_units)]
    seen: set[tuple[int, str]] = set()
    for row, unit in zip(piece_row.tolist(), piece_unit.tolist(), strict=True):
        sid = str(shipment_ids[row])
        if (unit, sid) not in seen:
            seen.add((unit, sid))
            out[unit].append(sid)
    return out


def _departure_row(key: str, departure: str, text: Columns, hours: np.ndarray, rows: np.ndarray,
                   packed: LegPacking, units: Columns, carrier: CarrierLoad,
                   freight: np.ndarray, exact: bool, exact_max_items: int) -> dict[str, object]:
    head = int(rows[0])
    n_pieces_loose = int((~packed.unit_dedicated[packed.piece_unit]).sum()) if packed.n_units \
        else 0
    dedicated = int(packed.unit_dedicated.sum())
    result = packed.exact
    if result is not None and result.packing is not None:
        exact_units, exact_bound = result.packing.n_bins + dedicated, result.lower_bound + dedicated
        status = str(result.status)
        scaled = result.scaled_exactly
    else:
        exact_units = exact_bound = None
        status = "skipped" if exact and n_pieces_loose > exact_max_items else (
            str(result.status) if result is not None else "")
        scaled = True
    bound = max(packed.lower_bound, exact_bound or 0)
    before = float(freight[rows].sum())
    after = float(units["cost_usd"].sum())
    extra = carrier.extra
    return {
        "leg_departure": key, "departure": departure,
        **{c: text[c][head] for c in _LEG_TEXT},
        "departure_time": float(hours[rows].min()),
        "shipments": int(rows.size), "kg": float(units["kg"].sum()),
        "m3": float(units["m3"].sum()), "units": packed.n_units, "teu": int(units["teu"].sum()),
        "dedicated_units": dedicated, "lower_bound": packed.lower_bound,
        "ffd_units": packed.ffd_units,
        "ffd_gap": (packed.ffd_units - packed.lower_bound) / packed.lower_bound
        if packed.lower_bound else 0.0,
        "exact_units": as_number(exact_units), "exact_bound": as_number(exact_bound),
        "exact_status": status,
        "gap": (packed.n_units - bound) / bound if bound else 0.0,
        "fill_kg": float(units["kg"].sum() / units["payload_kg"].sum()),
        "fill_m3": float(units["m3"].sum() / units["volume_m3"].sum()),
        "cost_before_usd": before, "cost_after_usd": after, "saving_usd": before - after,
        "units_part_load": int((units["priced_as"] == PRICED_AS_PART_LOAD).sum()),
        "wagons": as_number(extra.get("wagons")),
        "train_length_m": as_number(extra.get("train_length_m")),
        "trailing_weight_kg": as_number(extra.get("trailing_weight_kg")),
        "main_deck_positions": as_number(extra.get("main_deck_positions")),
        "lower_pallet_positions": as_number(extra.get("lower_pallet_positions")),
        "lower_container_positions": as_number(extra.get("lower_container_positions")),
        "payload_limit_kg": as_number(extra.get("payload_limit_kg")),
        "carrier_status": carrier.status,
        "overflow_units": int(carrier.overflow.sum()),
        "overflow_kg": float(units["kg"][carrier.overflow].sum()),
        "scaled_exactly": bool(scaled and carrier.scaled_exactly),
    }


def _concat(parts: list[Columns], columns: Sequence[str]) -> dict[str, np.ndarray]:
    return {c: np.concatenate([p[c] for p in parts]) for c in columns}


def _assemble(start: datetime, legs: pd.DataFrame, unit_parts: list[Columns], piece_parts: list[Columns],
              departure_rows: list[dict[str, object]]) -> Consolidation:
    if not departure_rows:
        return Consolidation(empty_frame(UNIT_COLUMNS), empty_frame(DEPARTURE_COLUMNS),
                             empty_frame(ALLOCATION_COLUMNS), empty_frame(SHIPMENT_COLUMNS))
    units = pd.DataFrame(_concat(unit_parts, UNIT_COLUMNS), columns=list(UNIT_COLUMNS))
    departures = pd.DataFrame(departure_rows, columns=list(DEPARTURE_COLUMNS))
    departures["departure_time"] = (pd.Timestamp(start) + pd.to_timedelta(
        departures["departure_time"], unit="h")).dt.round("us")
    pieces = _concat(piece_parts, ("row", "leg_departure", "unit_id", "share", "kg", "m3",
                                   "routed_usd", "cost_usd"))
    row = pieces["row"]
    allocation = pd.DataFrame({
        "shipment_id": legs["shipment_id"].to_numpy(dtype=object)[row],
        "leg": legs["leg"].to_numpy()[row],
        **{c: pieces[c] for c in ALLOCATION_COLUMNS[2:]},
    }, columns=list(ALLOCATION_COLUMNS)).sort_values(
        ["shipment_id", "leg", "unit_id"], kind="stable").reset_index(drop=True)
    per_leg = legs.groupby("shipment_id", sort=True).agg(
        routed_freight_usd=("freight_usd", "sum"), handling_usd=("handling_usd", "sum"),
        routed_cost_usd=("cost_usd", "sum"))
    freight = allocation.groupby("shipment_id", sort=True)["cost_usd"].sum()
    shipments = per_leg.assign(freight_usd=freight.reindex(per_leg.index).to_numpy())
    shipments["cost_usd"] = shipments["freight_usd"] + shipments["handling_usd"]
    shipments["saving_usd"] = shipments["routed_cost_usd"] - shipments["cost_usd"]
    shipments = shipments.reset_index()[list(SHIPMENT_COLUMNS)]
    return Consolidation(units, departures, allocation, shipments)

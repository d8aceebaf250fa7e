"""Independent references for service network design: checks and brute-force optima.

Nothing here uses ``silkroad_routing.compile``, ``core`` or ``solvers``: departures are expanded,
legs priced and routes enumerated from the Network records directly, and the optimum of a tiny
instance is found by enumerating every set of optional departures to open and, for each,
every combination of routes (or unserved) of the shipments, checked against the capacities.

Route rules (the model's definition of a route): a departure is boarded when the freight is
available at its stop at least the transfer's minimum connection time, and at least the
departing mode's acceptance cut-off, before it leaves (a shipment that has not moved yet needs
its export clearance plus the cut-off instead, and pays the export terminal charges), it is
ridden any number of stops, and the freight is available at a stop ``dwell_h`` after the
vehicle arrives there (at the destination, after its import clearance and release too, paying
the import terminal charges: ``networks/README.md``, process.csv); a link (truck) leaves as soon
as the freight is available plus the transfer time. A mode pair without a
transfer rule at a hub is not allowed there. Routes end at the destination and never come back
to a hub in the arriving mode they had there before (waiting beats that in every respect).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

import silkroad_routing as sr
from silkroad_routing.units import FEU_PAYLOAD_KG, FEU_USABLE_M3

START_STATE = "start"
TOL = 1e-6
#: Volume of one ULD position, m3 (a PMC pallet: data/equipment.csv).
POSITION_M3 = 11.52


@dataclass(frozen=True)
class Penalties:
    """Prices of the objective, as passed to ``sr.design``."""

    value_of_time_usd_per_h: float = 0.0
    value_of_time_pct_per_year: float = 0.0
    co2_price_usd_per_t: float = 0.0
    lateness_penalty_usd_per_t_h: float = 0.0
    unserved_penalty_usd_per_kg: float = 0.0

    def costs(self) -> sr.Costs:
        return sr.Costs(**self.__dict__)


# ---------------------------------------------------------------------------------------------
# Shipment sizes and tariffs
# ---------------------------------------------------------------------------------------------


def is_fcl(s: sr.Shipment) -> bool:
    return bool(s.units_feu) or max(s.volume_m3 / FEU_USABLE_M3, s.weight_kg / FEU_PAYLOAD_KG) >= 0.5


def feu(s: sr.Shipment) -> int:
    if s.units_feu:
        return s.units_feu
    return max(1, math.ceil(max(s.volume_m3 / FEU_USABLE_M3, s.weight_kg / FEU_PAYLOAD_KG) - 1e-9))


def wm(s: sr.Shipment) -> float:
    return max(s.weight_kg / 1000.0, s.volume_m3)


def teu(s: sr.Shipment) -> float:
    """Container space: whole FEUs for a full load, else the volume share of a TEU."""
    return 2.0 * feu(s) if is_fcl(s) else s.volume_m3 / (FEU_USABLE_M3 / 2.0)


def price(s: sr.Shipment, price_usd: float, basis: str, part_load: float | None,
          share: float) -> float:
    """A tariff (``price_usd`` per ``basis``) for shipment ``s``, times ``share``."""
    if basis == "kg_chargeable":
        return price_usd * share * max(s.weight_kg, s.volume_m3 * 1e6 / 6000.0)
    if basis == "kg":
        return price_usd * share * s.weight_kg
    if basis == "wm":
        return price_usd * share * wm(s)
    if is_fcl(s):
        return price_usd * share * feu(s)
    return (part_load or 0.0) * share * wm(s)


def transshipment(s: sr.Shipment, usd_per_feu: float) -> float:
    return usd_per_feu * feu(s) if is_fcl(s) else usd_per_feu / FEU_USABLE_M3 * wm(s)


# ---------------------------------------------------------------------------------------------
# Departures
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ride:
    """One leg of one departure, hours from the horizon start."""

    service: str
    departure_id: str
    leg: int
    from_hub: str
    to_hub: str
    mode: str
    dep: float
    arr: float
    km: float
    optional: bool


def expand(network: sr.Network, start: datetime, days: float) -> list[Ride]:
    """Every leg of every departure (optional ones too) whose first stop is in the horizon,
    and the legs inside the horizon of departures that left before it."""
    rides = []
    horizon_h = days * 24.0
    for s in network.services:
        day = start.date() - timedelta(days=40)
        while day <= (start + timedelta(days=days)).date():
            if day.weekday() in s.weekdays or day in s.dates:
                t0 = (datetime.combine(day, s.departure_time_utc, tzinfo=UTC) - start) / timedelta(hours=1)
                t = t0
                for i, leg_h in enumerate(s.leg_h):
                    if t0 < horizon_h and t >= 0:
                        rides.append(Ride(s.id, f"{s.id}@{day.isoformat()}", i, s.stops[i],
                                          s.stops[i + 1], str(s.mode), t, t + leg_h, s.leg_km[i],
                                          s.optional))
                    t += leg_h
                    if i + 1 < len(s.leg_h):
                        t += s.stop_dwell_h + network.hub(s.stops[i + 1]).dwell_h
            day += timedelta(days=1)
    return rides


def _process(network: sr.Network, hub: str, mode: str, stage: str) -> sr.model.ProcessRule | None:
    return network.process_rule(hub, sr.Mode(mode), sr.model.ProcessStage(stage))


def rule(network: sr.Network, hub: str, state: str, mode: str) -> tuple[float, float] | None:
    """(hours before the departure, handling USD per t) from an arriving state to a mode, or
    None: from the start the export clearance plus the cut-off, else the longer of the minimum
    connection and the cut-off."""
    acceptance = _process(network, hub, mode, "acceptance")
    cutoff = acceptance.hours if acceptance else 0.0
    if state == START_STATE:
        export = _process(network, hub, mode, "export")
        return (export.hours if export else 0.0) + cutoff, 0.0
    r = network.transfer_rule(hub, sr.Mode(state), sr.Mode(mode))
    return None if r is None else (max(r.min_connection_h, cutoff), r.handling_usd_per_t)


def terminal(network: sr.Network, s: sr.Shipment, hub: str, mode: str, stage: str) -> float:
    """The export or import terminal charges of ``s`` at ``hub`` (USD; 0 without a rule)."""
    r = _process(network, hub, mode, stage)
    return 0.0 if r is None else transshipment(s, r.usd_per_feu) + r.usd_per_kg * s.weight_kg


def release_h(network: sr.Network, hub: str, mode: str) -> float:
    """Import clearance and release at the destination ``hub`` after arriving by ``mode``."""
    r = _process(network, hub, mode, "import")
    return 0.0 if r is None else r.hours


# ---------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A route of one shipment: legs as (departure id or link id, leg index or -1, from hub,
    to hub, mode, departure h, arrival h), availability at the destination (h), its tariff
    (freight + handling, USD) and CO2e (kg)."""

    legs: tuple[tuple[str, int, str, str, str, float, float], ...]
    avail: float
    tariff: float
    co2e: float

    def rides(self) -> list[tuple[str, str]]:
        """(departure id, from hub) of each service leg."""
        return [(d, a) for d, leg, a, *_ in self.legs if leg >= 0]


def price_route(network: sr.Network, s: sr.Shipment, legs) -> tuple[float, float]:
    """Tariff and CO2e of shipment ``s`` on ``legs`` (as in :class:`Route`)."""
    tariff = co2 = 0.0
    state = START_STATE
    prev = None
    for ref, leg, a, b, mode, _dep, _arr in legs:
        if leg >= 0:
            svc = network.service_by_id[ref.split("@")[0]]
            total = sum(svc.leg_km)
            fare = price(s, svc.price_usd, svc.price_basis, svc.part_load_usd_per_wm,
                         svc.leg_km[leg] / total)
            to = network.hub(b)
            if svc.mode == "rail" and to.gauge_change and leg + 1 < len(svc.leg_h):
                fare += transshipment(s, to.transshipment_usd_per_feu)
            km, co2_tkm = svc.leg_km[leg], svc.co2e_kg_per_tkm
        else:
            x = network.link_by_id[ref]
            fare = price(s, x.price_usd, x.price_basis, x.part_load_usd_per_wm, 1.0)
            km, co2_tkm = x.distance_km, x.co2e_kg_per_tkm
        aboard = prev is not None and leg >= 0 and prev[1] >= 0 and prev[0] == ref and prev[1] + 1 == leg
        if not aboard:
            r = rule(network, a, state, mode)
            assert r is not None, f"no transfer rule {state}->{mode} at {a}"
            tariff += r[1] * s.weight_kg / 1000.0
            if state == START_STATE:
                tariff += terminal(network, s, a, mode, "export")
        tariff += fare
        # GLEC Framework v3: an air leg's CO2e is charged on its great circle + 95 km.
        co2 += co2_tkm * (km + 95.0 if mode == "air" else km) * s.weight_kg / 1000.0
        state = mode
        prev = (ref, leg)
    if legs:
        tariff += terminal(network, s, legs[-1][3], legs[-1][4], "import")
    return tariff, co2


def routes(network: sr.Network, rides: list[Ride], s: sr.Shipment, start: datetime,
           horizon_h: float) -> list[Route]:
    """Every route of ``s`` (module docstring) arriving by ``horizon_h``."""
    modes = {str(m) for m in s.modes}
    by_hub = defaultdict(list)
    for r in rides:
        by_hub[r.from_hub].append(r)
    next_leg = {(r.departure_id, r.leg): r for r in rides}
    out: list[Route] = []
    ready = (s.ready - start) / timedelta(hours=1)

    def walk(hub: str, state: str, avail: float, legs: list, seen: frozenset) -> None:
        if hub == s.destination and legs:
            tariff, co2 = price_route(network, s, legs)
            out.append(Route(tuple(legs), avail + release_h(network, hub, state), tariff, co2))
            return
        if (hub, state) in seen:
            return
        seen = seen | {(hub, state)}
        for r in by_hub[hub]:
            rl = rule(network, hub, state, r.mode)
            if r.mode not in modes or rl is None or avail + rl[0] > r.dep + 1e-9:
                continue
            ride: list = []
            cur: Ride | None = r
            while cur is not None:
                ride.append((cur.departure_id, cur.leg, cur.from_hub, cur.to_hub, cur.mode,
                             cur.dep, cur.arr))
                at = cur.arr + network.hub(cur.to_hub).dwell_h
                if at <= horizon_h:
                    walk(cur.to_hub, cur.mode, at, legs + ride, seen)
                cur = next_leg.get((cur.departure_id, cur.leg + 1))
        for x in network.links:
            rl = rule(network, hub, state, str(x.mode))
            if x.from_hub != hub or str(x.mode) not in modes or rl is None:
                continue
            dep = avail + rl[0]
            at = dep + x.duration_h + network.hub(x.to_hub).dwell_h
            if at <= horizon_h:
                walk(x.to_hub, str(x.mode), at,
                     [*legs, (x.id, -1, hub, x.to_hub, str(x.mode), dep, dep + x.duration_h)], seen)

    walk(s.origin, START_STATE, ready, [], frozenset())
    return out


def value_of_time_usd_per_h(s: sr.Shipment, pen: Penalties) -> float:
    return pen.value_of_time_usd_per_h + s.declared_value_usd * pen.value_of_time_pct_per_year / 100 / 8760


def route_cost(s: sr.Shipment, r: Route, start: datetime, pen: Penalties) -> float:
    """Everything one route costs: tariff, CO2 price, value of time, lateness."""
    ready = (s.ready - start) / timedelta(hours=1)
    due = math.inf if s.due is None else (s.due - start) / timedelta(hours=1)
    late = r.avail - due if r.avail - due > TOL else 0.0
    return (r.tariff + pen.co2_price_usd_per_t * r.co2e / 1000.0
            + value_of_time_usd_per_h(s, pen) * (r.avail - ready)
            + pen.lateness_penalty_usd_per_t_h * s.weight_kg / 1000.0 * late)


# ---------------------------------------------------------------------------------------------
# Feasibility and cost of a returned design
# ---------------------------------------------------------------------------------------------


def _hours(start: datetime, when: pd.Timestamp) -> float:
    return (when.to_pydatetime() - start) / timedelta(hours=1)


def plan_routes(network: sr.Network, design, shipments: list[sr.Shipment], start: datetime,
                days: float) -> dict[str, Route]:
    """The route of every served shipment of ``design.plan``, checked leg by leg against the
    network (service legs exist at the claimed times, consecutive legs meet, transfers have a
    rule and their minimum connection time, links leave when the freight is available) and
    priced independently. Asserts the plan's own times and totals agree."""
    schedule = {(r.departure_id, r.from_hub): r for r in expand(network, start, days)}
    out = {}
    rows = design.plan.shipments.set_index("shipment_id")
    for s in shipments:
        row = rows.loc[s.id]
        legs_df = design.plan.route_of(s.id)
        if not row["routed"]:
            assert legs_df.empty
            continue
        hub, state = s.origin, START_STATE
        avail = (s.ready - start) / timedelta(hours=1)
        legs = []
        prev = None
        for leg in legs_df.itertuples():
            dep, arr = _hours(start, leg.departure), _hours(start, leg.arrival)
            assert leg.from_hub == hub, f"{s.id}: leg starts at {leg.from_hub}, freight is at {hub}"
            assert leg.mode in {str(m) for m in s.modes}
            if leg.kind == "service":
                r = schedule[(leg.departure_id, leg.from_hub)]
                assert (r.to_hub, r.mode) == (leg.to_hub, leg.mode)
                assert math.isclose(r.dep, dep, abs_tol=1e-6) and math.isclose(r.arr, arr, abs_tol=1e-6)
                item = (r.departure_id, r.leg, r.from_hub, r.to_hub, r.mode, r.dep, r.arr)
            else:
                x = network.link_by_id[leg.link_id]
                assert (x.from_hub, x.to_hub, str(x.mode)) == (leg.from_hub, leg.to_hub, leg.mode)
                assert math.isclose(arr - dep, x.duration_h, abs_tol=1e-6)
                item = (x.id, -1, x.from_hub, x.to_hub, str(x.mode), dep, arr)
            aboard = (prev is not None and item[1] >= 0 and prev[1] >= 0 and prev[0] == item[0]
                      and prev[1] + 1 == item[1])
            if not aboard:
                rl = rule(network, hub, state, leg.mode)
                assert rl is not None, f"{s.id}: no transfer {state}->{leg.mode} at {hub}"
                if item[1] >= 0:
                    assert avail + rl[0] <= dep + 1e-6, f"{s.id}: connection missed at {hub}"
                else:
                    assert math.isclose(avail + rl[0], dep, abs_tol=1e-6)
            legs.append(item)
            prev = item
            hub, state = leg.to_hub, leg.mode
            avail = arr + network.hub(hub).dwell_h
        assert hub == s.destination
        avail += release_h(network, hub, state)
        assert math.isclose(avail, _hours(start, row["arrival"]), abs_tol=1e-5)
        tariff, co2 = price_route(network, s, legs)
        assert math.isclose(row["cost_usd"], tariff, rel_tol=1e-9, abs_tol=1e-6)
        assert math.isclose(row["co2e_kg"], co2, rel_tol=1e-9, abs_tol=1e-6)
        out[s.id] = Route(tuple(legs), avail, tariff, co2)
    return out


def hub_events(network: sr.Network, r: Route) -> list[tuple[str, float]]:
    """(hub, hour) of each handling: the origin when the first leg leaves, and each leg's end
    where the freight leaves the vehicle or crosses a gauge-change border."""
    events = [(r.legs[0][2], r.legs[0][5])]
    for i, (ref, leg, _a, b, _m, _dep, arr) in enumerate(r.legs):
        nxt = r.legs[i + 1] if i + 1 < len(r.legs) else None
        stays = nxt is not None and leg >= 0 and nxt[1] >= 0 and nxt[0] == ref and nxt[1] == leg + 1
        if not stays or network.hub(b).gauge_change:
            events.append((b, arr))
    return events


def violations(network: sr.Network, shipments: list[sr.Shipment], chosen: dict[str, Route],
               opened: set[str], start: datetime, tz: str = "UTC") -> list[str]:
    """Capacity breaches of a set of routes (leg kg / TEU / positions per departure, hub
    tonnes per local day) and rides on optional departures not opened; empty when feasible."""
    by_id = {s.id: s for s in shipments}
    load: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    hub_day: dict[tuple[str, date], float] = defaultdict(float)
    problems = []
    for sid, r in chosen.items():
        s = by_id[sid]
        for dep_id, _leg, a, *_ in (x for x in r.legs if x[1] >= 0):
            svc = network.service_by_id[dep_id.split("@")[0]]
            if svc.optional and dep_id not in opened:
                problems.append(f"{sid} rides {dep_id}, which is not opened")
            cell = load[(dep_id, a)]
            cell[0] += s.weight_kg
            cell[1] += teu(s)
            cell[2] += s.volume_m3 / POSITION_M3
        for hub, hour in hub_events(network, r):
            day = (start + timedelta(hours=hour)).astimezone(ZoneInfo(tz)).date()
            hub_day[(hub, day)] += s.weight_kg / 1000.0
    for (dep_id, hub), (kg, box, pos) in load.items():
        svc = network.service_by_id[dep_id.split("@")[0]]
        for used, cap, name in ((kg, svc.capacity_kg, "kg"), (box, svc.capacity_teu, "TEU"),
                                (pos, svc.capacity_positions, "positions")):
            if cap is not None and used > cap * (1 + 1e-9) + 1e-6:
                problems.append(f"{dep_id} from {hub}: {used:g} {name} > {cap:g}")
    for (hub, day), tonnes in hub_day.items():
        cap = network.hub(hub).capacity_t_day
        if cap is not None and tonnes > cap * (1 + 1e-9) + 1e-9:
            problems.append(f"{hub} on {day}: {tonnes:g} t > {cap:g} t/day")
    return problems


def recompute(network: sr.Network, shipments: list[sr.Shipment], design, start: datetime,
              days: float, pen: Penalties, tz: str = "UTC") -> dict[str, float]:
    """The objective of ``design`` from its routes and opened departures, by part; asserts the
    design is feasible (valid routes, capacities, opened departures are optional ones)."""
    chosen = plan_routes(network, design, shipments, start, days)
    opened = set(design.departures["departure_id"])
    assert len(opened) == len(design.departures), "a departure is opened twice"
    fixed = 0.0
    for dep_id in opened:
        svc = network.service_by_id[dep_id.split("@")[0]]
        assert svc.optional, f"{dep_id} is not an optional service"
        fixed += svc.fixed_cost_usd_per_run
    problems = violations(network, shipments, chosen, opened, start, tz)
    assert not problems, problems
    parts = dict(fixed_usd=fixed, freight_usd=0.0, time_usd=0.0, lateness_usd=0.0, co2_usd=0.0,
                 unserved_usd=0.0)
    for s in shipments:
        r = chosen.get(s.id)
        if r is None:
            parts["unserved_usd"] += pen.unserved_penalty_usd_per_kg * s.weight_kg
            continue
        ready = (s.ready - start) / timedelta(hours=1)
        due = math.inf if s.due is None else (s.due - start) / timedelta(hours=1)
        late = r.avail - due if r.avail - due > TOL else 0.0
        parts["freight_usd"] += r.tariff
        parts["co2_usd"] += pen.co2_price_usd_per_t * r.co2e / 1000.0
        parts["time_usd"] += value_of_time_usd_per_h(s, pen) * (r.avail - ready)
        parts["lateness_usd"] += pen.lateness_penalty_usd_per_t_h * s.weight_kg / 1000.0 * late
    return parts


# ---------------------------------------------------------------------------------------------
# Brute force
# ---------------------------------------------------------------------------------------------


def brute_force(network: sr.Network, shipments: list[sr.Shipment], start: datetime, days: float,
                pen: Penalties, horizon_h: float, max_combinations: int = 2_000_000) -> float:
    """The optimal objective: for every set of optional departures to open, every choice of
    a route (arriving by ``horizon_h``) or none per shipment that fits the capacities."""
    rides = expand(network, start, days)
    options = []
    for s in shipments:
        found = routes(network, rides, s, start, horizon_h)
        unserved = pen.unserved_penalty_usd_per_kg * s.weight_kg
        # A route dearer than leaving the shipment unserved is never better (it uses capacity).
        found = [r for r in found if route_cost(s, r, start, pen) < unserved - 1e-9]
        options.append([(route_cost(s, r, start, pen), r) for r in found] + [(unserved, None)])
    optional = sorted({d for opts in options for _, r in opts if r is not None
                       for d, *_ in r.legs if "@" in d
                       and network.service_by_id[d.split("@")[0]].optional})
    combos = math.prod(len(o) for o in options) * 2 ** len(optional)
    assert combos <= max_combinations, f"brute force too large: {combos}"
    fixed = {d: network.service_by_id[d.split("@")[0]].fixed_cost_usd_per_run for d in optional}
    best = math.inf
    for n_open in range(len(optional) + 1):
        for opened in itertools.combinations(optional, n_open):
            open_set = set(opened)
            base = sum(fixed[d] for d in opened)
            if base >= best:
                continue
            allowed = [[(c, r) for c, r in opts if r is None or all(
                d in open_set or "@" not in d or not network.service_by_id[d.split("@")[0]].optional
                for d, *_ in r.legs)] for opts in options]
            for pick in itertools.product(*allowed):
                cost = base + sum(c for c, _ in pick)
                if cost >= best - 1e-9:
                    continue
                chosen = {s.id: r for s, (_, r) in zip(shipments, pick, strict=True) if r is not None}
                if not violations(network, shipments, chosen, open_set, start):
                    best = cost
    return best

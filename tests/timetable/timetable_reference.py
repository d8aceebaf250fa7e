"""Independent references for timetable routing: random tiny networks and a time-expanded graph.

Nothing here uses ``silkroad_routing.compile`` or ``core``: the reference expands departures,
prices legs and builds the time-expanded graph from the Network records directly, with integer
hours, so that the kernels are checked against a second reading of the model:

* grid nodes (hub, arriving state, hour) for every whole hour up to a bound, with free waiting
  arcs hour -> hour + 1; the arriving state is a mode or START (not moved yet);
* per scheduled leg a board node and an alight node: grid -> board where the transfer from that
  state makes the departure (handling cost), board -> alight (fare), alight -> next leg's board
  (staying aboard), alight -> grid at arrival + the hub's dwell;
* links from every grid node: transfer time + duration + the to-hub's dwell later.

Earliest arrival is a reachability question (scipy breadth-first order), cheapest by a deadline
a scipy Dijkstra on cost, the (time, cost) Pareto set follows from the per-hour minimum costs,
and the (time, cost, CO2e) Pareto set from a dynamic programme over the DAG in networkx
topological order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import networkx as nx
import numpy as np
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, dijkstra

import silkroad_routing as sr
from silkroad_routing.units import FEU_PAYLOAD_KG, FEU_USABLE_M3, MODES

START_STATE = len(MODES)


def co2e_km(mode: str, km: float) -> float:
    """The distance CO2e is charged on: GLEC Framework v3 adds 95 km to an air leg's great
    circle; other legs count as run."""
    return km + 95.0 if mode == "air" else km
HORIZON_START = datetime(2026, 12, 7, tzinfo=UTC)  # a Monday


@dataclass(frozen=True)
class Cargo:
    """A shipment's size, priced by the reference's own reading of the tariffs."""

    weight_kg: float
    volume_m3: float
    units_feu: int | None = None

    @property
    def fcl(self) -> bool:
        return bool(self.units_feu) or max(
            self.volume_m3 / FEU_USABLE_M3, self.weight_kg / FEU_PAYLOAD_KG) >= 0.5

    @property
    def feu(self) -> int:
        if self.units_feu:
            return self.units_feu
        return max(1, math.ceil(max(self.volume_m3 / FEU_USABLE_M3,
                                    self.weight_kg / FEU_PAYLOAD_KG) - 1e-9))

    @property
    def wm(self) -> float:
        return max(self.weight_kg / 1000.0, self.volume_m3)

    def price(self, price_usd: float, basis: str, part_load: float | None, share: float) -> float:
        """Price of a tariff (``price_usd`` per ``basis``) for this cargo, times ``share``."""
        if basis == "kg_chargeable":
            return price_usd * share * max(self.weight_kg, self.volume_m3 * 1e6 / 6000.0)
        if basis == "kg":
            return price_usd * share * self.weight_kg
        if basis == "wm":
            return price_usd * share * self.wm
        # feu / truck: full loads pay per container (one truck per container), part loads per W/M
        if self.fcl:
            return price_usd * share * self.feu
        return (part_load or 0.0) * share * self.wm

    def co2e(self, record: sr.Link | sr.Service, km: float) -> float:
        """kg CO2e (well-to-wheel) of this cargo over ``km`` of ``record``: per TEU-km where the
        record gives a TEU factor (two TEU a full FEU; a part load its W/M over the 40.2 W/M,
        60 % of 67 m3, of a consolidated FEU), else per tonne-km."""
        if record.co2e_kg_per_teu_km is not None:
            box = 2 * record.co2e_kg_per_teu_km * km
            return box * self.feu if self.fcl else box * self.wm / (0.6 * 67.0)
        return record.co2e_kg_per_tkm * co2e_km(record.mode, km) * self.weight_kg / 1000

    def transshipment(self, usd_per_feu: float) -> float:
        return usd_per_feu * self.feu if self.fcl else usd_per_feu / FEU_USABLE_M3 * self.wm


@dataclass(frozen=True)
class Leg:
    """One scheduled leg of one departure, in integer hours from the horizon start."""

    service: str
    day: date
    leg: int
    from_hub: str
    to_hub: str
    mode: int
    dep: float
    arr: float
    fare: float
    co2: float


def expand(network: sr.Network, days: int, cargo: Cargo) -> list[Leg]:
    """Every leg departing inside the horizon, from departures whose first stop is in it."""
    horizon_h = days * 24.0
    legs = []
    for s in network.services:
        if s.optional:
            continue
        total = sum(s.leg_km)
        day = HORIZON_START.date() - timedelta(days=30)
        while day <= (HORIZON_START + timedelta(days=days)).date():
            if day.weekday() in s.weekdays or day in s.dates:
                t0 = (datetime.combine(day, s.departure_time_utc, tzinfo=UTC)
                      - HORIZON_START) / timedelta(hours=1)
                t = t0
                for i in range(len(s.leg_h)):
                    dep, arr = t, t + s.leg_h[i]
                    to = network.hub(s.stops[i + 1])
                    fare = cargo.price(s.price_usd, s.price_basis, s.part_load_usd_per_wm,
                                       s.leg_km[i] / total)
                    if s.mode == "rail" and to.gauge_change and i + 1 < len(s.leg_h):
                        fare += cargo.transshipment(to.transshipment_usd_per_feu)
                    if t0 < horizon_h and dep >= 0:
                        legs.append(Leg(s.id, day, i, s.stops[i], s.stops[i + 1],
                                        MODES.index(s.mode), dep, arr, fare,
                                        cargo.co2e(s, s.leg_km[i])))
                    t = arr
                    if i + 1 < len(s.leg_h):
                        t += s.stop_dwell_h + to.dwell_h
            day += timedelta(days=1)
    return legs


def transfer(network: sr.Network, hub: str, state: int, mode: int) -> tuple[float, float] | None:
    """(minimum connection h, handling USD/t) from an arriving state to a mode, or None."""
    if state == START_STATE:
        return 0.0, 0.0
    r = network.transfer_rule(hub, MODES[state], MODES[mode])
    return None if r is None else (r.min_connection_h, r.handling_usd_per_t)


class TimeExpanded:
    """The time-expanded graph of a network for one cargo and one mode set (integer hours)."""

    def __init__(self, network: sr.Network, days: int, cargo: Cargo,
                 modes: frozenset[int] = frozenset(range(4))) -> None:
        self.network = network
        self.hubs = [h.code for h in network.hubs]
        self.legs = [g for g in expand(network, days, cargo) if g.mode in modes]
        self.bound = int(max([g.arr for g in self.legs], default=0) + days * 24
                         + sum(x.duration_h + 50 for x in network.links) + 60)
        n_grid = len(self.hubs) * (START_STATE + 1) * (self.bound + 1)
        self.n_grid = n_grid
        self.n = n_grid + 2 * len(self.legs)
        arcs: dict[tuple[int, int], tuple[float, float]] = {}

        def add(u: int, v: int, cost: float, co2: float) -> None:
            # Parallel arcs: keep the cheapest (then greenest) -- the others are dominated.
            old = arcs.get((u, v))
            if old is None or (cost, co2) < old:
                arcs[(u, v)] = (cost, co2)

        for h in range(len(self.hubs)):
            for s in range(START_STATE + 1):
                for t in range(self.bound):
                    add(self.grid(h, s, t), self.grid(h, s, t + 1), 0.0, 0.0)
        hub_i = {c: i for i, c in enumerate(self.hubs)}
        next_leg = {(g.service, g.day, g.leg): k for k, g in enumerate(self.legs)}
        for k, g in enumerate(self.legs):
            board, alight = n_grid + 2 * k, n_grid + 2 * k + 1
            a = hub_i[g.from_hub]
            for s in range(START_STATE + 1):
                rule = self.rule(g.from_hub, s, g.mode)
                if rule is None:
                    continue
                t = g.dep - rule[0]
                if t >= 0 and t == int(t):
                    add(self.grid(a, s, int(t)), board, rule[1] * cargo.weight_kg / 1000, 0.0)
            add(board, alight, g.fare, g.co2)
            nxt = next_leg.get((g.service, g.day, g.leg + 1))
            if nxt is not None:
                add(alight, n_grid + 2 * nxt, 0.0, 0.0)
            t_in = g.arr + network.hub(g.to_hub).dwell_h
            if t_in <= self.bound:
                add(alight, self.grid(hub_i[g.to_hub], g.mode, int(t_in)), 0.0, 0.0)
        for x in network.links:
            m = MODES.index(x.mode)
            if m not in modes:
                continue
            a, b = hub_i[x.from_hub], hub_i[x.to_hub]
            fare = cargo.price(x.price_usd, x.price_basis, x.part_load_usd_per_wm, 1.0)
            co2 = cargo.co2e(x, x.distance_km)
            for s in range(START_STATE + 1):
                rule = self.rule(x.from_hub, s, m)
                if rule is None:
                    continue
                shift = rule[0] + x.duration_h + network.hub(x.to_hub).dwell_h
                for t in range(self.bound + 1):
                    if t + shift <= self.bound:
                        add(self.grid(a, s, t), self.grid(b, m, int(t + shift)),
                            fare + rule[1] * cargo.weight_kg / 1000, co2)
        self.arcs = arcs
        rows, cols = zip(*arcs, strict=True)
        # Explicit zeros stay arcs in a scipy sparse graph (no duplicates: deduplicated above).
        cost = np.array([c for c, _ in arcs.values()])
        self.cost = csr_matrix((cost, (rows, cols)), shape=(self.n, self.n))

    def grid(self, hub: int, state: int, hour: int) -> int:
        return (hub * (START_STATE + 1) + state) * (self.bound + 1) + hour

    def rule(self, hub: str, state: int, mode: int) -> tuple[float, float] | None:
        return transfer(self.network, hub, state, mode)

    def _targets(self, hub: str) -> list[tuple[int, int]]:
        h = self.hubs.index(hub)
        return [(t, self.grid(h, s, t)) for s in range(START_STATE + 1)
                for t in range(self.bound + 1)]

    def earliest_arrival(self, origin: str, ready: int, dest: str) -> float:
        src = self.grid(self.hubs.index(origin), START_STATE, ready)
        seen = np.zeros(self.n, bool)
        seen[breadth_first_order(self.cost, src, return_predecessors=False)] = True
        times = [t for t, node in self._targets(dest) if seen[node]]
        return float(min(times)) if times else math.inf

    def cheapest_by(self, origin: str, ready: int, dest: str, deadline: float) -> float:
        return min([c for t, c in self.pareto_time_cost(origin, ready, dest) if t <= deadline],
                   default=math.inf)

    def pareto_time_cost(self, origin: str, ready: int, dest: str) -> list[tuple[float, float]]:
        src = self.grid(self.hubs.index(origin), START_STATE, ready)
        dist = dijkstra(self.cost, indices=src)
        best: dict[int, float] = {}
        for t, node in self._targets(dest):
            best[t] = min(best.get(t, math.inf), dist[node])
        out = []
        low = math.inf
        for t in sorted(best):
            if best[t] < low - 1e-6:
                low = best[t]
                out.append((float(t), round(low, 6)))
        return out

    def pareto_time_cost_co2(self, origin: str, ready: int,
                             dest: str) -> set[tuple[float, float, float]]:
        src = self.grid(self.hubs.index(origin), START_STATE, ready)
        graph = nx.DiGraph()
        graph.add_edges_from((u, v, {"w": w}) for (u, v), w in self.arcs.items())
        reach = nx.descendants(graph, src) | {src}
        sub = graph.subgraph(reach)
        bags: dict[int, list[tuple[float, float]]] = {src: [(0.0, 0.0)]}
        for u in nx.topological_sort(sub):
            for v in sub.successors(u):
                c, e = sub.edges[u, v]["w"]
                bag = bags.setdefault(v, [])
                for cu, eu in bags.get(u, []):
                    _insert(bag, (cu + c, eu + e))
        labels = []
        for t, node in self._targets(dest):
            labels += [(float(t), c, e) for c, e in bags.get(node, [])]
        return _front(labels)


def _insert(bag: list[tuple[float, float]], item: tuple[float, float]) -> None:
    if any(c <= item[0] + 1e-9 and e <= item[1] + 1e-9 for c, e in bag):
        return
    bag[:] = [b for b in bag if not (item[0] <= b[0] and item[1] <= b[1])] + [item]


def _front(labels: list[tuple[float, float, float]]) -> set[tuple[float, float, float]]:
    keep: list[tuple[float, float, float]] = []
    for lab in sorted(labels):
        if not any(all(k[i] <= lab[i] + 1e-6 for i in range(3)) for k in keep):
            keep.append(lab)
    return {(t, round(c, 6), round(e, 6)) for t, c, e in keep}


# ---------------------------------------------------------------------------------------------
# Random tiny networks
# ---------------------------------------------------------------------------------------------

KINDS = ("airport", "rail_terminal", "seaport", "border_crossing", "road_hub")
BASIS_BY_MODE = {"air": "kg_chargeable", "rail": "feu", "sea": "feu", "road": "truck"}
CARGOES = (Cargo(1000.0, 2.0), Cargo(20000.0, 30.0), Cargo(200.0, 3.0), Cargo(5000.0, 8.0, 2))


@st.composite
def tiny_networks(draw: st.DrawFn, max_hubs: int = 5) -> sr.Network:
    """A random network with whole-hour times, dyadic distances and integer prices."""
    n = draw(st.integers(3, max_hubs))
    hubs = []
    for i in range(n):
        kind = draw(st.sampled_from(KINDS))
        gauge = kind == "border_crossing" and draw(st.booleans())
        hubs.append(sr.Hub(code=f"H{i}", name=f"hub {i}", kind=kind, country="CN", lat=0.0,
                           lon=float(i), dwell_h=float(draw(st.sampled_from((0, 0, 1, 3)))),
                           gauge_change=gauge, transshipment_usd_per_feu=100.0 if gauge else 0.0))
    codes = [h.code for h in hubs]
    pair = st.lists(st.sampled_from(codes), min_size=2, max_size=2, unique=True)
    links = []
    for k in range(draw(st.integers(0, 4))):
        a, b = draw(pair)
        mode = draw(st.sampled_from(("road", "road", "road", "rail")))
        links.append(sr.Link(
            id=f"L{k}", from_hub=a, to_hub=b, mode=mode,
            distance_km=float(draw(st.sampled_from((64, 128, 256)))),
            duration_h=float(draw(st.integers(1, 8))), price_usd=float(draw(st.integers(1, 9)) * 100),
            price_basis="truck", part_load_usd_per_wm=float(draw(st.integers(1, 9)) * 4),
            co2e_kg_per_tkm=0.0625))
    services = []
    for k in range(draw(st.integers(1, 5))):
        mode = draw(st.sampled_from(("air", "rail", "sea", "road")))
        stops = draw(st.lists(st.sampled_from(codes), min_size=2, max_size=3, unique=True))
        legs = len(stops) - 1
        leg_km = draw(st.sampled_from(((512.0,),) if legs == 1 else ((256.0, 256.0), (128.0, 384.0))))
        basis = BASIS_BY_MODE[mode]
        services.append(sr.Service(
            id=f"S{k}", mode=mode, stops=tuple(stops),
            leg_h=tuple(float(draw(st.integers(1, 12))) for _ in range(legs)), leg_km=leg_km,
            stop_dwell_h=float(draw(st.integers(0, 2))),
            weekdays=frozenset(draw(st.lists(st.integers(0, 6), min_size=1, max_size=4))),
            departure_time_utc=time(draw(st.integers(0, 23)), 0),
            price_usd=float(draw(st.integers(1, 8)) * (1 if basis == "kg_chargeable" else 400)),
            price_basis=basis,
            part_load_usd_per_wm=None if basis == "kg_chargeable"
            else float(draw(st.integers(1, 8)) * 16),
            co2e_kg_per_tkm=draw(st.sampled_from((0.5, 0.125, 0.03125))),
            # Some sea services count per TEU-km (full loads per box, part loads by W/M share).
            co2e_kg_per_teu_km=draw(st.sampled_from((None, 0.25, 2.0))) if mode == "sea" else None,
            optional=draw(st.sampled_from((False, False, False, True)))))
    transfers = []
    for a in MODES:
        for b in MODES:
            if draw(st.integers(0, 3)) > 0:
                transfers.append(sr.TransferRule(
                    hub="*", from_mode=a, to_mode=b,
                    min_connection_h=float(draw(st.integers(0, 4))),
                    handling_usd_per_t=float(draw(st.integers(0, 3)) * 8)))
    for _ in range(draw(st.integers(0, 2))):
        a, b = draw(st.sampled_from(MODES)), draw(st.sampled_from(MODES))
        hub = draw(st.sampled_from(codes))
        if all((t.hub, t.from_mode, t.to_mode) != (hub, a, b) for t in transfers):
            transfers.append(sr.TransferRule(hub=hub, from_mode=a, to_mode=b,
                                             min_connection_h=float(draw(st.integers(0, 6))),
                                             handling_usd_per_t=16.0))
    return sr.Network(hubs=tuple(hubs), links=tuple(links), services=tuple(services),
                      transfers=tuple(transfers))


# ---------------------------------------------------------------------------------------------
# Leg-by-leg check of a returned journey
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RideLeg:
    """A leg as returned by routing: a service leg (service id, departure day, leg index) or a
    link (link id), with the departure and arrival the router claims."""

    service: str | None
    day: date | None
    leg: int | None
    link: str | None
    dep: float
    arr: float


def check_journey(network: sr.Network, days: int, cargo: Cargo, origin: str, ready: float,
                  legs: list[RideLeg], leg_costs: list[float] | None = None,
                  ) -> tuple[str, float, float, float]:
    """Re-check a journey against the network; return (hub, availability h, cost, CO2e kg).
    ``leg_costs`` (if given) receives each leg's cost: handling before it plus its fare.

    Asserts that each service leg exists with the claimed times, that consecutive legs meet at
    the same hub, that every transfer has a rule and its minimum connection time, and that a
    link starts no earlier than the freight is available there.
    """
    schedule = {(g.service, g.day, g.leg): g for g in expand(network, days, cargo)}
    hub, state, avail, cost, co2 = origin, START_STATE, float(ready), 0.0, 0.0
    prev: RideLeg | None = None
    for leg in legs:
        if leg.service is not None:
            g = schedule[(leg.service, leg.day, leg.leg)]
            assert (g.dep, g.arr) == (leg.dep, leg.arr), (g, leg)
            start, to, mode, fare, e = g.from_hub, g.to_hub, g.mode, g.fare, g.co2
        else:
            x = network.link_by_id[leg.link]
            start, to, mode = x.from_hub, x.to_hub, MODES.index(x.mode)
            assert leg.arr == leg.dep + x.duration_h
            fare = cargo.price(x.price_usd, x.price_basis, x.part_load_usd_per_wm, 1.0)
            e = cargo.co2e(x, x.distance_km)
        assert start == hub, f"leg starts at {start}, freight is at {hub}"
        aboard = (prev is not None and leg.service is not None and prev.service == leg.service
                  and prev.day == leg.day and prev.leg is not None and leg.leg == prev.leg + 1)
        handling = 0.0
        if not aboard:
            rule = transfer(network, hub, state, mode)
            assert rule is not None, f"no transfer rule {state}->{mode} at {hub}"
            assert leg.dep >= avail + rule[0] - 1e-9, (leg, avail, rule)
            handling = rule[1] * cargo.weight_kg / 1000
        if leg_costs is not None:
            leg_costs.append(handling + fare)
        cost += handling + fare
        co2 += e
        hub, state = to, mode
        avail = leg.arr + network.hub(to).dwell_h
        prev = leg
    return hub, avail, cost, co2


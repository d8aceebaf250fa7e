"""An independent reference for capacity-aware routing: every journey enumerated, capacity
counted from the network records, shipments booked one at a time in priority order.

Nothing here uses ``silkroad_routing.compile``, ``core`` or ``routing``: journeys are enumerated
by depth-first search over the reference's own expansion of the timetable
(:func:`timetable_reference.expand`), priced by the reference's reading of the tariffs
(:class:`timetable_reference.Cargo`), and their use of capacity counted by the rules of the
documentation:

* every leg of a departure: the shipment's kg, TEU (whole FEUs x 2 for a full load, else its
  volume share of a TEU) and ULD positions (volume / 11.52 m3);
* hub-days (UTC days here): tonnes handled at the origin on the day the first leg leaves, and
  where freight leaves a vehicle or rides through a gauge-change hub, on the vehicle's arrival;
* border-days: TEU crossing on the day the train arrives at the crossing, against the trains a
  day it takes times the largest stated TEU capacity of the rail services calling there.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from timetable_reference import START_STATE, Cargo, co2e_km, expand, transfer

import silkroad_routing as sr
from silkroad_routing.units import FEU_USABLE_M3, MODES

ULD_POSITION_M3 = 11.52
TOL = 1e-6


@dataclass(frozen=True)
class Ride:
    """One leg of an enumerated journey: a service leg ``(service, day, leg)`` or a link."""

    service: str | None
    day: object
    leg: int | None
    link: str | None
    from_hub: str
    to_hub: str
    dep: float
    arr: float


@dataclass(frozen=True)
class Route:
    rides: tuple[Ride, ...]
    arrival: float  # freight available at the destination
    cost: float
    co2: float


def teu_of(cargo: Cargo) -> float:
    return 2.0 * cargo.feu if cargo.fcl else cargo.volume_m3 / (FEU_USABLE_M3 / 2)


def journeys(network: sr.Network, days: int, cargo: Cargo, origin: str, ready: float,
             dest: str, modes: frozenset[int], max_legs: int = 4) -> Iterator[Route]:
    """Every journey of at most ``max_legs`` legs that visits no hub twice. Scheduled legs may
    be waited for; a truck leaves as soon as the freight is available or, waiting at the hub,
    at any later time that moves its departure or arrival into another day of the horizon
    (the times at which the hub-days it is counted on change)."""
    by_departure: dict[tuple[str, object], list] = {}
    for g in expand(network, days, cargo):
        if g.mode in modes:
            by_departure.setdefault((g.service, g.day), []).append(g)
    runs = [sorted(run, key=lambda g: g.leg) for run in by_departure.values()]
    start = _State(origin, START_STATE, float(ready), (), 0.0, 0.0, frozenset({origin}))
    stack = [start]
    while stack:
        at = stack.pop()
        if at.hub == dest and at.rides:
            yield Route(at.rides, at.avail, at.cost, at.co2)
            continue
        if len(at.rides) < max_legs:
            stack.extend(_by_link(network, cargo, modes, at, days))
            stack.extend(_by_service(network, cargo, runs, at, max_legs))


@dataclass(frozen=True)
class _State:
    """Where a partial journey stands: hub, arriving state, time available, legs, totals."""

    hub: str
    state: int
    avail: float
    rides: tuple[Ride, ...]
    cost: float
    co2: float
    seen: frozenset[str]


def _by_link(network: sr.Network, cargo: Cargo, modes: frozenset[int],
             at: _State, days: int) -> Iterator[_State]:
    for x in network.links:
        m = MODES.index(x.mode)
        if x.from_hub != at.hub or m not in modes or x.to_hub in at.seen:
            continue
        rule = transfer(network, at.hub, at.state, m)
        if rule is None:
            continue
        first = at.avail + rule[0]
        later = {t for k in range(1, days + 1) for t in (24.0 * k, 24.0 * k - x.duration_h)}
        fare = cargo.price(x.price_usd, x.price_basis, x.part_load_usd_per_wm, 1.0)
        for dep in [first, *sorted(t for t in later if t > first)]:
            arr = dep + x.duration_h
            yield _State(x.to_hub, m, arr + network.hub(x.to_hub).dwell_h,
                         (*at.rides, Ride(None, None, None, x.id, at.hub, x.to_hub, dep, arr)),
                         at.cost + fare + rule[1] * cargo.weight_kg / 1000,
                         at.co2 + x.co2e_kg_per_tkm * co2e_km(x.mode, x.distance_km)
                         * cargo.weight_kg / 1000,
                         at.seen | {x.to_hub})


def _by_service(network: sr.Network, cargo: Cargo, runs: list[list], at: _State,
                max_legs: int) -> Iterator[_State]:
    for run in runs:
        for k, g in enumerate(run):
            if g.from_hub != at.hub:
                continue
            rule = transfer(network, at.hub, at.state, g.mode)
            if rule is None or g.dep < at.avail + rule[0] - TOL:
                continue
            cost, co2 = at.cost + rule[1] * cargo.weight_kg / 1000, at.co2
            aboard: tuple[Ride, ...] = ()
            seen = at.seen
            for h in run[k:]:  # stay aboard, alighting after any leg
                if len(at.rides) + len(aboard) >= max_legs or h.to_hub in seen:
                    break
                cost, co2 = cost + h.fare, co2 + h.co2
                aboard = (*aboard, Ride(h.service, h.day, h.leg, None, h.from_hub, h.to_hub,
                                        h.dep, h.arr))
                seen = seen | {h.to_hub}
                yield _State(h.to_hub, h.mode, h.arr + network.hub(h.to_hub).dwell_h,
                             (*at.rides, *aboard), cost, co2, seen)


def train_teu(network: sr.Network, hub: str) -> float:
    """TEU a train takes across ``hub``: the largest stated TEU capacity of its rail services."""
    teu = [s.capacity_teu for s in network.services
           if s.mode == "rail" and hub in s.stops and s.capacity_teu is not None]
    return max(teu) if teu else math.inf


@dataclass
class ReferenceLedger:
    """Capacity left, counted from the network's records."""

    network: sr.Network
    used_leg: dict[tuple, list[float]] = field(default_factory=dict)
    used_hub_t: dict[tuple[str, int], float] = field(default_factory=dict)
    used_border_teu: dict[tuple[str, int], float] = field(default_factory=dict)

    def _events(self, route: Route) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        rides = route.rides
        events = [(rides[0].from_hub, math.floor(rides[0].dep / 24 + 1e-12))]
        crossings = []
        for i, r in enumerate(rides):
            nxt = rides[i + 1] if i + 1 < len(rides) else None
            aboard = (nxt is not None and r.service is not None and nxt.service == r.service
                      and nxt.day == r.day)
            hub = self.network.hub(r.to_hub)
            day = math.floor(r.arr / 24 + 1e-12)
            if not aboard or hub.gauge_change:
                events.append((r.to_hub, day))
            if r.service is not None and hub.crossing_capacity_trains_day is not None:
                crossings.append((r.to_hub, day))
        return events, crossings

    def _border_cap(self, hub: str) -> float:
        return self.network.hub(hub).crossing_capacity_trains_day * train_teu(self.network, hub)

    def fits(self, route: Route, cargo: Cargo) -> bool:
        use = (cargo.weight_kg, teu_of(cargo), cargo.volume_m3 / ULD_POSITION_M3)
        for r in route.rides:
            if r.service is None:
                continue
            s = self.network.service_by_id[r.service]
            caps = (s.capacity_kg, s.capacity_teu, s.capacity_positions)
            used = self.used_leg.get((r.service, r.day, r.leg), [0.0, 0.0, 0.0])
            for cap, u, k in zip(caps, used, use, strict=True):
                if cap is not None and u + k > cap + TOL:
                    return False
        events, crossings = self._events(route)
        for hub, day in events:
            cap = self.network.hub(hub).capacity_t_day
            if cap is not None and self.used_hub_t.get((hub, day), 0.0) + cargo.weight_kg / 1000 \
                    > cap + TOL:
                return False
        return all(self.used_border_teu.get(key, 0.0) + use[1] <= self._border_cap(key[0]) + TOL
                   for key in crossings)

    def book(self, route: Route, cargo: Cargo) -> None:
        use = (cargo.weight_kg, teu_of(cargo), cargo.volume_m3 / ULD_POSITION_M3)
        for r in route.rides:
            if r.service is not None:
                used = self.used_leg.setdefault((r.service, r.day, r.leg), [0.0, 0.0, 0.0])
                for j in range(3):
                    used[j] += use[j]
        events, crossings = self._events(route)
        for key in events:
            self.used_hub_t[key] = self.used_hub_t.get(key, 0.0) + cargo.weight_kg / 1000
        for key in crossings:
            self.used_border_teu[key] = self.used_border_teu.get(key, 0.0) + use[1]

    def over_capacity(self) -> list[str]:
        """What the bookings so far put over capacity (empty when nothing)."""
        out = []
        for (service, day, leg), used in self.used_leg.items():
            s = self.network.service_by_id[service]
            for cap, u, name in zip((s.capacity_kg, s.capacity_teu, s.capacity_positions), used,
                                    ("kg", "teu", "positions"), strict=True):
                if cap is not None and u > cap + TOL:
                    out.append(f"{service}@{day} leg {leg} {name} {u} > {cap}")
        for (hub, day), t in self.used_hub_t.items():
            cap = self.network.hub(hub).capacity_t_day
            if cap is not None and t > cap + TOL:
                out.append(f"hub {hub} day {day}: {t} t > {cap}")
        for (hub, day), teu in self.used_border_teu.items():
            if teu > self._border_cap(hub) + TOL:
                out.append(f"crossing {hub} day {day}: {teu} TEU")
        return out

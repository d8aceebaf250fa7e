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
* border-days: one train slot per departure that arrives at the crossing with freight aboard.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from timetable_reference import START_STATE, Cargo, expand, transfer

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
    """Every journey of at most ``max_legs`` legs that visits no hub twice (trucks leave as
    soon as the freight is available, as the model has it; scheduled legs may be waited for)."""
    legs = [g for g in expand(network, days, cargo) if g.mode in modes]
    by_departure: dict[tuple[str, object], list] = {}
    for g in legs:
        by_departure.setdefault((g.service, g.day), []).append(g)
    for run in by_departure.values():
        run.sort(key=lambda g: g.leg)

    def walk(hub: str, state: int, avail: float, rides: tuple[Ride, ...], cost: float,
             co2: float, seen: frozenset[str]) -> Iterator[Route]:
        if hub == dest and rides:
            yield Route(rides, avail, cost, co2)
            return
        if len(rides) >= max_legs:
            return
        for x in network.links:
            m = MODES.index(x.mode)
            if x.from_hub != hub or m not in modes or x.to_hub in seen:
                continue
            rule = transfer(network, hub, state, m)
            if rule is None:
                continue
            dep = avail + rule[0]
            arr = dep + x.duration_h
            fare = cargo.price(x.price_usd, x.price_basis, x.part_load_usd_per_wm, 1.0)
            yield from walk(x.to_hub, m, arr + network.hub(x.to_hub).dwell_h,
                            (*rides, Ride(None, None, None, x.id, hub, x.to_hub, dep, arr)),
                            cost + fare + rule[1] * cargo.weight_kg / 1000,
                            co2 + x.co2e_kg_per_tkm * x.distance_km * cargo.weight_kg / 1000,
                            seen | {x.to_hub})
        for run in by_departure.values():
            for k, g in enumerate(run):
                if g.from_hub != hub:
                    continue
                rule = transfer(network, hub, state, g.mode)
                if rule is None or g.dep < avail + rule[0] - TOL:
                    continue
                ride_cost = cost + rule[1] * cargo.weight_kg / 1000
                ride_co2 = co2
                aboard: tuple[Ride, ...] = ()
                visited = seen
                for h in run[k:]:
                    if len(rides) + len(aboard) >= max_legs or h.to_hub in visited:
                        break
                    ride_cost += h.fare
                    ride_co2 += h.co2
                    aboard = (*aboard, Ride(h.service, h.day, h.leg, None, h.from_hub, h.to_hub,
                                            h.dep, h.arr))
                    visited = visited | {h.to_hub}
                    yield from walk(h.to_hub, h.mode, h.arr + network.hub(h.to_hub).dwell_h,
                                    (*rides, *aboard), ride_cost, ride_co2, visited)

    yield from walk(origin, START_STATE, float(ready), (), 0.0, 0.0, frozenset({origin}))


@dataclass
class ReferenceLedger:
    """Capacity left, counted from the network's records."""

    network: sr.Network
    used_leg: dict[tuple, list[float]] = field(default_factory=dict)
    used_hub_t: dict[tuple[str, int], float] = field(default_factory=dict)
    crossing: set[tuple[str, int, tuple]] = field(default_factory=set)

    def _events(self, route: Route) -> tuple[list[tuple[str, int]], set[tuple[str, int, tuple]]]:
        rides = route.rides
        events = [(rides[0].from_hub, math.floor(rides[0].dep / 24 + 1e-12))]
        crossings = set()
        for i, r in enumerate(rides):
            nxt = rides[i + 1] if i + 1 < len(rides) else None
            aboard = (nxt is not None and r.service is not None and nxt.service == r.service
                      and nxt.day == r.day)
            hub = self.network.hub(r.to_hub)
            day = math.floor(r.arr / 24 + 1e-12)
            if not aboard or hub.gauge_change:
                events.append((r.to_hub, day))
            if r.service is not None and hub.crossing_capacity_trains_day is not None:
                crossings.add((r.to_hub, day, (r.service, r.day)))
        return events, crossings

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
        new: dict[tuple[str, int], int] = {}
        for hub, day, train in crossings:
            if (hub, day, train) not in self.crossing:
                new[hub, day] = new.get((hub, day), 0) + 1
        for (hub, day), k in new.items():
            held = sum(1 for h, d, _ in self.crossing if (h, d) == (hub, day))
            if held + k > self.network.hub(hub).crossing_capacity_trains_day + TOL:
                return False
        return True

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
        self.crossing |= crossings

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
        per_day: dict[tuple[str, int], int] = {}
        for hub, day, _ in self.crossing:
            per_day[hub, day] = per_day.get((hub, day), 0) + 1
        for (hub, day), k in per_day.items():
            if k > self.network.hub(hub).crossing_capacity_trains_day + TOL:
                out.append(f"crossing {hub} day {day}: {k} trains")
        return out

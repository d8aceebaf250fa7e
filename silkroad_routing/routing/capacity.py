"""Capacity-aware routing: shipments booked one at a time, in priority order, on what is left.

Capacities (from the prepared :class:`~silkroad_routing.compile.Problem`):

* per leg of a departure: kg, TEU and ULD positions; a shipment takes its
  :data:`~silkroad_routing.compile.shipments.USE_COLUMNS` on every leg it rides (a full load its
  FEUs, a part load its volume share, as network design counts them);
* per hub and local day: tonnes handled, counted as the KPIs count handling
  (:func:`~silkroad_routing.kpi.hub_day_throughput`): at the origin on the day the first leg
  leaves, and where freight leaves a vehicle or crosses a gauge-change border, on the day of
  that vehicle's arrival;
* per border crossing and local day: trains that may cross. A train (one departure of a rail
  service) takes a slot on the day it arrives at the crossing with freight aboard; later
  shipments on the same train take no further slot. What finds no slot waits for a later train:
  the queue comes out of the flow, as the next train with a free slot.

Sequential assignment (``assign="sequential"``): shipments in priority order -- due date (none
last), then ready time, then id -- each take the best route of the objective on the capacity
that is left. Every shipment is first routed as if alone (the batched uncapacitated search);
a shipment whose first choice still fits is booked on it, which is what a search on the
capacity left would return (that search only loses options). Only the others are searched
again, alone, with the legs, hub-days and border-days they no longer fit closed: legs and
crossings through a high rate column (:data:`BLOCKED_USD`), hub-days in the label search
itself. A shipment that finds no space in the horizon gets reason ``no capacity``; none is
dropped. On a re-search, ``fastest`` takes the earliest arrival (ties: cheapest); a shipment
whose due date no route on the capacity left can meet gets the earliest of those routes, and
among them the best by the objective's measure, marked late -- as uncapacitated routing does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from ..compile.problem import Problem
from ..compile.shipments import USE_COLUMNS
from ..core.timetable.arrays import KIND_CONNECTION
from ..core.timetable.batch import BatchJourneys, route_batch
from ..core.timetable.labels import (
    SELECT_ALL,
    SELECT_GENERALIZED,
    SELECT_MIN_COST,
)
from .tables import Options

#: Rate of a leg or crossing a shipment no longer fits, USD: far above any real route's cost.
BLOCKED_USD: Final[float] = 1e9
#: Slack on capacities (kg, TEU, positions, tonnes): sums of floats.
CAPACITY_TOLERANCE: Final[float] = 1e-9
#: Modes of capacity handling, and of assignment.
CAPACITY_MODES: Final[tuple[str, ...]] = ("respect", "ignore")
ASSIGN_MODES: Final[tuple[str, ...]] = ("sequential",)
#: How a re-search ranks usable routes: earliest (ties cheapest, then greenest); earliest (ties
#: greenest, then cheapest); cheapest (ties earliest); greenest (ties cheapest, then earliest).
_EARLIEST, _EARLIEST_GREENEST, _CHEAPEST, _GREENEST = 0, 1, 2, 3
#: Reason of a shipment that finds no space anywhere in the horizon.
REASON_NO_CAPACITY: Final[str] = "no capacity"


@dataclass(frozen=True, slots=True)
class Journey:
    """One route: legs (kind, connection or link index, vehicle departure and arrival, hours)
    and the time freight is available at the destination."""

    kind: NDArray[np.int64]
    ref: NDArray[np.int64]
    dep_h: NDArray[np.float64]
    arr_h: NDArray[np.float64]
    time_h: float


@dataclass(frozen=True, slots=True)
class Booking:
    """What one shipment's route takes: connections (with its use per leg), hub-day events
    (hub, day) with its tonnes, and border-day crossings (hub, day, trip)."""

    conns: NDArray[np.int64]
    hub_days: tuple[tuple[int, int], ...]
    crossings: tuple[tuple[int, int, int], ...]


class Ledger:
    """The capacity left: per connection (kg, TEU, positions), per hub-day (tonnes) and per
    border-day (train slots, with the trains already holding one)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        tt = problem.timetable
        self.conn_left = problem.conn_capacity.copy()
        n_days = problem.day_start_h.shape[0]
        self.hub_left_t = np.repeat(problem.hub_capacity_t_day[:, None], n_days, axis=1)
        self.slots_left = np.repeat(problem.hub_crossing_trains_day[:, None], n_days, axis=1)
        self.crossing: set[tuple[int, int, int]] = set()
        self.border = np.isfinite(problem.hub_crossing_trains_day)
        self.aboard = problem.hub_gauge_change
        self.conn_arrival_day = problem.day_of(tt.conn_arr_h) if tt.n_connections else (
            np.zeros(0, np.int64))
        self.link_from = np.repeat(np.arange(tt.n_hubs), np.diff(tt.link_indptr))

    def booking(self, journey: Journey) -> Booking:
        """The capacity ``journey`` takes (its events, as the module docstring counts them)."""
        tt = self.problem.timetable
        kind, ref = journey.kind.tolist(), journey.ref.tolist()
        conns = journey.ref[journey.kind == KIND_CONNECTION]
        n = len(kind)
        if n == 0:
            return Booking(conns, (), ())
        from_hub, to_hub, trip = [], [], []
        for k, r in zip(kind, ref, strict=True):
            if k == KIND_CONNECTION:
                from_hub.append(int(tt.conn_from[r]))
                to_hub.append(int(tt.conn_to[r]))
                trip.append(int(tt.conn_trip[r]))
            else:
                from_hub.append(int(self.link_from[r]))
                to_hub.append(int(tt.link_to[r]))
                trip.append(-1)
        arrival_day = self.problem.day_of(journey.arr_h).tolist()
        events = [(from_hub[0], int(self.problem.day_of(journey.dep_h[:1])[0]))]
        crossings = []
        for i in range(n):
            aboard = i + 1 < n and trip[i] >= 0 and trip[i] == trip[i + 1]
            if not aboard or self.aboard[to_hub[i]]:
                events.append((to_hub[i], arrival_day[i]))
            if trip[i] >= 0 and self.border[to_hub[i]]:
                crossings.append((to_hub[i], arrival_day[i], trip[i]))
        return Booking(conns, tuple(events), tuple(crossings))

    def fits(self, booking: Booking, use: NDArray[np.float64]) -> bool:
        """Whether a shipment taking ``use`` (kg, TEU, positions) fits ``booking``."""
        if booking.conns.size and np.any(
                self.conn_left[booking.conns] < use[None, :] - CAPACITY_TOLERANCE):
            return False
        tonnes = use[0] / 1000.0
        for hub, day in booking.hub_days:
            if self.hub_left_t[hub, day] < tonnes - CAPACITY_TOLERANCE:
                return False
        needed: dict[tuple[int, int], int] = {}
        for hub, day, trip in set(booking.crossings):
            if (hub, day, trip) not in self.crossing:
                needed[hub, day] = needed.get((hub, day), 0) + 1
        return all(self.slots_left[h, d] >= k for (h, d), k in needed.items())

    def book(self, booking: Booking, use: NDArray[np.float64]) -> None:
        """Take ``booking``'s capacity for a shipment of ``use``."""
        np.subtract.at(self.conn_left, booking.conns, use)
        for hub, day in booking.hub_days:
            self.hub_left_t[hub, day] -= use[0] / 1000.0
        for crossing in set(booking.crossings):
            if crossing not in self.crossing:
                self.crossing.add(crossing)
                self.slots_left[crossing[0], crossing[1]] -= 1

    def closed_conns(self, use: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Connections a shipment of ``use`` may no longer ride: a leg without room for it, an
        arrival at a gauge-change hub on a day without room (riders are handled there too),
        or an arrival at a border crossing on a day without a free slot on a train that holds
        none yet."""
        tt = self.problem.timetable
        closed = np.any(self.conn_left < use[None, :] - CAPACITY_TOLERANCE, axis=1)
        if tt.n_connections:
            hub_closed = self.closed_hub_days(use)
            closed |= self.aboard[tt.conn_to] & hub_closed[tt.conn_to, self.conn_arrival_day]
        if self.crossing or np.any(self.slots_left[self.border] < 1):
            at_border = self.border[tt.conn_to]
            day = self.conn_arrival_day
            full = at_border & (self.slots_left[tt.conn_to, day] < 1)
            if full.any():
                held = np.array([(int(h), int(d), int(r)) in self.crossing for h, d, r in zip(
                    tt.conn_to[full], day[full], tt.conn_trip[full], strict=True)], dtype=bool)
                closed[np.flatnonzero(full)[~held]] = True
        return closed

    def closed_hub_days(self, use: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Hub-days (n_hubs x n_days) without room for a shipment of ``use``."""
        return self.hub_left_t < use[0] / 1000.0 - CAPACITY_TOLERANCE


def priority_order(problem: Problem) -> NDArray[np.int64]:
    """Shipments by due date (none last), then ready time, then id."""
    arrays = problem.shipments
    ids = arrays.ids.astype(str)
    return np.lexsort((ids, arrays.ready_h, arrays.due_h)).astype(np.int64)


class Researcher:
    """Searches one shipment alone on the capacity left (the module docstring's re-search)."""

    def __init__(self, problem: Problem, objective: str, max_labels: int,
                 tolerance_h: float) -> None:
        self.problem = problem
        self.objective = objective
        self.max_labels = max_labels
        self.tolerance_h = tolerance_h
        tt = problem.timetable.arrays
        # One more quantity column (a constant 1 for every shipment) carries the closures.
        self.conn_rate = np.ascontiguousarray(np.hstack([tt.conn_rate, np.zeros((
            tt.n_connections, 1))]))
        self.arrays = tt._replace(
            conn_rate=self.conn_rate,
            link_rate=np.ascontiguousarray(np.hstack([tt.link_rate, np.zeros((
                tt.link_rate.shape[0], 1))])),
            transfer_rate=np.ascontiguousarray(np.concatenate(
                [tt.transfer_rate, np.zeros((*tt.transfer_rate.shape[:3], 1))], axis=3)))
        arrays = problem.shipments
        self.q = np.ascontiguousarray(np.hstack([arrays.q, np.ones((len(arrays), 1))]))

    def search(self, i: int, ledger: Ledger) -> tuple[Journey | None, bool]:
        """The best route of shipment ``i`` on the capacity left (None if none), and whether
        the search hit its label cap."""
        p = self.problem
        arrays = p.shipments
        use = arrays.use[i]
        self.conn_rate[:, -1] = np.where(ledger.closed_conns(use), BLOCKED_USD, 0.0)
        hub_days = (p.day_start_h, ledger.closed_hub_days(use))
        overflow = False
        if self.objective != "fastest":
            # Greenest needs the whole (time, cost, CO2e) front: a closed route keeps its CO2e.
            select, n_criteria, price, rank = {
                "cheapest": (SELECT_MIN_COST, 2, 0.0, _CHEAPEST),
                "greenest": (SELECT_ALL, 3, 0.0, _GREENEST),
                "generalized": (SELECT_GENERALIZED, 2, p.costs.co2_price_usd_per_kg, _CHEAPEST),
            }[self.objective]
            found = self._run(i, arrays.due_h[i] + self.tolerance_h, select, n_criteria, price,
                              hub_days)
            overflow = bool(found.overflow.any())
            best = self._pick(found, rank)
            if best is not None:
                return best, overflow
        # Fastest, or no route by the due date: the earliest usable arrival; among those the
        # objective's own measure (fastest: cheapest).
        greenest = self.objective == "greenest"
        price = p.costs.co2_price_usd_per_kg if self.objective == "generalized" else 0.0
        found = self._run(i, np.inf, SELECT_ALL, 3 if greenest else 2, price, hub_days)
        rank = _EARLIEST_GREENEST if greenest else _EARLIEST
        return self._pick(found, rank), overflow or bool(found.overflow.any())

    def _run(self, i: int, deadline_h: float, select: int, n_criteria: int, price: float,
             hub_days: tuple[NDArray[np.float64], NDArray[np.bool_]]) -> BatchJourneys:
        arrays = self.problem.shipments
        one = np.array([i])
        return route_batch(
            self.arrays, arrays.origin[one], arrays.ready_h[one], arrays.mode_mask[one],
            self.q[one], arrays.weight_kg[one], np.array([0, 1]), arrays.destination[one],
            np.array([deadline_h]), arrays.vot_usd_per_h[one], select=select,
            n_criteria=n_criteria, co2_price_usd_per_kg=price, max_labels=self.max_labels,
            hub_days=hub_days)

    @staticmethod
    def _pick(found: BatchJourneys, rank: int) -> Journey | None:
        usable = np.flatnonzero(found.cost_usd < 0.5 * BLOCKED_USD)
        if usable.size == 0:
            return None
        time, cost, co2 = found.time_h[usable], found.cost_usd[usable], found.co2e_kg[usable]
        keys = {_EARLIEST: (co2, cost, time), _EARLIEST_GREENEST: (cost, co2, time),
                _CHEAPEST: (time, cost), _GREENEST: (time, cost, co2)}[rank]  # last key first
        j = int(usable[np.lexsort(keys)[0]])
        lo, hi = found.leg_ptr[j], found.leg_ptr[j + 1]
        return Journey(found.leg_kind[lo:hi].copy(), found.leg_ref[lo:hi].copy(),
                       found.leg_dep_h[lo:hi].copy(), found.leg_arr_h[lo:hi].copy(),
                       float(found.time_h[j]))


@dataclass(frozen=True, slots=True)
class Assignment:
    """Result of :func:`assign_sequential`: the booked routes (as Options), per shipment
    whether capacity left it its uncapacitated first choice (True too for a shipment with no
    path at all), the departure it lost (``""`` if none),
    whether it found no space, and whether a re-search hit its label cap."""

    options: Options
    first_choice: NDArray[np.bool_]
    lost_departure: NDArray[np.object_]
    no_capacity: NDArray[np.bool_]
    incomplete: NDArray[np.bool_]


def _journeys(options: Options, n: int) -> list[Journey | None]:
    out: list[Journey | None] = [None] * n
    for j in range(options.shipment.size):
        lo, hi = options.leg_ptr[j], options.leg_ptr[j + 1]
        out[int(options.shipment[j])] = Journey(
            options.leg_kind[lo:hi], options.leg_ref[lo:hi], options.leg_dep_h[lo:hi],
            options.leg_arr_h[lo:hi], float(options.time_h[j]))
    return out


def _lost(problem: Problem, ledger: Ledger, journey: Journey, use: NDArray[np.float64]) -> str:
    """The departure (or hub-day, or crossing) of ``journey`` that has no room left."""
    tt = problem.timetable
    for c in journey.ref[journey.kind == KIND_CONNECTION].tolist():
        if np.any(ledger.conn_left[c] < use - CAPACITY_TOLERANCE):
            return tt.departure_ids[int(tt.conn_trip[c])]
    booking = ledger.booking(journey)
    for hub, day in booking.hub_days:
        if ledger.hub_left_t[hub, day] < use[0] / 1000.0 - CAPACITY_TOLERANCE:
            return f"hub {tt.hub_codes[hub]} day {day}"
    for hub, _day, trip in booking.crossings:
        return f"crossing {tt.hub_codes[hub]} by {tt.departure_ids[trip]}"
    return ""


def assign_sequential(problem: Problem, objective: str, first: Options, max_labels: int,
                      tolerance_h: float) -> Assignment:
    """Book every shipment in :func:`priority_order` on the capacity left (module docstring),
    starting from its uncapacitated first choice in ``first`` (one option per routed
    shipment)."""
    n = len(problem)
    use = problem.shipments.use
    assert use.shape[1] == len(USE_COLUMNS)
    ledger = Ledger(problem)
    researcher: Researcher | None = None
    chosen = _journeys(first, n)
    booked: list[Journey | None] = [None] * n
    first_choice = np.zeros(n, dtype=bool)
    lost = np.full(n, "", dtype=object)
    no_capacity = np.zeros(n, dtype=bool)
    incomplete = np.zeros(n, dtype=bool)
    for i in priority_order(problem).tolist():
        journey = chosen[i]
        if journey is None:
            first_choice[i] = True  # no path at all: capacity took nothing from it
            continue
        booking = ledger.booking(journey)
        if ledger.fits(booking, use[i]):
            first_choice[i] = True
        else:
            lost[i] = _lost(problem, ledger, journey, use[i])
            if researcher is None:
                researcher = Researcher(problem, objective, max_labels, tolerance_h)
            journey, incomplete[i] = researcher.search(i, ledger)
            if journey is None:
                no_capacity[i] = True
                continue
            booking = ledger.booking(journey)
        ledger.book(booking, use[i])
        booked[i] = journey
    ships = np.array([i for i in range(n) if booked[i] is not None], dtype=np.int64)
    journeys = [booked[i] for i in ships.tolist()]
    lengths = np.array([j.kind.size for j in journeys if j is not None], dtype=np.int64)

    def cat(name: str, dtype: type) -> np.ndarray:
        parts = [getattr(j, name) for j in journeys if j is not None]
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    options = Options(ships, np.array([j.time_h for j in journeys if j is not None],
                                      dtype=np.float64),
                      np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
                      cat("kind", np.int64), cat("ref", np.int64), cat("dep_h", np.float64),
                      cat("arr_h", np.float64))
    return Assignment(options, first_choice, lost, no_capacity, incomplete)

"""Capacity-aware routing: shipments booked one at a time, in priority order, on what is left.

Capacities (from the prepared :class:`~silkroad_routing.compile.Problem`):

* per leg of a departure: kg, TEU and ULD positions; a shipment takes its
  :data:`~silkroad_routing.compile.shipments.USE_COLUMNS` on every leg it rides (a full load its
  FEUs, a part load its volume share, as network design counts them);
* per hub and local day: tonnes handled, counted as the KPIs count handling
  (:func:`~silkroad_routing.kpi.hub_day_throughput`): at the origin on the day the first leg
  leaves, and where freight leaves a vehicle or crosses a gauge-change border, on the day of
  that vehicle's arrival;
* per border crossing and local day: TEU that may cross, the trains a day that the crossing
  takes times the TEU of a train there
  (:func:`~silkroad_routing.model.capacity.crossing_teu_day`); a shipment crosses with its TEU
  on the day its train arrives at the crossing. What finds no room waits for a train on a later
  day: the queue comes out of the flow.

Sequential assignment (``assign="sequential"``): shipments in priority order -- due date (none
last), then ready time, then id -- each take the best route of the objective on the capacity
that is left. Capacity left only shrinks as shipments are booked, so a route that was best on
more capacity and still fits is best on what is left. Every shipment is first routed as if
alone (the batched uncapacitated search); one whose first choice still fits at its turn is
booked on it; the others are searched again, at their turn, by the label search on the
capacity left (:mod:`silkroad_routing.core.timetable.capacity`). (Searching the next ones in
the same batch, on more capacity than they will find, was tried: when shipments compete for
the same departures most of those searches are wasted, and it was slower.) A shipment that
finds no space in the horizon gets reason ``no capacity``; none is dropped. On a re-search,
``fastest`` takes the earliest arrival (ties: cheapest); a shipment whose due date no route
on the capacity left can meet gets the earliest of those routes, and among them the best by
the objective's measure, marked late -- as uncapacitated routing does.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from ..compile.problem import Problem
from ..core.timetable.arrays import KIND_CONNECTION
from ..core.timetable.batch import BatchJourneys, route_batch
from ..core.timetable.capacity import (
    CAPACITY_TOLERANCE,
    NO_CAPACITY,
    CapacityArrays,
    booking_fits,
    booking_take,
)
from ..core.timetable.labels import (
    SELECT_ALL,
    SELECT_GENERALIZED,
    SELECT_MIN_CO2,
    SELECT_MIN_COST,
)
from ..solvers.design.columns import Journey
from ..units import HOURS_PER_DAY
from .tables import Options, journey_options

#: Modes of capacity handling, and of assignment.
CAPACITY_MODES: Final[tuple[str, ...]] = ("respect", "ignore")
ASSIGN_MODES: Final[tuple[str, ...]] = ("sequential", "optimal")
#: Reason of a shipment that finds no space anywhere in the horizon.
REASON_NO_CAPACITY: Final[str] = "no capacity"
#: How a re-search ranks the routes of one shipment (``np.lexsort`` keys: the last first).
_EARLIEST, _EARLIEST_GREENEST, _ONE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Booking:
    """What one route takes: its connections, its hub-day events (``event_hub``,
    ``event_day``) and its border-day crossings (``cross_hub``, ``cross_day``)."""

    conns: NDArray[np.int64]
    event_hub: NDArray[np.int64]
    event_day: NDArray[np.int64]
    cross_hub: NDArray[np.int64]
    cross_day: NDArray[np.int64]


class Ledger:
    """The capacity left: per connection (kg, TEU, positions), per hub-day (tonnes) and per
    border-day (TEU)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        tt = problem.timetable
        n_days = problem.day_start_h.shape[0]
        self.conn_left = problem.conn_capacity.copy()
        self.hub_left_t = np.ascontiguousarray(
            np.repeat(problem.hub_capacity_t_day[:, None], n_days, axis=1))
        self.border_left_teu = np.ascontiguousarray(
            np.repeat(problem.hub_crossing_teu_day[:, None], n_days, axis=1))
        self.gauge = np.ascontiguousarray(problem.hub_gauge_change)
        self.border = np.isfinite(problem.hub_crossing_teu_day)
        self.dep_day = np.ascontiguousarray(problem.day_of(tt.conn_dep_h), dtype=np.int64)
        self.arr_day = np.ascontiguousarray(problem.day_of(tt.conn_arr_h), dtype=np.int64)
        self.link_from = np.repeat(np.arange(tt.n_hubs), np.diff(tt.link_indptr))
        self.day_starts = problem.day_start_h.tolist()

    def arrays(self) -> CapacityArrays:
        """The capacity left, for the label search."""
        return CapacityArrays(self.conn_left, self.border_left_teu, self.dep_day, self.arr_day,
                              self.problem.day_start_h, self.hub_left_t, self.gauge,
                              NO_CAPACITY.hub_usd_per_t)

    def booking(self, journey: Journey) -> Booking:
        """The capacity ``journey`` takes (its events, as the module docstring counts them)."""
        tt = self.problem.timetable
        kind, ref = journey.kind.tolist(), journey.ref.tolist()
        n = len(kind)
        conns, hubs, days, cross_hub, cross_day = [], [], [], [], []
        if n:
            if kind[0] == KIND_CONNECTION:
                hubs.append(int(tt.conn_from[ref[0]]))
                days.append(int(self.dep_day[ref[0]]))
            else:
                hubs.append(int(self.link_from[ref[0]]))
                days.append(self._day(float(journey.dep_h[0])))
        for i in range(n):
            r = ref[i]
            if kind[i] == KIND_CONNECTION:
                conns.append(r)
                to, day = int(tt.conn_to[r]), int(self.arr_day[r])
                aboard = (i + 1 < n and kind[i + 1] == KIND_CONNECTION
                          and tt.conn_trip[r] == tt.conn_trip[ref[i + 1]])
                if self.border[to]:
                    cross_hub.append(to)
                    cross_day.append(day)
            else:
                to, day, aboard = int(tt.link_to[r]), self._day(float(journey.arr_h[i])), False
            if not aboard or self.gauge[to]:
                hubs.append(to)
                days.append(day)
        ints = np.int64
        return Booking(np.array(conns, ints), np.array(hubs, ints), np.array(days, ints),
                       np.array(cross_hub, ints), np.array(cross_day, ints))

    def _day(self, t: float) -> int:
        """Local day of time ``t`` (as :meth:`Problem.day_of`)."""
        day = bisect_right(self.day_starts, t) - 1
        return min(max(day, 0), len(self.day_starts) - 1)

    def fits(self, booking: Booking, use: NDArray[np.float64]) -> bool:
        """Whether a shipment taking ``use`` (kg, TEU, positions) fits ``booking``."""
        return bool(booking_fits(self.conn_left, self.hub_left_t, self.border_left_teu, use,
                                 booking.conns, booking.event_hub, booking.event_day,
                                 booking.cross_hub, booking.cross_day))

    def book(self, booking: Booking, use: NDArray[np.float64]) -> None:
        """Take ``booking``'s capacity for a shipment of ``use``."""
        booking_take(self.conn_left, self.hub_left_t, self.border_left_teu, use, booking.conns,
                     booking.event_hub, booking.event_day, booking.cross_hub, booking.cross_day)

    def shortfall(self, booking: Booking, use: NDArray[np.float64]) -> str:
        """What of ``booking`` has no room left: a departure, a hub-day or a crossing."""
        tt = self.problem.timetable
        for c in booking.conns.tolist():
            if np.any(self.conn_left[c] < use - CAPACITY_TOLERANCE):
                return tt.departure_ids[int(tt.conn_trip[c])]
        for hub, day in zip(booking.event_hub.tolist(), booking.event_day.tolist(), strict=True):
            if self.hub_left_t[hub, day] < use[0] / 1000.0 - CAPACITY_TOLERANCE:
                return f"hub {tt.hub_codes[hub]} day {day}"
        for hub, day in zip(booking.cross_hub.tolist(), booking.cross_day.tolist(), strict=True):
            if self.border_left_teu[hub, day] < use[1] - CAPACITY_TOLERANCE:
                return f"crossing {tt.hub_codes[hub]} day {day}"
        return ""


def priority_order(problem: Problem) -> NDArray[np.int64]:
    """Shipments by due date (none last), then ready time, then id."""
    arrays = problem.shipments
    return np.lexsort((arrays.ids.astype(str), arrays.ready_h, arrays.due_h)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class _Pass:
    """One search pass: deadlines (per member), selection rule, criteria, CO2 price, rank."""

    deadline_h: NDArray[np.float64]
    select: int
    n_criteria: int
    price: float
    rank: int


class Researcher:
    """Searches shipments again on the capacity left (the module docstring's re-search)."""

    def __init__(self, problem: Problem, objective: str, max_labels: int,
                 tolerance_h: float) -> None:
        self.problem = problem
        self.objective = objective
        self.max_labels = max_labels
        self.tolerance_h = tolerance_h

    def search(self, members: NDArray[np.int64], capacity: CapacityArrays
               ) -> tuple[list[Journey | None], NDArray[np.bool_]]:
        """The best route of each member on ``capacity`` (None where none), and whether its
        search hit the label cap."""
        p, objective = self.problem, self.objective
        arrays = p.shipments
        found: list[Journey | None] = [None] * members.size
        capped = np.zeros(members.size, dtype=bool)
        todo = np.arange(members.size)
        if objective != "fastest":
            select, n_criteria, price = {
                "cheapest": (SELECT_MIN_COST, 2, 0.0), "greenest": (SELECT_MIN_CO2, 3, 0.0),
                "generalized": (SELECT_GENERALIZED, 2, p.costs.co2_price_usd_per_kg),
            }[objective]
            deadline = arrays.due_h[members] + self.tolerance_h
            self._run(members, todo, _Pass(deadline, select, n_criteria, price, _ONE), capacity,
                      found, capped)
            todo = np.array([k for k in todo.tolist() if found[k] is None], dtype=np.int64)
        # Fastest, or no route by the due date: the earliest arrival, and among those the
        # objective's own measure (cheapest, or greenest for greenest). Every route arriving by
        # a deadline is in that search's front, so the earliest found by a deadline that has
        # found one is the earliest of all: deadlines double from a day past the due date (or
        # the ready time) until every member has a route, or the last is unbounded.
        greenest = objective == "greenest"
        price = p.costs.co2_price_usd_per_kg if objective == "generalized" else 0.0
        rank = _EARLIEST_GREENEST if greenest else _EARLIEST
        base = np.where(np.isfinite(arrays.due_h[members]), arrays.due_h[members],
                        arrays.ready_h[members])
        span = HOURS_PER_DAY
        while todo.size:
            last = span > self.problem.timetable.horizon_h + HOURS_PER_DAY
            deadline = np.full(members.size, np.inf) if last else base + span
            self._run(members, todo, _Pass(deadline, SELECT_ALL, 3 if greenest else 2, price,
                                           rank), capacity, found, capped)
            todo = np.array([k for k in todo.tolist() if found[k] is None], dtype=np.int64)
            if last:
                break
            span *= 2.0
        return found, capped

    def _run(self, members: NDArray[np.int64], todo: NDArray[np.int64], how: _Pass,
             capacity: CapacityArrays, found: list[Journey | None],
             capped: NDArray[np.bool_]) -> None:
        arrays = self.problem.shipments
        ships = members[todo]
        result = route_batch(
            self.problem.timetable.arrays, arrays.origin[ships], arrays.ready_h[ships],
            arrays.mode_mask[ships], arrays.q[ships], arrays.weight_kg[ships],
            np.arange(ships.size + 1), arrays.destination[ships], how.deadline_h[todo],
            arrays.vot_usd_per_h[ships], select=how.select, n_criteria=how.n_criteria,
            co2_price_usd_per_kg=how.price, max_labels=self.max_labels, capacity=capacity,
            use=arrays.use[ships])
        capped[todo] |= result.overflow
        for t, k in enumerate(todo.tolist()):
            options = np.flatnonzero(result.target == t)
            if options.size:
                found[k] = _journey(result, _best(result, options, how.rank))


def _best(found: BatchJourneys, options: NDArray[np.int64], rank: int) -> int:
    """The option of ``options`` that ``rank`` puts first."""
    if rank == _ONE or options.size == 1:
        return int(options[0])
    time, cost, co2 = found.time_h[options], found.cost_usd[options], found.co2e_kg[options]
    keys = (co2, cost, time) if rank == _EARLIEST else (cost, co2, time)
    return int(options[np.lexsort(keys)[0]])


def _journey(found: BatchJourneys, j: int) -> Journey:
    lo, hi = found.leg_ptr[j], found.leg_ptr[j + 1]
    return Journey(found.leg_kind[lo:hi].copy(), found.leg_ref[lo:hi].copy(),
                   found.leg_dep_h[lo:hi].copy(), found.leg_arr_h[lo:hi].copy(),
                   float(found.time_h[j]))


@dataclass(frozen=True, slots=True)
class Assignment:
    """Result of :func:`assign_sequential`: the booked routes (as Options), per shipment
    whether capacity left it its uncapacitated first choice (True too for a shipment with no
    path at all), the departure, hub-day or crossing it lost (``""`` if none), whether it found
    no space, whether a re-search hit its label cap, and how many re-searches ran."""

    options: Options
    first_choice: NDArray[np.bool_]
    lost_departure: NDArray[np.object_]
    no_capacity: NDArray[np.bool_]
    incomplete: NDArray[np.bool_]
    searches: int


def _journeys(options: Options, n: int) -> list[Journey | None]:
    out: list[Journey | None] = [None] * n
    for j in range(options.shipment.size):
        lo, hi = options.leg_ptr[j], options.leg_ptr[j + 1]
        out[int(options.shipment[j])] = Journey(
            options.leg_kind[lo:hi], options.leg_ref[lo:hi], options.leg_dep_h[lo:hi],
            options.leg_arr_h[lo:hi], float(options.time_h[j]))
    return out


def _as_options(booked: list[Journey | None]) -> Options:
    ships = np.array([i for i, j in enumerate(booked) if j is not None], dtype=np.int64)
    return journey_options(ships, [j for j in booked if j is not None])


def assign_sequential(problem: Problem, objective: str, first: Options, max_labels: int,
                      tolerance_h: float) -> Assignment:
    """Book every shipment in :func:`priority_order` on the capacity left (module docstring),
    starting from its uncapacitated first choice in ``first`` (one option per routed
    shipment)."""
    n = len(problem)
    use = problem.shipments.use
    ledger = Ledger(problem)
    researcher = Researcher(problem, objective, max_labels, tolerance_h)
    firsts = _journeys(first, n)
    first_booking = [None if j is None else ledger.booking(j) for j in firsts]
    booked: list[Journey | None] = [None] * n
    first_choice = np.zeros(n, dtype=bool)
    lost = np.full(n, "", dtype=object)
    no_capacity = np.zeros(n, dtype=bool)
    incomplete = np.zeros(n, dtype=bool)
    searches = 0
    for i in priority_order(problem).tolist():
        fb = first_booking[i]
        if fb is None:
            first_choice[i] = True  # no path at all: capacity took nothing from it
            continue
        if ledger.fits(fb, use[i]):
            first_choice[i] = True
            ledger.book(fb, use[i])
            booked[i] = firsts[i]
            continue
        lost[i] = ledger.shortfall(fb, use[i])
        routes, capped = researcher.search(np.array([i]), ledger.arrays())
        searches += 1
        incomplete[i] = capped[0]
        if routes[0] is None:
            no_capacity[i] = True
            continue
        ledger.book(ledger.booking(routes[0]), use[i])
        booked[i] = routes[0]
    return Assignment(_as_options(booked), first_choice, lost, no_capacity, incomplete, searches)

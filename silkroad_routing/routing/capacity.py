"""Capacity-aware routing: shipments booked one at a time, in priority order, on what is left.

Capacities (from the prepared :class:`~silkroad_routing.compile.Problem`):

* per leg of a departure: kg, TEU and ULD positions; a shipment takes its
  :data:`~silkroad_routing.compile.shipments.USE_COLUMNS` on every leg it rides (a full load its
  FEUs, a part load its volume share, as network design counts them);
* per hub and local day: tonnes handled, counted as the KPIs count handling
  (:func:`~silkroad_routing.kpi.hub_day_throughput`): at the origin on the day the first leg
  leaves, and where freight leaves a vehicle or crosses a gauge-change border, on the day of
  that vehicle's arrival;
* per leg of a departure and cargo class, the class's reefer space (``reefer_teu`` of its
  rule for the service, :mod:`~silkroad_routing.compile.classes`): the TEU of that class's
  shipments, on top of the leg's own capacity;
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
``fastest`` takes the earliest arrival; a shipment whose due date no route on the capacity
left can meet gets the earliest of those routes, and among them the best by the objective's
measure, marked late -- as uncapacitated routing does.

The loop runs compiled (:func:`~silkroad_routing.core.timetable.scan.sequential_earliest_kernel`):
first choices are checked and booked there, and it stops at each shipment to search again,
which the label search books before the loop resumes. For ``fastest`` the compiled loop
searches again itself, with the earliest-arrival scan on the capacity left (among equal
arrivals, the journey the scan finds first, as uncapacitated ``fastest``; shipments of one
origin, ready time and mode set share a scan while its route fits); it stops only where
that scan cannot be sure its arrival is the earliest (a link arrival refused by a full
hub-day, or a trip to board again after a full leg), and the label search decides (ties:
cheapest).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from ..compile.classes import REFUSED_AFTER_H
from ..compile.problem import Problem
from ..compile.shipments import USE_TEU
from ..core.timetable.batch import BatchJourneys, route_batch
from ..core.timetable.capacity import (
    NO_CAPACITY,
    SHORT_CROSSING,
    SHORT_HUB_DAY,
    SHORT_LEG,
    SHORT_NONE,
    BookingRules,
    CapacityArrays,
    booking_events,
    booking_shortfall,
    booking_take,
)
from ..core.timetable.labels import (
    SELECT_ALL,
    SELECT_GENERALIZED,
    SELECT_MIN_CO2,
    SELECT_MIN_COST,
)
from ..core.timetable.scan import (
    SEQ_FIRST,
    SEQ_MOVED,
    SEQ_NO_CAPACITY,
    earliest_capacity_bound,
    sequential_earliest_kernel,
)
from ..solvers.design.columns import Journey
from ..units import HOURS_PER_DAY
from .tables import Options, concat_options, journey_options, take_options

#: Modes of capacity handling, and of assignment.
CAPACITY_MODES: Final[tuple[str, ...]] = ("respect", "ignore")
ASSIGN_MODES: Final[tuple[str, ...]] = ("sequential", "optimal")
#: Reason of a shipment that finds no space anywhere in the horizon.
REASON_NO_CAPACITY: Final[str] = "no capacity"
#: How a re-search ranks the routes of one shipment (``np.lexsort`` keys: the last first).
_EARLIEST, _EARLIEST_GREENEST, _ONE = 0, 1, 2
#: Hours of slack where the compiled scan's arrivals meet the label search's deadlines.
_SLACK_H: Final[float] = 1e-6


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
        #: Reefer space left per connection, TEU, of each class that has some (:meth:`pool`).
        self.pool_left: dict[str, NDArray[np.float64]] = {}
        self.hub_left_t = np.ascontiguousarray(
            np.repeat(problem.hub_capacity_t_day[:, None], n_days, axis=1))
        self.border_left_teu = np.ascontiguousarray(
            np.repeat(problem.hub_crossing_teu_day[:, None], n_days, axis=1))
        self.gauge = np.ascontiguousarray(problem.hub_gauge_change)
        self.border = np.isfinite(problem.hub_crossing_teu_day)
        self.dep_day = np.ascontiguousarray(problem.day_of(tt.conn_dep_h), dtype=np.int64)
        self.arr_day = np.ascontiguousarray(problem.day_of(tt.conn_arr_h), dtype=np.int64)
        link_from = np.repeat(np.arange(tt.n_hubs, dtype=np.int64), np.diff(tt.link_indptr))
        self.rules = BookingRules(tt.conn_from, tt.conn_to, tt.conn_trip, self.dep_day,
                                  self.arr_day, link_from, tt.link_to, self.border, self.gauge,
                                  problem.day_start_h)

    def arrays(self, cargo_class: str | None = None) -> CapacityArrays:
        """The capacity left, for the label search (the arrays themselves, which the compiled
        loop takes from in place); for a ``cargo_class`` with reefer space of its own, a copy
        whose TEU left on each leg is no more than that space left."""
        conn_left = self.conn_left
        pool = self.pool_left.get(cargo_class or "")
        if pool is not None:
            conn_left = conn_left.copy()
            conn_left[:, USE_TEU] = np.minimum(conn_left[:, USE_TEU], pool)
        return CapacityArrays(conn_left, self.border_left_teu, self.dep_day, self.arr_day,
                              self.problem.day_start_h, self.hub_left_t, self.gauge,
                              NO_CAPACITY.hub_usd_per_t)

    def pool(self, classes: NDArray[np.object_]) -> NDArray[np.bool_]:
        """Per shipment (``classes``, one cargo class each): its class has reefer space of its
        own on some departure; that space is counted from here on (:attr:`pool_left`)."""
        views = self.problem.classes
        for cls in set(classes.tolist()):
            view = views.view(cls)
            if view.pooled and cls not in self.pool_left:
                self.pool_left[cls] = view.conn_reefer_teu.copy()
        return np.array([c in self.pool_left for c in classes.tolist()], dtype=bool)

    def booking(self, journey: Journey) -> Booking:
        """The capacity ``journey`` takes (its events, as the module docstring counts them)."""
        return Booking(*booking_events(*self.rules, journey.kind, journey.ref, journey.dep_h,
                                       journey.arr_h))

    def book(self, booking: Booking, use: NDArray[np.float64],
             cargo_class: str | None = None) -> None:
        """Take ``booking``'s capacity for a shipment of ``use`` (and of ``cargo_class``: its
        TEU from the class's reefer space on every leg)."""
        booking_take(self.conn_left, self.hub_left_t, self.border_left_teu, use, booking.conns,
                     booking.event_hub, booking.event_day, booking.cross_hub, booking.cross_day)
        pool = self.pool_left.get(cargo_class or "")
        if pool is not None:
            np.subtract.at(pool, booking.conns, use[USE_TEU])

    def shortfall(self, booking: Booking, use: NDArray[np.float64],
                  cargo_class: str) -> tuple[int, int, int]:
        """:func:`~silkroad_routing.core.timetable.capacity.booking_shortfall` of ``booking``
        on the capacity left to ``cargo_class``."""
        left = self.arrays(cargo_class)
        why, a, b = booking_shortfall(left.conn_left, self.hub_left_t, self.border_left_teu, use,
                                      booking.conns, booking.event_hub, booking.event_day,
                                      booking.cross_hub, booking.cross_day)
        return int(why), int(a), int(b)

    def describe(self, why: int, a: int, b: int) -> str:
        """A :func:`~silkroad_routing.core.timetable.capacity.booking_shortfall` in words: the
        departure id, ``hub CODE day D`` or ``crossing CODE day D`` (``""`` for none)."""
        tt = self.problem.timetable
        if why == SHORT_LEG:
            return tt.departure_ids[int(tt.conn_trip[a])]
        if why == SHORT_HUB_DAY:
            return f"hub {tt.hub_codes[a]} day {b}"
        if why == SHORT_CROSSING:
            return f"crossing {tt.hub_codes[a]} day {b}"
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
        # An arrival that a route fitting the capacity left reaches (the compiled scan's), and
        # whether it is the earliest (module docstring of scan: the scan may be unsure).
        bound = np.full(members.size, np.inf)
        sure = np.zeros(members.size, dtype=bool)
        for k in range(members.size):
            bound[k], sure[k] = self._earliest_bound(int(members[k]), capacity)
        if objective != "fastest":
            select, n_criteria, price = {
                "cheapest": (SELECT_MIN_COST, 2, 0.0), "greenest": (SELECT_MIN_CO2, 3, 0.0),
                "generalized": (SELECT_GENERALIZED, 2, p.costs.co2_price_usd_per_kg),
            }[objective]
            deadline = arrays.due_h[members] + self.tolerance_h
            # No search by the due date where the earliest route that fits is surely later.
            # (A hair of slack on every comparison of the scan's times with the label
            # search's: the two sum the same times in their own order.)
            hopeless = sure & (bound > deadline + _SLACK_H)
            on_time = todo[~hopeless]
            if on_time.size:
                self._run(members, on_time, _Pass(deadline, select, n_criteria, price, _ONE),
                          capacity, found, capped)
            todo = np.array([k for k in todo.tolist() if found[k] is None], dtype=np.int64)
        # Fastest, or no route by the due date: the earliest arrival, and among those the
        # objective's own measure (cheapest, or greenest for greenest). Every route arriving by
        # a deadline is in that search's front, so the earliest found by a deadline that has
        # found one is the earliest of all. The deadline is the scan's arrival; where the scan
        # finds none but is unsure (a route may need to wait at a hub for a day with room),
        # deadlines double from a day past the due date (or the ready time) until every member
        # has a route, or the last is unbounded. Where the scan is sure none fits, none does.
        greenest = objective == "greenest"
        price = p.costs.co2_price_usd_per_kg if objective == "generalized" else 0.0
        rank = _EARLIEST_GREENEST if greenest else _EARLIEST
        criteria = 3 if greenest else 2
        scanned = todo[np.isfinite(bound[todo])]
        if scanned.size:
            self._run(members, scanned, _Pass(bound + _SLACK_H, SELECT_ALL, criteria, price,
                                              rank), capacity, found, capped)
        todo = np.array([k for k in todo.tolist() if found[k] is None and not (
            sure[k] and bound[k] == np.inf)], dtype=np.int64)
        base = np.where(np.isfinite(arrays.due_h[members]), arrays.due_h[members],
                        arrays.ready_h[members])
        span = HOURS_PER_DAY
        while todo.size:
            last = span > self.problem.timetable.horizon_h + HOURS_PER_DAY
            deadline = np.full(members.size, np.inf) if last else base + span
            self._run(members, todo, _Pass(deadline, SELECT_ALL, criteria, price, rank),
                      capacity, found, capped)
            todo = np.array([k for k in todo.tolist() if found[k] is None], dtype=np.int64)
            if last:
                break
            span *= 2.0
        return found, capped

    def _earliest_bound(self, i: int, capacity: CapacityArrays) -> tuple[float, bool]:
        """:func:`~silkroad_routing.core.timetable.scan.earliest_capacity_bound` of shipment
        ``i`` on ``capacity``, on its cargo class's view of the timetable."""
        arrays = self.problem.shipments
        tt = self.problem.classes.view(str(arrays.table.cargo_class[i])).timetable.arrays
        arrival, sure = earliest_capacity_bound(
            tt.conn_from, tt.conn_to, tt.conn_dep_h, tt.conn_arr_h, tt.conn_trip, tt.conn_mode,
            tt.link_indptr, tt.link_to, tt.link_duration_h, tt.link_mode, tt.hub_dwell_h,
            tt.transfer_allowed, tt.transfer_h, capacity.conn_left, capacity.border_left_teu,
            capacity.conn_dep_day, capacity.conn_arr_day, capacity.day_start_h,
            capacity.hub_left_t, capacity.hub_gauge, arrays.use[i], int(arrays.origin[i]),
            float(arrays.ready_h[i]), int(arrays.mode_mask[i]), int(arrays.destination[i]))
        # A route over a leg the class refuses arrives "never" (compile.classes).
        return (float(arrival) if arrival < REFUSED_AFTER_H else np.inf), bool(sure)

    def _run(self, members: NDArray[np.int64], todo: NDArray[np.int64], how: _Pass,
             capacity: CapacityArrays, found: list[Journey | None],
             capped: NDArray[np.bool_]) -> None:
        # Each shipment on its cargo class's view of the timetable (same indices, so the
        # capacity left applies as it is); deadlines stop short of the refused legs.
        arrays = self.problem.shipments
        for view, part in self.problem.classes.split(arrays.table.cargo_class[members[todo]],
                                                     np.arange(todo.size)):
            sub = todo[part]
            ships = members[sub]
            result = route_batch(
                view.timetable.arrays, arrays.origin[ships], arrays.ready_h[ships],
                arrays.mode_mask[ships], arrays.q[ships], arrays.weight_kg[ships],
                np.arange(ships.size + 1), arrays.destination[ships],
                np.minimum(how.deadline_h[sub], REFUSED_AFTER_H),
                arrays.vot_usd_per_h[ships], select=how.select, n_criteria=how.n_criteria,
                co2_price_usd_per_kg=how.price, max_labels=self.max_labels, capacity=capacity,
                use=arrays.use[ships])
            capped[sub] |= result.overflow
            for t, k in enumerate(sub.tolist()):
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


def assign_sequential(problem: Problem, objective: str, first: Options, max_labels: int,
                      tolerance_h: float, ledger: Ledger | None = None) -> Assignment:
    """Book every shipment in :func:`priority_order` on the capacity left (module docstring),
    starting from its uncapacitated first choice in ``first`` (one option per routed
    shipment). ``ledger``: the capacity left to book on (taken in place; default: all of
    ``problem``'s capacity)."""
    n = len(problem)
    arrays = problem.shipments
    ledger = Ledger(problem) if ledger is None else ledger
    researcher = Researcher(problem, objective, max_labels, tolerance_h)
    order = priority_order(problem)
    firsts = _by_shipment(first, n)
    status = np.full(n, SEQ_FIRST, dtype=np.int64)
    short = np.full((3, n), -1, dtype=np.int64)
    incomplete = np.zeros(n, dtype=bool)
    moved: list[Options] = []
    searched_ships: list[int] = []
    searched: list[Journey] = []
    queries = _queries(problem)
    k, searches = 0, 0
    # The compiled loop's own re-search scans the shared timetable: with cargo-class rules in
    # play the label search re-searches instead, on each class's view.
    classes = arrays.table.cargo_class
    scan = objective == "fastest" and not problem.classes.changed_any(classes)
    # Shipments whose class has reefer space of its own are checked here, one at a time: the
    # compiled loop runs up to the next of them.
    pooled = ledger.pool(classes)
    pooled_at = np.flatnonzero(pooled[order])
    while k < order.size:
        nxt = int(np.searchsorted(pooled_at, k))
        stop = int(pooled_at[nxt]) if nxt < pooled_at.size else order.size
        k, ships, found_h, *legs = sequential_earliest_kernel(
            *problem.timetable.arrays, *ledger.arrays(), ledger.rules.link_from,
            ledger.rules.hub_border, order[:stop], k, scan, *queries, arrays.origin,
            arrays.ready_h, arrays.mode_mask, arrays.destination, arrays.use, firsts.leg_ptr,
            firsts.leg_kind, firsts.leg_ref, firsts.leg_dep_h, firsts.leg_arr_h, status,
            short[0], short[1], short[2])
        searches += ships.size
        moved.append(Options(ships, found_h, *legs))
        if k == order.size:
            break
        i = int(order[k])
        cls = str(classes[i]) if pooled[i] else None
        if k == stop and cls is not None:
            lo, hi = firsts.leg_ptr[i], firsts.leg_ptr[i + 1]
            if lo == hi:  # no path at all: capacity took nothing from it
                k += 1
                continue
            booking = ledger.booking(Journey(firsts.leg_kind[lo:hi], firsts.leg_ref[lo:hi],
                                             firsts.leg_dep_h[lo:hi], firsts.leg_arr_h[lo:hi],
                                             float(firsts.time_h[i])))
            why, a, b = ledger.shortfall(booking, arrays.use[i], cls)
            if why == SHORT_NONE:
                ledger.book(booking, arrays.use[i], cls)
                k += 1
                continue
            short[:, i] = why, a, b
        routes, capped = researcher.search(np.array([i]), ledger.arrays(cls))
        searches += 1
        incomplete[i] = capped[0]
        route = routes[0]
        if route is None:
            status[i] = SEQ_NO_CAPACITY
        else:
            status[i] = SEQ_MOVED
            ledger.book(ledger.booking(route), arrays.use[i], cls)
            searched_ships.append(i)
            searched.append(route)
        k += 1
    kept = np.flatnonzero(status[first.shipment] == SEQ_FIRST)
    parts = [take_options(first, kept), *moved,
             journey_options(np.array(searched_ships, dtype=np.int64), searched)]
    lost = np.full(n, "", dtype=object)
    for i in np.flatnonzero(status != SEQ_FIRST).tolist():
        lost[i] = ledger.describe(int(short[0, i]), int(short[1, i]), int(short[2, i]))
    return Assignment(concat_options(parts), status == SEQ_FIRST, lost,
                      status == SEQ_NO_CAPACITY, incomplete, searches)


def _queries(problem: Problem) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Per shipment its query (same origin, ready time and modes), and per query its
    destinations as CSR (``query_ptr``, ``query_hub``), as ``sequential_earliest_kernel``
    shares scans."""
    arrays = problem.shipments
    keys = np.column_stack([arrays.origin.astype(np.float64), arrays.ready_h,
                            arrays.mode_mask.astype(np.float64)])
    _, query = np.unique(keys, axis=0, return_inverse=True)
    query = query.reshape(-1).astype(np.int64)
    pairs = np.unique(np.column_stack([query, arrays.destination]), axis=0)
    n_query = int(query.max()) + 1 if query.size else 0
    query_ptr = np.concatenate(([0], np.cumsum(np.bincount(pairs[:, 0], minlength=n_query))))
    return (query, query_ptr.astype(np.int64),
            np.ascontiguousarray(pairs[:, 1], dtype=np.int64))


def _by_shipment(options: Options, n: int) -> Options:
    """One entry per shipment ``0..n-1`` (no legs where ``options`` has none), as
    ``sequential_earliest_kernel`` reads first choices."""
    index = np.full(n, -1, dtype=np.int64)
    index[options.shipment] = np.arange(options.shipment.size)
    had = index >= 0
    lengths = np.zeros(n, dtype=np.int64)
    lengths[had] = np.diff(options.leg_ptr)[index[had]]
    starts = np.zeros(n, dtype=np.int64)
    starts[had] = options.leg_ptr[:-1][index[had]]
    time_h = np.full(n, np.inf)
    time_h[had] = options.time_h[index[had]]
    leg_ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    take = (np.repeat(starts - leg_ptr[:-1], lengths) + np.arange(leg_ptr[-1])).astype(np.int64)
    return Options(np.arange(n, dtype=np.int64), time_h, leg_ptr, options.leg_kind[take],
                   options.leg_ref[take], options.leg_dep_h[take], options.leg_arr_h[take])

"""``sr.route``: timetable routing of many shipments, batched.

1. The network is expanded over the planning horizon (:func:`compile_timetable`).
2. Earliest arrivals: one forward connection scan per (origin, ready time, mode set) serves
   all the destinations of the shipments that share it, journeys included. When shipments
   share destinations far more than departures, one backward profile scan per (destination,
   mode set) gives the arrival times of all of them instead (any origin, any ready time). They
   tell which shipments have no path and which cannot meet their due date.
3. Cost objectives run one exact multi-criteria label search per (origin, ready time, mode set,
   size); each shipment sharing it gets exactly what it would get alone.

Each shipment is searched on its cargo class's view of the timetable
(:mod:`silkroad_routing.compile.classes`: refused services, links and hubs left out,
surcharges in the prices, the same connection indices); one whose class no route accepts is
told which rule refused it (:mod:`silkroad_routing.routing.classes`).

Objectives (deterministic; ties as stated):

* ``fastest``: earliest arrival (among equal arrivals, the journey the scan finds first,
  boarding from the state that is ready first).
* ``cheapest``: least cost arriving by the due date (ties: earliest).
* ``greenest``: least CO2e arriving by the due date (ties: cheapest, then earliest).
* ``generalized``: least cost + value of time x hours (ready to arrival) + CO2 price x CO2e,
  arriving by the due date (ties: earliest).
* ``pareto``: every route not dominated in (arrival, cost) -- or (arrival, cost, CO2e) with
  ``pareto_co2=True`` --, earliest first, due date or not.

A shipment whose due date no route can meet gets the least late route, marked late with reason
``deadline impossible`` (or no route with that reason when ``allow_late=False``): the earliest
arrival, and among routes arriving then the best by the objective's own measure (the cheapest
for ``cheapest``, the greenest for ``greenest``, the least generalized cost for
``generalized``; ``fastest`` as for any shipment). One with no
route at all in the horizon is reported with reason ``no path`` (or, when only its cargo
class's rules leave it none, ``no route accepts <class> from <origin>: <rule>``). None is
dropped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Literal

import numpy as np
import pandas as pd

from ..compile.classes import REFUSED_AFTER_H, ClassViews
from ..compile.problem import Problem, as_problem
from ..compile.process import arrive_by_h
from ..compile.shipments import ShipmentArrays, Shipments
from ..compile.timetable import Timetable
from ..core.timetable.arrays import KIND_CONNECTION
from ..core.timetable.batch import route_batch
from ..core.timetable.labels import (
    DEFAULT_MAX_LABELS,
    SELECT_ALL,
    SELECT_GENERALIZED,
    SELECT_MIN_CO2,
    SELECT_MIN_COST,
)
from ..core.timetable.profile import earliest_arrival_profile, evaluate_profile
from ..core.timetable.scan import earliest_arrival_batch
from ..errors import InputError
from ..model import Costs, Network, SolverParams
from ..plan import REASON_DEADLINE_IMPOSSIBLE, REASON_NO_PATH, Plan
from ..units import TIME_TOLERANCE_H
from .capacity import (
    ASSIGN_MODES,
    CAPACITY_MODES,
    REASON_NO_CAPACITY,
    Ledger,
    assign_sequential,
)
from .classes import class_reasons
from .optimal import assign_optimal, reasons_of, solve_summary
from .regimes import has_regimes, route_by_regime
from .tables import Options, build_tables, concat_options, take_options

Objective = Literal["cheapest", "fastest", "greenest", "pareto", "generalized"]
OBJECTIVES: Final[tuple[str, ...]] = ("cheapest", "fastest", "greenest", "pareto", "generalized")
#: Objectives of an optimal assignment: the total cost the costs define.
OPTIMAL_OBJECTIVES: Final[tuple[str, ...]] = ("cheapest", "generalized")
#: Cost of one backward profile scan in forward scans (measured on four_roads): earliest
#: arrivals come from profiles when shipments share destinations much more than departures.
PROFILE_SCAN_COST: Final[int] = 100
#: Targets per kernel call when a progress bar is shown (it advances between calls).
CHUNK_TARGETS: Final[int] = 2000


class _Progress:
    """A rich progress bar, or nothing (off, or not a terminal)."""

    def __init__(self, enabled: bool, total: int) -> None:
        self._bar = None
        self.done = 0
        self.chunk = max(total, 1)  # members per kernel call: all at once without a bar
        if enabled and total > 0 and sys.stderr.isatty():
            from rich.progress import Progress

            self._bar = Progress(transient=True)
            self._task = self._bar.add_task("routing shipments", total=total)
            self.chunk = CHUNK_TARGETS

    @contextmanager
    def running(self) -> Iterator[_Progress]:
        if self._bar is None:
            yield self
            return
        with self._bar:
            yield self

    def advance(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.advance(self._task, n)


def _groups(keys: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Members sorted so that equal key rows are adjacent, and the start of each group."""
    order = np.lexsort(keys.T[::-1])
    sorted_keys = keys[order]
    new = np.r_[True, np.any(sorted_keys[1:] != sorted_keys[:-1], axis=1)]
    return members[order], np.flatnonzero(new)


def _chunks(starts: np.ndarray, n: int, size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Whole groups, about ``size`` members at a time: (member slice, group starts relative to
    it, with the end appended)."""
    bounds = np.r_[starts, n]
    first = 0
    while first < len(starts):
        last = max(int(np.searchsorted(bounds, bounds[first] + size, side="right")) - 1,
                   first + 1)
        lo, hi = bounds[first], bounds[last]
        yield np.arange(lo, hi), np.r_[starts[first:last], hi] - lo
        first = last


def _earliest(views: ClassViews, arrays: ShipmentArrays, members: np.ndarray,
              progress: _Progress | None = None) -> tuple[np.ndarray, Options]:
    """Earliest arrival of ``members`` (hours, ``inf`` if none; other shipments ``inf``) and
    their journeys, each on its cargo class's view of the timetable."""
    arrival = np.full(len(arrays), np.inf)
    parts = []
    for view, group in views.split(arrays.table.cargo_class, members):
        found, options = _earliest_on(view.timetable, arrays, group, progress)
        arrival[group] = found[group]
        parts.append(options)
    arrival[arrival >= REFUSED_AFTER_H] = np.inf  # only through a leg the class may not use
    options = concat_options(parts)
    return arrival, take_options(options, np.flatnonzero(options.time_h < REFUSED_AFTER_H))


def _earliest_on(tt: Timetable, arrays: ShipmentArrays, members: np.ndarray,
                 progress: _Progress | None = None) -> tuple[np.ndarray, Options]:
    """Earliest arrival of ``members`` on ``tt`` and their journeys: one forward scan per
    (origin, ready time, mode set) serves all its destinations."""
    arrival = np.full(len(arrays), np.inf)
    if members.size == 0:
        return arrival, concat_options([])
    keys = np.column_stack((arrays.origin[members], arrays.ready_h[members],
                            arrays.mode_mask[members]))
    ordered, starts = _groups(keys, members)
    scan = tt.arrays
    parts = []
    for span, ptr in _chunks(starts, len(ordered), progress.chunk if progress else len(members)):
        chunk = ordered[span]
        heads = chunk[ptr[:-1]]
        found = earliest_arrival_batch(scan, arrays.origin[heads], arrays.ready_h[heads],
                                       arrays.mode_mask[heads], ptr, arrays.destination[chunk])
        arrival[chunk] = found.arrival_h
        every = Options(chunk, found.arrival_h, found.leg_ptr, found.leg_kind, found.leg_ref,
                        found.leg_dep_h, found.leg_arr_h)
        parts.append(take_options(every, np.flatnonzero(np.isfinite(found.arrival_h))))
        if progress is not None:
            progress.advance(len(chunk))
    return arrival, concat_options(parts)


def _earliest_by_profile(views: ClassViews, arrays: ShipmentArrays) -> np.ndarray:
    """Earliest arrival of every shipment from one backward profile scan per (cargo class view,
    destination, mode set): any origin, any ready time."""
    arrival = np.full(len(arrays), np.inf)
    for view, group in views.split(arrays.table.cargo_class, np.arange(len(arrays))):
        scan = view.timetable.arrays
        keys = np.column_stack((arrays.destination[group], arrays.mode_mask[group]))
        ordered, starts = _groups(keys, group)
        for lo, hi in zip(starts, np.r_[starts[1:], len(ordered)], strict=True):
            members = ordered[lo:hi]
            profile = earliest_arrival_profile(scan, int(arrays.destination[members[0]]),
                                               float(arrays.ready_h[members].min()),
                                               int(arrays.mode_mask[members[0]]))
            arrival[members] = evaluate_profile(profile, arrays.origin[members],
                                                arrays.ready_h[members])
    arrival[arrival >= REFUSED_AFTER_H] = np.inf
    return arrival


def _n_distinct(columns: tuple[np.ndarray, ...]) -> int:
    return len(np.unique(np.column_stack(columns), axis=0)) if columns[0].size else 0


def _search(views: ClassViews, arrays: ShipmentArrays, members: np.ndarray,
            deadline_h: np.ndarray, select: int, n_criteria: int, co2_price_usd_per_kg: float,
            max_labels: int, progress: _Progress, incomplete: np.ndarray) -> Options:
    """:func:`_search_on` of ``members``, each on its cargo class's view of the timetable;
    deadlines stop short of :data:`REFUSED_AFTER_H` (what arrives later used a refused leg)."""
    deadline = np.full(len(arrays), np.inf)
    deadline[members] = np.minimum(deadline_h, REFUSED_AFTER_H)
    return concat_options([
        _search_on(view.timetable, arrays, group, deadline[group], select, n_criteria,
                   co2_price_usd_per_kg, max_labels, progress, incomplete)
        for view, group in views.split(arrays.table.cargo_class, members)])


def _search_on(tt: Timetable, arrays: ShipmentArrays, members: np.ndarray,
               deadline_h: np.ndarray, select: int, n_criteria: int,
               co2_price_usd_per_kg: float, max_labels: int, progress: _Progress,
               incomplete: np.ndarray) -> Options:
    """One exact label search per (origin, ready time, mode set, size) for ``members`` (one
    deadline each); marks in ``incomplete`` the members whose search hit the label cap."""
    if members.size == 0:
        return concat_options([])
    keys = np.column_stack((arrays.origin[members], arrays.ready_h[members],
                            arrays.mode_mask[members], arrays.weight_kg[members],
                            arrays.q[members]))
    ordered, starts = _groups(keys, members)
    deadline = np.empty(len(arrays))
    deadline[members] = deadline_h
    scan = tt.arrays
    parts = []
    for span, ptr in _chunks(starts, len(ordered), progress.chunk):
        chunk = ordered[span]
        heads = chunk[ptr[:-1]]
        found = route_batch(
            scan, arrays.origin[heads], arrays.ready_h[heads], arrays.mode_mask[heads],
            arrays.q[heads], arrays.weight_kg[heads], ptr, arrays.destination[chunk],
            deadline[chunk], arrays.vot_usd_per_h[chunk], select=select, n_criteria=n_criteria,
            co2_price_usd_per_kg=co2_price_usd_per_kg, max_labels=max_labels)
        incomplete[chunk] = np.repeat(found.overflow, np.diff(ptr))
        parts.append(Options(chunk[found.target], found.time_h, found.leg_ptr, found.leg_kind,
                             found.leg_ref, found.leg_dep_h, found.leg_arr_h))
        progress.advance(len(chunk))
    return concat_options(parts)


def route(
    network: Network | Problem,
    shipments: Shipments | None = None,
    objective: Objective = "cheapest",
    *,
    start: datetime | None = None,
    days: float | None = None,
    costs: Costs | None = None,
    include_optional: bool = False,
    pareto_co2: bool = False,
    allow_late: bool = True,
    max_labels: int = DEFAULT_MAX_LABELS,
    progress: bool = False,
    capacity: Literal["respect", "ignore"] | None = None,
    assign: Literal["sequential", "optimal"] = "sequential",
    params: SolverParams | None = None,
) -> Plan:
    """Route shipments on the network's timetable; one Plan row per shipment-leg.

    ``network`` and ``shipments`` are prepared with ``start``, ``days``, ``costs`` and
    ``include_optional`` as :func:`~silkroad_routing.prepare` does; or ``network`` is a
    prepared :class:`~silkroad_routing.compile.Problem` (then none of those five is given).
    ``costs`` gives each shipment its value of time (for the ``generalized`` objective) and
    the CO2 price; air prices use its chargeable-weight divisor. ``allow_late=False`` keeps
    only routes arriving by the due date (a shipment none can serve gets no route, reason
    ``deadline impossible``; later Pareto options are left out). ``include_optional`` lets
    candidate services (charters) run. ``max_labels`` caps each search; a capped search is
    flagged ``complete = False``, never hidden. ``progress`` shows a progress bar on a
    terminal.

    ``capacity="respect"`` (the default, but for ``pareto``) books every shipment within what
    departures, hubs and border crossings can take (:mod:`~silkroad_routing.routing.capacity`):
    with
    ``assign="sequential"`` shipments in priority order (due date, ready time, id) each take
    the best route on the capacity left; one that finds no space gets reason ``no capacity``.
    ``capacity="ignore"`` books every shipment as if it travelled alone (the plan says so).
    The ``pareto`` objective lists options and books none: its default is ``"ignore"``.
    ``assign="optimal"`` instead finds the least total cost over all shipments under every
    capacity (:mod:`~silkroad_routing.routing.optimal`; objective ``cheapest`` or
    ``generalized``, which the costs make one), within ``params``
    (:class:`~silkroad_routing.SolverParams`); the plan's ``solve`` reports its status, bound
    and gap, and ``shadow_prices`` the capacities worth buying.

    Raises :class:`InputError` for bad shipments (naming row, field and value) or parameters.
    """
    if objective not in OBJECTIVES:
        raise InputError(f"unknown objective (use one of {', '.join(OBJECTIVES)})",
                         field="objective", value=objective)
    if max_labels < 1:
        raise InputError("must be at least 1", field="max_labels", value=max_labels)
    if capacity is None:
        capacity = "ignore" if objective == "pareto" else "respect"
    if capacity not in CAPACITY_MODES:
        raise InputError(f"use one of {', '.join(CAPACITY_MODES)}", field="capacity",
                         value=capacity)
    if assign not in ASSIGN_MODES:
        raise InputError(f"use one of {', '.join(ASSIGN_MODES)}", field="assign", value=assign)
    if assign == "optimal" and (capacity == "ignore" or objective not in OPTIMAL_OBJECTIVES):
        raise InputError("optimal assignment minimises the total cost within capacity: use "
                         "objective cheapest or generalized, capacity respect",
                         field="assign", value=assign)
    if params is not None and not isinstance(params, SolverParams):
        raise InputError("must be a SolverParams", field="params", value=type(params).__name__)
    if objective == "pareto" and capacity == "respect":
        raise InputError("pareto lists options and books none: route it with "
                         "capacity='ignore'", field="capacity", value=capacity)
    problem = as_problem(network, shipments, start=start, days=days, costs=costs,
                         include_optional=include_optional)
    assignment = _Assign(assign, params or SolverParams()) if capacity == "respect" else None
    return _route(problem, objective, pareto_co2=pareto_co2, allow_late=allow_late,
                  max_labels=max_labels, progress=progress, assignment=assignment)


@dataclass(frozen=True, slots=True)
class _Assign:
    """How capacity is shared: ``sequential`` or ``optimal`` (with its solver parameters)."""

    how: str
    params: SolverParams
    ledger: Ledger | None = None  # capacity left, shared by the groups of customs regimes


def _route(problem: Problem, objective: str, *, pareto_co2: bool, allow_late: bool,
           max_labels: int, progress: bool, assignment: _Assign | None) -> Plan:
    """:func:`route` on a prepared problem: per customs regime when there are several
    (:mod:`~silkroad_routing.routing.regimes`)."""
    if has_regimes(problem):
        shared = (replace(assignment, ledger=Ledger(problem))
                  if assignment is not None and assignment.how == "sequential" else assignment)
        return route_by_regime(
            problem, lambda sub, _: _route_one(
                sub, objective, pareto_co2=pareto_co2, allow_late=allow_late,
                max_labels=max_labels, progress=progress, assignment=shared),
            objective=objective, capacity="ignore" if assignment is None else "respect",
            optimal=assignment is not None and assignment.how == "optimal")
    return _route_one(problem, objective, pareto_co2=pareto_co2, allow_late=allow_late,
                      max_labels=max_labels, progress=progress, assignment=assignment)


def _route_one(problem: Problem, objective: str, *, pareto_co2: bool, allow_late: bool,
               max_labels: int, progress: bool, assignment: _Assign | None) -> Plan:
    """Routing of a problem whose shipments share one set of customs rules."""
    tt, arrays, views = problem.timetable, problem.shipments, problem.classes
    # Kernels search by arrival: freight must arrive early enough to be released by its due time.
    arrive_by = arrive_by_h(tt.release_h, arrays.destination, arrays.due_h)
    co2_price_usd_per_kg = problem.costs.co2_price_usd_per_kg
    # Freight whose origin or destination does not handle its class has no route at all.
    blocked = views.blocked(arrays.table.cargo_class, arrays.origin, arrays.destination)
    n = len(arrays)
    everyone = np.arange(n)
    bar = _Progress(progress, n)
    incomplete = np.zeros(n, dtype=bool)
    parts = []
    with bar.running():
        fastest: Options | None = None
        if objective == "fastest" or _n_distinct(
                (arrays.origin, arrays.ready_h, arrays.mode_mask)) <= PROFILE_SCAN_COST * (
                _n_distinct((arrays.destination, arrays.mode_mask))):
            ea, fastest = _earliest(views, arrays, everyone[~blocked],
                                    bar if objective == "fastest" else None)
        else:
            ea = _earliest_by_profile(views, arrays)
            ea[blocked] = np.inf
        reachable = np.isfinite(ea)
        impossible = reachable & (ea > arrive_by + TIME_TOLERANCE_H)
        reasons = np.where(~reachable, REASON_NO_PATH,
                           np.where(impossible, REASON_DEADLINE_IMPOSSIBLE, "")).astype(object)
        reasons = class_reasons(problem, reasons, ~reachable)
        if fastest is not None and objective == "fastest":
            parts.append(fastest if allow_late else take_options(
                fastest, np.flatnonzero(~impossible[fastest.shipment])))
        elif objective == "pareto":
            # Every option, late ones too -- or only those by the due date.
            members = everyone[reachable if allow_late else reachable & ~impossible]
            deadline = (np.full(members.size, np.inf) if allow_late
                        else arrive_by[members] + TIME_TOLERANCE_H)
            parts.append(_search(views, arrays, members, deadline, SELECT_ALL,
                                 3 if pareto_co2 else 2, 0.0, max_labels, bar, incomplete))
        else:
            select, n_criteria, price = {
                "cheapest": (SELECT_MIN_COST, 2, 0.0),
                "greenest": (SELECT_MIN_CO2, 3, 0.0),
                "generalized": (SELECT_GENERALIZED, 2, co2_price_usd_per_kg),
            }[objective]
            main = everyone[reachable & ~impossible]
            parts.append(_search(views, arrays, main, arrive_by[main] + TIME_TOLERANCE_H, select,
                                 n_criteria, price, max_labels, bar, incomplete))
            if allow_late:
                # No route meets the due date: the least late, and among the least late the
                # best by the objective's own measure (the search's deadline is that arrival).
                late = everyone[impossible]
                parts.append(_search(views, arrays, late, ea[late] + TIME_TOLERANCE_H, select,
                                     n_criteria, price, max_labels, bar, incomplete))
        bar.advance(n - bar.done)  # shipments without a path
    options = concat_options(parts)
    if assignment is not None:
        return _capacitated(problem, objective, options, reasons, incomplete, max_labels,
                            assignment)
    legs, table = build_tables(tt, arrays, options, reasons, incomplete,
                               co2_price_usd_per_kg, TIME_TOLERANCE_H, classes=views)
    return Plan(legs=legs, shipments=table, objective=objective, start=tt.start,
                days=arrays.days, capacity="ignore", co2e_basis=tt.co2e_basis)


def _capacitated(problem: Problem, objective: str, first: Options, reasons: np.ndarray,
                 incomplete: np.ndarray, max_labels: int, assignment: _Assign) -> Plan:
    """Book the shipments within capacity (sequentially from their uncapacitated first choices
    ``first``, or optimally), and record on each whether it kept its first choice, what of it
    it lost and the extra cost."""
    tt, arrays = problem.timetable, problem.shipments
    price = problem.costs.co2_price_usd_per_kg
    solve, shadow = None, None
    if assignment.how == "optimal":
        problem.classes.require_shared(problem.shipments.table.cargo_class,
                                       "optimal assignment")
        found = assign_optimal(problem, assignment.params, max_labels)
        legs, table = found.design.plan.legs, found.design.plan.shipments
        table = table.assign(reason=reasons_of(found.design))
        solve, shadow = solve_summary(found.design), found.shadow_prices
        first_choice, lost = _compare_first(problem, first, legs)
    else:
        got = assign_sequential(problem, objective, first, max_labels, TIME_TOLERANCE_H,
                                ledger=assignment.ledger)
        reasons = np.where(got.no_capacity, REASON_NO_CAPACITY, reasons).astype(object)
        legs, table = build_tables(tt, arrays, got.options, reasons,
                                   incomplete | got.incomplete, price, TIME_TOLERANCE_H,
                                   classes=problem.classes)
        first_choice, lost = got.first_choice, got.lost_departure
    moved = np.flatnonzero(~first_choice & np.isin(np.arange(len(arrays)), first.shipment))
    lost_cost = np.zeros(len(arrays))
    if moved.size:
        was = build_tables(tt, arrays, take_options(first, np.flatnonzero(
            np.isin(first.shipment, moved))), reasons, incomplete, price, TIME_TOLERANCE_H,
            classes=problem.classes)[1]
        before = was.set_index("shipment_id")["cost_usd"]
        now = table.set_index("shipment_id")["cost_usd"]
        ids = arrays.ids[moved]
        lost_cost[moved] = (now.reindex(ids).to_numpy(dtype=float)
                            - before.reindex(ids).to_numpy(dtype=float))
    index = pd.Index(arrays.ids).get_indexer(table["shipment_id"])
    table = table.assign(first_choice=first_choice[index], lost_departure=lost[index],
                         capacity_cost_usd=lost_cost[index])
    return Plan(legs=legs, shipments=table, objective=objective, start=tt.start,
                days=arrays.days, capacity="respect", solve=solve, shadow_prices=shadow,
                co2e_basis=tt.co2e_basis)


def _compare_first(problem: Problem, first: Options, legs: pd.DataFrame
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Per shipment: whether the plan's legs are its uncapacitated first choice's (True too
    without any path), and if not the first departure of that choice it does not ride."""
    tt, arrays = problem.timetable, problem.shipments
    n = len(arrays)
    same = np.ones(n, dtype=bool)
    lost = np.full(n, "", dtype=object)
    taken = legs.groupby("shipment_id", sort=False)["departure_id"].agg(tuple).to_dict()
    codes = arrays.ids
    for j in range(first.shipment.size):
        i = int(first.shipment[j])
        lo, hi = first.leg_ptr[j], first.leg_ptr[j + 1]
        kinds, refs = first.leg_kind[lo:hi], first.leg_ref[lo:hi]
        wanted = tuple(tt.departure_ids[int(tt.conn_trip[r])] if k == KIND_CONNECTION else ""
                       for k, r in zip(kinds.tolist(), refs.tolist(), strict=True))
        got = taken.get(codes[i], ())
        if tuple(d or "" for d in got) != wanted:
            same[i] = False
            lost[i] = next((d for d in wanted if d and d not in got), "")
    return same, lost

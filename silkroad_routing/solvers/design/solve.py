"""``solve_design``: which optional departures to run and how every shipment goes.

Two ways, by size:

* **Small instances** (every commodity has at most :data:`EXACT_ROUTES_PER_COMMODITY` routes
  and all together at most :data:`EXACT_MAX_ROUTES`): every route is enumerated
  (:mod:`.all_routes`), the master MIP over them *is* the problem, and the MIP solver's dual
  bound is a bound on the optimum.
* **Otherwise, column generation** (:mod:`.pricing`, :mod:`.master`):

  1. The LP relaxation (``y`` in [0, 1]) by column generation: each round solves the master
     LP and prices every commodity with the exact label search. At every round the
     Lagrangian function ``L = sum_k n_k min(U_k, min_p (rc_p + pi_k)) + min over y (...)``
     (see :meth:`.master.Master.lagrangian_rest`) is a lower bound on the LP over *all* routes,
     hence on the design problem; the best one is the reported bound, valid whether or not
     the generation converged. (Every dual is priced in the searches, the hub-days' and the
     border-days' included. A capped label search counts as 0.)
  2. A first design: greedy opening of the departures the LP uses most, each evaluated by a
     greedy routing on the generated routes (:mod:`.heuristic`).
  3. The master MIP over the generated routes, started from that design: the best design on
     those routes (its own dual bound holds for them only and is not reported as the bound).
  4. Re-routing: with the departures of the best design fixed open and the others closed,
     more routes are generated for that design and a MIP picks the routes; kept if cheaper.

The objective of a returned solution is recomputed from its routes (fixed costs of the
departures that carry freight, route costs, unserved penalties).

``time_limit_s`` bounds the whole solve (:class:`.budget.Budget`): each LP and MIP gets the
seconds left, pricing checks the clock between chunks of :data:`PRICING_CHUNK` commodities,
the greedy design between its steps, and a phase that finds the time gone is skipped. Every
shipment may stay unserved, so a solution always exists; a solve cut short returns the best
one found with a valid bound (the best complete Lagrangian bound, or 0: every cost is
non-negative), flagged ``stopped_by_time_limit``. Deterministic for a seed when no phase
is cut short by the time limit.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from ...core.timetable.labels import DEFAULT_MAX_LABELS
from ...model.params import MAX_ROUNDS
from ..mcnd._mathopt import PRICE_TOL, RELATIVE_GAP
from ..status import SolveStatus
from .all_routes import RouteEnumerator
from .budget import Budget
from .columns import ColumnPool, Journey
from .heuristic import Routing, greedy_design
from .master import Master, MasterSolution, build_master
from .pricing import Duals, Priced, Pricer
from .problem import DesignProblem

_log = logging.getLogger(__name__)

#: Exact mode: at most this many routes per commodity, and in all, found in at most
#: EXACT_MAX_STEPS legs tried per commodity.
EXACT_ROUTES_PER_COMMODITY: Final[int] = 200
EXACT_MAX_ROUTES: Final[int] = 2000
EXACT_MAX_STEPS: Final[int] = 20_000
#: Share of the time limit by which each phase ends.
LP_END: Final[float] = 0.4
GREEDY_END: Final[float] = 0.6
MIP_END: Final[float] = 0.8
#: Routes added per commodity and pricing round (the best ones with negative reduced cost).
ROUTES_PER_ROUND: Final[int] = 4
#: The bound when the time limit left none better: every cost is non-negative.
ZERO_BOUND: Final[str] = "zero (the time limit passed before any bound was computed)"
#: Commodities priced between two looks at the clock.
PRICING_CHUNK: Final[int] = 64
#: Column generation stops when its bound is this close (relative) to the master LP's value.
LP_TOL: Final[float] = 1e-7


@dataclass(frozen=True)
class DesignSolution:
    """The best design found.

    ``open_trips``: optional trips run (sorted trip indices, each carrying freight); ``x``:
    shipments per column of ``pool``; ``u``: unserved shipments per commodity; ``objective``:
    recomputed from those (USD); ``bound``: a lower bound on the optimum (``bound_kind`` says
    which); ``status``: optimal (objective = bound, to 1e-6) or feasible; ``stats``: counts and
    the value of each phase; ``lp_duals``: the master LP's duals at the end of the LP phase
    (the capacities' shadow prices in the LP relaxation; None when no LP was solved);
    ``stopped_by_time_limit``: whether the time limit cut a phase short (the solution is then
    the best found in the time, and may differ from run to run).
    """

    status: SolveStatus
    objective: float
    bound: float
    bound_kind: str
    open_trips: NDArray[np.int64]
    pool: ColumnPool
    x: NDArray[np.float64]
    u: NDArray[np.float64]
    wall_time_s: float
    stats: dict[str, Any] = field(default_factory=dict)
    lp_duals: Duals | None = None
    stopped_by_time_limit: bool = False

    @property
    def gap(self) -> float:
        """Relative gap ``(objective - bound) / objective`` (0 when equal, inf without bound)."""
        if not (math.isfinite(self.objective) and math.isfinite(self.bound)):
            return math.inf
        if self.objective <= self.bound:
            return 0.0
        return (self.objective - self.bound) / max(abs(self.objective), 1e-12)


def evaluate(problem: DesignProblem, pool: ColumnPool, x: NDArray[np.float64],
             u: NDArray[np.float64]) -> Routing:
    """Cost of shipments ``x`` per column and ``u`` unserved: the optional trips carrying
    freight are the ones open."""
    tt = problem.tt
    loaded = np.zeros(tt.n_trips, dtype=bool)
    for j in np.flatnonzero(x > 0.5):
        loaded[tt.conn_trip[pool.conns[j]]] = True
    open_trips = loaded & problem.trip_optional
    cost = float(problem.trip_fixed_usd[open_trips].sum() + pool.cost_array() @ x
                 + problem.unserved_usd @ u)
    return Routing(x, u, open_trips, cost)


def _pad(x: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    return np.concatenate([x, np.zeros(n - x.size)])


class _Search:
    """State of one solve: the pool, pricer, bounds on ``y`` and the best design so far."""

    def __init__(self, problem: DesignProblem, max_labels: int, budget: Budget,
                 max_rounds: int) -> None:
        self.problem = problem
        self.budget = budget
        self.max_rounds = max_rounds
        self.pool = ColumnPool(problem)
        self.pricer = Pricer(problem, self.pool, max_labels)
        self.y_lb = np.zeros(problem.tt.n_trips)
        self.y_ub = problem.trip_optional.astype(np.float64)
        self.best: Routing | None = None
        self.stats: dict[str, Any] = {}
        self.lp_duals: Duals | None = None  # of the LP relaxation the bound is about

    def consider(self, routing: Routing, source: str) -> None:
        """Keep ``routing`` if it is the cheapest so far."""
        if self.best is None or routing.cost < self.best.cost * (1.0 - 1e-12):
            self.best = routing
            self.stats["best_source"] = source

    def price(self, duals: Duals, blocked: NDArray[np.bool_], per_commodity: int,
              until: float = math.inf) -> tuple[Priced, bool]:
        """Price every commodity at ``duals`` in chunks of :data:`PRICING_CHUNK`, stopping
        between chunks when the budget or the phase (``until``) is spent; (what was found,
        whether every commodity was priced)."""
        n_k = self.problem.n_commodities
        lower = np.full(n_k, np.inf)
        candidates: dict[int, list[tuple[float, Journey]]] = {}
        overflow = False
        for first in range(0, n_k, PRICING_CHUNK):
            if self.budget.over(until):
                return Priced(lower, candidates, overflow), False
            chunk = np.arange(first, min(first + PRICING_CHUNK, n_k))
            priced = self.pricer.price(duals, chunk, blocked, per_commodity)
            np.minimum(lower, priced.lower, out=lower)
            candidates.update(priced.candidates)
            overflow |= priced.overflow
        return Priced(lower, candidates, overflow), True

    def seed_columns(self) -> float:
        """Per commodity, its best route on the scheduled services alone and with every
        optional departure open (no fixed costs, no capacities). Returns the Lagrangian bound
        at zero capacity duals (each commodity's cheapest route or its penalty: fixed costs are
        non-negative), -inf if the budget ran out first."""
        p = self.problem
        pi = p.unserved_usd.copy()
        complete = False
        for blocked in (p.conn_optional(), np.zeros(p.tt.n_connections, dtype=bool)):
            priced, complete = self.price(Duals.zero(p, pi), blocked, 1)
            for k, found in priced.candidates.items():
                for value, journey in found:
                    if value < pi[k]:
                        self.pool.add(k, journey)
        if not complete:
            return -np.inf
        return float(p.count @ np.minimum(p.unserved_usd, priced.lower))

    def generate(self, deadline: float, y_lb: NDArray, y_ub: NDArray,
                 blocked: NDArray[np.bool_]) -> tuple[float, MasterSolution | None, bool, int]:
        """Column generation on the LP with ``y`` in [y_lb, y_ub] until converged (no route of
        negative reduced cost, or the bound within :data:`LP_TOL` of the master LP), the solve's
        ``max_rounds``, the
        phase's ``deadline`` or the end of the budget (the first LP may start past the phase's
        end, and each LP gets the budget's seconds left); returns (best Lagrangian bound of a
        complete round, last LP or None, converged, rounds)."""
        p = self.problem
        bound, last, converged, rounds = -np.inf, None, False, 0
        while rounds < self.max_rounds and not self.budget.over(math.inf if last is None else deadline):
            rounds += 1
            master = build_master(p, self.pool, y_lb, y_ub, integer=False)
            lp = master.solve_lp(self.budget.left())
            if lp is None or lp.duals is None:
                self.budget.hit = True
                break
            last = lp
            value, added = self._price_round(master, lp.duals, y_lb, y_ub, blocked, deadline)
            bound = max(bound, value)
            _log.info("design LP round %d: %.6g, bound %.6g, %d routes added (%d in all)",
                      rounds, lp.objective, bound, added, len(self.pool))
            if not np.isfinite(value):  # the time ran out during pricing
                break
            if added == 0 or lp.objective - bound <= LP_TOL * max(abs(lp.objective), 1.0):
                converged = True
                break
        return bound, last, converged, rounds

    def _price_round(self, master: Master, duals: Duals, y_lb: NDArray, y_ub: NDArray,
                     blocked: NDArray[np.bool_], until: float) -> tuple[float, int]:
        """Price every commodity at ``duals``: the Lagrangian bound there (-inf if the budget
        or the phase's end ``until`` cut the round short), and how many routes of negative
        reduced cost joined the pool."""
        priced, complete = self.price(duals, blocked, ROUTES_PER_ROUND, until)
        if priced.overflow:
            self.stats["label_cap_hit"] = True
        value = self._lagrangian(master, duals, priced.lower, y_lb, y_ub) if complete else -np.inf
        added = 0
        for k, found in priced.candidates.items():
            tol = PRICE_TOL * (1.0 + abs(duals.pi[k]))
            for reduced, journey in found:
                if reduced - duals.pi[k] < -tol and self.pool.find(k, journey) < 0:
                    self.pool.add(k, journey)
                    added += 1
        return value, added

    def _lagrangian(self, master: Master, duals: Duals, lower: NDArray[np.float64],
                    y_lb: NDArray, y_ub: NDArray) -> float:
        """The Lagrangian bound at ``duals``, with the routes' least ``rc + pi`` bounded below
        by ``lower`` (the exact searches: every dual, hub-days' included, is priced)."""
        p = self.problem
        if duals.nu.any():
            self.stats["hub_duals"] = True
        return float(p.count @ np.minimum(p.unserved_usd, lower)
                     + master.lagrangian_rest(duals, y_lb, y_ub))

    def mip(self, seconds: float, y_lb: NDArray, y_ub: NDArray, options: dict[str, Any],
            source: str) -> MasterSolution | None:
        """The master MIP over the pool for at most ``seconds`` (and the budget's seconds left),
        started from the best design if it fits the bounds; None when no time is left. A MIP
        not solved to its gap counts as stopped by the time limit."""
        seconds = min(seconds, self.budget.left())
        if seconds <= 0.0:
            self.budget.hit = True
            return None
        master = build_master(self.problem, self.pool, y_lb, y_ub, integer=True)
        hint = None
        best = self.best
        if best is not None and (best.open_trips <= (y_ub > 0.5)).all():
            hint = (best.open_trips.astype(np.float64), _pad(best.x, len(self.pool)), best.u)
        found = master.solve_mip(seconds=seconds, hint=hint, **options)
        if found.status != SolveStatus.OPTIMAL:
            self.budget.hit = True
        if found.x.size:
            self.consider(evaluate(self.problem, self.pool, found.x, found.u), source)
        return found


def _every_route(problem: DesignProblem) -> list[list[Journey]] | None:
    """Every route of every commodity, or None past the exact mode's limits."""
    enumerator = RouteEnumerator(problem)
    out = []
    total = 0
    for k in range(problem.n_commodities):
        found = enumerator.routes(k, EXACT_ROUTES_PER_COMMODITY, EXACT_MAX_STEPS)
        total += 0 if found is None else len(found)
        if found is None or total > EXACT_MAX_ROUTES:
            return None
        out.append(found)
    return out


def _greedy_from(search: _Search, lp: MasterSolution | None, until: float = math.inf) -> None:
    """Greedy opening, trying the departures the LP opens most first (none without an LP),
    until the budget or the phase (``until``) ends."""
    if lp is None:
        candidates = np.zeros(0, dtype=np.int64)
    else:
        order = np.lexsort((np.arange(lp.y.size), -lp.y))
        candidates = order[lp.y[order] > 1e-9]
    search.consider(greedy_design(search.problem, search.pool, candidates, search.budget, until),
                    "greedy")
    assert search.best is not None
    search.stats["heuristic_usd"] = search.best.cost


def _exact(search: _Search, routes: list[list[Journey]], options: dict[str, Any]
           ) -> tuple[float, str]:
    """The MIP over every route; (bound, its kind)."""
    for k, found in enumerate(routes):
        for journey in found:
            search.pool.add(k, journey)
    lp = build_master(search.problem, search.pool, search.y_lb, search.y_ub,
                      integer=False).solve_lp(search.budget.left())
    search.lp_duals = None if lp is None else lp.duals
    _greedy_from(search, lp)
    found = search.mip(search.budget.left(), search.y_lb, search.y_ub, options,
                       "MIP over every route")
    bounds = ([] if lp is None else [lp.objective]) + ([] if found is None else [found.dual_bound])
    search.stats.update(lp_usd=None if lp is None else lp.objective,
                        mip_status=None if found is None else str(found.status),
                        rounds=0, converged=True)
    if not bounds:
        return 0.0, ZERO_BOUND
    return max(bounds), "dual bound of the MIP over every route (all routes enumerated)"


def _column_generation(search: _Search, time_limit_s: float, options: dict[str, Any]
                       ) -> tuple[float, str]:
    """LP by column generation, greedy design, MIP over the routes, re-routing; (bound, its
    kind)."""
    problem, stats, budget = search.problem, search.stats, search.budget
    started = budget.deadline - time_limit_s
    bound = search.seed_columns()
    lp_bound, lp, converged, rounds = search.generate(
        started + LP_END * time_limit_s, search.y_lb, search.y_ub,
        np.zeros(problem.tt.n_connections, dtype=bool))
    bound = max(bound, lp_bound)
    search.lp_duals = None if lp is None else lp.duals
    stats.update(lp_usd=None if lp is None else lp.objective, rounds=rounds, converged=converged,
                 routes_after_lp=len(search.pool))
    _greedy_from(search, lp, started + GREEDY_END * time_limit_s)
    found = search.mip(started + MIP_END * time_limit_s - time.perf_counter(),
                       search.y_lb, search.y_ub, options, "MIP over generated routes")
    # The MIP's dual bound holds for the generated routes only: reported, not used as a bound.
    stats.update(mip_status=None if found is None else str(found.status),
                 mip_bound_generated_routes_usd=None if found is None else found.dual_bound)
    best = search.best
    assert best is not None
    if budget.left() > 1.0:
        # Re-route the best design: its departures fixed open, the others closed.
        fixed = best.open_trips.astype(np.float64)
        blocked = problem.conn_optional() & ~best.open_trips[problem.tt.conn_trip]
        search.generate(budget.deadline, fixed, fixed, blocked)
        search.mip(budget.left(), fixed, fixed, options, "re-routed design")
    else:
        budget.hit = True  # no time left to re-route
    if not np.isfinite(bound):
        return 0.0, ZERO_BOUND
    state = "converged" if converged else f"stopped after {rounds} rounds"
    return bound, f"Lagrangian bound of the LP relaxation over all routes (column generation, {state})"


def solve_design(problem: DesignProblem, *, time_limit_s: float = 60.0, mip_gap: float = 1e-4,
                 seed: int = 0, threads: int = 1, solver: str = "highs",
                 max_labels: int = DEFAULT_MAX_LABELS, max_rounds: int = MAX_ROUNDS
                 ) -> DesignSolution:
    """Solve a design instance (see the module docstring) within ``time_limit_s`` seconds, every
    phase included (the work in progress when the limit passes finishes: a pricing chunk, a
    greedy routing, building a master).

    ``mip_gap``: relative gap at which a MIP stops; ``seed`` and ``threads``: the MIP solver's;
    ``solver``: ``"highs"`` or ``"scip"`` for the MIPs (LPs are HiGHS); ``max_labels``: cap of
    each label search (a capped search counts 0 in the bound and sets ``stats["label_cap_hit"]``);
    ``max_rounds``: pricing rounds of each column generation (the LP's, the re-routing's), a
    work limit that stops every run at the same point.
    """
    started = time.perf_counter()
    search = _Search(problem, max_labels, Budget(started + time_limit_s), max_rounds)
    options = dict(mip_gap=mip_gap, seed=seed, threads=threads, solver=solver)
    routes = _every_route(problem)
    search.stats["exact"] = routes is not None
    if routes is not None:
        bound, kind = _exact(search, routes, options)
    else:
        bound, kind = _column_generation(search, time_limit_s, options)
    best = search.best
    assert best is not None
    bound = min(bound, best.cost)
    optimal = best.cost - bound <= RELATIVE_GAP * max(abs(best.cost), 1.0)
    search.stats["routes"] = len(search.pool)
    return DesignSolution(
        SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE, best.cost, bound, kind,
        np.flatnonzero(best.open_trips).astype(np.int64), search.pool,
        _pad(best.x, len(search.pool)), best.u, time.perf_counter() - started, search.stats,
        search.lp_duals, search.budget.hit)

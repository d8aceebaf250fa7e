"""A first design to start the MIP from: greedy routing on the pool, then greedy opening.

:meth:`Greedy.route` routes the shipments one at a time, in order of ready time, each on the
cheapest of its routes in the pool that only rides running departures with room left on every
leg, at every hub-day and every border-day it touches (else it stays unserved).
:func:`greedy_design` starts from every optional departure closed (routing on the scheduled
services alone), opens the candidate departures one by one (in the order given: the LP's most
used first) when that lowers the total cost, then closes any whose closing lowers it, while
the solve's budget lasts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .budget import Budget
from .columns import ColumnPool
from .problem import DesignProblem


@dataclass(frozen=True)
class Routing:
    """Shipments per column ``x``, unserved per commodity ``u``, the optional trips that
    carry freight ``open_trips`` (bool over trips) and the total cost (fixed costs of those)."""

    x: NDArray[np.float64]
    u: NDArray[np.float64]
    open_trips: NDArray[np.bool_]
    cost: float


class Greedy:
    """The pool's routes arranged for repeated greedy routings: per commodity its columns by
    cost, per column the trips it rides and the capacitated hub-days it touches."""

    def __init__(self, problem: DesignProblem, pool: ColumnPool) -> None:
        self.problem = problem
        self.pool = pool
        tt = problem.tt
        self.cost = pool.cost_array()
        col_k = pool.commodity_array()
        self.by_k: dict[int, list[int]] = {}
        for j in np.lexsort((np.arange(len(pool)), self.cost, col_k)):
            self.by_k.setdefault(int(col_k[j]), []).append(int(j))
        self.trips = [np.unique(tt.conn_trip[legs]) for legs in pool.conns]
        limited = np.isfinite(problem.hub_capacity_t_day)
        self.touches = []
        for events in pool.events:
            ids, times = np.unique(events[limited[events // problem.n_days]], return_counts=True)
            self.touches.append((ids, times.astype(np.float64)))
        border = problem.conn_border_event()
        self.crossings = []  # per column: the border-days it crosses, and how often
        for legs in pool.conns:
            events = border[legs]
            ids, times = np.unique(events[events >= 0], return_counts=True)
            self.crossings.append((ids, times.astype(np.float64)))
        self.order = np.lexsort((np.arange(problem.n_commodities), problem.ready_h))

    def route(self, running: NDArray[np.bool_]) -> Routing:
        """Route every shipment greedily over the departures in ``running`` (bool over trips;
        always-running trips must be True)."""
        p, pool = self.problem, self.pool
        free = p.conn_capacity.copy()
        hub_free = np.repeat(p.hub_capacity_t_day, p.n_days)
        border_free = np.repeat(p.border_teu_day, p.n_days)
        x = np.zeros(len(pool))
        u = np.zeros(p.n_commodities)
        for k in self.order:
            use = p.use[k]
            tonnes = p.weight_kg[k] / 1000.0
            for _ in range(int(p.count[k])):
                chosen = -1
                for j in self.by_k.get(int(k), []):
                    if self.cost[j] >= p.unserved_usd[k]:
                        break
                    if not running[self.trips[j]].all() or (free[pool.conns[j]] < use - 1e-9).any():
                        continue
                    ids, times = self.touches[j]
                    if ids.size and (hub_free[ids] < times * tonnes - 1e-9).any():
                        continue
                    ids, times = self.crossings[j]
                    if ids.size and (border_free[ids] < times * use[1] - 1e-9).any():
                        continue
                    chosen = j
                    break
                if chosen < 0:
                    u[k] += 1
                    continue
                x[chosen] += 1
                free[pool.conns[chosen]] -= use
                ids, times = self.touches[chosen]
                hub_free[ids] -= times * tonnes
                ids, times = self.crossings[chosen]
                border_free[ids] -= times * use[1]
        loaded = np.zeros(p.tt.n_trips, dtype=bool)
        for j in np.flatnonzero(x):
            loaded[self.trips[j]] = True
        open_trips = loaded & p.trip_optional
        total = float(p.trip_fixed_usd[open_trips].sum() + self.cost @ x + p.unserved_usd @ u)
        return Routing(x, u, open_trips, total)


def greedy_design(problem: DesignProblem, pool: ColumnPool, candidates: NDArray[np.int64],
                  budget: Budget, until: float) -> Routing:
    """Greedy opening of ``candidates`` (optional trips, in the order to try), then greedy
    closing; each step keeps a change only if the greedy routing's total cost falls. The
    routing on the scheduled services alone is always made; no step starts past the
    ``budget`` or the phase's end ``until``."""
    greedy = Greedy(problem, pool)
    running = ~problem.trip_optional
    best = greedy.route(running)
    for t in candidates:
        if budget.over(until):
            return best
        trial = running.copy()
        trial[t] = True
        found = greedy.route(trial)
        if found.cost < best.cost:
            best, running = found, trial
    for t in np.flatnonzero(best.open_trips)[::-1]:
        if budget.over(until):
            break
        trial = running.copy()
        trial[t] = False
        found = greedy.route(trial)
        if found.cost < best.cost:
            best, running = found, trial
    return best

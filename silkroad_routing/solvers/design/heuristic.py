"""A first design to start the MIP from: greedy routing on the pool, then greedy opening.

:func:`greedy_routing` routes the shipments one at a time, in order of ready time, each on the
cheapest of its routes in the pool that only rides running departures with room left on every
leg and at every hub-day it touches (else it stays unserved). :func:`greedy_design` starts from
every optional departure closed (routing on the scheduled services alone), opens the candidate
departures one by one (in the order given: the LP's most used first) when that lowers the
total cost, then closes any whose closing lowers it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

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


def greedy_routing(problem: DesignProblem, pool: ColumnPool, running: NDArray[np.bool_]
                   ) -> Routing:
    """Route every shipment greedily over the departures in ``running`` (bool over trips;
    always-running trips must be True)."""
    tt = problem.tt
    free = problem.conn_capacity.copy()
    hub_free = np.repeat(problem.hub_capacity_t_day, problem.n_days)
    x = np.zeros(len(pool))
    u = np.zeros(problem.n_commodities)
    col_k = pool.commodity_array()
    cost = pool.cost_array()
    by_k: dict[int, list[int]] = {}
    for j in np.lexsort((cost, col_k)):
        by_k.setdefault(int(col_k[j]), []).append(int(j))
    usable = [bool(running[tt.conn_trip[legs]].all()) for legs in pool.conns]
    limited = np.isfinite(problem.hub_capacity_t_day)
    # Per column: the hub-days with a capacity it touches, and how many times.
    touches = []
    for events in pool.events:
        ids, times = np.unique(events[limited[events // problem.n_days]], return_counts=True)
        touches.append((ids, times.astype(np.float64)))
    for k in np.lexsort((np.arange(problem.n_commodities), problem.ready_h)):
        use = problem.use[k]
        tonnes = problem.weight_kg[k] / 1000.0
        for _ in range(int(problem.count[k])):
            chosen = -1
            for j in by_k.get(int(k), []):
                if cost[j] >= problem.unserved_usd[k]:
                    break
                if not usable[j] or (free[pool.conns[j]] < use - 1e-9).any():
                    continue
                ids, times = touches[j]
                if ids.size and (hub_free[ids] < times * tonnes - 1e-9).any():
                    continue
                chosen = j
                break
            if chosen < 0:
                u[k] += 1
                continue
            x[chosen] += 1
            free[pool.conns[chosen]] -= use
            ids, times = touches[chosen]
            hub_free[ids] -= times * tonnes
    loaded = np.zeros(tt.n_trips, dtype=bool)
    for j in np.flatnonzero(x):
        loaded[tt.conn_trip[pool.conns[j]]] = True
    open_trips = loaded & problem.trip_optional
    total = float(problem.trip_fixed_usd[open_trips].sum() + cost @ x + problem.unserved_usd @ u)
    return Routing(x, u, open_trips, total)


def greedy_design(problem: DesignProblem, pool: ColumnPool, candidates: NDArray[np.int64]
                  ) -> Routing:
    """Greedy opening of ``candidates`` (optional trips, in the order to try), then greedy
    closing; each step keeps a change only if the greedy routing's total cost falls."""
    running = ~problem.trip_optional
    best = greedy_routing(problem, pool, running)
    for t in candidates:
        trial = running.copy()
        trial[t] = True
        found = greedy_routing(problem, pool, trial)
        if found.cost < best.cost:
            best, running = found, trial
    for t in np.flatnonzero(best.open_trips)[::-1]:
        trial = running.copy()
        trial[t] = False
        found = greedy_routing(problem, pool, trial)
        if found.cost < best.cost:
            best, running = found, trial
    return best

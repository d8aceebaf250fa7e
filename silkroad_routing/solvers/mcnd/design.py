"""Designs (open arcs with their flows), their cost, and the cheapest flow of a given design."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ...model import MCNDInstance
from .network import ArcGraph
from .path_lp import ColumnPool, solve_path_lp

#: Flows below this share of the total demand are rounding noise from the LP/MIP solvers.
FLOW_RTOL = 1e-9
#: Relative slack allowed on a capacity by a solver's feasibility tolerance.
CAPACITY_RTOL = 1e-7


@dataclass(frozen=True)
class Design:
    """Open arcs (sorted ids), flows (n_commodities x n_arcs, units), total cost, and the phase
    that found it."""

    open_arcs: NDArray[np.int64]
    flows: NDArray[np.float64]
    cost: float
    source: str


def flow_tol(instance: MCNDInstance) -> float:
    """Units of flow below which a flow is solver noise."""
    return FLOW_RTOL * float(instance.commodity_demand.sum())


def make_design(instance: MCNDInstance, flows: NDArray[np.float64], source: str,
                is_open: NDArray[np.bool_] | None = None) -> Design:
    """The design that opens exactly the arcs carrying flow; cost recomputed from the flows.

    ``is_open`` (a MIP's rounded design variables) says which arcs may carry flow: what a
    solver leaves on the others, within its feasibility tolerance, is dropped.
    """
    flows = np.where(flows > flow_tol(instance), flows, 0.0)
    if is_open is not None:
        flows[:, ~is_open] = 0.0
    open_arcs = np.flatnonzero(flows.sum(axis=0) > 0.0).astype(np.int64)
    cost = float(instance.arc_fixed_cost[open_arcs].sum()
                 + instance.arc_unit_cost @ flows.sum(axis=0))
    return Design(open_arcs, flows, cost, source)


def path_flows_of(instance: MCNDInstance, paths: list[NDArray[np.int64]]) -> NDArray[np.float64]:
    """Flows (n_commodities x n_arcs) sending each commodity's whole demand on its path."""
    flows = np.zeros((instance.n_commodities, instance.n_arcs))
    for k, arcs in enumerate(paths):
        flows[k, arcs] = instance.commodity_demand[k]
    return flows


def within_capacity(instance: MCNDInstance, flows: NDArray[np.float64]) -> bool:
    """Whether the total flow of every arc fits its capacity (up to solver tolerance)."""
    return bool((flows.sum(axis=0) <= instance.arc_capacity * (1.0 + CAPACITY_RTOL)).all())


def cheapest_flow(instance: MCNDInstance, graph: ArcGraph, pool: ColumnPool,
                  open_mask: NDArray[np.bool_], deadline: float) -> NDArray[np.float64] | None:
    """The cheapest flows using only the arcs of ``open_mask``; None if they cannot carry all
    demand (or the deadline, a ``time.perf_counter()`` value, cut the LP short).

    Cheapest paths first (they join the pool): when they fit the capacities they are optimal;
    otherwise a path LP with the design fixed.
    """
    unit_cost = instance.arc_unit_cost
    closed_weight = float(unit_cost.sum() + 1.0) * instance.n_nodes + 1.0
    weights = np.where(open_mask, unit_cost, closed_weight)
    cost, paths = graph.cheapest_paths(weights, instance.commodity_origin,
                                       instance.commodity_destination)
    if cost.max() >= closed_weight:
        return None
    for k, arcs in enumerate(paths):
        pool.add(k, arcs)
    flows = path_flows_of(instance, paths)
    if within_capacity(instance, flows):
        return flows
    fixed = open_mask.astype(np.float64)
    lp = solve_path_lp(instance, graph, pool, arc_cost=unit_cost, y_cost=np.zeros(instance.n_arcs),
                       y_lb=fixed, y_ub=fixed, separate=False, deadline=deadline)
    if not lp.converged or lp.slack > flow_tol(instance):
        return None
    return lp.flows


def decompose(instance: MCNDInstance,
              flows: NDArray[np.float64]) -> list[tuple[int, NDArray[np.int64], float]]:
    """Path decomposition of arc flows: ``(commodity, arc ids, units)`` triples.

    Repeatedly follows arcs with flow left from the origin (never revisiting a node) and
    removes the path's bottleneck; flow on cycles, if any, is left out. The paths' flows add up
    to at most the given flows on every arc.
    """
    tail, head = instance.arc_tail, instance.arc_head
    out: list[tuple[int, NDArray[np.int64], float]] = []
    for k in range(instance.n_commodities):
        left = np.where(flows[k] > flow_tol(instance), flows[k], 0.0)
        origin, destination = instance.commodity_origin[k], instance.commodity_destination[k]
        while True:
            path, node, visited = [], origin, {int(origin)}
            while node != destination:
                step = [a for a in np.flatnonzero((tail == node) & (left > 0.0))
                        if int(head[a]) not in visited]
                if not step:
                    break
                arc = max(step, key=lambda a: left[a])
                path.append(arc)
                node = head[arc]
                visited.add(int(node))
            if node != destination:
                break
            arcs = np.asarray(path, dtype=np.int64)
            amount = float(left[arcs].min())
            left[arcs] -= amount
            out.append((k, arcs, amount))
    return out

"""Slope scaling (Crainic, Gendron and Hernu, J. Heuristics 10, 2004): a primal heuristic.

Each step routes all commodities at linearised arc costs ``c_a + rho_a`` (a capacitated
multicommodity flow: cheapest paths when they fit the capacities, else a path LP), opens the
arcs that carry flow, and re-scales ``rho_a = f_a / flow_a`` so that the next step charges each
used arc its fixed cost spread over its flow. Unused arcs keep their last slope. The first
slope is ``f_a / u_a`` (a full arc). It stops when a design repeats.
"""

from __future__ import annotations

import time

import numpy as np

from ...model import MCNDInstance
from .design import (
    Design,
    cheapest_flow,
    flow_tol,
    make_design,
    path_flows_of,
    within_capacity,
)
from .network import ArcGraph
from .path_lp import ColumnPool, solve_path_lp


def slope_scaling(instance: MCNDInstance, graph: ArcGraph, pool: ColumnPool, *, deadline: float,
                  max_iterations: int = 100) -> Design | None:
    """Best design found by slope scaling before ``deadline`` (``time.perf_counter()``).

    Each design is re-routed at the true unit costs on its open arcs before it is costed.
    Returns None if no step finished in time.
    """
    m = instance.n_arcs
    unit_cost, fixed_cost = instance.arc_unit_cost, instance.arc_fixed_cost
    slope = fixed_cost / instance.arc_capacity
    all_open = np.ones(m)
    best: Design | None = None
    seen: set[bytes] = set()
    for _ in range(max_iterations):
        if time.perf_counter() >= deadline:
            break
        weights = unit_cost + slope
        _, paths = graph.cheapest_paths(weights, instance.commodity_origin,
                                        instance.commodity_destination)
        flows = path_flows_of(instance, paths)
        if not within_capacity(instance, flows):
            for k, arcs in enumerate(paths):
                pool.add(k, arcs)
            lp = solve_path_lp(instance, graph, pool, arc_cost=weights, y_cost=np.zeros(m),
                               y_lb=all_open, y_ub=all_open, separate=False, deadline=deadline)
            if not lp.converged or lp.slack > flow_tol(instance):
                break
            flows = lp.flows
        total = flows.sum(axis=0)
        used = total > flow_tol(instance)
        key = used.tobytes()
        if key in seen:
            break
        seen.add(key)
        routed = cheapest_flow(instance, graph, pool, used, deadline)
        candidate = make_design(instance, routed if routed is not None else flows, "slope scaling")
        if best is None or candidate.cost < best.cost:
            best = candidate
        slope = np.where(used, fixed_cost / np.maximum(total, 1e-12), slope)
    return best

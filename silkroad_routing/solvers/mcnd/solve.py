"""``solve_mcnd``: strong LP by column generation, slope scaling, and MIPs on what they found.

Phases, each bounded by a share of ``time_limit_s``:

1. Feasibility: every commodity must have a path; if the cheapest paths overload an arc, a
   phase-one path LP with every arc open decides whether the capacities can carry the demand.
2. Slope scaling (:mod:`.slope_scaling`): a first design, the MIP start of what follows.
3. The strong LP relaxation by column generation with lazily separated strong linking cuts
   (:mod:`.path_lp`). Its Lagrangian bound is the lower bound; its reduced costs fix closed the
   arcs that cannot be in any design cheaper than the incumbent.
4. Rounds of MIPs over the generated paths (:mod:`.path_mip`) with the strong cuts, each
   warm-started from the best design, alternately on the arcs the LP uses and on every arc not
   fixed closed; each design found is re-routed on all paths, which grows the path pool.
5. The arc MIP with the strong cuts on every arc not fixed closed, warm-started from the best
   design, for the time left: it can still improve the design, and its dual bound is valid for
   the instance.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from ...model import MCNDInstance
from ..status import SolveStatus
from ._checks import check_options
from ._mathopt import RELATIVE_GAP
from .arc_model import build_arc_model
from .design import (
    Design,
    cheapest_flow,
    flow_tol,
    make_design,
    path_flows_of,
    within_capacity,
)
from .mip import run_mip
from .network import ArcGraph
from .path_lp import ColumnPool, solve_path_lp
from .path_mip import run_path_mip
from .result import MCNDResult
from .slope_scaling import slope_scaling

_log = logging.getLogger(__name__)

#: Each phase ends by this share of the time limit (or earlier, when done).
HEURISTIC_END = 0.05
LP_END = 0.35
PATH_MIPS_END = 0.8
#: Each path MIP round gets this share of the time limit (at least MIN_ROUND_SECONDS); the
#: rounds stop after STALE_ROUNDS rounds in a row without a better design.
ROUND_SHARE = 0.1
MIN_ROUND_SECONDS = 2.0
STALE_ROUNDS = 3
#: Column generation stops when its bound is this close (relative) to the LP value.
LP_BOUND_RTOL = 1e-4
#: Time kept back from the last MIP to read its solution (s).
DECODE_SECONDS = 0.3
#: An arc is in the LP's support when its design variable exceeds this.
SUPPORT_TOL = 1e-6


def _result(best: Design, bound: float, started: float) -> MCNDResult:
    bound = min(bound, best.cost)
    optimal = best.cost - bound <= RELATIVE_GAP * max(abs(best.cost), 1.0)
    return MCNDResult(SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE, best.cost, bound,
                      best.open_arcs, best.flows, time.perf_counter() - started, best.source)


def _no_design(instance: MCNDInstance, status: SolveStatus, message: str,
               started: float) -> MCNDResult:
    bound = np.inf if status == SolveStatus.INFEASIBLE else -np.inf
    return MCNDResult(status, np.inf, bound, np.empty(0, dtype=np.int64),
                      np.zeros((instance.n_commodities, instance.n_arcs)),
                      time.perf_counter() - started, "feasibility check", message)


def _first_design(instance: MCNDInstance, graph: ArcGraph, pool: ColumnPool,
                  deadline: float) -> Design | str | None:
    """A feasible design with every useful arc open; a message if infeasible; None on timeout."""
    cost, paths = graph.cheapest_paths(instance.arc_unit_cost, instance.commodity_origin,
                                       instance.commodity_destination)
    if not np.isfinite(cost).all():
        k = int(np.flatnonzero(~np.isfinite(cost))[0])
        return (f"commodity {k} has no path from node {instance.commodity_origin[k]} to node "
                f"{instance.commodity_destination[k]}")
    for k, arcs in enumerate(paths):
        pool.add(k, arcs)
    flows = path_flows_of(instance, paths)
    if not within_capacity(instance, flows):
        # Phase one: zero path costs, so any demand left on the slack columns is infeasibility.
        all_open = np.ones(instance.n_arcs)
        zero = np.zeros(instance.n_arcs)
        lp = solve_path_lp(instance, graph, pool, arc_cost=zero, y_cost=zero, y_lb=all_open,
                           y_ub=all_open, separate=False, deadline=deadline)
        if not lp.converged:
            return None
        if lp.slack > flow_tol(instance):
            return (f"the arc capacities cannot carry all demand even with every arc open "
                    f"({lp.slack:.6g} units of demand left over)")
        flows = lp.flows
    return make_design(instance, flows, "all arcs open")


def _path_mip_rounds(instance: MCNDInstance, graph: ArcGraph, pool: ColumnPool, best: Design,
                     support: np.ndarray, allowed: np.ndarray, cut_keys: np.ndarray, *,
                     seconds: float, deadline: float, mip: dict) -> Design:
    """Path MIPs from the best design, alternately on the LP's support and on every allowed arc.

    Each design found is re-routed on all paths (which adds its cheapest paths to the pool),
    so every round searches a larger set of paths than the one before.
    """
    stale, round_number = 0, 0
    while stale < STALE_ROUNDS and time.perf_counter() < deadline:
        may_open = support if round_number % 2 == 0 else allowed
        limit = min(seconds, deadline - time.perf_counter())
        outcome = run_path_mip(instance, pool, may_open=may_open, cut_keys=cut_keys,
                               seconds=limit, start=best, **mip)
        stale += 1
        round_number += 1
        if outcome.design is None:
            continue
        open_mask = np.zeros(instance.n_arcs, dtype=bool)
        open_mask[outcome.design.open_arcs] = True
        routed = cheapest_flow(instance, graph, pool, open_mask, deadline + seconds)
        found = outcome.design if routed is None else make_design(instance, routed, "path MIP")
        if found.cost < best.cost * (1.0 - RELATIVE_GAP):
            best, stale = found, 0
        _log.debug("path MIP round %d on %d arcs: %s %.6g (re-routed %.6g), %d paths",
                   round_number, may_open.sum(), outcome.status, outcome.design.cost, found.cost,
                   len(pool))
    return best


def solve_mcnd(instance: MCNDInstance, time_limit_s: float = 60.0, seed: int = 0, *,
               solver: str = "highs", threads: int = 1, log: bool = False) -> MCNDResult:
    """Solve a multicommodity capacitated fixed-charge network design instance.

    Args:
        instance: the instance (costs in its money unit, capacities and demands in units).
        time_limit_s: wall-clock limit in seconds for the whole solve (phases included; a master
            LP in progress may overrun it by a fraction of a second).
        seed: the MIP solver's random seed.
        solver: MIP solver, ``"highs"`` (default: better on these models) or ``"scip"``; the
            linear programs are always solved by HiGHS.
        threads: threads of SCIP (HiGHS sizes its thread pool once per process, half the
            cores by default, and searches on one).
        log: print the MIP solver's search log.

    Returns:
        :class:`MCNDResult`: best design, flows, objective, a valid lower bound (the strong
        LP's Lagrangian bound, raised by the full MIP's dual bound) and the gap. An infeasible
        instance comes back with status ``INFEASIBLE`` and a message saying why.

    Deterministic for a given seed when no phase is cut short by the time limit.
    """
    check_options(time_limit_s, seed, threads, solver)
    started = time.perf_counter()
    deadline = started + time_limit_s

    def by(share: float) -> float:
        return started + share * time_limit_s

    graph = ArcGraph.of(instance)
    pool = ColumnPool(instance.n_arcs)
    first = _first_design(instance, graph, pool, deadline)
    if first is None:
        return _no_design(instance, SolveStatus.UNKNOWN, "no solution within the time limit",
                          started)
    if isinstance(first, str):
        return _no_design(instance, SolveStatus.INFEASIBLE, first, started)
    best = first
    scaled = slope_scaling(instance, graph, pool, deadline=by(HEURISTIC_END))
    if scaled is not None and scaled.cost < best.cost:
        best = scaled
    _log.info("%s: slope scaling %.6g after %.1f s", instance.name, best.cost,
              time.perf_counter() - started)

    m = instance.n_arcs
    lp = solve_path_lp(instance, graph, pool, arc_cost=instance.arc_unit_cost,
                       y_cost=instance.arc_fixed_cost, y_lb=np.zeros(m), y_ub=np.ones(m),
                       separate=True, deadline=by(LP_END), bound_rtol=LP_BOUND_RTOL)
    bound = lp.bound
    _log.info("%s: strong LP %.6g, bound %.6g (%s, %d iterations, %d cuts, %d paths) after %.1f s",
              instance.name, lp.value, bound, "converged" if lp.converged else "stopped",
              lp.iterations, lp.cut_keys.size, len(pool), time.perf_counter() - started)
    if best.cost - bound <= RELATIVE_GAP * max(abs(best.cost), 1.0):
        return _result(best, bound, started)
    # Lagrangian reduced-cost fixing: opening such an arc costs more than the whole gap.
    incumbent_cost = best.cost
    margin = 1e-6 * max(abs(incumbent_cost), 1.0)
    closed = lp.reduced_cost > incumbent_cost - bound + margin
    closed[best.open_arcs] = False

    mip = dict(solver=solver, seed=seed, threads=threads, log=log)
    support = ((lp.y > SUPPORT_TOL) | np.isin(np.arange(m), best.open_arcs)) & ~closed
    best = _path_mip_rounds(instance, graph, pool, best, support, ~closed, lp.cut_keys,
                            seconds=max(ROUND_SHARE * time_limit_s, MIN_ROUND_SECONDS),
                            deadline=by(PATH_MIPS_END), mip=mip)
    _log.info("%s: path MIPs: best %.6g after %.1f s", instance.name, best.cost,
              time.perf_counter() - started)

    if time.perf_counter() < deadline - 1.0:
        full = build_arc_model(instance, np.flatnonzero(~closed), cut_keys=lp.cut_keys)
        outcome = run_mip(instance, full, seconds=deadline - time.perf_counter() - DECODE_SECONDS,
                          source="arc MIP with strong cuts", start=best, **mip)
        if outcome.design is not None and outcome.design.cost < best.cost:
            best = outcome.design
        # Designs using a fixed-closed arc cost more than the incumbent at fixing time.
        bound = max(bound, min(outcome.dual_bound, incumbent_cost))
        _log.info("%s: full MIP: %s, best %.6g, bound %.6g after %.1f s", instance.name,
                  outcome.status, best.cost, bound, time.perf_counter() - started)
    return _result(best, bound, started)

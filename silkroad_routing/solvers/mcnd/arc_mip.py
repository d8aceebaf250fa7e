"""The baseline: the plain arc-based MIP handed to the MIP solver as it is."""

from __future__ import annotations

import time

import numpy as np

from ...model import MCNDInstance
from ..status import SolveStatus
from ._checks import check_options
from .arc_model import build_arc_model
from .mip import run_mip
from .result import MCNDResult


def solve_mcnd_arc_mip(instance: MCNDInstance, time_limit_s: float = 60.0, seed: int = 0, *,
                       solver: str = "highs", threads: int = 1,
                       log: bool = False) -> MCNDResult:
    """Solve MCND as the textbook arc-based MIP (aggregate capacities only, flows >= 0).

    The reference the method of :func:`solve_mcnd` is measured against: same solver, same
    limits. ``time_limit_s`` in seconds (wall clock, model building included); ``solver``
    ``"highs"`` or ``"scip"``; ``threads`` for SCIP (HiGHS keeps its process-wide default);
    ``log`` prints the solver's search log. The result's bound is the solver's dual bound.
    """
    check_options(time_limit_s, seed, threads, solver)
    started = time.perf_counter()
    arc_model = build_arc_model(instance, bound_flows=False)
    seconds = time_limit_s - (time.perf_counter() - started)
    outcome = run_mip(instance, arc_model, solver=solver, seconds=seconds, seed=seed,
                      threads=threads, log=log, source="plain arc MIP")
    elapsed = time.perf_counter() - started
    empty = np.empty(0, dtype=np.int64)
    no_flows = np.zeros((instance.n_commodities, instance.n_arcs))
    if outcome.design is None:
        message = ("the MIP solver proved the instance infeasible"
                   if outcome.status == SolveStatus.INFEASIBLE else "no solution within the time limit")
        bound = np.inf if outcome.status == SolveStatus.INFEASIBLE else outcome.dual_bound
        return MCNDResult(outcome.status, np.inf, bound, empty, no_flows, elapsed, "plain arc MIP", message)
    design = outcome.design
    return MCNDResult(outcome.status, design.cost, min(outcome.dual_bound, design.cost),
                      design.open_arcs, design.flows, elapsed, "plain arc MIP")

"""Solve an arc model as a MIP (HiGHS or SCIP through MathOpt), optionally from a MIP start."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.math_opt.python import mathopt

from ...model import MCNDInstance, SolverParams
from ..status import SolveStatus
from ._mathopt import solve_params, solver_type, status_of
from .arc_model import ArcModel, decode, solution_hint
from .design import Design, make_design


@dataclass(frozen=True)
class MipOutcome:
    """Status, best design (None without one) and the solver's dual bound of one MIP solve."""

    status: SolveStatus
    design: Design | None
    dual_bound: float


def run_mip(instance: MCNDInstance, arc_model: ArcModel, params: SolverParams, *,
            seconds: float, source: str, start: Design | None = None) -> MipOutcome:
    """Solve ``arc_model`` for at most ``seconds`` with ``params``' solver, seed, threads and
    log; ``start`` is the MIP start when it only opens arcs of the model."""
    model_params = mathopt.ModelSolveParameters()
    if start is not None and np.isin(start.open_arcs, arc_model.arcs).all():
        model_params.solution_hints.append(solution_hint(arc_model, start.open_arcs, start.flows))
    result = mathopt.solve(arc_model.model, solver_type(params.solver),
                           params=solve_params(params.solver, seconds, params.seed,
                                               params.threads, params.log),
                           model_params=model_params)
    status = status_of(result)
    design = None
    if result.has_primal_feasible_solution():
        y, flows = decode(instance, arc_model, result)
        design = make_design(instance, flows, source, is_open=y > 0.5)
    bound = np.inf if status == SolveStatus.INFEASIBLE else result.termination.objective_bounds.dual_bound
    return MipOutcome(status, design, float(bound))

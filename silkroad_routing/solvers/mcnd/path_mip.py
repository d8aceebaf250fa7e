"""A MIP over the generated paths: the path master with binary design variables.

Restricted to the paths in the pool (and to the arcs allowed to open), it is a heuristic: its
designs are feasible, its bound is not a bound on the instance. Its LP is small (a few
thousand path columns instead of commodities x arcs flow variables), so the MIP solver's
search and its sub-MIP heuristics run far faster than on the arc model; the design it returns
is then re-routed on all paths (:func:`~.design.cheapest_flow`).
"""

from __future__ import annotations

import numpy as np
from ortools.math_opt.python import mathopt

from ...model import MCNDInstance, SolverParams
from ._mathopt import solve_params, solver_type, status_of, values
from .design import Design, decompose, make_design
from .mip import MipOutcome
from .path_lp import ColumnPool, master_proto, path_flows


def _hint(instance: MCNDInstance, pool: ColumnPool, start: Design,
          variables: list[mathopt.Variable]) -> mathopt.SolutionHint:
    """The start design as values of y, the path flows and the (zero) slacks."""
    m = instance.n_arcs
    value = np.zeros(len(variables))
    value[start.open_arcs] = 1.0
    for k, arcs, amount in decompose(instance, start.flows):
        value[m + pool.index(k, arcs)] += amount
    return mathopt.SolutionHint(variable_values=dict(zip(variables, value.tolist(), strict=True)))


def run_path_mip(instance: MCNDInstance, pool: ColumnPool, params: SolverParams, *,
                 may_open: np.ndarray, cut_keys: np.ndarray, seconds: float,
                 start: Design | None = None) -> MipOutcome:
    """Solve the path MIP on the pool's paths for at most ``seconds`` (``params``' solver, seed,
    threads and log), opening only arcs of ``may_open`` (bool mask), with the strong cuts
    ``cut_keys``; ``start`` (its paths join the pool) is the MIP start."""
    m = instance.n_arcs
    if start is not None:
        for k, arcs, _ in decompose(instance, start.flows):
            pool.add(k, arcs)
        may_open = may_open.copy()
        may_open[start.open_arcs] = True
    proto = master_proto(instance, pool, instance.arc_unit_cost, instance.arc_fixed_cost,
                         np.zeros(m), may_open.astype(np.float64), None, cut_keys, binary=True)
    model = mathopt.Model.from_model_proto(proto)
    variables = list(model.variables())
    model_params = mathopt.ModelSolveParameters()
    if start is not None:
        model_params.solution_hints.append(_hint(instance, pool, start, variables))
    result = mathopt.solve(model, solver_type(params.solver),
                           params=solve_params(params.solver, seconds, params.seed,
                                               params.threads, params.log),
                           model_params=model_params)
    status = status_of(result)
    design = None
    if result.has_primal_feasible_solution():
        y, h = values(result, variables[:m]), values(result, variables[m:m + len(pool)])
        design = make_design(instance, path_flows(instance, pool, h), "path MIP", is_open=y > 0.5)
    return MipOutcome(status, design, float(result.termination.objective_bounds.dual_bound))

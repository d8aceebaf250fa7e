"""MathOpt plumbing shared by the MCND models: solver choice, parameters, status, values."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt

from ...errors import InputError
from ..status import SolveStatus

MipSolver = Literal["highs", "scip"]
_SOLVER_TYPES = {"highs": mathopt.SolverType.HIGHS, "scip": mathopt.SolverType.GSCIP}
#: Relative gap at which a MIP counts as solved (HiGHS's default is 1e-4; the benchmark optima
#: are proven to 1e-4 as well, and a tighter target costs the large instances nothing).
RELATIVE_GAP = 1e-6
#: Column generation (MCND paths, design routes): a column enters the master when its reduced
#: cost is below -PRICE_TOL * (1 + |dual of its demand row|).
PRICE_TOL = 1e-7


def _limit(seconds: float) -> datetime.timedelta:
    """A solver time limit: at least 10 ms, at most a year (no limit)."""
    return datetime.timedelta(seconds=min(max(seconds, 0.01), 3.15e7))


def solver_type(solver: str) -> mathopt.SolverType:
    """The MathOpt solver for ``"highs"`` or ``"scip"``; :class:`InputError` otherwise."""
    if solver not in _SOLVER_TYPES:
        raise InputError(f"must be one of {sorted(_SOLVER_TYPES)}", field="solver", value=solver)
    return _SOLVER_TYPES[solver]


def solve_params(solver: str, seconds: float, seed: int, threads: int,
                 log: bool = False) -> mathopt.SolveParameters:
    """Time limit (s), seed, threads and gap target for ``solver``.

    ``threads`` applies to SCIP. HiGHS keeps one thread pool per process, sized at its first
    solve (half the cores by default); a solve asking for another size fails, so it is left
    alone here. HiGHS's branch and bound runs on one thread either way.
    """
    params = mathopt.SolveParameters(
        time_limit=_limit(seconds), random_seed=seed,
        relative_gap_tolerance=RELATIVE_GAP, enable_output=log)
    if solver != "highs":
        params.threads = threads
    return params


def lp_params(seconds: float) -> mathopt.SolveParameters:
    """HiGHS LP parameters: a time limit (s) and the interior point method (with crossover): on
    the degenerate path masters it is 2-3 times faster than dual simplex."""
    return mathopt.SolveParameters(time_limit=_limit(seconds),
                                   lp_algorithm=mathopt.LPAlgorithm.BARRIER)


def status_of(result: mathopt.SolveResult) -> SolveStatus:
    """Map a MathOpt termination to :class:`SolveStatus` (errors raise RuntimeError)."""
    reason = result.termination.reason
    if reason == mathopt.TerminationReason.OPTIMAL:
        return SolveStatus.OPTIMAL
    if reason in (mathopt.TerminationReason.INFEASIBLE,
                  mathopt.TerminationReason.INFEASIBLE_OR_UNBOUNDED):
        # MCND costs are >= 0, so "infeasible or unbounded" can only be infeasible.
        return SolveStatus.INFEASIBLE
    if reason in (mathopt.TerminationReason.NUMERICAL_ERROR, mathopt.TerminationReason.OTHER_ERROR,
                  mathopt.TerminationReason.IMPRECISE):
        raise RuntimeError(f"MathOpt solve failed: {result.termination}")
    return SolveStatus.FEASIBLE if result.has_primal_feasible_solution() else SolveStatus.UNKNOWN


def set_matrix(proto: model_pb2.ModelProto, rows: list[NDArray], cols: list[NDArray],
               coefs: list[NDArray]) -> None:
    """Fill the proto's constraint matrix from (row, column, coefficient) array pieces, sorted
    by row, then column, as MathOpt requires."""
    row, col, coef = np.concatenate(rows), np.concatenate(cols), np.concatenate(coefs)
    order = np.lexsort((col, row))
    matrix = proto.linear_constraint_matrix
    matrix.row_ids.extend(row[order].tolist())
    matrix.column_ids.extend(col[order].tolist())
    matrix.coefficients.extend(coef[order].tolist())


def values(result: mathopt.SolveResult, variables: Sequence[mathopt.Variable]) -> NDArray[np.float64]:
    """Primal values of ``variables`` as a float64 array."""
    return np.asarray(result.variable_values(list(variables)), dtype=np.float64)

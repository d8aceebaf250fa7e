"""Honest solve status shared by the solvers: optimal, feasible, infeasible or unknown."""

from __future__ import annotations

from enum import StrEnum

from ortools.sat.python import cp_model


class SolveStatus(StrEnum):
    """Outcome of a solve.

    ``OPTIMAL``: the returned solution is proven optimal (bound equals objective).
    ``FEASIBLE``: a solution is returned, optimality not proven (see the bound and gap).
    ``INFEASIBLE``: proven to have no solution. ``UNKNOWN``: stopped (time limit) without a
    solution and without a proof of infeasibility.
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


def cp_sat_status(status: int) -> SolveStatus:
    """Map a CP-SAT status code to :class:`SolveStatus` (MODEL_INVALID raises RuntimeError)."""
    if status == cp_model.OPTIMAL:
        return SolveStatus.OPTIMAL
    if status == cp_model.FEASIBLE:
        return SolveStatus.FEASIBLE
    if status == cp_model.INFEASIBLE:
        return SolveStatus.INFEASIBLE
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError("CP-SAT rejected the model as invalid (a bug in silkroad-routing)")
    return SolveStatus.UNKNOWN

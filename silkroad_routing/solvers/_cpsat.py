"""A CP-SAT solver set up the same way by every CP-SAT model (packing, train, freighter)."""

from __future__ import annotations

from ortools.sat.python import cp_model


def cp_sat_solver(time_limit_s: float, threads: int, seed: int, log: bool) -> cp_model.CpSolver:
    """A solver with this wall-clock limit (s), worker count, random seed and search log."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = int(threads)
    solver.parameters.random_seed = int(seed)
    solver.parameters.log_search_progress = bool(log)
    return solver

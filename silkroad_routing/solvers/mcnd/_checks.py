"""Validation of the options shared by the MCND solvers."""

from __future__ import annotations

from ...model import SolverParams


def check_options(time_limit_s: float, seed: int, threads: int, solver: str,
                  log: bool = False) -> SolverParams:
    """The options as :class:`~silkroad_routing.model.SolverParams`, which checks them:
    :class:`~silkroad_routing.errors.InputError` unless ``time_limit_s`` > 0 (s), ``seed`` >= 0
    and ``threads`` >= 1 (integers), ``solver`` is a known MIP solver and ``log`` a bool."""
    return SolverParams(time_limit_s=time_limit_s, seed=seed, threads=threads, solver=solver,
                        log=log)

"""Validation of the options shared by the MCND solvers."""

from __future__ import annotations

from ...model import SolverParams


def check_options(time_limit_s: float, seed: int, threads: int, solver: str) -> None:
    """:class:`~silkroad_routing.errors.InputError` unless ``time_limit_s`` > 0 (s), ``seed`` >= 0
    and ``threads`` >= 1 (integers) and ``solver`` is a known MIP solver: the checks of
    :class:`~silkroad_routing.model.SolverParams`."""
    SolverParams(time_limit_s=time_limit_s, seed=seed, threads=threads, solver=solver)

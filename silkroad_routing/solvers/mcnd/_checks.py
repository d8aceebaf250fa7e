"""Validation of the options shared by the MCND solvers."""

from __future__ import annotations

import math

from ._mathopt import solver_type


def check_options(time_limit_s: float, seed: int, threads: int, solver: str) -> None:
    """ValueError unless ``time_limit_s`` > 0 (s), ``seed`` >= 0 and ``threads`` >= 1 (integers)
    and ``solver`` is a known MIP solver."""
    solver_type(solver)
    if not (isinstance(time_limit_s, int | float) and math.isfinite(time_limit_s) and time_limit_s > 0):
        raise ValueError(f"time_limit_s must be a positive number of seconds, got {time_limit_s!r}")
    for name, value, low in (("seed", seed, 0), ("threads", threads, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")

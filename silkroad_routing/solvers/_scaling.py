"""Integer scaling of kg, m3 and m for CP-SAT, with a warning when it loses precision.

CP-SAT takes integers only. A quantity is divided by a resolution (e.g. 0.001 kg) and rounded
*conservatively*: item sizes up, capacities down, so that every integer-feasible solution is
feasible in the original units. When some value is not a whole multiple of its resolution the
model solved is slightly tighter than the real one; :class:`ScalingWarning` says so, and the
solvers then report optimality only against bounds computed in the original units.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import InputError

#: Largest scaled value accepted: CP-SAT sums must stay far below 2**63.
MAX_SCALED = 2**40
_EXACT_RTOL = 1e-9


class ScalingWarning(UserWarning):
    """Scaling to integers for CP-SAT rounded some values (in the PyVRP ``ScalingWarning`` style)."""


def scale_up(values: np.ndarray, resolution: float, what: str) -> tuple[np.ndarray, bool]:
    """``ceil(values / resolution)`` as int64, and whether that was exact (no rounding)."""
    return _scale(values, resolution, what, np.ceil)


def scale_down(values: np.ndarray, resolution: float, what: str) -> tuple[np.ndarray, bool]:
    """``floor(values / resolution)`` as int64, and whether that was exact (no rounding)."""
    return _scale(values, resolution, what, np.floor)


def _scale(values: np.ndarray, resolution: float, what: str, rounding: np.ufunc,
           ) -> tuple[np.ndarray, bool]:
    if not resolution > 0:
        raise InputError(f"the resolution of {what} must be positive", value=resolution)
    ratio = np.asarray(values, dtype=np.float64) / resolution
    if ratio.size and np.abs(ratio).max() > MAX_SCALED:
        raise InputError(
            f"{what} is too large for resolution {resolution}: {np.abs(ratio).max():.3g} units "
            f"exceed {MAX_SCALED}; use a coarser resolution"
        )
    nearest = np.round(ratio)
    close = np.abs(ratio - nearest) <= _EXACT_RTOL * np.maximum(1.0, np.abs(ratio))
    scaled = np.where(close, nearest, rounding(ratio)).astype(np.int64)
    exact = bool(close.all())
    if not exact:
        worst = float(np.abs(ratio - scaled).max() * resolution)
        warnings.warn(
            f"{what} are not whole multiples of {resolution}: rounded conservatively (by up to "
            f"{worst:.3g}) for CP-SAT, so the integer model is slightly tighter than the real one",
            ScalingWarning, stacklevel=4,
        )
    return scaled, exact

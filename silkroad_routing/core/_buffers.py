"""Growable buffers for Numba kernels: copies into larger arrays.

The copies are explicit loops: a slice assignment pulls Numba's broadcasting machinery into
every kernel that inlines it and costs seconds of compile time each.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numba import njit

#: Default cap on the number of labels one query may create (graph and timetable searches).
DEFAULT_MAX_LABELS: Final[int] = 2_000_000


@njit(cache=True)
def resized_1d(a: np.ndarray, length: int) -> np.ndarray:
    """A copy of ``a`` with exactly ``length`` (>= ``len(a)``) entries; the tail is unset."""
    out = np.empty(length, dtype=a.dtype)
    for i in range(a.shape[0]):
        out[i] = a[i]
    return out


@njit(cache=True)
def resized_2d(a: np.ndarray, rows: int) -> np.ndarray:
    """A copy of a 2-D ``a`` with exactly ``rows`` (>= its rows) rows; new rows are unset."""
    out = np.empty((rows, a.shape[1]), dtype=a.dtype)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[i, j] = a[i, j]
    return out


@njit(cache=True)
def grow_1d(a: np.ndarray, need: int) -> np.ndarray:
    """``a`` if it holds ``need`` entries, else a copy at least twice as long (tail unset)."""
    if need <= a.shape[0]:
        return a
    return resized_1d(a, max(need, 2 * a.shape[0]))


@njit(cache=True)
def grow_2d(a: np.ndarray, need: int) -> np.ndarray:
    """``a`` if it holds ``need`` rows, else a copy with at least twice the rows (new rows unset)."""
    if need <= a.shape[0]:
        return a
    return resized_2d(a, max(need, 2 * a.shape[0]))

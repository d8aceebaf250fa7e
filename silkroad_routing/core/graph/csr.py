"""Validation of CSR graph arrays at the public boundary, and the reverse (transposed) graph.

A graph with ``n`` nodes and ``m`` arcs is ``indptr`` (int64, n + 1) and ``indices`` (int64, m):
the arcs leaving node ``u`` are the positions ``indptr[u]:indptr[u+1]``, with heads
``indices[...]``. An arc's id is its position in these arrays, so per-arc arrays (weights,
criteria, link ids) are indexed by it. Parallel arcs and self-loops are allowed.

The public wrappers call these checks once per call and hand contiguous int64/float64 arrays to
the kernels; the scans are jitted single passes so that they cost a few ms on 4M arcs.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray


def as_int_array(values: ArrayLike, name: str) -> NDArray[np.int64]:
    """``values`` as a contiguous 1-D int64 array; ValueError if not integral or not 1-D."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}")
    return np.ascontiguousarray(array, dtype=np.int64)


@njit(cache=True)
def _first_bad_csr(indptr: np.ndarray, indices: np.ndarray) -> tuple[int, int]:
    # (code, position): 0 ok, 1 indptr decreases at position, 2 index out of range at position.
    n = indptr.shape[0] - 1
    for u in range(n):
        if indptr[u + 1] < indptr[u]:
            return 1, u
    for a in range(indices.shape[0]):
        v = indices[a]
        if v < 0 or v >= n:
            return 2, a
    return 0, -1


def check_csr(
    indptr: ArrayLike, indices: ArrayLike
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Validate a CSR graph; return ``(indptr, indices)`` as contiguous int64 arrays.

    Raises ValueError when ``indptr`` is empty, does not start at 0, decreases, or does not end
    at ``len(indices)``, or when a head in ``indices`` is not a node id in ``0..n-1``.
    """
    indptr = as_int_array(indptr, "indptr")
    indices = as_int_array(indices, "indices")
    if indptr.shape[0] == 0:
        raise ValueError("indptr must have n + 1 >= 1 entries, got an empty array")
    if indptr[0] != 0:
        raise ValueError(f"indptr[0] must be 0, got {indptr[0]}")
    if indptr[-1] != indices.shape[0]:
        raise ValueError(
            f"indptr[-1] = {indptr[-1]} must equal len(indices) = {indices.shape[0]}"
        )
    code, where = _first_bad_csr(indptr, indices)
    if code == 1:
        raise ValueError(
            f"indptr must be non-decreasing: indptr[{where + 1}] = {indptr[where + 1]} < "
            f"indptr[{where}] = {indptr[where]}"
        )
    if code == 2:
        raise ValueError(
            f"indices[{where}] = {indices[where]} is not a node id in 0..{indptr.shape[0] - 2}"
        )
    return indptr, indices


@njit(cache=True)
def _first_bad_weight(weights: np.ndarray) -> int:
    # Position of the first NaN, infinite or negative value; -1 if none.
    for a in range(weights.shape[0]):
        w = weights[a]
        if not (w >= 0.0 and w < np.inf):
            return a
    return -1


def check_weights(weights: ArrayLike, n_arcs: int, name: str = "weights") -> NDArray[np.float64]:
    """Validate per-arc weights; return them as a contiguous float64 array of shape ``(m,)``
    (or ``(m, k)`` for criteria).

    Raises ValueError when the first dimension is not ``n_arcs`` or a value is negative, NaN or
    infinite (the kernels' exactness relies on finite non-negative weights).
    """
    array = np.asarray(weights)
    if array.ndim == 0 or array.shape[0] != n_arcs:
        raise ValueError(
            f"{name} must have one row per arc (len(indices) = {n_arcs}), got shape {array.shape}"
        )
    if array.size and not (
        np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)
    ):
        raise ValueError(f"{name} must hold numbers, got dtype {array.dtype}")
    array = np.ascontiguousarray(array, dtype=np.float64)
    bad = _first_bad_weight(array.reshape(-1))
    if bad >= 0:
        row = bad if array.ndim == 1 else divmod(bad, array.shape[1])
        value = array.reshape(-1)[bad]
        kind = "negative" if value < 0 else "not finite"
        raise ValueError(f"{name}[{row}] = {value} is {kind}: weights must be finite and >= 0")
    return array


def check_node(node: int, n_nodes: int, name: str) -> int:
    """``node`` as an int in ``0..n_nodes-1``; ValueError otherwise."""
    if isinstance(node, bool) or not isinstance(node, int | np.integer):
        raise ValueError(f"{name} must be an integer node id, got {node!r}")
    if not 0 <= node < n_nodes:
        raise ValueError(f"{name} = {node} is out of range: the graph has nodes 0..{n_nodes - 1}")
    return int(node)


def check_positive_int(value: int, name: str) -> int:
    """``value`` as an int >= 1; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_nodes(nodes: ArrayLike, n_nodes: int, name: str) -> NDArray[np.int64]:
    """``nodes`` as a contiguous int64 array of ids in ``0..n_nodes-1``; ValueError otherwise."""
    array = as_int_array(nodes, name)
    if array.size and (array.min() < 0 or array.max() >= n_nodes):
        bad = int(np.flatnonzero((array < 0) | (array >= n_nodes))[0])
        raise ValueError(
            f"{name}[{bad}] = {array[bad]} is out of range: the graph has nodes 0..{n_nodes - 1}"
        )
    return array


@njit(cache=True)
def reverse_csr(
    indptr: np.ndarray, indices: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The transposed graph: ``(rev_indptr, rev_indices, rev_arc)``.

    The arcs entering node ``v`` are ``rev_indptr[v]:rev_indptr[v+1]``; for such a position
    ``r``, ``rev_indices[r]`` is the tail of the original arc and ``rev_arc[r]`` its id (so
    ``weights[rev_arc]`` are the reverse graph's weights). Arcs keep their original relative
    order (a stable counting sort, O(n + m)).
    """
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    rev_indptr = np.zeros(n + 1, dtype=np.int64)
    for a in range(m):
        rev_indptr[indices[a] + 1] += 1
    for v in range(n):
        rev_indptr[v + 1] += rev_indptr[v]
    fill = rev_indptr[:-1].copy()
    rev_indices = np.empty(m, dtype=np.int64)
    rev_arc = np.empty(m, dtype=np.int64)
    for u in range(n):
        for a in range(indptr[u], indptr[u + 1]):
            r = fill[indices[a]]
            rev_indices[r] = u
            rev_arc[r] = a
            fill[indices[a]] = r + 1
    return rev_indptr, rev_indices, rev_arc

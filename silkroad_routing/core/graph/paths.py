"""Paths as node ids and arc ids, rebuilt from shortest-path trees or from label chains.

An arc id is a position in the CSR arrays (``indices``, ``weights``, ...), so a caller maps a
path back to the links or services its arcs came from with one fancy index.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from .csr import check_node


class Path(NamedTuple):
    """A path: ``nodes`` (int64, source first) and ``arcs`` (int64 arc ids, one fewer).

    ``arcs[i]`` leads from ``nodes[i]`` to ``nodes[i + 1]``. A path from a node to itself has one
    node and no arc; "no path" is two empty arrays.
    """

    nodes: NDArray[np.int64]
    arcs: NDArray[np.int64]


def no_path() -> Path:
    """The empty path, meaning "unreachable"."""
    return Path(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))


@njit(cache=True)
def tree_path_kernel(
    indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, dist: np.ndarray,
    pred: np.ndarray, target: int,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Walk ``pred`` back from ``target``: ``(nodes, arcs, consistent)``.

    The arc of each step ``u -> v`` is the lowest-id arc with head ``v`` and
    ``dist[u] + weights[a] == dist[v]`` (the search set ``dist[v]`` to exactly such a sum, so the
    arc realises the distance with no rounding slack). ``consistent`` is False when ``pred``
    has a cycle or a step has no such arc (``dist``/``pred`` not from these arrays).
    """
    n = indptr.shape[0] - 1
    if not dist[target] < np.inf:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), True
    length = 1
    v = target
    while pred[v] >= 0:
        v = pred[v]
        length += 1
        if length > n:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), False
    nodes = np.empty(length, dtype=np.int64)
    arcs = np.empty(length - 1, dtype=np.int64)
    v = target
    nodes[length - 1] = v
    for i in range(length - 2, -1, -1):
        u = pred[v]
        found = -1
        for a in range(indptr[u], indptr[u + 1]):
            if indices[a] == v and dist[u] + weights[a] == dist[v]:
                found = a
                break
        if found < 0:
            return nodes, arcs, False
        arcs[i] = found
        nodes[i] = u
        v = u
    return nodes, arcs, True


def tree_path(
    indptr: NDArray[np.int64], indices: NDArray[np.int64], weights: NDArray[np.float64],
    dist: NDArray[np.float64], pred: NDArray[np.int64], target: int,
) -> Path:
    """The path to ``target`` in a shortest-path tree ``(dist, pred)`` from :func:`dijkstra`.

    ``indptr``, ``indices`` and ``weights`` must be the arrays the tree was computed on (the
    contiguous int64/float64 arrays :func:`dijkstra` accepts; they are not re-validated here).
    Returns the empty path when ``target`` is unreachable. Raises ValueError if ``target`` is
    out of range or ``dist``/``pred`` do not belong to these arrays.
    """
    n = indptr.shape[0] - 1
    if dist.shape != (n,) or pred.shape != (n,):
        raise ValueError(f"dist and pred must have shape ({n},), got {dist.shape}, {pred.shape}")
    target = check_node(target, n, "target")
    nodes, arcs, consistent = tree_path_kernel(indptr, indices, weights, dist, pred, target)
    if not consistent:
        raise ValueError("dist/pred are not a shortest-path tree of these CSR arrays")
    return Path(nodes, arcs)


@njit(cache=True)
def label_path_kernel(
    label_node: np.ndarray, label_pred: np.ndarray, label_arc: np.ndarray, label: int
) -> tuple[np.ndarray, np.ndarray]:
    """Follow a label's predecessor chain back to the root label: ``(nodes, arcs)``.

    ``label_pred[l]`` is the label ``l`` was extended from (-1 for the root) and
    ``label_arc[l]`` the arc of that extension.
    """
    length = 1
    lab = label
    while label_pred[lab] >= 0:
        lab = label_pred[lab]
        length += 1
    nodes = np.empty(length, dtype=np.int64)
    arcs = np.empty(length - 1, dtype=np.int64)
    lab = label
    for i in range(length - 1, -1, -1):
        nodes[i] = label_node[lab]
        if i > 0:
            arcs[i - 1] = label_arc[lab]
        lab = label_pred[lab]
    return nodes, arcs

"""Single-source Dijkstra and point-to-point shortest paths on CSR arrays.

Weights are finite and non-negative (float64, one per arc); distances are float64 sums taken in
path order from the source, with no fastmath, so a returned distance equals the recomputed sum
of its path's arc weights exactly.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

from .csr import check_csr, check_node, check_weights
from .paths import Path, tree_path_kernel
from .search import new_workspace, settle


class ShortestPathTree(NamedTuple):
    """Result of :func:`dijkstra`; unpacks as ``dist, pred = dijkstra(...)``.

    ``dist`` (float64, n): shortest distance from the source, ``inf`` where unreachable.
    ``pred`` (int64, n): the predecessor node on a shortest path, -1 for the source and for
    unreachable nodes. :func:`~silkroad_routing.core.graph.paths.tree_path` turns it into node and
    arc ids.
    """

    dist: NDArray[np.float64]
    pred: NDArray[np.int64]


class ShortestPath(NamedTuple):
    """Result of :func:`shortest_path`: ``cost`` (``inf`` if unreachable) and ``path``."""

    cost: float
    path: Path


@njit(cache=True)
def dijkstra_kernel(
    indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, source: int, target: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(dist, pred)`` from ``source``; stops once ``target`` is settled (-1: never).

    Nodes still queued when the search stops keep tentative distances (upper bounds).
    """
    n = indptr.shape[0] - 1
    dist, heap_keys, heap_nodes, pos, touched = new_workspace(n)
    pred = np.full(n, -1, dtype=np.int64)
    target_mark = np.zeros(n, dtype=np.bool_)
    if target >= 0:
        target_mark[target] = True
    settle(
        indptr, indices, weights, source, target_mark, 1 if target >= 0 else 0, dist, pred,
        heap_keys, heap_nodes, pos, touched,
    )
    return dist, pred


def dijkstra(
    indptr: ArrayLike, indices: ArrayLike, weights: ArrayLike, source: int
) -> ShortestPathTree:
    """Shortest distances from ``source`` to every node.

    Args:
        indptr: int64 (n + 1,), CSR row pointer: arcs of ``u`` are ``indptr[u]:indptr[u+1]``.
        indices: int64 (m,), head node of each arc.
        weights: float64 (m,), finite non-negative arc weights (any additive unit: USD, hours,
            a generalized cost); parallel arcs and zero weights are fine.
        source: node id in ``0..n-1``.

    Returns:
        ``(dist, pred)``: distances in the weights' unit (``inf`` if unreachable) and predecessor
        node ids (-1 for the source and unreachable nodes).

    Raises:
        ValueError: malformed CSR arrays, a weight that is negative/NaN/inf, mismatched lengths,
            or ``source`` out of range.
    """
    indptr, indices = check_csr(indptr, indices)
    weights = check_weights(weights, indices.shape[0])
    source = check_node(source, indptr.shape[0] - 1, "source")
    dist, pred = dijkstra_kernel(indptr, indices, weights, source, -1)
    return ShortestPathTree(dist, pred)


def shortest_path(
    indptr: ArrayLike, indices: ArrayLike, weights: ArrayLike, source: int, target: int
) -> ShortestPath:
    """The shortest path from ``source`` to ``target``, searching only until ``target`` is settled.

    Arguments as for :func:`dijkstra`, plus ``target`` (node id). Returns ``(cost, path)``:
    ``cost`` in the weights' unit, equal to the sum of ``weights[path.arcs]`` taken in path
    order; ``inf`` and an empty path if ``target`` is unreachable.
    """
    indptr, indices = check_csr(indptr, indices)
    weights = check_weights(weights, indices.shape[0])
    n = indptr.shape[0] - 1
    source = check_node(source, n, "source")
    target = check_node(target, n, "target")
    dist, pred = dijkstra_kernel(indptr, indices, weights, source, target)
    nodes, arcs, _ = tree_path_kernel(indptr, indices, weights, dist, pred, target)
    return ShortestPath(float(dist[target]), Path(nodes, arcs))

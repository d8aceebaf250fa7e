"""Lower bounds to a target: shortest distances on the reverse graph, and the paths behind them.

A point-to-point label search only needs bounds where it goes, and it rarely goes much farther
from the target than its source is. So the reverse search stops once the source is settled, at
radius ``R = dist(source)``, and a node it did not settle gets ``R``: every unsettled node is at
least ``R`` from the target, so ``min(dist, R)`` is a valid lower bound everywhere (exact within
the radius). When the source cannot reach the target the search runs to the end: ``inf`` then
means "cannot reach the target".
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .csr import reverse_csr
from .dijkstra import dijkstra_kernel
from .paths import tree_path_kernel


@njit(cache=True)
def distances_to_target_reversed(
    rev_indptr: np.ndarray, rev_indices: np.ndarray, rev_arc: np.ndarray, weights: np.ndarray,
    target: int, source: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lower, pred, rev_weights)`` of a Dijkstra from ``target`` on the reverse graph,
    stopped once ``source`` is settled (``source = -1``: never).

    ``lower[v]`` is ``min(dist[v], dist[source])`` where ``dist[v]`` is the least sum of
    ``weights`` (per original arc) over paths from ``v`` to ``target``; ``pred[v]`` is the next
    node on such a path (valid along the source's path).
    """
    rev_weights = np.empty(rev_arc.shape[0])
    for r in range(rev_arc.shape[0]):
        rev_weights[r] = weights[rev_arc[r]]
    dist, pred = dijkstra_kernel(rev_indptr, rev_indices, rev_weights, target, source)
    if source >= 0:
        radius = dist[source]
        for v in range(dist.shape[0]):
            dist[v] = min(dist[v], radius)
    return dist, pred, rev_weights


@njit(cache=True)
def path_to_target(
    rev_indptr: np.ndarray, rev_indices: np.ndarray, rev_arc: np.ndarray,
    rev_weights: np.ndarray, dist: np.ndarray, pred: np.ndarray, source: int,
) -> np.ndarray:
    """Original arc ids, in order, of the path from ``source`` to the target in a tree from
    :func:`distances_to_target_reversed` (empty if unreachable or ``source`` is the target)."""
    _, rev_arcs, _ = tree_path_kernel(rev_indptr, rev_indices, rev_weights, dist, pred, source)
    arcs = np.empty(rev_arcs.shape[0], dtype=np.int64)
    for i in range(rev_arcs.shape[0]):  # the reverse path runs target -> source
        arcs[i] = rev_arc[rev_arcs[rev_arcs.shape[0] - 1 - i]]
    return arcs


@njit(cache=True)
def distances_to_target(
    indptr: np.ndarray, indices: np.ndarray, criteria: np.ndarray, target: int, source: int
) -> np.ndarray:
    """``(n, k)``: per node, a lower bound on what any path from it to ``target`` adds in each
    criterion ``j`` (the radius-capped least sum of ``criteria[:, j]``, see the module notes).
    """
    n = indptr.shape[0] - 1
    rev_indptr, rev_indices, rev_arc = reverse_csr(indptr, indices)
    out = np.empty((n, criteria.shape[1]))
    for j in range(criteria.shape[1]):
        weights = np.ascontiguousarray(criteria[:, j])
        out[:, j] = distances_to_target_reversed(rev_indptr, rev_indices, rev_arc, weights,
                                                 target, source)[0]
    return out

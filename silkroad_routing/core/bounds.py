"""Lower bounds to a target: shortest distances on the reverse graph, one per criterion."""

from __future__ import annotations

import numpy as np
from numba import njit

from .csr import reverse_csr
from .dijkstra import dijkstra_kernel


@njit(cache=True)
def distances_to_target(
    indptr: np.ndarray, indices: np.ndarray, criteria: np.ndarray, target: int
) -> np.ndarray:
    """``(n, k)``: for each node and criterion ``j``, the least sum of ``criteria[:, j]`` over
    paths from the node to ``target`` (``inf`` if none). Each column is a lower bound on what
    any path from that node to ``target`` adds in that criterion.
    """
    n = indptr.shape[0] - 1
    k = criteria.shape[1]
    rev_indptr, rev_indices, rev_arc = reverse_csr(indptr, indices)
    out = np.empty((n, k))
    for j in range(k):
        weights = np.empty(rev_arc.shape[0])
        for r in range(rev_arc.shape[0]):
            weights[r] = criteria[rev_arc[r], j]
        dist, _ = dijkstra_kernel(rev_indptr, rev_indices, weights, target, -1)
        out[:, j] = dist
    return out

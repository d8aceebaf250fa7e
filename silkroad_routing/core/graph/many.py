"""Many-to-many shortest distances, parallel over sources."""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange
from numpy.typing import ArrayLike, NDArray

from .csr import check_csr, check_nodes, check_weights
from .search import new_workspace, reset, settle


@njit(cache=True, parallel=True)
def dijkstra_many_kernel(
    indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, sources: np.ndarray,
    targets: np.ndarray, n_workers: int,
) -> np.ndarray:
    """Distances ``(len(sources), len(targets))``; each worker reuses one O(n) workspace.

    Worker ``w`` takes sources ``w, w + n_workers, ...`` (interleaved, so that long and short
    searches spread evenly); each search stops once all targets are settled.
    """
    n = indptr.shape[0] - 1
    n_sources = sources.shape[0]
    out = np.empty((n_sources, targets.shape[0]))
    target_mark = np.zeros(n, dtype=np.bool_)
    for j in range(targets.shape[0]):
        target_mark[targets[j]] = True
    n_distinct = 0
    for v in range(n):
        if target_mark[v]:
            n_distinct += 1
    no_pred = np.empty(0, dtype=np.int64)
    for worker in prange(n_workers):
        dist, heap_keys, heap_nodes, pos, touched = new_workspace(n)
        for i in range(worker, n_sources, n_workers):
            n_touched = settle(
                indptr, indices, weights, sources[i], target_mark, n_distinct, dist, no_pred,
                heap_keys, heap_nodes, pos, touched,
            )
            for j in range(targets.shape[0]):
                out[i, j] = dist[targets[j]]
            reset(dist, pos, touched, n_touched)
    return out


def dijkstra_many(
    indptr: ArrayLike, indices: ArrayLike, weights: ArrayLike, sources: ArrayLike,
    targets: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Shortest distances from each of ``sources`` to each of ``targets``, in parallel.

    Args:
        indptr: int64 (n + 1,), CSR row pointer, as for :func:`dijkstra`.
        indices: int64 (m,), head node of each arc.
        weights: float64 (m,), finite non-negative arc weights.
        sources: int64 node ids (repeats allowed).
        targets: int64 node ids (repeats allowed); ``None`` means every node ``0..n-1``.

    Returns:
        float64 array ``(len(sources), len(targets))`` (or ``(len(sources), n)``) in the weights'
        unit, ``inf`` where unreachable; row ``i`` equals ``dijkstra(..., sources[i]).dist``
        at the targets. Memory: the result plus one O(n) workspace per Numba thread; each search
        stops once all its targets are settled. Uses ``numba.get_num_threads()`` threads.

    Raises:
        ValueError: malformed graph or weights, or a source/target out of range.
    """
    indptr, indices = check_csr(indptr, indices)
    weights = check_weights(weights, indices.shape[0])
    n = indptr.shape[0] - 1
    sources = check_nodes(sources, n, "sources")
    targets = np.arange(n, dtype=np.int64) if targets is None else check_nodes(targets, n, "targets")
    if sources.size == 0 or targets.size == 0:
        return np.empty((sources.shape[0], targets.shape[0]))
    n_workers = min(numba.get_num_threads(), sources.shape[0])
    return dijkstra_many_kernel(indptr, indices, weights, sources, targets, n_workers)

"""The Dijkstra search loop on a reusable workspace, shared by every shortest-path entry point.

A workspace is ``(dist, heap_keys, heap_nodes, pos, touched)`` for an ``n``-node graph, made by
:func:`new_workspace`. :func:`settle` runs one search from a source into it, stopping once every
marked target is settled, and returns how many nodes it touched; :func:`reset` restores those
entries so the workspace serves the next source in O(touched) instead of O(n).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._heap import NOT_QUEUED, indexed_heap_new, indexed_heap_pop, indexed_heap_push
from .._prefetch import prefetch


@njit(cache=True)
def new_workspace(
    n: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fresh ``(dist, heap_keys, heap_nodes, pos, touched)`` for ``n`` nodes (dist all ``inf``)."""
    heap_keys, heap_nodes, pos = indexed_heap_new(n)
    return np.full(n, np.inf), heap_keys, heap_nodes, pos, np.empty(n, dtype=np.int64)


@njit(cache=True)
def settle(
    indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, source: int,
    target_mark: np.ndarray, n_targets: int, dist: np.ndarray, pred: np.ndarray,
    heap_keys: np.ndarray, heap_nodes: np.ndarray, pos: np.ndarray, touched: np.ndarray,
) -> int:
    """Dijkstra from ``source`` on a clean workspace; return the number of touched nodes.

    Stops once ``n_targets`` nodes with ``target_mark[u]`` set are settled (``n_targets = 0``:
    run until every reachable node is settled). Settled nodes hold exact distances, queued ones
    upper bounds. ``pred`` (length n, or 0 to skip) receives predecessor nodes and must be -1 on
    entry. ``touched[:returned]`` lists every node whose ``dist``/``pos`` changed.
    """
    track_pred = pred.shape[0] > 0
    dist[source] = 0.0
    touched[0] = source
    n_touched = 1
    size = indexed_heap_push(heap_keys, heap_nodes, pos, 0, source, 0.0)
    left = n_targets
    while size > 0:
        u, du, size = indexed_heap_pop(heap_keys, heap_nodes, pos, size)
        if left > 0 and target_mark[u]:
            left -= 1
            if left == 0:
                break
        if size > 0:
            # Usually the next node to settle: fetch its row while this one is relaxed.
            row = indptr[heap_nodes[0]]
            prefetch(indices, row)  # type: ignore[call-arg]  # Numba passes typingctx itself
            prefetch(weights, row)
        for a in range(indptr[u], indptr[u + 1]):
            v = indices[a]
            candidate = du + weights[a]
            if candidate < dist[v]:
                # A settled v cannot improve (weights >= 0): v is queued (decrease-key) or new.
                if pos[v] == NOT_QUEUED:
                    touched[n_touched] = v
                    n_touched += 1
                dist[v] = candidate
                if track_pred:
                    pred[v] = u
                size = indexed_heap_push(heap_keys, heap_nodes, pos, size, v, candidate)
    return n_touched


@njit(cache=True)
def reset(dist: np.ndarray, pos: np.ndarray, touched: np.ndarray, n_touched: int) -> None:
    """Undo a :func:`settle` on its workspace (``dist`` back to ``inf``, nodes unqueued)."""
    for i in range(n_touched):
        v = touched[i]
        dist[v] = np.inf
        pos[v] = NOT_QUEUED

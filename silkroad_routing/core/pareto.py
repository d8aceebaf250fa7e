"""Every Pareto-optimal path between two nodes under 2 or 3 additive criteria.

Multi-criteria label setting (Martins' algorithm) with three exact prunings: dominance at each
node, dominance by the labels already at the target, and the same with per-criterion lower bounds
to the target (reverse Dijkstra) added to a label. Labels leave the heap in order of first
criterion plus its bound; correctness does not depend on that order, because a label dominated
later is killed and its extensions are dominated in turn.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

from .bounds import distances_to_target
from .csr import check_csr, check_node, check_positive_int, check_weights
from .heap import lazy_heap_new, lazy_heap_pop, lazy_heap_push
from .labels import BOUND_SLACK, DEFAULT_MAX_LABELS, add_label, admit, grow_labels, new_labels
from .paths import Path, label_path_kernel


class ParetoPaths(NamedTuple):
    """Result of :func:`pareto_paths`.

    ``criteria``: float64 ``(p, k)``, one row per Pareto-optimal criteria vector, sorted
    lexicographically (empty if the target is unreachable). ``paths``: the matching paths.
    ``truncated``: True when the label cap stopped the search early; the rows are then valid,
    mutually non-dominated paths but the front may be incomplete. ``n_labels``: labels created.
    """

    criteria: NDArray[np.float64]
    paths: tuple[Path, ...]
    truncated: bool
    n_labels: int


@njit(cache=True)
def _dominated_by_target(
    target_head: int, vec: np.ndarray, bound: np.ndarray, crit: np.ndarray, nxt: np.ndarray,
    alive: np.ndarray,
) -> bool:
    # Some target label T with T <= what every completion of `vec` must reach, in each criterion.
    lab = target_head
    k = vec.shape[0]
    while lab >= 0:
        if alive[lab]:
            dominated = True
            for j in range(k):
                floor = max(vec[j], (vec[j] + bound[j]) * (1.0 - BOUND_SLACK))
                if crit[lab, j] > floor:
                    dominated = False
                    break
            if dominated:
                return True
        lab = nxt[lab]
    return False


@njit(cache=True)
def pareto_kernel(
    indptr: np.ndarray, indices: np.ndarray, criteria: np.ndarray, source: int, target: int,
    max_labels: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, int]:
    """Label-setting search: ``(crit, node, pred, arc, front, truncated, n_labels)``.

    ``front`` lists the target's surviving labels in lexicographic order of ``crit``.
    """
    n = indptr.shape[0] - 1
    k = criteria.shape[1]
    bound = distances_to_target(indptr, indices, criteria, target)
    crit, node, pred, arc, nxt, alive = new_labels(min(max_labels, 1024), k)
    head = np.full(n, -1, dtype=np.int64)
    keys, payloads = lazy_heap_new(1024)
    vec = np.zeros(k)
    count = 0
    truncated = False
    if bound[source, 0] < np.inf:
        add_label(crit, node, pred, arc, nxt, alive, head, 0, vec, source, -1, -1)
        count = 1
        keys, payloads, size = lazy_heap_push(keys, payloads, 0, bound[source, 0], 0)
    else:
        size = 0
    while size > 0 and not truncated:
        _, lab, size = lazy_heap_pop(keys, payloads, size)
        u = node[lab]
        if not alive[lab] or u == target:
            continue
        if _dominated_by_target(head[target], crit[lab], bound[u], crit, nxt, alive):
            continue
        for a in range(indptr[u], indptr[u + 1]):
            v = indices[a]
            if not bound[v, 0] < np.inf:
                continue  # the target is unreachable from v
            for j in range(k):
                vec[j] = crit[lab, j] + criteria[a, j]
            if v != target and _dominated_by_target(
                head[target], vec, bound[v], crit, nxt, alive
            ):
                continue
            if not admit(head, v, vec, crit, nxt, alive):
                continue
            if count == max_labels:
                truncated = True
                break
            if count == node.shape[0]:
                crit, node, pred, arc, nxt, alive = grow_labels(
                    crit, node, pred, arc, nxt, alive, min(2 * count, max_labels)
                )
            add_label(crit, node, pred, arc, nxt, alive, head, count, vec, v, lab, a)
            keys, payloads, size = lazy_heap_push(keys, payloads, size, vec[0] + bound[v, 0], count)
            count += 1
    n_front = 0
    lab = head[target]
    while lab >= 0:
        if alive[lab]:
            n_front += 1
        lab = nxt[lab]
    front = np.empty(n_front, dtype=np.int64)
    i = 0
    lab = head[target]
    while lab >= 0:
        if alive[lab]:
            front[i] = lab
            i += 1
        lab = nxt[lab]
    return crit[:count], node[:count], pred[:count], arc[:count], front, truncated, count


def pareto_paths(
    indptr: ArrayLike, indices: ArrayLike, criteria: ArrayLike, source: int, target: int,
    max_labels: int = DEFAULT_MAX_LABELS,
) -> ParetoPaths:
    """All Pareto-optimal paths from ``source`` to ``target`` (one per non-dominated vector).

    Args:
        indptr, indices: the CSR graph, as for :func:`dijkstra`.
        criteria: float64 ``(m, k)``, k = 2 or 3 finite non-negative additive criteria per arc
            (for example USD, hours, kg CO2e).
        source, target: node ids.
        max_labels: cap on labels created; when reached the search stops and the result says
            ``truncated=True``.

    Returns:
        :class:`ParetoPaths`. Exact: the criteria of each row are the path-order sums of its
        arcs, and no other simple path has criteria that are all lower or equal, one lower.

    Raises:
        ValueError: malformed graph, criteria not of shape (m, 2) or (m, 3), a negative or
            non-finite value, a node out of range, or ``max_labels < 1``.
    """
    indptr, indices = check_csr(indptr, indices)
    criteria = check_weights(criteria, indices.shape[0], "criteria")
    if criteria.ndim != 2 or criteria.shape[1] not in (2, 3):
        raise ValueError(f"criteria must have shape (m, 2) or (m, 3), got {criteria.shape}")
    n = indptr.shape[0] - 1
    source = check_node(source, n, "source")
    target = check_node(target, n, "target")
    max_labels = check_positive_int(max_labels, "max_labels")
    crit, node, pred, arc, front, truncated, n_labels = pareto_kernel(
        indptr, indices, criteria, source, target, max_labels
    )
    rows = crit[front]
    order = np.lexsort(rows.T[::-1]) if front.size else front
    paths = tuple(Path(*label_path_kernel(node, pred, arc, int(front[i]))) for i in order)
    return ParetoPaths(np.ascontiguousarray(rows[order]), paths, bool(truncated), int(n_labels))

"""Every Pareto-optimal path between two nodes under 2 or 3 additive criteria.

Labels leave a heap in order of the first criterion plus its lower bound to the target (reverse
Dijkstra per criterion), and are pruned when dominated at their node, or when a path already
found at the target is no worse than the label plus its bounds in every criterion.

* Two criteria: bi-objective A* (BOA*, Hernández et al. 2020): labels leave the heap in
  lexicographic order of (first + bound, first); each node keeps a record, the expanded label
  with the least second criterion, so every dominance test is O(1).
* Three criteria: each node keeps its non-dominated labels (an antichain, killed when a later
  label dominates them); tests scan those lists.

Both are exact: a label is only dropped when an expanded label or a found path dominates it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

from .._heap import (
    lazy_heap_new,
    lazy_heap_pop,
    lazy_heap_push,
    lex_heap_new,
    lex_heap_pop,
    lex_heap_push,
)
from .bounds import distances_to_target
from .csr import check_csr, check_node, check_positive_int, check_weights
from .labels import (
    BOUND_SLACK,
    DEFAULT_MAX_LABELS,
    admit,
    grow_labels,
    new_labels,
    record_dominates,
    store_label,
    update_record,
)
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
def _bi_kernel(
    indptr: np.ndarray, indices: np.ndarray, criteria: np.ndarray, source: int, target: int,
    max_labels: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, int]:
    # BOA*: (crit, node, pred, arc, solutions, truncated, n_labels). Labels leave the heap by
    # (first + bound, first): at one node that is exact first-criterion order, which makes the
    # record test complete. Solutions may repeat a vector or hold one dominated through equal
    # first criteria: the caller filters them.
    n = indptr.shape[0] - 1
    bound = distances_to_target(indptr, indices, criteria, target, source)
    keep = 1.0 - BOUND_SLACK
    record = np.full((n, 2), np.inf)
    crit, node, pred, arc = new_labels(min(max_labels, 1024), 2)
    keys, payloads = lex_heap_new(1024)
    solutions = np.empty(16, dtype=np.int64)
    n_solutions = 0
    vec = np.zeros(2)
    size = 0
    count = 0
    truncated = False
    if bound[source, 0] < np.inf:
        store_label(crit, node, pred, arc, 0, vec, source, -1, -1)
        count = 1
        keys, payloads, size = lex_heap_push(keys, payloads, 0, bound[source, 0], 0.0, 0)
    while size > 0 and not truncated:
        _, _, lab, size = lex_heap_pop(keys, payloads, size)
        u = node[lab]
        g0 = crit[lab, 0]
        g1 = crit[lab, 1]
        if record_dominates(record, u, g0, g1) or record_dominates(
            record, target, max(g0, (g0 + bound[u, 0]) * keep),
            max(g1, (g1 + bound[u, 1]) * keep),
        ):
            continue
        update_record(record, u, g0, g1)
        if u == target:
            if n_solutions == solutions.shape[0]:
                solutions = np.concatenate((solutions, np.empty_like(solutions)))
            solutions[n_solutions] = lab
            n_solutions += 1
            continue
        for a in range(indptr[u], indptr[u + 1]):
            v = indices[a]
            vec[0] = g0 + criteria[a, 0]
            vec[1] = g1 + criteria[a, 1]
            if not bound[v, 0] < np.inf or record_dominates(record, v, vec[0], vec[1]):
                continue
            if record_dominates(
                record, target, max(vec[0], (vec[0] + bound[v, 0]) * keep),
                max(vec[1], (vec[1] + bound[v, 1]) * keep),
            ):
                continue
            if count == max_labels:
                truncated = True
                break
            if count == node.shape[0]:
                crit, node, pred, arc = grow_labels(
                    crit, node, pred, arc, min(2 * count, max_labels)
                )
            store_label(crit, node, pred, arc, count, vec, v, lab, a)
            keys, payloads, size = lex_heap_push(
                keys, payloads, size, vec[0] + bound[v, 0], vec[0], count
            )
            count += 1
    return (crit[:count], node[:count], pred[:count], arc[:count], solutions[:n_solutions],
            truncated, count)


@njit(cache=True)
def _dominated_by_target(
    target_head: int, vec: np.ndarray, bound: np.ndarray, crit: np.ndarray, nxt: np.ndarray,
    alive: np.ndarray,
) -> bool:
    # Some target label T with T <= what every completion of `vec` must reach, in each criterion.
    keep = 1.0 - BOUND_SLACK
    lab = target_head
    while lab >= 0:
        if alive[lab]:
            dominated = True
            for j in range(vec.shape[0]):
                if crit[lab, j] > max(vec[j], (vec[j] + bound[j]) * keep):
                    dominated = False
                    break
            if dominated:
                return True
        lab = nxt[lab]
    return False


@njit(cache=True)
def _multi_kernel(
    indptr: np.ndarray, indices: np.ndarray, criteria: np.ndarray, source: int, target: int,
    max_labels: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, int]:
    # Label sets per node: (crit, node, pred, arc, front, truncated, n_labels).
    n = indptr.shape[0] - 1
    k = criteria.shape[1]
    bound = distances_to_target(indptr, indices, criteria, target, source)
    crit, node, pred, arc = new_labels(min(max_labels, 1024), k)
    nxt = np.empty(node.shape[0], dtype=np.int64)
    alive = np.empty(node.shape[0], dtype=np.bool_)
    head = np.full(n, -1, dtype=np.int64)
    keys, payloads = lazy_heap_new(1024)
    vec = np.zeros(k)
    size = 0
    count = 0
    truncated = False
    if bound[source, 0] < np.inf:
        store_label(crit, node, pred, arc, 0, vec, source, -1, -1)
        alive[0] = True
        nxt[0] = -1
        head[source] = 0
        count = 1
        keys, payloads, size = lazy_heap_push(keys, payloads, 0, bound[source, 0], 0)
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
            if v != target and _dominated_by_target(head[target], vec, bound[v], crit, nxt, alive):
                continue
            if not admit(head, v, vec, crit, nxt, alive):
                continue
            if count == max_labels:
                truncated = True
                break
            if count == node.shape[0]:
                capacity = min(2 * count, max_labels)
                crit, node, pred, arc = grow_labels(crit, node, pred, arc, capacity)
                nxt = np.concatenate((nxt, np.empty(capacity - count, dtype=np.int64)))
                alive = np.concatenate((alive, np.empty(capacity - count, dtype=np.bool_)))
            store_label(crit, node, pred, arc, count, vec, v, lab, a)
            alive[count] = True
            nxt[count] = head[v]
            head[v] = count
            keys, payloads, size = lazy_heap_push(keys, payloads, size, vec[0] + bound[v, 0], count)
            count += 1
    front = np.empty(count, dtype=np.int64)
    n_front = 0
    lab = head[target]
    while lab >= 0:
        if alive[lab]:
            front[n_front] = lab
            n_front += 1
        lab = nxt[lab]
    return crit[:count], node[:count], pred[:count], arc[:count], front[:n_front], truncated, count


def _lexicographic_front(rows: NDArray[np.float64]) -> NDArray[np.int64]:
    """Indices of the non-dominated rows of a 2-column array, one per vector, sorted."""
    order = np.lexsort(rows.T[::-1])
    kept = []
    least_second = np.inf
    for i in order:
        if rows[i, 1] < least_second:  # sorted by first: only a lower second survives
            kept.append(i)
            least_second = rows[i, 1]
    return np.asarray(kept, dtype=np.int64)


def pareto_paths(
    indptr: ArrayLike, indices: ArrayLike, criteria: ArrayLike, source: int, target: int,
    max_labels: int = DEFAULT_MAX_LABELS,
) -> ParetoPaths:
    """All Pareto-optimal paths from ``source`` to ``target`` (one per non-dominated vector).

    Args:
        indptr: int64 (n + 1,), CSR row pointer, as for :func:`dijkstra`.
        indices: int64 (m,), head node of each arc.
        criteria: float64 ``(m, k)``, k = 2 or 3 finite non-negative additive criteria per arc
            (for example USD, hours, kg CO2e).
        source: node id of the start.
        target: node id of the end.
        max_labels: cap on labels created; when reached the search stops and the result says
            ``truncated=True``.

    Returns:
        :class:`ParetoPaths`. Exact: the criteria of each row are the path-order sums of its
        arcs, and no other path has criteria that are all lower or equal, one lower.

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
    kernel = _bi_kernel if criteria.shape[1] == 2 else _multi_kernel
    crit, node, pred, arc, front, truncated, n_labels = kernel(
        indptr, indices, criteria, source, target, max_labels
    )
    rows = crit[front]
    if criteria.shape[1] == 2:
        chosen = front[_lexicographic_front(rows)] if front.size else front
    else:
        chosen = front[np.lexsort(rows.T[::-1])] if front.size else front
    paths = tuple(Path(*label_path_kernel(node, pred, arc, int(lab))) for lab in chosen)
    return ParetoPaths(np.ascontiguousarray(crit[chosen]), paths, bool(truncated), int(n_labels))

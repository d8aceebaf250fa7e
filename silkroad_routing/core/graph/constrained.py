"""The cheapest path whose total time stays within a limit (resource-constrained shortest path).

Exact label setting on (cost, time) with A*-style ordering: labels leave the heap by cost plus
the least cost still needed to reach the target (reverse Dijkstra), so the search ends as soon
as no label can beat the best feasible path found. Labels are pruned when their time plus the
least time still needed exceeds the limit, when a lower bound on their cost exceeds the
incumbent, or when an expanded label at the same node is no costlier and no slower (an O(1)
test against the node's record, as in bi-objective A*).

The cost bound is the larger of the least remaining cost and a Lagrangian bound: for a
multiplier ``lam >= 0``, every completion from ``v`` within the time left ``T - t`` costs at
least ``D_lam(v) - lam * (T - t)``, where ``D_lam`` is the least ``cost + lam * time`` to the
target. ``lam`` comes from LARAC (Jüttner et al. 2001): a few reverse Dijkstra runs that maximise
the bound at the source.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from .._heap import lex_heap_new, lex_heap_pop, lex_heap_push
from .bounds import distances_to_target_reversed, path_to_target
from .csr import check_csr, check_node, check_positive_int, check_weights, reverse_csr
from .labels import (
    BOUND_SLACK,
    DEFAULT_MAX_LABELS,
    grow_labels,
    new_labels,
    record_dominates,
    store_label,
    update_record,
)
from .paths import Path, label_path_kernel, no_path


class ConstrainedPath(NamedTuple):
    """Result of :func:`cheapest_within`.

    ``cost`` and ``time``: sums over ``path.arcs`` in the units of the inputs (``inf`` and an
    empty path if no path meets the limit). ``truncated``: True when the label cap stopped the
    search; the path, if any, is then feasible but maybe not the cheapest. ``n_labels``: labels
    created.
    """

    cost: float
    time: float
    path: Path
    truncated: bool
    n_labels: int


#: LARAC stops after this many multiplier updates (it usually needs fewer than ten).
LARAC_MAX_ITERATIONS = 30


@njit(cache=True)
def _path_sums(arcs: np.ndarray, cost_time: np.ndarray) -> tuple[float, float]:
    cost = 0.0
    time = 0.0
    for a in arcs:
        cost += cost_time[a, 0]
        time += cost_time[a, 1]
    return cost, time


@njit(cache=True)
def lagrangian_bound(
    rev_indptr: np.ndarray, rev_indices: np.ndarray, rev_arc: np.ndarray,
    cost_time: np.ndarray, source: int, target: int, max_time: float,
) -> tuple[float, np.ndarray, float]:
    """LARAC: ``(lam, D_lam, upper)`` with ``D_lam[v]`` the least ``cost + lam * time`` from
    ``v`` to ``target`` and ``upper`` the cost of the cheapest in-time path LARAC met (``inf``
    if none). ``lam = 0`` (and ``D_0`` the least cost) when the cheapest path is in time or no
    path is."""
    weights = np.ascontiguousarray(cost_time[:, 0])
    dist, pred, rev_w = distances_to_target_reversed(rev_indptr, rev_indices, rev_arc, weights,
                                                     target, source)
    if not dist[source] < np.inf:
        return 0.0, dist, np.inf
    cheap_cost, cheap_time = _path_sums(
        path_to_target(rev_indptr, rev_indices, rev_arc, rev_w, dist, pred, source), cost_time
    )
    if cheap_time <= max_time:
        return 0.0, dist, cheap_cost
    fastest = np.ascontiguousarray(cost_time[:, 1])
    t_dist, t_pred, t_rev_w = distances_to_target_reversed(rev_indptr, rev_indices, rev_arc,
                                                           fastest, target, source)
    fast_cost, fast_time = _path_sums(
        path_to_target(rev_indptr, rev_indices, rev_arc, t_rev_w, t_dist, t_pred, source),
        cost_time,
    )
    if fast_time > max_time or not fast_time < cheap_time:
        return 0.0, dist, fast_cost if fast_time <= max_time else np.inf
    lam = 0.0
    best_dist = dist
    for _ in range(LARAC_MAX_ITERATIONS):
        step = (cheap_cost - fast_cost) / (fast_time - cheap_time)
        if not step > 0.0:
            break
        weights = cost_time[:, 0] + step * cost_time[:, 1]
        d, p, w = distances_to_target_reversed(rev_indptr, rev_indices, rev_arc, weights, target,
                                               source)
        lam, best_dist = step, d
        c, t = _path_sums(path_to_target(rev_indptr, rev_indices, rev_arc, w, d, p, source),
                          cost_time)
        if c + step * t >= (cheap_cost + step * cheap_time) * (1.0 - 1e-12):
            break  # no path beats the two ends of the segment: lam is optimal
        if t <= max_time:
            fast_cost, fast_time = c, t
        else:
            cheap_cost, cheap_time = c, t
    return lam, best_dist, fast_cost


@njit(cache=True)
def cheapest_within_kernel(
    indptr: np.ndarray, indices: np.ndarray, cost_time: np.ndarray, source: int, target: int,
    max_time: float, max_labels: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, bool, int]:
    """``(crit, node, pred, arc, best_label, truncated, n_labels)``; ``best_label`` -1 if none.

    ``cost_time`` is ``(m, 2)``: cost then time per arc. Among equally cheap feasible paths the
    fastest wins. Each node's record is its expanded label with the least time: labels leave
    the heap in cost order, so a later label there is only useful if it is faster.
    """
    n = indptr.shape[0] - 1
    rev_indptr, rev_indices, rev_arc = reverse_csr(indptr, indices)
    bound = np.empty((n, 2))
    for j in range(2):
        bound[:, j] = distances_to_target_reversed(
            rev_indptr, rev_indices, rev_arc, np.ascontiguousarray(cost_time[:, j]), target,
            source,
        )[0]
    lam, lagrange, upper = lagrangian_bound(rev_indptr, rev_indices, rev_arc, cost_time,
                                            source, target, max_time)
    keep = 1.0 - BOUND_SLACK
    record = np.full((n, 2), np.inf)
    crit, node, pred, arc = new_labels(min(max_labels, 1024), 2)
    keys, payloads = lex_heap_new(1024)
    vec = np.zeros(2)
    count = 0
    size = 0
    best = -1
    best_cost = np.inf
    best_time = np.inf
    truncated = False
    if bound[source, 1] < np.inf and bound[source, 1] * keep <= max_time:
        store_label(crit, node, pred, arc, 0, vec, source, -1, -1)
        count = 1
        if source == target:
            best, best_cost, best_time = 0, 0.0, 0.0
        else:
            keys, payloads, size = lex_heap_push(keys, payloads, 0, bound[source, 0], 0.0, 0)
    while size > 0 and not truncated:
        key, _, lab, size = lex_heap_pop(keys, payloads, size)
        if key * keep > best_cost:
            break  # every label left is costlier than the incumbent
        u = node[lab]
        c = crit[lab, 0]
        t = crit[lab, 1]
        if record_dominates(record, u, c, t):
            continue
        update_record(record, u, c, t)
        for a in range(indptr[u], indptr[u + 1]):
            v = indices[a]
            vec[0] = c + cost_time[a, 0]
            vec[1] = t + cost_time[a, 1]
            if not bound[v, 1] < np.inf:
                continue  # the target is unreachable from v
            if vec[1] > max_time or (vec[1] + bound[v, 1]) * keep > max_time:
                continue  # too slow
            # `upper` (a path LARAC met) caps the cost before the search finds one itself.
            ceiling = min(best_cost, upper * (1.0 + BOUND_SLACK))
            if (vec[0] + bound[v, 0]) * keep > ceiling:
                continue
            if lam > 0.0 and vec[0] + lagrange[v] - lam * (max_time - vec[1]) - BOUND_SLACK * (
                vec[0] + lagrange[v] + lam * max_time
            ) > ceiling:
                continue  # even the Lagrangian bound on any in-time completion is too dear
            if v == target:
                if not (vec[0] < best_cost or (vec[0] == best_cost and vec[1] < best_time)):
                    continue
            elif record_dominates(record, v, vec[0], vec[1]):
                continue
            if count == max_labels:
                truncated = True
                break
            if count == node.shape[0]:
                crit, node, pred, arc = grow_labels(
                    crit, node, pred, arc, min(2 * count, max_labels)
                )
            store_label(crit, node, pred, arc, count, vec, v, lab, a)
            if v == target:
                best, best_cost, best_time = count, vec[0], vec[1]
            else:
                keys, payloads, size = lex_heap_push(
                    keys, payloads, size, vec[0] + bound[v, 0], vec[0], count
                )
            count += 1
    return crit[:count], node[:count], pred[:count], arc[:count], best, truncated, count


def cheapest_within(
    indptr: ArrayLike, indices: ArrayLike, cost: ArrayLike, time: ArrayLike, source: int,
    target: int, max_time: float, max_labels: int = DEFAULT_MAX_LABELS,
) -> ConstrainedPath:
    """The cheapest path from ``source`` to ``target`` whose total ``time`` is <= ``max_time``.

    Args:
        indptr: int64 (n + 1,), CSR row pointer, as for :func:`dijkstra`.
        indices: int64 (m,), head node of each arc.
        cost: float64 (m,), finite non-negative cost per arc (e.g. USD or a generalized cost).
        time: float64 (m,), finite non-negative duration per arc (e.g. hours).
        source: node id of the start.
        target: node id of the end.
        max_time: the limit on the path's total time, in the unit of ``time``.
        max_labels: cap on labels created; when reached the search stops and the result says
            ``truncated=True``.

    Returns:
        :class:`ConstrainedPath`; exact (ties on cost go to the faster path). No path within
        the limit: ``cost = time = inf`` and an empty path.

    Raises:
        ValueError: malformed graph, mismatched lengths, a negative or non-finite cost or time,
            a node out of range, a NaN or negative ``max_time``, or ``max_labels < 1``.
    """
    indptr, indices = check_csr(indptr, indices)
    m = indices.shape[0]
    cost = check_weights(cost, m, "cost")
    time = check_weights(time, m, "time")
    if cost.ndim != 1 or time.ndim != 1:
        raise ValueError(f"cost and time must be 1-D, got shapes {cost.shape}, {time.shape}")
    n = indptr.shape[0] - 1
    source = check_node(source, n, "source")
    target = check_node(target, n, "target")
    max_time = float(max_time)
    if math.isnan(max_time) or max_time < 0:
        raise ValueError(f"max_time must be >= 0 (inf allowed), got {max_time}")
    max_labels = check_positive_int(max_labels, "max_labels")
    cost_time = np.ascontiguousarray(np.stack([cost, time], axis=1))
    crit, node, pred, arc, best, truncated, n_labels = cheapest_within_kernel(
        indptr, indices, cost_time, source, target, max_time, max_labels
    )
    if best < 0:
        return ConstrainedPath(math.inf, math.inf, no_path(), bool(truncated), int(n_labels))
    path = Path(*label_path_kernel(node, pred, arc, best))
    return ConstrainedPath(
        float(crit[best, 0]), float(crit[best, 1]), path, bool(truncated), int(n_labels)
    )

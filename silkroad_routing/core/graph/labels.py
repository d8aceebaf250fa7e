"""Label storage and dominance tests for multi-criteria label-setting searches.

A label is a path from the source to a node, stored by index ``l`` in parallel arrays:
``crit[l, :]`` (its criteria sums, float64), ``node[l]``, ``pred[l]`` (the label it extends, -1
for the root) and ``arc[l]`` (the arc of that extension). Storage is append-only, so every label
keeps its path, even when a later label dominates it.

Dominance is weak and componentwise: ``a`` dominates ``b`` when ``a <= b`` in every criterion,
so of several labels with equal criteria only the first is kept. Sums are taken in path order
from the source, and float addition is monotone, so an extension of a dominated label is
dominated by the same extension of its dominator: pruning by dominance is exact in floats.

Two ways to keep what a node has seen:

* a *record* ``(n, 2)`` per node for two criteria, when each node expands its labels in
  nondecreasing order of the first criterion: the expanded label with the least second
  criterion. A new label is dominated when the record is no worse in both (O(1), as in
  bi-objective A*, BOA*); the order makes the test complete (if some expanded label dominates,
  the record does), and it is always exact;
* *label sets* for any number of criteria: the labels kept at each node, a linked list through
  ``nxt`` starting at ``head[node]``, maintained as an antichain by :func:`admit`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._buffers import DEFAULT_MAX_LABELS as DEFAULT_MAX_LABELS
from .._buffers import resized_1d, resized_2d

#: Pruning with a lower bound computed in another summation order keeps this relative slack,
#: so rounding (about 1e-16 per arc) never discards a path that could tie or win.
BOUND_SLACK = 1e-9



@njit(cache=True)
def new_labels(capacity: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Empty storage ``(crit, node, pred, arc)`` for ``capacity`` labels of ``k`` criteria."""
    capacity = max(capacity, 1)
    return (
        np.empty((capacity, k)), np.empty(capacity, dtype=np.int64),
        np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.int64),
    )


@njit(cache=True)
def grow_labels(
    crit: np.ndarray, node: np.ndarray, pred: np.ndarray, arc: np.ndarray, capacity: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The same labels in storage of ``capacity`` (>= current) entries."""
    return (resized_2d(crit, capacity), resized_1d(node, capacity), resized_1d(pred, capacity),
            resized_1d(arc, capacity))


@njit(cache=True)
def store_label(
    crit: np.ndarray, node: np.ndarray, pred: np.ndarray, arc: np.ndarray, label: int,
    vec: np.ndarray, v: int, from_label: int, via_arc: int,
) -> None:
    """Write label ``label``: criteria ``vec`` at node ``v``, extending ``from_label`` by
    ``via_arc``."""
    crit[label, :] = vec
    node[label] = v
    pred[label] = from_label
    arc[label] = via_arc


@njit(cache=True)
def record_dominates(record: np.ndarray, v: int, first: float, second: float) -> bool:
    """Whether the record of ``v`` is no worse than ``(first, second)`` in both criteria."""
    return bool(record[v, 1] <= second and record[v, 0] <= first)


@njit(cache=True)
def update_record(record: np.ndarray, v: int, first: float, second: float) -> None:
    """Make ``(first, second)`` the record of ``v`` if it is lexicographically lower in
    ``(second, first)``."""
    if second < record[v, 1] or (second == record[v, 1] and first < record[v, 0]):
        record[v, 0] = first
        record[v, 1] = second


@njit(cache=True)
def admit(
    head: np.ndarray, v: int, vec: np.ndarray, crit: np.ndarray, nxt: np.ndarray,
    alive: np.ndarray,
) -> bool:
    """Whether ``vec`` is not dominated by a label kept at ``v``; if so, kill those it dominates.

    The kept labels form an antichain, so a dominated ``vec`` dominates none of them and the
    single pass may kill as it goes. Dead labels are unlinked from ``v``'s list on the way; the
    caller links the new label (``nxt[l] = head[v]; head[v] = l; alive[l] = True``).
    """
    k = vec.shape[0]
    previous = -1
    lab = head[v]
    while lab >= 0:
        following = nxt[lab]
        if alive[lab]:
            label_le = True  # crit[lab] <= vec everywhere
            vec_le = True  # vec <= crit[lab] everywhere
            for j in range(k):
                if crit[lab, j] > vec[j]:
                    label_le = False
                elif crit[lab, j] < vec[j]:
                    vec_le = False
            if label_le:
                return False
            if vec_le:
                alive[lab] = False
        if alive[lab]:
            previous = lab
        elif previous < 0:
            head[v] = following
        else:
            nxt[previous] = following
        lab = following
    return True

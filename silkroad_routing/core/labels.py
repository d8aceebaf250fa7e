"""Label storage for multi-criteria label-setting searches (Pareto and resource-constrained).

A label is a path from the source to a node, stored by index ``l`` in parallel arrays:
``crit[l, :]`` (its criteria sums, float64), ``node[l]``, ``pred[l]`` (the label it extends, -1
for the root), ``arc[l]`` (the arc of that extension), ``alive[l]``, and ``nxt[l]`` which chains
the labels kept at one node into a singly linked list starting at ``head[node]``. Storage is
append-only, so a dead (dominated) label still anchors the paths built from it.

Dominance is weak and componentwise: ``a`` dominates ``b`` when ``a <= b`` in every criterion,
so of several labels with equal criteria only the first is kept. Sums are taken in path order
from the source, and float addition is monotone, so an extension of a dominated label is
dominated by the same extension of its dominator: pruning by dominance is exact in floats.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: Pruning with a lower bound computed in another summation order keeps this relative slack,
#: so rounding (about 1e-16 per arc) never discards a path that could tie or win.
BOUND_SLACK = 1e-9

#: Default cap on the number of labels one query may create (about 70 bytes each).
DEFAULT_MAX_LABELS = 2_000_000


@njit(cache=True)
def new_labels(
    capacity: int, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Empty storage ``(crit, node, pred, arc, nxt, alive)`` for ``capacity`` labels."""
    capacity = max(capacity, 1)
    return (
        np.empty((capacity, k)), np.empty(capacity, dtype=np.int64),
        np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.int64),
        np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.bool_),
    )


@njit(cache=True)
def grow_labels(
    crit: np.ndarray, node: np.ndarray, pred: np.ndarray, arc: np.ndarray, nxt: np.ndarray,
    alive: np.ndarray, capacity: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The same labels in storage of ``capacity`` (>= current) entries."""
    used = node.shape[0]
    crit2, node2, pred2, arc2, nxt2, alive2 = new_labels(capacity, crit.shape[1])
    crit2[:used] = crit
    node2[:used] = node
    pred2[:used] = pred
    arc2[:used] = arc
    nxt2[:used] = nxt
    alive2[:used] = alive
    return crit2, node2, pred2, arc2, nxt2, alive2


@njit(cache=True)
def add_label(
    crit: np.ndarray, node: np.ndarray, pred: np.ndarray, arc: np.ndarray, nxt: np.ndarray,
    alive: np.ndarray, head: np.ndarray, count: int, vec: np.ndarray, v: int, from_label: int,
    via_arc: int,
) -> None:
    """Store label ``count`` (criteria ``vec`` at ``v``) and put it first in ``v``'s list."""
    crit[count, :] = vec
    node[count] = v
    pred[count] = from_label
    arc[count] = via_arc
    alive[count] = True
    nxt[count] = head[v]
    head[v] = count


@njit(cache=True)
def admit(
    head: np.ndarray, v: int, vec: np.ndarray, crit: np.ndarray, nxt: np.ndarray,
    alive: np.ndarray,
) -> bool:
    """Whether ``vec`` is not dominated by a label kept at ``v``; if so, kill those it dominates.

    The kept labels form an antichain, so a dominated ``vec`` dominates none of them and the
    single pass may kill as it goes. Dead labels are unlinked from ``v``'s list on the way.
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

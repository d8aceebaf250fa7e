"""Array-based 4-ary min-heaps for Numba kernels: no Python objects, no typed lists, no heapq.

Every function is ``@njit(cache=True)`` and meant to be called from other jitted kernels. The
heap state lives in plain NumPy arrays owned by the caller, and the current size is passed in
and returned (Numba functions cannot mutate a Python int in place). A 4-ary layout halves the
tree depth of a binary heap and keeps the four children of a slot on one cache line.

Indexed heap with decrease-key (Dijkstra)
-----------------------------------------
One slot per node ``0..n-1``; each node is in the heap at most once.

- ``heap_keys, heap_nodes, pos = indexed_heap_new(n)``: ``heap_keys`` float64[n] and
  ``heap_nodes`` int64[n] hold the heap in slot order (the key sits beside its node so that a
  sift touches one array region); ``pos`` int64[n] maps a node to its slot, or is
  ``NOT_QUEUED`` (-1, never pushed) or ``POPPED`` (-2, removed by a pop).
- ``size = indexed_heap_push(heap_keys, heap_nodes, pos, size, node, key)``: insert ``node``
  if it is not queued (``pos[node] < 0``; a popped node may be pushed again), or lower its key if
  it is (decrease-key: ``key`` must not exceed its current key).
- ``node, key, size = indexed_heap_pop(heap_keys, heap_nodes, pos, size)``: remove a node with
  the smallest key; requires ``size > 0``.

Typical use::

    heap_keys, heap_nodes, pos = indexed_heap_new(n)
    size = indexed_heap_push(heap_keys, heap_nodes, pos, 0, source, 0.0)
    while size > 0:
        u, d, size = indexed_heap_pop(heap_keys, heap_nodes, pos, size)
        ...
        if new_d < dist[v] and pos[v] != POPPED:
            size = indexed_heap_push(heap_keys, heap_nodes, pos, size, v, new_d)

Lazy heap of (key, payload) pairs (label-setting algorithms)
-----------------------------------------------------------
Duplicates allowed, no decrease-key: push a new entry and skip stale ones when popped. Ties on
the key are broken by the smaller payload, so the pop order is fully deterministic (with payloads
numbered in creation order, equal keys come out first-in first-out).

- ``keys, payloads = lazy_heap_new(capacity)``: float64 and int64 arrays of length
  ``max(capacity, 1)``.
- ``keys, payloads, size = lazy_heap_push(keys, payloads, size, key, payload)``: the arrays
  double in length when full, so always rebind them to the returned ones.
- ``key, payload, size = lazy_heap_pop(keys, payloads, size)``: requires ``size > 0``.
- ``keys[0], payloads[0]`` is the minimum when ``size > 0`` (peek without popping).

Lexicographic lazy heap ((key, tie_key), payload)
--------------------------------------------------
The same, ordered by ``key``, then ``tie_key``, then payload: for label searches that pop by
``cost + bound`` yet need equal keys to come out by ``cost`` (so that, at one node, labels are
expanded in exact cost order even when adding the bound rounds two costs to one key).

- ``keys, payloads = lex_heap_new(capacity)``: ``keys`` float64 ``(capacity, 2)``.
- ``keys, payloads, size = lex_heap_push(keys, payloads, size, key, tie_key, payload)``.
- ``key, tie_key, payload, size = lex_heap_pop(keys, payloads, size)``.

Keys are compared with ``<`` only: NaN keys are not supported (validate before the kernel).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._buffers import grow_1d, grow_2d

NOT_QUEUED = -1
POPPED = -2
ARITY = 4
_SHIFT = 2  # log2(ARITY): shifts are cheaper than signed floor division


# --------------------------------------------------------------------------------------------
# Indexed heap with decrease-key
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def indexed_heap_new(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Empty indexed heap for nodes ``0..n-1``: ``(heap_keys, heap_nodes, pos)``."""
    heap_keys = np.empty(n, dtype=np.float64)
    heap_nodes = np.empty(n, dtype=np.int64)
    pos = np.full(n, NOT_QUEUED, dtype=np.int64)
    return heap_keys, heap_nodes, pos


@njit(cache=True)
def _indexed_sift_up(
    heap_keys: np.ndarray, heap_nodes: np.ndarray, pos: np.ndarray, slot: int, node: int,
    key: float,
) -> None:
    # Move the hole at `slot` up until its parent is not larger, then drop (key, node) in.
    while slot > 0:
        parent = (slot - 1) >> _SHIFT
        parent_key = heap_keys[parent]
        if not key < parent_key:
            break
        parent_node = heap_nodes[parent]
        heap_keys[slot] = parent_key
        heap_nodes[slot] = parent_node
        pos[parent_node] = slot
        slot = parent
    heap_keys[slot] = key
    heap_nodes[slot] = node
    pos[node] = slot


@njit(cache=True)
def indexed_heap_push(
    heap_keys: np.ndarray, heap_nodes: np.ndarray, pos: np.ndarray, size: int, node: int,
    key: float,
) -> int:
    """Insert ``node`` with ``key``, or lower its key if it is queued; return the new size.

    A queued node's new ``key`` must not exceed its current key. A popped node may be pushed
    again.
    """
    slot = pos[node]
    if slot < 0:
        slot = size
        size += 1
    _indexed_sift_up(heap_keys, heap_nodes, pos, slot, node, key)
    return size


@njit(cache=True, inline="always")
def indexed_heap_pop(
    heap_keys: np.ndarray, heap_nodes: np.ndarray, pos: np.ndarray, size: int
) -> tuple[int, float, int]:
    """Remove a node with the smallest key: ``(node, key, new_size)``; requires ``size > 0``."""
    top_node = heap_nodes[0]
    top_key = heap_keys[0]
    pos[top_node] = POPPED
    size -= 1
    if size > 0:
        # Sift the last entry down from the root.
        key = heap_keys[size]
        node = heap_nodes[size]
        slot = 0
        while True:
            first = (slot << _SHIFT) + 1
            if first >= size:
                break
            last = min(first + ARITY, size)
            best = first
            best_key = heap_keys[first]
            for child in range(first + 1, last):
                child_key = heap_keys[child]
                if child_key < best_key:
                    best = child
                    best_key = child_key
            if not best_key < key:
                break
            child_node = heap_nodes[best]
            heap_keys[slot] = best_key
            heap_nodes[slot] = child_node
            pos[child_node] = slot
            slot = best
        heap_keys[slot] = key
        heap_nodes[slot] = node
        pos[node] = slot
    return top_node, top_key, size


# --------------------------------------------------------------------------------------------
# Lazy heap of (key, payload) pairs
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def lazy_heap_new(capacity: int) -> tuple[np.ndarray, np.ndarray]:
    """Empty growable heap: ``(keys, payloads)`` with room for ``max(capacity, 1)`` entries."""
    capacity = max(capacity, 1)
    return np.empty(capacity, dtype=np.float64), np.empty(capacity, dtype=np.int64)


@njit(cache=True)
def _before(key_a: float, payload_a: int, key_b: float, payload_b: int) -> bool:
    # Strict order on (key, payload): deterministic ties.
    return key_a < key_b or (key_a == key_b and payload_a < payload_b)


@njit(cache=True)
def lazy_heap_push(
    keys: np.ndarray, payloads: np.ndarray, size: int, key: float, payload: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Insert ``(key, payload)``; return ``(keys, payloads, new_size)``, grown if it was full."""
    if size == keys.shape[0]:
        keys = grow_1d(keys, size + 1)
        payloads = grow_1d(payloads, size + 1)
    slot = size
    while slot > 0:
        parent = (slot - 1) >> _SHIFT
        if not _before(key, payload, keys[parent], payloads[parent]):
            break
        keys[slot] = keys[parent]
        payloads[slot] = payloads[parent]
        slot = parent
    keys[slot] = key
    payloads[slot] = payload
    return keys, payloads, size + 1


@njit(cache=True, inline="always")
def lazy_heap_pop(
    keys: np.ndarray, payloads: np.ndarray, size: int
) -> tuple[float, int, int]:
    """Remove the smallest entry: ``(key, payload, new_size)``; requires ``size > 0``."""
    top_key = keys[0]
    top_payload = payloads[0]
    size -= 1
    if size > 0:
        key = keys[size]
        payload = payloads[size]
        slot = 0
        while True:
            first = (slot << _SHIFT) + 1
            if first >= size:
                break
            last = min(first + ARITY, size)
            best = first
            for child in range(first + 1, last):
                if _before(keys[child], payloads[child], keys[best], payloads[best]):
                    best = child
            if not _before(keys[best], payloads[best], key, payload):
                break
            keys[slot] = keys[best]
            payloads[slot] = payloads[best]
            slot = best
        keys[slot] = key
        payloads[slot] = payload
    return top_key, top_payload, size


# --------------------------------------------------------------------------------------------
# Lazy heap of ((key, tie_key), payload): lexicographic order on two float keys
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def lex_heap_new(capacity: int) -> tuple[np.ndarray, np.ndarray]:
    """Empty growable heap: ``(keys, payloads)``, ``keys`` of shape ``(max(capacity, 1), 2)``."""
    capacity = max(capacity, 1)
    return np.empty((capacity, 2), dtype=np.float64), np.empty(capacity, dtype=np.int64)


@njit(cache=True)
def _lex_before(keys: np.ndarray, payloads: np.ndarray, i: int, key: float, tie_key: float,
                payload: int) -> bool:
    # Strict order on (key, tie_key, payload): entry i before the given triple?
    if keys[i, 0] != key:
        return bool(keys[i, 0] < key)
    if keys[i, 1] != tie_key:
        return bool(keys[i, 1] < tie_key)
    return bool(payloads[i] < payload)


@njit(cache=True)
def lex_heap_push(
    keys: np.ndarray, payloads: np.ndarray, size: int, key: float, tie_key: float, payload: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Insert ``((key, tie_key), payload)``; return ``(keys, payloads, new_size)``."""
    if size == keys.shape[0]:
        keys = grow_2d(keys, size + 1)
        payloads = grow_1d(payloads, size + 1)
    slot = size
    while slot > 0:
        parent = (slot - 1) >> _SHIFT
        if _lex_before(keys, payloads, parent, key, tie_key, payload):
            break
        keys[slot, 0] = keys[parent, 0]
        keys[slot, 1] = keys[parent, 1]
        payloads[slot] = payloads[parent]
        slot = parent
    keys[slot, 0] = key
    keys[slot, 1] = tie_key
    payloads[slot] = payload
    return keys, payloads, size + 1


@njit(cache=True, inline="always")
def lex_heap_pop(
    keys: np.ndarray, payloads: np.ndarray, size: int
) -> tuple[float, float, int, int]:
    """Remove the smallest entry: ``(key, tie_key, payload, new_size)``; requires ``size > 0``."""
    top_key = keys[0, 0]
    top_tie = keys[0, 1]
    top_payload = payloads[0]
    size -= 1
    if size > 0:
        key = keys[size, 0]
        tie_key = keys[size, 1]
        payload = payloads[size]
        slot = 0
        while True:
            first = (slot << _SHIFT) + 1
            if first >= size:
                break
            last = min(first + ARITY, size)
            best = first
            for child in range(first + 1, last):
                if _lex_before(keys, payloads, child, keys[best, 0], keys[best, 1],
                               payloads[best]):
                    best = child
            if not _lex_before(keys, payloads, best, key, tie_key, payload):
                break
            keys[slot, 0] = keys[best, 0]
            keys[slot, 1] = keys[best, 1]
            payloads[slot] = payloads[best]
            slot = best
        keys[slot, 0] = key
        keys[slot, 1] = tie_key
        payloads[slot] = payload
    return top_key, top_tie, top_payload, size

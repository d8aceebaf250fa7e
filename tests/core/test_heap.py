"""The array heaps pop in the same order as sorting (an independent reference)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from numba import njit

from silkroad_routing.core._heap import (
    NOT_QUEUED,
    POPPED,
    indexed_heap_new,
    indexed_heap_pop,
    indexed_heap_push,
    lazy_heap_new,
    lazy_heap_pop,
    lazy_heap_push,
    lex_heap_new,
    lex_heap_pop,
    lex_heap_push,
)

small_keys = st.lists(st.integers(0, 20).map(float), max_size=60)


@njit(cache=True)
def _indexed_run(initial: np.ndarray, lowered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Push every node, lower some keys, then pop everything.
    n = initial.shape[0]
    heap_keys, heap_nodes, pos = indexed_heap_new(n)
    size = 0
    for node in range(n):
        size = indexed_heap_push(heap_keys, heap_nodes, pos, size, node, initial[node])
    for node in range(n):
        if lowered[node] < initial[node]:
            size = indexed_heap_push(heap_keys, heap_nodes, pos, size, node, lowered[node])
    nodes = np.empty(n, dtype=np.int64)
    keys = np.empty(n, dtype=np.float64)
    for i in range(n):
        nodes[i], keys[i], size = indexed_heap_pop(heap_keys, heap_nodes, pos, size)
    return nodes, keys


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=60))
def test_indexed_heap_pops_in_key_order(pairs: list[tuple[int, int]]) -> None:
    initial = np.array([float(a) for a, _ in pairs], dtype=np.float64)
    lowered = np.array([float(b) for _, b in pairs], dtype=np.float64)
    nodes, keys = _indexed_run(initial, lowered)
    final = np.minimum(initial, lowered)
    assert sorted(nodes.tolist()) == list(range(len(pairs)))
    np.testing.assert_array_equal(keys, final[nodes])
    np.testing.assert_array_equal(keys, np.sort(final))


def test_indexed_heap_marks_positions() -> None:
    heap_keys, heap_nodes, pos = indexed_heap_new(3)
    assert (pos == NOT_QUEUED).all()
    size = indexed_heap_push(heap_keys, heap_nodes, pos, 0, 2, 1.5)
    assert pos[2] == 0
    node, key, size = indexed_heap_pop(heap_keys, heap_nodes, pos, size)
    assert (node, key, size, pos[2]) == (2, 1.5, 0, POPPED)


@njit(cache=True)
def _lazy_run(keys_in: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keys, payloads = lazy_heap_new(1)  # tiny capacity: exercises growth
    size = 0
    for i in range(keys_in.shape[0]):
        keys, payloads, size = lazy_heap_push(keys, payloads, size, keys_in[i], i)
    out_keys = np.empty(keys_in.shape[0], dtype=np.float64)
    out_payloads = np.empty(keys_in.shape[0], dtype=np.int64)
    for i in range(keys_in.shape[0]):
        out_keys[i], out_payloads[i], size = lazy_heap_pop(keys, payloads, size)
    return out_keys, out_payloads


@given(small_keys)
def test_lazy_heap_is_a_stable_sort(values: list[float]) -> None:
    keys_in = np.array(values, dtype=np.float64)
    keys, payloads = _lazy_run(keys_in)
    order = np.argsort(keys_in, kind="stable")  # equal keys: smaller payload first
    np.testing.assert_array_equal(payloads, order)
    np.testing.assert_array_equal(keys, keys_in[order])


@njit(cache=True)
def _lex_run(keys_in: np.ndarray, ties_in: np.ndarray) -> np.ndarray:
    keys, payloads = lex_heap_new(1)
    size = 0
    for i in range(keys_in.shape[0]):
        keys, payloads, size = lex_heap_push(keys, payloads, size, keys_in[i], ties_in[i], i)
    out = np.empty(keys_in.shape[0], dtype=np.int64)
    for i in range(keys_in.shape[0]):
        _, _, out[i], size = lex_heap_pop(keys, payloads, size)
    return out


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=60))
def test_lex_heap_pops_in_lexicographic_order(pairs: list[tuple[int, int]]) -> None:
    keys_in = np.array([float(a) for a, _ in pairs], dtype=np.float64)
    ties_in = np.array([float(b) for _, b in pairs], dtype=np.float64)
    order = sorted(range(len(pairs)), key=lambda i: (pairs[i][0], pairs[i][1], i))
    assert _lex_run(keys_in, ties_in).tolist() == order

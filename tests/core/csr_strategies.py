"""Hypothesis strategies for small random directed graphs as CSR arrays, and brute force.

Graphs may have a single node, self-loops, parallel arcs, zero weights and unreachable nodes.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from hypothesis import strategies as st

# Values whose sums round (0.1 + 0.2), zeros (ties, zero-weight cycles) and plain integers.
WEIGHT_VALUES = st.one_of(
    st.sampled_from([0.0, 0.0, 0.1, 0.2, 0.3, 1.0, 2.0, 3.0]),
    st.floats(0.0, 100.0, allow_nan=False, allow_infinity=False),
)


def to_csr(n: int, tails: list[int], heads: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(indptr, indices, order)``: arcs grouped by tail; ``order`` maps CSR position -> input."""
    order = np.argsort(np.asarray(tails, dtype=np.int64), kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, np.asarray(tails, dtype=np.int64) + 1, 1)
    indptr = np.cumsum(indptr)
    indices = np.asarray(heads, dtype=np.int64)[order] if heads else np.empty(0, np.int64)
    return indptr, indices, order


@st.composite
def csr_graphs(
    draw: st.DrawFn, max_nodes: int = 12, max_arcs: int = 40, k: int | None = None,
    min_nodes: int = 1, min_arcs_per_node: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(indptr, indices, weights)``; weights ``(m,)`` if ``k`` is None else ``(m, k)``."""
    n = draw(st.integers(min_nodes, max_nodes))
    arc = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    arcs = draw(st.lists(arc, min_size=min(min_arcs_per_node * n, max_arcs), max_size=max_arcs))
    width = 1 if k is None else k
    values = draw(st.lists(WEIGHT_VALUES, min_size=len(arcs) * width, max_size=len(arcs) * width))
    indptr, indices, order = to_csr(n, [a for a, _ in arcs], [b for _, b in arcs])
    weights = np.asarray(values, dtype=np.float64).reshape(len(arcs), width)[order]
    return indptr, indices, weights[:, 0].copy() if k is None else np.ascontiguousarray(weights)


def simple_paths(
    indptr: np.ndarray, indices: np.ndarray, source: int, target: int
) -> Iterator[list[int]]:
    """Every simple path from ``source`` to ``target`` as a list of arc ids (depth-first)."""
    on_path = {source}
    arcs: list[int] = []

    def extend(u: int) -> Iterator[list[int]]:
        if u == target:
            yield list(arcs)
            return
        for a in range(indptr[u], indptr[u + 1]):
            v = int(indices[a])
            if v in on_path:
                continue
            on_path.add(v)
            arcs.append(a)
            yield from extend(v)
            arcs.pop()
            on_path.discard(v)

    yield from extend(source)


def path_sum(weights: np.ndarray, arcs: list[int] | np.ndarray) -> np.ndarray | float:
    """Sum of per-arc values in path order from 0.0 (the kernels' summation order)."""
    total = np.zeros(weights.shape[1:]) if weights.ndim > 1 else 0.0
    for a in arcs:
        total = total + weights[a]
    return total


def check_path(
    indptr: np.ndarray, indices: np.ndarray, nodes: np.ndarray, arcs: np.ndarray, source: int,
    target: int,
) -> None:
    """Assert that ``(nodes, arcs)`` is a walk from ``source`` to ``target`` in the graph."""
    assert nodes[0] == source and nodes[-1] == target
    assert len(arcs) == len(nodes) - 1
    for i, a in enumerate(arcs):
        assert indptr[nodes[i]] <= a < indptr[nodes[i] + 1], "arc does not leave nodes[i]"
        assert indices[a] == nodes[i + 1], "arc does not enter nodes[i + 1]"

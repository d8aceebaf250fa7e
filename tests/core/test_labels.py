"""Pareto paths and cheapest-within-a-time-limit paths against brute-force enumeration."""

from __future__ import annotations

import numpy as np
import pytest
from csr_strategies import check_path, csr_graphs, path_sum, simple_paths
from hypothesis import given, settings
from hypothesis import strategies as st

from silkroad_routing.core import cheapest_within, pareto_paths

# At most 9 nodes (brute force stays small); dense enough for real trade-offs.
SMALL = {"max_nodes": 9, "max_arcs": 24, "min_nodes": 2, "min_arcs_per_node": 2}


def pareto_front(vectors: list[tuple[float, ...]]) -> set[tuple[float, ...]]:
    """The distinct vectors that no other vector weakly dominates (<= everywhere, not equal)."""
    distinct = set(vectors)
    return {
        v for v in distinct
        if not any(w != v and all(a <= b for a, b in zip(w, v, strict=True)) for w in distinct)
    }


@settings(max_examples=300)
@given(st.sampled_from([2, 3]).flatmap(lambda k: csr_graphs(k=k, **SMALL)), st.data())
def test_pareto_paths_equal_brute_force(graph, data) -> None:
    indptr, indices, criteria = graph
    n = indptr.shape[0] - 1
    source = data.draw(st.integers(0, n - 1))
    target = data.draw(st.integers(0, n - 1))
    result = pareto_paths(indptr, indices, criteria, source, target)
    vectors = [
        tuple(path_sum(criteria, arcs).tolist())
        for arcs in simple_paths(indptr, indices, source, target)
    ]
    assert not result.truncated
    assert {tuple(row) for row in result.criteria.tolist()} == pareto_front(vectors)
    assert len(result.paths) == result.criteria.shape[0]
    rows = result.criteria.tolist()
    assert rows == sorted(rows) and len(set(map(tuple, rows))) == len(rows)
    for row, (nodes, arcs) in zip(rows, result.paths, strict=True):
        check_path(indptr, indices, nodes, arcs, source, target)
        assert len(set(nodes.tolist())) == nodes.size, "a Pareto path is simple"
        assert path_sum(criteria, arcs).tolist() == row


@pytest.mark.parametrize("k", [2, 3])
def test_label_cap_is_reported(k: int) -> None:
    # A chain of 8 diamonds: 2^8 Pareto-optimal paths (cost + time = const per diamond); the
    # third criterion (k = 3) is the sum of the two, so the front stays the same.
    tails, heads, values = [], [], []
    for d in range(8):
        a, b, c = 2 * d, 2 * d + 1, 2 * d + 2
        tails += [a, b, a, b]
        heads += [b, c, b, c]
        values += [(2.0**d, 2.0 ** (d + 1)), (0.0, 0.0), (2.0 ** (d + 1), 2.0**d), (0.0, 0.0)]
    order = np.argsort(tails, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(tails, minlength=17))])
    indices = np.asarray(heads)[order]
    criteria = np.asarray(values)[order]
    if k == 3:
        criteria = np.column_stack([criteria, criteria.sum(axis=1)])
    full = pareto_paths(indptr, indices, criteria, 0, 16)
    assert not full.truncated and len(full.paths) == 2**8
    capped = pareto_paths(indptr, indices, criteria, 0, 16, max_labels=40)
    assert capped.truncated and capped.n_labels == 40
    assert 0 < len(capped.paths) < len(full.paths)
    rows = capped.criteria.tolist()
    assert pareto_front([tuple(r) for r in rows]) == {tuple(r) for r in rows}
    for row, (nodes, arcs) in zip(rows, capped.paths, strict=True):
        check_path(indptr, indices, nodes, arcs, 0, 16)
        assert path_sum(criteria, arcs).tolist() == row


def brute_force_cheapest(indptr, indices, cost, time, source, target, max_time):
    """(cost, time) of the cheapest feasible simple path, ties to the faster; None if none."""
    best = None
    for arcs in simple_paths(indptr, indices, source, target):
        c, t = path_sum(cost, arcs), path_sum(time, arcs)
        if t <= max_time and (best is None or (c, t) < best):
            best = (c, t)
    return best


@settings(max_examples=300)
@given(csr_graphs(k=2, **SMALL), st.data())
def test_cheapest_within_equals_brute_force(graph, data) -> None:
    indptr, indices, cost_time = graph
    cost, time = cost_time[:, 0].copy(), cost_time[:, 1].copy()
    n = indptr.shape[0] - 1
    source = data.draw(st.integers(0, n - 1))
    target = data.draw(st.integers(0, n - 1))
    times = sorted(
        path_sum(time, arcs) for arcs in simple_paths(indptr, indices, source, target)
    )
    # Limits at, between and beyond the path times make the constraint bind in every way.
    max_time = data.draw(
        st.sampled_from([*times, 0.0, np.inf]) | st.floats(0, 300, allow_nan=False)
    )
    result = cheapest_within(indptr, indices, cost, time, source, target, max_time)
    expected = brute_force_cheapest(indptr, indices, cost, time, source, target, max_time)
    assert not result.truncated
    if expected is None:
        assert result.cost == np.inf and result.time == np.inf and result.path.nodes.size == 0
        return
    assert (result.cost, result.time) == expected
    check_path(indptr, indices, result.path.nodes, result.path.arcs, source, target)
    assert path_sum(cost, result.path.arcs) == result.cost
    assert path_sum(time, result.path.arcs) == result.time <= max_time


def test_zero_weight_cycles_and_an_unreachable_target_end_quickly() -> None:
    # Node 0 has zero-weight self-loops, 2 -> 3 -> 0 and 2 -> 0; nothing reaches node 1.
    indptr = np.array([0, 20, 20, 22, 23])
    indices = np.array([0] * 20 + [3, 0, 0])
    cost = np.zeros(23)
    cost[21] = 0.1
    for target, expected in ((1, np.inf), (0, 0.0)):
        result = cheapest_within(indptr, indices, cost, np.zeros(23), 2, target, np.inf)
        assert result.cost == expected and not result.truncated and result.n_labels < 10
        front = pareto_paths(indptr, indices, np.column_stack([cost, cost]), 2, target)
        assert not front.truncated and front.n_labels < 10


GOOD = (np.array([0, 1, 1]), np.array([1]))


@pytest.mark.parametrize(
    ("criteria", "source", "kwargs", "message"),
    [
        (np.array([[1.0, -2.0]]), 0, {}, r"criteria\[\(0, 1\)\] = -2.0 is negative"),
        (np.array([[1.0, np.nan]]), 0, {}, r"is not finite"),
        (np.array([[1.0, 2.0], [1.0, 2.0]]), 0, {}, r"one row per arc"),
        (np.array([[1.0, 2.0, 3.0, 4.0]]), 0, {}, r"shape \(m, 2\) or \(m, 3\)"),
        (np.array([1.0]), 0, {}, r"shape \(m, 2\) or \(m, 3\)"),
        (np.array([[1.0, 2.0]]), 9, {}, r"source = 9 is out of range"),
        (np.array([[1.0, 2.0]]), 0, {"max_labels": 0}, r"max_labels must be a positive"),
    ],
)
def test_pareto_bad_input_raises_value_error(criteria, source, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        pareto_paths(*GOOD, criteria, source, 1, **kwargs)


@pytest.mark.parametrize(
    ("cost", "time", "max_time", "message"),
    [
        ([-1.0], [1.0], 5.0, r"cost\[0\] = -1.0 is negative"),
        ([1.0], [np.inf], 5.0, r"time\[0\] = inf is not finite"),
        ([1.0, 2.0], [1.0], 5.0, r"cost must have one row per arc"),
        ([1.0], [1.0], np.nan, r"max_time must be >= 0"),
        ([1.0], [1.0], -1.0, r"max_time must be >= 0"),
    ],
)
def test_cheapest_within_bad_input_raises_value_error(cost, time, max_time, message) -> None:
    with pytest.raises(ValueError, match=message):
        cheapest_within(*GOOD, cost, time, 0, 1, max_time)

"""Dijkstra, point-to-point and many-to-many against scipy, row-by-row runs and path sums."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from csr_strategies import check_path, csr_graphs, path_sum
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from silkroad_routing.core import dijkstra, dijkstra_many, shortest_path, tree_path


def scipy_reference(indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray) -> sp.csr_array:
    """The graph for scipy with each group of parallel arcs reduced to its lightest arc.

    Building a sparse matrix from duplicate entries would sum them; explicit zeros stay arcs.
    """
    n = indptr.shape[0] - 1
    tails = np.repeat(np.arange(n), np.diff(indptr))
    best: dict[tuple[int, int], float] = {}
    for t, h, w in zip(tails.tolist(), indices.tolist(), weights.tolist(), strict=True):
        best[t, h] = min(w, best.get((t, h), np.inf))
    keys = sorted(best)
    ref_indptr = np.searchsorted([t for t, _ in keys], np.arange(n + 1), side="left")
    return sp.csr_array(
        (np.array([best[key] for key in keys], dtype=np.float64),
         np.array([h for _, h in keys], dtype=np.int64), ref_indptr),
        shape=(n, n),
    )


@given(csr_graphs(), st.data())
def test_dijkstra_matches_scipy_and_paths_sum_to_distances(graph, data) -> None:
    indptr, indices, weights = graph
    n = indptr.shape[0] - 1
    source = data.draw(st.integers(0, n - 1))
    dist, pred = dijkstra(indptr, indices, weights, source)
    expected = scipy_dijkstra(scipy_reference(indptr, indices, weights), indices=source)
    np.testing.assert_array_equal(dist, expected)
    assert pred[source] == -1
    for v in range(n):
        path = tree_path(indptr, indices, weights, dist, pred, v)
        if np.isinf(dist[v]):
            assert pred[v] == -1 and path.nodes.size == 0 and path.arcs.size == 0
            continue
        check_path(indptr, indices, path.nodes, path.arcs, source, v)
        assert path_sum(weights, path.arcs) == dist[v]


@given(csr_graphs(), st.data())
def test_shortest_path_stops_with_the_same_cost(graph, data) -> None:
    indptr, indices, weights = graph
    n = indptr.shape[0] - 1
    source = data.draw(st.integers(0, n - 1))
    target = data.draw(st.integers(0, n - 1))
    cost, path = shortest_path(indptr, indices, weights, source, target)
    assert cost == dijkstra(indptr, indices, weights, source).dist[target]
    if np.isinf(cost):
        assert path.nodes.size == 0 and path.arcs.size == 0
    else:
        check_path(indptr, indices, path.nodes, path.arcs, source, target)
        assert path_sum(weights, path.arcs) == cost


@given(csr_graphs(), st.data())
def test_dijkstra_many_equals_row_by_row(graph, data) -> None:
    indptr, indices, weights = graph
    n = indptr.shape[0] - 1
    nodes = st.lists(st.integers(0, n - 1), min_size=1, max_size=6)
    sources = data.draw(nodes)
    targets = data.draw(st.none() | nodes)
    out = dijkstra_many(indptr, indices, weights, sources, targets)
    columns = np.arange(n) if targets is None else np.asarray(targets)
    assert out.shape == (len(sources), columns.size)
    for i, s in enumerate(sources):
        np.testing.assert_array_equal(out[i], dijkstra(indptr, indices, weights, s).dist[columns])


def test_dijkstra_many_on_more_sources_than_threads() -> None:
    rng = np.random.default_rng(7)
    n, m = 200, 1200
    tails = rng.integers(0, n, m)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(tails, minlength=n))])
    indices = rng.integers(0, n, m)
    weights = rng.uniform(0, 10, m)
    sources = rng.integers(0, n, 37)
    out = dijkstra_many(indptr, indices, weights, sources, sources)
    expected = scipy_dijkstra(scipy_reference(indptr, indices, weights), indices=sources)
    np.testing.assert_array_equal(out, expected[:, sources])


def test_dijkstra_many_with_no_sources_or_targets() -> None:
    indptr, indices, weights = np.array([0, 1, 1]), np.array([1]), np.array([2.0])
    assert dijkstra_many(indptr, indices, weights, [], [1]).shape == (0, 1)
    assert dijkstra_many(indptr, indices, weights, [0, 1], []).shape == (2, 0)


def test_single_node_graph() -> None:
    indptr, indices, weights = np.array([0, 0]), np.array([], np.int64), np.array([])
    dist, pred = dijkstra(indptr, indices, weights, 0)
    assert dist.tolist() == [0.0] and pred.tolist() == [-1]
    cost, path = shortest_path(indptr, indices, weights, 0, 0)
    assert cost == 0.0 and path.nodes.tolist() == [0] and path.arcs.size == 0


# Two nodes, one arc 0 -> 1.
GOOD = (np.array([0, 1, 1]), np.array([1]), np.array([2.0]))


@pytest.mark.parametrize(
    ("indptr", "indices", "weights", "source", "message"),
    [
        (GOOD[0], GOOD[1], np.array([-1.0]), 0, r"weights\[0\] = -1.0 is negative"),
        (GOOD[0], GOOD[1], np.array([np.nan]), 0, r"weights\[0\] = nan is not finite"),
        (GOOD[0], GOOD[1], np.array([np.inf]), 0, r"is not finite"),
        (GOOD[0], GOOD[1], np.array([1.0, 2.0]), 0, r"one row per arc \(len\(indices\) = 1\)"),
        (GOOD[0], np.array([1, 0]), GOOD[2], 0, r"indptr\[-1\] = 1 must equal len\(indices\) = 2"),
        (np.array([1, 1, 1]), np.array([1]), GOOD[2], 0, r"indptr\[0\] must be 0"),
        (np.array([0, 2, 1, 2]), np.array([1, 1]), np.ones(2), 0, r"non-decreasing"),
        (GOOD[0], np.array([5]), GOOD[2], 0, r"indices\[0\] = 5 is not a node id in 0..1"),
        (GOOD[0], GOOD[1], GOOD[2], 2, r"source = 2 is out of range: the graph has nodes 0..1"),
        (GOOD[0], GOOD[1], GOOD[2], -1, r"source = -1 is out of range"),
        (GOOD[0], GOOD[1], GOOD[2], 0.5, r"source must be an integer node id"),
        (GOOD[0], np.array([1.5]), GOOD[2], 0, r"indices must hold integers"),
        (np.array([]), np.array([], np.int64), np.array([]), 0, r"indptr must have n \+ 1 >= 1"),
    ],
)
def test_bad_arrays_raise_value_error(indptr, indices, weights, source, message) -> None:
    with pytest.raises(ValueError, match=message):
        dijkstra(indptr, indices, weights, source)
    with pytest.raises(ValueError, match=message):
        shortest_path(indptr, indices, weights, source, 0)


def test_bad_targets_and_sources_raise_value_error() -> None:
    with pytest.raises(ValueError, match=r"target = 7 is out of range"):
        shortest_path(*GOOD, 0, 7)
    with pytest.raises(ValueError, match=r"sources\[1\] = 3 is out of range"):
        dijkstra_many(*GOOD, [0, 3])
    with pytest.raises(ValueError, match=r"targets\[0\] = -2 is out of range"):
        dijkstra_many(*GOOD, [0], [-2])
    with pytest.raises(ValueError, match=r"weights\[0\] = -3.0 is negative"):
        dijkstra_many(GOOD[0], GOOD[1], [-3.0], [0])
    dist, pred = dijkstra(*GOOD, 0)
    with pytest.raises(ValueError, match="not a shortest-path tree"):
        tree_path(*GOOD, dist * 2.0, pred, 1)

"""Shortest-path core vs scipy, igraph and networkx on the same CSR graphs.

Goals (full size, 2 cores): single source <= 0.8x scipy's time on a 1000x1000 grid and on a
1M-node random geometric graph; networkx >= 30x slower on a 100k-node grid; point-to-point
>= 2x faster than scipy; 64x64 many-to-many <= 0.6x scipy with ``indices=``.
Full sizes: ``pytest benchmarks/core --bench-size=full --benchmark-enable -s``.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from core_bench_graphs import giant_component_nodes, race, report
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from silkroad_routing.core import dijkstra, dijkstra_many, shortest_path


def _random_nodes(graph, count: int, seed: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.random.default_rng(seed).choice(
        giant_component_nodes(graph.indptr, graph.indices), count
    )


@pytest.mark.parametrize("graph_name", ["grid", "geometric"])
def test_single_source(benchmark, road_graphs, bench_size, graph_name) -> None:
    g = road_graphs[graph_name]
    sources = _random_nodes(g, 7 if bench_size == "full" else 2, seed=10).tolist()
    medians = race(
        {
            "core": lambda s: dijkstra(g.indptr, g.indices, g.weights, s),
            "scipy": lambda s: scipy_dijkstra(g.scipy, indices=s),
            "igraph": lambda s: g.igraph.distances(source=s, weights="weight"),
        },
        sources,
    )
    expected = scipy_dijkstra(g.scipy, indices=sources[0])
    np.testing.assert_array_equal(dijkstra(g.indptr, g.indices, g.weights, sources[0]).dist,
                                  expected)
    benchmark.extra_info.update(graph=g.name, nodes=g.n, arcs=g.m, sources=len(sources))
    report(benchmark, f"single source, {g.name} ({g.n} nodes, {g.m} arcs)", medians, "core")
    benchmark.pedantic(dijkstra, args=(g.indptr, g.indices, g.weights, sources[0]), rounds=1,
                       iterations=1)


def test_single_source_vs_networkx(benchmark, grid_100k, bench_size) -> None:
    g = grid_100k
    sources = _random_nodes(g, 3 if bench_size == "full" else 1, seed=11).tolist()
    import networkx as nx

    medians = race(
        {
            "core": lambda s: dijkstra(g.indptr, g.indices, g.weights, s),
            "networkx": lambda s: nx.single_source_dijkstra_path_length(g.networkx, s),
        },
        sources,
    )
    lengths = nx.single_source_dijkstra_path_length(g.networkx, sources[0])
    dist = dijkstra(g.indptr, g.indices, g.weights, sources[0]).dist
    assert all(np.isclose(dist[v], d, rtol=1e-12) for v, d in lengths.items())
    benchmark.extra_info.update(graph=g.name, nodes=g.n, arcs=g.m)
    report(benchmark, f"single source, {g.name}", medians, "core")
    benchmark.pedantic(dijkstra, args=(g.indptr, g.indices, g.weights, sources[0]), rounds=1,
                       iterations=1)


@pytest.mark.parametrize("graph_name", ["grid", "geometric"])
def test_point_to_point(benchmark, road_graphs, bench_size, graph_name) -> None:
    g = road_graphs[graph_name]
    count = 20 if bench_size == "full" else 3
    pairs = list(zip(_random_nodes(g, count, 12).tolist(), _random_nodes(g, count, 13).tolist(),
                     strict=True))
    medians = race(
        {
            "core": lambda p: shortest_path(g.indptr, g.indices, g.weights, *p),
            # scipy has no target: a full single-source run, then one entry.
            "scipy": lambda p: scipy_dijkstra(g.scipy, indices=p[0])[p[1]],
            "igraph": lambda p: g.igraph.get_shortest_path(
                p[0], to=p[1], weights="weight", output="epath"
            ),
        },
        pairs,
    )
    for s, t in pairs[:3]:
        cost, path = shortest_path(g.indptr, g.indices, g.weights, s, t)
        assert cost == scipy_dijkstra(g.scipy, indices=s)[t]
        assert g.weights[path.arcs].sum() == pytest.approx(cost, rel=1e-12)
    benchmark.extra_info.update(graph=g.name, nodes=g.n, arcs=g.m, pairs=count)
    report(benchmark, f"point to point, {g.name}", medians, "core")
    benchmark.pedantic(shortest_path, args=(g.indptr, g.indices, g.weights, *pairs[0]),
                       rounds=1, iterations=1)


def test_many_to_many(benchmark, grid, bench_size) -> None:
    g = grid
    count = 64 if bench_size == "full" else 8
    sources = _random_nodes(g, count, 14)
    targets = _random_nodes(g, count, 15)
    threads = numba.get_num_threads()
    medians = race(
        {
            "core": lambda st: dijkstra_many(g.indptr, g.indices, g.weights, *st),
            "scipy": lambda st: scipy_dijkstra(g.scipy, indices=st[0])[:, st[1]],
            "igraph": lambda st: g.igraph.distances(source=st[0], target=st[1],
                                                    weights="weight"),
        },
        [(sources, targets)],
        warmup=(sources[:2], targets[:2]),
    )
    np.testing.assert_array_equal(
        dijkstra_many(g.indptr, g.indices, g.weights, sources[:4], targets),
        scipy_dijkstra(g.scipy, indices=sources[:4])[:, targets],
    )
    benchmark.extra_info.update(graph=g.name, sources=count, targets=count, threads=threads)
    report(benchmark, f"many to many {count}x{count}, {g.name}, {threads} threads", medians,
           "core")
    benchmark.pedantic(dijkstra_many, args=(g.indptr, g.indices, g.weights, sources[:2],
                                            targets[:2]), rounds=1, iterations=1)

"""Session-wide benchmark graphs for the shortest-path core, built once per size.

Peers get their own data structures here, so conversion never counts in a timing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pytest
import scipy.sparse as sp
from core_bench_graphs import geometric_graph, grid_graph

# (grid side, geometric nodes, ~100k-node grid side) per --bench-size.
SIZES = {"full": (1000, 1_000_000, 317), "small": (60, 4_000, 40)}


@dataclass
class BenchGraph:
    """A CSR graph and, built on first use, the same graph for scipy, igraph and networkx."""

    name: str
    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.indptr.shape[0] - 1

    @property
    def m(self) -> int:
        return self.indices.shape[0]

    @cached_property
    def tails(self) -> np.ndarray:
        return np.repeat(np.arange(self.n), np.diff(self.indptr))

    @cached_property
    def scipy(self) -> sp.csr_matrix:
        # int32 indices and float64 data: scipy's own dtypes, so its calls copy nothing.
        return sp.csr_matrix(
            (self.weights, self.indices.astype(np.int32), self.indptr.astype(np.int32)),
            shape=(self.n, self.n),
        )

    @cached_property
    def igraph(self):  # type: ignore[no-untyped-def]
        import igraph

        graph = igraph.Graph(n=self.n, edges=np.column_stack([self.tails, self.indices]),
                             directed=True)
        graph.es["weight"] = self.weights
        return graph

    @cached_property
    def networkx(self):  # type: ignore[no-untyped-def]
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(range(self.n))
        graph.add_weighted_edges_from(
            zip(self.tails.tolist(), self.indices.tolist(), self.weights.tolist(), strict=True)
        )
        return graph


@pytest.fixture(scope="session")
def core_sizes(request: pytest.FixtureRequest) -> tuple[int, int, int]:
    return SIZES[request.config.getoption("--bench-size")]


@pytest.fixture(scope="session")
def grid(core_sizes: tuple[int, int, int]) -> BenchGraph:
    side = core_sizes[0]
    return BenchGraph(f"grid {side}x{side}", *grid_graph(side, seed=1))


@pytest.fixture(scope="session")
def geometric(core_sizes: tuple[int, int, int]) -> BenchGraph:
    n = core_sizes[1]
    indptr, indices, weights, xy = geometric_graph(n, mean_degree=6.0, seed=2)
    return BenchGraph(f"geometric n={n}", indptr, indices, weights, {"xy": xy})


@pytest.fixture(scope="session")
def grid_100k(core_sizes: tuple[int, int, int]) -> BenchGraph:
    side = core_sizes[2]
    return BenchGraph(f"grid {side}x{side}", *grid_graph(side, seed=3))


@pytest.fixture(scope="session")
def road_graphs(grid: BenchGraph, geometric: BenchGraph) -> dict[str, BenchGraph]:
    return {"grid": grid, "geometric": geometric}

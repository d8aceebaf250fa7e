"""The instance's arcs as a CSR graph, and cheapest paths on it with the core's Dijkstra."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ...core.graph.dijkstra import dijkstra_kernel
from ...core.graph.paths import tree_path_kernel
from ...model import MCNDInstance


@dataclass(frozen=True)
class ArcGraph:
    """CSR view of an instance: arcs sorted by tail; ``csr_arc[p]`` is the arc at position ``p``."""

    indptr: NDArray[np.int64]
    heads: NDArray[np.int64]
    csr_arc: NDArray[np.int64]

    @classmethod
    def of(cls, instance: MCNDInstance) -> ArcGraph:
        """Build the CSR arrays of ``instance`` (validated once here, not per search)."""
        order = np.argsort(instance.arc_tail, kind="stable")
        indptr = np.zeros(instance.n_nodes + 1, dtype=np.int64)
        np.cumsum(np.bincount(instance.arc_tail, minlength=instance.n_nodes), out=indptr[1:])
        return cls(indptr, np.ascontiguousarray(instance.arc_head[order]), order.astype(np.int64))

    def tree(self, weights: NDArray[np.float64], source: int) -> tuple[NDArray, NDArray, NDArray]:
        """Shortest-path tree from ``source`` under per-arc ``weights`` (finite, >= 0).

        Returns ``(dist, pred, csr_weights)``; pass them to :meth:`path`.
        """
        csr_weights = np.ascontiguousarray(weights[self.csr_arc])
        dist, pred = dijkstra_kernel(self.indptr, self.heads, csr_weights, int(source), -1)
        return dist, pred, csr_weights

    def path(self, tree: tuple[NDArray, NDArray, NDArray], target: int) -> NDArray[np.int64]:
        """Arc ids (instance numbering) of the tree path to ``target``; empty if unreachable."""
        dist, pred, csr_weights = tree
        _, arcs, _ = tree_path_kernel(self.indptr, self.heads, csr_weights, dist, pred, int(target))
        return self.csr_arc[arcs]

    def cheapest_paths(self, weights: NDArray[np.float64], origins: NDArray[np.int64],
                       destinations: NDArray[np.int64]) -> tuple[NDArray[np.float64], list]:
        """Cheapest path of every origin-destination pair under one weight vector.

        One Dijkstra per distinct origin. Returns ``(cost, paths)``: cost ``inf`` and an empty
        arc array where the destination is unreachable.
        """
        cost = np.empty(origins.size)
        paths: list[NDArray[np.int64]] = [np.empty(0, dtype=np.int64)] * origins.size
        for origin in np.unique(origins):
            tree = self.tree(weights, origin)
            for k in np.flatnonzero(origins == origin):
                cost[k] = tree[0][destinations[k]]
                paths[k] = self.path(tree, destinations[k])
        return cost, paths

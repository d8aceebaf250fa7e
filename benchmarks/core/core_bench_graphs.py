"""Road-like benchmark graphs as CSR arrays, and an interleaved timing helper.

Every graph is directed with both directions of each road as separate arcs, CSR-ordered by tail
(node numbering follows space, as in real road exports). Weights are float64, arc ids are CSR
positions. Generation is deterministic in its seed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree


def _csr(n: int, tails: np.ndarray, heads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(indptr, indices, order)`` with arcs sorted by (tail, head); ``order`` maps to input."""
    order = np.lexsort((heads, tails))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    return indptr, np.ascontiguousarray(heads[order], dtype=np.int64), order


def grid_graph(side: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``side x side`` 4-neighbour grid, arcs both ways, weights uniform in [1, 100).

    ``side = 1000``: 1,000,000 nodes and 3,996,000 arcs.
    """
    rng = np.random.default_rng(seed)
    ids = np.arange(side * side, dtype=np.int64).reshape(side, side)
    a = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    b = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    indptr, indices, order = _csr(side * side, np.concatenate([a, b]), np.concatenate([b, a]))
    weights = rng.uniform(1.0, 100.0, order.shape[0])
    return indptr, indices, weights


def geometric_graph(
    n: int, mean_degree: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Random geometric graph: ``n`` points in the unit square, roads between points closer
    than ``r`` with ``n * pi * r^2 = mean_degree``; weight = length x uniform [1, 1.5) (detours).

    Returns ``(indptr, indices, weights, xy)``; nodes are numbered along a coarse spatial grid.
    """
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2))
    cells = max(1, int(np.sqrt(n) / 4))
    cell = np.minimum((xy * cells).astype(np.int64), cells - 1)
    xy = xy[np.lexsort((xy[:, 0], cell[:, 0], cell[:, 1]))]  # spatial numbering
    radius = np.sqrt(mean_degree / (np.pi * n))
    pairs = cKDTree(xy).query_pairs(radius, output_type="ndarray").astype(np.int64)
    tails = np.concatenate([pairs[:, 0], pairs[:, 1]])
    heads = np.concatenate([pairs[:, 1], pairs[:, 0]])
    indptr, indices, order = _csr(n, tails, heads)
    length = np.linalg.norm(xy[tails[order]] - xy[heads[order]], axis=1)
    weights = length * rng.uniform(1.0, 1.5, length.shape[0])
    return indptr, indices, weights, xy


def freight_criteria(weights: np.ndarray, seed: int) -> np.ndarray:
    """``(m, 3)`` criteria for a road graph whose ``weights`` are lengths: USD, hours, kg CO2e.

    Each arc is one of three services over the same length with a trade-off: express (fast,
    dear, dirty), standard, economy (slow, cheap, clean), so Pareto fronts are non-trivial.
    """
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, 3, weights.shape[0])
    usd_per_unit = np.array([3.0, 2.0, 1.2])[kind] * rng.uniform(0.9, 1.1, weights.shape[0])
    speed = np.array([80.0, 60.0, 35.0])[kind] * rng.uniform(0.9, 1.1, weights.shape[0])
    co2_per_unit = np.array([1.6, 1.0, 0.7])[kind]
    return np.ascontiguousarray(
        np.stack([weights * usd_per_unit, weights / speed, weights * co2_per_unit], axis=1)
    )


def race(
    contenders: dict[str, Callable[[object], object]], cases: Sequence[object],
    warmup: object = None,
) -> dict[str, float]:
    """Median wall time (s) of each contender over ``cases``, runs interleaved case by case.

    Each contender is first called once on ``warmup`` (default ``cases[0]``), untimed: that
    compiles or loads Numba kernels and warms caches. Interleaving spreads machine noise evenly.
    """
    for run in contenders.values():
        run(cases[0] if warmup is None else warmup)
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for case in cases:
        for name, run in contenders.items():
            start = time.perf_counter()
            run(case)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def giant_component_nodes(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Node ids of the largest weakly connected component (random sources are drawn there)."""
    n = indptr.shape[0] - 1
    matrix = sp.csr_matrix((np.ones(indices.shape[0]), indices, indptr), shape=(n, n))
    _, label = connected_components(matrix, directed=True, connection="weak")
    return np.flatnonzero(label == np.argmax(np.bincount(label)))


def report(benchmark: object, title: str, medians: dict[str, float], ours: str) -> dict[str, float]:
    """Record medians and ``peer / ours`` speed-ups in ``benchmark.extra_info``; print a line."""
    ratios = {f"{ours}_over_{name}": medians[ours] / t for name, t in medians.items() if name != ours}
    benchmark.extra_info.update({f"{name}_s": t for name, t in medians.items()})  # type: ignore[attr-defined]
    benchmark.extra_info.update(ratios)  # type: ignore[attr-defined]
    timings = ", ".join(f"{name} {t * 1e3:.1f} ms" for name, t in medians.items())
    shares = ", ".join(f"{key} = {value:.2f}" for key, value in ratios.items())
    print(f"\n{title}: {timings}; {shares}")
    return ratios

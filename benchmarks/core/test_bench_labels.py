"""Pareto and time-constrained cheapest paths: time per query, front sizes, label counts.

On a 100k-node grid (full size) whose arcs each offer one of three services with a cost / hours
/ CO2e trade-off, and on the bundled four_roads network compiled to its static graph. No peer
library offers these queries exactly; point-to-point Dijkstra on cost is the yardstick.
Full sizes: ``pytest benchmarks/core --bench-size=full --benchmark-enable -s``.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pytest
from core_bench_graphs import freight_criteria

from silkroad_routing.core import cheapest_within, pareto_paths, shortest_path

K3_MAX_LABELS = 500_000  # 3-criteria fronts on a random grid are huge: cap and report


def _timed(run, cases):  # type: ignore[no-untyped-def]
    """(results, seconds) per case, after one untimed warm-up call."""
    run(cases[0])
    results, seconds = [], []
    for case in cases:
        start = time.perf_counter()
        results.append(run(case))
        seconds.append(time.perf_counter() - start)
    return results, seconds


def _summary(benchmark, title: str, seconds: list[float], **info: object) -> None:  # type: ignore[no-untyped-def]
    info.update(queries=len(seconds), median_s=statistics.median(seconds), max_s=max(seconds))
    benchmark.extra_info.update(info)
    details = ", ".join(f"{key} {value:.3g}" if isinstance(value, float) else f"{key} {value}"
                        for key, value in info.items())
    print(f"\n{title}: {details}")


def _pairs(n: int, count: int, seed: int) -> list[tuple[int, int]]:
    rng = np.random.default_rng(seed)
    return [(int(s), int(t)) for s, t in rng.integers(0, n, (count, 2)) if s != t]


@pytest.mark.parametrize("k", [2, 3])
def test_pareto_per_query_on_grid(benchmark, grid_100k, bench_size, k) -> None:
    g = grid_100k
    criteria = np.ascontiguousarray(freight_criteria(g.weights, seed=4)[:, :k])
    pairs = _pairs(g.n, (10 if k == 2 else 4) if bench_size == "full" else 3, seed=20 + k)
    cap = K3_MAX_LABELS if k == 3 else 2_000_000
    results, seconds = _timed(
        lambda p: pareto_paths(g.indptr, g.indices, criteria, *p, max_labels=cap), pairs
    )
    _, yardstick = _timed(lambda p: shortest_path(g.indptr, g.indices, criteria[:, 0], *p), pairs)
    _summary(
        benchmark, f"pareto k={k}, {g.name}", seconds,
        median_front=statistics.median(len(r.paths) for r in results),
        max_front=max(len(r.paths) for r in results),
        median_labels=statistics.median(r.n_labels for r in results),
        truncated=sum(r.truncated for r in results), label_cap=cap,
        over_point_to_point=statistics.median(seconds) / statistics.median(yardstick),
    )
    benchmark.pedantic(pareto_paths, args=(g.indptr, g.indices, criteria, *pairs[0]),
                       kwargs={"max_labels": cap}, rounds=1, iterations=1)


def test_cheapest_within_per_query_on_grid(benchmark, grid_100k, bench_size) -> None:
    g = grid_100k
    criteria = freight_criteria(g.weights, seed=4)
    cost, hours = np.ascontiguousarray(criteria[:, 0]), np.ascontiguousarray(criteria[:, 1])
    cases = []
    for s, t in _pairs(g.n, 10 if bench_size == "full" else 3, seed=30):
        fastest = shortest_path(g.indptr, g.indices, hours, s, t).cost
        cases.append((s, t, 1.1 * fastest))  # a deadline 10% above the fastest route
    results, seconds = _timed(
        lambda c: cheapest_within(g.indptr, g.indices, cost, hours, *c), cases
    )
    _, yardstick = _timed(lambda c: shortest_path(g.indptr, g.indices, cost, c[0], c[1]), cases)
    _summary(
        benchmark, f"cheapest_within (deadline 1.1x fastest), {g.name}", seconds,
        median_labels=statistics.median(r.n_labels for r in results),
        truncated=sum(r.truncated for r in results),
        over_point_to_point=statistics.median(seconds) / statistics.median(yardstick),
    )
    benchmark.pedantic(cheapest_within, args=(g.indptr, g.indices, cost, hours, *cases[0]),
                       rounds=1, iterations=1)


@pytest.fixture(scope="module")
def four_roads():  # type: ignore[no-untyped-def]
    import silkroad_routing as sr

    try:
        from silkroad_routing.compile import compile_static

        return compile_static(sr.load_network("four_roads"))
    except Exception as error:  # the bundled network or compile may not have landed yet
        pytest.skip(f"four_roads static graph not available: {error!r}")


def test_labels_per_query_on_four_roads(benchmark, four_roads) -> None:
    g = four_roads
    origin = g.source("CGO")
    destinations = [g.sink(code) for code in g.hub_codes if code != "CGO"]
    cases = [(origin, d) for d in destinations]
    criteria3 = np.ascontiguousarray(np.column_stack([g.cost_usd, g.hours, g.co2e_kg]))
    criteria2 = np.ascontiguousarray(criteria3[:, :2])
    two, seconds2 = _timed(lambda c: pareto_paths(g.indptr, g.indices, criteria2, *c), cases)
    three, seconds3 = _timed(lambda c: pareto_paths(g.indptr, g.indices, criteria3, *c), cases)
    deadlines = [(s, t, 1.25 * shortest_path(g.indptr, g.indices, g.hours, s, t).cost)
                 for s, t in cases]
    within, seconds_cw = _timed(
        lambda c: cheapest_within(g.indptr, g.indices, g.cost_usd, g.hours, *c), deadlines
    )
    label = f"four_roads ({g.n_nodes} nodes, {g.n_arcs} arcs), CGO to {len(cases)} hubs"
    _summary(benchmark, f"pareto k=2, {label}", seconds2,
             max_front=max(len(r.paths) for r in two), truncated=sum(r.truncated for r in two))
    _summary(benchmark, f"pareto k=3, {label}", seconds3,
             max_front=max(len(r.paths) for r in three),
             truncated=sum(r.truncated for r in three))
    _summary(benchmark, f"cheapest_within (deadline 1.25x fastest), {label}", seconds_cw,
             feasible=sum(np.isfinite(r.cost) for r in within))
    benchmark.pedantic(pareto_paths, args=(g.indptr, g.indices, criteria2, *cases[0]), rounds=1,
                       iterations=1)

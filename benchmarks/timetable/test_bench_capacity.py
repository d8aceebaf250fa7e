"""Capacity-aware routing on the bundled network: sequential booking against routing each
shipment as if alone, same objective, same prepared problem, same run.

Goal: with capacity binding on at least 20 % of the departures used, ``assign="sequential"``
keeps at least 25 % of uncapacitated ``sr.route``'s throughput (shipments per second). A
departure *binds* when some shipment lost it to capacity (its ``lost_departure``). The
departures' capacities are scaled by :data:`CAPACITY_FACTOR` (the bundled network's real
capacities scaled down, so that this demand fills them; stated in the extra info).

    pytest benchmarks/timetable/test_bench_capacity.py --bench-size=full --benchmark-enable -s
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

import pytest
from timetable_bench_data import ecommerce_shipments

import silkroad_routing as sr
from silkroad_routing.edits import set_service_capacity

START = datetime(2026, 12, 7, tzinfo=UTC)
DAYS = 56  # an 8-week timetable; shipments are ready over its first 4 weeks
#: Departures' capacities as a share of the bundled network's.
CAPACITY_FACTOR = 0.5


@pytest.fixture(scope="module")
def network() -> sr.Network:
    net = sr.load_network("four_roads")
    for service in net.services:
        net = set_service_capacity(net, service.id, factor=CAPACITY_FACTOR)
    return net


@pytest.mark.parametrize("objective", ["cheapest", "fastest"])
def test_sequential_vs_uncapacitated(benchmark, bench_size, network, objective):
    n = 100_000 if bench_size == "full" else 2_000
    shipments = ecommerce_shipments(n, START, seed=7)
    warm = sr.prepare(network, shipments[:50], start=START, days=DAYS)
    sr.route(warm, objective=objective)
    sr.route(warm, objective=objective, capacity="ignore")
    problem = sr.prepare(network, shipments, start=START, days=DAYS)
    times: dict[str, list[float]] = {"ignore": [], "respect": []}
    plans: dict[str, sr.Plan] = {}
    for _ in range(1 if bench_size == "full" else 2):
        for mode in ("ignore", "respect"):  # interleaved: machine noise hits both alike
            t0 = time.perf_counter()
            plans[mode] = sr.route(problem, objective=objective, capacity=mode)  # type: ignore[arg-type]
            times[mode].append(time.perf_counter() - t0)
    benchmark.pedantic(sr.route, args=(problem,), kwargs={"objective": objective},
                       rounds=1, iterations=1)
    free_s, seq_s = statistics.median(times["ignore"]), statistics.median(times["respect"])
    table = plans["respect"].shipments
    legs = plans["respect"].legs
    used = int(legs.loc[legs["kind"] == "service", "departure_id"].nunique())
    lost = table.loc[table["lost_departure"].str.contains("@"), "lost_departure"]
    binding = int(lost.str.replace("^crossing .* by ", "", regex=True).nunique())
    assert plans["respect"].capacity == "respect"
    assert len(table) == n  # none dropped
    ratio = free_s / seq_s
    benchmark.extra_info.update(
        shipments=n, objective=objective, capacity_factor=CAPACITY_FACTOR,
        uncapacitated_s=free_s, sequential_s=seq_s, throughput_ratio=ratio,
        departures_used=used, departures_binding=binding,
        binding_share=binding / used if used else 0.0,
        moved=int((~table["first_choice"]).sum()),
        no_capacity=int((table["reason"] == "no capacity").sum()))
    print(f"\n{objective}, {n:,} shipments, capacities x {CAPACITY_FACTOR}: uncapacitated "
          f"{free_s:.2f} s, sequential {seq_s:.2f} s = {ratio:.0%} of the throughput (goal >= "
          f"25 %); {binding} of {used} departures used bind ({binding / max(used, 1):.0%}, "
          f"goal >= 20 %); {int((~table['first_choice']).sum()):,} shipments moved, "
          f"{int((table['reason'] == 'no capacity').sum()):,} without space")

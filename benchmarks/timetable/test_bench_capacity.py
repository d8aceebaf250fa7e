"""Capacity-aware routing on the bundled network: sequential booking against routing each
shipment as if alone, same objective, same prepared problem, same run.

Goals: with capacity binding on at least 20 % of the departures used, ``assign="sequential"``
keeps at least 25 % of uncapacitated ``sr.route``'s throughput (shipments per second);
``assign="optimal"`` on 10,000 shipments reaches a gap of at most 1 % within 120 s; ``sr.design``
on the peak-month scenario at 5x its demand, at most 1 % within 300 s. A
departure *binds* when some shipment lost it to capacity (its ``lost_departure``). The
departures' capacities are scaled by :data:`CAPACITY_FACTOR` (the bundled network's real
capacities scaled down, so that this demand fills them; stated in the extra info).

    pytest benchmarks/timetable/test_bench_capacity.py --bench-size=full --benchmark-enable -s
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from timetable_bench_data import ecommerce_shipments

import silkroad_routing as sr
from silkroad_routing.edits import set_service_capacity

START = datetime(2026, 12, 7, tzinfo=UTC)
DAYS = 56  # an 8-week timetable; shipments are ready over its first 4 weeks
#: Departures' capacities as a share of the bundled network's.
CAPACITY_FACTOR = 0.5
PEAK_MONTH = Path(__file__).resolve().parents[2] / "scenarios" / "peak_month_charter_design.yaml"


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


def _peak_month(factor: int) -> tuple[sr.Network, list[sr.Shipment], datetime, float, sr.Costs]:
    """The peak-month scenario's network (with its edits) and its demand x ``factor`` (the
    generator's flows scaled), horizon and costs."""
    from silkroad_routing.scenario.runner import prepare as prepare_scenario
    from silkroad_routing.scenario.runner import timetable_days

    prepared = prepare_scenario(PEAK_MONTH)
    scenario = prepared.scenario
    flows = scenario.demand.generate.flows  # type: ignore[union-attr]
    if factor != 1:
        bigger = [f.model_copy(update={"shipments": f.shipments * factor}) for f in flows]
        demand = scenario.demand.model_copy(update={"generate": scenario.demand.generate
                                                    .model_copy(update={"flows": bigger})})
        prepared = prepare_scenario(scenario.model_copy(update={"demand": demand}))
    costs = sr.Costs(co2_price_usd_per_t=scenario.edits.co2_price_usd_per_t,
                     value_of_time_pct_per_year=scenario.edits.value_of_time_pct_per_year)
    return (prepared.network, prepared.shipments.records(), scenario.horizon.start_at,
            float(timetable_days(prepared)), costs)


def test_optimal_assignment_vs_design_without_candidates(benchmark, bench_size):
    """``assign="optimal"`` on the peak-month demand with every candidate service left out,
    against ``sr.design`` of the same (nothing to open); and its gap at full size."""
    full = bench_size == "full"
    net, shipments, start, days, costs = _peak_month(1)
    scheduled = net.model_copy(update={"services": tuple(s for s in net.services
                                                         if not s.optional)})
    if not full:
        shipments = shipments[:150]
    params = sr.SolverParams(time_limit_s=120.0 if full else 20.0)
    problem = sr.prepare(scheduled, shipments, start=start, days=days, costs=costs)
    t0 = time.perf_counter()
    plan = sr.route(problem, objective="generalized", assign="optimal", params=params)
    optimal_s = time.perf_counter() - t0
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    t0 = time.perf_counter()
    design = sr.design(scheduled, shipments, start=start, days=days, costs=costs,
                       params=params)
    design_s = time.perf_counter() - t0
    solve = plan.solve
    assert solve is not None and solve.bound <= solve.objective + 1e-6
    assert plan.capacity == "respect"
    benchmark.extra_info.update(
        shipments=len(shipments), optimal_s=optimal_s, design_s=design_s,
        optimal_usd=solve.objective, optimal_bound_usd=solve.bound, optimal_gap=solve.gap,
        design_usd=design.objective, design_gap=design.gap,
        speedup_over_design=design_s / optimal_s,
        binding_capacities=0 if plan.shadow_prices is None else len(plan.shadow_prices))
    print(f"\noptimal assignment, {len(shipments):,} peak-month shipments, scheduled services "
          f"only: {solve.objective:,.0f} USD (bound {solve.bound:,.0f}, gap {solve.gap:.2%}, "
          f"{solve.status}) in {optimal_s:.1f} s; sr.design of the same: "
          f"{design.objective:,.0f} USD (gap {design.gap:.2%}) in {design_s:.1f} s "
          f"({design_s / optimal_s:.1f}x; the same machinery, so no 5x is to be had)")


def test_optimal_assignment_gap(benchmark, bench_size):
    """``assign="optimal"`` on the e-commerce mix (10,000 shipments at full size) with the
    departures' capacities scaled by :data:`CAPACITY_FACTOR`: gap within 120 s (goal <= 1 %)."""
    full = bench_size == "full"
    n = 10_000 if full else 200
    net = sr.load_network("four_roads")
    for service in net.services:
        net = set_service_capacity(net, service.id, factor=CAPACITY_FACTOR)
    shipments = ecommerce_shipments(n, START, seed=11)
    problem = sr.prepare(net, shipments, start=START, days=DAYS)
    params = sr.SolverParams(time_limit_s=120.0 if full else 20.0)
    plan = benchmark.pedantic(sr.route, args=(problem,), kwargs={
        "objective": "cheapest", "assign": "optimal", "params": params}, rounds=1, iterations=1)
    solve = plan.solve
    assert solve is not None and solve.bound <= solve.objective + 1e-6
    benchmark.extra_info.update(shipments=n, objective_usd=solve.objective,
                                bound_usd=solve.bound, gap=solve.gap, status=solve.status,
                                wall_time_s=solve.wall_time_s)
    print(f"\noptimal assignment, {n:,} shipments, capacities x {CAPACITY_FACTOR}: "
          f"{solve.objective:,.0f} USD, bound {solve.bound:,.0f}, gap {solve.gap:.2%} "
          f"({solve.status}) in {solve.wall_time_s:.1f} s (goal: gap <= 1 % within 120 s)")


def test_design_at_five_times_the_peak_month(benchmark, bench_size):
    """``sr.design`` on the peak-month scenario at 5x its demand (9,000 shipments; small size:
    its first 300): gap within 300 s (goal <= 1 %)."""
    full = bench_size == "full"
    net, shipments, start, days, costs = _peak_month(5 if full else 1)
    if not full:
        shipments = shipments[:300]
    params = sr.SolverParams(time_limit_s=300.0 if full else 20.0, mip_gap=0.01)
    design = benchmark.pedantic(sr.design, args=(net, shipments), kwargs={
        "start": start, "days": days, "costs": costs, "params": params}, rounds=1, iterations=1)
    assert design.bound <= design.objective + 1e-6
    benchmark.extra_info.update(shipments=len(shipments), objective_usd=design.objective,
                                bound_usd=design.bound, gap=design.gap,
                                status=str(design.status), wall_time_s=design.wall_time_s,
                                departures_opened=len(design.departures))
    print(f"\nsr.design, {len(shipments):,} peak-month shipments: {design.objective:,.0f} USD, "
          f"bound {design.bound:,.0f}, gap {design.gap:.2%} ({design.status}) in "
          f"{design.wall_time_s:.1f} s, {len(design.departures)} departures opened "
          f"(goal: gap <= 1 % within 300 s)")

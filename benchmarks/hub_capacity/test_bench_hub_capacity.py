"""Hub-capacity options on the bundled network: timings and results for planners.

Every variant of ``scenarios/hub_capacity_options.yaml`` is one benchmark case: the scenario
and that option compared (``sr.compare``), timed, with the KPIs of both and the differences in
the case's ``extra_info``. A sweep of the same scenario measures throughput (runs per minute)
with 1 and 2 local worker processes.

    pytest benchmarks/hub_capacity --bench-size=full --benchmark-enable --benchmark-json=out.json

Small size (the default run): fast mode (a 60-shipment subsample). Full size: all 840
shipments. See README.md here for reading the JSON and adding an option.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

import silkroad_routing as sr
from silkroad_routing.comparison.rows import display
from silkroad_routing.scenario.load import read_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "hub_capacity_options.yaml"
OPTIONS = [v.name for v in read_scenario(SCENARIO).scenario.variants]
#: Sweep for throughput: CGO capacity x Monte-Carlo samples (small size: the first 2 runs).
SWEEP_GRID = {"edits.hubs.CGO.capacity_factor": [1.0, 1.25, 1.5]}
SWEEP_SAMPLES = 8

_throughput: dict[int, float] = {}


def _plain(value: Any) -> Any:
    """JSON-ready: NaN as None, NumPy and pandas numbers as Python ones."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    number = float(value)
    return None if math.isnan(number) else number


@pytest.mark.parametrize("option", OPTIONS)
def test_hub_capacity_option(benchmark: Any, bench_size: str, option: str) -> None:
    full = bench_size == "full"
    result = benchmark.pedantic(sr.compare, args=(SCENARIO, [option]), kwargs={"fast": not full},
                                rounds=3 if full else 1, iterations=1)
    base, row = result.row("base"), result.row(option)
    assert base["status"] == "ok" and row["status"] == "ok", (base["error"], row["error"])
    diffs = result.differences.set_index("indicator")
    benchmark.extra_info.update(
        scenario=result.scenario.name, option=option,
        description=str(row["description"]), shipments=int(row["shipments"]),
        base={c: _plain(base[c]) for c in result.indicators},
        value={c: _plain(row[c]) for c in result.indicators},
        difference={c: _plain(diffs.at[c, "difference"]) for c in result.indicators},
        difference_pct={c: _plain(diffs.at[c, "difference_pct"]) for c in result.indicators},
    )
    print(f"\n{option} ({row['shipments']} shipments):")
    for column in ("total_cost_usd", "transit_days_mean", "transit_days_p95", "on_time_share",
                   "co2e_t", "hub.CGO.utilisation_peak"):
        label, unit, spec, scale = display(column)
        print(f"  {label}: {base[column] * scale:{spec}} -> {row[column] * scale:{spec}} {unit}")


@pytest.mark.parametrize("workers", [1, 2])
def test_sweep_throughput(benchmark: Any, bench_size: str, workers: int) -> None:
    full = bench_size == "full"
    grid = SWEEP_GRID if full else {k: v[:1] for k, v in SWEEP_GRID.items()}
    samples = SWEEP_SAMPLES if full else 2
    result = benchmark.pedantic(sr.sweep, args=(SCENARIO, grid),
                                kwargs={"samples": samples, "workers": workers, "fast": not full},
                                rounds=1, iterations=1)
    assert (result.table["status"] == "ok").all(), result.failed["error"].tolist()
    _throughput[workers] = result.runs_per_minute
    benchmark.extra_info.update(
        runs=len(result.table), workers=workers, seconds=result.seconds,
        runs_per_minute=result.runs_per_minute,
        shipments_per_run=int(result.table["shipments"].iloc[0]))
    if workers > 1 and 1 in _throughput:
        benchmark.extra_info["speedup_vs_1_worker"] = result.runs_per_minute / _throughput[1]
    print(f"\nsweep: {len(result.table)} runs on {result.executor} in {result.seconds:.1f} s "
          f"({result.runs_per_minute:.1f} runs per minute, pool start-up included)")

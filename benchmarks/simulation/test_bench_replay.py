"""Reliability replay benchmark on the bundled four-roads network, 8-week timetable.

A cheapest plan for Zhengzhou exports to Europe (10,000 shipments at full size) replayed under
the Brest–Małaszewicze queue, rail and air running-time factors and cancellations: the Numba
kernel (``core.replay.replay``, all samples) against the same kernel run as plain Python
(``replay_python``, on the first samples only: its time per sample is what is compared, the
work being the same for every sample). Goal: at least 50x, and the full 1,000 samples under
60 s. Asserts that both give the same arrivals. The same is timed with rebooking within
capacity (space left on each departure after the plan's loads; reported, not asserted). Full size:
``pytest benchmarks/simulation --bench-size=full --benchmark-enable -s``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import numpy as np

import silkroad_routing as sr
from silkroad_routing.core.replay import ReplayDraws, replay, replay_python
from silkroad_routing.scenario.schema import Uncertainty
from silkroad_routing.simulation.simulate import draw_replay, replay_arrays, replay_capacity
from silkroad_routing.units import TIME_TOLERANCE_H

START = datetime(2026, 12, 7, tzinfo=UTC)
DAYS = 56
ORIGINS = ("CNCGO", "CGO")
DESTINATIONS = ("DEHAM", "DEDUI", "DEMUC", "BELGG", "ITMIL", "HUBUD", "PLWAW", "LGG", "FRA", "LUX")
UNCERTAINTY = Uncertainty.model_validate({
    "hubs": {"BRE-MAL": {"extra_dwell_h": {"distribution": "triangular", "low": 0.0,
                                           "mode": 48.0, "high": 384.0}}},
    "modes": {
        "rail": {"duration_factor": {"distribution": "lognormal", "median": 1.0, "sigma": 0.15},
                 "cancel_probability": 0.02},
        "air": {"duration_factor": {"distribution": "lognormal", "median": 1.0, "sigma": 0.05},
                "cancel_probability": 0.03},
    },
})


def export_shipments(n: int, seed: int) -> list[sr.Shipment]:
    """``n`` seeded shipments from Zhengzhou to Europe, ready over the first four weeks."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        ready = START + timedelta(hours=float(rng.uniform(0.0, 28 * 24)))
        out.append(sr.Shipment(
            id=f"x{i}", origin=ORIGINS[int(rng.integers(len(ORIGINS)))],
            destination=DESTINATIONS[int(rng.integers(len(DESTINATIONS)))], ready=ready,
            due=ready + timedelta(days=float(rng.uniform(4.0, 25.0))),
            weight_kg=float(rng.uniform(200.0, 9000.0)), volume_m3=float(rng.uniform(1.0, 30.0)),
            units_feu=1))
    return out


def _first(draws: ReplayDraws, k: int) -> ReplayDraws:
    return ReplayDraws(*(np.ascontiguousarray(a[:k]) for a in draws))


def test_replay_numba_vs_python(benchmark, bench_size):
    full = bench_size == "full"
    n, samples, python_samples = (10_000, 1_000, 3) if full else (300, 20, 2)
    problem = sr.prepare(sr.load_network("four_roads"), export_shipments(n, seed=16),
                         start=START, days=DAYS)
    plan = sr.route(problem, objective="cheapest", capacity="ignore")
    arrays, rows, _ = replay_arrays(problem, plan.selected())
    t0 = time.perf_counter()
    draws = draw_replay(problem, UNCERTAINTY, samples, seed=1)
    draw_s = time.perf_counter() - t0
    replay(arrays, _first(draws, 1), TIME_TOLERANCE_H)  # compile / load the cache

    t0 = time.perf_counter()
    out = replay(arrays, draws, TIME_TOLERANCE_H)
    numba_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    reference = replay_python(arrays, _first(draws, python_samples), TIME_TOLERANCE_H)
    python_s = time.perf_counter() - t0
    np.testing.assert_array_equal(reference.arrival_h, out.arrival_h[:python_samples])
    np.testing.assert_array_equal(reference.extra_cost_usd, replay(
        arrays, _first(draws, python_samples), TIME_TOLERANCE_H).extra_cost_usd)

    space = replay_capacity(problem, arrays, rows)
    replay(arrays, _first(draws, 1), TIME_TOLERANCE_H, space)
    t0 = time.perf_counter()
    held = replay(arrays, draws, TIME_TOLERANCE_H, space)
    numba_cap_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    held_reference = replay_python(arrays, _first(draws, python_samples), TIME_TOLERANCE_H, space)
    python_cap_s = time.perf_counter() - t0
    np.testing.assert_array_equal(held_reference.arrival_h, held.arrival_h[:python_samples])
    ratio_cap = (python_cap_s / python_samples) / (numba_cap_s / samples)

    t0 = time.perf_counter()
    result = sr.simulate(problem, plan, UNCERTAINTY, samples, seed=1)
    simulate_s = time.perf_counter() - t0
    np.testing.assert_array_equal(result.arrival_h, out.arrival_h)
    benchmark.pedantic(replay, args=(arrays, _first(draws, 2), TIME_TOLERANCE_H), rounds=1,
                       iterations=1)

    ratio = (python_s / python_samples) / (numba_s / samples)
    routed = int(plan.n_routed)
    benchmark.extra_info.update(shipments=routed, samples=samples, legs=int(arrays.leg_kind.size),
                                numba_s=numba_s, python_s_per_sample=python_s / python_samples,
                                ratio=ratio, draw_s=draw_s, simulate_s=simulate_s,
                                numba_capacity_s=numba_cap_s, ratio_capacity=ratio_cap)
    print(f"\nreplay {routed} shipments ({arrays.leg_kind.size} legs) x {samples} samples: "
          f"numba {numba_s:.2f} s, python {python_s / python_samples:.2f} s per sample "
          f"({python_samples} samples), ratio {ratio:.0f}x (goal >= 50); draws {draw_s:.2f} s; "
          f"sr.simulate end to end {simulate_s:.2f} s (goal < 60); on time "
          f"{result.on_time_share:.3f} (plan {plan.on_time_share:.3f}); within capacity: numba "
          f"{numba_cap_s:.2f} s, ratio {ratio_cap:.0f}x, stranded "
          f"{float(np.isinf(held.arrival_h).mean()):.4f} (without "
          f"{float(np.isinf(out.arrival_h).mean()):.4f})")
    assert routed > 0.9 * n
    if full:
        assert simulate_s < 60.0 and ratio >= 50.0, (simulate_s, ratio)

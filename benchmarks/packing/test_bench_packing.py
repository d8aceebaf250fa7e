"""Packing benchmarks: Numba FFD vs the same algorithm in pure Python; FFD vs CP-SAT.

Full sizes: ``pytest benchmarks/packing --bench-size=full --benchmark-enable -s``.
"""

from __future__ import annotations

import time

import numpy as np
from packing_python_reference import ffd_python

from silkroad_routing.core import first_fit_decreasing
from silkroad_routing.solvers import SolveStatus, solve_packing

FEU_KG, FEU_M3 = 26_620.0, 76.2  # a 40HC (equipment catalog)


def lcl_shipments(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Less-than-container-load shipments: lognormal weight (median 800 kg) and density
    (median 250 kg/m3), cut at one container."""
    rng = np.random.default_rng(seed)
    weight = rng.lognormal(np.log(800.0), 1.0, n)
    volume = weight / rng.lognormal(np.log(250.0), 0.7, n)
    return np.minimum(weight, FEU_KG), np.minimum(volume, FEU_M3)


def test_ffd_numba_vs_pure_python(benchmark, bench_size):
    n = 1_000_000 if bench_size == "full" else 20_000
    w, v = lcl_shipments(n, seed=1)
    first_fit_decreasing(w[:10], v[:10], FEU_KG, FEU_M3)  # compile (or load the cache) first
    packing = benchmark.pedantic(first_fit_decreasing, args=(w, v, FEU_KG, FEU_M3), rounds=1,
                                 iterations=1)
    t0 = time.perf_counter()
    packing = first_fit_decreasing(w, v, FEU_KG, FEU_M3)
    numba_s = time.perf_counter() - t0
    w_list, v_list = w.tolist(), v.tolist()
    t0 = time.perf_counter()
    reference = ffd_python(w_list, v_list, FEU_KG, FEU_M3)  # the whole instance, timed once
    python_s = time.perf_counter() - t0
    assert np.array_equal(packing.item_bin, np.asarray(reference))
    benchmark.extra_info.update(
        items=n, bins=packing.n_bins, lower_bound=packing.lower_bound, gap=packing.gap,
        numba_s=numba_s, python_s=python_s, speedup=python_s / numba_s,
    )
    print(f"\nFFD n={n}: numba {numba_s:.3f} s, pure Python {python_s:.2f} s, "
          f"speed-up {python_s / numba_s:.0f}x; bins {packing.n_bins}, bound "
          f"{packing.lower_bound}, gap {packing.gap:.2%}")


def test_ffd_gap_and_time_vs_cp_sat(benchmark, bench_size):
    full = bench_size == "full"
    n, instances, limit = (200, 5, 60.0) if full else (30, 2, 2.0)
    rows = []
    for seed in range(instances):
        rng = np.random.default_rng(100 + seed)
        # Mid-sized boxes (10-45 % of a unit in each dimension): where FFD can lose bins.
        w = rng.integers(10, 46, n).astype(float)
        v = rng.integers(10, 46, n).astype(float)
        t0 = time.perf_counter()
        ffd = first_fit_decreasing(w, v, 100.0, 100.0)
        ffd_s = time.perf_counter() - t0
        res = solve_packing(w, v, 100.0, 100.0, time_limit_s=limit)
        assert res.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
        rows.append((ffd.n_bins, res.n_bins, res.lower_bound, res.status, ffd_s,
                     res.wall_time_s))
    benchmark.pedantic(first_fit_decreasing, args=(w, v, 100.0, 100.0), rounds=1, iterations=1)
    gaps = [(f - best) / best for f, best, *_ in rows]
    ratio = float(np.mean([cp / max(fs, 1e-9) for *_, fs, cp in rows]))
    benchmark.extra_info.update(items=n, instances=instances, ffd_gap_to_cp_sat=gaps,
                                cp_sat_time_over_ffd_time=ratio, rows=[list(map(str, r))
                                                                       for r in rows])
    print(f"\nFFD vs CP-SAT on {instances} x {n} items:")
    for (f, best, bound, status, fs, cs), gap in zip(rows, gaps, strict=True):
        print(f"  FFD {f} bins ({fs * 1e3:.2f} ms), CP-SAT {best} bins [{status}, bound "
              f"{bound}] ({cs:.2f} s): FFD gap {gap:.1%}")
    print(f"  mean time ratio CP-SAT / FFD: {ratio:.0f}x")

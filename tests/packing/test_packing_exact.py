"""Exact CP-SAT packing against brute force; statuses, bounds, scaling and determinism."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packing_reference import brute_force_bins, check_packing

from silkroad_routing.solvers import ScalingWarning, SolveStatus, solve_packing


def _valid(res, w, v, g, cap_w, cap_v):
    p = res.packing
    check_packing(w, v, g, cap_w, cap_v, p.item_bin, p.bin_group, p.bin_weight_kg,
                  p.bin_volume_m3)


@given(st.lists(st.tuples(st.integers(1, 100), st.integers(0, 60)), min_size=1, max_size=8),
       st.lists(st.integers(0, 1), min_size=8, max_size=8))
@settings(max_examples=60)
def test_cp_sat_optimum_equals_brute_force(items, groups):
    w = np.array([a for a, _ in items], dtype=float)
    v = np.array([b for _, b in items], dtype=float)
    g = np.array(groups[: len(items)])
    cap_w, cap_v = np.array([100.0, 130.0]), np.array([60.0, 70.0])
    opt = sum(brute_force_bins(w[g == k], v[g == k], cap_w[k], cap_v[k]) for k in (0, 1))
    res = solve_packing(w, v, cap_w, cap_v, g, time_limit_s=5.0)
    assert res.status is SolveStatus.OPTIMAL
    assert res.n_bins == opt == res.lower_bound and res.gap == 0.0
    assert res.n_bins <= res.heuristic_bins
    _valid(res, w, v, g, cap_w, cap_v)


def test_cp_sat_closes_gaps_the_bound_leaves_open():
    """Instances where FFD exceeds the L2 bound go through CP-SAT, which matches brute force."""
    rng = np.random.default_rng(4)
    solved_by_model = 0
    for _ in range(40):
        n = 9
        w = rng.integers(20, 70, n).astype(float)
        v = rng.integers(10, 60, n).astype(float)
        res = solve_packing(w, v, 100.0, 100.0, time_limit_s=5.0)
        assert res.status is SolveStatus.OPTIMAL
        assert res.n_bins == brute_force_bins(w, v, 100.0, 100.0)
        _valid(res, w, v, np.zeros(n, int), 100.0, 100.0)
        solved_by_model += res.method == "cp-sat"
    assert solved_by_model >= 5


def test_max_bins_infeasible_is_reported():
    w = np.full(5, 60.0)
    res = solve_packing(w, np.zeros(5), 100.0, 1.0, max_bins=4)
    assert res.status is SolveStatus.INFEASIBLE and res.packing is None
    assert res.lower_bound == 5 and res.gap is None
    ok = solve_packing(w, np.zeros(5), 100.0, 1.0, max_bins=5)
    assert ok.status is SolveStatus.OPTIMAL and ok.n_bins == 5


def test_max_bins_below_ffd_lets_cp_sat_prove_infeasibility():
    # FFD needs 3 bins here (sizes 50 50 40 30 30 -> 50+50, 40+30+30); L2 = 2 = optimum.
    w = np.array([45.0, 45.0, 35.0, 35.0, 20.0, 20.0])
    res = solve_packing(w, np.zeros(6), 100.0, 1.0, max_bins=2, time_limit_s=5.0)
    assert res.status is SolveStatus.OPTIMAL and res.n_bins == 2
    res = solve_packing(np.array([60.0, 60.0, 50.0]), np.zeros(3), 100.0, 1.0, max_bins=2)
    assert res.status is SolveStatus.INFEASIBLE


def test_fractional_sizes_warn_and_stay_valid():
    # FFD needs 3 bins, the optimum is 2 (45+35+20 twice): CP-SAT must run on rounded sizes.
    w = np.array([45.0, 45.0, 35.0, 35.0, 20.0, 20.0]) + 1.7e-7
    v = np.full(6, 0.1234567)
    with pytest.warns(ScalingWarning):
        res = solve_packing(w, v, 100.01, 10.0, time_limit_s=5.0)
    assert not res.scaled_exactly and res.method == "cp-sat"
    assert res.n_bins == 2 == res.lower_bound and res.status is SolveStatus.OPTIMAL
    _valid(res, w, v, np.zeros(6, int), 100.01, 10.0)
    # Sizes rounded up to 45.001 + 35.001 + 20.001 no longer fit 100.001: the rounded model
    # needs 3 bins, and the status says only FEASIBLE against the real-valued bound of 2.
    with pytest.warns(ScalingWarning):
        tight = solve_packing(w, v, 100.001, 10.0, time_limit_s=5.0)
    assert tight.status is SolveStatus.FEASIBLE and tight.lower_bound == 2 < tight.n_bins
    _valid(tight, w, v, np.zeros(6, int), 100.001, 10.0)


def test_exact_sizes_do_not_warn_and_same_input_same_output():
    rng = np.random.default_rng(12)
    w = rng.integers(1, 60, 40) * 0.5
    v = rng.integers(1, 30, 40) * 0.01
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScalingWarning)
        a = solve_packing(w, v, 100.0, 1.0, time_limit_s=5.0)
        b = solve_packing(w, v, 100.0, 1.0, time_limit_s=5.0)
    assert a.scaled_exactly
    assert a.status == b.status and np.array_equal(a.packing.item_bin, b.packing.item_bin)

"""FFD / BFD kernels and the lower bound, checked against brute force and CP-SAT optima."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packing_reference import brute_force_bins, check_packing, l2_direct

from silkroad_routing.core import (
    best_fit_decreasing,
    first_fit_decreasing,
    lower_bound_2d,
    lower_bound_l2,
)
from silkroad_routing.io import load_equipment
from silkroad_routing.model import CargoClass
from silkroad_routing.model.equipment import SegregationRules
from silkroad_routing.solvers import SolveStatus, segregate, solve_packing

HEURISTICS = (first_fit_decreasing, best_fit_decreasing)
CAP = 100


def _check(p, w, v, g, cap_w, cap_v):
    check_packing(w, v, g, cap_w, cap_v, p.item_bin, p.bin_group, p.bin_weight_kg,
                  p.bin_volume_m3)


def _any_fit_pairs(p, cap_w, cap_v):
    """First and best fit open a bin only when the item fits no open bin, so any two bins of a
    group together exceed a capacity in some dimension."""
    cw, cv = np.atleast_1d(cap_w), np.atleast_1d(cap_v)
    for i in range(p.n_bins):
        for j in range(i + 1, p.n_bins):
            if p.bin_group[i] != p.bin_group[j]:
                continue
            gr = p.bin_group[i]
            assert (p.bin_weight_kg[i] + p.bin_weight_kg[j] > cw[gr] * (1 + 1e-12)
                    or p.bin_volume_m3[i] + p.bin_volume_m3[j] > cv[gr] * (1 + 1e-12))


sizes_1d = st.lists(st.integers(1, CAP), min_size=1, max_size=9)


@given(sizes_1d)
@settings(max_examples=150)
def test_1d_heuristics_within_11_9_of_brute_force_optimum(sizes):
    w = np.array(sizes, dtype=float)
    v = np.zeros_like(w)
    opt = brute_force_bins(w, v, CAP, 1.0)
    bound = lower_bound_l2(w, CAP)
    assert bound <= opt
    assert bound == l2_direct(sizes, CAP)
    for heuristic in HEURISTICS:
        p = heuristic(w, v, CAP, 1.0)
        _check(p, w, v, np.zeros(len(w), int), CAP, 1.0)
        _any_fit_pairs(p, CAP, 1.0)
        assert p.n_bins <= 11 / 9 * opt + 6 / 9
        assert p.lower_bound == bound <= p.n_bins


def test_1d_heuristics_within_11_9_of_cp_sat_optimum():
    """Larger instances (30-60 items) against CP-SAT optima (only proven optima count)."""
    rng = np.random.default_rng(7)
    proven = 0
    for _ in range(12):
        n = int(rng.integers(30, 61))
        w = rng.integers(5, 70, n).astype(float)  # item classes that make FFD work
        v = np.zeros(n)
        res = solve_packing(w, v, CAP, 1.0, time_limit_s=5.0)
        if res.status is not SolveStatus.OPTIMAL:
            continue
        proven += 1
        for heuristic in HEURISTICS:
            p = heuristic(w, v, CAP, 1.0)
            assert res.n_bins <= p.n_bins <= 11 / 9 * res.n_bins + 6 / 9
    assert proven >= 10


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 50)), min_size=1, max_size=8),
       st.lists(st.integers(0, 1), min_size=8, max_size=8))
@settings(max_examples=120)
def test_2d_packings_valid_and_bounded_by_optimum(items, groups):
    w = np.array([a for a, _ in items], dtype=float)
    v = np.array([b for _, b in items], dtype=float)
    g = np.array(groups[: len(items)])
    cap_w, cap_v = np.array([100.0, 120.0]), np.array([50.0, 60.0])
    opt = sum(brute_force_bins(w[g == k], v[g == k], cap_w[k], cap_v[k]) for k in (0, 1))
    bound = lower_bound_2d(w, v, cap_w, cap_v, g)
    assert bound <= opt
    for heuristic in HEURISTICS:
        p = heuristic(w, v, cap_w, cap_v, g)
        _check(p, w, v, g, cap_w, cap_v)
        _any_fit_pairs(p, cap_w, cap_v)
        assert bound <= opt <= p.n_bins


def test_2d_reduces_to_1d_when_one_dimension_dominates():
    """With every item weight-dominated the volume never binds: 2-D FFD/BFD = 1-D on weight."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = 200
        w = rng.uniform(0.0, 0.6, n)
        v = w * rng.uniform(0.0, 1.0, n)  # v / 1 <= w / 1
        for heuristic in HEURISTICS:
            two = heuristic(w, v, 1.0, 1.0)
            one = heuristic(w, np.zeros(n), 1.0, 1.0)
            assert np.array_equal(two.item_bin, one.item_bin)


def test_lower_bound_l2_matches_definition_and_continuous_bound():
    rng = np.random.default_rng(11)
    for _ in range(50):
        sizes = rng.integers(1, 101, int(rng.integers(1, 40)))
        bound = lower_bound_l2(sizes.astype(float), 100)
        assert bound == l2_direct(sizes, 100)
        assert bound >= -(-int(sizes.sum()) // 100)


def test_class_rules_segregate_and_put_cold_chain_in_reefers():
    catalog = load_equipment()
    rng = np.random.default_rng(5)
    classes = rng.choice(list(CargoClass), 300)
    g, cap_w, cap_v, units = segregate(classes, catalog.unit("40HC"), catalog.unit("40RF"))
    assert units[SegregationRules().group_of(CargoClass.COLD_CHAIN)].reefer
    w = rng.uniform(100, 6000, 300)
    v = rng.uniform(0.5, 20, 300)
    for heuristic in HEURISTICS:
        p = heuristic(w, v, cap_w, cap_v, g)
        _check(p, w, v, g, cap_w, cap_v)  # one group per bin, capacities of the group's unit
        for b in range(p.n_bins):
            members = classes[p.item_bin == b]
            if CargoClass.DANGEROUS_GOODS in members:
                assert set(members) == {CargoClass.DANGEROUS_GOODS}
            if CargoClass.COLD_CHAIN in members:
                assert set(members) == {CargoClass.COLD_CHAIN}
                assert units[p.bin_group[b]].reefer


def test_same_input_same_output():
    rng = np.random.default_rng(2)
    w, v = rng.uniform(0, 1, 5000), rng.uniform(0, 1, 5000)
    g = rng.integers(0, 3, 5000)
    for heuristic in HEURISTICS:
        a = heuristic(w, v, [1.0, 1.5, 2.0], [1.0, 1.0, 1.0], g)
        b = heuristic(w.copy(), v.copy(), [1.0, 1.5, 2.0], [1.0, 1.0, 1.0], g.copy())
        assert np.array_equal(a.item_bin, b.item_bin) and a.lower_bound == b.lower_bound


def test_bad_input_is_rejected_with_the_item_named():
    with pytest.raises(ValueError, match="item 1 does not fit"):
        first_fit_decreasing(np.array([1.0, 3.0]), np.zeros(2), 2.0, 1.0)
    with pytest.raises(ValueError, match=r"volume_m3\[0\]"):
        best_fit_decreasing(np.array([1.0]), np.array([-1.0]), 2.0, 1.0)
    with pytest.raises(ValueError, match="item_group"):
        first_fit_decreasing(np.ones(2), np.ones(2), 2.0, 2.0, np.array([0, 1]))
    empty = first_fit_decreasing(np.zeros(0), np.zeros(0), 1.0, 1.0)
    assert empty.n_bins == 0 and empty.lower_bound == 0 and empty.gap == 0.0

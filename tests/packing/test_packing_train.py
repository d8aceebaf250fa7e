"""Block-train make-up: a made-up train never exceeds length or weight; optimum vs brute force."""

from __future__ import annotations

import numpy as np
from packing_reference import best_assignment

from silkroad_routing.io import load_equipment
from silkroad_routing.model.equipment import WagonType
from silkroad_routing.solvers import SolveStatus, make_up_train

CATALOG = load_equipment()


def _check_train(res, teu, gross, wagons, max_length_m, loco_m, n_loco, max_trailing_kg):
    """Recompute the train from its wagons and containers, independently of the solver."""
    types = [wagons[t] for t in res.wagon_type]
    length = n_loco * loco_m + sum(w.length_m for w in types)
    assert length <= max_length_m + 1e-9
    assert np.isclose(length, res.train_length_m)
    on = res.container_wagon >= 0
    trailing = sum(w.tare_kg for w in types) + gross[on].sum()
    assert trailing <= max_trailing_kg + 1e-6 and np.isclose(trailing, res.trailing_weight_kg)
    for k, wagon in enumerate(types):
        members = res.container_wagon == k
        assert teu[members].sum() <= wagon.slots_teu
        assert gross[members].sum() <= wagon.payload_kg
        assert members.any(), "a wagon runs empty"
    assert np.isclose(res.loaded_value, teu[on].sum())
    assert res.loaded_value <= res.bound + 1e-9


def _brute_force_teu(teu, gross, wagons, max_len, loco, max_trailing):
    """Most TEU over every assignment of containers to the wagons (or to no wagon)."""

    def feasible(assign):
        assign = np.array(assign)
        used = [k for k in range(len(wagons)) if (assign == k).any()]
        if loco + sum(wagons[k].length_m for k in used) > max_len:
            return False
        if sum(wagons[k].tare_kg for k in used) + gross[assign >= 0].sum() > max_trailing:
            return False
        return all(teu[assign == k].sum() <= wagons[k].slots_teu
                   and gross[assign == k].sum() <= wagons[k].payload_kg for k in used)

    return best_assignment(len(teu), len(wagons), feasible,
                           lambda a: float(teu[np.array(a) >= 0].sum()))


def test_random_trains_respect_length_weight_and_slots():
    rng = np.random.default_rng(21)
    for trial in range(6):
        n = int(rng.integers(20, 60))
        teu = rng.integers(1, 3, n)
        gross = np.round(rng.uniform(2000, 30000, n))
        max_length = float(rng.choice([300.0, 500.0, 740.0]))
        max_trailing = float(rng.choice([600_000.0, 1_200_000.0, 2_000_000.0]))
        counts = [12, 6, 6]
        res = make_up_train(teu, gross, CATALOG.wagons, counts, max_length_m=max_length,
                            max_trailing_weight_kg=max_trailing, time_limit_s=5.0)
        assert res.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), trial
        _check_train(res, teu, gross, CATALOG.wagons, max_length, 18.98, 1, max_trailing)
        assert (np.bincount(res.wagon_type, minlength=3) <= counts).all()


def test_small_train_optimum_equals_brute_force():
    wagons = (
        WagonType(code="W80", name="80 ft", length_m=26.0, tare_kg=25000, payload_kg=60000,
                  slots_teu=4, source="made-up"),
        WagonType(code="W40", name="40 ft", length_m=14.0, tare_kg=15000, payload_kg=40000,
                  slots_teu=2, source="made-up"),
    )
    rng = np.random.default_rng(8)
    for _ in range(4):
        n = 6
        teu = rng.integers(1, 3, n)
        gross = np.round(rng.uniform(5000, 30000, n))
        max_len, loco, max_trailing = 60.0, 19.0, 120_000.0
        res = make_up_train(teu, gross, wagons, [1, 1], max_length_m=max_len,
                            locomotive_length_m=loco, max_trailing_weight_kg=max_trailing)
        assert res.status is SolveStatus.OPTIMAL

        best = _brute_force_teu(teu, gross, wagons, max_len, loco, max_trailing)
        assert res.loaded_value == best == res.bound
        _check_train(res, teu, gross, wagons, max_len, loco, 1, max_trailing)


def test_what_does_not_fit_is_reported_and_runs_are_deterministic():
    teu = np.full(40, 2)
    gross = np.full(40, 20000.0)
    a = make_up_train(teu, gross, CATALOG.wagons, [30, 0, 0], max_trailing_weight_kg=2e6)
    b = make_up_train(teu, gross, CATALOG.wagons, [30, 0, 0], max_trailing_weight_kg=2e6)
    # 740 m - 18.98 m locomotive leaves room for 27 wagons of 26.39 m = 54 FEU slots, but the
    # 90 t load limit takes two 20 t FEU per wagon: 27 wagons, 54 slots, 40 boxes -> 20 wagons.
    assert a.status is SolveStatus.OPTIMAL
    assert a.not_loaded.size == 0 and len(a.wagon_type) == 20
    assert np.array_equal(a.container_wagon, b.container_wagon)
    heavy = make_up_train(teu, gross, CATALOG.wagons, [30, 0, 0], max_trailing_weight_kg=5e5)
    # 500 t: k wagons carry 2k boxes at 25.3 + 40 t each: k = 7 -> 457 t, 14 boxes.
    assert heavy.status is SolveStatus.OPTIMAL and heavy.loaded_value == 28
    assert heavy.not_loaded.size == 26

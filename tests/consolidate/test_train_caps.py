"""make_up_train's TEU and container-load caps (added for consolidation) against brute force."""

from __future__ import annotations

import itertools

import consolidation_reference as ref
import numpy as np
import pytest

from silkroad_routing.errors import InputError
from silkroad_routing.io import load_equipment
from silkroad_routing.solvers import make_up_train

WAGON = ref.equipment()["SGGRSS80"]


def _best_teu(teu: np.ndarray, gross: np.ndarray, n_wagons: int, max_length_m: float,
              loco_m: float, max_teu: float, max_load_kg: float) -> int:
    """Most TEU loadable: every assignment of each container to a wagon or to the ground."""
    slots, payload = int(WAGON["slots_teu"]), float(WAGON["payload_kg"])
    length = float(WAGON["length_m"])
    best = 0
    for where in itertools.product(range(-1, n_wagons), repeat=len(teu)):
        on = np.array(where)
        loaded = on >= 0
        if teu[loaded].sum() > max_teu or gross[loaded].sum() > max_load_kg:
            continue
        used = set(on[loaded].tolist())
        if loco_m + length * len(used) > max_length_m:
            continue
        if all(teu[on == w].sum() <= slots and gross[on == w].sum() <= payload for w in used):
            best = max(best, int(teu[loaded].sum()))
    return best


@pytest.mark.parametrize("seed", range(4))
def test_caps_against_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 6
    teu = rng.integers(1, 3, n)
    gross = rng.integers(8_000, 30_000, n).astype(float)
    max_teu = float(rng.integers(3, 9))
    max_load = float(rng.integers(30_000, 120_000))
    max_length = 18.98 + 26.39 * int(rng.integers(1, 4)) + 1.0
    wagon = load_equipment().wagon("SGGRSS80")
    made = make_up_train(teu, gross, [wagon], [3], max_trailing_weight_kg=1e7,
                         max_length_m=max_length, max_teu=max_teu, max_load_kg=max_load)
    expected = _best_teu(teu, gross, 3, max_length, 18.98, max_teu, max_load)
    assert made.status == "optimal"
    assert made.loaded_value == expected
    on = made.container_wagon >= 0
    assert teu[on].sum() <= max_teu and gross[on].sum() <= max_load


def test_caps_are_validated() -> None:
    wagon = load_equipment().wagon("SGGRSS80")
    with pytest.raises(InputError, match="max_teu"):
        make_up_train(np.array([2]), np.array([1000.0]), [wagon], [1],
                      max_trailing_weight_kg=1e6, max_teu=-1)

"""Freighter load: payload and positions never exceeded; optimum vs brute force."""

from __future__ import annotations

import math

import numpy as np
from packing_reference import best_assignment

from silkroad_routing.io import load_equipment
from silkroad_routing.model.equipment import AircraftType
from silkroad_routing.solvers import Position, SolveStatus, load_freighter

CATALOG = load_equipment()
PMC, PAG, AKE = CATALOG.unit("PMC"), CATALOG.unit("PAG"), CATALOG.unit("AKE")


def _check_load(res, types, gross, aircraft):
    pos = res.uld_position
    flown = pos != Position.NONE
    assert gross[flown].sum() <= aircraft.payload_kg + 1e-6
    pallet = np.array([t.code in ("PMC", "PAG") for t in types])
    assert not ((pos == Position.MAIN_DECK) & ~pallet).any()
    assert not ((pos == Position.LOWER_CONTAINER) & pallet).any()
    assert (pos == Position.MAIN_DECK).sum() <= aircraft.main_deck_positions
    lower_pallets = ((pos == Position.LOWER_PALLET) & pallet).sum()
    lower_pairs = math.ceil(((pos == Position.LOWER_PALLET) & ~pallet).sum() / 2)
    assert lower_pallets + lower_pairs <= aircraft.lower_deck_pallet_positions
    assert (pos == Position.LOWER_CONTAINER).sum() <= aircraft.lower_deck_container_positions
    assert np.isclose(res.loaded_kg, gross[flown].sum())
    assert res.loaded_value <= res.bound + 1e-9


def _brute_force_kg(types, gross, aircraft):
    """Most gross kg flown over every assignment of ULDs to position kinds (or the ground)."""
    places = [Position.MAIN_DECK, Position.LOWER_PALLET, Position.LOWER_CONTAINER]

    def feasible(assign):
        pos = np.array([places[a] if a >= 0 else Position.NONE for a in assign])
        fake = type("R", (), {"uld_position": pos, "loaded_kg": gross[pos > 0].sum(),
                              "loaded_value": 0.0, "bound": 0.0})
        try:
            _check_load(fake, types, gross, aircraft)
        except AssertionError:
            return False
        return True

    return best_assignment(len(types), 3, feasible, lambda a: float(gross[np.array(a) >= 0].sum()))


def test_full_size_freighters_respect_payload_and_positions():
    rng = np.random.default_rng(31)
    for aircraft in CATALOG.aircraft:
        types = [PMC] * 45 + [PAG] * 10 + [AKE] * 40
        gross = np.array([rng.uniform(300, t.max_gross_kg) for t in types]).round()
        res = load_freighter(types, gross, aircraft, time_limit_s=5.0)
        assert res.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
        _check_load(res, types, gross, aircraft)
        assert res.not_loaded.size > 0  # more than fits: something stays behind


def test_small_freighter_optimum_equals_brute_force():
    aircraft = AircraftType(code="MINI", name="made-up", payload_kg=12000, main_deck_positions=2,
                            lower_deck_pallet_positions=1, lower_deck_container_positions=1,
                            source="made-up")
    rng = np.random.default_rng(6)
    for _ in range(3):
        types = [PMC, PMC, PAG, AKE, AKE, AKE]
        gross = np.array([rng.uniform(500, t.max_gross_kg) for t in types]).round()
        res = load_freighter(types, gross, aircraft)
        assert res.status is SolveStatus.OPTIMAL
        _check_load(res, types, gross, aircraft)
        best = _brute_force_kg(types, gross, aircraft)
        assert res.loaded_value == best == res.bound

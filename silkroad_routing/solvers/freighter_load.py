"""Freighter load planning (CP-SAT): which built-up ULDs fly, and on which deck.

Each ULD has a type (:class:`~silkroad_routing.model.UnitType` of kind ``uld_pallet`` or
``uld_container``) and a gross weight (cargo plus tare). It may ride:

- on a main-deck position (pallets only, ``main_deck_positions`` of them);
- on a lower-deck pallet position (a pallet, or :data:`LD3_PER_PALLET_POSITION` LD3-base
  containers side by side);
- on a lower-deck container position (LD3-base containers only; containers never ride the
  main deck here);

only on decks its type allows, never above its type's maximum gross, and the ULDs' total gross
stays within the aircraft's payload. The load maximises the value flown (gross kg by default).

Not modelled: centre-of-gravity envelope, per-position and cumulative (compartment) weight
limits, contour heights, bulk hold.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from ortools.sat.python import cp_model

from ..core.packing import FIT_RTOL
from ..errors import InputError
from ..model.equipment import LD3_PER_PALLET_POSITION, AircraftType, Deck, UnitKind, UnitType
from ._scaling import scale_down, scale_up
from .status import SolveStatus, cp_sat_status


class Position(IntEnum):
    """Where a ULD rides; ``NONE`` = not loaded."""

    NONE = 0
    MAIN_DECK = 1
    LOWER_PALLET = 2  # a lower-deck pallet position
    LOWER_CONTAINER = 3  # a lower-deck container position


@dataclass(frozen=True)
class FreighterLoad:
    """A freighter load: the position kind of every ULD and what stays on the ground.

    ``uld_position[u]`` is a :class:`Position` code (int64); ``loaded_kg`` the gross weight flown;
    ``loaded_value`` the objective value and ``bound`` a proven upper bound on it;
    ``main_deck_used``, ``lower_pallet_positions_used`` (pallets plus LD3 pairs) and
    ``lower_container_positions_used`` count the positions taken.
    """

    status: SolveStatus
    uld_position: np.ndarray
    loaded_kg: float
    loaded_value: float
    bound: float
    main_deck_used: int
    lower_pallet_positions_used: int
    lower_container_positions_used: int
    wall_time_s: float
    scaled_exactly: bool

    @property
    def not_loaded(self) -> np.ndarray:
        """Indices of the ULDs left on the ground, int64."""
        return np.flatnonzero(self.uld_position == Position.NONE)

    @property
    def gap(self) -> float:
        """``(bound - loaded_value) / bound`` (0 when the bound is 0)."""
        return (self.bound - self.loaded_value) / self.bound if self.bound \
            else 0.0


def load_freighter(
    uld_types: Sequence[UnitType], uld_gross_kg: np.ndarray, aircraft: AircraftType, *,
    value: np.ndarray | None = None, time_limit_s: float = 10.0,
    weight_resolution_kg: float = 1.0, value_resolution: float = 1.0, threads: int = 1,
    seed: int = 0, log: bool = False,
) -> FreighterLoad:
    """Choose the ULDs a freighter carries and their deck positions (CP-SAT).

    ``uld_types[u]`` is the type of ULD ``u`` and ``uld_gross_kg[u]`` its gross weight (kg);
    ``value`` (default: the gross weight) is maximised, scaled to integers at
    ``value_resolution``. Raises :class:`~silkroad_routing.errors.InputError` for a non-ULD type
    or a ULD above its type's maximum gross. See the module docstring for the rules.
    """
    start = time.perf_counter()
    gross = np.ascontiguousarray(uld_gross_kg, dtype=np.float64)
    n = gross.shape[0]
    if gross.ndim != 1 or len(uld_types) != n:
        raise InputError("must be 1-D with one entry per ULD type given", field="uld_gross_kg",
                         value=gross.shape)
    if n and (not np.all(np.isfinite(gross)) or gross.min() < 0):
        raise InputError("must be finite and non-negative", field="uld_gross_kg")
    for u, kind in enumerate(uld_types):
        if kind.kind not in (UnitKind.ULD_PALLET, UnitKind.ULD_CONTAINER):
            raise InputError(f"ULD {u}: not a ULD type", field="uld_types", value=kind.code)
        if gross[u] > kind.max_gross_kg * (1.0 + FIT_RTOL):
            raise InputError(f"ULD {u} is above the {kind.max_gross_kg} kg maximum gross of a "
                             f"{kind.code}", field="uld_gross_kg", value=float(gross[u]))
    val = gross.copy() if value is None else np.ascontiguousarray(value, dtype=np.float64)
    if val.shape != gross.shape or (n and (not np.all(np.isfinite(val)) or val.min() < 0)):
        raise InputError("must be finite, non-negative, one per ULD", field="value")
    if time_limit_s <= 0:
        raise InputError("must be positive", field="time_limit_s", value=time_limit_s)

    gross_int, ex1 = scale_up(gross, weight_resolution_kg, "ULD gross weights (kg)")
    payload_int, ex2 = scale_down(np.array([aircraft.payload_kg]), weight_resolution_kg,
                                  "aircraft payload (kg)")
    value_int, ex3 = scale_up(val, value_resolution, "ULD values")
    exact = ex1 and ex2 and ex3

    model = cp_model.CpModel()
    choice: dict[tuple[int, Position], cp_model.IntVar] = {}
    for u, kind in enumerate(uld_types):
        allowed = []
        if kind.kind is UnitKind.ULD_PALLET:
            if Deck.MAIN in kind.decks and aircraft.main_deck_positions:
                allowed.append(Position.MAIN_DECK)
            if Deck.LOWER in kind.decks and aircraft.lower_deck_pallet_positions:
                allowed.append(Position.LOWER_PALLET)
        elif Deck.LOWER in kind.decks:
            if aircraft.lower_deck_pallet_positions:
                allowed.append(Position.LOWER_PALLET)
            if aircraft.lower_deck_container_positions:
                allowed.append(Position.LOWER_CONTAINER)
        for pos in allowed:
            choice[u, pos] = model.new_bool_var(f"u{u}_{pos.name}")
        model.add_at_most_one(choice[u, pos] for pos in allowed)
    is_pallet = [kind.kind is UnitKind.ULD_PALLET for kind in uld_types]

    def on(pos: Position, pallets: bool) -> list[cp_model.IntVar]:
        return [var for (u, p), var in choice.items() if p is pos and is_pallet[u] == pallets]

    model.add(sum(on(Position.MAIN_DECK, True)) <= aircraft.main_deck_positions)
    ld3_pairs = model.new_int_var(0, aircraft.lower_deck_pallet_positions, "ld3_pair_positions")
    model.add(LD3_PER_PALLET_POSITION * ld3_pairs >= sum(on(Position.LOWER_PALLET, False)))
    model.add(sum(on(Position.LOWER_PALLET, True)) + ld3_pairs
              <= aircraft.lower_deck_pallet_positions)
    model.add(sum(on(Position.LOWER_CONTAINER, False)) <= aircraft.lower_deck_container_positions)
    model.add(sum(int(gross_int[u]) * var for (u, _), var in choice.items())
              <= int(payload_int[0]))
    model.maximize(sum(int(value_int[u]) * var for (u, _), var in choice.items()))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = int(threads)
    solver.parameters.random_seed = int(seed)
    solver.parameters.log_search_progress = bool(log)
    status = cp_sat_status(solver.solve(model))
    position = np.zeros(n, dtype=np.int64)
    if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        for (u, pos), var in choice.items():
            if solver.value(var):
                position[u] = pos
        bound = min(int(value_int.sum()), int(np.floor(solver.best_objective_bound + 1e-6)))
    else:  # time-out before any solution (flying nothing is always feasible)
        bound = int(value_int.sum())
    flown = position != Position.NONE
    loaded_value = float(val[flown].sum())
    bound = bound * value_resolution if exact else float(val.sum())
    if not exact and status is SolveStatus.OPTIMAL and not flown.all():
        status = SolveStatus.FEASIBLE  # proven only for the rounded model
    lower_ld3 = int(np.sum((position == Position.LOWER_PALLET) & ~np.asarray(is_pallet, bool)))
    return FreighterLoad(
        status, position, float(gross[flown].sum()), loaded_value, float(bound),
        int(np.sum(position == Position.MAIN_DECK)),
        int(np.sum((position == Position.LOWER_PALLET) & np.asarray(is_pallet, bool)))
        + -(-lower_ld3 // LD3_PER_PALLET_POSITION),
        int(np.sum(position == Position.LOWER_CONTAINER)),
        time.perf_counter() - start, exact,
    )

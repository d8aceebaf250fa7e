"""Put the units of one leg-departure on their vehicle: a block train, a freighter or a ship.

- **Rail**: :func:`~silkroad_routing.solvers.make_up_train` loads the containers onto wagons
  within the train length, the service's TEU capacity per departure, the operator's limit on the
  containers' gross mass and (when given) the trailing weight.
- **Air**: :func:`~silkroad_routing.solvers.load_freighter` loads the ULDs (gross = cargo plus
  tare) within the aircraft's positions and a payload of the smaller of the aircraft's and the
  service's ``capacity_kg``.
- **Sea**: the service's TEU capacity per departure, taken by the units in their order (vessel
  stowage is not modelled).
- **Road**: every trailer is its own truck; nothing to check.

Units a vehicle cannot take are *overflow*: reported, never dropped.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..model.equipment import AircraftType, UnitType, WagonType
from ..solvers import Position, ScalingWarning, load_freighter, make_up_train
from ..solvers.train_makeup import EU_MAX_TRAIN_LENGTH_M

#: China Railway's limit on the container load of a scheduled China-Europe train, kg
#: (sinoeurorailway.com, "How much cargo can a single container of the China-Europe Railway
#: Express carry": at most 1,300 t of container cargo per train). Applied here to the
#: containers' gross mass, which is conservative.
CHINA_EUROPE_MAX_TRAIN_LOAD_KG = 1_300_000.0
#: Position names in the units table.
POSITION_NAMES = {Position.MAIN_DECK: "main deck", Position.LOWER_PALLET: "lower deck pallet",
                  Position.LOWER_CONTAINER: "lower deck container"}
NOT_LOADED = "not loaded"


@dataclass(frozen=True, slots=True)
class TrainLimits:
    """Limits of a block train: ``wagons`` available (each type in the number the train needs),
    ``max_length_m`` (locomotive included), ``max_load_kg`` (containers' gross; None = none),
    ``max_trailing_weight_kg`` (wagons plus containers; None = none)."""

    wagons: tuple[WagonType, ...]
    max_length_m: float = EU_MAX_TRAIN_LENGTH_M
    max_load_kg: float | None = CHINA_EUROPE_MAX_TRAIN_LOAD_KG
    max_trailing_weight_kg: float | None = None


@dataclass(slots=True)
class CarrierLoad:
    """What the vehicle of one leg-departure took.

    ``position[u]`` names where unit ``u`` rides (``wagon 3``, ``main deck``, ...; empty when
    nothing was checked, :data:`NOT_LOADED` for overflow); ``overflow[u]`` marks units left
    behind. Train: ``wagons``, ``train_length_m``, ``trailing_weight_kg``. Aircraft:
    ``main_deck_positions``, ``lower_pallet_positions``, ``lower_container_positions``,
    ``payload_limit_kg``. ``status`` is the solver's status (empty when no solver ran);
    ``scaled_exactly`` False when CP-SAT's integer scaling rounded a value.
    """

    position: list[str]
    overflow: np.ndarray
    status: str = ""
    scaled_exactly: bool = True
    extra: dict[str, float] = field(default_factory=dict)


def unchecked(n_units: int) -> CarrierLoad:
    """No vehicle check (road: one truck per trailer)."""
    return CarrierLoad([""] * n_units, np.zeros(n_units, dtype=bool))


def load_train(
    units: Sequence[UnitType], gross_kg: np.ndarray, capacity_teu: float | None,
    limits: TrainLimits, *, time_limit_s: float, seed: int,
    cache: dict[tuple, CarrierLoad] | None = None,
) -> CarrierLoad:
    """Make up the block train of one rail leg-departure (see the module docstring).

    ``units`` are containers with their ``gross_kg`` (cargo plus tare); ``capacity_teu`` is the
    service's capacity per departure (None = unlimited). Identical inputs are answered from
    ``cache`` (consecutive legs of a train usually carry the same containers).
    """
    teu = np.array([u.teu or 0 for u in units], dtype=np.int64)
    if teu.size and teu.min() < 1:
        bad = next(u for u in units if not u.teu)
        raise ValueError(f"unit type {bad.code} is not a container: it cannot ride a train")
    key = (capacity_teu, tuple(teu.tolist()), tuple(np.round(gross_kg, 6).tolist()))
    if cache is not None and key in cache:
        hit = cache[key]
        return CarrierLoad(list(hit.position), hit.overflow.copy(), hit.status,
                           hit.scaled_exactly, dict(hit.extra))
    n = teu.shape[0]
    # Any two containers fit one wagon (<= 4 TEU slots, <= 90 t): ceil(n / 2) of each type is
    # always enough.
    count = [math.ceil(n / 2)] * len(limits.wagons)
    trailing = limits.max_trailing_weight_kg
    if trailing is None:  # no limit: one that cannot bind, even after integer rounding
        trailing = 2.0 * (float(gross_kg.sum()) + sum(
            w.tare_kg * c for w, c in zip(limits.wagons, count, strict=True))) + 1000.0
    with warnings.catch_warnings():  # the result says whether scaling was exact
        warnings.simplefilter("ignore", ScalingWarning)
        made = make_up_train(teu, gross_kg, limits.wagons, count,
                             max_trailing_weight_kg=trailing, max_length_m=limits.max_length_m,
                             max_teu=capacity_teu, max_load_kg=limits.max_load_kg,
                             time_limit_s=time_limit_s, seed=seed)
    wagon = made.container_wagon
    load = CarrierLoad(
        [f"wagon {w + 1}" if w >= 0 else NOT_LOADED for w in wagon.tolist()], wagon < 0,
        str(made.status), made.scaled_exactly,
        {"wagons": float(made.wagon_type.shape[0]), "train_length_m": made.train_length_m,
         "trailing_weight_kg": made.trailing_weight_kg})
    if cache is not None:
        cache[key] = load
    return CarrierLoad(list(load.position), load.overflow.copy(), load.status,
                       load.scaled_exactly, dict(load.extra))


def load_aircraft(
    units: Sequence[UnitType], gross_kg: np.ndarray, aircraft: AircraftType,
    capacity_kg: float | None, *, time_limit_s: float, seed: int,
) -> CarrierLoad:
    """Load the ULDs of one flight leg-departure onto ``aircraft``, with the payload capped at
    the service's ``capacity_kg`` (None = the aircraft's)."""
    payload = aircraft.payload_kg if capacity_kg is None else min(aircraft.payload_kg, capacity_kg)
    plane = aircraft.model_copy(update={"payload_kg": payload})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScalingWarning)
        loaded = load_freighter(list(units), gross_kg, plane, time_limit_s=time_limit_s,
                                seed=seed)
    where = loaded.uld_position
    return CarrierLoad(
        [POSITION_NAMES.get(Position(p), NOT_LOADED) for p in where.tolist()],
        where == Position.NONE, str(loaded.status), loaded.scaled_exactly,
        {"main_deck_positions": float(loaded.main_deck_used),
         "lower_pallet_positions": float(loaded.lower_pallet_positions_used),
         "lower_container_positions": float(loaded.lower_container_positions_used),
         "payload_limit_kg": float(payload)})


def load_ship(units: Sequence[UnitType], capacity_teu: float | None) -> CarrierLoad:
    """Units of one sailing leg within the service's TEU capacity, taken in unit order (a unit
    that does not fit is overflow; later ones may still fit)."""
    if capacity_teu is None:
        return unchecked(len(units))
    over = np.zeros(len(units), dtype=bool)
    taken = 0.0
    for u, unit in enumerate(units):  # first come, first served: a later, smaller box may fit
        if taken + (unit.teu or 0) > capacity_teu + 1e-9:
            over[u] = True
        else:
            taken += unit.teu or 0
    return CarrierLoad([NOT_LOADED if o else "" for o in over.tolist()], over)

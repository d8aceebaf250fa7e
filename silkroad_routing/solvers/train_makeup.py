"""Block-train make-up (CP-SAT): containers onto wagons within train length and weight.

Given containers (TEU or FEU, gross kg) and a fleet of wagon types (how many of each are at the
terminal), choose the wagons to run and the wagon of each container:

- a wagon's containers fit its loading length in TEU slots (an 80-foot wagon: two FEU, four TEU
  or one FEU and two TEU) and its payload;
- the train's length (locomotives plus the used wagons' length over buffers) is at most
  ``max_length_m`` (740 m on the EU TEN-T core network by default);
- the trailing weight (used wagons' tare plus the containers' gross; locomotives excluded) is at
  most ``max_trailing_weight_kg`` (it depends on the route and the locomotive: no default);
- optionally, the loaded containers take at most ``max_teu`` TEU (a service's capacity per
  departure) and weigh at most ``max_load_kg`` gross in all (an operator's limit on the
  containers' mass, such as China Railway's 1,300 t for a China–Europe train);
- maximise the value loaded (TEU by default, so an FEU counts two), then use as few wagons as
  possible. Containers that do not fit are reported.

Not modelled: per-platform and per-bogie load limits of articulated wagons (a heavy pair of TEU
on one platform), wagon order in the train (brake weight, heavy wagons forward), 45-foot boxes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
from ortools.sat.python import cp_model

from ..errors import InputError
from ..model.equipment import WagonType
from ._scaling import scale_down, scale_up
from .status import SolveStatus, cp_sat_status

#: EU TEN-T core network standard train length, m (shared/DATA.md, source ``eu_tent``).
EU_MAX_TRAIN_LENGTH_M = 740.0
#: Length over buffers of a Siemens Vectron, m (source ``wiki_vectron`` in the equipment sources).
VECTRON_LENGTH_M = 18.98


@dataclass(frozen=True)
class TrainMakeup:
    """A block train: which wagon carries which container, and what was left behind.

    ``container_wagon[c]`` is the wagon of container ``c`` (index into ``wagon_type``), or -1 if
    it is not loaded; ``wagon_type[k]`` is the index (into the ``wagons`` argument) of the k-th
    wagon of the train; ``wagon_teu`` and ``wagon_gross_kg`` are its load (TEU slots used, gross
    kg of its containers). ``train_length_m`` includes the locomotives; ``trailing_weight_kg`` is
    wagon tare plus container gross. ``loaded_value`` is the objective's value (TEU by default)
    and ``bound`` a proven upper bound on it; ``not_loaded`` lists the containers left.
    """

    status: SolveStatus
    container_wagon: np.ndarray
    wagon_type: np.ndarray
    wagon_teu: np.ndarray
    wagon_gross_kg: np.ndarray
    train_length_m: float
    trailing_weight_kg: float
    loaded_value: float
    bound: float
    wall_time_s: float
    scaled_exactly: bool

    @property
    def not_loaded(self) -> np.ndarray:
        """Indices of the containers that are not on the train, int64."""
        return np.flatnonzero(self.container_wagon < 0)

    @property
    def gap(self) -> float:
        """``(bound - loaded_value) / bound`` (0 when the bound is 0)."""
        return (self.bound - self.loaded_value) / self.bound if self.bound \
            else 0.0


def make_up_train(
    container_teu: np.ndarray, container_gross_kg: np.ndarray, wagons: Sequence[WagonType],
    wagon_count: Sequence[int], *, max_trailing_weight_kg: float,
    max_length_m: float = EU_MAX_TRAIN_LENGTH_M, locomotive_length_m: float = VECTRON_LENGTH_M,
    n_locomotives: int = 1, max_teu: float | None = None, max_load_kg: float | None = None,
    value: np.ndarray | None = None, time_limit_s: float = 10.0,
    weight_resolution_kg: float = 1.0, length_resolution_m: float = 0.01,
    value_resolution: float = 1.0, threads: int = 1, seed: int = 0, log: bool = False,
) -> TrainMakeup:
    """Load containers onto a block train (CP-SAT); see the module docstring for the model.

    ``container_teu`` int[n] (1 = 20-foot, 2 = 40-foot), ``container_gross_kg`` float[n] (kg);
    ``wagons`` the wagon types available and ``wagon_count`` how many of each. Lengths in m,
    weights in kg; ``max_teu`` and ``max_load_kg`` (None = no limit) cap the TEU and the gross kg
    of the containers loaded. ``value`` (float[n], default ``container_teu``) is what is
    maximised, scaled to integers at ``value_resolution``. Raises
    :class:`~silkroad_routing.errors.InputError` on bad input, naming the argument.
    """
    start = time.perf_counter()
    teu, gross, val = _checked(container_teu, container_gross_kg, value, wagons, wagon_count)
    for name, number, positive in (
        ("n_locomotives", n_locomotives, False), ("locomotive_length_m", locomotive_length_m, False),
        ("max_length_m", max_length_m, True), ("max_trailing_weight_kg", max_trailing_weight_kg, True),
        ("time_limit_s", time_limit_s, True), ("max_teu", max_teu, False),
        ("max_load_kg", max_load_kg, False),
    ):
        if number is not None and not (number > 0 or (number == 0 and not positive)):
            raise InputError("must be positive" if positive else "must be non-negative",
                             field=name, value=number)
    # One entry per physical wagon, grouped by type.
    fleet = np.repeat(np.arange(len(wagons), dtype=np.int64), np.asarray(wagon_count, np.int64))
    weight_res, length_res = weight_resolution_kg, length_resolution_m
    scaled = _Scaled(
        *scale_up(gross, weight_res, "container gross weights (kg)"),
        *scale_up(np.array([wagons[t].tare_kg for t in fleet]), weight_res, "wagon tares (kg)"),
        *scale_down(np.array([wagons[t].payload_kg for t in fleet]), weight_res,
                    "wagon payloads (kg)"),
        *scale_up(np.array([wagons[t].length_m for t in fleet]), length_res, "wagon lengths (m)"),
        *scale_down(np.array([max_length_m - n_locomotives * locomotive_length_m]), length_res,
                    "train length for wagons (m)"),
        *scale_down(np.array([max_trailing_weight_kg]), weight_res, "maximum trailing weight (kg)"),
        *scale_up(val, value_resolution, "container values"),
        *(scale_down(np.array([max_load_kg]), weight_res, "maximum container load (kg)")
          if max_load_kg is not None else (None, True)),
    )
    slots = np.array([wagons[t].slots_teu for t in fleet], dtype=np.int64)
    train = _model(teu, slots, fleet, scaled, max_teu)
    solver, status = _solve(train, time_limit_s, threads, seed, log, start)
    if solver is None:
        # Loading nothing is always feasible, so this is a time-out before any solution.
        empty = np.full(teu.shape[0], -1, dtype=np.int64)
        return TrainMakeup(status, empty, np.empty(0, np.int64), np.empty(0, np.int64),
                           np.empty(0), n_locomotives * locomotive_length_m, 0.0, 0.0,
                           int(scaled.value.sum()) * value_resolution,
                           time.perf_counter() - start, scaled.exact)
    bound_int = min(int(scaled.value.sum()), train.bound_int)

    # The train as solved: wagons in use, renumbered in fleet order, and their loads.
    wagon_of = np.full(teu.shape[0], -1, dtype=np.int64)
    for (c, k), var in train.x.items():
        if solver.value(var):
            wagon_of[c] = k
    run = [k for k in range(fleet.shape[0]) if solver.value(train.used[k])]
    position = np.full(fleet.shape[0], -1, dtype=np.int64)
    position[run] = np.arange(len(run))
    container_wagon = np.where(wagon_of >= 0, position[np.maximum(wagon_of, 0)], -1)
    on = container_wagon >= 0
    wagon_teu = np.bincount(container_wagon[on], weights=teu[on], minlength=len(run)).astype(np.int64)
    wagon_gross = np.bincount(container_wagon[on], weights=gross[on], minlength=len(run))
    wagon_type = fleet[run]
    length = n_locomotives * locomotive_length_m + sum(wagons[t].length_m for t in wagon_type)
    trailing = sum(wagons[t].tare_kg for t in wagon_type) + float(wagon_gross.sum())
    loaded_value = float(val[on].sum())
    bound = bound_int * value_resolution if scaled.exact else float(val.sum())
    if not scaled.exact:  # optimal only if nothing is left behind, whatever the rounding
        status = SolveStatus.OPTIMAL if loaded_value >= float(val.sum()) else SolveStatus.FEASIBLE
    return TrainMakeup(status, container_wagon, wagon_type, wagon_teu, wagon_gross,
                       float(length), float(trailing), loaded_value, float(bound),
                       time.perf_counter() - start, scaled.exact)


def _checked(container_teu: np.ndarray, container_gross_kg: np.ndarray, value: np.ndarray | None,
             wagons: Sequence[WagonType], wagon_count: Sequence[int],
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The containers' TEU (int64), gross kg and values (float64), checked."""
    teu = np.ascontiguousarray(container_teu, dtype=np.int64)
    gross = np.ascontiguousarray(container_gross_kg, dtype=np.float64)
    n = teu.shape[0]
    if teu.ndim != 1 or gross.shape != teu.shape:
        raise InputError("must be 1-D, as long as container_teu", field="container_gross_kg",
                         value=gross.shape)
    if n and (teu.min() < 1 or teu.max() > 2):
        raise InputError("must be 1 (20-foot) or 2 (40-foot)", field="container_teu",
                         value=int(teu[(teu < 1) | (teu > 2)][0]))
    if n and (not np.all(np.isfinite(gross)) or gross.min() < 0):
        raise InputError("must be finite and non-negative", field="container_gross_kg")
    val = teu.astype(np.float64) if value is None else np.ascontiguousarray(value, np.float64)
    if val.shape != teu.shape or (n and (not np.all(np.isfinite(val)) or val.min() < 0)):
        raise InputError("must be finite, non-negative, one per container", field="value")
    if len(wagons) != len(wagon_count) or any(c < 0 for c in wagon_count):
        raise InputError("must give a non-negative count for each wagon type", field="wagon_count",
                         value=list(wagon_count))
    return teu, gross, val


@dataclass(frozen=True)
class _Scaled:
    """The model's integers (see :mod:`._scaling`), each with whether it was scaled exactly."""

    gross: np.ndarray
    gross_exact: bool
    tare: np.ndarray
    tare_exact: bool
    payload: np.ndarray
    payload_exact: bool
    length: np.ndarray
    length_exact: bool
    room: np.ndarray
    room_exact: bool
    trailing: np.ndarray
    trailing_exact: bool
    value: np.ndarray
    value_exact: bool
    load: np.ndarray | None
    load_exact: bool

    @property
    def exact(self) -> bool:
        """Whether every value was a whole multiple of its resolution."""
        return all(getattr(self, f.name) for f in fields(self) if f.name.endswith("_exact"))


@dataclass
class _Train:
    """The CP-SAT model and its variables: ``used[k]`` wagon ``k`` runs, ``x[c, k]`` container
    ``c`` rides wagon ``k`` (only where it fits), ``loaded[c]`` it rides some wagon."""

    model: cp_model.CpModel
    used: list[cp_model.IntVar]
    x: dict[tuple[int, int], cp_model.IntVar]
    loaded: list[cp_model.IntVar]
    value: cp_model.LinearExpr
    bound_int: int = 0


def _model(teu: np.ndarray, slots: np.ndarray, fleet: np.ndarray, sc: _Scaled,
           max_teu: float | None) -> _Train:
    n, m = teu.shape[0], fleet.shape[0]
    model = cp_model.CpModel()
    used = [model.new_bool_var(f"wagon{k}") for k in range(m)]
    x = {(c, k): model.new_bool_var(f"c{c}_w{k}") for c in range(n) for k in range(m)
         if teu[c] <= slots[k] and sc.gross[c] <= sc.payload[k]}
    loaded = []
    for c in range(n):
        options = [x[c, k] for k in range(m) if (c, k) in x]
        on = model.new_bool_var(f"loaded{c}")
        model.add(sum(options) == on)
        loaded.append(on)
    for k in range(m):
        on_k = [(c, x[c, k]) for c in range(n) if (c, k) in x]
        model.add(sum(int(teu[c]) * var for c, var in on_k) <= int(slots[k]) * used[k])
        model.add(sum(int(sc.gross[c]) * var for c, var in on_k) <= int(sc.payload[k]) * used[k])
    for k in range(m - 1):  # identical wagons: use them in order, fuller first
        if fleet[k] == fleet[k + 1]:
            model.add(used[k] >= used[k + 1])
            model.add(sum(int(teu[c]) * x[c, k] for c in range(n) if (c, k) in x)
                      >= sum(int(teu[c]) * x[c, k + 1] for c in range(n) if (c, k + 1) in x))
    model.add(sum(int(sc.length[k]) * used[k] for k in range(m)) <= int(sc.room[0]))
    model.add(sum(int(sc.tare[k]) * used[k] for k in range(m))
              + sum(int(sc.gross[c]) * var for (c, _), var in x.items()) <= int(sc.trailing[0]))
    # Implied totals: they tighten the LP relaxation that bounds the value.
    model.add(sum(int(teu[c]) * loaded[c] for c in range(n))
              <= sum(int(slots[k]) * used[k] for k in range(m)))
    model.add(sum(int(sc.gross[c]) * loaded[c] for c in range(n))
              <= sum(int(sc.payload[k]) * used[k] for k in range(m)))
    if max_teu is not None:
        model.add(sum(int(teu[c]) * loaded[c] for c in range(n)) <= int(np.floor(max_teu + 1e-9)))
    if sc.load is not None:
        model.add(sum(int(sc.gross[c]) * loaded[c] for c in range(n)) <= int(sc.load[0]))
    value = sum(int(sc.value[c]) * loaded[c] for c in range(n))
    return _Train(model, used, x, loaded, value)


def _solve(train: _Train, time_limit_s: float, threads: int, seed: int, log: bool,
           start: float) -> tuple[cp_model.CpSolver | None, SolveStatus]:
    """Lexicographic in two solves: the most value, then the fewest wagons carrying that value.

    The solver holding the solution (None if the first solve found none) and the status; sets
    ``train.bound_int``, the first solve's bound on the value."""
    model = train.model
    model.maximize(train.value)
    solver = _solver(time_limit_s, threads, seed, log)
    status = cp_sat_status(solver.solve(model))
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return None, status
    best_value = round(solver.objective_value)
    train.bound_int = int(np.floor(solver.best_objective_bound + 1e-6))
    remaining = time_limit_s - (time.perf_counter() - start)
    if status is not SolveStatus.OPTIMAL:
        return solver, status
    if remaining <= 0:
        return solver, SolveStatus.FEASIBLE
    for var in (*train.used, *train.x.values()):
        model.add_hint(var, solver.value(var))
    model.add(train.value >= best_value)
    model.minimize(sum(train.used))
    second = _solver(remaining, threads, seed, log)
    second_status = cp_sat_status(second.solve(model))
    if second_status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return second, second_status
    return solver, SolveStatus.FEASIBLE  # the value is optimal, the wagon count unproven


def _solver(time_limit_s: float, threads: int, seed: int, log: bool) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = int(threads)
    solver.parameters.random_seed = int(seed)
    solver.parameters.log_search_progress = bool(log)
    return solver

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
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

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
    of the containers loaded. ``value`` (float[n], default ``container_teu``) is what is maximised, scaled to
    integers at ``value_resolution``. Raises ``ValueError`` on bad input.
    """
    start = time.perf_counter()
    teu = np.ascontiguousarray(container_teu, dtype=np.int64)
    gross = np.ascontiguousarray(container_gross_kg, dtype=np.float64)
    n = teu.shape[0]
    if teu.ndim != 1 or gross.shape != teu.shape:
        raise ValueError("container_teu and container_gross_kg must be 1-D of equal length")
    if n and (teu.min() < 1 or teu.max() > 2):
        raise ValueError("container_teu must be 1 (20-foot) or 2 (40-foot)")
    if n and (not np.all(np.isfinite(gross)) or gross.min() < 0):
        raise ValueError("container_gross_kg must be finite and non-negative")
    val = teu.astype(np.float64) if value is None else np.ascontiguousarray(value, np.float64)
    if val.shape != teu.shape or (n and (not np.all(np.isfinite(val)) or val.min() < 0)):
        raise ValueError("value must be finite, non-negative, one per container")
    if len(wagons) != len(wagon_count) or any(c < 0 for c in wagon_count):
        raise ValueError("wagon_count must give a non-negative count for each wagon type")
    if n_locomotives < 0 or locomotive_length_m < 0 or max_length_m <= 0:
        raise ValueError("locomotive count and lengths must be non-negative, max length positive")
    if max_trailing_weight_kg <= 0 or time_limit_s <= 0:
        raise ValueError("max_trailing_weight_kg and time_limit_s must be positive")
    if (max_teu is not None and not max_teu >= 0) or (max_load_kg is not None
                                                      and not max_load_kg >= 0):
        raise ValueError("max_teu and max_load_kg must be non-negative (None = no limit)")

    # One entry per physical wagon, grouped by type.
    fleet = np.repeat(np.arange(len(wagons), dtype=np.int64), np.asarray(wagon_count, np.int64))
    m = fleet.shape[0]
    gross_int, ex1 = scale_up(gross, weight_resolution_kg, "container gross weights (kg)")
    tare_int, ex2 = scale_up(np.array([wagons[t].tare_kg for t in fleet]), weight_resolution_kg,
                             "wagon tares (kg)")
    payload_int, ex3 = scale_down(np.array([wagons[t].payload_kg for t in fleet]),
                                  weight_resolution_kg, "wagon payloads (kg)")
    length_int, ex4 = scale_up(np.array([wagons[t].length_m for t in fleet]),
                               length_resolution_m, "wagon lengths (m)")
    room_int, ex5 = scale_down(np.array([max_length_m - n_locomotives * locomotive_length_m]),
                               length_resolution_m, "train length for wagons (m)")
    trailing_int, ex6 = scale_down(np.array([max_trailing_weight_kg]), weight_resolution_kg,
                                   "maximum trailing weight (kg)")
    value_int, ex7 = scale_up(val, value_resolution, "container values")
    exact = ex1 and ex2 and ex3 and ex4 and ex5 and ex6 and ex7
    if max_load_kg is not None:
        load_int, ex8 = scale_down(np.array([max_load_kg]), weight_resolution_kg,
                                   "maximum container load (kg)")
        exact = exact and ex8
    slots = np.array([wagons[t].slots_teu for t in fleet], dtype=np.int64)

    model = cp_model.CpModel()
    used = [model.new_bool_var(f"wagon{k}") for k in range(m)]
    x = {(c, k): model.new_bool_var(f"c{c}_w{k}") for c in range(n) for k in range(m)
         if teu[c] <= slots[k] and gross_int[c] <= payload_int[k]}
    loaded = []
    for c in range(n):
        options = [x[c, k] for k in range(m) if (c, k) in x]
        on = model.new_bool_var(f"loaded{c}")
        model.add(sum(options) == on)
        loaded.append(on)
    for k in range(m):
        on_k = [(c, x[c, k]) for c in range(n) if (c, k) in x]
        model.add(sum(int(teu[c]) * var for c, var in on_k) <= int(slots[k]) * used[k])
        model.add(sum(int(gross_int[c]) * var for c, var in on_k) <= int(payload_int[k]) * used[k])
    for k in range(m - 1):  # identical wagons: use them in order, fuller first
        if fleet[k] == fleet[k + 1]:
            model.add(used[k] >= used[k + 1])
            model.add(sum(int(teu[c]) * x[c, k] for c in range(n) if (c, k) in x)
                      >= sum(int(teu[c]) * x[c, k + 1] for c in range(n) if (c, k + 1) in x))
    model.add(sum(int(length_int[k]) * used[k] for k in range(m)) <= int(room_int[0]))
    model.add(sum(int(tare_int[k]) * used[k] for k in range(m))
              + sum(int(gross_int[c]) * var for (c, _), var in x.items()) <= int(trailing_int[0]))
    # Implied totals: they tighten the LP relaxation that bounds the value.
    model.add(sum(int(teu[c]) * loaded[c] for c in range(n))
              <= sum(int(slots[k]) * used[k] for k in range(m)))
    model.add(sum(int(gross_int[c]) * loaded[c] for c in range(n))
              <= sum(int(payload_int[k]) * used[k] for k in range(m)))
    if max_teu is not None:
        model.add(sum(int(teu[c]) * loaded[c] for c in range(n)) <= int(np.floor(max_teu + 1e-9)))
    if max_load_kg is not None:
        model.add(sum(int(gross_int[c]) * loaded[c] for c in range(n)) <= int(load_int[0]))
    value_expr = sum(int(value_int[c]) * loaded[c] for c in range(n))
    total_value_int = int(value_int.sum())

    # Lexicographic in two solves: the most value, then the fewest wagons carrying that value.
    model.maximize(value_expr)
    solver = _solver(time_limit_s, threads, seed, log)
    status = cp_sat_status(solver.solve(model))
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        # Loading nothing is always feasible, so this is a time-out before any solution.
        empty = np.full(n, -1, dtype=np.int64)
        return TrainMakeup(status, empty, np.empty(0, np.int64), np.empty(0, np.int64),
                           np.empty(0), n_locomotives * locomotive_length_m, 0.0, 0.0,
                           total_value_int * value_resolution, time.perf_counter() - start,
                           exact)
    best_value = round(solver.objective_value)
    bound_int = min(total_value_int, int(np.floor(solver.best_objective_bound + 1e-6)))
    value_proven = status is SolveStatus.OPTIMAL
    remaining = time_limit_s - (time.perf_counter() - start)
    if value_proven and remaining > 0:
        for var in (*used, *x.values()):
            model.add_hint(var, solver.value(var))
        model.add(value_expr >= best_value)
        model.minimize(sum(used))
        second = _solver(remaining, threads, seed, log)
        second_status = cp_sat_status(second.solve(model))
        if second_status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            solver, status = second, second_status
        else:
            status = SolveStatus.FEASIBLE  # the value is optimal, the wagon count unproven
    elif value_proven:
        status = SolveStatus.FEASIBLE
    wagon_of = np.full(n, -1, dtype=np.int64)
    for (c, k), var in x.items():
        if solver.value(var):
            wagon_of[c] = k
    run = [k for k in range(m) if solver.value(used[k])]
    position = np.full(m, -1, dtype=np.int64)
    position[run] = np.arange(len(run))
    container_wagon = np.where(wagon_of >= 0, position[np.maximum(wagon_of, 0)], -1)
    n_run = len(run)
    wagon_teu = np.bincount(container_wagon[container_wagon >= 0],
                            weights=teu[container_wagon >= 0], minlength=n_run).astype(np.int64)
    wagon_gross = np.bincount(container_wagon[container_wagon >= 0],
                              weights=gross[container_wagon >= 0], minlength=n_run)
    wagon_type = fleet[run]
    length = n_locomotives * locomotive_length_m + sum(wagons[t].length_m for t in wagon_type)
    trailing = sum(wagons[t].tare_kg for t in wagon_type) + float(wagon_gross.sum())
    loaded_value = float(val[container_wagon >= 0].sum())
    bound = bound_int * value_resolution if exact else float(val.sum())
    if not exact:  # optimal only if nothing is left behind, whatever the rounding
        status = SolveStatus.OPTIMAL if loaded_value >= float(val.sum()) else SolveStatus.FEASIBLE
    return TrainMakeup(status, container_wagon, wagon_type, wagon_teu, wagon_gross,
                       float(length), float(trailing), loaded_value, float(bound),
                       time.perf_counter() - start, exact)


def _solver(time_limit_s: float, threads: int, seed: int, log: bool) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = int(threads)
    solver.parameters.random_seed = int(seed)
    solver.parameters.log_search_progress = bool(log)
    return solver

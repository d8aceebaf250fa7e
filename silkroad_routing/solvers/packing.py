"""Exact two-dimensional bin packing with CP-SAT, warm-started from first fit decreasing.

For small groups (up to about 150 items): it proves how many units a departure really needs and
measures the heuristics' gap. Same inputs as :func:`silkroad_routing.core.first_fit_decreasing`.

Model, per group ``g`` with items in FFD order (``packing_order``) and ``U_g`` candidate bins
(FFD's count, or fewer under ``max_bins``):

- ``x[k, j]`` item ``k`` in bin ``j``, only for ``j <= k`` (symmetry breaking: number the bins by
  their first item in FFD order; any packing can be renumbered so); ``y[j]`` bin ``j`` is used,
  with ``y[j] >= y[j + 1]`` and ``x[k, j] <= y[j]``;
- each item in exactly one bin; weight and volume of each bin within capacity (integers);
- at least the Martello–Toth bound of bins per group; at most ``max_bins`` in all;
- minimise the number of bins. The FFD packing satisfies every constraint and is the hint.

Groups where FFD already meets the lower bound are optimal without a model.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from ortools.sat.python import cp_model

from ..core.packing import (
    Packing,
    check_items,
    first_fit_decreasing,
    lower_bound_2d,
    packing_order,
)
from ..errors import InputError
from ..model import CargoClass
from ..model.equipment import SegregationRules, UnitType
from ._scaling import scale_down, scale_up
from .status import SolveStatus, cp_sat_status


class Segregation(NamedTuple):
    """Packing groups for a list of shipments: the arrays the packers take, and the unit type
    each group is packed into (``units[g]``)."""

    item_group: np.ndarray
    capacity_kg: np.ndarray
    capacity_m3: np.ndarray
    units: tuple[UnitType, ...]


def segregate(
    cargo_classes: Sequence[CargoClass], dry_unit: UnitType, reefer_unit: UnitType,
    rules: SegregationRules | None = None,
) -> Segregation:
    """Map each shipment's cargo class to its packing group and each group to a unit type.

    Groups come from ``rules`` (default :class:`~silkroad_routing.model.SegregationRules`:
    general + e-commerce together, cold chain alone in reefers, dangerous goods alone); groups
    that need a reefer are packed into ``reefer_unit``, the others into ``dry_unit``. The result
    feeds :func:`~silkroad_routing.core.first_fit_decreasing` and :func:`solve_packing`.
    """
    rules = rules or SegregationRules()
    if not reefer_unit.reefer:
        raise InputError("is not a reefer", field="reefer_unit", value=reefer_unit.code)
    units = tuple(reefer_unit if rules.needs_reefer(k) else dry_unit
                  for k in range(len(rules.groups)))
    return Segregation(
        np.array([rules.group_of(c) for c in cargo_classes], dtype=np.int64),
        np.array([u.payload_kg for u in units]), np.array([u.volume_m3 for u in units]), units,
    )


@dataclass(frozen=True)
class PackingResult:
    """An exact (or best found) packing with an honest status, bound and gap.

    ``packing`` is the best packing found (None only when ``status`` is INFEASIBLE or UNKNOWN);
    ``lower_bound`` a proven lower bound on the bins (in the original units: the Martello–Toth
    bound, raised to CP-SAT's bound when scaling was exact; ``max_bins + 1`` when INFEASIBLE);
    ``heuristic_bins`` what FFD used; ``method`` is ``"bound"`` when FFD met the bound and no
    model was solved, else ``"cp-sat"``; ``scaled_exactly`` False when integer scaling rounded
    (see :class:`~silkroad_routing.solvers.ScalingWarning`).
    """

    status: SolveStatus
    packing: Packing | None
    lower_bound: int
    heuristic_bins: int
    method: str
    wall_time_s: float
    scaled_exactly: bool

    @property
    def n_bins(self) -> int | None:
        """Bins used by the returned packing (None without one)."""
        return self.packing.n_bins if self.packing is not None else None

    @property
    def gap(self) -> float | None:
        """``(n_bins - lower_bound) / lower_bound``; None without a packing."""
        if self.packing is None:
            return None
        return (self.packing.n_bins - self.lower_bound) / self.lower_bound if self.lower_bound \
            else 0.0


def solve_packing(
    weight_kg: np.ndarray, volume_m3: np.ndarray, capacity_kg: float | np.ndarray,
    capacity_m3: float | np.ndarray, item_group: np.ndarray | None = None, *,
    max_bins: int | None = None, time_limit_s: float = 10.0,
    weight_resolution_kg: float = 0.001, volume_resolution_m3: float = 1e-6,
    threads: int = 1, seed: int = 0, log: bool = False,
) -> PackingResult:
    """Pack items into as few bins as possible (CP-SAT), per group as in FFD.

    ``weight_kg``, ``volume_m3`` float64[n]; capacities one value or one per group (kg, m3);
    ``item_group`` int64[n] (default all 0). ``max_bins`` caps the total number of bins (then the
    answer may be INFEASIBLE). ``time_limit_s`` is the wall-clock limit; sizes are scaled to
    integers at ``weight_resolution_kg`` and ``volume_resolution_m3`` (rounded conservatively,
    with a :class:`~silkroad_routing.solvers.ScalingWarning` if that loses precision). With
    ``threads=1`` (default) and a solve that ends before the time limit the result is
    deterministic for a given ``seed``. ``log`` prints CP-SAT's search log.
    """
    if time_limit_s <= 0:
        raise InputError("must be positive", field="time_limit_s", value=time_limit_s)
    if max_bins is not None and max_bins < 0:
        raise InputError("must be non-negative", field="max_bins", value=max_bins)
    start = time.perf_counter()
    w, v, g, cap_w, cap_v = check_items(weight_kg, volume_m3, capacity_kg, capacity_m3, item_group)
    ffd = first_fit_decreasing(w, v, cap_w, cap_v, g)
    bound = lower_bound_2d(w, v, cap_w, cap_v, g)
    n_groups = cap_w.shape[0]
    ffd_per_group = ffd.bins_per_group(n_groups)
    ffd_fits = max_bins is None or ffd.n_bins <= max_bins
    if max_bins is not None and bound > max_bins:
        return PackingResult(SolveStatus.INFEASIBLE, None, max_bins + 1, ffd.n_bins, "bound",
                             time.perf_counter() - start, True)
    if ffd.n_bins == bound:
        return PackingResult(SolveStatus.OPTIMAL, ffd, bound, ffd.n_bins, "bound",
                             time.perf_counter() - start, True)

    w_int, exact_w = scale_up(w, weight_resolution_kg, "item weights (kg)")
    v_int, exact_v = scale_up(v, volume_resolution_m3, "item volumes (m3)")
    cw_int, exact_cw = scale_down(cap_w, weight_resolution_kg, "weight capacities (kg)")
    cv_int, exact_cv = scale_down(cap_v, volume_resolution_m3, "volume capacities (m3)")
    exact = exact_w and exact_v and exact_cw and exact_cv
    # An item that fits an empty bin (within the fit tolerance) must still fit after rounding.
    w_int = np.minimum(w_int, cw_int[g])
    v_int = np.minimum(v_int, cv_int[g])

    model = cp_model.CpModel()
    order = packing_order(w, v, g, cap_w, cap_v)
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    used: list[cp_model.IntVar] = []
    bin_group: list[int] = []
    for group in range(n_groups):
        items = order[g[order] == group]
        if items.size == 0:
            continue
        n_bins_g = int(ffd_per_group[group]) if max_bins is None \
            else min(int(ffd_per_group[group]), max_bins)
        first = len(used)
        y = [model.new_bool_var(f"y{group}_{j}") for j in range(n_bins_g)]
        used.extend(y)
        bin_group.extend([group] * n_bins_g)
        for j in range(n_bins_g - 1):
            model.add(y[j] >= y[j + 1])
        load_w: list[list[tuple[int, cp_model.IntVar]]] = [[] for _ in range(n_bins_g)]
        load_v: list[list[tuple[int, cp_model.IntVar]]] = [[] for _ in range(n_bins_g)]
        for k, item in enumerate(items):
            options = []
            for j in range(min(k + 1, n_bins_g)):
                var = model.new_bool_var(f"x{item}_{first + j}")
                x[int(item), first + j] = var
                options.append(var)
                model.add_implication(var, y[j])
                load_w[j].append((int(w_int[item]), var))
                load_v[j].append((int(v_int[item]), var))
            model.add_exactly_one(options)
        for j in range(n_bins_g):
            model.add(sum(c * var for c, var in load_w[j]) <= int(cw_int[group]) * y[j])
            model.add(sum(c * var for c, var in load_v[j]) <= int(cv_int[group]) * y[j])
        model.add(sum(y) >= lower_bound_2d(w[items], v[items], cap_w[group], cap_v[group]))
    if max_bins is not None:
        model.add(sum(used) <= max_bins)
    model.minimize(sum(used))
    if ffd_fits:  # FFD's bins, numbered group after group, are the model's first bins per group
        offset = np.concatenate(([0], np.cumsum(ffd_per_group)))
        model_first = np.concatenate(([0], np.cumsum(np.bincount(bin_group, minlength=n_groups))))
        for (item, b), var in x.items():
            ffd_bin = int(ffd.item_bin[item])
            local = ffd_bin - offset[g[item]]
            model.add_hint(var, int(b == model_first[g[item]] + local))
        for b, var in enumerate(used):
            local = b - model_first[bin_group[b]]
            model.add_hint(var, int(local < ffd_per_group[bin_group[b]]))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = int(threads)
    solver.parameters.random_seed = int(seed)
    solver.parameters.log_search_progress = bool(log)
    status = cp_sat_status(solver.solve(model))

    if status is SolveStatus.INFEASIBLE:
        # Only max_bins can make it infeasible: the FFD packing is a solution otherwise.
        return PackingResult(status, None, (max_bins or 0) + 1, ffd.n_bins, "cp-sat",
                             time.perf_counter() - start, exact)
    if exact and status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        bound = max(bound, int(np.ceil(solver.best_objective_bound - 1e-6)))
    if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        item_bin_model = np.empty(w.shape[0], dtype=np.int64)
        for (item, b), var in x.items():
            if solver.value(var):
                item_bin_model[item] = b
        packing = _renumber(item_bin_model, np.asarray(bin_group, dtype=np.int64), w, v, bound)
        if packing.n_bins > ffd.n_bins and ffd_fits:  # never worse than the warm start
            packing = ffd._replace(lower_bound=bound)
    elif ffd_fits:  # stopped without a solution: FFD is still a valid packing
        packing = ffd._replace(lower_bound=bound)
    else:
        return PackingResult(SolveStatus.UNKNOWN, None, bound, ffd.n_bins, "cp-sat",
                             time.perf_counter() - start, exact)
    proven = packing.n_bins == bound
    return PackingResult(SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE, packing, bound,
                         ffd.n_bins, "cp-sat", time.perf_counter() - start, exact)


def _renumber(item_bin: np.ndarray, bin_group: np.ndarray, w: np.ndarray, v: np.ndarray,
              bound: int) -> Packing:
    """Drop unused model bins; number the rest group after group in model order."""
    used = np.unique(item_bin)  # sorted model bins, already grouped by group
    new_index = np.full(bin_group.shape[0], -1, dtype=np.int64)
    new_index[used] = np.arange(used.shape[0])
    item_new = new_index[item_bin]
    n = used.shape[0]
    return Packing(
        item_new, bin_group[used].copy(),
        np.bincount(item_new, weights=w, minlength=n).astype(np.float64),
        np.bincount(item_new, weights=v, minlength=n).astype(np.float64),
        bound,
    )


"""Batch timetable routing: many label searches in one compiled loop, journeys written out.

A *query* is one origin, ready time, mode set and shipment size (quantity vector and weight);
its *targets* are (destination hub, deadline, value of time) triples, one per shipment that
shares the query. One multi-criteria search per query (with target pruning for all its
targets) serves them all; each target then gets the options its selection rule picks:

* ``SELECT_MIN_COST``: the cheapest label by the deadline (ties: earliest);
* ``SELECT_MIN_CO2``: the lowest CO2e by the deadline (ties: cheapest, then earliest; use
  ``n_criteria=3``);
* ``SELECT_GENERALIZED``: minimum ``cost + value_of_time * (time - ready)`` (ties: earliest);
* ``SELECT_ALL``: the Pareto set by the deadline, earliest first.

Because target pruning never changes a label that can still reach a target in time
undominated, each target gets exactly what a query with that target alone returns.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from .._buffers import grow_1d, grow_2d
from .arrays import TimetableArrays, timetable_arrays
from .capacity import NO_CAPACITY, CapacityArrays, check_capacity
from .labels import (
    DEFAULT_MAX_LABELS,
    F_CO2,
    F_COST,
    F_TIME,
    SELECT_ALL,
    SELECT_GENERALIZED,
    SELECT_MIN_CO2,
    SELECT_MIN_COST,
    label_journey_fill,
    label_journey_length,
    mc_reset,
    mc_search_kernel,
    new_workspace,
    target_front,
)


class BatchJourneys(NamedTuple):
    """Options found by :func:`route_batch`, and their legs.

    Per option: ``target`` (index into the targets), ``time_h`` (freight available at the
    destination), ``cost_usd`` (label cost: money plus the CO2 price if one was given),
    ``co2e_kg``, ``leg_ptr`` (legs of option ``i`` are ``leg_ptr[i]:leg_ptr[i + 1]``). Per leg:
    ``leg_kind`` (``KIND_CONNECTION`` / ``KIND_LINK``), ``leg_ref`` (connection or link index),
    ``leg_dep_h``, ``leg_arr_h`` (vehicle times). Per query: ``overflow`` (label cap hit: the
    options of its targets may be incomplete).
    """

    target: NDArray[np.int64]
    time_h: NDArray[np.float64]
    cost_usd: NDArray[np.float64]
    co2e_kg: NDArray[np.float64]
    leg_ptr: NDArray[np.int64]
    leg_kind: NDArray[np.int64]
    leg_ref: NDArray[np.int64]
    leg_dep_h: NDArray[np.float64]
    leg_arr_h: NDArray[np.float64]
    overflow: NDArray[np.bool_]


@njit(cache=True)
def _select(labels_f: np.ndarray, cand: np.ndarray, select: int, ready_h: float,
            vot: float) -> np.ndarray:
    # ``cand`` is sorted by (time, cost, co2): the first minimum is the earliest among ties.
    if cand.shape[0] == 0 or select == SELECT_ALL:
        return cand
    best = 0
    for i in range(1, cand.shape[0]):
        a, b = cand[i], cand[best]
        if select == SELECT_MIN_COST:
            better = labels_f[a, F_COST] < labels_f[b, F_COST]
        elif select == SELECT_MIN_CO2:
            better = (labels_f[a, F_CO2] < labels_f[b, F_CO2]
                      or (labels_f[a, F_CO2] == labels_f[b, F_CO2]
                          and labels_f[a, F_COST] < labels_f[b, F_COST]))
        else:
            better = (labels_f[a, F_COST] + vot * (labels_f[a, F_TIME] - ready_h)
                      < labels_f[b, F_COST] + vot * (labels_f[b, F_TIME] - ready_h))
        if better:
            best = i
    return cand[best:best + 1]


@njit(cache=True)
def route_batch_kernel(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, conn_rate: np.ndarray, conn_co2: np.ndarray,
    conn_next: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, link_rate: np.ndarray,
    link_co2: np.ndarray, hub_dwell_h: np.ndarray, transfer_allowed: np.ndarray,
    transfer_h: np.ndarray, transfer_rate: np.ndarray,
    origin: np.ndarray, ready_h: np.ndarray, mode_mask: np.ndarray, q: np.ndarray,
    weight_kg: np.ndarray, target_ptr: np.ndarray, target_hub: np.ndarray,
    target_deadline_h: np.ndarray, target_vot: np.ndarray, select: int, n_criteria: int,
    co2_price_usd_per_kg: float, max_labels: int, cap_conn_left: np.ndarray,
    cap_border_left_teu: np.ndarray, cap_conn_dep_day: np.ndarray, cap_conn_arr_day: np.ndarray,
    cap_day_start_h: np.ndarray, cap_hub_left_t: np.ndarray, cap_hub_gauge: np.ndarray,
    cap_hub_usd_per_t: np.ndarray, use: np.ndarray, head: np.ndarray, trip_head: np.ndarray,
    labels_f: np.ndarray,
    labels_i: np.ndarray, entries_f: np.ndarray, entries_i: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
           np.ndarray, np.ndarray, np.ndarray]:
    """One search per query, options per target; see :class:`BatchJourneys` for the output."""
    n_query = origin.shape[0]
    opt_target = np.empty(64, dtype=np.int64)
    opt_f = np.empty((64, 3), dtype=np.float64)
    leg_ptr = np.zeros(65, dtype=np.int64)
    leg_kind = np.empty(256, dtype=np.int64)
    leg_ref = np.empty(256, dtype=np.int64)
    leg_dep = np.empty(256, dtype=np.float64)
    leg_arr = np.empty(256, dtype=np.float64)
    overflow = np.zeros(n_query, dtype=np.bool_)
    n_opt = 0
    n_leg = 0
    for k in range(n_query):
        lo, hi = target_ptr[k], target_ptr[k + 1]
        targets = target_hub[lo:hi]
        deadlines = target_deadline_h[lo:hi]
        deadline = -np.inf
        for j in range(hi - lo):
            deadline = max(deadline, deadlines[j])
        labels_f, labels_i, entries_f, entries_i, n_labels, n_entries, over = mc_search_kernel(
            conn_from, conn_to, conn_dep_h, conn_arr_h, conn_trip, conn_mode, conn_rate, conn_co2,
            conn_next, link_indptr, link_to, link_duration_h, link_mode, link_rate, link_co2,
            hub_dwell_h, transfer_allowed, transfer_h, transfer_rate, origin[k], ready_h[k],
            mode_mask[k], q[k], weight_kg[k], co2_price_usd_per_kg, deadline, targets, deadlines,
            target_vot[lo:hi], select, n_criteria, max_labels, cap_conn_left, cap_border_left_teu,
            cap_conn_dep_day, cap_conn_arr_day, cap_day_start_h, cap_hub_left_t, cap_hub_gauge,
            cap_hub_usd_per_t, use[k], head, trip_head, labels_f, labels_i, entries_f, entries_i)
        overflow[k] = over
        for j in range(lo, hi):
            cand = target_front(head, labels_f, labels_i, target_hub[j], target_deadline_h[j],
                                n_criteria)
            chosen = _select(labels_f, cand, select, ready_h[k], target_vot[j])
            for lab in chosen:
                n = label_journey_length(conn_next, labels_i, lab)
                if n_opt == opt_target.shape[0]:
                    opt_target = grow_1d(opt_target, n_opt + 1)
                    opt_f = grow_2d(opt_f, opt_f.shape[0] + 1)
                    leg_ptr = grow_1d(leg_ptr, opt_target.shape[0] + 1)
                need = n_leg + n
                leg_kind = grow_1d(leg_kind, need)
                leg_ref = grow_1d(leg_ref, need)
                leg_dep = grow_1d(leg_dep, need)
                leg_arr = grow_1d(leg_arr, need)
                label_journey_fill(conn_dep_h, conn_arr_h, conn_next, link_duration_h,
                                   labels_f, labels_i, lab, leg_kind, leg_ref, leg_dep, leg_arr,
                                   need)
                opt_target[n_opt] = j
                opt_f[n_opt, 0] = labels_f[lab, F_TIME]
                opt_f[n_opt, 1] = labels_f[lab, F_COST]
                opt_f[n_opt, 2] = labels_f[lab, F_CO2]
                n_opt += 1
                n_leg = need
                leg_ptr[n_opt] = n_leg
        mc_reset(conn_trip, head, trip_head, labels_i, n_labels, entries_i, n_entries)
    return (opt_target[:n_opt].copy(), opt_f[:n_opt, 0].copy(), opt_f[:n_opt, 1].copy(),
            opt_f[:n_opt, 2].copy(), leg_ptr[:n_opt + 1].copy(), leg_kind[:n_leg].copy(),
            leg_ref[:n_leg].copy(), leg_dep[:n_leg].copy(), leg_arr[:n_leg].copy(), overflow)


def route_batch(
    tt: TimetableArrays | tuple[np.ndarray, ...], origin: np.ndarray, ready_h: np.ndarray,
    mode_mask: np.ndarray,
    q: np.ndarray, weight_kg: np.ndarray, target_ptr: np.ndarray, target_hub: np.ndarray,
    target_deadline_h: np.ndarray, target_vot: np.ndarray | None = None, *,
    select: int = SELECT_MIN_COST, n_criteria: int = 2, co2_price_usd_per_kg: float = 0.0,
    max_labels: int = DEFAULT_MAX_LABELS,
    capacity: CapacityArrays = NO_CAPACITY, use: np.ndarray | None = None,
) -> BatchJourneys:
    """Route a batch of queries (arrays of length ``n_query``; ``q`` is n_query x n_q) to their
    targets (``target_ptr`` CSR into ``target_hub``, ``target_deadline_h``, ``target_vot`` in
    USD per hour). ``capacity`` is what is left of every capacity
    (:class:`~.capacity.CapacityArrays`) and ``use`` (n_query x 3: kg, TEU, positions) what each
    query's shipment takes: no journey is built that would not fit. Raises ``ValueError`` for
    malformed input."""
    tt = timetable_arrays(tt)
    n_hubs, n_conn, n_q = tt.n_hubs, tt.n_connections, tt.n_quantities
    origin = np.ascontiguousarray(origin, dtype=np.int64)
    n_query = origin.shape[0]
    ready_h = np.ascontiguousarray(ready_h, dtype=np.float64)
    mode_mask = np.ascontiguousarray(mode_mask, dtype=np.int64)
    q = np.ascontiguousarray(q, dtype=np.float64)
    weight_kg = np.ascontiguousarray(weight_kg, dtype=np.float64)
    target_ptr = np.ascontiguousarray(target_ptr, dtype=np.int64)
    target_hub = np.ascontiguousarray(target_hub, dtype=np.int64)
    target_deadline_h = np.ascontiguousarray(target_deadline_h, dtype=np.float64)
    n_target = target_hub.shape[0]
    target_vot = (np.zeros(n_target) if target_vot is None
                  else np.ascontiguousarray(target_vot, dtype=np.float64))
    if (ready_h.shape != (n_query,) or mode_mask.shape != (n_query,)
            or weight_kg.shape != (n_query,) or q.shape != (n_query, n_q)
            or target_ptr.shape != (n_query + 1,)):
        raise ValueError("query arrays must share one length n_query (q: n_query x n_q, "
                         "target_ptr: n_query + 1)")
    if target_deadline_h.shape != (n_target,) or target_vot.shape != (n_target,):
        raise ValueError("target arrays must share one length")
    if n_query and (target_ptr[0] != 0 or target_ptr[-1] != n_target
                    or np.any(np.diff(target_ptr) < 1)):
        raise ValueError("target_ptr must rise from 0 to n_targets, every query with a target")
    if n_query and (origin.min() < 0 or origin.max() >= n_hubs):
        raise ValueError("an origin hub index is out of range")
    if n_target and (target_hub.min() < 0 or target_hub.max() >= n_hubs):
        raise ValueError("a target hub index is out of range")
    if not (np.all(np.isfinite(ready_h)) and np.all((mode_mask > 0) & (mode_mask <= 15))
            and np.all(np.isfinite(q)) and np.all(q >= 0) and np.all(weight_kg >= 0)
            and not np.any(np.isnan(target_deadline_h)) and np.all(target_vot >= 0)):
        raise ValueError("ready times, quantities and weights must be finite and >= 0, mode "
                         "masks non-empty, deadlines not NaN, values of time >= 0")
    if select not in (SELECT_MIN_COST, SELECT_MIN_CO2, SELECT_GENERALIZED, SELECT_ALL):
        raise ValueError(f"unknown selection rule {select}")
    if n_criteria not in (2, 3) or (select == SELECT_MIN_CO2 and n_criteria != 3):
        raise ValueError("n_criteria must be 2 or 3 (3 for SELECT_MIN_CO2)")
    if co2_price_usd_per_kg < 0 or max_labels < 1:
        raise ValueError("co2 price must be >= 0 and max_labels >= 1")
    check_capacity(capacity, n_hubs, n_conn)
    use = (np.zeros((n_query, 3)) if use is None
           else np.ascontiguousarray(use, dtype=np.float64))
    if use.shape != (n_query, 3) or not (np.all(np.isfinite(use)) and np.all(use >= 0)):
        raise ValueError("use must be a finite non-negative n_query x 3 array (kg, TEU, positions)")
    head, trip_head, lf, li, ef, ei = new_workspace(n_hubs, n_conn)
    return BatchJourneys(*route_batch_kernel(
        *tt, origin, ready_h, mode_mask, q, weight_kg, target_ptr, target_hub, target_deadline_h,
        target_vot, select, n_criteria, float(co2_price_usd_per_kg), max_labels, *capacity, use,
        head, trip_head, lf, li, ef, ei))

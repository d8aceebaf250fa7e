"""Multi-criteria connection scan: exact Pareto sets of (arrival, cost[, CO2e]) from one origin.

Labels are (time, cost, CO2e) with provenance; each state (``hub * 5 + arriving mode``) keeps a
bag of mutually non-dominated labels. Connections are scanned in departure order; each trip
carries a bag of on-board entries (cost, CO2e) -- staying aboard is free, and all entries of a
trip share the time -- and every boarding candidate (a label available by the departure minus
the transfer time, plus the handling cost) joins it. Alighting creates labels at the
connection's to-hub (after the hub's dwell); each label that enters a bag is expanded over the
any-time links in time order (a lazy heap), so truck chains are exact. Under capacity, freight
may wait at a hub for a truck on a later day when the hub-day a link needs is full (or, with
priced hub-days, dearer): each link then leaves on the first day with room, and, priced, on each
later day that is strictly cheaper.

``n_criteria = 2`` compares (time, cost); ``3`` compares (time, cost, CO2e). Cost is
``rate @ q + co2_price_usd_per_kg * CO2e`` summed over legs and transfers; CO2e is
``co2e_rate @ q`` per leg (kg CO2e per unit of each quantity: per kg of actual weight, or per
container on a leg counted per TEU). The search is exact; what it returns is:

* cheapest by a deadline: among labels at the target no later than the deadline, the cheapest;
* the Pareto set: every non-dominated label at the target (combined over arriving modes).

Labels later than the query deadline are dropped, and so are labels that, for every target of
the query, are later than its deadline or beaten by a label already there (by the deadline):
dominated for the Pareto set; for a selection rule (cheapest, greenest, generalized; see
``SELECT_*``) worse under that rule, ties going to the label found first (target pruning).
Extensions only add time, cost and CO2e, so no label that the target's answer can come from is
lost, and a query with many targets returns for each what a query with that target alone
returns.
If more than ``max_labels`` labels (or on-board entries) are needed the search stops and reports
overflow: the result is then incomplete, never silently.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from .._buffers import DEFAULT_MAX_LABELS as DEFAULT_MAX_LABELS
from .._buffers import grow_2d
from .._heap import lazy_heap_new, lazy_heap_pop, lazy_heap_push
from .arrays import (
    KIND_CONNECTION,
    KIND_LINK,
    KIND_ORIGIN,
    N_STATES,
    START,
    TimetableArrays,
    check_query,
    dot_row,
    timetable_arrays,
    transfer_cost,
)
from .capacity import NO_CAPACITY, can_handle, can_ride, day_index

# Columns of the label tables (float: time, cost, co2; int: provenance and bag links).
F_TIME, F_COST, F_CO2, F_DEP = 0, 1, 2, 3  # F_DEP: a link label's departure (hours)
#: The capacity use of a search without capacity (never read).
NO_USE = np.zeros(3, dtype=np.float64)
L_STATE, L_KIND, L_REF, L_BOARD, L_PREV, L_NEXT, L_ALIVE = 0, 1, 2, 3, 4, 5, 6
# On-board entries of a trip (float: cost, co2; int: label boarded from, boarding connection).
E_COST, E_CO2 = 0, 1
E_PREV, E_BOARD, E_NEXT = 0, 1, 2

#: What :func:`route_labels_batch` returns per target.
SELECT_MIN_COST: Final[int] = 0  # cheapest by the deadline (ties: earliest)
SELECT_MIN_CO2: Final[int] = 1  # greenest by the deadline (ties: cheapest, then earliest)
SELECT_GENERALIZED: Final[int] = 2  # min cost + value of time x hours (ties: earliest)
SELECT_ALL: Final[int] = 3  # the Pareto set by the deadline, earliest first

_INITIAL_CAPACITY = 256


class LabelSearch(NamedTuple):
    """Result of :func:`pareto_search`: the label tables and per-state bags.

    ``time_h``, ``cost_usd``, ``co2e_kg`` per label; ``state``, ``kind``
    (``KIND_ORIGIN``/``KIND_CONNECTION``/``KIND_LINK``), ``ref`` (connection alighted from, or
    link), ``board`` (connection boarded), ``prev`` (label before this leg), ``alive`` (still
    in its bag); ``head`` (first label of each state's bag, linked by ``next``);
    ``overflow``: the label cap was hit and the result is incomplete.
    """

    labels_f: NDArray[np.float64]
    labels_i: NDArray[np.int64]
    head: NDArray[np.int64]
    n_labels: int
    overflow: bool

    @property
    def time_h(self) -> NDArray[np.float64]:
        """Label times (hours)."""
        return self.labels_f[: self.n_labels, F_TIME]

    @property
    def cost_usd(self) -> NDArray[np.float64]:
        """Label costs (USD, including the CO2 price if one was given)."""
        return self.labels_f[: self.n_labels, F_COST]

    @property
    def co2e_kg(self) -> NDArray[np.float64]:
        """Label CO2e (kg)."""
        return self.labels_f[: self.n_labels, F_CO2]


@njit(cache=True)
def _dominates(t_a: float, c_a: float, e_a: float, t_b: float, c_b: float, e_b: float,
               n_criteria: int) -> bool:
    # Weak dominance: a is no worse than b in every criterion.
    return t_a <= t_b and c_a <= c_b and (n_criteria == 2 or e_a <= e_b)


@njit(cache=True)
def _beats(t_a: float, c_a: float, e_a: float, t_b: float, c_b: float, e_b: float,
           select: int, n_criteria: int, ready_h: float, vot: float) -> bool:
    # Does target label a make every extension of label b pointless under the selection rule?
    # Extensions only add time, cost and CO2e; ties go to the label found first.
    if select == SELECT_MIN_COST:
        return c_a < c_b or (c_a == c_b and t_a <= t_b)
    if select == SELECT_MIN_CO2:
        return e_a < e_b or (e_a == e_b and (c_a < c_b or (c_a == c_b and t_a <= t_b)))
    if select == SELECT_GENERALIZED:
        g_a = c_a + vot * (t_a - ready_h)
        g_b = c_b + vot * (t_b - ready_h)
        return g_a < g_b or (g_a == g_b and t_a <= t_b)
    return _dominates(t_a, c_a, e_a, t_b, c_b, e_b, n_criteria)


@njit(cache=True)
def _useless(head: np.ndarray, labels_f: np.ndarray, labels_i: np.ndarray,
             targets: np.ndarray, target_deadline_h: np.ndarray, target_vot: np.ndarray,
             select: int, ready_h: float, t: float, cost: float, co2: float,
             n_criteria: int) -> bool:
    # True when, for every target, the label is too late or a label there (by the deadline)
    # beats all its extensions under the selection rule.
    if targets.shape[0] == 0:
        return False
    for k in range(targets.shape[0]):
        if t > target_deadline_h[k]:
            continue
        beaten = False
        for m in range(N_STATES):
            lab = head[targets[k] * N_STATES + m]
            while lab >= 0:
                if labels_f[lab, F_TIME] <= target_deadline_h[k] and _beats(
                        labels_f[lab, F_TIME], labels_f[lab, F_COST], labels_f[lab, F_CO2],
                        t, cost, co2, select, n_criteria, ready_h, target_vot[k]):
                    beaten = True
                    break
                lab = labels_i[lab, L_NEXT]
            if beaten:
                break
        if not beaten:
            return False
    return True


@njit(cache=True)
def _bag_admits(head: np.ndarray, labels_f: np.ndarray, labels_i: np.ndarray, s: int, t: float,
                cost: float, co2: float, n_criteria: int) -> bool:
    # Reject a label weakly dominated in its bag, else unlink the labels it dominates.
    lab = head[s]
    while lab >= 0:
        if _dominates(labels_f[lab, F_TIME], labels_f[lab, F_COST], labels_f[lab, F_CO2],
                      t, cost, co2, n_criteria):
            return False
        lab = labels_i[lab, L_NEXT]
    prev = -1
    lab = head[s]
    while lab >= 0:
        nxt = labels_i[lab, L_NEXT]
        if _dominates(t, cost, co2, labels_f[lab, F_TIME], labels_f[lab, F_COST],
                      labels_f[lab, F_CO2], n_criteria):
            labels_i[lab, L_ALIVE] = 0
            if prev < 0:
                head[s] = nxt
            else:
                labels_i[prev, L_NEXT] = nxt
        else:
            prev = lab
        lab = nxt
    return True


@njit(cache=True, inline="always")
def _append_label(
    labels_f: np.ndarray, labels_i: np.ndarray, head: np.ndarray, n_labels: int, state: int,
    time_h: float, cost: float, co2: float, kind: int, ref: int, board: int, prev: int,
    dep_h: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Store label ``n_labels`` (growing the tables when full) at the head of its state's bag;
    returns the tables, which are new arrays when they grew."""
    if n_labels == labels_f.shape[0]:
        labels_f = grow_2d(labels_f, n_labels + 1)
        labels_i = grow_2d(labels_i, n_labels + 1)
    labels_f[n_labels, F_TIME] = time_h
    labels_f[n_labels, F_COST] = cost
    labels_f[n_labels, F_CO2] = co2
    labels_f[n_labels, F_DEP] = dep_h
    labels_i[n_labels, L_STATE] = state
    labels_i[n_labels, L_KIND] = kind
    labels_i[n_labels, L_REF] = ref
    labels_i[n_labels, L_BOARD] = board
    labels_i[n_labels, L_PREV] = prev
    labels_i[n_labels, L_NEXT] = head[state]
    labels_i[n_labels, L_ALIVE] = 1
    head[state] = n_labels
    return labels_f, labels_i


@njit(cache=True)
def mc_search_kernel(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, conn_rate: np.ndarray, conn_co2: np.ndarray,
    conn_next: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, link_rate: np.ndarray,
    link_co2: np.ndarray, hub_dwell_h: np.ndarray, transfer_allowed: np.ndarray,
    transfer_h: np.ndarray, transfer_rate: np.ndarray,
    origin: int, ready_h: float, mode_mask: int, q: np.ndarray, weight_kg: float,
    co2_price_usd_per_kg: float, deadline_h: float, targets: np.ndarray,
    target_deadline_h: np.ndarray, target_vot: np.ndarray, select: int, n_criteria: int,
    max_labels: int, cap_conn_left: np.ndarray, cap_border_left_teu: np.ndarray,
    cap_conn_dep_day: np.ndarray, cap_conn_arr_day: np.ndarray, cap_day_start_h: np.ndarray,
    cap_hub_left_t: np.ndarray, cap_hub_gauge: np.ndarray, cap_hub_usd_per_t: np.ndarray,
    use: np.ndarray, head: np.ndarray,
    trip_head: np.ndarray, labels_f: np.ndarray, labels_i: np.ndarray, entries_f: np.ndarray,
    entries_i: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, int, bool]:
    """One multi-criteria scan on caller-owned workspace (``head`` and ``trip_head`` all -1).
    ``select`` (``SELECT_*``, with ``target_vot`` in USD per hour for the generalized rule)
    decides which target labels prune; ``SELECT_ALL`` keeps complete Pareto sets.

    The ``cap_*`` arrays (a :class:`~.capacity.CapacityArrays`; no days = no capacity) are
    what is left of every capacity, and ``use`` (kg, TEU, positions) what this shipment takes:
    it rides no leg without room for it, and is handled (at its origin, where it leaves a
    vehicle, through a gauge change) at no hub-day without room for its tonnes; with
    ``cap_hub_usd_per_t`` each such handling also costs its hub-day's price per tonne.

    Returns ``(labels_f, labels_i, entries_f, entries_i, n_labels, n_entries, overflow)``; the
    tables may have been reallocated (grown). :func:`mc_reset` restores the workspace.
    """
    n_conn = conn_dep_h.shape[0]
    capacity = cap_day_start_h.shape[0] > 0
    priced = capacity and cap_hub_usd_per_t.shape[0] > 0  # handling priced per hub-day
    tonnes = use[0] / 1000.0
    n_days = cap_day_start_h.shape[0]
    # hub_usd_from[h, d]: the least price per tonne at hub h on day d or later (bounds waiting).
    hub_usd_from = np.zeros((0, 0))
    if priced:
        hub_usd_from = cap_hub_usd_per_t.copy()
        for d in range(n_days - 2, -1, -1):
            for x in range(hub_usd_from.shape[0]):
                hub_usd_from[x, d] = min(hub_usd_from[x, d], hub_usd_from[x, d + 1])
    heap_keys, heap_payloads = lazy_heap_new(64)
    size = 0
    n_labels = 0
    n_entries = 0
    overflow = False

    # The origin label, then alternately: expand new labels over links, scan one connection.
    s0 = origin * N_STATES + START
    labels_f, labels_i = _append_label(labels_f, labels_i, head, 0, s0, ready_h, 0.0, 0.0,
                                       KIND_ORIGIN, -1, -1, -1, ready_h)
    n_labels = 1
    heap_keys, heap_payloads, size = lazy_heap_push(heap_keys, heap_payloads, size, ready_h, 0)
    c = np.searchsorted(conn_dep_h, ready_h) - 1
    while True:
        # Link closure of every label queued so far, in time order.
        while size > 0 and not overflow:
            t, lab, size = lazy_heap_pop(heap_keys, heap_payloads, size)
            if labels_i[lab, L_ALIVE] == 0:
                continue
            s = labels_i[lab, L_STATE]
            h = s // N_STATES
            m = s - h * N_STATES
            for link in range(link_indptr[h], link_indptr[h + 1]):
                ml = link_mode[link]
                if not (mode_mask >> ml) & 1 or not transfer_allowed[h, m, ml]:
                    continue
                v = link_to[link]
                duration = link_duration_h[link]
                t_dep = t + transfer_h[h, m, ml]
                co2_leg = dot_row(link_co2, link, q)
                cost1 = (labels_f[lab, F_COST] + transfer_cost(transfer_rate, h, m, ml, q)
                         + dot_row(link_rate, link, q) + co2_price_usd_per_kg * co2_leg)
                co2_2 = labels_f[lab, F_CO2] + co2_leg
                # Trucks leave any time: where a hub-day the link needs (its arrival, and its
                # departure from the origin) is full -- or, priced, dearer than a later one --
                # the freight waits at the hub for a later day. Without prices the first day
                # with room dominates every later one; with prices, each strictly cheaper day.
                best_usd = np.inf
                while t_dep + duration + hub_dwell_h[v] <= deadline_h and not overflow:
                    d_arr = day_index(cap_day_start_h, t_dep + duration) if capacity else 0
                    d_dep = day_index(cap_day_start_h, t_dep) if capacity and m == START else -1
                    if priced:
                        bound = hub_usd_from[v, d_arr] + (hub_usd_from[h, d_dep] if d_dep >= 0
                                                          else 0.0)
                        if bound * tonnes >= best_usd:
                            break
                    if not capacity or (can_handle(cap_hub_left_t, v, d_arr, use) and (
                            d_dep < 0 or can_handle(cap_hub_left_t, h, d_dep, use))):
                        usd = 0.0
                        if priced:
                            usd = tonnes * cap_hub_usd_per_t[v, d_arr]
                            if d_dep >= 0:
                                usd += tonnes * cap_hub_usd_per_t[h, d_dep]
                        if usd < best_usd:
                            best_usd = usd
                            t2 = t_dep + duration + hub_dwell_h[v]
                            cost2 = cost1 + usd
                            s2 = v * N_STATES + ml
                            if not _useless(head, labels_f, labels_i, targets, target_deadline_h,
                                            target_vot, select, ready_h, t2, cost2, co2_2,
                                            n_criteria) and _bag_admits(
                                    head, labels_f, labels_i, s2, t2, cost2, co2_2, n_criteria):
                                if n_labels == max_labels:
                                    overflow = True
                                    break
                                labels_f, labels_i = _append_label(
                                    labels_f, labels_i, head, n_labels, s2, t2, cost2, co2_2,
                                    KIND_LINK, link, -1, lab, t_dep)
                                heap_keys, heap_payloads, size = lazy_heap_push(
                                    heap_keys, heap_payloads, size, t2, n_labels)
                                n_labels += 1
                        if not priced or best_usd == 0.0:
                            break
                    if not capacity:
                        break
                    # The next departure that changes a hub-day the link needs.
                    t_next = np.inf
                    if d_arr + 1 < n_days:
                        t_next = cap_day_start_h[d_arr + 1] - duration
                    if d_dep >= 0 and d_dep + 1 < n_days:
                        t_next = min(t_next, cap_day_start_h[d_dep + 1])
                    if not t_next > t_dep:
                        break
                    t_dep = t_next
                if overflow:
                    break
        # Skip, in a tight loop, connections no label can board and no trip entry rides.
        c += 1
        while c < n_conn and conn_dep_h[c] <= deadline_h:
            if (mode_mask >> conn_mode[c]) & 1:
                if trip_head[conn_trip[c]] >= 0:
                    break
                base = conn_from[c] * N_STATES
                if (head[base] >= 0 or head[base + 1] >= 0 or head[base + 2] >= 0
                        or head[base + 3] >= 0 or head[base + 4] >= 0):
                    break
            c += 1
        if overflow or c >= n_conn or conn_dep_h[c] > deadline_h:
            break
        mc = conn_mode[c]
        dep = conn_dep_h[c]
        r = conn_trip[c]
        x = conn_from[c]
        if capacity and not can_ride(cap_conn_left, cap_border_left_teu, cap_conn_arr_day,
                                     cap_hub_left_t, cap_hub_gauge, conn_to, c, use):
            trip_head[r] = -1  # nobody aboard may ride on: they alighted before, or not at all
            continue
        # Boarding: every label at the from-hub that makes the transfer in time joins the trip.
        for m in range(N_STATES):
            if not transfer_allowed[x, m, mc]:
                continue
            if m == START and capacity and not can_handle(cap_hub_left_t, x,
                                                          cap_conn_dep_day[c], use):
                continue
            s = x * N_STATES + m
            lab = head[s]
            if lab < 0:
                continue
            latest = dep - transfer_h[x, m, mc]
            handling = transfer_cost(transfer_rate, x, m, mc, q)
            if priced and m == START:
                handling += tonnes * cap_hub_usd_per_t[x, cap_conn_dep_day[c]]
            while lab >= 0:
                if labels_f[lab, F_TIME] <= latest:
                    cost = labels_f[lab, F_COST] + handling
                    co2 = labels_f[lab, F_CO2]
                    admitted = True
                    e = trip_head[r]
                    while e >= 0:
                        if entries_f[e, E_COST] <= cost and (
                                n_criteria == 2 or entries_f[e, E_CO2] <= co2):
                            admitted = False
                            break
                        e = entries_i[e, E_NEXT]
                    if admitted:
                        prev_e = -1
                        e = trip_head[r]
                        while e >= 0:
                            nxt = entries_i[e, E_NEXT]
                            if cost <= entries_f[e, E_COST] and (
                                    n_criteria == 2 or co2 <= entries_f[e, E_CO2]):
                                if prev_e < 0:
                                    trip_head[r] = nxt
                                else:
                                    entries_i[prev_e, E_NEXT] = nxt
                            else:
                                prev_e = e
                            e = nxt
                        if n_entries == max_labels:
                            overflow = True
                            break
                        if n_entries == entries_f.shape[0]:
                            entries_f = grow_2d(entries_f, entries_f.shape[0] + 1)
                            entries_i = grow_2d(entries_i, entries_i.shape[0] + 1)
                        entries_f[n_entries, E_COST] = cost
                        entries_f[n_entries, E_CO2] = co2
                        entries_i[n_entries, E_PREV] = lab
                        entries_i[n_entries, E_BOARD] = c
                        entries_i[n_entries, E_NEXT] = trip_head[r]
                        trip_head[r] = n_entries
                        n_entries += 1
                lab = labels_i[lab, L_NEXT]
            if overflow:
                break
        if overflow:
            break
        if trip_head[r] < 0:
            continue
        # Ride the connection, then alight at its to-hub.
        co2_leg = dot_row(conn_co2, c, q)
        fare = dot_row(conn_rate, c, q) + co2_price_usd_per_kg * co2_leg
        y = conn_to[c]
        s2 = y * N_STATES + mc
        t2 = conn_arr_h[c] + hub_dwell_h[y]
        may_alight = not capacity or can_handle(cap_hub_left_t, y, cap_conn_arr_day[c], use)
        # Handling priced at the arrival's hub-day: for every rider at a gauge change, else
        # for those who leave the vehicle here.
        alight_usd = 0.0
        if priced:
            at_hub = tonnes * cap_hub_usd_per_t[y, cap_conn_arr_day[c]]
            if cap_hub_gauge[y]:
                fare += at_hub
            else:
                alight_usd = at_hub
        e = trip_head[r]
        while e >= 0:
            entries_f[e, E_COST] += fare
            entries_f[e, E_CO2] += co2_leg
            cost2 = entries_f[e, E_COST] + alight_usd
            co2_2 = entries_f[e, E_CO2]
            if (may_alight and t2 <= deadline_h
                    and not _useless(head, labels_f, labels_i, targets, target_deadline_h,
                                     target_vot, select, ready_h, t2, cost2, co2_2, n_criteria)
                    and _bag_admits(head, labels_f, labels_i, s2, t2, cost2, co2_2, n_criteria)):
                if n_labels == max_labels:
                    overflow = True
                    break
                labels_f, labels_i = _append_label(
                    labels_f, labels_i, head, n_labels, s2, t2, cost2, co2_2, KIND_CONNECTION, c,
                    entries_i[e, E_BOARD], entries_i[e, E_PREV], conn_dep_h[entries_i[e, E_BOARD]])
                heap_keys, heap_payloads, size = lazy_heap_push(
                    heap_keys, heap_payloads, size, t2, n_labels)
                n_labels += 1
            e = entries_i[e, E_NEXT]
    return labels_f, labels_i, entries_f, entries_i, n_labels, n_entries, overflow


@njit(cache=True)
def mc_reset(conn_trip: np.ndarray, head: np.ndarray, trip_head: np.ndarray,
             labels_i: np.ndarray, n_labels: int, entries_i: np.ndarray, n_entries: int) -> None:
    """Restore the workspace after :func:`mc_search_kernel` (touch only what it used)."""
    for lab in range(n_labels):
        head[labels_i[lab, L_STATE]] = -1
    for e in range(n_entries):
        trip_head[conn_trip[entries_i[e, E_BOARD]]] = -1


@njit(cache=True)
def target_front(head: np.ndarray, labels_f: np.ndarray, labels_i: np.ndarray, hub: int,
                 deadline_h: float, n_criteria: int) -> np.ndarray:
    """Labels at ``hub`` by ``deadline_h``, non-dominated over all arriving modes, sorted by
    (time, cost, CO2e)."""
    count = 0
    for m in range(N_STATES):
        lab = head[hub * N_STATES + m]
        while lab >= 0:
            count += 1
            lab = labels_i[lab, L_NEXT]
    cand = np.empty(count, dtype=np.int64)
    n = 0
    for m in range(N_STATES):
        lab = head[hub * N_STATES + m]
        while lab >= 0:
            if labels_f[lab, F_TIME] <= deadline_h:
                # Insertion sort by (time, cost, co2, label id): fronts are short.
                j = n
                while j > 0:
                    o = cand[j - 1]
                    if (labels_f[o, F_TIME], labels_f[o, F_COST], labels_f[o, F_CO2], o) < (
                            labels_f[lab, F_TIME], labels_f[lab, F_COST], labels_f[lab, F_CO2],
                            lab):
                        break
                    cand[j] = o
                    j -= 1
                cand[j] = lab
                n += 1
            lab = labels_i[lab, L_NEXT]
    keep = np.empty(n, dtype=np.int64)
    k = 0
    for i in range(n):
        lab = cand[i]
        dominated = False
        for j in range(k):
            o = keep[j]
            if _dominates(labels_f[o, F_TIME], labels_f[o, F_COST], labels_f[o, F_CO2],
                          labels_f[lab, F_TIME], labels_f[lab, F_COST], labels_f[lab, F_CO2],
                          n_criteria):
                dominated = True
                break
        if not dominated:
            keep[k] = lab
            k += 1
    return keep[:k]


@njit(cache=True)
def label_journey_length(conn_next: np.ndarray, labels_i: np.ndarray, lab: int) -> int:
    """Number of legs (connections and links) of the journey ending in label ``lab``."""
    n = 0
    while labels_i[lab, L_KIND] != KIND_ORIGIN:
        if labels_i[lab, L_KIND] == KIND_LINK:
            n += 1
        else:
            c = labels_i[lab, L_BOARD]
            n += 1
            while c != labels_i[lab, L_REF]:
                c = conn_next[c]
                n += 1
        lab = labels_i[lab, L_PREV]
    return n


@njit(cache=True)
def label_journey_fill(conn_dep_h: np.ndarray, conn_arr_h: np.ndarray, conn_next: np.ndarray,
                       link_duration_h: np.ndarray, labels_f: np.ndarray, labels_i: np.ndarray,
                       lab: int, kind: np.ndarray, ref: np.ndarray, dep_h: np.ndarray,
                       arr_h: np.ndarray, end: int) -> None:
    """Write the legs of label ``lab``'s journey into ``[end - length, end)`` of the arrays."""
    i = end
    while labels_i[lab, L_KIND] != KIND_ORIGIN:
        prev = labels_i[lab, L_PREV]
        if labels_i[lab, L_KIND] == KIND_LINK:
            link = labels_i[lab, L_REF]
            dep = labels_f[lab, F_DEP]
            i -= 1
            kind[i] = KIND_LINK
            ref[i] = link
            dep_h[i] = dep
            arr_h[i] = dep + link_duration_h[link]
        else:
            last = labels_i[lab, L_REF]
            n = 1
            c = labels_i[lab, L_BOARD]
            while c != last:
                c = conn_next[c]
                n += 1
            i -= n
            c = labels_i[lab, L_BOARD]
            for j in range(n):
                kind[i + j] = KIND_CONNECTION
                ref[i + j] = c
                dep_h[i + j] = conn_dep_h[c]
                arr_h[i + j] = conn_arr_h[c]
                c = conn_next[c]
        lab = prev


def new_workspace(n_hubs: int, n_conn: int) -> tuple[np.ndarray, ...]:
    """Fresh workspace for :func:`mc_search_kernel`: ``(head, trip_head, labels_f, labels_i,
    entries_f, entries_i)``; the tables grow as needed."""
    return (
        np.full(n_hubs * N_STATES, -1, dtype=np.int64),
        np.full(max(n_conn, 1), -1, dtype=np.int64),
        np.empty((_INITIAL_CAPACITY, 4), dtype=np.float64),
        np.empty((_INITIAL_CAPACITY, 7), dtype=np.int64),
        np.empty((_INITIAL_CAPACITY, 2), dtype=np.float64),
        np.empty((_INITIAL_CAPACITY, 3), dtype=np.int64),
    )


def pareto_search(
    tt: TimetableArrays | tuple[np.ndarray, ...], origin: int, ready_h: float, q: np.ndarray,
    weight_kg: float,
    *, mode_mask: int = 15, deadline_h: float = np.inf, n_criteria: int = 2,
    co2_price_usd_per_kg: float = 0.0, targets: np.ndarray | None = None,
    target_deadline_h: np.ndarray | None = None, max_labels: int = DEFAULT_MAX_LABELS,
) -> LabelSearch:
    """Multi-criteria scan from hub ``origin`` at ``ready_h`` (hours) for a shipment with
    quantity vector ``q`` and actual weight ``weight_kg``.

    ``n_criteria`` 2 = (arrival, cost), 3 = (arrival, cost, CO2e). ``targets`` (hub indices)
    with ``target_deadline_h`` enable target pruning; without them the search is one-to-all.
    Use :func:`front` on the result. Raises ``ValueError`` for bad input.
    """
    tt = timetable_arrays(tt)
    n_hubs, n_conn, n_q = tt.n_hubs, tt.n_connections, tt.n_quantities
    q = np.ascontiguousarray(q, dtype=np.float64)
    check_query(n_hubs, n_q, origin, ready_h, mode_mask, q)
    if n_criteria not in (2, 3):
        raise ValueError(f"n_criteria must be 2 or 3, got {n_criteria}")
    if not (weight_kg >= 0 and co2_price_usd_per_kg >= 0 and max_labels >= 1):
        raise ValueError("weight_kg and co2_price must be >= 0 and max_labels >= 1")
    if np.isnan(deadline_h):
        raise ValueError("deadline_h must not be NaN")
    targets = np.zeros(0, np.int64) if targets is None else np.ascontiguousarray(targets, np.int64)
    if target_deadline_h is None:
        target_deadline_h = np.full(targets.shape[0], deadline_h)
    target_deadline_h = np.ascontiguousarray(target_deadline_h, dtype=np.float64)
    if target_deadline_h.shape != targets.shape or np.any((targets < 0) | (targets >= n_hubs)):
        raise ValueError("targets must be hub indices with one deadline each")
    head, trip_head, lf, li, ef, ei = new_workspace(n_hubs, n_conn)
    lf, li, _, _, n_labels, _, overflow = mc_search_kernel(
        *tt, origin, float(ready_h), mode_mask, q, float(weight_kg), float(co2_price_usd_per_kg),
        float(deadline_h), targets, target_deadline_h, np.zeros(targets.shape[0]), SELECT_ALL,
        n_criteria, max_labels, *NO_CAPACITY, NO_USE, head, trip_head, lf, li, ef, ei)
    return LabelSearch(lf, li, head, n_labels, bool(overflow))


def front(search: LabelSearch, hub: int, deadline_h: float = np.inf,
          n_criteria: int = 2) -> NDArray[np.int64]:
    """Label ids of the Pareto set at ``hub`` by ``deadline_h``, earliest first."""
    return target_front(search.head, search.labels_f, search.labels_i, hub, float(deadline_h),
                        n_criteria)


def label_journey(tt: TimetableArrays, search: LabelSearch, label: int) -> tuple[
        NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Legs of the journey ending in ``label``: ``(kind, ref, dep_h, arr_h)``."""
    n = label_journey_length(tt.conn_next, search.labels_i, label)
    kind = np.empty(n, np.int64)
    ref = np.empty(n, np.int64)
    dep = np.empty(n, np.float64)
    arr = np.empty(n, np.float64)
    label_journey_fill(tt.conn_dep_h, tt.conn_arr_h, tt.conn_next, tt.link_duration_h,
                       search.labels_f, search.labels_i, label, kind, ref, dep, arr, n)
    return kind, ref, dep, arr

"""Earliest arrival, one origin to all hubs: a connection scan with trip flags and link closure.

Connections are scanned once in departure order. A connection is usable when its trip was
boarded earlier (staying aboard is free) or when some arriving state at its from-hub is
available by the departure minus the transfer time of that state to the connection's mode. An
arrival that improves a state starts a small Dijkstra over the any-time links (truck chains),
with the indexed heap of :mod:`~silkroad_routing.core._heap`; labels it sets lie in the future
of the scan, so every state is final before a connection departing from it is scanned
(:class:`TimetableArrays` guarantees every connection takes time).

States are ``hub * 5 + arriving mode`` (see :mod:`~silkroad_routing.core.timetable.arrays`).

:func:`ea_scan_capacity` is the same scan for one shipment on the capacity left
(:mod:`~silkroad_routing.core.timetable.capacity`), and :func:`sequential_earliest_kernel`
books shipments one at a time with it (sequential assignment for ``fastest``).
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

from .._buffers import grow_1d
from .._heap import NOT_QUEUED, indexed_heap_new, indexed_heap_pop, indexed_heap_push
from .arrays import (
    ALL_MODES,
    KIND_CONNECTION,
    KIND_LINK,
    KIND_ORIGIN,
    N_STATES,
    START,
    TimetableArrays,
    check_query,
    timetable_arrays,
)
from .capacity import (
    SHORT_NONE,
    booking_events,
    booking_shortfall,
    booking_take,
    can_handle,
    can_ride,
    day_index,
)

#: Capacity arrays of a scan without capacity (never read).
_NO_DAYS = np.zeros(0)
_NO_HUB_DAYS = np.zeros((0, 0))
_NO_USE = np.zeros(3)


class EarliestArrival(NamedTuple):
    """Result of :func:`earliest_arrival` (arrays per state ``hub * 5 + arriving mode``).

    ``arrival_h``: earliest time freight is available in the state (``inf`` unreachable).
    ``parent_kind`` (``KIND_ORIGIN`` / ``KIND_CONNECTION`` / ``KIND_LINK``, -1 unreached),
    ``parent_ref`` (the connection alighted from, or the link), ``parent_state`` (the state a
    link started from). Per trip: ``trip_board`` (the connection where it was boarded, -1) and
    ``trip_board_state`` (the state boarded from).
    """

    arrival_h: NDArray[np.float64]
    parent_kind: NDArray[np.int64]
    parent_ref: NDArray[np.int64]
    parent_state: NDArray[np.int64]
    trip_board: NDArray[np.int64]
    trip_board_state: NDArray[np.int64]

    def hub_arrival_h(self) -> NDArray[np.float64]:
        """Earliest availability per hub (minimum over arriving modes), hours."""
        hub_h: NDArray[np.float64] = self.arrival_h.reshape(-1, N_STATES).min(axis=1)
        return hub_h


class EarliestArrivalBatch(NamedTuple):
    """Result of :func:`earliest_arrival_batch`: per target ``arrival_h`` (``inf`` if
    unreachable) and its journey's legs ``leg_ptr[j]:leg_ptr[j + 1]`` (``leg_kind``,
    ``leg_ref``, ``leg_dep_h``, ``leg_arr_h`` as in :class:`Journey`)."""

    arrival_h: NDArray[np.float64]
    leg_ptr: NDArray[np.int64]
    leg_kind: NDArray[np.int64]
    leg_ref: NDArray[np.int64]
    leg_dep_h: NDArray[np.float64]
    leg_arr_h: NDArray[np.float64]


class Journey(NamedTuple):
    """Legs of one journey in travel order: ``kind`` (``KIND_CONNECTION`` or ``KIND_LINK``),
    ``ref`` (connection or link index), ``dep_h`` and ``arr_h`` (vehicle times, hours)."""

    kind: NDArray[np.int64]
    ref: NDArray[np.int64]
    dep_h: NDArray[np.float64]
    arr_h: NDArray[np.float64]


@njit(cache=True)
def _link_closure(
    link_indptr: np.ndarray, link_to: np.ndarray, link_duration_h: np.ndarray,
    link_mode: np.ndarray, hub_dwell_h: np.ndarray, transfer_allowed: np.ndarray,
    transfer_h: np.ndarray, state0: int, mode_mask: int, arrival: np.ndarray,
    parent_kind: np.ndarray, parent_ref: np.ndarray, parent_state: np.ndarray,
    heap_keys: np.ndarray, heap_nodes: np.ndarray, pos: np.ndarray, capacity: bool,
    cap_day_start_h: np.ndarray, cap_hub_left_t: np.ndarray, use: np.ndarray,
) -> bool:
    # Dijkstra over any-time links from one improved state; only strict improvements propagate.
    # With ``capacity``, no link arrives at (or, first leg, leaves from) a hub-day without room
    # for ``use``; returns whether such a check refused an arrival that would have improved.
    refused = False
    size = indexed_heap_push(heap_keys, heap_nodes, pos, 0, state0, arrival[state0])
    while size > 0:
        s, t, size = indexed_heap_pop(heap_keys, heap_nodes, pos, size)
        h = s // N_STATES
        m = s - h * N_STATES
        for link in range(link_indptr[h], link_indptr[h + 1]):
            ml = link_mode[link]
            if not (mode_mask >> ml) & 1 or not transfer_allowed[h, m, ml]:
                continue
            v = link_to[link]
            t_dep = t + transfer_h[h, m, ml]
            t2 = t_dep + link_duration_h[link] + hub_dwell_h[v]
            s2 = v * N_STATES + ml
            if t2 < arrival[s2]:
                if capacity and (not can_handle(
                        cap_hub_left_t, v, day_index(cap_day_start_h, t2 - hub_dwell_h[v]), use)
                        or (m == START and not can_handle(
                            cap_hub_left_t, h, day_index(cap_day_start_h, t_dep), use))):
                    refused = True
                    continue
                arrival[s2] = t2
                parent_kind[s2] = KIND_LINK
                parent_ref[s2] = link
                parent_state[s2] = s
                # Inserts, or lowers the key of a queued state (states popped by an earlier
                # closure may be queued again).
                size = indexed_heap_push(heap_keys, heap_nodes, pos, size, s2, t2)
    return refused


@njit(cache=True)
def _best_over_targets(arrival: np.ndarray, targets: np.ndarray) -> float:
    # The scan may stop once no target can improve: the latest of the targets' arrivals.
    if targets.shape[0] == 0:
        return np.inf
    worst = -np.inf
    for k in range(targets.shape[0]):
        best = np.inf
        for m in range(N_STATES):
            best = min(best, arrival[targets[k] * N_STATES + m])
        worst = max(worst, best)
    return worst


@njit(cache=True)
def ea_scan(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, hub_dwell_h: np.ndarray,
    transfer_allowed: np.ndarray, transfer_h: np.ndarray, origin: int, ready_h: float,
    mode_mask: int, targets: np.ndarray, arrival: np.ndarray, parent_kind: np.ndarray,
    parent_ref: np.ndarray, parent_state: np.ndarray, trip_board: np.ndarray,
    trip_board_state: np.ndarray, heap_keys: np.ndarray, heap_nodes: np.ndarray,
    pos: np.ndarray,
) -> None:
    """The scan on caller-owned workspace (as :func:`ea_reset` leaves it). With ``targets``
    (hub indices) it stops once none of them can improve; other hubs then hold upper bounds."""
    n_conn = conn_dep_h.shape[0]
    s0 = origin * N_STATES + START
    arrival[s0] = ready_h
    parent_kind[s0] = KIND_ORIGIN
    _link_closure(link_indptr, link_to, link_duration_h, link_mode, hub_dwell_h,
                  transfer_allowed, transfer_h, s0, mode_mask, arrival, parent_kind, parent_ref,
                  parent_state, heap_keys, heap_nodes, pos, False, _NO_DAYS, _NO_HUB_DAYS, _NO_USE)
    best = _best_over_targets(arrival, targets)
    first = np.searchsorted(conn_dep_h, ready_h)
    for c in range(first, n_conn):
        dep = conn_dep_h[c]
        if dep >= best:
            break
        mc = conn_mode[c]
        if not (mode_mask >> mc) & 1:
            continue
        r = conn_trip[c]
        if trip_board[r] < 0:
            board_state = _board_state(transfer_allowed, transfer_h, _NO_HUB_DAYS, arrival,
                                       conn_from[c], mc, dep, 0, _NO_USE, False)
            if board_state < 0:
                continue
            trip_board[r] = c
            trip_board_state[r] = board_state
        y = conn_to[c]
        s2 = y * N_STATES + mc
        t2 = conn_arr_h[c] + hub_dwell_h[y]
        if t2 < arrival[s2]:
            arrival[s2] = t2
            parent_kind[s2] = KIND_CONNECTION
            parent_ref[s2] = c
            _link_closure(link_indptr, link_to, link_duration_h, link_mode, hub_dwell_h,
                          transfer_allowed, transfer_h, s2, mode_mask, arrival, parent_kind,
                          parent_ref, parent_state, heap_keys, heap_nodes, pos, False,
                          _NO_DAYS, _NO_HUB_DAYS, _NO_USE)
            best = _best_over_targets(arrival, targets)


#: Outcomes of :func:`capacity_earliest_kernel`.
CAPACITY_FOUND: Final[int] = 0
CAPACITY_NONE: Final[int] = 1
CAPACITY_UNSURE: Final[int] = 2


@njit(cache=True, inline="always")
def _board_state(transfer_allowed: np.ndarray, transfer_h: np.ndarray,
                 cap_hub_left_t: np.ndarray, arrival: np.ndarray, x: int, mc: int,
                 dep: float, dep_day: int, use: np.ndarray, check_capacity: bool) -> int:
    # The state at hub x that is ready first for a departure of mode mc at dep (ties: the
    # lowest arriving mode), -1 for none; with check_capacity, from START only if x may
    # handle use on dep_day.
    ready_first = np.inf
    board_state = -1
    for m in range(N_STATES):
        s = x * N_STATES + m
        if transfer_allowed[x, m, mc] and (not check_capacity or m != START
                                           or can_handle(cap_hub_left_t, x, dep_day, use)):
            t = arrival[s] + transfer_h[x, m, mc]
            if t <= dep and t < ready_first:
                ready_first = t
                board_state = s
    return board_state


@njit(cache=True)
def ea_scan_capacity(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, hub_dwell_h: np.ndarray,
    transfer_allowed: np.ndarray, transfer_h: np.ndarray, cap_conn_left: np.ndarray,
    cap_border_left_teu: np.ndarray, cap_conn_dep_day: np.ndarray, cap_conn_arr_day: np.ndarray,
    cap_day_start_h: np.ndarray, cap_hub_left_t: np.ndarray, cap_hub_gauge: np.ndarray,
    use: np.ndarray, origin: int, ready_h: float, mode_mask: int, targets: np.ndarray,
    arrival: np.ndarray, parent_kind: np.ndarray, parent_ref: np.ndarray,
    parent_state: np.ndarray, trip_board: np.ndarray, trip_board_state: np.ndarray,
    trip_riding: np.ndarray, heap_keys: np.ndarray, heap_nodes: np.ndarray, pos: np.ndarray,
) -> bool:
    """:func:`ea_scan` for a shipment taking ``use`` (kg, TEU, positions) on the capacity left
    (the ``cap_*`` arrays of a :class:`~.capacity.CapacityArrays`), by the label search's rules:
    it rides no leg without room, is handled at no hub-day without room (origin, alighting,
    gauge change, link arrival), and a trip it may not ride on must be boarded again.
    ``trip_riding`` (per trip, all False on entry) is left set where the scan rode.

    Returns whether the earliest arrivals may be too late for the label search's: a link
    arrival refused by a hub-day, or a trip to board again after a refused leg (then the scan
    keeps the first boarding and skips the new one). Otherwise every state holds the earliest
    arrival of any route that fits, as each check then depends on the leg alone."""
    n_conn = conn_dep_h.shape[0]
    s0 = origin * N_STATES + START
    arrival[s0] = ready_h
    parent_kind[s0] = KIND_ORIGIN
    unsure = _link_closure(link_indptr, link_to, link_duration_h, link_mode, hub_dwell_h,
                           transfer_allowed, transfer_h, s0, mode_mask, arrival, parent_kind,
                           parent_ref, parent_state, heap_keys, heap_nodes, pos, True,
                           cap_day_start_h, cap_hub_left_t, use)
    best = _best_over_targets(arrival, targets)
    first = np.searchsorted(conn_dep_h, ready_h)
    for c in range(first, n_conn):
        dep = conn_dep_h[c]
        if dep >= best:
            break
        mc = conn_mode[c]
        if not (mode_mask >> mc) & 1:
            continue
        r = conn_trip[c]
        if not can_ride(cap_conn_left, cap_border_left_teu, cap_conn_arr_day, cap_hub_left_t,
                        cap_hub_gauge, conn_to, c, use):
            trip_riding[r] = False
            continue
        if not trip_riding[r]:
            board_state = _board_state(transfer_allowed, transfer_h, cap_hub_left_t, arrival,
                                       conn_from[c], mc, dep, cap_conn_dep_day[c], use, True)
            if board_state < 0:
                continue
            if trip_board[r] >= 0:
                unsure = True  # boarded before a refused leg: journeys read the first boarding
                continue
            trip_board[r] = c
            trip_board_state[r] = board_state
            trip_riding[r] = True
        y = conn_to[c]
        s2 = y * N_STATES + mc
        t2 = conn_arr_h[c] + hub_dwell_h[y]
        if t2 < arrival[s2] and can_handle(cap_hub_left_t, y, cap_conn_arr_day[c], use):
            arrival[s2] = t2
            parent_kind[s2] = KIND_CONNECTION
            parent_ref[s2] = c
            if _link_closure(link_indptr, link_to, link_duration_h, link_mode, hub_dwell_h,
                             transfer_allowed, transfer_h, s2, mode_mask, arrival, parent_kind,
                             parent_ref, parent_state, heap_keys, heap_nodes, pos, True,
                             cap_day_start_h, cap_hub_left_t, use):
                unsure = True
            best = _best_over_targets(arrival, targets)
    return unsure


@njit(cache=True)
def ea_reset(arrival: np.ndarray, parent_kind: np.ndarray, parent_ref: np.ndarray,
             parent_state: np.ndarray, trip_board: np.ndarray, trip_board_state: np.ndarray,
             pos: np.ndarray) -> None:
    """Workspace of :func:`ea_scan` back to "nothing reached"."""
    for s in range(arrival.shape[0]):
        arrival[s] = np.inf
        parent_kind[s] = -1
        parent_ref[s] = -1
        parent_state[s] = -1
        pos[s] = NOT_QUEUED
    for r in range(trip_board.shape[0]):
        trip_board[r] = -1
        trip_board_state[r] = -1


@njit(cache=True)
def _journey_length(conn_trip: np.ndarray, conn_next: np.ndarray, parent_kind: np.ndarray,
                    parent_ref: np.ndarray, parent_state: np.ndarray, trip_board: np.ndarray,
                    trip_board_state: np.ndarray, state: int) -> int:
    n = 0
    s = state
    while parent_kind[s] == KIND_CONNECTION or parent_kind[s] == KIND_LINK:
        if parent_kind[s] == KIND_LINK:
            n += 1
            s = parent_state[s]
        else:
            r = conn_trip[parent_ref[s]]
            c = trip_board[r]
            n += 1
            while c != parent_ref[s]:
                c = conn_next[c]
                n += 1
            s = trip_board_state[r]
    return n


@njit(cache=True)
def _journey_fill(
    conn_dep_h: np.ndarray, conn_arr_h: np.ndarray, conn_trip: np.ndarray,
    conn_next: np.ndarray, link_duration_h: np.ndarray, link_mode: np.ndarray,
    transfer_h: np.ndarray, arrival: np.ndarray, parent_kind: np.ndarray,
    parent_ref: np.ndarray, parent_state: np.ndarray, trip_board: np.ndarray,
    trip_board_state: np.ndarray, state: int, kind: np.ndarray, ref: np.ndarray,
    dep_h: np.ndarray, arr_h: np.ndarray, end: int,
) -> None:
    # Fill the journey's legs back to front into [end - length, end).
    i = end
    s = state
    while parent_kind[s] == KIND_CONNECTION or parent_kind[s] == KIND_LINK:
        if parent_kind[s] == KIND_LINK:
            link = parent_ref[s]
            prev = parent_state[s]
            h = prev // N_STATES
            i -= 1
            kind[i] = KIND_LINK
            ref[i] = link
            dep_h[i] = arrival[prev] + transfer_h[h, prev - h * N_STATES, link_mode[link]]
            arr_h[i] = dep_h[i] + link_duration_h[link]
            s = prev
        else:
            last = parent_ref[s]
            r = conn_trip[last]
            m = 1
            c = trip_board[r]
            while c != last:
                c = conn_next[c]
                m += 1
            i -= m
            c = trip_board[r]
            for k in range(m):
                kind[i + k] = KIND_CONNECTION
                ref[i + k] = c
                dep_h[i + k] = conn_dep_h[c]
                arr_h[i + k] = conn_arr_h[c]
                c = conn_next[c]
            s = trip_board_state[r]


@njit(cache=True)
def _best_state(arrival: np.ndarray, hub: int) -> int:
    # The arriving state reached first at a hub (ties: the lowest mode).
    best = hub * N_STATES
    for m in range(1, N_STATES):
        if arrival[hub * N_STATES + m] < arrival[best]:
            best = hub * N_STATES + m
    return best


@njit(cache=True)
def earliest_arrival_kernel(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, conn_rate: np.ndarray, conn_co2: np.ndarray,
    conn_next: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, link_rate: np.ndarray,
    link_co2: np.ndarray, hub_dwell_h: np.ndarray, transfer_allowed: np.ndarray,
    transfer_h: np.ndarray, transfer_rate: np.ndarray,
    origin: int, ready_h: float, mode_mask: int, targets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One scan from ``origin`` at ``ready_h``; returns the :class:`EarliestArrival` arrays."""
    n_conn = conn_dep_h.shape[0]
    n_states = hub_dwell_h.shape[0] * N_STATES
    arrival = np.empty(n_states)
    parent_kind = np.empty(n_states, dtype=np.int64)
    parent_ref = np.empty(n_states, dtype=np.int64)
    parent_state = np.empty(n_states, dtype=np.int64)
    trip_board = np.empty(max(n_conn, 1), dtype=np.int64)
    trip_board_state = np.empty(max(n_conn, 1), dtype=np.int64)
    heap_keys, heap_nodes, pos = indexed_heap_new(n_states)
    ea_reset(arrival, parent_kind, parent_ref, parent_state, trip_board, trip_board_state, pos)
    ea_scan(conn_from, conn_to, conn_dep_h, conn_arr_h, conn_trip, conn_mode, link_indptr,
            link_to, link_duration_h, link_mode, hub_dwell_h, transfer_allowed, transfer_h,
            origin, ready_h, mode_mask, targets, arrival, parent_kind, parent_ref, parent_state,
            trip_board, trip_board_state, heap_keys, heap_nodes, pos)
    return arrival, parent_kind, parent_ref, parent_state, trip_board, trip_board_state


@njit(cache=True)
def earliest_arrival_journey_kernel(
    conn_dep_h: np.ndarray, conn_arr_h: np.ndarray, conn_trip: np.ndarray,
    conn_next: np.ndarray, link_duration_h: np.ndarray, link_mode: np.ndarray,
    transfer_h: np.ndarray, arrival: np.ndarray, parent_kind: np.ndarray,
    parent_ref: np.ndarray, parent_state: np.ndarray, trip_board: np.ndarray,
    trip_board_state: np.ndarray, state: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Legs of the earliest-arrival journey to ``state`` (kind, ref, dep_h, arr_h)."""
    n = _journey_length(conn_trip, conn_next, parent_kind, parent_ref, parent_state,
                        trip_board, trip_board_state, state)
    kind = np.empty(n, dtype=np.int64)
    ref = np.empty(n, dtype=np.int64)
    dep = np.empty(n, dtype=np.float64)
    arr = np.empty(n, dtype=np.float64)
    _journey_fill(conn_dep_h, conn_arr_h, conn_trip, conn_next, link_duration_h, link_mode,
                  transfer_h, arrival, parent_kind, parent_ref, parent_state, trip_board,
                  trip_board_state, state, kind, ref, dep, arr, n)
    return kind, ref, dep, arr


@njit(cache=True)
def earliest_arrival_batch_kernel(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, conn_rate: np.ndarray, conn_co2: np.ndarray,
    conn_next: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, link_rate: np.ndarray,
    link_co2: np.ndarray, hub_dwell_h: np.ndarray, transfer_allowed: np.ndarray,
    transfer_h: np.ndarray, transfer_rate: np.ndarray,
    origin: np.ndarray, ready_h: np.ndarray, mode_mask: np.ndarray, target_ptr: np.ndarray,
    target_hub: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One scan per query, stopping once its targets are final; per target the arrival and the
    journey (see :class:`EarliestArrivalBatch`)."""
    n_conn = conn_dep_h.shape[0]
    n_states = hub_dwell_h.shape[0] * N_STATES
    n_target = target_hub.shape[0]
    arrival = np.empty(n_states)
    parent_kind = np.empty(n_states, dtype=np.int64)
    parent_ref = np.empty(n_states, dtype=np.int64)
    parent_state = np.empty(n_states, dtype=np.int64)
    trip_board = np.empty(max(n_conn, 1), dtype=np.int64)
    trip_board_state = np.empty(max(n_conn, 1), dtype=np.int64)
    heap_keys, heap_nodes, pos = indexed_heap_new(n_states)
    out_arrival = np.full(n_target, np.inf)
    leg_ptr = np.zeros(n_target + 1, dtype=np.int64)
    kind = np.empty(4 * n_target + 16, dtype=np.int64)
    ref = np.empty(4 * n_target + 16, dtype=np.int64)
    dep = np.empty(4 * n_target + 16, dtype=np.float64)
    arr = np.empty(4 * n_target + 16, dtype=np.float64)
    n_leg = 0
    for k in range(origin.shape[0]):
        lo, hi = target_ptr[k], target_ptr[k + 1]
        ea_reset(arrival, parent_kind, parent_ref, parent_state, trip_board, trip_board_state,
                 pos)
        ea_scan(conn_from, conn_to, conn_dep_h, conn_arr_h, conn_trip, conn_mode, link_indptr,
                link_to, link_duration_h, link_mode, hub_dwell_h, transfer_allowed, transfer_h,
                origin[k], ready_h[k], mode_mask[k], target_hub[lo:hi], arrival, parent_kind,
                parent_ref, parent_state, trip_board, trip_board_state, heap_keys, heap_nodes,
                pos)
        for j in range(lo, hi):
            s = _best_state(arrival, target_hub[j])
            out_arrival[j] = arrival[s]
            if arrival[s] < np.inf:
                n = _journey_length(conn_trip, conn_next, parent_kind, parent_ref,
                                    parent_state, trip_board, trip_board_state, s)
                kind = grow_1d(kind, n_leg + n)
                ref = grow_1d(ref, n_leg + n)
                dep = grow_1d(dep, n_leg + n)
                arr = grow_1d(arr, n_leg + n)
                _journey_fill(conn_dep_h, conn_arr_h, conn_trip, conn_next, link_duration_h,
                              link_mode, transfer_h, arrival, parent_kind, parent_ref,
                              parent_state, trip_board, trip_board_state, s, kind, ref, dep,
                              arr, n_leg + n)
                n_leg += n
            leg_ptr[j + 1] = n_leg
    return (out_arrival, leg_ptr, kind[:n_leg].copy(), ref[:n_leg].copy(), dep[:n_leg].copy(),
            arr[:n_leg].copy())


def earliest_arrival(
    tt: TimetableArrays | tuple[np.ndarray, ...], origin: int, ready_h: float,
    mode_mask: int = 15, target: int = -1,
) -> EarliestArrival:
    """Earliest arrival from hub ``origin`` ready at ``ready_h`` (hours) to every state.

    ``mode_mask``: bit set of allowed modes. ``target`` (a hub index, -1 for none) lets the
    scan stop once no connection can improve that hub; other hubs then hold upper bounds.
    Raises ``ValueError`` for malformed arrays or an out-of-range query. A
    :class:`TimetableArrays` was checked when built (about 4x the scan's own time on
    four_roads); a plain tuple is checked here.
    """
    tt = timetable_arrays(tt)
    n_hubs = tt.n_hubs
    check_query(n_hubs, tt.n_quantities, origin, ready_h, mode_mask)
    if not -1 <= target < n_hubs:
        raise ValueError(f"target hub index {target} is out of range")
    targets = np.array([target] if target >= 0 else [], dtype=np.int64)
    return EarliestArrival(*earliest_arrival_kernel(*tt, origin, float(ready_h), mode_mask,
                                                    targets))


def earliest_arrival_journey(
    tt: TimetableArrays, result: EarliestArrival, hub: int
) -> Journey | None:
    """The journey reaching ``hub`` earliest (ties: the lowest arriving mode), or None."""
    states = np.arange(hub * N_STATES, hub * N_STATES + N_STATES)
    best = states[np.argmin(result.arrival_h[states])]
    if not np.isfinite(result.arrival_h[best]):
        return None
    return Journey(*earliest_arrival_journey_kernel(
        tt.conn_dep_h, tt.conn_arr_h, tt.conn_trip, tt.conn_next, tt.link_duration_h,
        tt.link_mode, tt.transfer_h, *result, int(best)))


def earliest_arrival_batch(
    tt: TimetableArrays | tuple[np.ndarray, ...], origin: ArrayLike, ready_h: ArrayLike, mode_mask: ArrayLike,
    target_ptr: ArrayLike, target_hub: ArrayLike,
) -> EarliestArrivalBatch:
    """Earliest arrivals and journeys for many queries (origin hub, ready hours, mode mask),
    each to its targets ``target_hub[target_ptr[k]:target_ptr[k + 1]]``: one scan per query
    serves all its targets, with what a scan for each target alone returns."""
    tt = timetable_arrays(tt)
    n_hubs = tt.n_hubs
    origin = np.ascontiguousarray(origin, dtype=np.int64)
    ready = np.ascontiguousarray(ready_h, dtype=np.float64)
    mask = np.ascontiguousarray(mode_mask, dtype=np.int64)
    ptr = np.ascontiguousarray(target_ptr, dtype=np.int64)
    hubs = np.ascontiguousarray(target_hub, dtype=np.int64)
    n = origin.shape[0]
    if ready.shape != (n,) or mask.shape != (n,) or ptr.shape != (n + 1,):
        raise ValueError("origin, ready_h and mode_mask need one length n; target_ptr n + 1")
    if n and (ptr[0] != 0 or ptr[-1] != hubs.shape[0] or np.any(np.diff(ptr) < 0)):
        raise ValueError("target_ptr must rise from 0 to the number of targets")
    for name, a in (("origin", origin), ("target_hub", hubs)):
        if a.size and (a.min() < 0 or a.max() >= n_hubs):
            raise ValueError(f"{name} holds a hub index out of range")
    if not (np.all(np.isfinite(ready)) and np.all((mask > 0) & (mask <= ALL_MODES))):
        raise ValueError("ready times must be finite and mode masks non-empty bit sets")
    return EarliestArrivalBatch(*earliest_arrival_batch_kernel(*tt, origin, ready, mask, ptr,
                                                               hubs))


#: Scans kept for reuse by :func:`sequential_earliest_kernel`.
SCAN_CACHE: Final[int] = 32
#: Outcome of each shipment in :func:`sequential_earliest_kernel`.
SEQ_FIRST: Final[int] = 0  # booked on its first choice (or has no path at all)
SEQ_MOVED: Final[int] = 1  # booked on the earliest route that fits
SEQ_NO_CAPACITY: Final[int] = 2  # no route fits


@njit(cache=True, inline="always")
def _cached_scan(slot_query: np.ndarray, slot_use: np.ndarray, query: int,
                 use: np.ndarray) -> int:
    # The kept scan of ``query`` for a shipment taking no more than ``use``, -1 for none.
    for j in range(slot_query.shape[0]):
        if (slot_query[j] == query and slot_use[j, 0] <= use[0] and slot_use[j, 1] <= use[1]
                and slot_use[j, 2] <= use[2]):
            return j
    return -1


@njit(cache=True)
def _journey_booking(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_next: np.ndarray, link_duration_h: np.ndarray,
    link_mode: np.ndarray, transfer_h: np.ndarray, cap_conn_dep_day: np.ndarray,
    cap_conn_arr_day: np.ndarray, link_from: np.ndarray, link_to: np.ndarray,
    hub_border: np.ndarray, cap_hub_gauge: np.ndarray, cap_day_start_h: np.ndarray,
    arrival: np.ndarray, parent_kind: np.ndarray, parent_ref: np.ndarray,
    parent_state: np.ndarray, trip_board: np.ndarray, trip_board_state: np.ndarray, state: int,
    kind: np.ndarray, ref: np.ndarray, dep: np.ndarray, arr: np.ndarray, n_leg: int,
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
           np.ndarray, np.ndarray, np.ndarray]:
    # The scan's journey to ``state`` written at ``n_leg`` of the (grown) leg buffers, and what
    # it takes (:func:`~.capacity.booking_events`): (n legs, buffers, booking).
    n = _journey_length(conn_trip, conn_next, parent_kind, parent_ref, parent_state,
                        trip_board, trip_board_state, state)
    kind = grow_1d(kind, n_leg + n)
    ref = grow_1d(ref, n_leg + n)
    dep = grow_1d(dep, n_leg + n)
    arr = grow_1d(arr, n_leg + n)
    _journey_fill(conn_dep_h, conn_arr_h, conn_trip, conn_next, link_duration_h, link_mode,
                  transfer_h, arrival, parent_kind, parent_ref, parent_state, trip_board,
                  trip_board_state, state, kind, ref, dep, arr, n_leg + n)
    conns, ev_hub, ev_day, x_hub, x_day = booking_events(
        conn_from, conn_to, conn_trip, cap_conn_dep_day, cap_conn_arr_day, link_from, link_to,
        hub_border, cap_hub_gauge, cap_day_start_h, kind[n_leg:n_leg + n], ref[n_leg:n_leg + n],
        dep[n_leg:n_leg + n], arr[n_leg:n_leg + n])
    return n, kind, ref, dep, arr, conns, ev_hub, ev_day, x_hub, x_day


@njit(cache=True)
def sequential_earliest_kernel(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, conn_rate: np.ndarray, conn_co2: np.ndarray,
    conn_next: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, link_rate: np.ndarray,
    link_co2: np.ndarray, hub_dwell_h: np.ndarray, transfer_allowed: np.ndarray,
    transfer_h: np.ndarray, transfer_rate: np.ndarray,
    cap_conn_left: np.ndarray, cap_border_left_teu: np.ndarray, cap_conn_dep_day: np.ndarray,
    cap_conn_arr_day: np.ndarray, cap_day_start_h: np.ndarray, cap_hub_left_t: np.ndarray,
    cap_hub_gauge: np.ndarray, cap_hub_usd_per_t: np.ndarray, link_from: np.ndarray,
    hub_border: np.ndarray, order: np.ndarray, start: int, scan: bool, query: np.ndarray,
    query_ptr: np.ndarray, query_hub: np.ndarray, origin: np.ndarray,
    ready_h: np.ndarray, mode_mask: np.ndarray, destination: np.ndarray, use: np.ndarray,
    first_ptr: np.ndarray, first_kind: np.ndarray, first_ref: np.ndarray,
    first_dep_h: np.ndarray, first_arr_h: np.ndarray, status: np.ndarray,
    short_kind: np.ndarray, short_a: np.ndarray, short_b: np.ndarray,
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
           np.ndarray]:
    """Book shipments ``order[start:]`` one at a time on the capacity left (``cap_*``, taken
    in place): each on its first choice (legs ``first_*[first_ptr[i]:first_ptr[i + 1]]``,
    none: no path) if it fits, else (with ``scan``) on the earliest arrival that fits
    (:func:`ea_scan_capacity`), else nowhere. Per shipment ``i`` it writes ``status[i]``
    (``SEQ_*``) and, for one that lost its first choice, what it lost
    (:func:`~.capacity.booking_shortfall`: ``short_kind``, ``short_a``, ``short_b``).

    Shipments of one ``query`` (index per shipment: same origin, ready time and modes) share
    scans: a scan runs to all the query's destinations ``query_hub[query_ptr[q]:query_ptr[q +
    1]]``, and serves a later shipment of the query that takes no less (kg, TEU, positions)
    while the route it found still fits: on less capacity, for more, nothing arrives earlier.
    The last :data:`SCAN_CACHE` scans are kept.

    Stops before booking a shipment that lost its first choice where there is no ``scan`` or
    the scan is unsure (the label search must decide) and
    returns ``(its position in order, or len(order), shipment per new journey, its arrival
    (hours, freight available), leg_ptr, leg_kind, leg_ref, leg_dep_h, leg_arr_h)``; the
    stopping shipment's shortfall is written."""
    n_conn = conn_dep_h.shape[0]
    n_states = hub_dwell_h.shape[0] * N_STATES
    n_trips = max(n_conn, 1)
    slot_query = np.full(SCAN_CACHE, -1, dtype=np.int64)
    slot_use = np.zeros((SCAN_CACHE, 3))
    slot_arrival = np.empty((SCAN_CACHE, n_states))
    slot_kind = np.empty((SCAN_CACHE, n_states), dtype=np.int64)
    slot_ref = np.empty((SCAN_CACHE, n_states), dtype=np.int64)
    slot_state = np.empty((SCAN_CACHE, n_states), dtype=np.int64)
    slot_board = np.empty((SCAN_CACHE, n_trips), dtype=np.int64)
    slot_board_state = np.empty((SCAN_CACHE, n_trips), dtype=np.int64)
    next_slot = 0
    trip_riding = np.zeros(n_trips, dtype=np.bool_)
    heap_keys, heap_nodes, pos = indexed_heap_new(n_states)
    ships = np.empty(16, dtype=np.int64)
    found_h = np.empty(16)
    leg_ptr = np.zeros(17, dtype=np.int64)
    kind = np.empty(64, dtype=np.int64)
    ref = np.empty(64, dtype=np.int64)
    dep = np.empty(64, dtype=np.float64)
    arr = np.empty(64, dtype=np.float64)
    n_found = 0
    n_leg = 0
    for k in range(start, order.shape[0]):
        i = order[k]
        lo, hi = first_ptr[i], first_ptr[i + 1]
        status[i] = SEQ_FIRST
        if lo == hi:
            continue  # no path at all: capacity took nothing from it
        conns, ev_hub, ev_day, x_hub, x_day = booking_events(
            conn_from, conn_to, conn_trip, cap_conn_dep_day, cap_conn_arr_day, link_from,
            link_to, hub_border, cap_hub_gauge, cap_day_start_h, first_kind[lo:hi],
            first_ref[lo:hi], first_dep_h[lo:hi], first_arr_h[lo:hi])
        u = use[i]
        why, a, b = booking_shortfall(cap_conn_left, cap_hub_left_t, cap_border_left_teu, u,
                                      conns, ev_hub, ev_day, x_hub, x_day)
        if why == SHORT_NONE:
            booking_take(cap_conn_left, cap_hub_left_t, cap_border_left_teu, u, conns, ev_hub,
                         ev_day, x_hub, x_day)
            continue
        short_kind[i], short_a[i], short_b[i] = why, a, b
        if not scan:
            return (k, ships[:n_found].copy(), found_h[:n_found].copy(),
                    leg_ptr[:n_found + 1].copy(), kind[:n_leg].copy(), ref[:n_leg].copy(),
                    dep[:n_leg].copy(), arr[:n_leg].copy())
        q = query[i]
        slot = _cached_scan(slot_query, slot_use, q, u)
        if slot >= 0:
            s = _best_state(slot_arrival[slot], destination[i])
            if slot_arrival[slot, s] == np.inf:
                status[i] = SEQ_NO_CAPACITY
                continue
            n, kind, ref, dep, arr, conns, ev_hub, ev_day, x_hub, x_day = _journey_booking(
                conn_from, conn_to, conn_dep_h, conn_arr_h, conn_trip, conn_next,
                link_duration_h, link_mode, transfer_h, cap_conn_dep_day, cap_conn_arr_day,
                link_from, link_to, hub_border, cap_hub_gauge, cap_day_start_h,
                slot_arrival[slot], slot_kind[slot], slot_ref[slot], slot_state[slot],
                slot_board[slot], slot_board_state[slot], s, kind, ref, dep, arr, n_leg)
            if booking_shortfall(cap_conn_left, cap_hub_left_t, cap_border_left_teu, u, conns,
                                 ev_hub, ev_day, x_hub, x_day)[0] != SHORT_NONE:
                slot = -1  # taken since: scan again
        if slot < 0:
            slot = _cached_scan(slot_query, slot_use, q, np.full(3, np.inf))
            if slot < 0:
                slot = next_slot
                next_slot = (next_slot + 1) % SCAN_CACHE
            slot_query[slot] = -1
            arrival, parent_kind, parent_ref = slot_arrival[slot], slot_kind[slot], slot_ref[slot]
            parent_state, trip_board = slot_state[slot], slot_board[slot]
            trip_board_state = slot_board_state[slot]
            ea_reset(arrival, parent_kind, parent_ref, parent_state, trip_board,
                     trip_board_state, pos)
            trip_riding[:] = False
            unsure = ea_scan_capacity(
                conn_from, conn_to, conn_dep_h, conn_arr_h, conn_trip, conn_mode, link_indptr,
                link_to, link_duration_h, link_mode, hub_dwell_h, transfer_allowed, transfer_h,
                cap_conn_left, cap_border_left_teu, cap_conn_dep_day, cap_conn_arr_day,
                cap_day_start_h, cap_hub_left_t, cap_hub_gauge, u, origin[i], ready_h[i],
                mode_mask[i], query_hub[query_ptr[q]:query_ptr[q + 1]], arrival, parent_kind,
                parent_ref, parent_state, trip_board, trip_board_state, trip_riding, heap_keys,
                heap_nodes, pos)
            if unsure:
                return (k, ships[:n_found].copy(), found_h[:n_found].copy(),
                        leg_ptr[:n_found + 1].copy(), kind[:n_leg].copy(), ref[:n_leg].copy(),
                        dep[:n_leg].copy(), arr[:n_leg].copy())
            slot_query[slot] = q
            slot_use[slot] = u
            s = _best_state(arrival, destination[i])
            if arrival[s] == np.inf:
                status[i] = SEQ_NO_CAPACITY
                continue
            n, kind, ref, dep, arr, conns, ev_hub, ev_day, x_hub, x_day = _journey_booking(
                conn_from, conn_to, conn_dep_h, conn_arr_h, conn_trip, conn_next,
                link_duration_h, link_mode, transfer_h, cap_conn_dep_day, cap_conn_arr_day,
                link_from, link_to, hub_border, cap_hub_gauge, cap_day_start_h, arrival,
                parent_kind, parent_ref, parent_state, trip_board, trip_board_state, s, kind,
                ref, dep, arr, n_leg)
        status[i] = SEQ_MOVED
        booking_take(cap_conn_left, cap_hub_left_t, cap_border_left_teu, u, conns, ev_hub,
                     ev_day, x_hub, x_day)
        ships = grow_1d(ships, n_found + 1)
        found_h = grow_1d(found_h, n_found + 1)
        leg_ptr = grow_1d(leg_ptr, n_found + 2)
        ships[n_found] = i
        found_h[n_found] = slot_arrival[slot, s]
        n_leg += n
        n_found += 1
        leg_ptr[n_found] = n_leg
    return (order.shape[0], ships[:n_found].copy(), found_h[:n_found].copy(),
            leg_ptr[:n_found + 1].copy(),
            kind[:n_leg].copy(), ref[:n_leg].copy(), dep[:n_leg].copy(), arr[:n_leg].copy())


@njit(cache=True)
def earliest_capacity_bound(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, hub_dwell_h: np.ndarray,
    transfer_allowed: np.ndarray, transfer_h: np.ndarray, cap_conn_left: np.ndarray,
    cap_border_left_teu: np.ndarray, cap_conn_dep_day: np.ndarray, cap_conn_arr_day: np.ndarray,
    cap_day_start_h: np.ndarray, cap_hub_left_t: np.ndarray, cap_hub_gauge: np.ndarray,
    use: np.ndarray, origin: int, ready_h: float, mode_mask: int, target: int,
) -> tuple[float, bool]:
    """``(arrival, sure)``: an arrival (hours, freight available at ``target``) that some route
    fitting the capacity left reaches -- :func:`ea_scan_capacity`'s, ``inf`` where the scan
    finds none -- and whether the scan is sure of it. Every route the scan builds fits, so the
    earliest route that fits arrives no later, and where the scan is sure it is that earliest
    arrival (``inf``: none fits). A label search by this deadline holds the earliest route
    that fits."""
    n_states = hub_dwell_h.shape[0] * N_STATES
    n_trips = max(conn_dep_h.shape[0], 1)
    arrival = np.full(n_states, np.inf)
    parent_kind = np.full(n_states, -1, dtype=np.int64)
    parent_ref = np.full(n_states, -1, dtype=np.int64)
    parent_state = np.full(n_states, -1, dtype=np.int64)
    trip_board = np.full(n_trips, -1, dtype=np.int64)
    trip_board_state = np.full(n_trips, -1, dtype=np.int64)
    trip_riding = np.zeros(n_trips, dtype=np.bool_)
    heap_keys, heap_nodes, pos = indexed_heap_new(n_states)
    targets = np.full(1, target, dtype=np.int64)
    unsure = ea_scan_capacity(conn_from, conn_to, conn_dep_h, conn_arr_h, conn_trip, conn_mode,
                     link_indptr, link_to, link_duration_h, link_mode, hub_dwell_h,
                     transfer_allowed, transfer_h, cap_conn_left, cap_border_left_teu,
                     cap_conn_dep_day, cap_conn_arr_day, cap_day_start_h, cap_hub_left_t,
                     cap_hub_gauge, use, origin, ready_h, mode_mask, targets, arrival,
                     parent_kind, parent_ref, parent_state, trip_board, trip_board_state,
                     trip_riding, heap_keys, heap_nodes, pos)
    return float(arrival[_best_state(arrival, target)]), not unsure

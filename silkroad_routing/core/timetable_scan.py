"""Earliest arrival, one origin to all hubs: a connection scan with trip flags and link closure.

Connections are scanned once in departure order. A connection is usable when its trip was
boarded earlier (staying aboard is free) or when some arriving state at its from-hub is
available by the departure minus the transfer time of that state to the connection's mode. An
arrival that improves a state starts a small Dijkstra over the any-time links (truck chains),
with the indexed heap of :mod:`~silkroad_routing.core.heap`; labels it sets lie in the future
of the scan, so every state is final before a connection departing from it is scanned
(``check_timetable`` guarantees every connection takes time).

States are ``hub * 5 + arriving mode`` (see :mod:`~silkroad_routing.core.timetable_arrays`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from .heap import indexed_heap_new, indexed_heap_pop, indexed_heap_push
from .timetable_arrays import (
    KIND_CONNECTION,
    KIND_LINK,
    KIND_ORIGIN,
    N_STATES,
    START,
    check_query,
    check_timetable,
)


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
        return self.arrival_h.reshape(-1, N_STATES).min(axis=1)


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
    heap_keys: np.ndarray, heap_nodes: np.ndarray, pos: np.ndarray,
) -> None:
    # Dijkstra over any-time links from one improved state; only strict improvements propagate.
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
            t2 = t + transfer_h[h, m, ml] + link_duration_h[link] + hub_dwell_h[v]
            s2 = v * N_STATES + ml
            if t2 < arrival[s2]:
                arrival[s2] = t2
                parent_kind[s2] = KIND_LINK
                parent_ref[s2] = link
                parent_state[s2] = s
                # Inserts, or lowers the key of a queued state (states popped by an earlier
                # closure may be queued again).
                size = indexed_heap_push(heap_keys, heap_nodes, pos, size, s2, t2)


@njit(cache=True)
def earliest_arrival_kernel(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, conn_rate: np.ndarray, conn_co2: np.ndarray,
    conn_next: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, link_rate: np.ndarray,
    link_co2: np.ndarray, hub_dwell_h: np.ndarray, transfer_allowed: np.ndarray,
    transfer_h: np.ndarray, transfer_rate: np.ndarray,
    origin: int, ready_h: float, mode_mask: int, target: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Connection scan from ``origin`` at ``ready_h``; stops early once ``target`` (a hub, -1
    for none) cannot improve. Returns the :class:`EarliestArrival` arrays."""
    n_conn = conn_dep_h.shape[0]
    n_states = hub_dwell_h.shape[0] * N_STATES
    arrival = np.full(n_states, np.inf)
    parent_kind = np.full(n_states, -1, dtype=np.int64)
    parent_ref = np.full(n_states, -1, dtype=np.int64)
    parent_state = np.full(n_states, -1, dtype=np.int64)
    trip_board = np.full(n_conn, -1, dtype=np.int64)
    trip_board_state = np.full(n_conn, -1, dtype=np.int64)
    heap_keys, heap_nodes, pos = indexed_heap_new(n_states)

    s0 = origin * N_STATES + START
    arrival[s0] = ready_h
    parent_kind[s0] = KIND_ORIGIN
    _link_closure(link_indptr, link_to, link_duration_h, link_mode, hub_dwell_h,
                  transfer_allowed, transfer_h, s0, mode_mask, arrival, parent_kind, parent_ref, parent_state,
                  heap_keys, heap_nodes, pos)
    best = np.inf
    if target >= 0:
        for m in range(N_STATES):
            best = min(best, arrival[target * N_STATES + m])
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
            # Board from the state that is ready first (ties: the lowest arriving mode).
            x = conn_from[c]
            ready_first = np.inf
            for m in range(N_STATES):
                s = x * N_STATES + m
                if transfer_allowed[x, m, mc]:
                    t = arrival[s] + transfer_h[x, m, mc]
                    if t <= dep and t < ready_first:
                        ready_first = t
                        trip_board[r] = c
                        trip_board_state[r] = s
            if trip_board[r] < 0:
                continue
        y = conn_to[c]
        s2 = y * N_STATES + mc
        t2 = conn_arr_h[c] + hub_dwell_h[y]
        if t2 < arrival[s2]:
            arrival[s2] = t2
            parent_kind[s2] = KIND_CONNECTION
            parent_ref[s2] = c
            _link_closure(link_indptr, link_to, link_duration_h, link_mode, hub_dwell_h,
                          transfer_allowed, transfer_h, s2, mode_mask, arrival, parent_kind,
                          parent_ref, parent_state, heap_keys, heap_nodes, pos)
            if target >= 0:
                for m in range(N_STATES):
                    best = min(best, arrival[target * N_STATES + m])
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
    # Two passes over the parent pointers: count the legs, then fill them back to front.
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
    kinds = np.empty(n, dtype=np.int64)
    refs = np.empty(n, dtype=np.int64)
    deps = np.empty(n, dtype=np.float64)
    arrs = np.empty(n, dtype=np.float64)
    i = n
    s = state
    while parent_kind[s] == KIND_CONNECTION or parent_kind[s] == KIND_LINK:
        if parent_kind[s] == KIND_LINK:
            link = parent_ref[s]
            prev = parent_state[s]
            h = prev // N_STATES
            i -= 1
            kinds[i] = KIND_LINK
            refs[i] = link
            deps[i] = arrival[prev] + transfer_h[h, prev - h * N_STATES, link_mode[link]]
            arrs[i] = deps[i] + link_duration_h[link]
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
                kinds[i + k] = KIND_CONNECTION
                refs[i + k] = c
                deps[i + k] = conn_dep_h[c]
                arrs[i + k] = conn_arr_h[c]
                c = conn_next[c]
            s = trip_board_state[r]
    return kinds, refs, deps, arrs


def earliest_arrival(
    tt: tuple[np.ndarray, ...], origin: int, ready_h: float, mode_mask: int = 15,
    target: int = -1,
) -> EarliestArrival:
    """Earliest arrival from hub ``origin`` ready at ``ready_h`` (hours) to every state.

    ``mode_mask``: bit set of allowed modes. ``target`` (a hub index, -1 for none) lets the
    scan stop once no connection can improve that hub; other hubs then hold upper bounds.
    Raises ``ValueError`` for malformed arrays or an out-of-range query.
    """
    n_hubs, _, n_q = check_timetable(tt)
    check_query(n_hubs, n_q, origin, ready_h, mode_mask)
    if not -1 <= target < n_hubs:
        raise ValueError(f"target hub index {target} is out of range")
    return EarliestArrival(*earliest_arrival_kernel(*tt, origin, float(ready_h), mode_mask,
                                                    target))


def earliest_arrival_journey(
    tt: tuple[np.ndarray, ...], result: EarliestArrival, hub: int
) -> Journey | None:
    """The journey reaching ``hub`` earliest (ties: the lowest arriving mode), or None."""
    states = np.arange(hub * N_STATES, hub * N_STATES + N_STATES)
    best = states[np.argmin(result.arrival_h[states])]
    if not np.isfinite(result.arrival_h[best]):
        return None
    return Journey(*earliest_arrival_journey_kernel(
        tt[2], tt[3], tt[4], tt[8], tt[11], tt[12], tt[17], *result, int(best)))

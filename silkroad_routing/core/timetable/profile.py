"""Earliest-arrival profiles: one target, every origin, every departure time in a window.

One backward connection scan (latest departure first) builds, for each state (``hub * 5 +
arriving mode``), the Pareto set of (latest time freight may be available in that state, earliest
arrival at the target). Staying aboard is tracked per trip; alighting evaluates the to-hub's
profile at the arrival (plus dwell); each new profile entry is carried backwards over the
any-time links (a lazy heap, latest first), so truck chains before a scheduled leg are exact.
Journeys made of links only are covered by a static backward Dijkstra (``truck_h``): their
arrival is the ready time plus a fixed duration.

The earliest arrival of freight ready at ``t`` in state ``s`` is then::

    min(t if hub(s) is the target, t + truck_h[s], min{arr : (tau, arr) in profile[s], tau >= t})

so a batch of shipments to one destination, from any origin and ready at any time in the
window, is answered by one scan (:func:`evaluate_profile`). It returns what
:func:`~silkroad_routing.core.timetable.scan.earliest_arrival` returns for each of them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

from .._buffers import grow_1d
from .._heap import (
    indexed_heap_new,
    indexed_heap_pop,
    indexed_heap_push,
    lazy_heap_new,
    lazy_heap_pop,
    lazy_heap_push,
)
from .arrays import N_STATES, START, TimetableArrays, reverse_links, timetable_arrays


class EarliestArrivalProfile(NamedTuple):
    """Result of :func:`earliest_arrival_profile`.

    ``head`` (per state) starts a linked list (``next``) of entries ``(tau_h, arr_h)``: freight
    available in the state by ``tau_h`` can reach the target at ``arr_h``. ``truck_h`` (per
    state): duration of the fastest links-only journey to the target (``inf`` if none).
    """

    target: int
    window_start_h: float
    head: NDArray[np.int64]
    tau_h: NDArray[np.float64]
    arr_h: NDArray[np.float64]
    next: NDArray[np.int64]
    truck_h: NDArray[np.float64]


@njit(cache=True)
def _truck_durations(link_indptr: np.ndarray, link_to: np.ndarray,
                     link_duration_h: np.ndarray, link_mode: np.ndarray,
                     hub_dwell_h: np.ndarray, transfer_allowed: np.ndarray,
                     transfer_h: np.ndarray, target: int, mode_mask: int) -> np.ndarray:
    # Backward Dijkstra over links from every arriving state of the target.
    n_states = hub_dwell_h.shape[0] * N_STATES
    rev_indptr, rev_link, rev_from = reverse_links(link_indptr, link_to)
    dist = np.full(n_states, np.inf)
    heap_keys, heap_nodes, pos = indexed_heap_new(n_states)
    size = 0
    for m in range(N_STATES):
        dist[target * N_STATES + m] = 0.0
        size = indexed_heap_push(heap_keys, heap_nodes, pos, size, target * N_STATES + m, 0.0)
    while size > 0:
        s, d, size = indexed_heap_pop(heap_keys, heap_nodes, pos, size)
        x = s // N_STATES
        ml = s - x * N_STATES
        if ml == START or not (mode_mask >> ml) & 1:
            continue
        for k in range(rev_indptr[x], rev_indptr[x + 1]):
            link = rev_link[k]
            if link_mode[link] != ml:
                continue
            z = rev_from[k]
            for m in range(N_STATES):
                if transfer_allowed[z, m, ml]:
                    d2 = d + hub_dwell_h[x] + link_duration_h[link] + transfer_h[z, m, ml]
                    s2 = z * N_STATES + m
                    if d2 < dist[s2]:
                        dist[s2] = d2
                        size = indexed_heap_push(heap_keys, heap_nodes, pos, size, s2, d2)
    return dist


@njit(cache=True)
def _evaluate(head: np.ndarray, tau: np.ndarray, arr: np.ndarray, nxt: np.ndarray,
              truck_h: np.ndarray, target: int, s: int, t: float) -> float:
    if s // N_STATES == target:
        return t
    best = t + truck_h[s]
    e = head[s]
    while e >= 0:
        if tau[e] >= t and arr[e] < best:
            best = arr[e]
        e = nxt[e]
    return float(best)


@njit(cache=True)
def profile_kernel(
    conn_from: np.ndarray, conn_to: np.ndarray, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray,
    conn_trip: np.ndarray, conn_mode: np.ndarray, conn_rate: np.ndarray, conn_co2: np.ndarray,
    conn_next: np.ndarray, link_indptr: np.ndarray, link_to: np.ndarray,
    link_duration_h: np.ndarray, link_mode: np.ndarray, link_rate: np.ndarray,
    link_co2: np.ndarray, hub_dwell_h: np.ndarray, transfer_allowed: np.ndarray,
    transfer_h: np.ndarray, transfer_rate: np.ndarray,
    target: int, window_start_h: float, mode_mask: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Backward scan to ``target`` over connections departing at or after ``window_start_h``.

    Returns ``(head, tau_h, arr_h, next, truck_h)`` (see :class:`EarliestArrivalProfile`).
    """
    n_conn = conn_dep_h.shape[0]
    n_states = hub_dwell_h.shape[0] * N_STATES
    truck_h = _truck_durations(link_indptr, link_to, link_duration_h, link_mode, hub_dwell_h,
                               transfer_allowed, transfer_h, target, mode_mask)
    rev_indptr, rev_link, rev_from = reverse_links(link_indptr, link_to)
    head = np.full(n_states, -1, dtype=np.int64)
    tau = np.empty(256, dtype=np.float64)
    arr = np.empty(256, dtype=np.float64)
    nxt = np.empty(256, dtype=np.int64)
    state = np.empty(256, dtype=np.int64)
    n = 0
    trip_arr = np.full(max(n_conn, 1), np.inf)
    heap_keys, heap_payloads = lazy_heap_new(64)
    size = 0
    first = np.searchsorted(conn_dep_h, window_start_h)
    for c in range(n_conn - 1, first - 1, -1):
        mc = conn_mode[c]
        if not (mode_mask >> mc) & 1:
            continue
        y = conn_to[c]
        best = _evaluate(head, tau, arr, nxt, truck_h, target, y * N_STATES + mc,
                         conn_arr_h[c] + hub_dwell_h[y])
        r = conn_trip[c]
        if trip_arr[r] < best:
            best = trip_arr[r]
        trip_arr[r] = best
        if best == np.inf:
            continue
        x = conn_from[c]
        for m in range(N_STATES):
            if transfer_allowed[x, m, mc]:
                # Queue a candidate entry; the loop below admits it if it is not dominated.
                if n == tau.shape[0]:
                    tau, arr = grow_1d(tau, n + 1), grow_1d(arr, n + 1)
                    nxt, state = grow_1d(nxt, n + 1), grow_1d(state, n + 1)
                tau[n] = conn_dep_h[c] - transfer_h[x, m, mc]
                arr[n] = best
                state[n] = x * N_STATES + m
                heap_keys, heap_payloads, size = lazy_heap_push(
                    heap_keys, heap_payloads, size, -tau[n], n)
                n += 1
        # Admit candidates latest first and carry each admitted entry back over the links.
        while size > 0:
            _, e, size = lazy_heap_pop(heap_keys, heap_payloads, size)
            s = state[e]
            t_e = tau[e]
            a_e = arr[e]
            if t_e < window_start_h or a_e >= t_e + truck_h[s] or s // N_STATES == target:
                continue
            dominated = False
            f = head[s]
            while f >= 0:
                if tau[f] >= t_e and arr[f] <= a_e:
                    dominated = True
                    break
                f = nxt[f]
            if dominated:
                continue
            prev = -1
            f = head[s]
            while f >= 0:
                g = nxt[f]
                if tau[f] <= t_e and arr[f] >= a_e:
                    if prev < 0:
                        head[s] = g
                    else:
                        nxt[prev] = g
                else:
                    prev = f
                f = g
            nxt[e] = head[s]
            head[s] = e
            xs = s // N_STATES
            ml = s - xs * N_STATES
            if ml == START or not (mode_mask >> ml) & 1:
                continue
            for k in range(rev_indptr[xs], rev_indptr[xs + 1]):
                link = rev_link[k]
                if link_mode[link] != ml:
                    continue
                z = rev_from[k]
                for m in range(N_STATES):
                    if transfer_allowed[z, m, ml]:
                        if n == tau.shape[0]:
                            tau, arr = grow_1d(tau, n + 1), grow_1d(arr, n + 1)
                            nxt, state = grow_1d(nxt, n + 1), grow_1d(state, n + 1)
                        tau[n] = t_e - hub_dwell_h[xs] - link_duration_h[link] - transfer_h[z, m, ml]
                        arr[n] = a_e
                        state[n] = z * N_STATES + m
                        heap_keys, heap_payloads, size = lazy_heap_push(
                            heap_keys, heap_payloads, size, -tau[n], n)
                        n += 1
    return head, tau[:n].copy(), arr[:n].copy(), nxt[:n].copy(), truck_h


@njit(cache=True)
def evaluate_profile_kernel(head: np.ndarray, tau: np.ndarray, arr: np.ndarray, nxt: np.ndarray,
                            truck_h: np.ndarray, target: int, states: np.ndarray,
                            ready_h: np.ndarray) -> np.ndarray:
    """Earliest arrival at the target for freight in ``states[i]`` ready at ``ready_h[i]``."""
    out = np.empty(states.shape[0])
    for i in range(states.shape[0]):
        out[i] = _evaluate(head, tau, arr, nxt, truck_h, target, states[i], ready_h[i])
    return out


def earliest_arrival_profile(
    tt: TimetableArrays | tuple[np.ndarray, ...], target: int, window_start_h: float, mode_mask: int = 15
) -> EarliestArrivalProfile:
    """Earliest-arrival profile to hub ``target`` for every origin and every ready time at or
    after ``window_start_h`` (hours). Raises ``ValueError`` for bad input."""
    tt = timetable_arrays(tt)
    n_hubs = tt.n_hubs
    if not 0 <= target < n_hubs:
        raise ValueError(f"target hub index {target} is out of range [0, {n_hubs})")
    if not np.isfinite(window_start_h):
        raise ValueError(f"window start must be finite, got {window_start_h}")
    if not 0 < mode_mask <= 15:
        raise ValueError(f"mode_mask must be a non-empty bit set of modes 0..3, got {mode_mask}")
    head, tau, arr, nxt, truck = profile_kernel(*tt, target, float(window_start_h), mode_mask)
    return EarliestArrivalProfile(target, float(window_start_h), head, tau, arr, nxt, truck)


def evaluate_profile(profile: EarliestArrivalProfile, origins: ArrayLike,
                     ready_h: ArrayLike) -> NDArray[np.float64]:
    """Earliest arrival (hours, ``inf`` if none) from each origin hub ready at each time.

    Ready times must not precede the profile's window start (``ValueError`` otherwise).
    """
    origins = np.ascontiguousarray(origins, dtype=np.int64)
    ready = np.ascontiguousarray(ready_h, dtype=np.float64)
    if origins.shape != ready.shape or origins.ndim != 1:
        raise ValueError("origins and ready_h must be 1-D and of equal length")
    n_hubs = profile.head.shape[0] // N_STATES
    if origins.size and (origins.min() < 0 or origins.max() >= n_hubs):
        raise ValueError("an origin hub index is out of range")
    if ready.size and not (np.all(np.isfinite(ready))
                           and ready.min() >= profile.window_start_h):
        raise ValueError("ready times must be finite and not before the profile window start")
    return evaluate_profile_kernel(profile.head, profile.tau_h, profile.arr_h, profile.next,
                                   profile.truck_h, profile.target, origins * N_STATES + START,
                                   ready)

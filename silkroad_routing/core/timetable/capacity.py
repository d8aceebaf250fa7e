"""Capacity left, as the label search reads it: which legs a shipment may ride, where it may be
handled.

A :class:`CapacityArrays` holds what is left of every capacity; a search for a shipment that
takes ``use = (kg, TEU, positions)`` of each leg it rides and ``tonnes`` at each hub-day where
it is handled then never builds a journey that would not fit (see
:func:`~.labels.mc_search_kernel`):

* ``conn_left`` (n_conn x 3): kg, TEU and ULD positions left on each leg of a departure;
* ``border_left_teu`` (n_hubs x n_days): TEU that may still cross each border crossing each
  day (``inf`` unlimited); a shipment crosses on the leg arriving there, with its TEU;
* ``conn_dep_day``, ``conn_arr_day`` (n_conn, int64): local day of the leg's departure and
  arrival (indices into ``day_start_h``);
* ``day_start_h`` (n_days): local midnights, hours, increasing;
* ``hub_left_t`` (n_hubs x n_days): tonnes each hub may still handle each day (``inf``
  unlimited);
* ``hub_gauge`` (n_hubs, bool): gauge-change hubs, where riders through are handled too;
* ``hub_usd_per_t`` (n_hubs x n_days, or 0 x 0 for none): a price per tonne of each handling
  at each hub-day, added to the routes' cost (the hub-day duals of network design's pricing).

Freight is handled at its origin on the day its first leg leaves, where it leaves a vehicle (on
the day of the vehicle's arrival) and where it rides through a gauge change. :data:`NO_CAPACITY`
(no days) switches every check off.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from .arrays import KIND_CONNECTION

#: Slack on capacities (kg, TEU, positions, tonnes): sums of floats.
CAPACITY_TOLERANCE: Final[float] = 1e-9


class CapacityArrays(NamedTuple):
    """What is left of every capacity (module docstring)."""

    conn_left: NDArray[np.float64]
    border_left_teu: NDArray[np.float64]
    conn_dep_day: NDArray[np.int64]
    conn_arr_day: NDArray[np.int64]
    day_start_h: NDArray[np.float64]
    hub_left_t: NDArray[np.float64]
    hub_gauge: NDArray[np.bool_]
    hub_usd_per_t: NDArray[np.float64]


#: No capacity checked at all.
NO_CAPACITY: Final[CapacityArrays] = CapacityArrays(
    np.zeros((0, 3)), np.zeros((0, 0)), np.zeros(0, np.int64), np.zeros(0, np.int64),
    np.zeros(0), np.zeros((0, 0)), np.zeros(0, np.bool_), np.zeros((0, 0)))


def check_capacity(cap: CapacityArrays, n_hubs: int, n_conn: int) -> None:
    """``ValueError`` unless ``cap`` is :data:`NO_CAPACITY` or fits a timetable of ``n_hubs``
    hubs and ``n_conn`` connections (dtypes, shapes, day indices in range)."""
    if cap.day_start_h.shape[0] == 0:
        return
    n_days = cap.day_start_h.shape[0]
    want: list[tuple[str, type, tuple[int, ...]]] = [
        ("conn_left", np.float64, (n_conn, 3)), ("border_left_teu", np.float64, (n_hubs, n_days)),
        ("conn_dep_day", np.int64, (n_conn,)), ("conn_arr_day", np.int64, (n_conn,)),
        ("day_start_h", np.float64, (n_days,)), ("hub_left_t", np.float64, (n_hubs, n_days)),
        ("hub_gauge", np.bool_, (n_hubs,))]
    if cap.hub_usd_per_t.shape != (0, 0):
        want.append(("hub_usd_per_t", np.float64, (n_hubs, n_days)))
    for name, dtype, shape in want:
        a = getattr(cap, name)
        if not (isinstance(a, np.ndarray) and a.dtype == dtype and a.shape == shape
                and a.flags.c_contiguous):
            raise ValueError(f"capacity {name} must be a C-contiguous {np.dtype(dtype).name} "
                             f"array of shape {shape}")
    if np.any(np.diff(cap.day_start_h) <= 0):
        raise ValueError("capacity day_start_h must increase")
    if cap.hub_usd_per_t.size and not (np.all(np.isfinite(cap.hub_usd_per_t))
                                       and cap.hub_usd_per_t.min() >= 0):
        raise ValueError("capacity hub_usd_per_t must be finite and non-negative")
    for name in ("conn_dep_day", "conn_arr_day"):
        a = getattr(cap, name)
        if a.size and (a.min() < 0 or a.max() >= n_days):
            raise ValueError(f"capacity {name} holds a day out of range")


@njit(cache=True, inline="always")
def day_index(day_start_h: np.ndarray, t: float) -> int:
    """The local day of time ``t`` (the last day start at or before it, clipped)."""
    day = int(np.searchsorted(day_start_h, t, side="right")) - 1
    if day < 0:
        return 0
    if day >= day_start_h.shape[0]:
        return int(day_start_h.shape[0]) - 1
    return day


@njit(cache=True, inline="always")
def can_ride(conn_left: np.ndarray, border_left_teu: np.ndarray, conn_arr_day: np.ndarray,
             hub_left_t: np.ndarray, hub_gauge: np.ndarray, conn_to: np.ndarray, c: int,
             use: np.ndarray) -> bool:
    """Whether a shipment of ``use`` may ride leg ``c`` (capacity on; module docstring)."""
    tol = CAPACITY_TOLERANCE
    if (conn_left[c, 0] < use[0] - tol or conn_left[c, 1] < use[1] - tol
            or conn_left[c, 2] < use[2] - tol):
        return False
    y = conn_to[c]
    day = conn_arr_day[c]
    if border_left_teu[y, day] < use[1] - tol:
        return False
    return not (hub_gauge[y] and hub_left_t[y, day] < use[0] / 1000.0 - tol)


@njit(cache=True, inline="always")
def can_handle(hub_left_t: np.ndarray, hub: int, day: int, use: np.ndarray) -> bool:
    """Whether ``hub`` may still handle a shipment of ``use`` on ``day`` (capacity on)."""
    return bool(hub_left_t[hub, day] >= use[0] / 1000.0 - CAPACITY_TOLERANCE)


@njit(cache=True)
def booking_take(conn_left: np.ndarray, hub_left_t: np.ndarray, border_left_teu: np.ndarray,
                 use: np.ndarray, conns: np.ndarray, event_hub: np.ndarray,
                 event_day: np.ndarray, cross_hub: np.ndarray, cross_day: np.ndarray) -> None:
    """Take a route's capacity (the arguments of :func:`booking_shortfall`), in place."""
    for c in conns:
        for k in range(3):
            conn_left[c, k] -= use[k]
    for e in range(event_hub.shape[0]):
        hub_left_t[event_hub[e], event_day[e]] -= use[0] / 1000.0
    for e in range(cross_hub.shape[0]):
        border_left_teu[cross_hub[e], cross_day[e]] -= use[1]


#: What of a booking has no room (:func:`booking_shortfall`): nothing, a leg, a hub-day, a
#: border-day.
SHORT_NONE: Final[int] = 0
SHORT_LEG: Final[int] = 1
SHORT_HUB_DAY: Final[int] = 2
SHORT_CROSSING: Final[int] = 3


@njit(cache=True)
def booking_shortfall(conn_left: np.ndarray, hub_left_t: np.ndarray,
                      border_left_teu: np.ndarray, use: np.ndarray, conns: np.ndarray,
                      event_hub: np.ndarray, event_day: np.ndarray, cross_hub: np.ndarray,
                      cross_day: np.ndarray) -> tuple[int, int, int]:
    """The first part of a route without room -- a shipment of ``use`` on legs ``conns``,
    handled at ``(event_hub, event_day)``, crossing borders at ``(cross_hub, cross_day)``:
    ``(SHORT_LEG, connection, -1)``, ``(SHORT_HUB_DAY, hub, day)``, ``(SHORT_CROSSING, hub,
    day)``, or ``(SHORT_NONE, -1, -1)``."""
    tol = CAPACITY_TOLERANCE
    for c in conns:
        if (conn_left[c, 0] < use[0] - tol or conn_left[c, 1] < use[1] - tol
                or conn_left[c, 2] < use[2] - tol):
            return SHORT_LEG, c, -1
    for e in range(event_hub.shape[0]):
        if hub_left_t[event_hub[e], event_day[e]] < use[0] / 1000.0 - tol:
            return SHORT_HUB_DAY, event_hub[e], event_day[e]
    for e in range(cross_hub.shape[0]):
        if border_left_teu[cross_hub[e], cross_day[e]] < use[1] - tol:
            return SHORT_CROSSING, cross_hub[e], cross_day[e]
    return SHORT_NONE, -1, -1


class BookingRules(NamedTuple):
    """What :func:`booking_events` reads of a timetable: per connection its hubs, trip and
    local days of departure and arrival; per link its hubs; per hub whether it is a border
    crossing and whether it changes gauge; the local midnights ``day_start_h``."""

    conn_from: NDArray[np.int64]
    conn_to: NDArray[np.int64]
    conn_trip: NDArray[np.int64]
    conn_dep_day: NDArray[np.int64]
    conn_arr_day: NDArray[np.int64]
    link_from: NDArray[np.int64]
    link_to: NDArray[np.int64]
    hub_border: NDArray[np.bool_]
    hub_gauge: NDArray[np.bool_]
    day_start_h: NDArray[np.float64]


@njit(cache=True)
def booking_events(conn_from: np.ndarray, conn_to: np.ndarray, conn_trip: np.ndarray,
                   conn_dep_day: np.ndarray, conn_arr_day: np.ndarray, link_from: np.ndarray,
                   link_to: np.ndarray, hub_border: np.ndarray, hub_gauge: np.ndarray,
                   day_start_h: np.ndarray, kind: np.ndarray, ref: np.ndarray,
                   dep_h: np.ndarray, arr_h: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What a journey (legs ``kind``, ``ref``, ``dep_h``, ``arr_h``; the
    :class:`BookingRules` first) takes: ``(conns, event_hub, event_day, cross_hub,
    cross_day)``. Handled at the origin on the day the first leg leaves, where freight leaves
    a vehicle or rides through a gauge change (on the day of that arrival); crossing where a
    leg arrives at a border crossing, on its arrival day."""
    n = kind.shape[0]
    n_conn = 0
    for i in range(n):
        if kind[i] == KIND_CONNECTION:
            n_conn += 1
    conns = np.empty(n_conn, dtype=np.int64)
    event_hub = np.empty(n + 1, dtype=np.int64)
    event_day = np.empty(n + 1, dtype=np.int64)
    cross_hub = np.empty(n_conn, dtype=np.int64)
    cross_day = np.empty(n_conn, dtype=np.int64)
    n_c = n_e = n_x = 0
    if n:
        if kind[0] == KIND_CONNECTION:
            event_hub[0] = conn_from[ref[0]]
            event_day[0] = conn_dep_day[ref[0]]
        else:
            event_hub[0] = link_from[ref[0]]
            event_day[0] = day_index(day_start_h, dep_h[0])
        n_e = 1
    for i in range(n):
        r = ref[i]
        if kind[i] == KIND_CONNECTION:
            conns[n_c] = r
            n_c += 1
            to = conn_to[r]
            day = conn_arr_day[r]
            aboard = (i + 1 < n and kind[i + 1] == KIND_CONNECTION
                      and conn_trip[r] == conn_trip[ref[i + 1]])
            if hub_border[to]:
                cross_hub[n_x] = to
                cross_day[n_x] = day
                n_x += 1
        else:
            to = link_to[r]
            day = day_index(day_start_h, arr_h[i])
            aboard = False
        if not aboard or hub_gauge[to]:
            event_hub[n_e] = to
            event_day[n_e] = day
            n_e += 1
    return (conns, event_hub[:n_e].copy(), event_day[:n_e].copy(), cross_hub[:n_x].copy(),
            cross_day[:n_x].copy())

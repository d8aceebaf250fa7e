"""Replay a plan's legs under drawn delays and cancellations, sample by sample (Monte Carlo).

The kernel works on flat arrays only. A plan is a CSR of legs by shipment (:class:`ReplayPlan`);
the timetable's connections and a CSR of rebooking candidates per (from hub, to hub, mode) come
with it. Draws are given per sample (:class:`ReplayDraws`): a running-time factor, extra hours
and a cancellation flag per trip, an extra dwell per hub, a factor and extra hours per link.

Vehicles: a trip's connections run in order; a connection's running time is its scheduled one
times the trip's factor plus its share of the trip's extra hours; a vehicle leaves a stop no
earlier than scheduled and no earlier than it arrived there plus the stop hub's extra dwell (a
train held at a border queue). Delays are never recovered.

Shipments: the first leg boards its planned departure (freight is at the origin as planned). A
change of vehicle at a hub needs ``leg_gap_h`` (the hub's dwell plus the minimum connection time)
plus the hub's extra dwell; staying aboard needs nothing. A shipment that finds its planned
departure gone or cancelled is rebooked (policy :data:`REBOOK_SAME_SERVICE_FIRST`): the first
later departure, in timetable order, of the same service on the same leg that is not cancelled
and leaves after the freight is ready; failing that, the first such departure of any service of
the same mode on that leg. Every leg ridden on a departure other than the planned one is paid
again at that departure's tariff (the missed booking is forfeited). A shipment with no departure
left is stranded: its arrival is ``inf``. Link legs (trucks) leave when the freight is ready,
never before their planned time, and run their planned time times the link's factor plus its
extra hours.

Capacity (:class:`ReplayCapacity`, when given): the plan's own loads keep their space on every
departure they were booked on, missed or not (a forfeited booking is not resold), and a
rebooking may only take a departure whose space left after those loads, and after the
rebookings made before it in the same sample, holds the shipment's kg, TEU and positions on
every leg it will ride on that vehicle (the rebooked leg and the legs after it that the plan
rides through aboard). Same service first still holds: a full departure of the planned service
is passed over for the next one of that service with space, and only when none has space is
any service of the mode tried. Rebookings in a sample are served first come, first served: in
order of the time the freight is ready at the hub, ties by ``ship_rank`` (the priority order
the plan was booked in). A shipment that finds no departure with space is stranded. Hub-day
and border-day capacities are not checked again: the drawn dwell is the queue.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from ._heap import lazy_heap_new, lazy_heap_pop, lazy_heap_push
from .timetable.capacity import CAPACITY_TOLERANCE

#: Leg kinds of :attr:`ReplayPlan.leg_kind`.
LEG_SERVICE: Final[int] = 0
LEG_LINK: Final[int] = 1
#: The one rebooking policy: same service first, then any service of the same mode on the leg.
REBOOK_SAME_SERVICE_FIRST: Final[str] = "same service first, then any service on the same leg"


class ReplayPlan(NamedTuple):
    """A plan and its timetable as flat arrays (int64 indices, float64 hours, USD, kg).

    Shipments (``n``): ``ship_indptr`` (n + 1, legs of shipment i are
    ``ship_indptr[i]:ship_indptr[i + 1]``), ``ship_tail_h`` (planned arrival at the destination
    minus the last leg's vehicle arrival: dwell, import clearance, release), ``ship_dest`` (hub),
    ``ship_kg``, ``ship_q`` (n x n_q quantities the tariffs apply to).

    Legs: ``leg_kind`` (:data:`LEG_SERVICE` or :data:`LEG_LINK`), ``leg_conn`` (planned
    connection, -1 for a link), ``leg_from``, ``leg_to`` (hubs), ``leg_stay`` (1 when the plan
    stays aboard the previous leg's vehicle), ``leg_gap_h`` (hub dwell plus minimum connection
    time before the leg), ``leg_pair`` (candidate list, -1 for a link), ``leg_pos`` (position of
    the planned connection in it), ``leg_dep_h`` (planned departure), ``leg_run_h`` (planned
    running time of a link), ``leg_link`` (link draw column, -1 for a service).

    Candidates: ``pair_indptr``, ``pair_conn`` (connections of each (from, to, mode) in timetable
    order). Connections: ``conn_dep_h``, ``conn_arr_h``, ``conn_from``, ``conn_to``,
    ``conn_trip``, ``conn_service``, ``conn_next`` (-1 at a trip's end), ``conn_share`` (the
    connection's share of its trip's running time), ``conn_rate`` (n_conn x n_q USD per unit).
    Trips: ``trip_first`` (first connection).
    """

    ship_indptr: NDArray[np.int64]
    ship_tail_h: NDArray[np.float64]
    ship_dest: NDArray[np.int64]
    ship_kg: NDArray[np.float64]
    ship_q: NDArray[np.float64]
    leg_kind: NDArray[np.int64]
    leg_conn: NDArray[np.int64]
    leg_from: NDArray[np.int64]
    leg_to: NDArray[np.int64]
    leg_stay: NDArray[np.int64]
    leg_gap_h: NDArray[np.float64]
    leg_pair: NDArray[np.int64]
    leg_pos: NDArray[np.int64]
    leg_dep_h: NDArray[np.float64]
    leg_run_h: NDArray[np.float64]
    leg_link: NDArray[np.int64]
    pair_indptr: NDArray[np.int64]
    pair_conn: NDArray[np.int64]
    conn_dep_h: NDArray[np.float64]
    conn_arr_h: NDArray[np.float64]
    conn_from: NDArray[np.int64]
    conn_to: NDArray[np.int64]
    conn_trip: NDArray[np.int64]
    conn_service: NDArray[np.int64]
    conn_next: NDArray[np.int64]
    conn_share: NDArray[np.float64]
    conn_rate: NDArray[np.float64]
    trip_first: NDArray[np.int64]


class ReplayDraws(NamedTuple):
    """Draws per sample (rows): ``trip_factor``, ``trip_extra_h``, ``trip_cancelled`` (0/1)
    (samples x n_trips); ``hub_extra_h`` (samples x n_hubs); ``link_factor``, ``link_extra_h``
    (samples x n_links)."""

    trip_factor: NDArray[np.float64]
    trip_extra_h: NDArray[np.float64]
    trip_cancelled: NDArray[np.int64]
    hub_extra_h: NDArray[np.float64]
    link_factor: NDArray[np.float64]
    link_extra_h: NDArray[np.float64]


class ReplayCapacity(NamedTuple):
    """Space for rebookings: ``conn_left`` (n_conn x 3: kg, TEU, positions left on each leg of
    a departure after the plan's own loads; ``inf`` unlimited), ``ship_use`` (n x 3: what each
    shipment takes on a leg it rides) and ``ship_rank`` (n, a permutation: the order in which
    rebookings ready at the same time are served, lowest first)."""

    conn_left: NDArray[np.float64]
    ship_use: NDArray[np.float64]
    ship_rank: NDArray[np.int64]


def no_capacity(plan: ReplayPlan) -> ReplayCapacity:
    """Capacity switched off for ``plan`` (every rebooking fits)."""
    n = plan.ship_tail_h.shape[0]
    return ReplayCapacity(np.zeros((0, 3)), np.zeros((n, 3)), np.arange(n, dtype=np.int64))


class ReplayOut(NamedTuple):
    """What the replay fills: ``arrival_h`` (samples x n shipments, ``inf`` when stranded),
    ``extra_cost_usd`` (n, summed over samples), ``rebooked`` (n, samples in which the shipment
    rode a leg off the plan),
    ``trip_spilled_kg`` (n_trips, planned load that missed the trip, summed over samples),
    ``trip_missed`` (n_trips, samples in which some planned load missed it)."""

    arrival_h: NDArray[np.float64]
    extra_cost_usd: NDArray[np.float64]
    rebooked: NDArray[np.int64]
    trip_spilled_kg: NDArray[np.float64]
    trip_missed: NDArray[np.int64]


def replay(plan: ReplayPlan, draws: ReplayDraws, tolerance_h: float,
           capacity: ReplayCapacity | None = None) -> ReplayOut:
    """Replay ``plan`` under every sample of ``draws`` (module docstring), rebooking within
    ``capacity`` when it is given; allocates the output and runs the jitted kernel.
    ``tolerance_h``: slack in hours when comparing times."""
    out = empty_out(plan, draws)
    cap = _checked(plan, capacity)
    _replay_kernel(*plan, *draws, tolerance_h, capacity is not None, *cap, *out)
    return out


def replay_python(plan: ReplayPlan, draws: ReplayDraws, tolerance_h: float,
                  capacity: ReplayCapacity | None = None) -> ReplayOut:
    """The same replay run as plain Python: the kernel's ``py_func`` with its jitted helpers
    swapped for their ``py_func`` while it runs (the reference the benchmark measures the
    kernel against; not thread-safe)."""
    out = empty_out(plan, draws)
    cap = _checked(plan, capacity)
    helpers: dict[str, Any] = {
        "_tariff": _tariff, "_run_vehicles": _run_vehicles, "_rebook": _rebook,
        "_spill": _spill, "_ride": _ride,
        "lazy_heap_new": lazy_heap_new, "lazy_heap_push": lazy_heap_push,
        "lazy_heap_pop": lazy_heap_pop}
    module = globals()
    try:
        module.update({name: f.py_func for name, f in helpers.items()})
        _replay_kernel.py_func(*plan, *draws, tolerance_h, capacity is not None, *cap, *out)
    finally:
        module.update(helpers)
    return out


def _checked(plan: ReplayPlan, capacity: ReplayCapacity | None) -> ReplayCapacity:
    """``capacity`` (or :func:`no_capacity`), ``ValueError`` unless its shapes fit ``plan``."""
    if capacity is None:
        return no_capacity(plan)
    n, n_conn = plan.ship_tail_h.shape[0], plan.conn_dep_h.shape[0]
    want = {"conn_left": (n_conn, 3), "ship_use": (n, 3), "ship_rank": (n,)}
    for name, shape in want.items():
        a = getattr(capacity, name)
        if a.shape != shape or not a.flags.c_contiguous:
            raise ValueError(f"replay capacity {name} must be a C-contiguous array of shape "
                             f"{shape}")
    if not np.array_equal(np.sort(capacity.ship_rank), np.arange(n)):
        raise ValueError("replay capacity ship_rank must be a permutation of the shipments")
    return capacity


def empty_out(plan: ReplayPlan, draws: ReplayDraws) -> ReplayOut:
    """Zeroed output arrays for ``plan`` and ``draws``."""
    n_samples = draws.trip_factor.shape[0]
    n = plan.ship_tail_h.shape[0]
    n_trips = plan.trip_first.shape[0]
    return ReplayOut(
        arrival_h=np.zeros((n_samples, n), dtype=np.float64),
        extra_cost_usd=np.zeros(n, dtype=np.float64),
        rebooked=np.zeros(n, dtype=np.int64),
        trip_spilled_kg=np.zeros(n_trips, dtype=np.float64),
        trip_missed=np.zeros(n_trips, dtype=np.int64))


@njit(cache=True)
def _tariff(conn_rate: np.ndarray, c: int, ship_q: np.ndarray, i: int) -> float:
    total = 0.0
    for j in range(conn_rate.shape[1]):
        total += conn_rate[c, j] * ship_q[i, j]
    return total


@njit(cache=True)
def _run_vehicles(s: int, conn_dep_h: np.ndarray, conn_arr_h: np.ndarray, conn_from: np.ndarray,
                  conn_trip: np.ndarray, conn_next: np.ndarray, conn_share: np.ndarray,
                  trip_first: np.ndarray, trip_factor: np.ndarray, trip_extra_h: np.ndarray,
                  hub_extra_h: np.ndarray, act_dep: np.ndarray, act_arr: np.ndarray) -> None:
    """Actual departure and arrival of every connection in sample ``s``."""
    for t in range(trip_first.shape[0]):
        c = trip_first[t]
        ready = -np.inf
        first = True
        while c >= 0:
            dep = conn_dep_h[c]
            if not first:
                dep = max(dep, ready + hub_extra_h[s, conn_from[c]])
            run = (conn_arr_h[c] - conn_dep_h[c]) * trip_factor[s, conn_trip[c]]
            run += trip_extra_h[s, conn_trip[c]] * conn_share[c]
            act_dep[c] = dep
            # A train reaches the next stop no earlier than the dwell there allows.
            ready = dep + run + (conn_dep_h[conn_next[c]] - conn_arr_h[c] if conn_next[c] >= 0
                                 else 0.0)
            act_arr[c] = dep + run
            first = False
            c = conn_next[c]


@njit(cache=True)
def _ride(c: int, k: int, end: int, leg_stay: np.ndarray, leg_to: np.ndarray,
          conn_to: np.ndarray, conn_next: np.ndarray, conn_left: np.ndarray, use: np.ndarray,
          take: bool) -> bool:
    """Whether the legs a shipment boarding ``c`` for its leg ``k`` rides on that vehicle
    (``c`` and the legs after it ridden through aboard, up to leg ``end``) all have room for
    ``use``; with ``take``, take that room (only call it so after a check)."""
    kk = k
    while True:
        if take:
            for j in range(3):
                conn_left[c, j] -= use[j]
        else:
            for j in range(3):
                if conn_left[c, j] < use[j] - CAPACITY_TOLERANCE:
                    return False
        nxt = conn_next[c]
        kk += 1
        # The walk's stay-aboard rule: the plan stays and this vehicle goes on to the leg's hub.
        if kk >= end or leg_stay[kk] != 1 or nxt < 0 or conn_to[nxt] != leg_to[kk]:
            return True
        c = nxt


@njit(cache=True)
def _rebook(c_plan: int, pair_end: int, pos: int, pair_conn: np.ndarray,
            conn_service: np.ndarray, conn_trip: np.ndarray, act_dep: np.ndarray,
            cancelled: np.ndarray, s: int, ready: float, tolerance_h: float, capacity_on: bool,
            k: int, end: int, leg_stay: np.ndarray, leg_to: np.ndarray, conn_to: np.ndarray,
            conn_next: np.ndarray, conn_left: np.ndarray, use: np.ndarray) -> int:
    """The departure a shipment ready at ``ready`` is rebooked onto after missing ``c_plan``
    for its leg ``k`` (same service first, then any on the leg; with ``capacity_on`` only one
    with room for the ride, which it takes), or -1."""
    for attempt in range(2):
        same = attempt == 0
        for j in range(pos + 1, pair_end):
            c = int(pair_conn[j])
            if same and conn_service[c] != conn_service[c_plan]:
                continue
            if cancelled[s, conn_trip[c]] != 0 or act_dep[c] < ready - tolerance_h:
                continue
            if capacity_on:
                if not _ride(c, k, end, leg_stay, leg_to, conn_to, conn_next, conn_left, use,
                             False):
                    continue
                _ride(c, k, end, leg_stay, leg_to, conn_to, conn_next, conn_left, use, True)
            return c
    return -1


@njit(cache=True)
def _spill(trip: int, kg: float, s: int, trip_spilled_kg: np.ndarray, trip_missed: np.ndarray,
           last_missed: np.ndarray) -> None:
    """Count ``kg`` planned onto ``trip`` that missed it in sample ``s``."""
    trip_spilled_kg[trip] += kg
    if last_missed[trip] != s:
        last_missed[trip] = s
        trip_missed[trip] += 1


# One loop, not split into helpers: a call per shipment passing ~40 arrays costs more than
# the walk it would hold.
@njit(cache=True)
def _replay_kernel(  # noqa: C901
    ship_indptr: np.ndarray, ship_tail_h: np.ndarray, ship_dest: np.ndarray,
    ship_kg: np.ndarray, ship_q: np.ndarray, leg_kind: np.ndarray, leg_conn: np.ndarray,
    leg_from: np.ndarray, leg_to: np.ndarray, leg_stay: np.ndarray, leg_gap_h: np.ndarray,
    leg_pair: np.ndarray, leg_pos: np.ndarray, leg_dep_h: np.ndarray, leg_run_h: np.ndarray,
    leg_link: np.ndarray, pair_indptr: np.ndarray, pair_conn: np.ndarray,
    conn_dep_h: np.ndarray, conn_arr_h: np.ndarray, conn_from: np.ndarray, conn_to: np.ndarray,
    conn_trip: np.ndarray, conn_service: np.ndarray, conn_next: np.ndarray,
    conn_share: np.ndarray, conn_rate: np.ndarray, trip_first: np.ndarray,
    trip_factor: np.ndarray, trip_extra_h: np.ndarray, trip_cancelled: np.ndarray,
    hub_extra_h: np.ndarray, link_factor: np.ndarray, link_extra_h: np.ndarray,
    tolerance_h: float, capacity_on: bool, cap_conn_left: np.ndarray, ship_use: np.ndarray,
    ship_rank: np.ndarray, arrival_h: np.ndarray, extra_cost_usd: np.ndarray,
    rebooked: np.ndarray, trip_spilled_kg: np.ndarray, trip_missed: np.ndarray,
) -> None:
    n_samples = arrival_h.shape[0]
    n = ship_tail_h.shape[0]
    act_dep = np.empty(conn_dep_h.shape[0], dtype=np.float64)
    act_arr = np.empty(conn_dep_h.shape[0], dtype=np.float64)
    last_missed = np.full(trip_first.shape[0], -1, dtype=np.int64)
    walk_leg = np.empty(n, dtype=np.int64)
    walk_cur = np.empty(n, dtype=np.int64)
    walk_moved = np.empty(n, dtype=np.int64)
    walk_t = np.empty(n, dtype=np.float64)
    walk_extra = np.empty(n, dtype=np.float64)
    walk_ready = np.empty(n, dtype=np.float64)
    ship_of_rank = np.empty(n, dtype=np.int64)
    for i in range(n):
        ship_of_rank[ship_rank[i]] = i
    conn_left = cap_conn_left.copy()
    heap_keys, heap_ranks = lazy_heap_new(n)
    for s in range(n_samples):
        _run_vehicles(s, conn_dep_h, conn_arr_h, conn_from, conn_trip, conn_next, conn_share,
                      trip_first, trip_factor, trip_extra_h, hub_extra_h, act_dep, act_arr)
        if capacity_on:
            conn_left[:, :] = cap_conn_left
        # Every shipment is walked once from its first leg (with capacity on, up to its first
        # rebooking, which waits in the heap); then the rebookings, first come (freight ready
        # at the hub) first served, each walk resuming to the next.
        fresh, size = 0, 0
        while True:
            resume = False
            if fresh < n:
                i = fresh
                fresh += 1
                k, cur, t = ship_indptr[i], -1, 0.0
                walk_moved[i], walk_extra[i] = 0, 0.0
            elif size > 0:
                _, rank, size = lazy_heap_pop(heap_keys, heap_ranks, size)
                i = ship_of_rank[rank]
                k, cur, t = walk_leg[i], walk_cur[i], walk_t[i]
                resume = True
            else:
                break
            end = ship_indptr[i + 1]
            stranded, waiting = False, False
            while k < end:
                if resume:
                    resume = False
                    p = leg_pair[k]
                    cur = _rebook(leg_conn[k], pair_indptr[p + 1], pair_indptr[p] + leg_pos[k],
                                  pair_conn, conn_service, conn_trip, act_dep, trip_cancelled,
                                  s, walk_ready[i], tolerance_h, True, k, end, leg_stay,
                                  leg_to, conn_to, conn_next, conn_left, ship_use[i])
                    if cur < 0:
                        stranded = True
                        break
                else:
                    ready = leg_dep_h[k] if k == ship_indptr[i] else (
                        t + leg_gap_h[k] + hub_extra_h[s, leg_from[k]])
                    if leg_kind[k] == LEG_LINK:
                        dep = max(leg_dep_h[k], ready)
                        lk = leg_link[k]
                        t = dep + leg_run_h[k] * link_factor[s, lk] + link_extra_h[s, lk]
                        cur = -1
                        k += 1
                        continue
                    if (leg_stay[k] == 1 and cur >= 0 and conn_next[cur] >= 0
                            and conn_to[conn_next[cur]] == leg_to[k]):
                        cur = conn_next[cur]
                    else:
                        c_plan = leg_conn[k]
                        if (trip_cancelled[s, conn_trip[c_plan]] == 0
                                and act_dep[c_plan] >= ready - tolerance_h):
                            cur = c_plan
                        else:
                            if leg_stay[k] == 0:
                                _spill(conn_trip[c_plan], ship_kg[i], s, trip_spilled_kg,
                                       trip_missed, last_missed)
                            if capacity_on:
                                walk_leg[i], walk_cur[i], walk_t[i] = k, cur, t
                                walk_ready[i] = ready
                                waiting = True
                                break
                            p = leg_pair[k]
                            cur = _rebook(c_plan, pair_indptr[p + 1],
                                          pair_indptr[p] + leg_pos[k], pair_conn, conn_service,
                                          conn_trip, act_dep, trip_cancelled, s, ready,
                                          tolerance_h, False, k, end, leg_stay, leg_to,
                                          conn_to, conn_next, conn_left, ship_use[i])
                            if cur < 0:
                                stranded = True
                                break
                if cur != leg_conn[k]:
                    walk_extra[i] += _tariff(conn_rate, cur, ship_q, i)
                    walk_moved[i] += 1
                t = act_arr[cur]
                k += 1
            if waiting:
                heap_keys, heap_ranks, size = lazy_heap_push(heap_keys, heap_ranks, size,
                                                             walk_ready[i], ship_rank[i])
                continue
            if stranded:
                arrival_h[s, i] = np.inf
            else:
                arrival_h[s, i] = t + ship_tail_h[i] + hub_extra_h[s, ship_dest[i]]
            extra_cost_usd[i] += walk_extra[i]
            if walk_moved[i] > 0:
                rebooked[i] += 1

"""A plain-Python replay written from the rules of :mod:`silkroad_routing.core.replay`, not from
its kernel: an event loop over shipments, rebookings served by ``min`` over the waiting ones,
candidates found by scanning every connection of the timetable for the leg's hubs and mode.

Used by the tests as the independent reference for rebooking within capacity."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from silkroad_routing.core.replay import LEG_LINK, ReplayCapacity, ReplayDraws, ReplayPlan

CAP_TOL = 1e-9


@dataclass
class _Walk:
    leg: int
    t: float = 0.0
    cur: int = -1
    extra: float = 0.0
    moved: int = 0
    ready: float = 0.0
    waiting: bool = False
    done: bool = False
    stranded: bool = False
    ridden: list[int] = field(default_factory=list)


def _vehicles(p: ReplayPlan, d: ReplayDraws, s: int) -> tuple[list[float], list[float]]:
    """Actual departure and arrival of each connection: trips walked stop by stop."""
    n_conn = len(p.conn_dep_h)
    dep, arr = [0.0] * n_conn, [0.0] * n_conn
    for head in p.trip_first.tolist():
        c, arrived_h = head, None
        while c >= 0:
            trip = p.conn_trip[c]
            leave = p.conn_dep_h[c]
            if arrived_h is not None:  # held by the dwell drawn at this stop
                leave = max(leave, arrived_h + d.hub_extra_h[s, p.conn_from[c]])
            run = ((p.conn_arr_h[c] - p.conn_dep_h[c]) * d.trip_factor[s, trip]
                   + d.trip_extra_h[s, trip] * p.conn_share[c])
            dep[c], arr[c] = leave, leave + run
            nxt = p.conn_next[c]
            arrived_h = arr[c] + (p.conn_dep_h[nxt] - p.conn_arr_h[c] if nxt >= 0 else 0.0)
            c = nxt
    return dep, arr


def _candidates(p: ReplayPlan, conn_mode: np.ndarray, c_plan: int) -> list[int]:
    """Connections after ``c_plan`` in timetable order with its hubs and mode."""
    return [c for c in range(len(p.conn_dep_h)) if c > c_plan
            and p.conn_from[c] == p.conn_from[c_plan] and p.conn_to[c] == p.conn_to[c_plan]
            and conn_mode[c] == conn_mode[c_plan]]


def _ride_of(p: ReplayPlan, c: int, k: int, end: int) -> list[int]:
    ride = [c]
    while (k + 1 < end and p.leg_stay[k + 1] == 1 and p.conn_next[c] >= 0
           and p.conn_to[p.conn_next[c]] == p.leg_to[k + 1]):
        c, k = int(p.conn_next[c]), k + 1
        ride.append(c)
    return ride


class _Sample:
    """One sample's replay: vehicles run, then shipments walked and rebooked."""

    def __init__(self, p: ReplayPlan, d: ReplayDraws, s: int, tol: float,
                 conn_mode: np.ndarray, cap: ReplayCapacity | None,
                 spilled: np.ndarray, missed: np.ndarray) -> None:
        self.p, self.d, self.s, self.tol, self.conn_mode, self.cap = p, d, s, tol, conn_mode, cap
        self.dep, self.arr = _vehicles(p, d, s)
        self.left = None if cap is None else cap.conn_left.copy()
        self.spilled, self.missed, self.missed_now = spilled, missed, set()

    def rebook(self, i: int, k: int, ready: float) -> int:
        """Same service first, then any; with capacity only a ride with room (taken)."""
        p, d = self.p, self.d
        c_plan = int(p.leg_conn[k])
        cands = _candidates(p, self.conn_mode, c_plan)
        same = [c for c in cands if p.conn_service[c] == p.conn_service[c_plan]]
        for c in same + cands:
            if d.trip_cancelled[self.s, p.conn_trip[c]] or self.dep[c] < ready - self.tol:
                continue
            if self.left is not None and self.cap is not None:
                ride = _ride_of(p, c, k, int(p.ship_indptr[i + 1]))
                use = self.cap.ship_use[i]
                if any(self.left[r, j] < use[j] - CAP_TOL for r in ride for j in range(3)):
                    continue
                for r in ride:
                    self.left[r] -= use
            return c
        return -1

    def board(self, i: int, w: _Walk, k: int) -> int | None:
        """The connection leg ``k`` rides without rebooking; None when it must be rebooked."""
        p, d = self.p, self.d
        nxt = p.conn_next[w.cur] if w.cur >= 0 else -1
        c_plan = int(p.leg_conn[k])
        if p.leg_stay[k] == 1 and nxt >= 0 and p.conn_to[nxt] == p.leg_to[k]:
            return int(nxt)
        if not d.trip_cancelled[self.s, p.conn_trip[c_plan]] and self.dep[c_plan] >= w.ready - self.tol:
            return c_plan
        if p.leg_stay[k] == 0:
            trip = int(p.conn_trip[c_plan])
            self.spilled[trip] += p.ship_kg[i]
            if trip not in self.missed_now:
                self.missed_now.add(trip)
                self.missed[trip] += 1
        return None

    def walk(self, i: int, w: _Walk, resumed: bool) -> None:
        """Walk ``w`` on until it arrives, is stranded or (capacity on) waits to rebook."""
        p, d, s = self.p, self.d, self.s
        end = int(p.ship_indptr[i + 1])
        while w.leg < end:
            k = w.leg
            if resumed:
                resumed = False
                c: int | None = self.rebook(i, k, w.ready)
            else:
                w.ready = (p.leg_dep_h[k] if k == p.ship_indptr[i]
                           else w.t + p.leg_gap_h[k] + d.hub_extra_h[s, p.leg_from[k]])
                if p.leg_kind[k] == LEG_LINK:
                    lk = p.leg_link[k]
                    w.t = (max(p.leg_dep_h[k], w.ready) + p.leg_run_h[k] * d.link_factor[s, lk]
                           + d.link_extra_h[s, lk])
                    w.cur, w.leg = -1, k + 1
                    continue
                c = self.board(i, w, k)
                if c is None:
                    if self.left is not None:
                        w.waiting = True
                        return
                    c = self.rebook(i, k, w.ready)
            if c < 0:
                w.stranded = True
                break
            if c != p.leg_conn[k]:
                w.extra += float(p.conn_rate[c] @ p.ship_q[i])
                w.moved += 1
            w.t, w.cur, w.leg = self.arr[c], c, k + 1
        w.done = True


def reference_replay(p: ReplayPlan, d: ReplayDraws, tol: float, conn_mode: np.ndarray,
                     cap: ReplayCapacity | None) -> dict[str, np.ndarray]:
    """Arrivals (samples x n), extra cost and rebooked counts (n), spilled kg and missed
    counts (n_trips), as :class:`~silkroad_routing.core.replay.ReplayOut` holds them."""
    n_samples, n = d.trip_factor.shape[0], len(p.ship_tail_h)
    n_trips = len(p.trip_first)
    arrival = np.zeros((n_samples, n))
    extra_cost, rebooked = np.zeros(n), np.zeros(n, dtype=np.int64)
    spilled, missed = np.zeros(n_trips), np.zeros(n_trips, dtype=np.int64)
    rank = np.arange(n) if cap is None else cap.ship_rank
    for s in range(n_samples):
        sample = _Sample(p, d, s, tol, conn_mode, cap, spilled, missed)
        walks = [_Walk(leg=int(p.ship_indptr[i])) for i in range(n)]
        for i, w in enumerate(walks):
            sample.walk(i, w, False)
        while waiting := [i for i, w in enumerate(walks) if w.waiting]:
            i = min(waiting, key=lambda j: (walks[j].ready, rank[j]))
            walks[i].waiting = False
            sample.walk(i, walks[i], True)
        for i, w in enumerate(walks):
            arrival[s, i] = math.inf if w.stranded else (
                w.t + p.ship_tail_h[i] + d.hub_extra_h[s, p.ship_dest[i]])
            extra_cost[i] += w.extra
            rebooked[i] += w.moved > 0
    return {"arrival_h": arrival, "extra_cost_usd": extra_cost, "rebooked": rebooked,
            "trip_spilled_kg": spilled, "trip_missed": missed}

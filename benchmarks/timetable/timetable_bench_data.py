"""Benchmark data for timetable routing: an e-commerce export mix and the time-expanded graph.

``ecommerce_shipments``: seeded consignments from Zhengzhou (airport, bonded zone, rail port) to
European and Central Asian hubs, ready over four weeks at the hourly cut-offs of a fulfilment
centre; mostly consolidated parcels and pallets, some full containers.

``TimeExpandedGraph``: the peers' model of the same earliest-arrival problem, an event-based
time-expanded graph (arc weights are hours) built from a compiled timetable:

* per connection a departure and an arrival node (ride; staying aboard to the trip's next leg);
* per (hub, arriving state) a chain of event nodes in time order with waiting arcs: freight
  becoming available (alighting + dwell, or a shipment's ready time) and boarding deadlines
  (departure minus the transfer time from that state), each deadline with an arc to its
  departure node;
* trucks: from every availability event, one arc per state reachable by links, to the first
  event there no earlier than the fastest truck chain allows (the chain durations come from a
  static all-pairs Dijkstra over links and transfers), and one arc per hub to that hub's sink
  with the exact chain duration.

The distance from a shipment's ready event to the sink of its destination is its earliest
arrival minus its ready time; the benchmark asserts it equals the connection scan's.
"""

from __future__ import annotations

from datetime import datetime

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import silkroad_routing as sr
from silkroad_routing.compile.shipments import shipment_table
from silkroad_routing.compile.timetable import Timetable
from silkroad_routing.units import MODE_START

N_STATES = MODE_START + 1
ORIGINS = {"CGO": 0.5, "CNCGO-BZ": 0.3, "CNCGO": 0.2}
# Weights: rough shares of Zhengzhou's e-commerce exports by gateway (assumed for the benchmark).
DESTINATIONS = {
    "DEHAM": 8, "FRA": 8, "LUX": 6, "LGG": 6, "NLRTM": 6, "BEANR": 4, "DEDUI": 5, "DEMUC": 4,
    "PLWAW": 5, "PLGDN": 2, "BELGG": 3, "ITMIL": 3, "MXP": 3, "HUBUD": 3, "BUD": 3, "CDG": 4,
    "LHR": 4, "BLL": 2, "GRPIR": 2, "ROCND": 1, "RUMOW": 4, "KZALA": 5, "UZTAS": 3,
}


def ecommerce_frame(n: int, start: datetime, seed: int) -> pd.DataFrame:
    """``n`` shipments ready over 28 days from ``start`` (hourly cut-offs 08:00-20:00 UTC),
    due 5-30 days after; 10 % full containers, 15 % barred from air (lithium batteries); as a
    demand-file table (times UTC, ``modes`` as ``rail;sea;road``, ``units_feu`` nullable)."""
    rng = np.random.default_rng(seed)
    origins = rng.choice(list(ORIGINS), n, p=list(ORIGINS.values()))
    weights = np.array(list(DESTINATIONS.values()), dtype=float)
    dests = rng.choice(list(DESTINATIONS), n, p=weights / weights.sum())
    day = rng.integers(0, 28, n)
    hour = rng.integers(8, 21, n)
    kg = np.minimum(rng.lognormal(np.log(300.0), 1.0, n), 20_000.0).round(1)
    density = rng.lognormal(np.log(180.0), 0.5, n)  # kg/m3: parcels are light
    m3 = np.maximum((kg / density).round(2), 0.01)
    fcl = rng.random(n) < 0.10
    no_air = rng.random(n) < 0.15
    slack_days = rng.choice([5, 10, 20, 30], n)
    ready = pd.Timestamp(start) + pd.to_timedelta(day, "D") + pd.to_timedelta(hour, "h")
    return pd.DataFrame({
        "id": [f"E{i:06d}" for i in range(n)], "origin": origins, "destination": dests,
        "ready": ready, "due": ready + pd.to_timedelta(slack_days, "D"),
        "weight_kg": np.where(fcl, 12_000.0, kg), "volume_m3": np.where(fcl, 60.0, m3),
        "units_feu": pd.Series(np.where(fcl, 1, 0), dtype="Int64").where(fcl, pd.NA),
        "cargo_class": "ecommerce",
        "modes": np.where(no_air, "rail;sea;road", ";".join(m.value for m in sr.Mode))})


def ecommerce_shipments(n: int, start: datetime, seed: int) -> list[sr.Shipment]:
    """The shipments of :func:`ecommerce_frame` as records (checked by ``shipment_table``)."""
    return shipment_table(ecommerce_frame(n, start, seed)).records()


class TimeExpandedGraph:
    """Event-based time-expanded graph of ``tt`` for earliest arrival from the given sources
    (hub index, ready hours)."""

    def __init__(self, tt: Timetable, sources: list[tuple[int, float]]) -> None:
        n_conn, n_hubs = tt.n_connections, tt.n_hubs
        dwell = tt.hub_dwell_h
        events: list[tuple[int, float]] = []  # (state, time)
        board: list[tuple[int, float, int, float]] = []  # (state, time, connection, weight)
        for c in range(n_conn):
            x, mc, dep = tt.conn_from[c], tt.conn_mode[c], tt.conn_dep_h[c]
            for s in range(N_STATES):
                if tt.transfer_allowed[x, s, mc]:
                    t = dep - tt.transfer_h[x, s, mc]
                    board.append((x * N_STATES + s, t, c, tt.transfer_h[x, s, mc]))
        arrivals = [(tt.conn_to[c] * N_STATES + tt.conn_mode[c],
                     tt.conn_arr_h[c] + dwell[tt.conn_to[c]]) for c in range(n_conn)]
        starts = [(o * N_STATES + MODE_START, t) for o, t in sources]
        events = [(s, t) for s, t, _, _ in board] + arrivals + starts
        table = np.array(sorted(set(events)), dtype=float).reshape(-1, 2)
        self._state = table[:, 0].astype(np.int64)
        self._time = table[:, 1]
        first_sink = 2 * n_conn + len(table)
        self.n = first_sink + n_hubs
        self._first_event = 2 * n_conn
        self._first_sink = first_sink
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        weights: list[np.ndarray] = []

        def add(u: np.ndarray, v: np.ndarray, w: np.ndarray) -> None:
            rows.append(np.asarray(u, np.int64))
            cols.append(np.asarray(v, np.int64))
            weights.append(np.asarray(w, float))

        # Rides, staying aboard, alighting.
        c = np.arange(n_conn)
        add(c, n_conn + c, tt.conn_arr_h - tt.conn_dep_h)
        nxt = tt.conn_next >= 0
        add(n_conn + c[nxt], tt.conn_next[nxt], tt.conn_dep_h[tt.conn_next[nxt]]
            - tt.conn_arr_h[nxt])
        arr_nodes = np.array([self.event(s, t) for s, t in arrivals], dtype=np.int64)
        add(n_conn + c, arr_nodes, dwell[tt.conn_to])
        # Waiting chains and boarding.
        same = self._state[1:] == self._state[:-1]
        e = np.arange(len(table)) + self._first_event
        add(e[:-1][same], e[1:][same], np.diff(self._time)[same])
        add([self.event(s, t) for s, t, _, _ in board], [b[2] for b in board],
            [b[3] for b in board])
        # Trucks: all-pairs fastest link chains between states, then one arc per target state.
        chain = self._truck_chains(tt)
        avail = np.unique(np.concatenate([arr_nodes, [self.event(s, t) for s, t in starts]]))
        a_state = self._state[avail - self._first_event]
        a_time = self._time[avail - self._first_event]
        bounds = np.searchsorted(self._state, np.arange(n_hubs * N_STATES + 1))
        for target in range(n_hubs * N_STATES):
            d = chain[a_state, target]
            ok = np.isfinite(d) & (a_state != target)
            lo, hi = bounds[target], bounds[target + 1]
            if not ok.any() or lo == hi:
                continue
            k = lo + np.searchsorted(self._time[lo:hi], a_time[ok] + d[ok] - 1e-9)
            hit = k < hi
            add(avail[ok][hit], k[hit] + self._first_event,
                self._time[k[hit]] - a_time[ok][hit])
        for hub in range(n_hubs):
            d = chain[a_state][:, hub * N_STATES: hub * N_STATES + N_STATES].min(axis=1)
            d = np.where(a_state // N_STATES == hub, 0.0, d)
            ok = np.isfinite(d)
            add(avail[ok], np.full(ok.sum(), first_sink + hub), d[ok])
        u, v, w = np.concatenate(rows), np.concatenate(cols), np.concatenate(weights)
        order = np.lexsort((w, v, u))  # keep the lightest of parallel arcs
        u, v, w = u[order], v[order], w[order]
        first = np.r_[True, (u[1:] != u[:-1]) | (v[1:] != v[:-1])]
        self.u, self.v, self.w = u[first], v[first], w[first]
        self.matrix = csr_matrix((self.w, (self.u, self.v)), shape=(self.n, self.n))
        self.n_arcs = int(self.u.shape[0])

    @staticmethod
    def _truck_chains(tt: Timetable) -> np.ndarray:
        n = tt.n_hubs * N_STATES
        link_from = np.repeat(np.arange(tt.n_hubs), np.diff(tt.link_indptr))
        best: dict[tuple[int, int], float] = {}
        for k in range(tt.n_links):
            h, v, ml = link_from[k], tt.link_to[k], tt.link_mode[k]
            for s in range(N_STATES):
                if tt.transfer_allowed[h, s, ml]:
                    w = tt.transfer_h[h, s, ml] + tt.link_duration_h[k] + tt.hub_dwell_h[v]
                    key = (h * N_STATES + s, v * N_STATES + ml)
                    best[key] = min(w, best.get(key, np.inf))
        if not best:
            return np.where(np.eye(n, dtype=bool), 0.0, np.inf)
        (r, c), w = zip(*best, strict=True), list(best.values())
        return dijkstra(csr_matrix((w, (r, c)), shape=(n, n)))

    def event(self, state: int, time_h: float) -> int:
        """Node of the event ``(state, time)`` (it must exist)."""
        lo = np.searchsorted(self._state, state)
        hi = np.searchsorted(self._state, state, side="right")
        k = lo + np.searchsorted(self._time[lo:hi], time_h)
        assert k < hi and self._time[k] == time_h
        return int(k + self._first_event)

    def source(self, hub: int, ready_h: float) -> int:
        """Node of a shipment ready at ``hub`` at ``ready_h``."""
        return self.event(hub * N_STATES + MODE_START, ready_h)

    def sink(self, hub: int) -> int:
        """Node whose distance is the earliest arrival at ``hub`` minus the ready time."""
        return self._first_sink + hub

    def sinks(self) -> slice:
        """Sink nodes of all hubs, in hub order."""
        return slice(self._first_sink, self.n)

    def to_networkx(self) -> nx.DiGraph:
        """The same graph for networkx (arc attribute ``weight``, hours)."""
        graph = nx.DiGraph()
        graph.add_nodes_from(range(self.n))
        graph.add_weighted_edges_from(zip(self.u.tolist(), self.v.tolist(), self.w.tolist(),
                                          strict=True))
        return graph

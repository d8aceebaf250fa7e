"""Routes (columns) of the design master: one journey of one commodity, priced once.

A column is a journey over the timetable -- legs as the kernels return them (kind, connection
or link index, vehicle departure and arrival, hours) -- for one shipment of a commodity. Its
cost per shipment is the tariff (each leg's rate vector times the shipment's quantities, plus
the transfer handling before it unless the freight stays aboard, as in the Plan's leg table),
the CO2 price on its CO2e, the value of time from ready to arrival and the lateness penalty.
Its use of capacity: every connection it rides, and its hub-day handling events (origin,
leaving a vehicle, crossing a gauge-change border; see :mod:`.problem`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ...core.timetable.arrays import KIND_CONNECTION, START
from .problem import DesignProblem


@dataclass(frozen=True)
class Journey:
    """Legs of one journey (arrays of equal length) and the hour the freight is available at
    the destination."""

    kind: NDArray[np.int64]
    ref: NDArray[np.int64]
    dep_h: NDArray[np.float64]
    arr_h: NDArray[np.float64]
    time_h: float


@dataclass
class ColumnPool:
    """The columns generated so far, each priced on entry.

    Per column: ``commodity``, ``journey``, ``tariff_usd``, ``co2e_kg`` and ``cost_usd`` (all
    per shipment; ``cost_usd`` = tariff + CO2 price + value of time + lateness), ``conns``
    (connections ridden) and ``events`` (hub-day ids ``hub * n_days + day``, one per
    handling event).
    """

    problem: DesignProblem
    commodity: list[int] = field(default_factory=list)
    journey: list[Journey] = field(default_factory=list)
    tariff_usd: list[float] = field(default_factory=list)
    co2e_kg: list[float] = field(default_factory=list)
    cost_usd: list[float] = field(default_factory=list)
    conns: list[NDArray[np.int64]] = field(default_factory=list)
    events: list[NDArray[np.int64]] = field(default_factory=list)
    _index: dict[tuple[int, bytes], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        tt = self.problem.tt
        self._link_from = np.repeat(np.arange(tt.n_hubs, dtype=np.int64),
                                    np.diff(tt.link_indptr))

    def __len__(self) -> int:
        return len(self.commodity)

    def find(self, k: int, journey: Journey) -> int:
        """Index of the column (k, journey), -1 if it is not in the pool."""
        return self._index.get(self._key(k, journey), -1)

    @staticmethod
    def _key(k: int, journey: Journey) -> tuple[int, bytes]:
        return int(k), journey.kind.tobytes() + journey.ref.tobytes() + journey.dep_h.tobytes()

    def add(self, k: int, journey: Journey) -> int:
        """Add the column (commodity ``k``, ``journey``) unless present; its index."""
        key = self._key(k, journey)
        found = self._index.get(key)
        if found is not None:
            return found
        tariff, co2, conns, events = self.price(k, journey)
        p = self.problem
        cost = (tariff + p.co2_price_usd_per_kg * co2
                + float(p.time_cost_usd(k, np.array([journey.time_h]))[0]))
        self._index[key] = len(self.commodity)
        self.commodity.append(int(k))
        self.journey.append(journey)
        self.tariff_usd.append(tariff)
        self.co2e_kg.append(co2)
        self.cost_usd.append(cost)
        self.conns.append(conns)
        self.events.append(events)
        return len(self.commodity) - 1

    def price(self, k: int, journey: Journey) -> tuple[float, float, NDArray[np.int64],
                                                     NDArray[np.int64]]:
        """Tariff (USD) and CO2e (kg) of one shipment of ``k`` on ``journey``, the connections
        it rides and its hub-day events."""
        p = self.problem
        tt = p.tt
        kind, ref = journey.kind, journey.ref
        conn = kind == KIND_CONNECTION
        c_ref = np.where(conn, ref, 0)
        l_ref = np.where(conn, 0, ref)
        has_conn, has_link = tt.n_connections > 0, tt.n_links > 0
        mode = np.where(conn, tt.conn_mode[c_ref] if has_conn else 0,
                        tt.link_mode[l_ref] if has_link else 0)
        start = np.where(conn, tt.conn_from[c_ref] if has_conn else 0,
                         self._link_from[l_ref] if has_link else 0)
        end = np.where(conn, tt.conn_to[c_ref] if has_conn else 0,
                       tt.link_to[l_ref] if has_link else 0)
        q = p.q[k]
        n = kind.shape[0]
        freight = np.zeros(n)
        co2 = np.zeros(n)
        if has_conn:
            freight += np.where(conn, tt.conn_rate[c_ref] @ q, 0.0)
            co2 += np.where(conn, tt.arrays.conn_co2e_rate[c_ref] @ q, 0.0)
        if has_link:
            freight += np.where(conn, 0.0, tt.link_rate[l_ref] @ q)
            co2 += np.where(conn, 0.0, tt.arrays.link_co2e_rate[l_ref] @ q)
        # Staying aboard: this leg is the next connection of the previous leg's trip.
        aboard = np.zeros(n, dtype=bool)
        if n > 1 and has_conn:
            aboard[1:] = conn[1:] & conn[:-1] & (tt.conn_next[c_ref[:-1]] == ref[1:])
        prev_state = np.r_[START, mode[:-1]].astype(np.int64)
        handling = np.where(aboard, 0.0, tt.transfer_rate[start, prev_state, mode] @ q)
        tariff = float(freight.sum() + handling.sum())
        # Handling events: the origin when the first leg leaves; each leg's end where the
        # freight leaves the vehicle or crosses a gauge-change border.
        leaves = np.ones(n, dtype=bool)
        leaves[:-1] = ~aboard[1:]
        ends = leaves | p.hub_gauge_change[end]
        hubs = np.r_[start[:1], end[ends]]
        times = np.r_[journey.dep_h[:1], journey.arr_h[ends]]
        events = hubs * p.n_days + p.day_of(times)
        return (tariff, float(co2.sum()), ref[conn].astype(np.int64),
                events.astype(np.int64))

    def commodity_array(self) -> NDArray[np.int64]:
        """Commodity of every column."""
        return np.asarray(self.commodity, dtype=np.int64)

    def cost_array(self) -> NDArray[np.float64]:
        """Cost per shipment of every column, USD."""
        return np.asarray(self.cost_usd, dtype=np.float64)

    def conn_entries(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """``(column, connection)`` pairs: the legs every column rides."""
        return _entries(self.conns)

    def event_entries(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """``(column, hub-day event)`` pairs (with repeats): every column's handling events."""
        return _entries(self.events)


def _entries(lists: list[NDArray[np.int64]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    lengths = np.fromiter((a.size for a in lists), dtype=np.int64, count=len(lists))
    column = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    values = np.concatenate(lists) if lists else np.zeros(0, np.int64)
    return column, values.astype(np.int64)

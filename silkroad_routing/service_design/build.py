"""Network + shipments -> a :class:`~silkroad_routing.solvers.design.DesignProblem`.

The timetable is compiled with the optional services in (each departure of one is a trip the
design may open at the service's ``fixed_cost_usd_per_run``); shipments are validated, priced
and timed by :func:`~silkroad_routing.routing.shipments.shipment_arrays`, exactly as for
``sr.route``, and identical ones grouped (:mod:`~silkroad_routing.solvers.design.commodities`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..compile.timetable import Timetable
from ..kpi import shipment_teu
from ..model import Network, Shipment
from ..routing.shipments import ShipmentArrays
from ..solvers.design import ULD_POSITION_M3, DesignProblem, group_identical

#: Local days covered past the last arrival of the timetable (trucks may run on after it).
DAYS_PAST_TIMETABLE = 30


@dataclass(frozen=True)
class Built:
    """The problem, and what maps it back: per shipment its commodity (``group``)."""

    problem: DesignProblem
    group: NDArray[np.int64]


def shipment_use(records: tuple[Shipment, ...]) -> NDArray[np.float64]:
    """Per shipment (n x 3): kg, TEU (:func:`~silkroad_routing.kpi.shipment_teu`) and ULD
    positions (volume / :data:`ULD_POSITION_M3`) it takes on every leg it rides."""
    return np.array([(s.weight_kg, shipment_teu(s), s.volume_m3 / ULD_POSITION_M3)
                     for s in records], dtype=np.float64).reshape(len(records), 3)


def local_midnights_h(tt: Timetable, tz: Any) -> NDArray[np.float64]:
    """Local midnights in ``tz`` (hours from the timetable's start) from two days before it
    to :data:`DAYS_PAST_TIMETABLE` days after its last arrival."""
    start = pd.Timestamp(tt.start)
    last_h = max(tt.horizon_h, float(tt.conn_arr_h.max()) if tt.n_connections else 0.0)
    first = (start.tz_convert(tz) - pd.Timedelta(days=2)).normalize()
    end = start + pd.Timedelta(hours=last_h) + pd.Timedelta(days=DAYS_PAST_TIMETABLE)
    days = pd.date_range(first, end.tz_convert(tz), freq="D")
    return np.ascontiguousarray((days - start) / pd.Timedelta(hours=1), dtype=np.float64)


def build_problem(network: Network, tt: Timetable, arrays: ShipmentArrays, *, tz: Any,
                  co2_price_usd_per_kg: float, lateness_usd_per_t_h: float,
                  unserved_usd_per_kg: float) -> Built:
    """The design problem of ``arrays`` on ``tt`` (compiled from ``network`` with its
    optional services)."""
    use = shipment_use(arrays.records)
    first, group = group_identical((
        arrays.origin, arrays.destination, arrays.ready_h, arrays.due_h, arrays.mode_mask,
        arrays.q, arrays.weight_kg, use, arrays.vot_usd_per_h))
    services = [network.service_by_id[sid] for sid in tt.service_ids]
    optional = np.array([s.optional for s in services], dtype=bool)
    fixed = np.array([s.fixed_cost_usd_per_run for s in services], dtype=np.float64)
    hubs = network.hubs
    problem = DesignProblem(
        tt=tt,
        origin=arrays.origin[first], destination=arrays.destination[first],
        ready_h=arrays.ready_h[first], due_h=arrays.due_h[first],
        mode_mask=arrays.mode_mask[first], q=np.ascontiguousarray(arrays.q[first]),
        weight_kg=arrays.weight_kg[first], use=np.ascontiguousarray(use[first]),
        vot_usd_per_h=arrays.vot_usd_per_h[first],
        count=np.bincount(group, minlength=first.size).astype(np.int64),
        co2_price_usd_per_kg=co2_price_usd_per_kg, lateness_usd_per_t_h=lateness_usd_per_t_h,
        unserved_usd_per_kg=unserved_usd_per_kg,
        trip_optional=optional[tt.trip_service] if tt.n_trips else np.zeros(0, dtype=bool),
        trip_fixed_usd=fixed[tt.trip_service] if tt.n_trips else np.zeros(0),
        conn_capacity=np.ascontiguousarray(np.column_stack(
            (tt.conn_capacity_kg, tt.conn_capacity_teu, tt.conn_capacity_positions))),
        hub_capacity_t_day=np.array([np.inf if h.capacity_t_day is None else h.capacity_t_day
                                     for h in hubs], dtype=np.float64),
        hub_gauge_change=np.array([h.gauge_change for h in hubs], dtype=bool),
        day_start_h=local_midnights_h(tt, tz))
    return Built(problem, group)

"""A service network design instance as arrays: timetable, commodities, costs and capacities.

Everything the solver needs, in hours from the timetable's start, USD, kg, TEU and ULD
positions. A *commodity* is a group of identical shipments (:mod:`.commodities`); ``count`` of
them move, each on one route, and a route's cost and use of capacity are per shipment.

Capacity is per leg of a departure (a connection of the timetable): kg, TEU and positions, each
``inf`` when unlimited. A shipment uses its actual kg, its TEU (whole FEUs x 2 for a full
container load, else its volume share of a TEU: :func:`silkroad_routing.kpi.shipment_teu`) and
its positions (volume share of a ULD position,
:data:`~silkroad_routing.units.ULD_POSITION_M3`) on every leg it rides.
Hubs handle ``hub_capacity_t_day`` tonnes per local day (``day_start_h`` are the local
midnights, hours from the start): a shipment is handled at its origin on the day its first leg
leaves, and where it leaves a vehicle or crosses a gauge-change border, on the day of that
vehicle's arrival (as :func:`silkroad_routing.kpi.hub_day_throughput` counts it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ...compile.problem import local_day
from ...compile.timetable import Timetable
from ...units import TIME_TOLERANCE_H


@dataclass(frozen=True, eq=False)
class DesignProblem:
    """One design instance (see the module docstring).

    Commodities (length K): ``origin``, ``destination`` (hub indices), ``ready_h``, ``due_h``
    (``inf`` without a due date), ``mode_mask``, ``q`` (K x 6 tariff quantities of one
    shipment), ``weight_kg``, ``use`` (K x 3: kg, TEU, positions of one shipment),
    ``vot_usd_per_h`` (value of time per shipment), ``count`` (shipments in the commodity).

    Costs: ``co2_price_usd_per_kg`` (per kg CO2e), ``lateness_usd_per_t_h`` (per tonne of a
    shipment and hour past its due time), ``unserved_usd_per_kg`` (per kg left unserved).

    Trips (one per departure of a service, ``tt.n_trips``): ``trip_optional`` (runs only if
    opened), ``trip_fixed_usd`` (cost of running it). ``conn_capacity`` (n_conn x 3) per leg.
    Hubs: ``hub_capacity_t_day`` (``inf`` unlimited), ``hub_gauge_change``; ``day_start_h``
    (increasing local midnights covering every event time); ``border_teu_day`` (``inf``
    unlimited): TEU a day that may cross each border crossing, counted on the legs arriving
    there on their arrival day (:meth:`conn_border_event`).
    """

    tt: Timetable
    origin: NDArray[np.int64]
    destination: NDArray[np.int64]
    ready_h: NDArray[np.float64]
    due_h: NDArray[np.float64]
    mode_mask: NDArray[np.int64]
    q: NDArray[np.float64]
    weight_kg: NDArray[np.float64]
    use: NDArray[np.float64]
    vot_usd_per_h: NDArray[np.float64]
    count: NDArray[np.int64]
    co2_price_usd_per_kg: float
    lateness_usd_per_t_h: float
    unserved_usd_per_kg: float
    trip_optional: NDArray[np.bool_]
    trip_fixed_usd: NDArray[np.float64]
    conn_capacity: NDArray[np.float64]
    hub_capacity_t_day: NDArray[np.float64]
    hub_gauge_change: NDArray[np.bool_]
    day_start_h: NDArray[np.float64]
    border_teu_day: NDArray[np.float64]

    @property
    def n_commodities(self) -> int:
        """Number of commodities K."""
        return int(self.origin.shape[0])

    @property
    def unserved_usd(self) -> NDArray[np.float64]:
        """Penalty of leaving one shipment of each commodity unserved, USD."""
        return self.unserved_usd_per_kg * self.weight_kg

    def search_deadline_h(self) -> NDArray[np.float64]:
        """Latest useful arrival per commodity, hours: past it, lateness alone costs more than
        leaving the shipment unserved (``inf`` without a due date or a lateness penalty)."""
        if self.lateness_usd_per_t_h <= 0:
            return np.full(self.n_commodities, np.inf)
        return (self.due_h + self.unserved_usd / (self.lateness_usd_per_t_h * self.weight_kg / 1000.0)
                + TIME_TOLERANCE_H)

    def time_cost_usd(self, k: int | NDArray[np.int64], arrival_h: NDArray[np.float64]
                      ) -> NDArray[np.float64]:
        """Value of time plus lateness of one shipment of commodity ``k`` arriving at
        ``arrival_h`` (freight available at the destination), USD."""
        return (self.vot_usd_per_h[k] * (arrival_h - self.ready_h[k])
                + self.lateness_usd_per_t_h * self.weight_kg[k] / 1000.0 * self.late_h(k, arrival_h))

    def late_h(self, k: int | NDArray[np.int64], arrival_h: NDArray[np.float64]
               ) -> NDArray[np.float64]:
        """Hours past the due time (0 when on time: within
        :data:`~silkroad_routing.units.TIME_TOLERANCE_H`)."""
        late = arrival_h - self.due_h[k]
        return np.where(late > TIME_TOLERANCE_H, late, 0.0)

    def day_of(self, hours: NDArray[np.float64]) -> NDArray[np.int64]:
        """Local day index of times in hours (:func:`~silkroad_routing.compile.problem.local_day`)."""
        return local_day(self.day_start_h, hours)

    @property
    def n_days(self) -> int:
        """Number of local days covered."""
        return int(self.day_start_h.shape[0])

    def conn_border_event(self) -> NDArray[np.int64]:
        """Per connection, the border-day it crosses (``hub * n_days + day`` of its arrival at
        a border crossing with a TEU limit), -1 for none."""
        tt = self.tt
        limited = np.isfinite(self.border_teu_day)[tt.conn_to]
        event = tt.conn_to * self.n_days + self.day_of(tt.conn_arr_h)
        return np.where(limited, event, -1).astype(np.int64)

    def conn_optional(self) -> NDArray[np.bool_]:
        """Whether each connection belongs to an optional trip."""
        return self.trip_optional[self.tt.conn_trip]

"""One prepared problem for every task: ``prepare(network, shipments) -> Problem``.

A :class:`Problem` is built and validated once -- the timetable expanded over the horizon, the
shipments turned into arrays, the costs and the capacities -- and then handed to routing,
consolidation, network design and capacity-aware assignment, which only read it (as PyVRP's
``ProblemData`` or AequilibraE's prepared graph). The public ``sr.route(network, shipments)``
and the other tasks are thin wrappers that prepare one and solve it.

Capacities, in hours from the timetable's start, kg, TEU and ULD positions:

* per leg of a departure (a connection of the timetable): ``conn_capacity`` (n_conn x 3, kg /
  TEU / positions, ``inf`` unlimited), as the services state them;
* per hub and local day: ``hub_capacity_t_day`` tonnes handled (``inf`` unlimited), local days
  starting at ``day_start_h`` (midnights in ``tz``);
* per border crossing and local day: ``hub_crossing_teu_day`` TEU that may cross there
  (``inf`` unlimited): the hub's ``crossing_capacity_trains_day`` times the TEU a train takes
  there, the largest ``capacity_teu`` of the rail services calling at it
  (:func:`~silkroad_routing.model.capacity.train_teu`).
  A shipment crosses on the day its train arrives at the crossing, with its TEU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import InputError
from ..model import Costs, Network
from ..model.capacity import crossing_teu_day
from .classes import ClassViews
from .shipments import ShipmentArrays, Shipments, shipment_arrays, shipment_table
from .timetable import Timetable, compile_timetable

#: Local days covered past the last arrival of the timetable (trucks may run on after it).
DAYS_PAST_TIMETABLE: Final[int] = 30
#: Longest planning horizon, days: a scenario's longest (a year's ready window, a year's
#: transit and the delivery slack) with room to spare; longer ones would expand timetables of
#: millions of departures.
MAX_DAYS: Final[float] = 1000.0


@dataclass(frozen=True, eq=False)
class Problem:
    """A prepared problem (module docstring): read by every task, never changed by one.

    ``network`` (with any edits applied), ``timetable`` (with the candidate services in when
    ``include_optional``), ``shipments`` (their arrays and columnar table), ``costs``, ``tz`` (the time
    zone of hub-days); capacities ``conn_capacity``, ``hub_capacity_t_day``,
    ``hub_gauge_change`` (hubs where freight is handled again at a gauge change),
    ``hub_crossing_teu_day`` and ``day_start_h``; ``classes``, the timetable as each cargo
    class sees it (:mod:`~silkroad_routing.compile.classes`).
    """

    network: Network
    timetable: Timetable
    shipments: ShipmentArrays
    costs: Costs
    include_optional: bool
    tz: str
    conn_capacity: NDArray[np.float64]
    hub_capacity_t_day: NDArray[np.float64]
    hub_gauge_change: NDArray[np.bool_]
    hub_crossing_teu_day: NDArray[np.float64]
    day_start_h: NDArray[np.float64]
    classes: ClassViews = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "classes", ClassViews(self.network, self.timetable))

    def __len__(self) -> int:
        """Number of shipments."""
        return len(self.shipments)

    def day_of(self, hours: NDArray[np.float64]) -> NDArray[np.int64]:
        """Local day index of times in hours (:func:`local_day`)."""
        return local_day(self.day_start_h, hours)


def local_day(day_start_h: NDArray[np.float64], hours: NDArray[np.float64]) -> NDArray[np.int64]:
    """Index of the local day of each time (``day_start_h[d] <= t < day_start_h[d + 1]``),
    clipped to the days covered."""
    day = np.searchsorted(day_start_h, hours, side="right") - 1
    return np.clip(day, 0, day_start_h.shape[0] - 1).astype(np.int64)


def local_midnights_h(tt: Timetable, tz: Any) -> NDArray[np.float64]:
    """Local midnights in ``tz`` (hours from the timetable's start) from two days before it
    to :data:`DAYS_PAST_TIMETABLE` days after its last arrival."""
    start = pd.Timestamp(tt.start)
    last_h = max(tt.horizon_h, float(tt.conn_arr_h.max()) if tt.n_connections else 0.0)
    first = (start.tz_convert(tz) - pd.Timedelta(days=2)).normalize()
    end = start + pd.Timedelta(hours=last_h) + pd.Timedelta(days=DAYS_PAST_TIMETABLE)
    days = pd.date_range(first, end.tz_convert(tz), freq="D")
    return np.ascontiguousarray((days - start) / pd.Timedelta(hours=1), dtype=np.float64)


def _zone(tz: Any) -> str:
    try:
        pd.Timestamp("2000-01-01", tz=tz)
    except Exception:  # pandas raises several kinds for an unknown zone
        raise InputError("unknown time zone", field="tz", value=tz) from None
    return str(tz)


def prepare(
    network: Network,
    shipments: Shipments,
    *,
    start: datetime | None = None,
    days: float | None = None,
    costs: Costs | None = None,
    include_optional: bool = False,
    tz: Any = "UTC",
) -> Problem:
    """Build and validate the problem of routing ``shipments`` on ``network``, once.

    ``shipments``: :class:`Shipment` records, a DataFrame or an Arrow table with their columns
    (``modes`` as ``"rail;road"``; read column-wise), or a
    :class:`~.shipments.ShipmentTable`. ``start`` (timezone-aware) and ``days`` set the planning horizon; by
    default it starts at UTC midnight before the earliest ready time and runs 60 days past the
    latest ready or due time. ``costs`` (default :class:`Costs`) prices time, CO2, lateness and
    unserved freight. ``include_optional`` puts the candidate services (charters, extra block
    trains) in the timetable, as network design needs; routing then may use them too. ``tz`` is
    the time zone of hub-days.

    Raises :class:`InputError` for bad shipments (naming row, field and value) or parameters.
    """
    costs = Costs() if costs is None else costs
    if not isinstance(costs, Costs):
        raise InputError("must be a Costs", field="costs", value=type(costs).__name__)
    if start is not None and start.tzinfo is None:
        raise InputError("must carry a timezone", field="start", value=start.isoformat())
    if days is not None and not (isinstance(days, int | float) and not isinstance(days, bool)
                                 and np.isfinite(days) and 0 < days <= MAX_DAYS):
        raise InputError(f"must be a number of days above 0, at most {MAX_DAYS:,.0f}",
                         field="days", value=days)
    zone = _zone(tz)
    arrays = shipment_arrays(shipment_table(shipments), network, start, days, costs)
    if arrays.days > MAX_DAYS:
        raise InputError(f"the shipments' ready times span more than {MAX_DAYS:,.0f} days of "
                         "horizon: plan them in separate horizons", field="days",
                         value=round(arrays.days, 1))
    tt = compile_timetable(network, arrays.start, arrays.days, include_optional=include_optional,
                           co2e_basis=costs.co2e_basis)
    hubs = network.hubs
    return Problem(
        network=network, timetable=tt, shipments=arrays, costs=costs,
        include_optional=include_optional, tz=zone,
        conn_capacity=np.ascontiguousarray(np.column_stack(
            (tt.conn_capacity_kg, tt.conn_capacity_teu, tt.conn_capacity_positions))),
        hub_capacity_t_day=np.array([np.inf if h.capacity_t_day is None else h.capacity_t_day
                                     for h in hubs], dtype=np.float64),
        hub_gauge_change=np.array([h.gauge_change for h in hubs], dtype=bool),
        hub_crossing_teu_day=crossing_teu_day(network),
        day_start_h=local_midnights_h(tt, zone))


def as_problem(
    network_or_problem: Network | Problem,
    shipments: Shipments | None,
    *,
    include_optional: bool = False,
    **prepare_args: Any,
) -> Problem:
    """The task wrappers' first step: a given :class:`Problem` as it is, else
    :func:`prepare` of ``network`` and ``shipments`` with ``prepare_args`` (those left at None
    take their defaults). With a Problem, neither shipments nor a preparation argument may be
    given: they were fixed when it was prepared (:class:`InputError` naming the argument)."""
    given = {k: v for k, v in prepare_args.items() if v is not None}
    if isinstance(network_or_problem, Problem):
        if shipments is not None:
            raise InputError("a prepared Problem carries its shipments: pass the objective and "
                             "other options by name", field="shipments")
        if given:
            name = sorted(given)[0]
            raise InputError("fixed when the Problem was prepared: set it in sr.prepare",
                             field=name, value=given[name])
        if include_optional and not network_or_problem.include_optional:
            raise InputError("this task needs the candidate services: prepare the Problem with "
                             "include_optional=True", field="include_optional", value=False)
        return network_or_problem
    if not isinstance(network_or_problem, Network):
        raise InputError("expected a Network or a prepared Problem", field="network",
                         value=type(network_or_problem).__name__)
    if shipments is None:
        raise InputError("shipments are required with a Network", field="shipments")
    return prepare(network_or_problem, shipments, include_optional=include_optional, **given)

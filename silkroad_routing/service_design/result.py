"""The answer of ``sr.design``: opened departures, the routed Plan, costs, bound and gap."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from ..plan import Plan
from ..solvers.status import SolveStatus

if TYPE_CHECKING:
    from .report import DesignReport

#: Parts of the objective, USD, in :attr:`Design.costs`.
COST_PARTS: Final[tuple[str, ...]] = (
    "fixed_usd", "freight_usd", "time_usd", "lateness_usd", "co2_usd", "unserved_usd")
#: Columns of :attr:`Design.departures`.
DEPARTURE_COLUMNS: Final[tuple[str, ...]] = (
    "service_id", "departure_id", "mode", "departure", "fixed_cost_usd", "load_kg", "load_teu",
    "capacity_kg", "capacity_teu", "utilisation")
#: Columns of :attr:`Design.late` and :attr:`Design.unserved`.
LATE_COLUMNS: Final[tuple[str, ...]] = (
    "shipment_id", "origin", "destination", "due", "arrival", "hours_late", "weight_kg",
    "penalty_usd")
UNSERVED_COLUMNS: Final[tuple[str, ...]] = (
    "shipment_id", "origin", "destination", "ready", "due", "weight_kg", "reason", "penalty_usd")


@dataclass(frozen=True, eq=False)
class Design:
    """A service network design.

    ``departures``: the optional departures to run (:data:`DEPARTURE_COLUMNS`: fixed cost, the
    load and capacity of the busiest leg, utilisation = the larger of the kg and TEU ratios);
    ``candidates``: how many optional departures the horizon offered. ``plan``: every shipment's
    route on the always-running and the opened departures (a :class:`~silkroad_routing.Plan`
    with objective ``"design"``; unserved shipments are ``no route`` rows with reason
    ``unserved``). ``utilisation``: every departure used
    (:func:`~silkroad_routing.kpi.departure_utilisation`); ``hub_days``: tonnes handled per hub
    and local day against capacity (:func:`~silkroad_routing.kpi.hub_day_throughput`).
    ``late`` and ``unserved``: the shipments concerned with their penalties.

    ``costs``: the objective's parts (:data:`COST_PARTS`), recomputed from the plan's tables;
    ``objective`` their sum. ``bound``: a lower bound on the optimal objective, whose
    kind ``bound_kind`` states; ``status``: ``optimal`` when the objective equals the bound,
    else ``feasible``. ``wall_time_s``: wall time of the solve, seconds; ``parameters``: the penalties and
    prices used; ``stats``: solver counts and phase values.
    """

    departures: pd.DataFrame
    candidates: int
    plan: Plan
    utilisation: pd.DataFrame
    hub_days: pd.DataFrame
    late: pd.DataFrame
    unserved: pd.DataFrame
    costs: dict[str, float]
    objective: float
    bound: float
    bound_kind: str
    status: SolveStatus
    wall_time_s: float
    parameters: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """Relative gap ``(objective - bound) / objective``: 0 when equal, inf without a bound."""
        if not (math.isfinite(self.objective) and math.isfinite(self.bound)):
            return math.inf
        if self.objective <= self.bound:
            return 0.0
        return (self.objective - self.bound) / max(abs(self.objective), 1e-12)

    @property
    def services(self) -> pd.DataFrame:
        """Opened departures per service: ``runs``, ``fixed_cost_usd``, ``load_kg``,
        ``load_teu`` and mean ``utilisation``."""
        d = self.departures
        return d.groupby(["service_id", "mode"], sort=True, as_index=False).agg(
            runs=("departure_id", "size"), fixed_cost_usd=("fixed_cost_usd", "sum"),
            load_kg=("load_kg", "sum"), load_teu=("load_teu", "sum"),
            utilisation=("utilisation", "mean"))

    def report(self) -> DesignReport:
        """The design's tables: summary, chosen services and departures, utilisation per
        departure and per hub-day, late and unserved shipments."""
        from .report import design_report

        return design_report(self)

"""The answer of ``sr.design``: opened departures, the routed Plan, costs, bound and gap."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
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
    prices used; ``stats``: solver counts and phase values; ``stopped_by_time_limit``: whether
    ``time_limit_s`` cut the solve short (the design is then the best found in the time).
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
    stopped_by_time_limit: bool = False

    @property
    def gap(self) -> float:
        """Relative gap ``(objective - bound) / objective``: 0 when equal, inf without a bound."""
        if not (math.isfinite(self.objective) and math.isfinite(self.bound)):
            return math.inf
        if self.objective <= self.bound:
            return 0.0
        return (self.objective - self.bound) / max(abs(self.objective), 1e-12)

    @property
    def status_text(self) -> str:
        """The solve status, with a warning when the design serves no shipment at all (the
        model found leaving everything unserved cheapest, or the only choice) and when the
        time limit stopped the solve: ``feasible: stopped by the time limit``."""
        nothing = len(self.plan.shipments) > 0 and not self.plan.shipments["routed"].any()
        notes = [note for note, said in (("nothing served", nothing),
                                         ("stopped by the time limit", self.stopped_by_time_limit))
                 if said]
        return f"{self.status}: {', '.join(notes)}" if notes else str(self.status)

    @property
    def services(self) -> pd.DataFrame:
        """Opened departures per service: ``runs``, ``fixed_cost_usd``, ``load_kg``,
        ``load_teu`` and mean ``utilisation``."""
        d = self.departures
        return d.groupby(["service_id", "mode"], sort=True, as_index=False).agg(
            runs=("departure_id", "size"), fixed_cost_usd=("fixed_cost_usd", "sum"),
            load_kg=("load_kg", "sum"), load_teu=("load_teu", "sum"),
            utilisation=("utilisation", "mean"))

    @property
    def summary(self) -> DesignSummary:
        """The headline figures (:class:`DesignSummary`)."""
        services = {
            str(row.service_id): {"mode": str(row.mode), "runs": int(row.runs),
                                  "fixed_cost_usd": float(row.fixed_cost_usd),
                                  "load_kg": float(row.load_kg), "load_teu": float(row.load_teu),
                                  "utilisation_mean": float(row.utilisation)}
            for row in self.services.itertuples()}
        return DesignSummary(
            status=self.status_text, objective=self.objective, bound=self.bound, gap=self.gap,
            bound_kind=self.bound_kind, wall_time_s=self.wall_time_s, costs=dict(self.costs),
            departures_opened=len(self.departures), candidates=self.candidates,
            services=services, shipments=len(self.plan.shipments),
            shipments_late=len(self.late), shipments_unserved=len(self.unserved),
            parameters=dict(self.parameters), stats=dict(self.stats),
            stopped_by_time_limit=self.stopped_by_time_limit)

    def report(self) -> DesignReport:
        """The design's tables: an overview, chosen services and departures, utilisation per
        departure and per hub-day, late and unserved shipments."""
        from .report import design_report

        return design_report(self)


@dataclass(frozen=True, slots=True)
class DesignSummary:
    """The headline figures of a design, as plain values (NaN where undefined): ``status``,
    ``objective`` and its parts (``costs``), ``bound`` (of kind ``bound_kind``) and ``gap``,
    ``wall_time_s``, ``departures_opened`` of the ``candidates``, per opened service
    (``services``: mode, runs, fixed cost, load, mean utilisation), the counts of
    ``shipments``, ``shipments_late`` and ``shipments_unserved``, the ``parameters`` and the
    solver's ``stats``, and whether ``time_limit_s`` stopped the solve
    (``stopped_by_time_limit``)."""

    status: str
    objective: float
    bound: float
    gap: float
    bound_kind: str
    wall_time_s: float
    costs: dict[str, float]
    departures_opened: int
    candidates: int
    services: dict[str, dict[str, Any]]
    shipments: int
    shipments_late: int
    shipments_unserved: int
    parameters: dict[str, Any]
    stats: dict[str, Any]
    stopped_by_time_limit: bool

    def to_dict(self) -> dict[str, Any]:
        """The figures as a dict of plain values, in field order."""
        return asdict(self)

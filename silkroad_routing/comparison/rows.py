"""One row of KPIs per run: the columns every comparison and sweep table shares.

Columns (in this order): ``variant``; the parameters (one column per override path of a grid,
then ``sample`` and the drawn values, for a sweep); ``status`` and ``error``; the KPIs of
:data:`KPI_COLUMNS`; for a design task :data:`DESIGN_COLUMNS`; then for each hub with a handling capacity
``hub.<code>.utilisation_peak`` and ``hub.<code>.utilisation_mean`` (tonnes handled per
hub-day / capacity: the busiest day, and the mean over the days with traffic; 0 when the hub
handled nothing); when the task replays the plan (``task.reliability_samples``)
:data:`RELIABILITY_COLUMN` after the KPIs, and after the hub columns one column per corridor of
the replay, :func:`corridor_column` (its P(on time), the corridor's shipment-samples pooled;
empty where a run's plan does not use the corridor).

Status: ``ok``; ``infeasible`` (the run finished but some shipments have no route, or the
solver proved the task infeasible: the KPIs describe what was planned); ``error`` (bad input: a
bad override path or value, an unknown hub; no KPIs); ``failed`` (an internal error; no KPIs).
"""

from __future__ import annotations

from typing import Any, Final

from ..errors import InputError
from ..scenario.runner import ScenarioResult

STATUS_OK: Final[str] = "ok"
STATUS_INFEASIBLE: Final[str] = "infeasible"
STATUS_ERROR: Final[str] = "error"
STATUS_FAILED: Final[str] = "failed"

#: The headline KPIs, taken from :func:`silkroad_routing.kpi.compute_kpis` (``services_used``:
#: scheduled services carrying freight).
KPI_COLUMNS: Final[tuple[str, ...]] = (
    "shipments", "shipments_routed", "shipments_late", "weight_t", "total_cost_usd",
    "cost_usd_per_kg", "transit_days_mean", "transit_days_p95", "on_time_share", "co2e_t",
    "services_used",
)
#: Columns of a design task (``task: design``): optional departures opened, and the services
#: chosen with their runs (``O-R-ZZ-DUI-A x4; C-CGO-LGG x2``).
DESIGN_COLUMNS: Final[tuple[str, ...]] = ("departures_opened", "services_chosen")
#: Expected on-time share of the plan replayed under the scenario's uncertainty, when the task
#: asks for it (``task.reliability_samples``).
RELIABILITY_COLUMN: Final[str] = "reliability_on_time_share"
#: Per corridor: ``corridor.<origin>-<destination>.<modes>.p_on_time``.
CORRIDOR_PREFIX: Final[str] = "corridor."
CORRIDOR_SUFFIX: Final[str] = ".p_on_time"
HUB_PREFIX: Final[str] = "hub."
PEAK_SUFFIX: Final[str] = ".utilisation_peak"
MEAN_SUFFIX: Final[str] = ".utilisation_mean"


#: Text columns of a run: whether its plan kept within capacity, and what it put over.
CAPACITY_COLUMNS: Final[tuple[str, str]] = ("capacity", "capacity_warnings")


def hub_columns(code: str) -> tuple[str, str]:
    """The peak and mean utilisation columns of hub ``code``."""
    return f"{HUB_PREFIX}{code}{PEAK_SUFFIX}", f"{HUB_PREFIX}{code}{MEAN_SUFFIX}"


def corridor_column(origin: str, destination: str, modes: str) -> str:
    """The P(on time) column of a corridor (``corridor.CNCGO-DEHAM.road+rail.p_on_time``)."""
    return f"{CORRIDOR_PREFIX}{origin}-{destination}.{modes}{CORRIDOR_SUFFIX}"


def is_corridor_column(column: str) -> bool:
    """Whether ``column`` is a corridor's P(on time) column."""
    return column.startswith(CORRIDOR_PREFIX) and column.endswith(CORRIDOR_SUFFIX)


def kpi_row(result: ScenarioResult) -> dict[str, Any]:
    """``status``, ``error`` and the KPI columns of a finished run."""
    k = result.kpis
    row: dict[str, Any] = {"status": STATUS_OK, "error": ""}
    if k["shipments_unrouted"]:
        reasons = result.plan.unrouted()["reason"].value_counts().sort_index()
        row["status"] = STATUS_INFEASIBLE
        row["error"] = (f"{k['shipments_unrouted']} of {k['shipments']} shipments have no route ("
                        + ", ".join(f"{reason or 'no route'}: {n}" for reason, n in reasons.items())
                        + ")")
    row.update({column: k.get(column) for column in KPI_COLUMNS if column != "services_used"})
    row["services_used"] = len(k["services"])
    if "reliability_on_time_share" in k:  # the plan replayed under uncertainty (task field)
        row[RELIABILITY_COLUMN] = k["reliability_on_time_share"]
    # Whether the plan kept within capacity, and what it put over when it did not.
    row[CAPACITY_COLUMNS[0]] = k.get("capacity", "")
    row[CAPACITY_COLUMNS[1]] = "; ".join(k.get("warnings", []))
    if result.design is not None:
        chosen = result.design.services
        row["departures_opened"] = len(result.design.departures)
        row["services_chosen"] = "; ".join(f"{s} x{n}" for s, n in zip(
            chosen["service_id"], chosen["runs"], strict=True)) or "none"
    hubs = k["hubs"]
    for hub in sorted(result.network.hubs, key=lambda h: h.code):
        if hub.capacity_t_day is None:
            continue
        peak, mean = hub_columns(hub.code)
        summary = hubs.get(hub.code, {})
        row[peak] = summary.get("utilisation_max") or 0.0
        row[mean] = summary.get("utilisation_mean") or 0.0
    if result.reliability is not None:
        corridors = result.reliability.corridors
        for origin, destination, modes, p in zip(
                corridors["origin"], corridors["destination"], corridors["modes"],
                corridors["p_on_time"], strict=True):
            row[corridor_column(origin, destination, modes)] = float(p)
    return row


def failure_row(error: BaseException) -> dict[str, Any]:
    """``status`` and ``error`` of a run that raised ``error``."""
    if isinstance(error, InputError):
        return {"status": STATUS_ERROR, "error": str(error)}
    return {"status": STATUS_FAILED, "error": f"{type(error).__name__}: {error}"}


def is_hub_column(column: str) -> bool:
    """Whether ``column`` is a hub utilisation column."""
    return column.startswith(HUB_PREFIX) and column.endswith((PEAK_SUFFIX, MEAN_SUFFIX))


def is_indicator(column: str) -> bool:
    """Whether ``column`` is a numeric indicator: a KPI, departures opened, the simulated
    on-time share, a hub or a corridor column."""
    return (column in KPI_COLUMNS or column in (DESIGN_COLUMNS[0], RELIABILITY_COLUMN)
            or is_hub_column(column) or is_corridor_column(column))


#: How the KPI columns read in tables and charts: label, unit, format spec, scale.
_DISPLAY: Final[dict[str, tuple[str, str, str, float]]] = {
    "shipments": ("shipments", "", ",.0f", 1.0),
    "shipments_routed": ("shipments routed", "", ",.0f", 1.0),
    "shipments_late": ("shipments late", "", ",.0f", 1.0),
    "weight_t": ("weight", "t", ",.1f", 1.0),
    "total_cost_usd": ("total cost", "USD", ",.0f", 1.0),
    "cost_usd_per_kg": ("cost per kg", "USD", ",.3f", 1.0),
    "transit_days_mean": ("transit, mean", "days", ",.2f", 1.0),
    "transit_days_p95": ("transit, P95", "days", ",.2f", 1.0),
    "on_time_share": ("on time", "%", ",.1f", 100.0),
    RELIABILITY_COLUMN: ("on time, simulated", "%", ",.1f", 100.0),
    "co2e_t": ("CO2e", "t", ",.1f", 1.0),
    "services_used": ("services used", "", ",.0f", 1.0),
    "departures_opened": ("optional departures opened", "", ",.0f", 1.0),
    "services_chosen": ("services chosen", "", "", 1.0),
}


def display(column: str) -> tuple[str, str, str, float]:
    """``(label, unit, format spec, scale)`` of a KPI, hub (utilisation in %) or corridor
    (P(on time) in %) column."""
    if is_hub_column(column):
        code = column[len(HUB_PREFIX):].rsplit(".", 1)[0]
        which = "peak" if column.endswith(PEAK_SUFFIX) else "mean"
        return f"{code} utilisation, {which} hub-day", "%", ",.2f", 100.0
    if is_corridor_column(column):
        corridor, modes = column[len(CORRIDOR_PREFIX):-len(CORRIDOR_SUFFIX)].split(".", 1)
        return f"on time, simulated, {corridor} by {modes}", "%", ",.1f", 100.0
    return _DISPLAY.get(column, (column, "", ",.4g", 1.0))

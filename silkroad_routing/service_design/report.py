"""Tables of a design for people: what to run, how full it runs, who is late or unserved.

:func:`design_report` gathers them; :meth:`DesignReport.to_text` renders them as plain text
(the command line draws the same tables with rich); :func:`design_summary` is the summary
written next to a scenario's outputs (``design.json``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from .result import Design

#: Rows of each table in the text rendering (the tables themselves are complete).
TEXT_ROWS = 15


@dataclass(frozen=True)
class DesignReport:
    """``summary`` (label, value), ``services`` (per optional service: runs opened of the
    candidates, fixed cost, load, mean utilisation), ``departures`` (each opened departure
    with its utilisation), ``utilisation`` (every departure used), ``hub_days`` (hub-days of
    hubs with a capacity), ``late`` and ``unserved`` shipments."""

    summary: pd.DataFrame
    services: pd.DataFrame
    departures: pd.DataFrame
    utilisation: pd.DataFrame
    hub_days: pd.DataFrame
    late: pd.DataFrame
    unserved: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by title, in reading order."""
        return {"design": self.summary, "services opened": self.services,
                "departures opened": self.departures, "departure utilisation": self.utilisation,
                "hub-days with a capacity": self.hub_days, "late shipments": self.late,
                "unserved shipments": self.unserved}

    def to_text(self, rows: int = TEXT_ROWS) -> str:
        """Every table as text, at most ``rows`` rows each (the busiest first)."""
        out = []
        for title, table in self.tables().items():
            shown = table.head(rows)
            more = f"\n... {len(table) - rows} more rows" if len(table) > rows else ""
            body = shown.to_string(index=False) if len(shown) else "(none)"
            out.append(f"{title}\n{body}{more}")
        return "\n\n".join(out)

    def __str__(self) -> str:
        return self.to_text()


def _money(value: float) -> str:
    return f"{value:,.0f} USD" if math.isfinite(value) else "-"


def summary_rows(design: Design) -> list[tuple[str, str]]:
    """Headline figures as (label, formatted value)."""
    d = design
    plan = d.plan.shipments
    rows = [
        ("status", str(d.status)),
        ("objective", _money(d.objective)),
        ("lower bound", _money(d.bound)),
        ("gap", f"{100 * d.gap:.2f} %" if math.isfinite(d.gap) else "-"),
        ("bound", d.bound_kind),
        ("wall time, s", f"{d.wall_time_s:.1f}"),
        ("departures opened", f"{len(d.departures)} of {d.candidates} candidates"),
        ("shipments served", f"{int(plan['routed'].sum()):,} of {len(plan):,}"),
        ("shipments late", f"{len(d.late):,}"),
        ("shipments unserved", f"{len(d.unserved):,}"),
    ]
    labels = {"fixed_usd": "fixed costs", "freight_usd": "freight and handling",
              "time_usd": "value of time", "lateness_usd": "lateness penalties",
              "co2_usd": "CO2 price", "unserved_usd": "unserved penalties"}
    rows += [(label, _money(d.costs[key])) for key, label in labels.items()]
    return rows


def design_report(design: Design) -> DesignReport:
    """The report of ``design``."""
    summary = pd.DataFrame(summary_rows(design), columns=["item", "value"])
    services = design.services
    utilisation = design.utilisation.sort_values(
        ["utilisation", "departure_id"], ascending=[False, True], na_position="last",
        kind="stable").reset_index(drop=True)
    days = design.hub_days
    hub_days = days[days["capacity_t_day"].notna()].sort_values(
        ["utilisation", "hub", "day"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
    late = design.late.sort_values(["hours_late", "shipment_id"], ascending=[False, True],
                                   kind="stable").reset_index(drop=True)
    return DesignReport(summary, services, design.departures, utilisation, hub_days, late,
                        design.unserved)


def design_summary(design: Design) -> dict[str, Any]:
    """Summary of a design as plain Python values (NaN where a value is undefined): status,
    objective and its parts, bound and gap, wall time, departures opened per service, late and
    unserved counts, the parameters and the solver's counts."""
    services = {
        str(row.service_id): {"mode": str(row.mode), "runs": int(row.runs),
                              "fixed_cost_usd": float(row.fixed_cost_usd),
                              "load_kg": float(row.load_kg), "load_teu": float(row.load_teu),
                              "utilisation_mean": float(row.utilisation)}
        for row in design.services.itertuples()}
    return {
        "status": str(design.status), "objective": design.objective,
        "bound": design.bound, "gap": design.gap, "bound_kind": design.bound_kind,
        "wall_time_s": design.wall_time_s, "costs": dict(design.costs),
        "departures_opened": len(design.departures), "candidates": design.candidates,
        "services": services, "shipments": len(design.plan.shipments),
        "shipments_late": len(design.late), "shipments_unserved": len(design.unserved),
        "parameters": dict(design.parameters), "stats": dict(design.stats)}

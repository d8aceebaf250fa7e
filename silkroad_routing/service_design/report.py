"""Tables of a design for people: what to run, how full it runs, who is late or unserved.

:func:`design_report` gathers them; :meth:`DesignReport.to_text` renders them as plain text
(the command line draws the same tables with rich). The figures written next to a scenario's
outputs (``design.json``) are
:attr:`~silkroad_routing.service_design.result.Design.summary`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .result import Design

#: Rows of each table in the text rendering (the tables themselves are complete).
TEXT_ROWS = 15


@dataclass(frozen=True)
class DesignReport:
    """``overview`` (label, value), ``services`` (per optional service: runs opened of the
    candidates, fixed cost, load, mean utilisation), ``departures`` (each opened departure
    with its utilisation), ``utilisation`` (every departure used), ``hub_days`` (hub-days of
    hubs with a capacity), ``late`` and ``unserved`` shipments."""

    overview: pd.DataFrame
    services: pd.DataFrame
    departures: pd.DataFrame
    utilisation: pd.DataFrame
    hub_days: pd.DataFrame
    late: pd.DataFrame
    unserved: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by title, in reading order."""
        return {"design": self.overview, "services opened": self.services,
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
        ("status", d.status_text),
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
    overview = pd.DataFrame(summary_rows(design), columns=["item", "value"])
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
    return DesignReport(overview, services, design.departures, utilisation, hub_days, late,
                        design.unserved)

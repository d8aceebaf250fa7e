"""The design task's tables on the terminal: bound and gap, services and departures to run,
the busiest hub-days, late and unserved shipments."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

from ..service_design import Design

#: Rows shown per table (the files hold them all).
ROWS = 12


def _table(title: str, frame: pd.DataFrame, columns: dict[str, str]) -> Table:
    """A rich table of ``frame``'s ``columns`` (name -> format spec), at most :data:`ROWS`."""
    more = len(frame) - ROWS
    table = Table(title=title + (f" (first {ROWS} of {len(frame)})" if more > 0 else ""))
    for name, spec in columns.items():
        table.add_column(name.replace("_", " "), justify="right" if spec else "left")
    for row in frame.head(ROWS).itertuples(index=False):
        values = row._asdict()
        table.add_row(*("-" if pd.isna(values[n]) else format(values[n], s)
                        for n, s in columns.items()))
    return table


def print_design(design: Design, console: Console) -> None:
    """What to run and how full it runs; the bound says how far from optimal it may be."""
    report = design.report()
    console.print(f"design: [bold]{design.status}[/], objective {design.objective:,.0f} USD, "
                  f"lower bound {design.bound:,.0f} USD, gap {100 * design.gap:.2f} % "
                  f"({design.bound_kind}), {design.wall_time_s:.1f} s", highlight=False)
    if report.services.empty:
        console.print(f"no optional departure is worth running (of {design.candidates})")
    else:
        console.print(_table("services to run", report.services, {
            "service_id": "", "mode": "", "runs": ",", "fixed_cost_usd": ",.0f",
            "load_kg": ",.0f", "load_teu": ",.1f", "utilisation": ".0%"}))
        console.print(_table("departures to run", report.departures, {
            "departure_id": "", "fixed_cost_usd": ",.0f", "load_kg": ",.0f",
            "load_teu": ",.1f", "utilisation": ".0%"}))
    if not report.hub_days.empty:
        console.print(_table("busiest hub-days", report.hub_days, {
            "hub": "", "day": "", "throughput_t": ",.1f", "capacity_t_day": ",.0f",
            "utilisation": ".0%"}))
    for title, frame, columns in (
            ("late shipments", report.late, {"shipment_id": "", "destination": "",
                                              "hours_late": ",.1f", "penalty_usd": ",.0f"}),
            ("unserved shipments", report.unserved, {"shipment_id": "", "destination": "",
                                                     "weight_kg": ",.0f", "reason": "",
                                                     "penalty_usd": ",.0f"})):
        if not frame.empty:
            console.print(_table(title, frame, columns))

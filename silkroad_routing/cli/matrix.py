"""``silkroad matrix --from A,B --to C,D --ready-from D1 --ready-to D2``: transit-time and cost
percentiles of every pair over a window of ready times."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..io import load_network, write_text_atomic
from ..model import CargoClass
from ..routing import matrix
from ..tables import output_table
from .options import hub_code, mode_set, moment, positive, time_zone


class MatrixObjective(StrEnum):
    """How ``silkroad matrix`` picks the route of each cell."""

    CHEAPEST = "cheapest"
    FASTEST = "fastest"
    GREENEST = "greenest"
    GENERALIZED = "generalized"


def _number(value: float, spec: str) -> str:
    return "-" if math.isnan(value) else format(value, spec)


def matrix_command(
    origins: Annotated[str, typer.Option("--from", help="origin hub codes, comma separated")],
    destinations: Annotated[str, typer.Option("--to", help="destination hub codes, comma separated")],
    ready_from: Annotated[str, typer.Option("--ready-from", help="first ready date or date-time")],
    ready_to: Annotated[str, typer.Option("--ready-to", help="last ready date or date-time")],
    step_h: Annotated[float, typer.Option("--step-h", help="hours between ready times")] = 24.0,
    objective: Annotated[MatrixObjective, typer.Option(
        "--objective", help="how each cell's route is chosen")] = MatrixObjective.FASTEST,
    weight_kg: Annotated[float, typer.Option("--weight-kg", help="gross weight, kg")] = 1000.0,
    volume_m3: Annotated[float, typer.Option("--volume-m3", help="volume, m3")] = 4.0,
    units_feu: Annotated[int | None, typer.Option(
        "--units-feu", help="full container load of this many FEU")] = None,
    cargo_class: Annotated[CargoClass, typer.Option(
        "--cargo-class", help="handling class")] = CargoClass.GENERAL,
    modes: Annotated[str | None, typer.Option(
        "--modes", help="modes allowed, e.g. rail,sea,road (default: all)")] = None,
    network_name: Annotated[str, typer.Option(
        "--network", help="bundled network name or network folder")] = "four_roads",
    timezone: Annotated[str, typer.Option(
        "--timezone", help="time zone of dates without an offset")] = "UTC",
    csv: Annotated[Path | None, typer.Option(
        "--csv", help="also write the summary (one row per pair) to this CSV file")] = None,
) -> None:
    """Route one shipment between every origin and destination at each ready time of a window;
    print per pair the P5, median and P95 of transit days and of cost."""
    tz = time_zone(timezone)
    positive(weight_kg, "--weight-kg")
    positive(volume_m3, "--volume-m3")
    network = load_network(network_name)
    result = matrix(
        network, [hub_code(network, c, "--from") for c in origins.split(",") if c.strip()],
        [hub_code(network, c, "--to") for c in destinations.split(",") if c.strip()],
        moment(ready_from, "--ready-from", tz), moment(ready_to, "--ready-to", tz), str(objective),
        step_h=step_h, weight_kg=weight_kg, volume_m3=volume_m3, units_feu=units_feu,
        cargo_class=cargo_class, modes=mode_set(modes))
    summary = output_table(result.summary, network)
    table = Table(title=f"{objective} routes, {weight_kg:,.0f} kg, {volume_m3:,.1f} m3, ready "
                        f"{ready_from} to {ready_to} every {step_h:g} h")
    qs = result.percentiles
    table.add_column("from")
    table.add_column("to")
    for column in ("routed", *(f"days P{q:g}" for q in qs), *(f"USD P{q:g}" for q in qs)):
        table.add_column(column, justify="right")
    for row in result.summary.to_dict("records"):
        days = [_number(row[f"hours_p{q:g}"] / 24, ".1f") for q in qs]
        cost = [_number(row[f"cost_usd_p{q:g}"], ",.0f") for q in qs]
        table.add_row(row["origin"], row["destination"],
                      f"{row['routed']}/{row['ready_times']}", *days, *cost)
    Console().print(table)
    if csv is not None:
        write_text_atomic(csv, summary.to_csv(index=False, lineterminator="\n"))
        Console().print(f"wrote {csv}", highlight=False)

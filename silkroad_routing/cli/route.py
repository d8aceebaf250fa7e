"""``silkroad route FROM TO --weight-kg W --ready DATE``: a quote for one shipment -- its route
options side by side, what each is priced on, and why the asked-for modes found no route or a
detour; as a table, or as ``--json`` or ``--csv`` for other programs."""

from __future__ import annotations

import json
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..io import load_network, write_text_atomic
from ..model import CargoClass, Network, Regime, Shipment
from ..routing import latest_ready
from ..scenario.schema import MAX_VOLUME_M3, MAX_WEIGHT_KG
from ..tables import output_table
from ..tables.quote import Quote, quote, steps, volume_note
from ..tables.quote_page import quote_html
from .options import hub_code, mode_set, moment, positive, time_zone

#: Stowage density assumed when no volume is given, kg per m3 (general cargo; an FEU of 67 m3
#: then carries about 17 t).
DEFAULT_DENSITY_KG_M3 = 250.0


class RouteObjective(StrEnum):
    """How ``silkroad route`` ranks the options."""

    CHEAPEST = "cheapest"
    FASTEST = "fastest"
    GREENEST = "greenest"
    GENERALIZED = "generalized"
    PARETO = "pareto"


def _departures(legs: pd.DataFrame, tz: Any) -> str:
    """One line per vehicle ridden: service (or truck) and its local departure."""
    lines = []
    for step in steps(legs):
        first = step.iloc[0]
        vehicle = first["service_id"] if first["kind"] == "service" else "truck"
        lines.append(f"{vehicle} {first['departure'].tz_convert(tz):%d %b %H:%M}")
    return "\n".join(lines)


def _print_table(result: Quote, shown: pd.DataFrame, tz: Any, title: str,
                 console: Console) -> None:
    table = Table(title=title)
    for column, justify in (("#", "right"), ("route", "left"), ("departures", "left"),
                            ("arrival", "left"), ("days", "right"), ("cost USD", "right"),
                            ("kg CO2e WTW", "right"), ("on time", "left"), ("priced as", "left"),
                            ("best", "left")):
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    plan_legs = result.plan.legs
    for row in shown.itertuples(index=False):
        on_time = "" if pd.isna(row.on_time) else ("yes" if row.on_time else "LATE")
        table.add_row(str(row.rank), row.route,
                      _departures(plan_legs[plan_legs["option"] == row.option], tz),
                      row.arrival.tz_convert(tz).strftime("%d %b %H:%M"),
                      f"{row.transit_days:.1f}", f"{row.cost_usd:,.0f}", f"{row.co2e_kg:,.0f}",
                      on_time, row.priced_as, row.best_for)
    console.print(table)
    if len(result.options) > len(shown):
        more = len(result.options) - len(shown)
        console.print(f"{more} more option{'s' if more > 1 else ''} "
                      f"(--options {len(result.options)} shows all)")


def _ends(network_name: str, origin: str, destination: str) -> tuple[Network, str, str]:
    """The network and the two hub codes of a query (distinct hubs of that network)."""
    try:
        network = load_network(network_name)
    except InputError as exc:
        raise InputError(exc.reason, file=exc.file, row=exc.row, line=exc.line,
                         field=exc.field or "--network", value=exc.value) from None
    from_hub, to_hub = hub_code(network, origin, "FROM"), hub_code(network, destination, "TO")
    if from_hub == to_hub:
        raise InputError("origin and destination are the same hub", field="TO", value=to_hub)
    return network, from_hub, to_hub


def route_command(
    origin: Annotated[str, typer.Argument(metavar="FROM", help="origin hub code (e.g. CNCGO)")],
    destination: Annotated[str, typer.Argument(metavar="TO", help="destination hub code")],
    weight_kg: Annotated[float, typer.Option("--weight-kg", help="gross weight, kg")],
    ready: Annotated[str, typer.Option("--ready", help="ready date or date-time (ISO)")],
    volume_m3: Annotated[float | None, typer.Option(
        "--volume-m3", help=f"volume, m3 (default: weight / {DEFAULT_DENSITY_KG_M3:g} kg per m3)",
        show_default=False)] = None,
    units_feu: Annotated[int | None, typer.Option(
        "--units-feu", help="a full container load of this many FEU (40-foot containers)",
        show_default=False)] = None,
    cargo_class: Annotated[CargoClass, typer.Option(
        "--cargo-class", help="handling class")] = CargoClass.GENERAL,
    declared_value_usd: Annotated[float, typer.Option(
        "--declared-value-usd", help="declared value, USD (prices time in transit for the "
                                     "generalized objective)")] = 0.0,
    regime: Annotated[Regime, typer.Option(
        "--regime", help="customs regime (general, 9610, 9710, 9810, 1210, transit, returns)"
    )] = Regime.GENERAL,
    storage_days: Annotated[float, typer.Option(
        "--storage-days", min=0.0, max=3650.0,
        help="days stored at a destination warehouse (priced per m3 and day)")] = 0.0,
    due: Annotated[str | None, typer.Option("--due", help="due date or date-time (ISO)")] = None,
    objective: Annotated[RouteObjective, typer.Option(
        "--objective", help="how to rank the options")] = RouteObjective.CHEAPEST,
    network_name: Annotated[str, typer.Option(
        "--network", help="bundled network name or network folder")] = "four_roads",
    modes: Annotated[str | None, typer.Option(
        "--modes", help="modes allowed, e.g. rail,sea,road (default: all)")] = None,
    timezone: Annotated[str, typer.Option(
        "--timezone", help="time zone of dates without an offset, and of the table")] = "UTC",
    options: Annotated[int, typer.Option("--options", min=1, help="options to show")] = 6,
    as_json: Annotated[bool, typer.Option(
        "--json", help="print the options and their legs as JSON")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="print the options as CSV")] = False,
    arrive_by: Annotated[bool, typer.Option(
        "--latest-ready", help="also find the latest ready time that still meets --due "
                               "(the fastest route, to the minute)")] = False,
    html_file: Annotated[Path | None, typer.Option(
        "--html", help="also write a printable quote (fastest, cheapest, greenest side by side, "
                       "each leg by leg) to this HTML file")] = None,
) -> None:
    """Quote one shipment: every route not beaten on arrival, cost and CO2e -- the Pareto set --
    ranked by the objective, on-time options first, with the fastest, cheapest and greenest
    marked, what each is priced on, and why the modes allowed found no route or a detour."""
    tz = time_zone(timezone)
    positive(weight_kg, "--weight-kg", MAX_WEIGHT_KG)
    positive(volume_m3, "--volume-m3", MAX_VOLUME_M3)
    if as_json and as_csv:
        raise InputError("give --json or --csv, not both", field="--csv")
    ready_at = moment(ready, "--ready", tz)
    due_at = None if due is None else moment(due, "--due", tz)
    if due_at is not None and due_at <= ready_at:
        raise InputError(f"due date is not after the ready date ({ready_at.isoformat(sep=' ')})",
                         field="--due", value=due)
    network, from_hub, to_hub = _ends(network_name, origin, destination)
    volume = volume_m3 if volume_m3 is not None else weight_kg / DEFAULT_DENSITY_KG_M3
    shipment = Shipment(
        id="quote", origin=from_hub, destination=to_hub, ready=ready_at, due=due_at,
        weight_kg=weight_kg, volume_m3=volume, units_feu=units_feu, cargo_class=cargo_class,
        declared_value_usd=declared_value_usd, modes=mode_set(modes), regime=regime,
        storage_days=storage_days)
    if arrive_by and due_at is None:
        raise InputError("the arrive-by search needs a due date", field="--latest-ready")
    result = quote(network, shipment, str(objective), options)
    latest = latest_ready(network, shipment) if arrive_by else None
    notes = list(result.notes)
    if volume_m3 is None and units_feu is None and (warning := volume_note(
            weight_kg, volume, DEFAULT_DENSITY_KG_M3)):
        notes.insert(0, warning)
    if not result.complete:
        notes.append("the search hit its label cap: the option set may be incomplete")
    # The first options by rank, and always the fastest, cheapest and greenest beside them.
    ranked = result.options
    shown = ranked[(ranked["rank"] <= options) | (ranked["best_for"] != "")]
    console = Console()
    if arrive_by:
        notes.append(f"latest ready time that still arrives by the due date: "
                     f"{latest.astimezone(tz):%Y-%m-%d %H:%M %z}" if latest is not None else
                     "no ready time in the 60 days before the due date arrives by it")
    if as_json or as_csv:
        _print_machine(result, shown, network, notes, as_json)
    elif shown.empty:
        console.print(f"no route from {shipment.origin} to {shipment.destination}")
    else:
        title = (f"{shipment.origin} -> {shipment.destination}, {weight_kg:,.0f} kg, "
                 f"{volume:,.1f} m3" + (f", {units_feu} FEU" if units_feu else "")
                 + f", ready {ready_at:%Y-%m-%d %H:%M %z}"
                 + (f", due {due_at:%Y-%m-%d %H:%M %z}" if due_at else "") + f" - by {objective}")
        _print_table(result, shown, tz, title, console)
    for note in notes:
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"[yellow]note:[/] {note}")
    if html_file is not None:
        try:
            write_text_atomic(html_file, quote_html(replace(result, notes=tuple(notes)), network))
        except OSError as exc:
            raise InputError(f"cannot write the quote: {exc.strerror or exc}", field="--html",
                             value=str(html_file)) from None
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"wrote {html_file}")


def _print_machine(result: Quote, shown: pd.DataFrame, network: Any, notes: list[str],
                   as_json: bool) -> None:
    """The options (and for JSON their legs and the notes) on stdout, rounded, local times;
    the notes also go to stderr, as for the table."""
    table = output_table(shown.assign(
        origin=result.shipment.origin, destination=result.shipment.destination), network)
    if not as_json:
        typer.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)
        return
    legs = output_table(result.legs, network)
    records = json.loads(table.to_json(orient="records", date_format="iso"))
    for record in records:
        of_option = legs[legs["option"] == record["option"]].drop(columns="option")
        record["legs"] = json.loads(of_option.to_json(orient="records", date_format="iso"))
    document = {"shipment": result.shipment.model_dump(mode="json"), "options": records,
                "notes": notes, "complete": result.complete}
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))

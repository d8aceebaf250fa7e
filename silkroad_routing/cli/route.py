"""``silkroad route FROM TO --weight-kg W --ready DATE``: the ranked options for one shipment."""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import typer
from pydantic import TypeAdapter, ValidationError
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..io import load_network
from ..model import Network, Shipment
from ..plan import Plan
from ..routing import route
from ..scenario.hub_hint import unknown_hub_message
from ..scenario.schema import MAX_VOLUME_M3, MAX_WEIGHT_KG, DateTime, localize
from ..units import MODES, Mode

#: Stowage density assumed when no volume is given, kg per m3 (general cargo; an FEU of 67 m3
#: then carries about 17 t).
DEFAULT_DENSITY_KG_M3 = 250.0
#: How each objective ranks the options (columns of the plan's shipment table, ascending).
RANK_COLUMNS = {
    "cheapest": ["cost_usd", "arrival"],
    "fastest": ["arrival", "cost_usd"],
    "greenest": ["co2e_kg", "cost_usd", "arrival"],
    "generalized": ["generalized_usd", "arrival"],
    "pareto": ["arrival", "cost_usd"],
}


class RouteObjective(StrEnum):
    """How ``silkroad route`` ranks the options."""

    CHEAPEST = "cheapest"
    FASTEST = "fastest"
    GREENEST = "greenest"
    GENERALIZED = "generalized"
    PARETO = "pareto"


_WHEN = TypeAdapter(DateTime)


def _moment(text: str, option: str, tz: ZoneInfo) -> datetime:
    try:
        return localize(_WHEN.validate_python(text), tz)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise InputError(f"not a usable date or date-time: {reason} (use 2026-11-02 or "
                         "2026-11-02T08:00+08:00)", field=option, value=text) from None


def _hub(network: Network, code: str, argument: str) -> str:
    code = code.upper()
    if code not in network.hub_by_code:
        raise InputError(unknown_hub_message(network, code), field=argument, value=code)
    return code


def _check_amount(value: float, option: str, most: float) -> None:
    """A weight or volume: a finite positive number up to ``most``."""
    if not (math.isfinite(value) and 0 < value <= most):
        raise InputError(f"must be a positive number of at most {most:,.0f}", field=option,
                         value=value)


def _modes(text: str) -> frozenset[Mode]:
    """``rail,sea`` -> the modes; empty or unknown modes are an error (never "every mode")."""
    names = [m.strip().lower() for m in text.split(",") if m.strip()]
    if not names:
        raise InputError(f"no mode given (use some of {', '.join(MODES)})", field="--modes",
                         value=text)
    try:
        return frozenset(Mode(m) for m in names)
    except ValueError:
        raise InputError(f"unknown mode (use {', '.join(MODES)})", field="--modes",
                         value=text) from None


def _chain(legs: pd.DataFrame) -> tuple[str, str]:
    """(hubs and modes, departures) of one option's legs: one step per vehicle ridden."""
    rows = legs.reset_index(drop=True)
    # A step is one departure of a service, or a run of consecutive trucks (the same truck
    # continues through a road hub).
    link = rows["kind"] == "link"
    new_step = (link & ~link.shift(fill_value=False)) | (
        ~link & (rows["departure_id"] != rows["departure_id"].shift()))
    path = [rows.at[0, "from_hub"]]
    departures = []
    for _, step in rows.groupby(new_step.cumsum(), sort=False):
        first = step.iloc[0]
        path.append(f"{first['mode']} {' '.join(step['to_hub'])}" if first["kind"] == "link"
                    else f"{first['mode']} {step['to_hub'].iloc[-1]}")
        vehicle = first["service_id"] if first["kind"] == "service" else "truck"
        departures.append(f"{vehicle} {first['departure']:%d %b %H:%M}")
    return " > ".join(path), "\n".join(departures)


def _ranked(plan: Plan, objective: str) -> pd.DataFrame:
    options = plan.shipments[plan.shipments["routed"]].copy()
    options["_late"] = ~options["on_time"].fillna(True).astype(bool)
    return options.sort_values(["_late", *RANK_COLUMNS[objective], "option"], kind="stable")


def route_command(
    origin: Annotated[str, typer.Argument(metavar="FROM", help="origin hub code (e.g. CNCGO)")],
    destination: Annotated[str, typer.Argument(metavar="TO", help="destination hub code")],
    weight_kg: Annotated[float, typer.Option("--weight-kg", help="gross weight, kg")],
    ready: Annotated[str, typer.Option("--ready", help="ready date or date-time (ISO)")],
    volume_m3: Annotated[float | None, typer.Option(
        "--volume-m3", help=f"volume, m3 (default: weight / {DEFAULT_DENSITY_KG_M3:g} kg per m3)",
        show_default=False)] = None,
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
) -> None:
    """Route one shipment and print its options, best first: every route not beaten on both
    arrival and cost (and CO2e, for greenest and generalized) -- the Pareto set -- ranked by the
    objective, on-time options first."""
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError("unknown IANA time zone", field="--timezone", value=timezone) from None
    _check_amount(weight_kg, "--weight-kg", MAX_WEIGHT_KG)
    if volume_m3 is not None:
        _check_amount(volume_m3, "--volume-m3", MAX_VOLUME_M3)
    ready_at = _moment(ready, "--ready", tz)
    due_at = None if due is None else _moment(due, "--due", tz)
    if due_at is not None and due_at <= ready_at:
        raise InputError(f"due date is not after the ready date ({ready_at.isoformat(sep=' ')})",
                         field="--due", value=due)
    allowed = frozenset(MODES) if modes is None else _modes(modes)
    try:
        network = load_network(network_name)
    except InputError as exc:
        raise InputError(exc.reason, file=exc.file, row=exc.row, line=exc.line,
                         field=exc.field or "--network", value=exc.value) from None
    from_hub, to_hub = _hub(network, origin, "FROM"), _hub(network, destination, "TO")
    if from_hub == to_hub:
        raise InputError("origin and destination are the same hub", field="TO", value=to_hub)
    shipment = Shipment(
        id="query", origin=from_hub, destination=to_hub, ready=ready_at, due=due_at,
        weight_kg=weight_kg,
        volume_m3=volume_m3 if volume_m3 is not None else weight_kg / DEFAULT_DENSITY_KG_M3,
        modes=allowed)
    # CO2e joins arrival and cost as a Pareto criterion only when the ranking uses it.
    plan = route(network, [shipment], objective="pareto",
                 pareto_co2=objective in (RouteObjective.GREENEST, RouteObjective.GENERALIZED))
    console = Console()
    ranked = _ranked(plan, str(objective))
    if ranked.empty:
        reason = plan.shipments["reason"].iloc[0] or "no route"
        console.print(f"no route from {shipment.origin} to {shipment.destination} ({reason})")
        return
    table = Table(title=f"{shipment.origin} -> {shipment.destination}, {weight_kg:,.0f} kg, "
                        f"{shipment.volume_m3:,.1f} m3, ready {ready_at:%Y-%m-%d %H:%M %z}"
                        + (f", due {due_at:%Y-%m-%d %H:%M %z}" if due_at else "")
                        + f" - by {objective}")
    for column, justify in (("#", "right"), ("route", "left"), ("departures", "left"),
                            ("arrival", "left"), ("days", "right"), ("cost USD", "right"),
                            ("kg CO2e", "right"), ("on time", "left")):
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for rank, row in enumerate(ranked.head(options).itertuples(index=False), start=1):
        legs = plan.route_of("query", int(row.option)).assign(
            departure=lambda f: f["departure"].dt.tz_convert(tz))
        chain, departures = _chain(legs)
        on_time = "" if pd.isna(row.on_time) else ("yes" if row.on_time else "LATE")
        table.add_row(str(rank), chain, departures,
                      row.arrival.tz_convert(tz).strftime("%d %b %H:%M"),
                      f"{row.hours / 24:.1f}", f"{row.cost_usd:,.0f}", f"{row.co2e_kg:,.0f}", on_time)
    console.print(table)
    if len(ranked) > options:
        more = len(ranked) - options
        console.print(f"{more} more option{'s' if more > 1 else ''} (--options {len(ranked)} shows all)")
    if not plan.complete:
        console.print("[yellow]the search hit its label cap: the option set may be incomplete[/]")

"""``silkroad network list | show | export``."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..io import atomic_path, list_networks, load_network

network_app = typer.Typer(help="Inspect and export networks.", no_args_is_help=True)


class ExportFormat(StrEnum):
    """GIS formats ``network export`` writes."""

    GEOJSON = "geojson"
    GPKG = "gpkg"


_DRIVERS = {ExportFormat.GEOJSON: "GeoJSON", ExportFormat.GPKG: "GPKG"}


@network_app.command("list")
def list_command() -> None:
    """List the bundled networks."""
    console = Console()
    for name in list_networks():
        console.print(name)


@network_app.command("show")
def show_command(
    name: Annotated[str, typer.Argument(help="bundled network name or path to a network folder")],
    services: Annotated[bool, typer.Option("--services", help="list every service")] = False,
    hubs: Annotated[bool, typer.Option("--hubs", help="list every hub")] = False,
) -> None:
    """Summarise a network: hubs by kind, links and services by mode, sources."""
    net = load_network(name)
    console = Console()
    console.print(f"[bold]{net.name}[/]: {len(net.hubs)} hubs, {len(net.links)} links, "
                  f"{len(net.services)} services, {len(net.transfers)} transfer rules, "
                  f"{len(net.sources)} sources")
    summary = Table(title="Hubs by kind")
    summary.add_column("kind")
    summary.add_column("hubs", justify="right")
    for kind, count in sorted(Counter(str(h.kind) for h in net.hubs).items()):
        summary.add_row(kind, str(count))
    console.print(summary)

    by_mode = Table(title="Links and services by mode")
    for column in ("mode", "links", "services", "optional", "departures / week"):
        by_mode.add_column(column, justify="right" if column != "mode" else "left")
    modes = sorted({str(x.mode) for x in net.links} | {str(s.mode) for s in net.services})
    for mode in modes:
        scheduled = [s for s in net.services if s.mode == mode]
        by_mode.add_row(
            mode, str(sum(1 for x in net.links if x.mode == mode)),
            str(sum(1 for s in scheduled if not s.optional)),
            str(sum(1 for s in scheduled if s.optional)),
            str(sum(len(s.weekdays) for s in scheduled if not s.optional)),
        )
    console.print(by_mode)

    if hubs:
        table = Table(title="Hubs")
        for column in ("code", "name", "kind", "country", "lat", "lon", "dwell h", "t/day"):
            table.add_column(column)
        for h in net.hubs:
            table.add_row(h.code, h.name, str(h.kind), h.country, f"{h.lat:.3f}", f"{h.lon:.3f}",
                          f"{h.dwell_h:g}", "" if h.capacity_t_day is None else f"{h.capacity_t_day:g}")
        console.print(table)
    if services:
        table = Table(title="Services")
        for column in ("id", "mode", "stops", "days", "hours", "km", "price", "optional"):
            table.add_column(column)
        days = "MTWTFSS"
        for s in net.services:
            pattern = "".join(d if i in s.weekdays else "." for i, d in enumerate(days))
            table.add_row(s.id, str(s.mode), " > ".join(s.stops), pattern, f"{s.running_h:g}",
                          f"{s.distance_km:,.0f}", f"{s.price_usd:g}/{s.price_basis}",
                          "yes" if s.optional else "")
        console.print(table)


@network_app.command("export")
def export_command(
    name: Annotated[str, typer.Argument(help="bundled network name or path to a network folder")],
    out: Annotated[Path, typer.Option("--out", help="file to write")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="output format")] = ExportFormat.GPKG,
) -> None:
    """Write hubs, links and service legs as GeoJSON or GeoPackage (EPSG:4326)."""
    net = load_network(name)
    frame = net.to_geodataframe()
    try:
        with atomic_path(out) as tmp:
            frame.to_file(tmp, driver=_DRIVERS[fmt], **({"layer": net.name} if fmt == "gpkg" else {}))
    except OSError as exc:
        raise InputError(f"cannot write output: {exc.strerror or exc}", field="--out",
                         value=str(out)) from None
    Console().print(f"wrote {len(frame)} features to {out}")

"""Output writers of a scenario run, keyed by format.

A writer takes the :class:`~.runner.ScenarioResult` and a folder, writes its files into that
folder and returns their paths. The runner hands every writer the same staging folder and moves
the files into the output folder only when all writers have finished (see
:func:`silkroad_routing.io.staged_folder`), so a writer needs no atomic tricks of its own.

To add a format, write a function with the :data:`OutputWriter` signature and add it to
:data:`OUTPUT_WRITERS` under its :class:`~.schema.OutputFormat`; the geographic formats
(GeoJSON, GeoPackage, the HTML and PNG maps) are thin adapters over :mod:`..report`. Formats
without a writer are skipped when a scenario asks for the default formats, and are an error when
it names them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..tables import itinerary, output_table
from .schema import OutputFormat

if TYPE_CHECKING:
    from .runner import ScenarioResult

#: ``writer(result, folder) -> paths written``.
OutputWriter = Callable[["ScenarioResult", Path], list[Path]]

#: File names inside the output folder.
PLAN_STEM, SHIPMENTS_STEM, KPIS_FILE = "plan", "shipments", "kpis.json"
#: Per-shipment itineraries (CSV) and the xlsx workbook of the run.
ITINERARIES_STEM, WORKBOOK_FILE = "itineraries", "workbook.xlsx"
#: Files of the consolidate task: units, leg-departures, cost allocation, summary.
UNITS_STEM, DEPARTURES_STEM, ALLOCATION_STEM = "units", "departures", "allocation"
CONSOLIDATION_FILE = "consolidation.json"
#: The shadow prices of an optimal capacity-aware assignment.
SHADOW_PRICES_STEM = "shadow_prices"
#: The plan replayed under uncertainty (``task.reliability_samples``): per shipment, per
#: departure, per corridor.
RELIABILITY_STEM, RELIABILITY_DEPARTURES_STEM = "reliability", "reliability_departures"
RELIABILITY_CORRIDORS_STEM = "reliability_corridors"
#: Files of the design task: the departures to run, and the design's summary.
DESIGN_DEPARTURES_STEM, DESIGN_FILE = "design_departures", "design.json"


def write_csv(result: ScenarioResult, folder: Path) -> list[Path]:
    """``plan.csv`` (one row per shipment-leg), ``shipments.csv`` (one row per shipment) and
    ``itineraries.csv`` (the legs of each selected route as quoted: carrier, price basis and
    quantity, local times; see :mod:`..tables.itinerary`); after consolidation also
    ``units.csv`` (one row per unit), ``departures.csv`` (one row per leg-departure) and
    ``allocation.csv`` (each shipment-leg's share of its units' cost); after a design also
    ``design_departures.csv`` (the optional departures to run, with their fixed cost, load and
    utilisation); after an optimal capacity-aware assignment also ``shadow_prices.csv`` (what
    one more unit of each binding capacity is worth); with ``task.reliability_samples`` also
    ``reliability.csv``, ``reliability_departures.csv`` and ``reliability_corridors.csv``
    (:class:`~silkroad_routing.simulation.Reliability`). Every table is rounded and has local
    times beside UTC (:mod:`..tables`)."""
    tables = [(PLAN_STEM, result.plan.legs), (SHIPMENTS_STEM, result.plan.shipments),
              (ITINERARIES_STEM, itinerary(result.plan, result.network, result.shipments))]
    if result.consolidation is not None:
        c = result.consolidation
        tables += [(UNITS_STEM, c.units), (DEPARTURES_STEM, c.departures),
                   (ALLOCATION_STEM, c.allocation)]
    if result.design is not None:
        tables.append((DESIGN_DEPARTURES_STEM, result.design.departures))
    if result.plan.shadow_prices is not None:
        tables.append((SHADOW_PRICES_STEM, result.plan.shadow_prices))
    if result.reliability is not None:
        tables += [(RELIABILITY_STEM, result.reliability.shipments),
                   (RELIABILITY_DEPARTURES_STEM, result.reliability.departures),
                   (RELIABILITY_CORRIDORS_STEM, result.reliability.corridors)]
    paths = []
    for stem, table in tables:
        paths.append(folder / f"{stem}.csv")
        output_table(table, result.network).to_csv(paths[-1], index=False, lineterminator="\n")
    return paths


def write_parquet(result: ScenarioResult, folder: Path) -> list[Path]:
    """``plan.parquet`` and ``shipments.parquet``: the same tables as the CSV files, typed."""
    paths = [folder / f"{PLAN_STEM}.parquet", folder / f"{SHIPMENTS_STEM}.parquet"]
    for path, table in zip(paths, (result.plan.legs, result.plan.shipments), strict=True):
        output_table(table, result.network).to_parquet(path, index=False, engine="pyarrow")
    return paths


def _plain(value: Any) -> Any:
    """JSON-ready values: NumPy scalars as Python numbers, NaN as null, dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _head(result: ScenarioResult) -> dict[str, Any]:
    return {"scenario": result.scenario.name, "task": str(result.scenario.task.kind),
            "objective": str(result.scenario.task.objective), "fast": result.fast}


def _untimed(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary without its wall time, which differs run to run (the console shows it)."""
    return {k: v for k, v in summary.items() if k != "wall_time_s"}


def write_json(result: ScenarioResult, folder: Path) -> list[Path]:
    """``kpis.json``: the scenario's name, whether it ran in fast mode, and its KPIs; after
    consolidation also ``consolidation.json``, its summary (units, fill rates, cost before and
    after, packing gaps, overflow); after a design also ``design.json``, its summary (status,
    objective and its parts, bound and gap, departures opened per service, late and unserved
    counts; not the solve time, so that the same inputs give the same bytes)."""
    head = _head(result)
    documents = [(folder / KPIS_FILE, {**head, "kpis": _plain(result.kpis)})]
    if result.consolidation is not None:
        documents.append((folder / CONSOLIDATION_FILE,
                          {**head, "summary": _plain(result.consolidation.summary.to_dict())}))
    if result.design is not None:
        documents.append((folder / DESIGN_FILE,
                          {**head, "design": _plain(_untimed(result.design.summary.to_dict()))}))
    for path, document in documents:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
                        + "\n", encoding="utf-8")
    return [path for path, _ in documents]


def write_xlsx(result: ScenarioResult, folder: Path) -> list[Path]:
    """``workbook.xlsx``: summary, shipments, itineraries, utilisation and sources, and with a
    replay (``task.reliability_samples``) its ``reliability``, ``reliability_departures`` and
    ``reliability_corridors`` tables (see :mod:`..tables.workbook`)."""
    from ..tables.workbook import sources_table, summary_table, utilisation_table, write_workbook

    network = result.network
    sheets = {
        "summary": summary_table(_head(result), result.kpis),
        "shipments": output_table(result.plan.shipments, network),
        "itineraries": output_table(itinerary(result.plan, network, result.shipments), network),
        "utilisation": output_table(utilisation_table(result.kpis), network),
        "sources": sources_table(network),
    }
    if result.reliability is not None:  # the replay's tables, as in the CSV files
        sheets.update({stem: output_table(table, network) for stem, table in (
            (RELIABILITY_STEM, result.reliability.shipments),
            (RELIABILITY_DEPARTURES_STEM, result.reliability.departures),
            (RELIABILITY_CORRIDORS_STEM, result.reliability.corridors))})
    return [write_workbook(folder / WORKBOOK_FILE, sheets, result.plan.start)]


# The geographic writers import silkroad_routing.report when called: geopandas' writers,
# folium and matplotlib are slow to import and `silkroad validate` needs none of them.


def write_geojson(result: ScenarioResult, folder: Path) -> list[Path]:
    """``routes.geojson`` (a line per shipment-leg), ``flows.geojson`` (routes added up per
    network leg) and ``hubs.geojson`` (hubs with throughput); see :mod:`..report.gis`."""
    from ..report import write_geojson as write

    return write(result.plan, result.network, folder, tz=result.scenario.horizon.tz)


def write_gpkg(result: ScenarioResult, folder: Path) -> list[Path]:
    """``routes.gpkg`` with the layers ``legs``, ``flows`` and ``hubs``."""
    from ..report import write_gpkg as write

    return write(result.plan, result.network, folder, tz=result.scenario.horizon.tz)


def write_html(result: ScenarioResult, folder: Path) -> list[Path]:
    """``map.html``: the interactive map (draws without internet; see :mod:`..report.html_map`)."""
    from ..report import MAP_HTML_FILE, write_map_html

    return [write_map_html(result.plan, result.network, folder / MAP_HTML_FILE,
                           title=result.scenario.name, tz=result.scenario.horizon.tz)]


def write_png(result: ScenarioResult, folder: Path) -> list[Path]:
    """``map.png``: the static map (see :mod:`..report.png_map`); with
    ``task.reliability_samples`` also ``reliability_corridors.png``, the transit-time
    distribution per corridor (see :mod:`..report.reliability_chart`)."""
    from ..report import MAP_PNG_FILE, RELIABILITY_CHART_FILE, write_map_png, write_reliability_chart

    paths = [write_map_png(result.plan, result.network, folder / MAP_PNG_FILE,
                           title=result.scenario.name, tz=result.scenario.horizon.tz)]
    if result.reliability is not None:
        paths.append(write_reliability_chart(result.reliability.corridors,
                                             folder / RELIABILITY_CHART_FILE,
                                             title=result.scenario.name))
    return paths


#: Writers by format.
OUTPUT_WRITERS: dict[OutputFormat, OutputWriter] = {
    OutputFormat.CSV: write_csv,
    OutputFormat.PARQUET: write_parquet,
    OutputFormat.JSON: write_json,
    OutputFormat.XLSX: write_xlsx,
    OutputFormat.GEOJSON: write_geojson,
    OutputFormat.GPKG: write_gpkg,
    OutputFormat.HTML: write_html,
    OutputFormat.PNG: write_png,
}


def write_outputs(result: ScenarioResult, folder: Path, formats: list[OutputFormat]) -> list[Path]:
    """Run the writer of each format into ``folder``; the paths written, in order."""
    written: list[Path] = []
    for fmt in formats:
        written += OUTPUT_WRITERS[fmt](result, folder)
    return written

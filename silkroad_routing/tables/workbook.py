"""The xlsx workbook of a run: the tables a forwarder or planner opens in a spreadsheet.

Sheets (:data:`SHEETS`): ``summary`` (the scenario and its headline KPIs), ``shipments`` and
``itineraries`` (the CSV tables of the same names, rounded, with local times), ``utilisation``
(per service: departures used, load, mean and peak utilisation; per hub: tonnes handled and
peak and mean utilisation of its days with traffic) and ``sources`` (where the network's
numbers come from); with a replay of the plan (``task.reliability_samples``) also
:data:`RELIABILITY_SHEETS`, the reliability CSV tables (P(on time) per shipment, departure and
corridor; an infinite percentile, stranded that often, reads ``inf``). UTC times are Excel
date-times (the sheet heads say UTC); local times are ISO text with their offset, as in the CSV
files. The file is byte-identical for the same run: its timestamps are fixed to the plan's
start.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from ..model import Network
from .rounding import decimals

SHEETS: Final[tuple[str, ...]] = ("summary", "shipments", "itineraries", "utilisation", "sources")
#: Sheets added after :data:`SHEETS` when the run replayed its plan.
RELIABILITY_SHEETS: Final[tuple[str, ...]] = (
    "reliability", "reliability_departures", "reliability_corridors")
#: Columns of the utilisation sheet.
UTILISATION_COLUMNS: Final[tuple[str, ...]] = (
    "kind", "id", "mode", "uses", "load_t", "capacity_t_day", "utilisation_mean",
    "utilisation_max", "over_capacity",
)
#: The archive member holding the creation and modification times.
CORE_PROPERTIES: Final[str] = "docProps/core.xml"
#: Widest column, characters.
_MAX_WIDTH = 48


def utilisation_table(kpis: Mapping[str, Any]) -> pd.DataFrame:
    """The ``utilisation`` sheet from a run's KPIs (:func:`silkroad_routing.kpi.compute_kpis`):
    one row per service used (``uses``: departures; ``load_t``: tonnes on the busiest leg of
    each departure, summed) and per hub with traffic (``uses``: days; ``load_t``: tonnes
    handled)."""
    rows = [{"kind": "service", "id": sid, "mode": s["mode"], "uses": s["departures_used"],
             "load_t": s["peak_leg_load_t"], "capacity_t_day": None,
             "utilisation_mean": s["utilisation_mean"], "utilisation_max": s["utilisation_max"],
             "over_capacity": s["departures_over_capacity"]}
            for sid, s in kpis["services"].items()]
    rows += [{"kind": "hub", "id": code, "mode": "", "uses": h["days_with_traffic"],
              "load_t": h["throughput_t"], "capacity_t_day": h["capacity_t_day"],
              "utilisation_mean": h["utilisation_mean"], "utilisation_max": h["utilisation_max"],
              "over_capacity": h["days_over_capacity"]}
             for code, h in kpis["hubs"].items()]
    return pd.DataFrame(rows, columns=list(UTILISATION_COLUMNS))


def summary_table(head: Mapping[str, Any], kpis: Mapping[str, Any]) -> pd.DataFrame:
    """The ``summary`` sheet: ``head`` (scenario, task, ...) then every scalar KPI, as
    ``item`` / ``value`` rows (the per-service and per-hub KPIs are in ``utilisation``)."""
    items = {**head, **{k: v for k, v in kpis.items() if not isinstance(v, dict | list)}}
    values = [round(v, places) if isinstance(v, float) and (places := decimals(k)) is not None
              else v for k, v in items.items()]
    return pd.DataFrame({"item": list(items), "value": values})


def sources_table(network: Network) -> pd.DataFrame:
    """The ``sources`` sheet: one row per source of the network's numbers."""
    return pd.DataFrame([s.model_dump(mode="json") for s in network.sources])


def _cell(value: Any) -> Any:
    """A value openpyxl writes: UTC times without their zone, NaN and NA as empty cells, an
    infinity as the text ``inf`` (a spreadsheet has no infinite number)."""
    if isinstance(value, pd.Timestamp | datetime):
        return None if pd.isna(value) else pd.Timestamp(value).tz_convert("UTC").tz_localize(
            None).to_pydatetime()
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _fill(sheet: Any, table: pd.DataFrame) -> None:
    sheet.append([f"{c} (UTC)" if isinstance(table[c].dtype, pd.DatetimeTZDtype) else str(c)
                  for c in table.columns])
    for row in table.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    for i, column in enumerate(table.columns, start=1):
        longest = max([len(str(column)), *(len(str(v)) for v in table[column].head(200))])
        sheet.column_dimensions[get_column_letter(i)].width = min(_MAX_WIDTH, longest + 2)


def write_workbook(path: Path, sheets: Mapping[str, pd.DataFrame], stamp: datetime) -> Path:
    """Write ``sheets`` (name -> table, in order) to the xlsx file ``path``; ``stamp`` is its
    creation time (fixed, so that the same run writes the same bytes)."""
    book = Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        _fill(book.create_sheet(name), table)
    moment = pd.Timestamp(stamp).tz_convert("UTC").tz_localize(None).to_pydatetime()
    book.properties.creator = "silkroad-routing"
    book.properties.created = book.properties.modified = moment
    buffer = io.BytesIO()
    book.save(buffer)  # stamps the clock as the modification time: put the fixed one back
    book.properties.modified = moment
    _fixed_zip(buffer.getvalue(), path, {CORE_PROPERTIES: tostring(book.properties.to_tree())})
    return path


def _fixed_zip(data: bytes, path: Path, replace: Mapping[str, bytes]) -> None:
    """Rewrite the xlsx archive with the members of ``replace`` swapped in and a fixed date on
    every member (zipfile stamps the clock)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, replace.get(info.filename) or source.read(info.filename))

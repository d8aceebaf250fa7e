"""Demand of a scenario: inline shipments, a CSV or Parquet file, and a seeded flow generator.

Every source yields :class:`~silkroad_routing.model.Shipment` records with timezone-aware
times; times written without an offset are local to the horizon's time zone. A bad value in a
file raises :class:`ScenarioError` naming the file, the data row (1-based, header excluded), the
column and the value; a bad value inline names the scenario file, line and field. Every bad row
of a file (up to :data:`MAX_LISTED_ERRORS`) and every bad inline shipment is listed at once.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ..compile.shipments import ShipmentTable, concat_tables, table_from_records
from ..errors import MAX_LISTED_ERRORS, ScenarioError, ScenarioErrors, raise_all
from ..io.csv_table import MAX_CSV_BYTES, NOTE_COLUMNS, csv_records, sniff_delimiter
from ..io.text_files import read_text_bounded
from ..io.yaml_lines import YamlPath
from ..model import Network, Shipment
from ..units import FEU_PAYLOAD_KG, FEU_USABLE_M3
from .demand_table import RawDemand, demand_table, raw_from_rows
from .hub_hint import unknown_hub_message
from .load import Where
from .schema import Demand, Flow, Horizon, ShipmentRow, localize

#: Smallest generated shipment, kg (a parcel consolidation below this is not a freight shipment).
MIN_WEIGHT_KG = 5.0

#: ``(message, location, value) -> error``: builds an error that points at a shipment's field.
Blame = Callable[[str, str, object], ScenarioError]


def to_shipment(row: ShipmentRow, network: Network, horizon: Horizon, blame: Blame) -> Shipment:
    """A validated row as a :class:`Shipment`: times localised, hubs and ready time checked."""
    for column in ("origin", "destination"):
        code = getattr(row, column)
        if code not in network.hub_by_code:
            raise blame(unknown_hub_message(network, code), column, code)
    ready, due = localize(row.ready, horizon.tz), row.due and localize(row.due, horizon.tz)
    if not horizon.start_at <= ready < horizon.end_at:
        raise blame(f"ready time is outside the horizon ({horizon.start_at.isoformat(sep=' ')} + "
                    f"{horizon.days} days)", "ready", row.ready.isoformat(sep=" "))
    if due is not None and due <= ready:
        raise blame(f"due date is not after the ready date ({ready.isoformat(sep=' ')})", "due",
                    row.due.isoformat(sep=" ") if row.due else None)
    return Shipment(id=row.id, origin=row.origin, destination=row.destination, ready=ready, due=due,
                    weight_kg=row.weight_kg, volume_m3=row.volume_m3, units_feu=row.units_feu,
                    cargo_class=row.cargo_class, declared_value_usd=row.declared_value_usd,
                    modes=row.modes, regime=row.regime, storage_days=row.storage_days)


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

#: ``(row number, cells by column)`` of a demand file; empty cells left out.
Rows = Iterator[tuple[int, dict[str, Any]]]


def _csv_rows(path: Path) -> Rows:
    _, records = csv_records(path, ScenarioError)
    for number, row in records:
        yield number, {k: v.strip() for k, v in row.items() if v is not None and v.strip()}


def _parquet_cells(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row's present cells (nulls and NaN left out)."""
    return {k: v for k, v in row.items()
            if v is not None and not (isinstance(v, float) and math.isnan(v))}


def _raw_csv(path: Path) -> RawDemand:
    """The cells of a CSV demand file (stripped text; empty cells missing), read by pandas as
    :func:`~silkroad_routing.io.csv_table.csv_records` reads them (BOM, ``#`` comments, blank
    lines, the delimiter of the header); row by row where pandas reads a file differently
    (ragged rows, blank or repeated header names)."""
    text = read_text_bounded(path, MAX_CSV_BYTES, ScenarioError)
    kept = "".join(line for line in io.StringIO(text, newline="")
                   if line.strip() and not line.lstrip().startswith("#"))
    del text
    first = kept.split("\n", 1)[0]
    delimiter = sniff_delimiter(first)
    header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter), [])]
    if len(set(header)) < len(header) or "" in header:
        return _raw_rows(_csv_rows(path))
    try:
        with warnings.catch_warnings():
            # A row longer than the header: pandas warns and drops cells; the row path names it.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(kept), sep=delimiter, header=None, names=header,
                                skiprows=1, index_col=False, dtype=str, keep_default_na=False,
                                na_filter=False, engine="c")
    except (ValueError, pd.errors.ParserError, pd.errors.ParserWarning):
        return _raw_rows(_csv_rows(path))
    del kept
    for column in frame.columns:
        stripped = frame[column].str.strip()
        frame[column] = stripped.where(stripped != "")
    return RawDemand(frame, lambda i: {k: v for k, v in frame.iloc[i].items()
                                       if isinstance(v, str)})


def _raw_rows(rows: Rows) -> RawDemand:
    """The cells of rows read one by one; an error naming a row ends them (raised after the
    rows before it are checked, as the row path did)."""
    read: list[dict[str, Any]] = []
    try:
        for _, cells in rows:
            read.append(cells)
    except ScenarioError as exc:
        if exc.row is None:
            raise
        return raw_from_rows(read, exc)
    return raw_from_rows(read)


def _raw_parquet(path: Path) -> RawDemand:
    """The cells of a Parquet demand file, typed as stored (text as Arrow strings)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise ScenarioError(f"cannot read the Parquet file: {exc}", file=str(path)) from None
    strings = pd.StringDtype("pyarrow")
    frame = table.to_pandas(types_mapper={pa.string(): strings, pa.large_string(): strings}.get)
    return RawDemand(frame, lambda i: _parquet_cells(table.slice(i, 1).to_pylist()[0]))


def _xlsx_rows(path: Path) -> Rows:
    """Rows of the first sheet of an Excel workbook; the first non-empty row is the header."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ScenarioError(f"cannot read the Excel workbook: {exc}", file=str(path)) from None
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        number = 0
        for values in sheet.iter_rows(values_only=True):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if header is None:
                header = ["" if v is None else str(v).strip() for v in values]
                continue
            number += 1
            if len(values) > len(header) and any(v is not None for v in values[len(header):]):
                raise ScenarioError("row has more cells than the header", file=str(path),
                                    row=number)
            yield number, {h: v.strip() if isinstance(v, str) else v
                           for h, v in zip(header, values, strict=False)
                           if h and v is not None and not (isinstance(v, str) and not v.strip())}
    finally:
        book.close()


#: Readers of demand files by suffix.
READERS: dict[str, Callable[[Path], RawDemand]] = {
    ".csv": _raw_csv, ".parquet": _raw_parquet, ".pq": _raw_parquet,
    ".xlsx": lambda path: _raw_rows(_xlsx_rows(path)),
}


def _row_error(exc: ValidationError, path: Path, number: int, cells: dict[str, Any]
               ) -> list[ScenarioError]:
    """The errors of one row, each naming the file, row, column and value."""
    found = []
    for err in exc.errors(include_url=False):
        column = str(err["loc"][0]) if err["loc"] else None
        if err["type"] == "bool_for_number":
            column = err["ctx"]["field"]
        message = "unknown column" if err["type"] == "extra_forbidden" else (
            "required column is missing or empty" if err["type"] == "missing"
            else err["msg"].removeprefix("Value error, "))
        value = None if column is None or err["type"] == "missing" else cells.get(column)
        found.append(ScenarioError(message, file=str(path), row=number, field=column, value=value))
    return found


def row_validator(path: Path, network: Network, horizon: Horizon
                  ) -> Callable[[int, dict[str, Any]], Shipment | list[ScenarioError]]:
    """The row path of a demand file: ``(row number, cells) -> Shipment`` or the row's errors,
    each naming the file, row, column and value."""
    def validate(number: int, cells: dict[str, Any]) -> Shipment | list[ScenarioError]:
        cells = {k: v for k, v in cells.items() if k not in NOTE_COLUMNS}

        def blame(message: str, column: str, value: object) -> ScenarioError:
            return ScenarioError(message, file=str(path), row=number, field=column, value=value)

        try:
            return to_shipment(ShipmentRow.model_validate(cells), network, horizon, blame)
        except ValidationError as exc:
            return _row_error(exc, path, number, cells)
        except ScenarioError as exc:
            return [exc]
    return validate


def read_demand_file(path: str | Path, network: Network, horizon: Horizon) -> ShipmentTable:
    """Shipments from a CSV (``.csv``), Parquet (``.parquet``) or Excel (``.xlsx``, first sheet)
    file, one per row, in the columnar form (checked column-wise, :mod:`.demand_table`).

    Columns are the fields of :class:`~.schema.ShipmentRow`; an empty cell takes the default;
    ``note`` columns are ignored. CSV files may be UTF-8 with or without a byte-order mark and
    separated by ``,``, ``;``, tab or ``|``. Raises :class:`ScenarioError` naming the file, row,
    column and value of each bad cell (an unknown column, a negative weight, an unknown hub
    code, a due date before the ready date, ...), up to :data:`MAX_LISTED_ERRORS` of them.
    """
    path = Path(path)
    if not path.exists():
        raise ScenarioError("demand file not found", file=str(path))
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ScenarioError("a demand file must be .csv, .parquet or .xlsx", file=str(path),
                            value=path.suffix)
    if not path.is_file():
        raise ScenarioError("the demand file is not a regular file", file=str(path))

    table, problems = demand_table(READERS[suffix](path), network, horizon,
                                   row_validator(path, network, horizon), MAX_LISTED_ERRORS)
    raise_all(problems, ScenarioErrors)
    if not len(table):
        raise ScenarioError("demand file has no shipments", file=str(path))
    return table


# --------------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------------


def generate_flow(flow: Flow, network: Network, horizon: Horizon, seed: int, index: int
                  ) -> list[Shipment]:
    """Draw one flow's shipments from a NumPy generator seeded with ``(seed, index)``.

    Ready times are uniform over the horizon (whole minutes); origins and destinations uniform
    over the flow's lists (a destination equal to the origin moves to the next one in the list);
    weights log-normal around the median (FCL: per container, within an FEU's payload, and
    1..``feu_max`` containers); volume = weight / density; due = ready + ``transit_days``;
    declared value = weight x value per kg. Hub codes must be checked by the caller.
    """
    params = flow.params()
    rng = np.random.default_rng([seed, index])
    n = flow.shipments
    origins, destinations = list(flow.origins), list(flow.destinations)
    o_idx = rng.integers(len(origins), size=n)
    d_idx = rng.integers(len(destinations), size=n)
    ready_min = rng.integers(0, horizon.days * 24 * 60, size=n)
    weight = rng.lognormal(math.log(params.median_weight_kg), params.weight_sigma, size=n)
    if params.feu_max > 0:
        feu = rng.integers(1, params.feu_max + 1, size=n)
        per_box = np.clip(weight, 2_000.0, FEU_PAYLOAD_KG)
        weight = per_box * feu
        volume = np.minimum(weight / params.density_kg_m3, FEU_USABLE_M3 * feu)
    else:
        feu = np.zeros(n, dtype=np.int64)
        weight = np.maximum(weight, MIN_WEIGHT_KG)
        volume = weight / params.density_kg_m3
    prefix = flow.name or f"F{index + 1}-{flow.profile}"
    start = horizon.start_at
    shipments = []
    for i in range(n):
        origin = origins[int(o_idx[i])]
        d = int(d_idx[i])
        destination = destinations[d]
        if destination == origin:
            destination = destinations[(d + 1) % len(destinations)]
        ready = start + timedelta(minutes=int(ready_min[i]))
        weight_kg = round(float(weight[i]), 1)
        shipments.append(Shipment(
            id=f"{prefix}-{i + 1:05d}", origin=origin, destination=destination, ready=ready,
            due=ready + timedelta(days=params.transit_days), weight_kg=weight_kg,
            volume_m3=max(round(float(volume[i]), 3), 0.001),
            units_feu=int(feu[i]) if feu[i] > 0 else None, cargo_class=params.cargo_class,
            declared_value_usd=round(weight_kg * params.value_usd_per_kg), modes=params.modes,
            regime=params.regime, storage_days=params.storage_days))
    return shipments


def _flow_problems(flow: Flow, network: Network, where: Where, flow_loc: YamlPath
                   ) -> list[ScenarioError]:
    """What is wrong with a flow's hubs: unknown codes, an origin with no other destination."""
    problems = [where.error(unknown_hub_message(network, code), (*flow_loc, column, j), code)
                for column in ("origins", "destinations")
                for j, code in enumerate(getattr(flow, column)) if code not in network.hub_by_code]
    lonely = [o for o in flow.origins if set(flow.destinations) <= {o}]
    if lonely:
        problems.append(where.error("this origin has no destination other than itself",
                                    (*flow_loc, "origins"), lonely[0]))
    return problems


def build_demand(demand: Demand, network: Network, horizon: Horizon, seed: int,
                 where: Where | None = None, loc: YamlPath = ("demand",)) -> ShipmentTable:
    """Every shipment of ``demand`` in the columnar form: inline rows, then the file's rows,
    then generated flows.

    Raises :class:`ScenarioError` pointing at the scenario line (inline rows, flows) or the file
    row (demand files), listing every bad inline row and flow at once; shipment ids must be
    unique across the three sources.
    """
    where = where or Where()
    inline: list[Shipment] = []
    problems: list[ScenarioError] = []
    for i, row in enumerate(demand.shipments):
        def blame(message: str, column: str, value: object, i: int = i) -> ScenarioError:
            return where.error(message, (*loc, "shipments", i, column), value)

        try:
            inline.append(to_shipment(row, network, horizon, blame))
        except ScenarioError as exc:
            problems.append(exc)
    if demand.generate is not None:
        for i, flow in enumerate(demand.generate.flows):
            problems += _flow_problems(flow, network, where, (*loc, "generate", "flows", i))
    raise_all(problems, ScenarioErrors)
    #: Where each part's shipments were written, to point a duplicate id at its second one.
    parts = [table_from_records(inline)]
    written_at: list[YamlPath] = [(*loc, "shipments", i, "id") for i in range(len(inline))]
    if demand.file is not None:
        parts.append(read_demand_file(demand.file.path, network, horizon))
        written_at.append((*loc, "file"))
    if demand.generate is not None:
        for i, flow in enumerate(demand.generate.flows):
            parts.append(table_from_records(generate_flow(flow, network, horizon, seed, i)))
            written_at.append((*loc, "generate", "flows", i))
    table = concat_tables(parts)
    duplicate = np.flatnonzero(pd.Series(table.id).duplicated().to_numpy())
    if duplicate.size:
        row = int(duplicate[0])
        # Inline rows each have their place; every later part one.
        part = row if row < len(inline) else len(inline) + int(
            np.searchsorted(np.cumsum([len(p) for p in parts[1:]]), row - len(inline),
                            side="right"))
        raise where.error("duplicate shipment id", written_at[part], table.id[row])
    return table

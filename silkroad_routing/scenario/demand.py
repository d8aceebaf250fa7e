"""Demand of a scenario: inline shipments, a CSV or Parquet file, and a seeded flow generator.

Every source yields :class:`~silkroad_routing.model.Shipment` records with timezone-aware
times; times written without an offset are local to the horizon's time zone. A bad value in a
file raises :class:`ScenarioError` naming the file, the data row (1-based, header excluded), the
column and the value; a bad value inline names the scenario file, line and field. Every bad row
of a file (up to :data:`MAX_LISTED_ERRORS`) and every bad inline shipment is listed at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..errors import MAX_LISTED_ERRORS, ScenarioError, ScenarioErrors, raise_all
from ..io.csv_table import NOTE_COLUMNS, csv_records
from ..io.yaml_lines import YamlPath
from ..model import Network, Shipment
from ..units import FEU_PAYLOAD_KG, FEU_USABLE_M3
from .hub_hint import unknown_hub_message
from .load import Where
from .schema import Demand, Flow, Horizon, ShipmentRow, localize

#: Columns of a demand file that carry notes for readers; ignored.
#: Rows of a Parquet file turned into Python objects at a time.
PARQUET_BATCH_ROWS = 65_536
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
                    modes=row.modes)


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

#: ``(row number, cells by column)`` of a demand file; empty cells left out.
Rows = Iterator[tuple[int, dict[str, Any]]]


def _csv_rows(path: Path) -> Rows:
    _, records = csv_records(path, ScenarioError)
    for number, row in records:
        yield number, {k: v.strip() for k, v in row.items() if v is not None and v.strip()}


def _parquet_rows(path: Path) -> Rows:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        # Batch by batch: a million rows never sit in memory as Python objects at once.
        number = 0
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for row in batch.to_pylist():
                number += 1
                yield number, {k: v for k, v in row.items()
                               if v is not None and not (isinstance(v, float) and math.isnan(v))}
    except (pa.ArrowException, OSError) as exc:
        raise ScenarioError(f"cannot read the Parquet file: {exc}", file=str(path)) from None


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
READERS: dict[str, Callable[[Path], Rows]] = {
    ".csv": _csv_rows, ".parquet": _parquet_rows, ".pq": _parquet_rows, ".xlsx": _xlsx_rows,
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


def read_demand_file(path: str | Path, network: Network, horizon: Horizon) -> list[Shipment]:
    """Shipments from a CSV (``.csv``), Parquet (``.parquet``) or Excel (``.xlsx``, first sheet)
    file, one per row.

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
    shipments: list[Shipment] = []
    problems: list[ScenarioError] = []
    for number, cells in READERS[suffix](path):
        cells = {k: v for k, v in cells.items() if k not in NOTE_COLUMNS}

        def blame(message: str, column: str, value: object, number: int = number) -> ScenarioError:
            return ScenarioError(message, file=str(path), row=number, field=column, value=value)

        try:
            shipments.append(to_shipment(ShipmentRow.model_validate(cells), network, horizon, blame))
        except ValidationError as exc:
            problems += _row_error(exc, path, number, cells)
        except ScenarioError as exc:
            problems.append(exc)
        if len(problems) >= MAX_LISTED_ERRORS:
            break
    raise_all(problems[:MAX_LISTED_ERRORS], ScenarioErrors)
    if not shipments:
        raise ScenarioError("demand file has no shipments", file=str(path))
    return shipments


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
            declared_value_usd=round(weight_kg * params.value_usd_per_kg), modes=params.modes))
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
                 where: Where | None = None, loc: YamlPath = ("demand",)) -> list[Shipment]:
    """Every shipment of ``demand``: inline rows, then the file's rows, then generated flows.

    Raises :class:`ScenarioError` pointing at the scenario line (inline rows, flows) or the file
    row (demand files), listing every bad inline row and flow at once; shipment ids must be
    unique across the three sources.
    """
    where = where or Where()
    shipments: list[Shipment] = []
    #: Where each shipment was written, to point a duplicate id at its second occurrence.
    written_at: list[YamlPath] = []
    problems: list[ScenarioError] = []
    for i, row in enumerate(demand.shipments):
        def blame(message: str, column: str, value: object, i: int = i) -> ScenarioError:
            return where.error(message, (*loc, "shipments", i, column), value)

        try:
            shipments.append(to_shipment(row, network, horizon, blame))
            written_at.append((*loc, "shipments", i, "id"))
        except ScenarioError as exc:
            problems.append(exc)
    if demand.generate is not None:
        for i, flow in enumerate(demand.generate.flows):
            problems += _flow_problems(flow, network, where, (*loc, "generate", "flows", i))
    raise_all(problems, ScenarioErrors)
    if demand.file is not None:
        shipments += read_demand_file(demand.file.path, network, horizon)
        written_at += [(*loc, "file")] * (len(shipments) - len(written_at))
    if demand.generate is not None:
        for i, flow in enumerate(demand.generate.flows):
            shipments += generate_flow(flow, network, horizon, seed, i)
            written_at += [(*loc, "generate", "flows", i)] * (len(shipments) - len(written_at))
    seen: set[str] = set()
    for shipment, at in zip(shipments, written_at, strict=True):
        if shipment.id in seen:
            raise where.error("duplicate shipment id", at, shipment.id)
        seen.add(shipment.id)
    return shipments

"""Demand of a scenario: inline shipments, a CSV or Parquet file, and a seeded flow generator.

Every source yields :class:`~silkroad_routing.model.Shipment` records with timezone-aware
times; times written without an offset are local to the horizon's time zone. A bad value in a
file raises :class:`ScenarioError` naming the file, the data row (1-based, header excluded), the
column and the value; a bad value inline names the scenario file, line and field.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..errors import ScenarioError
from ..io.csv_table import NOTE_COLUMNS
from ..io.yaml_lines import YamlPath
from ..model import Network, Shipment
from ..units import FEU_PAYLOAD_KG, FEU_USABLE_M3
from .load import Where
from .schema import Demand, Flow, Horizon, ShipmentRow, localize

#: Columns of a demand file that carry notes for readers; ignored.
#: Smallest generated shipment, kg (a parcel consolidation below this is not a freight shipment).
MIN_WEIGHT_KG = 5.0

#: ``(message, location, value) -> error``: builds an error that points at a shipment's field.
Blame = Callable[[str, str, object], ScenarioError]


def to_shipment(row: ShipmentRow, network: Network, horizon: Horizon, blame: Blame) -> Shipment:
    """A validated row as a :class:`Shipment`: times localised, hubs and ready time checked."""
    for column in ("origin", "destination"):
        code = getattr(row, column)
        if code not in network.hub_by_code:
            raise blame(f"unknown hub code (not in network {network.name!r})", column, code)
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


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(
            line for line in handle if line.strip() and not line.lstrip().startswith("#"))
        for number, row in enumerate(reader, start=1):
            if None in row:
                raise ScenarioError("row has more cells than the header", file=str(path), row=number,
                                    value=row[None])  # type: ignore[index]
            yield number, {k: v.strip() for k, v in row.items() if v is not None and v.strip()}


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ScenarioError(f"cannot read the Parquet file: {exc}", file=str(path)) from None
    for number, row in enumerate(table.to_pylist(), start=1):
        yield number, {k: v for k, v in row.items()
                       if v is not None and not (isinstance(v, float) and math.isnan(v))}


def read_demand_file(path: str | Path, network: Network, horizon: Horizon) -> list[Shipment]:
    """Shipments from a CSV (``.csv``) or Parquet (``.parquet``) file, one per row.

    Columns are the fields of :class:`~.schema.ShipmentRow`; an empty cell takes the default;
    ``note`` columns are ignored. Raises :class:`ScenarioError` naming the file, row, column and
    value of the first bad cell (an unknown column, a negative weight, an unknown hub code, a
    due date before the ready date, ...).
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError("demand file not found", file=str(path))
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise ScenarioError("a demand file must be .csv or .parquet", file=str(path), value=path.suffix)
    rows = _csv_rows(path) if suffix == ".csv" else _parquet_rows(path)
    shipments = []
    for number, cells in rows:
        cells = {k: v for k, v in cells.items() if k not in NOTE_COLUMNS}

        def blame(message: str, column: str, value: object, number: int = number) -> ScenarioError:
            return ScenarioError(message, file=str(path), row=number, field=column, value=value)

        try:
            row = ShipmentRow.model_validate(cells)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            column = str(err["loc"][0]) if err["loc"] else None
            message = "unknown column" if err["type"] == "extra_forbidden" else (
                "required column is missing or empty" if err["type"] == "missing"
                else err["msg"].removeprefix("Value error, "))
            value = None if column is None or err["type"] == "missing" else cells.get(column)
            raise ScenarioError(message, file=str(path), row=number, field=column,
                                value=value) from None
        shipments.append(to_shipment(row, network, horizon, blame))
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


def build_demand(demand: Demand, network: Network, horizon: Horizon, seed: int,
                 where: Where | None = None, loc: YamlPath = ("demand",)) -> list[Shipment]:
    """Every shipment of ``demand``: inline rows, then the file's rows, then generated flows.

    Raises :class:`ScenarioError` pointing at the scenario line (inline rows, flows) or the file
    row (demand files); shipment ids must be unique across the three sources.
    """
    where = where or Where()
    shipments: list[Shipment] = []
    #: Where each shipment was written, to point a duplicate id at its second occurrence.
    written_at: list[YamlPath] = []
    for i, row in enumerate(demand.shipments):
        def blame(message: str, column: str, value: object, i: int = i) -> ScenarioError:
            return where.error(message, (*loc, "shipments", i, column), value)

        shipments.append(to_shipment(row, network, horizon, blame))
        written_at.append((*loc, "shipments", i, "id"))
    if demand.file is not None:
        shipments += read_demand_file(demand.file.path, network, horizon)
        written_at += [(*loc, "file")] * (len(shipments) - len(written_at))
    if demand.generate is not None:
        for i, flow in enumerate(demand.generate.flows):
            flow_loc = (*loc, "generate", "flows", i)
            for column in ("origins", "destinations"):
                for j, code in enumerate(getattr(flow, column)):
                    if code not in network.hub_by_code:
                        raise where.error(f"unknown hub code (not in network {network.name!r})",
                                          (*flow_loc, column, j), code)
            lonely = [o for o in flow.origins if set(flow.destinations) <= {o}]
            if lonely:
                raise where.error("this origin has no destination other than itself",
                                  (*flow_loc, "origins"), lonely[0])
            shipments += generate_flow(flow, network, horizon, seed, i)
            written_at += [flow_loc] * (len(shipments) - len(written_at))
    seen: set[str] = set()
    for shipment, at in zip(shipments, written_at, strict=True):
        if shipment.id in seen:
            raise where.error("duplicate shipment id", at, shipment.id)
        seen.add(shipment.id)
    return shipments

"""Shipments to arrays: records or a DataFrame in, validated per-shipment arrays out.

Every shipment is validated by :class:`~silkroad_routing.model.Shipment` (a DataFrame row
becomes one); errors name the row, the field and the value. Hub codes are checked against the
network, ready times against the planning horizon. Every task (route, consolidate, design,
capacity-aware assignment) reads shipments through here, once, in
:func:`~silkroad_routing.compile.problem.prepare`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, Final

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ..compile.tariffs import Q_KG_CHARGEABLE, quantity_matrix
from ..errors import InputError
from ..model import Costs, Network, Shipment
from ..model.params import HOURS_PER_YEAR
from ..units import MODE_INDEX, ULD_POSITION_M3, Mode, container_teu

#: Days the default horizon runs past the latest ready or due time: the slowest sea-rail routes
#: (Cape of Good Hope, ~50 days door to door) must fit.
DEFAULT_TAIL_DAYS: Final[int] = 60
#: Columns a shipments DataFrame needs, and the optional ones (the fields of Shipment).
REQUIRED_COLUMNS: Final[tuple[str, ...]] = (
    "id", "origin", "destination", "ready", "weight_kg", "volume_m3")
OPTIONAL_COLUMNS: Final[tuple[str, ...]] = (
    "due", "units_feu", "cargo_class", "declared_value_usd", "modes")
#: What a shipment takes of a leg's capacity, in this order in every (n, 3) array: actual kg,
#: TEU (:func:`~silkroad_routing.units.container_teu`) and ULD positions (volume /
#: :data:`~silkroad_routing.units.ULD_POSITION_M3`).
USE_COLUMNS: Final[tuple[str, ...]] = ("kg", "teu", "positions")
USE_KG, USE_TEU, USE_POSITIONS = 0, 1, 2


@dataclass(frozen=True, slots=True, eq=False)
class ShipmentArrays:
    """Per-shipment arrays (index = position in ``records``), hours from the horizon
    ``start`` (UTC) that runs ``days`` days.

    ``ids`` (object array), ``origin``/``destination`` hub indices, ``ready_h``, ``due_h``
    (``inf`` without a due date), ``mode_mask`` (bit set over ``units.MODES``), ``q`` (n x 6
    quantity vectors), ``weight_kg``, ``chargeable_kg``, ``vot_usd_per_h`` (value of time),
    ``use`` (n x 3: kg, TEU and ULD positions the shipment takes on every leg it rides; see
    :data:`USE_COLUMNS`).
    """

    records: tuple[Shipment, ...]
    start: datetime
    days: float
    ids: np.ndarray
    origin: np.ndarray
    destination: np.ndarray
    ready_h: np.ndarray
    due_h: np.ndarray
    mode_mask: np.ndarray
    q: np.ndarray
    weight_kg: np.ndarray
    chargeable_kg: np.ndarray
    vot_usd_per_h: np.ndarray
    use: np.ndarray

    def __len__(self) -> int:
        return len(self.records)


def _cell(value: Any) -> Any:
    # Missing cells (None, NaN, NaT, pd.NA) mean "use the default".
    if value is None:
        return None
    if isinstance(value, float | np.floating) and math.isnan(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _modes(value: Any) -> Any:
    if isinstance(value, str):
        return frozenset(p.strip().lower() for p in value.replace(",", ";").split(";") if p.strip())
    return value


def shipments_from_frame(frame: pd.DataFrame) -> list[Shipment]:
    """Shipment records from a DataFrame with the columns of :class:`Shipment`.

    ``modes`` may be a ``;``-separated string (``"rail;road"``) or a collection. Raises
    :class:`InputError` naming the row (1-based), the column and the value.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"shipments table lacks column(s) {', '.join(missing)}",
                         field=missing[0])
    unknown = [c for c in frame.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise InputError(f"shipments table has unknown column(s) {', '.join(map(str, unknown))}",
                         field=str(unknown[0]))
    columns = list(frame.columns)
    out = []
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        cells = {c: _cell(v) for c, v in zip(columns, values, strict=True)}
        cells = {c: v for c, v in cells.items() if v is not None}
        if "modes" in cells:
            cells["modes"] = _modes(cells["modes"])
        if "id" in cells:
            cells["id"] = str(cells["id"])
        try:
            out.append(Shipment(**cells))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else None
            raise InputError(err["msg"].removeprefix("Value error, "), row=row, field=field,
                             value=cells.get(field) if field else None) from None
    return out


def as_records(shipments: Iterable[Shipment] | pd.DataFrame) -> tuple[Shipment, ...]:
    """Shipments as records: a DataFrame is converted row by row; ids must be unique."""
    if isinstance(shipments, pd.DataFrame):
        records = tuple(shipments_from_frame(shipments))
    else:
        records = tuple(shipments)
        if not set(map(type, records)) <= {Shipment}:  # one pass; find the culprit only then
            for i, s in enumerate(records, start=1):
                if not isinstance(s, Shipment):
                    raise InputError(f"expected a Shipment, got {type(s).__name__}", row=i)
    ids = list(map(attrgetter("id"), records))
    if len(set(ids)) < len(ids):
        seen: set[str] = set()
        for i, sid in enumerate(ids, start=1):
            if sid in seen:
                raise InputError("duplicate shipment id", row=i, field="id", value=sid)
            seen.add(sid)
    return records


def default_horizon(ready_s: np.ndarray, due_s: np.ndarray) -> tuple[datetime, int]:
    """Start (UTC midnight on or before the earliest ready time) and whole days reaching
    ``DEFAULT_TAIL_DAYS`` past the latest ready or due time (times in POSIX seconds, due
    ``inf`` when there is none)."""
    if ready_s.size == 0:
        return datetime(2000, 1, 1, tzinfo=UTC), 1
    first = datetime.fromtimestamp(float(ready_s.min()), tz=UTC)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    due = due_s[np.isfinite(due_s)]
    last = max(float(ready_s.max()), float(due.max()) if due.size else -np.inf)
    return start, math.ceil((last - start.timestamp()) / 86_400.0) + DEFAULT_TAIL_DAYS


class _ModeMasks(dict[frozenset[Mode], int]):
    """Bit set of a shipment's mode set (bit ``MODE_INDEX[m]``), computed once per set."""

    def __missing__(self, modes: frozenset[Mode]) -> int:
        mask = sum(1 << MODE_INDEX[Mode(m)] for m in modes)
        self[modes] = mask
        return mask


def shipment_arrays(
    records: Sequence[Shipment], network: Network, start: datetime | None, days: float | None,
    costs: Costs,
) -> ShipmentArrays:
    """Index, time and price every shipment (vectorised over the records). ``start`` and
    ``days`` default to :func:`default_horizon`. :class:`InputError` for an unknown hub code or
    a ready time outside the horizon (naming row, field, value)."""
    n = len(records)
    hub_index = {h.code: i for i, h in enumerate(network.hubs)}
    ends = {}
    for field in ("origin", "destination"):
        try:
            ends[field] = np.fromiter(map(hub_index.__getitem__, map(attrgetter(field), records)),
                                      np.int64, n)
        except KeyError:
            row = next(i for i, s in enumerate(records) if getattr(s, field) not in hub_index)
            raise InputError(f"shipment {records[row].id}: unknown hub code", row=row + 1,
                             field=field, value=getattr(records[row], field)) from None

    def column(name: str) -> np.ndarray:
        return np.fromiter(map(attrgetter(name), records), float, n)

    # POSIX seconds: exact for timezone-aware datetimes, and vectorisable.
    ready_s = np.fromiter(map(datetime.timestamp, map(attrgetter("ready"), records)), float, n)
    due_s = np.fromiter((np.inf if d is None else d.timestamp()
                         for d in map(attrgetter("due"), records)), float, n)
    default_start, default_days = default_horizon(ready_s, due_s)
    start = default_start if start is None else start.astimezone(UTC)
    days = default_days if days is None else days
    ready_h = (ready_s - start.timestamp()) / 3600.0
    due_h = (due_s - start.timestamp()) / 3600.0
    bad = np.flatnonzero(~((ready_h >= 0.0) & (ready_h < days * 24.0)))
    if bad.size:
        s = records[bad[0]]
        raise InputError(f"shipment {s.id}: ready time is outside the planning horizon "
                         f"({start.isoformat()} + {days:g} days)", row=int(bad[0]) + 1,
                         field="ready", value=s.ready.isoformat())
    masks = _ModeMasks()
    mode_mask = np.fromiter(map(masks.__getitem__, map(attrgetter("modes"), records)), np.int64,
                            n)
    weight = column("weight_kg")
    units = np.fromiter((u or 0 for u in map(attrgetter("units_feu"), records)), float, n)
    volume = column("volume_m3")
    q = quantity_matrix(weight, volume, units, costs.chargeable_divisor_cm3_per_kg)
    vot = (costs.value_of_time_usd_per_h + column("declared_value_usd")
           * costs.value_of_time_pct_per_year / 100.0 / HOURS_PER_YEAR)
    ids = np.fromiter(map(attrgetter("id"), records), object, n)
    teu = np.fromiter((container_teu(s.weight_kg, s.volume_m3, s.units_feu) for s in records),
                      float, n)
    use = np.ascontiguousarray(np.column_stack((weight, teu, volume / ULD_POSITION_M3)))
    return ShipmentArrays(tuple(records), start, float(days), ids, ends["origin"],
                          ends["destination"], ready_h, due_h, mode_mask, q, weight,
                          np.ascontiguousarray(q[:, Q_KG_CHARGEABLE]), vot, use)

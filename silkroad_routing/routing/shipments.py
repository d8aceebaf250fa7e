"""Shipments for routing: records or a DataFrame in, validated per-shipment arrays out.

Every shipment is validated by :class:`~silkroad_routing.model.Shipment` (a DataFrame row
becomes one); errors name the row, the field and the value. Hub codes are checked against the
network, ready times against the planning horizon.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ..compile.tariffs import Q_KG_CHARGEABLE, quantity_vector
from ..errors import InputError
from ..model import Network, Shipment
from ..units import MODE_INDEX, Mode

#: Days the default horizon runs past the latest ready or due time: the slowest sea-rail routes
#: (Cape of Good Hope, ~50 days door to door) must fit.
DEFAULT_TAIL_DAYS: Final[int] = 60
HOURS_PER_YEAR: Final[float] = 8760.0
#: Columns a shipments DataFrame needs, and the optional ones (the fields of Shipment).
REQUIRED_COLUMNS: Final[tuple[str, ...]] = (
    "id", "origin", "destination", "ready", "weight_kg", "volume_m3")
OPTIONAL_COLUMNS: Final[tuple[str, ...]] = (
    "due", "units_feu", "cargo_class", "declared_value_usd", "modes")


@dataclass(frozen=True, slots=True, eq=False)
class ShipmentArrays:
    """Per-shipment arrays (index = position in ``records``), hours from the horizon start.

    ``origin``/``destination`` hub indices, ``ready_h``, ``due_h`` (``inf`` without a due
    date), ``mode_mask`` (bit set over ``units.MODES``), ``q`` (n x 6 quantity vectors),
    ``weight_kg``, ``chargeable_kg``, ``vot_usd_per_h`` (value of time).
    """

    records: tuple[Shipment, ...]
    origin: np.ndarray
    destination: np.ndarray
    ready_h: np.ndarray
    due_h: np.ndarray
    mode_mask: np.ndarray
    q: np.ndarray
    weight_kg: np.ndarray
    chargeable_kg: np.ndarray
    vot_usd_per_h: np.ndarray

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
        for i, s in enumerate(records, start=1):
            if not isinstance(s, Shipment):
                raise InputError(f"expected a Shipment, got {type(s).__name__}", row=i)
    seen: set[str] = set()
    for i, s in enumerate(records, start=1):
        if s.id in seen:
            raise InputError("duplicate shipment id", row=i, field="id", value=s.id)
        seen.add(s.id)
    return records


def default_horizon(records: Sequence[Shipment]) -> tuple[datetime, int]:
    """Start (UTC midnight on or before the earliest ready time) and whole days reaching
    ``DEFAULT_TAIL_DAYS`` past the latest ready or due time."""
    if not records:
        return datetime(2000, 1, 1, tzinfo=UTC), 1
    ready = [s.ready.astimezone(UTC) for s in records]
    first = min(ready)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    last = max([*ready, *(s.due.astimezone(UTC) for s in records if s.due is not None)])
    return start, math.ceil((last - start) / timedelta(days=1)) + DEFAULT_TAIL_DAYS


def shipment_arrays(
    records: Sequence[Shipment], network: Network, start: datetime, days: float, *,
    divisor_cm3_per_kg: float, value_of_time_usd_per_h: float,
    value_of_time_pct_per_year: float,
) -> ShipmentArrays:
    """Index, time and price every shipment; :class:`InputError` for an unknown hub code or a
    ready time outside the horizon (naming the row, field and value)."""
    hub_index = {h.code: i for i, h in enumerate(network.hubs)}
    n = len(records)
    origin = np.empty(n, dtype=np.int64)
    destination = np.empty(n, dtype=np.int64)
    ready_h = np.empty(n)
    due_h = np.full(n, np.inf)
    mask = np.zeros(n, dtype=np.int64)
    q = np.empty((n, 6))
    weight = np.empty(n)
    vot = np.empty(n)
    horizon_h = days * 24.0
    for i, s in enumerate(records):
        for field, array in (("origin", origin), ("destination", destination)):
            code = getattr(s, field)
            if code not in hub_index:
                raise InputError(f"shipment {s.id}: unknown hub code", row=i + 1, field=field,
                                 value=code)
            array[i] = hub_index[code]
        ready_h[i] = (s.ready - start) / timedelta(hours=1)
        if not 0.0 <= ready_h[i] < horizon_h:
            raise InputError(f"shipment {s.id}: ready time is outside the planning horizon "
                             f"({start.isoformat()} + {days:g} days)", row=i + 1, field="ready",
                             value=s.ready.isoformat())
        if s.due is not None:
            due_h[i] = (s.due - start) / timedelta(hours=1)
        for m in s.modes:
            mask[i] |= 1 << MODE_INDEX[Mode(m)]
        q[i] = quantity_vector(s.weight_kg, s.volume_m3, s.units_feu, divisor_cm3_per_kg)
        weight[i] = s.weight_kg
        vot[i] = (value_of_time_usd_per_h
                  + s.declared_value_usd * value_of_time_pct_per_year / 100.0 / HOURS_PER_YEAR)
    return ShipmentArrays(tuple(records), origin, destination, ready_h, due_h, mask,
                          np.ascontiguousarray(q), weight, np.ascontiguousarray(q[:, Q_KG_CHARGEABLE]),
                          vot)

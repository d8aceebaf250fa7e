"""Shipments to arrays: records, a DataFrame or an Arrow table in, validated arrays out.

Every form becomes one columnar :class:`ShipmentTable` (:func:`shipment_table`): Shipment
records column by column; a DataFrame (or an Arrow table) checked column-wise, with the rules
of :class:`~silkroad_routing.model.Shipment`; only a row those checks flag is built as a
Shipment, which names the row, the field and the value. Hub codes are checked against the
network, ready times against the planning horizon. Every task (route, consolidate, design,
capacity-aware assignment) reads shipments through here, once, in
:func:`~silkroad_routing.compile.problem.prepare`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, Final, Protocol, TypeAlias, runtime_checkable

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pydantic import ValidationError

from ..compile.tariffs import Q_KG_CHARGEABLE, quantity_matrix
from ..errors import InputError
from ..model import CargoClass, Costs, Network, Regime, Shipment
from ..model.params import HOURS_PER_YEAR
from ..units import MODE_INDEX, MODES, ULD_POSITION_M3, Mode, container_teu

#: Days the default horizon runs past the latest ready or due time: the slowest sea-rail routes
#: (Cape of Good Hope, ~50 days door to door) must fit.
DEFAULT_TAIL_DAYS: Final[int] = 60
#: Columns a shipments DataFrame needs, and the optional ones (the fields of Shipment).
REQUIRED_COLUMNS: Final[tuple[str, ...]] = (
    "id", "origin", "destination", "ready", "weight_kg", "volume_m3")
OPTIONAL_COLUMNS: Final[tuple[str, ...]] = (
    "due", "units_feu", "cargo_class", "declared_value_usd", "modes", "regime", "storage_days")
#: What a shipment takes of a leg's capacity, in this order in every (n, 3) array: actual kg,
#: TEU (:func:`~silkroad_routing.units.container_teu`) and ULD positions (volume /
#: :data:`~silkroad_routing.units.ULD_POSITION_M3`).
USE_COLUMNS: Final[tuple[str, ...]] = ("kg", "teu", "positions")
USE_KG, USE_TEU, USE_POSITIONS = 0, 1, 2


@dataclass(frozen=True, slots=True, eq=False)
class ShipmentTable:
    """Shipments as columns, one row per shipment: the columnar form every task reads.

    ``id``, ``origin``, ``destination`` and ``cargo_class`` are object arrays of ``str``;
    ``ready_s`` and ``due_s`` POSIX seconds (``due_s`` is ``inf`` without a due date);
    ``weight_kg``, ``volume_m3``, ``declared_value_usd`` float64; ``units_feu`` int64 (0 when
    not forced); ``mode_mask`` int64 bit sets over ``units.MODES`` (bit ``MODE_INDEX[m]``);
    ``regime`` object array of customs regime names (:class:`~silkroad_routing.model.Regime`),
    ``storage_days`` float64.
    Build one with :func:`shipment_table` from Shipment records, a DataFrame or an Arrow table.
    """

    id: NDArray[np.object_]
    origin: NDArray[np.object_]
    destination: NDArray[np.object_]
    ready_s: NDArray[np.float64]
    due_s: NDArray[np.float64]
    weight_kg: NDArray[np.float64]
    volume_m3: NDArray[np.float64]
    units_feu: NDArray[np.int64]
    cargo_class: NDArray[np.object_]
    declared_value_usd: NDArray[np.float64]
    mode_mask: NDArray[np.int64]
    regime: NDArray[np.object_]
    storage_days: NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.id.shape[0])

    def take(self, index: NDArray[np.int64]) -> ShipmentTable:
        """The rows at ``index``, in that order."""
        return ShipmentTable(*(getattr(self, f.name)[index] for f in fields(self)))

    def records(self) -> list[Shipment]:
        """The rows as :class:`Shipment` records (times in UTC), for code that reads records."""
        modes = {m: frozenset(x for x in MODES if m >> MODE_INDEX[x] & 1)
                 for m in np.unique(self.mode_mask).tolist()}
        return [Shipment.model_construct(
            id=i, origin=o, destination=d, ready=datetime.fromtimestamp(r, UTC),
            due=None if math.isinf(u) else datetime.fromtimestamp(u, UTC), weight_kg=w,
            volume_m3=v, units_feu=f or None, cargo_class=CargoClass(c), declared_value_usd=x,
            modes=modes[m], regime=Regime(g), storage_days=k)
            for i, o, d, r, u, w, v, f, c, x, m, g, k in zip(
                self.id.tolist(), self.origin.tolist(), self.destination.tolist(),
                self.ready_s.tolist(), self.due_s.tolist(), self.weight_kg.tolist(),
                self.volume_m3.tolist(), self.units_feu.tolist(), self.cargo_class.tolist(),
                self.declared_value_usd.tolist(), self.mode_mask.tolist(),
                self.regime.tolist(), self.storage_days.tolist(), strict=True)]


def concat_tables(tables: Sequence[ShipmentTable]) -> ShipmentTable:
    """The rows of ``tables``, one after the other."""
    return ShipmentTable(*(np.concatenate([getattr(t, f.name) for t in tables])
                           for f in fields(ShipmentTable)))


@dataclass(frozen=True, slots=True, eq=False)
class ShipmentArrays:
    """Per-shipment arrays (index = row of ``table``, the shipments' columnar form), hours
    from the horizon ``start`` (UTC) that runs ``days`` days.

    ``ids`` (object array), ``origin``/``destination`` hub indices, ``ready_h``, ``due_h``
    (``inf`` without a due date), ``mode_mask`` (bit set over ``units.MODES``), ``q`` (n x 6
    quantity vectors), ``weight_kg``, ``chargeable_kg``, ``vot_usd_per_h`` (value of time),
    ``use`` (n x 3: kg, TEU and ULD positions the shipment takes on every leg it rides; see
    :data:`USE_COLUMNS`).
    """

    table: ShipmentTable
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
        return len(self.table)


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


def _row_record(columns: list[str], values: Sequence[Any], row: int) -> Shipment:
    """One row of a shipments table as a validated :class:`Shipment`; :class:`InputError`
    naming the row (1-based), the column and the value."""
    cells = {c: _cell(v) for c, v in zip(columns, values, strict=True)}
    cells = {c: v for c, v in cells.items() if v is not None}
    if "modes" in cells:
        cells["modes"] = _modes(cells["modes"])
    if "id" in cells:
        cells["id"] = str(cells["id"])
    try:
        return Shipment(**cells)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else None
        raise InputError(err["msg"].removeprefix("Value error, "), row=row, field=field,
                         value=cells.get(field) if field else None) from None


def _missing(values: pd.Series) -> NDArray[np.bool_]:
    return np.array(values.isna(), dtype=bool)  # a copy: pandas hands out read-only views


def _numbers(values: pd.Series) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """A column as float64 and where a cell is missing; an error (row path) for a column that
    is not numeric or is boolean."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise _RowPath
    return values.to_numpy(dtype=np.float64, na_value=np.nan), _missing(values)


def _texts(values: pd.Series) -> NDArray[np.object_]:
    """A column of ``str`` cells as an object array (missing cells None); an error (row path)
    when a filled cell is not a ``str``."""
    out: NDArray[np.object_] = np.array(values, dtype=object)
    out[_missing(values)] = None
    if not all(type(v) is str for v in out[~_missing(values)].tolist()):
        raise _RowPath
    return out


def _seconds(values: pd.Series) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """A timezone-aware datetime column as POSIX seconds (``datetime.timestamp``: whole
    microseconds over 1e6), and where a cell is missing."""
    if not isinstance(values.dtype, pd.DatetimeTZDtype):
        if _missing(values).all():
            return np.full(len(values), np.inf), np.ones(len(values), dtype=bool)
        raise _RowPath
    missing = _missing(values)
    us = values.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")
    return us.to_numpy().astype(np.int64) / 1e6, missing


class _RowPath(Exception):
    """A column the column-wise checks do not read: validate the frame row by row."""


def _table_from_frame(frame: pd.DataFrame) -> ShipmentTable:
    """The columnar form of a frame whose columns the column-wise checks read; rows they flag
    are validated by :class:`Shipment`, which names the first bad row, field and value."""
    n = len(frame)
    column = {c: frame[c] if c in frame.columns else pd.Series([None] * n, dtype=object)
              for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    bad = _missing(column["id"])
    ids: NDArray[np.object_] = column["id"].to_numpy(dtype=object)
    if pd.api.types.is_integer_dtype(column["id"]) or pd.api.types.is_string_dtype(
            column["id"]) or pd.api.types.is_object_dtype(column["id"]):
        ids = np.array([str(v) for v in ids.tolist()], dtype=object)
    else:
        raise _RowPath
    bad |= np.array([len(v) < 1 for v in ids.tolist()], dtype=bool)
    ends = {}
    for name in ("origin", "destination"):
        codes = _texts(column[name])
        ends[name] = codes
        bad |= np.array([v is None or len(v) < 2 for v in codes.tolist()], dtype=bool)
    bad |= ends["origin"] == ends["destination"]
    ready_s, no_ready = _seconds(column["ready"])
    due_s, no_due = _seconds(column["due"])
    due_s = np.where(no_due, np.inf, due_s)
    bad |= no_ready | ~(due_s > ready_s)
    weight, no_weight = _numbers(column["weight_kg"])
    volume, no_volume = _numbers(column["volume_m3"])
    bad |= no_weight | no_volume | ~(weight > 0.0) | ~(volume > 0.0)
    units, no_units = (_numbers(column["units_feu"]) if column["units_feu"].notna().any()
                       else (np.zeros(n), np.ones(n, dtype=bool)))
    units = np.where(no_units, 0.0, units)
    bad |= ~no_units & ~((units >= 1.0) & (units == np.floor(units)) & (units < 2.0**62))
    value, no_value = (_numbers(column["declared_value_usd"])
                       if column["declared_value_usd"].notna().any()
                       else (np.zeros(n), np.ones(n, dtype=bool)))
    value = np.where(no_value, 0.0, value)
    bad |= ~(value >= 0.0)
    classes = _texts(column["cargo_class"])
    known = {c.value for c in CargoClass}
    bad |= np.array([c is not None and c not in known for c in classes.tolist()], dtype=bool)
    classes = np.where(_missing(column["cargo_class"]), CargoClass.GENERAL.value, classes)
    masks = _ModeMasks()
    every = masks[frozenset(MODES)]
    spelled: dict[str, int] = {}
    mode_mask = np.full(n, every, dtype=np.int64)
    for row, cell in enumerate(_texts(column["modes"]).tolist()):
        if cell is not None:
            if cell not in spelled:
                names = _modes(cell)
                spelled[cell] = (masks[names] if names and names <= set(MODES) else -1)
            mode_mask[row] = spelled[cell]
    bad |= mode_mask < 0
    regimes = _texts(column["regime"])
    known_regimes = {r.value for r in Regime}
    bad |= np.array([r is not None and r not in known_regimes for r in regimes.tolist()],
                    dtype=bool)
    regimes = np.where(_missing(column["regime"]), Regime.GENERAL.value, regimes)
    storage, no_storage = (_numbers(column["storage_days"])
                           if column["storage_days"].notna().any()
                           else (np.zeros(n), np.ones(n, dtype=bool)))
    storage = np.where(no_storage, 0.0, storage)
    bad |= ~((storage >= 0.0) & (storage <= 3650.0))
    if bad.any():
        # The first flagged row: Shipment names the field and value (or, for a row the
        # column-wise checks were stricter about than Shipment, validates it).
        first = int(np.flatnonzero(bad)[0])
        _row_record(list(frame.columns), frame.iloc[first].tolist(), first + 1)
        raise _RowPath
    return ShipmentTable(ids, ends["origin"], ends["destination"], ready_s, due_s, weight,
                         volume, units.astype(np.int64), classes.astype(object), value,
                         mode_mask, regimes.astype(object), storage)


def table_from_records(records: Sequence[Shipment]) -> ShipmentTable:
    """The columnar form of validated records."""
    n = len(records)

    def column(name: str, dtype: type = float) -> np.ndarray:
        return np.fromiter(map(attrgetter(name), records), dtype, n)

    masks = _ModeMasks()
    return ShipmentTable(
        id=column("id", object), origin=column("origin", object),
        destination=column("destination", object),
        # POSIX seconds: exact for timezone-aware datetimes.
        ready_s=np.fromiter(map(datetime.timestamp, map(attrgetter("ready"), records)), float,
                            n),
        due_s=np.fromiter((np.inf if d is None else d.timestamp()
                           for d in map(attrgetter("due"), records)), float, n),
        weight_kg=column("weight_kg"), volume_m3=column("volume_m3"),
        units_feu=np.fromiter((u or 0 for u in map(attrgetter("units_feu"), records)),
                              np.int64, n),
        cargo_class=np.fromiter((c.value for c in map(attrgetter("cargo_class"), records)),
                                object, n),
        declared_value_usd=column("declared_value_usd"),
        mode_mask=np.fromiter(map(masks.__getitem__, map(attrgetter("modes"), records)),
                              np.int64, n),
        regime=np.fromiter((r.value for r in map(attrgetter("regime"), records)), object, n),
        storage_days=column("storage_days"))


@runtime_checkable
class ArrowTable(Protocol):
    """A table that converts to pandas, as ``pyarrow.Table`` does."""

    def to_pandas(self) -> pd.DataFrame:
        """The table as a DataFrame."""


#: What :func:`shipment_table` takes: records, a DataFrame or an Arrow table with the columns
#: of :class:`Shipment`, or a table already built.
Shipments: TypeAlias = "Iterable[Shipment] | pd.DataFrame | ArrowTable | ShipmentTable"


def shipment_table(shipments: Shipments) -> ShipmentTable:
    """Shipments in the columnar form; ids must be unique.

    A DataFrame or an Arrow table has the columns of :class:`Shipment` (:data:`REQUIRED_COLUMNS`,
    :data:`OPTIONAL_COLUMNS`); ``modes`` may be a ``;``-separated string (``"rail;road"``) or a
    collection, ``ready`` and ``due`` timezone-aware datetimes. Its columns are checked
    column-wise; a column of another kind (text dates, say) is read row by row. Raises
    :class:`InputError` naming the row (1-based), the column and the value.
    """
    if isinstance(shipments, ShipmentTable):
        table = shipments
    elif isinstance(shipments, pd.DataFrame | ArrowTable):
        frame = shipments if isinstance(shipments, pd.DataFrame) else shipments.to_pandas()
        missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
        if missing:
            raise InputError(f"shipments table lacks column(s) {', '.join(missing)}",
                             field=missing[0])
        unknown = [c for c in frame.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        if unknown:
            raise InputError(
                f"shipments table has unknown column(s) {', '.join(map(str, unknown))}",
                field=str(unknown[0]))
        try:
            table = _table_from_frame(frame)
        except _RowPath:
            columns = list(frame.columns)
            table = table_from_records([
                _row_record(columns, values, row) for row, values in
                enumerate(frame.itertuples(index=False, name=None), start=1)])
    else:
        records = tuple(shipments)
        if not set(map(type, records)) <= {Shipment}:  # one pass; find the culprit only then
            for i, s in enumerate(records, start=1):
                if not isinstance(s, Shipment):
                    raise InputError(f"expected a Shipment, got {type(s).__name__}", row=i)
        table = table_from_records(records)
    duplicate = pd.Series(table.id).duplicated().to_numpy()
    if duplicate.any():
        row = int(np.flatnonzero(duplicate)[0])
        raise InputError("duplicate shipment id", row=row + 1, field="id", value=table.id[row])
    return table


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
    table: ShipmentTable, network: Network, start: datetime | None, days: float | None,
    costs: Costs,
) -> ShipmentArrays:
    """Index, time and price every shipment (vectorised). ``start`` and ``days`` default to
    :func:`default_horizon`. :class:`InputError` for an unknown hub code or a ready time outside
    the horizon (naming row, field, value)."""
    hub_codes = pd.Index([h.code for h in network.hubs])
    ends = {}
    for field in ("origin", "destination"):
        codes = getattr(table, field)
        ends[field] = hub_codes.get_indexer(codes).astype(np.int64)
        unknown = np.flatnonzero(ends[field] < 0)
        if unknown.size:
            row = int(unknown[0])
            raise InputError(f"shipment {table.id[row]}: unknown hub code", row=row + 1,
                             field=field, value=codes[row])
    ready_s, due_s = table.ready_s, table.due_s
    default_start, default_days = default_horizon(ready_s, due_s)
    start = default_start if start is None else start.astimezone(UTC)
    days = default_days if days is None else days
    ready_h = (ready_s - start.timestamp()) / 3600.0
    due_h = (due_s - start.timestamp()) / 3600.0
    bad = np.flatnonzero(~((ready_h >= 0.0) & (ready_h < days * 24.0)))
    if bad.size:
        row = int(bad[0])
        raise InputError(f"shipment {table.id[row]}: ready time is outside the planning horizon "
                         f"({start.isoformat()} + {days:g} days)", row=row + 1, field="ready",
                         value=datetime.fromtimestamp(float(ready_s[row]), UTC).isoformat())
    weight, volume = table.weight_kg, table.volume_m3
    q = quantity_matrix(weight, volume, table.units_feu.astype(float),
                        costs.chargeable_divisor_cm3_per_kg)
    vot = (costs.value_of_time_usd_per_h + table.declared_value_usd
           * costs.value_of_time_pct_per_year / 100.0 / HOURS_PER_YEAR)
    teu = np.fromiter(map(container_teu, weight.tolist(), volume.tolist(),
                          table.units_feu.tolist()), float, len(table))
    use = np.ascontiguousarray(np.column_stack((weight, teu, volume / ULD_POSITION_M3)))
    return ShipmentArrays(table, start, float(days), table.id, ends["origin"],
                          ends["destination"], ready_h, due_h, table.mode_mask, q, weight,
                          np.ascontiguousarray(q[:, Q_KG_CHARGEABLE]), vot, use)

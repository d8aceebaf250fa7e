"""A demand file's rows straight to a :class:`~silkroad_routing.compile.shipments.ShipmentTable`.

The cells are read into columns (pandas for CSV, pyarrow for Parquet) and checked column-wise
with the rules of :class:`~.schema.ShipmentRow` and :func:`~.demand.to_shipment`: types, bounds,
hub codes, the horizon, due after ready. A row those checks flag (or a column of a kind they
do not read, such as Parquet lists) goes through the row path, :func:`~.demand.to_shipment`,
which names the file, row, column and value of every error exactly as before; a flagged row
that the row path accepts (say a local time in a daylight-saving change) keeps its values. No
other row is ever built as a Python object.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..compile.shipments import ShipmentTable, table_from_records
from ..errors import ScenarioError
from ..io.csv_table import NOTE_COLUMNS
from ..model import CargoClass, Network, Regime, Shipment
from ..units import MODE_INDEX, Mode
from .schema import (
    MAX_NAME_CHARS,
    MAX_UNITS_FEU,
    MAX_VALUE_USD,
    MAX_VOLUME_M3,
    MAX_WEIGHT_KG,
    MAX_YEAR,
    MIN_YEAR,
    Horizon,
    ShipmentRow,
    split_modes,
)

#: A number as the column-wise checks read it (anything else goes to the row path).
NUMBER: Final = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
#: A whole number as the column-wise checks read it.
INTEGER: Final = re.compile(r"-?\d+")
#: A date or date-time as the column-wise checks read it: a date, or a date-time with minutes,
#: optional seconds and microseconds, optional ``Z`` or ``+hh:mm`` offset (group 1).
DATETIME: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?")
#: ``ShipmentRow`` fields, in their order.
FIELDS: Final[tuple[str, ...]] = tuple(ShipmentRow.model_fields)


@dataclass(frozen=True)
class RawDemand:
    """A demand file's cells: ``frame`` (one column per header name, missing cells NA),
    ``cells(i)`` the cells of row ``i`` (0-based) as the row path reads them, and ``error``,
    raised after the rows before it (a row with more cells than the header ends the file)."""

    frame: pd.DataFrame
    cells: Callable[[int], dict[str, Any]]
    error: ScenarioError | None = None


def raw_from_rows(rows: list[dict[str, Any]], error: ScenarioError | None = None
                  ) -> RawDemand:
    """The cells of rows read one by one (dicts of present cells)."""
    frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame()
    frame = frame.astype(object).where(frame.notna(), None)
    return RawDemand(frame, lambda i: rows[i], error)


# --------------------------------------------------------------------------------------------
# Column-wise checks: each returns values and the rows to send to the row path.
# --------------------------------------------------------------------------------------------


def _kind(column: pd.Series) -> str:
    """``text``, ``number``, ``time`` (datetime64), ``empty`` or ``other``."""
    filled = column.dropna()
    if filled.empty:
        return "empty"
    if pd.api.types.is_bool_dtype(column.dtype):
        return "other"
    if pd.api.types.is_numeric_dtype(column.dtype):
        return "number"
    if isinstance(column.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
            column.dtype):
        return "time"
    if isinstance(column.dtype, pd.StringDtype) or (
            pd.api.types.is_string_dtype(column.dtype)
            and all(type(v) is str for v in filled.unique().tolist())):
        return "text"
    return "other"


def _texts(column: pd.Series) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Text cells (None when missing) and the rows whose cell is not text."""
    n = len(column)
    kind = _kind(column)
    values: NDArray[np.object_] = np.array(column.astype(object), dtype=object)
    missing = np.array(column.isna(), dtype=bool)
    values[missing] = None
    if kind in ("text", "empty"):
        return values, np.zeros(n, dtype=bool)
    return values, ~missing


def _floats(column: pd.Series) -> tuple[NDArray[np.float64], NDArray[np.bool_],
                                         NDArray[np.bool_]]:
    """Numbers (NaN when missing), where missing, and the rows the checks cannot read."""
    n = len(column)
    missing = np.array(column.isna(), dtype=bool)
    kind = _kind(column)
    if kind == "empty":
        return np.full(n, np.nan), missing, np.zeros(n, dtype=bool)
    if kind == "number":
        return np.array(column.astype(float), dtype=np.float64), missing, np.zeros(n, bool)
    if kind != "text":
        return np.full(n, np.nan), missing, ~missing
    text: NDArray[np.object_] = np.array(column.astype(object), dtype=object)
    ok = np.array(column.str.fullmatch(NUMBER.pattern).fillna(False), dtype=bool)
    text[~ok] = "nan"
    return text.astype(np.float64), missing, ~missing & ~ok


def _bounded(values: NDArray[np.float64], low: float, high: float, low_open: bool
             ) -> NDArray[np.bool_]:
    """Where a present number is outside (``low``, ``high``] or [``low``, ``high``]."""
    above = values > low if low_open else values >= low
    return ~np.isnan(values) & ~(above & (values <= high))


def _times(column: pd.Series, horizon: Horizon) -> tuple[NDArray[np.float64], NDArray[np.bool_],
                                                         NDArray[np.bool_]]:
    """POSIX seconds (as ``datetime.timestamp`` of the localised time), where missing, and the
    rows the checks cannot read (including local times in a daylight-saving change)."""
    n = len(column)
    missing = np.array(column.isna(), dtype=bool)
    kind = _kind(column)
    seconds = np.full(n, np.nan)
    if kind == "empty":
        return seconds, missing, np.zeros(n, dtype=bool)
    if kind == "text":
        shaped = np.array(column.str.fullmatch(DATETIME.pattern).fillna(False), dtype=bool)
        offset = shaped & np.array(column.str.contains(r"(?:Z|[+-]\d{2}:\d{2})$", regex=True)
                                   .fillna(False), dtype=bool)
        text = column.where(shaped)
        local = pd.DatetimeIndex(pd.to_datetime(text.where(~offset), format="ISO8601",
                                                errors="coerce"))
        aware = pd.DatetimeIndex(pd.to_datetime(text.where(offset), format="ISO8601",
                                                errors="coerce", utc=True))
    elif kind == "time" and isinstance(column.dtype, pd.DatetimeTZDtype):
        shaped, offset = ~missing, ~missing
        aware = pd.DatetimeIndex(column).tz_convert("UTC")
        local = pd.DatetimeIndex(np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"))
    elif kind == "time":
        shaped, offset = ~missing, np.zeros(n, dtype=bool)
        local = pd.DatetimeIndex(column)
        aware = pd.DatetimeIndex(np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
                                 tz="UTC")
    else:
        return seconds, missing, ~missing
    localised = local.tz_localize(horizon.tz, ambiguous="NaT", nonexistent="NaT")
    local_ns = localised.tz_convert("UTC").as_unit("ns").asi8
    aware_ns = aware.as_unit("ns").asi8
    ns = np.where(offset, aware_ns, local_ns)
    readable = shaped & np.where(offset, ~aware.isna(), ~localised.isna())
    # Years as written (the row path checks them before localising); whole microseconds.
    year = np.where(offset, aware.year.fillna(0), local.year.fillna(0))
    readable &= (year >= MIN_YEAR) & (year <= MAX_YEAR) & (ns % 1000 == 0)
    seconds = np.where(readable, (ns // 1000) / 1e6, np.nan)
    return seconds, missing, ~missing & ~readable


def _upper(codes: NDArray[np.object_]) -> NDArray[np.object_]:
    """Hub codes upper-cased (None stays None), each distinct code once."""
    uniques, index = np.unique(np.where(codes == None, "", codes).astype(str),  # noqa: E711
                               return_inverse=True)
    upper = np.array([u.upper() or None for u in uniques.tolist()], dtype=object)
    return upper[index.reshape(-1)]


def _mode_masks(cells: NDArray[np.object_]) -> NDArray[np.int64]:
    """Bit sets of the modes written (all modes when missing; -1 when not read)."""
    every = sum(1 << MODE_INDEX[m] for m in Mode)
    spelled: dict[str, int] = {}
    for cell in set(cells.tolist()) - {None}:
        names = split_modes(cell)
        spelled[cell] = (sum(1 << MODE_INDEX[Mode(m)] for m in set(names))
                         if names and set(names) <= {m.value for m in Mode} else -1)
    return np.array([every if c is None else spelled[c] for c in cells.tolist()], dtype=np.int64)


def demand_table(raw: RawDemand, network: Network, horizon: Horizon,
                 row_path: Callable[[int, dict[str, Any]], Shipment | list[ScenarioError]],
                 max_errors: int) -> tuple[ShipmentTable, list[ScenarioError]]:
    """The shipments of a demand file's cells, and the errors of its rows (at most
    ``max_errors``, in row order). ``row_path(number, cells)`` validates one row (1-based
    number) as :func:`~.demand.read_demand_file` always has: a Shipment, or its errors."""
    frame = raw.frame
    n = len(frame)
    column = {c: frame[c] if c in frame.columns else pd.Series([None] * n, dtype=object)
              for c in FIELDS}
    unknown = [c for c in frame.columns if c not in FIELDS and c not in NOTE_COLUMNS]
    flagged = np.zeros(n, dtype=bool)
    for name in unknown:
        flagged |= np.array(frame[name].notna(), dtype=bool)

    ids, bad = _texts(column["id"])
    length = (column["id"].str.len().fillna(0) if _kind(column["id"]) == "text"
              else pd.Series(np.zeros(n)))
    flagged |= bad | ~np.array((length >= 1) & (length <= MAX_NAME_CHARS), dtype=bool)
    ends = {}
    for name in ("origin", "destination"):
        codes, bad = _texts(column[name])
        ends[name] = _upper(codes)
        flagged |= bad | ~np.isin(ends[name], list(network.hub_by_code))
    flagged |= ends["origin"] == ends["destination"]
    ready_s, no_ready, bad = _times(column["ready"], horizon)
    flagged |= bad | no_ready
    due_s, no_due, bad = _times(column["due"], horizon)
    flagged |= bad
    due_s = np.where(no_due, np.inf, due_s)
    flagged |= ~(due_s > ready_s)
    flagged |= ~((ready_s >= horizon.start_at.timestamp()) & (ready_s < horizon.end_at.timestamp()))
    numbers = {}
    for name, low, high, low_open in (("weight_kg", 0.0, MAX_WEIGHT_KG, True),
                                      ("volume_m3", 0.0, MAX_VOLUME_M3, True),
                                      ("declared_value_usd", 0.0, MAX_VALUE_USD, False)):
        values, missing, bad = _floats(column[name])
        flagged |= bad | _bounded(values, low, high, low_open)
        numbers[name] = (values, missing)
    flagged |= numbers["weight_kg"][1] | numbers["volume_m3"][1]
    units, no_units, bad = _floats(column["units_feu"])
    if _kind(column["units_feu"]) == "text":
        bad |= ~no_units & ~np.array(column["units_feu"].str.fullmatch(INTEGER.pattern)
                                     .fillna(False), dtype=bool)
    flagged |= bad | _bounded(units, 1.0, MAX_UNITS_FEU, False) | (
        ~no_units & (units != np.floor(units)))
    classes, bad = _texts(column["cargo_class"])
    known = {c.value for c in CargoClass}
    flagged |= bad | np.array([c is not None and c not in known for c in classes.tolist()],
                                  dtype=bool)
    classes[np.array([c is None for c in classes.tolist()], dtype=bool)] = (
        CargoClass.GENERAL.value)
    modes, bad = _texts(column["modes"])
    flagged |= bad
    mode_mask = np.where(bad, 0, _mode_masks(np.where(bad, None, modes)))
    flagged |= mode_mask < 0
    regimes, bad = _texts(column["regime"])
    known_regimes = {r.value for r in Regime}
    flagged |= bad | np.array([r is not None and r not in known_regimes
                               for r in regimes.tolist()], dtype=bool)
    regimes[np.array([r is None for r in regimes.tolist()], dtype=bool)] = Regime.GENERAL.value
    storage, no_storage, bad = _floats(column["storage_days"])
    flagged |= bad | _bounded(storage, 0.0, 3650.0, False)

    table = ShipmentTable(
        id=ids, origin=ends["origin"], destination=ends["destination"], ready_s=ready_s,
        due_s=due_s, weight_kg=numbers["weight_kg"][0], volume_m3=numbers["volume_m3"][0],
        units_feu=np.where(no_units, 0, np.nan_to_num(units)).astype(np.int64),
        cargo_class=classes.astype(object),
        declared_value_usd=np.where(numbers["declared_value_usd"][1], 0.0,
                                    numbers["declared_value_usd"][0]),
        mode_mask=mode_mask, regime=regimes.astype(object),
        storage_days=np.where(no_storage, 0.0, storage))
    problems: list[ScenarioError] = []
    accepted: dict[int, Shipment] = {}
    for i in np.flatnonzero(flagged).tolist():
        found = row_path(i + 1, raw.cells(i))
        if isinstance(found, Shipment):
            accepted[i] = found
        else:
            problems += found
            if len(problems) >= max_errors:
                return table, problems[:max_errors]
    if raw.error is not None:
        raise raw.error
    if accepted:
        table = _patched(table, accepted)
    return table, problems


def _patched(table: ShipmentTable, accepted: dict[int, Shipment]) -> ShipmentTable:
    """``table`` with the rows at ``accepted``'s keys replaced by those records."""
    rows = np.array(list(accepted), dtype=np.int64)
    records = table_from_records(list(accepted.values()))
    columns = {}
    for name in ShipmentTable.__dataclass_fields__:
        values = getattr(table, name).copy()
        values[rows] = getattr(records, name)
        columns[name] = values
    return ShipmentTable(**columns)

"""Reading human-edited CSV tables into validated records, with errors that point at the cell.

Shared by the network folder, demand file and equipment catalog readers. Files are UTF-8 with or
without a byte-order mark; the delimiter (``,``, ``;``, tab or ``|``) is read off the header.
Lines starting with ``#`` and blank lines are skipped; lists inside a cell are ``;``-separated;
a ``note`` column is for readers only. Every error names the file, the data row (1-based, header
not counted), the column and the value; a number must be finite.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from .text_files import read_text_bounded

#: Column delimiters recognised in a header (Excel in many locales writes ``;``).
DELIMITERS = (",", ";", "\t", "|")
#: Largest CSV file read, bytes (a million demand rows take about 100 MB).
MAX_CSV_BYTES = 512 * 1024 * 1024
#: Columns that carry notes for readers only; they are not part of any record.
NOTE_COLUMNS = frozenset({"note", "notes", "comment"})


def split_list(cell: str) -> list[str]:
    """The items of a ``;``-separated cell, stripped, empty items dropped."""
    return [p.strip() for p in cell.split(";") if p.strip()]


def sniff_delimiter(header: str) -> str:
    """The delimiter of a CSV file from its header line: the most frequent of ``,``, ``;``,
    tab and ``|`` (a header holds no list cells, so ``;`` there separates columns); ``,`` when
    there is none (one column)."""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_records(path: Path, error: type[InputError] = InputError, max_bytes: int = MAX_CSV_BYTES
                ) -> tuple[list[str], Iterator[tuple[int, dict[str, str | None]]]]:
    """The header and the data rows (1-based number, cells by column) of a CSV file.

    The file is read with :func:`~.text_files.read_text_bounded` (UTF-8 with or without a BOM,
    a regular file of at most ``max_bytes``); lines starting with ``#`` and blank lines are
    skipped; the delimiter is found by :func:`sniff_delimiter`. A row with more cells than the
    header raises ``error`` naming the row. A cell missing at the end of a short row is None.
    """
    text = read_text_bounded(path, max_bytes, error)
    lines = (line for line in io.StringIO(text, newline="")
             if line.strip() and not line.lstrip().startswith("#"))
    first = next(lines, "")
    reader = csv.DictReader(itertools.chain([first], lines), delimiter=sniff_delimiter(first))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header

    def rows() -> Iterator[tuple[int, dict[str, str | None]]]:
        for number, row in enumerate(reader, start=1):
            if None in row:
                raise error("row has more cells than the header", file=str(path), row=number,
                            value=row[None])
            yield number, row
    return header, rows()


def read_rows(
    path: Path, required: tuple[str, ...], error: type[InputError] = InputError
) -> list[tuple[int, dict[str, str]]]:
    """Data rows of a CSV file as (1-based row number, stripped cells).

    Raises ``error`` naming the file and column when a required column is missing from the
    header, and naming the row when a row has more cells than the header (see
    :func:`csv_records` for encodings, delimiters and comments).
    """
    header, records = csv_records(path, error)
    for column in required:
        if column not in header:
            raise error(f"required column is missing (header has: {', '.join(header)})",
                        file=str(path), line=1, field=column)
    return [(number, {k: (v or "").strip() for k, v in row.items()}) for number, row in records]


def build_record(
    cls: type[BaseModel],
    path: Path,
    number: int,
    cells: Mapping[str, str],
    *,
    parsers: Mapping[str, Callable[[str], Any]] | None = None,
    skip: frozenset[str] = frozenset(),
    strict_columns: bool = False,
    error: type[InputError] = InputError,
) -> Any:
    """Build one ``cls`` record from a row.

    Empty cells take the field's default; ``parsers`` turn a column's text into a value (other
    columns are passed as text); ``skip`` columns and note columns are ignored; with
    ``strict_columns`` a filled cell that is not a field of ``cls`` is an error. Every parse or
    validation error becomes ``error`` naming the file, row, column and value.
    """
    parsers = parsers or {}
    values: dict[str, Any] = {}
    for column, cell in cells.items():
        if column in NOTE_COLUMNS or column in skip or cell == "":
            continue
        if strict_columns and column not in cls.model_fields:
            raise error(f"column does not apply to a {cls.__name__} (leave it empty)",
                        file=str(path), row=number, field=column, value=cell)
        parser = parsers.get(column)
        try:
            values[column] = parser(cell) if parser else cell
        except ValueError as exc:
            raise error(str(exc), file=str(path), row=number, field=column, value=cell) from None
    try:
        record = cls(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        bad = str(err["loc"][0]) if err["loc"] else None
        value = cells.get(bad, err.get("input")) if bad else None
        raise error(err["msg"].removeprefix("Value error, "), file=str(path), row=number,
                    field=bad, value=value) from None
    for column in values:
        if not _finite(getattr(record, column, 0.0)):
            raise error("not a finite number", file=str(path), row=number, field=column,
                        value=cells[column])
    return record


def _finite(value: Any) -> bool:
    """False when ``value`` is, or holds (in tuples and sets), an infinite or NaN float."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, tuple | frozenset | list):
        return all(_finite(v) for v in value)
    return True

"""Reading human-edited CSV tables into validated records, with errors that point at the cell.

Shared by the network folder reader and the equipment catalog reader. Lines starting with ``#``
and blank lines are skipped; lists inside a cell are ``;``-separated; a ``note`` column is for
readers only. Every error names the file, the data row (1-based, header not counted), the column
and the value.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError

#: Columns that carry notes for readers only; they are not part of any record.
NOTE_COLUMNS = frozenset({"note", "notes", "comment"})


def split_list(cell: str) -> list[str]:
    """The items of a ``;``-separated cell, stripped, empty items dropped."""
    return [p.strip() for p in cell.split(";") if p.strip()]


def read_rows(
    path: Path, required: tuple[str, ...], error: type[InputError] = InputError
) -> list[tuple[int, dict[str, str]]]:
    """Data rows of a CSV file as (1-based row number, stripped cells).

    Raises ``error`` naming the file and column when a required column is missing from the
    header, and naming the row when a row has more cells than the header.
    """
    with path.open(newline="", encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    for column in required:
        if column not in header:
            raise error(f"required column is missing (header has: {', '.join(header)})",
                        file=str(path), line=1, field=column)
    rows = []
    for number, row in enumerate(reader, start=1):
        if None in row:
            raise error("row has more cells than the header", file=str(path), row=number,
                        value=row[None])
        rows.append((number, {k: (v or "").strip() for k, v in row.items()}))
    return rows


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
        return cls(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        bad = str(err["loc"][0]) if err["loc"] else None
        value = cells.get(bad, err.get("input")) if bad else None
        raise error(err["msg"].removeprefix("Value error, "), file=str(path), row=number,
                    field=bad, value=value) from None

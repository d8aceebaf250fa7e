"""Read the equipment catalog: unit, wagon and aircraft types with the sources of their figures.

The bundled catalog is ``silkroad_routing/data/equipment.csv`` with its citations in
``equipment_sources.csv`` beside it. One row per type; the ``kind`` column says which record the
row becomes (``container``, ``reefer``, ``uld_pallet``, ``uld_container`` and ``trailer`` are
:class:`~silkroad_routing.model.UnitType`; ``wagon`` is a
:class:`~silkroad_routing.model.WagonType`; ``aircraft`` an
:class:`~silkroad_routing.model.AircraftType`). A cell that does not apply to the row's kind must
stay empty. Lines starting with ``#`` are comments; a ``note`` column is for readers only; lists
in a cell (``modes``, ``decks``, ``source``) are ``;``-separated. Every error is an
:class:`~silkroad_routing.errors.InputError` naming the file, the data row (1-based, header not
counted), the column and the value.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from ..model import Source
from ..model.equipment import AircraftType, EquipmentCatalog, UnitKind, UnitType, WagonType
from .csv_table import build_record, read_rows, split_list

EQUIPMENT_FILE, SOURCES_FILE = "equipment.csv", "equipment_sources.csv"
_LIST_PARSERS = {"modes": split_list, "decks": split_list}
_RECORD_OF_KIND: dict[str, type[BaseModel]] = {
    **{k.value: UnitType for k in UnitKind},
    "wagon": WagonType,
    "aircraft": AircraftType,
}


def bundled_equipment_path() -> Path:
    """Path of the bundled ``equipment.csv``."""
    return Path(str(resources.files("silkroad_routing") / "data" / EQUIPMENT_FILE))


def load_equipment(path: str | os.PathLike[str] | None = None) -> EquipmentCatalog:
    """Read an equipment catalog (default: the bundled one).

    ``path`` is an ``equipment.csv`` file; its sources are read from ``equipment_sources.csv``
    in the same folder when that file exists (then every ``source`` key must be defined there).
    Raises :class:`InputError` naming file, row, column and value on any bad cell.
    """
    file = Path(path) if path is not None else bundled_equipment_path()
    if not file.is_file():
        raise InputError("equipment file does not exist", file=str(file))
    sources_file = file.with_name(SOURCES_FILE)
    sources: list[Source] = []
    if sources_file.is_file():
        seen: dict[str, int] = {}
        for number, cells in read_rows(sources_file, ("key", "citation")):
            source = _record(Source, sources_file, number, cells)
            if source.key in seen:
                raise InputError(f"duplicate source key (first on row {seen[source.key]})",
                                 file=str(sources_file), row=number, field="key", value=source.key)
            seen[source.key] = number
            sources.append(source)
    known = {s.key for s in sources}

    items: dict[type[BaseModel], list[Any]] = {UnitType: [], WagonType: [], AircraftType: []}
    codes: dict[str, int] = {}
    for number, cells in read_rows(file, ("code", "name", "kind", "source")):
        kind = cells["kind"].lower()
        cls = _RECORD_OF_KIND.get(kind)
        if cls is None:
            raise InputError(f"unknown kind (expected one of {', '.join(_RECORD_OF_KIND)})",
                             file=str(file), row=number, field="kind", value=cells["kind"])
        if cls is not UnitType:  # the kind is the record type; wagons ride rail, aircraft fly
            cells = {k: v for k, v in cells.items() if k not in ("kind", "modes")}
        item = _record(cls, file, number, cells)
        if item.code in codes:
            raise InputError(f"duplicate code (first on row {codes[item.code]})", file=str(file),
                             row=number, field="code", value=item.code)
        codes[item.code] = number
        for key in split_list(cells["source"]):
            if known and key not in known:
                raise InputError(f"unknown source key (not in {SOURCES_FILE})", file=str(file),
                                 row=number, field="source", value=key)
        items[cls].append(item)
    try:
        return EquipmentCatalog(units=tuple(items[UnitType]), wagons=tuple(items[WagonType]),
                                aircraft=tuple(items[AircraftType]), sources=tuple(sources))
    except ValidationError as exc:
        raise InputError(exc.errors()[0]["msg"].removeprefix("Value error, "),
                         file=str(file)) from None



def _record(cls: type[BaseModel], path: Path, number: int, cells: dict[str, str]) -> Any:
    """One record from a row; a filled cell the record has no field for is an error."""
    return build_record(cls, path, number, cells, parsers=_LIST_PARSERS, strict_columns=True)

"""Sourced default uncertainty of a network: ``reliability_defaults.csv`` in its folder.

Each row sets one field of the scenario's ``uncertainty`` section (``scope``: ``hubs``,
``modes``, ``links`` or ``services``; ``target``: the hub code, mode, link or service id;
``field``: ``extra_dwell_h``, ``duration_factor``, ``extra_h`` or ``cancel_probability``) to a
distribution (``distribution`` with its ``median``/``sigma`` or ``low``/``mode``/``high``
columns) or, for ``cancel_probability``, to ``value``. Its ``source`` cell names, per column,
the source in ``sources.csv`` each figure comes from. :func:`default_uncertainty` reads it into
the same :class:`~silkroad_routing.scenario.schema.Uncertainty` a scenario's section parses
into, with the scenario's entries replacing the defaults field by field.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import NetworkError
from ..io.csv_table import read_rows
from ..io.network_files import SOURCES_FILE, resolve_network
from ..model.network import source_keys
from ..scenario.schema import Uncertainty

#: The defaults file of a network folder.
RELIABILITY_DEFAULTS_FILE = "reliability_defaults.csv"
#: The columns every row needs.
REQUIRED_COLUMNS: tuple[str, ...] = ("scope", "target", "field", "distribution", "source")
#: The parameter columns of each distribution (hours or factors).
PARAMETER_COLUMNS: dict[str, tuple[str, ...]] = {
    "lognormal": ("median", "sigma"),
    "triangular": ("low", "mode", "high"),
    "uniform": ("low", "high"),
}
#: The field set by ``value`` instead of a distribution.
VALUE_FIELD = "cancel_probability"


def _number(path: Path, number: int, column: str, cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        raise NetworkError("not a number", file=str(path), row=number, field=column,
                           value=cell) from None


def _row_spec(path: Path, number: int, cells: dict[str, str]) -> Any:
    """The value of the row's field: a distribution mapping, or the ``value`` number."""
    field, name = cells["field"], cells["distribution"]
    if field == VALUE_FIELD:
        return _number(path, number, "value", cells.get("value", ""))
    if name not in PARAMETER_COLUMNS:
        raise NetworkError(f"unknown distribution (one of {', '.join(PARAMETER_COLUMNS)})",
                           file=str(path), row=number, field="distribution", value=name)
    return {"distribution": name, **{c: _number(path, number, c, cells.get(c, ""))
                                     for c in PARAMETER_COLUMNS[name]}}


def _column(loc: tuple[str, ...], cells: dict[str, str]) -> str:
    """The column of a row that a validation error at ``loc`` (scope, target, field, ...) is
    about: a parameter column when the error names one, else the part of the path."""
    if len(loc) == 1:
        return "scope"
    if len(loc) == 2 or loc[2] == "[key]":
        return "target"
    if loc[-1] in cells and loc[-1] not in REQUIRED_COLUMNS:
        return loc[-1]
    return "value" if cells["field"] == VALUE_FIELD else "field"


def _row_section(path: Path, number: int, cells: dict[str, str],
                 known_sources: set[str]) -> dict[str, Any]:
    """One row as an ``uncertainty`` section of its own, checked (file, row and field named)."""
    for key in source_keys(cells["source"]):
        if key not in known_sources:
            raise NetworkError(f"unknown source key (not in {SOURCES_FILE})", file=str(path),
                               row=number, field="source", value=key)
    scope, target, field = cells["scope"], cells["target"], cells["field"]
    section = {scope: {target: {field: _row_spec(path, number, cells)}}}
    try:
        Uncertainty.model_validate(section)
    except ValidationError as exc:
        error = exc.errors()[0]
        column = _column(tuple(str(part) for part in error["loc"]), cells)
        raise NetworkError(str(error["msg"]).removeprefix("Value error, "), file=str(path),
                           row=number, field=column, value=cells.get(column)) from None
    return section


def merge_uncertainty(defaults: Uncertainty, overrides: Uncertainty | None) -> Uncertainty:
    """``defaults`` with every field ``overrides`` sets replacing the default at the same hub,
    mode, link, service or passage (``uncertainty.modes.sea.duration_factor`` replaces that one
    distribution; the defaults of other fields and places stay)."""
    merged: dict[str, dict[str, dict[str, Any]]] = defaults.model_dump(exclude_unset=True)
    if overrides is not None:
        for scope, entries in overrides.model_dump(exclude_unset=True,
                                                   exclude={"defaults"}).items():
            for target, fields in entries.items():
                merged.setdefault(scope, {}).setdefault(target, {}).update(fields)
    return Uncertainty.model_validate(merged)


def default_uncertainty(network: str | os.PathLike[str] = "four_roads",
                        overrides: Uncertainty | None = None) -> Uncertainty:
    """The sourced default uncertainty of ``network`` (a bundled name or a folder), with the
    fields of ``overrides`` (a scenario's ``uncertainty`` section) replacing the defaults.

    A network folder without :data:`RELIABILITY_DEFAULTS_FILE` has no defaults. Raises
    :class:`~silkroad_routing.errors.NetworkError` naming file, row and field for a bad row or a
    target set twice."""
    folder, _ = resolve_network(network)
    path = folder / RELIABILITY_DEFAULTS_FILE
    defaults = Uncertainty()
    if path.is_file():
        known_sources = {cells["key"] for _, cells in read_rows(folder / SOURCES_FILE, ("key",),
                                                                 NetworkError)}
        merged: dict[str, dict[str, dict[str, Any]]] = {}
        for number, cells in read_rows(path, REQUIRED_COLUMNS, NetworkError):
            for scope, entries in _row_section(path, number, cells, known_sources).items():
                for target, fields in entries.items():
                    place = merged.setdefault(scope, {}).setdefault(target, {})
                    if fields.keys() & place.keys():
                        raise NetworkError("this field of this target is set twice",
                                           file=str(path), row=number, field="field",
                                           value=f"{scope}.{target}.{cells['field']}")
                    place.update(fields)
        defaults = Uncertainty.model_validate(merged)
    return merge_uncertainty(defaults, overrides)

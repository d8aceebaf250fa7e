"""Load a scenario file: YAML -> :class:`Scenario`, with errors that point at the line.

A validation error names the file, the line (from the YAML node marks), the dotted field path
(``demand.shipments[3].weight_kg``) and the offending value. Relative paths in the file (a
network folder, a demand file, the output folder) are resolved against the file's folder.
"""

from __future__ import annotations

import difflib
import os
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import ScenarioError, ScenarioErrors
from ..io.network_files import is_bare_name, list_networks
from ..io.yaml_lines import YamlPath, dotted_path, read_yaml_with_lines
from .schema import Scenario

_SCALARS = (str, int, float, bool, date, datetime, Enum)


@dataclass(frozen=True)
class Where:
    """Where a scenario came from, to point errors at the right line.

    ``path`` is None for a scenario built in Python; ``lines`` maps a field path (tuple of keys
    and list indices) to its 1-based line in the file.
    """

    path: Path | None = None
    lines: Mapping[YamlPath, int] = field(default_factory=dict)

    def line_of(self, loc: YamlPath) -> int | None:
        """Line of ``loc``, or of its nearest enclosing field written in the file."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None

    def error(self, message: str, loc: YamlPath, value: object = None) -> ScenarioError:
        """A :class:`ScenarioError` naming this file, the line and field of ``loc``, and ``value``."""
        if isinstance(value, date):
            value = value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
        return ScenarioError(message, file=None if self.path is None else str(self.path),
                             line=self.line_of(loc), field=dotted_path(loc) or None, value=value)


@dataclass(frozen=True)
class ScenarioFile:
    """A validated scenario and where it came from."""

    scenario: Scenario
    where: Where = field(default_factory=Where)


def _field_type(annotation: Any, part: str | int) -> Any:
    """The type one step down from ``annotation`` along ``part`` (a field, index or key)."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return _field_type(inner[0], part) if len(inner) == 1 else None
    if origin is not None and hasattr(origin, "__metadata__"):
        return _field_type(get_args(annotation)[0], part)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        info = annotation.model_fields.get(str(part))
        return None if info is None else info.annotation
    if origin in (tuple, list, frozenset, set):
        return get_args(annotation)[0]
    if origin is dict:
        return get_args(annotation)[1]
    return None


def _model_at(loc: YamlPath) -> type[BaseModel] | None:
    """The pydantic model that holds the field at ``loc`` (for 'did you mean' suggestions)."""
    annotation: Any = Scenario
    for part in loc:
        annotation = _field_type(annotation, part)
        if annotation is None:
            return None
    while get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _one_error(err: Any, where: Where, prefix: YamlPath) -> ScenarioError:
    """One pydantic error as a :class:`ScenarioError` with file, line, field and value."""
    loc: YamlPath = prefix + tuple(p for p in err["loc"] if p != "[key]")
    kind = err["type"]
    message = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    if kind == "bool_for_number":  # raised by the model for one of its fields
        loc, value = (*loc, err["ctx"]["field"]), True
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = sorted(model.model_fields) if model is not None else []
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
        return where.error(f"unknown key ({hint})", loc, loc[-1])
    if kind == "missing":
        return where.error("required field is missing", loc)
    if kind == "enum":
        choices = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(choices)}"
        return where.error(f"unknown value ({hint})", loc, value)
    if not isinstance(value, _SCALARS):
        value = None
    return where.error(message, loc, value)


def validation_errors(exc: ValidationError, where: Where, prefix: YamlPath = ()
                      ) -> list[ScenarioError]:
    """Every error of ``exc``, in file order, each a :class:`ScenarioError` with file, line,
    field and value.

    ``prefix`` is the path of the validated object inside the scenario (empty for the whole
    scenario). A misspelt required key shows up twice, as missing and as unknown: only the
    unknown key, with its suggestion, is kept.
    """
    errors = exc.errors(include_url=False)
    unknown = {(tuple(e["loc"][:-1]), str(e["loc"][-1])) for e in errors
               if e["type"] == "extra_forbidden" and e["loc"]}
    kept = [e for e in errors if not (
        e["type"] == "missing" and e["loc"] and any(
            parent == tuple(e["loc"][:-1]) and difflib.get_close_matches(str(e["loc"][-1]), [key])
            for parent, key in unknown))]
    found = [_one_error(e, where, prefix) for e in kept]
    return sorted(found, key=lambda e: e.line or 0)


def validation_error(exc: ValidationError, where: Where, prefix: YamlPath = ()) -> ScenarioError:
    """All errors of ``exc`` as one :class:`ScenarioError` (a :class:`ScenarioErrors` when there
    are several), each naming file, line, field and value."""
    found = validation_errors(exc, where, prefix)
    return found[0] if len(found) == 1 else ScenarioErrors(found)


def _resolve(scenario: Scenario, base: Path) -> Scenario:
    """Resolve the scenario's relative paths against ``base`` (the scenario file's folder)."""
    update: dict[str, Any] = {}
    # A folder reference becomes absolute; a bare name stays one when it is (also) a bundled
    # network, so that loading it can tell an ambiguous name from a bundled one.
    network = Path(scenario.network).expanduser()
    if not network.is_absolute() and (base / network).is_dir() and not (
            is_bare_name(scenario.network) and scenario.network in list_networks()):
        update["network"] = str((base / network).resolve())
    demand_file = scenario.demand.file
    if demand_file is not None and not demand_file.path.is_absolute():
        update["demand"] = scenario.demand.model_copy(update={
            "file": demand_file.model_copy(update={"path": base / demand_file.path})})
    folder = scenario.outputs.folder
    if folder is not None and not folder.is_absolute():
        update["outputs"] = scenario.outputs.model_copy(update={"folder": base / folder})
    if scenario.uncertainty is not None and scenario.uncertainty.defaults == "network":
        # Imported here: the simulation layer imports the scenario schema.
        from ..simulation.defaults import default_uncertainty

        update["uncertainty"] = default_uncertainty(update.get("network", scenario.network),
                                                    scenario.uncertainty)
    return scenario.model_copy(update=update) if update else scenario


def read_scenario(path: str | os.PathLike[str]) -> ScenarioFile:
    """Read and validate a scenario file; keep its line numbers for later errors.

    Raises :class:`ScenarioError` (file, line, field, value) on a missing file, bad YAML, an
    unknown key, a missing field or a bad value.
    """
    file = Path(path)
    data, lines = read_yaml_with_lines(file)
    if not isinstance(data, dict):
        raise ScenarioError("a scenario file must be a mapping of keys to values (name: ..., "
                            "network: ..., ...)", file=str(file), line=1)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, Where(file, lines)) from None
    return ScenarioFile(_resolve(scenario, file.parent), Where(file, lines))


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario YAML file (see :class:`~.schema.Scenario`).

    Relative paths in it are resolved against its folder. Raises :class:`ScenarioError` naming
    the file, line, field and value of each problem (all of them, as pydantic lists them).
    """
    return read_scenario(path).scenario

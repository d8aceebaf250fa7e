"""Variants of a scenario: the scenario with some fields set otherwise, by dotted path.

An override path names a field the way error messages do: dotted keys with list indices,
``edits.hubs.CGO.capacity_t_day`` or ``demand.generate.flows[0].shipments``. Overrides act on
the scenario as it was written (its fields set in the file), so a missing section on the way
is created and a list or section given as a value replaces the scenario's. Relative paths set
by an override (a network folder, a demand file) are resolved against the scenario file's
folder, as in the file itself. The result is validated like a scenario file; every problem is a
:class:`~silkroad_routing.errors.ScenarioError` naming the variant, the path and the value, and,
for a variant written in a scenario file, the file and line of the override.

Scenario data (:func:`scenario_data`) is a JSON-ready dict, so that a variant can be built
anywhere the package is installed: in a worker process or on a Dask cluster.
"""

from __future__ import annotations

import copy
import difflib
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import InputError, ScenarioError
from ..io.yaml_lines import YamlPath, dotted_path
from .load import ScenarioFile, Where, _resolve, validation_error
from .schema import BASE_NAME, Scenario

#: One segment of an override path: a key, then any number of ``[index]``.
_SEGMENT = re.compile(r"^([^.\[\]\s]+)((?:\[\d+\])*)$")
#: Fields a variant may not set: the list of variants itself.
_FIXED_FIELDS = frozenset({"variants"})


def parse_override_path(path: str) -> YamlPath:
    """``"demand.generate.flows[0].shipments"`` -> ``("demand", "generate", "flows", 0,
    "shipments")``. Raises ``ValueError`` (the reason) when the path is malformed."""
    if not isinstance(path, str) or not path:
        raise ValueError("an override path is a dotted field name, such as "
                         "edits.hubs.CGO.capacity_t_day")
    parts: list[str | int] = []
    for segment in path.split("."):
        match = _SEGMENT.match(segment)
        if match is None:
            raise ValueError("malformed override path: use dotted keys with [index] for list "
                             "items, e.g. demand.generate.flows[0].shipments")
        parts.append(match.group(1))
        parts.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return tuple(parts)


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> ``X``; ``Annotated[X, ...]`` -> ``X``; a union of several -> Any."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            inner = [a for a in get_args(annotation) if a is not type(None)]
            if len(inner) != 1:
                return Any  # a choice of models (distributions): the validator decides
            annotation = inner[0]
        else:
            return annotation


def _child(annotation: Any, part: str | int, where: str) -> Any:
    """The type one step down from ``annotation`` along ``part``; ``ValueError`` if the step is
    impossible. ``where`` is the dotted path so far, for the message."""
    annotation = _unwrap(annotation)
    if annotation is Any:
        return Any
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields
        if isinstance(part, int) or part not in fields:
            close = difflib.get_close_matches(str(part), list(fields), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(sorted(fields))}"
            inside = f" in '{where}'" if where else ""
            raise ValueError(f"unknown key '{part}'{inside} ({hint})")
        return fields[part].annotation
    if origin is dict:
        if isinstance(part, int):
            raise ValueError(f"'{where}' is a mapping: name a key, not an index [{part}]")
        return get_args(annotation)[1]
    if origin in (tuple, list):
        if not isinstance(part, int):
            raise ValueError(f"'{where}' is a list: use an index, e.g. {where}[0]")
        return get_args(annotation)[0]
    raise ValueError(f"'{where}' is a single value, not a section: it has no '{part}'")


def check_override_path(path: str) -> YamlPath:
    """Parse ``path`` and check that it names a field of a scenario (keys of mappings such as
    hub codes are not checked here: the network edits check them). Returns the parsed path;
    raises ``ValueError`` with the reason otherwise."""
    parts = parse_override_path(path)
    if parts[0] in _FIXED_FIELDS:
        raise ValueError(f"a variant cannot set '{parts[0]}'")
    annotation: Any = Scenario
    for i, part in enumerate(parts):
        annotation = _child(annotation, part, dotted_path(parts[:i]))
    return parts


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a JSON-ready dict of the fields it sets (its variants left out): what
    overrides act on, and what a worker receives."""
    return scenario.model_dump(mode="json", exclude_unset=True, exclude={"variants"})


def _set(data: dict[str, Any], parts: YamlPath, value: Any) -> None:
    """Set ``data`` at ``parts`` to ``value``, creating missing sections; ``ValueError`` if a
    list index is out of range or a value stands where a section is needed."""
    node: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        at = dotted_path(parts[:i]) or "the scenario"
        if isinstance(part, int):
            if not isinstance(node, list):
                raise ValueError(f"'{at}' is not a list in this scenario")
            if part >= len(node):
                raise ValueError(f"index [{part}] is out of range: '{at}' has {len(node)} items")
        elif not isinstance(node, dict):
            raise ValueError(f"'{at}' is not a section in this scenario")
        if last:
            node[part] = copy.deepcopy(value)
        elif isinstance(part, int):
            node = node[part]
        else:
            if node.get(part) is None:
                if isinstance(parts[i + 1], int):
                    raise ValueError(f"'{dotted_path(parts[: i + 1])}' is not set in this "
                                     "scenario: set the whole list")
                node[part] = {}
            node = node[part]


@dataclass(frozen=True)
class Overrides:
    """Overrides by path, with a label for messages (``variant 'cgo_plus_50'``, ``grid``) and
    where they were written (lines keyed by the parsed path; empty when given in code or on the
    command line)."""

    label: str
    values: Mapping[str, Any]
    where: Where = field(default_factory=Where)

    def error(self, reason: str, path: str, value: Any) -> ScenarioError:
        """A :class:`ScenarioError` naming the label, the path and the value."""
        try:
            line = self.where.line_of(parse_override_path(path))
        except ValueError:
            line = None
        return ScenarioError(f"{self.label}: {reason}", line=line, field=path, value=_shown(value),
                             file=None if self.where.path is None else str(self.where.path))


def _shown(value: Any) -> Any:
    """A value as an error message shows it: scalars as they are, anything longer as text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def apply_overrides(data: Mapping[str, Any], layers: list[Overrides], where: Where | None = None
                    ) -> ScenarioFile:
    """The scenario ``data`` (see :func:`scenario_data`) with each layer of overrides set in
    turn (a later layer wins on the same path), validated.

    ``where`` locates the base scenario's own fields (its file and lines), for errors outside
    every override. Raises :class:`ScenarioError` naming the layer, the path and the value.
    """
    where = where or Where()
    merged = copy.deepcopy(dict(data))
    owner: dict[YamlPath, tuple[Overrides, str]] = {}
    for layer in layers:
        for path, value in layer.values.items():
            try:
                parts = check_override_path(path)
                _set(merged, parts, value)
            except ValueError as exc:
                raise layer.error(str(exc), path, value) from None
            # This value replaces whatever earlier overrides set inside it.
            owner = {p: o for p, o in owner.items() if p[:len(parts)] != parts}
            owner[parts] = (layer, path)
    try:
        scenario = Scenario.model_validate(merged)
    except ValidationError as exc:
        raise _blame(validation_error(exc, where), owner) from None
    if where.path is not None:  # relative paths in overrides, as in the file: from its folder
        scenario = _resolve(scenario, where.path.parent)
    return ScenarioFile(scenario, _merged_where(where, owner))


def _blame(error: ScenarioError, owner: Mapping[YamlPath, tuple[Overrides, str]]) -> ScenarioError:
    """``error`` (found validating the merged data) attributed to the override that set the
    field, or that set a section holding it; unchanged when no override is involved."""
    field = error.field or ""
    matches = [(parts, layer, path) for parts, (layer, path) in owner.items()
               if field == path or field.startswith((path + ".", path + "["))]
    if not matches:
        return error
    _, layer, path = max(matches, key=lambda m: len(m[0]))
    if field == path:
        return layer.error(error.reason, path, layer.values[path])
    return layer.error(f"{field}: {error.reason}", path, error.value)


def _merged_where(where: Where, owner: Mapping[YamlPath, tuple[Overrides, str]]) -> Where:
    """Lines of the base file, with each overridden field (and its sub-fields, and the sections
    the override created) pointing at the override's line."""
    lines = dict(where.lines)
    for parts, (layer, _) in owner.items():
        line = layer.where.line_of(parts)
        if line is None:
            continue
        for end in range(1, len(parts) + 1):
            if end == len(parts) or parts[:end] not in where.lines:
                lines[parts[:end]] = line
        lines.update({(*parts, *loc[len(parts):]): n for loc, n in layer.where.lines.items()
                      if loc[:len(parts)] == parts})
    return Where(where.path, lines)


def variant_overrides(source: ScenarioFile, name: str) -> Overrides:
    """The overrides of the variant ``name`` of the scenario, with the lines they are written on.

    Raises :class:`InputError` when the scenario has no variant of that name.
    """
    variants = source.scenario.variants
    names = [v.name for v in variants]
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = (f"did you mean '{close[0]}'?" if close else
                f"variants: {', '.join(names)}" if names else "the scenario has no variants")
        raise InputError(f"unknown variant ({hint})", field="--variant", value=name)
    index = names.index(name)
    variant = variants[index]
    prefix: YamlPath = ("variants", index, "overrides")
    lines: dict[YamlPath, int] = {}
    for path in variant.overrides:
        try:
            parts = parse_override_path(path)
        except ValueError:
            continue  # reported when the overrides are applied
        for loc, line in source.where.lines.items():
            if loc[:4] == (*prefix, path):
                lines[(*parts, *loc[4:])] = line
    return Overrides(f"variant '{name}'", variant.overrides, Where(source.where.path, lines))


def variant_scenario(source: ScenarioFile, name: str) -> ScenarioFile:
    """The variant ``name`` of the scenario as a scenario of its own, named
    ``<scenario>.<variant>`` (``base`` gives the scenario itself, without its variants)."""
    data = scenario_data(source.scenario)
    if name == BASE_NAME:
        return apply_overrides(data, [], source.where)
    return apply_overrides(data, [renamed(source.scenario.name, name),
                                  variant_overrides(source, name)], source.where)


def renamed(scenario: str, variant: str) -> Overrides:
    """The override naming a variant's run ``<scenario>.<variant>`` (a variant may still set
    ``name`` itself: its own overrides come after)."""
    return Overrides("name", {"name": f"{scenario}.{variant}"})


def in_layer(error: InputError, label: str) -> ScenarioError:
    """``error`` (from preparing a variant: its network edits, its demand) with ``label`` in
    front of its reason, so that the message says which variant it concerns."""
    return ScenarioError(f"{label}: {error.reason}", file=error.file, line=error.line,
                         field=error.field, value=error.value)


def check_variants(source: ScenarioFile) -> int:
    """Validate every variant of the scenario like a scenario of its own: its overrides, its
    network edits and its demand. Returns how many there are; raises the first problem as a
    :class:`ScenarioError` naming the variant, the field and the value."""
    from .runner import prepare  # the runner is above this module

    for variant in source.scenario.variants:
        scenario = variant_scenario(source, variant.name)
        try:
            prepare(scenario)
        except InputError as exc:
            raise in_layer(exc, f"variant '{variant.name}'") from None
    return len(source.scenario.variants)

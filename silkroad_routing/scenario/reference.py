"""The scenario file reference: every section of :class:`~.schema.Scenario` as a Markdown table.

One table per section (a pydantic model of the schema) with a row per field: its name, type (with
the checks on its value), unit, default and description. The unit comes from the field's name
(the schema writes units into names: ``_h`` hours, ``_kg``, ``_t_day`` tonnes per day, ...).
``silkroad schema --format markdown`` prints it and the documentation site shows it.
"""

from __future__ import annotations

import inspect
import re
import types
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from .schema import (
    HUB_CODE_PATTERN,
    PROFILE_DEFAULTS,
    Lognormal,
    ProfileParams,
    Scenario,
    Triangular,
    Uniform,
)

#: Unit of a field by the end of its name (or its whole name, without the leading ``_``),
#: longest ending first.
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_co2e_ttw_kg_per_teu_km", "kg CO2e per TEU-km, tank-to-wheel"),
    ("_co2e_kg_per_teu_km", "kg CO2e per TEU-km, well-to-wheel"),
    ("_co2e_ttw_kg_per_tkm", "kg CO2e per tonne-km, tank-to-wheel"),
    ("_co2e_kg_per_tkm", "kg CO2e per tonne-km, well-to-wheel"),
    ("_price_usd", "USD per `price_basis`"),
    ("_waypoints", "degrees (longitude, latitude)"),
    ("_feu_max", "FEU (40-foot containers)"),
    ("_pct_per_year", "% per year"),
    ("_usd_per_run", "USD per run"),
    ("_usd_per_wm", "USD per revenue tonne (W/M)"),
    ("_usd_per_kg", "USD per kg"),
    ("_usd_per_t", "USD per tonne"),
    ("_kg_m3", "kg per m3"),
    ("_t_day", "tonnes per day"),
    ("_positions", "ULD positions"),
    ("_days", "days"),
    ("_utc", "time of day, UTC"),
    ("_usd", "USD"),
    ("_teu", "TEU"),
    ("_feu", "FEU (40-foot containers)"),
    ("_kg", "kg"),
    ("_m3", "m3"),
    ("_km", "km"),
    ("_h", "hours"),
    ("_s", "seconds"),
)
#: What the unit column says for a number without a unit (a factor, a share, a count).
NO_UNIT = "—"
#: The location parameters of a distribution are in the unit of the field they draw.
_DRAWN_UNIT = "as the field drawn"
_DRAWN_FIELDS = frozenset({"median", "low", "mode", "high"})
_DISTRIBUTIONS = (Lognormal, Triangular, Uniform)


@dataclass(frozen=True)
class FieldRow:
    """One field of a section: what the reference table shows about it."""

    name: str
    type: str
    unit: str
    default: str
    description: str


@dataclass(frozen=True)
class Section:
    """One model of the schema: where it sits in a scenario file and its fields."""

    model: type[BaseModel]
    paths: tuple[str, ...]
    rows: tuple[FieldRow, ...]

    @property
    def anchor(self) -> str:
        """The HTML id of the section (the model's name, lower case)."""
        return self.model.__name__.lower()

    @property
    def title(self) -> str:
        """The scenario path of the section when it has one place, else the model's name."""
        if self.model is Scenario:
            return "Top level"
        return f"`{self.paths[0]}`" if len(self.paths) == 1 else self.model.__name__


def unit_of(name: str) -> str:
    """The unit that a field's name states (``extra_dwell_h`` -> ``hours``), else ``—``."""
    return next((unit for ending, unit in UNIT_SUFFIXES
                 if name.endswith(ending) or name == ending.removeprefix("_")), NO_UNIT)


def _strip_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    """``Annotated[X, m1, m2]`` -> ``(X, [m1, m2])``; anything else -> ``(annotation, [])``."""
    if get_origin(annotation) is Annotated:
        inner, *metadata = get_args(annotation)
        return inner, metadata
    return annotation, []


def _flat_metadata(metadata: list[Any]) -> list[Any]:
    """Constraint objects of ``metadata``, with those nested in a ``Field(...)`` spelled out."""
    out: list[Any] = []
    for item in metadata:
        out.extend(_flat_metadata(list(item.metadata)) if isinstance(item, FieldInfo) else [item])
    return out


def _is_hub_code(metadata: list[Any]) -> bool:
    return any(getattr(m, "pattern", None) == HUB_CODE_PATTERN for m in _flat_metadata(metadata))


def _number(value: float) -> str:
    text = repr(float(value)) if isinstance(value, float) else str(value)
    return text.removesuffix(".0")


def _checks(metadata: list[Any], text: bool) -> str:
    """The bounds in ``metadata`` as ``> 0``, ``at least 1 item`` ("" when there are none);
    ``text`` says whether they bound a string (a hub code's length is left to its pattern)."""
    parts = []
    for item in _flat_metadata(metadata):
        # annotated_types' Gt, Ge, Lt, Le and MinLen, as pydantic stores them
        for attribute, symbol in (("gt", ">"), ("ge", "≥"), ("lt", "<"), ("le", "≤")):
            if getattr(item, attribute, None) is not None:
                parts.append(f"{symbol} {_number(getattr(item, attribute))}")
        min_length = getattr(item, "min_length", None) or 0
        if min_length > 0 and not text:
            parts.append(f"at least {min_length} item" + ("s" if min_length > 1 else ""))
        elif min_length > 0 and not _is_hub_code(metadata):
            parts.append("not empty" if min_length == 1 else f"at least {min_length} characters")
    return ", ".join(parts)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every model class named anywhere in ``annotation``."""
    annotation, _ = _strip_annotated(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _link(model: type[BaseModel]) -> str:
    return f"[{model.__name__}](#{model.__name__.lower()})"


def type_text(annotation: Any, metadata: list[Any] | None = None) -> str:
    """What a value of ``annotation`` is, for readers: ``number, ≥ 0``, ``list of hub code``,
    ``map: mode → [ModeEdit](#modeedit)``, ``one of: route, consolidate, design``."""
    annotation, inner_metadata = _strip_annotated(annotation)
    metadata = [*(metadata or []), *inner_metadata]
    origin = get_origin(annotation)
    text: str
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        text = " or ".join(type_text(a) for a in options)
    elif origin in (tuple, list, frozenset, set):
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        if origin is tuple and len(args) > 1:
            text = "[" + ", ".join(type_text(a) for a in args) + "]"
        else:
            item = type_text(args[0]) if args else "any"
            text = f"list of {item}" + (" (no repeats)" if origin in (frozenset, set) else "")
    elif origin is dict:
        key, value = get_args(annotation)
        text = f"map: {type_text(key)} → {type_text(value)}"
    elif origin is Literal:
        text = " or ".join(f"`{v}`" for v in get_args(annotation))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        text = _link(annotation)
    elif isinstance(annotation, type) and issubclass(annotation, Enum):
        text = "one of: " + ", ".join(str(m.value) for m in annotation)
    elif annotation is str:
        text = "hub code" if _is_hub_code(metadata) else "text"
    elif annotation is bool:
        text = "true or false"
    elif annotation is int:
        text = "integer"
    elif annotation is float:
        text = "number"
    elif annotation is datetime:
        text = "date or date-time"
    elif annotation is date:
        text = "date"
    elif annotation is time:
        text = "time (HH:MM)"
    elif annotation is Path:
        text = "path"
    elif annotation is Any:
        text = "any value"
    else:
        text = getattr(annotation, "__name__", str(annotation))
    checks = _checks(metadata, text=annotation is str)
    return f"{text}, {checks}" if checks else text


def _value_text(value: Any) -> str:
    """A default as YAML writes it (flow style)."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, frozenset | set):
        return "[" + ", ".join(sorted(_value_text(v) for v in value)) + "]"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_value_text(k)}: {_value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value == "":
        return '""'
    return str(value)


#: The default cell of a field that must be given.
REQUIRED = "required"
#: The default cell of an optional field that is unset by default.
NOT_SET = "not set"


def default_text(info: FieldInfo) -> str:
    """``required``, ``not set``, a section (``see [Task](#task)``) or a YAML value in backticks."""
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return REQUIRED
    else:
        value = info.default
    if value is None:
        return NOT_SET
    if isinstance(value, BaseModel):
        return f"see {_link(type(value))}"
    return f"`{_value_text(value)}`"


def markdown_text(text: str) -> str:
    """Docstring text as Markdown on one line: reST ````code```` and ``:role:`x``` become
    ```code```, line breaks become spaces, ``|`` is escaped for a table cell and ``<`` outside
    code (a placeholder such as ``<name>``, not an HTML tag) is escaped."""
    text = re.sub(r":[a-z]+:`~?\.?([^`]+)`", r"`\1`", text)
    text = re.sub(r"``([^`]+)``", r"`\1`", text)
    parts = " ".join(text.split()).split("`")
    parts[::2] = [p.replace("<", "&lt;") for p in parts[::2]]
    return "`".join(parts).replace("|", "\\|")


def _description(model: type[BaseModel], info: FieldInfo, network_format_url: str | None) -> str:
    if info.description:
        return markdown_text(info.description)
    if model.__module__.startswith("silkroad_routing.model"):
        # Network records have no field descriptions: their columns are described with the
        # network file format.
        where = f"[network file format]({network_format_url})" if network_format_url else \
            "network file format (networks/README.md)"
        return f"As the column of the same name in the {where}."
    return ""


def _rows(model: type[BaseModel], network_format_url: str | None = None) -> tuple[FieldRow, ...]:
    rows = []
    for name, info in model.model_fields.items():
        unit = _DRAWN_UNIT if model in _DISTRIBUTIONS and name in _DRAWN_FIELDS else unit_of(name)
        rows.append(FieldRow(name=name, type=type_text(info.annotation, list(info.metadata)),
                             unit=unit, default=default_text(info),
                             description=_description(model, info, network_format_url)))
    return tuple(rows)


def _child_path(path: str, name: str, annotation: Any) -> str:
    """Where the models inside field ``name`` sit: ``edits.hubs.<hub>``, ``demand.shipments[]``."""
    here = f"{path}.{name}" if path else name
    annotation, _ = _strip_annotated(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        return _child_path(path, name, options[0]) if len(options) == 1 else here
    if origin is dict:
        return f"{here}.<{name.removesuffix('s')}>"
    if origin in (tuple, list, frozenset, set):
        return f"{here}[]"
    return here


def scenario_sections(network_format_url: str | None = None) -> list[Section]:
    """Every model of the scenario schema, depth first from the top level, with the paths where
    it is used in a scenario file. Fields of network records (added links and services) point
    to the network file format, at ``network_format_url`` when given."""
    order: list[type[BaseModel]] = []
    paths: dict[type[BaseModel], list[str]] = {}

    def visit(model: type[BaseModel], path: str) -> None:
        if model not in paths:
            order.append(model)
            paths[model] = []
        if path not in paths[model]:
            paths[model].append(path)
        for name, info in model.model_fields.items():
            for child in _models_in(info.annotation):
                visit(child, _child_path(path, name, info.annotation))

    visit(Scenario, "")
    return [Section(model=m, paths=tuple(paths[m]), rows=_rows(m, network_format_url)) for m in order]


def _section_markdown(section: Section) -> list[str]:
    lines = [f'<a id="{section.anchor}"></a>', "", f"### {section.title}", ""]
    doc = inspect.getdoc(section.model) or ""
    lines += [markdown_text(paragraph) + "\n" for paragraph in doc.split("\n\n") if paragraph.strip()]
    if section.model is not Scenario:
        where = ", ".join(f"`{p}`" for p in section.paths)
        lines += [f"Schema: `{section.model.__name__}`; in a scenario at {where}.", ""]
    lines += ["| field | type | unit | default | description |", "|---|---|---|---|---|"]
    lines += [f"| `{r.name}` | {r.type} | {r.unit} | {r.default} | {r.description} |" for r in section.rows]
    return [*lines, ""]


def _profiles_markdown() -> list[str]:
    names = list(ProfileParams.model_fields)
    lines = ["### Generator profiles", "",
             "The stated defaults of each `profile` of a generated flow "
             "(`demand.generate.flows[]`); a flow may override any of them.", "",
             "| profile | " + " | ".join(f"`{n}`" for n in names) + " |",
             "|---|" + "---|" * len(names)]
    for profile, params in PROFILE_DEFAULTS.items():
        cells = [_value_text(getattr(params, n)) for n in names]
        lines.append(f"| `{profile.value}` | " + " | ".join(cells) + " |")
    units = ", ".join(f"`{n}` {unit_of(n)}" for n in names if unit_of(n) != NO_UNIT)
    return [*lines, "", f"Units: {units}.", ""]


def scenario_reference_markdown(heading_level: int = 2, network_format_url: str | None = None) -> str:
    """The scenario file reference as Markdown: an introduction, one table per section of the
    schema, and the generator profiles. The title has ``heading_level`` (sections one below);
    ``network_format_url`` is where the network file format is, for links to it."""
    sections = scenario_sections(network_format_url)
    lines = [
        "## Scenario file reference", "",
        "A scenario is a YAML file. Every section below is a mapping of the fields in its table; "
        "a key that is not in the table is an error. **default** `required` means the field must "
        "be given; `not set` means it is optional and off unless given. Units are in the field "
        "names. Relative paths are resolved against the folder of the scenario file.", "",
        "Sections: " + ", ".join(f"[{s.model.__name__}](#{s.anchor})" for s in sections) + ".", "",
    ]
    for section in sections:
        lines += _section_markdown(section)
    lines += _profiles_markdown()
    text = "\n".join(lines).rstrip() + "\n"
    shift = heading_level - 2
    if shift:
        text = re.sub(r"^(#+) ", lambda m: "#" * max(1, len(m.group(1)) + shift) + " ", text, flags=re.M)
    return text

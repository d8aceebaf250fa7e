"""Grids of a sweep: ``PATH=V1,V2,...`` specifications and their cartesian product.

Values are read as YAML flow values, as in a scenario file: ``3000``, ``1.5``, ``fastest``,
``true``, ``[suez]``, ``{extra_dwell_h: 24}``. Commas inside brackets, braces or quotes do not
separate values.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from ..errors import InputError
from ..scenario.variants import check_override_path

#: Where grid specifications come from, for messages.
GRID_OPTION = "--grid"


def _split_values(text: str) -> list[str]:
    """Split at commas outside brackets, braces and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def parse_grid_spec(spec: str) -> tuple[str, list[Any]]:
    """``"edits.hubs.CGO.capacity_t_day=3000,4500"`` -> ``(path, [3000, 4500])``.

    Raises :class:`InputError` (field ``--grid``) on a missing ``=``, an empty or unknown path,
    an empty or unreadable value, or a value given twice.
    """
    path, sep, text = spec.partition("=")
    path = path.strip()
    if not sep or not path:
        raise InputError("a grid is PATH=V1,V2,... (e.g. edits.hubs.CGO.capacity_t_day=3000,4500)",
                         field=GRID_OPTION, value=spec)
    try:
        check_override_path(path)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}", field=GRID_OPTION, value=spec) from None
    values: list[Any] = []
    for item in _split_values(text):
        if not item:
            raise InputError(f"{path}: empty value (values are separated by commas)",
                             field=GRID_OPTION, value=spec)
        try:
            value = yaml.safe_load(item)
        except yaml.YAMLError:
            raise InputError(f"{path}: cannot read the value {item!r} (write it as in a "
                             "scenario file)", field=GRID_OPTION, value=spec) from None
        if any(type(v) is type(value) and v == value for v in values):
            raise InputError(f"{path}: the value {item} is given twice", field=GRID_OPTION,
                             value=spec)
        values.append(value)
    return path, values


def parse_grid(specs: Iterable[str]) -> dict[str, list[Any]]:
    """Grid specifications -> values by path, in the order given; a path given twice is an
    :class:`InputError`."""
    grid: dict[str, list[Any]] = {}
    for spec in specs:
        path, values = parse_grid_spec(spec)
        if path in grid:
            raise InputError(f"{path} is swept twice: give all its values in one --grid",
                             field=GRID_OPTION, value=spec)
        grid[path] = values
    return grid


def check_grid(grid: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
    """A grid given in code (path -> values), checked like a parsed one."""
    checked: dict[str, list[Any]] = {}
    for path, values in grid.items():
        try:
            check_override_path(path)
        except ValueError as exc:
            raise InputError(str(exc), field=path) from None
        if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
            raise InputError("a grid gives a non-empty list of values for each path",
                             field=path, value=values)
        checked[path] = list(values)
    return checked


def grid_points(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """The cartesian product of the grid, the last path varying fastest; ``[{}]`` for none."""
    paths = list(grid)
    return [dict(zip(paths, values, strict=True))
            for values in itertools.product(*(grid[p] for p in paths))]

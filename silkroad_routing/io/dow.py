"""Read and write MCND instances in the Canad ``.dow`` format (Crainic, Frangioni and Gendron).

Whitespace separated, node ids from 1 in the file (0-based in :class:`MCNDInstance`)::

    MULTIGEN.DAT:
    n_nodes n_arcs n_commodities
    tail head unit_variable_cost capacity fixed_cost 1 arc_label     (one line per arc)
    origin destination demand                                       (one line per commodity)

The sixth arc field is always 1 and the seventh a label; neither carries data, so the writer
puts 1 and the arc's 1-based number there. Every error names the file, line and value.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..model import MCNDInstance
from .atomic import write_text_atomic

HEADER = "MULTIGEN.DAT:"
ARC_FIELDS = ("tail", "head", "unit_variable_cost", "capacity", "fixed_cost", "one", "label")
COMMODITY_FIELDS = ("origin", "destination", "demand")


def _lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (1-based line number, tokens) of the non-blank lines of ``path``."""
    try:
        with path.open(encoding="ascii") as handle:
            for number, line in enumerate(handle, start=1):
                if tokens := line.split():
                    yield number, tokens
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=str(path)) from None


def _number(path: Path, line: int, field: str, token: str, integer: bool) -> float:
    try:
        value = int(token) if integer else float(token)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise InputError(f"expected {kind}", file=str(path), line=line, field=field, value=token) from None
    if not integer and not math.isfinite(value):
        raise InputError("expected a finite number", file=str(path), line=line, field=field, value=token)
    return value


def _fields(path: Path, rows: Iterator[tuple[int, list[str]]], names: tuple[str, ...],
            what: str) -> tuple[int, list[str]]:
    try:
        line, tokens = next(rows)
    except StopIteration:
        raise InputError(f"file ends before {what}", file=str(path)) from None
    if len(tokens) != len(names):
        raise InputError(f"{what}: expected {len(names)} fields ({' '.join(names)}), got {len(tokens)}",
                         file=str(path), line=line, value=" ".join(tokens))
    return line, tokens


def read_dow(path: str | os.PathLike[str]) -> MCNDInstance:
    """Read a ``.dow`` file into an :class:`MCNDInstance` (node ids shifted to 0-based).

    The instance's ``name`` is the file stem. Raises :class:`~silkroad_routing.errors.InputError`
    naming the file, line, field and value on any malformed or inconsistent content.
    """
    path = Path(path)
    rows = _lines(path)
    line, tokens = _fields(path, rows, ("header",), "the header line")
    if tokens[0] != HEADER:
        raise InputError(f"first line must be {HEADER}", file=str(path), line=line, value=tokens[0])
    line, tokens = _fields(path, rows, ("n_nodes", "n_arcs", "n_commodities"), "the sizes line")
    n_nodes, n_arcs, n_commodities = (
        int(_number(path, line, name, token, integer=True))
        for name, token in zip(("n_nodes", "n_arcs", "n_commodities"), tokens, strict=True))
    for name, size in (("n_nodes", n_nodes), ("n_arcs", n_arcs), ("n_commodities", n_commodities)):
        if size < 1:
            raise InputError("must be at least 1", file=str(path), line=line, field=name, value=size)
    cells = _Cells(path, n_nodes)
    arcs = _arcs(cells, rows, n_arcs)
    commodities = _commodities(cells, rows, n_commodities)
    for line, tokens in rows:
        raise InputError(f"unexpected content after the {n_commodities} commodities", file=str(path),
                         line=line, value=" ".join(tokens))
    ints, floats = partial(np.asarray, dtype=np.int64), partial(np.asarray, dtype=np.float64)
    return MCNDInstance(
        n_nodes=n_nodes, arc_tail=ints(arcs["tail"]), arc_head=ints(arcs["head"]),
        arc_unit_cost=floats(arcs["unit_variable_cost"]), arc_capacity=floats(arcs["capacity"]),
        arc_fixed_cost=floats(arcs["fixed_cost"]), commodity_origin=ints(commodities["origin"]),
        commodity_destination=ints(commodities["destination"]),
        commodity_demand=floats(commodities["demand"]), name=path.stem)


@dataclass(frozen=True)
class _Cells:
    """Reads the cells of a ``.dow`` file at ``path`` with ``n_nodes`` nodes."""

    path: Path
    n_nodes: int

    def node(self, line: int, field: str, token: str) -> int:
        """A node id (1-based in the file), 0-based."""
        value = int(_number(self.path, line, field, token, integer=True))
        if not 1 <= value <= self.n_nodes:
            raise InputError(f"node id outside 1..{self.n_nodes}", file=str(self.path), line=line,
                             field=field, value=token)
        return value - 1

    def amount(self, line: int, field: str, token: str, positive: bool) -> float:
        """A number >= 0 (> 0 when ``positive``)."""
        value = _number(self.path, line, field, token, integer=False)
        if value < 0.0 or (positive and value == 0.0):
            reason = "must be positive" if positive else "must be >= 0"
            raise InputError(reason, file=str(self.path), line=line, field=field, value=token)
        return value


def _arcs(cells: _Cells, rows: Iterator[tuple[int, list[str]]], n_arcs: int,
          ) -> dict[str, list[float]]:
    arcs: dict[str, list[float]] = {name: [] for name in ARC_FIELDS[:5]}
    for number in range(1, n_arcs + 1):
        line, tokens = _fields(cells.path, rows, ARC_FIELDS, f"arc {number} of {n_arcs}")
        tail, head = cells.node(line, "tail", tokens[0]), cells.node(line, "head", tokens[1])
        if tail == head:
            raise InputError("arc starts and ends at the same node", file=str(cells.path),
                             line=line, field="head", value=tokens[1])
        arcs["tail"].append(tail)
        arcs["head"].append(head)
        arcs["unit_variable_cost"].append(cells.amount(line, "unit_variable_cost", tokens[2], False))
        arcs["capacity"].append(cells.amount(line, "capacity", tokens[3], True))
        arcs["fixed_cost"].append(cells.amount(line, "fixed_cost", tokens[4], False))
    return arcs


def _commodities(cells: _Cells, rows: Iterator[tuple[int, list[str]]], n_commodities: int,
                 ) -> dict[str, list[float]]:
    commodities: dict[str, list[float]] = {name: [] for name in COMMODITY_FIELDS}
    for number in range(1, n_commodities + 1):
        line, tokens = _fields(cells.path, rows, COMMODITY_FIELDS,
                               f"commodity {number} of {n_commodities}")
        origin = cells.node(line, "origin", tokens[0])
        destination = cells.node(line, "destination", tokens[1])
        if origin == destination:
            raise InputError("commodity's origin and destination are the same node",
                             file=str(cells.path), line=line, field="destination", value=tokens[1])
        commodities["origin"].append(origin)
        commodities["destination"].append(destination)
        commodities["demand"].append(cells.amount(line, "demand", tokens[2], True))
    return commodities


def _format(value: float) -> str:
    """An integral value as an integer (as in the published files), otherwise exactly (repr)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _row(cells: tuple[object, ...]) -> str:
    """Right-aligned columns 8 wide, as in the published files, always space separated."""
    return "".join(f" {cell!s:>7}" for cell in cells)


def write_dow(instance: MCNDInstance, path: str | os.PathLike[str]) -> None:
    """Write ``instance`` to ``path`` in the ``.dow`` format (node ids from 1), atomically.

    The file is written to a temporary file in the same folder and moved into place, so a
    reader never sees a partial file.
    """
    lines = [HEADER, _row((instance.n_nodes, instance.n_arcs, instance.n_commodities))]
    for arc in range(instance.n_arcs):
        cells = (instance.arc_tail[arc] + 1, instance.arc_head[arc] + 1,
                 _format(instance.arc_unit_cost[arc]), _format(instance.arc_capacity[arc]),
                 _format(instance.arc_fixed_cost[arc]), 1, arc + 1)
        lines.append(_row(cells))
    for k in range(instance.n_commodities):
        row = (instance.commodity_origin[k] + 1, instance.commodity_destination[k] + 1,
               _format(instance.commodity_demand[k]))
        lines.append(_row(row))
    write_text_atomic(path, "\n".join(lines) + "\n")

"""The layer rule, checked from the source: every module's imports, parsed with ``ast``.

The layers and what each may import are DESIGN.md's table, copied here as data (``LAYERS``) and
shown on ``docs/architecture.md``; a layer may import its own row and every row above it. Two
places where the code deliberately differs from DESIGN.md's table are spelled out: ``core`` sits
below ``compile`` (compile builds core's ``TimetableArrays``), and ``plan`` / ``kpi`` sit below
the tasks that build them. Imports inside functions and under ``TYPE_CHECKING`` count too.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "silkroad_routing"
PAGE = ROOT / "docs" / "architecture.md"

# Lowest first: a layer may import its own row and every row above it, nothing below.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("units", "errors"),
    ("model",),
    ("io", "edits", "geometry"),
    ("core",),
    ("compile",),
    ("solvers",),
    ("plan", "kpi"),
    ("routing", "consolidation", "service_design"),
    ("report", "tables"),
    ("scenario", "comparison", "simulation", "cli"),
)
# Layers that may import less than their own row and every row above it.
ONLY: dict[str, frozenset[str]] = {
    "units": frozenset(), "errors": frozenset(),  # nothing of ours
    "model": frozenset({"units", "errors"}),
    "io": frozenset({"units", "errors", "model"}),
    "edits": frozenset({"units", "errors", "model"}),
    "geometry": frozenset({"units", "errors", "model"}),
    "core": frozenset(),  # arrays only: nothing of ours
    "compile": frozenset({"units", "errors", "model", "core"}),
    "solvers": frozenset({"units", "errors", "model", "core", "compile"}),
    "plan": frozenset({"units", "errors", "model"}),
    "kpi": frozenset({"units", "errors", "model", "plan"}),
}
# Outside packages a layer may use, where the rule restricts them (the standard library always).
THIRD_PARTY: dict[str, frozenset[str]] = {
    "core": frozenset({"numpy", "numba", "llvmlite"}),
}
ORTOOLS_FROM = "solvers"  # the first row allowed to import ortools
# (importing module, imported layer) pairs allowed against the table, each with its reason.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("silkroad_routing.model.network", "geometry"):
        "Network.to_geodataframe (public surface) hands off to geometry, imported when called",
}


def _row(layer: str) -> int:
    return next(i for i, row in enumerate(LAYERS) if layer in row)


def allowed(layer: str) -> frozenset[str]:
    """The layers of ours that ``layer`` may import (besides itself)."""
    if layer in ONLY:
        return ONLY[layer]
    return frozenset(name for row in LAYERS[: _row(layer) + 1] for name in row)


def module_name(path: Path) -> str:
    """``silkroad_routing/core/graph/csr.py`` -> ``silkroad_routing.core.graph.csr``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(module: str, source: str, is_package: bool) -> list[tuple[str, int]]:
    """Absolute names (``silkroad_routing.model.hub``, ``numpy``) that ``source`` imports, by line."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                stem = ".".join([*base, *([node.module] if node.module else [])])
            else:
                stem = node.module or ""
            # `from . import x` and `from silkroad_routing import x` name a layer in `x`.
            if stem == "silkroad_routing":
                # The package's own metadata (``__version__``) is no layer.
                found += [(f"{stem}.{alias.name}", node.lineno) for alias in node.names
                          if not alias.name.startswith("__")]
            else:
                found.append((stem, node.lineno))
    return found


def layer_of(module: str) -> str | None:
    """The layer a dotted name of ours belongs to (``None`` for the package root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def violations(module: str, source: str, is_package: bool = False) -> list[str]:
    """Every import in ``source`` (the text of ``module``) that breaks the layer rule."""
    layer = layer_of(module)
    if layer is None:  # silkroad_routing/__init__.py re-exports the public surface
        return []
    problems = []
    for name, line in imports(module, source, is_package):
        root = name.split(".")[0]
        where = f"{module}:{line} imports {name}"
        if root == "silkroad_routing":
            target = layer_of(name)
            if target is None or target == layer:
                if target is None:
                    problems.append(f"{where}: the package root (import the layer itself)")
                continue
            if target not in allowed(layer) and (module, target) not in EXCEPTIONS:
                problems.append(f"{where}: layer {layer} may not import {target}")
        elif root == "ortools" and _row(layer) < _row(ORTOOLS_FROM):
            problems.append(f"{where}: only {ORTOOLS_FROM} and above may use OR-Tools")
        elif (layer in THIRD_PARTY and root not in THIRD_PARTY[layer]
              and root not in sys.stdlib_module_names and root != "__future__"):
            problems.append(f"{where}: layer {layer} may use only {sorted(THIRD_PARTY[layer])}")
    return problems


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_keeps_to_its_layer() -> None:
    problems = [
        problem
        for path in _modules()
        for problem in violations(module_name(path), path.read_text(), path.name == "__init__.py")
    ]
    assert problems == []


def test_every_package_has_a_layer() -> None:
    existing = {layer_of(module_name(path)) for path in _modules()} - {None}
    listed = {name for row in LAYERS for name in row}
    assert existing == listed


def test_exceptions_are_still_needed() -> None:
    for module, target in EXCEPTIONS:
        path = ROOT / (module.replace(".", "/") + ".py")
        names = {layer_of(name) for name, _ in imports(module, path.read_text(), False)}
        assert target in names, f"{module} no longer imports {target}: drop the exception"


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("silkroad_routing.core.graph.csr", "from ...model import Hub", "may not import model"),
        ("silkroad_routing.core.graph.csr", "from ...errors import InputError",
         "may not import errors"),
        ("silkroad_routing.core.packing", "from silkroad_routing import io", "may not import io"),
        ("silkroad_routing.core.packing", "import ortools.sat", "OR-Tools"),
        ("silkroad_routing.core.packing", "import pandas as pd", "may use only"),
        ("silkroad_routing.model.hub", "from ..core import dijkstra", "may not import core"),
        ("silkroad_routing.model.hub", "from ..compile import prepare", "may not import compile"),
        ("silkroad_routing.model.hub", "from ..solvers.mcnd import solve_mcnd",
         "may not import solvers"),
        ("silkroad_routing.model.hub", "def f():\n    from ..routing import router",
         "may not import routing"),
        ("silkroad_routing.model.hub", "from ortools.math_opt.python import mathopt", "OR-Tools"),
        ("silkroad_routing.compile.problem", "from ..routing.router import route",
         "may not import routing"),
        ("silkroad_routing.solvers.packing", "from ..scenario import load", "may not import scenario"),
        ("silkroad_routing.plan", "from .routing import route", "may not import routing"),
        ("silkroad_routing.io.dow", "from .. import solvers", "may not import solvers"),
    ],
)
def test_a_broken_rule_is_caught(module: str, source: str, expected: str) -> None:
    problems = violations(module, source)
    assert len(problems) == 1 and expected in problems[0], problems


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("silkroad_routing.core.graph.csr", "import numpy as np\nfrom .._heap import heap_push"),
        ("silkroad_routing.model.hub", "from ..units import Mode\nfrom ._base import Record"),
        ("silkroad_routing.solvers.packing", "from ortools.sat.python import cp_model\n"
                                             "from ..core import packing_order"),
        ("silkroad_routing.service_design.design", "from ..routing.router import route"),
    ],
)
def test_an_allowed_import_passes(module: str, source: str) -> None:
    assert violations(module, source) == []


def _page_rows() -> list[tuple[str, ...]]:
    """The layer column of the table on docs/architecture.md, one tuple of names per row."""
    rows = []
    for line in PAGE.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[0].startswith("`"):
            # `core` (`core/graph`, `core/timetable`, `core/packing`) names a layer and its parts.
            first = re.sub(r"\(.*\)", "", cells[0])
            rows.append(tuple(re.findall(r"`([a-z_]+)`", first)))
    return rows


def test_architecture_page_lists_these_layers() -> None:
    assert _page_rows() == list(LAYERS)


def test_architecture_page_names_the_core_subpackages() -> None:
    text = PAGE.read_text()
    for sub in sorted(p.name for p in (PACKAGE / "core").iterdir()
                      if p.is_dir() and (p / "__init__.py").exists()):
        assert f"`core/{sub}`" in text, sub

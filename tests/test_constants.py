"""One home per constant: no module-level constant is defined twice with the same value.

Two modules assigning the same UPPER_CASE name the same literal value hold one constant twice,
and the copies can drift apart; one defines it, the other imports it. Same-named constants with
different values (``DEPARTURE_COLUMNS`` of consolidation and of design) are different tables.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "silkroad_routing"

# Copies left in files being changed on main (issue 18); the lead replaces each by an import.
PENDING: frozenset[tuple[str, str]] = frozenset({
    ("DEFAULT_MAX_LABELS", "silkroad_routing/core/timetable/labels.py"),
    ("TIME_TOLERANCE_H", "silkroad_routing/routing/router.py"),
})


def constants(source: str) -> dict[str, object]:
    """Module-level ``NAME = <literal>`` (or ``NAME: T = <literal>``) definitions of ``source``."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id.isupper() and len(target.id) > 1:
            try:
                found[target.id] = ast.literal_eval(value)
            except ValueError:  # computed from other names: not a literal copy
                continue
    return found


def copies() -> dict[tuple[str, str], list[str]]:
    """``(name, repr(value)) -> files`` for every constant defined in more than one module."""
    homes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        for name, value in constants(path.read_text()).items():
            homes[(name, repr(value))].append(path.relative_to(ROOT).as_posix())
    return {key: files for key, files in homes.items() if len(files) > 1}


def test_each_constant_has_one_home() -> None:
    extra = {
        key: files for key, files in copies().items()
        if len([f for f in files if (key[0], f) not in PENDING]) > 1
    }
    assert extra == {}


def test_pending_copies_are_still_there() -> None:
    defined = {(name, f) for (name, _), files in copies().items() for f in files}
    assert defined >= PENDING, "a pending copy is gone: drop it from PENDING"


def test_a_copy_is_found() -> None:
    twice = "from typing import Final\nLIMIT: Final[int] = 3\nOTHER = 2 * LIMIT\n"
    assert constants(twice) == {"LIMIT": 3}

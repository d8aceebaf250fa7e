"""Errors as designed: above ``core``, bad input raises the library's ``InputError``.

``core`` keeps ``ValueError`` (it imports nothing of ours); every layer built on the model raises
:class:`~silkroad_routing.errors.InputError` (a ``ValueError`` too), which the command line turns
into one message and exit code 2. Pydantic validators are the exception: pydantic wraps the
``ValueError`` they raise into its ``ValidationError``, which the readers turn into an InputError.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from silkroad_routing.errors import InputError
from silkroad_routing.io import load_equipment
from silkroad_routing.solvers import load_freighter, make_up_train, solve_packing

PACKAGE = Path(__file__).resolve().parents[1] / "silkroad_routing"
# Layers whose bad-input errors must be InputError.
STRICT = ("solvers",)


def bare_value_errors(source: str) -> list[int]:
    """Lines of ``source`` that raise ``ValueError(...)`` (or ``ValueError``) themselves."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            called = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(called, ast.Name) and called.id == "ValueError":
                lines.append(node.lineno)
    return lines


def test_solvers_raise_input_error() -> None:
    found = {
        path.relative_to(PACKAGE).as_posix(): lines
        for layer in STRICT for path in sorted((PACKAGE / layer).rglob("*.py"))
        if (lines := bare_value_errors(path.read_text()))
    }
    assert found == {}


def test_a_bare_value_error_is_found() -> None:
    assert bare_value_errors("def f(x):\n    if x:\n        raise ValueError('bad')\n") == [3]
    assert bare_value_errors("raise InputError('bad', field='x')") == []


def test_solver_errors_name_the_argument() -> None:
    catalog = load_equipment()
    wagon = catalog.wagons[0]
    with pytest.raises(InputError) as info:
        make_up_train(np.array([3]), np.array([1000.0]), [wagon], [1], max_trailing_weight_kg=1e6)
    assert info.value.field == "container_teu" and info.value.value == 3
    with pytest.raises(InputError) as info:
        make_up_train(np.array([2]), np.array([1000.0]), [wagon], [1], max_trailing_weight_kg=0.0)
    assert info.value.field == "max_trailing_weight_kg"
    with pytest.raises(InputError) as info:
        solve_packing(np.array([1.0]), np.array([1.0]), 10.0, 10.0, time_limit_s=-1.0)
    assert info.value.field == "time_limit_s" and info.value.value == -1.0
    with pytest.raises(InputError) as info:
        load_freighter([catalog.units[0]], np.array([100.0]), catalog.aircraft[0])
    assert info.value.field == "uld_types" and info.value.value == catalog.units[0].code

"""Fuzz of the scenario loader: mutated scenario files either load (validate completely) or are
refused with the library's own :class:`InputError` -- never another exception, never a hang.

Mutations start from the mini scenario: a value anywhere replaced by an arbitrary YAML value
(numbers huge, infinite or NaN, booleans, dates, text, lists, mappings), a key removed or added;
and arbitrary text or bytes as a whole file. Examples are bounded and derandomised (see
``tests/conftest.py``), so the run is fast and the same on every machine.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from silkroad_routing.errors import InputError
from silkroad_routing.scenario.load import read_scenario
from silkroad_routing.scenario.runner import prepare

DATA = Path(__file__).resolve().parents[1] / "data"
BASE: dict[str, Any] = yaml.safe_load((DATA / "mini_scenario.yaml").read_text(encoding="utf-8"))
BASE["network"] = str((DATA / "mini_network").resolve())

SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["CGO", "LUX", "ZZRT", "DEHAM", "air", "rail", "route", "design", "2026-11-03",
                     "ecommerce", "uniform", "lognormal", "Asia/Shanghai", "", "*"]),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*path, i))


PATHS = [p for p in _paths(BASE) if p]


def _mutated(path: tuple[Any, ...], action: str, value: Any, key: str) -> Any:
    document = yaml.safe_load(yaml.safe_dump(BASE))  # a deep copy
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif isinstance(parent, dict):  # add a key beside it
        parent[key] = value
    else:
        parent.append(value)
    return document


def _load(path: Path) -> None:
    try:
        prepare(read_scenario(path))
    except InputError as exc:
        assert str(exc)  # a message to show
        event("refused")
    else:
        event("loaded")


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="silkroad-fuzz-") as name:
        yield Path(name)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                     HealthCheck.too_slow], deadline=None)
@given(path=st.sampled_from(PATHS), action=st.sampled_from(["replace", "delete", "add"]),
       value=VALUES, key=st.text(max_size=12))
def test_mutated_scenarios_load_or_are_refused(folder: Path, path: tuple[Any, ...], action: str,
                                               value: Any, key: str) -> None:
    file = folder / "fuzz.yaml"
    file.write_text(yaml.safe_dump(_mutated(path, action, value, key), allow_unicode=True),
                    encoding="utf-8")
    _load(file)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                      st.text(alphabet="[]{}:-&*!|>?,'\"\n #%@`abc01.", max_size=200).map(str.encode)))
def test_arbitrary_files_are_refused_cleanly(folder: Path, data: bytes) -> None:
    file = folder / "raw.yaml"
    file.write_bytes(data)
    _load(file)

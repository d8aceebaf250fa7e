"""The ``.dow`` reader and writer, and the instance record's validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mcnd_reference import DATA

import silkroad_routing as sr
from silkroad_routing.errors import InputError
from silkroad_routing.model import MCNDInstance

SHIPPED = sorted(DATA.glob("*.dow"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_instances_round_trip(path, tmp_path):
    instance = sr.io.read_dow(path)
    tokens = path.read_text().split()
    n, m, k = (int(t) for t in tokens[1:4])
    arcs = np.array(tokens[4:4 + 7 * m], dtype=float).reshape(m, 7)
    commodities = np.array(tokens[4 + 7 * m:], dtype=float).reshape(k, 3)
    # Compared with a plain re-parse of the file (node ids from 1 in the file, 0 inside).
    assert (instance.n_nodes, instance.n_arcs, instance.n_commodities) == (n, m, k)
    assert np.array_equal(instance.arc_tail + 1, arcs[:, 0])
    assert np.array_equal(instance.arc_head + 1, arcs[:, 1])
    assert np.array_equal(instance.arc_unit_cost, arcs[:, 2])
    assert np.array_equal(instance.arc_capacity, arcs[:, 3])
    assert np.array_equal(instance.arc_fixed_cost, arcs[:, 4])
    assert np.array_equal(instance.commodity_origin + 1, commodities[:, 0])
    assert np.array_equal(instance.commodity_destination + 1, commodities[:, 1])
    assert np.array_equal(instance.commodity_demand, commodities[:, 2])
    assert instance.name == path.stem
    written = tmp_path / path.name
    sr.io.write_dow(instance, written)
    assert sr.io.read_dow(written) == instance
    # Same numbers, token for token, apart from the data-free arc labels.
    again = written.read_text().split()
    assert again[:4] == tokens[:4]
    for row in range(m):
        start = 4 + 7 * row
        assert again[start:start + 6] == tokens[start:start + 6]
    assert again[4 + 7 * m:] == tokens[4 + 7 * m:]
    assert not list(tmp_path.glob(".*")), "the atomic writer left a temporary file"


@st.composite
def instances(draw) -> MCNDInstance:
    n = draw(st.integers(2, 6))
    m = draw(st.integers(1, 8))
    k = draw(st.integers(1, 4))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    arcs = draw(st.lists(pairs, min_size=m, max_size=m))
    ends = draw(st.lists(pairs, min_size=k, max_size=k))
    money = st.floats(0.0, 1e6, allow_nan=False, allow_infinity=False)
    amount = st.floats(1e-3, 1e6, allow_nan=False, allow_infinity=False)
    return MCNDInstance(
        n_nodes=n, arc_tail=[a[0] for a in arcs], arc_head=[a[1] for a in arcs],
        arc_unit_cost=draw(st.lists(money, min_size=m, max_size=m)),
        arc_capacity=draw(st.lists(amount, min_size=m, max_size=m)),
        arc_fixed_cost=draw(st.lists(money, min_size=m, max_size=m)),
        commodity_origin=[e[0] for e in ends], commodity_destination=[e[1] for e in ends],
        commodity_demand=draw(st.lists(amount, min_size=k, max_size=k)))


@given(instances())
def test_random_instances_round_trip_exactly(tmp_path_factory, instance):
    path = tmp_path_factory.mktemp("dow") / "random.dow"
    sr.io.write_dow(instance, path)
    assert sr.io.read_dow(path) == instance


GOOD = "MULTIGEN.DAT:\n 3 2 1\n 1 2 5 10 100 1 1\n 2 3 5 10 100 1 2\n 1 3 4\n"


@pytest.mark.parametrize(("text", "line", "value"), [
    ("MULTI.DAT:\n" + GOOD.split("\n", 1)[1], 1, "MULTI.DAT:"),
    (GOOD.replace(" 3 2 1\n", " 3 2\n"), 2, "3 2"),
    (GOOD.replace(" 1 2 5 10 100 1 1", " 1 2 x 10 100 1 1"), 3, "x"),
    (GOOD.replace(" 1 2 5 10 100 1 1", " 1 4 5 10 100 1 1"), 3, "4"),
    (GOOD.replace(" 1 2 5 10 100 1 1", " 0 2 5 10 100 1 1"), 3, "0"),
    (GOOD.replace(" 1 2 5 10 100 1 1", " 2 2 5 10 100 1 1"), 3, "2"),
    (GOOD.replace(" 2 3 5 10 100 1 2", " 2 3 5 0 100 1 2"), 4, "0"),
    (GOOD.replace(" 2 3 5 10 100 1 2", " 2 3 5 10 -1 1 2"), 4, "-1"),
    (GOOD.replace(" 2 3 5 10 100 1 2", " 2 3 5 10 nan 1 2"), 4, "nan"),
    (GOOD.replace(" 2 3 5 10 100 1 2", " 2 3 5 10 100 1"), 4, "2 3 5 10 100 1"),
    (GOOD.replace(" 1 3 4\n", " 1 3 0\n"), 5, "0"),
    (GOOD.replace(" 1 3 4\n", " 3 3 4\n"), 5, "3"),
    (GOOD + " 1 2 3\n", 6, "1 2 3"),
])
def test_bad_files_name_file_line_and_value(tmp_path, text, line, value):
    path = tmp_path / "bad.dow"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        sr.io.read_dow(path)
    assert info.value.file == str(path)
    assert info.value.line == line
    assert info.value.value == value
    assert str(path) in str(info.value) and f"line {line}" in str(info.value)


def test_truncated_and_missing_files(tmp_path):
    path = tmp_path / "short.dow"
    path.write_text(GOOD.rsplit("\n", 2)[0] + "\n")  # the commodity line is missing
    with pytest.raises(InputError, match="ends before commodity 1 of 1"):
        sr.io.read_dow(path)
    with pytest.raises(InputError, match="cannot read") as info:
        sr.io.read_dow(tmp_path / "absent.dow")
    assert info.value.file == str(tmp_path / "absent.dow")


def test_good_file_reads(tmp_path):
    path = tmp_path / "good.dow"
    path.write_text(GOOD)
    instance = sr.io.read_dow(path)
    assert instance.arc_tail.tolist() == [0, 1] and instance.arc_head.tolist() == [1, 2]
    assert instance.commodity_demand.tolist() == [4.0]


def _fields(**changes) -> dict:
    fields = dict(n_nodes=3, arc_tail=[0, 1], arc_head=[1, 2], arc_unit_cost=[1.0, 1.0],
                  arc_capacity=[5.0, 5.0], arc_fixed_cost=[2.0, 2.0], commodity_origin=[0],
                  commodity_destination=[2], commodity_demand=[1.0])
    fields.update(changes)
    return fields


@pytest.mark.parametrize(("changes", "field"), [
    (dict(n_nodes=0), "n_nodes"),
    (dict(n_nodes=2.5), "n_nodes"),
    (dict(arc_head=[1, 3]), "arc_head"),
    (dict(arc_tail=[1, 1]), "arc_head"),
    (dict(arc_unit_cost=[1.0, -1.0]), "arc_unit_cost"),
    (dict(arc_capacity=[5.0, 0.0]), "arc_capacity"),
    (dict(arc_fixed_cost=[np.inf, 1.0]), "arc_fixed_cost"),
    (dict(commodity_demand=[np.nan]), "commodity_demand"),
    (dict(commodity_destination=[0]), "commodity_destination"),
    (dict(arc_capacity=[5.0]), "arc_tail"),
    (dict(commodity_origin=[[0]]), "commodity_origin"),
    (dict(arc_unit_cost=["a", "b"]), "arc_unit_cost"),
])
def test_instance_validation_names_the_field(changes, field):
    with pytest.raises(InputError) as info:
        MCNDInstance(**_fields(**changes))
    assert info.value.field == field


def test_instance_arrays_are_read_only_copies():
    tail = np.array([0, 1])
    instance = MCNDInstance(**_fields(arc_tail=tail))
    tail[0] = 2
    assert instance.arc_tail[0] == 0
    with pytest.raises(ValueError, match="read-only"):
        instance.arc_capacity[0] = 1.0

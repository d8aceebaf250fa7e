"""Loading scenario files: values as yaml.safe_load reads them, and errors that point at the line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import silkroad_routing as sr
from silkroad_routing.io.yaml_lines import read_yaml_with_lines
from silkroad_routing.scenario.load import read_scenario
from silkroad_routing.scenario.runner import prepare

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def line_of(text: str, snippet: str) -> int:
    """1-based line of the first occurrence of ``snippet`` (the independent reference)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if snippet in line:
            return number
    raise AssertionError(f"{snippet!r} not in the text")


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_yaml_reader_agrees_with_safe_load(path: Path) -> None:
    data, lines = read_yaml_with_lines(path)
    assert data == yaml.safe_load(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8").splitlines()
    for loc, line in lines.items():
        if loc and isinstance(loc[-1], str):  # a mapping key is written on its line
            assert f"{loc[-1]}:" in text[line - 1], (loc, line)


def test_relative_paths_resolve_against_the_scenario_file(tmp_path: Path, mini_scenario_text: str
                                                          ) -> None:
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "orders.csv").write_text("id,origin,destination,ready,weight_kg,volume_m3\n"
                                       "F1,CGO,LUX,2026-11-05,100,1\n", encoding="utf-8")
    text = mini_scenario_text.replace("demand:\n", "demand:\n  file: {path: orders.csv}\n")
    text += "outputs: {folder: results}\n"
    (folder / "s.yaml").write_text(text, encoding="utf-8")
    scenario = read_scenario(folder / "s.yaml").scenario
    assert scenario.demand.file is not None
    assert scenario.demand.file.path == folder / "orders.csv"
    assert scenario.outputs.folder == folder / "results"
    assert "F1" in set(prepare(folder / "s.yaml").shipments.id)


# (description, replace this, with this, the error's field, the line's marker, the value)
BAD_INPUTS = [
    ("unknown key (a typo)", "  timezone:", "  timezon:", "horizon.timezon", "timezon:", "timezon"),
    ("missing required field", "network: ", "networc: ", "networc", "networc:", "networc"),
    ("negative weight", "weight_kg: 12000", "weight_kg: -12000", "demand.shipments[1].weight_kg",
     "weight_kg: -12000", -12000),
    ("due before ready", "due: 2026-12-10", "due: 2026-11-01", "demand.shipments[1].due",
     "due: 2026-11-01", "2026-11-01"),
    ("unknown hub code inline", "origin: ZZRT", "origin: ZZRX", "demand.shipments[1].origin",
     "origin: ZZRX", "ZZRX"),
    ("unknown hub code in an edit", "BRE-MAL: {extra", "BRE-MAX: {extra", "edits.hubs.BRE-MAX",
     "BRE-MAX:", "BRE-MAX"),
    ("unknown hub code in a flow", "destinations: [LUX]", "destinations: [LUXX]",
     "demand.generate.flows[0].destinations[0]", "destinations: [LUXX]", "LUXX"),
    ("unknown enum value", "objective: cheapest", "objective: cheapset", "task.objective",
     "objective: cheapset", "cheapset"),
    ("ready outside the horizon", "ready: 2026-11-04", "ready: 2026-10-04",
     "demand.shipments[1].ready", "ready: 2026-10-04", "2026-10-04 00:00:00"),
    ("duplicate shipment id", "id: S2", "id: S1", "demand.shipments[1].id", "- id: S1", "S1"),
    ("unknown time zone", "Asia/Shanghai", "Asia/Zhengzhou", "horizon.timezone", "Asia/Zhengzhou",
     "Asia/Zhengzhou"),
]


@pytest.mark.parametrize(("old", "new", "field", "marker", "value"),
                         [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_names_file_line_field_and_value(
    mini_scenario_text: str, write_scenario: Callable[..., Path], old: str, new: str, field: str,
    marker: str, value: object,
) -> None:
    assert old in mini_scenario_text
    text = mini_scenario_text.replace(old, new, 1)
    path = write_scenario(text)
    with pytest.raises(sr.ScenarioError) as info:
        prepare(path)
    err = info.value
    assert err.file == str(path)
    assert err.field == field
    assert err.line == line_of(text, marker)
    assert err.value == value
    assert str(path) in str(err) and field in str(err)


def test_missing_field_names_the_field(mini_scenario_text: str, write_scenario: Callable[..., Path]
                                       ) -> None:
    text = "\n".join(line for line in mini_scenario_text.splitlines()
                     if not line.startswith("network:"))
    with pytest.raises(sr.ScenarioError, match="required field is missing") as info:
        prepare(write_scenario(text))
    assert info.value.field == "network"


def test_yaml_syntax_error_names_the_line(mini_scenario_text: str,
                                          write_scenario: Callable[..., Path]) -> None:
    text = mini_scenario_text.replace("days: 14", "days: [14")
    with pytest.raises(sr.ScenarioError, match="YAML syntax error") as info:
        prepare(write_scenario(text))
    # PyYAML reports where it noticed the problem: at or after the unclosed bracket.
    assert info.value.line is not None and info.value.line >= line_of(text, "days: [14")


def test_duplicate_key_is_an_error(mini_scenario_text: str, write_scenario: Callable[..., Path]
                                   ) -> None:
    text = mini_scenario_text + "seed: 8\n"
    with pytest.raises(sr.ScenarioError, match="duplicate key") as info:
        prepare(write_scenario(text))
    assert info.value.line == len(text.splitlines())


def test_typo_suggests_the_key(mini_scenario_text: str, write_scenario: Callable[..., Path]) -> None:
    text = mini_scenario_text.replace("  hubs:", "  hubz:")
    with pytest.raises(sr.ScenarioError, match="did you mean 'hubs'"):
        prepare(write_scenario(text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(sr.ScenarioError, match="file not found") as info:
        prepare(tmp_path / "nope.yaml")
    assert info.value.file == str(tmp_path / "nope.yaml")


def test_unknown_network(mini_scenario_text: str, write_scenario: Callable[..., Path]) -> None:
    text = "\n".join("network: no_such_network" if line.startswith("network:") else line
                     for line in mini_scenario_text.splitlines())
    with pytest.raises(sr.ScenarioError) as info:
        prepare(write_scenario(text))
    assert (info.value.field, info.value.value) == ("network", "no_such_network")
    assert info.value.line == line_of(text, "network: no_such_network")

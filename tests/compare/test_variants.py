"""Variants: overrides by dotted path, the variant validated like a scenario, and errors that
name the variant, the path, the value and the line of the override."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from options_scenario import SECOND_TRAIN, VARIANTS_YAML, mini_document

from silkroad_routing.cli import main
from silkroad_routing.errors import InputError, ScenarioError
from silkroad_routing.scenario.load import read_scenario
from silkroad_routing.scenario.variants import (
    check_variants,
    parse_override_path,
    variant_scenario,
)


def _line_of(path: Path, snippet: str) -> int:
    """The last line of the file that contains ``snippet`` (the variants come last)."""
    return max(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if snippet in line)


@pytest.mark.parametrize(("path", "parts"), [
    ("task.objective", ("task", "objective")),
    ("edits.hubs.BRE-MAL.extra_dwell_h", ("edits", "hubs", "BRE-MAL", "extra_dwell_h")),
    ("demand.generate.flows[1].shipments", ("demand", "generate", "flows", 1, "shipments")),
    ("demand.shipments[0]", ("demand", "shipments", 0)),
])
def test_parse_override_path(path: str, parts: tuple[str | int, ...]) -> None:
    assert parse_override_path(path) == parts


@pytest.mark.parametrize("path", ["", "task..objective", "task.objective.", "flows[x]", "a b"])
def test_malformed_paths(path: str) -> None:
    with pytest.raises(ValueError, match="override path"):
        parse_override_path(path)


def test_overrides_set_replace_and_create(options_file: Path) -> None:
    source = read_scenario(options_file)
    base = variant_scenario(source, "base").scenario
    assert base.variants == () and base.name == "mini"
    train = variant_scenario(source, "second_train").scenario
    assert train.name == "mini.second_train"
    assert [s.id for s in train.edits.add_services] == [SECOND_TRAIN["id"]]
    assert train.edits.hubs == base.edits.hubs  # untouched siblings stay
    fastest = variant_scenario(source, "fastest").scenario
    assert str(fastest.task.objective) == "fastest"
    assert fastest.demand.generate is not None and base.demand.generate is not None
    assert fastest.demand.generate.flows[0].shipments == 3
    assert fastest.demand.generate.flows[1] == base.demand.generate.flows[1]
    cgo = variant_scenario(source, "cgo_plus_50").scenario  # a section created on the way
    assert cgo.edits.hubs["CGO"].capacity_factor == 1.5
    assert cgo.edits.hubs["BRE-MAL"] == base.edits.hubs["BRE-MAL"]


@pytest.mark.parametrize(("overrides", "snippet", "message"), [
    ({"edits.hubs.CGO.capacity_tday": 4500}, "capacity_tday",
     "did you mean 'capacity_t_day'"),
    ({"edits.hubs.CGO.capacity_t_day": -5}, "capacity_t_day", "greater than or equal to 0"),
    ({"task.objective": "fastests"}, "task.objective", "did you mean 'fastest'"),
    ({"demand.generate.flows[5].shipments": 3}, "flows[5]", "out of range"),
    ({"horizon.days.max": 3}, "horizon.days.max", "single value, not a section"),
    ({"variants": []}, "variants: []", "a variant cannot set 'variants'"),
    ({"edits.hubs.CGO": {"capacity_t_day": 1, "dwell": 2}}, "edits.hubs.CGO",
     "edits.hubs.CGO.dwell: unknown key"),
    # Found by the network edits, not the schema: an unknown hub code.
    ({"edits.hubs.XYZ.capacity_t_day": 100}, "XYZ", "unknown hub"),
])
def test_bad_override_names_variant_path_value_and_line(
    overrides: dict[str, Any], snippet: str, message: str,
    write_document: Callable[[dict[str, Any], str], Path],
) -> None:
    document = {**mini_document(), "variants": [
        {"name": "fine", "overrides": {"task.objective": "fastest"}},
        {"name": "bad", "overrides": overrides}]}
    path = write_document(document, "bad")
    source = read_scenario(path)
    with pytest.raises(ScenarioError) as info:
        check_variants(source)
    error = info.value
    path_written = next(iter(overrides))
    assert "variant 'bad'" in error.reason and message in str(error), str(error)
    assert error.file == str(path)
    assert error.line == _line_of(path, snippet)
    if "unknown hub" not in message:
        assert error.field == path_written
    variant_scenario(source, "fine")  # the other variant is fine


def test_variant_names_checked(write_document: Callable[[dict[str, Any], str], Path]) -> None:
    for variants, message in (
        ([{"name": "base", "overrides": {"task.objective": "fastest"}}], "names the scenario"),
        ([{"name": "a", "overrides": {"task.objective": "fastest"}}] * 2, "two variants are named 'a'"),
        ([{"name": "a", "overrides": {}}], "at least 1"),
    ):
        path = write_document({**mini_document(), "variants": variants}, "names")
        with pytest.raises(ScenarioError, match=message):
            read_scenario(path)
    source = read_scenario(write_document(mini_document(), "none"))
    with pytest.raises(InputError, match="the scenario has no variants"):
        variant_scenario(source, "a")


def test_validate_checks_every_variant(
    options_file: Path, write_document: Callable[[dict[str, Any], str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(options_file)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err.startswith("error:") and "variant 'typo'" in err
    assert f"line {_line_of(options_file, 'capacity_tday')}" in err and "(value: 4500)" in err
    good = yaml.safe_load(VARIANTS_YAML)
    good["variants"] = [v for v in good["variants"] if v["name"] != "typo"]
    path = write_document({**mini_document(), **good}, "good")
    assert main(["validate", str(path)]) == 0
    assert "5 variants" in capsys.readouterr().out


def test_relative_paths_in_overrides_start_at_the_scenario_folder(
    write_document: Callable[[dict[str, Any], str], Path], tmp_path: Path,
) -> None:
    shutil.copytree(Path(mini_document()["network"]), tmp_path / "copied_network")
    path = write_document({**mini_document(), "variants": [
        {"name": "copy", "overrides": {"network": "copied_network"}}]}, "relative")
    variant = variant_scenario(read_scenario(path), "copy").scenario
    assert Path(variant.network) == (tmp_path / "copied_network").resolve()

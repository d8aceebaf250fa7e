"""The command line's conventions: --version, shell completion, a clean --help, and the public
names of the package."""

from __future__ import annotations

import inspect
import itertools
from pathlib import Path

import pytest
import typer

import silkroad_routing as sr
from silkroad_routing.cli import app, main

COMMANDS = ("validate", "run", "route", "matrix", "schema", "compare", "sweep", "network")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"silkroad-routing {sr.__version__}"


def test_shell_completion_script(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHELL", "/bin/bash")
    assert main(["--show-completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert "complete" in script and "_SILKROAD_COMPLETE" in script


@pytest.mark.parametrize("command", [(), *((c,) for c in COMMANDS), ("network", "show")])
def test_help_is_clean(command: tuple[str, ...], capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert main([*command, "--help"]) == 0
    text = capsys.readouterr().out
    assert "<bool>" not in text  # flags take no value
    assert "╭" not in text  # plain text: pipes and narrow terminals read it
    # The command's description is its docstring's first paragraph, refilled: each line but
    # the last is full (the next word would not fit), so no docstring line break survives.
    node = typer.main.get_command(app)
    for name in command:
        node = node.commands[name]  # type: ignore[attr-defined]
    words = inspect.cleandoc(node.help or "").split("\n\n")[0].split()
    lines = text.split("\n\n")[1].splitlines()
    assert " ".join(" ".join(lines).split()) == " ".join(words)
    width = max(len(line) for line in lines)
    for line, after in itertools.pairwise(lines):
        assert len(line) + 1 + len(after.split()[0]) > width - 2, (line, after)


def test_dir_lists_public_names_only() -> None:
    names = dir(sr)
    for helper in ("Any", "TYPE_CHECKING", "importlib", "logging", "annotations"):
        assert helper not in names
    for public in ("route", "Shipment", "load_network", "io", "matrix", "__version__"):
        assert public in names
    assert all(hasattr(sr, n) for n in names)


def test_run_prints_where_the_workbook_and_itineraries_are(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(__file__).parents[1] / "data"
    text = (data / "mini_scenario.yaml").read_text(encoding="utf-8").replace(
        "network: mini_network", f"network: {(data / 'mini_network').resolve()}")
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(text + "outputs: {formats: [csv, xlsx]}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(scenario), "--out", str(out)]) == 0
    printed = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert f"workbook: {out / 'workbook.xlsx'}" in printed
    assert f"itineraries: {out / 'itineraries.csv'}" in printed
    assert (out / "workbook.xlsx").is_file() and (out / "itineraries.csv").is_file()

"""``silkroad validate | run | schema``: exit codes, one-line errors, files written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from silkroad_routing.cli import main
from silkroad_routing.scenario.schema import scenario_json_schema

DATA = Path(__file__).resolve().parents[1] / "data"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture
def mini_scenario(tmp_path: Path) -> Path:
    """The mini scenario copied into a temporary folder (network path made absolute)."""
    text = (DATA / "mini_scenario.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mini.yaml"
    path.write_text(text.replace("network: mini_network",
                                 f"network: {(DATA / 'mini_network').resolve()}"), encoding="utf-8")
    return path


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    """The single error line a bad input must produce (and no traceback)."""
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "Traceback" not in captured.err + captured.out
    assert err.startswith("error:"), err
    assert len(err.splitlines()) == 1 or not any(
        line.startswith("error:") for line in err.splitlines()[1:]), err
    return " ".join(err.split())  # undo the console's line wrapping


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_scenario_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0
    assert "ok" in capsys.readouterr().out


def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(printed)
    out = tmp_path / "scenario.schema.json"
    assert main(["schema", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == printed


BAD_INPUTS = [
    # (case, text replaced, replacement, the line to name (a snippet of it), what else the one
    # message must contain)
    ("yaml syntax error", "days: 14", "days: [14", "days: [14", ["YAML syntax error"]),
    ("unknown key", "  timezone:", "  timezon:", "timezon:",
     ["horizon.timezon", "'timezon'", "did you mean 'timezone'"]),
    ("missing required field", "name: mini\n", "", None, ["'name'", "required field is missing"]),
    ("unknown hub code", "origin: ZZRT", "origin: ZZRX", "origin: ZZRX",
     ["demand.shipments[1].origin", "'ZZRX'", "unknown hub code"]),
    ("negative weight", "weight_kg: 12000", "weight_kg: -12000", "weight_kg: -12000",
     ["demand.shipments[1].weight_kg", "-12000"]),
    ("due before ready", "due: 2026-12-10", "due: 2026-11-01", "due: 2026-11-01",
     ["demand.shipments[1].due", "'2026-11-01'", "not after the ready date"]),
]


def line_of(text: str, snippet: str) -> int:
    """1-based line of the first occurrence of ``snippet``."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if snippet in line)


@pytest.mark.parametrize(("old", "new", "marker", "expected"), [c[1:] for c in BAD_INPUTS],
                         ids=[c[0] for c in BAD_INPUTS])
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_scenario_exits_2_with_one_message(mini_scenario: Path, tmp_path: Path, command: str,
                                               old: str, new: str, marker: str | None,
                                               expected: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    text = mini_scenario.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    mini_scenario.write_text(text, encoding="utf-8")
    extra = ["--out", str(tmp_path / "out"), "--fast"] if command == "run" else []
    assert main([command, str(mini_scenario), *extra]) == 2
    message = _one_error(capsys)
    assert str(mini_scenario) in message
    if marker is not None:
        expected = [*expected, f"line {line_of(text, marker)}"]
    for part in expected:
        assert part in message, (part, message)
    assert not (tmp_path / "out").exists(), "bad input must not create outputs"


def test_bad_demand_file_row(mini_scenario: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,origin,destination,ready,weight_kg,volume_m3\n"
                      "D1,CGO,LUX,2026-11-05,100,1\n"
                      "D2,CGO,LUX,2026-11-05,heavy,1\n", encoding="utf-8")
    text = mini_scenario.read_text(encoding="utf-8")
    mini_scenario.write_text(text.replace("demand:\n", "demand:\n  file: {path: orders.csv}\n"),
                             encoding="utf-8")
    assert main(["validate", str(mini_scenario)]) == 2
    message = _one_error(capsys)
    for part in (str(orders), "row 2", "field 'weight_kg'", "'heavy'"):
        assert part in message, (part, message)


def test_missing_files(tmp_path: Path, mini_scenario: Path, capsys: pytest.CaptureFixture[str]
                       ) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["validate", str(missing)]) == 2
    assert str(missing) in _one_error(capsys)
    text = mini_scenario.read_text(encoding="utf-8")
    mini_scenario.write_text(text.replace("demand:\n", "demand:\n  file: {path: gone.csv}\n"),
                             encoding="utf-8")
    assert main(["validate", str(mini_scenario)]) == 2
    assert "gone.csv" in _one_error(capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_output_folder(tmp_path: Path, mini_scenario: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["run", str(mini_scenario), "--fast", "--out", str(locked / "out")]) == 2
    finally:
        locked.chmod(0o700)
    assert "--out" in _one_error(capsys)


def test_output_folder_that_cannot_be_created(tmp_path: Path, mini_scenario: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "out"  # a folder below a regular file cannot be created
    assert main(["run", str(mini_scenario), "--fast", "--out", str(target)]) == 2
    message = _one_error(capsys)
    assert "--out" in message and str(target) in message and "cannot be written" in message
    text = mini_scenario.read_text(encoding="utf-8") + f"outputs: {{folder: {target}}}\n"
    mini_scenario.write_text(text, encoding="utf-8")
    assert main(["run", str(mini_scenario), "--fast"]) == 2
    message = _one_error(capsys)
    assert "outputs.folder" in message and f"line {len(text.splitlines())}" in message


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_scenario_runs_fast(path: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import silkroad_routing as sr
    from silkroad_routing.scenario.load import load_scenario

    monkeypatch.setenv("COLUMNS", "160")  # one line per table row

    before = path.read_bytes()
    out = tmp_path / "out"
    code = main(["run", str(path), "--fast", "--out", str(out)])
    assert path.read_bytes() == before, "--fast must not edit the scenario file"
    if load_scenario(path).task.kind == "design" and not hasattr(sr, "design"):
        assert code == 2 and "not yet available" in _one_error(capsys)
        return
    assert code == 0, capsys.readouterr().err
    printed = " ".join(capsys.readouterr().out.split())
    assert "shipments routed" in printed and "(fast mode)" in printed
    kpis = json.loads((out / "kpis.json").read_text(encoding="utf-8"))
    assert kpis["fast"] and kpis["kpis"]["shipments"] > 0
    assert kpis["kpis"]["shipments_routed"] == kpis["kpis"]["shipments"]
    for name in ("plan.csv", "plan.parquet", "shipments.csv", "shipments.parquet"):
        assert (out / name).stat().st_size > 0
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no staging folder left"

"""Same inputs, same bytes: every bundled scenario, run in three processes with different
``PYTHONHASHSEED``, writes byte-identical files (CSV, Parquet, JSON, GeoJSON, GeoPackage, HTML
and PNG maps).

The runs use fast mode shrunk further (20 shipments) to stay quick. Solvers stop on
wall-clock limits, so a design cut short by a busy machine can differ from one that converged:
the runs here get a time limit far above what these small designs need, so that what is
compared is the library's determinism, not the machine's speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
HASH_SEEDS = ("0", "1", "2")

DRIVER = """
import sys
from pathlib import Path
import silkroad_routing.scenario.runner as runner
runner.FAST_MAX_SHIPMENTS = 20
runner.FAST_TIME_LIMIT_S = 120.0
for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    runner.run_scenario(path, out=Path(sys.argv[2]) / path.stem, fast=True)
"""


def _files(root: Path) -> dict[str, bytes]:
    """Every file an output folder shows, by path below it (through the set links)."""
    found = {}
    for folder in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found[str(path.relative_to(root))] = path.read_bytes()
    return found


def test_bundled_scenarios_give_the_same_bytes(tmp_path: Path) -> None:
    runs = {}
    for seed in HASH_SEEDS:  # started together: the three runs share the machine's cores
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs[seed] = subprocess.Popen([sys.executable, "-c", DRIVER, str(SCENARIOS),
                                       str(tmp_path / seed)], env=env, stderr=subprocess.PIPE)
    for seed, process in runs.items():
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, (seed, err.decode())
    first = _files(tmp_path / HASH_SEEDS[0])
    scenarios = {name.split("/")[0] for name in first}
    assert scenarios == {p.stem for p in SCENARIOS.glob("*.yaml")}
    assert any(name.endswith(".gpkg") for name in first) and any(
        name.endswith(".png") for name in first)
    for seed in HASH_SEEDS[1:]:
        other = _files(tmp_path / seed)
        assert sorted(other) == sorted(first), seed
        differ = [name for name in first if first[name] != other[name]]
        assert differ == [], (seed, differ)


def test_a_design_stopped_by_its_work_limit_gives_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``max_rounds`` stops column generation after one pricing round, short of convergence,
    at the same point in every run: two runs write the same files. (A run stopped by the time
    limit instead says so: ``stopped_by_time_limit`` in design.json.)"""
    from silkroad_routing.scenario import runner

    monkeypatch.setattr(runner, "FAST_TIME_LIMIT_S", 120.0)  # far above what one round needs
    text = (SCENARIOS / "peak_month_charter_design.yaml").read_text(encoding="utf-8")
    scenario = tmp_path / "design.yaml"
    scenario.write_text(text.replace("  mip_gap: 0.01\n", "  mip_gap: 0.01\n  max_rounds: 1\n"),
                        encoding="utf-8")
    for run in ("a", "b"):
        result = runner.run_scenario(scenario, out=tmp_path / run / "out", fast=True)
        assert result.design is not None
        assert result.design.stats["rounds"] == 1 and not result.design.stats["converged"]
        assert not result.design.stopped_by_time_limit
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(first) == sorted(second) and "out/design.json" in first
    document = json.loads(first["out/design.json"])
    assert document["design"]["stopped_by_time_limit"] is False
    assert "wall_time_s" not in document["design"]
    assert [name for name in first if first[name] != second[name]] == []

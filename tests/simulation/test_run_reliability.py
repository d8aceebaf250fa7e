"""``silkroad run --reliability N`` and ``task.reliability_samples``: reliability.csv,
reliability_departures.csv, reliability_corridors.csv and the corridor chart in the output set
(byte-identical run after run), the simulated on-time share in the KPIs and in a
comparison row; a bad sample count named."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import silkroad_routing as sr
from silkroad_routing.cli import main
from silkroad_routing.comparison.rows import RELIABILITY_COLUMN, corridor_column, kpi_row
from silkroad_routing.scenario import run_scenario
from silkroad_routing.simulation import (
    CORRIDOR_RELIABILITY_COLUMNS,
    DEPARTURE_RELIABILITY_COLUMNS,
    SHIPMENT_RELIABILITY_COLUMNS,
)
from silkroad_routing.tables.rounding import rounded

DATA = Path(__file__).parents[1] / "data"
UNCERTAINTY = """uncertainty:
  hubs:
    BRE-MAL: {extra_dwell_h: {distribution: triangular, low: 0, mode: 48, high: 384}}
  modes:
    rail: {cancel_probability: 0.05}
"""


def _scenario(tmp_path: Path, task_extra: str = "", formats: str = "csv, json") -> Path:
    text = (DATA / "mini_scenario.yaml").read_text(encoding="utf-8").replace(
        "network: mini_network", f"network: {(DATA / 'mini_network').resolve()}")
    path = tmp_path / "mini.yaml"
    path.write_text(text + task_extra + f"outputs: {{formats: [{formats}]}}\n" + UNCERTAINTY,
                    encoding="utf-8")
    return path


def _header(path: Path) -> tuple[str, ...]:
    with path.open(encoding="utf-8") as f:
        return tuple(next(csv.reader(f)))


def test_run_with_reliability_writes_the_tables(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(_scenario(tmp_path)), "--out", str(out), "--reliability", "50"]) == 0
    assert "on time, simulated (50 samples)" in " ".join(capsys.readouterr().out.split())
    assert _header(out / "reliability.csv") == SHIPMENT_RELIABILITY_COLUMNS
    assert _header(out / "reliability_departures.csv") == DEPARTURE_RELIABILITY_COLUMNS
    assert set(CORRIDOR_RELIABILITY_COLUMNS) <= set(_header(out / "reliability_corridors.csv"))
    kpis = json.loads((out / "kpis.json").read_text(encoding="utf-8"))
    assert 0.0 <= kpis["kpis"]["reliability_on_time_share"] <= 1.0


def test_probabilities_are_written_to_four_places() -> None:
    """Shares over 7 samples (1/7 = 0.142857...) are written as 0.1429, like other shares."""
    table = pd.DataFrame({"p_on_time": [1 / 7], "p_stranded": [2 / 7], "p_missed": [3 / 7]})
    assert rounded(table).iloc[0].tolist() == [0.1429, 0.2857, 0.4286]


def test_task_field_runs_the_replay_and_reports_it_per_variant(tmp_path: Path) -> None:
    result = run_scenario(_scenario(tmp_path, "  reliability_samples: 30\n"))
    assert result.reliability is not None and result.reliability.samples == 30
    row = kpi_row(result)
    assert row[RELIABILITY_COLUMN] == pytest.approx(result.reliability.on_time_share)
    again = run_scenario(_scenario(tmp_path, "  reliability_samples: 30\n"))
    assert again.reliability is not None
    assert again.reliability.shipments.equals(result.reliability.shipments)


def test_corridor_files_are_byte_identical_run_after_run(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path, formats="csv, png")
    outs = [tmp_path / "first", tmp_path / "second"]
    for out in outs:
        assert main(["run", str(scenario), "--out", str(out), "--reliability", "40"]) == 0
    for name in ("reliability_corridors.csv", "reliability_corridors.png"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert (outs[0] / "reliability_corridors.png").read_bytes().startswith(b"\x89PNG")


def test_without_reliability_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(_scenario(tmp_path)), "--out", str(out)]) == 0
    assert not (out / "reliability.csv").exists()
    assert not (out / "reliability_corridors.csv").exists()
    assert "reliability_on_time_share" not in json.loads(
        (out / "kpis.json").read_text("utf-8"))["kpis"]


def test_bad_sample_count_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(_scenario(tmp_path, "  reliability_samples: -1\n"))]) == 2
    assert "reliability_samples" in capsys.readouterr().err


RELIABLE_TASK = "  capacity: ignore\n  reliability_samples: 60\n  reliability_target: 0.9\n"


def test_reliability_target_routes_for_it(tmp_path: Path) -> None:
    """task.reliability_target plans with sr.route_reliable; the replay written beside it is the
    chosen routes' own (common random numbers: the same P(on time) per shipment)."""
    out = tmp_path / "out"
    assert main(["run", str(_scenario(tmp_path, RELIABLE_TASK)), "--out", str(out)]) == 0
    result = run_scenario(_scenario(tmp_path, RELIABLE_TASK))
    assert result.plan.objective == "reliable" and result.reliability is not None
    planned = result.plan.shipments[result.plan.shipments["routed"]].set_index("shipment_id")
    replayed = result.reliability.shipments.set_index("shipment_id")["p_on_time"]
    assert replayed.to_numpy() == pytest.approx(planned["p_on_time"].reindex(replayed.index))
    assert ((replayed >= 0.9) == planned["meets_target"].reindex(replayed.index)).all()
    assert (out / "reliability.csv").exists()


@pytest.mark.parametrize("task", [
    "  reliability_target: 0.9\n  reliability_samples: 10\n",  # capacity left to respect
    "  capacity: ignore\n  reliability_target: 0.9\n",  # nothing replayed
    "  capacity: ignore\n  reliability_samples: 10\n  reliability_target: 1.5\n",
])
def test_bad_reliability_target_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         task: str) -> None:
    assert main(["run", str(_scenario(tmp_path, task))]) == 2
    assert "reliability_target" in capsys.readouterr().err


EXPECTED_TASK = ("  capacity: ignore\n  reliability_samples: 60\n"
                 "  reliability_lateness_usd_per_t_h: 40\n")


def test_reliability_lateness_routes_by_expected_cost(tmp_path: Path) -> None:
    """task.reliability_lateness_usd_per_t_h plans with sr.route_expected and that penalty: the
    same routes as calling it on the scenario's problem, replayed beside the plan."""
    from silkroad_routing.scenario.runner import _problem, prepare

    path = _scenario(tmp_path, EXPECTED_TASK)
    result = run_scenario(path)
    assert result.plan.objective == "expected cost" and result.reliability is not None
    prepared = prepare(path)
    direct = sr.route_expected(_problem(prepared), prepared.scenario.uncertainty, 60,
                               prepared.scenario.seed, 40.0)
    assert result.plan.legs[["shipment_id", "departure_id"]].equals(
        direct.plan.legs[["shipment_id", "departure_id"]])
    planned = result.plan.shipments[result.plan.shipments["routed"]].set_index("shipment_id")
    replayed = result.reliability.shipments.set_index("shipment_id")["p_on_time"]
    assert replayed.to_numpy() == pytest.approx(planned["p_on_time"].reindex(replayed.index))


@pytest.mark.parametrize("task", [
    EXPECTED_TASK + "  reliability_target: 0.9\n",  # one reliability objective at a time
    "  capacity: ignore\n  reliability_samples: 10\n  reliability_lateness_usd_per_t_h: -1\n",
    "  capacity: ignore\n  reliability_samples: 10\n  reliability_lateness_usd_per_t_h: .nan\n",
    "  reliability_samples: 10\n  reliability_lateness_usd_per_t_h: 5\n",  # capacity respected
])
def test_bad_reliability_lateness_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           task: str) -> None:
    assert main(["run", str(_scenario(tmp_path, task))]) == 2
    assert "reliability_lateness_usd_per_t_h" in capsys.readouterr().err


VARIANTS = """variants:
  - name: long_queue
    overrides:
      edits.hubs.BRE-MAL.extra_dwell_h: 240
"""


def test_compare_and_sweep_tables_report_p_on_time_per_corridor(tmp_path: Path) -> None:
    """Per variant, the simulated on-time share and one column per corridor of its replay,
    equal to the run's own corridor table; the sweep summary has their statistics."""
    path = _scenario(tmp_path, "  reliability_samples: 40\n")
    path.write_text(path.read_text(encoding="utf-8") + VARIANTS, encoding="utf-8")
    compared = sr.compare(path)
    table = compared.table.set_index("variant")
    for variant, result in compared.results.items():
        assert result.reliability is not None
        assert table.loc[variant, RELIABILITY_COLUMN] == pytest.approx(
            result.reliability.on_time_share)
        corridors = result.reliability.corridors
        assert len(corridors) > 0
        for row in corridors.itertuples():
            column = corridor_column(row.origin, row.destination, row.modes)
            assert table.loc[variant, column] == pytest.approx(row.p_on_time)
    assert compared.indicators.count(RELIABILITY_COLUMN) == 1
    assert set(compared.differences["indicator"]) >= {
        c for c in table.columns if c.startswith("corridor.")}
    swept = sr.sweep(path, {"edits.hubs.CGO.capacity_t_day": [2000, 4000]}, workers=0)
    assert RELIABILITY_COLUMN in swept.table.columns
    assert RELIABILITY_COLUMN not in swept.parameters
    assert any(c.startswith("corridor.") and c.endswith(".p_on_time") for c in swept.table)


def test_workbook_has_the_reliability_sheets(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from silkroad_routing.tables.workbook import RELIABILITY_SHEETS, SHEETS

    out = tmp_path / "out"
    assert main(["run", str(_scenario(tmp_path, formats="csv, xlsx")), "--out", str(out),
                 "--reliability", "30"]) == 0
    book = load_workbook(out / "workbook.xlsx", read_only=True)
    assert tuple(book.sheetnames) == (*SHEETS, *RELIABILITY_SHEETS)
    for sheet in RELIABILITY_SHEETS:
        rows = list(book[sheet].values)
        frame = pd.read_csv(out / f"{sheet}.csv")
        assert list(rows[0]) == list(frame.columns)
        assert len(rows) - 1 == len(frame)
        cells = pd.DataFrame(rows[1:], columns=list(rows[0]))
        assert list(cells["p_on_time" if sheet != "reliability_departures" else "p_missed"]
                    ) == list(frame["p_on_time" if sheet != "reliability_departures"
                                    else "p_missed"])

"""Sweep summaries: mean, P5 and P95 per option, recomputed with pandas; failed runs left out;
the default sweep table never overwrites an earlier one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from silkroad_routing.cli.compare import _unused
from silkroad_routing.comparison.summary import summarize


def _table() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 40
    return pd.DataFrame({
        "variant": ["base"] * 20 + ["slow"] * 20,
        "edits.hubs.CGO.capacity_t_day": ([2000] * 10 + [4000] * 10) * 2,
        "sample": list(range(10)) * 4,
        "status": ["ok"] * 38 + ["failed", "error"],
        "error": [""] * n,
        "total_cost_usd": rng.normal(1e6, 5e4, n),
        "on_time_share": rng.uniform(0.5, 1.0, n),
        "hub.CGO.utilisation_peak": rng.uniform(0, 1.2, n),
    })


def test_summary_matches_pandas_quantiles() -> None:
    table = _table()
    keys = ["variant", "edits.hubs.CGO.capacity_t_day"]
    summary = summarize(table, keys)
    finished = table[table["status"] == "ok"]
    grouped = finished.groupby(keys, sort=False)
    assert list(summary["runs"]) == list(grouped.size()) == [10, 10, 10, 8]
    for column in ("total_cost_usd", "on_time_share", "hub.CGO.utilisation_peak"):
        np.testing.assert_allclose(summary[f"{column}.mean"], grouped[column].mean())
        np.testing.assert_allclose(summary[f"{column}.p5"], grouped[column].quantile(0.05))
        np.testing.assert_allclose(summary[f"{column}.p95"], grouped[column].quantile(0.95))
    assert list(summary.columns[:3]) == [*keys, "runs"]
    assert (summary["total_cost_usd.p5"] <= summary["total_cost_usd.mean"]).all()
    assert (summary["total_cost_usd.mean"] <= summary["total_cost_usd.p95"]).all()


def test_default_sweep_table_is_never_overwritten(tmp_path: Path) -> None:
    first = tmp_path / "sweep.parquet"
    assert _unused(first) == first
    first.write_bytes(b"earlier")
    second = _unused(first)
    assert second == tmp_path / "sweep-2.parquet"
    second.write_bytes(b"earlier too")
    assert _unused(first) == tmp_path / "sweep-3.parquet"
    assert first.read_bytes() == b"earlier"


@pytest.mark.parametrize("status", ["failed", "error"])
def test_an_option_whose_runs_all_failed_has_no_row(status: str) -> None:
    table = _table().assign(status=status)
    assert summarize(table, ["variant"]).empty


def test_printed_sweep_shows_mean_and_percentiles_per_option() -> None:
    from rich.console import Console

    from silkroad_routing.cli.compare import print_sweep
    from silkroad_routing.comparison import SweepResult
    from silkroad_routing.comparison.rows import KPI_COLUMNS

    table = _table()
    for column in KPI_COLUMNS:
        table[column] = table.get(column, 1.0)
    scenario = type("S", (), {"name": "mini"})()
    result = SweepResult(scenario, table, ("edits.hubs.CGO.capacity_t_day", "sample"), 2.0,  # type: ignore[arg-type]
                         "this process")
    console = Console(record=True, width=250)
    print_sweep(result, console)
    printed = console.export_text()
    assert "per option the mean over its samples [P5, P95]" in printed
    summary = result.summary
    first = summary.iloc[0]
    expected = (f"{first['total_cost_usd.mean']:,.0f} [{first['total_cost_usd.p5']:,.0f}, "
                f"{first['total_cost_usd.p95']:,.0f}]")
    assert expected in printed
    assert "2 of 40 runs did not finish" in printed


def test_sweep_command_writes_the_summary_beside_the_table(
        options_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from silkroad_routing.cli import main

    out = tmp_path / "sweep.csv"
    assert main(["sweep", str(options_file), "--samples", "3", "--seed", "5", "--workers", "0",
                 "--fast", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    summary = pd.read_csv(tmp_path / "sweep.summary.csv")
    assert len(table) == 3 and len(summary) == 1 and summary.at[0, "runs"] == 3
    finished = table[table["status"].isin(["ok", "infeasible"])]
    for column in ("total_cost_usd", "transit_days_mean", "co2e_t"):
        assert summary.at[0, f"{column}.mean"] == pytest.approx(finished[column].mean())
        assert summary.at[0, f"{column}.p95"] == pytest.approx(finished[column].quantile(0.95))
    assert "sweep.summary.csv" in " ".join(capsys.readouterr().out.split())

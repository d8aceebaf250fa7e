"""sr.sweep and silkroad sweep: a Dask LocalCluster gives the local process pool's table row for
row; same seed, same draws (recomputed, and checked against scipy's distributions); failing runs
in their own rows; grid parsing and bad options exit 2."""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from options_scenario import VARIANT_EDITS, mini_document
from scipy import stats

import silkroad_routing as sr
from silkroad_routing.cli import main
from silkroad_routing.comparison import executors
from silkroad_routing.comparison.draws import draw
from silkroad_routing.comparison.grid import grid_points, parse_grid, parse_grid_spec
from silkroad_routing.errors import InputError
from silkroad_routing.scenario.schema import Lognormal, Triangular, Uniform

GRID = {"edits.hubs.CGO.capacity_t_day": [2000, 4000]}
DWELL = "edits.hubs.BRE-MAL.extra_dwell_h"
RAIL = "edits.modes.rail.duration_factor"
AIR = "edits.modes.air.duration_factor"


@pytest.fixture(scope="module")
def pool_table(options_file: Path) -> pd.DataFrame:
    result = sr.sweep(options_file, GRID, samples=2, seed=11,
                      variants=["slow_border", "typo", "no_border"], workers=2, fast=True)
    assert result.executor == "2 local processes"
    return result.table


def test_dask_cluster_equals_the_process_pool_row_for_row(
    options_file: Path, pool_table: pd.DataFrame,
) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp", dashboard_address=None) as cluster:
        result = sr.sweep(options_file, GRID, samples=2, seed=11,
                          variants=["slow_border", "typo", "no_border"],
                          scheduler=cluster.scheduler_address, fast=True)
    assert result.executor.startswith("Dask at tcp://")
    pd.testing.assert_frame_equal(result.table, pool_table)
    # Rows in task order: variants, then grid points, then samples.
    assert list(pool_table["variant"]) == [v for v in ("base", "slow_border", "typo", "no_border")
                                           for _ in range(4)]
    assert list(pool_table["edits.hubs.CGO.capacity_t_day"]) == [2000, 2000, 4000, 4000] * 4
    assert list(pool_table["sample"]) == [0, 1] * 8


def test_failing_runs_are_reported_while_the_others_finish(pool_table: pd.DataFrame) -> None:
    status = pool_table.groupby("variant", sort=False)["status"].unique().map(list).to_dict()
    assert status == {"base": ["ok"], "slow_border": ["ok"], "typo": ["error"],
                      "no_border": ["infeasible"]}
    typo = pool_table[pool_table["variant"] == "typo"]
    assert typo["error"].str.contains("edits.hubs.CGO.capacity_tday").all()
    assert typo["total_cost_usd"].isna().all()
    finished = pool_table[pool_table["status"] != "error"]
    assert finished["total_cost_usd"].notna().all()
    # CGO's capacity is swept: utilisation halves from 2,000 to 4,000 t/day, all else equal.
    base = pool_table[pool_table["variant"] == "base"].set_index(
        ["edits.hubs.CGO.capacity_t_day", "sample"])
    np.testing.assert_allclose(base.loc[4000, "hub.CGO.utilisation_peak"].to_numpy(),
                               base.loc[2000, "hub.CGO.utilisation_peak"].to_numpy() / 2)
    np.testing.assert_allclose(base.loc[4000, "total_cost_usd"].to_numpy(),
                               base.loc[2000, "total_cost_usd"].to_numpy())


def test_same_seed_same_draws_and_rows(options_file: Path) -> None:
    first = sr.sweep(options_file, samples=3, seed=5, workers=0)
    again = sr.sweep(options_file, samples=3, seed=5, workers=0)
    other = sr.sweep(options_file, samples=3, seed=6, workers=0)
    pd.testing.assert_frame_equal(first.table, again.table)
    assert not np.allclose(first.table[DWELL], other.table[DWELL])
    assert first.parameters == ("sample", DWELL, AIR, RAIL)
    # The draws, recomputed: one stream per (seed, sample, crc32 of the path).
    for sample in range(3):
        z = np.random.default_rng([5, sample, zlib.crc32(DWELL.encode())]).standard_normal()
        assert first.table.at[sample, DWELL] == pytest.approx(48 * np.exp(0.5 * z), rel=1e-12)
        tri = np.random.default_rng([5, sample, zlib.crc32(RAIL.encode())]).triangular(0.9, 1, 1.3)
        assert first.table.at[sample, RAIL] == pytest.approx(tri, rel=1e-12)


def test_a_sample_is_the_scenario_with_the_drawn_values(
    options_file: Path, write_document: Callable[[dict[str, Any], str], Path],
) -> None:
    """A Monte-Carlo row equals a plain run of the scenario with its drawn values written in."""
    row = sr.sweep(options_file, samples=1, seed=3, variants=["slow_border"], workers=0
                   ).table.iloc[1]
    document = mini_document()
    VARIANT_EDITS["slow_border"](document)
    document["edits"]["hubs"]["BRE-MAL"]["extra_dwell_h"] = float(row[DWELL])  # draw replaces
    document["edits"]["modes"] = {"rail": {"duration_factor": float(row[RAIL])},
                                  "air": {"duration_factor": float(row[AIR])}}
    alone = sr.run_scenario(write_document(document, "drawn")).kpis
    for column in ("total_cost_usd", "transit_days_mean", "transit_days_p95", "co2e_t"):
        assert row[column] == pytest.approx(alone[column], rel=1e-12), column


@pytest.mark.parametrize(("distribution", "reference"), [
    (Lognormal(distribution="lognormal", median=48.0, sigma=0.5), stats.lognorm(0.5, scale=48.0)),
    (Triangular(distribution="triangular", low=0.9, mode=1.0, high=1.3),
     stats.triang(0.25, loc=0.9, scale=0.4)),
    (Uniform(distribution="uniform", low=0.95, high=1.1), stats.uniform(0.95, 0.15)),
], ids=["lognormal", "triangular", "uniform"])
def test_draws_follow_their_distribution(distribution: Any, reference: Any) -> None:
    rng = np.random.default_rng(2026)
    values = np.array([draw(distribution, rng) for _ in range(4000)])
    assert stats.kstest(values, reference.cdf).pvalue > 0.01


def test_grid_parsing() -> None:
    assert parse_grid_spec("edits.hubs.CGO.capacity_t_day=3000, 4500,6000.5") == (
        "edits.hubs.CGO.capacity_t_day", [3000, 4500, 6000.5])
    assert parse_grid_spec("edits.close_hubs=[BRE-MAL, ZZRT],[]") == (
        "edits.close_hubs", [["BRE-MAL", "ZZRT"], []])
    assert parse_grid_spec("task.objective=fastest,'cheapest'") == (
        "task.objective", ["fastest", "cheapest"])
    grid = parse_grid(["task.objective=fastest,cheapest", "edits.hubs.CGO.capacity_factor=1,2"])
    assert grid_points(grid) == [
        {"task.objective": o, "edits.hubs.CGO.capacity_factor": f}
        for o in ("fastest", "cheapest") for f in (1, 2)]
    assert grid_points({}) == [{}]


@pytest.mark.parametrize(("spec", "message"), [
    ("edits.hubs.CGO.capacity_t_day", "a grid is PATH=V1,V2"),
    ("=3000", "a grid is PATH=V1,V2"),
    ("edits.hubs.CGO.capacity_tday=1,2", "did you mean 'capacity_t_day'"),
    ("edits.hubs.CGO.capacity_t_day=1,,2", "empty value"),
    ("edits.hubs.CGO.capacity_t_day=1,1", "given twice"),
    ("edits.close_hubs=[BRE-MAL", "cannot read the value"),
    ("task.objective.kind=1", "single value, not a section"),
    ("variants=[]", "a variant cannot set 'variants'"),
])
def test_bad_grids_exit_2_with_one_message(
    spec: str, message: str, options_file: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "sweep.csv"
    assert main(["sweep", str(options_file), "--grid", spec, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert err.startswith("error:") and "--grid" in err and message in err, err
    assert "Traceback" not in captured.err
    assert not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--grid", "task.objective=fastest", "--grid", "task.objective=cheapest"], "swept twice"),
    (["--samples", "0"], "must be at least 1"),
    (["--grid", f"{DWELL}=1,2", "--samples", "2"], "both swept and drawn"),
    (["--variant", "slow-border"], "did you mean 'slow_border'"),
    (["--workers", "-1"], "must be 0"),
    (["--out", "table.xlsx"], ".parquet or .csv"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "not both"),
])
def test_bad_sweep_options_exit_2(args: list[str], message: str, options_file: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", str(options_file), *args]) == 2
    assert message in " ".join(capsys.readouterr().err.split())


def test_samples_need_an_uncertainty_section(
    write_document: Callable[[dict[str, Any], str], Path], capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_document(mini_document(), "plain")
    assert main(["sweep", str(path), "--samples", "2"]) == 2
    assert "no uncertainty section" in capsys.readouterr().err


def test_sweep_command_writes_one_table(options_file: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sweep.csv"
    assert main(["sweep", str(options_file), "--grid", "edits.hubs.CGO.capacity_factor=1,1.5",
                 "--grid", "task.objective=cheapest,fastest", "--variant", "typo",
                 "--workers", "0", "--out", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "8 runs" in printed and "4 of 8 runs did not finish" in printed
    table = pd.read_csv(out)
    assert list(table.columns[:5]) == ["variant", "edits.hubs.CGO.capacity_factor",
                                       "task.objective", "status", "error"]
    assert len(table) == 8 and list(table["status"]) == ["ok"] * 4 + ["error"] * 4
    assert yaml.safe_load(str(table.at[0, "task.objective"])) == "cheapest"


def test_unreachable_scheduler_is_bad_input(options_file: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        sr.sweep(options_file, samples=1, scheduler="tcp://127.0.0.1:9")


def test_missing_dask_is_named(options_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(InputError, match=r"silkroad-routing\[cluster\]"):
        sr.sweep(options_file, samples=1, scheduler="tcp://127.0.0.1:8786")

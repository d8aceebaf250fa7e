"""sr.compare and silkroad compare: each row equals the variant run on its own (its file written
by hand), differences recomputed, failing variants in their own rows, files written together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from options_scenario import VARIANT_EDITS, mini_document

import silkroad_routing as sr
from silkroad_routing.cli import main
from silkroad_routing.comparison.compare import CompareResult
from silkroad_routing.comparison.rows import KPI_COLUMNS, hub_columns

GOOD = list(VARIANT_EDITS)


@pytest.fixture(scope="module")
def compared(options_file: Path, tmp_path_factory: pytest.TempPathFactory) -> CompareResult:
    out = tmp_path_factory.mktemp("compare") / "out"
    return sr.compare(options_file, [*GOOD, "typo", "no_border"], out=out)


def _expected_row(result: sr.ScenarioResult) -> dict[str, Any]:
    """The KPI columns of a run, read straight from its KPI dict and network."""
    k = result.kpis
    row = {c: k[c] for c in KPI_COLUMNS if c != "services_used"}
    row["services_used"] = len(k["services"])
    for hub in result.network.hubs:
        if hub.capacity_t_day is not None:
            peak, mean = hub_columns(hub.code)
            row[peak] = k["hubs"].get(hub.code, {}).get("utilisation_max") or 0.0
            row[mean] = k["hubs"].get(hub.code, {}).get("utilisation_mean") or 0.0
    return row


def test_each_row_equals_the_variant_run_on_its_own(
    compared: CompareResult, write_document: Callable[[dict[str, Any], str], Path],
) -> None:
    for name in ["base", *GOOD]:
        document = mini_document()
        if name != "base":
            VARIANT_EDITS[name](document)
        alone = sr.run_scenario(write_document(document, name))
        row = compared.row(name)
        assert row["status"] == "ok", row["error"]
        expected = _expected_row(alone)
        assert set(expected) <= set(compared.table.columns)
        for column, value in expected.items():
            assert row[column] == pytest.approx(value, rel=1e-12, abs=1e-15), (name, column)
        # The compared run and the run on its own planned the same routes.
        pd.testing.assert_frame_equal(compared.results[name].plan.shipments,
                                      alone.plan.shipments)
    # The variants do change something (else the test above would prove little).
    table = compared.table.set_index("variant")
    assert table.at["cgo_plus_50", "hub.CGO.utilisation_peak"] == pytest.approx(
        table.at["base", "hub.CGO.utilisation_peak"] / 1.5)
    assert table.at["slow_border", "transit_days_mean"] > table.at["base", "transit_days_mean"]
    assert table.at["fastest", "shipments"] < table.at["base", "shipments"]


def test_hub_utilisation_by_hand(compared: CompareResult) -> None:
    """Peak and mean CGO utilisation from the legs: tonnes handled per local day / capacity."""
    result = compared.results["base"]
    assert result is not None
    tz = result.scenario.horizon.tz
    weight = {s.id: s.weight_kg / 1000 for s in result.shipments}
    per_day: dict[object, float] = defaultdict(float)
    for _, legs in result.plan.legs.groupby("shipment_id"):
        rows = legs.sort_values("leg").to_dict("records")
        if rows[0]["from_hub"] == "CGO":
            per_day[rows[0]["departure"].tz_convert(tz).date()] += weight[rows[0]["shipment_id"]]
        for i, leg in enumerate(rows):
            aboard = i + 1 < len(rows) and leg["kind"] == "service" and (
                rows[i + 1]["departure_id"] == leg["departure_id"])
            if leg["to_hub"] == "CGO" and not aboard:
                per_day[leg["arrival"].tz_convert(tz).date()] += weight[leg["shipment_id"]]
    capacity = result.network.hub("CGO").capacity_t_day
    row = compared.row("base")
    assert per_day, "the base routes nothing through CGO"
    assert row["hub.CGO.utilisation_peak"] == pytest.approx(max(per_day.values()) / capacity)
    assert row["hub.CGO.utilisation_mean"] == pytest.approx(
        sum(per_day.values()) / len(per_day) / capacity)


def test_differences_from_the_base(compared: CompareResult) -> None:
    diffs = compared.differences
    table = compared.table.set_index("variant")
    finished = [v for v in table.index if v != "base" and table.at[v, "status"] != "error"]
    assert sorted(diffs["variant"].unique()) == sorted(finished)
    for rec in diffs.to_dict("records"):
        base = float(table.at["base", rec["indicator"]])
        value = float(table.at[rec["variant"], rec["indicator"]])
        assert rec["base"] == base and rec["value"] == value
        assert rec["difference"] == pytest.approx(value - base)
        if base != 0:
            assert rec["difference_pct"] == pytest.approx(100 * (value - base) / abs(base))
        else:
            assert np.isnan(rec["difference_pct"])


def test_failing_variants_are_reported_in_their_own_rows(compared: CompareResult) -> None:
    table = compared.table.set_index("variant")
    assert list(compared.table["variant"]) == ["base", *GOOD, "typo", "no_border"]
    typo = table.loc["typo"]
    assert typo["status"] == "error" and pd.isna(typo["total_cost_usd"])
    for part in ("variant 'typo'", "edits.hubs.CGO.capacity_tday", "4500",
                 "did you mean 'capacity_t_day'"):
        assert part in typo["error"]
    # Closing the only rail border strands the containers that may not fly: reported, with the
    # KPIs of what could be routed.
    closed = table.loc["no_border"]
    assert closed["status"] == "infeasible" and "no route" in closed["error"] + "no path"
    assert "no path" in closed["error"]
    assert closed["shipments_routed"] < closed["shipments"]
    assert compared.results["typo"] is None
    assert (table.loc[GOOD, "status"] == "ok").all()


def test_files_written_together(compared: CompareResult) -> None:
    out = compared.out
    assert out is not None
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["compare.csv", "compare.parquet", "differences.csv", "compare.png"])
    assert sorted(p.name for p in compared.files) == sorted(p.name for p in out.iterdir())
    from_parquet = pd.read_parquet(out / "compare.parquet")
    pd.testing.assert_frame_equal(from_parquet, compared.table)
    from_csv = pd.read_csv(out / "compare.csv", keep_default_na=False, na_values=[""])
    np.testing.assert_allclose(from_csv["total_cost_usd"].to_numpy(dtype=float),
                               compared.table["total_cost_usd"].to_numpy(dtype=float), rtol=1e-12)
    diffs = pd.read_csv(out / "differences.csv")
    assert len(diffs) == len(compared.differences)
    png = (out / "compare.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_compare_command(options_file: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cmp"
    assert main(["compare", str(options_file), "--variant", "cgo_plus_50", "--variant", "typo",
                 "--out", str(out), "--fast"]) == 0
    printed = capsys.readouterr().out
    assert "cgo_plus_50" in printed and "CGO utilisation, peak hub-day" in printed
    assert "typo: error" in " ".join(printed.split())
    table = pd.read_csv(out / "compare.csv")
    assert list(table["variant"]) == ["base", "cgo_plus_50", "typo"]


def test_compare_command_bad_input(options_file: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(options_file), "--variant", "cgo_plus50",
                 "--out", str(tmp_path / "x")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "unknown variant" in err and "did you mean 'cgo_plus_50'" in err
    assert not (tmp_path / "x").exists()


def test_design_variant_reports_the_services_chosen(
    write_document: Callable[[dict[str, Any], str], Path],
) -> None:
    document = mini_document()
    document["demand"]["generate"]["flows"][0]["shipments"] = 40
    # The scheduled freighter shrinks to 2 t and a cheap optional charter is offered.
    charter = {"id": "CHARTER2", "name": "cheap charter", "mode": "air", "stops": ["CGO", "LUX"],
               "leg_h": [13], "leg_km": [8000], "weekdays": [1, 4, 6],
               "departure_time_utc": "04:00", "capacity_kg": 100000, "price_usd": 3.0,
               "price_basis": "kg_chargeable", "co2e_kg_per_tkm": 0.5, "optional": True,
               "fixed_cost_usd_per_run": 2000}
    document["variants"] = [{"name": "design", "overrides": {
        "task.kind": "design", "edits.services.AIR1.capacity_kg": 2000,
        "edits.add_services": [charter]}}]
    result = sr.compare(write_document(document, "design"), fast=True)
    row = result.row("design")
    if row["status"] == "error" and "not yet available" in row["error"]:
        pytest.skip("the design task is not wired into the runner in this tree")
    assert row["status"] == "ok", row["error"]
    design = result.results["design"].design
    runs: dict[str, int] = defaultdict(int)
    for service_id in design.departures["service_id"]:
        runs[service_id] += 1
    assert row["departures_opened"] == sum(runs.values()) > 0
    assert row["services_chosen"] == ("; ".join(f"{s} x{n}" for s, n in sorted(runs.items()))
                                      or "none")
    assert "services_chosen" not in result.differences["indicator"].tolist()
    assert pd.isna(result.row("base")["departures_opened"])

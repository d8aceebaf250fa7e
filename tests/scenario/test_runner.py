"""run_scenario: KPIs recomputed from the written tables, atomic outputs, determinism, fast mode."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import silkroad_routing as sr
from silkroad_routing.scenario import outputs
from silkroad_routing.scenario.runner import FAST_MAX_SHIPMENTS, ScenarioResult, run_scenario
from silkroad_routing.scenario.schema import OutputFormat

FILES = ["plan.csv", "shipments.csv", "itineraries.csv", "plan.parquet", "shipments.parquet", "kpis.json"]


@pytest.fixture
def mini(mini_scenario_text: str, write_scenario: Callable[..., Path]) -> Path:
    # Only the formats every installation writes, so that the test does not depend on the maps.
    return write_scenario(mini_scenario_text + "outputs: {formats: [csv, parquet, json]}\n")


@pytest.fixture
def mini_result(mini: Path, tmp_path: Path) -> ScenarioResult:
    return run_scenario(mini, out=tmp_path / "out")


def test_outputs_are_written_and_agree(mini_result: ScenarioResult, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert sorted(p.name for p in mini_result.files) == sorted(FILES)
    for stem in ("plan", "shipments"):
        from_csv = pd.read_csv(out / f"{stem}.csv", keep_default_na=False)
        from_parquet = pd.read_parquet(out / f"{stem}.parquet")
        assert list(from_csv.columns) == list(from_parquet.columns)
        assert len(from_csv) == len(from_parquet)
        for column in ("shipment_id", "cost_usd", "co2e_kg"):
            left, right = from_csv[column].to_numpy(), from_parquet[column].to_numpy()
            if left.dtype.kind == "f":
                np.testing.assert_allclose(left, right, rtol=1e-12)
            else:
                assert list(map(str, left)) == list(map(str, right))
    document = json.loads((out / "kpis.json").read_text(encoding="utf-8"))
    assert document["scenario"] == "mini" and document["kpis"] == json.loads(
        json.dumps(mini_result.kpis))


def test_kpis_recomputed_from_the_tables(mini_result: ScenarioResult, tmp_path: Path) -> None:
    """Every headline KPI, recomputed with plain Python from the written CSV files (rounded: USD to
    the cent, kg to 0.1, km to 0.1, times to the minute, so each sum agrees to its rounding)."""
    out = tmp_path / "out"
    legs = pd.read_csv(out / "plan.csv", keep_default_na=False).to_dict("records")
    ships = pd.read_csv(out / "shipments.csv", keep_default_na=False).to_dict("records")
    weight = {s.id: s.weight_kg for s in mini_result.shipments}
    k = mini_result.kpis
    routed = [s for s in ships if s["routed"] in (True, "True")]
    assert k["shipments"] == len(mini_result.shipments) == len(ships)
    assert k["shipments_routed"] == len(routed)
    # Total cost: from the legs (a different table from the one the KPI reads).
    assert k["total_cost_usd"] == pytest.approx(sum(leg["cost_usd"] for leg in legs),
                                                abs=0.005 * len(legs))
    assert k["cost_usd_per_kg"] == pytest.approx(
        k["total_cost_usd"] / sum(weight[s["shipment_id"]] for s in routed), rel=1e-9)
    days = sorted((pd.Timestamp(s["arrival"]) - pd.Timestamp(s["ready"])).total_seconds() / 86400
                  for s in routed)
    minute = 1 / 1440  # ready and arrival are each rounded to the minute
    assert k["transit_days_mean"] == pytest.approx(sum(days) / len(days), abs=minute)
    # P95 by linear interpolation between order statistics (the numpy default), by hand.
    pos = 0.95 * (len(days) - 1)
    lo = math.floor(pos)
    p95 = days[lo] + (days[min(lo + 1, len(days) - 1)] - days[lo]) * (pos - lo)
    assert k["transit_days_p95"] == pytest.approx(p95, abs=minute)
    on_time = sum(1 for s in ships if s["status"] == "on time")
    assert k["on_time_share"] == pytest.approx(on_time / len(ships))
    co2e = sum(leg["co2e_kg"] for leg in legs)
    tkm = sum(weight[leg["shipment_id"]] / 1000 * leg["distance_km"] for leg in legs)
    assert k["co2e_t"] == pytest.approx(co2e / 1000, abs=0.05 * len(legs) / 1000)
    assert k["co2e_g_per_tkm"] == pytest.approx(co2e * 1000 / tkm, rel=1e-4)
    lifted: dict[str, set[str]] = defaultdict(set)
    for leg in legs:
        lifted[leg["mode"]].add(leg["shipment_id"])
    assert k["mode_split_t"] == pytest.approx(
        {m: sum(weight[s] for s in ids) / 1000 for m, ids in lifted.items()})


def test_hub_and_service_utilisation_by_hand(mini_result: ScenarioResult) -> None:
    """Departure loads and hub-day throughput recomputed leg by leg with dictionaries."""
    plan = mini_result.plan
    network = mini_result.network
    weight = {s.id: s.weight_kg for s in mini_result.shipments}
    load: dict[tuple[str, str, str], float] = defaultdict(float)
    for leg in plan.legs.itertuples():
        if leg.kind == "service":
            load[(leg.service_id, leg.departure_id, leg.from_hub)] += weight[leg.shipment_id]
    for service_id, summary in mini_result.kpis["services"].items():
        service = network.service_by_id[service_id]
        per_departure: dict[str, float] = defaultdict(float)
        for (sid, dep, _), kg in load.items():
            if sid == service_id:
                per_departure[dep] = max(per_departure[dep], kg)
        assert summary["departures_used"] == len(per_departure)
        if service.capacity_kg and not service.capacity_teu:
            assert summary["utilisation_max"] == pytest.approx(
                max(per_departure.values()) / service.capacity_kg)
    # Hub throughput: origin on departure day, and every hub where the freight leaves a vehicle.
    tz = mini_result.scenario.horizon.tz
    handled: dict[tuple[str, object], float] = defaultdict(float)
    for _, route in plan.legs.groupby("shipment_id"):
        rows = route.sort_values("leg").to_dict("records")
        handled[(rows[0]["from_hub"], rows[0]["departure"].tz_convert(tz).date())] += weight[
            rows[0]["shipment_id"]] / 1000
        for i, row in enumerate(rows):
            aboard = (i + 1 < len(rows) and row["kind"] == "service"
                      and rows[i + 1]["departure_id"] == row["departure_id"])
            if not aboard or network.hub(row["to_hub"]).gauge_change:
                handled[(row["to_hub"], row["arrival"].tz_convert(tz).date())] += weight[
                    row["shipment_id"]] / 1000
    for hub, summary in mini_result.kpis["hubs"].items():
        days = {day: t for (h, day), t in handled.items() if h == hub}
        assert summary["throughput_t"] == pytest.approx(sum(days.values()))
        assert summary["throughput_t_day_max"] == pytest.approx(max(days.values()))
        capacity = network.hub(hub).capacity_t_day
        if capacity:
            assert summary["utilisation_max"] == pytest.approx(max(days.values()) / capacity)
    assert {h for h, _ in handled} == set(mini_result.kpis["hubs"])


def test_same_scenario_twice_gives_identical_files(mini: Path, tmp_path: Path) -> None:
    run_scenario(mini, out=tmp_path / "a")
    run_scenario(mini, out=tmp_path / "b")
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_interrupted_run_leaves_no_half_written_output(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    run_scenario(mini, out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def half_then_fail(result: ScenarioResult, folder: Path) -> list[Path]:
        (folder / "plan.parquet").write_bytes(b"PAR1 half a file")
        raise KeyboardInterrupt  # the user pressed Ctrl-C mid-write

    monkeypatch.setitem(outputs.OUTPUT_WRITERS, OutputFormat.PARQUET, half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        run_scenario(mini, out=out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    fresh = tmp_path / "fresh"
    with pytest.raises(KeyboardInterrupt):
        run_scenario(mini, out=fresh)
    assert not fresh.exists()
    assert [p.name for p in (tmp_path / ".fresh.sets").iterdir()] == [".lock"]  # no staging left


def test_fast_mode_subsamples_without_touching_the_file(tmp_path: Path,
                                                        mini_scenario_text: str) -> None:
    text = mini_scenario_text.replace("shipments: 6,", "shipments: 150,")
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    full = sr.scenario.runner.prepare(path)
    fast = run_scenario(path, fast=True)
    assert path.read_text(encoding="utf-8") == text
    assert fast.fast and fast.out is None and fast.files == ()
    assert len(fast.shipments) == FAST_MAX_SHIPMENTS < len(full.shipments)
    assert {s.id for s in fast.shipments} <= set(full.shipments.id)
    assert fast.scenario.task.time_limit_s <= 10
    again = run_scenario(path, fast=True)
    assert again.shipments == fast.shipments


def test_asking_for_a_format_without_a_writer(mini_scenario_text: str, tmp_path: Path,
                                              write_scenario: Callable[..., Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(outputs.OUTPUT_WRITERS, OutputFormat.JSON)
    path = write_scenario(mini_scenario_text + "outputs: {formats: [csv, json]}\n")
    with pytest.raises(sr.InputError, match="not available") as info:
        run_scenario(path, out=tmp_path / "out")
    assert (info.value.field, info.value.value) == ("outputs.formats[1]", "json")
    # Left at its default, the same missing format is skipped and reported.
    path = write_scenario(mini_scenario_text, "default.yaml")
    result = run_scenario(path, out=tmp_path / "out2")
    assert "json" in result.skipped_formats and not (tmp_path / "out2" / "kpis.json").exists()

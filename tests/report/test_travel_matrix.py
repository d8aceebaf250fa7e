"""sr.matrix and sr.latest_ready: every cell is what a single sr.route call returns; the
percentiles are recomputed with numpy; the arrive-by answer meets the due date and one minute
later does not; silkroad matrix prints and writes the same numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import silkroad_routing as sr
from silkroad_routing.cli import main
from silkroad_routing.routing.travel_matrix import ready_times

FROM, TO = datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def travel(four_roads: sr.Network) -> sr.TravelMatrix:
    return sr.matrix(four_roads, ["CNCGO", "CGO"], ["DEDUI", "LGG", "CGO"], FROM, TO,
                     "cheapest", step_h=36, weight_kg=18_000, volume_m3=60)


def test_cells_equal_single_route_calls(travel: sr.TravelMatrix, four_roads: sr.Network) -> None:
    cells = travel.cells
    times = ready_times(FROM, TO, 36)
    assert len(times) == 5 and times[-1] == FROM + timedelta(hours=144)
    # 2 origins x 3 destinations, less CGO -> CGO, at each ready time.
    assert len(cells) == 5 * 5
    for row in cells.itertuples(index=False):
        one = sr.Shipment(id="one", origin=row.origin, destination=row.destination,
                          ready=row.ready, weight_kg=18_000, volume_m3=60)
        alone = sr.route(four_roads, [one], "cheapest").shipments.iloc[0]
        assert bool(alone["routed"]) == bool(row.routed)
        assert alone["arrival"] == row.arrival
        assert alone["cost_usd"] == pytest.approx(row.cost_usd, rel=1e-12)
        assert alone["modes"] == row.modes


def test_summary_percentiles_recomputed(travel: sr.TravelMatrix) -> None:
    summary = travel.summary.set_index(["origin", "destination"])
    assert len(summary) == 5 and (summary["ready_times"] == 5).all()
    for (origin, destination), group in travel.cells.groupby(["origin", "destination"]):
        routed = group[group["routed"]]
        assert summary.at[(origin, destination), "routed"] == len(routed)
        for q in (5, 50, 95):
            assert summary.at[(origin, destination), f"hours_p{q}"] == pytest.approx(
                np.percentile(routed["hours"], q))
            assert summary.at[(origin, destination), f"cost_usd_p{q}"] == pytest.approx(
                np.percentile(routed["cost_usd"], q))
    # A timetable: transit time varies with the ready time, so P5 < P95 somewhere.
    assert (summary["hours_p95"] > summary["hours_p5"]).any()


def test_bad_matrix_input(four_roads: sr.Network) -> None:
    with pytest.raises(sr.InputError, match="ready_to"):
        sr.matrix(four_roads, ["CNCGO"], ["DEDUI"], TO, FROM)
    with pytest.raises(sr.InputError, match="origins"):
        sr.matrix(four_roads, ["NOWHERE"], ["DEDUI"], FROM, TO)
    with pytest.raises(sr.InputError, match="objective"):
        sr.matrix(four_roads, ["CNCGO"], ["DEDUI"], FROM, TO, "pareto")


def test_latest_ready_meets_the_due_date_and_a_minute_later_does_not(
        four_roads: sr.Network) -> None:
    due = datetime(2026, 12, 20, 12, tzinfo=UTC)
    shipment = sr.Shipment(id="q", origin="CNCGO", destination="DEDUI", ready=FROM, due=due,
                           weight_kg=18_000, volume_m3=60, modes=frozenset({"rail", "road"}))
    latest = sr.latest_ready(four_roads, shipment)
    assert latest is not None and latest < due

    def fastest(ready: datetime) -> pd.Series:
        one = shipment.model_copy(update={"ready": ready})
        return sr.route(four_roads, [one], "fastest").shipments.iloc[0]

    assert fastest(latest)["arrival"] <= due
    assert fastest(latest + timedelta(minutes=1))["arrival"] > due
    # Brute force over a coarse grid: every whole hour before it is on time, none after it.
    for hours in range(-72, 73, 12):
        ready = latest.replace(minute=0) + timedelta(hours=hours)
        assert (fastest(ready)["arrival"] <= due) == (ready <= latest), ready
    impossible = shipment.model_copy(update={"due": FROM + timedelta(days=3)})
    assert sr.latest_ready(four_roads, impossible, earliest=FROM) is None


def test_matrix_command_prints_and_writes_the_summary(
        travel: sr.TravelMatrix, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = tmp_path / "matrix.csv"
    assert main(["matrix", "--from", "CNCGO,CGO", "--to", "DEDUI,LGG,CGO", "--ready-from",
                 "2026-11-02", "--ready-to", "2026-11-09", "--step-h", "36", "--objective",
                 "cheapest", "--weight-kg", "18000", "--volume-m3", "60", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    written = pd.read_csv(out)
    expected = travel.summary
    assert list(written["origin"]) == list(expected["origin"])
    np.testing.assert_allclose(written["cost_usd_p50"], expected["cost_usd_p50"], atol=0.005)
    np.testing.assert_allclose(written["hours_p95"], expected["hours_p95"], atol=0.005)
    assert set(written["destination_tz"]) == {"Europe/Berlin", "Europe/Brussels", "Asia/Shanghai"}
    first = expected.iloc[0]
    assert f"{first['cost_usd_p50']:,.0f}" in printed and f"{first['hours_p5'] / 24:.1f}" in printed

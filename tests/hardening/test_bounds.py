"""Bounded resources: a horizon longer than :data:`~silkroad_routing.compile.problem.MAX_DAYS`
is refused naming ``days`` and its value, and a far-off due date in a scenario does not expand
centuries of timetable."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import silkroad_routing as sr
from silkroad_routing.compile.problem import MAX_DAYS
from silkroad_routing.scenario import runner
from silkroad_routing.scenario.schema import MAX_TRANSIT_DAYS

DATA = Path(__file__).resolve().parents[1] / "data"


def _shipment(ident: str, ready: datetime, due: datetime | None = None) -> sr.Shipment:
    return sr.Shipment(id=ident, origin="CGO", destination="LUX", ready=ready, due=due,
                       weight_kg=500.0, volume_m3=3.0)


@pytest.fixture(scope="module")
def network() -> sr.Network:
    return runner.prepare(DATA / "mini_scenario.yaml").network


@pytest.mark.parametrize("days", [MAX_DAYS + 1, 1e9])
def test_a_horizon_past_the_limit_is_refused(network: sr.Network, days: float) -> None:
    with pytest.raises(sr.InputError, match="days") as caught:
        sr.prepare(network, [_shipment("S1", datetime(2026, 11, 3, tzinfo=UTC))], days=days)
    assert caught.value.field == "days" and caught.value.value == days


def test_ready_times_spanning_centuries_are_refused(network: sr.Network) -> None:
    shipments = [_shipment("S1", datetime(2026, 11, 3, tzinfo=UTC)),
                 _shipment("S2", datetime(2199, 11, 3, tzinfo=UTC))]
    with pytest.raises(sr.InputError, match="separate horizons") as caught:
        sr.prepare(network, shipments)
    assert caught.value.field == "days"


def test_a_due_date_centuries_away_expands_at_most_a_year_of_timetable(tmp_path: Path) -> None:
    text = (DATA / "mini_scenario.yaml").read_text(encoding="utf-8")
    path = tmp_path / "far.yaml"
    path.write_text(text.replace("network: mini_network", f"network: {DATA / 'mini_network'}")
                    .replace("due: 2026-12-10", "due: 2199-12-10"), encoding="utf-8")
    prepared = runner.prepare(path)
    horizon = prepared.scenario.horizon
    assert runner.timetable_days(prepared) == (
        horizon.days + MAX_TRANSIT_DAYS + runner.DELIVERY_SLACK_DAYS)

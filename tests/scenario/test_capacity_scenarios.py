"""Bundled scenarios where capacity binds: the options a planner compares must change the plan.

Every check recounts from the plan's own tables (legs and shipments), not from the KPIs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import silkroad_routing as sr
from silkroad_routing.scenario.runner import prepare as prepare_scenario
from silkroad_routing.units import container_teu

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _tonnes_per_hub_day(plan: sr.Plan, shipments: tuple[sr.Shipment, ...], hub: str,
                        tz: str) -> pd.Series:
    """Tonnes handled at ``hub`` per local day: first legs leaving it, and legs ending there
    whose next leg is not the same departure (the hub has no gauge change)."""
    kg = {s.id: s.weight_kg for s in shipments}
    legs = plan.legs.sort_values(["shipment_id", "leg"])
    nxt = legs.groupby("shipment_id")["departure_id"].shift(-1)
    aboard = (legs["kind"] == "service") & (legs["departure_id"] == nxt)
    out = legs[(legs["leg"] == 0) & (legs["from_hub"] == hub)].assign(when=lambda f: f["departure"])
    into = legs[(legs["to_hub"] == hub) & ~aboard].assign(when=lambda f: f["arrival"])
    events = pd.concat([out, into])
    day = events["when"].dt.tz_convert(tz).dt.date
    return events["shipment_id"].map(kg).groupby(day).sum() / 1000.0


@pytest.fixture(scope="module")
def hub_options() -> sr.CompareResult:
    return sr.compare(SCENARIOS / "hub_capacity_options.yaml", ["cgo_handling_plus_50"])


def test_cgo_binds_in_the_base_and_its_option_changes_the_plan(
        hub_options: sr.CompareResult) -> None:
    base = sr.run_scenario(SCENARIOS / "hub_capacity_options.yaml")
    assert base.plan.capacity == "respect"
    cap = base.network.hub("CGO").capacity_t_day
    daily = _tonnes_per_hub_day(base.plan, base.shipments, "CGO", "Asia/Shanghai")
    assert daily.max() <= cap + 1e-6  # never over
    assert daily.max() >= 0.9 * cap  # and it binds
    assert (base.plan.shipments["first_choice"] == False).any()  # noqa: E712 -- some moved
    b, o = hub_options.row("base"), hub_options.row("cgo_handling_plus_50")
    assert (b["total_cost_usd"], b["on_time_share"], b["transit_days_mean"]) != (
        o["total_cost_usd"], o["on_time_share"], o["transit_days_mean"])


def _teu_into(plan: sr.Plan, shipments: tuple[sr.Shipment, ...], hub: str,
              tz: str) -> pd.Series:
    """TEU arriving at ``hub`` by train per local day, recounted from the plan's legs."""
    teu = {s.id: container_teu(s.weight_kg, s.volume_m3, s.units_feu) for s in shipments}
    legs = plan.legs
    into = legs[(legs["kind"] == "service") & (legs["to_hub"] == hub)]
    return into["shipment_id"].map(teu).groupby(into["arrival"].dt.tz_convert(tz).dt.date).sum()


def test_brest_malaszewicze_slots_make_the_queue() -> None:
    result = sr.run_scenario(SCENARIOS / "brest_malaszewicze_slots.yaml")
    plan, net = result.plan, result.network
    # Half a train a day, of the largest train calling there (its services' TEU capacity).
    train = max(s.capacity_teu for s in net.services
                if s.mode == "rail" and "BRE-MAL" in s.stops and s.capacity_teu is not None)
    room = net.hub("BRE-MAL").crossing_capacity_trains_day * train
    daily = _teu_into(plan, result.shipments, "BRE-MAL", "Europe/Warsaw")
    assert daily.max() <= room + 1e-6
    problem = sr.prepare(net, result.shipments, start=plan.start, days=plan.days,
                         tz="Europe/Warsaw")
    free = sr.route(problem, objective="cheapest", capacity="ignore")
    assert _teu_into(free, result.shipments, "BRE-MAL", "Europe/Warsaw").max() > room
    # The queue: freight that would have crossed on a full day waits for a later one.
    assert plan.shipments["hours"].mean() > free.shipments["hours"].mean()
    waited = plan.shipments[~plan.shipments["first_choice"]]
    assert len(waited) > 0
    assert waited["lost_departure"].str.startswith("crossing BRE-MAL").any()


@pytest.mark.parametrize(("text", "value"), [
    ("crossing_capacity_trains_day: 1e12", "1e12"), ("crossing_capacity_trains_day: -1", "-1"),
    ("crossing_capacity_trains_day: nan", "nan"), ("capacity: maybe", "maybe")])
def test_bad_capacity_settings_name_the_field(tmp_path: Path, text: str, value: str) -> None:
    source = (SCENARIOS / "hub_capacity_options.yaml").read_text()
    key = text.split(":")[0]
    old = {"crossing_capacity_trains_day": "crossing_capacity_trains_day: 0.5",
           "capacity": "\n  capacity: respect\n"}[key]
    path = tmp_path / "bad.yaml"
    path.write_text(source.replace(old, f"\n  {text}\n" if old.startswith("\n") else text, 1))
    with pytest.raises(sr.ScenarioError) as caught:
        prepare_scenario(path)
    message = str(caught.value)
    assert str(path) in message and key in message and value in message

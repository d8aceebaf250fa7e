"""The design task of a scenario: ``scenarios/peak_month_charter_design.yaml`` in fast mode, its
files (``design_departures.csv``, ``design.json``) and its rendering on the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

import silkroad_routing as sr
from silkroad_routing.cli.design import print_design

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "peak_month_charter_design.yaml"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> sr.ScenarioResult:
    return sr.run_scenario(SCENARIO, out=tmp_path_factory.mktemp("design") / "out", fast=True)


def test_the_design_task_runs_and_plans_on_its_design(result: sr.ScenarioResult) -> None:
    design = result.design
    assert isinstance(design, sr.Design)
    assert result.plan is design.plan and design.plan.objective == "design"
    assert len(design.plan) == len(result.shipments)
    assert design.bound <= design.objective + 1e-6
    assert design.wall_time_s <= result.scenario.task.time_limit_s + 10
    rows = dict(result.summary_rows())
    assert rows["design: departures opened"].endswith(f"of {design.candidates} candidates")
    # Every ride on an optional service is on an opened departure.
    legs = design.plan.legs
    optional = {s.id for s in result.network.services if s.optional}
    ridden = set(legs.loc[legs["service_id"].isin(optional), "departure_id"])
    assert ridden == set(design.departures["departure_id"])


def test_design_files(result: sr.ScenarioResult) -> None:
    assert result.out is not None
    departures = pd.read_csv(result.out / "design_departures.csv")
    assert list(departures["departure_id"]) == list(result.design.departures["departure_id"])
    document = json.loads((result.out / "design.json").read_text(encoding="utf-8"))
    summary = document["design"]
    assert document["task"] == "design" and document["fast"]
    assert summary["objective"] == pytest.approx(result.design.objective)
    assert summary["departures_opened"] == len(departures)
    assert sum(s["runs"] for s in summary["services"].values()) == len(departures)
    assert sum(summary["costs"].values()) == pytest.approx(summary["objective"])


def test_design_rendering(result: sr.ScenarioResult) -> None:
    console = Console(record=True, width=160)
    print_design(result.design, console)
    text = console.export_text()
    assert "lower bound" in text and "gap" in text
    if len(result.design.departures):
        assert result.design.departures["departure_id"].iloc[0] in text

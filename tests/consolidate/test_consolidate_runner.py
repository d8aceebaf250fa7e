"""The scenario task ``consolidate``: route, consolidate, write units, departures, summary."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

import silkroad_routing as sr

DATA = Path(__file__).resolve().parents[1] / "data"


def test_consolidate_task_writes_units_departures_and_summary(tmp_path: Path) -> None:
    text = (DATA / "mini_scenario.yaml").read_text(encoding="utf-8")
    text = text.replace("network: mini_network", f"network: {(DATA / 'mini_network').resolve()}")
    text = text.replace("kind: route", "kind: consolidate")
    path = tmp_path / "mini.yaml"
    path.write_text(text + "outputs: {formats: [csv, json]}\n", encoding="utf-8")
    result = sr.run_scenario(path, out=tmp_path / "out")
    cons = result.consolidation
    assert isinstance(cons, sr.Consolidation)
    out = tmp_path / "out"
    units = pd.read_csv(out / "units.csv")
    departures = pd.read_csv(out / "departures.csv")
    allocation = pd.read_csv(out / "allocation.csv")
    assert len(units) == len(cons.units) > 0
    assert len(departures) == len(cons.departures) > 0
    # The files agree with each other: every unit's cost is allocated in full.
    total = allocation.groupby("unit_id")["cost_usd"].sum()
    assert (abs(total.reindex(units["unit_id"]).to_numpy() - units["cost_usd"].to_numpy())
            <= 1e-6 * units["cost_usd"].abs().to_numpy() + 1e-9).all()
    assert abs(departures["cost_after_usd"].sum() - units["cost_usd"].sum()) < 1e-6
    summary = json.loads((out / "consolidation.json").read_text(encoding="utf-8"))["summary"]
    assert summary["units"] == len(units)
    assert summary["cost_after_usd"] == cons.cost_after_usd
    assert json.loads((out / "kpis.json").read_text(encoding="utf-8"))["kpis"][
        "consolidation"]["units"] == len(units)
    labels = [label for label, _ in result.summary_rows()]
    assert "units" in labels and "freight routed -> by units" in labels
    # Every routed shipment-leg of plan.csv is allocated.
    with (out / "plan.csv").open(encoding="utf-8") as handle:
        legs = {(r["shipment_id"], int(r["leg"])) for r in csv.DictReader(handle)}
    assert set(zip(allocation["shipment_id"], allocation["leg"], strict=True)) == legs

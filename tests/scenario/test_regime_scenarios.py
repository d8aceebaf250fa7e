"""The customs-regime scenarios on the bundled network: 1210 imports into the bonded zone and
9810 exports to overseas warehouses, with their clearance and storage legs.

References: the rows of ``networks/four_roads/process.csv`` and ``hubs.csv`` read here with the
csv module, and hand sums of them (W/M part loads pay the volume share of an FEU).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import silkroad_routing as sr
from silkroad_routing.plan import KIND_CUSTOMS, KIND_STORAGE
from silkroad_routing.units import FEU_USABLE_M3, feu_count, is_full_container_load

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
NETWORK = ROOT / "networks" / "four_roads"


def _rows(name: str) -> list[dict[str, str]]:
    with (NETWORK / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _rule(hub: str, mode: str, stage: str, regime: str) -> dict[str, str]:
    (found,) = [r for r in _rows("process.csv") if (r["hub"], r["mode"], r["stage"],
                                                     r["regime"]) == (hub, mode, stage, regime)]
    return found


def _charge(rule: dict[str, str], s: sr.Shipment) -> float:
    """A terminal charge by hand: per FEU for a full load (half an FEU or more, or forced),
    else the volume share of an FEU per W/M (max of tonnes and m3); plus per kg."""
    per_feu = float(rule["usd_per_feu"] or 0.0)
    per_kg = float(rule["usd_per_kg"] or 0.0)
    if is_full_container_load(s.weight_kg, s.volume_m3, s.units_feu):
        share = float(feu_count(s.weight_kg, s.volume_m3, s.units_feu))
    else:
        share = max(s.weight_kg / 1000.0, s.volume_m3) / FEU_USABLE_M3
    return per_feu * share + per_kg * s.weight_kg


@pytest.fixture(scope="module")
def bonded() -> sr.ScenarioResult:
    return sr.run_scenario(SCENARIOS / "bonded_zone_imports.yaml")


@pytest.fixture(scope="module")
def warehouses() -> sr.ScenarioResult:
    return sr.run_scenario(SCENARIOS / "overseas_warehouse_exports.yaml")


def test_bonded_imports_reach_the_bonded_zone_with_clearance_time_and_cost(
        bonded: sr.ScenarioResult) -> None:
    entry = _rule("CNCGO-BZ", "road", "import", "1210")
    plan = bonded.plan
    by_id = {s.id: s for s in bonded.shipments}
    rows = plan.shipments.set_index("shipment_id")
    under_1210 = [s for s in bonded.shipments if s.regime == "1210"]
    assert len(under_1210) > 250
    checked = 0
    for s in under_1210:
        if s.destination != "CNCGO-BZ":
            continue
        legs = plan.route_of(s.id)
        assert not legs.empty, s.id
        last = legs.iloc[-1]
        assert (last.kind, last.link_id, last.to_hub) == (KIND_CUSTOMS, "import 1210", "CNCGO-BZ")
        hours = (last.arrival - last.departure) / pd.Timedelta(hours=1)
        assert hours == pytest.approx(float(entry["hours"]), abs=1e-6)
        assert last.arrival == rows.at[s.id, "arrival"]
        assert last.cost_usd == pytest.approx(_charge(entry, s))
        assert legs["cost_usd"].sum() == pytest.approx(rows.at[s.id, "cost_usd"])
        checked += 1
    assert checked == len(under_1210) - 1
    # The order booked 1210 to the airport is refused, and the reason says where 1210 clears.
    refused = rows.loc["COS-CGO-01"]
    assert refused["status"] == "no route"
    assert "1210" in refused["reason"] and "CGO" in refused["reason"]
    assert "CNCGO-BZ" in refused["reason"]
    # Frozen meat comes in under general trade: no customs leg.
    assert by_id["MEAT-DUI-01"].regime == "general"
    assert (plan.route_of("MEAT-DUI-01")["kind"] != KIND_CUSTOMS).all()


def test_9810_exports_end_at_warehouses_with_storage_priced_per_m3_and_day(
        warehouses: sr.ScenarioResult) -> None:
    storage = {r["code"]: float(r["storage_usd_per_m3_day"]) for r in _rows("hubs.csv")
               if r.get("storage_usd_per_m3_day")}
    plan = warehouses.plan
    rows = plan.shipments.set_index("shipment_id")
    stock = [s for s in warehouses.shipments if s.regime == "9810"]
    assert len(stock) >= 90
    for s in stock:
        if s.destination not in storage:
            assert rows.at[s.id, "status"] == "no route"
            assert "overseas warehouse" in rows.at[s.id, "reason"]
            continue
        legs = plan.route_of(s.id)
        first, last = legs.iloc[0], legs.iloc[-1]
        assert (first.kind, first.link_id) == (KIND_CUSTOMS, "export 9810")
        assert first.from_hub in {"CGO", "CNCGO", "CNCGO-BZ"}
        assert last.kind == KIND_STORAGE and last.to_hub == s.destination
        assert last.cost_usd == pytest.approx(storage[s.destination] * s.volume_m3
                                              * s.storage_days)
        assert legs["cost_usd"].sum() == pytest.approx(rows.at[s.id, "cost_usd"])
    returns = [s for s in warehouses.shipments if s.regime == "returns"]
    assert returns and all(plan.route_of(s.id).iloc[-1].link_id == "import returns"
                           for s in returns)

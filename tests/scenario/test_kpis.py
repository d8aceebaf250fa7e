"""``compute_kpis`` returns typed indicators (:class:`~silkroad_routing.kpi.Kpis`) whose
``to_dict()`` is what a scenario run reports and writes to ``kpis.json``; ``Plan.summary`` is
a dataclass of the same kind, and agrees with them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pytest

from silkroad_routing.kpi import HubKpis, Kpis, ServiceKpis, compute_kpis
from silkroad_routing.plan import PlanSummary
from silkroad_routing.scenario.runner import run_scenario


def test_kpis_are_typed_and_their_dict_is_the_scenarios(
    mini_scenario_text: str, write_scenario: Callable[..., Path], tmp_path: Path,
) -> None:
    scenario = write_scenario(mini_scenario_text + "outputs: {formats: [json]}\n")
    result = run_scenario(scenario, out=tmp_path / "out")
    kpis = compute_kpis(result.plan, result.network, result.shipments,
                        co2_price_usd_per_t=result.scenario.edits.co2_price_usd_per_t,
                        tz=result.scenario.horizon.tz)
    assert isinstance(kpis, Kpis)
    assert kpis.services and all(isinstance(s, ServiceKpis) for s in kpis.services.values())
    assert kpis.hubs and all(isinstance(h, HubKpis) for h in kpis.hubs.values())
    plain = kpis.to_dict()
    assert plain == result.kpis
    written = json.loads((tmp_path / "out" / "kpis.json").read_text())
    assert written["kpis"] == json.loads(json.dumps(plain))
    # Counts and totals recomputed from the plan's shipment table.
    rows = result.plan.selected().shipments
    routed = rows[rows["routed"]]
    assert kpis.shipments == len(result.shipments) == plain["shipments"]
    assert kpis.shipments_routed == routed["shipment_id"].nunique()
    assert kpis.total_cost_usd == pytest.approx(routed["cost_usd"].sum(), rel=1e-12)
    hub, use = next(iter(kpis.hubs.items()))
    assert plain["hubs"][hub]["throughput_t"] == use.throughput_t


def test_each_result_summary_is_a_dataclass_with_to_dict(
    mini_scenario_text: str, write_scenario: Callable[..., Path], tmp_path: Path,
) -> None:
    # The plan's summary agrees with the full KPIs on every figure they share.
    result = run_scenario(write_scenario(mini_scenario_text + "outputs: {formats: [json]}\n"),
                          out=tmp_path / "out")
    summary = result.plan.summary
    assert isinstance(summary, PlanSummary) and summary.to_dict() == asdict(summary)
    k = result.kpis
    for name in ("shipments", "shipments_routed", "shipments_unrouted", "shipments_late"):
        assert getattr(summary, name) == k[name], name
    assert summary.total_cost_usd == pytest.approx(k["total_cost_usd"], rel=1e-12)
    assert summary.co2e_kg / 1000.0 == pytest.approx(k["co2e_t"], rel=1e-12)
    assert summary.transit_days_mean == pytest.approx(k["transit_days_mean"], rel=1e-12)
    assert summary.on_time_share == pytest.approx(k["on_time_share"], rel=1e-12)
    assert json.loads(json.dumps(summary.to_dict())) == summary.to_dict()


def test_scenario_co2e_basis_reaches_the_plan_or_is_refused(
    mini_scenario_text: str, write_scenario: Callable[..., Path], tmp_path: Path,
) -> None:
    """``edits: {co2e_basis: TTW}`` prices on tank-to-wheel; the mini network gives no TTW
    factors, so the run stops with one error naming the field and the first record without."""
    from silkroad_routing.errors import InputError

    text = mini_scenario_text.replace("edits:\n", "edits:\n  co2e_basis: TTW\n", 1)
    assert "co2e_basis: TTW" in text
    with pytest.raises(InputError, match="co2e_basis TTW needs a tank-to-wheel factor") as info:
        run_scenario(write_scenario(text), out=tmp_path / "ttw")
    assert info.value.field == "co2e_basis"
    wtw = run_scenario(write_scenario(mini_scenario_text.replace(
        "edits:\n", "edits:\n  co2e_basis: WTW\n", 1), "w.yaml"), out=tmp_path / "wtw")
    assert wtw.kpis["co2e_basis"] == "WTW" and wtw.plan.co2e_basis == "WTW"

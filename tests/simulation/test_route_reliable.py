"""``sr.route_reliable``: the choice between a cheap but risky and a dear but safe route flips
where the target crosses the analytic P(on time); the chosen routes meet the target in
simulation and equal a brute-force choice over every candidate; bad targets are named."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_simulate import EXTRA_DWELL_HIGH_H, SLACK_H, _dwell, _problem, _rail, _shipment, chain

import silkroad_routing as sr
from silkroad_routing.errors import InputError
from silkroad_routing.scenario.schema import Uncertainty
from silkroad_routing.simulation import CANDIDATE_COLUMNS

#: P(on time) of the cheap route HA -S1-> HB -S2-> HC: it catches S2 when the extra dwell at HB,
#: U(0, 20 h), is within the 4 h slack; missing it means S3 at 22:00, past the 30 h due date.
P_CHEAP_ON_TIME = SLACK_H / EXTRA_DWELL_HIGH_H
SAMPLES = 4000
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def two_routes() -> sr.Problem:
    """The chain plus S4, HA -> HC direct daily at 02:00 (20 h, dear): never near HB."""
    direct = _rail("S4", ("HA", "HC"), 20.0, time(2, 0), frozenset(range(7)), 500.0)
    return _problem(chain(direct), [_shipment("x", 30.0)])


def _services(result: sr.ReliableRoutes) -> list[str]:
    return list(result.plan.legs["service_id"])


def test_choice_flips_at_the_analytic_p_on_time(two_routes: sr.Problem) -> None:
    cheap = sr.route_reliable(two_routes, _dwell(EXTRA_DWELL_HIGH_H), 0.0, SAMPLES, seed=5)
    assert _services(cheap) == ["S1", "S2"]
    p_cheap = float(cheap.plan.shipments["p_on_time"].iloc[0])
    half_width = 3.0 * np.sqrt(P_CHEAP_ON_TIME * (1 - P_CHEAP_ON_TIME) / SAMPLES)
    assert abs(p_cheap - P_CHEAP_ON_TIME) < half_width
    for target in (P_CHEAP_ON_TIME - 2 * half_width, p_cheap):
        assert _services(sr.route_reliable(two_routes, _dwell(EXTRA_DWELL_HIGH_H), target,
                                           SAMPLES, seed=5)) == ["S1", "S2"]
    for target in (np.nextafter(p_cheap, 1.0), P_CHEAP_ON_TIME + 2 * half_width, 1.0):
        safe = sr.route_reliable(two_routes, _dwell(EXTRA_DWELL_HIGH_H), float(target), SAMPLES,
                                 seed=5)
        assert _services(safe) == ["S4"]
        assert bool(safe.plan.shipments["meets_target"].iloc[0])
        assert safe.plan.total_cost_usd > cheap.plan.total_cost_usd


def test_unreachable_target_keeps_the_most_reliable_flagged(two_routes: sr.Problem) -> None:
    """Half the trains cancelled: no route is sure, and S4 (one train, not two) is the most
    reliable."""
    cancelled = Uncertainty.model_validate({"modes": {"rail": {"cancel_probability": 0.5}}})
    result = sr.route_reliable(two_routes, cancelled, 1.0, 400, seed=1)
    assert _services(result) == ["S4"]
    assert not bool(result.plan.shipments["meets_target"].iloc[0])
    assert result.candidates["p_on_time"].max() < 1.0


def test_chosen_routes_meet_the_target_and_equal_brute_force(two_routes: sr.Problem) -> None:
    target = 0.5
    result = sr.route_reliable(two_routes, _dwell(EXTRA_DWELL_HIGH_H), target, 500, seed=9)
    assert tuple(result.candidates.columns) == CANDIDATE_COLUMNS
    assert len(result.candidates) == 2
    brute = _brute_force(two_routes, _dwell(EXTRA_DWELL_HIGH_H), target, 500, 9)
    chosen = result.candidates[result.candidates["chosen"]]
    assert chosen[["shipment_id", "option"]].values.tolist() == brute
    replayed = result.reliability.shipments.set_index("shipment_id")["p_on_time"]
    assert (replayed >= target).all()
    pd.testing.assert_series_equal(
        replayed, result.plan.shipments.set_index("shipment_id")["p_on_time"],
        check_names=False, check_index_type=False)


def _brute_force(problem: sr.Problem, uncertainty: object, target: float, samples: int,
                 seed: int) -> list[list[object]]:
    """Every Pareto option simulated alone with ``sr.simulate``; the cheapest reaching
    ``target``, else the most reliable."""
    pareto = sr.route(problem, objective="pareto")
    best = []
    for sid, rows in pareto.shipments[pareto.shipments["routed"]].groupby("shipment_id"):
        scored = []
        for option, cost in zip(rows["option"], rows["cost_usd"], strict=True):
            one = sr.Plan(legs=pareto.legs[(pareto.legs["shipment_id"] == sid)
                                           & (pareto.legs["option"] == option)].assign(option=0),
                          shipments=rows[rows["option"] == option].assign(option=0),
                          objective="pareto", start=pareto.start, days=pareto.days)
            p = float(sr.simulate(problem, one, uncertainty, samples, seed)  # type: ignore[arg-type]
                      .shipments["p_on_time"].iloc[0])
            scored.append((p < target, -p if p < target else 0.0, cost, option))
        best.append([sid, min(scored)[3]])
    return best


@pytest.mark.parametrize("target", [-0.1, 1.5, True, "0.9"])
def test_bad_target_is_named(two_routes: sr.Problem, target: object) -> None:
    with pytest.raises(InputError) as info:
        sr.route_reliable(two_routes, None, target, 10)  # type: ignore[arg-type]
    assert info.value.field == "p_on_time_target"


def test_brest_malaszewicze_routes_for_95_percent_on_time() -> None:
    """The congestion scenario's BRE-MAL queue (its ``uncertainty``): the cheapest routes are on
    time in about two thirds of the samples; those chosen for P(on time) >= 95 % cost more and
    meet the target for every shipment, under the same draws."""
    from silkroad_routing.scenario.runner import _problem, prepare

    prepared = prepare(SCENARIOS / "brest_malaszewicze_congestion.yaml")
    problem, uncertainty = _problem(prepared), prepared.scenario.uncertainty
    seed, samples = prepared.scenario.seed, 500
    cheapest = sr.route(problem, objective="cheapest", capacity="ignore")
    cheapest_replay = sr.simulate(problem, cheapest, uncertainty, samples, seed)
    reliable = sr.route_reliable(problem, uncertainty, 0.95, samples, seed)
    assert cheapest_replay.on_time_share < 0.95
    assert reliable.plan.total_cost_usd > cheapest.total_cost_usd
    assert reliable.plan.shipments["meets_target"].all()
    assert (reliable.reliability.shipments["p_on_time"] >= 0.95).all()
    cost = reliable.plan.shipments.set_index("shipment_id")["cost_usd"]
    least = cheapest.shipments.set_index("shipment_id")["cost_usd"].reindex(cost.index)
    assert (cost >= least - 1e-6).all()

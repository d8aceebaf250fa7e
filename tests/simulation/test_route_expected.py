"""``sr.route_expected``: the choice between a cheap but risky and a dear but safe route flips
where the lateness penalty crosses the analytic break-even; the expected costs and the choice
equal a brute force over every candidate replayed alone; a bad penalty is named."""

from __future__ import annotations

from datetime import time

import numpy as np
import pytest
from test_simulate import EXTRA_DWELL_HIGH_H, SLACK_H, _dwell, _problem, _rail, _shipment, chain

import silkroad_routing as sr
from silkroad_routing.errors import InputError
from silkroad_routing.simulation import CANDIDATE_COLUMNS

SAMPLES = 4000
TONNES = 8.0  # the chain's shipment: 8,000 kg
#: The cheap route HA -S1-> HB -S2-> HC misses S2 when the extra dwell at HB, U(0, 20 h), is over
#: the 4 h slack; then S3 the same evening (arrival 32 h, 2 h late) if the dwell is at most
#: 10 h, else the next evening's (56 h, 26 h late). The due date is 30 h.
P_MISS = 1.0 - SLACK_H / EXTRA_DWELL_HIGH_H
LATE_MEAN_H = (10.0 - SLACK_H) / EXTRA_DWELL_HIGH_H * 2.0 + (
    EXTRA_DWELL_HIGH_H - 10.0) / EXTRA_DWELL_HIGH_H * 26.0


@pytest.fixture(scope="module")
def two_routes() -> sr.Problem:
    """The chain plus S4, HA -> HC direct daily at 02:00 (20 h, dear): never near HB."""
    direct = _rail("S4", ("HA", "HC"), 20.0, time(2, 0), frozenset(range(7)), 500.0)
    return _problem(chain(direct), [_shipment("x", 30.0)])


def _services(result: sr.ReliableRoutes) -> list[str]:
    return list(result.plan.legs["service_id"])


def _break_even(problem: sr.Problem) -> tuple[float, float, float]:
    """Planned cost of the cheap and the safe route, and the penalty (USD per t and h) at which
    their expected costs are equal (the analytic miss and lateness; S3's tariff paid again)."""
    pareto = sr.route(problem, objective="pareto").shipments.sort_values("cost_usd")
    cheap, safe = (float(c) for c in pareto["cost_usd"])
    tt = problem.timetable
    s3_tariff = float(tt.conn_rate[tt.conn_service == tt.service_ids.index("S3")][0]
                      @ problem.shipments.q[0])
    return cheap, safe, (safe - cheap - P_MISS * s3_tariff) / (TONNES * LATE_MEAN_H)


def test_choice_flips_at_the_analytic_break_even(two_routes: sr.Problem) -> None:
    _cheap, safe, penalty = _break_even(two_routes)
    assert penalty > 0
    low = sr.route_expected(two_routes, _dwell(EXTRA_DWELL_HIGH_H), SAMPLES, seed=5,
                            lateness_usd_per_t_h=0.7 * penalty)
    high = sr.route_expected(two_routes, _dwell(EXTRA_DWELL_HIGH_H), SAMPLES, seed=5,
                             lateness_usd_per_t_h=1.3 * penalty)
    assert _services(low) == ["S1", "S2"] and _services(high) == ["S4"]
    assert high.plan.objective == "expected cost"
    rows = low.candidates.sort_values("cost_usd")
    late = float(rows["lateness_mean_h"].iloc[0])
    sd = np.sqrt((0.3 * 2.0**2 + 0.5 * 26.0**2 - LATE_MEAN_H**2) / SAMPLES)
    assert abs(late - LATE_MEAN_H) < 4 * sd
    assert float(rows["lateness_mean_h"].iloc[1]) == 0.0
    assert float(rows["expected_cost_usd"].iloc[1]) == pytest.approx(safe)


#: Time and CO2 priced, for the brute force: USD per hour from ready to arrival, USD per t CO2e.
VOT_USD_PER_H, CO2_USD_PER_T = 1.5, 90.0


@pytest.mark.parametrize("priced", [False, True])
def test_expected_costs_and_choice_equal_brute_force(two_routes: sr.Problem, priced: bool) -> None:
    penalty = 0.9 * _break_even(two_routes)[2]
    if priced:
        direct = _rail("S4", ("HA", "HC"), 20.0, time(2, 0), frozenset(range(7)), 500.0)
        two_routes = sr.prepare(chain(direct), [_shipment("x", 30.0)],
                                start=two_routes.timetable.start, days=4,
                                costs=sr.Costs(value_of_time_usd_per_h=VOT_USD_PER_H,
                                               co2_price_usd_per_t=CO2_USD_PER_T))
    vot, co2_usd_per_kg = (VOT_USD_PER_H, CO2_USD_PER_T / 1000.0) if priced else (0.0, 0.0)
    result = sr.route_expected(two_routes, _dwell(EXTRA_DWELL_HIGH_H), 500, seed=9,
                               lateness_usd_per_t_h=penalty)
    assert tuple(result.candidates.columns) == CANDIDATE_COLUMNS
    pareto = sr.route(two_routes, objective="pareto")
    horizon_h = two_routes.timetable.horizon_h
    brute = {}
    for option, row in pareto.shipments.set_index("option").iterrows():
        one = sr.Plan(legs=pareto.legs[pareto.legs["option"] == option].assign(option=0),
                      shipments=pareto.shipments[pareto.shipments["option"] == option]
                      .assign(option=0), objective="pareto", start=pareto.start, days=pareto.days)
        replayed = sr.simulate(two_routes, one, _dwell(EXTRA_DWELL_HIGH_H), 500, 9)
        arrival = np.where(np.isfinite(replayed.arrival_h[:, 0]), replayed.arrival_h[:, 0],
                           horizon_h)
        due = float(replayed.shipments["due_h"].iloc[0])
        ready = float(two_routes.shipments.ready_h[0])
        brute[option] = (float(row["cost_usd"]) + co2_usd_per_kg * float(row["co2e_kg"])
                         + vot * float(np.mean(arrival - ready))
                         + float(replayed.shipments["extra_cost_mean_usd"].iloc[0])
                         + penalty * TONNES * float(np.mean(np.maximum(arrival - due, 0.0))))
    got = result.candidates.set_index("option")["expected_cost_usd"]
    for option, value in brute.items():
        assert got[option] == pytest.approx(value, rel=1e-9)
    chosen = int(result.candidates.loc[result.candidates["chosen"], "option"].iloc[0])
    assert chosen == min(brute, key=lambda o: (brute[o], o))
    assert float(result.plan.shipments["expected_cost_usd"].iloc[0]) == pytest.approx(
        brute[chosen])


@pytest.mark.parametrize("penalty", [-1.0, float("nan"), float("inf"), True, "5"])
def test_bad_penalty_is_named(two_routes: sr.Problem, penalty: object) -> None:
    with pytest.raises(InputError) as info:
        sr.route_expected(two_routes, None, 10, lateness_usd_per_t_h=penalty)  # type: ignore[arg-type]
    assert info.value.field == "lateness_usd_per_t_h"

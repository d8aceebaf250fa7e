"""``sr.simulate``: zero variance replays the plan, the analytic miss probability of a two-leg
chain, rebooking onto the next feasible departure, same seed same result, common random numbers
across variants, and bad input named."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta

import numpy as np
import pytest

import silkroad_routing as sr
from silkroad_routing.errors import InputError
from silkroad_routing.scenario.schema import Uncertainty
from silkroad_routing.simulation import (
    CORRIDOR_RELIABILITY_COLUMNS,
    DEPARTURE_RELIABILITY_COLUMNS,
    SHIPMENT_RELIABILITY_COLUMNS,
)
from silkroad_routing.simulation.simulate import draw_replay
from silkroad_routing.units import TIME_TOLERANCE_H

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
#: The slack of the planned connection at B in the chain: S1 arrives 12:00, S2 leaves 16:00.
SLACK_H = 4.0
EXTRA_DWELL_HIGH_H = 20.0
RAIL_TO_RAIL = sr.TransferRule(hub="*", from_mode=sr.Mode.RAIL, to_mode=sr.Mode.RAIL,
                               min_connection_h=0.0, handling_usd_per_t=0.0)


def _hub(code: str, lon: float) -> sr.Hub:
    return sr.Hub(code=code, name=code, kind=sr.HubKind.RAIL_TERMINAL, country="CN", lat=0.0,
                  lon=lon)


def _rail(service_id: str, stops: tuple[str, ...], hours: float, depart: time,
          weekdays: frozenset[int], price_usd: float) -> sr.Service:
    return sr.Service(id=service_id, mode=sr.Mode.RAIL, stops=stops,
                      leg_h=(hours,) * (len(stops) - 1), leg_km=(500.0,) * (len(stops) - 1),
                      weekdays=weekdays, departure_time_utc=depart, price_usd=price_usd,
                      price_basis=sr.PricingBasis.FEU, part_load_usd_per_wm=price_usd / 20,
                      co2e_kg_per_tkm=0.02)


def chain(*extra: sr.Service) -> sr.Network:
    """HA -> HB daily at 02:00 (10 h), HB -> HC Mondays at 16:00 (10 h, cheap), HB -> HC daily at
    22:00 (10 h, dearer): the plan takes S2 with 4 h of slack at HB."""
    services = (
        _rail("S1", ("HA", "HB"), 10.0, time(2, 0), frozenset(range(7)), 100.0),
        _rail("S2", ("HB", "HC"), 10.0, time(16, 0), frozenset({0}), 100.0),
        _rail("S3", ("HB", "HC"), 10.0, time(22, 0), frozenset(range(7)), 300.0),
        *extra,
    )
    return sr.Network(hubs=(_hub("HA", 0.0), _hub("HB", 1.0), _hub("HC", 2.0), _hub("HD", 3.0)),
                      links=(), services=services, transfers=(RAIL_TO_RAIL,))


def _shipment(sid: str, due_h: float) -> sr.Shipment:
    return sr.Shipment(id=sid, origin="HA", destination="HC", ready=START,
                       due=START + timedelta(hours=due_h), weight_kg=8000.0, volume_m3=30.0,
                       units_feu=1)


def _problem(net: sr.Network, shipments: list[sr.Shipment]) -> sr.Problem:
    return sr.prepare(net, shipments, start=START, days=4)


def _dwell(high_h: float) -> Uncertainty:
    return Uncertainty.model_validate({"hubs": {"HB": {"extra_dwell_h": {
        "distribution": "uniform", "low": 0.0, "high": high_h}}}})


@pytest.fixture(scope="module")
def chain_case() -> tuple[sr.Problem, sr.Plan]:
    problem = _problem(chain(), [_shipment("on-time", 30.0), _shipment("late", 20.0)])
    plan = sr.route(problem, objective="cheapest")
    assert list(plan.legs["service_id"]) == ["S1", "S2", "S1", "S2"]
    return problem, plan


def test_columns(chain_case: tuple[sr.Problem, sr.Plan]) -> None:
    result = sr.simulate(*chain_case, _dwell(EXTRA_DWELL_HIGH_H), 20, seed=3)
    assert tuple(result.shipments.columns) == SHIPMENT_RELIABILITY_COLUMNS
    assert tuple(result.departures.columns) == DEPARTURE_RELIABILITY_COLUMNS
    assert result.arrival_h.shape == (20, 2)


def test_zero_variance_replays_the_plan(chain_case: tuple[sr.Problem, sr.Plan]) -> None:
    problem, plan = chain_case
    for uncertainty in (None, _dwell(1e-9)):
        result = sr.simulate(problem, plan, uncertainty, 5, seed=1)
        table = result.shipments
        assert set(table["p_on_time"]) <= {0.0, 1.0}
        assert list(table["p_on_time"] == 1.0) == list(table["on_time_planned"])
        assert list(table["on_time_planned"]) == [True, False]
        np.testing.assert_allclose(table["arrival_p95_h"], table["planned_arrival_h"], atol=1e-6)
        assert (table["extra_cost_mean_usd"] == 0.0).all()
        assert (result.departures["p_missed"] == 0.0).all()


def test_zero_variance_on_four_roads() -> None:
    net = sr.load_network("four_roads")
    dests = ["DEHAM", "DEDUI", "HUBUD", "BELGG", "ITMIL"]
    shipments = [sr.Shipment(id=f"s{i}", origin="CNCGO", destination=dests[i % 5],
                             ready=START + timedelta(hours=7 * i),
                             due=START + timedelta(hours=7 * i + (12 if i % 4 == 0 else 600)),
                             weight_kg=3000.0 + i,
                             volume_m3=15.0, units_feu=1) for i in range(20)]
    problem = sr.prepare(net, shipments, start=START, days=30)
    plan = sr.route(problem, objective="cheapest")
    result = sr.simulate(problem, plan, None, 3, seed=0)
    table = result.shipments
    assert len(table) == plan.n_routed
    assert list(table["p_on_time"] == 1.0) == list(table["on_time_planned"])
    assert set(table["p_on_time"]) == {0.0, 1.0}
    np.testing.assert_allclose(table["arrival_p50_h"], table["planned_arrival_h"], atol=1e-6)


def test_two_leg_miss_probability_is_analytic(chain_case: tuple[sr.Problem, sr.Plan]) -> None:
    samples = 4000
    result = sr.simulate(*chain_case, _dwell(EXTRA_DWELL_HIGH_H), samples, seed=11)
    expected = 1.0 - SLACK_H / EXTRA_DWELL_HIGH_H  # P(U(0, 20) > 4)
    row = result.departures.set_index("departure_id").loc["S2@2026-03-02"]
    half_width = 4.0 * math.sqrt(expected * (1.0 - expected) / samples)
    assert abs(row["p_missed"] - expected) < half_width
    assert row["spilled_kg_mean"] == pytest.approx(row["p_missed"] * 16000.0)
    on_time = result.shipments.set_index("shipment_id")
    assert abs(on_time.loc["on-time", "p_on_time"] - (1.0 - expected)) < half_width


def test_rebooking_takes_the_next_feasible_departure(chain_case: tuple[sr.Problem, sr.Plan]) -> None:
    """S2 runs once: a shipment that misses it takes S3 the same evening if the freight is ready
    by 22:00 (extra dwell <= 10 h), else the next evening's."""
    problem, plan = chain_case
    uncertainty = _dwell(EXTRA_DWELL_HIGH_H)
    result = sr.simulate(problem, plan, uncertainty, 400, seed=5)
    hub = problem.timetable.hub_codes.index("HB")
    extra_h = draw_replay(problem, uncertainty, 400, 5).hub_extra_h[:, hub]
    planned = float(result.shipments["planned_arrival_h"].iloc[0])  # 24:00, S2 at C
    expected = np.where(extra_h <= SLACK_H, planned,
                        np.where(extra_h <= SLACK_H + 6.0, planned + 6.0, planned + 30.0))
    # The destination's own extra dwell is zero: only B is uncertain.
    np.testing.assert_allclose(result.arrival_h[:, 0], expected, atol=1e-6)
    assert set(np.unique(expected - planned)) == {0.0, 6.0, 30.0}
    tariff = problem.timetable.conn_rate[problem.timetable.conn_service == 2][0] @ problem.shipments.q[0]
    assert result.shipments["extra_cost_mean_usd"].iloc[0] == pytest.approx(
        tariff * float(np.mean(extra_h > SLACK_H)))


def test_same_service_is_preferred_when_it_runs_again() -> None:
    """With S2 daily a missed S2 is rebooked onto tomorrow's S2, not tonight's dearer S3."""
    net = chain()
    daily = net.service_by_id["S2"].model_copy(update={"weekdays": frozenset(range(7))})
    net = sr.Network(hubs=net.hubs, links=(), transfers=(RAIL_TO_RAIL,),
                     services=tuple(daily if s.id == "S2" else s for s in net.services))
    problem = _problem(net, [_shipment("x", 30.0)])
    plan = sr.route(problem, objective="cheapest")
    uncertainty = _dwell(EXTRA_DWELL_HIGH_H)
    result = sr.simulate(problem, plan, uncertainty, 200, seed=2)
    extra_h = draw_replay(problem, uncertainty, 200, 2).hub_extra_h[:, 1]  # HB
    planned = float(result.shipments["planned_arrival_h"].iloc[0])
    np.testing.assert_allclose(result.arrival_h[:, 0],
                               np.where(extra_h <= SLACK_H, planned, planned + 24.0), atol=1e-6)


def test_cancelled_departures_are_rebooked(chain_case: tuple[sr.Problem, sr.Plan]) -> None:
    problem, plan = chain_case
    uncertainty = Uncertainty.model_validate({"modes": {"rail": {"cancel_probability": 1.0}}})
    result = sr.simulate(problem, plan, uncertainty, 10, seed=0)
    assert (result.shipments["p_stranded"] == 1.0).all()
    assert np.isinf(result.shipments["arrival_p50_h"]).all()
    assert result.shipments["lateness_mean_h"].isna().all()


def test_same_seed_same_result(chain_case: tuple[sr.Problem, sr.Plan]) -> None:
    uncertainty = Uncertainty.model_validate({
        "hubs": {"HB": {"extra_dwell_h": {"distribution": "triangular", "low": 0, "mode": 2,
                                         "high": 12}}},
        "modes": {"rail": {"duration_factor": {"distribution": "lognormal", "median": 1.0,
                                               "sigma": 0.2}, "cancel_probability": 0.1}}})
    first = sr.simulate(*chain_case, uncertainty, 300, seed=7)
    again = sr.simulate(*chain_case, uncertainty, 300, seed=7)
    other = sr.simulate(*chain_case, uncertainty, 300, seed=8)
    np.testing.assert_array_equal(first.arrival_h, again.arrival_h)
    assert first.shipments.equals(again.shipments) and first.departures.equals(again.departures)
    assert not np.array_equal(first.arrival_h, other.arrival_h)


def test_common_random_numbers_across_variants(chain_case: tuple[sr.Problem, sr.Plan]) -> None:
    """A variant with a service and a shipment the base does not have meets the same draws on
    every departure the two share: the base's shipments replay identically."""
    problem, plan = chain_case
    uncertainty = Uncertainty.model_validate({
        "hubs": {"HB": {"extra_dwell_h": {"distribution": "uniform", "low": 0, "high": 20}}},
        "modes": {"rail": {"duration_factor": {"distribution": "lognormal", "median": 1.0,
                                               "sigma": 0.2}, "cancel_probability": 0.1}}})
    extra = _rail("S0", ("HA", "HD"), 5.0, time(1, 0), frozenset(range(7)), 50.0)
    shipments = [sr.Shipment(id="d", origin="HA", destination="HD", ready=START, weight_kg=500.0,
                             volume_m3=2.0, units_feu=1),
                 _shipment("on-time", 30.0), _shipment("late", 20.0)]
    variant_problem = _problem(chain(extra), shipments)
    variant_plan = sr.route(variant_problem, objective="cheapest")
    base = sr.simulate(problem, plan, uncertainty, 500, seed=4)
    variant = sr.simulate(variant_problem, variant_plan, uncertainty, 500, seed=4)
    ids = list(variant.shipments["shipment_id"])
    shared = [ids.index(sid) for sid in base.shipments["shipment_id"]]
    np.testing.assert_array_equal(variant.arrival_h[:, shared], base.arrival_h)


@pytest.mark.parametrize(("samples", "seed", "field"),
                         [(0, 0, "samples"), (2.5, 0, "samples"), (10, -1, "seed")])
def test_bad_input_is_named(chain_case: tuple[sr.Problem, sr.Plan], samples: object, seed: object,
                            field: str) -> None:
    with pytest.raises(InputError) as info:
        sr.simulate(*chain_case, None, samples, seed)  # type: ignore[arg-type]
    assert info.value.field == field and info.value.value == (samples if field == "samples" else seed)


def test_unknown_hub_in_uncertainty_is_named(chain_case: tuple[sr.Problem, sr.Plan]) -> None:
    with pytest.raises(sr.ScenarioError, match="NOPE"):
        sr.simulate(*chain_case, Uncertainty.model_validate(
            {"hubs": {"NOPE": {"extra_dwell_h": {"distribution": "uniform", "low": 0, "high": 1}}}}),
            10, 0)


def test_corridor_table_pools_the_samples_of_its_shipments() -> None:
    """Two shipments HA -> HC and one HA -> HB (ready an hour later): the corridor rows equal
    the percentiles, on-time share and lateness recomputed with NumPy from ``arrival_h``."""
    short = sr.Shipment(id="short", origin="HA", destination="HB", ready=START + timedelta(hours=1),
                        due=START + timedelta(hours=15), weight_kg=8000.0, volume_m3=30.0,
                        units_feu=1)
    problem = _problem(chain(), [_shipment("on-time", 30.0), _shipment("late", 20.0), short])
    result = sr.simulate(problem, sr.route(problem, objective="cheapest"),
                         _dwell(EXTRA_DWELL_HIGH_H), 200, seed=5)
    table = result.corridors
    assert tuple(table.columns) == CORRIDOR_RELIABILITY_COLUMNS
    assert list(zip(table["origin"], table["destination"], table["modes"], table["shipments"],
                    strict=True)) == [("HA", "HB", "rail", 1), ("HA", "HC", "rail", 2)]
    ids = result.shipments["shipment_id"].tolist()
    for row, members in zip(table.itertuples(), (["short"], ["on-time", "late"]), strict=True):
        cols = [ids.index(m) for m in members]
        arrival = result.arrival_h[:, cols]
        due = result.shipments["due_h"].to_numpy()[cols]
        ready = np.array([1.0 if m == "short" else 0.0 for m in members])
        transit_days = ((arrival - ready) / 24.0).ravel()
        for p in (10, 50, 90, 95):
            assert getattr(row, f"transit_p{p}_days") == np.percentile(
                transit_days, p, method="inverted_cdf")
        assert row.p_on_time == pytest.approx(np.mean(arrival <= due + TIME_TOLERANCE_H))
        assert row.lateness_mean_h == pytest.approx(np.mean(np.maximum(arrival - due, 0.0)))
        assert row.p_stranded == 0.0

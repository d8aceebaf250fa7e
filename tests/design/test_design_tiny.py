"""``sr.design`` on tiny random networks against brute force, and its results re-checked.

Every design returned is re-checked by :mod:`design_reference`: its routes are valid journeys
on the network, the capacities per departure leg and per hub-day hold, only opened optional
departures are ridden, and its objective (and each part) is recomputed from its routes and
opened departures. On these instances every route is enumerated, so the design must be
optimal: its objective equals the brute-force optimum over every set of departures to open.
With the enumeration switched off, column generation's Lagrangian bound must still never
exceed that optimum.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta

import numpy as np
import pandas as pd
import pytest
from design_reference import Penalties, brute_force, recompute
from hypothesis import given, settings
from hypothesis import strategies as st

import silkroad_routing as sr
from silkroad_routing.solvers.design import solve as design_solve

START = datetime(2026, 12, 7, tzinfo=UTC)  # a Monday
DAYS = 3
PENALTIES = Penalties(value_of_time_usd_per_h=2.0, co2_price_usd_per_t=80.0,
                      lateness_penalty_usd_per_t_h=30.0, unserved_penalty_usd_per_kg=6.0)


@st.composite
def instances(draw: st.DrawFn) -> tuple[sr.Network, list[sr.Shipment]]:
    """3-4 hubs, 2-4 services (some optional, with a fixed cost and a small capacity), up to
    two trucks, one transfer time and handling rate for every mode pair, 2-3 shipments."""
    n_hubs = draw(st.integers(3, 4))
    hubs = tuple(sr.Hub(code=f"H{i}", name=f"hub {i}", kind="rail_terminal", country="CN",
                        lat=0.0, lon=float(i), dwell_h=float(draw(st.sampled_from((0, 0, 2)))))
                 for i in range(n_hubs))
    codes = [h.code for h in hubs]
    services = []
    for k in range(draw(st.integers(2, 4))):
        mode = draw(st.sampled_from(("air", "rail")))
        stops = draw(st.lists(st.sampled_from(codes), min_size=2, max_size=3, unique=True))
        optional = draw(st.booleans())
        legs = len(stops) - 1
        services.append(sr.Service(
            id=f"S{k}", mode=mode, stops=tuple(stops),
            leg_h=tuple(float(draw(st.integers(2, 10))) for _ in range(legs)),
            leg_km=(400.0,) * legs, weekdays=frozenset(draw(st.lists(
                st.integers(0, 2), min_size=1, max_size=3))),
            departure_time_utc=time(draw(st.integers(0, 20)), 0),
            price_usd=0.0 if optional else float(draw(st.integers(1, 4))),
            price_basis="kg_chargeable" if mode == "air" else "wm",
            capacity_kg=float(draw(st.sampled_from((1500, 2500, 4000)))) if mode == "air" else None,
            capacity_teu=float(draw(st.sampled_from((0.2, 0.4)))) if mode == "rail" else None,
            co2e_kg_per_tkm=0.5 if mode == "air" else 0.03, optional=optional,
            fixed_cost_usd_per_run=float(draw(st.integers(1, 8)) * 500) if optional else 0.0))
    links = []
    for k in range(draw(st.integers(0, 2))):
        a, b = draw(st.lists(st.sampled_from(codes), min_size=2, max_size=2, unique=True))
        links.append(sr.Link(id=f"L{k}", from_hub=a, to_hub=b, mode="road", distance_km=200.0,
                             duration_h=float(draw(st.integers(2, 12))), price_usd=400.0,
                             price_basis="truck", part_load_usd_per_wm=float(draw(
                                 st.integers(50, 400))), co2e_kg_per_tkm=0.06))
    mct = float(draw(st.integers(0, 3)))
    handling = float(draw(st.sampled_from((0, 20))))
    transfers = tuple(sr.TransferRule(hub="*", from_mode=a, to_mode=b, min_connection_h=mct,
                                      handling_usd_per_t=handling)
                      for a in ("air", "rail", "road") for b in ("air", "rail", "road"))
    net = sr.Network(hubs=hubs, links=tuple(links), services=tuple(services), transfers=transfers)
    # Shipments between stops of one service (so that a route may exist), or anywhere.
    pairs = [(sv.stops[i], sv.stops[j]) for sv in services for i in range(len(sv.stops))
             for j in range(i + 1, len(sv.stops))]
    shipments = []
    for i in range(draw(st.integers(2, 3))):
        if draw(st.integers(0, 3)) > 0:
            a, b = draw(st.sampled_from(pairs))
        else:
            a, b = draw(st.lists(st.sampled_from(codes), min_size=2, max_size=2, unique=True))
        ready = START + timedelta(hours=draw(st.integers(0, 30)))
        weight = float(draw(st.sampled_from((600, 1000, 1400))))
        slack = draw(st.one_of(st.none(), st.integers(8, 60)))
        shipments.append(sr.Shipment(
            id=f"s{i}", origin=a, destination=b, ready=ready,
            due=None if slack is None else ready + timedelta(hours=slack), weight_kg=weight,
            volume_m3=weight / 250.0, declared_value_usd=weight * 10))
    return net, shipments


def run(net: sr.Network, shipments: list[sr.Shipment], **kwargs) -> sr.Design:
    return sr.design(net, shipments, start=START, days=DAYS, costs=PENALTIES.costs(),
                     params=sr.SolverParams(time_limit_s=30, seed=3), **kwargs)


def check(net: sr.Network, shipments: list[sr.Shipment], design: sr.Design) -> None:
    """Feasible, and its objective recomputed part by part."""
    parts = recompute(net, shipments, design, START, DAYS, PENALTIES)
    for key, value in parts.items():
        assert design.costs[key] == pytest.approx(value, rel=1e-9, abs=1e-6), key
    assert design.objective == pytest.approx(sum(parts.values()), rel=1e-9, abs=1e-6)
    assert design.stats["solver_objective_usd"] == pytest.approx(design.objective, rel=1e-9,
                                                                 abs=1e-6)
    assert design.bound <= design.objective + 1e-6
    assert set(design.plan.shipments["shipment_id"]) == {s.id for s in shipments}
    unserved = design.plan.shipments[~design.plan.shipments["routed"]]
    assert set(unserved["shipment_id"]) == set(design.unserved["shipment_id"])
    assert (unserved["reason"].isin(["unserved", "no path"])).all()


@settings(max_examples=25)
@given(instance=instances())
def test_design_is_feasible_and_optimal_like_brute_force(instance) -> None:
    net, shipments = instance
    design = run(net, shipments)
    check(net, shipments, design)
    assert design.stats["exact"]
    optimum = brute_force(net, shipments, START, DAYS, PENALTIES, math.inf)
    assert design.objective == pytest.approx(optimum, rel=1e-9, abs=1e-6)
    assert str(design.status) == "optimal"


@settings(max_examples=15)
@given(instance=instances())
def test_column_generation_bound_never_exceeds_the_optimum(instance) -> None:
    net, shipments = instance
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(design_solve, "EXACT_MAX_ROUTES", -1)
        design = run(net, shipments)
    check(net, shipments, design)
    assert not design.stats["exact"]
    optimum = brute_force(net, shipments, START, DAYS, PENALTIES, math.inf)
    assert design.bound <= optimum + 1e-6 * max(1.0, optimum)
    assert design.objective >= optimum - 1e-6 * max(1.0, optimum)


def _two_flights(capacity_t_day: float | None = None) -> tuple[sr.Network, list[sr.Shipment]]:
    """AA -> BB: a daily scheduled flight (2 t, 5 USD/kg) and an optional charter (fixed 4000
    USD, 10 t) on day 2; three 1.5 t shipments due after the charter lands."""
    hubs = (sr.Hub(code="AA", name="a", kind="airport", country="CN", lat=0, lon=0,
                   capacity_t_day=capacity_t_day),
            sr.Hub(code="BB", name="b", kind="airport", country="DE", lat=0, lon=1))
    flight = dict(mode="air", stops=("AA", "BB"), leg_h=(10.0,), leg_km=(8000.0,),
                  price_basis="kg_chargeable", co2e_kg_per_tkm=0.5)
    services = (sr.Service(id="REG", weekdays=frozenset({0, 1, 2}), departure_time_utc=time(6),
                           capacity_kg=2000.0, price_usd=5.0, **flight),
                sr.Service(id="CHT", weekdays=frozenset({1}), departure_time_utc=time(12),
                           capacity_kg=10000.0, price_usd=0.0, optional=True,
                           fixed_cost_usd_per_run=4000.0, **flight))
    net = sr.Network(hubs=hubs, services=services)
    shipments = [sr.Shipment(id=f"p{i}", origin="AA", destination="BB",
                             ready=START + timedelta(hours=i), due=START + timedelta(days=3),
                             weight_kg=1500.0, volume_m3=2.0) for i in range(3)]
    return net, shipments


def test_a_charter_opens_when_scheduled_capacity_runs_out() -> None:
    net, shipments = _two_flights()
    design = run(net, shipments)
    check(net, shipments, design)
    # Three 1.5 t shipments on 2 t flights take three days at 7,500 USD each; the charter
    # carries all three for 4,000 USD.
    assert list(design.departures["departure_id"]) == ["CHT@2026-12-08"]
    assert design.departures["load_kg"].iloc[0] == pytest.approx(4500.0)
    assert design.departures["utilisation"].iloc[0] == pytest.approx(0.45)
    assert design.costs["fixed_usd"] == pytest.approx(4000.0)


@pytest.mark.parametrize("exact", [True, False])
def test_hub_day_capacity_is_respected(exact: bool) -> None:
    net, shipments = _two_flights(capacity_t_day=3.0)
    with pytest.MonkeyPatch.context() as patch:
        if not exact:
            patch.setattr(design_solve, "EXACT_MAX_ROUTES", -1)
        design = run(net, shipments)
    check(net, shipments, design)
    throughput = design.hub_days[design.hub_days["hub"] == "AA"]["throughput_t"]
    assert (throughput <= 3.0 + 1e-9).all()
    optimum = brute_force(net, shipments, START, DAYS, PENALTIES, math.inf)
    assert design.bound <= optimum + 1e-6
    if exact:
        assert design.objective == pytest.approx(optimum, rel=1e-9)


@pytest.mark.parametrize("exact", [True, False])
def test_identical_shipments_form_one_commodity(exact: bool) -> None:
    net, shipments = _two_flights()
    same = [s.model_copy(update={"ready": shipments[0].ready}) for s in shipments]
    with pytest.MonkeyPatch.context() as patch:
        if not exact:
            patch.setattr(design_solve, "EXACT_MAX_ROUTES", -1)
        design = run(net, same)
    check(net, same, design)
    assert design.stats["commodities"] == 1 and design.stats["exact"] == exact
    optimum = brute_force(net, same, START, DAYS, PENALTIES, math.inf)
    assert design.objective == pytest.approx(optimum, rel=1e-9)


def test_unserved_when_serving_costs_more_than_the_penalty() -> None:
    net, shipments = _two_flights()
    design = sr.design(net, shipments, start=START, days=DAYS,
                       costs=sr.Costs(unserved_penalty_usd_per_kg=0.5),
                       params=sr.SolverParams(time_limit_s=10))
    assert len(design.unserved) == 3 and design.departures.empty
    assert design.costs["unserved_usd"] == pytest.approx(0.5 * 4500.0)
    assert set(design.plan.shipments["reason"]) == {"unserved"}


def test_same_seed_same_result() -> None:
    net, shipments = _two_flights(capacity_t_day=3.0)
    first, second = run(net, shipments), run(net, shipments)
    pd.testing.assert_frame_equal(first.departures, second.departures)
    pd.testing.assert_frame_equal(first.plan.legs, second.plan.legs)
    pd.testing.assert_frame_equal(first.plan.shipments, second.plan.shipments)
    assert (first.objective, first.bound) == (second.objective, second.bound)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(design_solve, "EXACT_MAX_ROUTES", -1)
        a, b = run(net, shipments), run(net, shipments)
    pd.testing.assert_frame_equal(a.plan.legs, b.plan.legs)
    assert (a.objective, a.bound) == (b.objective, b.bound)


def test_report_tables() -> None:
    net, shipments = _two_flights()
    design = run(net, shipments)
    report = design.report()
    assert list(report.tables()) == ["design", "services opened", "departures opened",
                                     "departure utilisation", "hub-days with a capacity",
                                     "late shipments", "unserved shipments"]
    assert report.services["runs"].tolist() == [1]
    text = report.to_text()
    assert "CHT@2026-12-08" in text and "lower bound" in text
    assert np.isfinite(design.gap)


@pytest.mark.parametrize(("field", "value"), [
    ("time_limit_s", 0), ("threads", 0), ("threads", True), ("seed", -1), ("solver", "cplex"),
    ("mip_gap", float("nan")), ("log", "yes"), ("max_rounds", 0), ("max_rounds", True),
    ("max_rounds", 501)])
def test_bad_solver_parameters_name_the_field(field: str, value: object) -> None:
    with pytest.raises(sr.InputError, match=field):
        sr.SolverParams(**{field: value})


@pytest.mark.parametrize(("field", "value"), [
    ("lateness_penalty_usd_per_t_h", -1.0), ("co2_price_usd_per_t", float("inf")),
    ("value_of_time_usd_per_h", True), ("chargeable_divisor_cm3_per_kg", 0)])
def test_bad_costs_name_the_field(field: str, value: object) -> None:
    with pytest.raises(sr.InputError, match=field):
        sr.Costs(**{field: value})


def test_design_refuses_a_problem_without_candidate_services() -> None:
    net, shipments = _two_flights()
    problem = sr.prepare(net, shipments, start=START, days=DAYS)
    with pytest.raises(sr.InputError, match="include_optional"):
        sr.design(problem)
    with pytest.raises(sr.InputError, match="days"):
        sr.design(sr.prepare(net, shipments, start=START, days=DAYS, include_optional=True),
                  days=DAYS)

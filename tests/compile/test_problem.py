"""The prepared problem: built once, and every task on it equals the task's wrapper call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import silkroad_routing as sr
from silkroad_routing.units import FEU_USABLE_M3, ULD_POSITION_M3

MINI = Path(__file__).resolve().parents[1] / "data" / "mini_network"
START = datetime(2026, 11, 2, tzinfo=UTC)
DAYS = 21
COSTS = sr.Costs(value_of_time_usd_per_h=1.5, co2_price_usd_per_t=60.0)


def _shipments() -> list[sr.Shipment]:
    rows = [("S1", "ZZRT", "DEHAM", 0, 2000.0, 12.0, ("rail",)),
            ("S2", "ZZRT", "DEHAM", 0, 30000.0, 60.0, ("rail",)),
            ("S3", "CGO", "LUX", 0, 400.0, 2.5, ("air",)),
            ("S4", "CGO", "DEHAM", 1, 2500.0, 20.0, ("road", "rail"))]
    return [sr.Shipment(id=sid, origin=o, destination=d, ready=START + timedelta(days=day),
                        weight_kg=kg, volume_m3=m3, modes=frozenset(modes))
            for sid, o, d, day, kg, m3, modes in rows]


@pytest.fixture(scope="module")
def network() -> sr.Network:
    return sr.load_network(MINI)


def test_prepare_holds_arrays_costs_and_capacities(network: sr.Network) -> None:
    shipments = _shipments()
    problem = sr.prepare(network, shipments, start=START, days=DAYS, costs=COSTS)
    assert len(problem) == 4 and list(problem.shipments.table.id) == [s.id for s in shipments]
    arrays = problem.shipments
    assert arrays.ids.tolist() == ["S1", "S2", "S3", "S4"]
    # Capacity use, recomputed from the shipments: kg, TEU (two FEU for S2: 30 t is over one
    # FEU's payload; S1 is a part load by volume share) and ULD positions.
    assert arrays.use[:, 0].tolist() == [2000.0, 30000.0, 400.0, 2500.0]
    assert arrays.use[1, 1] == 4.0
    assert arrays.use[0, 1] == pytest.approx(12.0 / (FEU_USABLE_M3 / 2))
    assert arrays.use[2, 2] == pytest.approx(2.5 / ULD_POSITION_M3)
    tt = problem.timetable
    assert problem.conn_capacity.shape == (tt.n_connections, 3)
    np.testing.assert_array_equal(problem.conn_capacity[:, 1], tt.conn_capacity_teu)
    assert problem.hub_capacity_t_day.shape == (len(network.hubs),)
    assert np.all(np.diff(problem.day_start_h) == 24.0)  # UTC days
    assert tt.arrays.n_connections == tt.n_connections


def test_route_on_a_problem_equals_the_wrapper(network: sr.Network) -> None:
    shipments = _shipments()
    problem = sr.prepare(network, shipments, start=START, days=DAYS, costs=COSTS)
    for objective in ("fastest", "cheapest", "greenest", "generalized", "pareto"):
        on_problem = sr.route(problem, objective=objective)
        wrapped = sr.route(network, shipments, objective, start=START, days=DAYS, costs=COSTS)
        pd.testing.assert_frame_equal(on_problem.legs, wrapped.legs)
        pd.testing.assert_frame_equal(on_problem.shipments, wrapped.shipments)


def test_consolidate_on_a_problem_equals_the_wrapper(network: sr.Network) -> None:
    shipments = _shipments()
    problem = sr.prepare(network, shipments, start=START, days=DAYS)
    plan = sr.route(problem, objective="cheapest")
    on_problem = sr.consolidate(problem, plan)
    wrapped = sr.consolidate(network, plan, shipments)
    for name in ("units", "departures", "allocation"):
        pd.testing.assert_frame_equal(getattr(on_problem, name), getattr(wrapped, name))


def test_design_on_a_problem_equals_the_wrapper(network: sr.Network) -> None:
    shipments = _shipments()
    params = sr.SolverParams(time_limit_s=20, seed=2)
    problem = sr.prepare(network, shipments, start=START, days=DAYS, costs=COSTS,
                         include_optional=True)
    on_problem = sr.design(problem, params=params)
    wrapped = sr.design(network, shipments, start=START, days=DAYS, costs=COSTS, params=params)
    assert on_problem.objective == pytest.approx(wrapped.objective, rel=1e-12)
    pd.testing.assert_frame_equal(on_problem.departures, wrapped.departures)
    pd.testing.assert_frame_equal(on_problem.plan.legs, wrapped.plan.legs)


def test_a_problem_refuses_what_it_fixed(network: sr.Network) -> None:
    problem = sr.prepare(network, _shipments(), start=START, days=DAYS)
    with pytest.raises(sr.InputError, match="costs"):
        sr.route(problem, costs=COSTS)
    with pytest.raises(sr.InputError, match="shipments"):
        sr.route(problem, _shipments())
    with pytest.raises(sr.InputError, match="shipments"):
        sr.route(network)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"days": 0}, "days"), ({"days": float("nan")}, "days"), ({"days": True}, "days"),
    ({"start": datetime(2026, 11, 2)}, "start"), ({"tz": "Mars/Olympus"}, "tz"),
    ({"costs": {"co2_price_usd_per_t": 5}}, "costs")])
def test_prepare_names_a_bad_argument(network: sr.Network, kwargs: dict, field: str) -> None:
    with pytest.raises(sr.InputError, match=field):
        sr.prepare(network, _shipments(), **kwargs)

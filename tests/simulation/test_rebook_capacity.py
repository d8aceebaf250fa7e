"""Rebooking within capacity: a hand case where the next departure is full, the kernel against
a plain-Python re-implementation of the rules on small random cases, and the plan's loads
against the plan's own legs."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import numpy as np
import pytest
from replay_reference import reference_replay

import silkroad_routing as sr
from silkroad_routing.core.replay import replay, replay_python
from silkroad_routing.errors import InputError
from silkroad_routing.scenario.schema import Uncertainty
from silkroad_routing.simulation.simulate import (
    draw_replay,
    plan_loads,
    replay_arrays,
    replay_capacity,
)
from silkroad_routing.units import TIME_TOLERANCE_H

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
EVERY_DAY = frozenset(range(7))
RAIL_TO_RAIL = sr.TransferRule(hub="*", from_mode=sr.Mode.RAIL, to_mode=sr.Mode.RAIL,
                               min_connection_h=0.0, handling_usd_per_t=0.0)


def _hub(code: str, lon: float) -> sr.Hub:
    return sr.Hub(code=code, name=code, kind=sr.HubKind.RAIL_TERMINAL, country="CN", lat=0.0,
                  lon=lon)


def _rail(service_id: str, stops: tuple[str, ...], hours: float, depart: time,
          weekdays: frozenset[int], price_usd: float, teu: float | None) -> sr.Service:
    return sr.Service(id=service_id, mode=sr.Mode.RAIL, stops=stops,
                      leg_h=(hours,) * (len(stops) - 1), leg_km=(500.0,) * (len(stops) - 1),
                      weekdays=weekdays, departure_time_utc=depart, price_usd=price_usd,
                      price_basis=sr.PricingBasis.FEU, part_load_usd_per_wm=price_usd / 20,
                      co2e_kg_per_tkm=0.02, capacity_teu=teu)


def _network(services: tuple[sr.Service, ...]) -> sr.Network:
    return sr.Network(hubs=(_hub("HA", 0.0), _hub("HB", 1.0), _hub("HC", 2.0)), links=(),
                      services=services, transfers=(RAIL_TO_RAIL,))


def _shipment(sid: str, origin: str, ready_h: float, due_h: float, feu: int = 1) -> sr.Shipment:
    return sr.Shipment(id=sid, origin=origin, destination="HC",
                       ready=START + timedelta(hours=ready_h), due=START + timedelta(hours=due_h),
                       weight_kg=8000.0 * feu, volume_m3=30.0 * feu, units_feu=feu)


def _hand_case() -> tuple[sr.Problem, sr.Plan]:
    """S1 HA -> HB daily 02:00 (10 h); S2 HB -> HC Monday 16:00 (10 h, 4 TEU); S3 HB -> HC daily
    22:00 (10 h, 2 TEU: one FEU). ``a`` and ``b`` (due 30 h and 31 h) ride S1 + S2; ``c``, ready
    at HB at 17:00 Monday after S2 has left, fills Monday's S3."""
    net = _network((
        _rail("S1", ("HA", "HB"), 10.0, time(2, 0), EVERY_DAY, 100.0, None),
        _rail("S2", ("HB", "HC"), 10.0, time(16, 0), frozenset({0}), 100.0, 4.0),
        _rail("S3", ("HB", "HC"), 10.0, time(22, 0), EVERY_DAY, 300.0, 2.0)))
    shipments = [_shipment("a", "HA", 0.0, 30.0), _shipment("b", "HA", 0.0, 31.0),
                 _shipment("c", "HB", 17.0, 40.0)]
    problem = sr.prepare(net, shipments, start=START, days=4)
    plan = sr.route(problem, objective="cheapest", capacity="respect")
    legs = plan.legs.groupby("shipment_id")["departure_id"].apply(list).to_dict()
    assert legs == {"a": ["S1@2026-03-02", "S2@2026-03-02"],
                    "b": ["S1@2026-03-02", "S2@2026-03-02"], "c": ["S3@2026-03-02"]}
    return problem, plan


#: Freight at HB 5-5.5 h late: S2 (4 h of slack) is missed every sample.
MISS_S2 = Uncertainty.model_validate({"hubs": {"HB": {"extra_dwell_h": {
    "distribution": "uniform", "low": 5.0, "high": 5.5}}}})


def test_next_departure_full_takes_the_next_with_space() -> None:
    """Monday's S3 is full with ``c``: ``a`` (first in priority: due first) takes Tuesday's S3,
    ``b`` finds Tuesday's full too and takes Wednesday's. Without capacity both take Monday's."""
    problem, plan = _hand_case()
    held = sr.simulate(problem, plan, MISS_S2, 20, seed=0)
    assert held.capacity == "respect"
    free = sr.simulate(problem, plan, MISS_S2, 20, seed=0, capacity="ignore")
    s3_arrival_h = {day: 24.0 * day + 22.0 + 10.0 for day in range(4)}
    ids = list(held.shipments["shipment_id"])
    arrivals = {sid: set(held.arrival_h[:, ids.index(sid)].tolist()) for sid in ids}
    assert arrivals == {"a": {s3_arrival_h[1]}, "b": {s3_arrival_h[2]}, "c": {s3_arrival_h[0]}}
    free_ids = list(free.shipments["shipment_id"])
    assert {free.arrival_h[0, free_ids.index(sid)] for sid in ("a", "b")} == {s3_arrival_h[0]}
    assert (held.shipments["p_stranded"] == 0.0).all()


def test_no_departure_with_space_strands_the_shipment() -> None:
    """With S3 only Monday and Tuesday, ``b`` finds no space left in the horizon."""
    problem, plan = _hand_case()
    net = problem.network
    s3 = net.service_by_id["S3"].model_copy(update={"weekdays": frozenset({0, 1})})
    net = _network(tuple(s3 if s.id == "S3" else s for s in net.services))
    problem = sr.prepare(net, [_shipment("a", "HA", 0.0, 30.0), _shipment("b", "HA", 0.0, 31.0),
                               _shipment("c", "HB", 17.0, 40.0)], start=START, days=4)
    plan = sr.route(problem, objective="cheapest", capacity="respect")
    table = sr.simulate(problem, plan, MISS_S2, 10, seed=0).shipments.set_index("shipment_id")
    assert table.loc["b", "p_stranded"] == 1.0
    assert table.loc["a", "p_stranded"] == 0.0 and table.loc["c", "p_stranded"] == 0.0


def test_capacity_mode_is_checked() -> None:
    problem, plan = _hand_case()
    with pytest.raises(InputError) as info:
        sr.simulate(problem, plan, None, 5, capacity="maybe")
    assert info.value.field == "capacity" and info.value.value == "maybe"


def _random_case(seed: int) -> tuple[sr.Problem, sr.Plan, list[sr.Shipment]]:
    """Three hubs, six rail services (one through HA -> HB -> HC, ridden aboard at HB) with
    small random TEU capacities, and 14 random shipments booked within them."""
    rng = np.random.default_rng(seed)

    def teu() -> float:
        return float(rng.choice([2.0, 4.0, 6.0]))

    net = _network((
        _rail("S1", ("HA", "HB"), 10.0, time(2, 0), EVERY_DAY, 100.0, teu()),
        _rail("S1b", ("HA", "HB"), 8.0, time(9, 0), EVERY_DAY, 140.0, teu()),
        _rail("S2", ("HB", "HC"), 10.0, time(16, 0), frozenset({0, 3}), 100.0, teu()),
        _rail("S3", ("HB", "HC"), 10.0, time(22, 0), EVERY_DAY, 300.0, teu()),
        _rail("S4", ("HB", "HC"), 12.0, time(6, 0), EVERY_DAY, 200.0, teu()),
        _rail("S5", ("HA", "HB", "HC"), 9.0, time(4, 0), EVERY_DAY, 260.0, teu())))
    shipments = []
    for i in range(14):
        ready_h = float(rng.uniform(0.0, 48.0))
        shipments.append(_shipment(f"x{i:02d}", str(rng.choice(["HA", "HB"])), ready_h,
                                   ready_h + float(rng.uniform(20.0, 80.0)),
                                   feu=int(rng.integers(1, 3))))
    problem = sr.prepare(net, shipments, start=START, days=7)
    return problem, sr.route(problem, objective="cheapest", capacity="respect"), shipments


UNCERTAIN = Uncertainty.model_validate({
    "hubs": {"HB": {"extra_dwell_h": {"distribution": "uniform", "low": 0.0, "high": 30.0}}},
    "modes": {"rail": {"duration_factor": {"distribution": "lognormal", "median": 1.0,
                                           "sigma": 0.2}, "cancel_probability": 0.1}}})


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_kernel_matches_plain_python_reference(seed: int) -> None:
    problem, plan, _ = _random_case(seed)
    arrays, rows, _ = replay_arrays(problem, plan.selected())
    cap = replay_capacity(problem, arrays, rows)
    draws = draw_replay(problem, UNCERTAIN, 60, seed)
    conn_mode = problem.timetable.conn_mode
    for space in (cap, None):
        out = replay(arrays, draws, TIME_TOLERANCE_H, space)
        ref = reference_replay(arrays, draws, TIME_TOLERANCE_H, conn_mode, space)
        for name, expected in ref.items():
            np.testing.assert_allclose(getattr(out, name), expected, rtol=1e-12, err_msg=name)
    py = replay_python(arrays, draws, TIME_TOLERANCE_H, cap)
    held = replay(arrays, draws, TIME_TOLERANCE_H, cap)
    np.testing.assert_array_equal(py.arrival_h, held.arrival_h)
    # Capacity made a difference somewhere, or the comparison would prove little.
    free = replay(arrays, draws, TIME_TOLERANCE_H, None)
    assert not np.array_equal(free.arrival_h, held.arrival_h)


def test_plan_loads_are_the_plans_legs() -> None:
    """Per departure leg, the plan's loads are the TEU of the shipments whose legs ride it, and
    a plan booked within capacity leaves no leg overfull."""
    problem, plan, shipments = _random_case(0)
    arrays, rows, _ = replay_arrays(problem, plan)
    loads = plan_loads(problem, arrays, rows)
    tt = problem.timetable
    teu = {s.id: 2.0 * s.units_feu for s in shipments}
    expected = np.zeros(tt.n_connections)
    conn_of = {(tt.departure_ids[t], tt.hub_codes[f]): c for c, (t, f) in
               enumerate(zip(tt.conn_trip.tolist(), tt.conn_from.tolist(), strict=True))}
    for leg in plan.legs.itertuples():
        expected[conn_of[(leg.departure_id, leg.from_hub)]] += teu[leg.shipment_id]
    np.testing.assert_allclose(loads[:, 1], expected)
    assert (problem.conn_capacity - loads >= -1e-9).all()

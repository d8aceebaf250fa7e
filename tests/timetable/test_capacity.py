"""Capacity-aware routing against the enumerating reference of :mod:`capacity_reference`.

For every shipment, in the reference's own priority order, the reference enumerates every
journey, keeps those that still fit the capacity it has counted so far, and the routed plan
must (a) book a journey that fits, (b) be at least as good for the objective as every
enumerated journey that fits, and (c) report ``no capacity`` only when none fits. It then books
the plan's journey in its own ledger; at the end nothing may be over capacity.
"""

from __future__ import annotations

import copy
import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from capacity_reference import ReferenceLedger, Ride, Route, journeys
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from timetable_reference import HORIZON_START, Cargo, RideLeg, check_journey, tiny_networks

import silkroad_routing as sr
from silkroad_routing.core.timetable.arrays import KIND_CONNECTION
from silkroad_routing.core.timetable.batch import route_batch
from silkroad_routing.core.timetable.capacity import CapacityArrays
from silkroad_routing.core.timetable.labels import SELECT_MIN_COST
from silkroad_routing.edits import set_service_capacity
from silkroad_routing.kpi import compute_kpis
from silkroad_routing.plan import CAPACITY_COLUMNS, SHIPMENT_COLUMNS

DAYS = 4
TOL = 1e-6
VOT = 2.0
CO2_PRICE_T = 40.0
COSTS = sr.Costs(value_of_time_usd_per_h=VOT, co2_price_usd_per_t=CO2_PRICE_T)
#: Part loads and a full load; sizes chosen so that a few fill the capacities drawn below.
CARGOES = (Cargo(800.0, 4.0), Cargo(2500.0, 10.0), Cargo(12000.0, 30.0), Cargo(400.0, 1.5))


@st.composite
def capacitated(draw: st.DrawFn) -> tuple[sr.Network, list[sr.Shipment]]:
    """A tiny network with tight capacities on departures, hubs and crossings, and up to 7
    shipments between few hubs (so that they compete)."""
    net = draw(tiny_networks(max_hubs=4))
    services = tuple(s.model_copy(update={
        "capacity_kg": draw(st.sampled_from((None, 1000.0, 3000.0, 15000.0))),
        "capacity_teu": draw(st.sampled_from((None, 1.0, 3.0))),
        "capacity_positions": draw(st.sampled_from((None, 1, 2)))}) for s in net.services)
    hubs = tuple(h.model_copy(update={
        "capacity_t_day": draw(st.sampled_from((None, None, 1.0, 3.0))),
        "crossing_capacity_trains_day": draw(st.sampled_from((None, 1.0)))
        if h.kind == "border_crossing" else None}) for h in net.hubs)
    net = net.model_copy(update={"services": services, "hubs": hubs})
    codes = [h.code for h in net.hubs]
    shipments = []
    for i in range(draw(st.integers(2, 7))):
        origin = draw(st.sampled_from(codes[:2]))
        dest = draw(st.sampled_from([c for c in codes if c != origin]))
        ready = HORIZON_START + timedelta(hours=draw(st.integers(0, 30)))
        cargo = draw(st.sampled_from(CARGOES))
        slack = draw(st.one_of(st.none(), st.integers(6, 80)))
        shipments.append(sr.Shipment(
            id=f"s{i}", origin=origin, destination=dest, ready=ready,
            due=None if slack is None else ready + timedelta(hours=slack),
            weight_kg=cargo.weight_kg, volume_m3=cargo.volume_m3, units_feu=cargo.units_feu))
    return net, shipments


def _hours(when: pd.Timestamp) -> float:
    return (when.to_pydatetime() - HORIZON_START) / timedelta(hours=1)


def _route_of(net: sr.Network, plan: sr.Plan, s: sr.Shipment, cargo: Cargo) -> Route:
    """The plan's journey of ``s``, re-checked and re-priced by the reference."""
    rides, ride_legs = [], []
    for row in plan.route_of(s.id).itertuples():
        dep, arr = _hours(row.departure), _hours(row.arrival)
        if row.kind == "service":
            day = date.fromisoformat(row.departure_id.split("@")[1])
            leg = net.service_by_id[row.service_id].stops.index(row.from_hub)
            ride_legs.append(RideLeg(row.service_id, day, leg, None, dep, arr))
            rides.append(Ride(row.service_id, day, leg, None, row.from_hub, row.to_hub, dep, arr))
        else:
            ride_legs.append(RideLeg(None, None, None, row.link_id, dep, arr))
            rides.append(Ride(None, None, None, row.link_id, row.from_hub, row.to_hub, dep, arr))
    hub, avail, cost, co2 = check_journey(net, DAYS, cargo, s.origin, _hours(pd.Timestamp(
        s.ready)), ride_legs)
    assert hub == s.destination
    return Route(tuple(rides), avail, cost, co2)


def _value(objective: str, s: sr.Shipment, r: Route) -> tuple[float, ...]:
    """What the objective minimises: on-time routes first, by their measure; then late ones,
    by arrival and then the measure; ``fastest`` by arrival alone."""
    if objective == "fastest":
        return (0, r.arrival)
    due = math.inf if s.due is None else (s.due - HORIZON_START) / timedelta(hours=1)
    ready = (s.ready - HORIZON_START) / timedelta(hours=1)
    measure = {"cheapest": r.cost, "greenest": r.co2,
               "generalized": r.cost + VOT * (r.arrival - ready) + CO2_PRICE_T / 1000 * r.co2}
    if r.arrival > due + TOL:
        return (1, r.arrival, measure[objective])
    return (0, measure[objective])


def _no_worse(got: tuple[float, ...], best: tuple[float, ...]) -> bool:
    """``got <= best`` lexicographically, to a tolerance on each value."""
    for a, b in zip(got, best, strict=False):
        if a < b - TOL:
            return True
        if a > b + TOL:
            return False
    return True


@pytest.mark.parametrize("objective", ["fastest", "cheapest", "greenest", "generalized"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=capacitated())
def test_sequential_equals_booking_one_at_a_time(objective: str, case) -> None:
    net, shipments = case
    plan = sr.route(net, shipments, objective, start=HORIZON_START, days=DAYS, costs=COSTS)
    assert plan.capacity == "respect"
    assert list(plan.shipments.columns) == [*SHIPMENT_COLUMNS, *CAPACITY_COLUMNS]
    rows = plan.shipments.set_index("shipment_id")
    ledger = ReferenceLedger(net)
    order = sorted(shipments, key=lambda s: (math.inf if s.due is None else s.due.timestamp(),
                                             s.ready.timestamp(), s.id))
    for s in order:
        cargo = Cargo(s.weight_kg, s.volume_m3, s.units_feu)
        ready = (s.ready - HORIZON_START) / timedelta(hours=1)
        every = list(journeys(net, DAYS, cargo, s.origin, ready, s.destination,
                              frozenset(range(4))))
        fitting = [r for r in every if ledger.fits(r, cargo)]
        best = min((_value(objective, s, r) for r in fitting), default=None)  # type: ignore
        row = rows.loc[s.id]
        if not row["routed"]:
            assert best is None, (s.id, row["reason"], best)
            if row["reason"] == "no capacity":
                assert every, "no capacity although no journey exists at all"
            continue
        route = _route_of(net, plan, s, cargo)
        assert ledger.fits(route, cargo), f"{s.id} booked over capacity"
        got = _value(objective, s, route)
        if best is not None:
            assert _no_worse(got, best), (s.id, got, best)
        assert row["first_choice"] == (row["lost_departure"] == "")
        ledger.book(route, cargo)
    assert ledger.over_capacity() == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=capacitated())
def test_huge_capacity_equals_ignoring_it(case) -> None:
    net, shipments = case
    roomy = net.model_copy(update={
        "services": tuple(s.model_copy(update={"capacity_kg": 1e12, "capacity_teu": 1e9,
                                               "capacity_positions": 10**9})
                          for s in net.services),
        "hubs": tuple(h.model_copy(update={"capacity_t_day": 1e9, "crossing_capacity_trains_day":
                                           1e6 if h.crossing_capacity_trains_day else None})
                      for h in net.hubs)})
    for objective in ("fastest", "cheapest"):
        respect = sr.route(roomy, shipments, objective, start=HORIZON_START, days=DAYS)
        ignore = sr.route(roomy, shipments, objective, start=HORIZON_START, days=DAYS,
                          capacity="ignore")
        pd.testing.assert_frame_equal(respect.legs, ignore.legs)
        pd.testing.assert_frame_equal(respect.shipments[list(SHIPMENT_COLUMNS)],
                                      ignore.shipments)
        assert respect.shipments["first_choice"].all()
        assert (respect.shipments["capacity_cost_usd"] == 0).all()


def test_a_full_flight_sends_the_second_shipment_to_the_next_one() -> None:
    hubs = (sr.Hub(code="CGO", name="CGO", kind="airport", country="CN", lat=34.5, lon=113.8),
            sr.Hub(code="LUX", name="LUX", kind="airport", country="LU", lat=49.6, lon=6.2))
    flight = sr.Service(id="F1", mode="air", stops=("CGO", "LUX"), leg_h=(12.0,),
                        leg_km=(8600.0,), weekdays=frozenset({0, 2}),
                        departure_time_utc="10:00", capacity_kg=30000.0,
                        price_usd=4.0, price_basis="kg_chargeable", co2e_kg_per_tkm=0.6)
    net = sr.Network(hubs=hubs, services=(flight,))
    ready = HORIZON_START  # Monday 00:00
    big = [sr.Shipment(id=f"B{i}", origin="CGO", destination="LUX", ready=ready,
                       due=ready + timedelta(days=1), weight_kg=20000.0, volume_m3=40.0)
           for i in range(2)]
    plan = sr.route(net, big, "cheapest", start=HORIZON_START, days=7)
    rows = plan.shipments.set_index("shipment_id")
    assert rows.loc["B0", "first_choice"] and rows.loc["B0", "on_time"]
    assert not rows.loc["B1", "first_choice"]
    assert rows.loc["B1", "lost_departure"] == "F1@2026-12-07"
    assert plan.route_of("B1")["departure_id"].tolist() == ["F1@2026-12-09"]  # Wednesday's
    assert rows.loc["B1", "status"] == "late"
    assert rows.loc["B1", "capacity_cost_usd"] == pytest.approx(0.0)
    # Ignoring capacity both fly Monday: 40 t on a 30 t flight.
    ignored = sr.route(net, big, "cheapest", start=HORIZON_START, days=7, capacity="ignore")
    assert ignored.capacity == "ignore"
    assert set(ignored.legs["departure_id"]) == {"F1@2026-12-07"}
    # A third shipment finds no space in the week.
    three = [*big, big[0].model_copy(update={"id": "B2"})]
    rows = sr.route(net, three, "cheapest", start=HORIZON_START, days=7).shipments
    assert rows.set_index("shipment_id").loc["B2", "reason"] == "no capacity"
    assert np.isclose(rows["weight_kg"].sum(), 60000.0)


def test_pareto_books_nothing() -> None:
    net = sr.Network(hubs=(
        sr.Hub(code="AA", name="A", kind="airport", country="CN", lat=0, lon=0),
        sr.Hub(code="BB", name="B", kind="airport", country="CN", lat=0, lon=1)))
    with pytest.raises(sr.InputError, match="capacity"):
        sr.route(net, [], "pareto", capacity="respect")
    with pytest.raises(sr.InputError, match="capacity"):
        sr.route(net, [], "cheapest", capacity="maybe")


def test_kpis_say_whether_capacity_was_respected() -> None:
    hubs = (sr.Hub(code="CGO", name="CGO", kind="airport", country="CN", lat=34.5, lon=113.8,
                   capacity_t_day=30.0),
            sr.Hub(code="LUX", name="LUX", kind="airport", country="LU", lat=49.6, lon=6.2))
    flight = sr.Service(id="F1", mode="air", stops=("CGO", "LUX"), leg_h=(12.0,),
                        leg_km=(8600.0,), weekdays=frozenset(range(7)),
                        departure_time_utc="10:00", capacity_kg=50000.0,
                        price_usd=4.0, price_basis="kg_chargeable", co2e_kg_per_tkm=0.6)
    net = sr.Network(hubs=hubs, services=(flight,))
    ships = [sr.Shipment(id=f"B{i}", origin="CGO", destination="LUX", ready=HORIZON_START,
                         weight_kg=20000.0, volume_m3=40.0) for i in range(2)]
    ignored = sr.route(net, ships, "cheapest", start=HORIZON_START, days=5, capacity="ignore")
    kpis = compute_kpis(ignored, net, ships).to_dict()
    assert kpis["capacity"] == "ignore"
    assert kpis["hub_days_over_capacity"] == 1  # 40 t through CGO on one day, 30 t allowed
    assert kpis["warnings"] == ["1 hub days over capacity (capacity: ignore)"]
    respected = sr.route(net, ships, "cheapest", start=HORIZON_START, days=5)
    kpis = compute_kpis(respected, net, ships).to_dict()
    assert kpis["capacity"] == "respect" and kpis["warnings"] == []
    assert kpis["shipments_moved_by_capacity"] == 1 and kpis["shipments_no_capacity"] == 0
    days = sorted(respected.legs["departure"].dt.date)
    assert days[1] == days[0] + timedelta(days=1)  # the second leaves a day later


# ---------------------------------------------------------------------------------------------
# Optimal assignment
# ---------------------------------------------------------------------------------------------

LATENESS_T_H = 100.0
UNSERVED_KG = 20.0
OPT_COSTS = sr.Costs(value_of_time_usd_per_h=VOT, co2_price_usd_per_t=CO2_PRICE_T,
                     lateness_penalty_usd_per_t_h=LATENESS_T_H,
                     unserved_penalty_usd_per_kg=UNSERVED_KG)


def _total(s: sr.Shipment, r: Route | None) -> float:
    """Total cost of one shipment on ``r`` (None: unserved), by the documented objective."""
    if r is None:
        return UNSERVED_KG * s.weight_kg
    ready = (s.ready - HORIZON_START) / timedelta(hours=1)
    due = math.inf if s.due is None else (s.due - HORIZON_START) / timedelta(hours=1)
    late = max(0.0, r.arrival - due) if r.arrival - due > TOL else 0.0
    return (r.cost + CO2_PRICE_T / 1000 * r.co2 + VOT * (r.arrival - ready)
            + LATENESS_T_H * s.weight_kg / 1000 * late)


def _brute_force(net: sr.Network, shipments: list[sr.Shipment]) -> float:
    """The least total cost over every assignment of each shipment to one of its enumerated
    journeys or to none, within capacity (backtracking over the reference ledger)."""
    options = []
    for s in shipments:
        cargo = Cargo(s.weight_kg, s.volume_m3, s.units_feu)
        ready = (s.ready - HORIZON_START) / timedelta(hours=1)
        routes = sorted(journeys(net, DAYS, cargo, s.origin, ready, s.destination,
                                 frozenset(range(4))), key=lambda r: _total(s, r))
        options.append((s, cargo, [*routes, None]))
    best = math.inf

    def walk(i: int, ledger: ReferenceLedger, spent: float) -> None:
        nonlocal best
        if spent >= best - TOL:
            return
        if i == len(options):
            best = spent
            return
        s, cargo, routes = options[i]
        for r in routes:
            if r is None:
                walk(i + 1, ledger, spent + _total(s, None))
            elif ledger.fits(r, cargo):
                mine = copy.deepcopy(ledger)
                mine.book(r, cargo)
                walk(i + 1, mine, spent + _total(s, r))

    walk(0, ReferenceLedger(net), 0.0)
    return best


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=capacitated())
def test_optimal_equals_brute_force(case) -> None:
    net, shipments = case
    shipments = shipments[:3]
    # Few enough journeys to enumerate every assignment.
    sizes = [sum(1 for _ in journeys(net, DAYS, Cargo(s.weight_kg, s.volume_m3, s.units_feu),
                                     s.origin, (s.ready - HORIZON_START) / timedelta(hours=1),
                                     s.destination, frozenset(range(4)))) for s in shipments]
    assume(max(sizes) <= 40)
    plan = sr.route(net, shipments, "cheapest", start=HORIZON_START, days=DAYS, costs=OPT_COSTS,
                    assign="optimal", params=sr.SolverParams(time_limit_s=20))
    assert plan.solve is not None and plan.capacity == "respect"
    # The plan's own routes, re-priced and recounted by the reference: within capacity, and
    # their total is the objective reported.
    ledger = ReferenceLedger(net)
    total = 0.0
    for s in shipments:
        cargo = Cargo(s.weight_kg, s.volume_m3, s.units_feu)
        row = plan.shipments.set_index("shipment_id").loc[s.id]
        route = _route_of(net, plan, s, cargo) if row["routed"] else None
        if route is not None:
            assert ledger.fits(route, cargo)
            ledger.book(route, cargo)
        total += _total(s, route)
    assert ledger.over_capacity() == []
    assert plan.solve.objective == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert plan.solve.bound <= plan.solve.objective + 1e-6
    best = _brute_force(net, shipments)
    # Never worse than the best assignment of enumerated journeys (the solver's routes may
    # also use journeys the enumeration leaves out); optimal means equal to the bound.
    assert total <= best + 1e-6
    if plan.solve.status == "optimal":
        assert plan.solve.bound == pytest.approx(total, rel=1e-6, abs=1e-4)


def test_more_capacity_where_it_binds_never_costs_more() -> None:
    hubs = (sr.Hub(code="CGO", name="CGO", kind="airport", country="CN", lat=34.5, lon=113.8),
            sr.Hub(code="LUX", name="LUX", kind="airport", country="LU", lat=49.6, lon=6.2))
    flights = tuple(sr.Service(id=f"F{d}", mode="air", stops=("CGO", "LUX"), leg_h=(12.0,),
                               leg_km=(8600.0,), weekdays=frozenset({d}),
                               departure_time_utc="10:00", capacity_kg=25000.0,
                               price_usd=4.0 + d, price_basis="kg_chargeable",
                               co2e_kg_per_tkm=0.6) for d in range(4))
    net = sr.Network(hubs=hubs, services=flights)
    ships = [sr.Shipment(id=f"B{i}", origin="CGO", destination="LUX", ready=HORIZON_START,
                         due=HORIZON_START + timedelta(days=2), weight_kg=w, volume_m3=w / 500)
             for i, w in enumerate((18000.0, 12000.0, 9000.0, 15000.0, 7000.0))]
    costs = []
    for extra in (0.0, 5000.0, 20000.0):
        roomier = set_service_capacity(net, "F0", capacity_kg=25000.0 + extra)
        plan = sr.route(roomier, ships, "cheapest", start=HORIZON_START, days=7,
                        assign="optimal")
        assert plan.solve is not None and plan.solve.status == "optimal"
        costs.append(plan.solve.objective)
        prices = plan.shadow_prices
        assert prices is not None
        if extra == 0.0:  # Monday's flight binds: a kg more there is worth something
            monday = prices[prices["departure_id"] == "F0@2026-12-07"]
            assert (monday["shadow_price_usd"] > 0).all() and len(monday) == 1
    assert costs[0] >= costs[1] >= costs[2]
    assert costs[0] > costs[2]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=capacitated(), seed=st.integers(0, 2**16))
def test_hub_day_prices_in_the_search_equal_enumeration(case, seed) -> None:
    """The label search's prices per tonne handled at hub-days (network design's hub-day
    duals) equal a recount over every enumerated journey's handling events."""
    net, shipments = case
    s = shipments[0]
    rng = np.random.default_rng(seed)
    problem = sr.prepare(net, [s], start=HORIZON_START, days=DAYS)
    tt = problem.timetable
    n_days = problem.day_start_h.shape[0]
    price = np.round(rng.uniform(0, 30, size=(tt.n_hubs, n_days)), 1)
    cap = CapacityArrays(
        np.full((tt.n_connections, 3), np.inf), np.full((tt.n_hubs, n_days), np.inf),
        problem.day_of(tt.conn_dep_h), problem.day_of(tt.conn_arr_h), problem.day_start_h,
        np.full((tt.n_hubs, n_days), np.inf), problem.hub_gauge_change, price)
    arrays = problem.shipments
    found = route_batch(tt.arrays, arrays.origin, arrays.ready_h, arrays.mode_mask, arrays.q,
                        arrays.weight_kg, np.array([0, 1]), arrays.destination,
                        np.array([np.inf]), select=SELECT_MIN_COST, capacity=cap,
                        use=arrays.use)
    cargo = Cargo(s.weight_kg, s.volume_m3, s.units_feu)
    ready = (s.ready - HORIZON_START) / timedelta(hours=1)
    ledger = ReferenceLedger(net)
    hub = {h.code: i for i, h in enumerate(net.hubs)}
    tonnes = s.weight_kg / 1000

    def priced(r: Route) -> float:
        # The reference counts UTC days from the horizon start; the table, from its first day.
        events = ledger._events(r)[0]
        day = problem.day_of(np.array([24.0 * d for _, d in events]))
        return r.cost + sum(price[hub[h], int(i)] * tonnes
                            for (h, _), i in zip(events, day, strict=True))

    every = [priced(r) for r in journeys(net, DAYS, cargo, s.origin, ready, s.destination,
                                         frozenset(range(4)))]
    if found.cost_usd.size == 0:
        assert not every
        return
    # The search's cheapest is no dearer than any enumerated journey, and its own journey,
    # recounted, costs what the search says.
    assert found.cost_usd[0] <= min(every, default=math.inf) + 1e-6
    lo, hi = found.leg_ptr[0], found.leg_ptr[1]
    plan_like = _journey_route(net, tt, found, lo, hi, cargo, s, ready)
    assert priced(plan_like) == pytest.approx(float(found.cost_usd[0]), abs=1e-6)


def _journey_route(net: sr.Network, tt, found, lo: int, hi: int, cargo: Cargo,
                   s: sr.Shipment, ready: float) -> Route:
    """A kernel journey as the reference reads it: its rides, re-priced by check_journey."""
    rides, ride_legs = [], []
    for k, r, dep, arr in zip(found.leg_kind[lo:hi], found.leg_ref[lo:hi], found.leg_dep_h[lo:hi],
                              found.leg_arr_h[lo:hi], strict=True):
        if k == KIND_CONNECTION:
            service = tt.service_ids[int(tt.conn_service[r])]
            day = date.fromisoformat(tt.departure_ids[int(tt.conn_trip[r])].split("@")[1])
            leg = int(tt.conn_leg[r])
            a, b = tt.hub_codes[int(tt.conn_from[r])], tt.hub_codes[int(tt.conn_to[r])]
            ride_legs.append(RideLeg(service, day, leg, None, float(dep), float(arr)))
            rides.append(Ride(service, day, leg, None, a, b, float(dep), float(arr)))
        else:
            link = net.links[int(tt.link_ref[r])]
            ride_legs.append(RideLeg(None, None, None, link.id, float(dep), float(arr)))
            rides.append(Ride(None, None, None, link.id, link.from_hub, link.to_hub,
                              float(dep), float(arr)))
    _, avail, cost, co2 = check_journey(net, DAYS, cargo, s.origin, ready, ride_legs)
    return Route(tuple(rides), avail, cost, co2)


def test_fastest_where_the_scan_is_unsure_the_label_search_decides() -> None:
    """A truck arrival refused by a full hub-day makes the compiled earliest-arrival scan
    unsure (a later, cheaper arrival at the truck's hub may still fit): the label search books
    that shipment -- the freight waits at the truck's hub for a day with room -- and the
    compiled loop goes on with the next."""
    hubs = tuple(sr.Hub(code=f"H{i}", name=f"hub {i}", kind="airport", country="CN", lat=0.0,
                        lon=float(i), capacity_t_day=1.0 if i == 1 else None) for i in range(4))
    rail = {"mode": "rail", "leg_h": (1.0,), "leg_km": (512.0,), "departure_time_utc": "00:00",
            "price_basis": "feu", "co2e_kg_per_tkm": 0.5}
    services = (
        sr.Service(id="AIR", mode="air", stops=("H0", "H1"), leg_h=(1.0,), leg_km=(512.0,),
                   weekdays=frozenset({0}), departure_time_utc="00:00", price_usd=1.0,
                   price_basis="kg_chargeable", co2e_kg_per_tkm=0.5),
        sr.Service(id="VIA", stops=("H0", "H1", "H3"), weekdays=frozenset({0}), price_usd=400.0,
                   part_load_usd_per_wm=16.0, **{**rail, "leg_h": (1.0, 1.0),
                                                 "leg_km": (256.0, 256.0)}),
        sr.Service(id="DIRECT", stops=("H0", "H3"), weekdays=frozenset({1}), price_usd=100.0,
                   part_load_usd_per_wm=4.0, **rail))
    truck = sr.Link(id="T", from_hub="H3", to_hub="H1", mode="road", distance_km=64.0,
                    duration_h=1.0, price_usd=100.0, price_basis="truck",
                    part_load_usd_per_wm=4.0, co2e_kg_per_tkm=0.0625)
    net = sr.Network(hubs=hubs, links=(truck,), services=services, transfers=(
        sr.TransferRule(hub="*", from_mode="rail", to_mode="road", min_connection_h=0.0),))
    shipments = [sr.Shipment(id=f"s{i}", origin="H0", destination="H1", ready=HORIZON_START,
                             weight_kg=800.0, volume_m3=4.0) for i in range(3)]
    plan = sr.route(net, shipments, "fastest", start=HORIZON_START, days=DAYS)
    rows = plan.shipments.set_index("shipment_id")
    assert rows.loc["s0", "first_choice"]
    assert plan.route_of("s0")["departure_id"].tolist() == ["AIR@2026-12-07"]
    # H1 handles 0.2 t more on Monday: s1 rides Monday's train through H1 to H3 and waits
    # there for a truck that reaches H1 at Tuesday's first minute.
    assert rows.loc["s1", "lost_departure"].startswith("hub H1 day ")
    s1 = plan.route_of("s1")
    assert s1["departure_id"].tolist() == ["VIA@2026-12-07", "VIA@2026-12-07", ""]
    assert s1["arrival"].iloc[-1] == pd.Timestamp("2026-12-08T00:00Z")
    assert s1["departure"].iloc[-1] == pd.Timestamp("2026-12-07T23:00Z")
    # After s1 H1's Tuesday is full too: s2 takes Tuesday's train and a truck on Wednesday.
    s2 = plan.route_of("s2")
    assert s2["departure_id"].tolist() == ["DIRECT@2026-12-08", ""]
    assert s2["arrival"].iloc[-1] == pd.Timestamp("2026-12-09T00:00Z")

"""``sr.route`` against the time-expanded reference, batch against one-by-one, and edge cases.

Every routed option is re-checked leg by leg (times, transfers, per-leg and total costs,
CO2e) against the network records by ``timetable_reference.check_journey``.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from timetable_reference import (
    CARGOES,
    HORIZON_START,
    Cargo,
    RideLeg,
    TimeExpanded,
    check_journey,
    tiny_networks,
)

import silkroad_routing as sr
from silkroad_routing import units
from silkroad_routing.compile.tariffs import quantity_matrix, quantity_vector
from silkroad_routing.errors import InputError
from silkroad_routing.plan import LEG_COLUMNS, SHIPMENT_COLUMNS
from silkroad_routing.routing import router

DAYS = 4
#: Value of time and CO2 price of the batch-equals-alone test.
COSTS = sr.Costs(value_of_time_usd_per_h=2.0, co2_price_usd_per_t=50.0)
MASKS = (15, 15, 0b1011, 0b0110)


@st.composite
def batches(draw: st.DrawFn) -> tuple[sr.Network, list[sr.Shipment], dict[str, Cargo]]:
    """A tiny network and up to 8 shipments; some share origin, ready time and size (one
    search serves them) and some share a destination (one profile serves them)."""
    net = draw(tiny_networks())
    codes = [h.code for h in net.hubs]
    shipments: list[sr.Shipment] = []
    cargo_of: dict[str, Cargo] = {}
    for i in range(draw(st.integers(1, 8))):
        if shipments and draw(st.booleans()):
            base = draw(st.sampled_from(shipments))
            origin, ready, cargo = base.origin, base.ready, cargo_of[base.id]
            modes = base.modes
        else:
            origin = draw(st.sampled_from(codes))
            ready = HORIZON_START + timedelta(hours=draw(st.integers(0, 40)))
            cargo = draw(st.sampled_from(CARGOES))
            mask = draw(st.sampled_from(MASKS))
            modes = frozenset(m for k, m in enumerate(sr.units.MODES) if mask >> k & 1)
        dest = draw(st.sampled_from([c for c in codes if c != origin]))
        slack = draw(st.one_of(st.none(), st.integers(3, 90)))
        due = None if slack is None else ready + timedelta(hours=slack)
        shipments.append(sr.Shipment(
            id=f"s{i}", origin=origin, destination=dest, ready=ready, due=due,
            weight_kg=cargo.weight_kg, volume_m3=cargo.volume_m3, units_feu=cargo.units_feu,
            modes=modes))
        cargo_of[f"s{i}"] = cargo
    return net, shipments, cargo_of


def _hours(when: pd.Timestamp) -> float:
    return (when.to_pydatetime() - HORIZON_START) / timedelta(hours=1)


def _ride_legs(net: sr.Network, legs: pd.DataFrame) -> list[RideLeg]:
    out = []
    for row in legs.itertuples():
        if row.kind == "service":
            service = net.service_by_id[row.service_id]
            day = date.fromisoformat(row.departure_id.split("@")[1])
            out.append(RideLeg(row.service_id, day, service.stops.index(row.from_hub), None,
                               _hours(row.departure), _hours(row.arrival)))
        else:
            out.append(RideLeg(None, None, None, row.link_id, _hours(row.departure),
                               _hours(row.arrival)))
    return out


def _recheck(net: sr.Network, plan: sr.Plan, s: sr.Shipment, cargo: Cargo) -> None:
    """Every option of ``s``: legs consistent with the network, totals equal their sums."""
    for row in plan.shipments[plan.shipments["shipment_id"] == s.id].itertuples():
        if not row.routed:
            continue
        legs = plan.route_of(s.id, row.option)
        assert list(legs["leg"]) == list(range(len(legs))) == list(range(row.legs))
        costs: list[float] = []
        hub, avail, cost, co2 = check_journey(net, DAYS, cargo, s.origin, _hours(row.ready),
                                              _ride_legs(net, legs), costs)
        assert hub == s.destination
        assert avail == pytest.approx(_hours(row.arrival), abs=1e-6)
        assert np.allclose(legs["cost_usd"], costs, rtol=1e-9, atol=1e-6)
        assert np.allclose(legs["cost_usd"], legs["freight_usd"] + legs["handling_usd"])
        assert row.cost_usd == pytest.approx(cost, rel=1e-9, abs=1e-6)
        assert row.co2e_kg == pytest.approx(co2, rel=1e-9, abs=1e-6)
        assert row.departure == legs["departure"].iloc[0]
        assert row.hours == pytest.approx(_hours(row.arrival) - _hours(row.ready), abs=1e-6)
        assert row.on_time == (s.due is None or row.arrival <= s.due)


@pytest.mark.parametrize("objective", ["fastest", "cheapest", "greenest", "generalized", "pareto"])
@settings(max_examples=12)
@given(batch=batches())
def test_route_equals_time_expanded_reference(objective: str, batch) -> None:
    net, shipments, cargo_of = batch
    vot = 3.0
    # The reference routes each shipment alone: no capacity is shared.
    plan = sr.route(net, shipments, objective, start=HORIZON_START, days=DAYS,
                    costs=sr.Costs(value_of_time_usd_per_h=vot), capacity="ignore")
    assert list(plan.legs.columns) == list(LEG_COLUMNS)
    assert list(plan.shipments.columns) == list(SHIPMENT_COLUMNS)
    assert set(plan.shipments["shipment_id"]) == {s.id for s in shipments}  # none dropped
    references: dict[tuple[Cargo, frozenset[int]], TimeExpanded] = {}
    for s in shipments:
        cargo = cargo_of[s.id]
        modes = frozenset(sr.units.MODES.index(m) for m in s.modes)
        ref = references.setdefault((cargo, modes), TimeExpanded(net, DAYS, cargo, modes))
        ready = int(_hours(pd.Timestamp(s.ready)))
        due = math.inf if s.due is None else _hours(pd.Timestamp(s.due))
        rows = plan.shipments[plan.shipments["shipment_id"] == s.id]
        ea = ref.earliest_arrival(s.origin, ready, s.destination)
        if math.isinf(ea):
            assert list(rows["status"]) == ["no route"] and list(rows["reason"]) == ["no path"]
            continue
        arrival = [_hours(a) for a in rows["arrival"]]
        late = ea > due
        front = ref.pareto_time_cost(s.origin, ready, s.destination)
        if objective == "pareto":
            assert list(zip(arrival, rows["cost_usd"].round(6), strict=True)) == front
            strict = sr.route(net, [s], objective, start=HORIZON_START, days=DAYS,
                              allow_late=False).shipments
            in_time = [(t, c) for t, c in front if t <= due]
            assert list(zip([_hours(a) for a in strict["arrival"]], strict["cost_usd"].round(6),
                            strict=True)) == in_time or (not in_time and not strict.routed.any())
        elif late or objective == "fastest":
            assert arrival == [ea]
            assert rows["cost_usd"].iloc[0] >= ref.cheapest_by(
                s.origin, ready, s.destination, ea) - 1e-6
        elif objective == "cheapest":
            assert rows["cost_usd"].iloc[0] == pytest.approx(
                ref.cheapest_by(s.origin, ready, s.destination, due), abs=1e-6)
        elif objective == "generalized":
            best = min(c + vot * (t - ready) for t, c in front if t <= due)
            assert rows["generalized_usd"].iloc[0] == pytest.approx(best, abs=1e-6)
        else:
            labels = [lab for lab in ref.pareto_time_cost_co2(s.origin, ready, s.destination)
                      if lab[0] <= due]
            low_co2 = min(e for _, _, e in labels)
            low_cost = min(c for _, c, e in labels if e == low_co2)
            assert (round(rows["co2e_kg"].iloc[0], 6), round(rows["cost_usd"].iloc[0], 6)) == (
                low_co2, low_cost)
        assert set(rows["status"]) <= {"on time", "late"}
        assert list(rows["reason"].unique()) == (["deadline impossible"] if late else [""])
        _recheck(net, plan, s, cargo_of[s.id])


@settings(max_examples=15)
@given(batch=batches(), objective=st.sampled_from(sr.routing.OBJECTIVES))
def test_batch_equals_routing_each_shipment_alone(batch, objective: str) -> None:
    net, shipments, _ = batch
    # The batch takes its arrival times from backward profile scans; alone, each shipment
    # takes a forward scan: both must agree, and so must the shared scans and label searches.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(router, "PROFILE_SCAN_COST", 0)
        together = sr.route(net, shipments, objective, start=HORIZON_START, days=DAYS,
                            costs=COSTS, capacity="ignore")
    alone = [sr.route(net, [s], objective, start=HORIZON_START, days=DAYS, costs=COSTS,
                      capacity="ignore") for s in shipments]
    pd.testing.assert_frame_equal(
        together.shipments, pd.concat([p.shipments for p in alone], ignore_index=True))
    pd.testing.assert_frame_equal(
        together.legs, pd.concat([p.legs for p in alone], ignore_index=True))


def _line_network(min_connection_h: float) -> sr.Network:
    """AA --truck 2 h--> BB --rail daily 03:00, 10 h--> CC; road->rail needs the given MCT."""
    hubs = tuple(sr.Hub(code=c, name=c, kind="rail_terminal", country="CN", lat=0.0, lon=0.0)
                 for c in ("AA", "BB", "CC", "DD"))
    return sr.Network(
        hubs=hubs,
        links=(sr.Link(id="T", from_hub="AA", to_hub="BB", mode="road", distance_km=100.0,
                       duration_h=2.0, price_usd=300.0, price_basis="truck",
                       part_load_usd_per_wm=10.0, co2e_kg_per_tkm=0.1),),
        services=(sr.Service(id="R", mode="rail", stops=("BB", "CC"), leg_h=(10.0,),
                             leg_km=(800.0,), weekdays=frozenset(range(7)),
                             departure_time_utc=time(3, 0), price_usd=2000.0, price_basis="feu",
                             part_load_usd_per_wm=50.0, co2e_kg_per_tkm=0.02),),
        transfers=(sr.TransferRule(hub="*", from_mode="road", to_mode="rail",
                                   min_connection_h=min_connection_h, handling_usd_per_t=10.0),))


def _shipment(origin: str, ready_h: float, due_h: float | None = None, sid: str = "x"
              ) -> sr.Shipment:
    ready = HORIZON_START + timedelta(hours=ready_h)
    due = None if due_h is None else HORIZON_START + timedelta(hours=due_h)
    return sr.Shipment(id=sid, origin=origin, destination="CC", ready=ready, due=due,
                       weight_kg=1000.0, volume_m3=2.0)


def test_waits_for_the_next_departure() -> None:
    net = _line_network(1.0)
    plan = sr.route(net, [_shipment("BB", 5.0)], "fastest", start=HORIZON_START, days=DAYS)
    row = plan.shipments.iloc[0]
    # Ready at 05:00, the 03:00 train has gone: the next one leaves the following day.
    assert _hours(row.departure) == 27.0 and _hours(row.arrival) == 37.0
    ref = TimeExpanded(net, DAYS, Cargo(1000.0, 2.0))
    assert ref.earliest_arrival("BB", 5, "CC") == 37.0


@pytest.mark.parametrize(("mct", "arrival"), [(1.0, 13.0), (2.0, 37.0)])
def test_minimum_connection_time_decides_the_train(mct: float, arrival: float) -> None:
    # The truck reaches BB at 02:00; with a 2 h minimum connection the 03:00 train is missed.
    net = _line_network(mct)
    plan = sr.route(net, [_shipment("AA", 0.0)], "cheapest", start=HORIZON_START, days=DAYS)
    assert _hours(plan.shipments.iloc[0].arrival) == arrival
    assert TimeExpanded(net, DAYS, Cargo(1000.0, 2.0)).earliest_arrival("AA", 0, "CC") == arrival
    legs = plan.route_of("x")
    assert list(legs["kind"]) == ["link", "service"]
    assert legs["handling_usd"].tolist() == [0.0, 10.0]


def test_a_deadline_no_route_can_meet_and_a_missing_path() -> None:
    net = _line_network(1.0)
    impossible = _shipment("AA", 0.0, due_h=12.0, sid="tight")
    stranded = sr.Shipment(id="nowhere", origin="DD", destination="CC", ready=HORIZON_START,
                           weight_kg=10.0, volume_m3=0.1)
    plan = sr.route(net, [impossible, stranded], "cheapest", start=HORIZON_START, days=DAYS)
    s = plan.shipments.set_index("shipment_id")
    # Late, on the fastest route, and why; the stranded one is reported, not dropped.
    assert (s.loc["tight", "status"], s.loc["tight", "reason"]) == ("late", "deadline impossible")
    assert _hours(s.loc["tight", "arrival"]) == 13.0 and not s.loc["tight", "on_time"]
    assert (s.loc["nowhere", "status"], s.loc["nowhere", "reason"]) == ("no route", "no path")
    assert pd.isna(s.loc["nowhere", "on_time"]) and plan.route_of("nowhere").empty
    for objective in sr.routing.OBJECTIVES:
        strict = sr.route(net, [impossible], objective, start=HORIZON_START, days=DAYS,
                          allow_late=False)
        assert strict.shipments[["status", "reason"]].values.tolist() == [
            ["no route", "deadline impossible"]]
        assert strict.legs.empty and len(strict.unrouted()) == 1


def test_plan_accessors_and_selection() -> None:
    net = _line_network(1.0)
    shipments = [_shipment("AA", 0.0, sid="a"), _shipment("BB", 5.0, due_h=30.0, sid="b")]
    plan = sr.route(net, shipments, "pareto", start=HORIZON_START, days=DAYS)
    assert len(plan) == 2 and plan.n_routed == 2 and plan.complete
    chosen = plan.selected()
    assert chosen.shipments.groupby("shipment_id").size().tolist() == [1, 1]
    assert plan.total_cost_usd == pytest.approx(chosen.shipments["cost_usd"].sum())
    assert plan.on_time_share == pytest.approx(chosen.shipments["on_time"].astype(bool).mean())


def test_dataframe_input_equals_records_and_is_deterministic() -> None:
    net = _line_network(1.0)
    shipments = [_shipment("AA", 0.0, due_h=40.0, sid="a"), _shipment("BB", 5.0, sid="b")]
    frame = pd.DataFrame([s.model_dump() for s in shipments])
    frame["modes"] = ["rail;road", "rail;road;air;sea"]
    first = sr.route(net, shipments, "cheapest", start=HORIZON_START, days=DAYS)
    again = sr.route(net, frame, "cheapest", start=HORIZON_START, days=DAYS)
    pd.testing.assert_frame_equal(first.shipments, again.shipments)
    pd.testing.assert_frame_equal(first.legs, again.legs)
    # The default horizon starts at midnight before the earliest ready time.
    default = sr.route(net, shipments, "cheapest", progress=True)
    assert default.start == datetime(2026, 12, 7, tzinfo=HORIZON_START.tzinfo)
    pd.testing.assert_frame_equal(first.shipments, default.shipments)


def test_bad_input_names_row_field_and_value() -> None:
    net = _line_network(1.0)
    good = _shipment("AA", 0.0)
    with pytest.raises(InputError) as err:
        sr.route(net, [good, good.model_copy(update={"id": "y", "origin": "ZZ9"})])
    assert (err.value.row, err.value.field, err.value.value) == (2, "origin", "ZZ9")
    with pytest.raises(InputError, match="duplicate shipment id"):
        sr.route(net, [good, good])
    with pytest.raises(InputError, match="outside the planning horizon"):
        sr.route(net, [good], start=HORIZON_START + timedelta(days=1), days=3)
    with pytest.raises(InputError, match="unknown objective"):
        sr.route(net, [good], "slowest")  # type: ignore[arg-type]
    frame = pd.DataFrame([good.model_dump()])
    frame.loc[0, "weight_kg"] = -5.0
    with pytest.raises(InputError) as err:
        sr.route(net, frame)
    assert (err.value.row, err.value.field) == (1, "weight_kg")


def test_label_cap_is_flagged_in_the_plan() -> None:
    plan = sr.route(_line_network(1.0), [_shipment("AA", 0.0)], "pareto", start=HORIZON_START,
                    days=DAYS, max_labels=2)
    assert not plan.complete and not plan.shipments["complete"].any()
    assert plan.shipments["reason"].tolist() == ["label cap reached"]


@settings(max_examples=30)
@given(st.lists(st.tuples(st.floats(0.1, 60_000.0), st.floats(0.001, 150.0),
                          st.sampled_from((0, 0, 1, 3))), min_size=1, max_size=20),
       st.sampled_from((6000.0, 5000.0)))
def test_vectorised_quantities_equal_the_unit_definitions(sizes, divisor: float) -> None:
    w, v, u = (np.array(c, dtype=float) for c in zip(*sizes, strict=True))
    expected = []
    for kg, m3, feu in sizes:
        full = units.is_full_container_load(kg, m3, int(feu) or None)
        n = units.feu_count(kg, m3, int(feu) or None) if full else 0
        wm = units.revenue_tonnes(kg, m3)
        expected.append([units.chargeable_weight_kg(kg, m3, divisor), kg, wm, n, n,
                         0.0 if full else wm])
    assert np.array_equal(quantity_matrix(w, v, u, divisor), np.array(expected))
    assert np.array_equal(quantity_vector(sizes[0][0], sizes[0][1], int(sizes[0][2]) or None,
                                          divisor), np.array(expected[0]))


def test_progress_bar_on_a_terminal_leaves_the_plan_unchanged(monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    net = _line_network(1.0)
    shipments = [_shipment("AA", float(h), sid=f"p{h}") for h in range(0, 40, 3)]
    quiet = sr.route(net, shipments, "cheapest", start=HORIZON_START, days=DAYS)
    monkeypatch.setattr(router, "CHUNK_TARGETS", 2)  # several kernel calls, bar advancing
    monkeypatch.setattr(router.sys.stderr, "isatty", lambda: True)
    shown = sr.route(net, shipments, "cheapest", start=HORIZON_START, days=DAYS, progress=True)
    pd.testing.assert_frame_equal(quiet.shipments, shown.shipments)
    pd.testing.assert_frame_equal(quiet.legs, shown.legs)

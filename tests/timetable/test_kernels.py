"""Timetable kernels against an independent time-expanded reference on random tiny networks.

Each example compiles a random network over a few days and asks one query; the answer must
equal the reference's (``timetable_reference``), and every journey is re-checked leg by leg.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
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
from silkroad_routing.compile.tariffs import quantity_vector
from silkroad_routing.compile.timetable import Timetable, compile_timetable
from silkroad_routing.core.timetable.arrays import KIND_CONNECTION
from silkroad_routing.core.timetable.labels import front, label_journey, pareto_search
from silkroad_routing.core.timetable.profile import earliest_arrival_profile, evaluate_profile
from silkroad_routing.core.timetable.scan import (
    earliest_arrival,
    earliest_arrival_batch,
    earliest_arrival_journey,
)

DAYS = 4
EXAMPLES = 30


@st.composite
def queries(draw: st.DrawFn) -> tuple[sr.Network, str, str, int, Cargo, int]:
    net = draw(tiny_networks())
    codes = [h.code for h in net.hubs]
    origin, dest = draw(st.lists(st.sampled_from(codes), min_size=2, max_size=2, unique=True))
    ready = draw(st.integers(0, 40))
    cargo = draw(st.sampled_from(CARGOES))
    mask = draw(st.sampled_from((15, 15, 15, 0b1011, 0b0110)))
    return net, origin, dest, ready, cargo, mask


def _compile(net: sr.Network) -> Timetable:
    return compile_timetable(net, HORIZON_START, DAYS)


def _modes(mask: int) -> frozenset[int]:
    return frozenset(m for m in range(4) if mask >> m & 1)


def _ride_legs(tt: Timetable, kind: np.ndarray, ref: np.ndarray, dep: np.ndarray,
               arr: np.ndarray) -> list[RideLeg]:
    legs = []
    for k, r, d, a in zip(kind, ref, dep, arr, strict=True):
        if k == KIND_CONNECTION:
            service, day = tt.departure_ids[tt.conn_trip[r]].split("@")
            legs.append(RideLeg(service, date.fromisoformat(day), int(tt.conn_leg[r]), None,
                                float(d), float(a)))
        else:
            legs.append(RideLeg(None, None, None, tt.link_ids[tt.link_ref[r]], float(d),
                                float(a)))
    return legs


@settings(max_examples=EXAMPLES)
@given(queries())
def test_earliest_arrival_equals_time_expanded_reachability(query) -> None:
    net, origin, dest, ready, cargo, mask = query
    tt = _compile(net)
    arrays = tt.arrays
    o, d = tt.hub_index(origin), tt.hub_index(dest)
    reference = TimeExpanded(net, DAYS, cargo, _modes(mask))
    expected = reference.earliest_arrival(origin, ready, dest)
    full = earliest_arrival(arrays, o, ready, mask)
    assert full.hub_arrival_h()[d] == expected
    # Stopping early for one target changes nothing there.
    assert earliest_arrival(arrays, o, ready, mask, target=d).hub_arrival_h()[d] == expected
    journey = earliest_arrival_journey(arrays, full, d)
    assert (journey is None) == math.isinf(expected)
    if journey is not None:
        hub, avail, _, _ = check_journey(net, DAYS, cargo, origin, ready,
                                         _ride_legs(tt, *journey))
        assert (hub, avail) == (dest, expected)


@settings(max_examples=EXAMPLES)
@given(queries(), st.lists(st.tuples(st.integers(0, 4), st.integers(0, 40),
                                     st.lists(st.integers(0, 4), min_size=1, max_size=4)),
                           min_size=1, max_size=4))
def test_batch_scan_equals_one_scan_per_target(query, batch) -> None:
    net = query[0]
    tt = _compile(net)
    arrays = tt.arrays
    n = tt.n_hubs
    origin = [o % n for o, _, _ in batch]
    ready = [float(t) for _, t, _ in batch]
    targets = [[g % n for g in gs] for _, _, gs in batch]
    ptr = np.cumsum([0] + [len(gs) for gs in targets])
    got = earliest_arrival_batch(arrays, origin, ready, [15] * len(batch), ptr,
                                 np.concatenate(targets))
    j = 0
    for o, t, gs in zip(origin, ready, targets, strict=True):
        for g in gs:
            alone = earliest_arrival(arrays, o, t, target=g)
            assert got.arrival_h[j] == alone.hub_arrival_h()[g]
            journey = earliest_arrival_journey(arrays, alone, g)
            legs = slice(got.leg_ptr[j], got.leg_ptr[j + 1])
            if journey is None or o == g:
                assert got.leg_ptr[j] == got.leg_ptr[j + 1]
            else:
                for mine, theirs in zip((got.leg_kind, got.leg_ref, got.leg_dep_h,
                                         got.leg_arr_h), journey, strict=True):
                    assert np.array_equal(mine[legs], theirs)
            j += 1


@settings(max_examples=EXAMPLES)
@given(queries(), st.integers(0, 60))
def test_profile_equals_forward_scan_for_every_origin_and_ready_time(query, window) -> None:
    net, _, dest, _, _, mask = query
    tt = _compile(net)
    arrays = tt.arrays
    d = tt.hub_index(dest)
    profile = earliest_arrival_profile(arrays, d, float(window), mask)
    origins, readies = np.meshgrid(np.arange(tt.n_hubs), np.arange(window, window + 80, 3.5))
    got = evaluate_profile(profile, origins.ravel(), readies.ravel())
    want = [earliest_arrival(arrays, int(o), float(t), mask).hub_arrival_h()[d]
            for o, t in zip(origins.ravel(), readies.ravel(), strict=True)]
    assert np.array_equal(got, np.array(want))


@settings(max_examples=EXAMPLES)
@given(queries(), st.integers(0, 120))
def test_cheapest_by_deadline_equals_time_expanded_dijkstra(query, deadline) -> None:
    net, origin, dest, ready, cargo, mask = query
    tt = _compile(net)
    arrays = tt.arrays
    o, d = tt.hub_index(origin), tt.hub_index(dest)
    q = quantity_vector(cargo.weight_kg, cargo.volume_m3, cargo.units_feu)
    reference = TimeExpanded(net, DAYS, cargo, _modes(mask))
    expected = reference.cheapest_by(origin, ready, dest, deadline)
    search = pareto_search(arrays, o, ready, q, cargo.weight_kg, mode_mask=mask,
                           deadline_h=deadline, targets=np.array([d]))
    assert not search.overflow
    labels = front(search, d, deadline)
    got = min((search.cost_usd[lab] for lab in labels), default=math.inf)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-6)
    if labels.size:
        best = labels[np.argmin(search.cost_usd[labels])]
        hub, avail, cost, co2 = check_journey(
            net, DAYS, cargo, origin, ready, _ride_legs(tt, *label_journey(arrays, search, best)))
        assert hub == dest and avail == search.time_h[best] <= deadline
        assert cost == pytest.approx(search.cost_usd[best], rel=1e-9, abs=1e-6)
        assert co2 == pytest.approx(search.co2e_kg[best], rel=1e-9, abs=1e-6)


@settings(max_examples=EXAMPLES)
@given(queries())
def test_pareto_time_cost_is_complete_and_exact(query) -> None:
    net, origin, dest, ready, cargo, mask = query
    tt = _compile(net)
    arrays = tt.arrays
    o, d = tt.hub_index(origin), tt.hub_index(dest)
    q = quantity_vector(cargo.weight_kg, cargo.volume_m3, cargo.units_feu)
    reference = TimeExpanded(net, DAYS, cargo, _modes(mask))
    search = pareto_search(arrays, o, ready, q, cargo.weight_kg, mode_mask=mask)
    labels = front(search, d)
    got = [(float(search.time_h[lab]), round(float(search.cost_usd[lab]), 6)) for lab in labels]
    assert got == reference.pareto_time_cost(origin, ready, dest)
    # Target pruning returns the same front.
    pruned = pareto_search(arrays, o, ready, q, cargo.weight_kg, mode_mask=mask,
                           targets=np.array([d]))
    assert pruned.n_labels <= search.n_labels
    assert [(float(pruned.time_h[lab]), round(float(pruned.cost_usd[lab]), 6))
            for lab in front(pruned, d)] == got
    for lab in labels:
        hub, avail, cost, _ = check_journey(
            net, DAYS, cargo, origin, ready, _ride_legs(tt, *label_journey(arrays, search, lab)))
        assert hub == dest and avail == search.time_h[lab]
        assert cost == pytest.approx(search.cost_usd[lab], rel=1e-9, abs=1e-6)


@settings(max_examples=20)
@given(queries())
def test_pareto_time_cost_co2_is_complete_and_exact(query) -> None:
    net, origin, dest, ready, cargo, mask = query
    tt = _compile(net)
    arrays = tt.arrays
    o, d = tt.hub_index(origin), tt.hub_index(dest)
    q = quantity_vector(cargo.weight_kg, cargo.volume_m3, cargo.units_feu)
    reference = TimeExpanded(net, DAYS, cargo, _modes(mask))
    search = pareto_search(arrays, o, ready, q, cargo.weight_kg, mode_mask=mask, n_criteria=3,
                           targets=np.array([d]))
    labels = front(search, d, n_criteria=3)
    got = {(float(search.time_h[lab]), round(float(search.cost_usd[lab]), 6),
            round(float(search.co2e_kg[lab]), 6)) for lab in labels}
    assert got == reference.pareto_time_cost_co2(origin, ready, dest)
    for lab in labels:
        _, avail, cost, co2 = check_journey(
            net, DAYS, cargo, origin, ready, _ride_legs(tt, *label_journey(arrays, search, lab)))
        assert avail == search.time_h[lab]
        assert cost == pytest.approx(search.cost_usd[lab], rel=1e-9, abs=1e-6)
        assert co2 == pytest.approx(search.co2e_kg[lab], rel=1e-9, abs=1e-6)


def test_label_cap_is_reported() -> None:
    hubs = tuple(sr.Hub(code=c, name=c, kind="road_hub", country="CN", lat=0.0, lon=0.0)
                 for c in ("AA", "BB", "CC"))
    links = tuple(sr.Link(id=f"{a}{b}", from_hub=a, to_hub=b, mode="road", distance_km=100.0,
                          duration_h=5.0, price_usd=100.0, price_basis="kg",
                          co2e_kg_per_tkm=0.1)
                  for a, b in (("AA", "BB"), ("BB", "CC"), ("AA", "CC")))
    rules = (sr.TransferRule(hub="*", from_mode="road", to_mode="road", min_connection_h=0.0),)
    network = sr.Network(hubs=hubs, links=links, transfers=rules, services=(sr.Service(
        id="S", mode="air", stops=("AA", "CC"), leg_h=(1.0,), leg_km=(100.0,), weekdays=frozenset(
            range(7)), price_usd=1.0, price_basis="kg", co2e_kg_per_tkm=1.0),))
    tt = _compile(network)
    q = quantity_vector(100.0, 0.1)
    capped = pareto_search(tt.arrays, 0, 0.0, q, 100.0, max_labels=2)
    assert capped.overflow
    assert not pareto_search(tt.arrays, 0, 0.0, q, 100.0).overflow


def test_bad_input_raises_value_error() -> None:
    hubs = tuple(sr.Hub(code=c, name=c, kind="road_hub", country="CN", lat=0.0, lon=0.0)
                 for c in ("AA", "BB"))
    network = sr.Network(hubs=hubs, services=(sr.Service(
        id="S", mode="air", stops=("AA", "BB"), leg_h=(1.0,), leg_km=(100.0,),
        weekdays=frozenset(range(7)), price_usd=1.0, price_basis="kg", co2e_kg_per_tkm=1.0),))
    arrays = _compile(network).arrays
    with pytest.raises(ValueError, match="origin"):
        earliest_arrival(arrays, 5, 0.0)
    with pytest.raises(ValueError, match="mode_mask"):
        earliest_arrival(arrays, 0, 0.0, mode_mask=0)
    with pytest.raises(ValueError, match="conn_dep_h"):
        broken = list(arrays)
        broken[2] = broken[2][::-1].copy()
        earliest_arrival(tuple(broken), 0, 0.0)
    with pytest.raises(ValueError, match="q must be"):
        pareto_search(arrays, 0, 0.0, np.ones(3), 1.0)

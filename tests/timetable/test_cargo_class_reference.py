"""Cargo-class rules against brute force: on random tiny networks with random class rules, the
routed plan equals the best of every enumerated journey that the rules allow.

The reference reads the rules from the records itself (nothing from ``compile`` or
``routing``): a restricted class that the rules mention goes only where a rule accepts it; a
hub's rule governs the freight handled there (at the origin, the destination, and every
vehicle change; staying aboard is not handled); a service with ``reefer_teu`` 0 refuses; each
service leg pays the distance share of the service rule's surcharge, a link the whole of its
own; a service rule's ``reefer_teu`` is the reefer space per departure leg of the class, which
its shipments' TEU fill on top of the leg's own capacity. Shipments of several classes compete
for the same tight capacities, so the capacity ledger counts across classes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta

from capacity_reference import ReferenceLedger, Route, journeys, teu_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_capacity import DAYS, _no_worse, _route_of, _value, capacitated
from timetable_reference import HORIZON_START, Cargo

import silkroad_routing as sr
from silkroad_routing.model import ClassRule
from silkroad_routing.units import FEU_USABLE_M3

CLASSES = ("general", "dangerous_goods", "cold_chain")
RESTRICTED = {"dangerous_goods", "cold_chain", "pharma"}


def _service_rule(draw: st.DrawFn, sid: str, cls: str) -> ClassRule | None:
    pick = draw(st.sampled_from(("none", "none", "accept", "refuse", "surcharge", "surcharge",
                                 "no_reefer", "reefer", "reefer")))
    if pick == "reefer":
        return ClassRule(scope="service", ref=sid, cargo_class=cls,
                         reefer_teu=float(draw(st.sampled_from((0.5, 1.0, 2.0)))))
    if pick == "surcharge":
        return ClassRule(scope="service", ref=sid, cargo_class=cls,
                         surcharge_usd=float(draw(st.integers(1, 5)) * 8),
                         surcharge_basis=draw(st.sampled_from(("kg", "feu", "wm"))))
    if pick == "no_reefer":
        return ClassRule(scope="service", ref=sid, cargo_class=cls, reefer_teu=0.0)
    if pick == "none":
        return None
    return ClassRule(scope="service", ref=sid, cargo_class=cls, accepts=pick == "accept")


def _class_rules(draw: st.DrawFn, net: sr.Network, cls: str, open_hubs: bool) -> list[ClassRule]:
    """Random rules of one class: mostly accepting defaults (``*``), so that restricted
    shipments often have a route to compare, and own rules that accept, refuse or surcharge."""
    rules = [ClassRule(scope=scope, ref="*", cargo_class=cls)
             for scope, keep in (("hub", open_hubs or draw(st.integers(0, 4)) > 0),
                                 ("service", draw(st.integers(0, 3)) > 0),
                                 ("link", draw(st.integers(0, 3)) > 0)) if keep]
    for h in () if open_hubs else net.hubs:
        pick = draw(st.sampled_from(("none", "none", "none", "accept", "refuse")))
        if pick != "none":
            rules.append(ClassRule(scope="hub", ref=h.code, cargo_class=cls,
                                   accepts=pick == "accept"))
    rules += [r for s in net.services if (r := _service_rule(draw, s.id, cls)) is not None]
    for x in net.links:
        pick = draw(st.sampled_from(("none", "accept", "refuse")))
        if pick != "none":
            rules.append(ClassRule(scope="link", ref=x.id, cargo_class=cls,
                                   accepts=pick == "accept"))
    return rules


@st.composite
def ruled(draw: st.DrawFn) -> tuple[sr.Network, list[sr.Shipment]]:
    """A capacitated tiny network with random rules for dangerous goods and cold chain (with
    every hub open to both, half the time: then the services decide), and shipments of random
    classes."""
    net, shipments = draw(capacitated())
    open_hubs = draw(st.booleans())
    rules = [r for cls in CLASSES[1:] for r in _class_rules(draw, net, cls, open_hubs)]
    net = net.model_copy(update={"class_rules": tuple(rules)})
    shipments = [s.model_copy(update={"cargo_class": draw(st.sampled_from(CLASSES))})
                 for s in shipments]
    return net, shipments


def _rule(net: sr.Network, scope: str, ref: str, cls: str) -> ClassRule | None:
    by_key = {(r.scope, r.ref, r.cargo_class): r for r in net.class_rules}
    return by_key.get((scope, ref, cls)) or by_key.get((scope, "*", cls))


def _takes(net: sr.Network, scope: str, ref: str, cls: str) -> bool:
    rule = _rule(net, scope, ref, cls)
    if rule is None:
        return not (cls in RESTRICTED and any(r.cargo_class == cls for r in net.class_rules))
    return rule.accepts and not (scope == "service" and rule.reefer_teu == 0)


def allowed(net: sr.Network, s: sr.Shipment, cargo: Cargo, route: Route) -> float | None:
    """The class surcharges of ``route`` for ``s`` (USD), or None where a rule refuses it."""
    cls = str(s.cargo_class)
    handled = {s.origin, s.destination}
    extra = 0.0
    prev = None
    for ride in route.rides:
        if not (prev is not None and ride.service is not None and prev.service == ride.service
                and prev.day == ride.day and ride.leg == prev.leg + 1):
            handled.add(ride.from_hub)
        scope, ref = ("service", ride.service) if ride.service else ("link", ride.link)
        if not _takes(net, scope, ref, cls):
            return None
        rule = _rule(net, scope, ref, cls)
        if rule is not None and rule.surcharge_usd:
            share = 1.0
            if ride.service:
                service = net.service_by_id[ride.service]
                share = service.leg_km[ride.leg] / sum(service.leg_km)
            part = (rule.surcharge_usd / FEU_USABLE_M3 if rule.surcharge_basis == "feu"
                    else None)
            extra += cargo.price(rule.surcharge_usd, str(rule.surcharge_basis), part, share)
        prev = ride
    if not all(_takes(net, "hub", h, cls) for h in handled):
        return None
    return extra


class ReeferLedger:
    """Reefer space used per (service, day, leg, class), TEU: a class's shipments take their
    TEU from the space its rule gives the service, on every leg they ride."""

    def __init__(self, net: sr.Network) -> None:
        self.net = net
        self.used: dict[tuple, float] = defaultdict(float)

    def _space(self, ride, cls: str) -> float | None:
        rule = _rule(self.net, "service", ride.service, cls) if ride.service else None
        return None if rule is None else rule.reefer_teu

    def fits(self, s: sr.Shipment, cargo: Cargo, route: Route) -> bool:
        cls = str(s.cargo_class)
        return all((space := self._space(r, cls)) is None
                   or self.used[(r.service, r.day, r.leg, cls)] + teu_of(cargo) <= space + 1e-6
                   for r in route.rides)

    def book(self, s: sr.Shipment, cargo: Cargo, route: Route) -> None:
        for r in route.rides:
            if self._space(r, str(s.cargo_class)) is not None:
                self.used[(r.service, r.day, r.leg, str(s.cargo_class))] += teu_of(cargo)


def _priced(route: Route, extra: float) -> Route:
    return Route(route.rides, route.arrival, route.cost + extra, route.co2)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=ruled(), objective=st.sampled_from(("cheapest", "fastest", "generalized")))
def test_class_routes_equal_the_best_allowed_enumerated_journey(case, objective: str) -> None:
    net, shipments = case
    plan = sr.route(net, shipments, objective, start=HORIZON_START, days=DAYS,
                    costs=sr.Costs(value_of_time_usd_per_h=2.0, co2_price_usd_per_t=40.0))
    rows = plan.shipments.set_index("shipment_id")
    ledger = ReferenceLedger(net)
    reefers = ReeferLedger(net)
    order = sorted(shipments, key=lambda s: (math.inf if s.due is None else s.due.timestamp(),
                                             s.ready.timestamp(), s.id))
    for s in order:
        cargo = Cargo(s.weight_kg, s.volume_m3, s.units_feu)
        ready = (s.ready - HORIZON_START) / timedelta(hours=1)
        every = list(journeys(net, DAYS, cargo, s.origin, ready, s.destination,
                              frozenset(range(4))))
        fits = []
        for r in every:
            extra = allowed(net, s, cargo, r)
            if extra is not None and ledger.fits(r, cargo) and reefers.fits(s, cargo, r):
                fits.append(_priced(r, extra))
        best = min((_value(objective, s, r) for r in fits), default=None)  # type: ignore
        row = rows.loc[s.id]
        if not row["routed"]:
            assert best is None, (s.id, row["reason"], best)
            continue
        route = _route_of(net, plan, s, cargo)
        extra = allowed(net, s, cargo, route)
        assert extra is not None, f"{s.id} ({s.cargo_class}) routed where a rule refuses it"
        route = _priced(route, extra)
        assert math.isclose(row["cost_usd"], route.cost, rel_tol=1e-9, abs_tol=1e-6), (
            s.id, row["cost_usd"], route.cost)
        assert ledger.fits(route, cargo), f"{s.id} booked over capacity"
        assert reefers.fits(s, cargo, route), f"{s.id} booked over its reefer space"
        if best is not None:
            assert _no_worse(_value(objective, s, route), best), (s.id, route, best)
        ledger.book(route, cargo)
        reefers.book(s, cargo, route)
    assert ledger.over_capacity() == []

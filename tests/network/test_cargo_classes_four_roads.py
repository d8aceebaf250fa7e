"""Cargo classes on the bundled network: lithium batteries (UN 3480) never fly in a passenger
belly, pharma is handled only at certified hubs within its time out of temperature control,
every leg of a cold-chain route has reefer space, and surcharges are priced as published.

The rules come from ``networks/four_roads/classes.csv``; the checks read the plan's legs and
the network's records, not the compiled views.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

import silkroad_routing as sr
from silkroad_routing.edits import add_service
from silkroad_routing.model import ClassRule

READY = datetime(2026, 12, 7, 2, tzinfo=UTC)
EUROPE = ("DEHAM", "NLRTM", "DEDUI", "BELGG", "ITMIL", "HUBUD", "PLWAW", "LUX", "LGG", "MXP",
          "BUD", "LHR", "CDG")
ORIGINS = ("CGO", "CNCGO", "CNCGO-BZ")


@pytest.fixture(scope="module")
def net() -> sr.Network:
    return sr.load_network("four_roads")


def _rule(net: sr.Network, scope: str, ref: str, cls: str) -> ClassRule | None:
    rules = {(r.scope, r.ref, r.cargo_class): r for r in net.class_rules}
    return rules.get((scope, ref, cls)) or rules.get((scope, "*", cls))


def _shipments(cls: str, dests: tuple[str, ...] = EUROPE, **extra: object) -> list[sr.Shipment]:
    return [sr.Shipment(id=f"{o}>{d}", origin=o, destination=d, ready=READY, weight_kg=800.0,
                        volume_m3=3.0, cargo_class=cls, **extra)
            for o in ORIGINS for d in dests]


def _handled(legs) -> list[str]:
    """Hubs where the freight is handled: the origin, every vehicle change, the destination."""
    hubs = [legs.iloc[0]["from_hub"]]
    prev = None
    for row in legs.itertuples():
        if prev is not None and not (row.kind == "service" and prev.departure_id == row.departure_id):
            hubs.append(row.from_hub)
        prev = row
    return [*hubs, legs.iloc[-1]["to_hub"]]


def test_un3480_from_zhengzhou_goes_by_freighter_rail_sea_or_road_never_a_belly(
        net: sr.Network) -> None:
    # A passenger flight CGO-LUX, cheaper and earlier than the Cargolux freighter, and a rule
    # as a belly would have it: it refuses dangerous goods.
    belly = sr.Service(id="PAX-CGO-LUX", name="passenger flight (belly)", mode="air",
                       stops=("CGO", "LUX"), leg_h=(11.0,), leg_km=(8000.0,),
                       weekdays=frozenset(range(7)), departure_time_utc=time(8, 0),
                       capacity_kg=10_000.0, price_usd=1.0, price_basis="kg_chargeable",
                       co2e_kg_per_tkm=0.8)
    edited = add_service(net, belly)
    edited = edited.model_copy(update={"class_rules": (*edited.class_rules, ClassRule(
        scope="service", ref=belly.id, cargo_class="dangerous_goods", accepts=False))})
    general = sr.route(edited, _shipments("general", ("LUX",)), "fastest", capacity="ignore")
    assert "PAX-CGO-LUX" in set(general.legs["service_id"])  # the belly is the fastest
    for objective in ("fastest", "cheapest"):
        plan = sr.route(edited, _shipments("dangerous_goods"), objective, capacity="ignore")
        assert plan.shipments["routed"].all(), plan.shipments[["shipment_id", "reason"]]
        air = plan.legs[plan.legs["mode"] == "air"]
        assert "PAX-CGO-LUX" not in set(air["service_id"])
        for sid in set(air["service_id"]):
            rule = _rule(edited, "service", sid, "dangerous_goods")
            # Boarded only where the network says cargo aircraft (UN 3480 cargo-aircraft only).
            assert rule is not None and rule.accepts and "iata-un3480-2016" in rule.source
        assert set(plan.legs["mode"]) <= {"air", "rail", "sea", "road"}
    fastest = sr.route(edited, _shipments("dangerous_goods", ("LUX",)), "fastest",
                       capacity="ignore")
    assert set(fastest.legs[fastest.legs["mode"] == "air"]["service_id"]) == {"A-CGO-LUX"}


def test_pharma_routes_use_certified_hubs_only_within_the_exposure_limit(net: sr.Network) -> None:
    plan = sr.route(net, _shipments("pharma", (*EUROPE, "ORD")), "cheapest", capacity="ignore")
    certified = {r.ref for r in net.class_rules
                 if r.scope == "hub" and r.cargo_class == "pharma" and r.accepts}
    limit = _rule(net, "class", "*", "pharma").max_exposure_h  # type: ignore[union-attr]
    assert certified == {"CGO", "LUX", "LGG"} and limit is not None
    rows = plan.shipments.set_index("shipment_id")
    routed = rows.index[rows["routed"]]
    assert {"CGO>LUX", "CGO>LGG"} <= set(routed)
    for sid in routed:
        hubs = _handled(plan.route_of(sid))
        assert set(hubs) <= certified, (sid, hubs)
        for hub in hubs[1:-1]:  # every transfer within the limit out of temperature control
            assert _rule(net, "hub", hub, "pharma").exposure_h <= limit  # type: ignore
    assert rows.loc["CGO>DEHAM", "reason"] == (
        "no route accepts pharma from CGO: hub DEHAM does not handle pharma")
    assert rows.loc["CNCGO>LUX", "reason"].endswith("hub CNCGO does not handle pharma")


def test_every_leg_of_a_cold_chain_route_has_reefer_space(net: sr.Network) -> None:
    for objective in ("fastest", "cheapest"):
        plan = sr.route(net, _shipments("cold_chain"), objective, capacity="ignore")
        assert plan.shipments["routed"].all()
        for row in plan.legs.itertuples():
            scope, ref = ("service", row.service_id) if row.kind == "service" else (
                "link", row.link_id)
            rule = _rule(net, scope, ref, "cold_chain")
            assert rule is not None and rule.accepts and rule.reefer_teu != 0, row


@pytest.mark.parametrize(("cls", "usd_per_feu"), [("dangerous_goods", 1000.0),
                                                   ("cold_chain", 4350.0)])
def test_sea_surcharges_per_feu_by_hand(net: sr.Network, cls: str, usd_per_feu: float) -> None:
    """A full container by sea-rail to Rotterdam: each sea leg's freight is the distance share
    of the sailing's price plus the class's surcharge per FEU (MSC 500 USD/TEU, Xeneta 4,350)."""
    box = [sr.Shipment(id="box", origin="CNCGO", destination="NLRTM", ready=READY,
                       weight_kg=12_000.0, volume_m3=60.0, units_feu=1, cargo_class=cls,
                       modes=frozenset({"rail", "sea"}))]
    plan = sr.route(net, box, "cheapest", capacity="ignore")
    sea = plan.legs[plan.legs["mode"] == "sea"]
    assert len(sea) >= 1
    for row in sea.itertuples():
        service = net.service_by_id[row.service_id]
        share = row.distance_km / service.distance_km
        assert row.freight_usd == pytest.approx((service.price_usd + usd_per_feu) * share)

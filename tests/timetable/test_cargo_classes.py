"""Cargo-class rules on a hand-made network: each rule refuses what it must, and what it lets
through is priced by hand.

The network: airports AA, BB, CC and a road hub RR. ``PAX`` (a passenger belly, A->B, cheap and
early), ``FRT`` (a freighter, A->B, later and dearer), ``THRU`` (AA->BB->CC, one flight with a stop
at B), ``BC`` (BB->CC), and a truck link BB->RR. Prices are per actual kg so that hand sums are short.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

import silkroad_routing as sr
from silkroad_routing.model import ClassRule

DAY = datetime(2026, 12, 7, tzinfo=UTC)  # a Monday
KG = 1000.0
HANDLING_USD_PER_T = 10.0


def _hub(code: str, kind: str = "airport") -> sr.Hub:
    return sr.Hub(code=code, name=code, kind=kind, country="LU", lat=0.0, lon=0.0)


def _flight(sid: str, stops: tuple[str, ...], hour: int, usd_per_kg: float,
            hours: tuple[float, ...] = (4.0,)) -> sr.Service:
    return sr.Service(id=sid, mode="air", stops=stops, leg_h=hours,
                      leg_km=tuple(1000.0 for _ in hours), weekdays=frozenset(range(7)),
                      departure_time_utc=time(hour, 0), price_usd=usd_per_kg, price_basis="kg",
                      co2e_kg_per_tkm=0.5)


def network(*rules: ClassRule) -> sr.Network:
    """The hand-made network with ``rules``."""
    return sr.Network(
        hubs=(_hub("AA"), _hub("BB"), _hub("CC"), _hub("RR", "road_hub")),
        links=(sr.Link(id="BR", from_hub="BB", to_hub="RR", mode="road", distance_km=100.0,
                       duration_h=2.0, price_usd=0.5, price_basis="kg",
                       co2e_kg_per_tkm=0.1),),
        services=(_flight("PAX", ("AA", "BB"), 1, 1.0), _flight("FRT", ("AA", "BB"), 3, 2.0),
                  _flight("THRU", ("AA", "BB", "CC"), 2, 6.0, (4.0, 4.0)),
                  _flight("BC", ("BB", "CC"), 10, 1.0)),
        transfers=(sr.TransferRule(hub="*", from_mode="air", to_mode="air", min_connection_h=2.0,
                                   handling_usd_per_t=HANDLING_USD_PER_T),
                   sr.TransferRule(hub="*", from_mode="air", to_mode="road",
                                   min_connection_h=1.0)),
        class_rules=rules)


def ship(cls: str, dest: str = "BB", sid: str = "s") -> sr.Shipment:
    return sr.Shipment(id=sid, origin="AA", destination=dest, ready=DAY, weight_kg=KG,
                       volume_m3=1.0, cargo_class=cls)


def route(net: sr.Network, *shipments: sr.Shipment, objective: str = "cheapest") -> sr.Plan:
    return sr.route(net, list(shipments), objective, start=DAY, days=3, capacity="ignore")


def services_of(plan: sr.Plan, sid: str = "s") -> list[str]:
    return plan.route_of(sid)["service_id"].tolist()


def reason(plan: sr.Plan, sid: str = "s") -> str:
    row = plan.shipments.set_index("shipment_id").loc[sid]
    assert not row["routed"]
    return str(row["reason"])


DG = "dangerous_goods"


def test_a_passenger_belly_refuses_dangerous_goods_the_freighter_takes_them() -> None:
    net = network(ClassRule(scope="service", ref="PAX", cargo_class=DG, accepts=False),
                  ClassRule(scope="service", ref="*", cargo_class=DG),
                  ClassRule(scope="hub", ref="*", cargo_class=DG))
    plan = route(net, ship("general", sid="g"), ship(DG))
    assert services_of(plan, "g") == ["PAX"]  # general cargo takes the cheap belly
    assert services_of(plan) == ["FRT"]  # the battery shipment never boards it
    # Every objective, capacity or not: the refused service is never boarded.
    for objective in ("fastest", "greenest", "generalized"):
        assert "PAX" not in services_of(route(net, ship(DG), objective=objective))
    booked = sr.route(net, [ship(DG)], "cheapest", start=DAY, days=3)
    assert services_of(booked) == ["FRT"]


def test_without_any_rule_for_a_class_it_is_restricted_nowhere() -> None:
    plan = route(network(), ship(DG))
    assert services_of(plan) == ["PAX"]


def test_the_surcharge_is_in_the_cost_by_hand() -> None:
    surcharge_usd_per_kg = 0.75
    net = network(ClassRule(scope="service", ref="*", cargo_class=DG,
                            surcharge_usd=surcharge_usd_per_kg, surcharge_basis="kg"),
                  ClassRule(scope="hub", ref="*", cargo_class=DG))
    plan = route(net, ship(DG), ship("general", sid="g"))
    rows = plan.shipments.set_index("shipment_id")
    assert services_of(plan) == ["PAX"]
    assert rows.loc["g", "cost_usd"] == pytest.approx(1.0 * KG)
    assert rows.loc["s", "cost_usd"] == pytest.approx((1.0 + surcharge_usd_per_kg) * KG)
    assert plan.route_of("s")["freight_usd"].sum() == pytest.approx(1.75 * KG)


def test_a_hub_that_does_not_handle_the_class_refuses_transfers_not_a_stop_aboard() -> None:
    cold = "cold_chain"
    net = network(ClassRule(scope="service", ref="*", cargo_class=cold),
                  ClassRule(scope="hub", ref="*", cargo_class=cold),
                  ClassRule(scope="hub", ref="BB", cargo_class=cold, accepts=False))
    plan = route(net, ship(cold, "CC"), ship("general", "CC", sid="g"))
    # General cargo changes flights at B (PAX then BC: 1 + 1 USD/kg and handling); cold chain
    # stays aboard THRU through B, which does not handle it.
    assert services_of(plan, "g") == ["PAX", "BC"]
    assert services_of(plan) == ["THRU", "THRU"]
    # Ending at B, or trucking on from B, is handling at B: refused, and the reason says why.
    plan = route(net, ship(cold, "BB"), ship(cold, "RR", sid="r"))
    assert reason(plan) == "no route accepts cold_chain from AA: hub BB does not handle cold_chain"
    assert reason(plan, "r").startswith("no route accepts cold_chain from AA: hub BB")


def test_no_reefer_space_refuses_cold_chain_and_the_reason_names_the_service() -> None:
    cold = "cold_chain"
    net = network(ClassRule(scope="service", ref="*", cargo_class=cold, accepts=False),
                  ClassRule(scope="service", ref="PAX", cargo_class=cold, reefer_teu=0.0),
                  ClassRule(scope="hub", ref="*", cargo_class=cold))
    plan = route(net, ship(cold))
    assert reason(plan) == "no route accepts cold_chain from AA: service PAX has no reefer space"
    net = network(ClassRule(scope="service", ref="*", cargo_class=cold, accepts=False),
                  ClassRule(scope="service", ref="FRT", cargo_class=cold, reefer_teu=2.0),
                  ClassRule(scope="hub", ref="*", cargo_class=cold))
    assert services_of(route(net, ship(cold))) == ["FRT"]


def test_the_origin_hub_refusing_is_the_reason() -> None:
    net = network(ClassRule(scope="service", ref="*", cargo_class=DG),
                  ClassRule(scope="hub", ref="AA", cargo_class=DG, accepts=False),
                  ClassRule(scope="hub", ref="*", cargo_class=DG))
    assert reason(route(net, ship(DG))) == (
        "no route accepts dangerous_goods from AA: hub AA does not handle dangerous_goods")


def test_pharma_time_out_of_temperature_control_at_a_transfer_has_a_limit() -> None:
    pharma = "pharma"

    def net(exposure_b: float) -> sr.Network:
        return network(ClassRule(scope="class", ref="*", cargo_class=pharma,
                                 max_exposure_h=1.0),
                       ClassRule(scope="service", ref="*", cargo_class=pharma),
                       ClassRule(scope="hub", ref="AA", cargo_class=pharma, exposure_h=0.0),
                       ClassRule(scope="hub", ref="CC", cargo_class=pharma, exposure_h=0.0),
                       ClassRule(scope="hub", ref="BB", cargo_class=pharma,
                                 exposure_h=exposure_b))

    within = route(net(0.5), ship(pharma, "CC"))
    assert services_of(within) == ["PAX", "BC"]
    over = route(net(1.5), ship(pharma, "CC"))
    assert services_of(over) == ["THRU", "THRU"]  # staying aboard at B: no exposure there
    over_b = route(net(1.5), ship(pharma, "BB"))
    assert reason(over_b) == ("no route accepts pharma from AA: hub BB keeps pharma 1.5 h out of "
                              "temperature control (limit 1 h)")
    # A hub that states no exposure where the class has a limit is refused too.
    unknown = network(ClassRule(scope="class", ref="*", cargo_class=pharma, max_exposure_h=1.0),
                      ClassRule(scope="service", ref="*", cargo_class=pharma),
                      ClassRule(scope="hub", ref="*", cargo_class=pharma))
    assert "states no time out of temperature control" in reason(route(unknown, ship(pharma)))


def test_extra_connection_time_and_handling_of_a_class_at_a_hub() -> None:
    # BC leaves BB daily at 10:00; PAX arrives at BB at 05:00. General cargo connects the same
    # day (05:00 + 2 h); dangerous goods need 4 h more at BB (11:00): the next day's BC.
    extra_h, extra_usd_per_t = 4.0, 30.0

    def net(hours: float) -> sr.Network:
        return network(ClassRule(scope="service", ref="*", cargo_class=DG),
                       ClassRule(scope="hub", ref="*", cargo_class=DG),
                       ClassRule(scope="hub", ref="BB", cargo_class=DG, extra_connection_h=hours,
                                 handling_usd_per_t=extra_usd_per_t))

    plan = route(net(extra_h), ship(DG, "CC"), ship("general", "CC", sid="g"))
    assert plan.route_of("g")["departure_id"].tolist() == ["PAX@2026-12-07", "BC@2026-12-07"]
    assert plan.route_of("s")["departure_id"].tolist() == ["PAX@2026-12-07", "BC@2026-12-08"]
    # With 2 h more only, the same day's BC still connects (05:00 + 2 + 2 = 09:00); the class's
    # handling at BB comes on top: 1 + 1 USD/kg plus (10 + 30) USD/t.
    plan = route(net(2.0), ship(DG, "CC"))
    assert plan.route_of("s")["departure_id"].tolist() == ["PAX@2026-12-07", "BC@2026-12-07"]
    cost = plan.shipments.set_index("shipment_id").loc["s", "cost_usd"]
    assert cost == pytest.approx(2.0 * KG + (HANDLING_USD_PER_T + extra_usd_per_t) * KG / 1000)


def test_a_link_that_refuses_the_class() -> None:
    net = network(ClassRule(scope="service", ref="*", cargo_class=DG),
                  ClassRule(scope="hub", ref="*", cargo_class=DG),
                  ClassRule(scope="link", ref="BR", cargo_class=DG, accepts=False))
    plan = route(net, ship(DG, "RR"), ship("general", "RR", sid="g"))
    assert plan.route_of("g")["link_id"].tolist()[-1] == "BR"
    assert reason(plan) == "no route accepts dangerous_goods from AA: link BR refuses dangerous_goods"


def test_network_rejects_rules_on_unknown_hubs_and_misplaced_fields() -> None:
    with pytest.raises(ValueError, match="unknown hub 'NOPE'"):
        network(ClassRule(scope="hub", ref="NOPE", cargo_class=DG))
    # A rule of a service the network does not have (a filtered network) applies to nothing.
    filtered = network(ClassRule(scope="service", ref="GONE", cargo_class=DG, accepts=False),
                       ClassRule(scope="service", ref="*", cargo_class=DG),
                       ClassRule(scope="hub", ref="*", cargo_class=DG))
    assert services_of(route(filtered, ship(DG))) == ["PAX"]
    with pytest.raises(ValueError, match="belong to hub rules"):
        ClassRule(scope="service", ref="PAX", cargo_class=DG, exposure_h=1.0)
    with pytest.raises(ValueError, match="surcharge_basis"):
        ClassRule(scope="service", ref="PAX", cargo_class=DG, surcharge_usd=5.0)


def test_optimal_assignment_and_design_say_they_do_not_honour_rules() -> None:
    net = network(ClassRule(scope="service", ref="PAX", cargo_class=DG, accepts=False))
    with pytest.raises(sr.errors.InputError, match="does not honour cargo-class rules"):
        sr.route(net, [ship(DG)], "cheapest", start=DAY, days=3, assign="optimal")


def test_reefer_space_per_departure_is_a_capacity_of_its_own() -> None:
    # PAX has reefer space for 1 TEU of cold chain; each cold-chain shipment takes 20 m3, 0.6 TEU
    # (20 / 33.5): the second finds no reefer space on PAX and takes the freighter. General
    # cargo on PAX does not use the reefer space (and PAX itself has room for all).
    cold = "cold_chain"
    net = network(ClassRule(scope="service", ref="*", cargo_class=cold),
                  ClassRule(scope="service", ref="PAX", cargo_class=cold, reefer_teu=1.0),
                  ClassRule(scope="hub", ref="*", cargo_class=cold))

    def box(sid: str, cls: str) -> sr.Shipment:
        return sr.Shipment(id=sid, origin="AA", destination="BB", ready=DAY, weight_kg=KG,
                           volume_m3=20.0, cargo_class=cls)

    shipments = [box("c1", cold), box("c2", cold), box("g1", "general"), box("g2", "general")]
    alone = route(net, *shipments)
    assert {sid: services_of(alone, sid)[0] for sid in ("c1", "c2")} == {"c1": "PAX", "c2": "PAX"}
    booked = sr.route(net, shipments, "cheapest", start=DAY, days=3)
    rows = booked.shipments.set_index("shipment_id")
    assert services_of(booked, "c1") == ["PAX"]
    # Without a due date the cheapest left is the next day's PAX.
    assert booked.route_of("c2")["departure_id"].tolist() == ["PAX@2026-12-08"]
    assert rows.loc["c2", "lost_departure"] == "PAX@2026-12-07"
    assert services_of(booked, "g1") == services_of(booked, "g2") == ["PAX"]

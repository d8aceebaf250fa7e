"""``avoid_countries``: every link and service knows the countries it passes on the ground, and
avoiding Russia takes the block trains through Russia out and sends rail via the Middle
Corridor (Khorgos - Aktau - Baku - Poti), as the routes are published (DW 2013: Zhengzhou-Hamburg
via Kazakhstan, Russia, Belarus and Poland; KazTAG 2024: the Trans-Caspian route)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import silkroad_routing as sr
from silkroad_routing.edits import avoid_country
from silkroad_routing.errors import InputError

READY = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
MIDDLE_CORRIDOR = {"KZAAU", "AZBAK", "GEPTI"}


@pytest.fixture(scope="module")
def net() -> sr.Network:
    return sr.load_network("four_roads")


def test_every_record_passes_the_countries_of_its_ends(net: sr.Network) -> None:
    for item in (*net.links, *net.services):
        stops = (item.from_hub, item.to_hub) if isinstance(item, sr.Link) else item.stops
        ends = {c for code in stops for c in net.hub(code).country.split("-")}
        assert ends <= item.countries, item.id


def test_avoiding_russia_removes_exactly_the_records_through_russia(net: sr.Network) -> None:
    avoided = avoid_country(net, "ru")
    assert not any("RU" in x.countries for x in (*avoided.links, *avoided.services))
    kept = {x.id for x in (*avoided.links, *avoided.services)}
    assert kept == {x.id for x in (*net.links, *net.services) if "RU" not in x.countries}
    # every westbound block train through Brest-Malaszewicze runs through Russia
    assert not any("BRE-MAL" in s.stops for s in avoided.services if s.mode == "rail")
    assert {"R-ZZ-AAU", "S-AAU-BAK", "R-BAK-PTI", "S-PTI-CND"} <= kept


def test_a_container_that_must_not_transit_russia_takes_the_middle_corridor(net: sr.Network) -> None:
    shipment = sr.Shipment(id="HUBUD", origin="CNCGO", destination="HUBUD", ready=READY,
                           weight_kg=12_000.0, volume_m3=60.0,
                           modes=frozenset({"rail", "road", "sea"}))
    base = sr.route(net, [shipment], "fastest", capacity="ignore")
    avoided_net = avoid_country(net, "RU")
    plan = sr.route(avoided_net, [shipment], "fastest", capacity="ignore")

    def countries(network: sr.Network, legs) -> set[str]:
        out: set[str] = set()
        for leg in legs.itertuples():
            item = (network.service_by_id[leg.service_id] if leg.kind == "service"
                    else network.link_by_id[leg.link_id])
            out |= item.countries
        return out

    assert "RU" in countries(net, base.legs)
    assert "RU" not in countries(avoided_net, plan.legs)
    assert set(plan.legs["from_hub"]) | set(plan.legs["to_hub"]) >= MIDDLE_CORRIDOR
    assert plan.shipments.iloc[0].arrival > base.shipments.iloc[0].arrival


@pytest.mark.parametrize("code", ["XX", "Russia"])
def test_an_unknown_country_names_the_value(net: sr.Network, code: str) -> None:
    with pytest.raises(InputError, match=code):
        avoid_country(net, code)


def test_a_bad_country_code_in_a_network_row_is_rejected() -> None:
    with pytest.raises(ValueError, match="alpha-2"):
        sr.Link(id="x", from_hub="A", to_hub="B", mode="road", distance_km=1, duration_h=1,
                price_usd=1, price_basis="kg", co2e_kg_per_tkm=0.1, countries=frozenset({"RUS"}))


def test_a_tir_truck_reaches_turkey_via_the_caspian_without_russia(net: sr.Network) -> None:
    """Trans.info 2024: the TIR route China - Kazakhstan - Caspian - Georgia - Turkey, 19 days."""
    shipment = sr.Shipment(id="TIR", origin="CNCGO-BZ", destination="IST", ready=READY,
                           weight_kg=12_000.0, volume_m3=60.0, modes=frozenset({"road", "sea"}))
    avoided = avoid_country(net, "RU")
    plan = sr.route(avoided, [shipment], "fastest", capacity="ignore")
    legs = plan.legs
    assert plan.shipments.iloc[0].routed
    assert {"KZAAU", "AZBAK", "GEPTI"} <= set(legs["to_hub"])
    links = [avoided.link_by_id[i] for i in legs["link_id"] if i]
    assert links and all("RU" not in x.countries and x.mode == "road" for x in links)
    assert set(legs["mode"]) == {"road", "sea"}

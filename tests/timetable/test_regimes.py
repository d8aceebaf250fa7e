"""Customs regimes: each rule refuses what it must; clearance legs carry the regime's time and
cost; groups of regimes share capacity.

The network is written here by hand (every figure made up, round). References are hand sums of
its rows and the stated rules of :mod:`silkroad_routing.model.regime` and
:mod:`silkroad_routing.routing.customs`, never the compiled arrays.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

import silkroad_routing as sr
from silkroad_routing.errors import InputError
from silkroad_routing.model import Regime, Shipment
from silkroad_routing.plan import KIND_CUSTOMS, KIND_STORAGE, vehicle_legs
from silkroad_routing.tables.itinerary import itinerary

HUBS = """code,name,kind,country,lat,lon,source,storage_usd_per_m3_day
ZZ,Origin airport,airport,CN,34.5,113.8,T
BZ,Bonded zone,road_hub,CN,34.6,113.9,T
EU,European airport,airport,LU,49.6,6.2,T
WH,Overseas warehouse,warehouse,LU,49.7,6.3,T,2.0
RC,Returns centre,warehouse,CN,34.7,113.9,T
"""
SERVICES = ("id,mode,stops,leg_h,leg_km,weekdays,departure_time_utc,capacity_kg,price_usd,"
            "price_basis,co2e_kg_per_tkm,both_ways,source\n") + """\
F,air,EU;ZZ,10,8000,Mon;Tue;Wed;Thu;Fri;Sat;Sun,00:00,1000,2,kg,0.5,true,T
"""
LINKS = ("id,from_hub,to_hub,mode,distance_km,duration_h,price_usd,price_basis,"
         "part_load_usd_per_wm,co2e_kg_per_tkm,both_ways,source\n") + """\
T1,ZZ,BZ,road,20,1,100,truck,5,0.1,true,T
T2,BZ,RC,road,5,1,50,truck,2,0.1,true,T
T3,EU,WH,road,10,1,80,truck,4,0.1,true,T
"""
TRANSFERS = """hub,from_mode,to_mode,min_connection_h,handling_usd_per_t,source
*,air,road,2,10,T
*,road,air,2,10,T
*,road,road,0,0,T
"""
# general: export at ZZ 1 h (0.1 USD/kg), import 10 h everywhere, 5 h into BZ; the regimes'
# own rules differ where stated.
PROCESS = """hub,mode,stage,regime,hours,usd_per_feu,usd_per_kg,source
*,air,acceptance,general,3,,,T
ZZ,air,export,general,1,,0.1,T
ZZ,road,export,general,1,,,T
*,air,import,general,10,,,T
*,road,import,general,10,,,T
BZ,road,import,general,5,,,T
ZZ,air,export,9610,0.5,,0.1,T
ZZ,air,export,9710,1,,0.1,T
ZZ,air,export,9810,2,,0.2,T
ZZ,road,export,9810,2,,0.2,T
BZ,road,import,1210,20,100,,T
RC,road,import,returns,3,50,,T
*,road,export,transit,1,30,,T
"""
SOURCES = "key,citation,url,year,note\nT,made up for the tests,,2026,\n"
READY = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # before the 3 h cut-off of the 1 Dec flight


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> sr.Network:
    folder: Path = tmp_path_factory.mktemp("regimes")
    for name, text in (("hubs.csv", HUBS), ("services.csv", SERVICES),
                       ("links.csv", LINKS), ("transfers.csv", TRANSFERS),
                       ("process.csv", PROCESS), ("sources.csv", SOURCES)):
        (folder / name).write_text(text, encoding="utf-8")
    return sr.load_network(folder)


def ship(sid: str, origin: str, destination: str, regime: str = "general", **extra: object
         ) -> Shipment:
    values: dict[str, object] = {"weight_kg": 500.0, "volume_m3": 2.0, "ready": READY}
    values.update(extra)
    return Shipment(id=sid, origin=origin, destination=destination, regime=Regime(regime),
                    **values)  # type: ignore[arg-type]


REFUSED = [
    # (shipment, words its reason must hold)
    (ship("B1", "EU", "ZZ", "1210"), ("1210", "destination ZZ", "BZ")),
    (ship("W1", "ZZ", "EU", "9810"), ("9810", "overseas warehouse", "EU")),
    (ship("D1", "EU", "WH", "9710"), ("9710", "origin EU")),
    (ship("R1", "WH", "BZ", "returns"), ("returns", "warehouse", "BZ")),
    (ship("R2", "EU", "WH", "returns"), ("returns", "destination WH")),
    (ship("P1", "EU", "WH", "9610"), ("9610", "neither", "EU", "WH")),
    (ship("X1", "ZZ", "EU", "transit", modes=frozenset({"air"})), ("transit", "rail or road")),
]


@pytest.mark.parametrize(("shipment", "words"), REFUSED, ids=[s.id for s, _ in REFUSED])
def test_each_regime_rule_refuses_what_it_must(net: sr.Network, shipment: Shipment,
                                               words: tuple[str, ...]) -> None:
    plan = sr.route(net, [shipment])
    row = plan.shipments.iloc[0]
    assert row.status == "no route" and not row.routed
    for word in words:
        assert word in row.reason, (word, row.reason)
    assert plan.legs.empty
    # The same trip under the general regime is routed: the regime's rule refused it.
    assert sr.route(net, [shipment.model_copy(update={"regime": Regime.GENERAL})]).n_routed == 1


def test_a_1210_import_passes_the_bonded_zone_with_its_clearance_time_and_cost(
        net: sr.Network) -> None:
    bonded = ship("B", "EU", "BZ", "1210", units_feu=1)
    general = ship("G", "EU", "BZ", units_feu=1)
    plan = sr.route(net, [bonded, general], capacity="ignore")
    by_id = plan.shipments.set_index("shipment_id")
    # Hand sum of the timetable: cut-off 3 h before the 1 Dec 00:00 flight, 10 h flight, 2 h
    # air -> road, 1 h truck to BZ; then the 1210 entry (20 h) instead of the general 5 h.
    at_bz = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    assert by_id.at["B", "arrival"] == at_bz + timedelta(hours=20)
    assert by_id.at["G", "arrival"] == at_bz + timedelta(hours=5)
    legs = plan.route_of("B")
    customs = legs[legs["kind"] == KIND_CUSTOMS]
    assert customs["link_id"].tolist() == ["import 1210"]  # no export rule at EU: no export leg
    entry = customs.iloc[0]
    assert (entry.from_hub, entry.to_hub) == ("BZ", "BZ")
    assert entry.departure == at_bz and entry.arrival == at_bz + timedelta(hours=20)
    assert entry.cost_usd == pytest.approx(100.0)  # one FEU x 100 USD per FEU
    # Customs legs sum into the shipment: cost = sum of its legs; the general twin, with the
    # same vehicle legs, costs the 100 USD less and has no customs leg.
    assert legs["cost_usd"].sum() == pytest.approx(by_id.at["B", "cost_usd"])
    assert by_id.at["B", "cost_usd"] - by_id.at["G", "cost_usd"] == pytest.approx(100.0)
    assert (plan.route_of("G")["kind"] != KIND_CUSTOMS).all()
    assert by_id.at["B", "legs"] == len(legs)
    assert vehicle_legs(legs)[["from_hub", "to_hub"]].values.tolist() == [["EU", "ZZ"],
                                                                          ["ZZ", "BZ"]]


def test_a_9810_export_ends_at_the_warehouse_with_export_import_and_storage_legs(
        net: sr.Network) -> None:
    shipment = ship("W", "ZZ", "WH", "9810", storage_days=10.0)
    plan = sr.route(net, [shipment])
    row = plan.shipments.iloc[0]
    legs = plan.route_of("W")
    kinds = legs["kind"].tolist()
    assert kinds[0] == KIND_CUSTOMS and kinds[-2:] == [KIND_CUSTOMS, KIND_STORAGE]
    export, release, storage = legs.iloc[0], legs.iloc[-2], legs.iloc[-1]
    # export: 9810's own rule at ZZ, 2 h and 0.2 USD/kg, from the ready time
    assert export.link_id == "export 9810" and export.departure == READY
    assert export.arrival == READY + timedelta(hours=2)
    assert export.cost_usd == pytest.approx(0.2 * 500.0)
    # import at the warehouse: no 9810 rule there, the general road import (10 h, free)
    assert release.link_id == "import general"
    assert release.arrival == row.arrival
    assert release.arrival - release.departure == timedelta(hours=10)
    assert release.cost_usd == 0.0
    # storage: 2 USD per m3 and day x 2 m3 x 10 days, after the release, not in the hours
    assert storage.cost_usd == pytest.approx(2.0 * 2.0 * 10.0)
    assert storage.departure == row.arrival and storage.arrival == row.arrival + timedelta(days=10)
    # The transit runs from the start of the export clearance to the end of the import's.
    span_h = (release.arrival - export.departure) / timedelta(hours=1)
    assert row.hours == pytest.approx(span_h)
    assert legs["cost_usd"].sum() == pytest.approx(row.cost_usd)
    # Vehicle legs keep freight + handling without the clearance charges.
    rides = vehicle_legs(legs)
    assert (rides["cost_usd"] - rides["freight_usd"] - rides["handling_usd"]).abs().max() < 1e-9
    # The flight leaves after the 2 h export and the 3 h cut-off.
    assert rides.iloc[0].departure >= READY + timedelta(hours=5)
    # The itinerary quotes the clearances and the storage as rows of their own.
    quoted = itinerary(plan, net, [shipment])
    assert len(quoted) == len(legs)
    stops = quoted[quoted["carrier"].isin(["customs", "warehouse"])]
    assert stops["service"].tolist() == ["export 9810", "import general", "storage"]
    assert stops["cost_usd"].tolist() == pytest.approx([100.0, 0.0, 40.0])
    assert stops["quantity"].iloc[-1] == pytest.approx(10.0)
    assert quoted["cost_usd"].sum() == pytest.approx(row.cost_usd)


def test_returns_reach_the_returns_centre_and_transit_opens_a_carnet(net: sr.Network) -> None:
    back = ship("R", "EU", "RC", "returns", units_feu=1)
    transit = ship("T", "ZZ", "RC", "transit", units_feu=1, modes=frozenset({"road"}))
    plan = sr.route(net, [back, transit])
    by_id = plan.shipments.set_index("shipment_id")
    assert by_id["status"].tolist() == ["on time", "on time"]
    entry = plan.route_of("R").iloc[-1]
    assert (entry.kind, entry.link_id, entry.cost_usd) == (KIND_CUSTOMS, "import returns", 50.0)
    assert entry.arrival - entry.departure == timedelta(hours=3)
    carnet = plan.route_of("T").iloc[0]
    assert (carnet.link_id, carnet.cost_usd) == ("export transit", pytest.approx(30.0))
    assert carnet.arrival - carnet.departure == timedelta(hours=1)


def test_regime_groups_share_the_capacity_of_a_departure(net: sr.Network) -> None:
    """Two 800 kg shipments of different regimes want the one 1,000 kg flight of 1 Dec."""
    one = ship("A", "EU", "BZ", "1210", weight_kg=800.0)
    two = ship("B", "EU", "ZZ", weight_kg=800.0)
    plan = sr.route(net, [one, two], capacity="respect")
    flights = plan.legs[plan.legs["kind"] == "service"]
    weight = {"A": 800.0, "B": 800.0}
    load = flights.assign(kg=flights["shipment_id"].map(weight)).groupby("departure_id")["kg"]
    assert load.sum().max() <= 1000.0
    assert flights["departure_id"].nunique() == 2
    alone = sr.route(net, [one, two], capacity="ignore")
    assert alone.legs[alone.legs["kind"] == "service"]["departure_id"].nunique() == 1


def test_optimal_assignment_refuses_several_regime_groups(net: sr.Network) -> None:
    with pytest.raises(InputError, match="one customs regime"):
        sr.route(net, [ship("A", "EU", "BZ", "1210"), ship("B", "EU", "ZZ")],
                 assign="optimal")


def test_a_table_names_the_row_of_an_unknown_regime(net: sr.Network) -> None:
    frame = pd.DataFrame({"id": ["A", "B"], "origin": ["EU", "EU"], "destination": ["BZ", "BZ"],
                          "ready": [READY, READY], "weight_kg": [1.0, 1.0],
                          "volume_m3": [1.0, 1.0], "regime": ["1210", "1201"]})
    with pytest.raises(InputError) as info:
        sr.route(net, frame)
    assert info.value.row == 2 and info.value.field == "regime"
    assert "1201" in str(info.value)
    ok = frame.assign(regime=["1210", None], storage_days=[0.0, 3.0])
    table = sr.route(net, ok, capacity="ignore").shipments
    assert table["status"].tolist() == ["on time", "on time"]

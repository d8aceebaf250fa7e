"""Plausibility of timetable routing on the bundled four-roads network.

The bars come from published transit times (networks/four_roads/README.md and
/work/shared/DATA.md): air Zhengzhou -> Europe in about 3 days door to door; block trains in
14-25 days; ocean Asia -> North Europe about 27 days via Suez, the Cape adding 10-12 days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import silkroad_routing as sr
from silkroad_routing.edits import close_passage

READY = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def four_roads() -> sr.Network:
    return sr.load_network("four_roads")


def _shipment(origin: str, **extra: object) -> sr.Shipment:
    # One full 40-foot container of consumer electronics (FCL: priced per FEU on rail and sea).
    return sr.Shipment(id=f"{origin}-HAM", origin=origin, destination="DEHAM", ready=READY,
                       weight_kg=12_000.0, volume_m3=60.0, **extra)


def _days(row: object) -> float:
    return (row.arrival - row.ready).total_seconds() / 86_400.0  # type: ignore[attr-defined]


@pytest.mark.parametrize("origin", ["CGO", "CNCGO"])
def test_fastest_zhengzhou_hamburg_is_air_in_one_to_four_days(four_roads: sr.Network,
                                                              origin: str) -> None:
    plan = sr.route(four_roads, [_shipment(origin)], "fastest")
    row = plan.shipments.iloc[0]
    assert row.status == "on time"
    assert set(row.modes.split("+")) <= {"air", "road"} and "air" in row.modes
    assert 1.0 <= _days(row) <= 4.0


def test_cheapest_within_30_days_is_rail_or_sea_rail(four_roads: sr.Network) -> None:
    shipment = _shipment("CNCGO", due=READY + timedelta(days=30))
    row = sr.route(four_roads, [shipment], "cheapest").shipments.iloc[0]
    assert row.status == "on time" and _days(row) <= 30.0
    assert "rail" in row.modes and "air" not in row.modes
    # Cheaper than the fastest (air) route by a wide margin.
    fastest = sr.route(four_roads, [shipment], "fastest").shipments.iloc[0]
    assert row.cost_usd < 0.5 * fastest.cost_usd


def _fastest_sea_rail(plan: sr.Plan, network: sr.Network) -> tuple[float, float, set[str]]:
    """Door-to-door days, days of the Asia-Europe sailing (the sea leg leaving China) and the
    passages of the earliest Pareto option that sails."""
    options = plan.shipments[plan.shipments["modes"].str.contains("sea")]
    row = options.sort_values("arrival").iloc[0]
    legs = plan.route_of(row.shipment_id, row.option)
    via = set().union(*(network.service_by_id[s].via for s in legs["service_id"] if s))
    china = {h.code for h in network.hubs if h.country == "CN"}
    crossing = legs[(legs["mode"] == "sea") & legs["from_hub"].isin(china)
                    & ~legs["to_hub"].isin(china)].iloc[0]
    sailing = (crossing.arrival - crossing.departure).total_seconds() / 86_400.0
    return _days(row), sailing, via


def test_closing_suez_sends_sea_rail_round_the_cape(four_roads: sr.Network) -> None:
    """The Cape adds about nine days at sea (Alphaliner: 3,500 nm; CNBC: 10-12 days).

    Door to door the difference also depends on where the ready time falls in the weekly
    sailing pattern (with the origin's export clearance and 12 h rail gate-in the container
    misses the first train, and the Suez route its first sailing), so the 8-day bar is on the
    Asia-Europe sailing itself; door to door the Cape route must still be slower.
    """
    closed = close_passage(four_roads, "suez")
    shipment = _shipment("CNCGO", modes=frozenset({"rail", "sea", "road"}))
    base_days, base_sailing, base_via = _fastest_sea_rail(
        sr.route(four_roads, [shipment], "pareto"), four_roads)
    detour_days, detour_sailing, detour_via = _fastest_sea_rail(
        sr.route(closed, [shipment], "pareto"), closed)
    assert "suez" in base_via and "suez" not in detour_via and "cape" in detour_via
    assert detour_sailing >= base_sailing + 8.0
    assert detour_days > base_days


def test_a_late_shipment_gets_the_cheapest_of_the_least_late_routes(four_roads: sr.Network) -> None:
    # Found by an independent reference router: no route meets this due date; the fastest
    # journey cost 8,511.68 USD while its own Pareto front holds a cheaper one arriving then.
    ship = sr.Shipment(id="MIL", origin="ITMIL", destination="CGO", weight_kg=13076.8,
                       volume_m3=37.92, units_feu=1,
                       ready=datetime(2026, 11, 17, 7, 5, tzinfo=UTC),
                       due=datetime(2026, 11, 18, 19, 33, tzinfo=UTC),
                       modes=frozenset({"rail", "road"}))
    front = sr.route(four_roads, [ship], "pareto").shipments
    earliest = front["arrival"].min()
    least_late = front.loc[front["arrival"] == earliest, "cost_usd"].min()
    for objective in ("cheapest", "generalized"):
        row = sr.route(four_roads, [ship], objective).shipments.iloc[0]
        assert row.status == "late" and row.reason == "deadline impossible"
        assert row.arrival == earliest
        assert row.cost_usd == pytest.approx(least_late, abs=0.01)
    fastest = sr.route(four_roads, [ship], "fastest").shipments.iloc[0]
    assert fastest.arrival == earliest and fastest.cost_usd >= least_late

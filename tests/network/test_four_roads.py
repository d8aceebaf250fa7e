"""The bundled four_roads network: it loads, cites its sources, and carries every silk road.

References are independent of the library: networkx (reachability, shortest paths over the
``to_networkx`` view), searoute (sea-lane lengths), pyproj (geodesic flight distances), and the
published transit-time ranges cited in ``networks/four_roads/sources.csv``.
"""

from __future__ import annotations

import re
from itertools import pairwise

import networkx as nx
import pytest
from pyproj import Geod

import silkroad_routing as sr
from silkroad_routing.io.csv_table import read_rows
from silkroad_routing.io.network_files import bundled_networks_root
from silkroad_routing.model import source_keys
from silkroad_routing.simulation.defaults import RELIABILITY_DEFAULTS_FILE

ZHENGZHOU = ("CGO", "CNCGO", "CNCGO-BZ")
EUROPE = {"DE", "NL", "BE", "GR", "PL", "IT", "HU", "RO", "LU", "FR", "GB", "DK", "TR"}
DESTINATION_KINDS = {"seaport", "rail_terminal", "road_hub"}
GAUGE_BORDERS = {"ALA-DOS", "HRG-ALT", "ERL-ZUU", "MZL-ZAB", "BRE-MAL"}
DAY_H = 24.0


@pytest.fixture(scope="module")
def net() -> sr.Network:
    return sr.load_network("four_roads")


@pytest.fixture(scope="module")
def graph(net: sr.Network) -> nx.MultiDiGraph:
    return net.to_networkx()


def region(net: sr.Network, code: str) -> str | None:
    country = net.hub(code).country
    return "CN" if country == "CN" else "EU" if country in EUROPE else None


def european_destinations(net: sr.Network) -> list[str]:
    return [h.code for h in net.hubs
            if h.country in EUROPE - {"TR"} and str(h.kind) in DESTINATION_KINDS]


def local_road(net: sr.Network, u: str, v: str, d: dict) -> bool:
    """A truck leg inside China or inside Europe (pre- and on-carriage, not TIR)."""
    return d["mode"] == "road" and region(net, u) is not None and region(net, u) == region(net, v)


CHAINS = {
    "air": lambda net, u, v, d: d["mode"] == "air" or local_road(net, u, v, d),
    "rail": lambda net, u, v, d: d["mode"] == "rail" or local_road(net, u, v, d),
    "sea-rail": lambda net, u, v, d: (
        d["mode"] == "sea"
        or (d["mode"] == "rail" and region(net, u) == region(net, v) == "CN")
        or local_road(net, u, v, d)
    ),
    "tir": lambda net, u, v, d: d["mode"] == "road",
}


def chain_graph(net: sr.Network, graph: nx.MultiDiGraph, keep) -> nx.DiGraph:
    """Scheduled (non-optional) edges the chain may use, as a DiGraph weighted by hours.

    Weight of an edge = its running hours + the dwell at its head hub + the service's stop dwell
    when the head is an intermediate stop of that service; parallel edges keep the fastest.
    """
    out = nx.DiGraph()
    out.add_nodes_from(graph.nodes)
    for u, v, key, d in graph.edges(keys=True, data=True):
        if d["optional"] or not keep(net, u, v, d):
            continue
        hours = d["duration_h"] + graph.nodes[v]["dwell_h"]
        if d["kind"] == "service":
            service = net.service_by_id[d["id"]]
            leg = int(str(key).rsplit(":", 1)[1])
            if leg < len(service.leg_h) - 1:
                hours += service.stop_dwell_h
        if not out.has_edge(u, v) or out[u][v]["hours"] > hours:
            out.add_edge(u, v, hours=hours, id=d["id"])
    return out


def fastest_days(g: nx.DiGraph, origins: tuple[str, ...], target: str) -> float:
    return min(
        nx.shortest_path_length(g, o, target, weight="hours") for o in origins
        if nx.has_path(g, o, target)
    ) / DAY_H


def test_bundled_network_loads_with_the_required_coverage(net: sr.Network) -> None:
    assert net.name == "four_roads"
    codes = set(net.hub_by_code)
    assert set(ZHENGZHOU) | GAUGE_BORDERS <= codes
    scheduled = [s for s in net.services if not s.optional]
    air_out = {s.stops[-1] for s in scheduled if s.mode == "air" and s.stops[0] == "CGO"}
    assert len(air_out) >= 6
    assert all(s.capacity_kg and s.weekdays for s in scheduled if s.mode == "air")
    trains = [s for s in scheduled if s.mode == "rail" and s.stops[0] == "CNCGO"]
    terminals = {s.stops[-1] for s in trains if net.hub(s.stops[-1]).kind == "rail_terminal"
                 or net.hub(s.stops[-1]).country in EUROPE}
    assert len(terminals) >= 8
    assert {"ALA-DOS", "HRG-ALT", "ERL-ZUU", "MZL-ZAB"} <= {x for s in trains for x in s.stops}
    assert all(net.hub(b).gauge_change and net.hub(b).transshipment_usd_per_feu > 0
               for b in GAUGE_BORDERS)
    for port in ("CNTAO", "CNLYG", "CNSHA", "CNNGB", "CNTSN"):
        assert any(s.stops == ("CNCGO", port) for s in scheduled), port
    sea = [s for s in scheduled if s.mode == "sea"]
    for port in ("NLRTM", "DEHAM", "BEANR", "GRPIR", "PLGDN"):
        for passage in ("suez", "cape"):
            assert any(port in s.stops and passage in s.via for s in sea), (port, passage)
    assert any("caspian" in s.via for s in sea)
    optional = [s for s in net.services if s.optional]
    assert sum(s.mode == "air" for s in optional) >= 4
    assert sum(s.mode == "rail" for s in optional) >= 4
    assert all(s.fixed_cost_usd_per_run > 0 for s in optional)


def test_every_row_cites_a_known_source_listed_in_the_readme(net: sr.Network) -> None:
    known = set(net.source_by_key)
    for item in (*net.hubs, *net.links, *net.services, *net.transfers, *net.processes,
                 *net.class_rules):
        keys = source_keys(item.source)
        assert keys, f"{item!r} has no source"
        assert set(keys) <= known
    used = {k for item in (*net.hubs, *net.links, *net.services, *net.transfers, *net.processes,
                           *net.class_rules)
            for k in source_keys(item.source)}
    defaults = bundled_networks_root() / "four_roads" / RELIABILITY_DEFAULTS_FILE
    used |= {k for _, row in read_rows(defaults, ("source",)) for k in source_keys(row["source"])}
    assert used == known, f"sources never cited: {sorted(known - used)}"
    readme = (bundled_networks_root() / "four_roads" / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE))
    assert listed == known


@pytest.mark.parametrize("chain", sorted(CHAINS))
def test_every_european_destination_is_reachable_both_ways(
    net: sr.Network, graph: nx.MultiDiGraph, chain: str
) -> None:
    g = chain_graph(net, graph, CHAINS[chain])
    destinations = european_destinations(net)
    assert len(destinations) >= 10
    for dest in destinations:
        assert any(nx.has_path(g, o, dest) for o in ZHENGZHOU), f"{chain}: Zhengzhou -> {dest}"
        assert any(nx.has_path(g, dest, o) for o in ZHENGZHOU), f"{chain}: {dest} -> Zhengzhou"


def test_fastest_rail_zhengzhou_hamburg_within_published_range(
    net: sr.Network, graph: nx.MultiDiGraph
) -> None:
    # 12-25 days terminal to terminal incl. border dwell (DW 2013: 15 d; Index1520 2024: ~24 d)
    days = fastest_days(chain_graph(net, graph, lambda n, u, v, d: d["mode"] == "rail"),
                        ("CNCGO",), "DEHAM")
    assert 12.0 <= days <= 25.0


def test_sea_rail_to_rotterdam_via_suez_and_longer_via_the_cape(
    net: sr.Network, graph: nx.MultiDiGraph
) -> None:
    def sea_rail(passage: str):
        def keep(n, u, v, d):
            if d["mode"] == "sea":
                return passage in n.service_by_id[d["id"]].via
            return d["mode"] == "rail" and region(n, u) == region(n, v) == "CN"
        return chain_graph(net, graph, keep)

    suez = fastest_days(sea_rail("suez"), ("CNCGO",), "NLRTM")
    cape = fastest_days(sea_rail("cape"), ("CNCGO",), "NLRTM")
    assert 28.0 <= suez <= 50.0
    assert cape >= suez + 8.0  # CNBC 2024: the Cape adds 10-12 days; Alphaliner: 9 days


def test_air_cgo_luxembourg_and_air_truck_to_hamburg(net: sr.Network, graph: nx.MultiDiGraph) -> None:
    flights = [d["duration_h"] for _, _, d in graph.edges("CGO", data=True)
               if d["mode"] == "air" and not d["optional"]]
    to_lux = [d["duration_h"] for u, v, d in graph.edges("CGO", data=True)
              if v == "LUX" and d["mode"] == "air"]
    assert flights and to_lux and max(to_lux) < 15.0
    days = fastest_days(chain_graph(net, graph, CHAINS["air"]), ZHENGZHOU, "DEHAM")
    assert 0.5 <= days <= 4.0  # Xinhua 2023: about three days door to door incl. handling


def test_tir_zhengzhou_warsaw_within_published_range(net: sr.Network, graph: nx.MultiDiGraph) -> None:
    # IRU 2018: Khorgos-Poland 7,000 km in 11-13 days, plus the Chinese leg to Khorgos
    days = fastest_days(chain_graph(net, graph, CHAINS["tir"]), ZHENGZHOU, "PLWAW")
    assert 13.0 <= days <= 25.0


def test_sea_leg_lengths_match_searoute(net: sr.Network) -> None:
    searoute = pytest.importorskip("searoute")
    closed = ["northwest", "suez", "babalmandab", "panama"]
    for service in (s for s in net.services if s.mode == "sea"):
        restrictions = closed if "cape" in service.via else ["northwest"]
        legs = pairwise(service.stops)
        for (a, b), km in zip(legs, service.leg_km, strict=True):
            ha, hb = net.hub(a), net.hub(b)
            ref = searoute.searoute([ha.lon, ha.lat], [hb.lon, hb.lat], restrictions=restrictions)
            assert km == pytest.approx(ref.properties["length"], rel=0.01), (service.id, a, b)


def test_air_leg_lengths_are_geodesic(net: sr.Network) -> None:
    """Great-circle flights are geodesic; routings around closed airspace (tests/network/
    test_air_routing.py) are longer than the geodesic, never shorter."""
    geod = Geod(ellps="WGS84")
    path = bundled_networks_root() / "four_roads" / "services.csv"
    routed = {row["id"] for _, row in read_rows(path, ("id", "note"))
              if "clear of Russian" in row["note"]}
    assert routed
    for service in (s for s in net.services if s.mode == "air"):
        a, b = (net.hub(c) for c in service.stops)
        _, _, metres = geod.inv(a.lon, a.lat, b.lon, b.lat)
        if service.id in routed:
            assert service.leg_km[0] > 1.05 * metres / 1000.0, service.id
        else:
            assert service.leg_km[0] == pytest.approx(metres / 1000.0, rel=0.01), service.id


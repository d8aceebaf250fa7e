"""Routes as GeoDataFrames, checked against the plan's own tables and the network records.

Lengths are measured independently of pyproj and searoute, with the haversine formula.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
import shapely

import silkroad_routing as sr
from silkroad_routing.plan import LEG_COLUMNS, Plan
from silkroad_routing.report import flow_geodataframe, hub_geodataframe, plan_geodataframe

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def haversine_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
                 ) -> np.ndarray:
    """Great-circle distances on the sphere, km."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def line_km(geometry: shapely.Geometry) -> float:
    """Length of a (multi)line along its vertices, km (parts split at 180 degrees added up)."""
    total = 0.0
    for part in shapely.get_parts(geometry):
        xy = np.asarray(part.coords)
        total += float(haversine_km(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1]).sum())
    return total


def _via(network: sr.Network, row: pd.Series) -> frozenset[str]:
    if row["kind"] == "service":
        return network.service_by_id[row["service_id"]].via
    return network.link_by_id[row["link_id"]].via


def test_one_feature_per_leg_with_the_plan_columns(pareto_plan: Plan, four_roads: sr.Network) -> None:
    routes = plan_geodataframe(pareto_plan, four_roads)
    legs = pareto_plan.legs.reset_index(drop=True)
    assert routes.crs.to_epsg() == 4326
    assert len(routes) == len(legs)
    pd.testing.assert_frame_equal(pd.DataFrame(routes[list(LEG_COLUMNS)]), legs[list(LEG_COLUMNS)])
    assert set(routes["mode"]) == {"air", "rail", "sea", "road"}
    weight_t = {s: kg / 1000.0 for s, kg in zip(pareto_plan.shipments["shipment_id"],
                                                pareto_plan.shipments["weight_kg"], strict=True)}
    assert routes["weight_t"].tolist() == [weight_t[s] for s in legs["shipment_id"]]
    kept = pareto_plan.selected().shipments
    assert set(zip(routes.loc[routes["selected"], "shipment_id"],
                   routes.loc[routes["selected"], "option"], strict=True)) == set(
        zip(kept["shipment_id"], kept["option"], strict=True))
    assert (~routes["selected"]).sum() > 0  # the sea-rail shipment has unselected options


def test_lines_run_from_hub_to_hub_along_the_mode(pareto_plan: Plan, four_roads: sr.Network) -> None:
    routes = plan_geodataframe(pareto_plan, four_roads)
    for row in routes.itertuples():
        xy = shapely.get_coordinates(row.geometry)
        a, b = four_roads.hub(row.from_hub), four_roads.hub(row.to_hub)
        np.testing.assert_allclose(xy[0], (a.lon, a.lat), atol=1e-9)
        np.testing.assert_allclose(xy[-1], (b.lon, b.lat), atol=1e-9)
        assert np.all(np.abs(xy[:, 0]) <= 180.0) and np.all(np.abs(xy[:, 1]) <= 90.0)
        direct = float(haversine_km(a.lon, a.lat, b.lon, b.lat))
        along = line_km(row.geometry)
        if row.mode == "air":  # a great circle: no longer than the direct distance (0.5 % ellipsoid)
            assert along == pytest.approx(direct, rel=5e-3)
        elif row.mode == "sea":  # the lane the distance was measured on (Cape vs Suez: 1000s of km),
            # plus the joins from the ports to searoute's sea network (< 60 km each)
            assert abs(along - row.distance_km) <= 0.03 * row.distance_km + 120.0
            assert along >= direct * 0.995
        else:  # rail and road: straight between hubs (the network has no waypoints)
            assert along == pytest.approx(direct, rel=1e-6)
            assert row.distance_km >= direct * 0.99  # published distances include the detour


def test_the_chicago_flight_is_split_at_the_antimeridian(pareto_plan: Plan,
                                                         four_roads: sr.Network) -> None:
    routes = plan_geodataframe(pareto_plan, four_roads)
    flight = routes[(routes["from_hub"] == "CGO") & (routes["to_hub"] == "ORD")].geometry.iloc[0]
    assert flight.geom_type == "MultiLineString"
    west, east = shapely.get_parts(flight)
    assert west.coords[-1][0] == 180.0 and east.coords[0][0] == -180.0
    assert west.coords[-1][1] == east.coords[0][1]


def test_flows_add_up_the_selected_legs(pareto_plan: Plan, four_roads: sr.Network) -> None:
    flows = flow_geodataframe(pareto_plan, four_roads)
    routes = plan_geodataframe(pareto_plan, four_roads)
    chosen = routes[routes["selected"]]
    expected: dict[tuple[str, str, str, str], dict[str, object]] = defaultdict(
        lambda: {"weight_t": 0.0, "shipments": set(), "legs": 0, "cost_usd": 0.0, "services": set()})
    for _, row in chosen.iterrows():
        key = (row["mode"], row["from_hub"], row["to_hub"], ";".join(sorted(_via(four_roads, row))))
        e = expected[key]
        e["weight_t"] += row["weight_t"]
        e["shipments"].add(row["shipment_id"])
        e["legs"] += 1
        e["cost_usd"] += row["cost_usd"]
        if row["service_id"]:
            e["services"].add(row["service_id"])
    assert flows.crs.to_epsg() == 4326
    assert len(flows) == len(expected)
    for flow in flows.itertuples():
        e = expected[(flow.mode, flow.from_hub, flow.to_hub, flow.via)]
        assert flow.weight_t == pytest.approx(e["weight_t"])
        assert flow.shipments == len(e["shipments"])
        assert flow.legs == e["legs"]
        assert flow.cost_usd == pytest.approx(e["cost_usd"])
        assert set(filter(None, flow.services.split(";"))) == e["services"]
        members = chosen[(chosen["mode"] == flow.mode) & (chosen["from_hub"] == flow.from_hub)
                         & (chosen["to_hub"] == flow.to_hub)]
        assert any(shapely.equals_exact(flow.geometry, g, 0.0) for g in members.geometry)
    modes = [sr.units.MODES.index(sr.Mode(m)) for m in flows["mode"]]
    assert modes == sorted(modes)


def test_hub_throughput_by_brute_force(pareto_plan: Plan, four_roads: sr.Network) -> None:
    """Tonnes handled: at the origin, where freight leaves its vehicle (transfer or arrival)
    and at gauge-change borders; passing a stop aboard is not handling."""
    hubs = hub_geodataframe(pareto_plan, four_roads)
    chosen = pareto_plan.selected()
    weight_t = dict(zip(chosen.shipments["shipment_id"], chosen.shipments["weight_kg"] / 1000.0,
                        strict=True))
    handled: dict[str, float] = defaultdict(float)
    visitors: dict[str, set[str]] = defaultdict(set)
    for sid, route in chosen.legs.groupby("shipment_id"):
        route = route.sort_values("leg")
        rows = route.to_dict("records")
        handled[rows[0]["from_hub"]] += weight_t[sid]
        for i, leg in enumerate(rows):
            visitors[leg["from_hub"]].add(sid)
            visitors[leg["to_hub"]].add(sid)
            aboard = (i + 1 < len(rows) and leg["kind"] == "service"
                      and rows[i + 1]["departure_id"] == leg["departure_id"])
            if not aboard or four_roads.hub(leg["to_hub"]).gauge_change:
                handled[leg["to_hub"]] += weight_t[sid]
    assert hubs.crs.to_epsg() == 4326
    assert set(hubs["hub"]) == set(visitors)
    for hub in hubs.itertuples():
        assert hub.throughput_t == pytest.approx(handled.get(hub.hub, 0.0))
        assert hub.shipments == len(visitors[hub.hub])
        record = four_roads.hub(hub.hub)
        assert (hub.geometry.x, hub.geometry.y) == (record.lon, record.lat)
        if record.capacity_t_day is None:
            assert np.isnan(hub.capacity_t_day) and np.isnan(hub.utilisation_max)
        else:
            assert hub.utilisation_max == pytest.approx(hub.throughput_t_day_max / record.capacity_t_day)
    assert hubs["throughput_t"].is_monotonic_decreasing


def test_an_empty_plan_gives_empty_layers(empty_plan: Plan, four_roads: sr.Network) -> None:
    for frame in (plan_geodataframe(empty_plan, four_roads), flow_geodataframe(empty_plan, four_roads),
                  hub_geodataframe(empty_plan, four_roads)):
        assert frame.empty
        assert frame.crs.to_epsg() == 4326


def test_a_plan_on_another_network_is_refused(pareto_plan: Plan, mini_network_dir) -> None:
    mini = sr.load_network(mini_network_dir)
    with pytest.raises(ValueError, match=r"the plan uses (service|link) '.+', which network"):
        plan_geodataframe(pareto_plan, mini)

"""GeoJSON and GeoPackage files read back with geopandas: same features, columns and lines;
numbers rounded as in the CSV tables and local times beside UTC."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

import silkroad_routing as sr
from silkroad_routing.plan import Plan
from silkroad_routing.report import GEOJSON_FILES, GPKG_FILE, write_geojson, write_gpkg
from silkroad_routing.report.gis import route_layers

KEYS = {"legs": ["shipment_id", "option", "leg", "mode", "from_hub", "to_hub"],
        "flows": ["mode", "from_hub", "to_hub", "via", "shipments", "legs"],
        "hubs": ["hub", "kind", "shipments"]}


def _same_layer(written: gpd.GeoDataFrame, read: gpd.GeoDataFrame, layer: str, atol: float) -> None:
    assert len(read) == len(written)
    assert read.crs.to_epsg() == 4326
    assert set(written.columns) <= set(read.columns)
    for column in KEYS[layer]:
        assert read[column].tolist() == written[column].tolist(), column
    for before, after in zip(written.geometry, read.geometry, strict=True):
        np.testing.assert_allclose(shapely.get_coordinates(after), shapely.get_coordinates(before),
                                   atol=atol)
    if layer == "legs":
        for column in ("departure", "arrival"):  # UTC datetimes, to the minute
            assert (read[column] - written[column]).abs().max() <= pd.Timedelta(seconds=30)
            assert (read[column].dt.second == 0).all()
            local = read[f"{column}_local"].map(pd.Timestamp)
            assert (local.map(lambda t: t.tz_convert("UTC")) == read[column]).all()
        np.testing.assert_allclose(read["cost_usd"], written["cost_usd"], atol=0.005)
        assert (read["cost_usd"].round(2) == read["cost_usd"]).all()
        assert read["selected"].astype(bool).tolist() == written["selected"].tolist()


def test_geojson_round_trip(pareto_plan: Plan, four_roads: sr.Network, tmp_path: Path) -> None:
    paths = write_geojson(pareto_plan, four_roads, tmp_path)
    assert [p.name for p in paths] == list(GEOJSON_FILES.values())
    for layer, frame in route_layers(pareto_plan, four_roads).items():
        read = gpd.read_file(tmp_path / GEOJSON_FILES[layer])
        _same_layer(frame, read, layer, atol=1e-7)  # RFC 7946: 7 decimals


def test_gpkg_round_trip_and_rewrite(pareto_plan: Plan, four_roads: sr.Network,
                                     tmp_path: Path) -> None:
    write_gpkg(pareto_plan, four_roads, tmp_path)
    [path] = write_gpkg(pareto_plan, four_roads, tmp_path)  # a second run replaces the file
    assert path == tmp_path / GPKG_FILE
    assert [name for name, _ in pyogrio.list_layers(path)] == ["legs", "flows", "hubs"]
    for layer, frame in route_layers(pareto_plan, four_roads).items():
        _same_layer(frame, gpd.read_file(path, layer=layer), layer, atol=1e-12)


def test_empty_plan_files(empty_plan: Plan, four_roads: sr.Network, tmp_path: Path) -> None:
    for path in write_geojson(empty_plan, four_roads, tmp_path):
        assert len(gpd.read_file(path)) == 0
    [path] = write_gpkg(empty_plan, four_roads, tmp_path)
    for layer in ("legs", "flows", "hubs"):
        assert len(gpd.read_file(path, layer=layer)) == 0

"""Routes for GIS software: GeoJSON files and one GeoPackage (EPSG:4326, via pyogrio).

Three layers, from :mod:`.routes`: ``legs`` (one line per shipment-leg, every option),
``flows`` (the selected routes added up per network leg) and ``hubs`` (points with throughput).
GeoJSON holds one layer per file (``routes.geojson``, ``flows.geojson``, ``hubs.geojson``,
written as RFC 7946: WGS 84, 7 decimals); the GeoPackage ``routes.gpkg`` holds all three.
Datetimes are UTC, each with the local time at its hub beside it; numbers are rounded as in the
CSV tables (:mod:`silkroad_routing.tables.rounding`).
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import Final

import geopandas as gpd

from ..model import Network
from ..plan import Plan
from ..tables import output_table
from .routes import flow_geodataframe, hub_geodataframe, plan_geodataframe

#: GeoJSON file of each layer.
GEOJSON_FILES: Final[dict[str, str]] = {
    "legs": "routes.geojson", "flows": "flows.geojson", "hubs": "hubs.geojson"}
GPKG_FILE: Final[str] = "routes.gpkg"


def route_layers(plan: Plan, network: Network, tz: str | tzinfo = "UTC") -> dict[str, gpd.GeoDataFrame]:
    """The ``legs``, ``flows`` and ``hubs`` layers of ``plan`` (``tz``: days of the hubs' peak)."""
    return {"legs": plan_geodataframe(plan, network), "flows": flow_geodataframe(plan, network),
            "hubs": hub_geodataframe(plan, network, tz)}


def write_geojson(plan: Plan, network: Network, folder: str | Path,
                  tz: str | tzinfo = "UTC") -> list[Path]:
    """Write ``routes.geojson`` (legs), ``flows.geojson`` and ``hubs.geojson`` into ``folder``;
    the paths written."""
    paths = []
    for layer, frame in route_layers(plan, network, tz).items():
        path = Path(folder) / GEOJSON_FILES[layer]
        output_table(frame, network).to_file(path, driver="GeoJSON", engine="pyogrio", RFC7946="YES")
        paths.append(path)
    return paths


def write_gpkg(plan: Plan, network: Network, folder: str | Path,
               tz: str | tzinfo = "UTC") -> list[Path]:
    """Write ``routes.gpkg`` with the layers ``legs``, ``flows`` and ``hubs`` into ``folder``;
    the path written (a list, like every writer)."""
    path = Path(folder) / GPKG_FILE
    path.unlink(missing_ok=True)  # layers are written into the file one by one
    for layer, frame in route_layers(plan, network, tz).items():
        output_table(frame, network).to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
    return [path]

"""Write ``silkroad_routing/data/natural_earth_110m_countries.geojson``, the land of the maps.

The source is Natural Earth's 1:110 m "Admin 0 - Countries" layer (public domain,
https://www.naturalearthdata.com), in the copy ``naturalearth_lowres`` that pyogrio ships among
its test fixtures (copied there from GeoPandas). The layer is reduced to what a background map
needs: country name and ISO 3166 alpha-3 code, outlines simplified as one coverage (shared
borders stay shared) and coordinates snapped to 0.01 degree (about 1 km). The library reads
only the file written here, never pyogrio's fixtures.

Run from the repository root once (the output is committed): ``python networks/tools/derive_land_layer.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import shapely
from shapely.geometry import mapping

SOURCE = Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres"
TARGET = Path(__file__).resolve().parents[2] / "silkroad_routing" / "data" / \
    "natural_earth_110m_countries.geojson"
#: Coverage simplification tolerance, degrees (about the side of the triangles removed).
TOLERANCE_DEG = 0.5
#: Coordinates snapped to this grid, degrees (set_precision keeps the polygons valid).
GRID_DEG = 0.01
DECIMALS = 2


def _rounded(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return round(float(value), DECIMALS)


def main() -> None:
    countries = gpd.read_file(SOURCE / "naturalearth_lowres.shp")
    geometry = shapely.set_precision(
        shapely.coverage_simplify(countries.geometry.to_numpy(), TOLERANCE_DEG), GRID_DEG)
    features = []
    for name, iso, geom in zip(countries["name"], countries["iso_a3"], geometry, strict=True):
        shape = mapping(geom)
        features.append({"type": "Feature", "properties": {"name": name, "iso_a3": iso},
                         "geometry": {"type": shape["type"],
                                      "coordinates": _rounded(shape["coordinates"])}})
    document = {
        "type": "FeatureCollection",
        "name": "natural_earth_110m_countries",
        "features": sorted(features, key=lambda f: f["properties"]["iso_a3"] + f["properties"]["name"]),
    }
    TARGET.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n",
                      encoding="utf-8")
    print(f"{TARGET}: {len(features)} countries, {TARGET.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()

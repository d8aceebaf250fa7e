"""Files the maps bundle: the land layer and Leaflet (both under ``silkroad_routing/data/``).

- ``natural_earth_110m_countries.geojson``: Natural Earth 1:110 m countries (public domain,
  naturalearthdata.com), simplified by ``networks/tools/derive_land_layer.py``; see the ``.md`` beside it.
- ``leaflet/leaflet.js`` and ``leaflet/leaflet.css``: Leaflet 1.9.4 (BSD 2-Clause), inlined into
  the HTML map so that it draws without internet access.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Final

import pyogrio
from shapely.geometry.base import BaseGeometry

LAND_FILE: Final[str] = "natural_earth_110m_countries.geojson"
LEAFLET_JS: Final[str] = "leaflet/leaflet.js"
LEAFLET_CSS: Final[str] = "leaflet/leaflet.css"


def data_path(name: str) -> Path:
    """Path of a bundled file under ``silkroad_routing/data/``."""
    return Path(str(resources.files("silkroad_routing") / "data" / name))


@lru_cache(maxsize=1)
def land_polygons() -> tuple[BaseGeometry, ...]:
    """Country outlines (EPSG:4326 polygons) of the bundled Natural Earth layer, read once."""
    frame = pyogrio.read_dataframe(data_path(LAND_FILE), columns=[])
    return tuple(frame.geometry)


def leaflet_js() -> str:
    """Source of the bundled Leaflet JavaScript library."""
    return data_path(LEAFLET_JS).read_text(encoding="utf-8")


def leaflet_css() -> str:
    """The bundled Leaflet style sheet."""
    return data_path(LEAFLET_CSS).read_text(encoding="utf-8")

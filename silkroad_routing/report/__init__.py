"""Geographic outputs of a plan: GeoDataFrames, GeoJSON / GeoPackage files, HTML and PNG maps.

``plan_geodataframe`` (one line per leg), ``flow_geodataframe`` (routes added up per network
leg) and ``hub_geodataframe`` (hubs with throughput) in EPSG:4326; ``write_geojson`` and
``write_gpkg`` write them; ``write_map_html`` (folium, works offline) and ``write_map_png``
(matplotlib) draw them, routes coloured by mode (:data:`MODE_COLOURS`);
``write_reliability_chart`` draws a replayed plan's transit times per corridor.
"""

from .gis import GEOJSON_FILES as GEOJSON_FILES
from .gis import GPKG_FILE as GPKG_FILE
from .gis import write_geojson as write_geojson
from .gis import write_gpkg as write_gpkg
from .html_map import MAP_HTML_FILE as MAP_HTML_FILE
from .html_map import map_html as map_html
from .html_map import write_map_html as write_map_html
from .png_map import MAP_PNG_FILE as MAP_PNG_FILE
from .png_map import write_map_png as write_map_png
from .reliability_chart import RELIABILITY_CHART_FILE as RELIABILITY_CHART_FILE
from .reliability_chart import write_reliability_chart as write_reliability_chart
from .routes import flow_geodataframe as flow_geodataframe
from .routes import hub_geodataframe as hub_geodataframe
from .routes import plan_geodataframe as plan_geodataframe
from .style import MODE_COLOURS as MODE_COLOURS

"""The interactive HTML map of a plan (folium / Leaflet), readable without internet access.

What it shows: the selected routes added up per network leg (:func:`.routes.flow_geodataframe`),
coloured by mode (:data:`.style.MODE_COLOURS`) with a width growing with the tonnes carried;
the hubs they visit as circles whose area grows with the tonnes handled, labelled with their
code and tonnes (a label that would overlap a busier hub's is hidden, again after every zoom);
a tooltip on every route (tonnes, cost, CO2e) and hub with its numbers; a legend; a layer
control with one layer per mode, the hubs, and two backgrounds: the bundled Natural Earth land
outline (the default) and OpenStreetMap tiles (online only).

Offline: Leaflet's script and style sheet are inlined from the bundled copy, and folium's other
CDN resources (jQuery, Bootstrap, Font Awesome) are left out: the map uses tooltips, which need
none of them. Routes, hubs, land, legend and controls are all in the file; only tiles need a
network. The output is deterministic: folium's random element ids are renumbered.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Any, Final

import folium
import geopandas as gpd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ..model import Network
from ..plan import Plan
from ..units import Mode
from .assets import land_polygons, leaflet_css, leaflet_js
from .recentre import central_longitude, recentre
from .routes import flow_geodataframe, hub_geodataframe
from .style import (
    BORDER_COLOUR,
    HUB_EDGE,
    HUB_FILL,
    LABEL_COLOUR,
    LAND_COLOUR,
    LINE_WIDTH_MAX,
    LINE_WIDTH_MIN,
    MODE_COLOURS,
    SEA_COLOUR,
    hub_radius,
    line_width,
    mode_order,
    plan_caption,
)

MAP_HTML_FILE: Final[str] = "map.html"
#: Names of the background layers in the layer control.
LAND_LAYER: Final[str] = "Land (Natural Earth, offline)"
TILE_LAYER: Final[str] = "OpenStreetMap (online)"
HUB_LAYER: Final[str] = "Hubs"
#: Decimal places of coordinates in the page (1e-5 degree is about 1 m).
DECIMALS: Final[int] = 5
#: Map pane of the land outline: under the routes (Leaflet's overlay pane is at 400), over tiles.
_LAND_PANE = "land"


class _Raw(Element):
    """Text put into the page as it is (Leaflet's source is no Jinja template)."""

    _template = Template("{{ this.content }}")

    def __init__(self, content: str) -> None:
        super().__init__()
        self.content = content


class _HubsOnTop(MacroElement):
    """Keeps the hub circles above the routes when a route layer is switched back on."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on("overlayadd", function () {
            {{ this.hubs }}.bringToFront();
        });
        {% endmacro %}
    """)

    def __init__(self, hubs: str) -> None:
        super().__init__()
        self.hubs = hubs


class _LabelsWithoutOverlap(MacroElement):
    """Hides, after every zoom or pan, each hub label that would overlap a label of a busier
    hub (labels are ranked busiest first); each label records whether it is shown
    (``data-shown``) and where (``data-box``: left, top, right, bottom in pixels)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            function declutter() {
                var kept = [];
                var labels = Array.prototype.slice.call(document.querySelectorAll(".sr-label"));
                labels.sort(function (a, b) { return a.dataset.rank - b.dataset.rank; });
                labels.forEach(function (label) {
                    // The label's box from the map's own projection (not the DOM, which may
                    // not have been laid out yet): its hub's point plus the icon offset.
                    var p = map.latLngToContainerPoint([+label.dataset.lat, +label.dataset.lon]);
                    var r = {left: p.x + 7, top: p.y - 7, right: p.x + 7 + label.offsetWidth,
                             bottom: p.y - 7 + label.offsetHeight};
                    var hit = kept.some(function (k) {
                        return r.left < k.right && r.right > k.left && r.top < k.bottom &&
                            r.bottom > k.top;
                    });
                    label.style.visibility = hit ? "hidden" : "visible";
                    label.dataset.shown = hit ? "0" : "1";
                    if (!hit) {
                        kept.push(r);
                        label.dataset.box = [r.left, r.top, r.right, r.bottom].map(Math.round)
                            .join(",");
                    }
                });
            }
            map.on("zoomend moveend resize viewreset overlayadd overlayremove", declutter);
            map.whenReady(function () { setTimeout(declutter, 0); });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)


def _text(value: object) -> str:
    """Text for a tooltip: HTML-escaped and safe inside folium's JavaScript template literal."""
    return html.escape(str(value)).replace("`", "&#96;").replace("$", "&#36;")


def _latlon(geometry: BaseGeometry) -> list[Any]:
    """Leaflet ``[lat, lon]`` points of a (multi)line: one list, or a list per part."""
    parts = [[[round(y, DECIMALS), round(x, DECIMALS)] for x, y in part.coords]
             for part in shapely.get_parts(geometry)]
    return parts[0] if len(parts) == 1 else parts


def _land_geojson(central_lon: float) -> dict[str, Any]:
    features = []
    for polygon in land_polygons():
        shape = mapping(shapely.set_precision(recentre(polygon, central_lon), 0.01))
        features.append({"type": "Feature", "properties": {}, "geometry": shape})
    return {"type": "FeatureCollection", "features": features}


def _flow_tooltip(row: Any) -> str:
    lines = [f"<b>{_text(row.mode)}</b> {_text(row.from_hub)} &rarr; {_text(row.to_hub)}",
             f"{row.weight_t:,.1f} t &middot; {row.shipments:,} shipment(s) &middot; "
             f"{row.legs:,} shipment-leg(s)",
             f"cost {row.cost_usd:,.0f} USD &middot; CO2e {row.co2e_kg:,.0f} kg"]
    if row.services:
        lines.append(f"services: {_text(row.services.replace(';', ', '))}")
    if row.links:
        lines.append(f"links: {_text(row.links.replace(';', ', '))}")
    if row.via:
        lines.append(f"via: {_text(row.via.replace(';', ', '))}")
    return "<br>".join(lines)


def _hub_tooltip(row: Any) -> str:
    if math.isnan(row.capacity_t_day):
        capacity = "unlimited capacity"
    else:
        capacity = f"capacity {row.capacity_t_day:,.0f} t/day"
        if not math.isnan(row.utilisation_max):
            capacity += f", busiest day at {row.utilisation_max:.1%}"
    return "<br>".join([
        f"<b>{_text(row.hub)}</b> {_text(row.name)}",
        f"{row.throughput_t:,.1f} t handled &middot; {row.shipments:,} shipment(s)",
        f"busiest day {row.throughput_t_day_max:,.1f} t &middot; {capacity}",
    ])


def _hub_label(code: str, throughput_t: float, rank: int, point: BaseGeometry) -> str:
    """A hub's map label: its code and tonnes handled (``rank`` 0 = busiest; ``point``: where
    it is drawn, for the overlap test)."""
    return (f'<div class="sr-label" data-rank="{rank}" data-lat="{point.y:.{DECIMALS}f}" '
            f'data-lon="{point.x:.{DECIMALS}f}">{_text(code)} '
            f"<span>{throughput_t:,.0f} t</span></div>")


def _legend(modes: Sequence[Mode], largest_flow_t: float, largest_hub_t: float) -> str:
    rows = [f'<div class="sr-mode" data-mode="{m}" data-colour="{MODE_COLOURS[m]}">'
            f'<span class="sr-line" style="background:{MODE_COLOURS[m]};height:4px"></span>{m}</div>'
            for m in modes]
    scale = []
    if largest_flow_t > 0:
        for share in (1.0, 0.25):
            t = largest_flow_t * share
            scale.append(f'<div><span class="sr-line" style="background:#777;'
                         f'height:{line_width(t, largest_flow_t):.1f}px"></span>{t:,.1f} t</div>')
    if largest_hub_t > 0:
        for share in (1.0, 0.25):
            t = largest_hub_t * share
            d = 2 * hub_radius(t, largest_hub_t)
            scale.append(f'<div><span class="sr-hub" style="width:{d:.0f}px;height:{d:.0f}px">'
                         f'</span>{t:,.1f} t handled</div>')
    return (
        '<div id="sr-legend" class="sr-box" style="bottom:28px;right:10px">'
        "<b>Mode</b>" + "".join(rows)
        + (f"<b>Tonnes</b><div class='sr-note'>route width {LINE_WIDTH_MIN:g}-{LINE_WIDTH_MAX:g} px "
           f"(&radic; tonnes); hub area &prop; tonnes</div>" + "".join(scale) if scale else "")
        + "</div>")


def _page_style() -> str:
    return (
        "<style>"
        f".leaflet-container{{background:{SEA_COLOUR}}}"
        ".sr-box{position:fixed;z-index:1000;background:rgba(255,255,255,.92);padding:6px 10px;"
        "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.35);font:12px/1.5 sans-serif}"
        ".sr-line{display:inline-block;width:30px;margin-right:6px;vertical-align:middle}"
        f".sr-hub{{display:inline-block;border-radius:50%;background:{HUB_FILL};margin:0 6px 0 "
        "0;vertical-align:middle}"
        ".sr-note{color:#555;font-size:11px}"
        f".sr-label{{position:absolute;white-space:nowrap;font:bold 11px/1.2 sans-serif;"
        f"color:{LABEL_COLOUR};text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}}"
        ".sr-label span{font-weight:normal}"
        "#sr-title h1{font-size:16px;margin:0}"
        "</style>")


def build_map(plan: Plan, network: Network, title: str, tz: str | tzinfo = "UTC") -> folium.Map:
    """The folium map of ``plan`` (see the module docstring); ``title`` heads the page and
    ``tz`` sets the days of each hub's busiest day."""
    flows = flow_geodataframe(plan, network)
    # A last-mile truck to a warehouse at its gateway's coordinates has no length to draw.
    flows = flows[shapely.length(flows.geometry.to_numpy()) > 0]
    hubs = hub_geodataframe(plan, network, tz)
    anchors = gpd.GeoSeries([*flows.geometry, *hubs.geometry]) if len(hubs) else \
        gpd.points_from_xy([h.lon for h in network.hubs], [h.lat for h in network.hubs])
    centre = central_longitude(anchors)
    flow_lines = [recentre(g, centre) for g in flows.geometry]
    hub_points = [recentre(g, centre) for g in hubs.geometry]
    west, south, east, north = shapely.total_bounds([recentre(g, centre) for g in anchors])

    # Quarter zoom steps, so that fitting the view to the routes leaves little empty map.
    fmap = folium.Map(location=None, tiles=None, control_scale=True, prefer_canvas=False,
                      zoom_snap=0.25, zoom_delta=0.5)
    fmap.default_js, fmap.default_css = [], []  # Leaflet is inlined below; nothing else is used
    root = fmap.get_root()
    root.header.add_child(_Raw(f"<style>{leaflet_css()}</style>"), name="leaflet_css")
    root.header.add_child(_Raw(f"<script>{leaflet_js()}</script>"), name="leaflet_js")
    root.header.add_child(_Raw(_page_style()), name="silkroad_style")
    folium.map.CustomPane(_LAND_PANE, z_index=250, pointer_events=False).add_to(fmap)

    folium.GeoJson(
        _land_geojson(centre), name=LAND_LAYER, overlay=False, control=True, pane=_LAND_PANE,
        interactive=False,
        style_function=lambda _: {"fillColor": LAND_COLOUR, "fillOpacity": 1.0,
                                  "color": BORDER_COLOUR, "weight": 0.7},
    ).add_to(fmap)
    folium.TileLayer("OpenStreetMap", name=TILE_LAYER, overlay=False, control=True,
                     show=False).add_to(fmap)

    largest_flow = float(flows["weight_t"].max()) if len(flows) else 0.0
    order = flows.assign(line=flow_lines).sort_values("weight_t", ascending=False, kind="stable")
    for mode in mode_order(flows["mode"]):
        of_mode = order[order["mode"] == mode]
        group = folium.FeatureGroup(name=f"{mode} ({len(of_mode)} network legs)")
        for row in of_mode.itertuples():
            folium.PolyLine(
                _latlon(row.line), color=MODE_COLOURS[mode], opacity=0.9,
                weight=round(line_width(row.weight_t, largest_flow), 2),
                tooltip=folium.Tooltip(_flow_tooltip(row), sticky=True),
            ).add_to(group)
        group.add_to(fmap)

    largest_hub = float(hubs["throughput_t"].max()) if len(hubs) else 0.0
    hub_group = folium.FeatureGroup(name=HUB_LAYER)
    for row, point in zip(hubs.itertuples(), hub_points, strict=True):
        folium.CircleMarker(
            [round(point.y, DECIMALS), round(point.x, DECIMALS)],
            radius=round(hub_radius(row.throughput_t, largest_hub), 2), color=HUB_EDGE, weight=1,
            fill=True, fill_color=HUB_FILL, fill_opacity=0.85,
            tooltip=folium.Tooltip(_hub_tooltip(row), sticky=True),
        ).add_to(hub_group)
    order = sorted(range(len(hubs)), key=lambda i: -float(hubs["throughput_t"].iloc[i]))
    for rank, i in enumerate(order):
        row, point = hubs.iloc[i], hub_points[i]
        folium.Marker(
            [round(point.y, DECIMALS), round(point.x, DECIMALS)],
            icon=folium.DivIcon(html=_hub_label(row["hub"], row["throughput_t"], rank, point),
                                icon_size=(0, 0), icon_anchor=(-7, 7)),
            interactive=False,
        ).add_to(hub_group)
    hub_group.add_to(fmap)
    _HubsOnTop(hub_group.get_name()).add_to(fmap)
    _LabelsWithoutOverlap().add_to(fmap)

    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]], padding=(20, 20))
    root.html.add_child(_Raw(
        f'<div id="sr-title" class="sr-box" style="top:10px;left:50%;transform:translateX(-50%)">'
        f"<h1>{html.escape(title)}</h1><div class='sr-note'>{html.escape(plan_caption(plan, tz))}"
        "</div></div>"))
    root.html.add_child(_Raw(_legend(mode_order(flows["mode"]), largest_flow, largest_hub)))
    return fmap


def _renumbered(page: str) -> str:
    """``page`` with folium's random element ids (32 hex digits) replaced by a counter."""
    counter = itertools.count(1)
    names: dict[str, str] = {}
    return re.sub(r"(?<=_)[0-9a-f]{32}(?![0-9A-Za-z])",
                  lambda m: names.setdefault(m.group(0), f"{next(counter):04d}"), page)


def map_html(plan: Plan, network: Network, title: str, tz: str | tzinfo = "UTC") -> str:
    """The HTML page of the interactive map of ``plan`` (self-contained; see the module)."""
    return _renumbered(build_map(plan, network, title, tz).get_root().render())


def write_map_html(plan: Plan, network: Network, path: str | Path, title: str,
                   tz: str | tzinfo = "UTC") -> Path:
    """Write the interactive map of ``plan`` to ``path`` (UTF-8); the path."""
    path = Path(path)
    path.write_text(map_html(plan, network, title, tz), encoding="utf-8")
    return path

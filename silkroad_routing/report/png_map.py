"""The static PNG map of a plan (matplotlib, Agg: no screen needed).

The same picture as the HTML map, for reports: the selected routes added up per network leg,
coloured by mode (:data:`.style.MODE_COLOURS`) with widths growing with the tonnes, hubs as
circles whose area grows with the tonnes handled (the busiest labelled with their code and
tonnes, no label overlapping another or a hub), an inset of Europe when the map spans much more
(its hubs crowd together at the map's scale), the bundled Natural Earth land outline, a legend
of modes and of the size scales, and a title band with the scenario's name and one line about
the plan. Web Mercator like the HTML map, with the
seam moved off the routes (:mod:`.recentre`) and the extent fitted to routes and hubs: Zhengzhou
to Europe, and across the Bering Strait to Chicago when a route goes there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from ..model import Network
from ..plan import Plan
from .assets import land_polygons
from .recentre import central_longitude, recentre
from .routes import flow_geodataframe, hub_geodataframe
from .style import (
    BORDER_COLOUR,
    HUB_EDGE,
    HUB_FILL,
    LABEL_COLOUR,
    LAND_COLOUR,
    MODE_COLOURS,
    SEA_COLOUR,
    hub_radius,
    line_width,
    mode_order,
    plan_caption,
)

MAP_PNG_FILE: Final[str] = "map.png"
#: Default size of the image, pixels, and its resolution (dots per inch).
WIDTH_PX: Final[int] = 1600
HEIGHT_PX: Final[int] = 1000
DPI: Final[int] = 100
#: Height of the title band, pixels.
TITLE_BAND_PX: Final[int] = 64
#: Latitude limit of the Mercator projection, degrees.
MAX_LAT: Final[float] = 84.0
#: Margin around routes and hubs, share of their extent; smallest extent, projected degrees.
MARGIN: Final[float] = 0.06
MIN_SPAN_DEG: Final[float] = 30.0
#: The busiest hubs are labelled with their code and tonnes, at most this many per map.
LABELLED_HUBS: Final[int] = 14
#: Europe (west, east, south, north, degrees) and where its inset sits in the map (axes share:
#: x, y, width, height): upper right, over the Arctic and the North Pacific.
EUROPE: Final[tuple[float, float, float, float]] = (-11.0, 32.0, 35.0, 60.0)
INSET_BOX: Final[tuple[float, float, float, float]] = (0.64, 0.56, 0.35, 0.43)


def mercator_y(lat_deg: np.ndarray) -> np.ndarray:
    """Web Mercator ordinate of latitudes, in degree units (equal to longitude at the equator)."""
    phi = np.radians(np.clip(lat_deg, -MAX_LAT, MAX_LAT))
    return np.degrees(np.log(np.tan(np.pi / 4.0 + phi / 2.0)))


def _projected(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: np.column_stack([xy[:, 0], mercator_y(xy[:, 1])]))


def _extent(geometries: Sequence[BaseGeometry], aspect: float) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) around the geometries with a margin, widened to width/height ``aspect``."""
    x0, y0, x1, y1 = shapely.total_bounds(list(geometries))
    cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    w = max((x1 - x0) * (1.0 + 2.0 * MARGIN), MIN_SPAN_DEG)
    h = max((y1 - y0) * (1.0 + 2.0 * MARGIN), MIN_SPAN_DEG / aspect)
    w, h = max(w, h * aspect), max(h, w / aspect)
    return cx - w / 2.0, cx + w / 2.0, cy - h / 2.0, cy + h / 2.0


def _land_path(central_lon: float) -> MplPath:
    """All land polygons, recentred and projected, as one compound path."""
    paths = []
    for polygon in land_polygons():
        shape = _projected(shapely.clip_by_rect(recentre(polygon, central_lon),
                                                -540.0, -MAX_LAT, 540.0, MAX_LAT))
        for part in shapely.get_parts(shape):
            if isinstance(part, Polygon) and not part.is_empty:
                for ring in (part.exterior, *part.interiors):
                    xy = np.asarray(ring.coords)
                    codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
                    codes[0], codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
                    paths.append(MplPath(xy, codes))
    return MplPath.make_compound_path(*paths)


def draw_map(plan: Plan, network: Network, title: str, tz: str | tzinfo = "UTC",
             width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX, dpi: int = DPI) -> Figure:
    """The map of ``plan`` as a matplotlib Figure of ``width_px`` x ``height_px`` pixels at
    ``dpi``; ``title`` heads it and ``tz`` sets the days of each hub's busiest day."""
    if width_px < 200 or height_px < TITLE_BAND_PX + 100 or dpi <= 0:
        raise ValueError(f"map size {width_px}x{height_px} px at {dpi} dpi is too small "
                         f"(at least 200 x {TITLE_BAND_PX + 100} px, dpi > 0)")
    flows = flow_geodataframe(plan, network)
    hubs = hub_geodataframe(plan, network, tz)
    anchors = [*flows.geometry, *hubs.geometry] if len(hubs) else \
        [shapely.Point(h.lon, h.lat) for h in network.hubs]
    centre = central_longitude(anchors)
    flow_lines = [_projected(recentre(g, centre)) for g in flows.geometry]
    hub_points = [_projected(recentre(g, centre)) for g in hubs.geometry]

    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)  # a renderer, to measure the labels
    band = TITLE_BAND_PX / height_px
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0 - band))
    extent = _extent([_projected(recentre(g, centre)) for g in anchors],
                     width_px / (height_px - TITLE_BAND_PX))
    layers = _Layers(centre, flows, flow_lines, hubs, hub_points)
    inset = _inset_extent(extent, hub_points, centre)
    if inset is None:
        layers.draw(ax, extent, dpi)
    else:
        box = ax.inset_axes(INSET_BOX)
        # The map's labels keep off the inset; the inset labels Europe's hubs at its scale.
        layers.draw(ax, extent, dpi, placed=[box.get_window_extent(fig.canvas.get_renderer())])
        layers.draw(box, inset, dpi)
        box.set_title("Europe", fontsize=9, loc="left", pad=2)
        ax.indicate_inset((inset[0], inset[2], inset[1] - inset[0], inset[3] - inset[2]),
                          box, edgecolor="#555555", linewidth=0.8)
    largest_flow = float(flows["weight_t"].max()) if len(flows) else 0.0
    largest_hub = float(hubs["throughput_t"].max()) if len(hubs) else 0.0
    _legends(ax, mode_order(flows["mode"]), largest_flow, largest_hub)
    fig.text(0.008, 1.0 - 0.30 * band, title, ha="left", va="center", fontsize=15,
             fontweight="bold", color="#222222")
    fig.text(0.008, 1.0 - 0.74 * band, plan_caption(plan, tz), ha="left", va="center", fontsize=9.5,
             color="#444444")
    fig.text(0.992, 1.0 - 0.74 * band, "Land: Natural Earth 1:110m (public domain). Web Mercator.",
             ha="right", va="center", fontsize=7.5, color="#666666")
    return fig


class _Layers:
    """Land, routes, hubs and hub labels of a plan, drawn on any axes and extent (the map and
    its Europe inset)."""

    def __init__(self, centre: float, flows: gpd.GeoDataFrame, lines: list[BaseGeometry],
                 hubs: gpd.GeoDataFrame, points: list[BaseGeometry]) -> None:
        self.land = _land_path(centre)
        self.flows, self.lines, self.hubs = flows, lines, hubs
        self.largest_flow = float(flows["weight_t"].max()) if len(flows) else 0.0
        largest_hub = float(hubs["throughput_t"].max()) if len(hubs) else 0.0
        self.radii = np.array([hub_radius(t, largest_hub) for t in hubs["throughput_t"]])
        self.xy = np.array([(p.x, p.y) for p in points]).reshape(-1, 2)

    def draw(self, ax: Axes, extent: tuple[float, float, float, float], dpi: int,
             placed: list[Bbox] | None = None) -> list[Bbox]:
        """Draw on ``ax`` over ``extent`` (x0, x1, y0, y1); labels avoid ``placed`` (boxes in
        figure pixels, e.g. the inset's frame) and the boxes of the labels drawn are returned."""
        x0, x1, y0, y1 = extent
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_facecolor(SEA_COLOUR)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor("#999999")
        ax.add_patch(PathPatch(self.land, facecolor=LAND_COLOUR, edgecolor=BORDER_COLOUR,
                               linewidth=0.5, zorder=1))
        flows = self.flows
        order = np.argsort(-flows["weight_t"].to_numpy(), kind="stable")  # heavy first
        segments, colours, widths = [], [], []
        for i in order:
            row = flows.iloc[int(i)]
            for part in shapely.get_parts(self.lines[int(i)]):
                segments.append(np.asarray(part.coords))
                colours.append(MODE_COLOURS[row["mode"]])
                widths.append(line_width(row["weight_t"], self.largest_flow))
        ax.add_collection(LineCollection(segments, colors=colours, linewidths=widths, zorder=3,
                                         capstyle="round", joinstyle="round"))
        ax.scatter(self.xy[:, 0], self.xy[:, 1], s=(2.0 * self.radii) ** 2, c=HUB_FILL,
                   edgecolors=HUB_EDGE, linewidths=0.8, zorder=4)
        return _label_hubs(ax, self.hubs["hub"].tolist(), self.hubs["throughput_t"].to_numpy(),
                           self.xy, self.radii, dpi, list(placed or []))


def _inset_extent(extent: tuple[float, float, float, float], points: list[BaseGeometry],
                  centre: float) -> tuple[float, float, float, float] | None:
    """The Europe inset's extent (projected, at the inset's aspect) when the map spans much
    more than Europe and at least two hubs lie in it; else None."""
    west, east = recentre(shapely.Point(EUROPE[0], 0), centre).x, EUROPE[1] - EUROPE[0]
    west_y, north_y = mercator_y(np.array([EUROPE[2], EUROPE[3]]))
    inside = [p for p in points if west <= p.x <= west + east and west_y <= p.y <= north_y]
    if len(inside) < 2 or (extent[1] - extent[0]) < 2.5 * east:
        return None
    aspect = INSET_BOX[2] * (extent[1] - extent[0]) / (INSET_BOX[3] * (extent[3] - extent[2]))
    return _extent(inside, aspect)


def _label_hubs(ax: Axes, codes: Sequence[str], throughput_t: np.ndarray, xy: np.ndarray,
                radii: np.ndarray, dpi: int, placed: list[Bbox]) -> list[Bbox]:
    """Label the busiest hubs (``CODE 12 t``) right of the hub, else left, else below right or
    left: the first place where the label, measured as drawn (figure pixels), overlaps no label
    already drawn, no other hub's circle and no box of ``placed``; else no label."""
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    where = ax.transData.transform(xy) if len(xy) else xy
    px_per_pt = dpi / 72.0
    circles = [Bbox.from_extents(x - r * px_per_pt, y - r * px_per_pt, x + r * px_per_pt,
                                 y + r * px_per_pt) for (x, y), r in zip(where, radii, strict=True)]
    drawn: list[Bbox] = []
    for k in np.argsort(-throughput_t, kind="stable"):
        if len(drawn) == LABELLED_HUBS or throughput_t[k] <= 0:
            break
        others = [*placed, *drawn, *(c for i, c in enumerate(circles) if i != k)]
        r = radii[k] + 1.0
        for offset, ha, va in ((r, "left", "bottom"), (-r, "right", "bottom"),
                               (r, "left", "top"), (-r, "right", "top")):  # right, left, below
            text = ax.annotate(f"{codes[k]} {throughput_t[k]:,.0f} t", xy[k],
                               xytext=(offset, 0.3 * radii[k] if va == "bottom" else -0.3 * r),
                               textcoords="offset points", ha=ha, va=va, fontsize=8.0,
                               color=LABEL_COLOUR, path_effects=halo, zorder=5, gid="hub-label")
            box = text.get_window_extent(renderer)
            if (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
                    and not any(box.overlaps(b) for b in others)):
                drawn.append(box)
                break
            text.remove()
    return drawn


def _legends(ax: Axes, modes: Sequence[str], largest_flow_t: float, largest_hub_t: float) -> None:
    """Mode colours (lower left) and the size scales of routes and hubs (lower right)."""
    style = {"fontsize": 9, "title_fontsize": 9.5, "framealpha": 0.92, "edgecolor": "#BBBBBB"}
    if modes:
        legend = ax.legend(
            handles=[Line2D([], [], color=MODE_COLOURS[m], linewidth=4, label=str(m)) for m in modes],
            title="Mode", loc="lower left", **style)
        ax.add_artist(legend)
    scale = []
    for share in (1.0, 0.25):
        if largest_flow_t > 0:
            t = largest_flow_t * share
            scale.append(Line2D([], [], color="#777777", linewidth=line_width(t, largest_flow_t),
                                label=f"{t:,.1f} t on a route"))
    for share in (1.0, 0.25):
        if largest_hub_t > 0:
            t = largest_hub_t * share
            scale.append(Line2D([], [], linestyle="", marker="o",
                                markersize=2 * hub_radius(t, largest_hub_t),
                                markerfacecolor=HUB_FILL, markeredgecolor=HUB_EDGE,
                                label=f"{t:,.1f} t handled at a hub"))
    if scale:
        ax.legend(handles=scale, title="Tonnes", loc="lower right", labelspacing=1.1,
                  borderpad=0.8, **style)


def write_map_png(plan: Plan, network: Network, path: str | Path, title: str,
                  tz: str | tzinfo = "UTC", width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX,
                  dpi: int = DPI) -> Path:
    """Write the static map of ``plan`` (:func:`draw_map`) to ``path`` as a PNG of exactly
    ``width_px`` x ``height_px`` pixels; the path."""
    path = Path(path)
    draw_map(plan, network, title, tz, width_px, height_px, dpi).savefig(path, format="png", dpi=dpi)
    return path

"""The routes of a plan as GeoDataFrames (EPSG:4326): legs, flows per network leg, and hubs.

- :func:`plan_geodataframe`: one line per row of ``plan.legs`` (every option), with the plan's
  leg columns, the shipment's ``weight_t`` and ``selected`` (the option the plan keeps, see
  :meth:`~silkroad_routing.plan.Plan.selected`).
- :func:`flow_geodataframe`: the selected routes added up per network leg (same mode, end hubs
  and path), for drawing: tonnes, shipments, services and links, cost and CO2e.
- :func:`hub_geodataframe`: every hub the selected routes visit, as a point with the tonnes it
  handles (as counted by :func:`silkroad_routing.kpi.hub_day_throughput`).

Lines come from :func:`silkroad_routing.geometry.leg_geometry`: great circles for air, sea lanes
for sea (honouring the service's or link's ``via``), straight lines through the waypoints for
rail and road; split at the antimeridian. Each distinct network leg is computed once per call
(sea lanes are also cached across calls by :func:`~silkroad_routing.geometry.sea_lane`).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Final, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ..geometry import leg_geometry
from ..kpi import hub_day_throughput
from ..model import Network
from ..plan import LEG_COLUMNS, Plan, vehicle_legs
from ..units import MODES, Mode

CRS: Final[str] = "EPSG:4326"
#: Columns of :func:`flow_geodataframe` (besides ``geometry``).
FLOW_COLUMNS: Final[tuple[str, ...]] = (
    "mode", "from_hub", "to_hub", "via", "services", "links", "shipments", "legs", "weight_t",
    "cost_usd", "co2e_kg",
)
#: Columns of :func:`hub_geodataframe` (besides ``geometry``).
HUB_COLUMNS: Final[tuple[str, ...]] = (
    "hub", "name", "kind", "country", "shipments", "throughput_t", "throughput_t_day_max",
    "capacity_t_day", "utilisation_max",
)


class LegPath(NamedTuple):
    """What fixes the line of a leg: mode, end hubs, waypoints (lon, lat) and passages."""

    mode: Mode
    from_hub: str
    to_hub: str
    waypoints: tuple[tuple[float, float], ...]
    via: frozenset[str]


def leg_paths(network: Network, legs: pd.DataFrame) -> list[LegPath]:
    """The path of each row of a plan's leg table, from its service or link in ``network``.

    Raises ``ValueError`` naming the id when a leg's service or link is not in ``network``.
    """
    services, links = network.service_by_id, network.link_by_id
    paths = []
    for kind, mode, a, b, service_id, link_id in zip(
            legs["kind"], legs["mode"], legs["from_hub"], legs["to_hub"], legs["service_id"],
            legs["link_id"], strict=True):
        if kind == "service":
            service = services.get(service_id)
            if service is None:
                raise ValueError(f"the plan uses service {service_id!r}, which network "
                                 f"{network.name!r} does not have")
            paths.append(LegPath(Mode(mode), a, b, (), service.via))
        else:
            link = links.get(link_id)
            if link is None:
                raise ValueError(f"the plan uses link {link_id!r}, which network "
                                 f"{network.name!r} does not have")
            paths.append(LegPath(Mode(mode), a, b, link.waypoints, link.via))
    return paths


def _lines(network: Network, paths: list[LegPath]) -> list[BaseGeometry]:
    """Line of each path; each distinct path is computed once."""
    lines = {p: leg_geometry(network, p.mode, p.from_hub, p.to_hub, p.waypoints, p.via)
             for p in dict.fromkeys(paths)}
    return [lines[p] for p in paths]


def _weight_t(plan: Plan) -> pd.Series:
    """Tonnes of each shipment, by shipment id."""
    first = plan.shipments.drop_duplicates("shipment_id")
    return pd.Series(first["weight_kg"].to_numpy(dtype=np.float64) / 1000.0,
                     index=first["shipment_id"].to_numpy())


def plan_geodataframe(plan: Plan, network: Network) -> gpd.GeoDataFrame:
    """One line feature per leg of ``plan`` (every option), in EPSG:4326.

    Columns: the plan's leg columns (:data:`silkroad_routing.plan.LEG_COLUMNS`: shipment id,
    option, leg, kind, mode, from/to hub, service/departure/link id, departure and arrival
    (UTC), freight, handling and total cost USD, CO2e kg, distance km, chargeable kg), then
    ``weight_t`` (the shipment's tonnes) and ``selected`` (True on the option the plan keeps).
    ``network`` must hold every service and link the plan uses.
    """
    legs = vehicle_legs(plan.legs).reset_index(drop=True)
    frame = legs.loc[:, list(LEG_COLUMNS)].copy()
    frame["weight_t"] = _weight_t(plan).reindex(legs["shipment_id"]).to_numpy(dtype=np.float64)
    kept = plan.selected().shipments
    kept_keys = set(zip(kept["shipment_id"], kept["option"], strict=True))
    frame["selected"] = np.array(
        [k in kept_keys for k in zip(legs["shipment_id"], legs["option"], strict=True)], dtype=bool)
    geometry = _lines(network, leg_paths(network, legs))
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def _joined(values: pd.Series) -> str:
    return ";".join(sorted({str(v) for v in values if v}))


def flow_geodataframe(plan: Plan, network: Network) -> gpd.GeoDataFrame:
    """The selected routes added up per network leg, one line feature each, in EPSG:4326.

    A flow is every selected shipment-leg with the same mode, end hubs and path (waypoints and
    ``via`` passages), whatever the service, link or departure. Columns: ``mode``,
    ``from_hub``, ``to_hub``, ``via`` (passages, ``;``-separated), ``services`` and ``links``
    (ids used, ``;``-separated), ``shipments`` (distinct shipments), ``legs`` (shipment-legs),
    ``weight_t`` (tonnes carried), ``cost_usd`` and ``co2e_kg`` (sums over the legs). Rows are
    in mode order (air, rail, sea, road), then by end hubs.
    """
    legs = vehicle_legs(plan.selected().legs).reset_index(drop=True)
    paths = leg_paths(network, legs)
    distinct = sorted(dict.fromkeys(paths), key=lambda p: (
        MODES.index(p.mode), p.from_hub, p.to_hub, sorted(p.via), p.waypoints))
    code = {p: i for i, p in enumerate(distinct)}
    rows = pd.DataFrame({
        "flow": np.array([code[p] for p in paths], dtype=np.int64),
        "service_id": legs["service_id"], "link_id": legs["link_id"],
        "shipment_id": legs["shipment_id"],
        "weight_t": _weight_t(plan).reindex(legs["shipment_id"]).to_numpy(dtype=np.float64),
        "cost_usd": legs["cost_usd"].astype(np.float64), "co2e_kg": legs["co2e_kg"].astype(np.float64),
    })
    records = []
    for i, group in rows.groupby("flow", sort=True):
        path = distinct[int(i)]
        records.append({
            "mode": str(path.mode), "from_hub": path.from_hub, "to_hub": path.to_hub,
            "via": ";".join(sorted(path.via)), "services": _joined(group["service_id"]),
            "links": _joined(group["link_id"]), "shipments": int(group["shipment_id"].nunique()),
            "legs": len(group), "weight_t": float(group["weight_t"].sum()),
            "cost_usd": float(group["cost_usd"].sum()), "co2e_kg": float(group["co2e_kg"].sum()),
        })
    frame = pd.DataFrame(records, columns=list(FLOW_COLUMNS)).astype(
        {"shipments": np.int64, "legs": np.int64, "weight_t": np.float64, "cost_usd": np.float64,
         "co2e_kg": np.float64})
    geometry = _lines(network, distinct)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def hub_geodataframe(plan: Plan, network: Network, tz: str | tzinfo = "UTC") -> gpd.GeoDataFrame:
    """Every hub the selected routes visit, as a point with its throughput, in EPSG:4326.

    Columns: ``hub`` (code), ``name``, ``kind``, ``country``, ``shipments`` (distinct
    shipments visiting), ``throughput_t`` (tonnes handled over the plan, counted as the KPIs
    count them: at the origin, where freight changes vehicle or arrives, and at gauge-change
    borders; see :mod:`silkroad_routing.kpi`), ``throughput_t_day_max`` (busiest day, days in
    time zone ``tz``), ``capacity_t_day`` (NaN = unlimited) and ``utilisation_max`` (busiest
    day over capacity; NaN when unlimited). A hub passed through aboard a vehicle handles 0 t.
    Rows by throughput, largest first, then by code.
    """
    legs = vehicle_legs(plan.selected().legs)
    weight_kg = _weight_t(plan) * 1000.0
    daily = hub_day_throughput(
        network, legs.assign(weight_kg=weight_kg.reindex(legs["shipment_id"]).to_numpy()), tz)
    handled = daily.groupby("hub").agg(throughput_t=("throughput_t", "sum"),
                                       throughput_t_day_max=("throughput_t", "max"),
                                       utilisation_max=("utilisation", "max"))
    visits = pd.concat([legs["from_hub"], legs["to_hub"]], ignore_index=True)
    visitors = pd.concat([legs["shipment_id"], legs["shipment_id"]], ignore_index=True)
    shipments = visitors.groupby(visits.to_numpy()).nunique()
    records = []
    for code in shipments.index:
        hub = network.hub(str(code))
        records.append({
            "hub": hub.code, "name": hub.name, "kind": str(hub.kind), "country": hub.country,
            "shipments": int(shipments[code]),
            "throughput_t": float(handled["throughput_t"].get(code, 0.0)),
            "throughput_t_day_max": float(handled["throughput_t_day_max"].get(code, 0.0)),
            "capacity_t_day": np.nan if hub.capacity_t_day is None else float(hub.capacity_t_day),
            "utilisation_max": float(handled["utilisation_max"].get(code, np.nan)),
        })
    records.sort(key=lambda r: (-r["throughput_t"], r["hub"]))
    frame = pd.DataFrame(records, columns=list(HUB_COLUMNS)).astype(
        {"shipments": np.int64, "throughput_t": np.float64, "throughput_t_day_max": np.float64,
         "capacity_t_day": np.float64, "utilisation_max": np.float64})
    geometry = [Point(network.hub(c).lon, network.hub(c).lat) for c in frame["hub"]]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)

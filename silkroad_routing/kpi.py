"""Key performance indicators of a routed plan: cost, time, punctuality, emissions, utilisation.

All indicators come from the plan's two tables (one row per shipment-leg, one per shipment),
the shipments and the network; nothing is re-routed. Units are in the names: USD, days, kg,
tonnes (t), tonne-km (tkm), kg CO2e. A shipment the plan could not route counts in
``shipments_unrouted`` and as not on time; cost, transit and emission indicators cover the
routed ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .model import Network, Shipment
from .units import FEU_USABLE_M3, TEU_PER_FEU, feu_count, is_full_container_load

#: Columns the KPIs read from the plan's leg table and shipment table.
LEG_COLUMNS = ("shipment_id", "mode", "from_hub", "to_hub", "service_id", "departure_id",
               "departure", "arrival", "cost_usd", "co2e_kg")
SHIPMENT_COLUMNS = ("shipment_id", "routed", "on_time", "cost_usd", "co2e_kg", "departure",
                    "arrival")


def shipment_teu(shipment: Shipment) -> float:
    """Container space a shipment takes, TEU: whole FEUs for a full load, else its volume share."""
    if is_full_container_load(shipment.weight_kg, shipment.volume_m3, shipment.units_feu):
        return float(TEU_PER_FEU * feu_count(shipment.weight_kg, shipment.volume_m3,
                                             shipment.units_feu))
    return shipment.volume_m3 / (FEU_USABLE_M3 / TEU_PER_FEU)


def leg_distance_km(network: Network, legs: pd.DataFrame) -> np.ndarray:
    """Distance of each leg row, km: the link's distance, or the service's legs ridden."""
    km = np.zeros(len(legs), dtype=np.float64)
    links = network.link_by_id
    services = network.service_by_id
    for i, (service_id, origin, destination) in enumerate(
            zip(legs["service_id"], legs["from_hub"], legs["to_hub"], strict=True)):
        service = services.get(service_id)
        if service is not None:
            a, b = service.stops.index(origin), service.stops.index(destination)
            km[i] = sum(service.leg_km[a:b])
            continue
        link = links.get(service_id) or next(
            (x for x in network.links if x.from_hub == origin and x.to_hub == destination), None)
        km[i] = 0.0 if link is None else link.distance_km
    return km


def _share(values: Mapping[str, float]) -> dict[str, float]:
    total = sum(values.values())
    return {k: (v / total if total > 0 else 0.0) for k, v in sorted(values.items())}


def service_utilisation(network: Network, legs: pd.DataFrame, weight_kg: pd.Series,
                        teu: pd.Series) -> pd.DataFrame:
    """Load of each departure on its busiest segment against its capacity.

    One row per departure used: ``service_id``, ``departure_id``, ``load_kg`` and ``load_teu``
    (on the busiest segment between consecutive stops), ``capacity_kg``, ``capacity_teu`` (NaN
    when unlimited) and ``utilisation`` (the larger of the kg and TEU ratios; NaN if unlimited).
    """
    rows = []
    services = network.service_by_id
    rides = legs[legs["service_id"].isin(services)]
    for (service_id, departure_id), group in rides.groupby(["service_id", "departure_id"], sort=True):
        service = services[service_id]
        segments = len(service.stops) - 1
        kg = np.zeros(segments)
        box = np.zeros(segments)
        for origin, destination, sid in zip(group["from_hub"], group["to_hub"], group["shipment_id"],
                                            strict=True):
            a, b = service.stops.index(origin), service.stops.index(destination)
            kg[a:b] += weight_kg[sid]
            box[a:b] += teu[sid]
        peak = int(np.argmax(np.maximum(
            kg / (service.capacity_kg or np.inf), box / (service.capacity_teu or np.inf)))
            if (service.capacity_kg or service.capacity_teu) else np.argmax(kg))
        ratios = [v / c for v, c in ((kg[peak], service.capacity_kg), (box[peak], service.capacity_teu))
                  if c]
        rows.append({
            "service_id": service_id, "departure_id": departure_id, "mode": str(service.mode),
            "load_kg": float(kg[peak]), "load_teu": float(box[peak]),
            "capacity_kg": float(service.capacity_kg) if service.capacity_kg else np.nan,
            "capacity_teu": float(service.capacity_teu) if service.capacity_teu else np.nan,
            "utilisation": max(ratios) if ratios else np.nan,
        })
    return pd.DataFrame(rows, columns=["service_id", "departure_id", "mode", "load_kg", "load_teu",
                                       "capacity_kg", "capacity_teu", "utilisation"])


def hub_throughput(network: Network, legs: pd.DataFrame, weight_kg: pd.Series,
                   tz: Any = "UTC") -> pd.DataFrame:
    """Tonnes handled per hub and day against the hub's ``capacity_t_day``.

    A shipment counts once at each hub it visits: at its origin on the day it leaves, and at
    every later hub on the day it arrives there (days in time zone ``tz``). One row per hub and
    day with traffic: ``hub``, ``day``, ``throughput_t``, ``capacity_t_day`` (NaN = unlimited),
    ``utilisation``.
    """
    events: list[tuple[str, Any, float]] = []
    ordered = legs.sort_values(["shipment_id", "departure"], kind="stable")
    for sid, group in ordered.groupby("shipment_id", sort=True):
        tonnes = weight_kg[sid] / 1000.0
        first = group.iloc[0]
        events.append((first["from_hub"], first["departure"], tonnes))
        events.extend((hub, when, tonnes) for hub, when in zip(group["to_hub"], group["arrival"],
                                                                strict=True))
    if not events:
        return pd.DataFrame(columns=["hub", "day", "throughput_t", "capacity_t_day", "utilisation"])
    frame = pd.DataFrame(events, columns=["hub", "when", "throughput_t"])
    frame["day"] = pd.to_datetime(frame["when"], utc=True).dt.tz_convert(tz).dt.date
    daily = frame.groupby(["hub", "day"], sort=True, as_index=False)["throughput_t"].sum()
    capacity = {h.code: h.capacity_t_day for h in network.hubs}
    daily["capacity_t_day"] = [np.nan if capacity.get(h) is None else capacity[h] for h in daily["hub"]]
    daily["utilisation"] = daily["throughput_t"] / daily["capacity_t_day"]
    return daily


def compute_kpis(network: Network, shipments: Iterable[Shipment], legs: pd.DataFrame,
                 summary: pd.DataFrame, co2_price_usd_per_t: float = 0.0, tz: Any = "UTC"
                 ) -> dict[str, Any]:
    """The scenario KPIs as a JSON-ready dict (see the module docstring for units).

    Keys: counts (``shipments``, ``shipments_routed``, ``shipments_unrouted``), ``weight_t``,
    ``total_cost_usd``, ``cost_usd_per_kg``, ``transit_days_mean``, ``transit_days_p95``,
    ``on_time_share``, ``co2e_t``, ``co2e_g_per_tkm``, ``co2_cost_usd``, ``tkm``,
    ``mode_split_t`` (tonnes lifted per mode; a shipment counts once in each mode it uses) and
    ``mode_share_tkm``, ``services`` (departures used, mean and peak utilisation, departures over
    capacity, per service) and ``hubs`` (peak tonnes per day, capacity, peak utilisation, days
    over capacity, per hub).
    """
    shipments = list(shipments)
    weight_kg = pd.Series({s.id: s.weight_kg for s in shipments}, dtype=float)
    teu = pd.Series({s.id: shipment_teu(s) for s in shipments}, dtype=float)
    ready = pd.Series({s.id: s.ready for s in shipments})
    routed = summary[summary["routed"].astype(bool)]
    routed_kg = float(weight_kg[routed["shipment_id"]].sum()) if len(routed) else 0.0
    total_cost = float(routed["cost_usd"].sum())
    transit_days = np.array([
        (arrival - ready[sid]).total_seconds() / 86_400.0
        for sid, arrival in zip(routed["shipment_id"], routed["arrival"], strict=True)])
    km = leg_distance_km(network, legs)
    leg_t = weight_kg[legs["shipment_id"]].to_numpy() / 1000.0 if len(legs) else np.zeros(0)
    tkm = leg_t * km
    co2e_kg = float(routed["co2e_kg"].sum())
    mode_t: dict[str, float] = {}
    mode_tkm: dict[str, float] = {}
    if len(legs):
        per_mode = pd.DataFrame({"shipment_id": legs["shipment_id"], "mode": legs["mode"].astype(str),
                                 "tkm": tkm})
        for mode, group in per_mode.groupby("mode", sort=True):
            mode_t[mode] = float(weight_kg[group["shipment_id"].unique()].sum() / 1000.0)
            mode_tkm[mode] = float(group["tkm"].sum())

    services = service_utilisation(network, legs, weight_kg, teu)
    hubs = hub_throughput(network, legs, weight_kg, tz)
    on_time = int(summary["on_time"].fillna(False).astype(bool).sum())
    n = len(shipments)
    return {
        "shipments": n,
        "shipments_routed": len(routed),
        "shipments_unrouted": n - len(routed),
        "weight_t": round(float(weight_kg.sum()) / 1000.0, 6),
        "total_cost_usd": total_cost,
        "cost_usd_per_kg": total_cost / routed_kg if routed_kg > 0 else None,
        "transit_days_mean": float(transit_days.mean()) if transit_days.size else None,
        "transit_days_p95": float(np.percentile(transit_days, 95)) if transit_days.size else None,
        "on_time_share": on_time / n if n else None,
        "co2e_t": co2e_kg / 1000.0,
        "tkm": float(tkm.sum()),
        "co2e_g_per_tkm": co2e_kg * 1000.0 / float(tkm.sum()) if tkm.sum() > 0 else None,
        "co2_cost_usd": co2e_kg / 1000.0 * co2_price_usd_per_t,
        "mode_split_t": mode_t,
        "mode_share_tkm": _share(mode_tkm),
        "services": _service_summary(services),
        "hubs": _hub_summary(hubs, network),
    }


def _service_summary(utilisation: pd.DataFrame) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for service_id, group in utilisation.groupby("service_id", sort=True):
        ratio = group["utilisation"].dropna()
        out[str(service_id)] = {
            "departures_used": len(group),
            "load_t": float(group["load_kg"].sum() / 1000.0),
            "load_teu": float(group["load_teu"].sum()),
            "utilisation_mean": float(ratio.mean()) if len(ratio) else None,
            "utilisation_max": float(ratio.max()) if len(ratio) else None,
            "departures_over_capacity": int((ratio > 1.0 + 1e-9).sum()),
        }
    return out


def _hub_summary(daily: pd.DataFrame, network: Network) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for hub, group in daily.groupby("hub", sort=True):
        capacity = network.hub_by_code[str(hub)].capacity_t_day
        ratio = group["utilisation"].dropna()
        out[str(hub)] = {
            "days_with_traffic": len(group),
            "throughput_t": float(group["throughput_t"].sum()),
            "throughput_t_day_max": float(group["throughput_t"].max()),
            "capacity_t_day": capacity,
            "utilisation_max": float(ratio.max()) if len(ratio) else None,
            "days_over_capacity": int((ratio > 1.0 + 1e-9).sum()),
        }
    return out

"""Key performance indicators of a plan: cost, time, punctuality, emissions, utilisation.

Everything is computed from the plan's tables (:mod:`silkroad_routing.plan`) and the network;
nothing is re-routed. With several options per shipment (the ``pareto`` objective) the
indicators describe :meth:`Plan.selected`. Units are in the names: USD, days, tonnes (t),
tonne-km (tkm), g or t CO2e. Shipments without a route count in ``shipments_unrouted`` and as
not on time; cost, transit and emission indicators cover the routed ones.

Utilisation:

* **departures**: the load of each departure of a scheduled service on its busiest leg (kg, and
  TEU: whole FEUs for a full container load, the volume share of a TEU otherwise) against its
  capacity per departure (the larger of the kg and TEU ratios);
* **hub-days**: tonnes handled at a hub per calendar day (in the scenario's time zone) against
  its ``capacity_t_day``. A shipment is handled at its origin (the day it leaves), where it
  changes vehicle or ends its journey, and at gauge-change borders (the day it arrives there);
  staying aboard through an intermediate stop is not handling;
* **crossing-days**: TEU arriving at a border crossing per calendar day (and the trains that
  carry them) against the trains a day it takes times the TEU of a train there.

``capacity`` says whether the plan was booked within these capacities (``respect``) or each
shipment routed alone (``ignore``); ``departures_over_capacity``, ``hub_days_over_capacity``
and ``crossing_days_over_capacity`` count the excesses (none under ``respect``), and
``warnings`` names each kind of excess. Under ``respect`` also ``shipments_no_capacity``,
``shipments_moved_by_capacity`` (not on their first choice) and ``capacity_cost_usd`` (what
moving them cost); after an optimal assignment ``assignment`` (status, objective, bound, gap)
and the most valuable ``shadow_prices`` (USD per extra unit of each binding capacity).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from .model import Network, Shipment
from .model.capacity import crossing_teu_day
from .plan import Plan, vehicle_legs
from .units import container_teu

DEPARTURE_COLUMNS = ("service_id", "departure_id", "mode", "load_kg", "load_teu", "capacity_kg",
                     "capacity_teu", "utilisation")
HUB_DAY_COLUMNS = ("hub", "day", "throughput_t", "capacity_t_day", "utilisation")
CROSSING_DAY_COLUMNS = ("hub", "day", "trains", "teu", "capacity_teu_day", "utilisation")
#: The most valuable capacities listed in the KPIs (all are in ``shadow_prices.csv``).
SHADOW_PRICES_IN_KPIS = 20


def shipment_teu(shipment: Shipment) -> float:
    """Container space a shipment takes, TEU (:func:`~silkroad_routing.units.container_teu`)."""
    return container_teu(shipment.weight_kg, shipment.volume_m3, shipment.units_feu)


def departure_utilisation(network: Network, legs: pd.DataFrame, teu: pd.Series) -> pd.DataFrame:
    """One row per departure used (:data:`DEPARTURE_COLUMNS`): load on its busiest leg and its
    capacity per departure (NaN = unlimited); ``utilisation`` is NaN when both are unlimited."""
    rides = legs[legs["kind"] == "service"]
    if rides.empty:
        return pd.DataFrame(columns=list(DEPARTURE_COLUMNS))
    per_leg = pd.DataFrame({
        "service_id": rides["service_id"], "departure_id": rides["departure_id"],
        "from_hub": rides["from_hub"], "kg": rides["weight_kg"],
        "teu": teu.reindex(rides["shipment_id"]).to_numpy()})
    load = per_leg.groupby(["service_id", "departure_id", "from_hub"], sort=True,
                           as_index=False)[["kg", "teu"]].sum()
    services = network.service_by_id
    cap_kg = np.array([services[s].capacity_kg or np.nan for s in load["service_id"]], dtype=float)
    cap_teu = np.array([services[s].capacity_teu or np.nan for s in load["service_id"]], dtype=float)
    with np.errstate(invalid="ignore"):
        ratio = np.fmax(load["kg"].to_numpy() / cap_kg, load["teu"].to_numpy() / cap_teu)
    load = load.assign(capacity_kg=cap_kg, capacity_teu=cap_teu, utilisation=ratio,
                       _rank=np.where(np.isnan(ratio), -1.0, ratio))
    # The busiest leg of each departure: highest ratio, then heaviest.
    busiest = load.sort_values(["service_id", "departure_id", "_rank", "kg"],
                               ascending=[True, True, False, False], kind="stable"
                               ).drop_duplicates(["service_id", "departure_id"])
    busiest = busiest.assign(mode=[str(services[s].mode) for s in busiest["service_id"]])
    return busiest.rename(columns={"kg": "load_kg", "teu": "load_teu"})[
        list(DEPARTURE_COLUMNS)].reset_index(drop=True)


def hub_day_throughput(network: Network, legs: pd.DataFrame, tz: Any = "UTC") -> pd.DataFrame:
    """Tonnes handled per hub and day (:data:`HUB_DAY_COLUMNS`; see the module docstring)."""
    if legs.empty:
        return pd.DataFrame(columns=list(HUB_DAY_COLUMNS))
    legs = legs.sort_values(["shipment_id", "option", "leg"], kind="stable")
    same_trip = (legs["shipment_id"] == legs["shipment_id"].shift(-1)) & (
        legs["option"] == legs["option"].shift(-1))
    stays_aboard = same_trip & (legs["kind"] == "service") & (
        legs["departure_id"] == legs["departure_id"].shift(-1))
    gauge = legs["to_hub"].map({h.code: h.gauge_change for h in network.hubs}).astype(bool)
    first = legs["leg"] == 0
    events = pd.concat([
        pd.DataFrame({"hub": legs.loc[first, "from_hub"], "when": legs.loc[first, "departure"],
                      "kg": legs.loc[first, "weight_kg"]}),
        pd.DataFrame({"hub": legs.loc[~stays_aboard | gauge, "to_hub"],
                      "when": legs.loc[~stays_aboard | gauge, "arrival"],
                      "kg": legs.loc[~stays_aboard | gauge, "weight_kg"]}),
    ], ignore_index=True)
    events["day"] = pd.to_datetime(events["when"], utc=True).dt.tz_convert(tz).dt.date
    daily = events.groupby(["hub", "day"], sort=True)["kg"].sum().reset_index()
    daily["throughput_t"] = daily.pop("kg") / 1000.0
    capacity = {h.code: (np.nan if h.capacity_t_day is None else h.capacity_t_day)
                for h in network.hubs}
    daily["capacity_t_day"] = daily["hub"].map(capacity).astype(float)
    daily["utilisation"] = daily["throughput_t"] / daily["capacity_t_day"]
    return daily[list(HUB_DAY_COLUMNS)]


def crossing_days(network: Network, legs: pd.DataFrame, teu: pd.Series,
                  tz: Any = "UTC") -> pd.DataFrame:
    """TEU (and trains) crossing each capacity-limited border crossing per local day
    (:data:`CROSSING_DAY_COLUMNS`): the legs that arrive there, on their arrival day, against
    :func:`~silkroad_routing.model.capacity.crossing_teu_day`."""
    capacity = dict(zip((h.code for h in network.hubs), crossing_teu_day(network), strict=True))
    limit = {h: c for h, c in capacity.items() if np.isfinite(c)}
    rides = legs[(legs["kind"] == "service") & legs["to_hub"].isin(list(limit))]
    if rides.empty:
        return pd.DataFrame(columns=list(CROSSING_DAY_COLUMNS))
    day = pd.to_datetime(rides["arrival"], utc=True).dt.tz_convert(tz).dt.date
    rides = rides.assign(day=day, teu=teu.reindex(rides["shipment_id"]).to_numpy())
    daily = rides.groupby(["to_hub", "day"], sort=True, as_index=False).agg(
        trains=("departure_id", "nunique"), teu=("teu", "sum")).rename(columns={"to_hub": "hub"})
    daily["capacity_teu_day"] = daily["hub"].map(limit).astype(float)
    daily["utilisation"] = daily["teu"] / daily["capacity_teu_day"]
    return daily[list(CROSSING_DAY_COLUMNS)]


def _capacity_summary(plan: Plan, services: dict[str, ServiceKpis], hubs: dict[str, HubKpis],
                      crossings: pd.DataFrame) -> dict[str, Any]:
    """How the plan stands against capacity (the :class:`Kpis` fields from ``capacity`` on);
    a warning for each kind of excess."""
    table = plan.selected().shipments
    over = {
        "departures_over_capacity": sum(v.departures_over_capacity for v in services.values()),
        "hub_days_over_capacity": sum(v.days_over_capacity for v in hubs.values()),
        "crossing_days_over_capacity": int((crossings["utilisation"] > 1.0 + 1e-9).sum()),
    }
    out: dict[str, Any] = {"capacity": plan.capacity, **over}
    if "first_choice" in table.columns:
        out["shipments_no_capacity"] = int((table["reason"] == "no capacity").sum())
        out["shipments_moved_by_capacity"] = int((~table["first_choice"].astype(bool)).sum())
        out["capacity_cost_usd"] = float(table["capacity_cost_usd"].sum())
    if plan.solve is not None:  # an optimal assignment (no wall time: results stay byte-equal)
        s = plan.solve
        out["assignment"] = {"status": s.status, "objective_usd": s.objective,
                             "bound_usd": s.bound, "gap": s.gap}
    if plan.shadow_prices is not None:
        top = plan.shadow_prices.head(SHADOW_PRICES_IN_KPIS)
        out["shadow_prices"] = top.to_dict(orient="records")
        out["capacities_binding"] = len(plan.shadow_prices)
    out["warnings"] = [f"{count} {name.replace('_', ' ')} (capacity: {plan.capacity})"
                       for name, count in over.items() if count]
    return out


def _or_none(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


@dataclass(frozen=True, slots=True)
class ServiceKpis:
    """One scheduled service's use over the plan: ``mode``, ``departures_used``, the summed load
    of each departure's busiest leg (``peak_leg_load_t``, ``peak_leg_load_teu``), the mean and
    peak utilisation of its departures (None when unlimited) and ``departures_over_capacity``."""

    mode: str
    departures_used: int
    peak_leg_load_t: float
    peak_leg_load_teu: float
    utilisation_mean: float | None
    utilisation_max: float | None
    departures_over_capacity: int


@dataclass(frozen=True, slots=True)
class HubKpis:
    """One hub's handling over the plan: ``days_with_traffic``, tonnes handled in all
    (``throughput_t``) and on its busiest day, its ``capacity_t_day`` (None = unlimited), the
    peak and mean utilisation over its days with traffic and ``days_over_capacity``."""

    days_with_traffic: int
    throughput_t: float
    throughput_t_day_max: float
    capacity_t_day: float | None
    utilisation_max: float | None
    utilisation_mean: float | None
    days_over_capacity: int


@dataclass(frozen=True, slots=True)
class Kpis:
    """The key performance indicators of a plan (see the module docstring); None where a value
    is undefined (no routed shipment, no tonne-km).

    Counts: ``shipments``, ``shipments_routed``, ``shipments_unrouted``, ``shipments_late``.
    ``weight_t`` (all shipments), ``total_cost_usd`` and ``cost_usd_per_kg`` (total cost /
    routed kg), ``transit_days_mean`` and ``transit_days_p95`` (ready to arrival, routed
    shipments), ``on_time_share`` (of all shipments), ``co2e_t`` (on ``co2e_basis``, the basis
    that is priced: ``WTW`` unless ``Costs.co2e_basis`` says ``TTW``), ``co2e_wtw_t`` and
    ``co2e_ttw_t`` (well-to-wheel and tank-to-wheel per ISO 14083 / GLEC v3; TTW None when a
    routed leg has no TTW factor), ``tkm``,
    ``co2e_g_per_tkm`` (on ``co2e_basis``), ``co2_cost_usd`` (CO2e x the CO2 price),
    ``mode_split_t`` (tonnes lifted by each mode: a shipment counts once in every mode it
    uses), ``mode_share_tkm``, ``services`` (per service id, :class:`ServiceKpis`) and ``hubs``
    (per hub with traffic, :class:`HubKpis`);
    ``crossings`` (per border-day: trains, TEU, capacity) and the capacity fields of the module
    docstring, from ``capacity`` to ``capacities_binding`` (None where the plan has none).
    """

    shipments: int
    shipments_routed: int
    shipments_unrouted: int
    shipments_late: int
    weight_t: float
    total_cost_usd: float
    cost_usd_per_kg: float | None
    transit_days_mean: float | None
    transit_days_p95: float | None
    on_time_share: float | None
    co2e_t: float
    co2e_basis: str
    co2e_wtw_t: float
    co2e_ttw_t: float | None
    tkm: float
    co2e_g_per_tkm: float | None
    co2_cost_usd: float
    mode_split_t: dict[str, float]
    mode_share_tkm: dict[str, float]
    services: dict[str, ServiceKpis]
    hubs: dict[str, HubKpis]
    crossings: dict[str, dict[str, float]]
    capacity: str
    departures_over_capacity: int
    hub_days_over_capacity: int
    crossing_days_over_capacity: int
    warnings: list[str]
    shipments_no_capacity: int | None = None
    shipments_moved_by_capacity: int | None = None
    capacity_cost_usd: float | None = None
    assignment: dict[str, Any] | None = None
    shadow_prices: list[dict[str, Any]] | None = None
    capacities_binding: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The indicators as a JSON-ready dict of plain values, in field order."""
        return asdict(self)


def compute_kpis(plan: Plan, network: Network, shipments: Iterable[Shipment],
                 co2_price_usd_per_t: float = 0.0, tz: Any = "UTC") -> Kpis:
    """The KPIs of ``plan`` on ``network`` (:class:`Kpis`); ``co2_price_usd_per_t`` prices
    the CO2e and ``tz`` is the time zone of the hub-days."""
    shipments = list(shipments)
    chosen = plan.selected()
    by_id = {s.id: s for s in shipments}
    summary = chosen.shipments
    routed = summary[summary["routed"]]
    weight_kg = pd.Series({s.id: s.weight_kg for s in shipments}, dtype=float)
    rides = vehicle_legs(chosen.legs)  # clearance and storage legs handle nothing more
    legs = rides.assign(weight_kg=weight_kg.reindex(rides["shipment_id"]).to_numpy())
    teu = pd.Series({s.id: shipment_teu(s) for s in shipments}, dtype=float)

    routed_kg = float(routed["weight_kg"].sum())
    total_cost = float(routed["cost_usd"].sum())
    transit_days = routed["hours"].to_numpy(dtype=float) / 24.0
    co2e_kg = float(routed["co2e_kg"].sum())
    co2e_ttw_kg = routed["co2e_ttw_kg"].to_numpy(dtype=float)
    tkm_per_leg = legs["weight_kg"].to_numpy(dtype=float) / 1000.0 * legs["distance_km"].to_numpy(
        dtype=float)
    tkm = float(tkm_per_leg.sum())
    lifted = legs.drop_duplicates(["shipment_id", "mode"]).groupby("mode", sort=True)["weight_kg"].sum()
    tkm_by_mode = pd.Series(tkm_per_leg, index=legs["mode"].to_numpy()).groupby(level=0).sum()
    n = len(by_id)
    services = _service_summary(departure_utilisation(network, legs, teu))
    hubs = _hub_summary(hub_day_throughput(network, legs, tz))
    crossings = crossing_days(network, legs, teu, tz)
    return Kpis(
        shipments=n,
        shipments_routed=int(routed["shipment_id"].nunique()),
        shipments_unrouted=n - int(routed["shipment_id"].nunique()),
        shipments_late=int((~routed["on_time"].fillna(True).astype(bool)).sum()),
        weight_t=float(weight_kg.sum()) / 1000.0,
        total_cost_usd=total_cost,
        cost_usd_per_kg=total_cost / routed_kg if routed_kg > 0 else None,
        transit_days_mean=_or_none(transit_days.mean()) if transit_days.size else None,
        transit_days_p95=_or_none(np.percentile(transit_days, 95)) if transit_days.size else None,
        on_time_share=int(summary["on_time"].fillna(False).astype(bool).sum()) / n if n else None,
        co2e_t=co2e_kg / 1000.0,
        co2e_basis=plan.co2e_basis,
        co2e_wtw_t=float(routed["co2e_wtw_kg"].sum()) / 1000.0,
        co2e_ttw_t=None if np.isnan(co2e_ttw_kg).any() else float(co2e_ttw_kg.sum()) / 1000.0,
        tkm=tkm,
        co2e_g_per_tkm=co2e_kg * 1000.0 / tkm if tkm > 0 else None,
        co2_cost_usd=co2e_kg / 1000.0 * co2_price_usd_per_t,
        mode_split_t={str(m): float(kg) / 1000.0 for m, kg in lifted.items()},
        mode_share_tkm={str(m): float(v) / tkm for m, v in tkm_by_mode.items()} if tkm > 0 else {},
        services=services,
        hubs=hubs,
        crossings={f"{hub} {day}": {"trains": trains, "teu": teu, "capacity_teu_day": cap}
                   for hub, day, trains, teu, cap in zip(
                       crossings["hub"].tolist(), crossings["day"].tolist(),
                       crossings["trains"].astype(int).tolist(),
                       crossings["teu"].astype(float).tolist(),
                       crossings["capacity_teu_day"].astype(float).tolist(), strict=True)},
        **_capacity_summary(plan, services, hubs, crossings),
    )


def _service_summary(departures: pd.DataFrame) -> dict[str, ServiceKpis]:
    out: dict[str, ServiceKpis] = {}
    for service_id, group in departures.groupby("service_id", sort=True):
        ratio = group["utilisation"].dropna()
        out[str(service_id)] = ServiceKpis(
            mode=str(group["mode"].iloc[0]),
            departures_used=len(group),
            peak_leg_load_t=float(group["load_kg"].sum() / 1000.0),
            peak_leg_load_teu=float(group["load_teu"].sum()),
            utilisation_mean=float(ratio.mean()) if len(ratio) else None,
            utilisation_max=float(ratio.max()) if len(ratio) else None,
            departures_over_capacity=int((ratio > 1.0 + 1e-9).sum()),
        )
    return out


def _hub_summary(daily: pd.DataFrame) -> dict[str, HubKpis]:
    out: dict[str, HubKpis] = {}
    for hub, group in daily.groupby("hub", sort=True):
        ratio = group["utilisation"].dropna()
        capacity = group["capacity_t_day"].iloc[0]
        out[str(hub)] = HubKpis(
            days_with_traffic=len(group),
            throughput_t=float(group["throughput_t"].sum()),
            throughput_t_day_max=float(group["throughput_t"].max()),
            capacity_t_day=_or_none(capacity),
            utilisation_max=float(ratio.max()) if len(ratio) else None,
            utilisation_mean=float(ratio.mean()) if len(ratio) else None,
            days_over_capacity=int((ratio > 1.0 + 1e-9).sum()),
        )
    return out

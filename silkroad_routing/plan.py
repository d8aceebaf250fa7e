"""A routing plan: one table of shipment-legs and one of shipments, with small typed accessors.

``Plan.legs`` has one row per leg of each route option (a service leg between two consecutive
stops of one departure, or a link); ``Plan.shipments`` has one row per shipment and option
(a single option ``0`` except for the ``pareto`` objective, whose options are ranked earliest
first). A shipment that could not be routed has one ``no route`` row with its reason, and no
legs. Datetimes are timezone-aware UTC; money in USD, emissions in kg CO2e, weights in kg.

Emissions follow ISO 14083:2023 and the GLEC Framework v3 on two bases: ``co2e_wtw_kg``
(well-to-wheel: on board plus the upstream energy) and ``co2e_ttw_kg`` (tank-to-wheel: on board
only; NaN on a leg whose record gives no TTW factor). ``co2e_kg`` is the basis the plan was
priced and chosen on -- ``Plan.co2e_basis``: well-to-wheel (:data:`CO2E_BASIS`) unless
``Costs.co2e_basis`` says ``"TTW"`` -- and the CO2 price, ``generalized_usd``, the ``greenest``
objective and the Pareto front use it.

Leg columns (:data:`LEG_COLUMNS`): ``shipment_id``, ``option``, ``leg`` (order, from 0),
``kind`` (``service`` or ``link`` for a vehicle leg; ``customs`` for an export or import
clearance and ``storage`` for days at a warehouse, shown for shipments under a customs regime
other than ``general``: :mod:`silkroad_routing.routing.customs`), ``mode``, ``from_hub``,
``to_hub``, ``service_id`` and ``departure_id`` (``<service id>@<UTC date of the first-stop
departure>``; empty for links), ``link_id`` (empty for services; a customs leg's clearance,
``import 1210``), ``departure`` and ``arrival`` (the vehicle's), ``freight_usd``
(the leg's tariff), ``handling_usd`` (the transfer before the leg, 0 when staying aboard; on
the last leg also the destination's import terminal charges),
``cost_usd`` (their sum), ``co2e_kg`` (the priced basis, WTW), ``co2e_wtw_kg``, ``co2e_ttw_kg``,
``distance_km`` (as run; an air leg's emissions use it plus 95 km), ``chargeable_kg``.

Shipment columns (:data:`SHIPMENT_COLUMNS`): ``shipment_id``, ``option``, ``routed``,
``status`` (``on time``, ``late`` or ``no route``), ``reason`` (``no path``: no route at all
in the horizon; ``deadline impossible``: no route meets the due date -- a late route is given
when late routes are allowed; ``label cap reached``: the search stopped at its label cap before
finding a route; empty otherwise), ``on_time`` (NA when not routed), ``origin``,
``destination``, ``ready``, ``due``, ``departure`` (first leg), ``arrival`` (freight released
at the destination: after its dwell, import clearance and release), ``hours`` (ready to
arrival), ``cost_usd``, ``co2e_kg``, ``co2e_wtw_kg``, ``co2e_ttw_kg`` (sums over the legs),
``generalized_usd`` (cost + value of time x hours + CO2 price x CO2e), ``weight_kg``,
``chargeable_kg``, ``legs`` (count), ``modes`` (in travel order, consecutive legs of one mode
merged: ``road+rail+road``), ``complete``
(False when the search hit its label cap: the option set may then be incomplete).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, Final

import pandas as pd

LEG_COLUMNS: Final[tuple[str, ...]] = (
    "shipment_id", "option", "leg", "kind", "mode", "from_hub", "to_hub", "service_id",
    "departure_id", "link_id", "departure", "arrival", "freight_usd", "handling_usd", "cost_usd",
    "co2e_kg", "co2e_wtw_kg", "co2e_ttw_kg", "distance_km", "chargeable_kg",
)
SHIPMENT_COLUMNS: Final[tuple[str, ...]] = (
    "shipment_id", "option", "routed", "status", "reason", "on_time", "origin", "destination",
    "ready", "due", "departure", "arrival", "hours", "cost_usd", "co2e_kg", "co2e_wtw_kg",
    "co2e_ttw_kg", "generalized_usd",
    "weight_kg", "chargeable_kg", "legs", "modes", "complete",
)

#: Shipment columns of a plan booked within capacity: ``first_choice`` (the shipment kept the
#: route it would have had alone), ``lost_departure`` (the departure, hub-day or crossing of
#: that route which had no room left; empty if none) and ``capacity_cost_usd`` (what losing it
#: cost: this route's cost minus the first choice's).
CAPACITY_COLUMNS: Final[tuple[str, ...]] = ("first_choice", "lost_departure", "capacity_cost_usd")

#: Kinds of legs: a vehicle's (a service leg, a link) or a stop's (a clearance, storage).
KIND_SERVICE: Final[str] = "service"
KIND_LINK: Final[str] = "link"
KIND_CUSTOMS: Final[str] = "customs"
KIND_STORAGE: Final[str] = "storage"
VEHICLE_KINDS: Final[tuple[str, ...]] = (KIND_SERVICE, KIND_LINK)


def vehicle_legs(legs: pd.DataFrame) -> pd.DataFrame:
    """The rows of a plan's legs table that ride a vehicle (no clearance or storage legs), as
    consolidation, replay, maps and hub throughput read them."""
    if legs.empty or "kind" not in legs.columns:
        return legs
    return legs[legs["kind"].isin(VEHICLE_KINDS)]


#: The default emission basis of ``co2e_kg``, the CO2 price and the ``greenest`` objective
#: (``Costs.co2e_basis`` chooses; a plan names its own in ``Plan.co2e_basis``).
CO2E_BASIS: Final[str] = "WTW"

STATUS_ON_TIME: Final[str] = "on time"
STATUS_LATE: Final[str] = "late"
STATUS_NO_ROUTE: Final[str] = "no route"
REASON_NO_PATH: Final[str] = "no path"
REASON_DEADLINE_IMPOSSIBLE: Final[str] = "deadline impossible"
REASON_LABEL_CAP: Final[str] = "label cap reached"


@dataclass(frozen=True, slots=True)
class Solve:
    """How a plan was solved, when a solver chose it (``assign="optimal"``, network design):
    ``status`` (``optimal`` or ``feasible``), ``objective`` (the total cost, USD), ``bound`` (a
    valid lower bound on the best total cost, USD, of the kind ``bound_kind`` says), ``gap``
    (``(objective - bound) / objective``) and ``wall_time_s``."""

    status: str
    objective: float
    bound: float
    gap: float
    wall_time_s: float
    bound_kind: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """Routes for a set of shipments (see the module docstring for the columns).

    ``objective`` is what was optimised; ``start`` and ``days`` the planning horizon;
    ``capacity`` ``"respect"`` when every shipment was booked within the capacity of
    departures, hubs and border crossings (the shipments table then also has
    :data:`CAPACITY_COLUMNS`), ``"ignore"`` when each was routed as if alone. ``solve`` says
    how a solver chose the plan (None when no solver ran) and ``shadow_prices`` what one more
    unit of each binding capacity is worth (``assign="optimal"``; see
    :func:`silkroad_routing.routing.optimal.shadow_prices`). ``co2e_basis`` is the emission
    basis of ``co2e_kg`` (``"WTW"`` or ``"TTW"``, :class:`~silkroad_routing.Costs`).
    """

    legs: pd.DataFrame
    shipments: pd.DataFrame
    objective: str
    start: datetime
    days: float
    capacity: str = "ignore"
    solve: Solve | None = None
    shadow_prices: pd.DataFrame | None = None
    co2e_basis: str = CO2E_BASIS

    def __len__(self) -> int:
        """Number of shipments planned (routed or not)."""
        return int(self.shipments["shipment_id"].nunique())

    def route_of(self, shipment_id: str, option: int = 0) -> pd.DataFrame:
        """Legs of one shipment's option, in travel order (empty if it was not routed)."""
        legs = self.legs
        return legs[(legs["shipment_id"] == shipment_id) & (legs["option"] == option)]

    def selected(self) -> Plan:
        """One option per shipment: the cheapest on-time option, else the cheapest (the Pareto
        objective keeps several; other objectives already have one)."""
        s = self.shipments
        if not (s["option"] > 0).any():
            return self
        order = s.assign(_late=~s["on_time"].fillna(False).astype(bool)).sort_values(
            ["shipment_id", "_late", "cost_usd", "option"], kind="stable")
        keep = order.drop_duplicates("shipment_id")[["shipment_id", "option"]]
        shipments = s.merge(keep, on=["shipment_id", "option"]).reset_index(drop=True)
        legs = self.legs.merge(keep, on=["shipment_id", "option"]).reset_index(drop=True)
        return replace(self, legs=legs, shipments=shipments)

    def unrouted(self) -> pd.DataFrame:
        """Rows of the shipments that have no route, with the reason."""
        return self.shipments[~self.shipments["routed"]]

    @property
    def n_routed(self) -> int:
        """Number of shipments with at least one route."""
        return int(self.shipments.loc[self.shipments["routed"], "shipment_id"].nunique())

    @property
    def on_time_share(self) -> float:
        """Share of shipments whose selected route arrives by the due date (unrouted count as
        not on time); NaN for an empty plan."""
        chosen = self.selected().shipments
        if chosen.empty:
            return float("nan")
        return float(chosen["on_time"].fillna(False).astype(bool).mean())

    @property
    def total_cost_usd(self) -> float:
        """Cost of the selected routes, USD."""
        return float(self.selected().shipments["cost_usd"].sum())

    @property
    def total_co2e_kg(self) -> float:
        """CO2e of the selected routes, kg."""
        return float(self.selected().shipments["co2e_kg"].sum())

    @property
    def complete(self) -> bool:
        """False if any search hit its label cap (some option sets may be incomplete)."""
        return bool(self.shipments["complete"].all())

    @property
    def summary(self) -> PlanSummary:
        """The headline figures of the selected routes (:class:`PlanSummary`)."""
        chosen = self.selected().shipments
        routed = chosen[chosen["routed"]]
        days = routed["hours"].to_numpy(dtype=float) / 24.0
        n, n_routed = len(self), self.n_routed
        return PlanSummary(
            shipments=n, shipments_routed=n_routed, shipments_unrouted=n - n_routed,
            shipments_late=int((~routed["on_time"].fillna(True).astype(bool)).sum()),
            total_cost_usd=self.total_cost_usd, co2e_kg=self.total_co2e_kg,
            transit_days_mean=float(days.mean()) if days.size else None,
            on_time_share=self.on_time_share if n else None, complete=self.complete)


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """The headline figures of a plan's selected routes; None where undefined: the counts of
    ``shipments``, ``shipments_routed``, ``shipments_unrouted`` and ``shipments_late``,
    ``total_cost_usd``, ``co2e_kg``, ``transit_days_mean`` (ready to arrival, routed shipments),
    ``on_time_share`` (unrouted count as not on time) and ``complete`` (no search hit its label
    cap). The full indicators, with utilisation, are :func:`silkroad_routing.kpi.compute_kpis`."""

    shipments: int
    shipments_routed: int
    shipments_unrouted: int
    shipments_late: int
    total_cost_usd: float
    co2e_kg: float
    transit_days_mean: float | None
    on_time_share: float | None
    complete: bool

    def to_dict(self) -> dict[str, Any]:
        """The figures as a JSON-ready dict of plain values, in field order."""
        return asdict(self)

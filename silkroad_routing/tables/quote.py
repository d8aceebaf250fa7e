"""A quote for one shipment: its route options side by side, each with what it is priced on, and
plain-language notes when the asked-for modes find no route or only a detour.

:func:`quote` routes the shipment for the Pareto set over arrival, cost and CO2e
(``sr.route(objective="pareto", pareto_co2=True)``), so that the fastest, the cheapest and the
greenest option are all in it; ranks them by the objective (on-time options first) and marks
which option is best on each count. The options table (:data:`OPTION_COLUMNS`): ``rank``,
``option``, ``route`` (hubs and modes, one step per vehicle), ``departure`` and ``arrival``
(UTC), ``transit_days``, ``cost_usd``, ``co2e_kg``, ``on_time`` (NA without a due date),
``priced_as`` (``2 FEU``, ``847 kg chargeable``, ``6.0 W/M t``), ``best_for`` (``fastest``,
``cheapest``, ``greenest``, comma separated). ``legs`` has the option's legs as an itinerary
(:mod:`.itinerary`) with an ``option`` column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd
from pyproj import Geod

from ..model import Network, Shipment
from ..plan import Plan, vehicle_legs
from ..routing import route
from ..units import MODES, feu_count, is_full_container_load
from .itinerary import QUANTITY_UNITS, quoted_legs

OPTION_COLUMNS: Final[tuple[str, ...]] = (
    "rank", "option", "route", "departure", "arrival", "transit_days", "cost_usd", "co2e_kg",
    "on_time", "priced_as", "best_for",
)
#: How each objective ranks the options (columns of the plan's shipment table, ascending).
RANK_COLUMNS: Final[dict[str, list[str]]] = {
    "cheapest": ["cost_usd", "arrival"],
    "fastest": ["arrival", "cost_usd"],
    "greenest": ["co2e_kg", "cost_usd", "arrival"],
    "generalized": ["generalized_usd", "arrival"],
    "pareto": ["arrival", "cost_usd"],
}
#: What each "best for" mark minimises.
BEST_FOR: Final[dict[str, str]] = {"fastest": "arrival", "cheapest": "cost_usd",
                                   "greenest": "co2e_kg"}
#: A leg that takes the freight this much farther from its destination (great circle, km), and
#: by more than :data:`DETOUR_SHARE` of the distance it had left, makes the route a detour
#: worth explaining (a feeder calling at the next port down the coast is not one).
DETOUR_KM: Final[float] = 300.0
DETOUR_SHARE: Final[float] = 0.5
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True, slots=True)
class Quote:
    """The options of one shipment (see the module docstring), the notes explaining them, and
    the plan they come from."""

    shipment: Shipment
    options: pd.DataFrame
    legs: pd.DataFrame
    notes: tuple[str, ...]
    plan: Plan

    @property
    def complete(self) -> bool:
        """False if the search hit its label cap (the option set may be incomplete)."""
        return self.plan.complete


def steps(legs: pd.DataFrame) -> list[pd.DataFrame]:
    """The legs of one option grouped by vehicle: one departure of a service, or a run of
    consecutive trucks (the same truck continues through a road hub)."""
    rows = vehicle_legs(legs).reset_index(drop=True)
    link = rows["kind"] == "link"
    new_step = (link & ~link.shift(fill_value=False)) | (
        ~link & (rows["departure_id"] != rows["departure_id"].shift()))
    return [step for _, step in rows.groupby(new_step.cumsum(), sort=False)]


def route_text(legs: pd.DataFrame) -> str:
    """``CNCGO > rail DEDUI > road DEHAM``: the hubs and modes of one option's legs."""
    path = [str(legs["from_hub"].iloc[0])]
    for step in steps(legs):
        first = step.iloc[0]
        path.append(f"{first['mode']} {' '.join(step['to_hub'])}" if first["kind"] == "link"
                    else f"{first['mode']} {step['to_hub'].iloc[-1]}")
    return " > ".join(path)


def priced_as(legs: pd.DataFrame) -> str:
    """What an option's legs charge for, each basis once: ``2 FEU``, ``847 kg chargeable``."""
    seen: dict[str, str] = {}
    for row in legs.itertuples(index=False):
        if row.price_basis not in QUANTITY_UNITS:  # a clearance or storage row
            continue
        text = {"feu": f"{row.quantity:g} FEU", "truck": f"{row.quantity:g} truck(s)",
                "kg_chargeable": f"{row.quantity:,.0f} kg chargeable",
                "kg": f"{row.quantity:,.0f} kg",
                "wm": f"{row.quantity:,.1f} W/M t (part load)"}[row.price_basis]
        seen.setdefault(row.price_basis, text)
    return ", ".join(seen.values())


def _ranked(plan: Plan, objective: str) -> pd.DataFrame:
    options = plan.shipments[plan.shipments["routed"]].copy()
    options["_late"] = ~options["on_time"].fillna(True).astype(bool)
    return options.sort_values(["_late", *RANK_COLUMNS[objective], "option"], kind="stable")


def _km(network: Network, a: str, b: str) -> float:
    ha, hb = network.hub_by_code[a], network.hub_by_code[b]
    return float(_GEOD.inv(ha.lon, ha.lat, hb.lon, hb.lat)[2]) / 1000.0


def detour(network: Network, legs: pd.DataFrame, destination: str) -> str | None:
    """A sentence naming the leg of an option that moves the freight farthest away from its
    destination, if one moves it more than :data:`DETOUR_KM` and :data:`DETOUR_SHARE` of the
    distance it had left; else None."""
    worst, text = DETOUR_KM, None
    for row in legs.itertuples(index=False):
        left = _km(network, row.from_hub, destination)
        away = _km(network, row.to_hub, destination) - left
        if away > worst and away > DETOUR_SHARE * left:
            worst = away
            text = (f"its {row.mode} leg {row.from_hub} -> {row.to_hub} takes the freight "
                    f"{away:,.0f} km farther from {destination}")
    return text


def _mode_notes(network: Network, shipment: Shipment, plan: Plan, objective: str,
                shown: int | None) -> list[str]:
    """Why the allowed modes found no route, or detours: which of the first ``shown`` options
    backtracks, and what the same objective finds with every mode allowed."""
    allowed = ", ".join(sorted(shipment.modes))
    ranked = _ranked(plan, objective).head(shown)
    notes: list[str] = []
    if ranked.empty:
        reason = plan.shipments["reason"].iloc[0] or "no route"
        notes.append(f"no route with modes {allowed} ({reason})")
    for rank, row in enumerate(ranked.itertuples(index=False), start=1):
        legs = plan.route_of(shipment.id, int(row.option))
        why = detour(network, legs, shipment.destination)
        if why is not None:
            notes.append(f"option {rank} ({route_text(legs)}) is a detour: {why}")
    if not notes or shipment.modes == frozenset(MODES):
        return notes
    free = route(network, [shipment.model_copy(update={"modes": frozenset(MODES)})], objective)
    row = free.shipments.iloc[0]
    if row["routed"]:
        legs = free.route_of(shipment.id, int(row["option"]))
        extra = sorted(set(legs["mode"]) - set(shipment.modes))
        notes.append(f"with every mode allowed the {objective} route is {route_text(legs)} "
                     f"({row['hours'] / 24:.1f} days, {row['cost_usd']:,.0f} USD)"
                     + (f"; it needs {', '.join(extra)} (add it to the modes)" if extra else ""))
    return notes


def quote(network: Network, shipment: Shipment, objective: str = "cheapest",
          shown: int | None = None) -> Quote:
    """The options of ``shipment`` ranked by ``objective``, with notes on the first ``shown``
    (default: all; see the module docstring)."""
    plan = route(network, [shipment], objective="pareto", pareto_co2=True)
    ranked = _ranked(plan, objective)
    quoted = quoted_legs(plan.legs, network, [shipment]).assign(option=plan.legs["option"].values)
    rows = []
    for rank, row in enumerate(ranked.itertuples(index=False), start=1):
        legs = plan.route_of(shipment.id, int(row.option))
        rows.append({
            "rank": rank, "option": int(row.option), "route": route_text(legs),
            "departure": row.departure, "arrival": row.arrival, "transit_days": row.hours / 24,
            "cost_usd": row.cost_usd, "co2e_kg": row.co2e_kg, "on_time": row.on_time,
            "priced_as": priced_as(quoted[quoted["option"] == row.option]), "best_for": ""})
    options = pd.DataFrame(rows, columns=list(OPTION_COLUMNS))
    on_time = options[options["on_time"].fillna(True).astype(bool)]
    pool = on_time if len(on_time) else options
    for mark, column in BEST_FOR.items():
        if len(pool):
            at = pool.sort_values([column, "rank"], kind="stable").index[0]
            options.at[at, "best_for"] = ", ".join(filter(None, [options.at[at, "best_for"],
                                                                 mark]))
    return Quote(shipment, options, quoted, tuple(_mode_notes(network, shipment, plan, objective, shown)),
                 plan)


def volume_note(weight_kg: float, volume_m3: float, density_kg_m3: float) -> str | None:
    """A warning when a volume assumed from the weight (``weight / density``) tips the load into
    more containers than the weight alone (or from a part load into a full one): the quote then
    prices space the cargo may not take. None when it does not."""

    def containers(volume: float) -> int:
        full = is_full_container_load(weight_kg, volume)
        return feu_count(weight_kg, volume) if full else 0

    by_volume, by_weight = containers(volume_m3), containers(0.0)
    if by_volume <= by_weight:
        return None
    alone = f"needs {by_weight} FEU" if by_weight else "is a part load"
    return (f"no volume given: assumed {volume_m3:,.1f} m3 ({weight_kg:,.0f} kg at "
            f"{density_kg_m3:g} kg/m3), which needs {by_volume} FEU where the weight alone "
            f"{alone}; give --volume-m3 or --units-feu")

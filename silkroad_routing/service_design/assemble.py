"""A solver's design -> :class:`~.result.Design`: shipments on routes, the Plan, costs, tables.

Shipments of one commodity are interchangeable; they take the commodity's routes in order of
shipment index, then whatever is left is unserved. The Plan's tables come from
:func:`~silkroad_routing.routing.tables.build_tables`, like ``sr.route``'s, and the cost parts
are recomputed from them (not taken from the solver).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from ..compile.problem import Problem
from ..compile.shipments import USE_TEU
from ..kpi import departure_utilisation, hub_day_throughput
from ..plan import REASON_NO_PATH, Plan
from ..routing.tables import Options, build_tables, journey_options
from ..solvers.design import DesignSolution
from ..units import TIME_TOLERANCE_H
from .build import Built
from .result import DEPARTURE_COLUMNS, LATE_COLUMNS, UNSERVED_COLUMNS, Design

#: Reasons written on the plan's rows of shipments the design leaves late or unserved.
REASON_UNSERVED: Final[str] = "unserved"
REASON_LATE: Final[str] = "late in the design"
#: The Plan's objective name for a design.
PLAN_OBJECTIVE: Final[str] = "design"


def _routes(built: Built, solution: DesignSolution) -> tuple[Options, np.ndarray]:
    """Each served shipment's journey (as Options, by shipment) and the unserved mask."""
    pool = solution.pool
    col_k = pool.commodity_array()
    order = np.argsort(built.group, kind="stable")
    starts = np.searchsorted(built.group[order], np.arange(built.problem.n_commodities + 1))
    taken = np.zeros(built.problem.n_commodities, dtype=np.int64)
    shipment_of: dict[int, int] = {}  # shipment -> column
    for j in np.flatnonzero(solution.x > 0.5):
        k = int(col_k[j])
        for _ in range(round(float(solution.x[j]))):
            shipment_of[int(order[starts[k] + taken[k]])] = int(j)
            taken[k] += 1
    ships = np.array(sorted(shipment_of), dtype=np.int64)
    options = journey_options(ships, [pool.journey[shipment_of[int(i)]] for i in ships])
    unserved = np.ones(built.group.size, dtype=bool)
    unserved[ships] = False
    return options, unserved


def assemble(prepared: Problem, built: Built, solution: DesignSolution, *,
             parameters: dict[str, Any]) -> Design:
    """The :class:`Design` of ``solution`` (see the module docstring)."""
    network, tt, arrays = prepared.network, prepared.timetable, prepared.shipments
    problem = built.problem
    options, unserved = _routes(built, solution)
    without_route = np.bincount(solution.pool.commodity_array(),
                                minlength=problem.n_commodities)[built.group] == 0
    reasons = np.where(unserved, np.where(without_route, REASON_NO_PATH, REASON_UNSERVED),
                       REASON_LATE).astype(object)
    legs, table = build_tables(tt, arrays, options, reasons, np.zeros(len(arrays), dtype=bool),
                               problem.co2_price_usd_per_kg, TIME_TOLERANCE_H)
    plan = Plan(legs=legs, shipments=table, objective=PLAN_OBJECTIVE, start=tt.start,
                days=tt.horizon_h / 24.0, co2e_basis=tt.co2e_basis)

    routed = table["routed"].to_numpy(dtype=bool)
    hours = table["hours"].to_numpy(dtype=float)
    due_h = arrays.due_h
    arrival_h = np.where(routed, arrays.ready_h + np.nan_to_num(hours), np.nan)
    late_h = np.where(routed & (arrival_h - due_h > TIME_TOLERANCE_H), arrival_h - due_h, 0.0)
    open_trips = solution.open_trips
    costs = {
        "fixed_usd": float(problem.trip_fixed_usd[open_trips].sum()),
        "freight_usd": float(table.loc[routed, "cost_usd"].sum()),
        "time_usd": float((arrays.vot_usd_per_h * np.where(routed, hours, 0.0)).sum()),
        "lateness_usd": float(problem.lateness_usd_per_t_h * (late_h * arrays.weight_kg).sum()
                              / 1000.0),
        "co2_usd": float(problem.co2_price_usd_per_kg * table.loc[routed, "co2e_kg"].sum()),
        "unserved_usd": float(problem.unserved_usd_per_kg * arrays.weight_kg[~routed].sum()),
    }

    weight = pd.Series(arrays.weight_kg, index=arrays.ids)
    teu = pd.Series(arrays.use[:, USE_TEU], index=arrays.ids, dtype=float)
    loaded = legs.assign(weight_kg=weight.reindex(legs["shipment_id"]).to_numpy())
    utilisation = departure_utilisation(network, loaded, teu)
    hub_days = hub_day_throughput(network, loaded, prepared.tz)

    opened = pd.DataFrame({
        "service_id": pd.Series([tt.service_ids[tt.trip_service[t]] for t in open_trips],
                                dtype=object),
        "departure_id": pd.Series([tt.departure_ids[t] for t in open_trips], dtype=object),
        "departure": (pd.Timestamp(tt.start) + pd.to_timedelta(
            tt.trip_departure_h[open_trips], unit="h")).round("us"),
        "fixed_cost_usd": problem.trip_fixed_usd[open_trips].astype(np.float64)})
    departures = opened.merge(utilisation.drop(columns="service_id"), on="departure_id",
                              how="left")
    departures["mode"] = [str(network.service_by_id[s].mode) for s in departures["service_id"]]
    departures[["load_kg", "load_teu"]] = departures[["load_kg", "load_teu"]].fillna(0.0)

    shipments = table.assign(weight_kg=arrays.weight_kg)
    is_late = routed & (late_h > 0)
    late = shipments.loc[is_late, ["shipment_id", "origin", "destination", "due", "arrival",
                                   "weight_kg"]].assign(
        hours_late=late_h[is_late], penalty_usd=problem.lateness_usd_per_t_h * late_h[is_late]
        * arrays.weight_kg[is_late] / 1000.0)
    left = shipments.loc[~routed, ["shipment_id", "origin", "destination", "ready", "due",
                                   "weight_kg", "reason"]]
    left = left.assign(penalty_usd=problem.unserved_usd_per_kg * left["weight_kg"])
    stats = dict(solution.stats, solver_objective_usd=solution.objective,
                 commodities=problem.n_commodities, shipments=len(arrays))
    return Design(
        departures=departures[list(DEPARTURE_COLUMNS)].reset_index(drop=True),
        candidates=int(problem.trip_optional.sum()), plan=plan, utilisation=utilisation,
        hub_days=hub_days, late=late[list(LATE_COLUMNS)].reset_index(drop=True),
        unserved=left[list(UNSERVED_COLUMNS)].reset_index(drop=True), costs=costs,
        objective=float(sum(costs.values())), bound=solution.bound,
        bound_kind=solution.bound_kind, status=solution.status, wall_time_s=solution.wall_time_s,
        parameters=parameters, stats=stats,
        stopped_by_time_limit=solution.stopped_by_time_limit)

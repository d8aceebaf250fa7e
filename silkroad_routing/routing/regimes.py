"""Routing shipments of several customs regimes: one group per regime, each on its rules.

Shipments are grouped by regime (``general`` first, then in the order of
:class:`~silkroad_routing.model.Regime`). A shipment its regime refuses
(:func:`~silkroad_routing.compile.regimes.regime_refusals`: a 1210 import whose destination is
not a bonded zone, a 9810 export that does not end at an overseas warehouse, ...) is not routed:
it gets a ``no route`` row whose reason names the rule and the hub. The others of a group are
routed on the timetable with their regime's export, acceptance and import rules
(:func:`~silkroad_routing.compile.regimes.regime_timetable`), and the plan of a group other
than ``general`` shows its clearances as legs (:mod:`.customs`).

With capacity respected and sequential assignment the groups book one after the other on one
ledger of capacity left, so that together they never exceed a capacity; within a group the
priority order is the usual one. Optimal assignment solves one set of rules: a plan whose
shipments fall into more than one group is refused (``InputError``).

Only routing reads the regimes: network design, consolidation and the reliability replay work on
the problem's timetable with the general rules (consolidation and replay skip the clearance and
storage legs of a plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from ..compile.problem import Problem
from ..compile.regimes import regime_refusals, regime_timetable
from ..compile.shipments import ShipmentArrays
from ..errors import InputError
from ..model import GENERAL_REGIME, Regime
from ..plan import Plan
from ..units import TIME_TOLERANCE_H
from .customs import with_customs_legs
from .tables import build_tables, concat_options

#: ``route(problem, regime)``: the plan of a problem whose shipments share one regime.
RouteGroup = Callable[[Problem, str], Plan]


def has_regimes(problem: Problem) -> bool:
    """Whether any shipment of ``problem`` is under a regime other than ``general``."""
    return bool((problem.shipments.table.regime != GENERAL_REGIME).any())


def take_arrays(arrays: ShipmentArrays, index: np.ndarray) -> ShipmentArrays:
    """The shipments at ``index`` (in that order), on the same horizon."""
    return ShipmentArrays(
        arrays.table.take(index), arrays.start, arrays.days, arrays.ids[index],
        arrays.origin[index], arrays.destination[index], arrays.ready_h[index],
        arrays.due_h[index], arrays.mode_mask[index], np.ascontiguousarray(arrays.q[index]),
        arrays.weight_kg[index], arrays.chargeable_kg[index], arrays.vot_usd_per_h[index],
        np.ascontiguousarray(arrays.use[index]))


def route_by_regime(problem: Problem, route_group: RouteGroup, *, objective: str,
                    capacity: str, optimal: bool) -> Plan:
    """The plan of every shipment of ``problem``, each group of one regime routed by
    ``route_group`` on its regime's rules (module docstring); ``objective`` and ``capacity``
    label the rows of refused shipments as the routed ones are."""
    arrays = problem.shipments
    table = arrays.table
    refusal = regime_refusals(problem.network, table.origin, table.destination, table.regime,
                              table.mode_mask)
    order = [r.value for r in Regime]
    present = [r for r in order if (table.regime == r).any()]
    groups = [r for r in present if ((table.regime == r) & (refusal == "")).any()]
    if optimal and len(groups) > 1:
        raise InputError("optimal assignment solves one customs regime at a time: route the "
                         "regimes separately or assign sequentially", field="assign",
                         value="optimal")
    plans = []
    for regime in groups:
        members = np.flatnonzero((table.regime == regime) & (refusal == ""))
        sub = replace(problem, timetable=regime_timetable(problem.network, problem.timetable,
                                                          regime),
                      shipments=take_arrays(arrays, members))
        plan = route_group(sub, regime)
        plans.append(plan if regime == GENERAL_REGIME else with_customs_legs(plan, sub, regime))
    refused = np.flatnonzero(refusal != "")
    if refused.size:
        plans.append(_refused_plan(problem, refused, refusal, objective, capacity))
    return _merged(problem, plans)


def _refused_plan(problem: Problem, refused: np.ndarray, refusal: np.ndarray, objective: str,
                  capacity: str) -> Plan:
    """``no route`` rows of the refused shipments, with their reasons."""
    sub = take_arrays(problem.shipments, refused)
    legs, table = build_tables(problem.timetable, sub, concat_options([]),
                               refusal[refused].astype(object),
                               np.zeros(refused.size, dtype=bool),
                               problem.costs.co2_price_usd_per_kg, TIME_TOLERANCE_H)
    if capacity == "respect":
        table = table.assign(first_choice=True, lost_departure="", capacity_cost_usd=0.0)
    return Plan(legs=legs, shipments=table, objective=objective, start=problem.timetable.start,
                days=problem.shipments.days, capacity=capacity)


def _merged(problem: Problem, plans: list[Plan]) -> Plan:
    """One plan of ``plans`` (disjoint shipments), rows in the problem's shipment order."""
    if len(plans) == 1:
        return plans[0]
    position = pd.Series(np.arange(len(problem.shipments)), index=problem.shipments.ids)
    shipments = pd.concat([p.shipments for p in plans if not p.shipments.empty],
                          ignore_index=True)
    shipments = shipments.iloc[np.lexsort((shipments["option"].to_numpy(),
                                           position[shipments["shipment_id"]].to_numpy()))]
    nonempty = [p.legs for p in plans if not p.legs.empty]
    legs = pd.concat(nonempty, ignore_index=True) if nonempty else plans[0].legs
    if not legs.empty:
        legs = legs.iloc[np.lexsort((legs["leg"].to_numpy(), legs["option"].to_numpy(),
                                     position[legs["shipment_id"]].to_numpy()))]
    main = plans[0]
    solved = [p for p in plans if p.solve is not None]
    return Plan(legs=legs.reset_index(drop=True), shipments=shipments.reset_index(drop=True),
                objective=main.objective, start=main.start, days=main.days,
                capacity=main.capacity,
                solve=solved[0].solve if solved else None,
                shadow_prices=solved[0].shadow_prices if solved else None)

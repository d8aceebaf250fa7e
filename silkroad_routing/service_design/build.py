"""A prepared :class:`~silkroad_routing.compile.Problem` -> a
:class:`~silkroad_routing.solvers.design.DesignProblem`.

The problem's timetable has the optional services in (each departure of one is a trip the
design may open at the service's ``fixed_cost_usd_per_run``); its shipments were validated,
priced and timed once, in :func:`~silkroad_routing.compile.prepare`, exactly as for
``sr.route``; identical ones are grouped here
(:mod:`~silkroad_routing.solvers.design.commodities`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..compile.problem import Problem
from ..solvers.design import DesignProblem, group_identical


@dataclass(frozen=True)
class Built:
    """The problem, and what maps it back: per shipment its commodity (``group``)."""

    problem: DesignProblem
    group: NDArray[np.int64]


def build_problem(prepared: Problem, *, optional: bool = True) -> Built:
    """The design problem of a prepared problem. With ``optional`` the timetable's candidate
    services may be opened at their fixed cost (network design); without, every trip in the
    timetable runs and only routes are chosen (capacity-aware assignment)."""
    arrays, tt, costs = prepared.shipments, prepared.timetable, prepared.costs
    first, group = group_identical((
        arrays.origin, arrays.destination, arrays.ready_h, arrays.due_h, arrays.mode_mask,
        arrays.q, arrays.weight_kg, arrays.use, arrays.vot_usd_per_h))
    services = [prepared.network.service_by_id[sid] for sid in tt.service_ids]
    optional = np.array([optional and s.optional for s in services], dtype=bool)
    fixed = np.array([s.fixed_cost_usd_per_run for s in services], dtype=np.float64)
    problem = DesignProblem(
        tt=tt,
        origin=arrays.origin[first], destination=arrays.destination[first],
        ready_h=arrays.ready_h[first], due_h=arrays.due_h[first],
        mode_mask=arrays.mode_mask[first], q=np.ascontiguousarray(arrays.q[first]),
        weight_kg=arrays.weight_kg[first], use=np.ascontiguousarray(arrays.use[first]),
        vot_usd_per_h=arrays.vot_usd_per_h[first],
        count=np.bincount(group, minlength=first.size).astype(np.int64),
        co2_price_usd_per_kg=costs.co2_price_usd_per_kg,
        lateness_usd_per_t_h=costs.lateness_penalty_usd_per_t_h,
        unserved_usd_per_kg=costs.unserved_penalty_usd_per_kg,
        trip_optional=optional[tt.trip_service] if tt.n_trips else np.zeros(0, dtype=bool),
        trip_fixed_usd=fixed[tt.trip_service] if tt.n_trips else np.zeros(0),
        conn_capacity=prepared.conn_capacity,
        hub_capacity_t_day=prepared.hub_capacity_t_day,
        hub_gauge_change=prepared.hub_gauge_change,
        day_start_h=prepared.day_start_h,
        border_teu_day=prepared.hub_crossing_teu_day)
    return Built(problem, group)

"""Capacity-aware routing, optimal: the least total cost over all shipments under every capacity.

``assign="optimal"`` solves the assignment as network design does, with no service to open:
column generation on the master LP with the exact label search as pricing, then a MIP over
the generated routes (:mod:`silkroad_routing.solvers.design`). The objective is the total of
freight and handling, value of time, lateness, the CO2 price and the penalty of unserved
freight (:class:`~silkroad_routing.Costs`); the capacities are those of sequential booking
(:mod:`.capacity`): legs of departures, hub-days and border-days. Every plan reports its status,
the LP's lower bound and the gap, and the shadow prices of the capacities that bind in the LP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from ..compile.problem import Problem
from ..model import SolverParams
from ..plan import REASON_NO_PATH, Solve
from ..solvers.design import solve_design
from ..solvers.design.pricing import Duals
from .capacity import REASON_NO_CAPACITY

if TYPE_CHECKING:
    from ..service_design.result import Design

#: Columns of the shadow-price table: what binds, where, per unit of which resource.
SHADOW_COLUMNS: Final[tuple[str, ...]] = (
    "kind", "where", "departure_id", "resource", "unit", "shadow_price_usd")
#: Dual values below this are taken for zero (USD per unit).
SHADOW_TOL: Final[float] = 1e-7
_RESOURCE_UNIT = (("kg", "kg"), ("teu", "TEU"), ("positions", "position"))


@dataclass(frozen=True, slots=True)
class Optimal:
    """An optimal assignment: the design machinery's result (no service opened) and the
    shadow prices of its LP."""

    design: Design
    shadow_prices: pd.DataFrame


def assign_optimal(problem: Problem, params: SolverParams, max_labels: int) -> Optimal:
    """Solve the capacity-aware assignment of ``problem`` (module docstring)."""
    # service_design builds on routing's tables: imported here, not at the module's top.
    from ..service_design.assemble import assemble
    from ..service_design.build import build_problem

    built = build_problem(problem, optional=False)
    solution = solve_design(built.problem, time_limit_s=params.time_limit_s,
                            mip_gap=params.mip_gap, seed=params.seed, threads=params.threads,
                            solver=params.solver, max_labels=max_labels,
                            max_rounds=params.max_rounds)
    design = assemble(problem, built, solution, parameters={})
    return Optimal(design, shadow_prices(problem, solution.lp_duals))


def solve_summary(design: Design) -> Solve:
    """The plan's record of how it was solved."""
    return Solve(status=design.status_text, objective=design.objective, bound=design.bound,
                 gap=design.gap, wall_time_s=design.wall_time_s, bound_kind=design.bound_kind)


def reasons_of(design: Design) -> pd.Series:
    """The design plan's reasons in routing's words: a shipment the assignment left unserved
    found no capacity (or no path)."""
    from ..service_design.assemble import REASON_UNSERVED

    reasons = design.plan.shipments["reason"]
    return reasons.where(reasons != REASON_UNSERVED, REASON_NO_CAPACITY).where(
        reasons != REASON_NO_PATH, REASON_NO_PATH)


def shadow_prices(problem: Problem, duals: Duals | None) -> pd.DataFrame:
    """USD per extra unit of every capacity that binds in the LP (:data:`SHADOW_COLUMNS`):
    a leg of a departure (per kg, TEU or ULD position), a hub-day (per tonne) or a border-day
    (per TEU); most valuable first."""
    if duals is None:
        return pd.DataFrame(columns=list(SHADOW_COLUMNS))
    tt = problem.timetable
    n_days = problem.day_start_h.shape[0]
    days = pd.Timestamp(tt.start) + pd.to_timedelta(problem.day_start_h, unit="h")
    local = [d.tz_convert(problem.tz).date().isoformat() for d in days]
    rows = []
    for c, r in zip(*np.nonzero(duals.mu > SHADOW_TOL), strict=True):
        resource, unit = _RESOURCE_UNIT[int(r)]
        rows.append(("departure", f"{tt.hub_codes[int(tt.conn_from[c])]}>"
                                  f"{tt.hub_codes[int(tt.conn_to[c])]}",
                     tt.departure_ids[int(tt.conn_trip[c])], resource, unit,
                     float(duals.mu[c, r])))
    for kind, values, resource, unit in (("hub-day", duals.nu, "tonnes", "t"),
                                         ("border-day", duals.lam, "teu", "TEU")):
        for e in np.flatnonzero(values > SHADOW_TOL).tolist():
            hub, day = divmod(e, n_days)
            rows.append((kind, f"{tt.hub_codes[hub]} {local[day]}", "", resource, unit,
                         float(values[e])))
    table = pd.DataFrame(rows, columns=list(SHADOW_COLUMNS))
    return table.sort_values(["shadow_price_usd", "kind", "where", "resource"],
                             ascending=[False, True, True, True], kind="stable").reset_index(
        drop=True)

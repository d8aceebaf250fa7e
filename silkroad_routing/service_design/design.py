"""``sr.design``: which charter flights and extra block trains to run, and every route on them.

The model (:mod:`silkroad_routing.solvers.design`): each departure of an optional service
(one trip of the timetable over the horizon) may be opened at its service's
``fixed_cost_usd_per_run``; every shipment rides one route over always-running and opened
departures, or stays unserved at a penalty per kg. Each leg of a departure carries at most
its capacity (kg and ULD positions for flights, TEU for trains and ships), each hub handles
at most ``capacity_t_day`` tonnes per local day. The objective adds up

* fixed costs of the opened departures,
* tariffs (freight and transfer handling, as ``sr.route`` prices them),
* value of time: ``value_of_time_usd_per_h + declared value x value_of_time_pct_per_year``
  per hour from ready to arrival,
* lateness: ``lateness_penalty_usd_per_t_h`` per tonne and hour past the due time,
* the CO2 price on each route's CO2e,
* ``unserved_penalty_usd_per_kg`` for each kg left unserved.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..compile.problem import Problem, as_problem
from ..compile.shipments import Shipments
from ..core.timetable.labels import DEFAULT_MAX_LABELS
from ..errors import InputError
from ..model import Costs, Network, SolverParams
from ..solvers.design import solve_design
from .assemble import assemble
from .build import build_problem
from .result import Design


def design(
    network: Network | Problem,
    shipments: Shipments | None = None,
    *,
    start: datetime | None = None,
    days: float | None = None,
    costs: Costs | None = None,
    tz: Any = None,
    params: SolverParams | None = None,
    max_labels: int = DEFAULT_MAX_LABELS,
) -> Design:
    """Choose the optional departures to run and route every shipment (module docstring).

    ``network`` and ``shipments`` are prepared with ``start``, ``days``, ``costs`` and ``tz``
    (the time zone of hub-days, UTC by default) as :func:`~silkroad_routing.prepare` does,
    with the candidate services in; or ``network`` is a Problem prepared with
    ``include_optional=True``. Every departure of an optional service in the horizon is a
    candidate. ``costs`` prices time, CO2, lateness and unserved freight; ``params``
    (:class:`~silkroad_routing.SolverParams`) bounds the solve: ``time_limit_s`` (seconds),
    ``mip_gap``, the MIP solver's ``seed`` and ``threads``, ``solver`` (``"highs"`` or
    ``"scip"``), ``max_rounds`` (pricing rounds: a deterministic work limit). ``max_labels``
    caps each label search.

    Returns a :class:`Design` with the objective split into its parts, a valid lower bound
    and the gap. Deterministic for a seed when the time limit cuts no phase short
    (``stopped_by_time_limit`` false). Raises
    :class:`InputError` for bad shipments or parameters.
    """
    params = SolverParams() if params is None else params
    if not isinstance(params, SolverParams):
        raise InputError("must be a SolverParams", field="params", value=type(params).__name__)
    if isinstance(max_labels, bool) or not isinstance(max_labels, int) or max_labels < 1:
        raise InputError("must be an integer from 1 up", field="max_labels", value=max_labels)
    problem = as_problem(network, shipments, start=start, days=days, costs=costs, tz=tz,
                         include_optional=True)
    problem.classes.require_shared(problem.shipments.table.cargo_class, "network design")
    built = build_problem(problem)
    solution = solve_design(built.problem, time_limit_s=params.time_limit_s,
                            mip_gap=params.mip_gap, seed=params.seed, threads=params.threads,
                            solver=params.solver, max_labels=max_labels,
                            max_rounds=params.max_rounds)
    c = problem.costs
    parameters = {
        "time_limit_s": params.time_limit_s, "mip_gap": params.mip_gap, "seed": params.seed,
        "threads": params.threads, "solver": params.solver, "max_rounds": params.max_rounds,
        "value_of_time_usd_per_h": c.value_of_time_usd_per_h,
        "value_of_time_pct_per_year": c.value_of_time_pct_per_year,
        "co2_price_usd_per_t": c.co2_price_usd_per_t,
        "lateness_penalty_usd_per_t_h": c.lateness_penalty_usd_per_t_h,
        "unserved_penalty_usd_per_kg": c.unserved_penalty_usd_per_kg,
        "start": problem.timetable.start.isoformat(), "days": problem.shipments.days}
    return assemble(problem, built, solution, parameters=parameters)

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

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final

import pandas as pd

from ..compile.timetable import compile_timetable
from ..core.timetable.labels import DEFAULT_MAX_LABELS
from ..errors import InputError
from ..model import Network, Shipment
from ..routing.shipments import as_records, shipment_arrays
from ..solvers.design import solve_design
from ..units import AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG
from .assemble import assemble
from .build import build_problem
from .result import Design

#: Defaults of the penalties. A day late costs 2.4 USD per kg: three days late cost more than
#: flying instead of taking the train (air rates in the bundled network are 5.52-6.83 USD per
#: chargeable kg, rail part loads about 1 USD/kg). Leaving a kg unserved costs 20 USD, more than
#: any air rate, so the design serves whatever it can.
DEFAULT_LATENESS_USD_PER_T_H: Final[float] = 100.0
DEFAULT_UNSERVED_USD_PER_KG: Final[float] = 20.0
#: At most this many solver threads (the machines this runs on share their cores).
MAX_THREADS: Final[int] = 2


def _check(name: str, value: float, positive: bool = False) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0
            and (value > 0 or not positive)):
        raise InputError(f"must be a finite {'positive' if positive else 'non-negative'} number",
                         field=name, value=value)


def design(
    network: Network,
    shipments: Iterable[Shipment] | pd.DataFrame,
    *,
    start: datetime | None = None,
    days: float | None = None,
    time_limit_s: float = 60.0,
    mip_gap: float = 1e-4,
    seed: int = 0,
    threads: int = MAX_THREADS,
    value_of_time_usd_per_h: float = 0.0,
    value_of_time_pct_per_year: float = 0.0,
    co2_price_usd_per_t: float = 0.0,
    lateness_penalty_usd_per_t_h: float = DEFAULT_LATENESS_USD_PER_T_H,
    unserved_penalty_usd_per_kg: float = DEFAULT_UNSERVED_USD_PER_KG,
    chargeable_divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
    tz: Any = "UTC",
    solver: str = "highs",
    max_labels: int = DEFAULT_MAX_LABELS,
) -> Design:
    """Choose the optional departures to run and route every shipment (module docstring).

    ``shipments``: :class:`Shipment` records or a DataFrame with their columns. ``start``
    (timezone-aware) and ``days`` set the timetable horizon, as for :func:`sr.route`; every
    departure of an optional service in it is a candidate. ``time_limit_s`` bounds the solve
    (seconds), ``mip_gap`` is the relative gap at which a MIP stops, ``seed`` the MIP
    solver's seed, ``threads`` its threads (at most :data:`MAX_THREADS`), ``solver``
    ``"highs"`` or ``"scip"``. ``tz``: the time zone of hub-days. ``max_labels`` caps each
    label search.

    Returns a :class:`Design` with the objective split into its parts, a valid lower bound
    and the gap. Deterministic for a seed when the time limit cuts no phase short. Raises
    :class:`InputError` for bad shipments or parameters.
    """
    for name, value in (("value_of_time_usd_per_h", value_of_time_usd_per_h),
                        ("value_of_time_pct_per_year", value_of_time_pct_per_year),
                        ("co2_price_usd_per_t", co2_price_usd_per_t),
                        ("lateness_penalty_usd_per_t_h", lateness_penalty_usd_per_t_h),
                        ("unserved_penalty_usd_per_kg", unserved_penalty_usd_per_kg),
                        ("mip_gap", mip_gap)):
        _check(name, value)
    for name, value in (("time_limit_s", time_limit_s),
                        ("chargeable_divisor_cm3_per_kg", chargeable_divisor_cm3_per_kg)):
        _check(name, value, positive=True)
    for name, value, low, high in (("seed", seed, 0, None), ("threads", threads, 1, MAX_THREADS),
                                   ("max_labels", max_labels, 1, None)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (
                high is not None and value > high):
            raise InputError(f"must be an integer from {low}" + (f" to {high}" if high else " up"),
                             field=name, value=value)
    if solver not in ("highs", "scip"):
        raise InputError("unknown solver (use highs or scip)", field="solver", value=solver)
    records = as_records(shipments)
    if start is not None and start.tzinfo is None:
        raise InputError("must carry a timezone", field="start", value=start.isoformat())
    if days is not None and not days > 0:
        raise InputError("must be positive", field="days", value=days)
    arrays = shipment_arrays(records, network, start, days,
                             divisor_cm3_per_kg=chargeable_divisor_cm3_per_kg,
                             value_of_time_usd_per_h=value_of_time_usd_per_h,
                             value_of_time_pct_per_year=value_of_time_pct_per_year)
    tt = compile_timetable(network, arrays.start, arrays.days, include_optional=True)
    built = build_problem(network, tt, arrays, tz=tz,
                          co2_price_usd_per_kg=co2_price_usd_per_t / 1000.0,
                          lateness_usd_per_t_h=lateness_penalty_usd_per_t_h,
                          unserved_usd_per_kg=unserved_penalty_usd_per_kg)
    solution = solve_design(built.problem, time_limit_s=time_limit_s, mip_gap=mip_gap, seed=seed,
                            threads=threads, solver=solver, max_labels=max_labels)
    parameters = {
        "time_limit_s": time_limit_s, "mip_gap": mip_gap, "seed": seed, "threads": threads,
        "solver": solver, "value_of_time_usd_per_h": value_of_time_usd_per_h,
        "value_of_time_pct_per_year": value_of_time_pct_per_year,
        "co2_price_usd_per_t": co2_price_usd_per_t,
        "lateness_penalty_usd_per_t_h": lateness_penalty_usd_per_t_h,
        "unserved_penalty_usd_per_kg": unserved_penalty_usd_per_kg,
        "start": tt.start.isoformat(), "days": arrays.days}
    return assemble(network, tt, arrays, built, solution, tz=tz, parameters=parameters)

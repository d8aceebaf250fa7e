"""``sr.route``: timetable routing of many shipments, batched.

1. The network is expanded over the planning horizon (:func:`compile_timetable`).
2. Every shipment's earliest arrival is computed: shipments to one destination with one mode
   set share one backward profile scan (any origin, any ready time), small groups use a
   forward scan. It tells which shipments have no path and which cannot meet their due date.
3. The objective's search runs per *query*: shipments with the same origin, ready time, mode
   set and size share one exact multi-criteria scan, each getting what it would get alone.

Objectives (ties are broken as stated, so results are deterministic):

* ``fastest``: earliest arrival; among routes arriving then, the cheapest.
* ``cheapest``: least cost arriving by the due date (ties: earliest).
* ``greenest``: least CO2e arriving by the due date (ties: cheapest, then earliest).
* ``generalized``: least cost + value of time x hours (ready to arrival) + CO2 price x CO2e,
  arriving by the due date (ties: earliest).
* ``pareto``: every route not dominated in (arrival, cost) -- or (arrival, cost, CO2e) with
  ``pareto_co2=True`` --, earliest first, due date or not.

A shipment whose due date no route can meet gets the ``fastest`` route, marked late with reason
``deadline impossible`` (or no route with that reason when ``allow_late=False``); one with no
route at all in the horizon is reported with reason ``no path``. None is dropped.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Final, Literal

import numpy as np
import pandas as pd

from ..compile.timetable import Timetable, compile_timetable
from ..core.timetable_batch import route_batch
from ..core.timetable_labels import (
    DEFAULT_MAX_LABELS,
    SELECT_ALL,
    SELECT_GENERALIZED,
    SELECT_MIN_CO2,
    SELECT_MIN_COST,
)
from ..core.timetable_profile import earliest_arrival_profile, evaluate_profile
from ..core.timetable_scan import earliest_arrival
from ..errors import InputError
from ..model import Network, Shipment
from ..plan import REASON_DEADLINE_IMPOSSIBLE, REASON_NO_PATH, Plan
from ..units import AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG
from .shipments import ShipmentArrays, as_records, default_horizon, shipment_arrays
from .tables import Options, build_tables, concat_options

Objective = Literal["cheapest", "fastest", "greenest", "pareto", "generalized"]
OBJECTIVES: Final[tuple[str, ...]] = ("cheapest", "fastest", "greenest", "pareto", "generalized")
#: Shipments to one destination (one mode set) from which a backward profile scan pays off.
PROFILE_MIN_GROUP: Final[int] = 4
#: Targets per kernel call: the progress bar advances between calls.
CHUNK_TARGETS: Final[int] = 2000
#: Slack on deadlines, hours (3.6 ms): the forward and backward scans add the same durations
#: in different orders, so one arrival may come out a few ulps apart.
TIME_TOLERANCE_H: Final[float] = 1e-6


class _Progress:
    """A rich progress bar, or nothing (off, or not a terminal)."""

    def __init__(self, enabled: bool, total: int) -> None:
        self._bar = None
        self.done = 0
        if enabled and total > 0 and sys.stderr.isatty():
            from rich.progress import Progress

            self._bar = Progress(transient=True)
            self._task = self._bar.add_task("routing shipments", total=total)

    @contextmanager
    def running(self) -> Iterator[_Progress]:
        if self._bar is None:
            yield self
            return
        with self._bar:
            yield self

    def advance(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.advance(self._task, n)


def earliest_arrivals(tt: Timetable, arrays: ShipmentArrays,
                      indices: np.ndarray | None = None) -> np.ndarray:
    """Earliest availability (hours, ``inf`` if none) of each shipment at its destination."""
    scan = tt.scan_arrays()
    idx = np.arange(len(arrays)) if indices is None else indices
    out = np.full(len(arrays), np.inf)
    frame = pd.DataFrame({"i": idx, "dest": arrays.destination[idx],
                          "mask": arrays.mode_mask[idx]})
    for (dest, mask), group in frame.groupby(["dest", "mask"], sort=True):
        members = group["i"].to_numpy()
        if len(members) >= PROFILE_MIN_GROUP:
            profile = earliest_arrival_profile(scan, int(dest), float(arrays.ready_h[members].min()),
                                               int(mask))
            out[members] = evaluate_profile(profile, arrays.origin[members],
                                            arrays.ready_h[members])
        else:
            for i in members:
                result = earliest_arrival(scan, int(arrays.origin[i]), float(arrays.ready_h[i]),
                                          int(mask), target=int(dest))
                out[i] = result.hub_arrival_h()[dest]
    return out


def _queries(arrays: ShipmentArrays, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group shipments that can share one search: (query of each member, member order)."""
    keys = np.column_stack((arrays.origin[members], arrays.ready_h[members],
                            arrays.mode_mask[members], arrays.weight_kg[members],
                            arrays.q[members]))
    order = np.lexsort(keys.T[::-1])
    sorted_keys = keys[order]
    new = np.r_[True, np.any(sorted_keys[1:] != sorted_keys[:-1], axis=1)]
    return np.cumsum(new) - 1, members[order]


def _search(tt: Timetable, arrays: ShipmentArrays, members: np.ndarray, deadline_h: np.ndarray,
            select: int, n_criteria: int, co2_price_usd_per_kg: float, max_labels: int,
            progress: _Progress, incomplete: np.ndarray) -> Options:
    """Run one objective pass for ``members`` (deadline per member), batched by query; mark in
    ``incomplete`` the members whose search hit the label cap."""
    if members.size == 0:
        return concat_options([])
    query_of, ordered = _queries(arrays, members)
    deadline_of = dict(zip(members.tolist(), deadline_h.tolist(), strict=True))
    scan = tt.scan_arrays()
    parts = []
    starts = np.flatnonzero(np.r_[True, query_of[1:] != query_of[:-1]])
    bounds = np.r_[starts, len(ordered)]
    first = 0
    while first < len(starts):
        # Whole queries per chunk, about CHUNK_TARGETS targets each.
        last = int(np.searchsorted(bounds, bounds[first] + CHUNK_TARGETS, side="right")) - 1
        last = max(last, first + 1)
        lo, hi = bounds[first], bounds[last]
        chunk = ordered[lo:hi]
        heads = chunk[starts[first:last] - lo]
        ptr = np.r_[starts[first:last] - lo, hi - lo]
        found = route_batch(
            scan, arrays.origin[heads], arrays.ready_h[heads], arrays.mode_mask[heads],
            arrays.q[heads], arrays.weight_kg[heads], ptr, arrays.destination[chunk],
            np.array([deadline_of[i] for i in chunk.tolist()]), arrays.vot_usd_per_h[chunk],
            select=select, n_criteria=n_criteria, co2_price_usd_per_kg=co2_price_usd_per_kg,
            max_labels=max_labels)
        incomplete[chunk] = np.repeat(found.overflow, np.diff(ptr))
        parts.append(Options(chunk[found.target], found.time_h, found.leg_ptr, found.leg_kind,
                             found.leg_ref, found.leg_dep_h, found.leg_arr_h))
        progress.advance(hi - lo)
        first = last
    return concat_options(parts)


def route(
    network: Network,
    shipments: Iterable[Shipment] | pd.DataFrame,
    objective: Objective = "cheapest",
    *,
    start: datetime | None = None,
    days: float | None = None,
    chargeable_divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
    value_of_time_usd_per_h: float = 0.0,
    value_of_time_pct_per_year: float = 0.0,
    co2_price_usd_per_t: float = 0.0,
    pareto_co2: bool = False,
    include_optional: bool = False,
    allow_late: bool = True,
    max_labels: int = DEFAULT_MAX_LABELS,
    progress: bool = False,
) -> Plan:
    """Route shipments on the network's timetable; one Plan row per shipment-leg.

    ``shipments``: :class:`Shipment` records, or a DataFrame with their columns (``modes`` as
    ``"rail;road"``). ``start`` (timezone-aware) and ``days`` set the planning horizon;
    by default it starts at UTC midnight before the earliest ready time and runs 60 days past
    the latest ready or due time. Air prices use chargeable weight with
    ``chargeable_divisor_cm3_per_kg``. The value of time of a shipment, USD per hour, is
    ``value_of_time_usd_per_h + declared_value_usd * value_of_time_pct_per_year / 100 / 8760``;
    with ``co2_price_usd_per_t`` it defines the ``generalized`` cost (and its column in the
    plan). ``include_optional`` lets candidate services (charters) run. ``max_labels`` caps each
    search; a capped search is flagged ``complete = False``, never hidden. ``progress`` shows a
    progress bar on a terminal.

    Raises :class:`InputError` for bad shipments (naming row, field and value) or parameters.
    """
    if objective not in OBJECTIVES:
        raise InputError(f"unknown objective (use one of {', '.join(OBJECTIVES)})",
                         field="objective", value=objective)
    for name, value in (("chargeable_divisor_cm3_per_kg", chargeable_divisor_cm3_per_kg),
                        ("value_of_time_usd_per_h", value_of_time_usd_per_h),
                        ("value_of_time_pct_per_year", value_of_time_pct_per_year),
                        ("co2_price_usd_per_t", co2_price_usd_per_t)):
        if not (math.isfinite(value) and value >= 0) or (
                name == "chargeable_divisor_cm3_per_kg" and value == 0):
            raise InputError("must be finite and non-negative (the divisor positive)",
                             field=name, value=value)
    if max_labels < 1:
        raise InputError("must be at least 1", field="max_labels", value=max_labels)
    records = as_records(shipments)
    default_start, default_days = default_horizon(records)
    if start is not None and start.tzinfo is None:
        raise InputError("must carry a timezone", field="start", value=start.isoformat())
    start = default_start if start is None else start
    days = default_days if days is None else days
    if not days > 0:
        raise InputError("must be positive", field="days", value=days)
    tt = compile_timetable(network, start, days, include_optional=include_optional)
    arrays = shipment_arrays(records, network, tt.start, days,
                             divisor_cm3_per_kg=chargeable_divisor_cm3_per_kg,
                             value_of_time_usd_per_h=value_of_time_usd_per_h,
                             value_of_time_pct_per_year=value_of_time_pct_per_year)
    co2_price_usd_per_kg = co2_price_usd_per_t / 1000.0
    n = len(arrays)
    ea = earliest_arrivals(tt, arrays)
    reachable = np.isfinite(ea)
    impossible = reachable & (ea > arrays.due_h + TIME_TOLERANCE_H)
    reasons = np.where(~reachable, REASON_NO_PATH,
                       np.where(impossible, REASON_DEADLINE_IMPOSSIBLE, "")).astype(object)
    everyone = np.arange(n)
    fastest = everyone[reachable] if objective in ("fastest", "pareto") else everyone[impossible]
    bar = _Progress(progress, n)
    incomplete = np.zeros(n, dtype=bool)
    parts = []
    with bar.running():
        if objective == "pareto":
            parts.append(_search(tt, arrays, fastest, np.full(fastest.size, np.inf), SELECT_ALL,
                                 3 if pareto_co2 else 2, 0.0, max_labels, bar, incomplete))
        elif objective != "fastest":
            select, n_criteria, price = {
                "cheapest": (SELECT_MIN_COST, 2, 0.0),
                "greenest": (SELECT_MIN_CO2, 3, 0.0),
                "generalized": (SELECT_GENERALIZED, 2, co2_price_usd_per_kg),
            }[objective]
            main = everyone[reachable & ~impossible]
            parts.append(_search(tt, arrays, main, arrays.due_h[main] + TIME_TOLERANCE_H, select,
                                 n_criteria, price, max_labels, bar, incomplete))
            fastest = fastest if allow_late else fastest[:0]
        if objective != "pareto":
            # Earliest arrival, cheapest among the routes arriving then.
            parts.append(_search(tt, arrays, fastest, ea[fastest] + TIME_TOLERANCE_H,
                                 SELECT_MIN_COST, 2, 0.0, max_labels, bar, incomplete))
        bar.advance(n - bar.done)  # shipments without a path
    legs, table = build_tables(tt, arrays, concat_options(parts), reasons, incomplete,
                               co2_price_usd_per_kg, TIME_TOLERANCE_H)
    return Plan(legs=legs, shipments=table, objective=objective, start=tt.start, days=float(days))

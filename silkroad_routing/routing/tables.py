"""Journeys (kernel arrays) -> the Plan's leg and shipment tables, vectorised.

Leg prices are recomputed from the timetable's rate vectors and the shipment's quantities (a
service leg's fare, the transfer handling before it unless the freight stays aboard; the last
leg's handling also holds the destination's import terminal charges), so the tables do not
depend on how a kernel accumulated its labels. A shipment's arrival is its release at the
destination: the kernels' arrival plus the destination's import clearance and release
(``Timetable.release_h``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..compile.classes import ClassViews
from ..compile.shipments import ShipmentArrays
from ..compile.timetable import Timetable
from ..core.timetable.arrays import KIND_CONNECTION, START
from ..plan import (
    LEG_COLUMNS,
    REASON_LABEL_CAP,
    SHIPMENT_COLUMNS,
    STATUS_LATE,
    STATUS_NO_ROUTE,
    STATUS_ON_TIME,
)
from ..solvers.design.columns import Journey
from ..units import MODES


@dataclass(frozen=True, slots=True)
class Options:
    """Route options of many shipments: per option the shipment index and the time freight is
    available at the destination (hours); legs as CSR (``leg_ptr``) with kind,
    connection/link index and vehicle times (hours)."""

    shipment: np.ndarray
    time_h: np.ndarray
    leg_ptr: np.ndarray
    leg_kind: np.ndarray
    leg_ref: np.ndarray
    leg_dep_h: np.ndarray
    leg_arr_h: np.ndarray


def take_options(options: Options, index: np.ndarray) -> Options:
    """The options at ``index`` (in that order), with their legs."""
    lengths = np.diff(options.leg_ptr)[index]
    starts = options.leg_ptr[:-1][index]
    leg_ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    take = (np.repeat(starts - leg_ptr[:-1], lengths) + np.arange(leg_ptr[-1])).astype(np.int64)
    return Options(options.shipment[index], options.time_h[index], leg_ptr,
                   options.leg_kind[take], options.leg_ref[take], options.leg_dep_h[take],
                   options.leg_arr_h[take])


def journey_options(ships: NDArray[np.int64], journeys: Sequence[Journey]) -> Options:
    """One option per shipment ``ships[i]``: the route ``journeys[i]``."""
    lengths = np.array([j.kind.size for j in journeys], dtype=np.int64)

    def cat(name: str, dtype: type) -> np.ndarray:
        parts = [getattr(j, name) for j in journeys]
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    return Options(np.asarray(ships, dtype=np.int64),
                   np.array([j.time_h for j in journeys], dtype=np.float64),
                   np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
                   cat("kind", np.int64), cat("ref", np.int64), cat("dep_h", np.float64),
                   cat("arr_h", np.float64))


def concat_options(parts: list[Options]) -> Options:
    """Options of several passes (each shipment in one of them) as one set, by shipment."""
    empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0)
    parts = [p for p in parts if p.shipment.size] or [
        Options(empty_i, empty_f, np.zeros(1, np.int64), empty_i, empty_i, empty_f, empty_f)]
    offsets = np.cumsum([0] + [int(p.leg_ptr[-1]) for p in parts[:-1]])
    joined = Options(
        np.concatenate([p.shipment for p in parts]), np.concatenate([p.time_h for p in parts]),
        np.concatenate([[0]] + [p.leg_ptr[1:] + off for p, off in zip(parts, offsets,
                                                                        strict=True)]),
        np.concatenate([p.leg_kind for p in parts]), np.concatenate([p.leg_ref for p in parts]),
        np.concatenate([p.leg_dep_h for p in parts]),
        np.concatenate([p.leg_arr_h for p in parts]))
    # Each shipment's options come from one pass, earliest first: a stable sort keeps them so.
    return take_options(joined, np.argsort(joined.shipment, kind="stable"))


def _text(values: np.ndarray) -> pd.Series:
    # Python strings in an object column: no conversion cost, one dtype whatever the length.
    return pd.Series(values, dtype=object)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MODE_NAMES: Final[np.ndarray] = np.array([str(m) for m in MODES], dtype=object)


def _datetimes(tt: Timetable, hours: np.ndarray) -> pd.Series:
    """Hours from the horizon start as UTC datetimes to the microsecond (float hours carry
    sub-microsecond noise); non-finite hours become NaT."""
    ok = np.isfinite(hours)
    us = np.full(hours.shape[0], np.iinfo(np.int64).min, dtype=np.int64)  # the NaT value
    start_us = (tt.start - _EPOCH) // timedelta(microseconds=1)
    us[ok] = np.round(hours[ok] * 3.6e9).astype(np.int64) + start_us
    return pd.Series(pd.DatetimeIndex(us.view("datetime64[us]")).tz_localize("UTC"))


def _mode_sequences(leg_opt: np.ndarray, mode: np.ndarray, is_first: np.ndarray, n_opt: int,
                    mode_names: np.ndarray) -> np.ndarray:
    """Per option its modes in travel order, repeats of consecutive legs merged
    (``road+rail+road``). Vectorised: each sequence is coded in base ``len(MODES) + 1``."""
    base = len(MODES) + 1
    prev = np.maximum(np.arange(mode.shape[0]) - 1, 0)
    keep = np.flatnonzero(is_first | (mode != mode[prev]))
    opt = leg_opt[keep]
    rank = np.arange(keep.shape[0]) - np.searchsorted(opt, opt)
    if rank.size and rank.max() >= 27:  # beyond int64: never in practice, still exact
        return np.array(["+".join(mode_names[mode[keep[opt == k]]]) for k in range(n_opt)],
                        dtype=object)
    digits = (mode[keep] + 1) * base ** rank
    code = np.add.reduceat(digits, np.searchsorted(opt, np.arange(n_opt))) if n_opt else digits
    names = {}
    for value in np.unique(code).tolist():
        parts, rest = [], value
        while rest:
            rest, digit = divmod(rest, base)
            parts.append(str(mode_names[digit - 1]))
        names[value] = "+".join(parts)
    return np.array([names[c] for c in code.tolist()], dtype=object)


def _release(tt: Timetable, options: Options, mode: np.ndarray, to_hub: np.ndarray,
             q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per option the destination's import clearance and release: hours after arrival, and its
    terminal charges (USD), by the mode of the last leg (none for an option without legs)."""
    has_legs = np.diff(options.leg_ptr) > 0
    last = np.maximum(options.leg_ptr[1:] - 1, 0)
    hours = np.zeros(options.shipment.shape[0])
    usd = np.zeros(options.shipment.shape[0])
    if last.size and mode.size:
        hub, last_mode = to_hub[last], mode[last]
        hours = np.where(has_legs, tt.release_h[hub, last_mode], 0.0)
        usd = np.where(has_legs, np.einsum("ij,ij->i", tt.release_rate[hub, last_mode], q[last]), 0.0)
    return hours, usd


class _LegValues(NamedTuple):
    """Per option its number among its shipment's options (``rank``) and its release at the
    destination (``released_h``, hours); per leg of every option: its option, mode, whether it
    is its option's first leg, its cost (freight plus handling, USD) and CO2e (kg, WTW and
    TTW)."""

    rank: np.ndarray
    released_h: np.ndarray
    option: np.ndarray
    mode: np.ndarray
    is_first: np.ndarray
    cost: np.ndarray
    co2e_wtw_kg: np.ndarray
    co2e_ttw_kg: np.ndarray


def build_tables(
    tt: Timetable, arrays: ShipmentArrays, options: Options, reasons: np.ndarray,
    incomplete: np.ndarray, co2_price_usd_per_kg: float, time_tolerance_h: float,
    *, classes: ClassViews | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The leg and shipment tables of a plan.

    ``classes`` (the problem's cargo-class views) adds each class's surcharges and extra
    handling to the legs of its shipments (:meth:`~silkroad_routing.compile.classes.ClassView.
    extra_usd`).

    ``incomplete`` marks the shipments whose search hit its label cap (``complete`` False);
    one left without an option gets the reason :data:`REASON_LABEL_CAP`.
    An option is on time when it arrives no later than the due date plus
    ``time_tolerance_h``.
    ``reasons`` (one string per shipment, empty when a route within the due date was possible)
    is the reason written on late and unrouted rows.
    """
    rank = _option_rank(options.shipment)
    legs, values = _leg_table(tt, arrays, options, rank, classes)
    shipments = _shipment_table(tt, arrays, options, values, reasons, incomplete,
                                co2_price_usd_per_kg, time_tolerance_h)
    return legs, shipments


def _option_rank(shipment: np.ndarray) -> np.ndarray:
    """Each option's number among its shipment's options (0 first); options come by shipment."""
    n_opt = shipment.shape[0]
    if not n_opt:
        return np.zeros(0, dtype=np.int64)
    new = np.r_[True, shipment[1:] != shipment[:-1]]
    group_start = np.maximum.accumulate(np.where(new, np.arange(n_opt), 0))
    return np.arange(n_opt) - group_start


def _leg_table(tt: Timetable, arrays: ShipmentArrays, options: Options, rank: np.ndarray,
               classes: ClassViews | None = None) -> tuple[pd.DataFrame, _LegValues]:
    """The leg table, and the per-leg values the shipment table sums."""
    n_opt = options.shipment.shape[0]
    lengths = np.diff(options.leg_ptr)
    leg_opt = np.repeat(np.arange(n_opt), lengths)
    leg_ship = options.shipment[leg_opt]
    leg_order = np.arange(options.leg_ptr[-1]) - np.repeat(options.leg_ptr[:-1], lengths)
    kind = options.leg_kind
    ref = options.leg_ref
    conn = kind == KIND_CONNECTION

    # One index into the connection table followed by the link table.
    at = np.where(conn, ref, tt.n_connections + ref)

    def pick(conn_values: np.ndarray, link_values: np.ndarray) -> np.ndarray:
        # Per leg: the connection's value or the link's.
        return np.concatenate((conn_values, link_values.astype(conn_values.dtype)))[at]

    link_from = np.repeat(np.arange(tt.n_hubs), np.diff(tt.link_indptr))
    mode = pick(tt.conn_mode, tt.link_mode)
    from_hub = pick(tt.conn_from, link_from)
    to_hub = pick(tt.conn_to, tt.link_to)
    q = arrays.q[leg_ship]
    freight = np.einsum("ij,ij->i", pick(tt.conn_rate, tt.link_rate), q)
    # Handling before a leg: from the previous leg's mode (START for the first), none aboard.
    is_first = leg_order == 0
    prev = np.maximum(np.arange(kind.shape[0]) - 1, 0)
    prev_state = np.where(is_first, START, mode[prev])
    next_conn = pick(tt.conn_next, np.full(tt.n_links, -2, dtype=np.int64))
    aboard = ~is_first & conn & conn[prev] & (next_conn[prev] == ref)
    handling = np.einsum("ij,ij->i", tt.transfer_rate[from_hub, prev_state, mode], q)
    handling = np.where(aboard, 0.0, handling)
    if classes is not None and kind.size:
        leg_class = arrays.table.cargo_class[leg_ship]
        for cls in sorted(set(leg_class.tolist())):
            view = classes.view(cls)
            if view.changed:
                rows = np.flatnonzero(leg_class == cls)
                extra_freight, extra_handling = view.extra_usd(
                    conn[rows], ref[rows], from_hub[rows], ~aboard[rows], q[rows])
                freight[rows] += extra_freight
                handling[rows] += extra_handling
    release_h, release_usd = _release(tt, options, mode, to_hub, q)
    handling[options.leg_ptr[1:][lengths > 0] - 1] += release_usd[lengths > 0]
    cost = freight + handling
    co2 = np.einsum("ij,ij->i", pick(tt.conn_co2e_rate, tt.link_co2e_rate), q)
    co2_ttw = np.einsum("ij,ij->i", pick(tt.conn_co2e_ttw_rate, tt.link_co2e_ttw_rate), q)
    no_link = np.full(tt.n_connections, -1, dtype=np.int64)
    no_conn = np.full(tt.n_links, -1, dtype=np.int64)
    codes = np.array(tt.hub_codes, dtype=object)
    service_ids = np.array((*tt.service_ids, ""), dtype=object)
    departure_ids = np.array((*tt.departure_ids, ""), dtype=object)
    link_ids = np.array((*tt.link_ids, ""), dtype=object)
    legs = pd.DataFrame({
        "shipment_id": _text(arrays.ids[leg_ship]),
        "option": rank[leg_opt],
        "leg": leg_order,
        "kind": _text(np.where(conn, "service", "link")),
        "mode": _text(_MODE_NAMES[mode]),
        "from_hub": _text(codes[from_hub]),
        "to_hub": _text(codes[to_hub]),
        "service_id": _text(service_ids[pick(tt.conn_service, no_conn)]),
        "departure_id": _text(departure_ids[pick(tt.conn_trip, no_conn)]),
        "link_id": _text(link_ids[pick(no_link, tt.link_ref)]),
        "departure": _datetimes(tt, options.leg_dep_h),
        "arrival": _datetimes(tt, options.leg_arr_h),
        "freight_usd": freight,
        "handling_usd": handling,
        "cost_usd": cost,
        "co2e_kg": co2_ttw if tt.co2e_basis == "TTW" else co2,
        "co2e_wtw_kg": co2,
        "co2e_ttw_kg": co2_ttw,
        "distance_km": pick(tt.conn_km, tt.link_km),
        "chargeable_kg": arrays.chargeable_kg[leg_ship],
    }, columns=list(LEG_COLUMNS))
    return legs, _LegValues(rank, options.time_h + release_h, leg_opt, mode, is_first, cost, co2,
                            co2_ttw)


def _shipment_table(
    tt: Timetable, arrays: ShipmentArrays, options: Options, legs: _LegValues,
    reasons: np.ndarray, incomplete: np.ndarray, co2_price_usd_per_kg: float,
    time_tolerance_h: float,
) -> pd.DataFrame:
    """Routed options, then one "no route" row per shipment without any; sorted by shipment."""
    n_opt = options.shipment.shape[0]
    lengths = np.diff(options.leg_ptr)

    def per_option(values: np.ndarray) -> np.ndarray:
        return np.bincount(legs.option, weights=values, minlength=n_opt)

    ship = options.shipment
    has_option = np.zeros(len(arrays), dtype=bool)
    has_option[ship] = True
    missing = np.flatnonzero(~has_option)
    n_missing = missing.shape[0]
    on_time = legs.released_h <= arrays.due_h[ship] + time_tolerance_h
    hours = legs.released_h - arrays.ready_h[ship]
    nan = np.full(n_missing, np.nan)
    row_ship = np.concatenate((ship, missing))
    order = np.argsort(row_ship, kind="stable")
    s = row_ship[order]

    def rows(routed: np.ndarray, unrouted: np.ndarray) -> np.ndarray:
        return np.concatenate((routed, unrouted))[order]

    status = rows(np.where(on_time, STATUS_ON_TIME, STATUS_LATE).astype(object),
                  np.full(n_missing, STATUS_NO_ROUTE, dtype=object))
    reason = rows(np.where(on_time, "", reasons[ship]).astype(object),
                  np.where(incomplete[missing] & (reasons[missing] == ""), REASON_LABEL_CAP,
                           reasons[missing]).astype(object))
    routed = rows(np.ones(n_opt, bool), np.zeros(n_missing, bool))
    cost_usd = rows(per_option(legs.cost), nan)
    co2e_wtw_kg = rows(per_option(legs.co2e_wtw_kg), nan)
    co2e_ttw_kg = rows(per_option(legs.co2e_ttw_kg), nan)
    co2e_kg = co2e_ttw_kg if tt.co2e_basis == "TTW" else co2e_wtw_kg  # the priced basis
    hours_all = rows(hours, nan)
    codes = np.array(tt.hub_codes, dtype=object)
    first = options.leg_ptr[:-1]
    shipments = pd.DataFrame({
        "shipment_id": _text(arrays.ids[s]),
        "option": rows(legs.rank, np.zeros(n_missing, np.int64)),
        "routed": routed,
        "status": _text(status),
        "reason": _text(reason),
        "on_time": pd.array(rows(on_time, np.zeros(n_missing, bool)), dtype="boolean"),
        "origin": _text(codes[arrays.origin[s]]),
        "destination": _text(codes[arrays.destination[s]]),
        "ready": _datetimes(tt, arrays.ready_h[s]),
        "due": _datetimes(tt, arrays.due_h[s]),
        "departure": _datetimes(tt, rows(options.leg_dep_h[first] if n_opt else np.zeros(0),
                                         nan)),
        "arrival": _datetimes(tt, rows(legs.released_h, nan)),
        "hours": hours_all,
        "cost_usd": cost_usd,
        "co2e_kg": co2e_kg,
        "co2e_wtw_kg": co2e_wtw_kg,
        "co2e_ttw_kg": co2e_ttw_kg,
        "generalized_usd": cost_usd + arrays.vot_usd_per_h[s] * hours_all
        + co2_price_usd_per_kg * co2e_kg,
        "weight_kg": arrays.weight_kg[s],
        "chargeable_kg": arrays.chargeable_kg[s],
        "legs": rows(lengths, np.zeros(n_missing, np.int64)),
        "modes": _text(rows(_mode_sequences(legs.option, legs.mode, legs.is_first, n_opt,
                                            _MODE_NAMES),
                            np.full(n_missing, "", dtype=object))),
        "complete": ~incomplete[s],
    }, columns=list(SHIPMENT_COLUMNS))
    shipments.loc[~routed, "on_time"] = pd.NA
    return shipments

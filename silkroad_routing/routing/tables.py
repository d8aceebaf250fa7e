"""Journeys (kernel arrays) -> the Plan's leg and shipment tables, vectorised.

Leg prices are recomputed from the timetable's rate vectors and the shipment's quantities (a
service leg's fare, the transfer handling before it unless the freight stays aboard), so the
tables do not depend on how a kernel accumulated its labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..compile.timetable import Timetable
from ..core.timetable_arrays import KIND_CONNECTION, START
from ..plan import (
    LEG_COLUMNS,
    REASON_LABEL_CAP,
    SHIPMENT_COLUMNS,
    STATUS_LATE,
    STATUS_NO_ROUTE,
    STATUS_ON_TIME,
)
from ..units import MODES
from .shipments import ShipmentArrays


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


def concat_options(parts: list[Options]) -> Options:
    """Options of several passes as one set, sorted by shipment then time (stable)."""
    if not parts:
        empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0)
        return Options(empty_i, empty_f, np.zeros(1, np.int64), empty_i, empty_i, empty_f,
                       empty_f)
    shipment = np.concatenate([p.shipment for p in parts])
    time_h = np.concatenate([p.time_h for p in parts])
    lengths = np.concatenate([np.diff(p.leg_ptr) for p in parts])
    starts = np.concatenate([p.leg_ptr[:-1] + off for p, off in zip(
        parts, np.cumsum([0] + [p.leg_ptr[-1] for p in parts[:-1]]), strict=True)])
    kind = np.concatenate([p.leg_kind for p in parts])
    ref = np.concatenate([p.leg_ref for p in parts])
    dep = np.concatenate([p.leg_dep_h for p in parts])
    arr = np.concatenate([p.leg_arr_h for p in parts])
    order = np.lexsort((time_h, shipment))
    lengths = lengths[order]
    leg_ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    take = (np.repeat(starts[order] - leg_ptr[:-1], lengths) + np.arange(leg_ptr[-1])
            ).astype(np.int64)
    return Options(shipment[order], time_h[order], leg_ptr, kind[take], ref[take], dep[take],
                   arr[take])


def _text(values: np.ndarray) -> pd.Series:
    # One string dtype whatever the length (pandas infers differently for empty columns).
    return pd.Series(values, dtype="str")


def _datetimes(tt: Timetable, hours: np.ndarray) -> pd.Series:
    # Hours from the horizon start as UTC datetimes; non-finite hours become NaT.
    finite = np.where(np.isfinite(hours), hours, np.nan)
    return pd.Series(pd.Timestamp(tt.start) + pd.to_timedelta(finite, unit="h"))


def build_tables(
    tt: Timetable, arrays: ShipmentArrays, options: Options, reasons: np.ndarray,
    incomplete: np.ndarray, co2_price_usd_per_kg: float, time_tolerance_h: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The leg and shipment tables of a plan.

    ``incomplete`` marks the shipments whose search hit its label cap (``complete`` False);
    one left without an option gets the reason :data:`REASON_LABEL_CAP`.
    An option is on time when it arrives no later than the due date plus
    ``time_tolerance_h``.
    ``reasons`` (one string per shipment, empty when a route within the due date was possible)
    is the reason written on late and unrouted rows.
    """
    n_opt = options.shipment.shape[0]
    lengths = np.diff(options.leg_ptr)
    leg_opt = np.repeat(np.arange(n_opt), lengths)
    leg_ship = options.shipment[leg_opt]
    first = options.leg_ptr[:-1]
    leg_order = np.arange(options.leg_ptr[-1]) - np.repeat(first, lengths)
    rank = np.zeros(n_opt, dtype=np.int64)
    if n_opt:
        new = np.r_[True, options.shipment[1:] != options.shipment[:-1]]
        group_start = np.maximum.accumulate(np.where(new, np.arange(n_opt), 0))
        rank = np.arange(n_opt) - group_start

    kind = options.leg_kind
    ref = options.leg_ref
    conn = kind == KIND_CONNECTION

    def pick(conn_values: np.ndarray, link_values: np.ndarray) -> np.ndarray:
        # Per leg: the connection's value or the link's (either table may be empty).
        out = np.zeros((kind.shape[0], *conn_values.shape[1:]), dtype=conn_values.dtype)
        out[conn] = conn_values[ref[conn]]
        out[~conn] = link_values[ref[~conn]]
        return out

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
    cost = freight + handling
    co2 = pick(tt.conn_co2e_kg_per_kg, tt.link_co2e_kg_per_kg) * arrays.weight_kg[leg_ship]
    km = pick(tt.conn_km, tt.link_km)
    no_link = np.full(tt.n_connections, -1, dtype=np.int64)
    no_conn = np.full(tt.n_links, -1, dtype=np.int64)
    ids = np.array([s.id for s in arrays.records], dtype=object)
    codes = np.array(tt.hub_codes, dtype=object)
    mode_names = np.array([str(m) for m in MODES], dtype=object)
    service_ids = np.array((*tt.service_ids, ""), dtype=object)
    departure_ids = np.array((*tt.departure_ids, ""), dtype=object)
    link_ids = np.array((*tt.link_ids, ""), dtype=object)
    legs = pd.DataFrame({
        "shipment_id": _text(ids[leg_ship]),
        "option": rank[leg_opt],
        "leg": leg_order,
        "kind": _text(np.where(conn, "service", "link")),
        "mode": _text(mode_names[mode]),
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
        "co2e_kg": co2,
        "distance_km": km,
        "chargeable_kg": arrays.chargeable_kg[leg_ship],
    }, columns=list(LEG_COLUMNS))

    def per_option(values: np.ndarray) -> np.ndarray:
        return np.bincount(leg_opt, weights=values, minlength=n_opt)

    opt_cost = per_option(cost)
    opt_co2 = per_option(co2)
    ship = options.shipment
    hours = options.time_h - arrays.ready_h[ship]
    due = arrays.due_h[ship]
    on_time = options.time_h <= due + time_tolerance_h
    modes = ["+".join(dict.fromkeys(mode_names[mode[a:b]]))
             for a, b in zip(options.leg_ptr[:-1], options.leg_ptr[1:], strict=True)]
    routed_rows = pd.DataFrame({
        "shipment": ship,
        "option": rank,
        "routed": True,
        "status": np.where(on_time, STATUS_ON_TIME, STATUS_LATE),
        "reason": np.where(on_time, "", reasons[ship]),
        "on_time": on_time,
        "departure_h": options.leg_dep_h[first] if n_opt else np.zeros(0),
        "arrival_h": options.time_h,
        "hours": hours,
        "cost_usd": opt_cost,
        "co2e_kg": opt_co2,
        "generalized_usd": opt_cost + arrays.vot_usd_per_h[ship] * hours
        + co2_price_usd_per_kg * opt_co2,
        "legs": lengths,
        "modes": modes,
        "complete": ~incomplete[ship],
    })
    missing = np.setdiff1d(np.arange(len(arrays)), ship)
    unrouted_rows = pd.DataFrame({
        "shipment": missing,
        "option": 0,
        "routed": False,
        "status": STATUS_NO_ROUTE,
        "reason": np.where(incomplete[missing] & (reasons[missing] == ""), REASON_LABEL_CAP,
                           reasons[missing]),
        "on_time": pd.NA,
        "departure_h": np.nan,
        "arrival_h": np.nan,
        "hours": np.nan,
        "cost_usd": np.nan,
        "co2e_kg": np.nan,
        "generalized_usd": np.nan,
        "legs": 0,
        "modes": "",
        "complete": ~incomplete[missing],
    })
    frames = [f for f in (routed_rows, unrouted_rows) if len(f)]
    rows = (pd.concat(frames, ignore_index=True) if frames else routed_rows).sort_values(
        ["shipment", "option"], kind="stable").reset_index(drop=True)
    s = rows["shipment"].to_numpy()
    shipments = pd.DataFrame({
        "shipment_id": _text(ids[s]),
        "option": rows["option"].to_numpy(np.int64),
        "routed": rows["routed"].to_numpy(bool),
        "status": _text(rows["status"].to_numpy(object)),
        "reason": _text(rows["reason"].to_numpy(object)),
        "on_time": rows["on_time"].astype("boolean"),
        "origin": _text(codes[arrays.origin[s]]),
        "destination": _text(codes[arrays.destination[s]]),
        "ready": _datetimes(tt, arrays.ready_h[s]),
        "due": _datetimes(tt, arrays.due_h[s]),
        "departure": _datetimes(tt, rows["departure_h"].to_numpy(float)),
        "arrival": _datetimes(tt, rows["arrival_h"].to_numpy(float)),
        "hours": rows["hours"].to_numpy(float),
        "cost_usd": rows["cost_usd"].to_numpy(float),
        "co2e_kg": rows["co2e_kg"].to_numpy(float),
        "generalized_usd": rows["generalized_usd"].to_numpy(float),
        "weight_kg": arrays.weight_kg[s],
        "chargeable_kg": arrays.chargeable_kg[s],
        "legs": rows["legs"].to_numpy(np.int64),
        "modes": _text(rows["modes"].to_numpy(object)),
        "complete": rows["complete"].to_numpy(bool),
    }, columns=list(SHIPMENT_COLUMNS))
    return legs, shipments


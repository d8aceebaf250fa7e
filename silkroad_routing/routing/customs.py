"""Customs clearance and warehouse storage as legs of a plan (shipments under a regime).

The router prices a route with the origin's export clearance in its first leg's handling and
the destination's import clearance and release in its last leg's (:mod:`.tables`). For a
shipment declared under a customs regime other than ``general`` the plan shows them as legs of
their own, so that a forwarder sees where, when and for how much each clearance happens:

- an ``export`` leg of kind ``customs`` at the origin, from the ready time for the export
  clearance hours, with the export terminal charges (taken out of the first leg's handling);
- an ``import`` leg of kind ``customs`` at the destination, ending at the release (the
  shipment's ``arrival``), with the import charges (taken out of the last leg's handling);
- a ``storage`` leg at a destination warehouse when the shipment has ``storage_days``: from
  the release for that many days at the hub's ``storage_usd_per_m3_day`` x volume; its cost is
  added to the shipment's ``cost_usd`` and ``generalized_usd`` (not to its ``hours``: the
  freight has arrived).

A customs leg's ``link_id`` names the clearance and the regime of the rule applied
(``export 9810``, ``import 1210``; ``import general`` where the destination has no rule of the
regime, as a European warehouse importing a 9810 export); its ``mode`` is the mode of the
vehicle leg it clears. The shipment's ``cost_usd`` is unchanged by
the customs legs (their charges move, they are not added) and its ``legs`` counts them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..compile.problem import Problem
from ..compile.regimes import regime_rule
from ..core.timetable.arrays import START
from ..model import ProcessStage
from ..plan import KIND_CUSTOMS as CUSTOMS_KIND
from ..plan import KIND_STORAGE as STORAGE_KIND
from ..plan import Plan
from ..units import MODES


def _rule_tables(problem: Problem, regime: str, stage: ProcessStage
                 ) -> tuple[NDArray[np.float64], NDArray[np.object_]]:
    """Per [hub, mode] the hours of ``regime``'s rule at ``stage`` (NaN where there is none)
    and its label (``export 9810``, ``import general``)."""
    tt, network = problem.timetable, problem.network
    hours = np.full((tt.n_hubs, len(MODES)), np.nan)
    label: NDArray[np.object_] = np.full((tt.n_hubs, len(MODES)), "", dtype=object)
    for h, code in enumerate(tt.hub_codes):
        for b, mode in enumerate(MODES):
            rule = regime_rule(network, code, mode, stage, regime)
            if rule is not None:
                hours[h, b] = rule.hours
                label[h, b] = f"{stage} {rule.regime}"
    return hours, label


def with_customs_legs(plan: Plan, problem: Problem, regime: str) -> Plan:
    """``plan`` (of ``problem``'s shipments, all under ``regime``) with its clearance and
    storage legs (module docstring); vectorised over the options."""
    legs = plan.legs
    if legs.empty:
        return plan
    tt, arrays, network = problem.timetable, problem.shipments, problem.network
    key = ["shipment_id", "option"]
    legs = legs.sort_values([*key, "leg"], kind="stable").reset_index(drop=True)
    ident = pd.MultiIndex.from_frame(legs[key])
    new = np.r_[True, ident[1:] != ident[:-1]]
    first = np.flatnonzero(new)
    last = np.r_[first[1:], len(legs)] - 1
    hub = pd.Index(tt.hub_codes)
    mode = pd.Index([str(m) for m in MODES])
    ship = pd.Index(arrays.ids).get_indexer(legs["shipment_id"].to_numpy()[first])
    q = arrays.q[ship]
    origin = hub.get_indexer(legs["from_hub"].to_numpy()[first])
    first_mode = mode.get_indexer(legs["mode"].to_numpy()[first])
    destination = hub.get_indexer(legs["to_hub"].to_numpy()[last])
    last_mode = mode.get_indexer(legs["mode"].to_numpy()[last])
    rows = plan.shipments.set_index(key).loc[ident[first]]
    ready, released = pd.DatetimeIndex(rows["ready"]), pd.DatetimeIndex(rows["arrival"])

    export_h, export_label = _rule_tables(problem, regime, ProcessStage.EXPORT)
    _, import_label = _rule_tables(problem, regime, ProcessStage.IMPORT)
    export_usd = np.einsum("ij,ij->i", tt.transfer_rate[origin, START, first_mode], q)
    import_usd = np.einsum("ij,ij->i", tt.release_rate[destination, last_mode], q)
    release_h = tt.release_h[destination, last_mode]
    has_export = ~np.isnan(export_h[origin, first_mode])
    has_import = import_label[destination, last_mode] != ""
    rate = np.array([h.storage_usd_per_m3_day for h in network.hubs])[destination]
    days = arrays.table.storage_days[ship]
    storage_usd = rate * arrays.table.volume_m3[ship] * days
    has_storage = (days > 0) & (rate > 0)

    handling = legs["handling_usd"].to_numpy(dtype=float).copy()
    handling[first[has_export]] -= export_usd[has_export]
    handling[last[has_import]] -= import_usd[has_import]
    legs = legs.assign(handling_usd=handling,
                       cost_usd=legs["freight_usd"].to_numpy(dtype=float) + handling)

    def stops(at: NDArray[np.bool_], order: int, kind: str,
              place: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.object_]],
              times: tuple[np.ndarray, np.ndarray], usd: NDArray[np.float64]) -> pd.DataFrame:
        # One leg per option at ``at``: a stop at one hub (hub, mode, label), priced as handling.
        hub_at, mode_at, label = place
        start, end = times
        where = legs.iloc[first[at]]
        code = np.array(tt.hub_codes, dtype=object)[hub_at[at]]
        return pd.DataFrame({
            "shipment_id": where["shipment_id"].to_numpy(), "option": where["option"].to_numpy(),
            "leg": np.full(int(at.sum()), order), "kind": kind,
            "mode": np.array([str(m) for m in MODES], dtype=object)[mode_at[at]],
            "from_hub": code, "to_hub": code, "service_id": "", "departure_id": "",
            "link_id": label[at], "departure": start[at], "arrival": end[at],
            "freight_usd": 0.0, "handling_usd": usd[at], "cost_usd": usd[at], "co2e_kg": 0.0,
            "co2e_wtw_kg": 0.0, "co2e_ttw_kg": 0.0, "distance_km": 0.0,
            "chargeable_kg": where["chargeable_kg"].to_numpy()}, columns=legs.columns)

    def hours(values: NDArray[np.float64]) -> pd.TimedeltaIndex:
        return pd.to_timedelta(values, unit="h")

    export_end = np.asarray(ready + hours(np.nan_to_num(export_h[origin, first_mode])))
    import_start = np.asarray(released - hours(release_h))
    storage_end = np.asarray(released + hours(days * 24.0))
    ready, released = np.asarray(ready), np.asarray(released)
    added = [
        stops(has_export, -1, CUSTOMS_KIND,
              (origin, first_mode, export_label[origin, first_mode]), (ready, export_end),
              export_usd),
        stops(has_import, 10**6, CUSTOMS_KIND,
              (destination, last_mode, import_label[destination, last_mode]),
              (import_start, released), import_usd),
        stops(has_storage, 10**6 + 1, STORAGE_KIND,
              (destination, last_mode, np.full(len(first), "storage", dtype=object)),
              (released, storage_end), storage_usd),
    ]
    if not any(len(a) for a in added):
        return plan
    every = pd.concat([legs, *(a for a in added if len(a))], ignore_index=True)
    every = every.sort_values([*key, "leg"], kind="stable")
    every["leg"] = every.groupby(key, sort=False).cumcount().to_numpy(dtype=np.int64)
    for column in ("departure", "arrival"):
        every[column] = pd.to_datetime(every[column], utc=True)
    every = every.astype({c: legs[c].dtype for c in legs.columns
                          if legs[c].dtype != object and c not in ("departure", "arrival")})
    extra = pd.Series(has_export.astype(int) + has_import + has_storage, index=ident[first])
    storage = pd.Series(np.where(has_storage, storage_usd, 0.0), index=ident[first])
    table = plan.shipments.set_index(key)
    extra = extra.reindex(table.index, fill_value=0)
    storage = storage.reindex(table.index, fill_value=0.0)
    table = table.assign(cost_usd=table["cost_usd"] + storage,
                         generalized_usd=table["generalized_usd"] + storage,
                         legs=table["legs"] + extra).reset_index()[list(plan.shipments.columns)]
    table = table.astype({c: plan.shipments[c].dtype for c in plan.shipments.columns})
    return replace(plan, legs=every.reset_index(drop=True), shipments=table)

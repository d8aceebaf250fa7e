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

from ..compile.problem import Problem
from ..compile.regimes import regime_rule
from ..core.timetable.arrays import START
from ..model import ProcessStage
from ..plan import KIND_CUSTOMS as CUSTOMS_KIND
from ..plan import KIND_STORAGE as STORAGE_KIND
from ..plan import Plan
from ..units import MODE_INDEX, Mode


def with_customs_legs(plan: Plan, problem: Problem, regime: str) -> Plan:
    """``plan`` (of ``problem``'s shipments, all under ``regime``) with its clearance and
    storage legs (module docstring)."""
    legs = plan.legs
    if legs.empty:
        return plan
    tt, arrays, network = problem.timetable, problem.shipments, problem.network
    position = pd.Index(arrays.ids)
    hub_index = {c: i for i, c in enumerate(tt.hub_codes)}
    legs = legs.sort_values(["shipment_id", "option", "leg"], kind="stable").reset_index(drop=True)
    key = ["shipment_id", "option"]
    first = legs.groupby(key, sort=False).head(1).index.to_numpy()
    last = legs.groupby(key, sort=False).tail(1).index.to_numpy()
    shipments = plan.shipments.set_index(key)
    handling = legs["handling_usd"].to_numpy(dtype=float).copy()
    added: list[dict[str, object]] = []
    storage_cost = pd.Series(0.0, index=shipments.index)
    extra_legs = pd.Series(0, index=shipments.index)
    for f, la in zip(first.tolist(), last.tolist(), strict=True):
        row = legs.iloc[f]
        ident = (row["shipment_id"], row["option"])
        i = int(position.get_loc(row["shipment_id"]))
        q = arrays.q[i]
        origin, destination = row["from_hub"], legs.at[la, "to_hub"]
        first_mode, last_mode = Mode(row["mode"]), Mode(legs.at[la, "mode"])
        base = {"shipment_id": row["shipment_id"], "option": row["option"],
                "service_id": "", "departure_id": "", "freight_usd": 0.0, "co2e_kg": 0.0,
                "co2e_wtw_kg": 0.0, "co2e_ttw_kg": 0.0, "distance_km": 0.0,
                "chargeable_kg": row["chargeable_kg"]}
        export = regime_rule(network, origin, first_mode, ProcessStage.EXPORT, regime)
        if export is not None:
            usd = float(tt.transfer_rate[hub_index[origin], START, MODE_INDEX[first_mode]] @ q)
            handling[f] -= usd
            ready = shipments.at[ident, "ready"]
            added.append({**base, "leg": -1, "kind": CUSTOMS_KIND, "mode": str(first_mode),
                          "from_hub": origin, "to_hub": origin, "link_id": f"export {export.regime}",
                          "departure": ready, "arrival": ready + pd.Timedelta(hours=export.hours),
                          "handling_usd": usd, "cost_usd": usd})
            extra_legs[ident] += 1
        imported = regime_rule(network, destination, last_mode, ProcessStage.IMPORT, regime)
        released = shipments.at[ident, "arrival"]
        if imported is not None:
            d, b = hub_index[destination], MODE_INDEX[last_mode]
            usd = float(tt.release_rate[d, b] @ q)
            handling[la] -= usd
            added.append({**base, "leg": 10**6, "kind": CUSTOMS_KIND, "mode": str(last_mode),
                          "from_hub": destination, "to_hub": destination,
                          "link_id": f"import {imported.regime}",
                          "departure": released - pd.Timedelta(hours=float(tt.release_h[d, b])),
                          "arrival": released, "handling_usd": usd, "cost_usd": usd})
            extra_legs[ident] += 1
        days = float(arrays.table.storage_days[i])
        rate = network.hub(destination).storage_usd_per_m3_day
        if days > 0 and rate > 0:
            usd = rate * float(arrays.table.volume_m3[i]) * days
            added.append({**base, "leg": 10**6 + 1, "kind": STORAGE_KIND, "mode": str(last_mode),
                          "from_hub": destination, "to_hub": destination, "link_id": "storage",
                          "departure": released, "arrival": released + pd.Timedelta(days=days),
                          "handling_usd": usd, "cost_usd": usd})
            storage_cost[ident] += usd
            extra_legs[ident] += 1
    if not added:
        return plan
    freight = legs["freight_usd"].to_numpy(dtype=float)
    legs = legs.assign(handling_usd=handling, cost_usd=freight + handling)
    every = pd.concat([legs, pd.DataFrame(added, columns=legs.columns)], ignore_index=True)
    every = every.sort_values(["shipment_id", "option", "leg"], kind="stable")
    every["leg"] = every.groupby(key, sort=False).cumcount().to_numpy(dtype=np.int64)
    every = every.astype({c: legs[c].dtype for c in legs.columns if legs[c].dtype != object})
    cost = shipments["cost_usd"] + storage_cost
    table = shipments.assign(
        cost_usd=cost, generalized_usd=shipments["generalized_usd"] + storage_cost,
        legs=shipments["legs"] + extra_legs).reset_index()[list(plan.shipments.columns)]
    table = table.astype({c: plan.shipments[c].dtype for c in plan.shipments.columns})
    return replace(plan, legs=every.reset_index(drop=True), shipments=table)

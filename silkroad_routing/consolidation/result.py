"""The result of consolidating a plan: units, leg-departures, allocation, shipments, summary.

Tables (column tuples below; money in USD, masses in kg, volumes in m3, fill rates 0..1):

``units`` (:data:`UNIT_COLUMNS`), one row per unit on one leg: its ``leg_departure``,
``unit_id`` (``<leg_departure>#<n>``), ``physical_unit`` (``P<n>``: the same container or ULD
carried with the same shipments on several legs counts once), ``unit_type`` (catalog code),
``unit_kind``, ``mode``, ``cargo_group`` (the segregation group, e.g. ``ecommerce+general``),
``reefer``, ``dedicated`` (a full load's own unit), ``shipments`` (``;``-joined ids) and
``n_shipments``, cargo ``kg`` and
``m3``, the type's ``payload_kg`` and ``volume_m3``, ``fill_kg``, ``fill_m3``, ``fill`` (the
larger), ``gross_kg`` (cargo plus tare), ``teu`` (containers), ``chargeable_kg`` (of the unit's
cargo), ``full_unit_usd`` (the leg's tariff applied to the unit: per FEU, per truck, per
chargeable kg, ...), ``part_load_usd`` (what its cargo paid as routed), ``cost_usd`` and
``priced_as`` (``unit`` or ``part_load``), ``position`` on the vehicle and ``overflow``.

``departures`` (:data:`DEPARTURE_COLUMNS`), one row per leg-departure: ``leg_departure``,
``departure`` (service departure id, or ``<link id>@<window start>`` for trucks), ``kind``,
``mode``, ``service_id``, ``link_id``, ``from_hub``, ``to_hub``, ``departure_time`` (earliest
routed departure), ``shipments``, ``kg``, ``m3``, ``units``, ``teu``, ``dedicated_units``,
``lower_bound`` (Martello-Toth, dedicated units included), ``ffd_units``, ``ffd_gap``
(``(ffd - bound) / bound``), ``exact_units``, ``exact_bound`` and ``exact_status`` (CP-SAT,
when asked for; ``skipped`` above the item limit; empty when not asked for or when the
leg-departure carries full loads only), ``gap`` (final units against the best bound),
``fill_kg`` and ``fill_m3`` (cargo over the units' capacity), ``cost_before_usd`` (the routed
freight of its shipment-legs), ``cost_after_usd`` (its units), ``saving_usd``,
``units_part_load``, train ``wagons``, ``train_length_m``, ``trailing_weight_kg``, freighter
``main_deck_positions``, ``lower_pallet_positions``, ``lower_container_positions``,
``payload_limit_kg``, ``carrier_status`` (the make-up or load solver's status; empty on the
road and at sea, where no solver runs), ``overflow_units``, ``overflow_kg`` and
``scaled_exactly`` (False when a CP-SAT model rounded a size).

``allocation`` (:data:`ALLOCATION_COLUMNS`), one row per piece of a shipment-leg in a unit:
``shipment_id``, ``leg``, ``leg_departure``, ``unit_id``, ``share`` (of the shipment), ``kg``,
``m3``, ``routed_usd`` (its share of the leg's routed freight) and ``cost_usd`` (its share of
the unit's cost).

``shipments`` (:data:`SHIPMENT_COLUMNS`), one row per routed shipment: ``routed_freight_usd``,
``freight_usd`` (allocated), ``handling_usd`` (as routed: handling is per tonne and does not
change), ``routed_cost_usd``, ``cost_usd`` and ``saving_usd``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

UNIT_COLUMNS: Final[tuple[str, ...]] = (
    "leg_departure", "unit_id", "unit_type", "unit_kind", "mode", "cargo_group", "reefer",
    "dedicated", "shipments", "n_shipments", "kg", "m3", "payload_kg", "volume_m3", "fill_kg",
    "fill_m3", "fill", "gross_kg", "teu", "chargeable_kg", "full_unit_usd", "part_load_usd",
    "cost_usd", "priced_as", "position", "overflow",
)
#: Column inserted after ``unit_id`` in the units table (see the module docstring).
PHYSICAL_UNIT_COLUMN: Final[str] = "physical_unit"
DEPARTURE_COLUMNS: Final[tuple[str, ...]] = (
    "leg_departure", "departure", "kind", "mode", "service_id", "link_id", "from_hub", "to_hub",
    "departure_time", "shipments", "kg", "m3", "units", "teu", "dedicated_units", "lower_bound",
    "ffd_units", "ffd_gap", "exact_units", "exact_bound", "exact_status", "gap", "fill_kg",
    "fill_m3", "cost_before_usd", "cost_after_usd", "saving_usd", "units_part_load", "wagons",
    "train_length_m", "trailing_weight_kg", "main_deck_positions", "lower_pallet_positions",
    "lower_container_positions", "payload_limit_kg", "carrier_status", "overflow_units",
    "overflow_kg", "scaled_exactly",
)
ALLOCATION_COLUMNS: Final[tuple[str, ...]] = (
    "shipment_id", "leg", "leg_departure", "unit_id", "share", "kg", "m3", "routed_usd",
    "cost_usd",
)
SHIPMENT_COLUMNS: Final[tuple[str, ...]] = (
    "shipment_id", "routed_freight_usd", "freight_usd", "handling_usd", "routed_cost_usd",
    "cost_usd", "saving_usd",
)
PRICED_AS_UNIT, PRICED_AS_PART_LOAD = "unit", "part_load"


def _ratio(num: float, den: float) -> float | None:
    return float(num / den) if den > 0 else None


@dataclass(frozen=True, slots=True, eq=False)
class Consolidation:
    """Units, leg-departures, cost allocation and per-shipment costs of a consolidated plan
    (see the module docstring for the columns); :attr:`summary` gives the totals."""

    units: pd.DataFrame
    departures: pd.DataFrame
    allocation: pd.DataFrame
    shipments: pd.DataFrame

    @property
    def cost_before_usd(self) -> float:
        """Freight of every leg as routed (part loads priced per W/M or kg), USD."""
        return float(self.departures["cost_before_usd"].sum())

    @property
    def cost_after_usd(self) -> float:
        """Freight of every leg priced by its units, USD."""
        return float(self.departures["cost_after_usd"].sum())

    @property
    def summary(self) -> dict[str, Any]:
        """Totals as a JSON-ready dict (None where undefined).

        ``leg_departures``, ``units`` (unit-legs: a container counts once per leg it rides),
        ``physical_units`` (each container counted once), ``units_by_mode`` ({mode: {unit type:
        count}}), ``physical_units_by_mode`` ({mode: count}), ``teu``,
        ``fill_kg`` and ``fill_m3`` (cargo over unit capacity, all units), ``fill_by_mode``
        ({mode: {"kg": ..., "m3": ..., "fill_mean": mean of each unit's larger fill}}),
        ``cost_before_usd``, ``cost_after_usd``, ``saving_usd``, ``saving_share``,
        ``units_part_load`` (units cheaper as part loads), ``lower_bound`` and ``ffd_units``
        (summed), ``ffd_gap_mean`` and ``ffd_gap_max`` over leg-departures, ``exact_solved``,
        ``exact_optimal``, ``exact_units``, ``overflow_units``, ``overflow_kg``,
        ``departures_with_overflow``.
        """
        u, d = self.units, self.departures
        by_mode: dict[str, dict[str, int]] = {}
        fill: dict[str, dict[str, float | None]] = {}
        for mode, group in u.groupby("mode", sort=True):
            by_mode[str(mode)] = {str(k): int(v) for k, v in
                                  group["unit_type"].value_counts().sort_index().items()}
            fill[str(mode)] = {
                "kg": _ratio(group["kg"].sum(), group["payload_kg"].sum()),
                "m3": _ratio(group["m3"].sum(), group["volume_m3"].sum()),
                "fill_mean": float(group["fill"].mean()),
            }
        exact = d[d["exact_status"].isin(["optimal", "feasible"])]
        before, after = self.cost_before_usd, self.cost_after_usd
        gaps = d["ffd_gap"].to_numpy(dtype=float)
        return {
            "leg_departures": len(d),
            "units": len(u),
            "physical_units": int(u[PHYSICAL_UNIT_COLUMN].nunique()),
            "units_by_mode": by_mode,
            "physical_units_by_mode": {str(m): int(g[PHYSICAL_UNIT_COLUMN].nunique())
                                       for m, g in u.groupby("mode", sort=True)},
            "teu": float(u["teu"].sum()),
            "fill_kg": _ratio(u["kg"].sum(), u["payload_kg"].sum()),
            "fill_m3": _ratio(u["m3"].sum(), u["volume_m3"].sum()),
            "fill_by_mode": fill,
            "cost_before_usd": before,
            "cost_after_usd": after,
            "saving_usd": before - after,
            "saving_share": _ratio(before - after, before),
            "units_part_load": int((u["priced_as"] == PRICED_AS_PART_LOAD).sum()),
            "lower_bound": int(d["lower_bound"].sum()),
            "ffd_units": int(d["ffd_units"].sum()),
            "ffd_gap_mean": float(gaps.mean()) if gaps.size else None,
            "ffd_gap_max": float(gaps.max()) if gaps.size else None,
            "exact_solved": len(exact),
            "exact_optimal": int((exact["exact_status"] == "optimal").sum()),
            "exact_units": int(exact["exact_units"].sum()) if len(exact) else None,
            "overflow_units": int(u["overflow"].sum()),
            "overflow_kg": float(u.loc[u["overflow"], "kg"].sum()),
            "departures_with_overflow": int((d["overflow_units"] > 0).sum()),
        }


def empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    """An empty table with these columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def as_number(value: Any) -> float:
    """NaN for None, else the value as float (table cells of optional numbers)."""
    return np.nan if value is None else float(value)

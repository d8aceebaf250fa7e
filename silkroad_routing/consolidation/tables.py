"""Per-leg-departure columns assembled into the tables of a :class:`Consolidation`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd

from .carriers import CarrierLoad
from .pack import LegPacking
from .price import Columns
from .result import (
    ALLOCATION_COLUMNS,
    DEPARTURE_COLUMNS,
    PHYSICAL_UNIT_COLUMN,
    PRICED_AS_PART_LOAD,
    SHIPMENT_COLUMNS,
    UNIT_COLUMNS,
    Consolidation,
    as_number,
    empty_frame,
)

#: Leg columns copied to the departures table.
LEG_TEXT = ("kind", "mode", "service_id", "link_id", "from_hub", "to_hub")


def members(piece_row: np.ndarray, piece_unit: np.ndarray, shipment_ids: np.ndarray,
            n_units: int) -> list[list[str]]:
    """Shipment ids in each unit, in order of first appearance, without repeats."""
    out: list[list[str]] = [[] for _ in range(n_units)]
    seen: set[tuple[int, str]] = set()
    for row, unit in zip(piece_row.tolist(), piece_unit.tolist(), strict=True):
        sid = str(shipment_ids[row])
        if (unit, sid) not in seen:
            seen.add((unit, sid))
            out[unit].append(sid)
    return out


def physical_units(units: pd.DataFrame) -> pd.Series:
    """The physical unit of each unit-leg: ``P<n>``, shared by the units of one type carrying
    the same shipments on consecutive legs (a container stuffed once and carried through is one
    container, not one per leg). Two such units on the same leg-departure are two containers:
    the k-th of them on one leg is the k-th on the next."""
    key = units["unit_type"].astype(str) + "|" + units["shipments"].astype(str)
    nth = key.groupby(units["leg_departure"]).cumcount().astype(str)
    codes = pd.factorize(key + "|" + nth, sort=False)[0]
    return pd.Series([f"P{c + 1}" for c in codes], index=units.index, dtype=object)


def departure_row(key: str, departure: str, text: Columns, hours: np.ndarray, rows: np.ndarray,
                  packed: LegPacking, units: Columns, carrier: CarrierLoad, freight: np.ndarray,
                  exact: bool, exact_max_items: int) -> dict[str, object]:
    """The departures-table row of one leg-departure (``rows``: its plan legs; ``text`` and
    ``hours``: every plan leg's text columns and departure hour)."""
    head = int(rows[0])
    n_pieces_loose = int((~packed.unit_dedicated[packed.piece_unit]).sum()) if packed.n_units \
        else 0
    dedicated = int(packed.unit_dedicated.sum())
    result = packed.exact
    if result is not None and result.packing is not None:
        exact_units, exact_bound = result.packing.n_bins + dedicated, result.lower_bound + dedicated
        status = str(result.status)
        scaled = result.scaled_exactly
    else:
        exact_units = exact_bound = None
        status = "skipped" if exact and n_pieces_loose > exact_max_items else (
            str(result.status) if result is not None else "")
        scaled = True
    bound = max(packed.lower_bound, exact_bound or 0)
    before = float(freight[rows].sum())
    after = float(units["cost_usd"].sum())
    extra = carrier.extra
    return {
        "leg_departure": key, "departure": departure,
        **{c: text[c][head] for c in LEG_TEXT},
        "departure_time": float(hours[rows].min()),
        "shipments": int(rows.size), "kg": float(units["kg"].sum()),
        "m3": float(units["m3"].sum()), "units": packed.n_units, "teu": int(units["teu"].sum()),
        "dedicated_units": dedicated, "lower_bound": packed.lower_bound,
        "ffd_units": packed.ffd_units,
        "ffd_gap": (packed.ffd_units - packed.lower_bound) / packed.lower_bound
        if packed.lower_bound else 0.0,
        "exact_units": as_number(exact_units), "exact_bound": as_number(exact_bound),
        "exact_status": status,
        "gap": (packed.n_units - bound) / bound if bound else 0.0,
        "fill_kg": float(units["kg"].sum() / units["payload_kg"].sum()),
        "fill_m3": float(units["m3"].sum() / units["volume_m3"].sum()),
        "cost_before_usd": before, "cost_after_usd": after, "saving_usd": before - after,
        "units_part_load": int((units["priced_as"] == PRICED_AS_PART_LOAD).sum()),
        "wagons": as_number(extra.get("wagons")),
        "train_length_m": as_number(extra.get("train_length_m")),
        "trailing_weight_kg": as_number(extra.get("trailing_weight_kg")),
        "main_deck_positions": as_number(extra.get("main_deck_positions")),
        "lower_pallet_positions": as_number(extra.get("lower_pallet_positions")),
        "lower_container_positions": as_number(extra.get("lower_container_positions")),
        "payload_limit_kg": as_number(extra.get("payload_limit_kg")),
        "carrier_status": carrier.status,
        "overflow_units": int(carrier.overflow.sum()),
        "overflow_kg": float(units["kg"][carrier.overflow].sum()),
        "scaled_exactly": bool(scaled and carrier.scaled_exactly),
    }


def _concat(parts: list[Columns], columns: Sequence[str]) -> dict[str, np.ndarray]:
    return {c: np.concatenate([p[c] for p in parts]) for c in columns}


def _with_physical(units: pd.DataFrame) -> pd.DataFrame:
    units.insert(units.columns.get_loc("unit_id") + 1, PHYSICAL_UNIT_COLUMN,
                 physical_units(units) if len(units) else pd.Series(dtype=object))
    return units


def assemble(start: datetime, legs: pd.DataFrame, unit_parts: list[Columns],
             piece_parts: list[Columns], departure_rows: list[dict[str, object]]) -> Consolidation:
    """The tables from the columns of every leg-departure (``start``: the plan's start, which
    departure hours count from; ``legs``: the plan's legs)."""
    if not departure_rows:
        return Consolidation(_with_physical(empty_frame(UNIT_COLUMNS)),
                             empty_frame(DEPARTURE_COLUMNS), empty_frame(ALLOCATION_COLUMNS),
                             empty_frame(SHIPMENT_COLUMNS))
    units = _with_physical(pd.DataFrame(_concat(unit_parts, UNIT_COLUMNS),
                                        columns=list(UNIT_COLUMNS)))
    departures = pd.DataFrame(departure_rows, columns=list(DEPARTURE_COLUMNS))
    departures["departure_time"] = (pd.Timestamp(start) + pd.to_timedelta(
        departures["departure_time"], unit="h")).dt.round("us")
    pieces = _concat(piece_parts, ("row", "leg_departure", "unit_id", "share", "kg", "m3",
                                   "routed_usd", "cost_usd"))
    row = pieces["row"]
    allocation = pd.DataFrame({
        "shipment_id": legs["shipment_id"].to_numpy(dtype=object)[row],
        "leg": legs["leg"].to_numpy()[row],
        **{c: pieces[c] for c in ALLOCATION_COLUMNS[2:]},
    }, columns=list(ALLOCATION_COLUMNS)).sort_values(
        ["shipment_id", "leg", "unit_id"], kind="stable").reset_index(drop=True)
    per_leg = legs.groupby("shipment_id", sort=True).agg(
        routed_freight_usd=("freight_usd", "sum"), handling_usd=("handling_usd", "sum"),
        routed_cost_usd=("cost_usd", "sum"))
    freight = allocation.groupby("shipment_id", sort=True)["cost_usd"].sum()
    shipments = per_leg.assign(freight_usd=freight.reindex(per_leg.index).to_numpy())
    shipments["cost_usd"] = shipments["freight_usd"] + shipments["handling_usd"]
    shipments["saving_usd"] = shipments["routed_cost_usd"] - shipments["cost_usd"]
    shipments = shipments.reset_index()[list(SHIPMENT_COLUMNS)]
    return Consolidation(units, departures, allocation, shipments)

"""Unit prices and the allocation of each unit's cost to the pieces it carries.

A unit's *full price* is the leg's rate vector applied to the unit as one consignment
(:func:`unit_quantities`); its *part-load price* is what its cargo paid as routed. With the
part-load fallback a unit that is not a full load's own pays the smaller. A unit priced as a
unit shares its cost pro rata by chargeable kg (ULDs) or revenue tonnes (containers, trailers);
a unit priced as part loads charges each piece its routed price.
"""

from __future__ import annotations

import numpy as np

from ..compile.tariffs import N_QUANTITIES, Q_FEU, Q_KG, Q_KG_CHARGEABLE, Q_TRUCK, Q_WM
from ..model.equipment import UnitKind, UnitType
from ..units import AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG, TEU_PER_FEU, chargeable_weight_kg
from .pack import LegPacking, UnitPrice
from .result import PRICED_AS_PART_LOAD, PRICED_AS_UNIT

#: Table columns under construction: name -> array.
Columns = dict[str, np.ndarray]


def unit_quantities(unit: UnitType, kg: float, m3: float,
                    divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG) -> np.ndarray:
    """Quantities of one unit over the tariff columns (float64[6]): priced as one full load."""
    q = np.zeros(N_QUANTITIES)
    q[Q_KG_CHARGEABLE] = chargeable_weight_kg(kg, m3, divisor_cm3_per_kg)
    q[Q_KG] = kg
    q[Q_WM] = max(kg / 1000.0, m3)
    if unit.teu is not None:  # a container: per FEU, one truck per FEU
        q[Q_FEU] = q[Q_TRUCK] = unit.teu / TEU_PER_FEU
    elif unit.kind is UnitKind.TRAILER:
        q[Q_FEU] = q[Q_TRUCK] = 1.0
    return q


def price_units(packed: LegPacking, rows: np.ndarray, freight: np.ndarray, price: UnitPrice,
                part_load_fallback: bool, divisor: float) -> tuple[Columns, Columns]:
    """Columns of the units of one leg-departure (prices, loads, fill) and of its pieces (with
    their allocated cost); ``rows`` maps the packing's rows to plan legs, ``freight`` is every
    plan leg's routed freight."""
    n = packed.n_units
    kg, m3 = packed.unit_kg, packed.unit_m3
    full = np.array([price(t, float(kg[b]), float(m3[b]))
                     for b, t in enumerate(packed.unit_type)])
    piece_routed = freight[rows[packed.piece_row]] * packed.piece_share
    part_load = np.bincount(packed.piece_unit, weights=piece_routed, minlength=n)
    # Ties (within rounding) stay priced as units.
    as_part_load = (part_load_fallback & ~packed.unit_dedicated
                    & (part_load < full - 1e-9 * np.maximum(1.0, full))
                    if n else np.zeros(0, dtype=bool))
    cost = np.where(as_part_load, part_load, full)
    # Pro rata key of a piece: chargeable kg in a ULD, revenue tonnes elsewhere.
    uld = np.array([t.kind in (UnitKind.ULD_PALLET, UnitKind.ULD_CONTAINER)
                    for t in packed.unit_type], dtype=bool)
    p_uld = uld[packed.piece_unit] if n else np.zeros(0, dtype=bool)
    chargeable = np.maximum(packed.piece_kg, packed.piece_m3 * 1_000_000.0 / divisor)
    key = np.where(p_uld, chargeable, np.maximum(packed.piece_kg / 1000.0, packed.piece_m3))
    key_total = np.bincount(packed.piece_unit, weights=key, minlength=n)
    count = np.bincount(packed.piece_unit, minlength=n)
    u = packed.piece_unit
    share = np.where(key_total[u] > 0, key / np.where(key_total[u] > 0, key_total[u], 1.0),
                     1.0 / count[u])
    allocated = np.where(as_part_load[u], piece_routed, cost[u] * share) if n else piece_routed
    payload = np.array([t.payload_kg for t in packed.unit_type], dtype=np.float64)
    volume = np.array([t.volume_m3 for t in packed.unit_type], dtype=np.float64)
    fill_kg, fill_m3 = kg / payload, m3 / volume
    units = {
        "unit_type": np.array([t.code for t in packed.unit_type], dtype=object),
        "unit_kind": np.array([str(t.kind) for t in packed.unit_type], dtype=object),
        "reefer": np.array([t.reefer for t in packed.unit_type], dtype=bool),
        "dedicated": packed.unit_dedicated,
        "kg": kg, "m3": m3, "payload_kg": payload, "volume_m3": volume,
        "fill_kg": fill_kg, "fill_m3": fill_m3, "fill": np.maximum(fill_kg, fill_m3),
        "gross_kg": kg + np.array([t.tare_kg or 0.0 for t in packed.unit_type]),
        "teu": np.array([t.teu or 0 for t in packed.unit_type], dtype=np.int64),
        "chargeable_kg": np.maximum(kg, m3 * 1_000_000.0 / divisor),
        "full_unit_usd": full, "part_load_usd": part_load, "cost_usd": cost,
        "priced_as": np.where(as_part_load, PRICED_AS_PART_LOAD, PRICED_AS_UNIT).astype(object),
    }
    pieces = {
        "row": rows[packed.piece_row], "unit": packed.piece_unit, "share": packed.piece_share,
        "kg": packed.piece_kg, "m3": packed.piece_m3, "routed_usd": piece_routed,
        "cost_usd": allocated,
    }
    return units, pieces

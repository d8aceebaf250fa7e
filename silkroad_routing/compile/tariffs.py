"""Prices as linear functions of a shipment's quantities.

Every tariff in a network (a link, a service leg, a transfer, a gauge change) compiles to a *rate
vector* over :data:`QUANTITY_COLUMNS`, and every shipment to a *quantity vector* over the same
columns; the price of the shipment on that leg is their dot product. One compiled network then
serves every shipment size, and kernels price a leg with a few multiply-adds.

A full load (FCL, see :func:`silkroad_routing.units.is_full_container_load`) has ``feu`` and
``truck`` quantities (one truck per container) and no ``part_load_wm``; a part load has
``part_load_wm`` = its revenue tonnes and no ``feu`` or ``truck``. ``kg_chargeable``, ``kg`` and
``wm`` are always set, so a tariff per kg or per W/M applies to every shipment.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from ..units import (
    AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
    FEU_USABLE_M3,
    PricingBasis,
    chargeable_weight_kg,
    feu_count,
    is_full_container_load,
    revenue_tonnes,
)

QUANTITY_COLUMNS: Final[tuple[str, ...]] = (
    "kg_chargeable", "kg", "wm", "feu", "truck", "part_load_wm",
)
Q_KG_CHARGEABLE, Q_KG, Q_WM, Q_FEU, Q_TRUCK, Q_PART_LOAD_WM = range(len(QUANTITY_COLUMNS))
N_QUANTITIES: Final[int] = len(QUANTITY_COLUMNS)

_BASIS_COLUMN: Final[dict[PricingBasis, int]] = {
    PricingBasis.KG_CHARGEABLE: Q_KG_CHARGEABLE,
    PricingBasis.KG: Q_KG,
    PricingBasis.WM: Q_WM,
    PricingBasis.FEU: Q_FEU,
    PricingBasis.TRUCK: Q_TRUCK,
}


def quantity_vector(
    weight_kg: float,
    volume_m3: float,
    units_feu: int | None = None,
    divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
) -> np.ndarray:
    """A shipment's quantities over :data:`QUANTITY_COLUMNS` (float64, length 6)."""
    q = np.zeros(N_QUANTITIES, dtype=np.float64)
    q[Q_KG_CHARGEABLE] = chargeable_weight_kg(weight_kg, volume_m3, divisor_cm3_per_kg)
    q[Q_KG] = weight_kg
    q[Q_WM] = revenue_tonnes(weight_kg, volume_m3)
    if is_full_container_load(weight_kg, volume_m3, units_feu):
        n = feu_count(weight_kg, volume_m3, units_feu)
        q[Q_FEU] = n
        q[Q_TRUCK] = n
    else:
        q[Q_PART_LOAD_WM] = q[Q_WM]
    return q


def rate_vector(
    price_usd: float,
    price_basis: PricingBasis,
    part_load_usd_per_wm: float | None = None,
    share: float = 1.0,
) -> np.ndarray:
    """Rate vector of a tariff: ``price_usd`` per ``price_basis`` (and the part-load rate), times
    ``share`` (the distance share of a run that a leg represents)."""
    r = np.zeros(N_QUANTITIES, dtype=np.float64)
    r[_BASIS_COLUMN[PricingBasis(price_basis)]] = price_usd * share
    if part_load_usd_per_wm is not None:
        r[Q_PART_LOAD_WM] = part_load_usd_per_wm * share
    return r


def handling_rate_vector(handling_usd_per_t: float) -> np.ndarray:
    """Rate vector of a handling charge per tonne of actual weight."""
    r = np.zeros(N_QUANTITIES, dtype=np.float64)
    r[Q_KG] = handling_usd_per_t / 1000.0
    return r


def transshipment_rate_vector(usd_per_feu: float) -> np.ndarray:
    """Rate vector of a gauge-change transshipment: per FEU for full loads, and for part loads the
    volume share of an FEU per revenue tonne (``usd_per_feu / FEU_USABLE_M3``)."""
    r = np.zeros(N_QUANTITIES, dtype=np.float64)
    r[Q_FEU] = usd_per_feu
    r[Q_PART_LOAD_WM] = usd_per_feu / FEU_USABLE_M3
    return r

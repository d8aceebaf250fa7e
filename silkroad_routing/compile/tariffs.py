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

import math
from typing import Final

import numpy as np

from ..model import Link, Service
from ..units import (
    AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
    FCL_THRESHOLD_SHARE,
    FEU_PAYLOAD_KG,
    FEU_USABLE_M3,
    PART_LOAD_FILL_SHARE,
    TEU_PER_FEU,
    PricingBasis,
    emission_km,
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


def quantity_matrix(
    weight_kg: np.ndarray,
    volume_m3: np.ndarray,
    units_feu: np.ndarray | None = None,
    divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
) -> np.ndarray:
    """Quantities of many shipments over :data:`QUANTITY_COLUMNS` (float64, n x 6).

    Row ``i`` follows the definitions in :mod:`silkroad_routing.units` for shipment ``i``:
    chargeable weight, revenue tonnes, and (when it is a full load, see
    :func:`~silkroad_routing.units.is_full_container_load`) its FEU count; ``units_feu`` is 0
    (or absent) where no container count is given.
    """
    if divisor_cm3_per_kg <= 0:
        raise ValueError(f"volumetric divisor must be positive, got {divisor_cm3_per_kg}")
    weight_kg = np.asarray(weight_kg, dtype=np.float64)
    volume_m3 = np.asarray(volume_m3, dtype=np.float64)
    units = np.zeros_like(weight_kg) if units_feu is None else np.asarray(units_feu, np.float64)
    q = np.zeros((weight_kg.shape[0], N_QUANTITIES), dtype=np.float64)
    q[:, Q_KG_CHARGEABLE] = np.maximum(weight_kg, volume_m3 * 1_000_000.0 / divisor_cm3_per_kg)
    q[:, Q_KG] = weight_kg
    q[:, Q_WM] = np.maximum(weight_kg / 1000.0, volume_m3)
    share = np.maximum(volume_m3 / FEU_USABLE_M3, weight_kg / FEU_PAYLOAD_KG)
    full = (units > 0) | (share >= FCL_THRESHOLD_SHARE)
    n_feu = np.where(units > 0, units, np.maximum(1.0, np.ceil(share - 1e-9)))
    q[:, Q_FEU] = np.where(full, n_feu, 0.0)
    q[:, Q_TRUCK] = q[:, Q_FEU]  # one truck per container on the road legs of a full load
    q[:, Q_PART_LOAD_WM] = np.where(full, 0.0, q[:, Q_WM])
    return q


def quantity_vector(
    weight_kg: float,
    volume_m3: float,
    units_feu: int | None = None,
    divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
) -> np.ndarray:
    """One shipment's quantities over :data:`QUANTITY_COLUMNS` (float64, length 6)."""
    row: np.ndarray = quantity_matrix(np.array([weight_kg]), np.array([volume_m3]),
                                      np.array([units_feu or 0]), divisor_cm3_per_kg)[0]
    return row


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


def co2e_rate_vector(kg_per_kg: float, kg_per_teu: float | None = None) -> np.ndarray:
    """Rate vector of a leg's CO2e, kg per unit of each quantity: ``kg_per_kg`` per kg, or,
    where the leg's factor is per TEU (``kg_per_teu``, kg CO2e per TEU over the leg), per
    container: ``TEU_PER_FEU * kg_per_teu`` per FEU of a full load, whatever it weighs, and for a
    part load that FEU figure per W/M over the W/M a consolidated FEU carries
    (``FEU_USABLE_M3 * PART_LOAD_FILL_SHARE``), the way its freight is counted. NaN inputs (a
    basis not given) give a NaN vector."""
    r = np.zeros(N_QUANTITIES, dtype=np.float64)
    if kg_per_teu is None:
        r[Q_KG] = kg_per_kg
        return r if not math.isnan(kg_per_kg) else np.full(N_QUANTITIES, math.nan)
    if math.isnan(kg_per_teu):
        return np.full(N_QUANTITIES, math.nan)
    r[Q_FEU] = TEU_PER_FEU * kg_per_teu
    r[Q_PART_LOAD_WM] = TEU_PER_FEU * kg_per_teu / (FEU_USABLE_M3 * PART_LOAD_FILL_SHARE)
    return r


def co2e_rates(record: Link | Service, km: float) -> tuple[np.ndarray, np.ndarray]:
    """(WTW, TTW) kg CO2e per unit of each shipment quantity over ``km`` of ``record`` (a link or
    a service leg): per kg over :func:`~silkroad_routing.units.emission_km` from the tonne-km
    factors, or per container from the TEU-km factors where the record gives them
    (:func:`co2e_rate_vector`); TTW is NaN where not given."""
    per_teu, ttw_teu = record.co2e_kg_per_teu_km, record.co2e_ttw_kg_per_teu_km
    if per_teu is not None:
        return (co2e_rate_vector(0.0, per_teu * km),
                co2e_rate_vector(0.0, math.nan if ttw_teu is None else ttw_teu * km))
    tkm_per_kg = emission_km(record.mode, km) / 1000.0
    ttw = record.co2e_ttw_kg_per_tkm
    return (co2e_rate_vector(record.co2e_kg_per_tkm * tkm_per_kg),
            co2e_rate_vector(math.nan if ttw is None else ttw * tkm_per_kg))


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

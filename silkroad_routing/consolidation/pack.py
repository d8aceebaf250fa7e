"""Pack the shipments of one leg-departure into units.

Each shipment on the leg is one *row*. A row is cut into equal *pieces* that each fit one
packing unit of its group (one piece unless the shipment is larger than the unit: a 3 t
e-commerce consignment fills several air pallets). Rows that travel as full loads (``fcl`` > 0:
routed as FCL on a container or truck tariff) get that many units of their own, or more if their
cargo does not fit (a 66 m3 FCL needs two 59.8 m3 reefers); nobody else shares them. The other
pieces are packed by first fit decreasing (:func:`~silkroad_routing.core.first_fit_decreasing`),
group by group (a unit holds one segregation group); with ``exact`` and at most
``exact_max_items`` pieces, CP-SAT (:func:`~silkroad_routing.solvers.solve_packing`, warm-started
from FFD) replaces the FFD packing. Every packed unit is then *right-sized*: it becomes the
cheapest of its group's unit types that holds its load (ties: smallest volume, then list order).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..core.packing import FIT_RTOL, first_fit_decreasing
from ..model.equipment import UnitType
from ..solvers import PackingResult, ScalingWarning, solve_packing

#: ``price(unit_type, kg, m3) -> USD`` of one unit on the leg being packed.
UnitPrice = Callable[[UnitType, float, float], float]


@dataclass(frozen=True, slots=True)
class LegPacking:
    """Units of one leg-departure and the pieces of shipments in them.

    Units (``n_units``): ``unit_type``, ``unit_group`` (segregation group), ``unit_dedicated``
    (a full load's own unit), ``unit_kg`` and ``unit_m3`` (cargo). Pieces: ``piece_row`` (the
    row, i.e. shipment-leg, it is cut from), ``piece_unit``, ``piece_share`` (its share of the
    row's shipment), ``piece_kg``, ``piece_m3``. ``lower_bound`` bounds the units any packing
    needs (Martello-Toth per group for the packed pieces, plus the dedicated units);
    ``ffd_units`` is what FFD used (dedicated included); ``exact`` the CP-SAT result when it ran.
    """

    unit_type: tuple[UnitType, ...]
    unit_group: np.ndarray
    unit_dedicated: np.ndarray
    unit_kg: np.ndarray
    unit_m3: np.ndarray
    piece_row: np.ndarray
    piece_unit: np.ndarray
    piece_share: np.ndarray
    piece_kg: np.ndarray
    piece_m3: np.ndarray
    lower_bound: int
    ffd_units: int
    exact: PackingResult | None

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.unit_type)


def units_needed(weight_kg: np.ndarray, volume_m3: np.ndarray, capacity_kg: np.ndarray,
                 capacity_m3: np.ndarray) -> np.ndarray:
    """Units of the given capacity each load needs on its own, at least one (int64)."""
    share = np.maximum(weight_kg / capacity_kg, volume_m3 / capacity_m3)
    return np.maximum(1, np.ceil(share - FIT_RTOL)).astype(np.int64)


def pack_leg(
    weight_kg: np.ndarray, volume_m3: np.ndarray, group: np.ndarray, fcl: np.ndarray,
    group_types: Sequence[tuple[UnitType, ...]], price: UnitPrice, *, exact: bool,
    exact_max_items: int, time_limit_s: float, seed: int,
) -> LegPacking:
    """Pack the rows of one leg-departure (see the module docstring).

    ``weight_kg``, ``volume_m3`` float64[n] per row; ``group`` int64[n] its segregation group;
    ``fcl`` int64[n] the full-load units it was routed with (0 = part load);
    ``group_types[g]`` the unit types of group ``g`` (packing unit first); ``price`` prices a
    unit for right-sizing.
    """
    cap_w = np.array([t[0].payload_kg for t in group_types])
    cap_v = np.array([t[0].volume_m3 for t in group_types])
    rows = np.arange(weight_kg.shape[0], dtype=np.int64)
    needed = units_needed(weight_kg, volume_m3, cap_w[group], cap_v[group])

    # Part loads: equal pieces that each fit a packing unit.
    loose = rows[fcl == 0]
    cuts = needed[loose]
    p_row = np.repeat(loose, cuts)
    p_share = 1.0 / np.repeat(cuts, cuts)
    p_kg = weight_kg[p_row] * p_share
    p_m3 = volume_m3[p_row] * p_share
    p_group = group[p_row]
    ffd = first_fit_decreasing(p_kg, p_m3, cap_w, cap_v, p_group)
    packing, result = ffd, None
    if exact and 0 < p_row.size <= exact_max_items:
        with warnings.catch_warnings():  # the result says whether scaling was exact
            warnings.simplefilter("ignore", ScalingWarning)
            result = solve_packing(p_kg, p_m3, cap_w, cap_v, p_group, time_limit_s=time_limit_s,
                                   seed=seed)
        if result.packing is not None:
            packing = result.packing

    # Full loads: their own units, one piece per unit.
    full = rows[fcl > 0]
    own = np.maximum(fcl[full], needed[full])
    f_row = np.repeat(full, own)
    f_share = 1.0 / np.repeat(own, own)
    n_packed = packing.n_bins
    f_unit = n_packed + np.arange(f_row.size, dtype=np.int64)

    unit_group = np.concatenate((packing.bin_group, group[f_row])).astype(np.int64)
    unit_kg = np.concatenate((packing.bin_weight_kg, weight_kg[f_row] * f_share))
    unit_m3 = np.concatenate((packing.bin_volume_m3, volume_m3[f_row] * f_share))
    unit_type = tuple(
        _right_size(group_types[int(unit_group[b])], float(unit_kg[b]), float(unit_m3[b]), price)
        if b < n_packed else group_types[int(unit_group[b])][0]
        for b in range(unit_group.shape[0]))
    return LegPacking(
        unit_type=unit_type,
        unit_group=unit_group,
        unit_dedicated=np.arange(unit_group.shape[0]) >= n_packed,
        unit_kg=unit_kg,
        unit_m3=unit_m3,
        piece_row=np.concatenate((p_row, f_row)),
        piece_unit=np.concatenate((packing.item_bin, f_unit)),
        piece_share=np.concatenate((p_share, f_share)),
        piece_kg=np.concatenate((p_kg, weight_kg[f_row] * f_share)),
        piece_m3=np.concatenate((p_m3, volume_m3[f_row] * f_share)),
        lower_bound=int(ffd.lower_bound) + int(f_row.size),
        ffd_units=ffd.n_bins + int(f_row.size),
        exact=result,
    )


def _right_size(types: tuple[UnitType, ...], kg: float, m3: float, price: UnitPrice) -> UnitType:
    """The cheapest type that holds ``kg`` and ``m3`` (ties: smallest volume, then list order);
    the packing unit ``types[0]`` always holds them."""
    best, best_key = types[0], (math.inf, math.inf, 0)
    for k, t in enumerate(types):
        if kg <= t.payload_kg * (1.0 + FIT_RTOL) and m3 <= t.volume_m3 * (1.0 + FIT_RTOL):
            key = (price(t, kg, m3), t.volume_m3, k)
            if key < best_key:
                best, best_key = t, key
    return best

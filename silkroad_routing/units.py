"""Units, modes and pricing bases used across the library.

SI inside the library: kg, m3, km, hours (float64, counted from the scenario's start), USD and
kg CO2e. Containers count in TEU (one FEU is two TEU).
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Final


class Mode(StrEnum):
    """Transport mode of a link or service."""

    AIR = "air"
    RAIL = "rail"
    SEA = "sea"
    ROAD = "road"


#: Modes in a fixed order; ``MODE_INDEX[mode]`` is the integer code used in compiled arrays.
MODES: Final[tuple[Mode, ...]] = (Mode.AIR, Mode.RAIL, Mode.SEA, Mode.ROAD)
MODE_INDEX: Final[dict[Mode, int]] = {m: i for i, m in enumerate(MODES)}
#: Pseudo-mode code of a shipment that has not yet moved (no transfer cost or time applies).
MODE_START: Final[int] = len(MODES)


class PricingBasis(StrEnum):
    """What a price is per; a shipment's quantity in each basis comes from
    :func:`silkroad_routing.compile.tariffs.quantity_vector`."""

    KG_CHARGEABLE = "kg_chargeable"  # air: max(actual kg, volumetric kg)
    KG = "kg"  # actual gross weight
    WM = "wm"  # revenue tonne, weight or measure: max(t, m3) (sea/rail LCL)
    FEU = "feu"  # one 40-foot container (sea/rail FCL)
    TRUCK = "truck"  # one full truckload (13.6 m trailer)


#: IATA volumetric divisor: cm3 per chargeable kg (IATA practice; 5000 on some routes).
AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG: Final[float] = 6000.0
#: Usable volume and payload of a 40-foot high-cube container (carrier specification sheets,
#: e.g. Maersk/Hapag-Lloyd: 76.4 m3 internal, ~26.5 t max payload); 90 % volume fill is practical.
FEU_USABLE_M3: Final[float] = 67.0
FEU_PAYLOAD_KG: Final[float] = 26_500.0
#: A shipment of at least this volume (or weight share of an FEU) moves as FCL, else as LCL.
FCL_THRESHOLD_SHARE: Final[float] = 0.5

HOURS_PER_DAY: Final[float] = 24.0
TEU_PER_FEU: Final[int] = 2
#: Volume of one ULD position on a freighter: a PMC pallet's contour at the 64 in lower-deck
#: height, m3 (``silkroad_routing/data/equipment.csv``).
ULD_POSITION_M3: Final[float] = 11.52
#: Two times this close count as equal, hours (3.6 ms): an arrival within it after the due time
#: is on time, and scans that add the same durations in different orders may differ by ulps.
TIME_TOLERANCE_H: Final[float] = 1e-6


def chargeable_weight_kg(
    weight_kg: float, volume_m3: float, divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG
) -> float:
    """Air chargeable weight in kg: ``max(actual kg, volume m3 * 1e6 / divisor)``."""
    if divisor_cm3_per_kg <= 0:
        raise ValueError(f"volumetric divisor must be positive, got {divisor_cm3_per_kg}")
    return max(weight_kg, volume_m3 * 1_000_000.0 / divisor_cm3_per_kg)


def revenue_tonnes(weight_kg: float, volume_m3: float) -> float:
    """Sea/rail LCL revenue tonnes (W/M): the larger of tonnes and cubic metres."""
    return max(weight_kg / 1000.0, volume_m3)


def feu_count(weight_kg: float, volume_m3: float, units_feu: int | None = None) -> int:
    """Number of 40-foot containers a shipment fills (at least one)."""
    if units_feu:
        return int(units_feu)
    return max(1, math.ceil(max(volume_m3 / FEU_USABLE_M3, weight_kg / FEU_PAYLOAD_KG) - 1e-9))


def is_full_container_load(weight_kg: float, volume_m3: float, units_feu: int | None = None) -> bool:
    """True when a shipment goes as FCL: containers given, or it fills half an FEU or more."""
    if units_feu:
        return True
    share = max(volume_m3 / FEU_USABLE_M3, weight_kg / FEU_PAYLOAD_KG)
    return share >= FCL_THRESHOLD_SHARE


def container_teu(weight_kg: float, volume_m3: float, units_feu: int | None = None) -> float:
    """Container space a shipment takes, TEU: whole FEUs for a full load, else its volume
    share of a TEU."""
    if is_full_container_load(weight_kg, volume_m3, units_feu):
        return float(TEU_PER_FEU * feu_count(weight_kg, volume_m3, units_feu))
    return volume_m3 / (FEU_USABLE_M3 / TEU_PER_FEU)


#: Added to an air leg's distance flown for its emissions (GLEC Framework v3, ISO 14083, give it
#: for the great circle; kept on a routing around closed airspace, which is a chain of great
#: circles between airports without the departure and arrival procedures it stands for).
AIR_EMISSION_DISTANCE_ADD_KM: Final[float] = 95.0
#: Share of a container's usable volume that consolidators fill with part loads (the four_roads
#: ``conv-fill-rate``): a part load's share of a container leg's per-TEU emissions is its W/M
#: over ``FEU_USABLE_M3 * PART_LOAD_FILL_SHARE`` (40.2 W/M an FEU), as its freight is, so that a
#: consolidated box's emissions are allocated in full.
PART_LOAD_FILL_SHARE: Final[float] = 0.6


def emission_km(mode: Mode | str, km: float) -> float:
    """The distance a leg's emission factor applies to, km: an air leg's distance flown plus
    :data:`AIR_EMISSION_DISTANCE_ADD_KM`, other legs as run."""
    return km + AIR_EMISSION_DISTANCE_ADD_KM if mode == Mode.AIR else km

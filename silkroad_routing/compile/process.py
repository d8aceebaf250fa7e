"""Process rules (cut-offs, export and import) compiled onto the timetable's arrays.

The rule (see :mod:`silkroad_routing.model.process`): at the origin, freight waits for its
export clearance and then the acceptance cut-off of its first leg's mode; at a transfer on the
way it waits at least the departing mode's acceptance cut-off (the longer of that and the
transfer's minimum connection); at the destination it waits for import clearance and release.

The origin and the transfers are carried by the transfer arrays the kernels already read
(``transfer_h`` / ``transfer_rate`` from the ``START`` state, a shipment that has not moved yet);
the destination by :func:`release_arrays`, which the plan tables add after arrival. The kernels
choose routes by arrival, so where import hours at one hub differ by the arriving mode, a route
that arrives later may be released earlier and the choice is not optimal for release; a network
should give one import time per hub (the bundled one does) until the kernels read
``release_h`` at the target.
"""

from __future__ import annotations

import numpy as np

from ..model import GENERAL_REGIME, Network, ProcessStage
from ..units import MODE_START, MODES
from .tariffs import N_QUANTITIES, handling_rate_vector, transshipment_rate_vector


def terminal_rate_vector(usd_per_feu: float, usd_per_kg: float) -> np.ndarray:
    """Rate vector of a terminal charge: per FEU for full loads (part loads pay the volume share
    per W/M, as for a transshipment) plus per kg of actual weight."""
    rate: np.ndarray = transshipment_rate_vector(usd_per_feu) + handling_rate_vector(
        usd_per_kg * 1000.0)
    return rate


def apply_origin_and_acceptance(
    network: Network, codes: tuple[str, ...], allowed: np.ndarray, transfer_h: np.ndarray,
    transfer_rate: np.ndarray, regime: str = GENERAL_REGIME,
) -> None:
    """Write export clearance and acceptance cut-offs into the transfer arrays, in place.

    ``transfer_h[hub, START, mode]`` becomes export hours + acceptance hours and
    ``transfer_rate[hub, START, mode]`` the export terminal charges; every allowed transfer into
    ``mode`` at ``hub`` takes at least the acceptance hours.
    """
    for h, code in enumerate(codes):
        for b, mode in enumerate(MODES):
            acceptance = network.process_rule(code, mode, ProcessStage.ACCEPTANCE, regime)
            export = network.process_rule(code, mode, ProcessStage.EXPORT, regime)
            cutoff_h = acceptance.hours if acceptance else 0.0
            transfer_h[h, :MODE_START, b] = np.where(
                allowed[h, :MODE_START, b], np.maximum(transfer_h[h, :MODE_START, b], cutoff_h),
                transfer_h[h, :MODE_START, b])
            transfer_h[h, MODE_START, b] = cutoff_h + (export.hours if export else 0.0)
            if export:
                transfer_rate[h, MODE_START, b] = terminal_rate_vector(export.usd_per_feu,
                                                                       export.usd_per_kg)


def release_arrays(
    network: Network, codes: tuple[str, ...], regime: str = GENERAL_REGIME,
) -> tuple[np.ndarray, np.ndarray]:
    """Import clearance and release at each hub for freight arriving by each mode:
    ``release_h[hub, mode]`` (hours after arrival) and ``release_rate[hub, mode]`` (the rate
    vector of the destination terminal charges)."""
    release_h = np.zeros((len(codes), len(MODES)), dtype=np.float64)
    release_rate = np.zeros((len(codes), len(MODES), N_QUANTITIES), dtype=np.float64)
    for h, code in enumerate(codes):
        for b, mode in enumerate(MODES):
            rule = network.process_rule(code, mode, ProcessStage.IMPORT, regime)
            if rule is not None:
                release_h[h, b] = rule.hours
                release_rate[h, b] = terminal_rate_vector(rule.usd_per_feu, rule.usd_per_kg)
    return release_h, release_rate


def arrive_by_h(release_h: np.ndarray, destination: np.ndarray, due_h: np.ndarray) -> np.ndarray:
    """Latest arrival (hours) at each shipment's destination that is released by its due time:
    ``due_h`` minus the destination's longest import release (exact where a hub has one import
    time for every mode, conservative otherwise)."""
    arrive_by: np.ndarray = due_h - release_h.max(axis=1, initial=0.0)[destination]
    return arrive_by

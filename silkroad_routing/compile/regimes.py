"""Customs regimes compiled: each regime's process rules on the timetable, and its refusals.

A regime's rule for a stage at a hub and mode is the network's rule of that regime (the hub's
own, else ``*``), else the ``general`` one: regimes only say where they differ
(:func:`regime_rule`). :func:`regime_timetable` is the timetable with the origin's export and
acceptance (the ``START`` transfers) and the destination's import and release of a regime; the
connections and links are shared. :func:`regime_refusals` says, for each shipment, which rule of
its regime (:data:`~silkroad_routing.model.REGIME_RULES`) refuses it, or nothing.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from ..model import (
    GENERAL_REGIME,
    REGIME_RULES,
    HubKind,
    Network,
    ProcessRule,
    ProcessStage,
    Regime,
)
from ..units import MODE_INDEX, MODE_START, MODES, Mode
from .process import terminal_rate_vector
from .timetable import Timetable


def regime_rule(network: Network, hub: str, mode: Mode, stage: ProcessStage,
                regime: str) -> ProcessRule | None:
    """The rule of ``regime`` at ``hub`` for ``mode`` and ``stage``, else the general one."""
    return (network.process_rule(hub, mode, stage, regime)
            or network.process_rule(hub, mode, stage, GENERAL_REGIME))


def clears(network: Network, hub: str, stage: ProcessStage, regime: str) -> bool:
    """Whether ``hub`` clears ``regime`` at ``stage`` for some mode: a rule of that regime
    (its own or ``*``) exists there."""
    return any(network.process_rule(hub, m, stage, regime) is not None for m in MODES)


def regime_timetable(network: Network, tt: Timetable, regime: str) -> Timetable:
    """``tt`` with the export, acceptance and import rules of ``regime`` (falling back to the
    general rules where it has none); ``tt`` itself for ``general``."""
    if regime == GENERAL_REGIME:
        return tt
    transfer_h = tt.transfer_h.copy()
    transfer_rate = tt.transfer_rate.copy()
    release_h = tt.release_h.copy()
    release_rate = tt.release_rate.copy()
    for h, code in enumerate(tt.hub_codes):
        for b, mode in enumerate(MODES):
            acceptance = regime_rule(network, code, mode, ProcessStage.ACCEPTANCE, regime)
            export = regime_rule(network, code, mode, ProcessStage.EXPORT, regime)
            imported = regime_rule(network, code, mode, ProcessStage.IMPORT, regime)
            cutoff_h = acceptance.hours if acceptance else 0.0
            # The transfers on the way keep the general cut-offs: a regime differs at the ends.
            transfer_h[h, MODE_START, b] = cutoff_h + (export.hours if export else 0.0)
            transfer_rate[h, MODE_START, b] = (
                terminal_rate_vector(export.usd_per_feu, export.usd_per_kg) if export else 0.0)
            release_h[h, b] = imported.hours if imported else 0.0
            release_rate[h, b] = (terminal_rate_vector(imported.usd_per_feu, imported.usd_per_kg)
                                  if imported else 0.0)
    return replace(tt, transfer_h=transfer_h, transfer_rate=transfer_rate, release_h=release_h,
                   release_rate=release_rate)


def regime_refusal(network: Network, origin: str, destination: str, regime: str,
                   mode_mask: int) -> str:
    """Why ``regime`` refuses a shipment from ``origin`` to ``destination`` allowed the modes
    of ``mode_mask`` (bits over ``units.MODES``): the rule and the hub, or ``""``."""
    rule = REGIME_RULES[Regime(regime)]
    if rule.modes and not any(mode_mask >> MODE_INDEX[m] & 1 for m in rule.modes):
        names = " or ".join(sorted(str(m) for m in rule.modes))
        return f"regime {regime} ({rule.what}) needs {names}, which the shipment does not allow"
    hubs = network.hub_by_code
    if rule.destination_kind is not None and hubs[destination].kind != rule.destination_kind:
        kind = "an overseas warehouse" if rule.destination_kind == HubKind.WAREHOUSE else (
            f"a {rule.destination_kind}")
        return (f"regime {regime} ({rule.what}) must end at {kind}: destination {destination} "
                f"is of kind {hubs[destination].kind}")
    at_origin = clears(network, origin, ProcessStage.EXPORT, regime)
    at_destination = clears(network, destination, ProcessStage.IMPORT, regime)
    if rule.either_end:
        if not (at_origin or at_destination):
            return (f"regime {regime} ({rule.what}): neither origin {origin} nor destination "
                    f"{destination} clears it")
        return ""
    if rule.origin_export and not at_origin:
        return f"regime {regime} ({rule.what}): origin {origin} does not clear its export"
    if rule.destination_import and not at_destination:
        where = _clearing(network, ProcessStage.IMPORT, regime)
        return (f"regime {regime} ({rule.what}): destination {destination} does not clear its "
                f"import" + (f" (cleared at {', '.join(where)})" if where else ""))
    return ""


def _clearing(network: Network, stage: ProcessStage, regime: str) -> list[str]:
    """Hubs with a rule of their own for ``regime`` at ``stage``."""
    return sorted({p.hub for p in network.processes
                   if p.regime == regime and p.stage == stage and p.hub in network.hub_by_code})


def regime_refusals(network: Network, origin: NDArray[np.object_],
                    destination: NDArray[np.object_], regime: NDArray[np.object_],
                    mode_mask: NDArray[np.int64]) -> NDArray[np.object_]:
    """Per shipment the reason its regime refuses it (:func:`regime_refusal`), ``""`` if none;
    each distinct (origin, destination, regime, modes) checked once."""
    out: NDArray[np.object_] = np.full(origin.shape[0], "", dtype=object)
    seen: dict[tuple[str, str, str, int], str] = {}
    for i, key in enumerate(zip(origin.tolist(), destination.tolist(), regime.tolist(),
                                mode_mask.tolist(), strict=True)):
        if key[2] == GENERAL_REGIME:
            continue
        if key not in seen:
            seen[key] = regime_refusal(network, *key)
        out[i] = seen[key]
    return out

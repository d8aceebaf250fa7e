"""Customs regimes: the procedure a shipment is declared under, and what each one requires.

China's customs supervision codes for cross-border e-commerce (GACC announcements No. 56 and
57 of 2014, No. 75 of 2020; ``networks/four_roads/README.md``, "Customs regimes"):

- ``general``: ordinary trade (the default; every network's rules are written for it);
- ``9610``: cross-border e-commerce retail, B2C parcels exported (or imported) directly,
  declared by list and summarised;
- ``9710``: cross-border e-commerce B2B direct export;
- ``9810``: cross-border e-commerce export to an overseas warehouse;
- ``1210``: bonded e-commerce: stock imported into a bonded zone, released order by order;
- ``transit``: goods under a transit procedure (TIR carnet by road, rail transit under
  SMGS/CIM) from the office of departure to the office of destination;
- ``returns``: e-commerce returns into a returns centre warehouse (GACC announcement No. 70
  of 2021).

A hub *clears* a regime at a stage when the network has a process rule of that regime for the
stage there (its own or a ``*`` rule, :meth:`Network.process_rule`). What a regime requires of
a shipment's ends is :data:`REGIME_RULES`; a shipment that breaks it is refused with a reason
naming the rule (:func:`silkroad_routing.compile.regimes.regime_refusals`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from ..units import Mode
from .hub import HubKind
from .process import GENERAL_REGIME


class Regime(StrEnum):
    """A customs regime (module docstring)."""

    GENERAL = GENERAL_REGIME
    B2C_9610 = "9610"
    B2B_9710 = "9710"
    WAREHOUSE_9810 = "9810"
    BONDED_1210 = "1210"
    TRANSIT = "transit"
    RETURNS = "returns"


@dataclass(frozen=True, slots=True)
class RegimeRule:
    """What a regime requires of a shipment.

    ``origin_export``: its origin must clear the regime's export; ``destination_import``: its
    destination must clear the regime's import; ``either_end``: one of the two is enough (9610
    covers B2C exports and direct-purchase imports); ``destination_kind``: the kind of hub it
    must end at (an overseas warehouse for 9810); ``modes``: modes of which it must be allowed
    at least one (transit runs under a TIR carnet or a rail consignment note); ``what``: the
    regime in words, for reasons.
    """

    what: str
    origin_export: bool = False
    destination_import: bool = False
    either_end: bool = False
    destination_kind: HubKind | None = None
    modes: frozenset[Mode] = frozenset()


REGIME_RULES: Final[dict[Regime, RegimeRule]] = {
    Regime.GENERAL: RegimeRule("general trade"),
    Regime.B2C_9610: RegimeRule("B2C e-commerce", origin_export=True, destination_import=True,
                                either_end=True),
    Regime.B2B_9710: RegimeRule("B2B direct export", origin_export=True),
    Regime.WAREHOUSE_9810: RegimeRule("export to an overseas warehouse", origin_export=True,
                                      destination_kind=HubKind.WAREHOUSE),
    Regime.BONDED_1210: RegimeRule("bonded e-commerce import", destination_import=True),
    Regime.TRANSIT: RegimeRule("transit", origin_export=True,
                               modes=frozenset({Mode.ROAD, Mode.RAIL})),
    Regime.RETURNS: RegimeRule("e-commerce return", destination_import=True,
                               destination_kind=HubKind.WAREHOUSE),
}

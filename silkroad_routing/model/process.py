"""Process times and charges at the ends of a journey: cargo acceptance, export and import.

One rule for every hub (``networks/README.md``, "process.csv"):

- **origin**: freight ready at its origin hub is first cleared for export there (``export``
  ``hours``), then must be accepted by the carrier of its first leg before that leg's cut-off
  (``acceptance`` ``hours`` before departure);
- **on the way**: freight that leaves a vehicle at a hub spends the hub's ``dwell_h`` there
  (border processing, port handling) and the transfer rule's minimum connection; it boards the
  next mode no later than that mode's ``acceptance`` cut-off at the hub;
- **destination**: after the last vehicle arrives (and the hub's ``dwell_h``), freight is cleared
  for import and released (``import`` ``hours``).

Charges of the ``export`` and ``import`` stages are the origin and destination terminal handling,
per FEU for full loads (part loads pay the volume share) and per kg of actual weight.
A ``regime`` names the customs procedure the rule applies to; ``general`` is the default. A
regime's rules replace the general ones where they exist (:mod:`~silkroad_routing.model.regime`,
:mod:`~silkroad_routing.compile.regimes`).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from ..units import Mode
from ._base import Record
from .transfer import RuleHub

#: The customs regime of ordinary trade, which every network's rules default to.
GENERAL_REGIME = "general"


class ProcessStage(StrEnum):
    """When a process happens: at the carrier's acceptance, at export, or at import."""

    ACCEPTANCE = "acceptance"  # cut-off: freight accepted this long before departure
    EXPORT = "export"  # export clearance at the origin, before the first departure
    IMPORT = "import"  # import clearance and release at the destination, after arrival


class ProcessRule(Record):
    """Time and charges of one process for freight of one mode at a hub (or every hub, ``*``).

    ``hours`` is the cut-off before departure (``acceptance``), the export clearance time
    (``export``) or the import clearance and release time (``import``). ``usd_per_feu`` and
    ``usd_per_kg`` are the terminal charges of the stage (acceptance carries none: its handling is
    in the transfer rules). A hub's own rule overrides the ``*`` rule for the same mode, stage
    and regime.
    """

    hub: RuleHub
    mode: Mode
    stage: ProcessStage
    regime: str = Field(default=GENERAL_REGIME, min_length=1, pattern=r"^[a-z0-9_]+$")
    hours: float = Field(default=0.0, ge=0.0, description="hours (see the class docstring)")
    usd_per_feu: float = Field(default=0.0, ge=0.0, description="terminal charge, USD per FEU")
    usd_per_kg: float = Field(default=0.0, ge=0.0, description="terminal charge, USD per kg")
    source: str = ""

    @model_validator(mode="after")
    def _acceptance_is_time_only(self) -> ProcessRule:
        if self.stage == ProcessStage.ACCEPTANCE and (self.usd_per_feu or self.usd_per_kg):
            raise ValueError("an acceptance rule carries no charge (handling is in transfers.csv)")
        return self

    @property
    def key(self) -> tuple[str, Mode, ProcessStage, str]:
        """(hub, mode, stage, regime): at most one rule per key."""
        return (self.hub, self.mode, self.stage, self.regime)

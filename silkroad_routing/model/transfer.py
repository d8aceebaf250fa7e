"""Transfer rules: minimum connection time and handling between modes at a hub."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from ..units import Mode
from ._base import Record

#: ``TransferRule.hub`` value of a rule that applies at every hub without a rule of its own.
ANY_HUB = "*"


def _upper_unless_any(value: str) -> str:
    return value.upper() if value != ANY_HUB else value


#: The hub of a rule: a hub code (upper-cased), or ``*`` for every hub without a rule of its own.
RuleHub = Annotated[str, Field(min_length=1, description="hub code, or '*' for every hub"),
                    AfterValidator(_upper_unless_any)]


class TransferRule(Record):
    """Time and cost of moving freight from an arriving mode to a departing mode at a hub.

    A shipment that stays on the same flight, train or sailing at an intermediate stop makes no
    transfer. A hub-specific rule overrides the ``*`` (every hub) rule for the same mode pair.
    """

    hub: RuleHub
    from_mode: Mode
    to_mode: Mode
    min_connection_h: float = Field(ge=0.0, description="minimum connection time, hours")
    handling_usd_per_t: float = Field(default=0.0, ge=0.0, description="handling cost, USD per tonne")
    source: str = ""

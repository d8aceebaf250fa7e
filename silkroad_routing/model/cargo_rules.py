"""Cargo-class rules: which services, links and hubs take a cargo class, and at what charge.

One :class:`ClassRule` per (scope, ref, class) says whether a service (``scope`` ``service``,
``ref`` its id), a link (``link``, its id) or a hub (``hub``, its code) takes freight of one
cargo class, with the surcharges and times that class adds there; ``ref`` ``*`` is the rule
of every service, link or hub without one of its own. A ``class`` rule (``ref`` ``*``) gives
the class's limit on time out of temperature control per transfer.

Defaults: ``general`` and ``ecommerce`` freight goes everywhere unless a rule refuses it; the
restricted classes (:data:`RESTRICTED_CLASSES`: dangerous goods, cold chain, pharma) go only
where a rule accepts them -- in a network that gives at least one rule for the class (a network
without any rule for a class does not model it, and restricts it nowhere). A hub's rule
governs the freight handled there: starting, changing vehicle, or ending a journey (freight
that stays aboard at an intermediate stop is not handled).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from pydantic import Field, model_validator

from ..units import PricingBasis
from ._base import Record
from .shipment import CargoClass

#: Classes carried only where a rule accepts them; the others go wherever no rule refuses them.
RESTRICTED_CLASSES: Final[frozenset[CargoClass]] = frozenset(
    {CargoClass.DANGEROUS_GOODS, CargoClass.COLD_CHAIN, CargoClass.PHARMA})
#: ``ClassRule.ref`` of the rule of every service, link or hub without one of its own.
ANY_REF: Final[str] = "*"


class RuleScope(StrEnum):
    """What a class rule is about."""

    SERVICE = "service"  # a scheduled service (ref: service id)
    LINK = "link"  # an unscheduled link, trucks (ref: link id)
    HUB = "hub"  # handling at a hub (ref: hub code)
    CLASS = "class"  # the class itself (ref: *): its limit on time out of temperature control


class ClassRule(Record):
    """Whether ``ref`` takes freight of ``cargo_class``, and what that class adds there.

    Services and links: ``surcharge_usd`` per ``surcharge_basis`` for the whole run (a shipment
    riding part of a service pays the distance share, like the fare); ``reefer_teu`` the
    reefer space per departure (plugs on trains and ships, active ULDs on flights, in TEU;
    ``None``: not limited apart from the service's capacity). Hubs: ``extra_connection_h`` on
    top of every minimum connection (and acceptance cut-off) for this class, ``handling_usd_per_t``
    on top of the handling charge of every transfer, and ``exposure_h``, the time the freight
    spends out of temperature control at each transfer there. A ``class`` rule gives
    ``max_exposure_h``: transfers at hubs whose ``exposure_h`` exceeds it are refused.
    """

    scope: RuleScope
    ref: str = Field(min_length=1)
    cargo_class: CargoClass
    accepts: bool = True
    surcharge_usd: float = Field(default=0.0, ge=0.0)
    surcharge_basis: PricingBasis | None = None
    reefer_teu: float | None = Field(default=None, ge=0.0)
    extra_connection_h: float = Field(default=0.0, ge=0.0)
    handling_usd_per_t: float = Field(default=0.0, ge=0.0)
    exposure_h: float | None = Field(default=None, ge=0.0)
    max_exposure_h: float | None = Field(default=None, ge=0.0)
    source: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> ClassRule:
        if self.surcharge_usd > 0 and self.surcharge_basis is None:
            raise ValueError("a surcharge needs its surcharge_basis (kg, kg_chargeable, wm, feu, "
                             "truck)")
        moving = (RuleScope.SERVICE, RuleScope.LINK)
        if self.scope not in moving and (self.surcharge_usd or self.reefer_teu is not None):
            raise ValueError("surcharge_usd and reefer_teu belong to service and link rules")
        if self.scope != RuleScope.HUB and (self.extra_connection_h or self.handling_usd_per_t
                                            or self.exposure_h is not None):
            raise ValueError("extra_connection_h, handling_usd_per_t and exposure_h belong to "
                             "hub rules")
        if self.scope == RuleScope.CLASS and self.ref != ANY_REF:
            raise ValueError("a class rule applies to the class as a whole: ref must be '*'")
        if self.scope != RuleScope.CLASS and self.max_exposure_h is not None:
            raise ValueError("max_exposure_h belongs to class rules")
        return self

    @property
    def key(self) -> tuple[RuleScope, str, CargoClass]:
        """(scope, ref, class): at most one rule per key."""
        return (self.scope, self.ref, self.cargo_class)


def rule_for(rules: dict[tuple[RuleScope, str, CargoClass], ClassRule], scope: RuleScope,
             ref: str, cargo_class: CargoClass) -> ClassRule | None:
    """The rule of ``ref``: its own, else the ``*`` rule of its scope, else None."""
    return rules.get((scope, ref, cargo_class)) or rules.get((scope, ANY_REF, cargo_class))


def accepted(rule: ClassRule | None, restricted: bool) -> bool:
    """Whether a service, link or hub with ``rule`` (None: no rule) takes a class that is
    ``restricted`` (carried only where a rule accepts it) or not."""
    if rule is None:
        return not restricted
    return rule.accepts


def is_restricted(rules: tuple[ClassRule, ...], cargo_class: CargoClass) -> bool:
    """Whether ``cargo_class`` goes only where a rule accepts it: a restricted class that the
    rules mention at all."""
    return cargo_class in RESTRICTED_CLASSES and any(r.cargo_class == cargo_class for r in rules)

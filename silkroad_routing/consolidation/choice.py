"""Which loading units each mode packs into: the unit choice per mode, resolved against a catalog.

A :class:`UnitChoice` names unit types by catalog code (``silkroad_routing/data/equipment.csv``):
``dry`` for the packing groups that need no reefer, ``reefer`` for those that do (cold chain).
The first code of each list is the *packing unit* (shipments are packed into it); the others are
*right-sizing* alternatives: once packed, each unit becomes the cheapest listed type that holds
its load (ties: the smallest volume), so that a half-empty 40-foot container can travel as a
20-foot one, a light air pallet as an AKE.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ..errors import InputError
from ..model.equipment import EquipmentCatalog, UnitKind, UnitType
from ..units import Mode


@dataclass(frozen=True, slots=True)
class UnitChoice:
    """Unit type codes one mode packs into (see the module docstring).

    ``reefer`` None means the catalog offers this mode no refrigerated unit: groups that need one
    are still packed apart (segregation holds) but into the ``dry`` types, and the
    :class:`~silkroad_routing.consolidation.Consolidation` says so in its ``reefer`` column.
    """

    dry: tuple[str, ...]
    reefer: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not self.dry or (self.reefer is not None and not self.reefer):
            raise ValueError("a unit choice needs at least one unit type per list")


#: Default units per mode: 40-foot high cubes (right-sized to 20-foot boxes) and 40-foot reefers
#: (or 20-foot) on rail and sea; the 13.6 m trailer on the road, where cold chain rides in a
#: reefer container on a chassis; PMC pallets (right-sized to PAG or AKE) on air, where the
#: catalog has no temperature-controlled ULD.
DEFAULT_UNITS: Final[Mapping[Mode, UnitChoice]] = {
    Mode.RAIL: UnitChoice(("40HC", "20GP"), ("40RF", "20RF")),
    Mode.SEA: UnitChoice(("40HC", "20GP"), ("40RF", "20RF")),
    Mode.ROAD: UnitChoice(("TRL136",), ("40RF",)),
    Mode.AIR: UnitChoice(("PMC", "PAG", "AKE"), None),
}


@dataclass(frozen=True, slots=True)
class ResolvedChoice:
    """A :class:`UnitChoice` as unit types: ``dry`` and ``reefer`` (None: no reefer unit)."""

    dry: tuple[UnitType, ...]
    reefer: tuple[UnitType, ...] | None

    def for_group(self, needs_reefer: bool) -> tuple[UnitType, ...]:
        """Types a packing group is packed into (packing unit first)."""
        if needs_reefer and self.reefer is not None:
            return self.reefer
        return self.dry


def resolve_units(
    catalog: EquipmentCatalog, units: Mapping[Mode | str, UnitChoice] | None,
) -> dict[Mode, ResolvedChoice]:
    """Unit types per mode: ``units`` (by mode) over :data:`DEFAULT_UNITS`, checked against the
    catalog. Raises :class:`InputError` for an unknown code, a type that does not ride the mode,
    or a reefer list holding a dry type."""
    merged: dict[Mode, UnitChoice] = dict(DEFAULT_UNITS)
    for mode, choice in (units or {}).items():
        try:
            merged[Mode(mode)] = choice
        except ValueError:
            raise InputError("unknown mode", field="units", value=mode) from None
    out: dict[Mode, ResolvedChoice] = {}
    for mode, choice in merged.items():
        dry = tuple(_unit(catalog, code, mode, reefer=False) for code in choice.dry)
        reefer = None if choice.reefer is None else tuple(
            _unit(catalog, code, mode, reefer=True) for code in choice.reefer)
        out[mode] = ResolvedChoice(dry, reefer)
    return out


def _unit(catalog: EquipmentCatalog, code: str, mode: Mode, *, reefer: bool) -> UnitType:
    field = f"units.{mode}.{'reefer' if reefer else 'dry'}"
    try:
        unit = catalog.unit(code)
    except KeyError:
        raise InputError("no unit type with this code in the equipment catalog", field=field,
                         value=code) from None
    if mode not in unit.modes:
        raise InputError(f"unit type does not ride {mode} (its modes: "
                         f"{', '.join(sorted(unit.modes))})", field=field, value=code)
    if reefer and unit.kind is not UnitKind.REEFER:
        raise InputError("not a reefer", field=field, value=code)
    return unit

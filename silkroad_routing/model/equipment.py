"""Equipment: the units freight is packed into and the carriers those units ride on.

- :class:`UnitType`: a loading unit with a capacity — ISO containers (dry and reefer), air ULDs
  (pallets and containers) and the 13.6 m road trailer.
- :class:`WagonType`: a container flat wagon (length over buffers, tare, payload, loading length
  in TEU slots).
- :class:`AircraftType`: a freighter's payload and its main- and lower-deck positions.
- :class:`SegregationRules`: which cargo classes may share a unit, and which need a reefer.
- :class:`EquipmentCatalog`: all of the above, read from ``silkroad_routing/data/equipment.csv``
  by :func:`silkroad_routing.io.load_equipment`.

Every figure carries ``source`` keys into the catalog's sources (``equipment_sources.csv``).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from pydantic import Field, model_validator

from ..units import Mode, PricingBasis
from ._base import Record
from .network import Source, source_keys
from .shipment import CargoClass

_T = TypeVar("_T")


class UnitKind(StrEnum):
    """What a loading unit is."""

    CONTAINER = "container"  # ISO dry container
    REEFER = "reefer"  # ISO refrigerated container (the only home of cold-chain cargo)
    ULD_PALLET = "uld_pallet"  # air pallet (PMC, PAG), built up with a net
    ULD_CONTAINER = "uld_container"  # air container (AKE / LD3)
    TRAILER = "trailer"  # road semi-trailer


class Deck(StrEnum):
    """Deck of a freighter."""

    MAIN = "main"
    LOWER = "lower"


class UnitType(Record):
    """A loading unit: its capacity, tare, size and how it is priced.

    ``volume_m3`` is the internal (container, trailer) or contour (ULD) volume, m3;
    ``payload_kg`` the most cargo it may hold (maximum gross minus tare), kg; ``tare_kg`` its
    empty mass (None where the sources give only the maximum gross: then ``payload_kg`` is that
    maximum gross, an upper bound). ``length_m`` is the external length and ``teu`` the
    twenty-foot equivalents of a container. For ULDs, ``decks`` lists where on a freighter the
    unit may ride. ``pricing_basis`` is how a unit-based tariff counts this unit (a 20-foot
    container priced per FEU counts ``teu / 2``).
    """

    code: str = Field(min_length=1, pattern=r"^[A-Z0-9][A-Z0-9_\-]*$")
    name: str = Field(min_length=1)
    kind: UnitKind
    modes: frozenset[Mode]
    volume_m3: float = Field(gt=0.0)
    payload_kg: float = Field(gt=0.0)
    tare_kg: float | None = Field(default=None, ge=0.0)
    length_m: float | None = Field(default=None, gt=0.0)
    teu: int | None = Field(default=None, ge=1, le=2)
    decks: frozenset[Deck] = frozenset()
    pricing_basis: PricingBasis
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> UnitType:
        is_uld = self.kind in (UnitKind.ULD_PALLET, UnitKind.ULD_CONTAINER)
        is_box = self.kind in (UnitKind.CONTAINER, UnitKind.REEFER)
        if is_uld and not self.decks:
            raise ValueError(f"ULD {self.code} needs the decks it may ride on (main;lower)")
        if not is_uld and self.decks:
            raise ValueError(f"{self.code} is not a ULD: decks are for ULDs")
        if is_box and (self.teu is None or self.length_m is None):
            raise ValueError(f"container {self.code} needs teu and length_m")
        if not is_box and self.teu is not None:
            raise ValueError(f"{self.code} is not a container: teu is for containers")
        return self

    @property
    def reefer(self) -> bool:
        """True for a refrigerated unit."""
        return self.kind is UnitKind.REEFER

    @property
    def max_gross_kg(self) -> float:
        """Maximum gross mass: payload plus tare (tare 0 when unknown), kg."""
        return self.payload_kg + (self.tare_kg or 0.0)


class WagonType(Record):
    """A container flat wagon.

    ``length_m`` is the length over buffers (what counts against a train's length), ``tare_kg``
    its empty mass, ``payload_kg`` the load limit (at the line class stated in the source) and
    ``slots_teu`` its loading length in twenty-foot slots: an 80-foot wagon has 4 and carries two
    FEU, four TEU or one FEU and two TEU; a 60-foot wagon has 3; a 40-foot wagon 2.
    ``gauge_mm`` is the track gauge it runs on.
    """

    code: str = Field(min_length=1, pattern=r"^[A-Z0-9][A-Z0-9_\-]*$")
    name: str = Field(min_length=1)
    length_m: float = Field(gt=0.0)
    tare_kg: float = Field(gt=0.0)
    payload_kg: float = Field(gt=0.0)
    slots_teu: int = Field(ge=1, le=8)
    gauge_mm: int = 1435
    source: str = Field(min_length=1)


class AircraftType(Record):
    """A freighter: maximum structural payload and ULD positions per deck.

    ``payload_kg`` is the maximum payload (ULD tare included). ``main_deck_positions`` counts
    96 x 125 in pallet positions on the main deck; ``lower_deck_pallet_positions`` and
    ``lower_deck_container_positions`` are the lower deck's pallet and LD3-size container
    positions in its published layout. A lower-deck pallet position may take
    :data:`LD3_PER_PALLET_POSITION` LD3-base containers instead of a pallet (one side-by-side
    row of 60.4 in deep containers on a 96 in long position; conservative).
    """

    code: str = Field(min_length=1, pattern=r"^[A-Z0-9][A-Z0-9_\-]*$")
    name: str = Field(min_length=1)
    payload_kg: float = Field(gt=0.0)
    main_deck_positions: int = Field(ge=0)
    lower_deck_pallet_positions: int = Field(ge=0)
    lower_deck_container_positions: int = Field(ge=0)
    source: str = Field(min_length=1)


#: LD3-base containers that fit one lower-deck pallet position instead of a pallet.
LD3_PER_PALLET_POSITION = 2


#: Default segregation: general cargo and e-commerce may share; cold chain (food) rides alone,
#: in reefers; pharma rides alone, in reefers (GDP keeps medicines apart from food); dangerous
#: goods (e.g. lithium batteries, UN 3480/3481) never share a unit with another class.
DEFAULT_GROUPS: tuple[frozenset[CargoClass], ...] = (
    frozenset({CargoClass.GENERAL, CargoClass.ECOMMERCE}),
    frozenset({CargoClass.COLD_CHAIN}),
    frozenset({CargoClass.DANGEROUS_GOODS}),
    frozenset({CargoClass.PHARMA}),
)


class SegregationRules(Record):
    """Which cargo classes may share a unit.

    ``groups`` partitions the cargo classes: classes in one group may share a unit, classes in
    different groups never do (an equivalence relation, so that packing splits into independent
    groups). ``reefer_classes`` must ride in reefers; a group that holds one holds only such
    classes. This is a deliberately simple table: IMDG/IATA segregation between dangerous-goods
    classes ("away from", "separated from") is not modelled; all dangerous goods form one group.
    """

    groups: tuple[frozenset[CargoClass], ...] = DEFAULT_GROUPS
    reefer_classes: frozenset[CargoClass] = frozenset({CargoClass.COLD_CHAIN, CargoClass.PHARMA})

    @model_validator(mode="after")
    def _partition(self) -> SegregationRules:
        seen: set[CargoClass] = set()
        for group in self.groups:
            if not group:
                raise ValueError("a segregation group is empty")
            overlap = seen & group
            if overlap:
                raise ValueError(f"cargo class {sorted(overlap)[0]!r} is in two groups")
            seen |= group
            cold = group & self.reefer_classes
            if cold and cold != group:
                raise ValueError(f"group {sorted(group)} mixes reefer and non-reefer classes")
        missing = set(CargoClass) - seen
        if missing:
            raise ValueError(f"cargo class {sorted(missing)[0]!r} is in no group")
        return self

    def group_of(self, cargo_class: CargoClass) -> int:
        """Index of the group of ``cargo_class``."""
        for i, group in enumerate(self.groups):
            if cargo_class in group:
                return i
        raise KeyError(cargo_class)  # unreachable: the groups cover every class

    def needs_reefer(self, group: int) -> bool:
        """True when the units of group ``group`` must be reefers."""
        return bool(self.groups[group] & self.reefer_classes)


class EquipmentCatalog(Record):
    """Unit, wagon and aircraft types with the sources of their figures."""

    units: tuple[UnitType, ...]
    wagons: tuple[WagonType, ...] = ()
    aircraft: tuple[AircraftType, ...] = ()
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> EquipmentCatalog:
        codes = [x.code for x in self._all]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"duplicate equipment code {dup[0]!r}")
        if self.sources:
            known = {s.key for s in self.sources}
            for item in self._all:
                for key in source_keys(item.source):
                    if key not in known:
                        raise ValueError(f"unknown source key {key!r} on {item.code}")
        return self

    @cached_property
    def by_code(self) -> dict[str, UnitType | WagonType | AircraftType]:
        """Every type keyed by code."""
        return {x.code: x for x in self._all}

    @property
    def _all(self) -> tuple[UnitType | WagonType | AircraftType, ...]:
        return (*self.units, *self.wagons, *self.aircraft)

    def unit(self, code: str) -> UnitType:
        """The unit type with this code; ``KeyError`` naming it otherwise."""
        return self._typed(code, UnitType)

    def wagon(self, code: str) -> WagonType:
        """The wagon type with this code; ``KeyError`` naming it otherwise."""
        return self._typed(code, WagonType)

    def aircraft_type(self, code: str) -> AircraftType:
        """The aircraft type with this code; ``KeyError`` naming it otherwise."""
        return self._typed(code, AircraftType)

    def _typed(self, code: str, cls: type[_T]) -> _T:
        item = self.by_code.get(code)
        if not isinstance(item, cls):
            raise KeyError(f"no {cls.__name__} with code {code!r}")
        return item

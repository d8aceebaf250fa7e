"""Shipments: what has to move, from where to where, and when."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from ..units import MODES, Mode
from ._base import Record
from .regime import Regime


class CargoClass(StrEnum):
    """Handling class of a shipment; it decides which units and segregation rules apply."""

    GENERAL = "general"
    ECOMMERCE = "ecommerce"
    COLD_CHAIN = "cold_chain"
    DANGEROUS_GOODS = "dangerous_goods"  # e.g. lithium batteries (UN 3480/3481)
    PHARMA = "pharma"  # medicines under GDP: temperature-controlled, certified handling only


class Shipment(Record):
    """One consignment.

    ``ready`` and ``due`` are timezone-aware datetimes; ``units_feu`` (optional) forces a full
    container load of that many 40-foot containers; ``declared_value_usd`` prices the time in
    transit (capital tied up); ``modes`` restricts which modes may carry it. ``regime`` is the
    customs regime it is declared under (:mod:`~silkroad_routing.model.regime`);
    ``storage_days`` the days it is expected to be stored at a destination warehouse (priced at
    the hub's ``storage_usd_per_m3_day``).
    """

    id: str = Field(min_length=1)
    origin: str = Field(min_length=2)
    destination: str = Field(min_length=2)
    ready: datetime
    due: datetime | None = None
    weight_kg: float = Field(gt=0.0)
    volume_m3: float = Field(gt=0.0)
    units_feu: int | None = Field(default=None, ge=1)
    cargo_class: CargoClass = CargoClass.GENERAL
    declared_value_usd: float = Field(default=0.0, ge=0.0)
    modes: frozenset[Mode] = frozenset(MODES)
    regime: Regime = Regime.GENERAL
    storage_days: float = Field(default=0.0, ge=0.0, le=3650.0)

    @field_validator("regime", mode="before")
    @classmethod
    def _regime_code(cls, value: object) -> object:
        # Supervision codes such as 1210 arrive as numbers from spreadsheets and Parquet.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("ready", "due")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("datetime must carry a timezone (e.g. 2026-12-01T08:00:00+08:00)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Shipment:
        if self.origin == self.destination:
            raise ValueError(f"origin and destination are the same hub ({self.origin})")
        if self.due is not None and self.due <= self.ready:
            raise ValueError(f"due {self.due.isoformat()} is not after ready {self.ready.isoformat()}")
        if not self.modes:
            raise ValueError("at least one mode must be allowed")
        return self

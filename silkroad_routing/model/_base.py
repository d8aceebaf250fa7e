"""Shared configuration of the model's pydantic classes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """Immutable, strictly validated record: unknown fields are errors, values are checked."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

"""Shared configuration of the model's pydantic classes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """Immutable, strictly validated record: unknown fields are errors, values are checked."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied, validated afresh.

        Pydantic's own ``model_copy`` neither validates the update nor forgets cached lookups
        (such as :attr:`Network.hub_by_code`), so a copy could hold invalid values or stale
        caches; building a new record avoids both. ``deep`` is accepted for compatibility:
        records are immutable, so sharing their parts is safe.
        """
        values = {name: getattr(self, name) for name in type(self).model_fields}
        values.update(update or {})
        return type(self)(**values)


def country_codes(value: frozenset[str]) -> frozenset[str]:
    """ISO 3166 alpha-2 codes, upper case; ``ValueError`` naming the first that is not one."""
    out = frozenset(v.strip().upper() for v in value)
    bad = sorted(c for c in out if not (len(c) == 2 and c.isascii() and c.isalpha()))
    if bad:
        raise ValueError(f"{bad[0]!r} is not an ISO 3166 alpha-2 country code")
    return out

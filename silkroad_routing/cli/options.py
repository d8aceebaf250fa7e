"""Parsing of the options ``silkroad route`` and ``silkroad matrix`` share: hub codes, dates,
time zones and mode lists, each failing with one message naming the option and the value."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import TypeAdapter, ValidationError

from ..errors import InputError
from ..model import Network
from ..scenario.schema import DateTime, localize
from ..units import MODES, Mode

_WHEN = TypeAdapter(DateTime)


def time_zone(name: str, option: str = "--timezone") -> ZoneInfo:
    """The IANA time zone ``name``."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("unknown IANA time zone", field=option, value=name) from None


def moment(text: str, option: str, tz: ZoneInfo) -> datetime:
    """A date or date-time (ISO); one without an offset is in ``tz``."""
    try:
        return localize(_WHEN.validate_python(text), tz)
    except ValidationError:
        raise InputError("not a date or date-time (use 2026-11-02 or 2026-11-02T08:00+08:00)",
                         field=option, value=text) from None


def hub_code(network: Network, code: str, option: str) -> str:
    """``code`` upper-cased, if the network has that hub."""
    code = code.upper()
    if code not in network.hub_by_code:
        known = ", ".join(sorted(network.hub_by_code))
        raise InputError(f"unknown hub code in network {network.name!r} (known: {known})",
                         field=option, value=code)
    return code


def mode_set(text: str | None, option: str = "--modes") -> frozenset[Mode]:
    """Modes from ``rail,sea,road`` (all modes when None)."""
    if text is None:
        return frozenset(MODES)
    try:
        allowed = frozenset(Mode(m.strip().lower()) for m in text.split(",") if m.strip())
    except ValueError:
        raise InputError(f"unknown mode (use {', '.join(MODES)})", field=option,
                         value=text) from None
    if not allowed:
        raise InputError(f"needs at least one mode (use {', '.join(MODES)})", field=option,
                         value=text)
    return allowed


def positive(value: float | None, option: str) -> None:
    """Fail unless ``value`` (if given) is a positive number."""
    if value is not None and not value > 0:
        raise InputError("must be positive", field=option, value=value)

"""Parsing of the options ``silkroad route`` and ``silkroad matrix`` share: hub codes, dates,
time zones and mode lists, each failing with one message naming the option and the value."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import TypeAdapter, ValidationError

from ..errors import InputError
from ..model import Network
from ..scenario.hub_hint import unknown_hub_message
from ..scenario.schema import DateTime, localize
from ..units import MODES, Mode

_WHEN = TypeAdapter(DateTime)


def time_zone(name: str, option: str = "--timezone") -> ZoneInfo:
    """The IANA time zone ``name``."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError("unknown IANA time zone", field=option, value=name) from None


def moment(text: str, option: str, tz: ZoneInfo) -> datetime:
    """A date or date-time (ISO); one without an offset is in ``tz``."""
    try:
        return localize(_WHEN.validate_python(text), tz)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise InputError(f"not a usable date or date-time: {reason} (use 2026-11-02 or "
                         "2026-11-02T08:00+08:00)", field=option, value=text) from None


def hub_code(network: Network, code: str, option: str) -> str:
    """``code`` upper-cased, if the network has that hub (else an error suggesting hubs: a city
    name gets its hub code)."""
    code = code.upper()
    if code not in network.hub_by_code:
        raise InputError(unknown_hub_message(network, code), field=option, value=code)
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
        raise InputError(f"no mode given (use some of {', '.join(MODES)})", field=option,
                         value=text)
    return allowed


def positive(value: float | None, option: str, most: float = math.inf) -> None:
    """Fail unless ``value`` (if given) is a finite positive number of at most ``most``."""
    if value is not None and not (math.isfinite(value) and 0 < value <= most):
        raise InputError(f"must be a positive number of at most {most:,.0f}"
                         if math.isfinite(most) else "must be a finite positive number",
                         field=option, value=value)

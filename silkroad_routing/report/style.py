"""How the maps look: the mode palette and the scales of line width and hub size.

Both maps (HTML and PNG) use these, so a route has the same colour and relative width in each.
Colours are from the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies): air vermillion, rail bluish green, sea blue, road reddish purple.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from ..plan import Plan
from ..units import MODES, Mode

#: Route colour of each mode (hex RGB).
MODE_COLOURS: Final[dict[Mode, str]] = {
    Mode.AIR: "#D55E00",
    Mode.RAIL: "#009E73",
    Mode.SEA: "#0072B2",
    Mode.ROAD: "#CC79A7",
}
#: Hub markers: fill and outline.
HUB_FILL: Final[str] = "#333333"
HUB_EDGE: Final[str] = "#FFFFFF"
#: Text of hub labels (on a white halo).
LABEL_COLOUR: Final[str] = "#1A1A1A"
#: Background: sea, land, country borders.
SEA_COLOUR: Final[str] = "#E3EDF4"
LAND_COLOUR: Final[str] = "#F4F1EA"
BORDER_COLOUR: Final[str] = "#C9C3B8"

#: Route width range: CSS pixels on the HTML map, points on the PNG.
LINE_WIDTH_MIN: Final[float] = 2.0
LINE_WIDTH_MAX: Final[float] = 9.0
#: Hub marker radius range: CSS pixels on the HTML map, points on the PNG.
HUB_RADIUS_MIN: Final[float] = 3.0
HUB_RADIUS_MAX: Final[float] = 10.0


def _sqrt_scale(value: float, largest: float, low: float, high: float) -> float:
    if not (largest > 0 and value > 0):
        return low
    return low + (high - low) * math.sqrt(min(value / largest, 1.0))


def line_width(weight_t: float, largest_t: float) -> float:
    """Width of a route carrying ``weight_t`` tonnes when the busiest carries ``largest_t``.

    Grows with the square root of the tonnes, from :data:`LINE_WIDTH_MIN` to
    :data:`LINE_WIDTH_MAX` (so that thin flows stay visible next to a heavy one).
    """
    return _sqrt_scale(weight_t, largest_t, LINE_WIDTH_MIN, LINE_WIDTH_MAX)


def hub_radius(throughput_t: float, largest_t: float) -> float:
    """Radius of a hub handling ``throughput_t`` tonnes when the busiest handles ``largest_t``.

    The marker's area grows with the tonnes: radius from :data:`HUB_RADIUS_MIN` to
    :data:`HUB_RADIUS_MAX` with the square root of the share of the largest.
    """
    return _sqrt_scale(throughput_t, largest_t, HUB_RADIUS_MIN, HUB_RADIUS_MAX)


def mode_order(modes: Iterable[str]) -> list[Mode]:
    """The modes among ``modes`` (mode names) in the library's fixed order (air, rail, sea, road)."""
    present = {str(m) for m in modes}
    return [m for m in MODES if str(m) in present]


def plan_caption(plan: Plan, tz: str | tzinfo = "UTC") -> str:
    """One line about ``plan`` under a map's title: shipments routed, tonnes, objective, and the
    first day of the horizon (in time zone ``tz``)."""
    chosen = plan.selected().shipments
    routed_t = float(chosen.loc[chosen["routed"], "weight_kg"].sum()) / 1000.0
    start = plan.start.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)
    return (f"{plan.n_routed:,} of {len(plan):,} shipments routed, {routed_t:,.1f} t; "
            f"objective {plan.objective}; horizon from {start:%Y-%m-%d}")

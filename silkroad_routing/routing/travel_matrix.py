"""Travel-time and cost matrices over a window of ready times, and the arrive-by search.

A timetable's answer depends on when the freight is ready: a block train leaves twice a week, a
freighter daily. Like r5py's travel-time matrix for passengers, :func:`matrix` routes every
origin-destination pair at each ready time of a window (``ready_from``, ``ready_from + step``,
... up to ``ready_to``) with the public :func:`~.router.route`, and gives per pair the
percentiles of transit time and cost over those ready times. :func:`latest_ready` answers the
reverse question: the latest ready time that still meets a due date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model import CargoClass, Network, Shipment
from ..plan import Plan
from ..units import MODES, Mode
from .router import OBJECTIVES, route

#: Columns of :attr:`TravelMatrix.cells` (one row per origin, destination and ready time).
CELL_COLUMNS: Final[tuple[str, ...]] = (
    "origin", "destination", "ready", "routed", "status", "departure", "arrival", "hours",
    "cost_usd", "co2e_kg", "modes",
)
#: Percentiles of transit hours and cost in :attr:`TravelMatrix.summary`.
DEFAULT_PERCENTILES: Final[tuple[float, ...]] = (5.0, 50.0, 95.0)
#: Measures summarised per pair.
MEASURES: Final[tuple[str, ...]] = ("hours", "cost_usd")


@dataclass(frozen=True, slots=True)
class TravelMatrix:
    """The routes of every pair and ready time (``cells``: :data:`CELL_COLUMNS`; UTC times,
    hours from ready to arrival, USD, kg CO2e) and per pair (``summary``): ``ready_times``
    tried, ``routed`` (how many found a route), then ``hours_p<q>`` and ``cost_usd_p<q>`` for
    each percentile ``q`` over the routed ready times (NaN when none was routed)."""

    cells: pd.DataFrame
    summary: pd.DataFrame
    objective: str
    percentiles: tuple[float, ...]


def ready_times(ready_from: datetime, ready_to: datetime, step_h: float) -> list[datetime]:
    """``ready_from``, ``ready_from + step_h``, ... up to and including ``ready_to``."""
    for name, value in (("ready_from", ready_from), ("ready_to", ready_to)):
        if value.tzinfo is None:
            raise InputError("datetime must carry a timezone", field=name, value=value.isoformat())
    if not step_h > 0:
        raise InputError("must be positive", field="step_h", value=step_h)
    if ready_to < ready_from:
        raise InputError(f"is before ready_from ({ready_from.isoformat()})", field="ready_to",
                         value=ready_to.isoformat())
    n = int(np.floor((ready_to - ready_from) / timedelta(hours=step_h) + 1e-9)) + 1
    return [ready_from + timedelta(hours=step_h * i) for i in range(n)]


def _pairs(network: Network, origins: Iterable[str], destinations: Iterable[str]
           ) -> list[tuple[str, str]]:
    origins, destinations = list(dict.fromkeys(origins)), list(dict.fromkeys(destinations))
    for field, codes in (("origins", origins), ("destinations", destinations)):
        if not codes:
            raise InputError("needs at least one hub code", field=field)
        for code in codes:
            if code not in network.hub_by_code:
                raise InputError(f"unknown hub code in network {network.name!r}", field=field,
                                 value=code)
    return [(o, d) for o in origins for d in destinations if o != d]


def matrix(
    network: Network,
    origins: Iterable[str],
    destinations: Iterable[str],
    ready_from: datetime,
    ready_to: datetime,
    objective: str = "fastest",
    *,
    step_h: float = 24.0,
    weight_kg: float = 1000.0,
    volume_m3: float = 4.0,
    units_feu: int | None = None,
    cargo_class: CargoClass = CargoClass.GENERAL,
    modes: Iterable[Mode] = MODES,
    percentiles: Sequence[float] = DEFAULT_PERCENTILES,
) -> TravelMatrix:
    """Route a shipment of ``weight_kg`` and ``volume_m3`` (``units_feu``, ``cargo_class``,
    ``modes`` as in :class:`~silkroad_routing.model.Shipment`) between every origin and
    destination (pairs of one hub are skipped) at each ready time from ``ready_from`` to
    ``ready_to`` every ``step_h`` hours, by ``objective``; see :class:`TravelMatrix`.

    Each ready time is one :func:`~.router.route` call for all pairs, so a cell is what a
    single ``route`` call for that shipment returns. Raises :class:`InputError` for an unknown
    hub, objective or percentile, or a bad window.
    """
    if objective not in OBJECTIVES or objective == "pareto":
        raise InputError("unknown objective (one route per cell: use cheapest, fastest, "
                         "greenest or generalized)", field="objective", value=objective)
    qs = tuple(float(q) for q in percentiles)
    if not qs or not all(0.0 <= q <= 100.0 for q in qs):
        raise InputError("percentiles must lie in 0..100", field="percentiles", value=qs)
    pairs = _pairs(network, origins, destinations)
    allowed = frozenset(modes)
    frames = []
    for ready in ready_times(ready_from, ready_to, step_h):
        shipments = [Shipment(id=f"{o}>{d}", origin=o, destination=d, ready=ready,
                              weight_kg=weight_kg, volume_m3=volume_m3, units_feu=units_feu,
                              cargo_class=cargo_class, modes=allowed) for o, d in pairs]
        # Each cell as a shipment alone: the pairs share no capacity.
        frames.append(_cells(route(network, shipments, objective, capacity="ignore")))
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CELL_COLUMNS)
    return TravelMatrix(cells, _summary(cells, qs), objective, qs)


def _cells(plan: Plan) -> pd.DataFrame:
    return plan.shipments[list(CELL_COLUMNS)].reset_index(drop=True)


def _summary(cells: pd.DataFrame, percentiles: tuple[float, ...]) -> pd.DataFrame:
    rows = []
    for (origin, destination), group in cells.groupby(["origin", "destination"], sort=False):
        routed = group[group["routed"].astype(bool)]
        row: dict[str, object] = {"origin": origin, "destination": destination,
                                  "ready_times": len(group), "routed": len(routed)}
        for measure in MEASURES:
            values = routed[measure].to_numpy(dtype=np.float64)
            for q in percentiles:
                row[f"{measure}_p{q:g}"] = (float(np.percentile(values, q)) if values.size
                                            else np.nan)
        rows.append(row)
    columns = ["origin", "destination", "ready_times", "routed",
               *(f"{m}_p{q:g}" for m in MEASURES for q in percentiles)]
    return pd.DataFrame(rows, columns=columns)


def _on_time(network: Network, shipment: Shipment, ready: datetime) -> bool:
    plan = route(network, [shipment.model_copy(update={"ready": ready})], "fastest")
    first = plan.shipments.iloc[0]
    return bool(first["routed"]) and bool(first["on_time"])


def latest_ready(network: Network, shipment: Shipment, *, earliest: datetime | None = None,
                 resolution_min: float = 1.0) -> datetime | None:
    """The latest ready time, to ``resolution_min`` minutes, from which ``shipment`` still
    reaches its destination by its ``due`` date (its own ``ready`` is ignored); None if even
    ready at ``earliest`` (default: 60 days before due) it cannot.

    Bisection on the fastest route: on a timetable (and on trucks that leave any time) being
    ready later never arrives earlier, so on-time is monotone in the ready time.
    """
    if shipment.due is None:
        raise InputError("an arrive-by search needs a due date", field="due")
    if not resolution_min > 0:
        raise InputError("must be positive", field="resolution_min", value=resolution_min)
    due = shipment.due
    low = earliest if earliest is not None else due - timedelta(days=60)
    if low >= due:
        raise InputError(f"is not before the due date ({due.isoformat()})", field="earliest",
                         value=low.isoformat())
    if not _on_time(network, shipment, low):
        return None
    # Bisect on whole steps after ``low``: step ``good`` meets the due date, step ``bad`` not.
    step = timedelta(minutes=resolution_min)
    good, bad = 0, int(np.ceil((due - low) / step))
    while bad - good > 1:
        middle = (good + bad) // 2
        if _on_time(network, shipment, low + middle * step):
            good = middle
        else:
            bad = middle
    return low + good * step

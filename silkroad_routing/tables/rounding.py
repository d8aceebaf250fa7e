"""Tables as they are written: rounded to meaningful precision, with local times.

The :class:`~silkroad_routing.plan.Plan` and the consolidation keep exact floats (costs are
recomputed from them); the files a forwarder opens carry USD to the cent, kg to 0.1 kg, m3 to
0.01, km to 0.1, tonnes to 0.001, hours and days to 0.01, shares, probabilities and utilisation
to 0.0001 and
times to the minute. Beside each
UTC time (``departure``) comes the local time at its hub (``departure_local``, ISO 8601 with the
offset: ``2026-11-03T08:00+08:00``), in the zone named in ``from_tz`` / ``to_tz`` (legs) or
``origin_tz`` / ``destination_tz`` (shipments); the shipments table also gains ``transit_days``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import numpy as np
import pandas as pd

from ..model import Network
from .zones import hub_zones

#: Decimals by column name: exact names first, then suffixes (in order).
DECIMALS_BY_NAME: Final[dict[str, int]] = {
    "kg": 1, "m3": 2, "hours": 2, "transit_days": 2, "share": 4, "fill": 4, "gap": 4,
    "quantity": 2, "utilisation": 4, "utilisation_mean": 4, "utilisation_max": 4,
    "p_on_time": 4, "p_stranded": 4, "p_missed": 4,
}
DECIMALS_BY_SUFFIX: Final[tuple[tuple[str, int], ...]] = (
    ("_usd", 2), ("_kg", 1), ("_m3", 2), ("_km", 1), ("_h", 2), ("_m", 1), ("_days", 2),
    ("_gap", 4), ("_share", 4), ("_t_day", 1), ("_t", 3),
)
#: Which hub column gives the zone of a time column, by the table's hub columns.
_TIME_HUBS: Final[dict[str, dict[str, str]]] = {
    "from_hub": {"departure": "from_hub", "arrival": "to_hub", "departure_time": "from_hub"},
    "origin": {"ready": "origin", "departure": "origin", "due": "destination",
               "arrival": "destination"},
}
#: Zone column of each hub column.
ZONE_COLUMNS: Final[dict[str, str]] = {"from_hub": "from_tz", "to_hub": "to_tz",
                                       "origin": "origin_tz", "destination": "destination_tz"}


def decimals(column: str) -> int | None:
    """Decimals ``column`` is written with (a percentile ``cost_usd_p95`` as ``cost_usd``);
    None to leave it as it is."""
    column = re.sub(r"_p\d+(\.\d+)?$", "", column)
    if column in DECIMALS_BY_NAME:
        return DECIMALS_BY_NAME[column]
    return next((d for suffix, d in DECIMALS_BY_SUFFIX if column.endswith(suffix)), None)


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with float columns rounded by :func:`decimals` (negative zero as 0)
    and datetime columns to the minute."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype) or values.dtype.kind == "M":
            out[column] = values.dt.round("min")
        elif values.dtype.kind == "f" and (places := decimals(str(column))) is not None:
            out[column] = values.round(places) + 0.0  # + 0.0 turns -0.0 into 0.0
    return out


def local_text(times: pd.Series, zones: pd.Series) -> pd.Series:
    """Each UTC time of ``times`` as local ISO text (minutes, offset) in its row's zone."""
    out = pd.Series("", index=times.index, dtype=object)
    for zone in pd.unique(zones):
        rows = (zones == zone).to_numpy() & times.notna().to_numpy()
        if rows.any():
            text = times[rows].dt.tz_convert(zone).dt.strftime("%Y-%m-%dT%H:%M%z")
            out[rows] = text.str.replace(r"([+-]\d\d)(\d\d)$", r"\1:\2", regex=True)
    return out


def with_local_times(frame: pd.DataFrame, zones: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with a zone column after each hub column and ``<time>_local`` after each time
    column (see the module docstring); a table without hub columns is returned as it is."""
    kind = next((k for k in _TIME_HUBS if k in frame.columns), None)
    if kind is None:
        return frame
    out = frame.copy()
    hub_zone = {hub: out[hub].map(zones).fillna("UTC") for hub in set(_TIME_HUBS[kind].values())}
    for time_column, hub in _TIME_HUBS[kind].items():
        if time_column in out.columns and isinstance(out[time_column].dtype, pd.DatetimeTZDtype):
            at = out.columns.get_loc(time_column) + 1
            out.insert(at, f"{time_column}_local", local_text(out[time_column], hub_zone[hub]))
    for hub, zone in hub_zone.items():
        out.insert(out.columns.get_loc(hub) + 1, ZONE_COLUMNS[hub], zone)
    return out


def with_transit_days(shipments: pd.DataFrame) -> pd.DataFrame:
    """The shipments table with ``transit_days`` (ready to arrival) after ``hours``."""
    if "hours" not in shipments.columns:
        return shipments
    out = shipments.copy()
    out.insert(out.columns.get_loc("hours") + 1, "transit_days",
               out["hours"].to_numpy(dtype=np.float64, na_value=np.nan) / 24.0)
    return out


def output_table(frame: pd.DataFrame, network: Network) -> pd.DataFrame:
    """``frame`` as written to a file: transit days, rounding, then local times (of the
    rounded UTC times, so that both read the same minute)."""
    return with_local_times(rounded(with_transit_days(frame)), hub_zones(network))

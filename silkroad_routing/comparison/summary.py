"""Sweep summaries: for each option (variant and grid point), the mean, P5 and P95 of every
indicator over the runs that finished (the Monte-Carlo samples of that option).

Columns: the option's keys, ``runs`` (finished runs summarised), then for each indicator
``<column>.mean``, ``<column>.p5`` and ``<column>.p95`` (percentiles by linear interpolation,
numpy's default). Failed runs (``error``, ``failed``) carry no KPIs and are left out;
``infeasible`` runs finished and count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from .rows import STATUS_ERROR, STATUS_FAILED, is_indicator

#: Statistics of each indicator, as column suffixes, with the percentile each one takes.
STATISTICS: Final[dict[str, float | None]] = {"mean": None, "p5": 5.0, "p95": 95.0}


def summarize(table: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One row per option of a sweep ``table`` (grouped by ``keys``, in table order): ``runs``
    and the mean, P5 and P95 of each indicator column (see the module docstring)."""
    finished = table[~table["status"].isin((STATUS_ERROR, STATUS_FAILED))]
    indicators = [c for c in table.columns if is_indicator(c)]
    rows = []
    for key, group in finished.groupby(list(keys), sort=False, dropna=False):
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        row["runs"] = len(group)
        for column in indicators:
            values = group[column].to_numpy(dtype=np.float64, na_value=np.nan)
            values = values[~np.isnan(values)]
            for suffix, q in STATISTICS.items():
                row[f"{column}.{suffix}"] = (np.nan if values.size == 0 else float(
                    values.mean() if q is None else np.percentile(values, q)))
        rows.append(row)
    columns = [*keys, "runs", *(f"{c}.{s}" for c in indicators for s in STATISTICS)]
    return pd.DataFrame(rows, columns=columns)

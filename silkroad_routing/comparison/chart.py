"""The chart of a comparison: one small bar panel per indicator, a bar per variant.

Panels: total cost, cost per kg, mean and P95 transit days, on-time share, CO2e, then one per
hub with a capacity and some traffic (peak and mean utilisation per hub-day, side by side).
The base is grey; each variant's bar is labelled with its difference from the base in percent.
Drawn with Matplotlib's Agg canvas, without pyplot (no global state, no display needed).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..scenario.schema import BASE_NAME
from .rows import MEAN_SUFFIX, PEAK_SUFFIX, STATUS_ERROR, STATUS_FAILED, display, is_hub_column

#: KPI panels, in order.
PANELS = ("total_cost_usd", "cost_usd_per_kg", "transit_days_mean", "transit_days_p95",
          "on_time_share", "co2e_t")
BASE_COLOUR, VARIANT_COLOUR, MEAN_COLOUR = "#8c8c8c", "#1f77b4", "#aec7e8"
COLUMNS_PER_ROW = 3


def _pct(value: float, base: float) -> str:
    if not (np.isfinite(value) and np.isfinite(base)) or base == 0:
        return ""
    return f"{100.0 * (value - base) / abs(base):+.1f} %"


def _label_bars(ax: Any, bars: Any, values: np.ndarray, names: list[str]) -> None:
    """Each variant's bar labelled with its difference from the base's, in percent."""
    base = values[names.index(BASE_NAME)] if BASE_NAME in names else np.nan
    for bar, value, name in zip(bars, values, names, strict=True):
        if name != BASE_NAME:
            ax.annotate(_pct(value, base), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=8)


def write_chart(table: pd.DataFrame, path: Path, title: str) -> Path:
    """Draw the comparison ``table`` (see :class:`~.compare.CompareResult`) into the PNG ``path``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    hubs = sorted({c[: -len(PEAK_SUFFIX)] for c in table.columns
                   if is_hub_column(c) and c.endswith(PEAK_SUFFIX)
                   and table[c].fillna(0.0).astype(float).gt(0.0).any()})
    panels: list[str] = [*PANELS, *hubs]
    n_rows = math.ceil(len(panels) / COLUMNS_PER_ROW)
    fig = Figure(figsize=(4.2 * COLUMNS_PER_ROW, 3.2 * n_rows + 0.6), layout="constrained")
    FigureCanvasAgg(fig)
    fig.suptitle(f"{title}: variants against the base", fontsize=13)
    axes = fig.subplots(n_rows, COLUMNS_PER_ROW, squeeze=False).ravel()
    names = table["variant"].tolist()
    failed = table["status"].isin((STATUS_ERROR, STATUS_FAILED)).to_numpy()
    statuses = table["status"].tolist()
    x = np.arange(len(names))
    colours = [BASE_COLOUR if n == BASE_NAME else VARIANT_COLOUR for n in names]
    for ax, panel in zip(axes, panels, strict=False):
        if panel in PANELS:
            label, unit, _, scale = display(panel)
            values = table[panel].astype(float).to_numpy() * scale
            bars = ax.bar(x, np.nan_to_num(values), color=colours)
            ax.set_title(f"{label}" + (f" ({unit})" if unit else ""), fontsize=10)
            _label_bars(ax, bars, values, names)
        else:
            code = panel[len("hub."):]
            peak = table[panel + PEAK_SUFFIX].astype(float).to_numpy() * 100.0
            mean = table[panel + MEAN_SUFFIX].astype(float).to_numpy() * 100.0
            bars = ax.bar(x - 0.2, np.nan_to_num(peak), width=0.4, color=colours)
            ax.bar(x + 0.2, np.nan_to_num(mean), width=0.4, color=MEAN_COLOUR)
            if np.nanmax(peak, initial=0.0) > 50.0:  # capacity line when it is in sight
                ax.axhline(100.0, color="#d62728", linewidth=0.8, linestyle="--")
            _label_bars(ax, bars, peak, names)
            ax.set_title(f"{code} utilisation per hub-day (%): peak, mean", fontsize=10)
        for i in np.flatnonzero(failed):
            ax.annotate(statuses[i], (x[i], 0), ha="center", va="bottom", fontsize=8,
                        color="#d62728")
        ax.set_xticks(x, names, rotation=30, ha="right", fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.margins(y=0.15)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    if hubs:
        fig.legend(handles=[Patch(color=VARIANT_COLOUR, label="peak hub-day (base: grey)"),
                            Patch(color=MEAN_COLOUR, label="mean hub-day")],
                   loc="outside lower center", ncols=2, fontsize=8)
    fig.savefig(path, dpi=110)
    return path

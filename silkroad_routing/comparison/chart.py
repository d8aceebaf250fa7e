"""The chart of a comparison: one small bar panel per indicator, a bar per variant showing its
difference from the base, in the table's units.

Panels: total cost, cost per kg, mean and P95 transit days, on-time share, CO2e, then one per
hub with a capacity and some traffic (peak and mean utilisation per hub-day, side by side).
Each panel's title gives its unit and the base's value; a bar is the variant minus the base
(percentage points for shares and utilisation, as in the table), labelled with that difference,
``no change`` when it rounds to zero, and the run's status when it did not finish as ``ok``
(an ``infeasible`` variant's bar is hatched: its KPIs cover only what it could plan). The axes
read in plain numbers (no offset). Drawn with Matplotlib's Agg canvas, without pyplot (no
global state, no display needed).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from ..scenario.schema import BASE_NAME
from .rows import (
    MEAN_SUFFIX,
    PEAK_SUFFIX,
    STATUS_INFEASIBLE,
    STATUS_OK,
    display,
    is_hub_column,
)

#: KPI panels, in order.
PANELS: Final[tuple[str, ...]] = ("total_cost_usd", "cost_usd_per_kg", "transit_days_mean",
                                  "transit_days_p95", "on_time_share", "co2e_t")
VARIANT_COLOUR, MEAN_COLOUR = "#1f77b4", "#aec7e8"
COLUMNS_PER_ROW = 3
#: Columns of :func:`chart_bars`.
BAR_COLUMNS: Final[tuple[str, ...]] = ("panel", "column", "variant", "base", "value",
                                       "difference", "label")


def _text(value: float, spec: str) -> str:
    return f"{value:{spec}}"


def chart_bars(table: pd.DataFrame) -> pd.DataFrame:
    """What the chart draws (:data:`BAR_COLUMNS`): per panel and variant other than the base,
    the base's and the variant's value and their difference in display units (USD, days, t,
    percentage points), and the bar's label: the signed difference, ``no change``, or the
    variant's status when it is not ``ok``."""
    names = table["variant"].tolist()
    base_row = names.index(BASE_NAME)
    status = dict(zip(names, table["status"], strict=True))
    rows = []
    for panel, column in _columns(table):
        _, _, spec, scale = display(column)
        values = table[column].astype(float).to_numpy() * scale
        base = values[base_row]
        for name, value in zip(names, values, strict=True):
            if name == BASE_NAME:
                continue
            difference = value - base
            shown = _text(difference, "+" + spec.lstrip("+")) if spec else f"{difference:+.4g}"
            if status[name] != STATUS_OK:
                label = str(status[name])
            elif not np.isfinite(difference):
                label = "-"
            elif float(shown.replace(",", "")) == 0.0:
                label = "no change"
            else:
                label = shown
            rows.append({"panel": panel, "column": column, "variant": name, "base": base,
                         "value": value, "difference": difference, "label": label})
    return pd.DataFrame(rows, columns=list(BAR_COLUMNS))


def _columns(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(panel, column) pairs: the KPI panels, then each busy hub's peak and mean."""
    hubs = sorted({c[: -len(PEAK_SUFFIX)] for c in table.columns
                   if is_hub_column(c) and c.endswith(PEAK_SUFFIX)
                   and table[c].fillna(0.0).astype(float).gt(0.0).any()})
    pairs = [(p, p) for p in PANELS if p in table.columns]
    for hub in hubs:
        pairs += [(hub, hub + PEAK_SUFFIX), (hub, hub + MEAN_SUFFIX)]
    return pairs


def write_chart(table: pd.DataFrame, path: Path, title: str) -> Path:
    """Draw the comparison ``table`` (see :class:`~.compare.CompareResult`) into the PNG ``path``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    bars = chart_bars(table)
    panels = list(dict.fromkeys(bars["panel"]))
    n_rows = max(1, math.ceil(len(panels) / COLUMNS_PER_ROW))
    fig = Figure(figsize=(4.2 * COLUMNS_PER_ROW, 3.2 * n_rows + 0.6), layout="constrained")
    FigureCanvasAgg(fig)
    fig.suptitle(f"{title}: each variant minus the base", fontsize=13)
    axes = fig.subplots(n_rows, COLUMNS_PER_ROW, squeeze=False).ravel()
    status = dict(zip(table["variant"], table["status"], strict=True))
    plain = FuncFormatter(lambda v, _: f"{v:+,.6g}" if v else "0")
    for ax, panel in zip(axes, panels, strict=False):
        of_panel = bars[bars["panel"] == panel]
        columns = list(dict.fromkeys(of_panel["column"]))
        width = 0.8 / len(columns)
        for k, column in enumerate(columns):  # hub panels: peak, then mean
            part = of_panel[of_panel["column"] == column]
            x = np.arange(len(part)) + (k - (len(columns) - 1) / 2) * width
            drawn = ax.bar(x, np.nan_to_num(part["difference"].to_numpy()), width=width,
                           color=MEAN_COLOUR if k else VARIANT_COLOUR, edgecolor="#333333",
                           linewidth=0.4,
                           hatch=["//" if status[v] == STATUS_INFEASIBLE else ""
                                  for v in part["variant"]])
            for bar, label in zip(drawn, part["label"], strict=True):
                if k and not label.startswith(("+", "-")):
                    continue  # "no change" or the status: said once, over the peak bar
                ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            ha="center", va="bottom" if bar.get_height() >= 0 else "top",
                            fontsize=7)
        ax.axhline(0.0, color="#555555", linewidth=0.8)
        label, unit, spec, _ = display(columns[0])
        base = of_panel["base"].iloc[0]
        if panel in PANELS:
            head = f"{label} ({unit or 'count'})"
        else:
            head = f"{panel[len('hub.'):]} utilisation per hub-day (% points): peak, mean"
            label, unit = "peak", "%"
        ax.set_title(f"{head}\nbase {label}: {_text(base, spec or ',.4g')}"
                     + (f" {unit}" if unit else ""), fontsize=9)
        names = list(dict.fromkeys(of_panel["variant"]))
        ax.set_xticks(np.arange(len(names)), names, rotation=30, ha="right", fontsize=8)
        ax.yaxis.set_major_formatter(plain)  # differences in plain numbers, never a 1e6 offset
        ax.tick_params(axis="y", labelsize=8)
        ax.margins(y=0.2)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.legend(handles=[Patch(color=VARIANT_COLOUR, label="variant minus base (hubs: peak day)"),
                        Patch(color=MEAN_COLOUR, label="mean hub-day"),
                        Patch(facecolor="white", edgecolor="#333333", hatch="//",
                              label="infeasible: KPIs of what it could plan")],
               loc="outside lower center", ncols=4, fontsize=8)
    fig.savefig(path, dpi=110)
    return path


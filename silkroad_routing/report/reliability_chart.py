"""The chart of a plan's arrival distribution per corridor (:attr:`~silkroad_routing.simulation.
Reliability.corridors`).

One row per corridor (origin, destination, modes): a thin line from the P10 to the P95 transit
time, a bar from P10 to P90, a dot at P50, in days from ready to arrival; the corridor's
P(on time) and shipment count written beside it. A percentile that is ``inf`` (stranded in that
share of samples or more) runs to the right edge and the row says how often freight is
stranded. Drawn from the table itself, so the chart and ``reliability_corridors.csv`` agree;
Matplotlib's Agg canvas without pyplot, as the comparison chart (no global state, and the same
table gives the same bytes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

#: File name of the chart in an output set.
RELIABILITY_CHART_FILE: Final[str] = "reliability_corridors.png"
RANGE_COLOUR, BAR_COLOUR, MEDIAN_COLOUR = "#555555", "#1f77b4", "#ffffff"


def write_reliability_chart(corridors: pd.DataFrame, path: Path, title: str) -> Path:
    """Draw ``corridors`` (:data:`~silkroad_routing.simulation.CORRIDOR_RELIABILITY_COLUMNS`)
    into the PNG ``path`` under ``title``; ``path`` returned."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n_rows = max(1, len(corridors))
    fig = Figure(figsize=(9.0, 1.2 + 0.45 * n_rows), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    fig.suptitle(f"{title}: transit time per corridor (P10-P90 bar, P50 dot, line to P95)",
                 fontsize=11)
    quantiles = corridors[["transit_p10_days", "transit_p50_days", "transit_p90_days",
                           "transit_p95_days"]].to_numpy(float)
    finite = quantiles[np.isfinite(quantiles)]
    right_days = float(finite.max()) * 1.08 if finite.size else 1.0
    shown = np.minimum(quantiles, right_days)  # inf: to the right edge
    y = np.arange(len(corridors))[::-1]
    ax.hlines(y, shown[:, 0], shown[:, 3], color=RANGE_COLOUR, linewidth=1.0)
    ax.barh(y, shown[:, 2] - shown[:, 0], left=shown[:, 0], height=0.5, color=BAR_COLOUR)
    ax.scatter(shown[:, 1], y, s=22, color=MEDIAN_COLOUR, edgecolors=RANGE_COLOUR, zorder=3)
    labels = [f"{r.origin} → {r.destination} ({r.modes})" for r in corridors.itertuples()]
    ax.set_yticks(y, labels, fontsize=8)
    for row_y, row in zip(y, corridors.itertuples(), strict=True):
        plural = "" if row.shipments == 1 else "s"
        note = f"  P(on time) {100 * row.p_on_time:.0f} %, {row.shipments} shipment{plural}"
        if row.p_stranded > 0:
            note += f", stranded {100 * row.p_stranded:.0f} %"
        ax.annotate(note, (right_days, row_y), va="center", fontsize=7, annotation_clip=False)
    ax.set_xlim(0.0, right_days)
    ax.set_ylim(-0.7, len(corridors) - 0.3)
    ax.set_xlabel("transit, days (ready to arrival)", fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    fig.savefig(path, dpi=110)
    return path

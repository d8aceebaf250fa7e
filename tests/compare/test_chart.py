"""The compare chart draws differences from the base, in the table's units: recomputed from
the table; equal values read ``no change``; a run that is not ``ok`` reads its status."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from silkroad_routing.comparison.chart import PANELS, chart_bars, write_chart


def _table() -> pd.DataFrame:
    kpis = {"total_cost_usd": [1_234_567.0, 1_234_567.0, 1_246_912.7, 1_100_000.0, np.nan],
            "cost_usd_per_kg": [2.5, 2.5, 2.525, 2.6, np.nan],
            "transit_days_mean": [10.0, 10.0, 10.1, 30.0, np.nan],
            "transit_days_p95": [20.0, 20.0, 20.5, 40.0, np.nan],
            "on_time_share": [0.90, 0.90, 0.91, 0.5, np.nan],
            "co2e_t": [100.0, 100.0, 99.0, 80.0, np.nan],
            "hub.CGO.utilisation_peak": [0.80, 0.80, 0.85, 0.2, np.nan],
            "hub.CGO.utilisation_mean": [0.40, 0.40, 0.41, 0.1, np.nan]}
    return pd.DataFrame({"variant": ["base", "same", "plus1", "closed", "typo"],
                         "status": ["ok", "ok", "ok", "infeasible", "error"], **kpis})


def test_bars_are_differences_in_the_table_units() -> None:
    table = _table()
    bars = chart_bars(table).set_index(["column", "variant"])
    base = table.set_index("variant").loc["base"]
    row = table.set_index("variant").loc["plus1"]
    assert bars.at[("total_cost_usd", "plus1"), "difference"] == pytest.approx(12_345.7)
    assert bars.at[("total_cost_usd", "plus1"), "label"] == "+12,346"
    # Shares and utilisation in percentage points, as the table prints them.
    assert bars.at[("on_time_share", "plus1"), "difference"] == pytest.approx(1.0)
    assert bars.at[("hub.CGO.utilisation_peak", "plus1"), "difference"] == pytest.approx(5.0)
    for column in PANELS:
        scale = 100.0 if column == "on_time_share" else 1.0
        assert bars.at[(column, "plus1"), "difference"] == pytest.approx(
            (row[column] - base[column]) * scale)
        assert bars.at[(column, "same"), "label"] == "no change"
        assert bars.at[(column, "closed"), "label"] == "infeasible"
        assert bars.at[(column, "typo"), "label"] == "error"
    assert "base" not in set(bars.index.get_level_values("variant"))


def test_chart_is_written(tmp_path: Path) -> None:
    path = write_chart(_table(), tmp_path / "compare.png", "options")
    png = path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000

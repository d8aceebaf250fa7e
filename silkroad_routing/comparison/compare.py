"""``sr.compare``: a scenario and its variants side by side -- one KPI table, the differences
from the scenario, and a chart.

Each variant is the scenario with its overrides (see :mod:`..scenario.variants`), run exactly
as ``sr.run_scenario`` runs a scenario file, in this process, one after the other; its row
holds the same numbers as a run of that variant on its own. A variant that fails (bad override,
infeasible) is reported in its row and the others still run.

Files (written together, atomically, when an output folder is given): ``compare.csv`` and
``compare.parquet`` (the table), ``differences.csv`` and ``compare.png`` (the chart, see
:mod:`.chart`).
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..io import staged_folder
from ..scenario.load import ScenarioFile
from ..scenario.runner import ScenarioResult, _source, _status, prepare
from ..scenario.schema import BASE_NAME, Scenario
from .rows import STATUS_ERROR, STATUS_FAILED, is_indicator
from .sweep import build_tasks, gather
from .tasks import run_task

TABLE_STEM, DIFFERENCES_FILE, CHART_FILE = "compare", "differences.csv", "compare.png"
DIFFERENCE_COLUMNS = ("variant", "indicator", "base", "value", "difference", "difference_pct")


@dataclass(frozen=True)
class CompareResult:
    """A comparison: ``table`` (one row per run, the scenario first as ``base``, then the
    variants; columns ``variant``, ``description``, ``status``, ``change`` (``no change`` for a
    variant whose every indicator equals the base's), ``error``, the KPIs, ``capacity`` and
    its ``capacity_warnings``, and the hub utilisation columns of :mod:`.rows`),
    ``differences`` (one row per variant and indicator: ``base``, ``value``, ``difference`` =
    value - base and ``difference_pct`` = 100 x difference / |base|, NaN when the base is 0 or
    missing), the run of each (None when it did not finish), and the files written."""

    scenario: Scenario
    table: pd.DataFrame
    differences: pd.DataFrame
    results: Mapping[str, ScenarioResult | None]
    fast: bool = False
    out: Path | None = None
    files: tuple[Path, ...] = field(default=())

    @property
    def indicators(self) -> list[str]:
        """The numeric columns of the table: KPIs, departures opened, hub utilisation."""
        return [c for c in self.table.columns if is_indicator(c)]

    def row(self, variant: str) -> pd.Series:
        """The table's row of ``variant`` (``base`` for the scenario)."""
        rows = self.table[self.table["variant"] == variant]
        if rows.empty:
            raise KeyError(variant)
        return rows.iloc[0]


def changes(table: pd.DataFrame) -> list[str]:
    """Per run: ``no change`` when every indicator equals the base's (to 1e-9, relative), else
    empty; empty for the base and for runs that did not finish."""
    indicators = [c for c in table.columns if is_indicator(c)]
    base = table[table["variant"] == BASE_NAME]
    out = []
    for _, row in table.iterrows():
        same = (not base.empty and row["variant"] != BASE_NAME
                and row["status"] not in (STATUS_ERROR, STATUS_FAILED)
                and all(_same(_number(base.iloc[0][c]), _number(row[c])) for c in indicators))
        out.append("no change" if same else "")
    return out


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def differences(table: pd.DataFrame) -> pd.DataFrame:
    """Differences of every variant from the base, per indicator (:data:`DIFFERENCE_COLUMNS`);
    runs without KPIs (errors) are left out, and everything when the base has none."""
    indicators = [c for c in table.columns if is_indicator(c)]
    finished = table[~table["status"].isin((STATUS_ERROR, STATUS_FAILED))]
    base = finished[finished["variant"] == BASE_NAME]
    records = []
    if not base.empty:
        reference = base.iloc[0]
        for _, row in finished[finished["variant"] != BASE_NAME].iterrows():
            for column in indicators:
                before, after = _number(reference[column]), _number(row[column])
                diff = after - before
                pct = 100.0 * diff / abs(before) if np.isfinite(before) and before != 0 else np.nan
                records.append((row["variant"], column, before, after, diff, pct))
    return pd.DataFrame.from_records(records, columns=list(DIFFERENCE_COLUMNS)).astype(
        {c: float for c in DIFFERENCE_COLUMNS[2:]})


def _number(value: Any) -> float:
    return np.nan if value is None or pd.isna(value) else float(value)


def compare(scenario: str | os.PathLike[str] | Scenario | ScenarioFile,
            variants: Sequence[str] | None = None, *, out: str | os.PathLike[str] | None = None,
            fast: bool = False, progress: bool = False) -> CompareResult:
    """Run the scenario and its variants (all of them, or those named) and compare their KPIs.

    ``out``: a folder for ``compare.csv``, ``compare.parquet``, ``differences.csv`` and
    ``compare.png`` (nothing is written without it). ``fast`` shrinks every run as
    ``run_scenario(fast=True)`` does (the same shipments for all). Raises :class:`InputError` for
    a bad scenario, an unknown variant name or a scenario without variants; a variant that fails
    is reported in its row instead.
    """
    source = _source(scenario)
    names = [v.name for v in source.scenario.variants] if variants is None else list(variants)
    if not names:
        raise source.where.error("the scenario has no variants to compare (add a 'variants:' "
                                 "section: a name and overrides for each option)", ("variants",))
    prepare(source, fast=fast)  # a bad scenario fails here, before any run
    tasks = build_tasks(source, names, fast=fast)
    folder = None if out is None else Path(out)
    with contextlib.ExitStack() as stack:
        stage = None
        if folder is not None:
            try:
                stage = stack.enter_context(staged_folder(folder))
            except OSError as exc:
                raise InputError(f"the output folder cannot be written: {exc.strerror or exc}",
                                 field="out", value=str(folder)) from None
        rows, results = [], {}
        for task in tasks:
            with _status(progress, f"running {task.variant}"):
                row, results[task.variant] = run_task(task)
            rows.append(row)
        table = gather(rows, ())
        descriptions = {v.name: v.description for v in source.scenario.variants}
        table.insert(1, "description", [descriptions.get(v, source.scenario.description)
                                        for v in table["variant"]])
        diffs = differences(table)
        table.insert(3, "change", changes(table))
        result = CompareResult(source.scenario, table, diffs, results, fast, folder)
        if stage is None:
            return result
        written = write_comparison(result, stage)
        files = tuple(folder / p.relative_to(stage) for p in written)
    return CompareResult(source.scenario, table, diffs, results, fast, folder, files)


def write_comparison(result: CompareResult, folder: Path) -> list[Path]:
    """Write the table (CSV and Parquet), the differences (CSV) and the chart into ``folder``."""
    from .chart import write_chart

    paths = [folder / f"{TABLE_STEM}.csv", folder / f"{TABLE_STEM}.parquet",
             folder / DIFFERENCES_FILE, folder / CHART_FILE]
    result.table.to_csv(paths[0], index=False, lineterminator="\n")
    result.table.to_parquet(paths[1], index=False, engine="pyarrow")
    result.differences.to_csv(paths[2], index=False, lineterminator="\n")
    title = result.scenario.name + (" (fast mode)" if result.fast else "")
    write_chart(result.table, paths[3], title)
    return paths

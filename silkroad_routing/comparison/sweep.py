"""``sr.sweep``: many runs of a scenario -- a grid of overrides, Monte-Carlo draws, variants --
locally or on a Dask cluster, gathered into one table.

The runs are every combination of: the scenario and the variants asked for; the points of the
grid (the cartesian product of the values of each path); the samples (``0 .. samples - 1``,
each drawing the ``uncertainty`` section with the seed). Each run is a :class:`~.tasks.Task`
handed to :func:`~.tasks.evaluate` through an executor (:mod:`.executors`): the same pure
function, whether it runs in this process, in a local process pool or on a cluster. The table
has one row per run, in that order (variants, then grid points, then samples), whatever order
the runs finish in; see :mod:`.rows` for its columns.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..io import atomic_path
from ..scenario.load import ScenarioFile
from ..scenario.runner import _source, prepare
from ..scenario.schema import BASE_NAME, Scenario
from ..scenario.variants import scenario_data, variant_overrides
from .draws import drawn_paths
from .executors import default_workers, describe, open_executor
from .grid import check_grid, grid_points
from .rows import (
    CAPACITY_COLUMNS,
    DESIGN_COLUMNS,
    KPI_COLUMNS,
    MEAN_SUFFIX,
    RELIABILITY_COLUMN,
    STATUS_ERROR,
    STATUS_FAILED,
    failure_row,
    is_corridor_column,
    is_hub_column,
    is_indicator,
)
from .summary import summarize
from .tasks import SAMPLE_COLUMN, Task, evaluate

#: Integer columns (nullable: a failed run has none).
_INTEGER_COLUMNS = ("shipments", "shipments_routed", "shipments_late", "services_used",
                    "departures_opened", SAMPLE_COLUMN)
#: Table formats by file suffix.
TABLE_SUFFIXES = (".parquet", ".csv")


@dataclass(frozen=True)
class SweepResult:
    """The table of a sweep (one row per run; see :mod:`.rows`), the parameter columns in it
    (grid paths, then ``sample`` and the drawn paths), the wall-clock ``seconds`` the runs took,
    where they ran, and the file written (None if none)."""

    scenario: Scenario
    table: pd.DataFrame
    parameters: tuple[str, ...]
    seconds: float
    executor: str
    out: Path | None = None

    @property
    def failed(self) -> pd.DataFrame:
        """Rows of the runs that did not finish (bad input or an internal error)."""
        return self.table[self.table["status"].isin((STATUS_ERROR, STATUS_FAILED))]

    @property
    def options(self) -> list[str]:
        """The columns naming an option: ``variant`` and the grid paths (not the samples)."""
        params = list(self.parameters)
        return ["variant", *(params[:params.index(SAMPLE_COLUMN)] if SAMPLE_COLUMN in params
                             else params)]

    @property
    def summary(self) -> pd.DataFrame:
        """One row per option: its finished runs and the mean, P5 and P95 of each indicator
        over them (see :mod:`.summary`)."""
        return summarize(self.table, self.options)

    @property
    def runs_per_minute(self) -> float:
        """Throughput of the sweep: runs finished per minute of wall-clock time."""
        return 60.0 * len(self.table) / self.seconds if self.seconds > 0 else float("inf")


def build_tasks(source: ScenarioFile, variants: Sequence[str] = (),
                grid: Mapping[str, Sequence[Any]] | None = None, samples: int | None = None,
                seed: int | None = None, fast: bool = False) -> list[Task]:
    """The runs of a sweep, in table order (see the module docstring).

    Raises :class:`InputError` for an unknown variant, a bad grid, a sample count below 1, or
    samples asked of a scenario without an ``uncertainty`` section.
    """
    scenario = source.scenario
    grid = check_grid(grid or {})
    if samples is not None:
        if samples < 1:
            raise InputError("must be at least 1", field="--samples", value=samples)
        if scenario.uncertainty is None or not drawn_paths(scenario.uncertainty):
            raise InputError("the scenario has no uncertainty section to draw from (see "
                             "'silkroad schema': uncertainty)", field="--samples", value=samples)
        both = sorted(set(grid) & set(drawn_paths(scenario.uncertainty)))
        if both:
            raise InputError("is both swept and drawn from the uncertainty section",
                             field=both[0])
    seed = scenario.seed if seed is None else seed
    if seed < 0:
        raise InputError("must be non-negative", field="--seed", value=seed)
    data = scenario_data(scenario)
    chosen = [BASE_NAME, *dict.fromkeys(v for v in variants if v != BASE_NAME)]
    layers = {name: variant_overrides(source, name) for name in chosen if name != BASE_NAME}
    tasks: list[Task] = []
    for name in chosen:
        for point in grid_points(grid):
            for sample in (None,) if samples is None else range(samples):
                tasks.append(Task(
                    index=len(tasks), scenario=data, variant=name, variant_overrides=layers.get(name),
                    parameters=point, sample=sample, seed=seed, fast=fast, where=source.where))
    return tasks


def _progress(enabled: bool, total: int, text: str) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TimeRemainingColumn(),
                        console=console, disable=not (enabled and console.is_terminal))
    return progress, progress.add_task(text, total=total)


def run_tasks(tasks: Sequence[Task], executor: cf.Executor, progress: bool = False,
              text: str = "runs") -> list[dict[str, Any]]:
    """Submit every task to ``executor``, gather the rows as they finish (a progress bar on the
    terminal when ``progress``), and return them in task order. A run whose worker died is
    reported in its row (status ``failed``); an interruption cancels the runs not started."""
    bar, bar_task = _progress(progress, len(tasks), text)
    futures = {executor.submit(evaluate, task): task for task in tasks}
    rows: dict[int, dict[str, Any]] = {}
    try:
        with bar:
            for future in cf.as_completed(futures):
                task = futures[future]
                try:
                    rows[task.index] = future.result()
                except Exception as exc:  # the worker died or the cluster lost it
                    rows[task.index] = {**task.identity(), **failure_row(exc)}
                bar.advance(bar_task)
    finally:
        for future in futures:
            future.cancel()
    return [rows[task.index] for task in tasks]


def gather(rows: Sequence[Mapping[str, Any]], parameters: Sequence[str]) -> pd.DataFrame:
    """Rows -> one table with the columns in order: ``variant``, ``parameters``, ``status``,
    ``error``, :data:`~.rows.KPI_COLUMNS`, the simulated on-time share and the design columns
    (when a run has them), the hub columns (by hub: peak, then mean), the corridor columns
    (sorted); integer columns nullable."""
    hubs = sorted({c for row in rows for c in row if is_hub_column(c)},
                  key=lambda c: (c.rsplit(".", 1)[0], c.endswith(MEAN_SUFFIX)))
    design = [c for c in DESIGN_COLUMNS if any(c in row for row in rows)]
    replayed = [RELIABILITY_COLUMN] if any(RELIABILITY_COLUMN in row for row in rows) else []
    corridors = sorted({c for row in rows for c in row if is_corridor_column(c)})
    columns = ["variant", *parameters, "status", "error", *KPI_COLUMNS, *replayed, *design,
               *(c for c in CAPACITY_COLUMNS if any(c in row for row in rows)), *hubs,
               *corridors]
    table = pd.DataFrame.from_records(list(rows), columns=columns)
    for column in table.columns:
        if column in _INTEGER_COLUMNS:
            table[column] = table[column].astype("Int64")
        elif is_indicator(column):
            table[column] = table[column].astype(float)
        elif table[column].dtype == object and not all(
                isinstance(v, str) for v in table[column].dropna()):
            # Mixed parameter values (3000 and "none"): text, so that Parquet takes them.
            table[column] = table[column].map(lambda v: None if v is None else str(v))
    table["error"] = table["error"].fillna("")
    return table


def _check_suffix(path: Path, option: str = "out") -> None:
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(f"the table is written as {' or '.join(TABLE_SUFFIXES)} (by suffix)",
                         field=option, value=str(path))


def write_table(table: pd.DataFrame, path: Path, option: str = "out") -> Path:
    """Write ``table`` to ``path`` (``.parquet`` or ``.csv``, by suffix) atomically."""
    _check_suffix(path, option)
    try:
        with atomic_path(path) as tmp:
            if path.suffix.lower() == ".csv":
                table.to_csv(tmp, index=False, lineterminator="\n")
            else:
                table.to_parquet(tmp, index=False, engine="pyarrow")
    except OSError as exc:
        raise InputError(f"cannot write the table: {exc.strerror or exc}", field=option,
                         value=str(path)) from None
    return path


def sweep(scenario: str | os.PathLike[str] | Scenario | ScenarioFile,
          grid: Mapping[str, Sequence[Any]] | None = None, *, samples: int | None = None,
          seed: int | None = None, variants: Sequence[str] = (), workers: int | None = None,
          scheduler: str | None = None, fast: bool = False,
          out: str | os.PathLike[str] | None = None, progress: bool = False) -> SweepResult:
    """Run the scenario over a grid of overrides and/or Monte-Carlo samples; one row per run.

    ``grid`` maps override paths to values (``{"edits.hubs.CGO.capacity_t_day": [3000, 4500]}``);
    ``samples`` draws the scenario's ``uncertainty`` section that many times with ``seed``
    (default: the scenario's seed); ``variants`` names variants of the scenario to run besides
    it. Runs go to a local pool of ``workers`` processes (default: one per CPU, at most one per
    run; 0 runs them in this process), or to the Dask scheduler at ``scheduler``
    (``tcp://host:port``). ``fast`` shrinks each run as ``run_scenario(fast=True)`` does;
    ``out`` (``.parquet`` or ``.csv``) receives the table, written atomically.

    A run that fails -- a bad override, an infeasible option, a crash -- is reported in its row
    (``status``, ``error``) and the others finish. Raises :class:`InputError`, before any run,
    for a bad scenario, variant name, grid or option.
    """
    if scheduler is not None and workers is not None:
        raise InputError("give either local workers or a Dask scheduler, not both",
                         field="--workers", value=workers)
    source = _source(scenario)
    if out is not None:
        _check_suffix(Path(out))
    prepare(source, fast=fast)  # a bad scenario fails here, once, not in every run
    tasks = build_tasks(source, variants, grid, samples, seed, fast)
    if workers is None and scheduler is None:
        workers = min(default_workers(), len(tasks))
    where = describe(workers, scheduler)
    start = time.perf_counter()
    with open_executor(workers, scheduler) as executor:
        rows = run_tasks(tasks, executor, progress, f"{len(tasks)} runs on {where}")
    seconds = time.perf_counter() - start
    swept = list(check_grid(grid or {}))
    if samples is not None:
        # Drawn paths from the rows: a variant may draw other fields than the scenario.
        known = {"variant", *swept, SAMPLE_COLUMN, "status", "error", *KPI_COLUMNS, *DESIGN_COLUMNS,
                 *CAPACITY_COLUMNS, RELIABILITY_COLUMN}
        drawn = sorted({c for row in rows for c in row if c not in known and not is_hub_column(c)
                        and not is_corridor_column(c)})
        swept += [SAMPLE_COLUMN, *drawn]
    table = gather(rows, swept)
    path = None if out is None else write_table(table, Path(out))
    return SweepResult(source.scenario, table, tuple(swept), seconds, where, path)

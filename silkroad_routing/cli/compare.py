"""``silkroad compare FILE`` and ``silkroad sweep FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from ..comparison import CompareResult, SweepResult, compare, sweep
from ..comparison.grid import parse_grid
from ..comparison.rows import STATUS_ERROR, STATUS_FAILED, STATUS_OK, display
from ..comparison.sweep import write_table
from ..comparison.tasks import SAMPLE_COLUMN
from ..scenario.load import read_scenario
from ..scenario.runner import DEFAULT_OUT_ROOT
from ..scenario.schema import BASE_NAME, Scenario

FileArgument = Annotated[Path, typer.Argument(
    metavar="FILE", help="scenario YAML file", show_default=False)]
FastOption = Annotated[bool, typer.Option(
    "--fast", help="quick runs for CI: subsampled demand, short solver limits")]
#: Rows of a sweep printed in full; longer sweeps print a summary per option.
SWEEP_ROWS_SHOWN = 20
#: KPIs in the printed sweep tables, with their (short) headers.
SWEEP_SHOWN = {"total_cost_usd": "cost USD", "transit_days_mean": "days mean",
               "transit_days_p95": "days P95", "on_time_share": "on time %", "co2e_t": "CO2e t"}


def _default_folder(scenario: Scenario) -> Path:
    return scenario.outputs.folder or Path(DEFAULT_OUT_ROOT) / scenario.name


def _unused(path: Path) -> Path:
    """``path``, or if it exists the first free ``<stem>-2``, ``<stem>-3``, ...: a sweep never
    overwrites the table of an earlier one."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def summary_path(table: Path) -> Path:
    """Where the summary of the sweep table ``table`` goes: ``sweep.summary.parquet``."""
    return table.with_name(f"{table.stem}.summary{table.suffix}")


def _cell(column: str, value: Any) -> str:
    """A KPI value as the tables print it (the unit is in the column or row label)."""
    _, _, spec, scale = display(column)
    return "-" if value is None or pd.isna(value) else f"{float(value) * scale:{spec}}"


def _stat_cell(column: str, row: dict[str, Any]) -> str:
    """A KPI of a run, or of an option summarised over its samples: ``mean [P5, P95]``."""
    if column in row:
        return _cell(column, row[column])
    mean, p5, p95 = (_cell(column, row[f"{column}.{s}"]) for s in ("mean", "p5", "p95"))
    return f"{mean} [{p5}, {p95}]"


def _label(column: str) -> str:
    label, unit, _, _ = display(column)
    return f"{label} ({unit})" if unit else label


def compare_command(
    file: FileArgument,
    variant: Annotated[list[str] | None, typer.Option(
        "--variant", help="a variant to compare (repeat the option; default: all)")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help=f"output folder (default: <the scenario's outputs.folder, else "
                      f"{DEFAULT_OUT_ROOT}/<name>>/compare)")] = None,
    fast: FastOption = False,
) -> None:
    """Run a scenario and its variants; print and write one KPI table with the differences from
    the scenario, and a chart (compare.csv, compare.parquet, differences.csv, compare.png)."""
    source = read_scenario(file)
    folder = out if out is not None else _default_folder(source.scenario) / "compare"
    result = compare(source, variant or None, out=folder, fast=fast, progress=True)
    print_comparison(result, Console())


def print_comparison(result: CompareResult, console: Console) -> None:
    """The comparison as a table: an indicator per row, the base then each variant (with its
    difference from the base in percent); then the failures and the files written."""
    table = Table(title=f"{result.scenario.name}: {len(result.table) - 1} variant"
                        f"{'s' * (len(result.table) > 2)} against the base"
                        + (" (fast mode)" if result.fast else ""))
    table.add_column("indicator")
    rows = result.table.to_dict("records")
    for row in rows:
        table.add_column(str(row["variant"]), justify="right")
    diffs = result.differences.set_index(["variant", "indicator"])[["difference", "difference_pct"]]
    for column in result.indicators:
        _, unit, spec, scale = display(column)
        cells = []
        for row in rows:
            if row["status"] in (STATUS_ERROR, STATUS_FAILED):
                cells.append(f"[red]{row['status']}[/]")
                continue
            cell = _cell(column, row[column])
            key = (row["variant"], column)
            if row["variant"] != BASE_NAME and key in diffs.index:
                diff, pct = diffs.loc[key]
                # Shares change by percentage points; amounts by percent of the base.
                change = f"{diff * scale:+{spec}} pp" if unit == "%" else f"{pct:+.1f} %"
                if diff != 0 and (unit == "%" or pd.notna(pct)):
                    cell += f" ({change})"
            cells.append(cell)
        table.add_row(_label(column), *cells)
    if "services_chosen" in result.table.columns:
        table.add_row("services chosen", *["-" if pd.isna(row["services_chosen"])
                                           else str(row["services_chosen"]) for row in rows])
    console.print(table)
    for row in rows:
        for note in _notes(row):
            console.print(f"[yellow]{row['variant']}[/]: {note}", highlight=False,
                          soft_wrap=True)
    if result.files:
        console.print(f"wrote {len(result.files)} files to {result.out}", highlight=False)


def _notes(row: dict[str, Any]) -> list[str]:
    """What to say of a run below the table: no change, capacity warnings, failures."""
    notes = []
    if row.get("change") == "no change":
        notes.append("no change from the base")
    if row.get("capacity_warnings"):
        notes.append(str(row["capacity_warnings"]))
    if row["status"] != STATUS_OK:
        notes.append(f"{row['status']}: {row['error']}")
    return notes


def sweep_command(
    file: FileArgument,
    grid: Annotated[list[str] | None, typer.Option(
        "--grid", help="PATH=V1,V2,...: values of one field (repeat for a cartesian product), "
                       "e.g. edits.hubs.CGO.capacity_t_day=3000,4500,6000")] = None,
    samples: Annotated[int | None, typer.Option(
        "--samples", help="Monte-Carlo draws of the scenario's uncertainty section")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", help="seed of the draws (default: the scenario's seed)")] = None,
    variant: Annotated[list[str] | None, typer.Option(
        "--variant", help="also sweep this variant of the scenario (repeat the option)")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="local worker processes (default: one per CPU; 0: this process)")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="run on the Dask cluster of this scheduler (tcp://HOST:PORT)")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help=f"table file, .parquet or .csv (default: <the scenario's outputs.folder, "
                      f"else {DEFAULT_OUT_ROOT}/<name>>/sweep.parquet, or sweep-2.parquet, "
                      "... if taken)")] = None,
    fast: FastOption = False,
) -> None:
    """Run a scenario over a grid of values and/or Monte-Carlo draws, on local processes or a
    Dask cluster; write one table (a row per run, a column per parameter), with samples also
    its summary (per option: mean, P5 and P95 of every indicator), and print a summary."""
    specs = parse_grid(grid or [])
    source = read_scenario(file)
    path = out if out is not None else _unused(_default_folder(source.scenario) / "sweep.parquet")
    result = sweep(source, specs, samples=samples, seed=seed, variants=variant or (),
                   workers=workers, scheduler=scheduler, fast=fast, out=path, progress=True)
    print_sweep(result, Console())
    if samples is not None:  # the mean, P5 and P95 of each option, beside the table
        summary = write_table(result.summary, summary_path(path), "--out")
        Console().print(f"wrote {summary} (per option: mean, P5 and P95 of every indicator)",
                        highlight=False, soft_wrap=True)


def print_sweep(result: SweepResult, console: Console) -> None:
    """A sweep's runs (or, with many Monte-Carlo samples, each option's mean, P5 and P95 over its
    samples), its failures and its throughput."""
    data = result.table
    params = list(result.parameters)
    drawn = params[params.index(SAMPLE_COLUMN):] if SAMPLE_COLUMN in params else []
    keys = result.options
    if drawn and len(data) > SWEEP_ROWS_SHOWN:
        frame, columns = result.summary, [*keys, "runs", *SWEEP_SHOWN]
        title = (f"{result.scenario.name}: {len(data)} runs; per option the mean over its "
                 "samples [P5, P95]")
    else:
        frame, columns = data, [*keys, *drawn[:1], "status", *SWEEP_SHOWN]
        title = f"{result.scenario.name}: {len(data)} runs"
    table = Table(title=title)
    for column in columns:
        # A parameter is headed by its last two keys (CGO.capacity_factor); the file has all.
        table.add_column(SWEEP_SHOWN.get(column, ".".join(column.split(".")[-2:])),
                         justify="right" if column in SWEEP_SHOWN else "left")
    for row in frame.head(SWEEP_ROWS_SHOWN).to_dict("records"):
        table.add_row(*[_stat_cell(c, row) if c in SWEEP_SHOWN else str(row[c]) for c in columns])
    console.print(table)
    if len(frame) > SWEEP_ROWS_SHOWN:
        console.print(f"... and {len(frame) - SWEEP_ROWS_SHOWN} more rows in the table file")
    for row in result.failed.head(SWEEP_ROWS_SHOWN).to_dict("records"):
        point = ", ".join(f"{k}={row[k]}" for k in keys[1:] + drawn[:1])
        console.print(f"[yellow]{row['variant']}[/]{' ' + point if point else ''}: "
                      f"{row['status']}: {row['error']}", highlight=False, soft_wrap=True)
    if len(result.failed):
        console.print(f"[yellow]{len(result.failed)} of {len(data)} runs did not finish[/] "
                      "(see the status and error columns)", highlight=False)
    console.print(f"{len(data)} runs in {result.seconds:,.1f} s on {result.executor} "
                  f"({result.runs_per_minute:,.1f} per minute); wrote {result.out}",
                  highlight=False)

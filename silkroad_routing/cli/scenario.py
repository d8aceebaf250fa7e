"""``silkroad validate FILE``, ``silkroad run FILE`` and ``silkroad schema``."""

from __future__ import annotations

import dataclasses
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..io import write_text_atomic
from ..scenario.load import read_scenario
from ..scenario.outputs import ITINERARIES_STEM, WORKBOOK_FILE
from ..scenario.reference import scenario_reference_markdown
from ..scenario.runner import DEFAULT_OUT_ROOT, ScenarioResult, prepare, run_prepared
from ..scenario.schema import MAX_RELIABILITY_SAMPLES, scenario_json_schema
from ..scenario.variants import check_variants
from .design import print_design

#: The files a forwarder opens first, named after a run.
READ_FIRST = (("workbook", WORKBOOK_FILE), ("itineraries", f"{ITINERARIES_STEM}.csv"),
              ("map", "map.html"))

FileArgument = Annotated[Path, typer.Argument(
    metavar="FILE", help="scenario YAML file", show_default=False)]


def validate_command(file: FileArgument) -> None:
    """Check a scenario: the YAML, every key and value, the network edits, the demand, and each
    variant as a scenario of its own."""
    source = read_scenario(file)
    prepared = prepare(source)
    variants = check_variants(source)
    scenario = prepared.scenario
    net = prepared.network
    Console().print(
        f"[green]ok[/]: {file} — scenario [bold]{scenario.name}[/], network {net.name} "
        f"({len(net.hubs)} hubs, {len(net.links)} links, {len(net.services)} services after "
        f"edits), {len(prepared.shipments)} shipments, task {scenario.task.kind} "
        f"({scenario.task.objective})" + (f", {variants} variants" if variants else ""),
        highlight=False)


def run_command(
    file: FileArgument,
    out: Annotated[Path | None, typer.Option(
        "--out", help=f"output folder (default: the scenario's outputs.folder, else "
                      f"{DEFAULT_OUT_ROOT}/<name>)")] = None,
    fast: Annotated[bool, typer.Option(
        "--fast", help="a quick run for CI: subsampled demand, short solver limits")] = False,
    reliability: Annotated[int | None, typer.Option(
        "--reliability", min=0, max=MAX_RELIABILITY_SAMPLES, metavar="N",
        help="replay the plan N times under the scenario's uncertainty section: "
             "reliability.csv (default: the scenario's task.reliability_samples)")] = None,
) -> None:
    """Run a scenario: plan, KPIs, and the output files; print a summary table."""
    with Console(stderr=True).status(f"reading {file}, the network and the demand"):
        prepared = prepare(file, fast=fast)
    if reliability is not None:
        task = prepared.scenario.task.model_copy(update={"reliability_samples": reliability})
        prepared = dataclasses.replace(
            prepared, scenario=prepared.scenario.model_copy(update={"task": task}))
    folder = out if out is not None else (
        prepared.scenario.outputs.folder or Path(DEFAULT_OUT_ROOT) / prepared.scenario.name)
    result = run_prepared(prepared, folder, "--out" if out is not None else None, progress=True)
    print_summary(result, Console())


class SchemaFormat(StrEnum):
    """What ``silkroad schema`` prints."""

    JSON = "json"  # the JSON Schema, for editors and validators
    MARKDOWN = "markdown"  # the scenario file reference, one table per section


def schema_command(
    out: Annotated[Path | None, typer.Option("--out", help="write to this file instead of stdout")] = None,
    output_format: Annotated[SchemaFormat, typer.Option(
        "--format", help="json: the JSON Schema; markdown: the reference, a table per section "
                         "(field, type, unit, default, description)")] = SchemaFormat.JSON,
) -> None:
    """Print (or write) the JSON Schema of scenario files, or their reference in Markdown."""
    text = (scenario_reference_markdown() if output_format is SchemaFormat.MARKDOWN
            else json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n")
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        write_text_atomic(out, text)
    except OSError as exc:
        raise InputError(f"cannot write output: {exc.strerror or exc}", field="--out",
                         value=str(out)) from None
    Console().print(f"wrote {out}")


def print_summary(result: ScenarioResult, console: Console) -> None:
    """The KPIs of a run as a table, then where the files went."""
    table = Table(title=f"{result.scenario.name}: {len(result.shipments)} shipments"
                        + (" (fast mode)" if result.fast else ""))
    table.add_column("indicator")
    table.add_column("value", justify="right")
    for label, value in result.summary_rows():
        table.add_row(label, value)
    console.print(table)
    if result.design is not None:
        print_design(result.design, console)
    if result.files:
        console.print(f"wrote {len(result.files)} files to {result.out}", highlight=False)
        for label, name in READ_FIRST:
            if any(path.name == name for path in result.files):
                console.print(f"  {label}: {result.out / name}", highlight=False, soft_wrap=True)
    if result.skipped_formats:
        console.print(f"[yellow]not written[/] (no writer installed yet): "
                      f"{', '.join(result.skipped_formats)}", highlight=False)

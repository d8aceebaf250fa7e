"""One run of a comparison or sweep, as a pure function a worker process or Dask worker calls.

:func:`evaluate` maps a :class:`Task` (the scenario as JSON-ready data, the variant's and the
grid point's overrides, the Monte-Carlo sample and seed) to one row of KPIs (see :mod:`.rows`).
It never raises for a bad variant: an error, an infeasible run or an internal failure is
reported in the row's ``status`` and ``error``, so that one bad option does not stop the others.
Tasks and rows are plain data, so that they pickle to any worker that has the package.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import InputError
from ..scenario.load import Where
from ..scenario.runner import ScenarioResult, prepare, run_prepared
from ..scenario.schema import BASE_NAME
from ..scenario.variants import Overrides, apply_overrides, in_layer, renamed
from .draws import draw_edits
from .rows import failure_row, kpi_row

#: Column of the Monte-Carlo sample number.
SAMPLE_COLUMN = "sample"


@dataclass(frozen=True)
class Task:
    """One run: ``scenario`` (data from :func:`~..scenario.variants.scenario_data`, written at
    ``where``) with the ``variant``'s overrides (None for the scenario itself), then the grid
    point's ``parameters`` (override path -> value), then, when ``sample`` is set, the values
    drawn from the scenario's ``uncertainty`` with ``seed``. ``index`` orders the rows of the
    table."""

    index: int
    scenario: Mapping[str, Any]
    variant: str = BASE_NAME
    variant_overrides: Overrides | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    sample: int | None = None
    seed: int = 0
    fast: bool = False
    where: Where = field(default_factory=Where)

    def identity(self) -> dict[str, Any]:
        """The row's identifying columns: variant, parameters, sample."""
        row: dict[str, Any] = {"variant": self.variant}
        row.update({path: parameter_value(v) for path, v in self.parameters.items()})
        if self.sample is not None:
            row[SAMPLE_COLUMN] = self.sample
        return row


def parameter_value(value: Any) -> Any:
    """A parameter as a table cell: scalars as they are, lists and sections as JSON text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False,
                      default=lambda v: v.isoformat() if isinstance(v, date) else str(v))


def run_task(task: Task) -> tuple[dict[str, Any], ScenarioResult | None]:
    """Run ``task``: its row, and the scenario result (None when the run did not finish)."""
    row = task.identity()
    result: ScenarioResult | None = None
    try:
        layers = [Overrides("grid", task.parameters)]
        if task.variant_overrides is not None:
            layers[:0] = [renamed(task.scenario["name"], task.variant), task.variant_overrides]
        source = apply_overrides(task.scenario, layers, task.where)
        if task.sample is not None:
            drawn = draw_edits(source.scenario.uncertainty, task.seed, task.sample)
            row.update(drawn)
            source = apply_overrides(task.scenario, [*layers, Overrides("draw", drawn)], task.where)
        try:
            prepared = prepare(source, fast=task.fast)
        except InputError as exc:
            layer = task.variant_overrides
            raise (exc if layer is None else in_layer(exc, layer.label)) from None
        result = run_prepared(prepared, None)
        row.update(kpi_row(result))
    except Exception as exc:  # one failing option must not stop the others
        row.update(failure_row(exc))
    return row, result


def evaluate(task: Task) -> dict[str, Any]:
    """The KPI row of ``task`` (what a worker sends back)."""
    return run_task(task)[0]

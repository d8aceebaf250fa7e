"""Run a scenario: network + edits, demand, the task, KPIs, and the output files.

``run_scenario(path_or_scenario)`` is the whole job behind ``silkroad run``. Outputs are written
into a staging folder inside the output folder and moved into place only when every file is
complete, so an interrupted run leaves no half-written output. The writers live in
:data:`~silkroad_routing.scenario.outputs.OUTPUT_WRITERS`, keyed by format.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..compile import Problem
from ..compile import prepare as prepare_problem
from ..compile.shipments import ShipmentTable
from ..consolidation import Consolidation, consolidate
from ..errors import InputError
from ..io import load_network, staged_folder
from ..kpi import compute_kpis
from ..model import Costs, Network, Shipment, SolverParams
from ..plan import Plan
from ..routing import route
from ..service_design import Design, design
from ..service_design.report import summary_rows as design_summary_rows
from .demand import build_demand
from .load import ScenarioFile, Where, read_scenario
from .network_edits import apply_edits, check_uncertainty
from .outputs import OUTPUT_WRITERS, write_outputs
from .schema import MAX_TRANSIT_DAYS, OutputFormat, Scenario, TaskKind

if TYPE_CHECKING:
    from ..simulation import Reliability

#: Root of the default output folder from the command line: ``out/<scenario name>``.
DEFAULT_OUT_ROOT = "out"
#: Fast mode (CI): at most this many shipments (a seeded subsample) ...
FAST_MAX_SHIPMENTS = 60
#: ... and at most this solver time limit, seconds.
FAST_TIME_LIMIT_S = 10.0
#: Days of timetable beyond the ready window and the latest due date (sea via the Cape takes
#: about 50 days door to door).
DELIVERY_SLACK_DAYS = 60


@dataclass(frozen=True)
class Prepared:
    """A scenario made concrete: the edited network and the shipments (columnar), ready to
    plan."""

    scenario: Scenario
    where: Where
    network: Network
    shipments: ShipmentTable
    fast: bool = False


@dataclass(frozen=True)
class ScenarioResult:
    """Everything a scenario run produced.

    ``network`` is the network after the scenario's edits; ``shipments`` the demand (subsampled
    in fast mode); ``plan`` the routed plan; ``kpis`` the indicators of :mod:`..kpi`;
    ``consolidation`` and ``design`` the results of those tasks (None otherwise); ``out`` the
    output folder (None when nothing was written), ``files`` the files written, and
    ``skipped_formats`` the formats asked for (by default) that this installation cannot write,
    with the reason.
    """

    scenario: Scenario
    network: Network
    shipments: tuple[Shipment, ...]
    plan: Plan
    kpis: dict[str, Any]
    consolidation: Consolidation | None = None
    design: Design | None = None
    reliability: Reliability | None = None
    fast: bool = False
    out: Path | None = None
    files: tuple[Path, ...] = ()
    skipped_formats: dict[str, str] = field(default_factory=dict)

    def summary_rows(self) -> list[tuple[str, str]]:
        """The headline KPIs as (label, formatted value) rows for a table."""
        k = self.kpis

        def fmt(value: Any, spec: str, suffix: str = "") -> str:
            return "-" if value is None else f"{value:{spec}}{suffix}"

        rows = [
            ("shipments routed", f"{k['shipments_routed']:,} of {k['shipments']:,}"),
            ("shipments late", f"{k['shipments_late']:,}"),
            ("weight", fmt(k["weight_t"], ",.1f", " t")),
            ("total cost", fmt(k["total_cost_usd"], ",.0f", " USD")),
            ("cost per kg", fmt(k["cost_usd_per_kg"], ",.2f", " USD")),
            ("transit, mean", fmt(k["transit_days_mean"], ".1f", " days")),
            ("transit, P95", fmt(k["transit_days_p95"], ".1f", " days")),
            ("on time", fmt(None if k["on_time_share"] is None else 100 * k["on_time_share"],
                            ".1f", " %")),
            (f"CO2e, {k['co2e_basis']} (priced)", fmt(k["co2e_t"], ",.1f", " t")),
            ("CO2e, TTW", fmt(k["co2e_ttw_t"], ",.1f", " t")),
            (f"CO2e per tonne-km, {k['co2e_basis']}", fmt(k["co2e_g_per_tkm"], ",.1f", " g")),
        ]
        if "reliability_on_time_share" in k:
            rows.append((f"on time, simulated ({self.scenario.task.reliability_samples:,} samples)",
                         fmt(100 * k["reliability_on_time_share"], ".1f", " %")))
        if k.get("co2_cost_usd"):
            rows.append(("CO2 cost", fmt(k["co2_cost_usd"], ",.0f", " USD")))
        rows += _consolidation_rows(k.get("consolidation"))
        rows += _design_rows(self.design)
        share = k.get("mode_share_tkm", {})
        for mode, tonnes in k.get("mode_split_t", {}).items():
            pct = 100 * share.get(mode, 0.0)
            rows.append((f"{mode}: tonnes lifted, share of tkm",
                         f"{tonnes:,.0f} t, {'<1' if 0 < pct < 0.5 else f'{pct:.0f}'} %"))
        return rows


def _consolidation_rows(c: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Summary rows of a consolidation (none without one)."""
    if not c:
        return []
    per_mode = ", ".join(f"{mode} {sum(types.values()):,}"
                         for mode, types in c["units_by_mode"].items())
    fill = " / ".join("-" if c[key] is None else f"{100 * c[key]:.0f} %"
                      for key in ("fill_kg", "fill_m3"))
    saving = "" if c["saving_share"] is None else f" ({0.0 - 100 * c['saving_share']:+.1f} %)"
    return [
        ("units", f"{c['physical_units']:,} physical, {c['units']:,} unit-legs ({per_mode})"
         if per_mode else "0"),
        ("unit fill, kg / m3", fill),
        ("freight routed -> by units",
         f"{c['cost_before_usd']:,.0f} -> {c['cost_after_usd']:,.0f} USD{saving}"),
        ("units left behind (overflow)", f"{c['overflow_units']:,}"),
    ]


def _design_rows(d: Design | None) -> list[tuple[str, str]]:
    """Summary rows of a design (none without one): objective, bound, gap, departures."""
    if d is None:
        return []
    keep = ("status", "objective", "lower bound", "gap", "departures opened", "shipments unserved")
    return [(f"design: {label}", value) for label, value in design_summary_rows(d)
            if label in keep]


def _source(path_or_scenario: str | os.PathLike[str] | Scenario | ScenarioFile) -> ScenarioFile:
    if isinstance(path_or_scenario, ScenarioFile):
        return path_or_scenario
    if isinstance(path_or_scenario, Scenario):
        return ScenarioFile(path_or_scenario)
    return read_scenario(path_or_scenario)


def _fast(scenario: Scenario, shipments: ShipmentTable) -> tuple[Scenario, ShipmentTable]:
    """Fast mode: a seeded subsample of the demand and shorter solver limits (files untouched)."""
    if len(shipments) > FAST_MAX_SHIPMENTS:
        rng = np.random.default_rng([scenario.seed, 0xFA57])
        keep = np.sort(rng.choice(len(shipments), size=FAST_MAX_SHIPMENTS, replace=False))
        shipments = shipments.take(keep.astype(np.int64))
    task = scenario.task.model_copy(
        update={"time_limit_s": min(scenario.task.time_limit_s, FAST_TIME_LIMIT_S)})
    return scenario.model_copy(update={"task": task}), shipments


def prepare(path_or_scenario: str | os.PathLike[str] | Scenario | ScenarioFile,
            fast: bool = False) -> Prepared:
    """Load the scenario, its network with the edits applied, and its demand; plan nothing.

    This is all of ``silkroad validate``: every problem a run would meet in its input is raised
    here as a :class:`~silkroad_routing.errors.ScenarioError` naming file, line, field and value.
    """
    source = _source(path_or_scenario)
    scenario, where = source.scenario, source.where
    try:
        # A bare name may also be a folder next to the scenario file (never the current one).
        base = load_network(scenario.network, None if where.path is None else where.path.parent)
    except InputError as exc:
        raise where.error(exc.reason if exc.file is None else str(exc), ("network",),
                          scenario.network) from None
    network = apply_edits(base, scenario.edits, where)
    check_uncertainty(network, scenario.uncertainty, where)
    shipments = build_demand(scenario.demand, network, scenario.horizon, scenario.seed, where)
    if fast:
        scenario, shipments = _fast(scenario, shipments)
    return Prepared(scenario, where, network, shipments, fast)


def timetable_days(prepared: Prepared) -> float:
    """Days of timetable to expand: the ready window, up to the latest due date but at most
    :data:`~.schema.MAX_TRANSIT_DAYS` past the window (a due date in 2199 does not expand two
    centuries of departures), plus :data:`DELIVERY_SLACK_DAYS` so that shipments ready late in
    the window can still arrive."""
    horizon = prepared.scenario.horizon
    due_s = prepared.shipments.due_s[np.isfinite(prepared.shipments.due_s)]
    last_due = (datetime.fromtimestamp(float(due_s.max()), UTC) if due_s.size
                else horizon.end_at)
    until = min(max(horizon.end_at, last_due), horizon.end_at + timedelta(days=MAX_TRANSIT_DAYS))
    return math.ceil((until - horizon.start_at) / timedelta(days=1)) + DELIVERY_SLACK_DAYS


def _problem(prepared: Prepared, include_optional: bool = False) -> Problem:
    """The scenario's prepared problem: its horizon, prices and hub-day time zone."""
    scenario = prepared.scenario
    costs = Costs(co2_price_usd_per_t=scenario.edits.co2_price_usd_per_t,
                  value_of_time_pct_per_year=scenario.edits.value_of_time_pct_per_year,
                  co2e_basis=scenario.edits.co2e_basis)
    return prepare_problem(prepared.network, prepared.shipments, start=scenario.horizon.start_at,
                   days=timetable_days(prepared), costs=costs,
                   include_optional=include_optional, tz=scenario.horizon.tz)


def _params(prepared: Prepared) -> SolverParams:
    """The task's solver limits, with the scenario's seed."""
    task = prepared.scenario.task
    return SolverParams(time_limit_s=task.time_limit_s, mip_gap=task.mip_gap,
                        seed=prepared.scenario.seed, threads=task.threads,
                        max_rounds=task.max_rounds)


def _route(problem: Problem, prepared: Prepared, progress: bool) -> Plan:
    """The route task: ``sr.route`` with the task's objective, capacity and assignment, or
    ``sr.route_reliable`` when the task has a ``reliability_target``, ``sr.route_expected``
    when it has a ``reliability_lateness_usd_per_t_h``."""
    task = prepared.scenario.task
    if task.reliability_target is not None:
        from ..simulation import route_reliable  # the simulation layer imports this package's schema

        return route_reliable(problem, prepared.scenario.uncertainty, task.reliability_target,
                              task.reliability_samples, prepared.scenario.seed).plan
    if task.reliability_lateness_usd_per_t_h is not None:
        from ..simulation import route_expected

        return route_expected(problem, prepared.scenario.uncertainty, task.reliability_samples,
                              prepared.scenario.seed,
                              task.reliability_lateness_usd_per_t_h).plan
    params = _params(prepared)
    return route(problem, objective=str(task.objective), progress=progress,
                 capacity=None if task.capacity is None else str(task.capacity),  # type: ignore[arg-type]
                 assign=str(task.assign), params=params)  # type: ignore[arg-type]


def _design(prepared: Prepared) -> Design:
    """The design task: ``sr.design`` with the scenario's horizon, prices and solver limits."""
    return design(_problem(prepared, include_optional=True), params=_params(prepared))


def _plan(prepared: Prepared, progress: bool
          ) -> tuple[Plan, Consolidation | None, Design | None]:
    """Run the scenario's task: (plan, consolidation, design)."""
    kind = prepared.scenario.task.kind
    if kind == TaskKind.DESIGN:
        with _status(progress, "choosing the optional departures to run"):
            chosen = _design(prepared)
        return chosen.plan, None, chosen
    problem = _problem(prepared)
    plan = _route(problem, prepared, progress)
    if kind == TaskKind.CONSOLIDATE:
        task = prepared.scenario.task
        with _status(progress, "consolidating shipments into units"):
            params = SolverParams(time_limit_s=task.time_limit_s, seed=prepared.scenario.seed)
            consolidation = consolidate(problem, plan, exact=True, params=params)
        return plan, consolidation, None
    return plan, None, None


def _reliability(prepared: Prepared, plan: Plan) -> Reliability:
    """The plan replayed ``task.reliability_samples`` times under the scenario's
    ``uncertainty`` with its ``seed`` (:func:`silkroad_routing.simulate`)."""
    from ..simulation import simulate  # the simulation layer imports this package's schema

    scenario = prepared.scenario
    problem = _problem(prepared, include_optional=scenario.task.kind == TaskKind.DESIGN)
    return simulate(problem, plan, scenario.uncertainty, scenario.task.reliability_samples,
                    scenario.seed)


def _status(progress: bool, text: str) -> contextlib.AbstractContextManager[Any]:
    """A spinner on the terminal (stderr) while a step runs, when progress is asked for."""
    if not (progress and sys.stderr.isatty()):
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(text)


def run_prepared(prepared: Prepared, out: Path | None, out_option: str | None = None,
                 progress: bool = False) -> ScenarioResult:
    """Plan a prepared scenario, compute its KPIs and write its outputs into ``out``.

    ``out_option`` names the parameter or command-line option ``out`` came from (``"--out"``),
    for the error raised when the folder cannot be written; None means the scenario's
    ``outputs.folder`` (or its default).
    """
    scenario = prepared.scenario
    formats, skipped = _formats(prepared)
    with contextlib.ExitStack() as stack:
        stage = None
        if out is not None:
            try:  # fail before any work when the folder cannot be created or written
                stage = stack.enter_context(staged_folder(out))
            except OSError as exc:
                reason = f"the output folder cannot be written: {exc.strerror or exc}"
                if out_option is not None:
                    raise InputError(reason, field=out_option, value=str(out)) from None
                raise prepared.where.error(reason, ("outputs", "folder"), str(out)) from None
        plan, consolidation, design = _plan(prepared, progress)
        shipments = tuple(prepared.shipments.records())
        with _status(progress, "computing the KPIs"):
            kpis = compute_kpis(plan, prepared.network, shipments,
                                co2_price_usd_per_t=scenario.edits.co2_price_usd_per_t,
                                tz=scenario.horizon.tz).to_dict()
            if consolidation is not None:
                kpis["consolidation"] = consolidation.summary.to_dict()
        reliability = None
        if scenario.task.reliability_samples:
            with _status(progress, f"replaying the plan {scenario.task.reliability_samples:,} times"):
                reliability = _reliability(prepared, plan)
            kpis["reliability_on_time_share"] = reliability.on_time_share
        result = ScenarioResult(scenario=scenario, network=prepared.network,
                                shipments=shipments, plan=plan, kpis=kpis,
                                consolidation=consolidation, design=design, fast=prepared.fast,
                                out=out, skipped_formats=skipped, reliability=reliability)
        if stage is None:
            return result
        # The files move from the staging folder into ``out`` when the stack closes.
        with _status(progress, f"writing {', '.join(formats)}"):
            written = write_outputs(result, stage, formats)
        files = tuple(out / p.relative_to(stage) for p in written)
    return dataclasses.replace(result, files=files)


def _formats(prepared: Prepared) -> tuple[list[OutputFormat], dict[str, str]]:
    """Formats to write, and the ones skipped because no writer is installed (only when the
    scenario left ``formats`` at its default; asking for one explicitly is an error)."""
    outputs = prepared.scenario.outputs
    wanted = list(dict.fromkeys(outputs.formats))
    missing = [f for f in wanted if f not in OUTPUT_WRITERS]
    if missing and "formats" in outputs.model_fields_set:
        raise prepared.where.error(
            f"output format is not available in this installation (available: "
            f"{', '.join(OUTPUT_WRITERS)})", ("outputs", "formats", outputs.formats.index(missing[0])),
            str(missing[0]))
    return ([f for f in wanted if f in OUTPUT_WRITERS],
            {str(f): "no writer installed yet" for f in missing})


def run_scenario(path_or_scenario: str | os.PathLike[str] | Scenario | ScenarioFile,
                 out: str | os.PathLike[str] | None = None, fast: bool = False,
                 progress: bool = False) -> ScenarioResult:
    """Run everything a scenario asks for and return the result.

    ``path_or_scenario`` is a scenario YAML file or a :class:`~.schema.Scenario`. Outputs go to
    ``out`` if given, else to the scenario's ``outputs.folder``; with neither, nothing is
    written. ``fast=True`` shrinks the work for CI (at most :data:`FAST_MAX_SHIPMENTS` shipments,
    a seeded subsample, and solver limits of at most :data:`FAST_TIME_LIMIT_S` s) without
    touching the files. ``progress=True`` shows progress bars for long steps.

    Raises :class:`~silkroad_routing.errors.ScenarioError` (file, line, field, value) on bad
    input, before any output is written.
    """
    prepared = prepare(path_or_scenario, fast=fast)
    if out is not None:
        return run_prepared(prepared, Path(out), "out", progress)
    return run_prepared(prepared, prepared.scenario.outputs.folder, None, progress)

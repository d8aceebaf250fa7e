"""Solver time limits are honoured: ``time_limit_s`` bounds the whole solve of ``sr.design`` and
of the optimal capacity assignment (column generation, pricing, greedy design, MIP), and a solve
stopped by it says so in its status, with a valid bound and its gap.

The instance is the peak-month design scenario with its full demand (1,800 shipments), which
takes far longer than the limit given here. The assertions are on the reported status and a
generous upper bound of the wall time (the documented tolerance plus slack for a loaded
machine), not on a tight timing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import silkroad_routing as sr
from silkroad_routing.core.timetable.labels import DEFAULT_MAX_LABELS
from silkroad_routing.routing.optimal import assign_optimal, solve_summary
from silkroad_routing.scenario import runner

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "peak_month_charter_design.yaml"
LIMIT_S = 1.0
#: The overrun the docs state (docs/security.md, "Limits"): the work in progress at the limit.
TOLERANCE_S = 1.0
#: Extra room for a machine whose cores are shared with other jobs.
LOAD_SLACK_S = 3.0


def _problem(include_optional: bool) -> sr.Problem:
    prepared = runner.prepare(SCENARIO)
    horizon = prepared.scenario.horizon
    return sr.prepare(prepared.network, prepared.shipments, start=horizon.start_at,
                      days=runner.timetable_days(prepared), include_optional=include_optional,
                      tz=horizon.tz)


def _check_stopped(status: str, objective: float, bound: float, gap: float, wall_time_s: float,
                   measured_s: float) -> None:
    assert status == "feasible: stopped by the time limit"
    assert 0.0 <= bound <= objective
    assert gap == pytest.approx((objective - bound) / objective)
    assert wall_time_s <= measured_s
    assert measured_s <= LIMIT_S + TOLERANCE_S + LOAD_SLACK_S


def test_a_design_stops_at_its_time_limit() -> None:
    problem = _problem(include_optional=True)
    started = time.perf_counter()
    design = sr.design(problem, params=sr.SolverParams(time_limit_s=LIMIT_S))
    measured = time.perf_counter() - started
    assert design.stopped_by_time_limit and design.summary.stopped_by_time_limit
    _check_stopped(design.status_text, design.objective, design.bound, design.gap,
                   design.wall_time_s, measured)
    assert len(design.plan) == len(problem.shipments)  # every shipment has a row, served or not


def test_the_optimal_assignment_stops_at_its_time_limit() -> None:
    """The solve of ``assign="optimal"`` (``sr.route`` first routes every shipment alone for
    its first choice; that search is not the solve and is not timed here)."""
    problem = _problem(include_optional=False)
    started = time.perf_counter()
    found = assign_optimal(problem, sr.SolverParams(time_limit_s=LIMIT_S), DEFAULT_MAX_LABELS)
    measured = time.perf_counter() - started
    solve = solve_summary(found.design)
    _check_stopped(solve.status, solve.objective, solve.bound, solve.gap, solve.wall_time_s,
                   measured)


def test_a_solve_within_its_limit_is_not_flagged() -> None:
    """The tiny exact design finishes long before its limit: no flag, a plain status."""
    prepared = runner.prepare(Path(__file__).resolve().parents[1] / "data" / "mini_scenario.yaml",
                              fast=True)
    horizon = prepared.scenario.horizon
    design = sr.design(prepared.network, prepared.shipments, start=horizon.start_at,
                       days=runner.timetable_days(prepared), tz=horizon.tz,
                       params=sr.SolverParams(time_limit_s=60))
    assert not design.stopped_by_time_limit
    assert "stopped" not in design.status_text

"""Reliability in routing: objectives that price risk on sampled scenarios.

Two objectives, over the same candidates and draws:

* :func:`route_reliable`: the cheapest route whose simulated P(on time) reaches a target;
* :func:`route_expected`: the route of least expected generalized cost, lateness priced
  (:data:`EXPECTED_COST_RULE`).

:func:`route_reliable` lists each shipment's non-dominated routes in (arrival, cost) -- the
``pareto`` objective of :func:`~silkroad_routing.route`, late routes included --, replays every
one of them under the same drawn scenarios (common random numbers: one set of draws, keyed by
departure, hub and link, serves every candidate) and keeps, per shipment, the cheapest whose
share of samples on time is at least the target (ties: earliest). A shipment none of whose
routes reaches it gets its most reliable route (ties: cheapest, then earliest), flagged
``meets_target`` False. The replay has no capacity between shipments, so each shipment's
choice is exact over its candidates for the samples drawn: it is the brute-force choice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..compile import Problem
from ..core.replay import ReplayDraws, replay
from ..errors import InputError
from ..plan import Plan
from ..routing import route
from ..scenario.schema import Uncertainty
from ..units import TIME_TOLERANCE_H
from .simulate import Reliability, check_replay_inputs, draw_replay, replay_arrays, simulate

#: Columns of :attr:`ReliableRoutes.candidates`.
CANDIDATE_COLUMNS: tuple[str, ...] = (
    "shipment_id", "option", "arrival", "cost_usd", "p_on_time", "hours_mean",
    "lateness_mean_h", "extra_cost_mean_usd", "expected_cost_usd", "chosen",
)
#: How :func:`route_expected` prices a candidate route, per shipment, over the samples.
EXPECTED_COST_RULE: str = (
    "expected_cost_usd = cost_usd + CO2 price x co2e_kg + extra_cost_mean_usd (legs paid again "
    "after a rebooking) + value of time x hours_mean (ready to arrival) + lateness penalty x "
    "tonnes x lateness_mean_h (hours past the due date, 0 when on time); a sample in which the "
    "shipment is stranded counts as arriving at the end of the timetable's horizon")


@dataclass(frozen=True, slots=True, eq=False)
class ReliableRoutes:
    """The routes :func:`route_reliable` chose, for ``p_on_time_target`` over ``samples``
    samples drawn with ``seed``.

    ``plan``: one option (``0``) per shipment, objective ``reliable``, capacity ignored (each
    shipment routed as if alone); its shipments table also has ``p_on_time`` and
    ``meets_target`` (False when no candidate reaches the target: the most reliable is kept).
    ``reliability``: that plan replayed with the same ``samples`` and ``seed``; by common random
    numbers its ``p_on_time`` per shipment is the chosen candidate's.
    ``candidates`` (:data:`CANDIDATE_COLUMNS`): every Pareto route of every routed shipment
    (``option`` as in the Pareto plan, earliest first), its cost (USD), simulated P(on time)
    and whether it was chosen.
    """

    plan: Plan
    reliability: Reliability
    candidates: pd.DataFrame
    p_on_time_target: float
    samples: int
    seed: int


def route_reliable(problem: Problem, uncertainty: Uncertainty | None, p_on_time_target: float,
                   samples: int, seed: int = 0) -> ReliableRoutes:
    """Per shipment of ``problem``, the cheapest Pareto route whose P(on time), replayed
    ``samples`` times under ``uncertainty`` with ``seed``, is at least ``p_on_time_target``
    (a share from 0 to 1); else the most reliable (module docstring).

    Raises :class:`~silkroad_routing.errors.InputError` naming the field and value for a bad
    ``p_on_time_target``, ``samples`` or ``seed``, or an ``uncertainty`` target the network
    does not have (as :func:`~silkroad_routing.simulate` does)."""
    if (isinstance(p_on_time_target, bool) or not isinstance(p_on_time_target, int | float)
            or not 0.0 <= p_on_time_target <= 1.0):
        raise InputError("must be a share from 0 to 1", field="p_on_time_target",
                         value=p_on_time_target)
    check_replay_inputs(problem, uncertainty, samples, seed)
    pareto = route(problem, objective="pareto")
    draws = draw_replay(problem, uncertainty, samples, seed)
    candidates = _candidates(problem, pareto, draws, problem.costs.lateness_penalty_usd_per_t_h)
    chosen = _choose(candidates, p_on_time_target)
    candidates = candidates.assign(chosen=candidates.index.isin(chosen.index))
    keep = chosen[["shipment_id", "option", "p_on_time"]].assign(
        meets_target=chosen["p_on_time"] >= p_on_time_target)
    plan = _plan_of(pareto, keep)
    return ReliableRoutes(
        plan=plan, reliability=simulate(problem, plan, uncertainty, samples, seed),
        candidates=candidates[list(CANDIDATE_COLUMNS)].reset_index(drop=True),
        p_on_time_target=float(p_on_time_target), samples=samples, seed=seed)


def route_expected(problem: Problem, uncertainty: Uncertainty | None, samples: int,
                   seed: int = 0, lateness_usd_per_t_h: float | None = None) -> ReliableRoutes:
    """Per shipment of ``problem``, the Pareto route of least expected generalized cost with
    lateness priced (:data:`EXPECTED_COST_RULE`), replayed ``samples`` times under
    ``uncertainty`` with ``seed`` (ties: the earliest option). ``lateness_usd_per_t_h`` (USD
    per tonne and hour late) defaults to the problem's ``costs.lateness_penalty_usd_per_t_h``.
    The candidates and draws are those of :func:`route_reliable`; the plan's objective is
    ``expected cost``, its ``p_on_time_target`` NaN and its shipments table has
    ``p_on_time`` and ``expected_cost_usd``.

    Raises :class:`~silkroad_routing.errors.InputError` naming the field and value for a bad
    ``lateness_usd_per_t_h``, ``samples`` or ``seed``, or an ``uncertainty`` target the
    network does not have."""
    penalty = (problem.costs.lateness_penalty_usd_per_t_h if lateness_usd_per_t_h is None
               else lateness_usd_per_t_h)
    if (isinstance(penalty, bool) or not isinstance(penalty, int | float)
            or not np.isfinite(penalty) or penalty < 0):
        raise InputError("must be a finite number >= 0", field="lateness_usd_per_t_h",
                         value=lateness_usd_per_t_h)
    check_replay_inputs(problem, uncertainty, samples, seed)
    pareto = route(problem, objective="pareto")
    candidates = _candidates(problem, pareto, draw_replay(problem, uncertainty, samples, seed),
                             float(penalty))
    chosen = candidates.sort_values(["shipment_id", "expected_cost_usd", "option"],
                                    kind="stable").drop_duplicates("shipment_id")
    candidates = candidates.assign(chosen=candidates.index.isin(chosen.index))
    keep = chosen[["shipment_id", "option", "p_on_time", "expected_cost_usd"]]
    plan = replace(_plan_of(pareto, keep), objective="expected cost")
    return ReliableRoutes(
        plan=plan, reliability=simulate(problem, plan, uncertainty, samples, seed),
        candidates=candidates[list(CANDIDATE_COLUMNS)].reset_index(drop=True),
        p_on_time_target=float("nan"), samples=samples, seed=seed)


def _candidates(problem: Problem, pareto: Plan, draws: ReplayDraws,
                lateness_usd_per_t_h: float) -> pd.DataFrame:
    """Every routed Pareto option with its simulated P(on time), mean transit hours, lateness
    and extra cost, and its expected cost (:data:`EXPECTED_COST_RULE`): one replay per option
    rank (the shipments that have that many options, each as its option 0)."""
    routed = pareto.shipments[pareto.shipments["routed"]]
    sa = problem.shipments
    index = pd.Series(np.arange(len(sa.ids)), index=sa.ids.tolist())
    horizon_h = float(problem.timetable.horizon_h)
    co2_price = problem.costs.co2_price_usd_per_kg
    parts = []
    for option in sorted(routed["option"].unique().tolist()):
        rows = routed[routed["option"] == option]
        legs = pareto.legs[pareto.legs["option"] == option]
        plan = replace(pareto, shipments=rows.assign(option=0), legs=legs.assign(option=0))
        out = replay(replay_arrays(problem, plan)[0], draws, TIME_TOLERANCE_H)
        idx = index.reindex(rows["shipment_id"]).to_numpy()
        due, ready = sa.due_h[idx][None, :], sa.ready_h[idx][None, :]
        arrival = np.where(np.isfinite(out.arrival_h), out.arrival_h, horizon_h)
        hours = (arrival - ready).mean(axis=0)
        late_h = np.maximum(arrival - due, 0.0).mean(axis=0)
        extra = out.extra_cost_usd / arrival.shape[0]
        expected = (rows["cost_usd"].to_numpy() + co2_price * rows["co2e_kg"].to_numpy() + extra
                    + sa.vot_usd_per_h[idx] * hours
                    + lateness_usd_per_t_h * sa.weight_kg[idx] / 1000.0 * late_h)
        parts.append(rows[["shipment_id", "option", "arrival", "cost_usd"]].assign(
            p_on_time=(out.arrival_h <= due + TIME_TOLERANCE_H).mean(axis=0), hours_mean=hours,
            lateness_mean_h=late_h, extra_cost_mean_usd=extra, expected_cost_usd=expected))
    columns = list(CANDIDATE_COLUMNS[:-1])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _choose(candidates: pd.DataFrame, p_on_time_target: float) -> pd.DataFrame:
    """One row per shipment: the cheapest candidate reaching the target (ties: earliest
    option), else the most reliable (ties: cheapest, then earliest)."""
    reaches = candidates["p_on_time"] >= p_on_time_target
    ranked = candidates.assign(
        _misses=~reaches, _key=np.where(reaches, 0.0, -candidates["p_on_time"]))
    ranked = ranked.sort_values(["shipment_id", "_misses", "_key", "cost_usd", "option"],
                                kind="stable")
    return ranked.drop_duplicates("shipment_id").drop(columns=["_misses", "_key"])


def _plan_of(pareto: Plan, keep: pd.DataFrame) -> Plan:
    """The Pareto plan cut to the kept option of each routed shipment (renumbered 0), with the
    other columns of ``keep`` (``p_on_time``, and ``meets_target`` or ``expected_cost_usd``);
    unrouted shipments keep their row (NaN, or False for ``meets_target``)."""
    s = pareto.shipments
    routed = s[s["routed"]].merge(keep, on=["shipment_id", "option"])
    extra = {c: (False if c == "meets_target" else np.nan)
             for c in keep.columns if c not in ("shipment_id", "option")}
    unrouted = s[~s["routed"]].assign(**extra)
    shipments = pd.concat([routed, unrouted], ignore_index=True).assign(option=0)
    shipments = shipments.sort_values("shipment_id", kind="stable").reset_index(drop=True)
    legs = pareto.legs.merge(keep[["shipment_id", "option"]], on=["shipment_id", "option"])
    return replace(pareto, shipments=shipments, legs=legs.assign(option=0).reset_index(drop=True),
                   objective="reliable")

"""``solve_mcnd`` and the arc-MIP baseline against brute force, scipy and the known optima."""

from __future__ import annotations

import time
from functools import partial

import numpy as np
import pytest
from mcnd_reference import (
    DATA,
    brute_force_optimum,
    check_solution,
    known_optima,
    random_instance_arrays,
    strong_lp_bound,
)

import silkroad_routing as sr
from silkroad_routing.errors import InputError
from silkroad_routing.model import MCNDInstance
from silkroad_routing.solvers import SolveStatus, solve_mcnd, solve_mcnd_arc_mip
from silkroad_routing.solvers.mcnd.network import ArcGraph
from silkroad_routing.solvers.mcnd.path_lp import ColumnPool, solve_path_lp

SOLVERS = {
    "method": solve_mcnd,
    "arc MIP": solve_mcnd_arc_mip,
    "method with SCIP": partial(solve_mcnd, solver="scip", threads=2),
}
# (seed, nodes, arcs, commodities): tiny enough for 2**arcs flow LPs, varied in tightness.
TINY = [(0, 4, 8, 2), (1, 5, 9, 3), (3, 6, 10, 4), (4, 4, 9, 3), (6, 5, 10, 4), (7, 5, 8, 3),
        (8, 5, 10, 5), (9, 4, 10, 4), (10, 6, 10, 3)]


def _tiny(seed: int, n: int, m: int, k: int) -> dict:
    return random_instance_arrays(seed, n, m, k)


def _check(data: dict, result) -> None:
    assert result.bound <= result.objective + 1e-9 * abs(result.objective)
    check_solution(data, result.open_arcs, result.flows, result.objective)


@pytest.fixture(scope="module")
def tiny_optima() -> dict:
    return {case: brute_force_optimum(_tiny(*case)) for case in TINY}


@pytest.mark.parametrize("case", TINY)
@pytest.mark.parametrize("name", SOLVERS)
def test_tiny_optimum_equals_brute_force(case, name, tiny_optima):
    data = _tiny(*case)
    expected = tiny_optima[case]
    result = SOLVERS[name](MCNDInstance(**data), time_limit_s=20)
    if np.isinf(expected):
        assert result.status == SolveStatus.INFEASIBLE
        assert np.isinf(result.objective) and result.open_arcs.size == 0
        return
    assert result.status == SolveStatus.OPTIMAL
    _check(data, result)
    assert result.objective == pytest.approx(expected, rel=1e-6)
    assert result.bound <= expected * (1 + 1e-9)
    assert result.gap <= 1e-6


def test_tiny_cases_include_infeasible_and_fractional_ones(tiny_optima):
    # The brute-force cases are only a good test if some are infeasible and, among the others,
    # some have a strong LP bound below the optimum (the MIP has to branch or cut).
    values = np.array(list(tiny_optima.values()))
    assert np.isinf(values).sum() >= 2 and np.isfinite(values).sum() >= 5
    lp = np.array([strong_lp_bound(_tiny(*case)) for case in TINY])
    assert (lp < values * (1 - 1e-6)).sum() >= 3


@pytest.mark.parametrize("case", TINY)
def test_strong_lp_bound_equals_scipy_strong_lp(case):
    data = _tiny(*case)
    expected = strong_lp_bound(data)
    instance = MCNDInstance(**data)
    m = instance.n_arcs
    lp = solve_path_lp(instance, ArcGraph.of(instance), ColumnPool(m),
                       arc_cost=instance.arc_unit_cost, y_cost=instance.arc_fixed_cost,
                       y_lb=np.zeros(m), y_ub=np.ones(m), separate=True,
                       deadline=time.perf_counter() + 60)
    assert lp.converged
    if np.isinf(expected):
        assert lp.slack > 1e-6  # demand left on the slack columns: the LP is infeasible
        return
    assert lp.slack == pytest.approx(0.0, abs=1e-9)
    assert lp.value == pytest.approx(expected, rel=1e-7)
    assert lp.bound == pytest.approx(expected, rel=1e-6)
    assert lp.bound <= expected * (1 + 1e-9)


def _unreachable() -> dict:
    # Node 3 has no arc coming in.
    return dict(n_nodes=4, arc_tail=[0, 1, 2, 3, 1], arc_head=[1, 2, 0, 0, 0],
                arc_unit_cost=[1.0] * 5, arc_capacity=[9.0] * 5, arc_fixed_cost=[3.0] * 5,
                commodity_origin=[0, 1], commodity_destination=[2, 3], commodity_demand=[2.0, 1.0])


def _over_capacity() -> dict:
    # Two disjoint routes 0 -> 1 -> 3 and 0 -> 2 -> 3 carry 5 + 6 units; demand is 12.
    return dict(n_nodes=4, arc_tail=[0, 1, 0, 2], arc_head=[1, 3, 2, 3],
                arc_unit_cost=[1.0] * 4, arc_capacity=[5.0, 5.0, 6.0, 6.0],
                arc_fixed_cost=[3.0] * 4, commodity_origin=[0], commodity_destination=[3],
                commodity_demand=[12.0])


@pytest.mark.parametrize("make", [_unreachable, _over_capacity])
@pytest.mark.parametrize("name", SOLVERS)
def test_infeasible_instances_are_reported(make, name):
    data = make()
    assert np.isinf(brute_force_optimum(data))
    result = SOLVERS[name](MCNDInstance(**data), time_limit_s=10)
    assert result.status == SolveStatus.INFEASIBLE
    assert np.isinf(result.objective) and result.bound == np.inf
    assert result.open_arcs.size == 0 and not result.flows.any()
    assert result.message


def test_infeasible_messages_say_why():
    unreachable = solve_mcnd(MCNDInstance(**_unreachable()), time_limit_s=10)
    assert "no path" in unreachable.message and "from node 1 to node 3" in unreachable.message
    over = solve_mcnd(MCNDInstance(**_over_capacity()), time_limit_s=10)
    assert "capacities cannot carry" in over.message


@pytest.mark.parametrize("name", SOLVERS)
def test_same_seed_same_result(name):
    data = random_instance_arrays(11, 8, 24, 10, capacity_scale=3)
    instance = MCNDInstance(**data)
    first = SOLVERS[name](instance, time_limit_s=30, seed=3)
    second = SOLVERS[name](instance, time_limit_s=30, seed=3)
    assert first.status == SolveStatus.OPTIMAL  # within the limit, so nothing depends on timing
    assert first.objective == second.objective and first.bound == second.bound
    assert np.array_equal(first.open_arcs, second.open_arcs)
    assert np.array_equal(first.flows, second.flows)
    _check(data, first)


def test_method_and_baseline_agree_on_a_medium_instance():
    data = random_instance_arrays(13, 10, 30, 15, capacity_scale=2)
    instance = MCNDInstance(**data)
    ours, baseline = solve_mcnd(instance, time_limit_s=30), solve_mcnd_arc_mip(instance, time_limit_s=30)
    for result in (ours, baseline):
        _check(data, result)
    assert ours.status == baseline.status == SolveStatus.OPTIMAL
    assert ours.objective == pytest.approx(baseline.objective, rel=1e-6)


def test_shipped_instance_c33_reaches_its_optimum():
    instance = sr.io.read_dow(DATA / "c33.dow")
    optimum = known_optima()["c33"]
    result = solve_mcnd(instance, time_limit_s=20)
    data = {name: getattr(instance, name) for name in (
        "n_nodes", "arc_tail", "arc_head", "arc_unit_cost", "arc_capacity", "arc_fixed_cost",
        "commodity_origin", "commodity_destination", "commodity_demand")}
    _check(data, result)
    assert result.objective <= optimum * 1.005
    assert result.bound <= optimum * (1 + 1e-9)


def test_highs_runs_whatever_thread_count_is_asked():
    # HiGHS's thread pool is process-wide: asking for another size per solve must not fail.
    instance = MCNDInstance(**_tiny(1, 5, 9, 3))
    results = [solve_mcnd(instance, time_limit_s=10, threads=t) for t in (1, 2, 1)]
    assert len({r.objective for r in results}) == 1


@pytest.mark.parametrize(("kwargs", "match"), [
    (dict(time_limit_s=0), "time_limit_s"), (dict(time_limit_s=float("nan")), "time_limit_s"),
    (dict(seed=-1), "seed"), (dict(threads=0), "threads"), (dict(solver="cplex"), "solver"),
])
def test_bad_options_raise(kwargs, match):
    instance = MCNDInstance(**_tiny(0, 4, 8, 2))
    with pytest.raises(InputError, match=match):
        solve_mcnd(instance, **kwargs)

"""Independent references for the MCND tests: a solution checker, brute-force optima and the
strong LP bound, all with NumPy and scipy's ``linprog`` (nothing from OR-Tools or the solver).

Instances are given as plain arrays (the fields of ``MCNDInstance``), so these checks do not
depend on the library's own cost or feasibility code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "mcnd" / "data"
TOL = 1e-6  # units of flow: the solvers' feasibility tolerance, with room


def known_optima() -> dict[str, float]:
    """Proven optima shipped beside the benchmark instances (``optima.csv``)."""
    rows = (line.split(",") for line in (DATA / "optima.csv").read_text().splitlines()[1:])
    return {name: float(value) for name, value, *_ in rows if value}


def random_instance_arrays(seed: int, n_nodes: int, n_arcs: int, n_commodities: int,
                           capacity_scale: float = 1.0) -> dict:
    """A tiny random instance: a cycle through all nodes plus random distinct arcs (no
    self-loops), integer data, commodities with distinct ends. Capacities are drawn so that
    some instances are tight and a few infeasible."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(n_nodes)
    cycle = [(int(order[i]), int(order[(i + 1) % n_nodes])) for i in range(n_nodes)]
    others = [(i, j) for i in range(n_nodes) for j in range(n_nodes)
              if i != j and (i, j) not in cycle]
    extra = rng.choice(len(others), size=n_arcs - n_nodes, replace=False)
    tail, head = np.array(cycle + [others[p] for p in extra]).T
    origin = rng.integers(0, n_nodes, n_commodities)
    destination = (origin + rng.integers(1, n_nodes, n_commodities)) % n_nodes
    return dict(
        n_nodes=n_nodes, arc_tail=tail, arc_head=head,
        arc_unit_cost=rng.integers(1, 10, n_arcs).astype(float),
        arc_capacity=rng.integers(4, 25, n_arcs) * float(capacity_scale),
        arc_fixed_cost=rng.integers(5, 80, n_arcs).astype(float),
        commodity_origin=origin, commodity_destination=destination,
        commodity_demand=rng.integers(1, 12, n_commodities).astype(float))


def check_solution(data: dict, open_arcs, flows, objective: float) -> None:
    """Assert a design is feasible and its objective is what the arrays say it is.

    Flow conservation per commodity and node (origin sends its demand, destination takes it),
    non-negative flows, nothing on closed arcs, total flow within capacity on open arcs.
    """
    n, tail, head = data["n_nodes"], np.asarray(data["arc_tail"]), np.asarray(data["arc_head"])
    m, n_k = tail.size, len(data["commodity_demand"])
    flows = np.asarray(flows, dtype=float)
    assert flows.shape == (n_k, m)
    is_open = np.zeros(m, dtype=bool)
    is_open[np.asarray(open_arcs, dtype=int)] = True
    assert len(set(np.asarray(open_arcs).tolist())) == len(open_arcs), "an arc is listed twice"
    assert (flows >= -TOL).all(), "negative flow"
    assert (np.abs(flows[:, ~is_open]) <= TOL).all(), "flow on a closed arc"
    total = flows.sum(axis=0)
    assert (total <= np.asarray(data["arc_capacity"]) + TOL).all(), "capacity exceeded"
    for k in range(n_k):
        balance = np.zeros(n)
        np.add.at(balance, tail, flows[k])
        np.subtract.at(balance, head, flows[k])
        expected = np.zeros(n)
        expected[data["commodity_origin"][k]] += data["commodity_demand"][k]
        expected[data["commodity_destination"][k]] -= data["commodity_demand"][k]
        assert np.allclose(balance, expected, atol=TOL * max(1, n)), f"commodity {k} not conserved"
    recomputed = (np.asarray(data["arc_fixed_cost"])[is_open].sum()
                  + (np.asarray(data["arc_unit_cost"]) * total).sum())
    assert np.isclose(objective, recomputed, rtol=1e-9, atol=1e-6), (objective, recomputed)


def _flow_lp(data: dict, arcs: np.ndarray, strong_y: bool) -> float:
    """Cheapest multicommodity flow on ``arcs`` (all open), or the strong LP relaxation over
    all arcs when ``strong_y`` (y in [0, 1] at fixed cost, x_a^k <= min(d_k, u_a) y_a)."""
    n, n_k = data["n_nodes"], len(data["commodity_demand"])
    tail, head = np.asarray(data["arc_tail"])[arcs], np.asarray(data["arc_head"])[arcs]
    cap = np.asarray(data["arc_capacity"], dtype=float)[arcs]
    demand = np.asarray(data["commodity_demand"], dtype=float)
    s = arcs.size
    if s == 0:
        return np.inf  # every commodity has distinct ends, so it needs an arc
    n_x = n_k * s
    n_var = n_x + (s if strong_y else 0)
    cost = np.tile(np.asarray(data["arc_unit_cost"], dtype=float)[arcs], n_k)
    if strong_y:
        cost = np.concatenate([cost, np.asarray(data["arc_fixed_cost"], dtype=float)[arcs]])
    rows, cols, vals = [], [], []
    for k in range(n_k):
        for j in range(s):
            rows += [k * n + tail[j], k * n + head[j]]
            cols += [k * s + j, k * s + j]
            vals += [1.0, -1.0]
    a_eq = coo_matrix((vals, (rows, cols)), shape=(n_k * n, n_var))
    b_eq = np.zeros(n_k * n)
    for k in range(n_k):
        b_eq[k * n + data["commodity_origin"][k]] += demand[k]
        b_eq[k * n + data["commodity_destination"][k]] -= demand[k]
    rows, cols, vals = [], [], []
    for j in range(s):  # capacity: sum_k x - u y <= 0 (or <= u with all arcs open)
        for k in range(n_k):
            rows.append(j)
            cols.append(k * s + j)
            vals.append(1.0)
        if strong_y:
            rows.append(j)
            cols.append(n_x + j)
            vals.append(-cap[j])
    b_ub = [0.0 if strong_y else cap[j] for j in range(s)]
    if strong_y:
        for k in range(n_k):
            for j in range(s):
                row = s + k * s + j
                rows += [row, row]
                cols += [k * s + j, n_x + j]
                vals += [1.0, -min(demand[k], cap[j])]
                b_ub.append(0.0)
    a_ub = coo_matrix((vals, (rows, cols)), shape=(len(b_ub), n_var))
    bounds = [(0, None)] * n_x + [(0, 1)] * (s if strong_y else 0)
    res = linprog(cost, A_ub=a_ub.tocsr(), b_ub=b_ub, A_eq=a_eq.tocsr(), b_eq=b_eq,
                  bounds=bounds, method="highs")
    return float(res.fun) if res.status == 0 else np.inf


def brute_force_optimum(data: dict) -> float:
    """Optimum by enumerating every set of open arcs (a flow LP each); inf if infeasible."""
    m = len(data["arc_tail"])
    fixed = np.asarray(data["arc_fixed_cost"], dtype=float)
    if np.isinf(_flow_lp(data, np.arange(m), strong_y=False)):
        return np.inf  # closing arcs never helps feasibility
    best = np.inf
    for mask in range(1 << m):
        arcs = np.array([a for a in range(m) if mask >> a & 1], dtype=int)
        if fixed[arcs].sum() >= best or not _connects(data, arcs):
            continue
        best = min(best, fixed[arcs].sum() + _flow_lp(data, arcs, strong_y=False))
    return best


def _connects(data: dict, arcs: np.ndarray) -> bool:
    """Whether every commodity's destination is reachable from its origin on ``arcs``."""
    tail, head = np.asarray(data["arc_tail"])[arcs], np.asarray(data["arc_head"])[arcs]
    for origin, destination in zip(data["commodity_origin"], data["commodity_destination"],
                                   strict=True):
        reached, frontier = {int(origin)}, [int(origin)]
        while frontier:
            node = frontier.pop()
            for nxt in head[tail == node].tolist():
                if nxt not in reached:
                    reached.add(nxt)
                    frontier.append(nxt)
        if int(destination) not in reached:
            return False
    return True


def strong_lp_bound(data: dict) -> float:
    """The strong LP relaxation with every strong linking inequality written out."""
    return _flow_lp(data, np.arange(len(data["arc_tail"])), strong_y=True)

"""Path-flow linear programs solved by column generation, with lazily separated strong cuts.

One master serves three purposes, by the bounds and costs of the design variables ``y``:

- the strong LP relaxation of MCND (``y`` in [0, 1] at the fixed costs, strong linking
  inequalities ``x_a^k <= min(d^k, u_a) y_a`` separated as they are violated);
- a capacitated multicommodity flow at linearised arc costs (``y`` fixed to 1, no fixed cost),
  the step of slope scaling;
- the cheapest flow of a given design (``y`` fixed to the design).

Master, with ``h_p`` the units of commodity ``k(p)`` on path ``p`` (no upper bound needed: the
demand row bounds it)::

    min  sum_a f_a y_a + sum_p cost_p h_p + sum_k M_k s_k
    s.t. sum_{p of k} h_p + s_k = d_k                       (demand of k, dual lambda_k)
         sum_{p through a} h_p - u_a y_a <= 0               (capacity of a, dual mu_a <= 0)
         sum_{p of k through a} h_p - b_ka y_a <= 0         (strong cut (k, a), dual sigma <= 0)

with ``b_ka = min(d_k, u_a)`` and slack ``s_k`` at a prohibitive unit cost ``M_k`` so that the
master is always feasible. Pricing is one cheapest path per commodity under the arc weights
``cost_a - mu_a - sigma_ka`` (>= 0). Whatever the duals, the Lagrangian function of the
multipliers ``nu = -mu, -sigma >= 0``::

    L(nu) = sum_k d_k * (cheapest path of k under cost + nu) + sum_a min over y_a of rc_a y_a,
    rc_a = f_a - u_a nu_a - sum_k b_ka nu_ka

is a valid lower bound on the LP (hence on MCND when ``y`` ranges over [0, 1]), and ``rc_a`` is
the reduced cost used to fix design variables (Lagrangian reduced-cost fixing).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt

from ...model import MCNDInstance
from ._mathopt import PRICE_TOL, lp_params, set_matrix, values
from .network import ArcGraph

#: A strong cut is added when violated by more than CUT_TOL * b_ka.
CUT_TOL = 1e-6
#: Shortest time limit handed to a master LP (s), even past the deadline.
MIN_LP_SECONDS = 0.5
_OUT_OF_TIME = (mathopt.TerminationReason.FEASIBLE, mathopt.TerminationReason.NO_SOLUTION_FOUND)


@dataclass
class ColumnPool:
    """Paths generated so far (shared by every master of one solve), as flat CSR arrays."""

    n_arcs: int
    commodity: list[int] = field(default_factory=list)
    arcs: list[NDArray[np.int64]] = field(default_factory=list)
    _index: dict[tuple[int, bytes], int] = field(default_factory=dict)

    def add(self, k: int, arcs: NDArray[np.int64]) -> bool:
        """Add the path ``arcs`` of commodity ``k``; False if it is already in the pool."""
        key = (int(k), np.asarray(arcs, dtype=np.int64).tobytes())
        if key in self._index or arcs.size == 0:
            return False
        self._index[key] = len(self.commodity)
        self.commodity.append(int(k))
        self.arcs.append(np.asarray(arcs, dtype=np.int64))
        return True

    def index(self, k: int, arcs: NDArray[np.int64]) -> int:
        """Column of the path ``arcs`` of commodity ``k`` (added if new)."""
        self.add(k, arcs)
        return self._index[(int(k), np.asarray(arcs, dtype=np.int64).tobytes())]

    def __len__(self) -> int:
        return len(self.commodity)

    def entries(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """``(col_commodity, entry_col, entry_arc)``: one entry per (path, arc on it)."""
        lengths = np.fromiter((a.size for a in self.arcs), dtype=np.int64, count=len(self))
        entry_col = np.repeat(np.arange(len(self), dtype=np.int64), lengths)
        entry_arc = np.concatenate(self.arcs) if self.arcs else np.empty(0, dtype=np.int64)
        return np.asarray(self.commodity, dtype=np.int64), entry_col, entry_arc


@dataclass(frozen=True)
class PathLPResult:
    """Outcome of :func:`solve_path_lp`.

    ``value``: the last master's objective; ``bound``: the best Lagrangian bound found (valid
    whatever ``converged`` says); ``reduced_cost``: ``rc_a`` at the multipliers of ``bound``;
    ``y`` and ``flows`` (n_commodities x n_arcs): the last master's solution; ``slack``: units of
    demand left on the slack columns (0 in a feasible LP); ``cut_keys``: strong cuts
    ``k * n_arcs + a`` in the master; ``converged``: no improving path and no violated cut.
    """

    value: float
    bound: float
    reduced_cost: NDArray[np.float64]
    y: NDArray[np.float64]
    flows: NDArray[np.float64]
    slack: float
    cut_keys: NDArray[np.int64]
    converged: bool
    iterations: int


def cut_capacity(instance: MCNDInstance) -> NDArray[np.float64]:
    """``b_ka = min(d_k, u_a)``, shape (n_commodities, n_arcs): the strong cut coefficients."""
    return np.minimum(instance.commodity_demand[:, None], instance.arc_capacity[None, :])


def master_proto(instance: MCNDInstance, pool: ColumnPool, arc_cost: NDArray, y_cost: NDArray,
                 y_lb: NDArray, y_ub: NDArray, slack_cost: NDArray | None, cut_keys: NDArray,
                 binary: bool = False) -> model_pb2.ModelProto:
    """The master as a ModelProto: variables y (m), then h (paths), then s (K).

    ``slack_cost`` None fixes the slack columns to 0; ``binary`` makes ``y`` integer.
    """
    b = cut_capacity(instance)
    m, n_k, n_col = instance.n_arcs, instance.n_commodities, len(pool)
    col_k, entry_col, entry_arc = pool.entries()
    col_cost = np.bincount(entry_col, weights=arc_cost[entry_arc], minlength=n_col)
    h0, s0 = m, m + n_col
    proto = model_pb2.ModelProto()
    n_var = m + n_col + n_k
    proto.variables.ids.extend(range(n_var))
    proto.variables.lower_bounds.extend(np.concatenate([y_lb, np.zeros(n_col + n_k)]).tolist())
    slack_ub = np.full(n_k, np.inf if slack_cost is not None else 0.0)
    proto.variables.upper_bounds.extend(
        np.concatenate([y_ub, np.full(n_col, np.inf), slack_ub]).tolist())
    proto.variables.integers.extend([binary] * m + [False] * (n_col + n_k))
    proto.objective.linear_coefficients.ids.extend(range(n_var))
    proto.objective.linear_coefficients.values.extend(
        np.concatenate([y_cost, col_cost, slack_cost if slack_cost is not None else np.zeros(n_k)]).tolist())
    cap0, cut0 = n_k, n_k + m
    n_row = n_k + m + cut_keys.size
    proto.linear_constraints.ids.extend(range(n_row))
    demand = instance.commodity_demand
    proto.linear_constraints.lower_bounds.extend(
        np.concatenate([demand, np.full(m + cut_keys.size, -np.inf)]).tolist())
    proto.linear_constraints.upper_bounds.extend(
        np.concatenate([demand, np.zeros(m + cut_keys.size)]).tolist())
    rows = [col_k, np.arange(n_k), cap0 + entry_arc, cap0 + np.arange(m)]
    cols = [h0 + np.arange(n_col), s0 + np.arange(n_k), h0 + entry_col, np.arange(m)]
    coefs = [np.ones(n_col), np.ones(n_k), np.ones(entry_col.size), -instance.arc_capacity]
    if cut_keys.size:
        entry_key = col_k[entry_col] * m + entry_arc
        where = np.minimum(np.searchsorted(cut_keys, entry_key), cut_keys.size - 1)
        hit = cut_keys[where] == entry_key
        cut_k, cut_a = np.divmod(cut_keys, m)
        rows += [cut0 + where[hit], cut0 + np.arange(cut_keys.size)]
        cols += [h0 + entry_col[hit], cut_a]
        coefs += [np.ones(int(hit.sum())), -b[cut_k, cut_a]]
    set_matrix(proto, rows, cols, coefs)
    return proto


def path_flows(instance: MCNDInstance, pool: ColumnPool, h: NDArray) -> NDArray[np.float64]:
    """Arc flows (n_commodities x n_arcs) of path flows ``h``."""
    col_k, entry_col, entry_arc = pool.entries()
    flows = np.zeros(instance.n_commodities * instance.n_arcs)
    np.add.at(flows, col_k[entry_col] * instance.n_arcs + entry_arc, h[entry_col])
    return flows.reshape(instance.n_commodities, instance.n_arcs)


def solve_path_lp(
    instance: MCNDInstance, graph: ArcGraph, pool: ColumnPool, *, arc_cost: NDArray,
    y_cost: NDArray, y_lb: NDArray, y_ub: NDArray, separate: bool, deadline: float,
    cut_keys: NDArray[np.int64] | None = None, max_iterations: int = 10_000,
    bound_rtol: float = 0.0,
) -> PathLPResult:
    """Column generation (and strong-cut separation if ``separate``) until converged or deadline.

    ``arc_cost`` (per unit), ``y_cost`` (per opened arc), ``y_lb``/``y_ub`` (bounds of each
    design variable) as in the module docstring; arcs with ``y_ub == 0`` are never priced into
    a path. ``deadline`` is a ``time.perf_counter()`` value. The pool keeps the paths generated.
    With ``bound_rtol`` > 0 it also stops once no cut is violated and the Lagrangian bound is
    within that relative distance of the master's value (the tail of column generation is
    long and moves the bound little).
    """
    m, n_k = instance.n_arcs, instance.n_commodities
    b = cut_capacity(instance)
    demand = instance.commodity_demand
    keys = np.unique(cut_keys) if cut_keys is not None else np.empty(0, dtype=np.int64)
    closed = y_ub <= 0.0
    # A path through a closed arc must cost more than any path avoiding them.
    # Slack is dearer per unit than any path at its linearised cost (fixed costs spread on b).
    slack_cost = 10.0 * ((arc_cost[None, :] + y_cost[None, :] / b).sum(axis=1) + 1.0)
    best = (-np.inf, y_cost.copy())
    reach, _ = graph.cheapest_paths(closed.astype(np.float64), instance.commodity_origin,
                                    instance.commodity_destination)
    if reach.max() > 0.0:
        # Some commodity cannot be routed on the arcs that may open: the LP is infeasible.
        return PathLPResult(np.inf, np.inf, best[1], np.zeros(m), np.zeros((n_k, m)),
                            float(demand.sum()), keys, True, 0)
    last: tuple | None = None
    iterations, converged = 0, False
    while True:
        iterations += 1
        proto = master_proto(instance, pool, arc_cost, y_cost, y_lb, y_ub, slack_cost, keys)
        model = mathopt.Model.from_model_proto(proto)
        # An LP is never cut short below MIN_LP_SECONDS: a master without a solution is useless.
        seconds = max(deadline - time.perf_counter(), MIN_LP_SECONDS)
        result = mathopt.solve(model, mathopt.SolverType.HIGHS, params=lp_params(seconds))
        if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
            if last is not None and result.termination.reason in _OUT_OF_TIME:
                break  # out of time: keep the previous master
            raise RuntimeError(f"HiGHS failed on a path master LP: {result.termination}")
        variables = list(model.variables())
        x = values(result, variables)
        duals = np.asarray(result.dual_values(list(model.linear_constraints())), dtype=np.float64)
        y, h, slack = x[:m], x[m:m + len(pool)], x[m + len(pool):]
        lam, nu = duals[:n_k], np.maximum(-duals[n_k:n_k + m], 0.0)
        nu_cut = np.maximum(-duals[n_k + m:], 0.0)
        # Pricing, and the Lagrangian bound at these multipliers.
        # A closed arc weighs more than any path of open arcs: cheapest paths avoid it.
        closed_weight = float((arc_cost + nu).sum() + nu_cut.sum() + 1.0)
        weights = np.where(closed, closed_weight, arc_cost + nu)
        rc = y_cost - instance.arc_capacity * nu
        path_cost, paths = graph.cheapest_paths(weights, instance.commodity_origin,
                                                instance.commodity_destination)
        cut_k, cut_a = np.divmod(keys, m)
        priced = nu_cut > 0.0
        np.subtract.at(rc, cut_a[priced], b[cut_k[priced], cut_a[priced]] * nu_cut[priced])
        for k in np.unique(cut_k[priced]):
            mine = priced & (cut_k == k)
            own = weights.copy()
            own[cut_a[mine]] += nu_cut[mine]
            tree = graph.tree(own, instance.commodity_origin[k])
            path_cost[k] = tree[0][instance.commodity_destination[k]]
            paths[k] = graph.path(tree, instance.commodity_destination[k])
        bound = float(demand @ path_cost + np.minimum(rc * y_lb, rc * y_ub).sum())
        if bound > best[0]:
            best = (bound, rc)
        new_paths = 0
        for k in np.flatnonzero(path_cost - lam < -PRICE_TOL * (1.0 + np.abs(lam))):
            new_paths += pool.add(k, paths[k])
        flows = path_flows(instance, pool, np.concatenate([h, np.zeros(len(pool) - h.size)]))
        new_keys = np.empty(0, dtype=np.int64)
        if separate:
            violated = flows - b * y[None, :] > CUT_TOL * b
            new_keys = np.setdiff1d(np.flatnonzero(violated), keys)
            keys = np.union1d(keys, new_keys)
        value = float(result.objective_value())
        last = (value, y, flows, float(slack.sum()))
        gap = value - best[0]
        # Solved: no violated cut, and no improving path or a bound that meets the value.
        converged = new_keys.size == 0 and (new_paths == 0 or gap <= 1e-9 * max(abs(value), 1.0))
        close = new_keys.size == 0 and gap <= bound_rtol * max(abs(value), 1.0)
        if converged or close or iterations >= max_iterations or time.perf_counter() >= deadline:
            break
    value, y, flows, slack_units = last
    return PathLPResult(
        value=value, bound=best[0], reduced_cost=best[1], y=y, flows=flows, slack=slack_units,
        cut_keys=keys, converged=converged, iterations=iterations)

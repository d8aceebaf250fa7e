"""The design master over the generated routes: an LP for column generation, a MIP for designs.

Variables: ``y_t`` per optional departure used by some route (open it: binary in the MIP),
``x_p`` per route (shipments of its commodity on it: integer in the MIP) and ``u_k`` per
commodity (shipments left unserved)::

    min  sum_t f_t y_t + sum_p c_p x_p + sum_k U_k u_k
    s.t. sum_{p of k} x_p + u_k = n_k                           convexity        (pi_k)
         sum_{p through c} a_kr x_p <= C_cr y_t(c)            leg capacity     (mu_cr)
             (<= C_cr for a leg of an always-running departure)
         sum_{p of k through c} x_p <= m_kc y_t(c)             strong linking   (sigma_kc)
         sum_{p} (tonnes handled at e by p) x_p <= H_e          hub-day capacity (nu_e)
         sum_{p} (TEU of p crossing b) x_p <= B_b               border-day capacity (lam_b)

``a_kr`` is one shipment's use of resource ``r`` (kg, TEU, positions), ``C_cr`` the leg's
capacity, ``m_kc = min(n_k, floor(min_r C_cr / a_kr))`` the most shipments of ``k`` the leg
can carry: the strong linking rows ``x <= min(d, u) y`` of fixed-charge network design, one
per commodity and leg of an optional departure that its routes use. Rows are built for the
legs, hub-days and (commodity, leg) pairs that the routes touch; an absent row is slack in
every solution of the master, so its dual is 0 and pricing stays exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt

from ..mcnd._mathopt import lp_params, solve_params, solver_type, status_of, values
from ..status import SolveStatus
from .columns import ColumnPool
from .pricing import Duals
from .problem import DesignProblem


@dataclass(frozen=True)
class MasterSolution:
    """A master solution: ``y`` over all trips (0 for trips not in the master), ``x`` per
    column, ``u`` per commodity, its objective, and for an LP the duals."""

    status: SolveStatus
    objective: float
    dual_bound: float
    y: NDArray[np.float64]
    x: NDArray[np.float64]
    u: NDArray[np.float64]
    duals: Duals | None = None


@dataclass(frozen=True, eq=False)
class Master:
    """The master LP or MIP over the pool's current columns (built by :func:`build_master`).

    ``trips`` are the optional trips used by some column, one ``y`` variable each (variables
    ``[0, x0)``), then one ``x`` per column (``[x0, u0)``) and one ``u`` per commodity. The index
    arrays name the rows: ``cap_conn``/``cap_res`` the leg capacities, ``link_key`` (commodity x
    n_connections + leg, split into ``link_k``, ``link_conn``) the strong linking rows with their
    ``link_room``, ``hub_event`` (hub x n_days + day) the hub-day capacities, ``border_event``
    (likewise) the border-day capacities."""

    problem: DesignProblem
    pool: ColumnPool
    model: mathopt.Model
    variables: list[mathopt.Variable]
    trips: NDArray[np.int64]
    n_y: int
    x0: int
    u0: int
    n_rows: int
    cap_conn: NDArray[np.int64]
    cap_res: NDArray[np.int64]
    link_key: NDArray[np.int64]
    link_k: NDArray[np.int64]
    link_conn: NDArray[np.int64]
    link_room: NDArray[np.float64]
    hub_event: NDArray[np.int64]
    border_event: NDArray[np.int64]

    def _split(self, x: NDArray[np.float64]) -> tuple[NDArray, NDArray, NDArray]:
        y = np.zeros(self.problem.tt.n_trips)
        y[self.trips] = x[:self.n_y]
        return y, x[self.x0:self.u0], x[self.u0:]

    def solve_lp(self, seconds: float) -> MasterSolution | None:
        """Solve the LP relaxation; its primal solution and duals, None if out of time.
        RuntimeError if HiGHS fails otherwise (the master always has a solution: every
        shipment may stay unserved)."""
        result = mathopt.solve(self.model, mathopt.SolverType.HIGHS, params=lp_params(seconds))
        reason = result.termination.reason
        if reason in (mathopt.TerminationReason.FEASIBLE,
                      mathopt.TerminationReason.NO_SOLUTION_FOUND):
            return None
        if reason != mathopt.TerminationReason.OPTIMAL:
            raise RuntimeError(f"HiGHS did not solve a design master LP: {result.termination}")
        y, x, u = self._split(values(result, self.variables))
        dual = np.asarray(result.dual_values(list(self.model.linear_constraints())))
        value = float(result.objective_value())
        return MasterSolution(SolveStatus.OPTIMAL, value, value, y, x, u, self._duals(dual))

    def _duals(self, dual: NDArray[np.float64]) -> Duals:
        p = self.problem
        n_k = p.n_commodities
        penalty = np.maximum(-dual[n_k:], 0.0)  # rows "<=" of a minimisation: duals <= 0
        n_cap, n_link = self.cap_conn.size, self.link_key.size
        mu = np.zeros((p.tt.n_connections, 3))
        mu[self.cap_conn, self.cap_res] = penalty[:n_cap]
        sigma_all = penalty[n_cap:n_cap + n_link]
        sigma: dict[int, tuple[NDArray[np.int64], NDArray[np.float64]]] = {}
        positive = np.flatnonzero(sigma_all > 0)
        for k in np.unique(self.link_k[positive]):
            mine = positive[self.link_k[positive] == k]
            sigma[int(k)] = (self.link_conn[mine], sigma_all[mine])
        n_hub = self.hub_event.size
        nu = np.zeros(p.tt.n_hubs * p.n_days)
        nu[self.hub_event] = penalty[n_cap + n_link:n_cap + n_link + n_hub]
        lam = np.zeros(p.tt.n_hubs * p.n_days)
        lam[self.border_event] = penalty[n_cap + n_link + n_hub:]
        return Duals(dual[:n_k].copy(), mu, sigma, nu, lam)

    def lagrangian_rest(self, duals: Duals, y_lb: NDArray[np.float64],
                        y_ub: NDArray[np.float64]) -> float:
        """The Lagrangian function's terms other than the routes': the design variables at
        their best bound under the reduced costs ``f_t - C mu - m sigma`` (every optional trip;
        trips not in the master have ``f_t``), minus the capacities of the rows without ``y``
        times their multipliers."""
        p = self.problem
        tt = p.tt
        rc = p.trip_fixed_usd.copy()
        cap = p.conn_capacity[self.cap_conn, self.cap_res]
        mu = duals.mu[self.cap_conn, self.cap_res]
        optional = p.conn_optional()[self.cap_conn]
        np.subtract.at(rc, tt.conn_trip[self.cap_conn[optional]], (cap * mu)[optional])
        sigma = np.zeros(self.link_key.size)
        for k, (legs, vals) in duals.sigma.items():
            where = np.searchsorted(self.link_key, k * tt.n_connections + legs)
            sigma[where] = vals
        np.subtract.at(rc, tt.conn_trip[self.link_conn], self.link_room * sigma)
        design = np.where(p.trip_optional, np.minimum(rc * y_lb, rc * y_ub), 0.0).sum()
        constant = float((cap * mu)[~optional].sum()) + float(
            (p.hub_capacity_t_day[self.hub_event // p.n_days] * duals.nu[self.hub_event]).sum()
        ) + float((p.border_teu_day[self.border_event // p.n_days]
                   * duals.lam[self.border_event]).sum())
        return float(design) - constant

    def solve_mip(self, *, seconds: float, mip_gap: float, seed: int, threads: int,
                  solver: str, hint: tuple[NDArray, NDArray, NDArray] | None) -> MasterSolution:
        """Solve the MIP for at most ``seconds``; ``hint`` = (y over trips, x, u) is the MIP
        start. The dual bound is the solver's, valid for this master only."""
        params = solve_params(solver, seconds, seed, threads)
        params.relative_gap_tolerance = mip_gap
        model_params = mathopt.ModelSolveParameters()
        if hint is not None:
            y, x, u = hint
            start = np.concatenate([y[self.trips], x, u])
            model_params.solution_hints.append(mathopt.SolutionHint(
                variable_values=dict(zip(self.variables, start.tolist(), strict=True))))
        result = mathopt.solve(self.model, solver_type(solver), params=params,
                               model_params=model_params)
        status = status_of(result)
        bound = float(result.termination.objective_bounds.dual_bound)
        if not result.has_primal_feasible_solution():
            empty = np.zeros(0)
            return MasterSolution(status, np.inf, bound, empty, empty, empty)
        y, x, u = self._split(np.round(values(result, self.variables)))
        return MasterSolution(status, float(result.objective_value()), bound, y, x, u)


@dataclass
class _Rows:
    """The master's constraint entries (COO) and row bounds, added one block of rows at a time."""

    rows: list[NDArray[np.int64]] = field(default_factory=list)
    cols: list[NDArray[np.int64]] = field(default_factory=list)
    coefs: list[NDArray[np.float64]] = field(default_factory=list)
    lower: list[NDArray[np.float64]] = field(default_factory=list)
    upper: list[NDArray[np.float64]] = field(default_factory=list)
    n: int = 0

    def entries(self, rows: NDArray[np.int64], cols: NDArray[np.int64],
                coefs: NDArray[np.float64]) -> None:
        """Coefficients of the block being added (``rows`` counted from its first row)."""
        self.rows.append(self.n + rows)
        self.cols.append(cols)
        self.coefs.append(coefs)

    def close(self, lower: NDArray[np.float64], upper: NDArray[np.float64]) -> None:
        """End the block: its rows' bounds."""
        self.lower.append(lower)
        self.upper.append(upper)
        self.n += lower.size


@dataclass(frozen=True)
class _Layout:
    """Where the master's variables are and which columns touch which legs and hub-days."""

    trips: NDArray[np.int64]  # optional trips used by some column: one y each
    y_of_conn: NDArray[np.int64]  # y variable of each connection of such a trip (-1: none)
    x0: int
    u0: int
    col_k: NDArray[np.int64]  # commodity of each column
    ent_col: NDArray[np.int64]  # (column, connection) entries of the columns
    ent_conn: NDArray[np.int64]
    ev_col: NDArray[np.int64]  # (column, hub-day) handling entries of the columns
    ev_id: NDArray[np.int64]
    optional: NDArray[np.bool_]  # per connection: of an optional trip


def _layout(problem: DesignProblem, pool: ColumnPool) -> _Layout:
    tt = problem.tt
    ent_col, ent_conn = pool.conn_entries()
    ev_col, ev_id = pool.event_entries()
    optional = problem.conn_optional()
    trips = np.unique(tt.conn_trip[ent_conn[optional[ent_conn]]])
    y_of_conn = np.full(tt.n_connections, -1, dtype=np.int64)
    used_optional = np.unique(ent_conn[optional[ent_conn]])
    y_of_conn[used_optional] = np.searchsorted(trips, tt.conn_trip[used_optional])
    return _Layout(trips, y_of_conn, trips.size, trips.size + len(pool), pool.commodity_array(),
                   ent_col, ent_conn, ev_col, ev_id, optional)


def _convexity(problem: DesignProblem, at: _Layout, out: _Rows) -> None:
    n_k, n_col = problem.n_commodities, at.u0 - at.x0
    count = problem.count.astype(np.float64)
    out.entries(at.col_k, at.x0 + np.arange(n_col), np.ones(n_col))
    out.entries(np.arange(n_k), at.u0 + np.arange(n_k), np.ones(n_k))
    out.close(count, count)


def _leg_capacities(problem: DesignProblem, at: _Layout, out: _Rows,
                    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """One row per (leg, resource) with a finite capacity; its legs and resources."""
    cap = problem.conn_capacity
    legs = np.unique(at.ent_conn)
    finite = np.isfinite(cap[legs])
    cap_conn = np.repeat(legs, 3)[finite.ravel()]
    cap_res = np.tile(np.arange(3), legs.size)[finite.ravel()]
    cap_key = cap_conn * 3 + cap_res
    for r in range(3):
        mine = finite[np.searchsorted(legs, at.ent_conn), r]
        key = at.ent_conn[mine] * 3 + r
        out.entries(np.searchsorted(cap_key, key), at.x0 + at.ent_col[mine],
                    problem.use[at.col_k[at.ent_col[mine]], r])
    cap_c = cap[cap_conn, cap_res]
    opt_row = at.optional[cap_conn]
    out.entries(np.flatnonzero(opt_row), at.y_of_conn[cap_conn[opt_row]], -cap_c[opt_row])
    out.close(np.full(cap_key.size, -np.inf), np.where(opt_row, 0.0, cap_c))
    return cap_conn, cap_res


def _strong_linking(problem: DesignProblem, at: _Layout, out: _Rows) -> tuple[NDArray[np.int64], ...]:
    """One row per (commodity, leg of an optional departure) in the routes: their keys
    (commodity x n_connections + leg), commodities, legs and room (``m_kc``)."""
    n_conn = problem.tt.n_connections
    cap = problem.conn_capacity
    link = at.optional[at.ent_conn]
    link_key_all = at.col_k[at.ent_col[link]] * n_conn + at.ent_conn[link]
    link_key = np.unique(link_key_all)
    link_k, link_conn = np.divmod(link_key, n_conn)
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(problem.use[link_k] > 0,
                        np.floor(cap[link_conn] / problem.use[link_k] + 1e-9), np.inf)
    link_room = np.minimum(problem.count.astype(np.float64)[link_k], room.min(axis=1))
    out.entries(np.searchsorted(link_key, link_key_all), at.x0 + at.ent_col[link],
                np.ones(link_key_all.size))
    out.entries(np.arange(link_key.size), at.y_of_conn[link_conn], -link_room)
    out.close(np.full(link_key.size, -np.inf), np.zeros(link_key.size))
    return link_key, link_k, link_conn, link_room


def _hub_days(problem: DesignProblem, at: _Layout, out: _Rows) -> NDArray[np.int64]:
    """One row per hub-day with a finite capacity, tonnes; the hub-days."""
    hub_cap = problem.hub_capacity_t_day[at.ev_id // problem.n_days]
    limited = np.isfinite(hub_cap)
    hub_event = np.unique(at.ev_id[limited])
    out.entries(np.searchsorted(hub_event, at.ev_id[limited]), at.x0 + at.ev_col[limited],
                problem.weight_kg[at.col_k[at.ev_col[limited]]] / 1000.0)
    out.close(np.full(hub_event.size, -np.inf),
              problem.hub_capacity_t_day[hub_event // problem.n_days])
    return hub_event


def _border_days(problem: DesignProblem, at: _Layout, out: _Rows) -> NDArray[np.int64]:
    """One row per border-day with a TEU limit that the routes cross; the border-days."""
    crossing = problem.conn_border_event()[at.ent_conn]
    mine = crossing >= 0
    border_event = np.unique(crossing[mine])
    out.entries(np.searchsorted(border_event, crossing[mine]), at.x0 + at.ent_col[mine],
                problem.use[at.col_k[at.ent_col[mine]], 1])
    out.close(np.full(border_event.size, -np.inf),
              problem.border_teu_day[border_event // problem.n_days])
    return border_event


def _model(lb: NDArray[np.float64], ub: NDArray[np.float64], integer: bool,
           cost: NDArray[np.float64], out: _Rows) -> mathopt.Model:
    """The MathOpt model: variables within ``[lb, ub]``, ``min cost x``, the rows of ``out``."""
    n_var = lb.size
    proto = model_pb2.ModelProto()
    proto.variables.ids.extend(range(n_var))
    proto.variables.lower_bounds.extend(lb.tolist())
    proto.variables.upper_bounds.extend(ub.tolist())
    proto.variables.integers.extend([integer] * n_var)
    proto.objective.linear_coefficients.ids.extend(range(n_var))
    proto.objective.linear_coefficients.values.extend(cost.tolist())
    proto.linear_constraints.ids.extend(range(out.n))
    proto.linear_constraints.lower_bounds.extend(np.concatenate(out.lower).tolist())
    proto.linear_constraints.upper_bounds.extend(np.concatenate(out.upper).tolist())
    row, col, coef = _merged(out.rows, out.cols, out.coefs, n_var)
    matrix = proto.linear_constraint_matrix
    matrix.row_ids.extend(row.tolist())
    matrix.column_ids.extend(col.tolist())
    matrix.coefficients.extend(coef.tolist())
    return mathopt.Model.from_model_proto(proto)


def build_master(problem: DesignProblem, pool: ColumnPool, y_lb: NDArray[np.float64],
                 y_ub: NDArray[np.float64], integer: bool) -> Master:
    """The master for the pool's current columns, with ``y`` bounded by ``y_lb``/``y_ub`` (per
    trip; only optional trips used by some column get a variable); a MIP when ``integer``."""
    at = _layout(problem, pool)
    out = _Rows()
    _convexity(problem, at, out)
    cap_conn, cap_res = _leg_capacities(problem, at, out)
    link_key, link_k, link_conn, link_room = _strong_linking(problem, at, out)
    hub_event = _hub_days(problem, at, out)
    border_event = _border_days(problem, at, out)

    count = problem.count.astype(np.float64)
    n_col, n_k = at.u0 - at.x0, problem.n_commodities
    var_lb = np.concatenate([y_lb[at.trips], np.zeros(n_col + n_k)])
    var_ub = np.concatenate([y_ub[at.trips], np.full(n_col, np.inf), count])
    if integer:
        var_ub[at.x0:at.u0] = count[at.col_k]
    cost = np.concatenate([problem.trip_fixed_usd[at.trips], pool.cost_array(),
                           problem.unserved_usd])
    model = _model(var_lb, var_ub, integer, cost, out)
    return Master(problem, pool, model, list(model.variables()), at.trips, at.trips.size, at.x0,
                  at.u0, out.n, cap_conn, cap_res, link_key, link_k, link_conn, link_room,
                  hub_event, border_event)


def _merged(rows: list[NDArray], cols: list[NDArray], coefs: list[NDArray],
            n_var: int) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """COO entries summed per (row, column) and sorted by row, then column (as MathOpt wants)."""
    row = np.concatenate(rows).astype(np.int64)
    col = np.concatenate(cols).astype(np.int64)
    coef = np.concatenate(coefs).astype(np.float64)
    key, inverse = np.unique(row * n_var + col, return_inverse=True)
    summed = np.zeros(key.size)
    np.add.at(summed, inverse.reshape(-1), coef)
    keep = summed != 0.0
    return key[keep] // n_var, key[keep] % n_var, summed[keep]

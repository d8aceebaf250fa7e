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

``a_kr`` is one shipment's use of resource ``r`` (kg, TEU, positions), ``C_cr`` the leg's
capacity, ``m_kc = min(n_k, floor(min_r C_cr / a_kr))`` the most shipments of ``k`` the leg
can carry: the strong linking rows ``x <= min(d, u) y`` of fixed-charge network design, one
per commodity and leg of an optional departure that its routes use. Rows are built for the
legs, hub-days and (commodity, leg) pairs that the routes touch; an absent row is slack in
every solution of the master, so its dual is 0 and pricing stays exact.
"""

from __future__ import annotations

from dataclasses import dataclass

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


class Master:
    """The master for the pool's current columns, with ``y`` bounded by ``y_lb``/``y_ub`` (per
    trip; only optional trips used by some column get a variable)."""

    def __init__(self, problem: DesignProblem, pool: ColumnPool, y_lb: NDArray[np.float64],
                 y_ub: NDArray[np.float64], integer: bool) -> None:
        self.problem = problem
        self.pool = pool
        tt = problem.tt
        n_conn, n_k, n_col = tt.n_connections, problem.n_commodities, len(pool)
        col_k = pool.commodity_array()
        ent_col, ent_conn = pool.conn_entries()
        ev_col, ev_id = pool.event_entries()
        optional = problem.conn_optional()
        trips = np.unique(tt.conn_trip[ent_conn[optional[ent_conn]]])
        self.trips = trips
        n_y = trips.size
        y_of_conn = np.full(n_conn, -1, dtype=np.int64)
        used_optional = np.unique(ent_conn[optional[ent_conn]])
        y_of_conn[used_optional] = np.searchsorted(trips, tt.conn_trip[used_optional])
        x0, u0 = n_y, n_y + n_col
        rows: list[NDArray] = []
        cols: list[NDArray] = []
        coefs: list[NDArray] = []
        lower: list[NDArray] = []
        upper: list[NDArray] = []

        # Convexity.
        count = problem.count.astype(np.float64)
        rows += [col_k, np.arange(n_k)]
        cols += [x0 + np.arange(n_col), u0 + np.arange(n_k)]
        coefs += [np.ones(n_col), np.ones(n_k)]
        lower.append(count)
        upper.append(count)
        row0 = n_k

        # Leg capacities, one row per (leg, resource) with a finite capacity.
        cap = problem.conn_capacity
        legs = np.unique(ent_conn)
        finite = np.isfinite(cap[legs])
        self.cap_conn = np.repeat(legs, 3)[finite.ravel()]
        self.cap_res = np.tile(np.arange(3), legs.size)[finite.ravel()]
        cap_key = self.cap_conn * 3 + self.cap_res
        for r in range(3):
            mine = finite[np.searchsorted(legs, ent_conn), r]
            key = ent_conn[mine] * 3 + r
            rows.append(row0 + np.searchsorted(cap_key, key))
            cols.append(x0 + ent_col[mine])
            coefs.append(problem.use[col_k[ent_col[mine]], r])
        cap_c = cap[self.cap_conn, self.cap_res]
        opt_row = optional[self.cap_conn]
        rows.append(row0 + np.flatnonzero(opt_row))
        cols.append(y_of_conn[self.cap_conn[opt_row]])
        coefs.append(-cap_c[opt_row])
        lower.append(np.full(cap_key.size, -np.inf))
        upper.append(np.where(opt_row, 0.0, cap_c))
        row0 += cap_key.size

        # Strong linking, one row per (commodity, leg of an optional departure) in the routes.
        link = optional[ent_conn]
        link_key_all = col_k[ent_col[link]] * n_conn + ent_conn[link]
        self.link_key = np.unique(link_key_all)
        self.link_k, self.link_conn = np.divmod(self.link_key, n_conn)
        with np.errstate(divide="ignore", invalid="ignore"):
            room = np.where(problem.use[self.link_k] > 0,
                            np.floor(cap[self.link_conn] / problem.use[self.link_k] + 1e-9), np.inf)
        self.link_room = np.minimum(count[self.link_k], room.min(axis=1))
        rows += [row0 + np.searchsorted(self.link_key, link_key_all),
                 row0 + np.arange(self.link_key.size)]
        cols += [x0 + ent_col[link], y_of_conn[self.link_conn]]
        coefs += [np.ones(link_key_all.size), -self.link_room]
        lower.append(np.full(self.link_key.size, -np.inf))
        upper.append(np.zeros(self.link_key.size))
        row0 += self.link_key.size

        # Hub-day capacities, tonnes.
        hub_cap = problem.hub_capacity_t_day[ev_id // problem.n_days]
        limited = np.isfinite(hub_cap)
        self.hub_event = np.unique(ev_id[limited])
        rows.append(row0 + np.searchsorted(self.hub_event, ev_id[limited]))
        cols.append(x0 + ev_col[limited])
        coefs.append(problem.weight_kg[col_k[ev_col[limited]]] / 1000.0)
        lower.append(np.full(self.hub_event.size, -np.inf))
        upper.append(problem.hub_capacity_t_day[self.hub_event // problem.n_days])

        n_var = u0 + n_k
        self.n_y, self.x0, self.u0 = n_y, x0, u0
        var_lb = np.concatenate([y_lb[trips], np.zeros(n_col + n_k)])
        var_ub = np.concatenate([y_ub[trips], np.full(n_col, np.inf), count])
        if integer:
            var_ub[x0:u0] = count[col_k]
        cost = np.concatenate([problem.trip_fixed_usd[trips], pool.cost_array(),
                               problem.unserved_usd])
        proto = model_pb2.ModelProto()
        proto.variables.ids.extend(range(n_var))
        proto.variables.lower_bounds.extend(var_lb.tolist())
        proto.variables.upper_bounds.extend(var_ub.tolist())
        proto.variables.integers.extend([integer] * n_var)
        proto.objective.linear_coefficients.ids.extend(range(n_var))
        proto.objective.linear_coefficients.values.extend(cost.tolist())
        n_row = row0 + self.hub_event.size
        proto.linear_constraints.ids.extend(range(n_row))
        proto.linear_constraints.lower_bounds.extend(np.concatenate(lower).tolist())
        proto.linear_constraints.upper_bounds.extend(np.concatenate(upper).tolist())
        row, col, coef = _merged(rows, cols, coefs, n_var)
        matrix = proto.linear_constraint_matrix
        matrix.row_ids.extend(row.tolist())
        matrix.column_ids.extend(col.tolist())
        matrix.coefficients.extend(coef.tolist())
        self.model = mathopt.Model.from_model_proto(proto)
        self.variables = list(self.model.variables())
        self.n_rows = n_row

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
        nu = np.zeros(p.tt.n_hubs * p.n_days)
        nu[self.hub_event] = penalty[n_cap + n_link:]
        return Duals(dual[:n_k].copy(), mu, sigma, nu)

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
            (p.hub_capacity_t_day[self.hub_event // p.n_days] * duals.nu[self.hub_event]).sum())
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

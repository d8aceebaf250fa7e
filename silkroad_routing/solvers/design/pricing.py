"""Pricing: the route of least reduced cost per commodity, by the core's exact label search.

The reduced cost of a route ``p`` of commodity ``k`` under the master's duals is::

    rc_p = tariff_p + co2_price * co2e_p                  (label cost of the kernel)
         + sum over legs c of p: mu_c . use_k             (capacity duals, kg / TEU / positions)
         + sum over legs c of p: sigma_kc                 (strong linking duals of k)
         + sum over legs c of p crossing a border: lam_b(c) * teu_k   (border-day duals)
         + sum over hub-day events e of p: nu_e * t_k     (hub capacity duals, t_k = tonnes)
         + vot_k * (arrival - ready_k) + lateness_k(arrival)
         - pi_k                                            (convexity dual)

Every term in the first three lines adds up leg by leg, so it goes into the rate vectors: the
timetable's rates get four more quantity columns (kg, TEU, positions of the shipment, and 1)
whose rates are the duals, and ``core.timetable.batch.route_batch_kernel`` runs one exact
(time, cost) label search per commodity to its destination by its search deadline (the
arrays are validated once, here, rather than at each of the many calls). The time terms
are non-decreasing in the arrival, so the least reduced cost is attained on the returned
(time, cost) Pareto set: pricing is exact for those terms.

Hub-day events depend on when the freight leaves a vehicle: the label search prices them as it
builds each journey, ``nu`` per tonne at every handling (origin, leaving a vehicle, a gauge
change; :class:`~silkroad_routing.core.timetable.capacity.CapacityArrays`), so pricing is exact
for them too.

Legs a single shipment cannot ride (it exceeds their capacity) and, when asked, the legs of
closed optional departures get a prohibitive rate (:data:`BLOCKED_USD`); routes using them are
never returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from ...core.timetable.batch import BatchJourneys, route_batch_kernel
from ...core.timetable.capacity import CapacityArrays
from ...core.timetable.labels import SELECT_ALL, new_workspace
from .columns import ColumnPool, Journey
from .problem import DesignProblem

#: Rate on a leg a route must not use, USD: far above any real route cost.
BLOCKED_USD: Final[float] = 1e9
#: Extra quantity columns: kg, TEU, positions of the shipment, and a constant 1.
N_EXTRA: Final[int] = 4


@dataclass(frozen=True)
class Duals:
    """Prices of the master's rows (penalties >= 0 for the capacity-like rows).

    ``pi`` (K): convexity; ``mu`` (n_conn x 3): leg capacity per resource; ``sigma``: strong
    linking per commodity, ``{k: (connections, values)}``; ``nu`` (n_hubs * n_days): hub-day
    capacity, per tonne; ``lam`` (n_hubs * n_days): border-day capacity, per TEU.
    """

    pi: NDArray[np.float64]
    mu: NDArray[np.float64]
    sigma: dict[int, tuple[NDArray[np.int64], NDArray[np.float64]]]
    nu: NDArray[np.float64]
    lam: NDArray[np.float64]

    @classmethod
    def zero(cls, problem: DesignProblem, pi: NDArray[np.float64]) -> Duals:
        """No penalties, convexity duals ``pi``."""
        n_events = problem.tt.n_hubs * problem.n_days
        return cls(pi, np.zeros((problem.tt.n_connections, 3)), {}, np.zeros(n_events),
                   np.zeros(n_events))


@dataclass(frozen=True)
class Priced:
    """What one pricing round found.

    ``lower`` (K): a lower bound on the least ``rc + pi`` (reduced cost before the convexity
    dual) over all usable routes of each commodity (``inf`` without any route; 0 when a search
    hit its label cap, the only safe value). ``candidates``: per commodity, up to the number
    asked of the routes found with a negative reduced cost, with their exact ``rc + pi``,
    cheapest first.
    """

    lower: NDArray[np.float64]
    candidates: dict[int, list[tuple[float, Journey]]]
    overflow: bool


class Pricer:
    """Extended rate arrays for one problem; :meth:`price` runs a round (``pool`` prices the
    hub-day events of the routes found)."""

    def __init__(self, problem: DesignProblem, pool: ColumnPool, max_labels: int) -> None:
        self.problem = problem
        self.pool = pool
        self.max_labels = max_labels
        tt = problem.tt
        k = problem.n_commodities
        self.q = np.ascontiguousarray(np.hstack([problem.q, problem.use, np.ones((k, 1))]))
        pad = np.zeros((tt.n_connections, N_EXTRA))
        self.conn_rate = np.ascontiguousarray(np.hstack([tt.conn_rate, pad]))
        link_rate = np.ascontiguousarray(np.hstack([tt.link_rate, np.zeros((tt.n_links, N_EXTRA))]))
        transfer_rate = np.ascontiguousarray(np.concatenate(
            [tt.transfer_rate, np.zeros((*tt.transfer_rate.shape[:3], N_EXTRA))], axis=3))
        # CO2e rates padded alike: the extra quantities carry no emissions.
        conn_co2 = np.ascontiguousarray(np.hstack([tt.arrays.conn_co2e_rate, pad]))
        link_co2 = np.ascontiguousarray(
            np.hstack([tt.arrays.link_co2e_rate, np.zeros((tt.n_links, N_EXTRA))]))
        self.arrays = tt.arrays._replace(conn_rate=self.conn_rate, link_rate=link_rate,
                                         transfer_rate=transfer_rate, conn_co2e_rate=conn_co2,
                                         link_co2e_rate=link_co2)
        self.workspace = new_workspace(tt.n_hubs, tt.n_connections)
        self.deadline_h = problem.search_deadline_h()
        self.forbidden = self._too_small_legs()
        self.border_event = problem.conn_border_event()
        self.border_conns = np.flatnonzero(self.border_event >= 0)
        # No capacity checked in pricing (the master holds it), but hub-days priced by nu.
        n_conn, n_hubs, n_days = tt.n_connections, tt.n_hubs, problem.n_days
        self.hub_usd_per_t = np.zeros((n_hubs, n_days))
        self.capacity = CapacityArrays(
            np.full((n_conn, 3), np.inf), np.full((n_hubs, n_days), np.inf),
            problem.day_of(tt.conn_dep_h), problem.day_of(tt.conn_arr_h),
            np.ascontiguousarray(problem.day_start_h), np.full((n_hubs, n_days), np.inf),
            np.ascontiguousarray(problem.hub_gauge_change), self.hub_usd_per_t)

    def _too_small_legs(self) -> dict[int, NDArray[np.int64]]:
        """Per commodity, the legs whose capacity is below one shipment's use."""
        p = self.problem
        cap = p.conn_capacity
        out: dict[int, NDArray[np.int64]] = {}
        if cap.shape[0] == 0:  # no scheduled leg at all
            return out
        smallest = cap.min(axis=0)
        for k in np.flatnonzero((p.use > smallest[None, :]).any(axis=1)):
            legs = np.flatnonzero((p.use[k][None, :] > cap).any(axis=1))
            if legs.size:
                out[int(k)] = legs
        return out

    def price(self, duals: Duals, commodities: NDArray[np.int64],
              blocked_conn: NDArray[np.bool_], per_commodity: int) -> Priced:
        """One exact search per commodity of ``commodities`` under ``duals``; legs in
        ``blocked_conn`` are not used. Keeps up to ``per_commodity`` routes per commodity."""
        p = self.problem
        n_k = p.n_commodities
        self.conn_rate[:, 6:9] = duals.mu
        # A border-day's TEU dual is paid on the legs that cross there: exact, leg by leg.
        self.conn_rate[self.border_conns, 7] += duals.lam[self.border_event[self.border_conns]]
        self.hub_usd_per_t[:] = duals.nu.reshape(self.hub_usd_per_t.shape)
        base = np.where(blocked_conn, BLOCKED_USD, 0.0)
        self.conn_rate[:, 9] = base
        lower = np.full(n_k, np.inf)
        candidates: dict[int, list[tuple[float, Journey]]] = {}
        overflow = False
        own = [int(k) for k in commodities if int(k) in duals.sigma or int(k) in self.forbidden]
        shared = np.setdiff1d(commodities, np.asarray(own, dtype=np.int64))
        groups: list[tuple[NDArray[np.int64], tuple[NDArray[np.int64], NDArray[np.float64]]]] = [
            (shared, (np.zeros(0, np.int64), np.zeros(0)))]
        for k in own:
            legs, values = duals.sigma.get(k, (np.zeros(0, np.int64), np.zeros(0)))
            if k in self.forbidden:
                legs = np.r_[legs, self.forbidden[k]].astype(np.int64)
                values = np.r_[values, np.full(self.forbidden[k].size, BLOCKED_USD)]
            groups.append((np.array([k], dtype=np.int64), (legs, values)))
        for members, (legs, values) in groups:
            if members.size == 0:
                continue
            np.add.at(self.conn_rate[:, 9], legs, values)
            overflow |= self._search(members, duals, lower, candidates, per_commodity)
            self.conn_rate[:, 9] = base
        return Priced(lower, candidates, overflow)

    def _search(self, members: NDArray[np.int64], duals: Duals, lower: NDArray[np.float64],
                candidates: dict[int, list[tuple[float, Journey]]], per_commodity: int) -> bool:
        p = self.problem
        n = members.size
        found = BatchJourneys(*route_batch_kernel(
            *self.arrays, p.origin[members], p.ready_h[members], p.mode_mask[members],
            np.ascontiguousarray(self.q[members]), p.weight_kg[members],
            np.arange(n + 1, dtype=np.int64), p.destination[members], self.deadline_h[members],
            np.zeros(n), SELECT_ALL, 2, p.co2_price_usd_per_kg, self.max_labels, *self.capacity,
            np.ascontiguousarray(p.use[members]), *self.workspace))
        k_of = members[found.target]
        usable = found.cost_usd < 0.5 * BLOCKED_USD
        relaxed = found.cost_usd + p.time_cost_usd(k_of, found.time_h)
        np.minimum.at(lower, k_of[usable], relaxed[usable])
        # A capped search may have missed routes: nothing better than 0 is certain.
        lower[members[found.overflow]] = np.minimum(lower[members[found.overflow]], 0.0)
        # Candidates: routes of negative reduced cost, the cheapest few per commodity.
        keep = per_commodity
        pick = np.flatnonzero(usable & (relaxed - duals.pi[k_of] < 0.0))
        pick = pick[np.lexsort((pick, relaxed[pick], k_of[pick]))]
        first = np.r_[True, k_of[pick][1:] != k_of[pick][:-1]] if pick.size else np.zeros(0, bool)
        start = np.maximum.accumulate(np.where(first, np.arange(pick.size), 0))
        for i in pick[np.arange(pick.size) - start < keep]:
            k = int(k_of[i])
            lo, hi = found.leg_ptr[i], found.leg_ptr[i + 1]
            journey = Journey(found.leg_kind[lo:hi].copy(), found.leg_ref[lo:hi].copy(),
                              found.leg_dep_h[lo:hi].copy(), found.leg_arr_h[lo:hi].copy(),
                              float(found.time_h[i]))
            candidates.setdefault(k, []).append((float(relaxed[i]), journey))
        return bool(found.overflow.any())

"""Every route of a commodity on a small timetable: the exact master's columns.

A depth-first walk over the timetable with the label search's rules (board a departure when
the transfer's minimum connection time fits before it, ride it any number of stops, take a
link as soon as the freight is available and the transfer allows -- or, where a hub at either
end has a daily capacity, wait for a truck at each later time that moves the link's departure
or arrival into another local day), up to the commodity's search deadline. Two kinds of walks
are left out because a shorter one beats them in every respect (cost, arrival, capacity and
hub-days used): walks that go on after reaching the destination, and walks that come back to
a hub in the arriving mode they had there before (waiting there instead leaves the same
options, by the same transfer rules). Legs a single shipment cannot fit on are never boarded.

With every route in the master, the design MIP is the whole problem and its dual bound is a
bound on the optimum. The walk gives up past ``limit`` routes or ``max_steps`` legs tried:
beyond that, column generation is the way.
"""

from __future__ import annotations

import numpy as np

from ...core.timetable.arrays import KIND_CONNECTION, KIND_LINK, N_STATES, START
from .columns import Journey
from .problem import DesignProblem


class RouteEnumerator:
    """Per-hub departure lists of one problem's timetable; :meth:`routes` walks one commodity."""

    def __init__(self, problem: DesignProblem) -> None:
        self.problem = problem
        tt = problem.tt
        order = np.lexsort((np.arange(tt.n_connections), tt.conn_dep_h, tt.conn_from))
        starts = np.searchsorted(tt.conn_from[order], np.arange(tt.n_hubs + 1))
        self.by_hub = [order[starts[h]:starts[h + 1]] for h in range(tt.n_hubs)]

    def routes(self, k: int, limit: int, max_steps: int) -> list[Journey] | None:
        """Every route of commodity ``k`` (see the module docstring); None past ``limit``
        routes or ``max_steps`` legs tried."""
        p = self.problem
        tt = p.tt
        deadline = float(p.search_deadline_h()[k])
        mask = int(p.mode_mask[k])
        dest = int(p.destination[k])
        fits = (p.conn_capacity >= p.use[k][None, :] - 1e-9).all(axis=1)
        found: list[Journey] = []
        legs: list[tuple[int, int, float, float]] = []
        seen: set[int] = set()
        steps = 0

        def visit(hub: int, state: int, avail: float) -> bool:
            # False stops the whole walk (a limit was reached).
            nonlocal steps
            steps += 1
            if steps > max_steps:
                return False
            if hub == dest and legs:
                kind, ref, dep, arr = (np.array(c) for c in zip(*legs, strict=True))
                found.append(Journey(kind.astype(np.int64), ref.astype(np.int64),
                                     dep.astype(np.float64), arr.astype(np.float64), avail))
                return len(found) <= limit
            here = hub * N_STATES + state
            if here in seen:
                return True
            seen.add(here)
            going = rides(hub, state, avail) and links(hub, state, avail)
            seen.discard(here)
            return going

        def rides(hub: int, state: int, avail: float) -> bool:
            for c in self.by_hub[hub]:
                dep = tt.conn_dep_h[c]
                if dep > deadline:
                    break
                mode = int(tt.conn_mode[c])
                if (not (mask >> mode) & 1 or not fits[c]
                        or not tt.transfer_allowed[hub, state, mode]
                        or avail + tt.transfer_h[hub, state, mode] > dep):
                    continue
                ride = 0
                leg = c
                going = True
                while going and leg >= 0 and fits[leg]:
                    at = tt.conn_arr_h[leg] + tt.hub_dwell_h[tt.conn_to[leg]]
                    if at > deadline:
                        break
                    legs.append((KIND_CONNECTION, int(leg), tt.conn_dep_h[leg], tt.conn_arr_h[leg]))
                    ride += 1
                    going = visit(int(tt.conn_to[leg]), mode, at)
                    leg = tt.conn_next[leg]
                del legs[len(legs) - ride:]
                if not going:
                    return False
            return True

        def links(hub: int, state: int, avail: float) -> bool:
            for link in range(tt.link_indptr[hub], tt.link_indptr[hub + 1]):
                mode = int(tt.link_mode[link])
                if not (mask >> mode) & 1 or not tt.transfer_allowed[hub, state, mode]:
                    continue
                to = int(tt.link_to[link])
                duration = float(tt.link_duration_h[link])
                first = avail + tt.transfer_h[hub, state, mode]
                for dep in self.link_departures(first, duration, hub if state == START else -1,
                                                to):
                    arr = dep + duration
                    at = arr + tt.hub_dwell_h[to]
                    if at > deadline:
                        break
                    legs.append((KIND_LINK, link, dep, arr))
                    going = visit(to, mode, at)
                    legs.pop()
                    if not going:
                        return False
            return True

        return found if visit(int(p.origin[k]), START, float(p.ready_h[k])) else None

    def link_departures(self, first: float, duration_h: float, origin: int,
                        to: int) -> list[float]:
        """When a truck may leave at ``first`` or later: ``first``, and, where the hub-days it
        is counted on are limited (its arrival at ``to``; its departure from ``origin`` when it
        is the first leg, else -1), each later time that moves one of them into another day."""
        p = self.problem
        later: set[float] = set()
        if np.isfinite(p.hub_capacity_t_day[to]):
            later.update((p.day_start_h - duration_h).tolist())
        if origin >= 0 and np.isfinite(p.hub_capacity_t_day[origin]):
            later.update(p.day_start_h.tolist())
        return [first, *sorted(t for t in later if t > first)]

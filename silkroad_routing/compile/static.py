"""Network -> a static, mode-expanded CSR graph for shortest-path kernels.

Each hub ``h`` becomes a *source* node and a *sink* node (where journeys start and end) plus an
*arrive* and a *depart* node per mode that serves it. Arcs:

* source(h) -> depart(h, m) and arrive(h, m) -> sink(h): free (start / end of a journey);
* arrive(h, a) -> depart(h, b): a transfer, allowed only where the network has a transfer rule,
  costing its handling charge and minimum connection time;
* depart(u, m) -> arrive(v, m): a link, or a ride on a service from stop ``i`` to any later stop
  ``j`` (so that staying aboard through intermediate stops makes no transfer).

An arc's hours include the dwell of every hub entered on it (border crossings), but not waiting
for a departure: the static graph has no clock. Timetable routing (``compile.timetable``) does.
Costs and CO2e are for one reference shipment (``weight_kg``, ``volume_m3``); the generalized
weight is ``cost_usd + value_of_time_usd_per_h * hours + co2_price_usd_per_kg * co2e_kg``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np

from ..model import Network, Service
from ..units import AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG, MODE_INDEX, MODES
from .tariffs import (
    co2e_rates,
    handling_rate_vector,
    quantity_vector,
    rate_vector,
    transshipment_rate_vector,
)

#: ``StaticGraph.arc_kind`` values.
ARC_TERMINAL: Final[int] = 0
ARC_TRANSFER: Final[int] = 1
ARC_LINK: Final[int] = 2
ARC_SERVICE: Final[int] = 3

#: ``StaticGraph.node_role`` values.
NODE_SOURCE, NODE_SINK, NODE_ARRIVE, NODE_DEPART = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class StaticGraph:
    """A compiled static graph: CSR arrays plus per-arc attributes (all contiguous).

    ``indptr`` (n + 1,), ``indices`` (m,): arcs of node ``u`` are ``indptr[u]:indptr[u+1]`` with
    heads ``indices[...]``. Per arc: ``cost_usd`` and ``co2e_kg`` for the reference shipment,
    ``hours``, ``mode`` (index into ``units.MODES``; -1 for terminal and transfer arcs),
    ``arc_kind`` (``ARC_*``), ``ref`` (index into ``network.links`` or ``network.services``; -1
    otherwise), ``first_leg`` and ``last_leg`` (service legs covered, inclusive; -1 otherwise).
    Per node: ``node_hub`` (index into ``hub_codes``), ``node_role`` (``NODE_*``), ``node_mode``.
    """

    hub_codes: tuple[str, ...]
    indptr: np.ndarray
    indices: np.ndarray
    cost_usd: np.ndarray
    hours: np.ndarray
    co2e_kg: np.ndarray
    mode: np.ndarray
    arc_kind: np.ndarray
    ref: np.ndarray
    first_leg: np.ndarray
    last_leg: np.ndarray
    node_hub: np.ndarray
    node_role: np.ndarray
    node_mode: np.ndarray

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.indptr.shape[0] - 1)

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.indices.shape[0])

    def source(self, hub_code: str) -> int:
        """Node where journeys from ``hub_code`` start."""
        return 2 * self.hub_codes.index(hub_code) + NODE_SOURCE

    def sink(self, hub_code: str) -> int:
        """Node where journeys to ``hub_code`` end."""
        return 2 * self.hub_codes.index(hub_code) + NODE_SINK

    def generalized_weight(
        self, value_of_time_usd_per_h: float = 0.0, co2_price_usd_per_kg: float = 0.0
    ) -> np.ndarray:
        """``cost_usd + value_of_time_usd_per_h * hours + co2_price_usd_per_kg * co2e_kg`` (USD)."""
        if value_of_time_usd_per_h < 0 or co2_price_usd_per_kg < 0:
            raise ValueError("value of time and CO2 price must be non-negative")
        return np.ascontiguousarray(
            self.cost_usd + value_of_time_usd_per_h * self.hours + co2_price_usd_per_kg * self.co2e_kg
        )


def compile_static(
    network: Network,
    *,
    weight_kg: float = 1000.0,
    volume_m3: float = 1.0,
    units_feu: int | None = None,
    include_optional: bool = True,
    divisor_cm3_per_kg: float = AIR_VOLUMETRIC_DIVISOR_CM3_PER_KG,
) -> StaticGraph:
    """Compile ``network`` into a :class:`StaticGraph` priced for one reference shipment.

    Nodes ``2 * hub`` and ``2 * hub + 1`` are the source and sink of each hub, then one arrive and
    one depart node per (hub, mode) pair in use. ``include_optional=False`` leaves out candidate
    services that run only when network design opens them.
    """
    q = quantity_vector(weight_kg, volume_m3, units_feu, divisor_cm3_per_kg)
    services = [s for s in network.services if include_optional or not s.optional]
    nodes = _nodes(network, services)
    arcs = [*_terminal_and_transfer_arcs(network, nodes, q),
            *_link_arcs(network, nodes, q),
            *_service_arcs(network, services, nodes, q)]
    n = len(nodes.hub)
    rows = sorted(arcs, key=lambda a: (a.tail, a.head))
    tails = np.array([a.tail for a in rows], dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, tails + 1, 1)
    np.cumsum(indptr, out=indptr)

    def column(i: int, dtype: type) -> np.ndarray:
        return np.ascontiguousarray(np.array([a[i] for a in rows], dtype=dtype))

    return StaticGraph(
        hub_codes=nodes.codes, indptr=indptr, indices=column(1, np.int64),
        cost_usd=column(2, np.float64), hours=column(3, np.float64),
        co2e_kg=column(4, np.float64), mode=column(5, np.int64), arc_kind=column(6, np.int64),
        ref=column(7, np.int64), first_leg=column(8, np.int64), last_leg=column(9, np.int64),
        node_hub=np.array(nodes.hub, dtype=np.int64), node_role=np.array(nodes.role, dtype=np.int64),
        node_mode=np.array(nodes.mode, dtype=np.int64),
    )


class _Arc(NamedTuple):
    """One arc, with its attributes in :class:`StaticGraph`'s column order."""

    tail: int
    head: int
    cost_usd: float
    hours: float
    co2e_kg: float
    mode: int
    kind: int
    ref: int = -1
    first_leg: int = -1
    last_leg: int = -1


@dataclass(frozen=True)
class _Nodes:
    """The graph's nodes: per node its hub, role and mode (lists), and the arrive and depart
    node of each (hub, mode) pair in use; ``codes`` and ``hub_index`` name the hubs."""

    codes: tuple[str, ...]
    hub_index: dict[str, int]
    hub: list[int]
    role: list[int]
    mode: list[int]
    arrive: dict[tuple[int, int], int]
    depart: dict[tuple[int, int], int]


def _nodes(network: Network, services: list[Service]) -> _Nodes:
    codes = tuple(h.code for h in network.hubs)
    hub_index = {c: i for i, c in enumerate(codes)}
    used: set[tuple[int, int]] = set()
    for x in network.links:
        used.add((hub_index[x.from_hub], MODE_INDEX[x.mode]))
        used.add((hub_index[x.to_hub], MODE_INDEX[x.mode]))
    for s in services:
        used.update((hub_index[c], MODE_INDEX[s.mode]) for c in s.stops)
    # Sources and sinks first (node 2*hub and 2*hub + 1), then arrive/depart nodes per mode used.
    nodes = _Nodes(codes, hub_index, [i for i in range(len(codes)) for _ in range(2)],
                   [NODE_SOURCE, NODE_SINK] * len(codes), [-1, -1] * len(codes), {}, {})
    for h, m in sorted(used):
        for table, role in ((nodes.arrive, NODE_ARRIVE), (nodes.depart, NODE_DEPART)):
            table[(h, m)] = len(nodes.hub)
            nodes.hub.append(h)
            nodes.role.append(role)
            nodes.mode.append(m)
    return nodes


def _terminal_and_transfer_arcs(network: Network, nodes: _Nodes, q: np.ndarray) -> list[_Arc]:
    """Source -> depart and arrive -> sink at every hub, and the transfers between modes."""
    arcs = [_Arc(2 * h + NODE_SOURCE, node, 0.0, 0.0, 0.0, -1, ARC_TERMINAL)
            for (h, _), node in nodes.depart.items()]
    for (h, m), node in nodes.arrive.items():
        arcs.append(_Arc(node, 2 * h + NODE_SINK, 0.0, 0.0, 0.0, -1, ARC_TERMINAL))
        for b in range(len(MODES)):
            if (h, b) not in nodes.depart:
                continue
            rule = network.transfer_rule(nodes.codes[h], MODES[m], MODES[b])
            if rule is None:
                continue
            cost = float(handling_rate_vector(rule.handling_usd_per_t) @ q)
            arcs.append(_Arc(node, nodes.depart[(h, b)], cost, rule.min_connection_h, 0.0, -1,
                             ARC_TRANSFER))
    return arcs


def _link_arcs(network: Network, nodes: _Nodes, q: np.ndarray) -> list[_Arc]:
    arcs = []
    for k, x in enumerate(network.links):
        a, b = nodes.hub_index[x.from_hub], nodes.hub_index[x.to_hub]
        m = MODE_INDEX[x.mode]
        cost = float(rate_vector(x.price_usd, x.price_basis, x.part_load_usd_per_wm) @ q)
        arcs.append(_Arc(nodes.depart[(a, m)], nodes.arrive[(b, m)], cost,
                         x.duration_h + network.hubs[b].dwell_h,
                         float(co2e_rates(x, x.distance_km)[0] @ q), m,
                         ARC_LINK, k))
    return arcs


def _service_arcs(network: Network, services: list[Service], nodes: _Nodes,
                  q: np.ndarray) -> list[_Arc]:
    """One arc per service and pair of stops ``i < j`` (riding legs ``i`` to ``j - 1``)."""
    service_index = {s.id: k for k, s in enumerate(network.services)}
    arcs = []
    for s in services:
        m = MODE_INDEX[s.mode]
        total_km = s.distance_km or 1.0
        stops = [nodes.hub_index[c] for c in s.stops]
        for i in range(len(stops) - 1):
            hours = km = co2 = cost = 0.0
            for j in range(i + 1, len(stops)):
                hub_j = network.hubs[stops[j]]
                km += s.leg_km[j - 1]
                co2 += float(co2e_rates(s, s.leg_km[j - 1])[0] @ q)
                hours += s.leg_h[j - 1] + hub_j.dwell_h
                if j > i + 1:
                    hours += s.stop_dwell_h
                if hub_j.gauge_change and s.mode == "rail" and j < len(stops) - 1:
                    cost += float(transshipment_rate_vector(hub_j.transshipment_usd_per_feu) @ q)
                price = float(rate_vector(s.price_usd, s.price_basis, s.part_load_usd_per_wm,
                                          km / total_km) @ q)
                arcs.append(_Arc(nodes.depart[(stops[i], m)], nodes.arrive[(stops[j], m)],
                                 price + cost, hours, co2, m,
                                 ARC_SERVICE, service_index[s.id], i, j - 1))
    return arcs

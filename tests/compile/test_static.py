"""The static mode-expanded graph: shortest paths on it (scipy, an independent solver) match
costs and times recomputed by hand from the network's own numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import silkroad_routing as sr
from silkroad_routing.compile import compile_static
from silkroad_routing.compile.static import ARC_SERVICE, ARC_TRANSFER


def _scipy_dist(graph: sr.compile.StaticGraph, weights: np.ndarray, source: int) -> np.ndarray:
    # scipy sums parallel arcs when building a matrix: keep the lightest of each pair instead.
    tails = np.repeat(np.arange(graph.n_nodes), np.diff(graph.indptr))
    best: dict[tuple[int, int], float] = {}
    for u, v, w in zip(tails, graph.indices, weights, strict=True):
        best[(u, v)] = min(w, best.get((u, v), np.inf))
    rows, cols = zip(*best, strict=True)
    # Zero weights vanish in a sparse matrix; a tiny epsilon keeps those arcs.
    data = np.array([max(w, 1e-12) for w in best.values()])
    matrix = csr_matrix((data, (rows, cols)), shape=(graph.n_nodes, graph.n_nodes))
    return dijkstra(matrix, indices=source)


@pytest.fixture
def mini(mini_network_dir: Path) -> sr.Network:
    return sr.load_network(mini_network_dir)


def test_csr_is_well_formed(mini: sr.Network) -> None:
    g = compile_static(mini)
    assert g.indptr[0] == 0 and g.indptr[-1] == g.n_arcs
    assert np.all(np.diff(g.indptr) >= 0)
    for array in (g.indices, g.cost_usd, g.hours, g.co2e_kg, g.mode, g.ref):
        assert array.flags.c_contiguous and array.shape == (g.n_arcs,)
    assert g.indices.dtype == np.int64 and g.cost_usd.dtype == np.float64
    # Transfers exist only where the network has a rule: no air->rail anywhere.
    tails = np.repeat(np.arange(g.n_nodes), np.diff(g.indptr))
    for e in np.flatnonzero(g.arc_kind == ARC_TRANSFER):
        a, b = g.node_mode[tails[e]], g.node_mode[g.indices[e]]
        assert (sr.units.MODES[a], sr.units.MODES[b]) != (sr.Mode.AIR, sr.Mode.RAIL)


def test_cheapest_and_fastest_match_hand_computation(mini: sr.Network) -> None:
    g = compile_static(mini, weight_kg=1000.0, volume_m3=1.0)  # a part load: 1 revenue tonne
    src, dst = g.source("CGO"), g.sink("DEHAM")
    # Cheapest: truck to the rail terminal (8/wm), road->rail handling (20/t), rail part load
    # (180/wm) plus the gauge-change transshipment at Brest (120 per FEU / 67 m3 per wm).
    cheapest = 8.0 + 20.0 + 180.0 + 120.0 / 67.0
    assert _scipy_dist(g, g.cost_usd, src)[dst] == pytest.approx(cheapest)
    # Fastest: the freighter (13 h), air->road connection (4 h), truck to Hamburg (10 h).
    assert _scipy_dist(g, g.hours, src)[dst] == pytest.approx(13.0 + 4.0 + 10.0)
    # Rail time includes the border dwell (30 h) and the intermediate stop dwell (6 h).
    rail = [e for e in np.flatnonzero(g.arc_kind == ARC_SERVICE)
            if mini.services[g.ref[e]].id == "RAIL1" and g.first_leg[e] == 0 and g.last_leg[e] == 1]
    assert len(rail) == 1 and g.hours[rail[0]] == pytest.approx(300 + 30 + 6 + 80)


def test_generalized_weight_and_optional_services(mini: sr.Network) -> None:
    g = compile_static(mini)
    w = g.generalized_weight(value_of_time_usd_per_h=2.0, co2_price_usd_per_kg=0.1)
    assert np.allclose(w, g.cost_usd + 2.0 * g.hours + 0.1 * g.co2e_kg)
    without = compile_static(mini, include_optional=False)
    ids = {mini.services[r].id for r in without.ref[without.arc_kind == ARC_SERVICE]}
    assert "CHARTER1" not in ids and "AIR1" in ids
    with pytest.raises(ValueError):
        g.generalized_weight(value_of_time_usd_per_h=-1.0)

"""Independent references for the packing tests: a packing checker and brute-force optima.

Nothing here imports silkroad_routing: the checks recompute loads from the item arrays.
"""

from __future__ import annotations

import itertools

import numpy as np

RTOL = 1e-9  # the library's documented fit tolerance


def check_packing(w, v, group, cap_w, cap_v, item_bin, bin_group, bin_w, bin_v) -> None:
    """Assert a packing is valid: every item in exactly one bin, one group per bin, capacities
    respected, reported loads equal to recomputed ones, bins numbered 0..m-1 without gaps."""
    w, v, group = np.asarray(w, float), np.asarray(v, float), np.asarray(group, int)
    cap_w, cap_v = np.atleast_1d(cap_w), np.atleast_1d(cap_v)
    n, m = len(w), len(bin_group)
    assert item_bin.shape == (n,)
    assert (item_bin >= 0).all() and (item_bin < m).all(), "an item has no valid bin"
    assert set(item_bin.tolist()) == set(range(m)), "an empty bin was reported"
    for b in range(m):
        members = np.flatnonzero(item_bin == b)
        assert (group[members] == bin_group[b]).all(), f"bin {b} mixes groups"
        load_w, load_v = w[members].sum(), v[members].sum()
        assert load_w <= cap_w[bin_group[b]] * (1 + RTOL), f"bin {b} over weight capacity"
        assert load_v <= cap_v[bin_group[b]] * (1 + RTOL), f"bin {b} over volume capacity"
        assert np.isclose(load_w, bin_w[b]) and np.isclose(load_v, bin_v[b])


def brute_force_bins(w, v, cap_w: float, cap_v: float) -> int:
    """Fewest bins for one group, by exhaustive search over assignments (items in input order,
    each into an open bin or one new bin; canonical, so each partition is seen once)."""
    n = len(w)
    best = [n]
    load_w: list[float] = []
    load_v: list[float] = []

    def place(i: int) -> None:
        if len(load_w) >= best[0]:
            return
        if i == n:
            best[0] = len(load_w)
            return
        for b in range(len(load_w)):
            if load_w[b] + w[i] <= cap_w * (1 + RTOL) and load_v[b] + v[i] <= cap_v * (1 + RTOL):
                load_w[b] += w[i]
                load_v[b] += v[i]
                place(i + 1)
                load_w[b] -= w[i]
                load_v[b] -= v[i]
        load_w.append(w[i])
        load_v.append(v[i])
        place(i + 1)
        load_w.pop()
        load_v.pop()

    if n == 0:
        return 0
    place(0)
    return best[0]


def l2_direct(sizes, capacity: int) -> int:
    """Martello–Toth L2 for integer sizes, straight from the definition (every integer K)."""
    sizes = [int(s) for s in sizes]
    best = 0
    for k in range(capacity // 2 + 1):
        j1 = [s for s in sizes if s > capacity - k]
        j2 = [s for s in sizes if capacity - k >= s > capacity / 2]
        j3 = [s for s in sizes if capacity / 2 >= s >= k]
        extra = -(-(sum(j3) - (len(j2) * capacity - sum(j2))) // capacity)
        best = max(best, len(j1) + len(j2) + max(0, extra))
    return best


def best_assignment(n_items: int, n_places: int, feasible, value) -> float:
    """Best value over every assignment of items to places 0..n_places-1 or -1 (not taken)."""
    best = 0.0
    for assign in itertools.product(range(-1, n_places), repeat=n_items):
        if feasible(assign):
            best = max(best, value(assign))
    return best

"""Two-dimensional bin packing (weight and volume): FFD, BFD and lower bounds, on arrays.

Items have a weight (kg) and a volume (m3) and belong to a *group*; a bin (container, ULD,
trailer, wagon) holds items of one group only, with the group's weight and volume capacity.
Groups carry the class rules: the caller maps cargo classes that may share a unit to one group
(dangerous goods alone, cold chain in reefer bins, ...), so that packing is independent per group
and every bin serves exactly one group. Bins are numbered group after group.

Sort key (both heuristics)
    Items are taken in decreasing order of ``max(weight / capacity_kg, volume / capacity_m3)``,
    the share of an empty bin the item fills in its tighter dimension; ties keep the input
    order. With this key, when every item of a group is weight-dominated (``w/W >= v/V``) the
    volume constraint can never bind (a bin's volume share never exceeds its weight share) and
    2-D FFD/BFD are exactly 1-D FFD/BFD on weight (tested), so the 1-D guarantees carry over
    (and the same for volume-dominated groups).

First fit (``first_fit_decreasing``)
    Each item goes into the lowest-numbered bin with room in both dimensions. The bins are the
    leaves of a max segment tree (unopened bins hold full capacity); each node keeps, for five
    directions ``alpha`` in (0, 1/4, 1/2, 3/4, 1), the largest ``alpha * res_w / W + (1 - alpha) *
    res_v / V`` over the bins below it. A left-first descent finds the first bin that fits,
    skipping every subtree that fails one of the five tests (the two axes are exact tests, the
    mixed directions necessary conditions). In one dimension, or when one dimension dominates,
    the descent never backtracks: O(log n) per item, O(n log n) in all. In two dimensions a
    subtree can pass every test through different bins and still hold no bin that fits, so the
    descent may backtrack: the worst case is O(n) per item (O(n^2) in all). The mixed directions
    cut most of that: on the benchmark's LCL shipments 1M items take about 2 s; on adversarial
    uniform (0, 1)^2 items the time still grows faster than n log n (benchmarks/packing).

Best fit (``best_fit_decreasing``)
    Each item goes into the open bin that fits and is fullest, measured by its slack
    ``min(res_w / W, res_v / V)``, the share left in its tighter dimension (in 1-D: the least
    residual); ties go to the lower bin number. When one dimension dominates, the slack is the
    residual of that dimension, so 2-D BFD is then exactly 1-D BFD, like FFD. Open bins are
    kept in a treap (randomised balanced search tree with deterministic priorities) ordered by
    (slack, bin), augmented with the subtree maxima of both residuals; the search walks the bins
    in slack order from the smallest slack that could fit, skipping subtrees without room. 1-D:
    O(log n) expected per item. 2-D: the same worst case as first fit.

Lower bound (``lower_bound_l2``, ``lower_bound_2d``)
    Martello and Toth's L2 for one dimension (Martello, Toth, "Lower bounds and reduction
    procedures for the bin packing problem", Discrete Applied Mathematics 28 (1990) 59-70),
    computed in O(n log n); in two dimensions the bound of a group is the larger of the two
    per-dimension L2 bounds, and the bound of a packing is the sum over groups (groups never
    share bins). Every packing reports ``gap = (bins - bound) / bound``.

Tolerance: an item fits when it exceeds the residual by at most ``FIT_RTOL`` times the capacity
(so that sizes that add up to exactly one bin are not split by rounding); the lower bound treats
the same margin in the packer's favour, so it stays at or below every packing.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

#: Relative fit tolerance: an item fits if it exceeds the residual by at most this share of the
#: bin's capacity.
FIT_RTOL = 1e-9
_NIL = -1
_ALPHA = np.array([0.0, 0.25, 0.5, 0.75, 1.0])  # pruning directions of 2-D first fit
_STACK = 256  # depth of the explicit search stacks: trees of 2**62 leaves need at most 2 * 63


class Packing(NamedTuple):
    """A packing of items into bins, with its lower bound.

    ``item_bin[i]`` is the bin of item ``i`` (int64); bins are numbered ``0..n_bins-1`` group
    after group, and ``bin_group[b]`` is the group of bin ``b``; ``bin_weight_kg[b]`` and
    ``bin_volume_m3[b]`` are its load. ``lower_bound`` is a lower bound on the number of bins
    any packing needs (sum over groups of the per-group bound).
    """

    item_bin: np.ndarray
    bin_group: np.ndarray
    bin_weight_kg: np.ndarray
    bin_volume_m3: np.ndarray
    lower_bound: int

    @property
    def n_bins(self) -> int:
        """Number of bins used."""
        return int(self.bin_group.shape[0])

    @property
    def gap(self) -> float:
        """Relative gap to the lower bound, ``(n_bins - lower_bound) / lower_bound`` (0 if empty)."""
        return (self.n_bins - self.lower_bound) / self.lower_bound if self.lower_bound else 0.0

    def bins_per_group(self, n_groups: int) -> np.ndarray:
        """Number of bins of each group, int64[n_groups]."""
        return np.bincount(self.bin_group, minlength=n_groups).astype(np.int64)


# --------------------------------------------------------------------------------------------
# Public wrappers: validation, sort order, bound
# --------------------------------------------------------------------------------------------


def packing_order(
    weight_kg: np.ndarray, volume_m3: np.ndarray, item_group: np.ndarray,
    capacity_kg: np.ndarray, capacity_m3: np.ndarray,
) -> np.ndarray:
    """Order in which FFD and BFD take the items: by group, then decreasing size key.

    The key is ``max(weight / capacity_kg[g], volume / capacity_m3[g])``; ties keep the input
    order (stable). Returns int64[n] item indices. Arguments as in :func:`first_fit_decreasing`
    after validation (arrays, capacities per group).
    """
    key = np.maximum(weight_kg / capacity_kg[item_group], volume_m3 / capacity_m3[item_group])
    # lexsort: last key is primary; it is stable, so equal keys keep their input order.
    return np.lexsort((-key, item_group)).astype(np.int64)


def first_fit_decreasing(
    weight_kg: np.ndarray, volume_m3: np.ndarray, capacity_kg: float | np.ndarray,
    capacity_m3: float | np.ndarray, item_group: np.ndarray | None = None,
) -> Packing:
    """Pack items into bins by first fit decreasing in two dimensions (weight and volume).

    ``weight_kg`` and ``volume_m3`` are float64[n] item sizes (kg, m3; zero allowed);
    ``capacity_kg`` and ``capacity_m3`` are the bin capacities, one value or one per group;
    ``item_group`` (int64[n], default all 0) is each item's group, whose items share bins only
    with each other. Raises ``ValueError`` on bad input or an item larger than an empty bin.
    See the module docstring for the sort key, the data structure and the complexity.
    """
    w, v, g, cap_w, cap_v = check_items(weight_kg, volume_m3, capacity_kg, capacity_m3, item_group)
    order = packing_order(w, v, g, cap_w, cap_v)
    item_bin, bin_group, bin_w, bin_v = _first_fit_kernel(w, v, g, order, cap_w, cap_v, FIT_RTOL)
    return Packing(item_bin, bin_group, bin_w, bin_v, _bound(w, v, g, cap_w, cap_v))


def best_fit_decreasing(
    weight_kg: np.ndarray, volume_m3: np.ndarray, capacity_kg: float | np.ndarray,
    capacity_m3: float | np.ndarray, item_group: np.ndarray | None = None,
) -> Packing:
    """Pack items into bins by best fit decreasing in two dimensions (weight and volume).

    Same arguments and result as :func:`first_fit_decreasing`; an item goes into the open bin
    that fits with the least slack ``min(res_w / W, res_v / V)`` (ties: lowest bin).
    """
    w, v, g, cap_w, cap_v = check_items(weight_kg, volume_m3, capacity_kg, capacity_m3, item_group)
    order = packing_order(w, v, g, cap_w, cap_v)
    item_bin, bin_group, bin_w, bin_v = _best_fit_kernel(w, v, g, order, cap_w, cap_v, FIT_RTOL)
    return Packing(item_bin, bin_group, bin_w, bin_v, _bound(w, v, g, cap_w, cap_v))


def lower_bound_l2(size: np.ndarray, capacity: float) -> int:
    """Martello–Toth lower bound L2 on the number of bins of ``capacity`` for 1-D ``size``.

    ``size`` is float64[n] (each ``0 <= size <= capacity``). O(n log n). Always at least the
    continuous bound ``ceil(sum / capacity)``.
    """
    s = np.ascontiguousarray(size, dtype=np.float64)
    if s.ndim != 1:
        raise ValueError(f"size must be one-dimensional, got shape {s.shape}")
    if not np.isfinite(capacity) or capacity <= 0:
        raise ValueError(f"capacity must be positive and finite, got {capacity}")
    if s.size and (not np.all(np.isfinite(s)) or s.min() < 0):
        raise ValueError("sizes must be finite and non-negative")
    if s.size and s.max() > capacity * (1.0 + FIT_RTOL):
        i = int(np.argmax(s))
        raise ValueError(f"item {i} of size {s[i]} does not fit a bin of capacity {capacity}")
    return int(_l2_kernel(np.sort(s)[::-1].copy(), float(capacity), FIT_RTOL))


def lower_bound_2d(
    weight_kg: np.ndarray, volume_m3: np.ndarray, capacity_kg: float | np.ndarray,
    capacity_m3: float | np.ndarray, item_group: np.ndarray | None = None,
) -> int:
    """Lower bound on the bins of a 2-D packing: per group the larger of the weight and volume
    L2 bounds, summed over groups. Arguments as in :func:`first_fit_decreasing`."""
    w, v, g, cap_w, cap_v = check_items(weight_kg, volume_m3, capacity_kg, capacity_m3, item_group)
    return _bound(w, v, g, cap_w, cap_v)


def _bound(w: np.ndarray, v: np.ndarray, g: np.ndarray, cap_w: np.ndarray,
           cap_v: np.ndarray) -> int:
    total = 0
    for group in range(cap_w.shape[0]):
        mask = g == group
        if not mask.any():
            continue
        bw = _l2_kernel(np.sort(w[mask])[::-1].copy(), float(cap_w[group]), FIT_RTOL)
        bv = _l2_kernel(np.sort(v[mask])[::-1].copy(), float(cap_v[group]), FIT_RTOL)
        total += max(bw, bv)
    return int(total)


def check_items(
    weight_kg: np.ndarray, volume_m3: np.ndarray, capacity_kg: float | np.ndarray,
    capacity_m3: float | np.ndarray, item_group: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validate packing input; return contiguous ``(weight, volume, group, cap_kg, cap_m3)``.

    Capacities come back as float64 arrays with one entry per group. Raises ``ValueError``
    naming the first bad item (negative, not finite, larger than an empty bin of its group).
    """
    w = np.ascontiguousarray(weight_kg, dtype=np.float64)
    v = np.ascontiguousarray(volume_m3, dtype=np.float64)
    if w.ndim != 1 or v.shape != w.shape:
        raise ValueError(
            f"weight_kg and volume_m3 must be 1-D of equal length, got {w.shape} and {v.shape}"
        )
    n = w.shape[0]
    if item_group is None:
        g = np.zeros(n, dtype=np.int64)
    else:
        g = np.ascontiguousarray(item_group, dtype=np.int64)
        if g.shape != w.shape:
            raise ValueError(f"item_group must have length {n}, got shape {g.shape}")
    cap_w = np.atleast_1d(np.asarray(capacity_kg, dtype=np.float64)).copy()
    cap_v = np.atleast_1d(np.asarray(capacity_m3, dtype=np.float64)).copy()
    if cap_w.ndim != 1 or cap_v.shape != cap_w.shape:
        raise ValueError("capacity_kg and capacity_m3 must be scalars or 1-D of equal length")
    if not (np.all(np.isfinite(cap_w)) and np.all(np.isfinite(cap_v))) or cap_w.min() <= 0 \
            or cap_v.min() <= 0:
        raise ValueError("bin capacities must be positive and finite")
    if n == 0:
        return w, v, g, cap_w, cap_v
    if g.min() < 0 or g.max() >= cap_w.shape[0]:
        raise ValueError(
            f"item_group values must lie in 0..{cap_w.shape[0] - 1} (one capacity per group)"
        )
    for name, a in (("weight_kg", w), ("volume_m3", v)):
        bad = ~np.isfinite(a) | (a < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{name}[{i}] = {a[i]} must be finite and non-negative")
    for name, a, cap in (("weight_kg", w, cap_w), ("volume_m3", v, cap_v)):
        over = a > cap[g] * (1.0 + FIT_RTOL)
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise ValueError(
                f"item {i} does not fit an empty bin: {name} {a[i]} > capacity {cap[g[i]]} "
                f"of group {g[i]}"
            )
    return w, v, g, cap_w, cap_v


# --------------------------------------------------------------------------------------------
# First fit: max segment trees over residual capacities
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def _first_fit_kernel(
    w: np.ndarray, v: np.ndarray, group: np.ndarray, order: np.ndarray, cap_w: np.ndarray,
    cap_v: np.ndarray, rtol: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = w.shape[0]
    item_bin = np.empty(n, dtype=np.int64)
    bin_group = np.empty(n, dtype=np.int64)
    bin_w = np.zeros(n, dtype=np.float64)
    bin_v = np.zeros(n, dtype=np.float64)
    width = 1
    while width < max(n, 1):
        width *= 2
    # tree[node, j] = max over the bins below `node` of the residual share along direction j:
    # alpha_j * res_w / W + (1 - alpha_j) * res_v / V. Directions 0 and last are the two axes
    # (exact max tests); the others are necessary conditions that prune subtrees whose bins each
    # have room in one dimension only.
    n_dir = _ALPHA.shape[0]
    tree = np.empty((2 * width, n_dir), dtype=np.float64)
    need = np.empty(n_dir, dtype=np.float64)
    stack = np.empty(_STACK, dtype=np.int64)
    n_bins = 0
    start = 0
    while start < n:  # one segment of `order` per group
        grp = group[order[start]]
        stop = start
        while stop < n and group[order[stop]] == grp:
            stop += 1
        leaves = 1
        while leaves < stop - start:
            leaves *= 2
        cw, cv = cap_w[grp], cap_v[grp]
        for node in range(1, 2 * leaves):  # every bin of this group starts empty
            for j in range(n_dir):
                tree[node, j] = 1.0
        used = 0
        for k in range(start, stop):
            item = order[k]
            share_w = w[item] / cw - rtol
            share_v = v[item] / cv - rtol
            for j in range(n_dir):
                need[j] = _ALPHA[j] * share_w + (1.0 - _ALPHA[j]) * share_v - 2.0 * rtol
            need[0] = share_v  # alpha 0: the volume axis, exact
            need[n_dir - 1] = share_w  # alpha 1: the weight axis, exact
            # Left-first descent to the lowest-numbered leaf with room in both dimensions.
            stack[0] = 1
            top = 1
            leaf = -1
            while top > 0:
                top -= 1
                node = stack[top]
                fits = True
                for j in range(n_dir):
                    if tree[node, j] < need[j]:
                        fits = False
                        break
                if not fits:
                    continue
                if node >= leaves:
                    leaf = node - leaves
                    break
                stack[top] = 2 * node + 1
                stack[top + 1] = 2 * node
                top += 2
            if leaf + 1 > used:
                used = leaf + 1
            b = n_bins + leaf
            item_bin[item] = b
            bin_w[b] += w[item]
            bin_v[b] += v[item]
            res_w = (cw - bin_w[b]) / cw
            res_v = (cv - bin_v[b]) / cv
            node = leaf + leaves
            for j in range(n_dir):
                tree[node, j] = _ALPHA[j] * res_w + (1.0 - _ALPHA[j]) * res_v
            node //= 2
            while node >= 1:
                for j in range(n_dir):
                    tree[node, j] = max(tree[2 * node, j], tree[2 * node + 1, j])
                node //= 2
        for b in range(n_bins, n_bins + used):
            bin_group[b] = grp
        n_bins += used
        start = stop
    return item_bin, bin_group[:n_bins].copy(), bin_w[:n_bins].copy(), bin_v[:n_bins].copy()


# --------------------------------------------------------------------------------------------
# Best fit: a treap of open bins ordered by (slack, bin), with subtree maxima of the residuals
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def _priority(node: int) -> np.int64:
    # splitmix64 of the node number: deterministic pseudo-random treap priorities.
    z = np.uint64(node) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return np.int64(z >> np.uint64(1))


@njit(cache=True)
def _pull(t: int, left: np.ndarray, right: np.ndarray, res: np.ndarray, top: np.ndarray) -> None:
    # top[t, d] = max residual in dimension d over the subtree rooted at t.
    for d in range(2):
        m = res[t, d]
        if left[t] != _NIL and top[left[t], d] > m:
            m = top[left[t], d]
        if right[t] != _NIL and top[right[t], d] > m:
            m = top[right[t], d]
        top[t, d] = m


@njit(cache=True)
def _before(key: np.ndarray, a: int, k: float, b: int) -> bool:
    # (key[a], a) < (k, b) in (slack, bin) order.
    return key[a] < k or (key[a] == k and a < b)


@njit(cache=True)
def _split(t: int, k: float, b: int, left: np.ndarray, right: np.ndarray, prio: np.ndarray,
           key: np.ndarray, res: np.ndarray, top: np.ndarray) -> tuple[int, int]:
    # Split the subtree t into (nodes before (k, b), nodes at or after (k, b)).
    if t == _NIL:
        return _NIL, _NIL
    if _before(key, t, k, b):
        lo, hi = _split(right[t], k, b, left, right, prio, key, res, top)
        right[t] = lo
        _pull(t, left, right, res, top)
        return t, hi
    lo, hi = _split(left[t], k, b, left, right, prio, key, res, top)
    left[t] = hi
    _pull(t, left, right, res, top)
    return lo, t


@njit(cache=True)
def _merge(a: int, b: int, left: np.ndarray, right: np.ndarray, prio: np.ndarray,
           key: np.ndarray, res: np.ndarray, top: np.ndarray) -> int:
    # Merge two treaps, every node of a before every node of b.
    if a == _NIL:
        return b
    if b == _NIL:
        return a
    if prio[a] > prio[b]:
        right[a] = _merge(right[a], b, left, right, prio, key, res, top)
        _pull(a, left, right, res, top)
        return a
    left[b] = _merge(a, left[b], left, right, prio, key, res, top)
    _pull(b, left, right, res, top)
    return b


@njit(cache=True)
def _best_fit_kernel(
    w: np.ndarray, v: np.ndarray, group: np.ndarray, order: np.ndarray, cap_w: np.ndarray,
    cap_v: np.ndarray, rtol: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = w.shape[0]
    item_bin = np.empty(n, dtype=np.int64)
    bin_group = np.empty(n, dtype=np.int64)
    bin_w = np.zeros(n, dtype=np.float64)
    bin_v = np.zeros(n, dtype=np.float64)
    # Treap nodes are bins (global numbering); arrays sized for the worst case of n bins.
    left = np.full(n, _NIL, dtype=np.int64)
    right = np.full(n, _NIL, dtype=np.int64)
    prio = np.empty(n, dtype=np.int64)
    key = np.empty(n, dtype=np.float64)
    res = np.empty((n, 2), dtype=np.float64)
    top = np.empty((n, 2), dtype=np.float64)
    stack = np.empty(2 * n + _STACK, dtype=np.int64)
    n_bins = 0
    start = 0
    while start < n:
        grp = group[order[start]]
        stop = start
        while stop < n and group[order[stop]] == grp:
            stop += 1
        cw, cv = cap_w[grp], cap_v[grp]
        tol_w, tol_v = rtol * cw, rtol * cv
        root = _NIL
        first = n_bins
        for k in range(start, stop):
            item = order[k]
            need_w = w[item] - tol_w
            need_v = v[item] - tol_v
            # A bin that fits has slack >= min((w - tol_w)/W, (v - tol_v)/V); start there.
            k_min = min(need_w / cw, need_v / cv) - 4.0 * rtol
            found = _NIL
            top_s = 0
            if root != _NIL:
                stack[0] = root
                stack[1] = 0  # phase 0: visit subtree; phase 1: left done, check node, go right
                top_s = 2
            while top_s > 0:
                top_s -= 2
                t = stack[top_s]
                phase = stack[top_s + 1]
                if phase == 0:
                    if t == _NIL or top[t, 0] < need_w or top[t, 1] < need_v:
                        continue
                    if key[t] >= k_min:
                        stack[top_s] = t
                        stack[top_s + 1] = 1
                        stack[top_s + 2] = left[t]
                        stack[top_s + 3] = 0
                        top_s += 4
                    else:
                        stack[top_s] = right[t]
                        stack[top_s + 1] = 0
                        top_s += 2
                else:
                    if res[t, 0] >= need_w and res[t, 1] >= need_v:
                        found = t
                        break
                    stack[top_s] = right[t]
                    stack[top_s + 1] = 0
                    top_s += 2
            if found == _NIL:
                found = n_bins
                n_bins += 1
                prio[found] = _priority(found)
                left[found] = _NIL
                right[found] = _NIL
            else:
                # Take the bin out: (before it) + (it) + (after it).
                lo, hi = _split(root, key[found], found, left, right, prio, key, res, top)
                _, hi = _split(hi, key[found], found + 1, left, right, prio, key, res, top)
                root = _merge(lo, hi, left, right, prio, key, res, top)
                left[found] = _NIL
                right[found] = _NIL
            item_bin[item] = found
            bin_w[found] += w[item]
            bin_v[found] += v[item]
            res[found, 0] = cw - bin_w[found]
            res[found, 1] = cv - bin_v[found]
            key[found] = min(res[found, 0] / cw, res[found, 1] / cv)
            _pull(found, left, right, res, top)
            lo, hi = _split(root, key[found], found, left, right, prio, key, res, top)
            root = _merge(_merge(lo, found, left, right, prio, key, res, top), hi,
                          left, right, prio, key, res, top)
        # Bins of a group are numbered from `first` in opening order, as in first fit.
        for b in range(first, n_bins):
            bin_group[b] = grp
        start = stop
    return item_bin, bin_group[:n_bins].copy(), bin_w[:n_bins].copy(), bin_v[:n_bins].copy()


# --------------------------------------------------------------------------------------------
# Martello–Toth L2
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def _count_above(desc: np.ndarray, threshold: float) -> int:
    # Number of entries > threshold in a descending array (binary search).
    lo, hi = 0, desc.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if desc[mid] > threshold:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def _count_at_least(desc: np.ndarray, threshold: float) -> int:
    # Number of entries >= threshold in a descending array.
    lo, hi = 0, desc.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if desc[mid] >= threshold:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def _ceil_bins(x: float) -> int:
    # ceil with a relative margin, so that rounding noise in sums never adds a bin.
    margin = 1e-9 * max(1.0, abs(x))
    c = np.ceil(x - margin)
    return int(c) if c > 0 else 0


@njit(cache=True)
def _l2_kernel(desc: np.ndarray, capacity: float, rtol: float) -> int:
    """L2 = max over K in [0, C/2] of |J1| + |J2| + max(0, ceil((S3 - (|J2| C - S2)) / C)).

    J1 = {s > C - K}, J2 = {C/2 < s <= C - K}, J3 = {K <= s <= C/2}; only K = 0 and K equal to
    an item size need checking. Thresholds are shifted by the fit tolerance towards a smaller
    bound. ``desc`` is sorted in decreasing order.
    """
    n = desc.shape[0]
    if n == 0:
        return 0
    tol = rtol * capacity
    prefix = np.zeros(n + 1, dtype=np.float64)  # compensated prefix sums (Neumaier)
    total = 0.0
    comp = 0.0
    for i in range(n):
        t = total + desc[i]
        if abs(total) >= abs(desc[i]):
            comp += (total - t) + desc[i]
        else:
            comp += (desc[i] - t) + total
        total = t
        prefix[i + 1] = total + comp
    half = capacity / 2.0 + tol
    n_big = _count_above(desc, half)  # items that pairwise never share a bin
    room = capacity + tol  # what a bin can hold, fit tolerance included
    best = 0
    # K = 0 first, then each distinct item size <= C/2 in increasing order (J3 shrinks, J1
    # grows); with K <= C/2, J1 lies inside the items above `half` and never meets J3.
    i = n
    k_value = 0.0
    while True:
        n1 = _count_above(desc, capacity - k_value + tol)
        n2 = n_big - n1
        n3_end = _count_at_least(desc, k_value) if k_value > 0 else n
        s2 = prefix[n_big] - prefix[n1]
        s3 = prefix[n3_end] - prefix[n_big]
        bound = n1 + n2 + _ceil_bins((s3 - (n2 * room - s2)) / room)
        if bound > best:
            best = bound
        while i > n_big and desc[i - 1] <= k_value:
            i -= 1
        if i <= n_big or desc[i - 1] > capacity / 2.0:
            break
        k_value = desc[i - 1]
    return best

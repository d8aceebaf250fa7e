"""First fit decreasing in pure Python: the same algorithm as the Numba kernel, for speed ratios.

Same sort key (``max(w / W, v / V)``, stable), same max segment tree over residual shares with
the same five pruning directions, same left-first descent. One group, one bin type.
"""

from __future__ import annotations

ALPHA = (0.0, 0.25, 0.5, 0.75, 1.0)
RTOL = 1e-9


def ffd_python(weight: list[float], volume: list[float], cap_w: float, cap_v: float) -> list[int]:
    """Bin of each item under 2-D first fit decreasing."""
    n = len(weight)
    order = sorted(range(n), key=lambda i: -max(weight[i] / cap_w, volume[i] / cap_v))
    leaves = 1
    while leaves < max(n, 1):
        leaves *= 2
    tree = [[1.0] * len(ALPHA) for _ in range(2 * leaves)]
    load_w = [0.0] * n
    load_v = [0.0] * n
    item_bin = [0] * n
    last = len(ALPHA) - 1
    for item in order:
        share_w = weight[item] / cap_w - RTOL
        share_v = volume[item] / cap_v - RTOL
        need = [a * share_w + (1.0 - a) * share_v - 2.0 * RTOL for a in ALPHA]
        need[0] = share_v
        need[last] = share_w
        stack = [1]
        leaf = -1
        while stack:
            node = stack.pop()
            values = tree[node]
            if any(values[j] < need[j] for j in range(len(ALPHA))):
                continue
            if node >= leaves:
                leaf = node - leaves
                break
            stack.append(2 * node + 1)
            stack.append(2 * node)
        item_bin[item] = leaf
        load_w[leaf] += weight[item]
        load_v[leaf] += volume[item]
        res_w = (cap_w - load_w[leaf]) / cap_w
        res_v = (cap_v - load_v[leaf]) / cap_v
        node = leaf + leaves
        tree[node] = [a * res_w + (1.0 - a) * res_v for a in ALPHA]
        node //= 2
        while node >= 1:
            left, right = tree[2 * node], tree[2 * node + 1]
            tree[node] = [max(x, y) for x, y in zip(left, right, strict=True)]
            node //= 2
    return item_bin

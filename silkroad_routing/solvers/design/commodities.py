"""Shipments -> commodities: identical shipments are grouped, nothing else is.

Two shipments form one commodity when everything the model sees of them is equal: origin,
destination, ready and due times, allowed modes, tariff quantities, weight, use of capacity
and value of time (so also their cargo class, through the modes and sizes it implies). Such
shipments are interchangeable, so one integer variable per route (how many of them take it)
replaces one binary per shipment, without changing the optimum.

Grouping by a ready *window* instead (say all shipments ready the same day) would merge
shipments that can catch different departures; doing it safely means giving the group the
latest ready time and the earliest due date of its members, which can cost a shipment its
best departure. The design does not do it: generated demand has distinct ready times, and the
column generation prices each shipment separately at the cost of one label search each.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


def group_identical(columns: Sequence[NDArray]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Group rows that are equal in every column (each an array of length n, or n x m).

    Returns ``(first, group)``: the first row of each group, in order of first appearance,
    and the group of every row. NaN never occurs in the inputs (``inf`` does, and compares
    equal to itself).
    """
    parts = [np.asarray(c, dtype=np.float64).reshape(len(c), -1) for c in columns]
    table = np.hstack(parts) if parts else np.zeros((0, 0))
    if table.shape[0] == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    _, first, inverse = np.unique(table, axis=0, return_index=True, return_inverse=True)
    # np.unique sorts the rows; renumber the groups by first appearance.
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return first[order].astype(np.int64), rank[inverse.reshape(-1)].astype(np.int64)

"""Multicommodity capacitated fixed-charge network design (MCND) instances.

The classic benchmark problem behind service network design: choose which arcs to open (each at
a fixed cost) so that every commodity's demand can be routed from its origin to its destination
within the arc capacities, at least fixed plus variable cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InputError

_INT_FIELDS = ("arc_tail", "arc_head", "commodity_origin", "commodity_destination")
_FLOAT_FIELDS = ("arc_unit_cost", "arc_capacity", "arc_fixed_cost", "commodity_demand")


def _frozen_array(values: ArrayLike, dtype: type, name: str) -> NDArray[Any]:
    try:
        array: NDArray[Any] = np.array(values, dtype=dtype, copy=True, order="C")
    except (TypeError, ValueError) as exc:
        raise InputError(f"cannot be read as {np.dtype(dtype).name} values: {exc}", field=name) from None
    if array.ndim != 1:
        raise InputError(f"must be one-dimensional, got shape {array.shape}", field=name)
    array.setflags(write=False)
    return array


def _first_bad(name: str, bad: NDArray[np.bool_], values: NDArray[Any], reason: str) -> InputError:
    index = int(np.flatnonzero(bad)[0])
    return InputError(f"{reason} (at index {index})", field=name, value=values[index].item())


@dataclass(frozen=True, eq=False)
class MCNDInstance:
    """An MCND instance: a directed multigraph with arc costs and capacities, and commodities.

    Node ids are 0-based (``0 .. n_nodes - 1``). Arc ``a`` goes from ``arc_tail[a]`` to
    ``arc_head[a]``; routing one unit of any commodity on it costs ``arc_unit_cost[a]``, its
    total flow is at most ``arc_capacity[a]`` (units of flow) when open and 0 when closed, and
    opening it costs ``arc_fixed_cost[a]``. Commodity ``k`` sends ``commodity_demand[k]`` units
    from ``commodity_origin[k]`` to ``commodity_destination[k]``. Costs are in the instance's
    money unit (the benchmark files carry no unit).

    Arrays are copied on construction, made contiguous and read-only. Raises
    :class:`~silkroad_routing.errors.InputError` naming the field and value when the data is
    inconsistent (ids out of range, self-loops, negative costs, non-positive capacities or
    demands, non-finite numbers, mismatched lengths).
    """

    n_nodes: int
    arc_tail: NDArray[np.int64]
    arc_head: NDArray[np.int64]
    arc_unit_cost: NDArray[np.float64]
    arc_capacity: NDArray[np.float64]
    arc_fixed_cost: NDArray[np.float64]
    commodity_origin: NDArray[np.int64]
    commodity_destination: NDArray[np.int64]
    commodity_demand: NDArray[np.float64]
    name: str = field(default="")  # a label, such as the file stem; not part of the data

    def __post_init__(self) -> None:
        if isinstance(self.n_nodes, bool) or not isinstance(self.n_nodes, int | np.integer):
            raise InputError("must be an integer", field="n_nodes", value=self.n_nodes)
        if self.n_nodes < 1:
            raise InputError("must be at least 1", field="n_nodes", value=self.n_nodes)
        object.__setattr__(self, "n_nodes", int(self.n_nodes))
        for name in _INT_FIELDS:
            object.__setattr__(self, name, _frozen_array(getattr(self, name), np.int64, name))
        for name in _FLOAT_FIELDS:
            object.__setattr__(self, name, _frozen_array(getattr(self, name), np.float64, name))
        self._check_lengths()
        self._check_values()

    def _check_lengths(self) -> None:
        for names in (_INT_FIELDS[:2] + _FLOAT_FIELDS[:3], _INT_FIELDS[2:] + _FLOAT_FIELDS[3:]):
            sizes = {name: getattr(self, name).size for name in names}
            if len(set(sizes.values())) > 1:
                raise InputError(f"arrays differ in length: {sizes}", field=names[0])

    def _check_values(self) -> None:
        for name in _INT_FIELDS:
            ids = getattr(self, name)
            bad = (ids < 0) | (ids >= self.n_nodes)
            if bad.any():
                raise _first_bad(name, bad, ids, f"node id outside 0..{self.n_nodes - 1}")
        if (loop := self.arc_tail == self.arc_head).any():
            raise _first_bad("arc_head", loop, self.arc_head, "arc starts and ends at the same node")
        same = self.commodity_origin == self.commodity_destination
        if same.any():
            raise _first_bad("commodity_destination", same, self.commodity_destination,
                             "commodity's origin and destination are the same node")
        for name, positive in (("arc_unit_cost", False), ("arc_fixed_cost", False),
                               ("arc_capacity", True), ("commodity_demand", True)):
            values = getattr(self, name)
            bad = ~np.isfinite(values) | ((values <= 0.0) if positive else (values < 0.0))
            if bad.any():
                reason = "must be finite and positive" if positive else "must be finite and >= 0"
                raise _first_bad(name, bad, values, reason)

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.arc_tail.size)

    @property
    def n_commodities(self) -> int:
        """Number of commodities."""
        return int(self.commodity_origin.size)

    def __eq__(self, other: object) -> bool:
        """Same data (the ``name`` label is not compared)."""
        if not isinstance(other, MCNDInstance):
            return NotImplemented
        return self.n_nodes == other.n_nodes and all(
            np.array_equal(getattr(self, name), getattr(other, name))
            for name in _INT_FIELDS + _FLOAT_FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking arrays: not hashable

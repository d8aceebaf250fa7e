"""The arc-based MCND model in MathOpt, over all arcs or a subset, with optional strong cuts.

Variables ``y_a`` (open arc ``a``; binary, or in [0, 1] for the LP) and ``x_a^k >= 0`` (units of
commodity ``k`` on arc ``a``)::

    min  sum_a f_a y_a + sum_{k,a} c_a x_a^k
    s.t. sum_{a out of i} x_a^k - sum_{a into i} x_a^k = d_k [i = O_k] - d_k [i = D_k]
         sum_k x_a^k <= u_a y_a                             (aggregate capacity)
         x_a^k <= min(d_k, u_a) y_a                         (strong cuts, for the given pairs)

Arcs outside the subset are closed. Built as a ModelProto from NumPy arrays, so that a model
with 50,000 flow variables takes a fraction of a second to build.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt

from ...model import MCNDInstance
from ._mathopt import set_matrix, values
from .path_lp import cut_capacity


@dataclass(frozen=True)
class ArcModel:
    """A built arc model: ``arcs`` (instance arc ids in the model), ``y`` (one variable per
    arc in ``arcs``) and ``x`` (commodity-major: ``x[k * len(arcs) + j]`` is commodity ``k`` on
    ``arcs[j]``)."""

    model: mathopt.Model
    arcs: NDArray[np.int64]
    y: list[mathopt.Variable]
    x: list[mathopt.Variable]


def build_arc_model(
    instance: MCNDInstance, arcs: NDArray[np.int64] | None = None, *,
    cut_keys: NDArray[np.int64] | None = None, bound_flows: bool = True, binary: bool = True,
) -> ArcModel:
    """Build the arc model on ``arcs`` (default all) with the strong cuts ``cut_keys``.

    ``cut_keys`` are ``k * n_arcs + a``; those on arcs outside ``arcs`` are dropped.
    ``bound_flows`` gives each flow variable the upper bound ``min(d_k, u_a)`` (the plain
    textbook model has none); ``binary`` makes ``y`` binary (else continuous in [0, 1]).
    """
    m, n, n_k = instance.n_arcs, instance.n_nodes, instance.n_commodities
    arcs = np.arange(m, dtype=np.int64) if arcs is None else np.unique(arcs).astype(np.int64)
    s = arcs.size
    b = cut_capacity(instance)[:, arcs]
    n_x = n_k * s
    proto = model_pb2.ModelProto()
    proto.variables.ids.extend(range(s + n_x))
    proto.variables.lower_bounds.extend([0.0] * (s + n_x))
    flow_ub = b.ravel() if bound_flows else np.full(n_x, np.inf)
    proto.variables.upper_bounds.extend(np.concatenate([np.ones(s), flow_ub]).tolist())
    proto.variables.integers.extend([binary] * s + [False] * n_x)
    proto.objective.linear_coefficients.ids.extend(range(s + n_x))
    proto.objective.linear_coefficients.values.extend(np.concatenate(
        [instance.arc_fixed_cost[arcs], np.tile(instance.arc_unit_cost[arcs], n_k)]).tolist())

    k_of_x = np.repeat(np.arange(n_k), s)
    j_of_x = np.tile(np.arange(s), n_k)
    x_ids = s + np.arange(n_x)
    supply = np.zeros((n_k, n))
    supply[np.arange(n_k), instance.commodity_origin] += instance.commodity_demand
    supply[np.arange(n_k), instance.commodity_destination] -= instance.commodity_demand
    cap0 = n_k * n
    rows = [k_of_x * n + instance.arc_tail[arcs][j_of_x], k_of_x * n + instance.arc_head[arcs][j_of_x],
            cap0 + j_of_x, cap0 + np.arange(s)]
    cols = [x_ids, x_ids, x_ids, np.arange(s)]
    coefs = [np.ones(n_x), -np.ones(n_x), np.ones(n_x), -instance.arc_capacity[arcs]]
    n_cut = 0
    if cut_keys is not None and cut_keys.size:
        cut_k, cut_a = np.divmod(np.unique(cut_keys), m)
        j = np.searchsorted(arcs, cut_a)
        inside = (j < s) & (arcs[np.minimum(j, s - 1)] == cut_a)
        cut_k, j = cut_k[inside], j[inside]
        n_cut = j.size
        cut_rows = cap0 + s + np.arange(n_cut)
        rows += [cut_rows, cut_rows]
        cols += [s + cut_k * s + j, j]
        coefs += [np.ones(n_cut), -b[cut_k, j]]
    n_row = cap0 + s + n_cut
    proto.linear_constraints.ids.extend(range(n_row))
    proto.linear_constraints.lower_bounds.extend(
        np.concatenate([supply.ravel(), np.full(s + n_cut, -np.inf)]).tolist())
    proto.linear_constraints.upper_bounds.extend(
        np.concatenate([supply.ravel(), np.zeros(s + n_cut)]).tolist())
    set_matrix(proto, rows, cols, coefs)
    model = mathopt.Model.from_model_proto(proto)
    variables = list(model.variables())
    return ArcModel(model, arcs, variables[:s], variables[s:])


def decode(instance: MCNDInstance, arc_model: ArcModel,
           result: mathopt.SolveResult) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(y, flows)`` of the result's best solution over all arcs (0 outside the model)."""
    y = np.zeros(instance.n_arcs)
    y[arc_model.arcs] = values(result, arc_model.y)
    flows = np.zeros((instance.n_commodities, instance.n_arcs))
    flows[:, arc_model.arcs] = values(result, arc_model.x).reshape(instance.n_commodities, -1)
    return y, flows


def solution_hint(arc_model: ArcModel, open_arcs: NDArray[np.int64],
                  flows: NDArray[np.float64]) -> mathopt.SolutionHint:
    """A complete MIP start: ``open_arcs`` (instance ids) open, ``flows`` on the model's arcs."""
    y = np.isin(arc_model.arcs, open_arcs).astype(np.float64)
    x = flows[:, arc_model.arcs].ravel()
    hint = dict(zip(arc_model.y, y.tolist(), strict=True))
    hint.update(zip(arc_model.x, x.tolist(), strict=True))
    return mathopt.SolutionHint(variable_values=hint)

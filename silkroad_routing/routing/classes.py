"""Cargo classes in routing: why a shipment of a class has no route, and where rules apply.

A shipment of a class whose view of the timetable (:mod:`silkroad_routing.compile.classes`)
leaves it no route is told which rule refused it, never a bare "no path": its origin or
destination hub does not handle the class, or else the first leg or hub of the route it would
take as general cargo that refuses it (``no route accepts dangerous_goods from CGO: service
A-CGO-LHR refuses dangerous_goods``). A shipment with no route even as general cargo keeps
reason ``no path``.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

from ..compile.classes import ClassView
from ..compile.problem import Problem
from ..core.timetable.arrays import KIND_CONNECTION
from ..core.timetable.scan import earliest_arrival_batch

#: How the reason of a shipment no route accepts begins (then the class and the origin).
REASON_REFUSED: Final[str] = "no route accepts"


def refused_reason(view: ClassView, origin: str, detail: str) -> str:
    """``no route accepts <class> from <origin>: <detail>``."""
    return f"{REASON_REFUSED} {view.cargo_class} from {origin}: {detail}"


def class_reasons(problem: Problem, reasons: NDArray[np.object_],
                  unreached: NDArray[np.bool_]) -> NDArray[np.object_]:
    """``reasons`` with the rule that refused each ``unreached`` shipment of a class with rules
    (module docstring); the others unchanged."""
    arrays, views, tt = problem.shipments, problem.classes, problem.timetable
    classes = arrays.table.cargo_class
    todo = np.array([i for i in np.flatnonzero(unreached).tolist()
                     if views.view(classes[i]).changed], dtype=np.int64)
    if todo.size == 0:
        return reasons
    out = reasons.copy()
    # The routes these shipments would take as general cargo, on the shared timetable.
    found = earliest_arrival_batch(tt.arrays, arrays.origin[todo], arrays.ready_h[todo],
                                   arrays.mode_mask[todo], np.arange(todo.size + 1),
                                   arrays.destination[todo])
    codes = tt.hub_codes
    for j, i in enumerate(todo.tolist()):
        view = views.view(classes[i])
        o, d = int(arrays.origin[i]), int(arrays.destination[i])
        if not view.hub_ok[o]:
            detail = view.why_hub[o]
        elif not view.hub_ok[d]:
            detail = view.why_hub[d]
        elif not np.isfinite(found.arrival_h[j]):
            continue  # no route even as general cargo: "no path"
        else:
            lo, hi = found.leg_ptr[j], found.leg_ptr[j + 1]
            detail = _first_refusal(view, found.leg_kind[lo:hi], found.leg_ref[lo:hi], o) or (
                f"every route within the horizon passes a leg or hub that refuses "
                f"{view.cargo_class}")
        out[i] = refused_reason(view, codes[o], detail)
    return out


def _first_refusal(view: ClassView, kind: NDArray[np.int64], ref: NDArray[np.int64],
                   origin: int) -> str:
    """Why ``view``'s class may not take the journey (legs ``kind``, ``ref``), at the first leg
    or handling that refuses it; ``""`` when none does."""
    tt = view.timetable
    link_from = np.repeat(np.arange(tt.n_hubs), np.diff(tt.link_indptr))
    hub = origin
    for k, (kd, r) in enumerate(zip(kind.tolist(), ref.tolist(), strict=True)):
        conn = kd == KIND_CONNECTION
        aboard = (k > 0 and conn and kind[k - 1] == KIND_CONNECTION
                  and tt.conn_next[ref[k - 1]] == r)
        hub = int(tt.conn_from[r]) if conn else int(link_from[r])
        if not aboard and not view.hub_ok[hub]:
            return view.why_hub[hub]
        if conn and not view.service_ok[int(tt.conn_service[r])]:
            return view.why_service[int(tt.conn_service[r])]
        if not conn and not view.link_ok[r]:
            return view.why_link[r]
    return ""

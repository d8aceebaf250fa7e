"""The answer of an MCND solve: design, flows, objective, a valid lower bound and the gap."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..status import SolveStatus


@dataclass(frozen=True)
class MCNDResult:
    """Best design found, with an honest status and a valid lower bound.

    ``open_arcs`` (int64, sorted arc ids) are the arcs opened; ``flows`` (float64, shape
    ``(n_commodities, n_arcs)``) the units of each commodity on each arc. ``objective`` is
    fixed costs of ``open_arcs`` plus unit costs times ``flows``, recomputed from those arrays
    (``inf`` without a solution). ``bound`` is a proven lower bound on the optimum (``-inf``
    when none was computed, ``inf`` when the instance is infeasible). ``seconds`` is the wall
    time of the solve; ``method`` names the phase that found the returned design; ``message``
    explains an infeasible or unknown status.
    """

    status: SolveStatus
    objective: float
    bound: float
    open_arcs: NDArray[np.int64]
    flows: NDArray[np.float64]
    seconds: float
    method: str
    message: str = ""

    @property
    def gap(self) -> float:
        """Relative gap ``(objective - bound) / |objective|`` (0 when equal, inf without both)."""
        if not (math.isfinite(self.objective) and math.isfinite(self.bound)):
            return math.inf
        if self.objective == self.bound:
            return 0.0
        return max(0.0, self.objective - self.bound) / max(abs(self.objective), 1e-12)

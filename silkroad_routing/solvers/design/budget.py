"""The wall-clock budget of one design solve: ``time_limit_s`` seconds for every phase together."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass
class Budget:
    """Seconds left until ``deadline`` (a :func:`time.perf_counter` value), and whether a phase
    was cut short by it or by its share of it (``hit``)."""

    deadline: float
    hit: bool = False

    def left(self) -> float:
        """Seconds left (0 when the deadline has passed)."""
        return max(self.deadline - time.perf_counter(), 0.0)

    def over(self, until: float = math.inf) -> bool:
        """Whether the deadline, or the end of a phase ``until`` if earlier, has passed; if
        so, the solve counts as stopped by the limit."""
        passed = time.perf_counter() >= min(self.deadline, until)
        self.hit |= passed
        return passed

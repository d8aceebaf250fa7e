"""Capacities derived from a network's records: the TEU a day a border crossing takes.

A border crossing states its capacity in trains a day (``crossing_capacity_trains_day``, as
published); freight is counted in TEU. One train there takes the largest ``capacity_teu`` of
the rail services calling at the crossing.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..units import Mode
from .network import Network


def train_teu(network: Network, hub: str) -> float:
    """TEU one train takes across ``hub``: the largest ``capacity_teu`` of the rail services
    calling there (``inf`` when none states one)."""
    teu = [s.capacity_teu for s in network.services
           if s.mode == Mode.RAIL and hub in s.stops and s.capacity_teu is not None]
    return max(teu) if teu else np.inf


def crossing_teu_day(network: Network) -> NDArray[np.float64]:
    """Per hub, the TEU a day that may cross it: trains a day x :func:`train_teu`
    (``inf`` without a limit)."""
    return np.array([np.inf if h.crossing_capacity_trains_day is None
                     else h.crossing_capacity_trains_day * train_teu(network, h.code)
                     for h in network.hubs], dtype=np.float64)

"""Numba kernels on flat arrays (CSR graphs, timetables, packing).

This layer never imports ``model``, ``io`` or ``ortools``: it takes contiguous int64/float64
arrays and returns arrays, so it can be compiled, tested against scipy/networkx and benchmarked
on its own.
"""

from .packing import Packing as Packing
from .packing import best_fit_decreasing as best_fit_decreasing
from .packing import first_fit_decreasing as first_fit_decreasing
from .packing import lower_bound_2d as lower_bound_2d
from .packing import lower_bound_l2 as lower_bound_l2
from .packing import packing_order as packing_order

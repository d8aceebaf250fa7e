"""Numba kernels on flat arrays (CSR graphs, timetables, packing).

This layer never imports ``model``, ``io`` or ``ortools``: it takes contiguous int64/float64
arrays and returns arrays, so it can be compiled, tested against scipy/networkx and benchmarked
on its own.
"""

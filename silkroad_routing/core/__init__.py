"""Numba kernels on flat arrays (CSR graphs, timetables, packing).

This layer never imports ``model``, ``io`` or ``ortools``: it takes contiguous int64/float64
arrays and returns arrays, so it can be compiled, tested against scipy/networkx and benchmarked
on its own.
"""

from .constrained import ConstrainedPath as ConstrainedPath
from .constrained import cheapest_within as cheapest_within
from .csr import reverse_csr as reverse_csr
from .dijkstra import ShortestPath as ShortestPath
from .dijkstra import ShortestPathTree as ShortestPathTree
from .dijkstra import dijkstra as dijkstra
from .dijkstra import shortest_path as shortest_path
from .many import dijkstra_many as dijkstra_many
from .packing import Packing as Packing
from .packing import best_fit_decreasing as best_fit_decreasing
from .packing import first_fit_decreasing as first_fit_decreasing
from .packing import lower_bound_2d as lower_bound_2d
from .packing import lower_bound_l2 as lower_bound_l2
from .packing import packing_order as packing_order
from .pareto import ParetoPaths as ParetoPaths
from .pareto import pareto_paths as pareto_paths
from .paths import Path as Path
from .paths import tree_path as tree_path
from .timetable_arrays import check_timetable as check_timetable
from .timetable_batch import route_batch as route_batch
from .timetable_labels import label_journey as label_journey
from .timetable_labels import pareto_search as pareto_search
from .timetable_profile import earliest_arrival_profile as earliest_arrival_profile
from .timetable_profile import evaluate_profile as evaluate_profile
from .timetable_scan import earliest_arrival as earliest_arrival
from .timetable_scan import earliest_arrival_batch as earliest_arrival_batch
from .timetable_scan import earliest_arrival_journey as earliest_arrival_journey

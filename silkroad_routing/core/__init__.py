"""Numba kernels on flat arrays (CSR graphs, timetables, packing).

This layer never imports ``model``, ``io`` or ``ortools``: it takes contiguous int64/float64
arrays and returns arrays, so it can be compiled, tested against scipy/networkx and benchmarked
on its own.

``graph``: shortest paths on CSR graphs (Dijkstra, many-to-many, Pareto, deadline-constrained).
``timetable``: connection-scan and label-search kernels on a compiled timetable
(:class:`~silkroad_routing.core.timetable.arrays.TimetableArrays`). ``packing``: bin packing.
The array heaps, buffer growth and the prefetch intrinsic are private and shared by both.
"""

from .graph.constrained import ConstrainedPath as ConstrainedPath
from .graph.constrained import cheapest_within as cheapest_within
from .graph.csr import reverse_csr as reverse_csr
from .graph.dijkstra import ShortestPath as ShortestPath
from .graph.dijkstra import ShortestPathTree as ShortestPathTree
from .graph.dijkstra import dijkstra as dijkstra
from .graph.dijkstra import shortest_path as shortest_path
from .graph.many import dijkstra_many as dijkstra_many
from .graph.pareto import ParetoPaths as ParetoPaths
from .graph.pareto import pareto_paths as pareto_paths
from .graph.paths import Path as Path
from .graph.paths import tree_path as tree_path
from .packing import Packing as Packing
from .packing import best_fit_decreasing as best_fit_decreasing
from .packing import first_fit_decreasing as first_fit_decreasing
from .packing import lower_bound_2d as lower_bound_2d
from .packing import lower_bound_l2 as lower_bound_l2
from .packing import packing_order as packing_order
from .timetable.arrays import check_timetable as check_timetable
from .timetable.batch import route_batch as route_batch
from .timetable.labels import label_journey as label_journey
from .timetable.labels import pareto_search as pareto_search
from .timetable.profile import earliest_arrival_profile as earliest_arrival_profile
from .timetable.profile import evaluate_profile as evaluate_profile
from .timetable.scan import earliest_arrival as earliest_arrival
from .timetable.scan import earliest_arrival_batch as earliest_arrival_batch
from .timetable.scan import earliest_arrival_journey as earliest_arrival_journey

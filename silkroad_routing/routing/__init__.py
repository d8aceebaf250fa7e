"""Timetable routing of shipments: ``route(network, shipments, objective) -> Plan``; travel-time
and cost matrices over a window of ready times; the arrive-by search."""

from .router import OBJECTIVES as OBJECTIVES
from .router import route as route
from .travel_matrix import TravelMatrix as TravelMatrix
from .travel_matrix import latest_ready as latest_ready
from .travel_matrix import matrix as matrix

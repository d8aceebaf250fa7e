"""Timetable routing of shipments: ``route(network, shipments, objective) -> Plan``."""

from .router import OBJECTIVES as OBJECTIVES
from .router import route as route

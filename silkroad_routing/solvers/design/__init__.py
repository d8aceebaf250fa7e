"""Service network design: which optional departures to run and how every shipment goes.

:func:`solve_design` works on a :class:`DesignProblem` (arrays over a compiled timetable);
``silkroad_routing.design`` builds one from a network and shipments and returns a Plan.
"""

from .commodities import group_identical as group_identical
from .problem import DesignProblem as DesignProblem
from .solve import DesignSolution as DesignSolution
from .solve import solve_design as solve_design

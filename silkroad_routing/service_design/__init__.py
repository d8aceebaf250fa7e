"""Service network design on a Network: ``design(network, shipments) -> Design``.

Builds the arrays of :mod:`silkroad_routing.solvers.design` from a network and shipments,
solves, and returns the opened departures with a routed :class:`~silkroad_routing.Plan`, the
objective's parts, a lower bound and the report tables.
"""

from .design import design as design
from .report import DesignReport as DesignReport
from .result import Design as Design
from .result import DesignSummary as DesignSummary

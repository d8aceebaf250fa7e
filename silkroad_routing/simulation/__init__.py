"""Play a plan out under uncertainty (P(on time), arrival percentiles, rebooking); route for it."""

from .defaults import default_uncertainty as default_uncertainty
from .defaults import merge_uncertainty as merge_uncertainty
from .reliable import CANDIDATE_COLUMNS as CANDIDATE_COLUMNS
from .reliable import EXPECTED_COST_RULE as EXPECTED_COST_RULE
from .reliable import ReliableRoutes as ReliableRoutes
from .reliable import route_expected as route_expected
from .reliable import route_reliable as route_reliable
from .simulate import CORRIDOR_RELIABILITY_COLUMNS as CORRIDOR_RELIABILITY_COLUMNS
from .simulate import DEPARTURE_RELIABILITY_COLUMNS as DEPARTURE_RELIABILITY_COLUMNS
from .simulate import SHIPMENT_RELIABILITY_COLUMNS as SHIPMENT_RELIABILITY_COLUMNS
from .simulate import Reliability as Reliability
from .simulate import simulate as simulate

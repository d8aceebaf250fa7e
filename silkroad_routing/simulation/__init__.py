"""Play a plan out under uncertainty: on-time probability, arrival percentiles, rebooking."""

from .simulate import DEPARTURE_RELIABILITY_COLUMNS as DEPARTURE_RELIABILITY_COLUMNS
from .simulate import SHIPMENT_RELIABILITY_COLUMNS as SHIPMENT_RELIABILITY_COLUMNS
from .simulate import Reliability as Reliability
from .simulate import simulate as simulate

"""The one bridge from the model to arrays: Network + shipments -> a prepared Problem (CSR graph,
timetable connections, shipment arrays, costs and capacities)."""

from ..core.timetable.arrays import TimetableArrays as TimetableArrays
from .problem import Problem as Problem
from .problem import prepare as prepare
from .shipments import ShipmentArrays as ShipmentArrays
from .static import StaticGraph as StaticGraph
from .static import compile_static as compile_static
from .tariffs import QUANTITY_COLUMNS as QUANTITY_COLUMNS
from .tariffs import quantity_vector as quantity_vector
from .tariffs import rate_vector as rate_vector
from .timetable import Timetable as Timetable
from .timetable import compile_timetable as compile_timetable

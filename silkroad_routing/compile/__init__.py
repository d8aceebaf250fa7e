"""The one bridge from the model to arrays: Network -> CSR graph and timetable connections."""

from .static import StaticGraph as StaticGraph
from .static import compile_static as compile_static
from .tariffs import QUANTITY_COLUMNS as QUANTITY_COLUMNS
from .tariffs import quantity_vector as quantity_vector
from .tariffs import rate_vector as rate_vector

"""Consolidation: pack a routed plan's shipments into containers, ULDs and trailers per
leg-departure, put the units on their trains and freighters, and price the plan by its units
(``sr.consolidate(network, plan, shipments) -> Consolidation``)."""

from .carriers import CHINA_EUROPE_MAX_TRAIN_LOAD_KG as CHINA_EUROPE_MAX_TRAIN_LOAD_KG
from .choice import DEFAULT_UNITS as DEFAULT_UNITS
from .choice import UnitChoice as UnitChoice
from .consolidate import DEFAULT_AIRCRAFT as DEFAULT_AIRCRAFT
from .consolidate import DEFAULT_WAGONS as DEFAULT_WAGONS
from .consolidate import consolidate as consolidate
from .consolidate import unit_quantities as unit_quantities
from .result import ALLOCATION_COLUMNS as ALLOCATION_COLUMNS
from .result import DEPARTURE_COLUMNS as DEPARTURE_COLUMNS
from .result import SHIPMENT_COLUMNS as SHIPMENT_COLUMNS
from .result import UNIT_COLUMNS as UNIT_COLUMNS
from .result import Consolidation as Consolidation
from .result import ConsolidationSummary as ConsolidationSummary

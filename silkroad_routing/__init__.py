"""silkroad-routing: multimodal freight routing on the four silk roads out of Zhengzhou.

Air cargo, China–Europe block trains, sea-rail and TIR trucking as one time-and-cost graph:
route shipments, consolidate them into units, choose which charters and block trains to run,
and compare options side by side.
"""

import logging

from .consolidate import Consolidation as Consolidation
from .consolidate import consolidate as consolidate
from .errors import InfeasibleError as InfeasibleError
from .errors import InputError as InputError
from .errors import NetworkError as NetworkError
from .errors import ScenarioError as ScenarioError
from .errors import SilkroadError as SilkroadError
from .io import list_networks as list_networks
from .io import load_network as load_network
from .model import CargoClass as CargoClass
from .model import Hub as Hub
from .model import HubKind as HubKind
from .model import Link as Link
from .model import Network as Network
from .model import Service as Service
from .model import Shipment as Shipment
from .model import Source as Source
from .model import TransferRule as TransferRule
from .plan import Plan as Plan
from .routing import route as route
from .scenario import Scenario as Scenario
from .scenario import ScenarioResult as ScenarioResult
from .scenario import load_scenario as load_scenario
from .scenario import run_scenario as run_scenario
from .service_design import Design as Design
from .service_design import design as design
from .sweep import CompareResult as CompareResult
from .sweep import SweepResult as SweepResult
from .sweep import compare as compare
from .sweep import sweep as sweep
from .units import Mode as Mode
from .units import PricingBasis as PricingBasis

__version__ = "0.1.0"

# A library adds only a NullHandler; applications configure logging.
logging.getLogger(__name__).addHandler(logging.NullHandler())

"""silkroad-routing: multimodal freight routing on the four silk roads out of Zhengzhou.

Air cargo, China–Europe block trains, sea-rail and TIR trucking as one time-and-cost graph:
route shipments, consolidate them into units, choose which charters and block trains to run,
and compare options side by side.

The model, errors and network loading are imported eagerly; the heavier layers (routing with
Numba and pandas, the OR-Tools solvers, scenarios, sweeps) load on first use, so that
``import silkroad_routing`` stays fast for a command that only reads a network.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from .errors import InputError as InputError
from .errors import NetworkError as NetworkError
from .errors import ScenarioError as ScenarioError
from .errors import SilkroadError as SilkroadError
from .io import list_networks as list_networks
from .io import load_network as load_network
from .model import CargoClass as CargoClass
from .model import Costs as Costs
from .model import Hub as Hub
from .model import HubKind as HubKind
from .model import Link as Link
from .model import Network as Network
from .model import Service as Service
from .model import Shipment as Shipment
from .model import SolverParams as SolverParams
from .model import Source as Source
from .model import TransferRule as TransferRule
from .units import Mode as Mode
from .units import PricingBasis as PricingBasis

if TYPE_CHECKING:
    from .comparison import CompareResult as CompareResult
    from .comparison import SweepResult as SweepResult
    from .comparison import compare as compare
    from .comparison import sweep as sweep
    from .compile import Problem as Problem
    from .compile import prepare as prepare
    from .consolidation import Consolidation as Consolidation
    from .consolidation import consolidate as consolidate
    from .plan import Plan as Plan
    from .routing import TravelMatrix as TravelMatrix
    from .routing import latest_ready as latest_ready
    from .routing import matrix as matrix
    from .routing import route as route
    from .scenario import Scenario as Scenario
    from .scenario import ScenarioResult as ScenarioResult
    from .scenario import load_scenario as load_scenario
    from .scenario import run_scenario as run_scenario
    from .service_design import Design as Design
    from .service_design import design as design
    from .simulation import Reliability as Reliability
    from .simulation import ReliableRoutes as ReliableRoutes
    from .simulation import default_uncertainty as default_uncertainty
    from .simulation import route_expected as route_expected
    from .simulation import route_reliable as route_reliable
    from .simulation import simulate as simulate

__version__ = "0.1.0"

#: Public names loaded above: the re-exports and the subpackages they came from (``sr.io``),
#: not the helpers this module uses (``importlib``, ``Any``, ``TYPE_CHECKING``).
_EAGER: frozenset[str] = frozenset(
    name for name, value in globals().items() if not name.startswith("_")
    and (getattr(value, "__module__", None) or getattr(value, "__name__", "")).startswith(
        f"{__name__}."))

#: Public names loaded on first use: name -> (module, attribute or None for the module itself).
#: No public name may share its name with a subpackage: importing the subpackage would shadow it.
_LAZY: dict[str, tuple[str, str | None]] = {
    "compile": (".compile", None),
    "core": (".core", None),
    "solvers": (".solvers", None),
    "Problem": (".compile", "Problem"),
    "prepare": (".compile", "prepare"),
    "Consolidation": (".consolidation", "Consolidation"),
    "consolidate": (".consolidation", "consolidate"),
    "Plan": (".plan", "Plan"),
    "route": (".routing", "route"),
    "matrix": (".routing", "matrix"),
    "latest_ready": (".routing", "latest_ready"),
    "TravelMatrix": (".routing", "TravelMatrix"),
    "Scenario": (".scenario", "Scenario"),
    "ScenarioResult": (".scenario", "ScenarioResult"),
    "load_scenario": (".scenario", "load_scenario"),
    "run_scenario": (".scenario", "run_scenario"),
    "Design": (".service_design", "Design"),
    "design": (".service_design", "design"),
    "CompareResult": (".comparison", "CompareResult"),
    "SweepResult": (".comparison", "SweepResult"),
    "compare": (".comparison", "compare"),
    "sweep": (".comparison", "sweep"),
    "Reliability": (".simulation", "Reliability"),
    "simulate": (".simulation", "simulate"),
    "ReliableRoutes": (".simulation", "ReliableRoutes"),
    "route_reliable": (".simulation", "route_reliable"),
    "route_expected": (".simulation", "route_expected"),
    "default_uncertainty": (".simulation", "default_uncertainty"),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """The public names only: not the helpers this module imports (``importlib``, ``Any``)."""
    return sorted({*_EAGER, *_LAZY, "__version__"})


# A library adds only a NullHandler; applications configure logging.
logging.getLogger(__name__).addHandler(logging.NullHandler())

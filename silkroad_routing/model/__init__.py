"""Plain typed data: hubs, links, services, shipments, transfer rules and the network."""

from .cargo_rules import RESTRICTED_CLASSES as RESTRICTED_CLASSES
from .cargo_rules import ClassRule as ClassRule
from .cargo_rules import RuleScope as RuleScope
from .hub import Hub as Hub
from .hub import HubKind as HubKind
from .link import Link as Link
from .mcnd import MCNDInstance as MCNDInstance
from .network import Network as Network
from .network import Source as Source
from .network import source_columns as source_columns
from .network import source_keys as source_keys
from .params import Costs as Costs
from .params import SolverParams as SolverParams
from .process import GENERAL_REGIME as GENERAL_REGIME
from .process import ProcessRule as ProcessRule
from .process import ProcessStage as ProcessStage
from .regime import REGIME_RULES as REGIME_RULES
from .regime import Regime as Regime
from .regime import RegimeRule as RegimeRule
from .service import Service as Service
from .shipment import CargoClass as CargoClass
from .shipment import Shipment as Shipment
from .transfer import ANY_HUB as ANY_HUB
from .transfer import TransferRule as TransferRule

"""OR-Tools models: multicommodity network design, service network design, load planning."""

from ._scaling import ScalingWarning as ScalingWarning
from .design import DesignProblem as DesignProblem
from .design import DesignSolution as DesignSolution
from .design import solve_design as solve_design
from .freighter_load import FreighterLoad as FreighterLoad
from .freighter_load import Position as Position
from .freighter_load import load_freighter as load_freighter
from .mcnd import MCNDResult as MCNDResult
from .mcnd import solve_mcnd as solve_mcnd
from .mcnd import solve_mcnd_arc_mip as solve_mcnd_arc_mip
from .packing import PackingResult as PackingResult
from .packing import Segregation as Segregation
from .packing import segregate as segregate
from .packing import solve_packing as solve_packing
from .status import SolveStatus as SolveStatus
from .train_makeup import TrainMakeup as TrainMakeup
from .train_makeup import make_up_train as make_up_train

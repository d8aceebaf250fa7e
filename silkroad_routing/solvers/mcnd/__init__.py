"""Multicommodity capacitated fixed-charge network design (MCND) with OR-Tools MathOpt.

:func:`solve_mcnd` is the method (column generation with strong cuts, slope scaling, restricted
and full MIPs); :func:`solve_mcnd_arc_mip` the plain arc-based MIP it is benchmarked against.
"""

from .arc_mip import solve_mcnd_arc_mip as solve_mcnd_arc_mip
from .result import MCNDResult as MCNDResult
from .solve import solve_mcnd as solve_mcnd

"""Many runs of a scenario side by side: ``sr.compare`` (the scenario and its variants, one KPI
table with differences and a chart) and ``sr.sweep`` (grids of overrides and Monte-Carlo draws
on a local process pool or a Dask cluster)."""

from .compare import CompareResult as CompareResult
from .compare import compare as compare
from .sweep import SweepResult as SweepResult
from .sweep import sweep as sweep

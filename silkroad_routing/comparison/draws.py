"""Monte-Carlo draws of dwell and running times from a scenario's ``uncertainty`` section.

Each distribution draws the edit field at the same place in ``edits`` (see
:class:`~silkroad_routing.scenario.schema.Uncertainty`). Every field has its own NumPy stream,
seeded with ``(seed, sample, crc32(path))``: the same seed gives the same draws on any machine,
adding a distribution leaves the others' draws unchanged, and every option of a sweep meets the
same draws in the same sample (common random numbers, so differences between options are not
noise between samples).
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from ..scenario.schema import Distribution, Lognormal, Triangular, Uncertainty, Uniform

#: The sections of ``uncertainty`` and of ``edits`` they draw into.
SECTIONS = ("hubs", "modes", "links", "services", "passages")


def draw(distribution: Distribution, rng: np.random.Generator) -> float:
    """One value from ``distribution``."""
    if isinstance(distribution, Lognormal):
        return float(distribution.median * math.exp(distribution.sigma * rng.standard_normal()))
    if isinstance(distribution, Triangular):
        return float(rng.triangular(distribution.low, distribution.mode, distribution.high))
    if isinstance(distribution, Uniform):
        return float(rng.uniform(distribution.low, distribution.high))
    raise TypeError(f"not a distribution: {distribution!r}")


def drawn_paths(uncertainty: Uncertainty | None) -> list[str]:
    """The edit paths the section draws, sorted (``edits.hubs.BRE-MAL.extra_dwell_h``, ...)."""
    return sorted(_distributions(uncertainty))


def _distributions(uncertainty: Uncertainty | None) -> dict[str, Distribution]:
    if uncertainty is None:
        return {}
    found: dict[str, Distribution] = {}
    for section in SECTIONS:
        for key, spec in getattr(uncertainty, section).items():
            for name in type(spec).model_fields:
                distribution = getattr(spec, name)
                if distribution is not None:
                    found[f"edits.{section}.{key}.{name}"] = distribution
    return found


def draw_edits(uncertainty: Uncertainty | None, seed: int, sample: int) -> dict[str, float]:
    """The values of sample ``sample`` (0, 1, ...) with ``seed``, by edit path, sorted."""
    if seed < 0 or sample < 0:
        raise ValueError(f"seed and sample must be non-negative (got {seed}, {sample})")
    found = _distributions(uncertainty)
    return {path: draw(found[path], np.random.default_rng([seed, sample, zlib.crc32(path.encode())]))
            for path in sorted(found)}

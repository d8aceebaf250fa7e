"""Monte-Carlo draws of dwell and running times from a scenario's ``uncertainty`` section.

Each distribution draws the edit field at the same place in ``edits`` (see
:class:`~silkroad_routing.scenario.schema.Uncertainty`). Every field has its own NumPy stream,
seeded with ``(seed, sample, crc32(path))``: the same seed gives the same draws on any machine,
adding a distribution leaves the others' draws unchanged, and every option of a sweep meets the
same draws in the same sample (common random numbers, so differences between options are not
noise between samples).
"""

from __future__ import annotations

import zlib

import numpy as np
from numpy.typing import NDArray

from ..scenario.schema import Distribution, Lognormal, Triangular, Uncertainty, Uniform

#: The sections of ``uncertainty`` and of ``edits`` they draw into.
SECTIONS = ("hubs", "modes", "links", "services", "passages")


def draw(distribution: Distribution, rng: np.random.Generator) -> float:
    """One value from ``distribution``."""
    return float(draw_array(distribution, rng, 1)[0])


def draw_array(distribution: Distribution, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
    """``size`` values from ``distribution`` (the first is what :func:`draw` gives)."""
    if isinstance(distribution, Lognormal):
        return distribution.median * np.exp(distribution.sigma * rng.standard_normal(size))
    if isinstance(distribution, Triangular):
        return rng.triangular(distribution.low, distribution.mode, distribution.high, size)
    if isinstance(distribution, Uniform):
        return rng.uniform(distribution.low, distribution.high, size)
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
                # Other fields (a cancellation probability) are no edit to draw.
                if isinstance(distribution, Lognormal | Triangular | Uniform):
                    found[f"edits.{section}.{key}.{name}"] = distribution
    return found


def draw_edits(uncertainty: Uncertainty | None, seed: int, sample: int) -> dict[str, float]:
    """The values of sample ``sample`` (0, 1, ...) with ``seed``, by edit path, sorted."""
    if seed < 0 or sample < 0:
        raise ValueError(f"seed and sample must be non-negative (got {seed}, {sample})")
    found = _distributions(uncertainty)
    return {path: draw(found[path], np.random.default_rng([seed, sample, zlib.crc32(path.encode())]))
            for path in sorted(found)}

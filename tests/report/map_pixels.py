"""Counting the pixels of a colour in a rendered map (the PNG map and the browser screenshot)."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb


def colour_pixels(image: np.ndarray, colour: str, tolerance: float) -> int:
    """Pixels of ``image`` (H x W x 3 or 4, floats in 0-1) whose RGB channels are all within
    ``tolerance`` of ``colour`` (a hex string)."""
    target = np.asarray(to_rgb(colour))
    return int((np.abs(image[..., :3] - target).max(axis=-1) <= tolerance).sum())

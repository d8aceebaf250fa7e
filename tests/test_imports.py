"""Every public name loads first in a fresh interpreter: no import cycle between the layers
hides behind the order in which other tests happened to import them."""

from __future__ import annotations

import subprocess
import sys

import pytest

import silkroad_routing as sr


@pytest.mark.parametrize("name", sorted(sr._LAZY))
def test_each_lazy_name_loads_first(name: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import silkroad_routing as sr; sr.{name}"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]

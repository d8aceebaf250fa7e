"""Fixtures for scenario tests: the mini scenario (tests/data/mini_scenario.yaml) as text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def mini_scenario_text() -> str:
    """A valid scenario on the mini network, with the network's absolute path (copyable)."""
    text = (DATA / "mini_scenario.yaml").read_text(encoding="utf-8")
    return text.replace("network: mini_network", f"network: {(DATA / 'mini_network').resolve()}")


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """``write_scenario(text, name="s.yaml") -> path`` in the test's temporary folder."""

    def write(text: str, name: str = "s.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write

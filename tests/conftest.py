"""Shared test configuration: deterministic Hypothesis runs and the small test network."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Seeded, reproducible property tests: the same examples on every run and every machine.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("ci")

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini_network_dir() -> Path:
    """A tiny valid network folder (made-up numbers) for loader, compile and CLI tests."""
    return DATA / "mini_network"

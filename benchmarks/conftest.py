"""Benchmark options: ``--bench-size=small`` (default, run by every ``pytest``) or ``full``.

The default run executes each benchmark once on small sizes with ``--benchmark-disable``;
``pytest benchmarks --bench-size=full --benchmark-enable`` measures the full sizes. Speed targets
are ratios against a peer measured in the same run, recorded in ``benchmark.extra_info``.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--bench-size", choices=("small", "full"), default="small",
        help="benchmark instance sizes: small (default, quick) or full (the published targets)",
    )


@pytest.fixture
def bench_size(request: pytest.FixtureRequest) -> str:
    """``"small"`` or ``"full"``, from ``--bench-size``."""
    return request.config.getoption("--bench-size")

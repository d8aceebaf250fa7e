"""Shared test configuration: deterministic Hypothesis runs."""

from hypothesis import HealthCheck, settings

# Seeded, reproducible property tests: the same examples on every run and every machine.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("ci")

"""Fixtures for the report tests: the bundled network and a small Pareto plan on it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import silkroad_routing as sr
from silkroad_routing.plan import Plan

READY = datetime(2026, 11, 3, tzinfo=UTC)
#: One shipment per road out of Zhengzhou (id, origin, destination, kg, m3, modes allowed).
SHIPMENTS = (
    ("A1", "CGO", "LUX", 800.0, 4.0, {"air"}),
    ("A2", "CGO", "ORD", 1500.0, 8.0, {"air"}),  # over the Bering Strait: crosses 180 degrees
    ("R1", "CNCGO", "DEDUI", 12_000.0, 60.0, {"rail"}),
    ("S1", "CNCGO", "NLRTM", 20_000.0, 60.0, {"sea", "rail"}),
    ("T1", "CNCGO-BZ", "PLWAW", 15_000.0, 60.0, {"road"}),
)


@pytest.fixture(scope="session")
def four_roads() -> sr.Network:
    """The bundled network."""
    return sr.load_network("four_roads")


def shipments(rows: tuple[tuple[str, str, str, float, float, set[str]], ...] = SHIPMENTS
              ) -> list[sr.Shipment]:
    """Shipments ready on :data:`READY` from rows like :data:`SHIPMENTS`."""
    return [sr.Shipment(id=i, origin=o, destination=d, ready=READY, weight_kg=kg, volume_m3=m3,
                        modes=frozenset(modes)) for i, o, d, kg, m3, modes in rows]


@pytest.fixture(scope="session")
def pareto_plan(four_roads: sr.Network) -> Plan:
    """:data:`SHIPMENTS` routed with the Pareto objective: every mode is used, and the sea-rail
    shipment has several options (the plan keeps one)."""
    return sr.route(four_roads, shipments(), objective="pareto")


@pytest.fixture(scope="session")
def empty_plan(four_roads: sr.Network) -> Plan:
    """A plan whose only shipment has no route (trucks cannot reach Chicago)."""
    plan = sr.route(four_roads, shipments((("X1", "CGO", "ORD", 500.0, 2.0, {"road"}),)))
    assert plan.legs.empty
    return plan

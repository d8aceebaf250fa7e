"""Fixtures: shipments on the mini network routed once, consolidated once per setting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from consolidation_reference import MINI

import silkroad_routing as sr

DAY = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday: AIR1 leaves CGO at 02:30, RAIL1 Tuesday


def _at(day: int, hour: int = 0) -> datetime:
    return DAY.replace(day=DAY.day + day, hour=hour)


def _ship(sid: str, origin: str, dest: str, ready: datetime, kg: float, m3: float,
          cls: str = "general", modes: tuple[str, ...] = ("rail",), **extra: object) -> sr.Shipment:
    return sr.Shipment(id=sid, origin=origin, destination=dest, ready=ready, weight_kg=kg,
                       volume_m3=m3, cargo_class=cls, modes=frozenset(modes), **extra)


def mixed_shipments() -> list[sr.Shipment]:
    """Rail, truck-and-rail and air shipments of every class, full and part loads."""
    rail = [  # ZZRT -> DEHAM on RAIL1 of Tuesday 3 November
        ("R-G1", 2000, 12, "general"), ("R-G2", 5000, 25, "general"), ("R-G3", 800, 6, "general"),
        ("R-G4", 12000, 20, "general"), ("R-G5", 3000, 30, "general"),
        ("R-G6", 1500, 10, "general"), ("R-E1", 2500, 18, "ecommerce"),
        ("R-E2", 600, 4, "ecommerce"), ("R-C1", 4000, 15, "cold_chain"),
        ("R-C2", 3000, 12, "cold_chain"), ("R-C3", 8000, 40, "cold_chain"),
        ("R-D1", 1000, 3, "dangerous_goods"), ("R-D2", 2000, 5, "dangerous_goods"),
        ("R-P1", 1500, 6, "pharma"), ("R-P2", 900, 4, "pharma"),
    ]
    out = [_ship(s, "ZZRT", "DEHAM", DAY, kg, m3, cls) for s, kg, m3, cls in rail]
    out.append(_ship("R-F1", "ZZRT", "DEHAM", DAY, 30000, 100, units_feu=2))
    # A train two weeks later: one thin part load alone (a box would cost far more than LCL).
    out.append(_ship("R-T1", "ZZRT", "DEHAM", _at(14), 300, 1))
    # Trucks CGO -> ZZRT, then rail: two in the first day's window, one the next day.
    for sid, ready, kg, m3 in (("T-1", _at(0, 1), 3000, 20), ("T-2", _at(0, 5), 2000, 15),
                               ("T-3", _at(1, 1), 2500, 20)):
        out.append(_ship(sid, "CGO", "DEHAM", ready, kg, m3, modes=("road", "rail")))
    air = [  # CGO -> LUX on AIR1 of Monday 2 November
        ("A-E1", 350, 2.3, "ecommerce"), ("A-E2", 420, 2.8, "ecommerce"),
        ("A-E3", 300, 2.0, "ecommerce"), ("A-E4", 500, 3.3, "ecommerce"),
        ("A-E5", 380, 2.5, "ecommerce"), ("A-G1", 3000, 2.0, "general"),
        ("A-B1", 5000, 30.0, "general"),  # larger than a PMC: cut into three pieces
        ("A-C1", 400, 1.5, "cold_chain"), ("A-C2", 450, 1.8, "cold_chain"),
        ("A-D1", 800, 2.0, "dangerous_goods"), ("A-P1", 300, 1.2, "pharma"),
    ]
    out += [_ship(s, "CGO", "LUX", DAY, kg, m3, cls, modes=("air",)) for s, kg, m3, cls in air]
    # Thursday's flight: a first-fit-decreasing trap (4/10 x 2 and 3/10 x 4 of a PMC's payload,
    # weight-dominated): FFD needs three pallets, two suffice.
    pmc_kg = 6804.0
    for k, share in enumerate((0.4, 0.4, 0.3, 0.3, 0.3, 0.3)):
        out.append(_ship(f"A-F{k + 1}", "CGO", "LUX", _at(2), share * pmc_kg, 0.5,
                         modes=("air",)))
    return out


@pytest.fixture(scope="session")
def mini_network() -> sr.Network:
    return sr.load_network(MINI)


@pytest.fixture(scope="session")
def mixed(mini_network: sr.Network) -> tuple[list[sr.Shipment], sr.Plan]:
    shipments = mixed_shipments()
    plan = sr.route(mini_network, shipments, objective="cheapest")
    assert plan.n_routed == len(shipments)
    return shipments, plan


@pytest.fixture(scope="session")
def consolidated(mini_network: sr.Network,
                 mixed: tuple[list[sr.Shipment], sr.Plan]) -> sr.Consolidation:
    shipments, plan = mixed
    return sr.consolidate(mini_network, plan, shipments, exact=True,
                          params=sr.SolverParams(time_limit_s=10.0))

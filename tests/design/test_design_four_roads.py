"""``sr.design`` on the bundled network: a sensible peak, and the right reactions to demand and
fixed cost.

The demand is a December week of e-commerce exports from the Zhengzhou bonded zone to Liege and
Frankfurt (5 t each, due a week after they are ready plus the destination's import clearance
and release, networks/four_roads/process.csv). Liege and Frankfurt have no scheduled
freighter from Zhengzhou; freight flies to Luxembourg and is trucked on, at 5.52 USD per
chargeable kg. The optional charters (105 t for 161,000 USD a run) beat that from about 29 t a
run. What counts as *sensible* here:

* some optional departures open, but not all the horizon offers (a few charters, no block
  train: nobody ships by rail to Liege or Frankfurt in this demand), and only charters;
* every opened departure carries at least half its capacity;
* the design costs less than the best plan on the scheduled services alone, and when the
  scheduled flights cannot carry the peak (cut to 2 t a flight: no 5 t shipment fits) that best plan
  leaves shipments late or unserved while the design serves everything on time.

(For the last point every scheduled flight out of Zhengzhou is cut to 2 t.)

Every design is also re-checked as in :mod:`test_design_tiny` (valid routes, capacities, the
objective recomputed).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from design_reference import Penalties, recompute

import silkroad_routing as sr
from silkroad_routing.edits import set_service_capacity

START = datetime(2026, 12, 7, tzinfo=UTC)
DAYS = 21
PENALTIES = Penalties(value_of_time_pct_per_year=8.0, co2_price_usd_per_t=90.0,
                      lateness_penalty_usd_per_t_h=50.0, unserved_penalty_usd_per_kg=20.0)


@pytest.fixture(scope="module")
def four_roads() -> sr.Network:
    return sr.load_network("four_roads")


def release_h(destination: str) -> float:
    """Import clearance and release of air freight at ``destination`` (hours)."""
    rule = sr.load_network("four_roads").process_rule(destination, sr.Mode.AIR,
                                                      sr.model.ProcessStage.IMPORT)
    return rule.hours if rule else 0.0


def peak(copies: int = 1) -> list[sr.Shipment]:
    """16 shipments of 5 t, one every 9 hours, alternately to Liege and Frankfurt airports;
    ``copies`` times over."""
    release = {code: timedelta(hours=release_h(code)) for code in ("LGG", "FRA")}
    out = []
    for c in range(copies):
        for i in range(16):
            ready = START + timedelta(hours=6 + 9 * i)
            out.append(sr.Shipment(
                id=f"e{c}-{i:02d}", origin="CNCGO-BZ", destination=("LGG", "FRA")[i % 2],
                ready=ready, due=ready + timedelta(days=7) + release[("LGG", "FRA")[i % 2]],
                weight_kg=5000.0, volume_m3=30.0,
                cargo_class="ecommerce", declared_value_usd=100_000.0,
                modes=frozenset({"air", "rail", "road"})))
    return out


def rebuilt(network: sr.Network, **changes: object) -> sr.Network:
    fields = {name: getattr(network, name) for name in type(network).model_fields}
    return sr.Network(**{**fields, **changes})


def run(network: sr.Network, shipments: list[sr.Shipment]) -> sr.Design:
    design = sr.design(network, shipments, start=START, days=DAYS, costs=PENALTIES.costs(),
                       params=sr.SolverParams(time_limit_s=20, seed=1))
    parts = recompute(network, shipments, design, START, DAYS, PENALTIES)
    assert design.objective == pytest.approx(sum(parts.values()), rel=1e-9)
    assert design.bound <= design.objective + 1e-6
    return design


def opened_kg(design: sr.Design) -> float:
    return float(design.departures["capacity_kg"].fillna(0).sum()
                 + 26_500 / 2 * design.departures["capacity_teu"].fillna(0).sum())


def test_peak_design_is_sensible(four_roads: sr.Network) -> None:
    shipments = peak()
    design = run(four_roads, shipments)
    regular = run(rebuilt(four_roads, services=tuple(
        s for s in four_roads.services if not s.optional)), shipments)
    assert 1 <= len(design.departures) < design.candidates
    assert set(design.departures["mode"]) == {"air"}
    assert set(design.departures["service_id"]) <= {"O-A-CGO-LGG", "O-A-CGO-FRA", "O-A-CGO-LUX"}
    assert (design.departures["utilisation"] >= 0.5).all()
    assert design.objective < regular.objective


def test_charters_carry_the_peak_when_scheduled_flights_cannot(four_roads: sr.Network) -> None:
    shipments = peak()
    squeezed = four_roads
    for service in four_roads.services:
        if service.mode == "air" and service.stops[0] == "CGO" and not service.optional:
            squeezed = set_service_capacity(squeezed, service.id, capacity_kg=2_000.0)
    design = run(squeezed, shipments)
    regular = run(rebuilt(squeezed, services=tuple(
        s for s in squeezed.services if not s.optional)), shipments)
    assert len(regular.late) + len(regular.unserved) > 0
    assert design.late.empty and design.unserved.empty
    assert design.objective < regular.objective
    assert (design.departures["utilisation"] >= 0.5).all()


def test_doubling_demand_opens_more_capacity(four_roads: sr.Network) -> None:
    single, double = run(four_roads, peak(1)), run(four_roads, peak(2))
    assert opened_kg(double) > opened_kg(single) > 0


def test_higher_fixed_cost_opens_less(four_roads: sr.Network) -> None:
    dear = rebuilt(four_roads, services=tuple(
        s.model_copy(update={"fixed_cost_usd_per_run": 3 * s.fixed_cost_usd_per_run})
        if s.optional else s for s in four_roads.services))
    shipments = peak(2)
    cheap, costly = run(four_roads, shipments), run(dear, shipments)
    assert opened_kg(costly) < opened_kg(cheap)
    assert costly.costs["fixed_usd"] <= 3 * cheap.costs["fixed_usd"]

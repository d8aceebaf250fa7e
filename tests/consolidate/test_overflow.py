"""Departures with more freight than their vehicle takes: overflow is reported, never hidden."""

from __future__ import annotations

from datetime import UTC, datetime

from consolidation_checks import EQUIPMENT, SERVICES, check_vehicles

import silkroad_routing as sr

DAY = datetime(2026, 11, 2, tzinfo=UTC)


def test_overflow_on_a_full_train_and_a_full_freighter(mini_network: sr.Network) -> None:
    n_boxes, n_pallets = 50, 20
    shipments = [sr.Shipment(id=f"F{k:02d}", origin="ZZRT", destination="DEHAM", ready=DAY,
                             weight_kg=10_000, volume_m3=30, units_feu=1,
                             modes=frozenset({"rail"})) for k in range(n_boxes)]
    # Dense air freight: one full-weight PMC each (6,000 kg of a 6,804 kg maximum gross).
    shipments += [sr.Shipment(id=f"P{k:02d}", origin="CGO", destination="LUX", ready=DAY,
                              weight_kg=6_000, volume_m3=4, modes=frozenset({"air"}))
                  for k in range(n_pallets)]
    # Booked as if each travelled alone, so that the departures overflow.
    plan = sr.route(mini_network, shipments, capacity="ignore")
    cons = sr.consolidate(mini_network, plan, shipments)
    check_vehicles(cons, plan)
    d = cons.departures.set_index("leg_departure")
    # Rail: 90 TEU per departure takes 45 of the 50 FEU (23 wagons of 26.39 m and a locomotive
    # make 626 m, 45 boxes of 13.9 t make 624 t: neither length nor load binds).
    capacity_teu = float(SERVICES["RAIL1"]["capacity_teu"])
    loaded_feu = int(capacity_teu // 2)
    for key in ("RAIL1@2026-11-03/ZZRT>BRE-MAL", "RAIL1@2026-11-03/BRE-MAL>DEHAM"):
        assert d.at[key, "units"] == n_boxes
        assert d.at[key, "overflow_units"] == n_boxes - loaded_feu
        assert d.at[key, "wagons"] == -(-loaded_feu // 2)
    # Air: the payload (the service's 100 t, below the 747-8F's 140 t) takes 16 pallets.
    payload = min(float(SERVICES["AIR1"]["capacity_kg"]), float(EQUIPMENT["B748F"]["payload_kg"]))
    flight = d.loc["AIR1@2026-11-02/CGO>LUX"]
    assert flight["units"] == n_pallets
    assert flight["overflow_units"] == n_pallets - int(payload // 6_000)
    assert flight["overflow_kg"] == 6_000.0 * flight["overflow_units"]
    summary = cons.summary
    assert summary["overflow_units"] == int(d["overflow_units"].sum())
    assert summary["departures_with_overflow"] == 3
    # Overflow is reported, and its units stay priced as routed.
    assert cons.cost_after_usd == cons.units["cost_usd"].sum()

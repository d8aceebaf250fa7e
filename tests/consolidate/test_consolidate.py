"""sr.consolidate on the mini network, checked against the network and equipment files.

Every check recomputes from the CSV files (tariffs, unit, wagon and aircraft figures) and from
the plan's legs: unit prices, costs before and after, allocation, capacities, class rules, and
exact unit counts by brute force.
"""

from __future__ import annotations

from collections import defaultdict

import consolidation_reference as ref
import numpy as np
import pandas as pd
import pytest
from consolidation_checks import (
    EQUIPMENT,
    GROUPS,
    REEFER_GROUPS,
    check_vehicles,
    is_full_load,
    pieces_of,
    unit_loads,
)

import silkroad_routing as sr
from silkroad_routing.consolidation import UnitChoice


def test_cost_is_recomputed_from_units_and_tariffs(
        consolidated: sr.Consolidation, mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    shipments, plan = mixed
    by_id = {s.id: s for s in shipments}
    pieces = pieces_of(consolidated, plan)
    loads = unit_loads(pieces)
    pieces["routed_share"] = pieces["freight_usd"] * pieces["share"]
    part_load = pieces.groupby("unit_id")["routed_share"].sum()
    expected_after: dict[str, float] = defaultdict(float)
    for unit in consolidated.units.itertuples():
        leg = pieces[pieces["unit_id"] == unit.unit_id].iloc[0].to_dict()
        rate = ref.leg_rate(ref.MINI, leg)
        kg, m3 = loads.at[unit.unit_id, "kg"], loads.at[unit.unit_id, "m3"]
        full = ref.full_unit_price(rate, EQUIPMENT[unit.unit_type], kg, m3)
        owners = set(pieces.loc[pieces["unit_id"] == unit.unit_id, "shipment_id"])
        dedicated = (leg["mode"] in ("rail", "sea", "road") and len(owners) == 1
                     and is_full_load(by_id[next(iter(owners))]))
        assert unit.dedicated == dedicated
        cost = full if dedicated else min(full, part_load[unit.unit_id])
        assert unit.full_unit_usd == pytest.approx(full, rel=1e-9)
        assert unit.part_load_usd == pytest.approx(part_load[unit.unit_id], rel=1e-9)
        assert unit.cost_usd == pytest.approx(cost, rel=1e-9)
        expected_after[unit.leg_departure] += cost
    before = pieces.drop_duplicates(["shipment_id", "leg"]).groupby("leg_departure")[
        "freight_usd"].sum()
    d = consolidated.departures.set_index("leg_departure")
    for key, cost in expected_after.items():
        assert d.at[key, "cost_after_usd"] == pytest.approx(cost, rel=1e-9)
        assert d.at[key, "cost_before_usd"] == pytest.approx(before[key], rel=1e-9)
    assert consolidated.cost_after_usd == pytest.approx(sum(expected_after.values()), rel=1e-9)
    assert consolidated.cost_before_usd == pytest.approx(plan.legs["freight_usd"].sum(), rel=1e-9)
    # Consolidation pays off here: trucks and trains carry several part loads per unit.
    assert consolidated.cost_after_usd < consolidated.cost_before_usd


def test_every_shipment_leg_is_allocated_exactly_once(
        consolidated: sr.Consolidation, mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    shipments, plan = mixed
    by_id = {s.id: s for s in shipments}
    pieces = pieces_of(consolidated, plan)
    assert set(zip(pieces["shipment_id"], pieces["leg"], strict=True)) == set(
        zip(plan.legs["shipment_id"], plan.legs["leg"], strict=True))
    for (sid, _leg), group in pieces.groupby(["shipment_id", "leg"]):
        assert group["leg_departure"].nunique() == 1
        assert group["share"].sum() == pytest.approx(1.0, rel=1e-12)
        assert group["kg"].sum() == pytest.approx(by_id[sid].weight_kg, rel=1e-12)
        assert group["m3"].sum() == pytest.approx(by_id[sid].volume_m3, rel=1e-12)
    # A unit's cost is shared out in full, by the stated rule.
    loads = unit_loads(pieces)
    units = consolidated.units.set_index("unit_id")
    for unit_id, group in pieces.groupby("unit_id"):
        unit = units.loc[unit_id]
        assert group["cost_usd"].sum() == pytest.approx(unit["cost_usd"], rel=1e-9)
        assert loads.at[unit_id, "kg"] == pytest.approx(unit["kg"], rel=1e-12)
        if unit["priced_as"] == "part_load":
            expected = group["freight_usd"] * group["share"]
        else:
            uld = EQUIPMENT[unit["unit_type"]]["kind"].startswith("uld")
            key = np.array([ref.chargeable(k, m) if uld else ref.revenue_tonnes(k, m)
                            for k, m in zip(group["kg"], group["m3"], strict=True)])
            expected = unit["cost_usd"] * key / key.sum()
        np.testing.assert_allclose(group["cost_usd"], expected, rtol=1e-9)
    # Per shipment: allocated freight plus the routed handling.
    handling = plan.legs.groupby("shipment_id")["handling_usd"].sum()
    allocated = pieces.groupby("shipment_id")["cost_usd"].sum()
    table = consolidated.shipments.set_index("shipment_id")
    np.testing.assert_allclose(table["freight_usd"], allocated.reindex(table.index), rtol=1e-9)
    np.testing.assert_allclose(table["cost_usd"],
                               (allocated + handling).reindex(table.index), rtol=1e-9)


def test_units_trains_and_freighters_within_capacity(
        consolidated: sr.Consolidation, mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    check_vehicles(consolidated, mixed[1])
    assert not consolidated.units["overflow"].any()
    assert (consolidated.departures.loc[consolidated.departures["mode"] == "rail", "wagons"]
            > 0).all()


def test_class_rules(consolidated: sr.Consolidation,
                     mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    shipments, plan = mixed
    cls = {s.id: str(s.cargo_class) for s in shipments}
    pieces = pieces_of(consolidated, plan)
    for unit_id, group in pieces.groupby("unit_id"):
        classes = {cls[s] for s in group["shipment_id"]}
        assert any(classes <= g for g in GROUPS), f"{unit_id} mixes {classes}"
        kind = EQUIPMENT[group["unit_type"].iloc[0]]["kind"]
        if group["mode"].iloc[0] != "air":  # the catalog has reefers for rail, sea and road
            assert (kind == "reefer") == (classes in REEFER_GROUPS), unit_id
    cold_air = pieces[(pieces["mode"] == "air") & pieces["shipment_id"].map(cls).eq("cold_chain")]
    assert len(cold_air) > 0
    # Pharma rides alone, in reefers on the train (GDP keeps it apart from food).
    pharma = pieces[(pieces["mode"] == "rail") & pieces["shipment_id"].map(cls).eq("pharma")]
    assert len(pharma) > 0
    assert (pharma["unit_type"].map(lambda u: EQUIPMENT[u]["kind"]) == "reefer").all()


def test_exact_unit_counts_equal_brute_force(consolidated: sr.Consolidation,
                                             mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    shipments, plan = mixed
    cls = {s.id: str(s.cargo_class) for s in shipments}
    pieces = pieces_of(consolidated, plan)
    packing_unit = {"air": ("PMC", "PMC"), "rail": ("40HC", "40RF"), "road": ("TRL136", "40RF")}
    checked = 0
    for key, dep in consolidated.departures.set_index("leg_departure").iterrows():
        assert dep["exact_status"] == "optimal"
        loose = pieces[(pieces["leg_departure"] == key) & ~pieces["dedicated"]]
        total = int(dep["dedicated_units"])
        for group in GROUPS:
            mine = loose[loose["shipment_id"].map(cls).isin(group)]
            dry, reefer = packing_unit[dep["mode"]]
            spec = EQUIPMENT[reefer if group in REEFER_GROUPS else dry]
            total += ref.brute_force_bins(mine["kg"].tolist(), mine["m3"].tolist(),
                                          float(spec["payload_kg"]), float(spec["volume_m3"]))
        assert dep["exact_units"] == total == dep["units"], key
        assert dep["lower_bound"] <= total <= dep["ffd_units"]
        checked += 1
    assert checked == len(consolidated.departures)
    # The first-fit-decreasing trap on Thursday's flight: FFD three pallets, two are enough.
    trap = consolidated.departures.set_index("leg_departure").loc["AIR1@2026-11-05/CGO>LUX"]
    assert (trap["ffd_units"], trap["units"]) == (3, 2)


def test_full_loads_keep_their_own_units(consolidated: sr.Consolidation,
                                         mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    pieces = pieces_of(consolidated, mixed[1])
    for sid, routed_feu in (("R-F1", 2), ("R-C3", 1)):
        mine = pieces[pieces["shipment_id"] == sid]
        for _leg, group in mine.groupby("leg"):
            assert group["unit_id"].nunique() == routed_feu
            others = pieces[pieces["unit_id"].isin(group["unit_id"])]
            assert set(others["shipment_id"]) == {sid}


def test_never_costs_more_than_part_loads(consolidated: sr.Consolidation,
                                          mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    """With the part-load fallback a leg-departure never costs more than as routed, provided its
    full loads fit the units they were routed with (true here: FCL of at most 67 m3 per FEU in
    40HC and 59.8 m3 in 40RF); and every part-load shipment-leg pays at most its routed price
    (its part-load tariff is the same per W/M, or per chargeable kg, as its unit mates')."""
    shipments, plan = mixed
    by_id = {s.id: s for s in shipments}
    d = consolidated.departures
    assert (d["cost_after_usd"] <= d["cost_before_usd"] * (1 + 1e-12)).all()
    pieces = pieces_of(consolidated, plan)
    part = pieces[~pieces["shipment_id"].map(lambda s: is_full_load(by_id[s]))
                  | (pieces["mode"] == "air")]
    paid = part.groupby(["shipment_id", "leg"]).agg(cost=("cost_usd", "sum"),
                                                    routed=("freight_usd", "first"))
    assert (paid["cost"] <= paid["routed"] * (1 + 1e-9)).all()


def test_pure_unit_pricing_under_the_fill_condition(
        mini_network: sr.Network, mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    """Without the fallback, a leg-departure costs no more than as routed when each of its
    units carries at least ``unit price / part-load rate`` revenue tonnes (the FEU, or truck,
    rate is below the LCL equivalent of what the unit holds); the thin box of R-T1 breaks the
    condition and costs more."""
    shipments, plan = mixed
    cons = sr.consolidate(mini_network, plan, shipments, part_load_fallback=False)
    pieces = pieces_of(cons, plan)
    loads = unit_loads(pieces)
    meets: dict[str, bool] = {}
    for unit in cons.units.itertuples():
        leg = pieces[pieces["unit_id"] == unit.unit_id].iloc[0].to_dict()
        rate = ref.leg_rate(ref.MINI, leg)
        kg, m3 = loads.at[unit.unit_id, "kg"], loads.at[unit.unit_id, "m3"]
        if rate["basis"] in ("feu", "truck") and not unit.dedicated:
            price = ref.full_unit_price(rate, EQUIPMENT[unit.unit_type], kg, m3)
            ok = ref.revenue_tonnes(kg, m3) >= price / rate["part_load"]
        else:
            ok = True  # per chargeable kg, or a full load's own unit priced as routed
        meets[unit.leg_departure] = meets.get(unit.leg_departure, True) and ok
    d = cons.departures.set_index("leg_departure")
    held = [k for k, ok in meets.items() if ok]
    assert len(held) >= 3
    for key in held:
        assert d.at[key, "cost_after_usd"] <= d.at[key, "cost_before_usd"] * (1 + 1e-12)
    thin = "RAIL1@2026-11-17/ZZRT>BRE-MAL"
    assert not meets[thin]
    assert d.at[thin, "cost_after_usd"] > d.at[thin, "cost_before_usd"]


def test_trucks_group_by_link_and_window(
        mini_network: sr.Network, consolidated: sr.Consolidation,
        mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    def truck_of(cons: sr.Consolidation, sid: str) -> str:
        a = cons.allocation
        return a.loc[(a["shipment_id"] == sid) & (a["leg"] == 0), "unit_id"].iloc[0]

    # T-1 (01:00) and T-2 (05:00) share the day's truck; T-3 rides the next day.
    assert truck_of(consolidated, "T-1") == truck_of(consolidated, "T-2")
    assert truck_of(consolidated, "T-3") != truck_of(consolidated, "T-1")
    shipments, plan = mixed
    hourly = sr.consolidate(mini_network, plan, shipments, truck_window_h=2.0)
    assert truck_of(hourly, "T-1") != truck_of(hourly, "T-2")


def test_deterministic(mini_network: sr.Network, consolidated: sr.Consolidation,
                       mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    shipments, plan = mixed
    again = sr.consolidate(mini_network, plan, shipments, exact=True,
                           params=sr.SolverParams(time_limit_s=10.0))
    for name in ("units", "departures", "allocation", "shipments"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(consolidated, name))
    assert again.summary == consolidated.summary


def test_bad_input(mini_network: sr.Network, mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    shipments, plan = mixed
    with pytest.raises(sr.InputError) as info:
        sr.consolidate(mini_network, plan, shipments[1:])
    assert info.value.field == "shipments" and info.value.value == shipments[0].id
    with pytest.raises(sr.InputError, match="no unit type") as info:
        sr.consolidate(mini_network, plan, shipments,
                       units={"rail": UnitChoice(("40XX",))})
    with pytest.raises(sr.InputError, match="does not ride"):
        sr.consolidate(mini_network, plan, shipments, units={"air": UnitChoice(("40HC",))})
    with pytest.raises(sr.InputError) as info:
        sr.consolidate(mini_network, plan, shipments, truck_window_h=0)
    assert info.value.field == "truck_window_h"
    with pytest.raises(sr.InputError) as info:
        sr.consolidate(mini_network, plan, shipments, aircraft="A380")
    assert info.value.field == "aircraft"


def test_empty_plan(mini_network: sr.Network) -> None:
    plan = sr.route(mini_network, [])
    cons = sr.consolidate(mini_network, plan, [])
    assert cons.units.empty and cons.departures.empty and cons.cost_after_usd == 0.0
    assert cons.summary.units == 0

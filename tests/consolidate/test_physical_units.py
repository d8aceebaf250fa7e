"""Physical unit counts: a container stuffed once and carried over several legs counts once
(``physical_unit``), recounted by hand from the plan's legs and the shipments' FEU."""

from __future__ import annotations

import math

import silkroad_routing as sr


def test_full_loads_count_their_containers_once(
        consolidated: sr.Consolidation, mixed: tuple[list[sr.Shipment], sr.Plan]) -> None:
    shipments, plan = mixed
    units = consolidated.units
    for sid, feu in (("R-F1", 2), ("R-C3", 1)):
        mine = units[units["shipments"] == sid]
        legs = plan.legs[(plan.legs["shipment_id"] == sid) & (plan.legs["mode"] != "air")]
        # One unit per FEU per leg-departure ridden, but only ``feu`` containers.
        assert len(mine) == feu * mine["leg_departure"].nunique()
        assert 2 <= mine["leg_departure"].nunique() <= len(legs)  # through Brest, two legs
        assert mine["physical_unit"].nunique() == feu
    shipment = next(s for s in shipments if s.id == "R-C3")
    assert max(1, math.ceil(max(shipment.volume_m3 / 67, shipment.weight_kg / 26_500))) == 1


def test_a_physical_unit_keeps_its_type_and_contents(consolidated: sr.Consolidation) -> None:
    units = consolidated.units
    assert list(units.columns[:3]) == ["leg_departure", "unit_id", "physical_unit"]
    for _, group in units.groupby("physical_unit"):
        assert group["unit_type"].nunique() == 1 and group["shipments"].nunique() == 1
        assert group["leg_departure"].is_unique  # once per leg, never twice on one
    # Recount: distinct (type, contents, k-th such unit on its leg-departure).
    nth = units.groupby(["leg_departure", "unit_type", "shipments"]).cumcount()
    recount = len(set(zip(units["unit_type"], units["shipments"], nth, strict=True)))
    summary = consolidated.summary
    assert summary["physical_units"] == recount <= summary["units"] == len(units)
    assert sum(summary["physical_units_by_mode"].values()) >= summary["physical_units"]

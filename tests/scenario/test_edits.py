"""Network edits: pure, targeted, validated; and the scenario's edits section applied in order."""

from __future__ import annotations

from pathlib import Path

import pytest

import silkroad_routing as sr
from silkroad_routing import edits
from silkroad_routing.scenario.network_edits import apply_edits
from silkroad_routing.scenario.schema import Edits


@pytest.fixture(scope="module")
def four_roads() -> sr.Network:
    return sr.load_network("four_roads")


@pytest.fixture
def mini(mini_network_dir: Path) -> sr.Network:
    return sr.load_network(mini_network_dir)


def test_close_passage_removes_exactly_the_services_through_it(four_roads: sr.Network) -> None:
    closed = edits.close_passage(four_roads, "suez")
    suez = {s.id for s in four_roads.services if "suez" in s.via}
    assert suez, "the bundled network has Suez services"
    assert {s.id for s in closed.services} == {s.id for s in four_roads.services} - suez
    assert {x.id for x in closed.links} == {x.id for x in four_roads.links if "suez" not in x.via}
    # The Cape alternatives stay open, so sea-rail can still reach Rotterdam.
    assert any("cape" in s.via and "NLRTM" in s.stops for s in closed.services)
    assert len(four_roads.services) == len(suez) + len(closed.services)  # the input is untouched


def test_close_hub_removes_everything_touching_it(mini: sr.Network) -> None:
    closed = edits.close_hub(mini, "BRE-MAL")
    assert all("BRE-MAL" not in s.stops for s in closed.services)
    assert all("BRE-MAL" not in (x.from_hub, x.to_hub) for x in closed.links)
    assert closed.hub("BRE-MAL") == mini.hub("BRE-MAL")
    assert any("BRE-MAL" in s.stops for s in mini.services)


def test_slowing_a_service_adds_the_hours_along_its_legs(mini: sr.Network) -> None:
    before = mini.service_by_id["RAIL1"]
    after = edits.slow_service(mini, "RAIL1", duration_factor=1.1, extra_h=38.0).service_by_id["RAIL1"]
    assert after.running_h == pytest.approx(before.running_h * 1.1 + 38.0)
    shares = [km / before.distance_km for km in before.leg_km]
    for b, a, share in zip(before.leg_h, after.leg_h, shares, strict=True):
        assert a == pytest.approx(b * 1.1 + 38.0 * share)


def test_hub_dwell_and_capacity(mini: sr.Network) -> None:
    net = edits.add_hub_dwell(mini, "BRE-MAL", 240.0)
    assert net.hub("BRE-MAL").dwell_h == mini.hub("BRE-MAL").dwell_h + 240.0
    net = edits.set_hub_capacity(mini, "CGO", factor=1.5)
    assert net.hub("CGO").capacity_t_day == pytest.approx(mini.hub("CGO").capacity_t_day * 1.5)
    assert edits.set_hub_capacity(mini, "ZZRT", factor=2.0).hub("ZZRT").capacity_t_day is None


def test_mode_edit_then_item_edit(four_roads: sr.Network) -> None:
    spec = Edits.model_validate({
        "modes": {"sea": {"price_factor": 2.0}},
        "services": {"S-CAPE-NE1": {"price_factor": 1.5, "capacity_teu": 10000}},
    })
    net = apply_edits(four_roads, spec)
    for before in four_roads.services:
        after = net.service_by_id[before.id]
        factor = (2.0 if before.mode == "sea" else 1.0) * (1.5 if before.id == "S-CAPE-NE1" else 1.0)
        assert after.price_usd == pytest.approx(before.price_usd * factor)
        if before.part_load_usd_per_wm is not None:
            assert after.part_load_usd_per_wm == pytest.approx(before.part_load_usd_per_wm * factor)
    assert net.service_by_id["S-CAPE-NE1"].capacity_teu == 10000


def test_added_service_is_checked_against_the_network(mini: sr.Network) -> None:
    template = mini.service_by_id["CHARTER1"]
    added = edits.add_service(mini, template.model_copy(update={"id": "CHARTER2"}))
    assert "CHARTER2" in added.service_by_id
    with pytest.raises(sr.InputError, match="unknown hub code") as info:
        edits.add_service(mini, template.model_copy(update={"id": "C3", "stops": ("CGO", "FRA")}))
    assert (info.value.field, info.value.value) == ("stops", "FRA")
    with pytest.raises(sr.InputError, match="already exists"):
        edits.add_service(mini, template)


@pytest.mark.parametrize(("call", "field", "value"), [
    (lambda n: edits.close_hub(n, "XXX"), "code", "XXX"),
    (lambda n: edits.close_link(n, "T-NOPE"), "link_id", "T-NOPE"),
    (lambda n: edits.close_service(n, "NOPE"), "service_id", "NOPE"),
    (lambda n: edits.close_passage(n, "panama"), "name", "panama"),
    (lambda n: edits.slow_link(n, "T-CGO-ZZRT", duration_factor=0.0), "duration_factor", 0.0),
    (lambda n: edits.add_hub_dwell(n, "CGO", -1.0), "extra_h", -1.0),
    (lambda n: edits.edit_mode(n, "hyperloop"), "mode", "hyperloop"),
])
def test_bad_targets_and_values_name_the_field(mini: sr.Network, call, field: str, value: object
                                               ) -> None:
    with pytest.raises(sr.InputError) as info:
        call(mini)
    assert (info.value.field, info.value.value) == (field, value)


def test_scenario_edits_point_at_the_key(mini: sr.Network) -> None:
    spec = Edits.model_validate({"services": {"RAIL9": {"extra_h": 5}}})
    with pytest.raises(sr.InputError) as info:
        apply_edits(mini, spec)
    assert (info.value.field, info.value.value) == ("edits.services.RAIL9", "RAIL9")
    spec = Edits.model_validate({"close_passages": ["Suez"]})
    with pytest.raises(sr.InputError) as info:
        apply_edits(mini, spec)
    assert (info.value.field, info.value.value) == ("edits.close_passages[0]", "suez")

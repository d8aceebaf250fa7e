"""Process rules: export clearance and acceptance cut-offs at the origin, cut-offs at transfers,
import clearance and release at the destination.

References are hand sums from the CSV rows (networks/four_roads/process.csv, services.csv,
links.csv, transfers.csv) and the stated rule of :mod:`silkroad_routing.model.process`, not the
library's compiled arrays.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

import silkroad_routing as sr
from silkroad_routing.compile.timetable import compile_timetable
from silkroad_routing.errors import NetworkError
from silkroad_routing.model import ProcessRule, ProcessStage
from silkroad_routing.units import MODE_INDEX, MODE_START, Mode

READY = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def net() -> sr.Network:
    return sr.load_network("four_roads")


def rule(net: sr.Network, hub: str, mode: str, stage: str) -> ProcessRule:
    found = net.process_rule(hub, Mode(mode), ProcessStage(stage))
    assert found is not None, (hub, mode, stage)
    return found


def test_origin_transfer_and_release_arrays_follow_the_rule(net: sr.Network) -> None:
    tt = compile_timetable(net, READY, 7)
    cgo, bz, lux = tt.hub_index("CGO"), tt.hub_index("CNCGO-BZ"), tt.hub_index("LUX")
    air, road = MODE_INDEX[Mode.AIR], MODE_INDEX[Mode.ROAD]
    cutoff = rule(net, "*", "air", "acceptance").hours
    export = rule(net, "CGO", "air", "export")
    # origin: export clearance + acceptance cut-off; export handling per kg
    assert tt.transfer_h[cgo, MODE_START, air] == pytest.approx(export.hours + cutoff)
    assert tt.transfer_rate[cgo, MODE_START, air][1] == pytest.approx(export.usd_per_kg)
    # on the way: truck -> air at CGO waits the longer of the transfer rule and the cut-off
    transfer = net.transfer_rule("CGO", Mode.ROAD, Mode.AIR)
    assert tt.transfer_h[cgo, road, air] == pytest.approx(max(transfer.min_connection_h, cutoff))
    # a mode without an acceptance rule keeps its transfer times (the same truck continues)
    assert tt.transfer_h[bz, road, road] == net.transfer_rule("CNCGO-BZ", Mode.ROAD,
                                                              Mode.ROAD).min_connection_h
    # destination: import clearance and release by the arriving mode
    assert tt.release_h[lux, air] == rule(net, "LUX", "air", "import").hours
    assert tt.release_h[cgo, air] == rule(net, "CGO", "air", "import").hours
    assert not np.any(tt.release_h < 0)


def test_air_cgo_lux_equals_the_hand_sum(net: sr.Network) -> None:
    """Ready at CGO: export + cut-off, the next daily Cargolux departure, import release."""
    shipment = sr.Shipment(id="S", origin="CGO", destination="LUX", ready=READY + timedelta(hours=9),
                           weight_kg=500.0, volume_m3=2.0, modes=frozenset({"air"}))
    row = sr.route(net, [shipment], "fastest").shipments.iloc[0]
    flight = net.service_by_id["A-CGO-LUX"]
    export, cutoff = rule(net, "CGO", "air", "export"), rule(net, "*", "air", "acceptance")
    earliest = shipment.ready + timedelta(hours=export.hours + cutoff.hours)
    dep = datetime.combine(earliest.date(), flight.departure_time_utc, tzinfo=UTC)
    if dep < earliest:
        dep += timedelta(days=1)
    release = rule(net, "LUX", "air", "import")
    arrival = dep + timedelta(hours=flight.leg_h[0] + net.hub("LUX").dwell_h + release.hours)
    assert row.modes == "air"
    assert abs((row.arrival - arrival).total_seconds()) < 1.0
    chargeable = max(500.0, 2.0 * 1_000_000 / 6_000)
    hand = flight.price_usd * chargeable + (export.usd_per_kg + release.usd_per_kg) * 500.0
    assert row.cost_usd == pytest.approx(hand)


def test_a_load_ready_a_minute_before_the_flight_misses_it(net: sr.Network) -> None:
    """The issue's case: ready at CNCGO-BZ at 12:39 no longer catches the 12:40 CGO flight."""
    ready = READY.replace(hour=12, minute=39)
    shipment = sr.Shipment(id="S", origin="CNCGO-BZ", destination="LUX", ready=ready,
                           weight_kg=500.0, volume_m3=2.0, modes=frozenset({"air", "road"}))
    plan = sr.route(net, [shipment], "fastest")
    flight = plan.legs[plan.legs["mode"] == "air"].iloc[0]
    assert flight.departure > ready + timedelta(days=1) - timedelta(minutes=2)
    days = (plan.shipments.iloc[0].arrival - ready).total_seconds() / 86_400
    assert 1.5 <= days <= 4.0  # ready-to-release, People's Daily 2023: about three days


def _copy_with_process(src: Path, tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "net"
    shutil.copytree(src, folder)
    (folder / "process.csv").write_text("hub,mode,stage,hours,usd_per_feu,source\n" + text)
    return folder


@pytest.mark.parametrize(("text", "column", "value"), [
    ("CGO,air,lockout,3,,TEST\n", "stage", "lockout"),
    ("QQQ,air,export,3,,TEST\n", "hub", "QQQ"),
    ("CGO,air,export,-1,,TEST\n", "hours", "-1"),
])
def test_malformed_process_file_names_the_cell(mini_network_dir: Path, tmp_path: Path, text: str,
                                               column: str, value: str) -> None:
    with pytest.raises(NetworkError) as info:
        sr.load_network(_copy_with_process(mini_network_dir, tmp_path, text))
    message = str(info.value)
    assert "process.csv" in message and "row 1" in message and column in message and value in message


def test_acceptance_carries_no_charge(mini_network_dir: Path, tmp_path: Path) -> None:
    folder = _copy_with_process(mini_network_dir, tmp_path, "CGO,air,acceptance,3,100,TEST\n")
    with pytest.raises(NetworkError, match="acceptance rule carries no charge"):
        sr.load_network(folder)

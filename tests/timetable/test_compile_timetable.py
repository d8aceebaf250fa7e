"""compile_timetable on the mini network: times, prices and tables checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

import silkroad_routing as sr
from silkroad_routing.compile.tariffs import quantity_vector
from silkroad_routing.compile.timetable import compile_timetable
from silkroad_routing.core.timetable.arrays import check_timetable
from silkroad_routing.errors import NetworkError
from silkroad_routing.units import MODE_INDEX, MODE_START, Mode

START = datetime(2026, 12, 1, tzinfo=UTC)  # a Tuesday


@pytest.fixture
def mini(mini_network_dir: Path) -> sr.Network:
    return sr.load_network(mini_network_dir)


def test_arrays_are_well_formed(mini: sr.Network) -> None:
    tt = compile_timetable(mini, START, 28)
    n_hubs, n_conn, n_q = check_timetable(tt.arrays)
    assert (n_hubs, n_q) == (5, 6) and n_conn == tt.n_connections > 0
    assert np.all(np.diff(tt.conn_dep_h) >= 0)
    for name in ("conn_from", "conn_trip", "conn_service", "conn_leg", "link_to"):
        assert getattr(tt, name).dtype == np.int64 and getattr(tt, name).flags.c_contiguous
    # Legs of a trip follow each other through conn_next, in calling order.
    nxt = tt.conn_next[tt.conn_next >= 0]
    before = np.flatnonzero(tt.conn_next >= 0)
    assert np.all(tt.conn_trip[nxt] == tt.conn_trip[before])
    assert np.all(tt.conn_leg[nxt] == tt.conn_leg[before] + 1)
    assert np.all(tt.conn_dep_h[nxt] >= tt.conn_arr_h[before])


def test_rail_schedule_dwell_and_gauge_change_by_hand(mini: sr.Network) -> None:
    tt = compile_timetable(mini, START, 28)
    first = [c for c in range(tt.n_connections)
             if tt.departure_ids[tt.conn_trip[c]] == "RAIL1@2026-12-01"]
    leg0, leg1 = sorted(first, key=lambda c: tt.conn_leg[c])
    # Tuesday 10:00; 300 h to Brest, then 6 h stop dwell + 30 h border dwell, 80 h to Hamburg.
    assert (tt.conn_dep_h[leg0], tt.conn_arr_h[leg0]) == (10.0, 310.0)
    assert (tt.conn_dep_h[leg1], tt.conn_arr_h[leg1]) == (346.0, 426.0)
    assert tt.hub_dwell_h[tt.hub_index("BRE-MAL")] == 30.0
    # A part load (1 t, 1 m3 = 1 W/M): 180 per W/M for the run, by distance share (7000 and
    # 1000 of 8000 km); the leg into the gauge change adds 120 USD/FEU / 67 m3 per W/M.
    q = quantity_vector(1000.0, 1.0)
    assert tt.conn_rate[leg0] @ q == pytest.approx(180.0 * 7 / 8 + 120.0 / 67.0)
    assert tt.conn_rate[leg1] @ q == pytest.approx(180.0 * 1 / 8)
    assert tt.conn_co2e_rate[leg0] @ q == pytest.approx(0.02 * 7000.0)  # 1 t x 7000 km
    assert tt.conn_capacity_teu[leg0] == 90.0 and np.isinf(tt.conn_capacity_kg[leg0])


def test_horizon_start_in_any_timezone_and_optional_services(mini: sr.Network) -> None:
    beijing = timezone(timedelta(hours=8))
    tt = compile_timetable(mini, START.astimezone(beijing), 28)
    assert tt.start == START and tt.start.tzinfo == UTC
    assert "CHARTER1" not in tt.service_ids
    with_charter = compile_timetable(mini, START, 28, include_optional=True)
    assert "CHARTER1" in with_charter.service_ids
    assert with_charter.n_connections > tt.n_connections
    # The freighter leaves Mon and Thu 02:30: first on Thursday 3 December, 50.5 h in.
    air = [c for c in range(tt.n_connections)
           if tt.service_ids[tt.conn_service[c]] == "AIR1"]
    assert tt.conn_dep_h[air[0]] == 50.5 and tt.departure_ids[tt.conn_trip[air[0]]] == (
        "AIR1@2026-12-03")


def test_links_and_transfer_tables(mini: sr.Network) -> None:
    tt = compile_timetable(mini, START, 28)
    cgo = tt.hub_index("CGO")
    out = range(tt.link_indptr[cgo], tt.link_indptr[cgo + 1])
    assert [tt.link_ids[tt.link_ref[k]] for k in out] == ["T-CGO-ZZRT"]
    road, air, rail = MODE_INDEX[Mode.ROAD], MODE_INDEX[Mode.AIR], MODE_INDEX[Mode.RAIL]
    assert tt.transfer_allowed[cgo, road, air] and tt.transfer_h[cgo, road, air] == 6.0
    assert tt.transfer_rate[cgo, road, air] @ quantity_vector(2000.0, 1.0) == pytest.approx(80.0)
    assert not tt.transfer_allowed[cgo, air, rail]  # no rule: not allowed
    assert tt.transfer_allowed[:, MODE_START, :].all()  # a shipment not yet moved
    assert not tt.transfer_h[:, MODE_START, :].any()


def test_a_scheduled_leg_without_duration_is_rejected(mini: sr.Network) -> None:
    service = mini.service_by_id["AIR1"].model_copy(update={"leg_h": (0.0,)})
    broken = mini.model_copy(update={"services": (service,)})
    with pytest.raises(NetworkError, match="takes no time"):
        compile_timetable(broken, START, 7)
    with pytest.raises(ValueError, match="positive"):
        compile_timetable(mini, START, 0)

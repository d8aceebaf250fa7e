"""Network folders: a valid folder loads; each kind of malformed file raises one NetworkError
naming the file, the row and the column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import silkroad_routing as sr
from silkroad_routing.errors import NetworkError


def test_mini_network_loads(mini_network_dir: Path) -> None:
    net = sr.load_network(mini_network_dir)
    assert {h.code for h in net.hubs} == {"CGO", "ZZRT", "BRE-MAL", "DEHAM", "LUX"}
    # both_ways rows add the reverse link / return service.
    assert {x.id for x in net.links} == {"T-CGO-ZZRT", "T-CGO-ZZRT-R", "T-LUX-HAM", "T-LUX-HAM-R"}
    ret = net.service_by_id["AIR1-R"]
    assert ret.stops == ("LUX", "CGO") and ret.weekdays == frozenset({0, 3})
    rail = net.service_by_id["RAIL1"]
    assert rail.leg_h == (300.0, 80.0) and rail.leg_km == (7000.0, 1000.0)
    assert net.service_by_id["CHARTER1"].optional
    assert net.hub("BRE-MAL").gauge_change and net.hub("BRE-MAL").dwell_h == 30.0
    assert net.transfer_rule("CGO", sr.Mode.ROAD, sr.Mode.AIR).min_connection_h == 6.0
    assert net.transfer_rule("CGO", sr.Mode.AIR, sr.Mode.RAIL) is None


def _broken_copy(src: Path, tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "net"
    shutil.copytree(src, folder)
    text = (folder / file).read_text()
    assert old in text, f"test setup: {old!r} not in {file}"
    (folder / file).write_text(text.replace(old, new, 1))
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "row", "column", "value"),
    [
        # a missing column: the header names it, no row
        ("hubs.csv", "code,name,kind,country,lat,lon", "code,name,kind,country,latitude,lon",
         None, "lat", None),
        ("links.csv", "T-LUX-HAM,LUX,DEHAM", "T-LUX-HAM,LUX,XXHAM", 2, "to_hub", "XXHAM"),
        ("services.csv", "CGO;LUX,13,8000,,Mon", "CGO;QQQ,13,8000,,Mon", 1, "stops", "QQQ"),
        ("hubs.csv", "34.5197", "123", 1, "lat", "123"),
        ("links.csv", "640,10,", "640,-10,", 2, "duration_h", "-10"),
        ("services.csv", "300;80", "300;-80", 2, "leg_h", None),
        ("hubs.csv", "LUX,Luxembourg airport", "CGO,Luxembourg airport", 5, "code", "CGO"),
        ("services.csv", "CHARTER1,", "RAIL1,", 3, "id", "RAIL1"),
        ("hubs.csv", "border_crossing", "border", 3, "kind", "border"),
        ("services.csv", "Mon;Thu", "Mon;Thx", 1, "weekdays", "Mon;Thx"),
        ("transfers.csv", "*,road,air,6", "*,road,air,abc", 1, "min_connection_h", "abc"),
        ("hubs.csv", ",TEST\nZZRT", ",NOPE\nZZRT", 1, "source", "NOPE"),
        # a figure's source must name a column of the file, once
        ("hubs.csv", ",TEST\nZZRT", ",latitude=TEST\nZZRT", 1, "source", "latitude"),
        ("hubs.csv", ",TEST\nZZRT", ",lat=TEST;lat=TEST\nZZRT", 1, "source", "lat=TEST;lat=TEST"),
    ],
)
def test_malformed_file_names_file_row_column(
    mini_network_dir: Path, tmp_path: Path, file: str, old: str, new: str,
    row: int | None, column: str, value: str | None,
) -> None:
    folder = _broken_copy(mini_network_dir, tmp_path, file, old, new)
    with pytest.raises(NetworkError) as info:
        sr.load_network(folder)
    err = info.value
    assert err.file is not None and Path(err.file).name == file
    assert err.row == row
    assert err.field == column
    if value is not None:
        assert err.value == value
    message = str(err)
    assert file in message and f"'{column}'" in message
    if row is not None:
        assert f"row {row}" in message


def test_unknown_network_name_lists_bundled() -> None:
    with pytest.raises(NetworkError, match="no network folder or bundled network"):
        sr.load_network("no_such_network")


def test_model_validates_on_construction() -> None:
    hub = sr.Hub(code="CGO", name="Zhengzhou", kind="airport", country="CN", lat=34.5, lon=113.8)
    with pytest.raises(ValueError, match="unknown hub"):
        sr.Network(hubs=(hub,), links=(sr.Link(
            id="x", from_hub="CGO", to_hub="LUX", mode="road", distance_km=1, duration_h=1,
            price_usd=1, price_basis="kg", co2e_kg_per_tkm=0.1),))
    with pytest.raises(ValueError, match="duplicate hub code"):
        sr.Network(hubs=(hub, hub))
    with pytest.raises(ValueError):
        sr.Hub(code="CGO", name="x", kind="airport", country="CN", lat=34.5, lon=-181)
    with pytest.raises(ValueError, match="capacity"):
        sr.Hub(code="CGO", name="x", kind="airport", country="CN", lat=34.5, lon=1,
               capacity_t_day=-1)


def test_model_copy_validates_and_forgets_cached_lookups(mini_network_dir: Path) -> None:
    net = sr.load_network(mini_network_dir)
    assert "RAIL1" in net.service_by_id  # fills the cache
    copy = net.model_copy(update={"services": net.services[:1]})
    assert set(copy.service_by_id) == {net.services[0].id}
    with pytest.raises(ValueError):
        net.hub("CGO").model_copy(update={"lat": 123.0})


def test_lazy_public_names_resolve_to_their_objects() -> None:
    import importlib
    import inspect

    for name in ("route", "design", "consolidate", "compare", "sweep", "run_scenario"):
        value = getattr(sr, name)
        assert inspect.isfunction(value), f"sr.{name} is {value!r}"
    # Importing every subpackage must not shadow a public function of the same name.
    for module in ("routing", "consolidation", "comparison", "service_design", "scenario"):
        importlib.import_module(f"silkroad_routing.{module}")
    assert inspect.isfunction(sr.consolidate) and inspect.isfunction(sr.sweep)
    assert sr.solvers.solve_mcnd and sr.core.graph.dijkstra and sr.compile.compile_static

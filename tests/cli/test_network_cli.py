"""``silkroad network list | show | export``: output, GIS round trip, exit codes."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

import silkroad_routing as sr
from silkroad_routing.cli import main


def test_show_prints_summary(mini_network_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "show", str(mini_network_dir), "--services", "--hubs"]) == 0
    out = capsys.readouterr().out
    assert "5 hubs" in out and "RAIL1" in out and "BRE-MAL" in out


@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_export_round_trip(mini_network_dir: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"net.{fmt}"
    assert main(["network", "export", str(mini_network_dir), "--format", fmt, "--out", str(out)]) == 0
    back = gpd.read_file(out)
    expected = sr.load_network(mini_network_dir).to_geodataframe()
    assert len(back) == len(expected)
    assert back.crs.to_epsg() == 4326
    assert sorted(back["id"]) == sorted(expected["id"])
    assert not list(tmp_path.glob(".*part*")), "no temporary file may be left behind"


def test_bad_input_exits_2_with_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mini_network_dir: Path
) -> None:
    assert main(["network", "show", "no_such_network"]) == 2
    err = capsys.readouterr().err
    assert "no_such_network" in err and "Traceback" not in err
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    target = blocked / "out.gpkg"  # a path below a regular file cannot be created
    assert main(["network", "export", str(mini_network_dir), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "Traceback" not in err


def test_list_names_bundled_networks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "list"]) == 0
    assert capsys.readouterr().out.split() == sr.list_networks()


def test_export_bundled_network_gpkg(tmp_path: Path) -> None:
    out = tmp_path / "four_roads.gpkg"
    assert main(["network", "export", "four_roads", "--out", str(out)]) == 0
    back = gpd.read_file(out)
    net = sr.load_network("four_roads")
    legs = sum(len(s.stops) - 1 for s in net.services)
    assert len(back) == len(net.hubs) + len(net.links) + legs
    sea = back[(back["feature"] == "service_leg") & (back["mode"] == "sea")]
    # Sea legs follow the sea lanes (many vertices), not a straight line between the ports.
    assert len(sea) > 0 and all(len(g.coords) > 2 for g in sea.geometry if g.geom_type == "LineString")

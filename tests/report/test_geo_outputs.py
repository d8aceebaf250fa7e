"""The geographic formats through the scenario runner: registered, written, and atomic."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import matplotlib.image
import pytest

from silkroad_routing.scenario import outputs
from silkroad_routing.scenario.runner import run_scenario
from silkroad_routing.scenario.schema import OutputFormat

DATA = Path(__file__).resolve().parents[1] / "data"
GEO_FORMATS = (OutputFormat.GEOJSON, OutputFormat.GPKG, OutputFormat.HTML, OutputFormat.PNG)
GEO_FILES = {"routes.geojson", "flows.geojson", "hubs.geojson", "routes.gpkg", "map.html", "map.png"}


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    """The mini scenario (tests/data) asking for the geographic formats only."""
    text = (DATA / "mini_scenario.yaml").read_text(encoding="utf-8").replace(
        "network: mini_network", f"network: {(DATA / 'mini_network').resolve()}")
    path = tmp_path / "mini.yaml"
    path.write_text(text + "outputs: {formats: [geojson, gpkg, html, png]}\n", encoding="utf-8")
    return path


def test_geographic_formats_are_registered() -> None:
    assert set(GEO_FORMATS) <= set(outputs.OUTPUT_WRITERS)


def test_run_writes_routes_and_maps(scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_scenario(scenario, out=out, fast=True)
    assert {p.name for p in result.files} == GEO_FILES
    assert {p.name for p in out.iterdir()} == GEO_FILES  # and no staging folder left
    legs = gpd.read_file(out / "routes.geojson")
    assert len(legs) == len(result.plan.legs)
    assert sorted(legs["shipment_id"]) == sorted(result.plan.legs["shipment_id"])
    assert len(gpd.read_file(out / "routes.gpkg", layer="hubs")) > 0
    assert "<h1>mini</h1>" in (out / "map.html").read_text(encoding="utf-8")
    assert matplotlib.image.imread(out / "map.png").shape[:2] == (1000, 1600)


def test_a_failing_writer_leaves_no_geographic_file(scenario: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The PNG writer runs last and fails half-way: none of the files written before it (routes,
    maps) nor its own half file reach the output folder."""

    def broken_png(result: object, folder: Path) -> list[Path]:
        (folder / "map.png").write_bytes(b"\x89PNG half")
        raise OSError("disk full")

    monkeypatch.setitem(outputs.OUTPUT_WRITERS, OutputFormat.PNG, broken_png)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="disk full"):
        run_scenario(scenario, out=out, fast=True)
    assert not out.exists() or not any(out.iterdir())


def test_writers_use_the_scenario_name_and_time_zone(scenario: Path, tmp_path: Path) -> None:
    result = run_scenario(scenario, fast=True)
    assert result.scenario.horizon.timezone == "Asia/Shanghai"
    [page] = outputs.write_html(result, tmp_path)
    text = page.read_text(encoding="utf-8")
    start = result.plan.start.astimezone(result.scenario.horizon.tz)
    assert f"horizon from {start:%Y-%m-%d}" in text

"""The equipment catalog: bundled data with sources, and loader errors naming where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from silkroad_routing.errors import InputError
from silkroad_routing.io import load_equipment
from silkroad_routing.io.equipment import bundled_equipment_path
from silkroad_routing.model import source_keys
from silkroad_routing.model.equipment import UnitKind


def test_bundled_catalog_has_every_kind_and_cites_every_row():
    catalog = load_equipment()
    kinds = {u.kind for u in catalog.units}
    assert kinds == set(UnitKind)
    assert {"20GP", "40GP", "40HC", "20RF", "40RF", "PMC", "PAG", "AKE", "TRL136"} <= set(
        catalog.by_code)
    assert {w.slots_teu for w in catalog.wagons} == {2, 3, 4}
    assert {a.code for a in catalog.aircraft} == {"B748F", "B77F"}
    known = {s.key for s in catalog.sources}
    for item in (*catalog.units, *catalog.wagons, *catalog.aircraft):
        assert source_keys(item.source) and set(source_keys(item.source)) <= known
    for unit in catalog.units:
        if unit.tare_kg is not None:
            assert unit.max_gross_kg == unit.payload_kg + unit.tare_kg


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "eq"
    folder.mkdir()
    src = bundled_equipment_path()
    shutil.copy(src.with_name("equipment_sources.csv"), folder / "equipment_sources.csv")
    text = src.read_text(encoding="utf-8")
    assert old in text
    (folder / "equipment.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder / "equipment.csv"


@pytest.mark.parametrize(
    ("old", "new", "field", "value"),
    [
        ("40HC,40-foot high-cube dry container,container,sea;rail;road,76.2",
         "40HC,40-foot high-cube dry container,container,sea;rail;road,-76.2", "volume_m3",
         "-76.2"),
        (",container,sea;rail;road,33.2", ",box,sea;rail;road,33.2", "kind", "box"),
        ("SGMMNS40,Sgmmns 40-foot container wagon (Uniwagon),wagon,rail,,74500",
         "SGMMNS40,Sgmmns 40-foot container wagon (Uniwagon),wagon,rail,5,74500", "volume_m3",
         "5"),
        ("uniwagon_40,one FEU", "no_such_source,one FEU", "source", "no_such_source"),
    ],
)
def test_errors_name_file_row_column_and_value(tmp_path, old, new, field, value):
    path = _broken(tmp_path, old, new)
    with pytest.raises(InputError) as info:
        load_equipment(path)
    err = info.value
    assert err.file == str(path) and err.row is not None
    assert err.field == field and str(err.value) == value


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_equipment(tmp_path / "nope.csv")

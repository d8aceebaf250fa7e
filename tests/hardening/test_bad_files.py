"""Bad demand files (CSV, Parquet, xlsx), bad network folders and bad ``silkroad route``
options: each refused with exit code 2 and one message naming the file, row, field and value.
Also what must be accepted: Excel's "CSV UTF-8" (a byte-order mark), ``;``-separated files and
xlsx demand."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hardening_checks import Refuse

from silkroad_routing.scenario.load import read_scenario
from silkroad_routing.scenario.runner import prepare

HEADER = "id,origin,destination,ready,weight_kg,volume_m3"
GOOD_ROW = "D1,CGO,LUX,2026-11-05,100,1"


def _with_demand_file(mini: Path, name: str) -> Path:
    """Point the mini scenario at a demand file ``name`` beside it; return the file's path."""
    text = mini.read_text(encoding="utf-8")
    mini.write_text(text.replace("demand:\n", f"demand:\n  file: {{path: {name}}}\n"),
                    encoding="utf-8")
    return mini.parent / name


#: (id, file text (str: UTF-8, bytes: as is), parts of the message besides the file)
CSV_CASES: list[tuple[str, str | bytes, list[str]]] = [
    ("weight text", f"{HEADER}\n{GOOD_ROW}\nD2,CGO,LUX,2026-11-05,heavy,1\n",
     ["row 2", "field 'weight_kg'", "'heavy'"]),
    ("weight infinite", f"{HEADER}\nD2,CGO,LUX,2026-11-05,inf,1\n",
     ["row 1", "field 'weight_kg'", "'inf'", "finite"]),
    ("weight 1e308", f"{HEADER}\nD2,CGO,LUX,2026-11-05,1e308,1\n",
     ["row 1", "field 'weight_kg'", "'1e308'"]),
    ("weight NaN", f"{HEADER}\nD2,CGO,LUX,2026-11-05,nan,1\n", ["field 'weight_kg'", "'nan'"]),
    ("weight bool text", f"{HEADER}\nD2,CGO,LUX,2026-11-05,true,1\n", ["field 'weight_kg'", "'true'"]),
    ("volume zero", f"{HEADER}\nD2,CGO,LUX,2026-11-05,100,0\n", ["field 'volume_m3'", "'0'"]),
    ("ready as Unix time", f"{HEADER}\nD2,CGO,LUX,1762156800,100,1\n",
     ["field 'ready'", "not as a number"]),
    ("ready outside horizon", f"{HEADER}\nD2,CGO,LUX,2030-01-01,100,1\n",
     ["row 1", "field 'ready'", "outside the horizon"]),
    ("city name for a hub", f"{HEADER}\nD2,CGO,HAMBURG,2026-11-05,100,1\n",
     ["row 1", "field 'destination'", "'HAMBURG'", "did you mean DEHAM"]),
    ("same hub", f"{HEADER}\nD2,CGO,CGO,2026-11-05,100,1\n", ["row 1", "same hub"]),
    ("missing column", "id,origin,destination,ready,weight_kg\nD2,CGO,LUX,2026-11-05,100\n",
     ["row 1", "field 'volume_m3'", "required column is missing"]),
    ("unknown column", f"{HEADER},colour\nD2,CGO,LUX,2026-11-05,100,1,red\n",
     ["row 1", "field 'colour'", "unknown column"]),
    ("more cells than header", f"{HEADER}\nD2,CGO,LUX,2026-11-05,100,1,extra\n",
     ["row 1", "more cells than the header"]),
    ("modes empty", f"{HEADER},modes\nD2,CGO,LUX,2026-11-05,100,1,;\n", ["field 'modes'"]),
    ("units bool-ish", f"{HEADER},units_feu\nD2,CGO,LUX,2026-11-05,100,1,yes\n",
     ["field 'units_feu'", "'yes'"]),
    ("units 10**12", f"{HEADER},units_feu\nD2,CGO,LUX,2026-11-05,100,1,1000000000000\n",
     ["field 'units_feu'"]),
    ("header only", f"{HEADER}\n", ["demand file has no shipments"]),
    ("empty file", "", ["demand file has no shipments"]),
    ("Latin-1 file", f"{HEADER},note\nD2,CGO,LUX,2026-11-05,100,1,café\n".encode("latin-1"),
     ["not UTF-8", "0xE9", "line 2", "CSV UTF-8"]),
    ("NUL byte", f"{HEADER}\nD2,CGO,LUX,2026-11-05,100,1\x00\n".encode(), ["NUL byte", "line 2"]),
    ("semicolons, one bad value", f"{HEADER.replace(',', ';')}\nD2;CGO;LUX;2026-11-05;-5;1\n",
     ["row 1", "field 'weight_kg'", "'-5'"]),
    ("BOM and a bad value", "\ufeff" + f"{HEADER}\nD2,CGO,LUX,2026-11-05,-5,1\n",
     ["row 1", "field 'weight_kg'"]),
    ("several bad rows", f"{HEADER}\nD1,CGO,LUX,2026-11-05,-1,1\nD2,CGO,LUX,2026-11-05,1,-1\n",
     ["2 problems", "row 1", "field 'weight_kg'", "row 2", "field 'volume_m3'"]),
]


@pytest.mark.parametrize(("content", "parts"), [c[1:] for c in CSV_CASES],
                         ids=[c[0] for c in CSV_CASES])
def test_bad_demand_csv(mini: Path, refused: Refuse, content: str | bytes, parts: list[str]) -> None:
    path = _with_demand_file(mini, "orders.csv")
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    refused(["validate", mini], str(path), *parts)


def test_demand_file_repeating_an_inline_id(mini: Path, refused: Refuse) -> None:
    path = _with_demand_file(mini, "orders.csv")
    path.write_text(f"{HEADER}\nS1,CGO,LUX,2026-11-05,100,1\n", encoding="utf-8")
    refused(["validate", mini], str(mini), "field 'demand.file'", "duplicate shipment id", "'S1'")


@pytest.mark.parametrize("content", [
    "\ufeff" + f"{HEADER}\n{GOOD_ROW}\n",  # Excel's "CSV UTF-8"
    f"{HEADER.replace(',', ';')}\n{GOOD_ROW.replace(',', ';')}\n",  # Excel in a ; locale
    f"{HEADER.replace(',', chr(9))}\n{GOOD_ROW.replace(',', chr(9))}\n",  # tab-separated
    f"{HEADER.replace(',', ';')},modes\n{GOOD_ROW.replace(',', ';')},\"air;road\"\n".replace(
        ",modes", ";modes").replace(',"air', ';"air'),  # a quoted list cell
], ids=["BOM", "semicolons", "tabs", "semicolons and a list cell"])
def test_demand_csv_dialects_are_read(mini: Path, content: str) -> None:
    path = _with_demand_file(mini, "orders.csv")
    path.write_text(content, encoding="utf-8")
    shipments = {s.id: s for s in prepare(read_scenario(mini)).shipments.records()}
    assert shipments["D1"].weight_kg == 100.0 and shipments["D1"].destination == "LUX"


ROW: dict[str, Any] = {"id": "P1", "origin": "CGO", "destination": "LUX", "ready": "2026-11-05",
                       "weight_kg": 100.0, "volume_m3": 1.0}

#: (id, column changed, its value (a one-row Parquet column), parts of the message)
PARQUET_CASES: list[tuple[str, str, Any, list[str]]] = [
    ("weight bool", "weight_kg", True, ["row 1", "field 'weight_kg'", "not true or false"]),
    ("ready integer", "ready", 1762156800, ["row 1", "field 'ready'", "not as a number"]),
    ("weight text", "weight_kg", "heavy", ["row 1", "field 'weight_kg'", "'heavy'"]),
    ("weight infinite", "weight_kg", float("inf"), ["row 1", "field 'weight_kg'", "finite"]),
    ("units bool", "units_feu", True, ["row 1", "field 'units_feu'", "not true or false"]),
    ("hub unknown", "origin", "DUISBURG", ["row 1", "field 'origin'", "'DUISBURG'"]),
]


@pytest.mark.parametrize(("column", "value", "parts"), [c[1:] for c in PARQUET_CASES],
                         ids=[c[0] for c in PARQUET_CASES])
def test_bad_demand_parquet(mini: Path, refused: Refuse, column: str, value: Any,
                            parts: list[str]) -> None:
    path = _with_demand_file(mini, "orders.parquet")
    pq.write_table(pa.Table.from_pylist([{**ROW, column: value}]), path)
    refused(["validate", mini], str(path), *parts)


def test_corrupt_parquet(mini: Path, refused: Refuse) -> None:
    path = _with_demand_file(mini, "orders.parquet")
    path.write_bytes(b"PAR1 not really")
    refused(["validate", mini], str(path), "cannot read the Parquet file")


def _xlsx(path: Path, rows: list[list[Any]]) -> None:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


XLSX_HEADER = ["id", "origin", "destination", "ready", "weight_kg", "volume_m3"]
XLSX_CASES: list[tuple[str, list[Any], list[str]]] = [
    ("weight bool", ["X1", "CGO", "LUX", "2026-11-05", True, 1], ["row 1", "field 'weight_kg'",
                                                                  "not true or false"]),
    ("weight text", ["X1", "CGO", "LUX", "2026-11-05", "heavy", 1], ["row 1", "'heavy'"]),
    ("hub unknown", ["X1", "CGO", "LUXEMBOURG", "2026-11-05", 5, 1],
     ["row 1", "field 'destination'", "did you mean LUX"]),
    ("ready number", ["X1", "CGO", "LUX", 46000, 5, 1], ["row 1", "field 'ready'", "not as a number"]),
]


@pytest.mark.parametrize(("row", "parts"), [c[1:] for c in XLSX_CASES],
                         ids=[c[0] for c in XLSX_CASES])
def test_bad_demand_xlsx(mini: Path, refused: Refuse, row: list[Any], parts: list[str]) -> None:
    path = _with_demand_file(mini, "orders.xlsx")
    _xlsx(path, [XLSX_HEADER, row])
    refused(["validate", mini], str(path), *parts)


def test_xlsx_demand_is_read(mini: Path) -> None:
    path = _with_demand_file(mini, "orders.xlsx")
    from datetime import datetime

    _xlsx(path, [XLSX_HEADER, ["X1", "CGO", "LUX", datetime(2026, 11, 5, 8), 250, 2],
                 [None] * 6, ["X2", "ZZRT", "DEHAM", "2026-11-06", 9000.5, 40]])
    shipments = {s.id: s for s in prepare(read_scenario(mini)).shipments.records()}
    local = shipments["X1"].ready.astimezone(ZoneInfo("Asia/Shanghai"))  # the mini horizon's
    assert shipments["X1"].weight_kg == 250.0 and local.hour == 8
    assert shipments["X2"].volume_m3 == 40.0 and shipments["X2"].origin == "ZZRT"


@pytest.mark.parametrize(("name", "content", "parts"), [
    ("orders.xlsx", b"not a zip", ["cannot read the Excel workbook"]),
    ("orders.json", b"[]", ["must be .csv, .parquet or .xlsx", "'.json'"]),
    ("missing.csv", None, ["demand file not found"]),
], ids=["corrupt xlsx", "wrong suffix", "missing"])
def test_bad_demand_file_kind(mini: Path, refused: Refuse, name: str, content: bytes | None,
                              parts: list[str]) -> None:
    path = _with_demand_file(mini, name)
    if content is not None:
        path.write_bytes(content)
    refused(["validate", mini], str(path), *parts)


def test_demand_path_is_a_folder(mini: Path, refused: Refuse) -> None:
    path = _with_demand_file(mini, "orders.csv")
    path.mkdir()
    refused(["validate", mini], str(path), "not a regular file")


# --------------------------------------------------------------------------------------------
# Network folders (the mini scenario's ./net, one cell changed)
# --------------------------------------------------------------------------------------------

NETWORK_CASES: list[tuple[str, str, str, str, list[str]]] = [
    # (id, file, old text, new text, parts)
    ("hub latitude text", "hubs.csv", "34.5197", "north", ["row 1", "field 'lat'", "'north'"]),
    ("hub latitude infinite", "hubs.csv", "34.5197", "inf", ["row 1", "field 'lat'"]),
    ("link duration infinite", "links.csv", "40,1.5,150", "40,inf,150",
     ["row 1", "field 'duration_h'", "'inf'", "finite"]),
    ("link price overflow", "links.csv", "40,1.5,150", "40,1.5,1e400",
     ["row 1", "field 'price_usd'", "'1e400'", "finite"]),
    ("service leg NaN", "services.csv", "300;80", "300;nan", ["row 2", "field 'leg_h'", "'300;nan'"]),
    ("service unknown stop", "services.csv", "ZZRT;BRE-MAL;DEHAM", "ZZRT;NOPE;DEHAM",
     ["row 2", "field 'stops'", "'NOPE'"]),
    ("duplicate hub code", "hubs.csv", "ZZRT,Zhengzhou rail", "CGO,Zhengzhou rail",
     ["row 2", "duplicate hub code"]),
    ("link unknown hub", "links.csv", "T-CGO-ZZRT,CGO,ZZRT", "T-CGO-ZZRT,CGO,ZZRX",
     ["field 'to_hub'", "'ZZRX'"]),
    ("missing hub column", "hubs.csv", "code,name,kind", "code,nom,kind",
     ["field 'name'", "required column is missing"]),
    ("Latin-1 hubs", "hubs.csv", "Brest / Malaszewicze", "Brest / Małaszewicze",
     ["not UTF-8", "CSV UTF-8"]),
    ("NUL in links", "links.csv", "T-LUX-HAM", "T-LUX\x00HAM", ["NUL byte"]),
    ("bad weekday", "services.csv", "Mon;Thu", "Mon;Thx", ["field 'weekdays'", "'Mon;Thx'"]),
]


@pytest.mark.parametrize(("file", "old", "new", "parts"), [c[1:] for c in NETWORK_CASES],
                         ids=[c[0] for c in NETWORK_CASES])
def test_bad_network_folder(mini: Path, refused: Refuse, file: str, old: str, new: str,
                            parts: list[str]) -> None:
    path = mini.parent / "net" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    encoding = "latin-1" if "ł" in new else "utf-8"
    path.write_bytes(text.encode("utf-8").replace("ł".encode(), "\xb3".encode("latin-1"))
                     if encoding == "latin-1" else text.encode("utf-8"))
    refused(["validate", mini], str(path), *parts)
    refused(["network", "show", mini.parent / "net"], str(path), *parts)


def test_network_csv_with_bom_is_read(mini: Path) -> None:
    path = mini.parent / "net" / "hubs.csv"
    path.write_text("\ufeff" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert "CGO" in prepare(read_scenario(mini)).network.hub_by_code


def test_network_without_hubs(mini: Path, refused: Refuse) -> None:
    (mini.parent / "net" / "hubs.csv").unlink()
    refused(["validate", mini], "hubs.csv", "a network folder needs hubs.csv")


# --------------------------------------------------------------------------------------------
# silkroad route options
# --------------------------------------------------------------------------------------------

GOOD = ["CNCGO", "DEHAM", "--weight-kg", "18000", "--ready", "2026-11-03"]


def _route(**changes: str) -> list[str]:
    args = dict(zip(["FROM", "TO"], GOOD[:2], strict=True))
    options = {"--weight-kg": "18000", "--ready": "2026-11-03"}
    for key, value in changes.items():
        if key in ("FROM", "TO"):
            args[key] = value
        else:
            options["--" + key.replace("_", "-")] = value
    return ["route", args["FROM"], args["TO"], *[x for kv in options.items() for x in kv]]


ROUTE_CASES: list[tuple[str, list[str], list[str]]] = [
    ("weight infinite", _route(weight_kg="inf"), ["field '--weight-kg'", "inf"]),
    ("weight NaN", _route(weight_kg="nan"), ["field '--weight-kg'", "nan"]),
    ("weight 1e308", _route(weight_kg="1e308"), ["field '--weight-kg'", "1e+308"]),
    ("weight zero", _route(weight_kg="0"), ["field '--weight-kg'", "0.0"]),
    ("weight negative", _route(weight_kg="-5"), ["field '--weight-kg'", "-5.0"]),
    ("volume infinite", _route(volume_m3="inf"), ["field '--volume-m3'", "inf"]),
    ("volume zero", _route(volume_m3="0"), ["field '--volume-m3'"]),
    ("ready year 9999", _route(ready="9999-11-03"), ["field '--ready'", "between 1970 and 2200"]),
    ("ready Unix time", _route(ready="1762156800"), ["field '--ready'", "not as a number"]),
    ("ready garbage", _route(ready="soon"), ["field '--ready'", "'soon'"]),
    ("due before ready", _route(due="2026-11-01"), ["field '--due'", "not after the ready"]),
    ("modes empty", _route(modes=""), ["field '--modes'", "no mode given"]),
    ("modes commas", _route(modes=",,"), ["field '--modes'", "no mode given"]),
    ("mode unknown", _route(modes="rail,boat"), ["field '--modes'", "'rail,boat'"]),
    ("same hub", _route(TO="CNCGO"), ["field 'TO'", "same hub"]),
    ("city name", _route(TO="DUISBURG"), ["field 'TO'", "'DUISBURG'", "did you mean DEDUI"]),
    ("unknown origin", _route(FROM="XXXXX"), ["field 'FROM'", "'XXXXX'"]),
    ("timezone unknown", _route(timezone="Mars/Olympus"), ["field '--timezone'", "'Mars/Olympus'"]),
    ("timezone very long", _route(timezone="A" * 5000), ["field '--timezone'", "characters"]),
    ("network unknown", _route(network="atlantis"), ["field '--network'", "'atlantis'"]),
    ("network folder missing", _route(network="./nowhere"), ["'./nowhere'", "does not exist"]),
]


@pytest.mark.parametrize(("argv", "parts"), [c[1:] for c in ROUTE_CASES],
                         ids=[c[0] for c in ROUTE_CASES])
def test_bad_route_option(refused: Refuse, argv: list[str], parts: list[str]) -> None:
    refused(argv, *parts)


def test_every_bad_row_of_a_network_file_at_once(mini: Path, refused: Refuse) -> None:
    path = mini.parent / "net" / "hubs.csv"
    text = path.read_text(encoding="utf-8").replace("34.5197", "north").replace("52.05", "south")
    path.write_text(text, encoding="utf-8")
    refused(["network", "show", mini.parent / "net"], "2 problems", "row 1", "'north'", "row 3",
            "'south'")

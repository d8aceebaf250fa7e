"""The files a run writes, as a forwarder reads them: every table rounded (USD to the cent, kg to
0.1, times to the minute) with local times beside UTC in each hub's zone; the xlsx workbook read
back with openpyxl equals the CSV tables; the itineraries are the plan's legs, priced on the
basis and quantity recomputed by hand; the workbook is byte-identical run after run."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest

import silkroad_routing as sr
from silkroad_routing.scenario.outputs import write_xlsx
from silkroad_routing.scenario.runner import ScenarioResult
from silkroad_routing.tables.rounding import decimals

DATA = Path(__file__).parents[1] / "data"
TABLES = ("plan", "shipments", "itineraries", "units", "departures", "allocation")
#: Zones of the test network's hubs, from an atlas (not from the code under test).
ATLAS = {"CGO": "Asia/Shanghai", "ZZRT": "Asia/Shanghai", "DEHAM": "Europe/Berlin",
         "LUX": "Europe/Luxembourg", "BRE-MAL": "Europe/Warsaw"}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScenarioResult, Path]:
    folder = tmp_path_factory.mktemp("run")
    text = (DATA / "mini_scenario.yaml").read_text(encoding="utf-8")
    text = text.replace("network: mini_network", f"network: {(DATA / 'mini_network').resolve()}")
    text = text.replace("kind: route", "kind: consolidate")
    path = folder / "mini.yaml"
    path.write_text(text + "outputs: {formats: [csv, parquet, json, xlsx]}\n", encoding="utf-8")
    return sr.run_scenario(path, out=folder / "out"), folder / "out"


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    """Every table file of the run, by file name."""
    found = {f"{stem}.csv": pd.read_csv(out / f"{stem}.csv", keep_default_na=False)
             for stem in TABLES}
    found |= {p.name: pd.read_parquet(p) for p in out.glob("*.parquet")}
    book = openpyxl.load_workbook(out / "workbook.xlsx")
    for sheet in book.worksheets:
        rows = list(sheet.values)
        found[f"workbook.xlsx:{sheet.title}"] = pd.DataFrame(
            rows[1:], columns=[str(h).removesuffix(" (UTC)") for h in rows[0]])
    return found


def test_every_table_file_is_rounded(run: tuple[ScenarioResult, Path]) -> None:
    checked = 0
    for name, table in _tables(run[1]).items():
        for column in table.columns:
            places = decimals(str(column))
            for value in table[column]:
                if isinstance(value, float) and places is not None and math.isfinite(value):
                    assert abs(round(value, places) - value) < 1e-9, (name, column, value)
                    checked += 1
                elif isinstance(value, str) and column in ("departure", "arrival", "ready",
                                                           "due", "departure_time") \
                        and value[:4].isdigit():  # departures.csv: ``departure`` is an id
                    assert pd.Timestamp(value).second == 0, (name, column, value)
                elif isinstance(value, datetime | pd.Timestamp) and not pd.isna(value):
                    assert value.second == 0 and value.microsecond == 0, (name, column, value)
    assert checked > 1000
    shipments = pd.read_csv(run[1] / "shipments.csv", keep_default_na=False)
    routed = shipments[shipments["routed"]]
    assert ((routed["transit_days"] - routed["hours"] / 24).abs() <= 0.0051).all()


def _local_pairs(table: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(UTC column, local column, zone column) of each local time of ``table``."""
    zone_of = {"ready": "origin_tz", "due": "destination_tz"}
    if "from_tz" in table.columns:
        zone_of |= {"departure": "from_tz", "arrival": "to_tz", "departure_time": "from_tz"}
    else:
        zone_of |= {"departure": "origin_tz", "arrival": "destination_tz"}
    return [(c, f"{c}_local", z) for c, z in zone_of.items() if f"{c}_local" in table.columns]


def test_local_times_beside_utc_in_each_hub_zone(run: tuple[ScenarioResult, Path]) -> None:
    checked = set()
    for name, table in _tables(run[1]).items():
        for hub_column, zone_column in (("from_hub", "from_tz"), ("to_hub", "to_tz"),
                                        ("origin", "origin_tz"),
                                        ("destination", "destination_tz")):
            if hub_column in table.columns and "_local" in " ".join(map(str, table.columns)):
                assert zone_column in table.columns, (name, hub_column)
                for hub, zone in zip(table[hub_column], table[zone_column], strict=True):
                    assert zone == ATLAS[hub], (name, hub, zone)
        for utc_column, local_column, zone_column in _local_pairs(table):
            for utc, local, zone in zip(table[utc_column], table[local_column],
                                        table[zone_column], strict=True):
                if not isinstance(local, str) or not local:  # no due date: empty
                    assert utc in ("", None) or pd.isna(utc)
                    continue
                at = pd.Timestamp(utc)
                at = at.tz_localize("UTC") if at.tzinfo is None else at  # xlsx: naive UTC
                seen = datetime.fromisoformat(local)
                assert seen == at.to_pydatetime(), (name, local_column, utc, local)
                assert seen.utcoffset() == at.to_pydatetime().astimezone(
                    ZoneInfo(zone)).utcoffset(), (name, local, zone)
            checked.add(name)
    # The plan, shipments, itineraries and departures carry local times in every format.
    for name in ("plan.csv", "shipments.csv", "itineraries.csv", "departures.csv",
                 "plan.parquet", "shipments.parquet", "workbook.xlsx:shipments",
                 "workbook.xlsx:itineraries"):
        assert name in checked, name


def _same(csv_value: str, xlsx_value: Any) -> bool:
    if xlsx_value is None:
        return csv_value == ""
    if isinstance(xlsx_value, bool):
        return csv_value == str(xlsx_value)
    if isinstance(xlsx_value, datetime):
        return pd.Timestamp(csv_value).tz_convert(None) == pd.Timestamp(xlsx_value)
    if isinstance(xlsx_value, int | float):
        return float(csv_value) == pytest.approx(float(xlsx_value), abs=1e-9)
    return csv_value == xlsx_value


def test_xlsx_read_back_equals_the_csv_tables(run: tuple[ScenarioResult, Path]) -> None:
    out = run[1]
    book = openpyxl.load_workbook(out / "workbook.xlsx")
    assert book.sheetnames == ["summary", "shipments", "itineraries", "utilisation", "sources"]
    for sheet in ("shipments", "itineraries"):
        csv = pd.read_csv(out / f"{sheet}.csv", dtype=str, keep_default_na=False)
        rows = list(book[sheet].values)
        assert [h.removesuffix(" (UTC)") for h in rows[0]] == list(csv.columns)
        assert len(rows) - 1 == len(csv) > 0
        for record, row in zip(csv.itertuples(index=False), rows[1:], strict=True):
            for column, csv_value, xlsx_value in zip(csv.columns, record, row, strict=True):
                assert _same(csv_value, xlsx_value), (sheet, column, csv_value, xlsx_value)
    summary = dict(list(book["summary"].values)[1:])
    kpis = run[0].kpis
    assert summary["scenario"] == "mini" and summary["shipments"] == kpis["shipments"]
    assert summary["total_cost_usd"] == round(kpis["total_cost_usd"], 2)
    sources = list(book["sources"].values)
    assert len(sources) - 1 == len(run[0].network.sources)
    utilisation = pd.DataFrame(list(book["utilisation"].values)[1:],
                               columns=next(book["utilisation"].values))
    hubs = utilisation[utilisation["kind"] == "hub"].set_index("id")
    for code, hub in kpis["hubs"].items():
        assert hubs.at[code, "load_t"] == pytest.approx(hub["throughput_t"], abs=0.0005)


def test_itinerary_legs_equal_the_plan_legs(run: tuple[ScenarioResult, Path]) -> None:
    result, out = run
    itinerary = pd.read_csv(out / "itineraries.csv", keep_default_na=False)
    legs = result.plan.selected().legs
    assert len(itinerary) == len(legs) > 0
    shipments = {s.id: s for s in result.shipments}
    for row, leg in zip(itinerary.itertuples(index=False), legs.itertuples(index=False),
                        strict=True):
        assert (row.shipment_id, row.leg, row.from_hub, row.to_hub, row.mode) == (
            leg.shipment_id, leg.leg, leg.from_hub, leg.to_hub, leg.mode)
        assert pd.Timestamp(row.departure) == leg.departure.round("min")
        assert pd.Timestamp(row.arrival) == leg.arrival.round("min")
        for column in ("freight_usd", "handling_usd", "cost_usd"):
            assert getattr(row, column) == pytest.approx(getattr(leg, column), abs=0.005)
        assert row.service == (leg.service_id or leg.link_id)
        # The basis and quantity, recomputed by hand from the shipment.
        s = shipments[row.shipment_id]
        fill = max(s.volume_m3 / 67.0, s.weight_kg / 26_500.0)
        element = (result.network.service_by_id[leg.service_id] if leg.kind == "service"
                   else result.network.link_by_id[leg.link_id])
        if element.price_basis in ("feu", "truck") and fill >= 0.5:
            assert row.quantity == max(1, math.ceil(fill - 1e-9))
            assert row.quantity_unit in ("FEU", "truck")
        elif element.price_basis == "kg_chargeable":
            assert row.quantity == pytest.approx(
                max(s.weight_kg, s.volume_m3 * 1e6 / 6000), abs=0.005)
        elif element.price_basis in ("feu", "truck", "wm"):
            assert (row.price_basis, row.quantity) == (
                "wm", pytest.approx(max(s.weight_kg / 1000, s.volume_m3), abs=0.005))
    # Routed shipments only, each with its legs in order.
    routed = result.plan.selected().shipments.query("routed")
    assert set(itinerary["shipment_id"]) == set(routed["shipment_id"])


def test_workbook_is_byte_identical_run_after_run(run: tuple[ScenarioResult, Path],
                                                  tmp_path: Path) -> None:
    (first,) = write_xlsx(run[0], tmp_path)
    again = tmp_path / "again"
    again.mkdir()
    (second,) = write_xlsx(run[0], again)
    assert first.read_bytes() == second.read_bytes() == (run[1] / "workbook.xlsx").read_bytes()

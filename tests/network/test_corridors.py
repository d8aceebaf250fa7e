"""Transit time and price per corridor and direction inside published ranges.

The ranges and their sources are in ``networks/four_roads/corridors.csv`` (rendered in the docs,
page "Corridors"). Each corridor is routed for a load ready at seven times 27 hours apart
(every weekday, at seven hours of the day), and every result must lie in its range: fastest for
times, cheapest for prices. ``transit`` is measured from the first departure to the arrival at
the destination before its import clearance (the plan's arrival is the release, so the
destination's import hours from process.csv are taken off); ``door_to_door`` from ready to
release.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest

import silkroad_routing as sr
from silkroad_routing.io.network_files import bundled_networks_root
from silkroad_routing.model import ProcessStage

FILE = bundled_networks_root() / "four_roads" / "corridors.csv"
READY = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
LOADS = {"feu": (12_000.0, 60.0), "parcel": (500.0, 2.0)}


def corridors() -> list[dict[str, str]]:
    with FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@pytest.fixture(scope="module")
def net() -> sr.Network:
    return sr.load_network("four_roads")


def measured(net: sr.Network, row: dict[str, str], ready: datetime) -> float:
    weight, volume = LOADS[row["load"]]
    shipment = sr.Shipment(id=row["corridor"], origin=row["origin"], destination=row["destination"],
                           ready=ready, weight_kg=weight, volume_m3=volume,
                           modes=frozenset(row["modes"].split(";")))
    objective = "cheapest" if row["measure"] == "price" else "fastest"
    plan = sr.route(net, [shipment], objective, capacity="ignore")
    result, legs = plan.shipments.iloc[0], plan.legs
    assert result.routed, row["corridor"]
    if row["measure"] == "price":
        return float(result.cost_usd)
    if row["measure"] == "door_to_door":
        return (result.arrival - result.ready).total_seconds() / 86_400.0
    release = net.process_rule(row["destination"], sr.Mode(legs.iloc[-1]["mode"]),
                               ProcessStage.IMPORT)
    hours = (result.arrival - legs.iloc[0]["departure"]).total_seconds() / 3600.0
    return (hours - (release.hours if release else 0.0)) / 24.0


@pytest.mark.parametrize("row", corridors(), ids=lambda r: r["corridor"])
def test_corridor_inside_its_published_range(net: sr.Network, row: dict[str, str]) -> None:
    low, high = (("usd_min", "usd_max") if row["measure"] == "price" else ("days_min", "days_max"))
    low_value, high_value = float(row[low]), float(row[high])
    for k in range(7):
        value = measured(net, row, READY + timedelta(hours=27 * k))
        assert low_value <= value <= high_value, (row["corridor"], k, value, row["note"])


def test_the_table_covers_both_measures_and_each_row_names_its_source() -> None:
    rows = corridors()
    assert {r["measure"] for r in rows} >= {"door_to_door", "transit", "price"}
    for r in rows:
        figures = [c for c in ("days_min", "days_max", "usd_min", "usd_max") if r[c]]
        assert figures and all(f"{c}=" in r["source"] for c in figures), r["corridor"]

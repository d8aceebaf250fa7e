"""Every figure of the bundled networks traces to one source with a URL or a full citation.

The check reads the CSV files directly (not through the loader), so it sees every cell as a
planner does: a cell is a figure when each of its ``;``-separated parts is a number, or when it is
a frequency or departure time (``weekdays``, ``departure_time_utc``). Its source is the
``column=key`` entry of the row's ``source`` cell.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from silkroad_routing.io.network_files import bundled_networks_root
from silkroad_routing.model import source_columns

REPO = Path(__file__).resolve().parents[2]
NETWORKS = sorted(p for p in bundled_networks_root().iterdir() if (p / "hubs.csv").is_file())
TABLES = ("hubs.csv", "links.csv", "services.csv", "transfers.csv", "process.csv", "corridors.csv",
          "emission_factors.csv", "reliability_defaults.csv", "classes.csv")
SCHEDULE_COLUMNS = {"weekdays", "departure_time_utc"}
TEXT_COLUMNS = {"source", "note", "id", "code", "name", "operator", "hub", "stops", "regime",
                "corridor", "origin", "destination", "modes", "load", "measure"}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(lines)]


def is_figure(column: str, cell: str) -> bool:
    if not cell or column in TEXT_COLUMNS:
        return False
    if column in SCHEDULE_COLUMNS:
        return True
    try:
        [float(part) for part in cell.split(";")]
    except ValueError:
        return False
    return True


def has_url_or_full_citation(source: dict[str, str]) -> bool:
    """A web address, a file of this repository, or a citation that names its date."""
    url = source["url"]
    if url.startswith(("http://", "https://")):
        return True
    if url and (REPO / url).is_file():
        return True
    return bool(source["year"]) and source["year"] in source["citation"] and len(source["citation"]) > 60


@pytest.mark.parametrize("folder", NETWORKS, ids=lambda p: p.name)
def test_every_figure_traces_to_one_source(folder: Path) -> None:
    sources = {s["key"]: s for s in rows(folder / "sources.csv")}
    checked = 0
    for table in (t for t in TABLES if (folder / t).is_file()):
        for number, row in enumerate(rows(folder / table), start=1):
            named = source_columns(row["source"])  # raises if a column has two sources
            for column, cell in row.items():
                if not is_figure(column, cell):
                    continue
                where = f"{table} row {number} column {column} = {cell!r}"
                assert column in named, f"{where}: no {column}=<key> in source {row['source']!r}"
                assert named[column] in sources, f"{where}: unknown source {named[column]!r}"
                checked += 1
    assert checked > 1000  # the bundled network has thousands of figures, not a handful


@pytest.mark.parametrize("folder", NETWORKS, ids=lambda p: p.name)
def test_every_source_has_a_url_or_a_full_citation(folder: Path) -> None:
    bad = [s["key"] for s in rows(folder / "sources.csv") if not has_url_or_full_citation(s)]
    assert not bad, f"sources without a URL or a full citation: {bad}"


def test_a_figure_without_its_own_source_is_found(tmp_path: Path) -> None:
    """The check itself: dropping one column=key entry is caught, naming the cell."""
    row = {"id": "X", "distance_km": "12", "source": "derived", "note": ""}
    named = source_columns(row["source"])
    missing = [c for c, v in row.items() if is_figure(c, v) and c not in named]
    assert missing == ["distance_km"]
    with pytest.raises(ValueError, match="two sources"):
        source_columns("lat=geonames;lat=airportsdata")

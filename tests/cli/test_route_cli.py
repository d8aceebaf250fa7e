"""``silkroad route``: the ranked options for one shipment on the bundled network."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pandas as pd
import pytest

import silkroad_routing as sr
from silkroad_routing.cli import main


def _rows(printed: str) -> list[list[str]]:
    """Cells of the table's first line of each row (rich box drawing, '│' separated)."""
    rows = []
    for line in printed.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells and cells[0].isdigit():
            rows.append(cells)
    return rows


@pytest.mark.parametrize("objective", ["cheapest", "fastest"])
def test_route_prints_ranked_options(objective: str, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per row is easier to read back
    args = ["route", "CNCGO", "DEHAM", "--weight-kg", "12000", "--volume-m3", "60",
            "--ready", "2026-11-02", "--due", "2026-12-10", "--objective", objective]
    assert main(args) == 0
    rows = _rows(capsys.readouterr().out)
    assert len(rows) >= 2
    # The first six by rank, then any option marked best for something that ranks lower.
    ranks = [int(r[0]) for r in rows]
    assert ranks[:6] == list(range(1, 7)) and ranks == sorted(ranks)
    assert all(r[-1] for r in rows[6:])
    costs = [float(r[5].replace(",", "")) for r in rows]
    days = [float(r[4]) for r in rows]
    # The top option is what sr.route itself picks for this objective (another code path).
    shipment = sr.Shipment(id="x", origin="CNCGO", destination="DEHAM",
                           ready=datetime(2026, 11, 2, tzinfo=UTC),
                           due=datetime(2026, 12, 10, tzinfo=UTC), weight_kg=12000, volume_m3=60)
    best = sr.route(sr.load_network("four_roads"), [shipment], objective=objective).shipments
    if objective == "cheapest":
        assert costs == sorted(costs)
        assert costs[0] == pytest.approx(best["cost_usd"].iloc[0], abs=0.5)
    else:
        assert days[0] == min(days)
        assert days[0] == pytest.approx(best["hours"].iloc[0] / 24, abs=0.05)
        assert "air" in rows[0][1]


@pytest.mark.parametrize(("args", "field", "value"), [
    (["CNCGO", "XXDEHAM", "--weight-kg", "10", "--ready", "2026-11-02"], "TO", "XXDEHAM"),
    (["CNCGO", "DEHAM", "--weight-kg", "-5", "--ready", "2026-11-02"], "--weight-kg", "-5"),
    (["CNCGO", "DEHAM", "--weight-kg", "5", "--ready", "2026-11-02", "--due", "2026-11-01"],
     "--due", "2026-11-01"),
    (["CNCGO", "DEHAM", "--weight-kg", "5", "--ready", "soon"], "--ready", "soon"),
    (["CNCGO", "DEHAM", "--weight-kg", "5", "--ready", "2026-11-02", "--network", "nowhere"],
     None, "nowhere"),
])
def test_route_bad_input_exits_2(args: list[str], field: str | None, value: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", *args]) == 2
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert "Traceback" not in captured.err and err.startswith("error:")
    assert value in err and (field is None or f"field '{field}'" in err)


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[dict, str]:
    assert main(["route", *args, "--json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


FCL = ["CNCGO", "DEDUI", "--weight-kg", "18000", "--volume-m3", "60", "--ready", "2026-11-03"]


def test_json_quote_options_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    document, _ = _json([*FCL, "--due", "2026-12-20", "--options", "20"], capsys)
    options = document["options"]
    assert len(options) >= 3 and [o["rank"] for o in options] == list(range(1, len(options) + 1))
    marks = [m for o in options for m in filter(None, o["best_for"].split(", "))]
    assert sorted(marks) == ["cheapest", "fastest", "greenest"]
    # Each mark is the option sr.route itself picks for that objective (another code path).
    shipment = sr.Shipment(id="x", origin="CNCGO", destination="DEDUI",
                           ready=datetime(2026, 11, 3, tzinfo=UTC),
                           due=datetime(2026, 12, 20, tzinfo=UTC), weight_kg=18000, volume_m3=60)
    network = sr.load_network("four_roads")
    # (USD rounded to the cent, kg CO2e to 0.1.)
    for mark, column, rounding in (("cheapest", "cost_usd", 0.005), ("greenest", "co2e_kg", 0.05)):
        best = sr.route(network, [shipment], objective=mark).shipments.iloc[0]
        marked = next(o for o in options if mark in o["best_for"])
        assert marked[column] == pytest.approx(best[column], abs=rounding)
    fastest = sr.route(network, [shipment], objective="fastest").shipments.iloc[0]
    marked = next(o for o in options if "fastest" in o["best_for"])
    assert pd.Timestamp(marked["arrival"]) == fastest["arrival"].round("min")
    for option in options:
        # The legs add up to the option; the FCL is priced per FEU on every rail leg, per
        # chargeable kg (18 t: more than 60 m3 x 166.7 kg) when it flies.
        assert sum(leg["cost_usd"] for leg in option["legs"]) == pytest.approx(
            option["cost_usd"], abs=0.005 * len(option["legs"]) + 0.005)
        assert "1 FEU" in option["priced_as"] or "18,000 kg chargeable" in option["priced_as"]
        rail = [leg for leg in option["legs"] if leg["mode"] == "rail"]
        assert all(leg["price_basis"] == "feu" and leg["quantity"] == 1 for leg in rail)
        assert option["arrival_local"].endswith("+01:00")  # Duisburg in November: CET
    assert document["shipment"]["volume_m3"] == 60 and document["complete"] is True


def test_csv_quote_equals_json(capsys: pytest.CaptureFixture[str]) -> None:
    document, _ = _json(FCL, capsys)
    assert main(["route", *FCL, "--csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert list(table["route"]) == [o["route"] for o in document["options"]]
    assert list(table["cost_usd"]) == [o["cost_usd"] for o in document["options"]]
    assert set(table["destination_tz"]) == {"Europe/Berlin"}


def test_default_volume_that_tips_into_more_units_is_warned(
        capsys: pytest.CaptureFixture[str]) -> None:
    base = ["CNCGO", "DEHAM", "--weight-kg", "18000", "--ready", "2026-11-03", "--modes",
            "rail,road"]
    assumed, err = _json(base, capsys)
    assert "assumed 72.0 m3" in err and "needs 2 FEU where the weight alone needs 1 FEU" in err
    assert assumed["notes"][0].startswith("no volume given")
    given, err = _json([*base, "--volume-m3", "60"], capsys)
    assert "no volume given" not in err
    assert assumed["options"][0]["priced_as"].startswith("2 FEU")
    assert given["options"][0]["priced_as"].startswith("1 FEU")
    assert assumed["options"][0]["cost_usd"] == pytest.approx(
        2 * given["options"][0]["cost_usd"], rel=0.01)
    units, err = _json([*base, "--units-feu", "3"], capsys)
    assert "no volume given" not in err and units["options"][0]["priced_as"].startswith("3 FEU")


def test_every_shipment_field_is_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    document, _ = _json([*FCL, "--cargo-class", "dangerous_goods", "--declared-value-usd",
                         "250000", "--objective", "generalized", "--regime", "9710"], capsys)
    shipment = document["shipment"]
    assert shipment["regime"] == "9710"
    assert (shipment["cargo_class"], shipment["declared_value_usd"]) == ("dangerous_goods",
                                                                         250000.0)
    assert set(sr.Shipment.model_fields) - {"id"} <= {
        "origin", "destination", "ready", "due", "weight_kg", "volume_m3", "units_feu",
        "cargo_class", "declared_value_usd", "modes", "regime", "storage_days"}


def test_sea_rail_without_road_explains_the_detour(capsys: pytest.CaptureFixture[str]) -> None:
    document, err = _json([*FCL, "--modes", "rail,sea", "--due", "2026-12-15"], capsys)
    detours = [n for n in document["notes"] if "is a detour" in n]
    assert detours and all("DEHAM -> BRE-MAL" in n for n in detours)
    # The detours are the options through Hamburg and back east to the border.
    for option in document["options"]:
        through = "sea DEHAM > rail BRE-MAL" in option["route"]
        assert through == any(option["route"] in n for n in detours)
    assert "it needs road" in document["notes"][-1] and "it needs road" in err


def test_no_route_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    document, _ = _json(["CGO", "ORD", "--weight-kg", "800", "--volume-m3", "4", "--ready",
                         "2026-11-03", "--modes", "road"], capsys)
    assert document["options"] == []
    assert document["notes"][0] == "no route with modes road (no path)"
    assert "CGO > air ORD" in document["notes"][1] and "it needs air" in document["notes"][1]


def test_json_and_csv_together_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", *FCL, "--json", "--csv"]) == 2
    assert "--json or --csv" in capsys.readouterr().err


def test_latest_ready_is_sr_latest_ready(capsys: pytest.CaptureFixture[str]) -> None:
    document, _ = _json([*FCL, "--due", "2026-12-20", "--modes", "rail,road", "--latest-ready"],
                        capsys)
    shipment = sr.Shipment(id="x", origin="CNCGO", destination="DEDUI",
                           ready=datetime(2026, 11, 3, tzinfo=UTC),
                           due=datetime(2026, 12, 20, tzinfo=UTC), weight_kg=18000, volume_m3=60,
                           modes=frozenset({"rail", "road"}))
    latest = sr.latest_ready(sr.load_network("four_roads"), shipment)
    assert latest is not None
    assert document["notes"][-1].endswith(f"{latest:%Y-%m-%d %H:%M +0000}")
    assert main(["route", *FCL, "--latest-ready"]) == 2  # no due date
    assert "needs a due date" in capsys.readouterr().err

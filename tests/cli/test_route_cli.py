"""``silkroad route``: the ranked options for one shipment on the bundled network."""

from __future__ import annotations

from datetime import UTC, datetime

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
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
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

"""The printable quote: the fastest, cheapest and greenest options side by side with the
numbers of the quote's options table, and each one's itinerary with the plan's legs."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import silkroad_routing as sr
from silkroad_routing.cli import main
from silkroad_routing.tables.quote import quote
from silkroad_routing.tables.quote_page import quote_html

FCL = sr.Shipment(id="Q<1>", origin="CNCGO", destination="DEDUI", weight_kg=18_000,
                  volume_m3=60, ready=datetime(2026, 11, 3, tzinfo=UTC),
                  due=datetime(2026, 12, 20, tzinfo=UTC))


def _tables(page: str) -> list[str]:
    return re.findall(r"<table>(.*?)</table>", page)


def test_quote_page_sets_the_options_side_by_side(four_roads: sr.Network) -> None:
    result = quote(four_roads, FCL)
    page = quote_html(result, four_roads)
    assert "Q&lt;1&gt;" in page and "<script" not in page
    picked = result.options[result.options["best_for"] != ""]
    assert {m for b in picked["best_for"] for m in b.split(", ")} == {
        "fastest", "cheapest", "greenest"}
    side, *itineraries = _tables(page)
    for row in picked.itertuples(index=False):
        assert f"{row.best_for} (option {row.rank})" in side
        assert f"{round(row.cost_usd, 2):,.2f}" in side and html.escape(row.route) in side
    # One itinerary per picked option: fastest, cheapest, greenest, each once.
    headings = re.findall(r"<h2>([^<]*): ([^<]*)</h2>", page)
    assert [h[0] for h in headings] == _ordered(picked) and len(itineraries) == len(picked)
    for (_, route), table in zip(headings, itineraries, strict=True):
        option = int(picked.loc[picked["route"] == html.unescape(route), "option"].iloc[0])
        legs = result.plan.route_of(FCL.id, option)
        assert table.count("<tr>") == len(legs) + 1  # a header row, then a row per leg
        for cost in legs["cost_usd"]:
            assert f"{round(cost, 2):,.2f}" in table
        assert "+08:00" in table and "+01:00" in table  # Zhengzhou and Duisburg local times


def _ordered(picked: object) -> list[str]:
    order = {"fastest": 0, "cheapest": 1, "greenest": 2}
    rows = sorted(picked.itertuples(index=False),  # type: ignore[attr-defined]
                  key=lambda r: (min(order[m] for m in r.best_for.split(", ")), r.rank))
    return [r.best_for for r in rows]


def test_route_command_writes_the_quote(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "quote.html"
    assert main(["route", "CNCGO", "DEDUI", "--weight-kg", "18000", "--volume-m3", "60",
                 "--ready", "2026-11-03", "--modes", "rail,sea", "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Options side by side" in page and "is a detour" in page
    assert f"wrote {out}" in " ".join(capsys.readouterr().err.split())

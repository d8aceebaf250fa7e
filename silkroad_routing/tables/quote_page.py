"""A printable quote (one HTML page, no scripts, print-friendly) for one shipment: the fastest,
the cheapest and the greenest option side by side, then each one's itinerary leg by leg.

Times are local at each hub (with the UTC offset); money in USD, rounded to the cent as in the
tables (:mod:`.rounding`). An option best on several counts appears once, headed by all of them.
"""

from __future__ import annotations

import html
from typing import Final

import pandas as pd

from .. import __version__
from ..model import Network
from .quote import BEST_FOR, Quote
from .rounding import local_text, output_table
from .zones import hub_zones

#: Rows of the side-by-side table: (label, column of the options table, format).
SUMMARY_ROWS: Final[tuple[tuple[str, str, str], ...]] = (
    ("route", "route", ""), ("departs", "departure_local", ""), ("arrives", "arrival_local", ""),
    ("transit, days", "transit_days", ".1f"), ("cost, USD", "cost_usd", ",.2f"),
    ("CO2e WTW, kg", "co2e_kg", ",.1f"), ("on time", "on_time", ""), ("priced as", "priced_as", ""),
)
#: Columns of each itinerary table: (header, column of the itinerary, format).
LEG_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("from", "from_hub", ""), ("to", "to_hub", ""), ("mode", "mode", ""),
    ("service", "service", ""), ("carrier", "carrier", ""), ("departs", "departure_local", ""),
    ("arrives", "arrival_local", ""), ("basis", "price_basis", ""), ("quantity", "quantity", ",g"),
    ("unit", "quantity_unit", ""), ("freight, USD", "freight_usd", ",.2f"),
    ("handling, USD", "handling_usd", ",.2f"), ("cost, USD", "cost_usd", ",.2f"),
    ("CO2e WTW, kg", "co2e_kg", ",.1f"),
)
_STYLE = """
body{font:13px/1.4 sans-serif;margin:24px;color:#1a1a1a}
h1{font-size:18px;margin:0 0 4px}h2{font-size:14px;margin:18px 0 4px}
table{border-collapse:collapse;margin:6px 0 12px}
th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
td.n{text-align:right}th{background:#eee}.note{color:#7a4b00}
@media print{body{margin:10mm}h2{break-after:avoid}table{break-inside:avoid}}
"""


def _cell(value: object, spec: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "LATE"
    return html.escape(format(value, spec) if spec else str(value))


def _picked(options: pd.DataFrame) -> pd.DataFrame:
    """The options marked fastest, cheapest or greenest, in that order, each once."""
    marked = options[options["best_for"] != ""]
    order = {mark: i for i, mark in enumerate(BEST_FOR)}
    return marked.assign(_first=[min(order[m] for m in b.split(", ")) for b in marked["best_for"]]
                         ).sort_values(["_first", "rank"], kind="stable").drop(columns="_first")


def quote_html(result: Quote, network: Network) -> str:
    """The printable quote of ``result`` (see the module docstring)."""
    s, hubs = result.shipment, network.hub_by_code
    options = output_table(result.options.assign(origin=s.origin, destination=s.destination),
                           network)
    picked = _picked(options)
    legs = output_table(result.legs, network)
    facts = (f"{s.weight_kg:,.1f} kg, {s.volume_m3:,.2f} m3"
             + (f", {s.units_feu} FEU" if s.units_feu else "") + f", {s.cargo_class}; modes "
             + ", ".join(sorted(s.modes)) + f"; ready {_local(s.ready, s.origin, network)}"
             + (f", due {_local(s.due, s.destination, network)}" if s.due else ""))
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Quote {html.escape(s.id)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>Quote {html.escape(s.id)}: {html.escape(hubs[s.origin].name)} ({s.origin}) to "
             f"{html.escape(hubs[s.destination].name)} ({s.destination})</h1>",
             f"<div>{html.escape(facts)}</div>"]
    if picked.empty:
        parts.append("<p>No route.</p>")
    else:
        head = "".join(f"<th>{html.escape(b)} (option {r})</th>"
                       for b, r in zip(picked["best_for"], picked["rank"], strict=True))
        rows = "".join(
            f"<tr><th>{label}</th>" + "".join(
                f"<td{' class=n' if spec else ''}>{_cell(v, spec)}</td>" for v in picked[column])
            + "</tr>" for label, column, spec in SUMMARY_ROWS)
        parts.append(f"<h2>Options side by side</h2><table><tr><th></th>{head}</tr>{rows}</table>")
    for row in picked.itertuples(index=False):
        of_option = legs[legs["option"] == row.option]
        header = "".join(f"<th>{h}</th>" for h, _, _ in LEG_COLUMNS)
        body = "".join(
            "<tr>" + "".join(f"<td{' class=n' if spec else ''}>{_cell(getattr(leg, c), spec)}</td>"
                             for _, c, spec in LEG_COLUMNS) + "</tr>"
            for leg in of_option.itertuples(index=False))
        parts.append(f"<h2>{html.escape(row.best_for)}: {html.escape(row.route)}</h2>"
                     f"<table><tr>{header}</tr>{body}</table>")
    parts += [f"<p class='note'>{html.escape(n)}</p>" for n in result.notes]
    parts.append(f"<p><small>silkroad-routing {__version__}, network {html.escape(network.name)}"
                 " (the sources of its prices are listed with the network)</small></p>"
                 "</body></html>\n")
    return "".join(parts)


def _local(moment: object, hub: str, network: Network) -> str:
    """``moment`` as local ISO text at ``hub``."""
    zone = hub_zones(network)[hub]
    return str(local_text(pd.Series([pd.Timestamp(moment)]), pd.Series([zone])).iloc[0])

"""Independent references for the consolidation tests.

Nothing here imports silkroad_routing: tariffs, unit, wagon and aircraft figures are read from
the CSV files with the ``csv`` module, and optimal bin counts come from exhaustive search.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini_network"
EQUIPMENT = ROOT / "silkroad_routing" / "data" / "equipment.csv"
RTOL = 1e-9  # the library's documented fit tolerance
#: Air volumetric divisor (IATA practice, shared/DATA.md): cm3 per chargeable kg.
DIVISOR = 6000.0


def rows(path: Path) -> list[dict[str, str]]:
    """Data rows of a CSV file (``#`` lines skipped)."""
    with path.open(newline="", encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def equipment() -> dict[str, dict[str, str]]:
    """Equipment rows by code."""
    return {r["code"]: r for r in rows(EQUIPMENT)}


def number(cell: str, default: float = 0.0) -> float:
    return float(cell) if cell.strip() else default


def chargeable(kg: float, m3: float) -> float:
    return max(kg, m3 * 1_000_000.0 / DIVISOR)


def revenue_tonnes(kg: float, m3: float) -> float:
    return max(kg / 1000.0, m3)


def leg_rate(network: Path, leg: dict) -> dict[str, float]:
    """Tariff of one plan leg from the network files: price per basis and part-load price per
    W/M, the distance share of a service run applied; a rail leg that ends at an intermediate
    gauge-change stop adds the transshipment (per FEU; per W/M the FEU price / 67 m3)."""
    hubs = {h["code"]: h for h in rows(network / "hubs.csv")}
    if leg["kind"] == "link":
        links = {}
        for r in rows(network / "links.csv"):
            links[r["id"]] = r
            if r.get("both_ways", "").strip().lower() == "true":
                links[r["id"] + "-R"] = r
        r = links[leg["link_id"]]
        return {"basis": r["price_basis"], "price": float(r["price_usd"]),
                "part_load": number(r["part_load_usd_per_wm"])}
    services = {}
    for r in rows(network / "services.csv"):
        services[r["id"]] = (r, False)
        if r.get("both_ways", "").strip().lower() == "true":
            services[r["id"] + "-R"] = (r, True)
    r, reverse = services[leg["service_id"]]
    stops = r["stops"].split(";")
    km = [float(x) for x in r["leg_km"].split(";")]
    if reverse:
        stops, km = stops[::-1], km[::-1]
    i = stops.index(leg["from_hub"])
    assert stops[i + 1] == leg["to_hub"]
    share = km[i] / sum(km)
    rate = {"basis": r["price_basis"], "price": float(r["price_usd"]) * share,
            "part_load": number(r["part_load_usd_per_wm"]) * share}
    stop = hubs[stops[i + 1]]
    if r["mode"] == "rail" and stop["gauge_change"].strip().lower() == "true" \
            and i + 1 < len(stops) - 1:
        per_feu = number(stop["transshipment_usd_per_feu"])
        rate["price"] += per_feu if rate["basis"] == "feu" else 0.0
        rate["part_load"] += per_feu / 67.0
    return rate


def full_unit_price(rate: dict[str, float], unit: dict[str, str], kg: float, m3: float) -> float:
    """A unit priced as one consignment: containers per FEU (TEU / 2) or per truck (one per
    FEU), a trailer as one truck, air per chargeable kg of its cargo."""
    basis, price = rate["basis"], rate["price"]
    teu = number(unit["teu"])
    if basis in ("feu", "truck"):
        count = teu / 2 if teu else (1.0 if unit["kind"] == "trailer" else 0.0)
        return price * count
    if basis == "kg_chargeable":
        return price * chargeable(kg, m3)
    if basis == "kg":
        return price * kg
    return price * revenue_tonnes(kg, m3)


def brute_force_bins(w: list[float], v: list[float], cap_w: float, cap_v: float) -> int:
    """Fewest bins for one group, by exhaustive search (canonical assignments; stops at the
    continuous bound)."""
    n = len(w)
    if n == 0:
        return 0
    floor = max(math.ceil(sum(w) / cap_w - 1e-9), math.ceil(sum(v) / cap_v - 1e-9), 1)
    best = [n]
    load_w: list[float] = []
    load_v: list[float] = []
    order = sorted(range(n), key=lambda i: -max(w[i] / cap_w, v[i] / cap_v))

    def place(k: int) -> None:
        if len(load_w) >= best[0] or best[0] == floor:
            return
        if k == n:
            best[0] = len(load_w)
            return
        i = order[k]
        for b in range(len(load_w)):
            if load_w[b] + w[i] <= cap_w * (1 + RTOL) and load_v[b] + v[i] <= cap_v * (1 + RTOL):
                load_w[b] += w[i]
                load_v[b] += v[i]
                place(k + 1)
                load_w[b] -= w[i]
                load_v[b] -= v[i]
        load_w.append(w[i])
        load_v.append(v[i])
        place(k + 1)
        load_w.pop()
        load_v.pop()

    place(0)
    return best[0]

"""Air services of carriers barred from Russian airspace fly routings that clear it.

Recomputed here, independently of ``networks/tools/derive_four_roads.py``: each routing's
waypoints (named in the service's note) are sampled along their great circles and checked against
the Natural Earth 1:110m polygons of Russia, Belarus and Ukraine shipped with the package; the
flown km is the chain of great circles times the track factor that Cathay's published CX255 times
imply (about 12.5 h before, 14.5 h after avoiding Russia, RTHK 2022); and the extra block time
against the great circle lies in the published range of 1-4 h for flights between Europe or North
America and Asia (airtraveler.club; 1.5-2.5 h to East Asia, heise 2024).
"""

from __future__ import annotations

import csv
import json
import math
import re
from datetime import UTC, datetime
from importlib.resources import files
from itertools import pairwise

import airportsdata
import numpy as np
import pytest
from shapely.geometry import Point, shape

import silkroad_routing as sr
from silkroad_routing.io.network_files import bundled_networks_root

SERVICES = bundled_networks_root() / "four_roads" / "services.csv"
#: EU carriers of the bundled network (Luxembourg, Italy, France, Denmark).
EU_CARRIERS = {"Cargolux", "Cargolux Italia", "CMA CGM Air Cargo", "Maersk Air Cargo"}
CLOSED = ("Russia", "Belarus", "Ukraine")
AIRPORTS = airportsdata.load("IATA")
EARTH_KM = 6371.0088


def services() -> list[dict[str, str]]:
    with SERVICES.open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(line for line in handle if not line.startswith("#"))
                if r["mode"] == "air"]


def unit_vector(code: str) -> np.ndarray:
    lat, lon = math.radians(AIRPORTS[code]["lat"]), math.radians(AIRPORTS[code]["lon"])
    return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])


def arc_km(a: str, b: str) -> float:
    return EARTH_KM * math.acos(float(np.clip(unit_vector(a) @ unit_vector(b), -1.0, 1.0)))


def arc_points(a: str, b: str, n: int = 400) -> list[tuple[float, float]]:
    """(lon, lat) of ``n`` points along the great circle from ``a`` to ``b`` (slerp)."""
    u, v = unit_vector(a), unit_vector(b)
    omega = math.acos(float(np.clip(u @ v, -1.0, 1.0)))
    out = []
    for t in np.linspace(0.0, 1.0, n):
        p = (math.sin((1 - t) * omega) * u + math.sin(t * omega) * v) / math.sin(omega)
        out.append((math.degrees(math.atan2(p[1], p[0])), math.degrees(math.asin(p[2]))))
    return out


@pytest.fixture(scope="module")
def closed_airspace() -> list:
    text = files("silkroad_routing.data").joinpath("natural_earth_110m_countries.geojson").read_text()
    features = json.loads(text)["features"]
    return [shape(f["geometry"]) for f in features if f["properties"]["name"] in CLOSED]


def crosses(chain: list[str], polygons: list) -> bool:
    return any(poly.contains(Point(p)) for a, b in pairwise(chain)
               for p in arc_points(a, b) for poly in polygons)


def waypoints(row: dict[str, str]) -> list[str]:
    found = re.search(r"airspace via ([A-Z-]+) ", row["note"])
    return found.group(1).split("-") if found else []


def track_factor() -> float:
    cx255 = ["HKG", "ALA", "GYD", "TBS", "OTP", "BUD", "PRG", "LHR"]
    flown_km = arc_km("HKG", "LHR") / 12.5 * 14.5  # the pre-2022 block speed over 14.5 h
    return flown_km / sum(arc_km(a, b) for a, b in pairwise(cx255))


def test_the_great_circle_to_europe_crosses_russia(closed_airspace: list) -> None:
    # The check below would catch a routing that crossed: the great circle itself does.
    assert crosses(["CGO", "LUX"], closed_airspace)
    assert crosses(["CGO", "ORD"], closed_airspace)


def test_eu_carriers_fly_routings_clear_of_closed_airspace(closed_airspace: list) -> None:
    barred = [r for r in services() if r["operator"] in EU_CARRIERS]
    assert len(barred) == 12  # six EU-carrier routes (LUX, ORD, ATL, MXP, CDG, BLL) and returns
    block_kmh = arc_km("CGO", "ATL") / ((16 + 50 / 60) - (0 + 45 / 60))  # 2017 Cargolux schedule
    for row in barred:
        a, b = row["stops"].split(";")
        via = waypoints(row)
        assert via, row["id"]
        chain = [a, *via, b]
        assert not crosses(chain, closed_airspace), row["id"]
        flown = sum(arc_km(x, y) for x, y in pairwise(chain)) * track_factor()
        assert float(row["leg_km"]) == pytest.approx(flown, abs=0.5), row["id"]
        assert float(row["leg_h"]) == pytest.approx(flown / block_kmh, abs=0.051), row["id"]
        extra_h = (flown - arc_km(a, b)) / block_kmh
        assert 1.0 <= extra_h <= 4.0, (row["id"], extra_h)


def test_other_carriers_keep_the_great_circle() -> None:
    others = [r for r in services() if r["operator"] not in EU_CARRIERS]
    assert {r["operator"] for r in others} >= {"Beijing Capital Airlines", "Turkish Cargo"}
    for row in others:
        a, b = row["stops"].split(";")
        assert not waypoints(row), row["id"]
        assert float(row["leg_km"]) == pytest.approx(arc_km(a, b), abs=0.5), row["id"]


def test_flown_distance_drives_emissions_and_the_corridor_stays_in_range() -> None:
    """GLEC's 95 km is added to the flown routing (it covers departure and arrival procedures,
    which a chain of great circles between airports lacks)."""
    net = sr.load_network("four_roads")
    ready = datetime(2025, 3, 3, tzinfo=UTC)
    ship = sr.Shipment(id="x", origin="CGO", destination="LUX", ready=ready, weight_kg=1_000.0,
                       volume_m3=2.0, modes=frozenset({"air"}))
    leg = sr.route(net, [ship], "cheapest", start=ready, days=10).legs.iloc[0]
    row = next(r for r in services() if r["id"] == leg["service_id"])
    assert row["operator"] == "Cargolux"
    assert leg["distance_km"] == float(row["leg_km"])
    assert leg["co2e_ttw_kg"] == pytest.approx((float(row["leg_km"]) + 95.0) * 0.498, rel=1e-5)

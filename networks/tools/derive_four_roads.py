"""Write ``links.csv``, ``services.csv`` and ``classes.csv`` of the bundled ``four_roads`` network.

Every published figure used here carries the key of its row in ``four_roads/sources.csv``; the
numbers this script derives from them (rail and road distances as great circle x a calibrated
detour factor, sea-lane lengths from ``searoute``, running hours from calibrated speeds, distance
shares of published tariffs) say how in each row's ``note``. ``hubs.csv``, ``transfers.csv`` and
``sources.csv`` are written by hand; this script reads the hub coordinates from ``hubs.csv``.

Run from the repository root: ``python networks/tools/derive_four_roads.py``. Needs ``searoute``.
"""

from __future__ import annotations

import csv
import math
from itertools import pairwise
from pathlib import Path

import airportsdata
import searoute

NETWORK = Path(__file__).resolve().parents[1] / "four_roads"

# --- Published figures (value, source key) -------------------------------------------------
USD_PER_EUR = 1.0824  # ecb-fx-2024
ZZ_HAM_RAIL_KM = 10_214.0  # uic-2013 (Xinhua)
ZZ_TAO_RAIL_H = 26.0  # dahe-zz-qingdao-2020
KZ_RAIL_KM_PER_H = 3128.0 / 72.0  # ktz-seanews-2024: Altynkol-Aktau 3,128 km in three days
EU_RAIL_KM_PER_H = 18.0  # eca-2016
BAKU_POTI_H = (12.0 - 9.0) * 24.0  # kaztag-2024: Altynkol-Poti 12 d minus Altynkol-Baku 9 d
SHIP_KNOTS = 16.0  # alphaliner-speed
FERRY_KNOTS = 12.0  # convention (Caspian ro-ro ferries and Black Sea feeders)
KM_PER_NM = 1.852
TRUCK_DRIVE_KMH, TRUCK_DRIVE_H_PER_DAY = 65.0, 9.0  # eu-561-2006 (9 h a day); 65 km/h convention
ROAD_USD_PER_KM = 1.45 * USD_PER_EUR  # upply-2024 (Duisburg-Vienna contract rate)
TRUCK_MIN_USD = 550.0  # customized-sourcing-2020 (cartage per container)
TIR_KHORGOS_POLAND_KM = 7000.0  # iru-2018
ATL_BLOCK_H = (16 + 50 / 60) - (0 + 45 / 60)  # verkehrsrundschau-2017: dep 08:45 CST, arr 12:50 EDT
RAIL_ZZ_HAM_USD, RAIL_ZZ_MIL_USD = 7000.0, 9400.0  # vipu-2024
RAIL_EASTBOUND_USD = 3240.0  # era-index-2024
EU_CN_RAIL_DAYS = (12.0 + 15.0) / 2  # index1520-2024: Germany-China 12-15 days (June 2024)
MIDDLE_CORRIDOR_FACTOR = 1.5  # asstra-2024
AIR_CN_EU, AIR_CN_US, AIR_TO_CN = 5.52, 6.83, 2.84  # worldacd-2024 (USD per chargeable kg)
SEA = {  # USD per FEU: (drewry key, westbound Suez/Cape, eastbound backhaul)
    "suez_ne": 1553.0,
    "suez_med": 2256.0,
    "cape_ne": 4375.0,
    "cape_med": 5210.0,
    "east": 522.0,
}
CHARTER_747_USD = (112_000 + 210_000) / 2  # charter-56ok-2024, one way
CHARTER_767_USD = (80_000 + 150_000) / 2  # charter-weefreight-2024
# utlc-zz-2023: 4,358 outbound Zhengzhou trains carried 400,000 TEU; dahe-zz-qingdao-2020: 66 TEU
TRAIN_TEU, SEA_RAIL_TEU = round(400_000 / 4_358), 66
# CO2e factors (ISO 14083 / GLEC v3, WTW and TTW) per mode: rows of emission_factors.csv
CO2E_ROW = {"air": "air-freighter", "road": "road-truck", "sea": "sea-container"}
# Consolidators fill about 60 % of a unit with part loads: LCL / LTL price per W/M (revenue tonne).
PART_LOAD_WM = {"feu": 0.6 * 67.0, "truck": 0.6 * 80.0}

CUT_CAPE = ["northwest", "suez", "babalmandab", "panama"]
PASSAGE_NAMES = {"south_africa": "cape"}


def read_emission_factors() -> dict[str, dict[str, str]]:
    """Rows of emission_factors.csv keyed by id."""
    with (NETWORK / "emission_factors.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {r["id"]: r for r in rows}


def factor_kg_per_tkm(row: dict[str, str], basis: str) -> float:
    """A factor row's ``basis`` ("ttw" or "wtw") in kg CO2e per tonne-km (per-TEU rows at their
    stated tonnes per TEU)."""
    g = float(row[f"{basis}_g"])
    return g / 1000.0 / (float(row["load_t_per_teu"]) if row["unit"] == "g_per_teu_km" else 1.0)


def read_hubs() -> dict[str, dict[str, str]]:
    """Hub rows of hubs.csv keyed by code."""
    with (NETWORK / "hubs.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {r["code"]: r for r in rows}


HUBS = read_hubs()


def lonlat(code: str) -> tuple[float, float]:
    """(lon, lat) of a hub, degrees."""
    return float(HUBS[code]["lon"]), float(HUBS[code]["lat"])


def gc_km(a: str, b: str) -> float:
    """Great-circle distance between two hubs, km (mean Earth radius 6371.0088 km)."""
    (lon1, lat1), (lon2, lat2) = lonlat(a), lonlat(b)
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def chain_gc(codes: list[str]) -> float:
    return sum(gc_km(a, b) for a, b in pairwise(codes))


RAIL_DETOUR = ZZ_HAM_RAIL_KM / chain_gc(["CNCGO", "ALA-DOS", "BRE-MAL", "DEHAM"])
TIR_DETOUR = TIR_KHORGOS_POLAND_KM / chain_gc(["HRG-NZH", "KZALA", "RUMOW", "KOZ-KOR"])
ROAD_DETOUR = 1.25  # ballou-2002: road circuity factors of about 1.2-1.3
CN_RAIL_KM_PER_H = gc_km("CNCGO", "CNTAO") * RAIL_DETOUR / ZZ_TAO_RAIL_H
ZZ_HAM_KM = ZZ_HAM_RAIL_KM
AIR_BLOCK_KMH = gc_km("CGO", "ATL") / ATL_BLOCK_H

# --- Air routings clear of closed airspace ---------------------------------------------------
# Russia has closed its airspace to EU (and UK, US, Canadian) carriers since 2022 (alarabiya-2022),
# and Ukrainian and Belarusian airspace is closed as well. Their Zhengzhou flights to Europe fly
# the Central Asian corridor through Kazakhstan, over the Caspian and the South Caucasus and the
# Black Sea (heise-2024; Cathay's CX255 over Kazakhstan, Azerbaijan, Georgia and Romania,
# rthk-cx255-2022); to the US they fly the North Pacific via Japan to the Anchorage stop that
# Asia-US freighters make (fliegerweb-2023). Each routing is a chain of great circles through
# airports on the corridor (coordinates from airportsdata); the tests check that it clears Russia,
# Belarus and Ukraine on the Natural Earth 1:110m map.
NO_RUSSIA_CARRIERS = frozenset({"Cargolux", "Cargolux Italia", "CMA CGM Air Cargo", "Maersk Air Cargo"})
AIR_WAYPOINTS = {  # region of the far airport -> waypoints from CGO (reversed for the return)
    "europe": ("ALA", "GYD", "TBS", "OTP"),  # Almaty, Baku, Tbilisi, Bucharest
    "us": ("NRT", "ANC"),  # Tokyo Narita, Anchorage
}
_AIRPORTS = airportsdata.load("IATA")


def airport_gc_km(a: str, b: str) -> float:
    """Great-circle km between two airports by their airportsdata coordinates (as gc_km)."""
    lat1, lon1, lat2, lon2 = (math.radians(_AIRPORTS[c][k]) for c in (a, b) for k in ("lat", "lon"))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# rthk-cx255-2022: avoiding Russia took Cathay's Hong Kong-London CX255 from about 12.5 h to about
# 14.5 h over China, Kazakhstan, Azerbaijan, Georgia, Romania, Hungary, Slovakia, the Czech
# Republic and Germany. At the pre-2022 block speed (great circle / 12.5 h) 14.5 h is a flown
# distance this much longer than the same chain of great circles (airways, tracks, flow control).
CX255_ROUTE = ("HKG", "ALA", "GYD", "TBS", "OTP", "BUD", "PRG", "LHR")
AIRSPACE_TRACK_FACTOR = (airport_gc_km("HKG", "LHR") / 12.5 * 14.5
                         / sum(airport_gc_km(a, b) for a, b in pairwise(CX255_ROUTE)))


def air_routing(operator: str, a: str, b: str) -> tuple[str, ...]:
    """Waypoints between airports ``a`` and ``b`` of a carrier barred from Russian airspace
    (empty for others: they fly the great circle)."""
    if operator not in NO_RUSSIA_CARRIERS:
        return ()
    far = b if a == "CGO" else a
    points = AIR_WAYPOINTS["us" if country(far) == "US" else "europe"]
    return points if a == "CGO" else tuple(reversed(points))
EUROPE = {"DE", "NL", "BE", "GR", "PL", "IT", "HU", "LU", "FR", "GB", "DK", "RO", "TR"}


def country(code: str) -> str:
    return HUBS[code]["country"]


# Countries a surface leg passes between its end hubs (conv-route-countries: the rail and road
# corridors as published, e.g. DW 2013 for Zhengzhou-Hamburg via Kazakhstan, Russia, Belarus,
# Poland). Legs not listed pass only their ends' countries; sea legs count the ports' countries
# (and Egypt through Suez); air legs the airports' countries (overflight is not transit).
TRANSIT_COUNTRIES = {
    frozenset({"ALA-DOS", "BRE-MAL"}): {"RU"},
    frozenset({"HRG-ALT", "BRE-MAL"}): {"RU"},
    frozenset({"ERL-ZUU", "RUMOW"}): {"MN"},
    frozenset({"MZL-ZAB", "RUMOW"}): set(),
    frozenset({"RUMOW", "BRE-MAL"}): {"BY"},
    frozenset({"BRE-MAL", "DEMUC"}): set(),
    frozenset({"BRE-MAL", "BELGG"}): {"DE"},
    frozenset({"BRE-MAL", "ITMIL"}): {"CZ", "AT"},
    frozenset({"BRE-MAL", "HUBUD"}): {"CZ", "SK"},
    frozenset({"KZALA", "RUMOW"}): set(),
    frozenset({"RUMOW", "KOZ-KOR"}): {"BY"},
    frozenset({"KZALA", "UZTAS"}): set(),
    frozenset({"AZBAK", "GEPTI"}): set(),
    frozenset({"GEPTI", "IST"}): set(),
    frozenset({"KZALA", "KZAAU"}): set(),
}


def leg_countries(mode: str, a: str, b: str, via: set[str] = frozenset()) -> set[str]:
    """Countries the freight passes on a leg from hub ``a`` to hub ``b`` (both ends included)."""
    ends = set(country(a).split("-")) | set(country(b).split("-"))
    if mode == "sea":
        return ends | ({"EG"} if "suez" in via else set())
    return ends | TRANSIT_COUNTRIES.get(frozenset({a, b}), set())


EMISSION_FACTORS = read_emission_factors()


def rail_factor_id(a: str, b: str) -> str:
    """The emission_factors.csv row of a rail leg, by traction: the Chinese and EU networks are
    electric, the Trans-Mongolian line diesel, the rest of the 1520 mm network mixed."""
    if "MN" in leg_countries("rail", a, b):
        return "rail-diesel"
    if country(a).startswith("CN") and country(b).startswith("CN"):
        return "rail-electric-cn"
    if "BRE-MAL" in (a, b) and (country(a) in EUROPE or country(b) in EUROPE):
        return "rail-electric-eu"
    return "rail-1520"


def co2e_per_teu_km(mode: str) -> tuple[float | str, float | str]:
    """(WTW, TTW) kg CO2e per TEU-km of a mode whose factor row is per TEU-km (sea), else empty:
    the library then counts a container's emissions per TEU, not per tonne."""
    row = EMISSION_FACTORS.get(CO2E_ROW.get(mode, ""), {})
    if row.get("unit") != "g_per_teu_km":
        return "", ""
    return float(row["wtw_g"]) / 1000.0, float(row["ttw_g"]) / 1000.0


def co2e_factors(mode: str, stops: list[str], km: list[float]) -> tuple[float, float, list[str]]:
    """(WTW, TTW) kg CO2e per tonne-km of a run over ``stops`` (legs of ``km``), and the source
    keys of the factor rows used: rail legs by traction, weighted by their km."""
    ids = [rail_factor_id(a, b) if mode == "rail" else CO2E_ROW[mode] for a, b in pairwise(stops)]
    rows = [EMISSION_FACTORS[i] for i in ids]
    total = sum(km)
    wtw, ttw = (sum(factor_kg_per_tkm(r, basis) * k for r, k in zip(rows, km, strict=True)) / total
                for basis in ("wtw", "ttw"))
    keys = [part.split("=")[-1] for r in rows for part in r["source"].split(";")]
    return round(wtw, 8), round(ttw, 8), list(dict.fromkeys(["glec-v3", *keys]))


# --- Rail ----------------------------------------------------------------------------------------
def rail_leg(a: str, b: str) -> tuple[float, float, str]:
    """(km, hours, speed label) of a rail leg: gc x calibrated detour, speed by network."""
    km = gc_km(a, b) * RAIL_DETOUR
    if {a, b} == {"AZBAK", "GEPTI"}:
        return km, BAKU_POTI_H, "Baku-Poti 3 d (kaztag-2024)"
    if country(a).startswith("CN") and country(b).startswith("CN"):
        return km, km / CN_RAIL_KM_PER_H, f"CN {CN_RAIL_KM_PER_H:.1f} km/h"
    if "BRE-MAL" in (a, b) and (country(a) in EUROPE or country(b) in EUROPE):
        return km, km / EU_RAIL_KM_PER_H, f"EU {EU_RAIL_KM_PER_H:.0f} km/h"
    return km, km / KZ_RAIL_KM_PER_H, f"1520 mm {KZ_RAIL_KM_PER_H:.1f} km/h"


def rail_service(
    sid,
    name,
    stops,
    days,
    *,
    price,
    price_src,
    figures,
    capacity=TRAIN_TEU,
    optional=False,
    sources=(),
    note="",
    operator="",
    dwell=4.0,
    run_days=None,
):
    """A rail service row; ``figures`` names the source of the frequency (``weekdays``) and any
    other column whose source is not the default here. With ``run_days`` the running hours are
    scaled so that the whole run (legs, stop dwell and the stops' own dwell) takes that long."""
    legs = [rail_leg(a, b) for a, b in pairwise(stops)]
    km = [round(x[0]) for x in legs]
    hours = [x[1] for x in legs]
    if run_days is not None:
        stopped = sum(dwell + float(HUBS[c]["dwell_h"] or 0.0) for c in stops[1:-1])
        scale = (run_days * 24.0 - stopped) / sum(hours)
        hours = [h * scale for h in hours]
        note = f"{note}; running hours x {scale:.3f} so that the run takes {run_days:g} d".strip("; ")
    hours = [round(h, 1) for h in hours]
    fixed = round(capacity / 2 * price) if optional else 0
    speeds = "; ".join(sorted({x[2] for x in legs}))
    src = ["dw-2013", "uic-2013"]
    if any("EU" in x[2] for x in legs):  # EU speed; published transit times it was checked against
        src += ["eca-2016", "everstream-2018", "index1520-2024"]
    src += [s for s in sources if s not in figures.values()]
    if "1520" in speeds:
        src.append("ktz-seanews-2024")
    if "CN " in speeds:
        src.append("dahe-zz-qingdao-2020")
    figures = {
        "leg_h": "derived", "leg_km": "derived", "stop_dwell_h": "conv-stop-dwell",
        "departure_time_utc": "conv-departure-time",
        "capacity_teu": "dahe-zz-qingdao-2020" if capacity == SEA_RAIL_TEU else "utlc-zz-2023",
        "price_usd": price_src, **figures,
    }
    src.append(price_src)
    if optional:
        figures["fixed_cost_usd_per_run"] = "derived"
        figures["price_usd"] = "conv-optional-price"
    text = (
        f"km = great circle x {RAIL_DETOUR:.3f} (ZZ-HAM 10,214 km); hours at {speeds}; "
        f"stop dwell 4 h at intermediate stops (convention); {note}"
    ).strip("; ")
    if optional:
        text += f"; optional: fixed cost = full-train charter {capacity // 2} FEU x {price:.0f} USD"
    return service_row(
        sid,
        name,
        operator,
        "rail",
        stops,
        hours,
        km,
        days,
        "12:00",
        capacity_teu=capacity,
        price=0.0 if optional else price,
        basis="feu",
        optional=optional,
        fixed=fixed,
        figures=figures,
        sources=src,
        note=text,
        dwell=dwell,
    )


def rail_price(stops: list[str], *, eastbound: bool = False, factor: float = 1.0) -> float:
    km = sum(rail_leg(a, b)[0] for a, b in pairwise(stops))
    base = RAIL_EASTBOUND_USD if eastbound else RAIL_ZZ_HAM_USD
    return round(factor * base * km / ZZ_HAM_KM, -1)


# --- Sea -----------------------------------------------------------------------------------------
def sea_leg(a: str, b: str, cape: bool) -> tuple[float, set[str]]:
    """Sea-lane km between two ports and the passages used (searoute)."""
    route = searoute.searoute(
        lonlat(a), lonlat(b), restrictions=CUT_CAPE if cape else ["northwest"], return_passages=True
    )
    passages = {PASSAGE_NAMES.get(p, p) for p in route.properties["traversed_passages"]}
    return float(route.properties["length"]), passages


def sea_service(
    sid,
    name,
    stops,
    days,
    *,
    price,
    price_src,
    cape=False,
    capacity=20_000,
    knots=SHIP_KNOTS,
    extra_via=(),
    note="",
    dwell=24.0,
    time="06:00",
    price_share=None,
    figures=(),
    extra_sources=(),
):
    """A sea service row; ``figures`` overrides the source of single columns."""
    figures = dict(figures)
    legs = [sea_leg(a, b, cape) for a, b in pairwise(stops)]
    km = [round(x[0]) for x in legs]
    via = set().union(*(x[1] for x in legs)) | set(extra_via)
    hours = [round(k / (knots * KM_PER_NM), 1) for k in km]
    figures = {
        "leg_km": "searoute-lanes", "leg_h": "derived", "stop_dwell_h": "conv-stop-dwell",
        "departure_time_utc": "conv-departure-time", "weekdays": "conv-frequency",
        "capacity_teu": "vessel-size" if capacity >= 14_000 else "conv-capacity",
        "price_usd": price_src, **figures,
    }
    src = [price_src, "alphaliner-speed" if knots == SHIP_KNOTS else "conv-ferry-speed", "lcl-2025",
           *(["index1520-2024"] if cape else []), *extra_sources]
    if price_share is not None:  # distance share of a cited loop price
        price = round(price * sum(km) / price_share, -1)
        figures["price_usd"] = "derived"
    text = (
        f"km by searoute ({'suez+babalmandab+panama closed' if cape else 'open passages'}); "
        f"hours at {knots:g} kn; port stay {dwell:g} h (convention); {note}"
    ).strip("; ")
    return service_row(
        sid,
        name,
        "",
        "sea",
        stops,
        hours,
        km,
        days,
        time,
        capacity_teu=capacity,
        price=price,
        basis="feu",
        via=via,
        figures=figures,
        sources=src,
        note=text,
        dwell=dwell,
    )


# --- Air -----------------------------------------------------------------------------------------
def air_service(
    sid, name, operator, a, b, days, time, *, payload_t, price, figures, sources=(), optional=False,
    fixed=0.0, note="",
):
    """An air service row; ``figures`` names the sources of weekdays, departure time, payload and
    price (and the charter price of an optional service). A carrier barred from Russian airspace
    flies the routing of :func:`air_routing`: ``leg_km`` is its flown distance (the chain of great
    circles x the calibrated track factor) and the block hours follow from it."""
    waypoints = air_routing(operator, a, b)
    src = ["airportsdata", "verkehrsrundschau-2017", *sources]
    if waypoints:
        chain = [a, *waypoints, b]
        km = round(sum(airport_gc_km(x, y) for x, y in pairwise(chain)) * AIRSPACE_TRACK_FACTOR)
        basis = (f"km = flown routing clear of Russian, Belarusian and Ukrainian airspace via "
                 f"{'-'.join(waypoints)} (great circles x {AIRSPACE_TRACK_FACTOR:.4f}, the "
                 f"CX255 track factor; great circle {gc_km(a, b):.0f} km)")
        src += ["alarabiya-2022", "heise-2024" if "GYD" in waypoints else "fliegerweb-2023",
                "rthk-cx255-2022"]
    else:
        km = round(gc_km(a, b))
        basis = "km = great circle (GLEC GCD basis)"
    hours = round(km / AIR_BLOCK_KMH, 1)
    text = (
        f"{basis}; block hours at {AIR_BLOCK_KMH:.0f} km/h "
        f"(Cargolux CGO-ATL 2017 schedule); {note}"
    ).strip("; ")
    return service_row(
        sid,
        name,
        operator,
        "air",
        [a, b],
        [hours],
        [km],
        days,
        time,
        capacity_kg=payload_t * 1000,
        price=price,
        basis="kg_chargeable",
        optional=optional,
        fixed=fixed,
        figures={"leg_km": "derived", "leg_h": "derived", **figures},
        sources=src,
        note=text,
    )


def service_row(
    sid,
    name,
    operator,
    mode,
    stops,
    hours,
    km,
    days,
    time,
    *,
    capacity_kg=None,
    capacity_teu=None,
    price,
    basis,
    optional=False,
    fixed=0.0,
    via=(),
    figures,
    sources=(),
    note="",
    dwell=0.0,
):
    part = round(price / PART_LOAD_WM[basis], 2) if basis in PART_LOAD_WM else ""
    wtw, ttw, co2e_keys = co2e_factors(mode, stops, km)
    if basis in PART_LOAD_WM:
        note += f"; part load = price / {PART_LOAD_WM[basis]:.1f} W/M (60 % fill, derived)"
    row = {
        "id": sid,
        "name": name,
        "operator": operator,
        "mode": mode,
        "stops": ";".join(stops),
        "leg_h": ";".join(f"{h:g}" for h in hours),
        "leg_km": ";".join(str(k) for k in km),
        "stop_dwell_h": f"{dwell:g}" if len(stops) > 2 else "",
        "weekdays": days,
        "departure_time_utc": time,
        "capacity_kg": f"{capacity_kg:g}" if capacity_kg else "",
        "capacity_teu": capacity_teu or "",
        "price_usd": f"{price:g}",
        "price_basis": basis,
        "part_load_usd_per_wm": part,
        "co2e_kg_per_tkm": wtw,
        "co2e_ttw_kg_per_tkm": ttw,
        "co2e_kg_per_teu_km": co2e_per_teu_km(mode)[0],
        "co2e_ttw_kg_per_teu_km": co2e_per_teu_km(mode)[1],
        "optional": "true" if optional else "",
        "fixed_cost_usd_per_run": f"{fixed:g}" if fixed else "",
        "via": ";".join(sorted(via)),
        "countries": ";".join(sorted(set().union(*(leg_countries(mode, a, b, set(via))
                                                    for a, b in pairwise(stops))))),
        "both_ways": "",
        "source": "",
        "note": note,
    }
    figures = {"co2e_kg_per_tkm": "derived", "co2e_ttw_kg_per_tkm": "derived",
               "co2e_kg_per_teu_km": "derived", "co2e_ttw_kg_per_teu_km": "derived",
               "part_load_usd_per_wm": "derived", "countries": "conv-route-countries", **figures}
    sources = [*sources, *co2e_keys]
    if basis in PART_LOAD_WM:
        sources = [*sources, "conv-fill-rate"]
    row["source"] = source_cell(row, figures, sources)
    return row


def source_cell(row: dict[str, object], figures: dict[str, str], inputs) -> str:
    """The ``source`` cell: ``column=key`` for every filled figure column, then the bare keys of
    the inputs the derived figures draw on (those not already named for a column)."""
    named = [f"{c}={figures[c]}" for c in row if c in figures and row[c] not in ("", None)]
    missing = [c for c in FIGURE_COLUMNS if c in row and row[c] not in ("", None) and c not in figures]
    if missing:
        raise ValueError(f"{row['id']}: no source for {missing}")
    used = {figures[c] for c in row if c in figures}
    return ";".join([*named, *(k for k in dict.fromkeys(inputs) if k not in used)])


#: Columns of links.csv and services.csv that hold figures (each needs a source).
FIGURE_COLUMNS = (
    "distance_km", "duration_h", "leg_h", "leg_km", "stop_dwell_h", "weekdays", "departure_time_utc",
    "capacity_kg", "capacity_teu", "price_usd", "part_load_usd_per_wm", "co2e_kg_per_tkm",
    "co2e_ttw_kg_per_tkm", "co2e_kg_per_teu_km", "co2e_ttw_kg_per_teu_km",
    "fixed_cost_usd_per_run", "countries",
)


# --- Road ----------------------------------------------------------------------------------------
def truck_hours(km: float) -> float:
    """Elapsed hours for one driver: 9 h driving per 24 h, 45 min break in a day over 4.5 h."""
    drive = km / TRUCK_DRIVE_KMH
    days, rest = divmod(drive, TRUCK_DRIVE_H_PER_DAY)
    return 24.0 * days + rest + (0.75 if rest > 4.5 else 0.0)


def road_link(a: str, b: str, *, via=(), sources=(), note="", tir=False) -> dict[str, object]:
    detour = TIR_DETOUR if tir else ROAD_DETOUR
    km = gc_km(a, b) * detour
    price = max(TRUCK_MIN_USD, ROAD_USD_PER_KM * km)
    wtw, ttw, co2e_keys = co2e_factors("road", [a, b], [km])
    basis = "IRU Khorgos-Poland 7,000 km" if tir else "road circuity"
    text = (
        f"km = great circle x {detour:.3f} ({basis}); hours: 65 km/h, "
        f"9 h driving a day (EU 561/2006); price max(550, 1.45 EUR/km); part load = price / 48 W/M; "
        f"{note}"
    ).strip("; ")
    row: dict[str, object] = {
        "id": f"T-{a}-{b}",
        "from_hub": a,
        "to_hub": b,
        "mode": "road",
        "distance_km": round(km),
        "duration_h": round(truck_hours(km), 1),
        "price_usd": round(price, 2),
        "price_basis": "truck",
        "part_load_usd_per_wm": round(price / PART_LOAD_WM["truck"], 2),
        "co2e_kg_per_tkm": wtw,
        "co2e_ttw_kg_per_tkm": ttw,
        "waypoints": "",
        "via": ";".join(via),
        "countries": ";".join(sorted(leg_countries("road", a, b))),
        "both_ways": "true",
        "source": "",
        "note": text,
    }
    figures = {"distance_km": "derived", "duration_h": "derived", "price_usd": "derived",
               "part_load_usd_per_wm": "derived", "co2e_kg_per_tkm": "derived",
               "co2e_ttw_kg_per_tkm": "derived", "countries": "conv-route-countries"}
    inputs = ["iru-2018" if tir else "ballou-2002", "eu-561-2006", "conv-truck-speed", "upply-2024",
              "ecb-fx-2024", "customized-sourcing-2020", "conv-fill-rate", *co2e_keys, *sources]
    row["source"] = source_cell(row, figures, inputs)
    return row


LAST_MILE_KM = 10.0  # conv-warehouse-location: a warehouse sits 10 km from its gateway hub
LAST_MILE_H = 1.0  # conv-warehouse-location
#: Overseas warehouses and the returns centre, each with its gateway hubs (hubs.csv, "Warehouses").
WAREHOUSES = {"LGG-WH": ("LGG", "BELGG"), "BUD-WH": ("BUD", "HUBUD"), "DEDUI-WH": ("DEDUI",),
              "CNCGO-RC": ("CNCGO-BZ", "CGO")}


def last_mile_link(gateway: str, warehouse: str) -> dict[str, object]:
    """A truck between a warehouse and a gateway hub: a road link where the two are apart, else
    the last-mile convention's distance and time (a warehouse shares its gateway's coordinates)."""
    if gc_km(gateway, warehouse) >= LAST_MILE_KM:
        return road_link(gateway, warehouse, sources=["conv-warehouse-location"],
                         note="last mile to the warehouse")
    price = TRUCK_MIN_USD
    wtw, ttw, co2e_keys = co2e_factors("road", [gateway, warehouse], [LAST_MILE_KM])
    row: dict[str, object] = {
        "id": f"T-{gateway}-{warehouse}", "from_hub": gateway, "to_hub": warehouse,
        "mode": "road", "distance_km": round(LAST_MILE_KM), "duration_h": LAST_MILE_H,
        "price_usd": price, "price_basis": "truck",
        "part_load_usd_per_wm": round(price / PART_LOAD_WM["truck"], 2),
        "co2e_kg_per_tkm": wtw, "co2e_ttw_kg_per_tkm": ttw, "waypoints": "", "via": "",
        "countries": ";".join(sorted(leg_countries("road", gateway, warehouse))),
        "both_ways": "true", "source": "",
        "note": (f"last mile: {LAST_MILE_KM:g} km in {LAST_MILE_H:g} h (conv-warehouse-location); "
                 "price the 550 USD minimum cartage; part load = price / 48 W/M"),
    }
    figures = {"distance_km": "conv-warehouse-location", "duration_h": "conv-warehouse-location",
               "price_usd": "customized-sourcing-2020", "part_load_usd_per_wm": "derived",
               "co2e_kg_per_tkm": "derived", "co2e_ttw_kg_per_tkm": "derived",
               "countries": "conv-route-countries"}
    row["source"] = source_cell(row, figures, ["conv-fill-rate", *co2e_keys])
    return row


EUROPE_ROAD_HUBS = [
    "DEHAM",
    "NLRTM",
    "BEANR",
    "GRPIR",
    "PLGDN",
    "DEDUI",
    "DEMUC",
    "BELGG",
    "ITMIL",
    "HUBUD",
    "PLWAW",
    "ROCND",
    "LUX",
    "LGG",
    "MXP",
    "BUD",
    "FRA",
    "LHR",
    "CDG",
    "BLL",
    "IST",
]


def links() -> list[dict[str, object]]:
    rows = [road_link("CNCGO-BZ", "CGO"), road_link("CNCGO-BZ", "CNCGO"), road_link("CGO", "CNCGO")]
    tir = ["CNCGO-BZ", "HRG-NZH", "KZALA", "RUMOW", "KOZ-KOR", "PLWAW"]
    rows.append(road_link(tir[0], tir[1], note="TIR corridor, Chinese section"))
    rows.append(road_link(tir[4], tir[5], note="TIR corridor, Polish section"))
    rows += [
        road_link(a, b, note="TIR corridor", tir=True, sources=["shiphub-truck"])
        for a, b in pairwise(tir[1:5])
    ]
    # TIR legal today without Russia: Kazakhstan - Caspian ferry (Aktau-Baku) - Georgia - Turkey
    caspian = ["trans-info-tir-turkey-2024"]
    rows += [
        road_link("KZALA", "KZAAU", sources=caspian, note="TIR via the Caspian, Kazakh section"),
        road_link("AZBAK", "GEPTI", sources=caspian, note="TIR via the Caspian, Azerbaijan-Georgia"),
        road_link("GEPTI", "IST", sources=caspian, note="TIR via the Caspian, Georgia-Turkey"),
    ]
    rows += [
        road_link("KZALA", "UZTAS", note="TIR to Tashkent"),
        road_link("BRE-MAL", "PLWAW", note="Malaszewicze terminals to Warsaw"),
    ]
    pairs: set[tuple[str, str]] = set()
    for a in EUROPE_ROAD_HUBS:  # each European hub to its four nearest European hubs
        for b in sorted((x for x in EUROPE_ROAD_HUBS if x != a), key=lambda x: gc_km(a, x))[:4]:
            pairs.add(tuple(sorted((a, b))))
    for a, b in sorted(pairs):
        channel = ("channel",) if "GB" in (country(a), country(b)) else ()
        rows.append(road_link(a, b, via=channel, note="Channel Tunnel" if channel else ""))
    rows += [last_mile_link(g, w) for w, gateways in WAREHOUSES.items() for g in gateways]
    return rows


# --- Services ------------------------------------------------------------------------------------
RAIL_WEST = [  # id, name, stops, weekdays  (18 a week: yidaiyilu-2021)
    (
        "R-ZZ-HAM-A",
        "Zhengzhou-Hamburg via Alashankou",
        ["CNCGO", "ALA-DOS", "BRE-MAL", "DEHAM"],
        "Mon;Wed;Fri;Sun",
        ["xinhua-zz-ham-2017", "crc-ala-ham-2025"],
    ),
    (
        "R-ZZ-HAM-E",
        "Zhengzhou-Hamburg via Erenhot",
        ["CNCGO", "ERL-ZUU", "RUMOW", "BRE-MAL", "DEHAM"],
        "Tue;Sat",
        ["xinhua-zz-ham-2017"],
    ),
    (
        "R-ZZ-MUC",
        "Zhengzhou-Munich",
        ["CNCGO", "ALA-DOS", "BRE-MAL", "DEMUC"],
        "Tue;Thu",
        ["xinhua-zz-muc-2017"],
    ),
    (
        "R-ZZ-LGG",
        "Zhengzhou-Liege via Manzhouli",
        ["CNCGO", "MZL-ZAB", "RUMOW", "BRE-MAL", "BELGG"],
        "Wed;Sat",
        [],
    ),
    ("R-ZZ-DUI", "Zhengzhou-Duisburg via Khorgos", ["CNCGO", "HRG-ALT", "BRE-MAL", "DEDUI"], "Mon;Thu", []),
    ("R-ZZ-MIL", "Zhengzhou-Milan", ["CNCGO", "ALA-DOS", "BRE-MAL", "ITMIL"], "Fri", []),
    ("R-ZZ-BUD", "Zhengzhou-Budapest", ["CNCGO", "HRG-ALT", "BRE-MAL", "HUBUD"], "Sun", []),
    ("R-ZZ-MOW", "Zhengzhou-Moscow", ["CNCGO", "MZL-ZAB", "RUMOW"], "Thu", []),
    ("R-ZZ-ALA", "Zhengzhou-Almaty", ["CNCGO", "HRG-ALT", "KZALA"], "Mon;Wed;Sat", []),
    ("R-ZZ-TAS", "Zhengzhou-Tashkent", ["CNCGO", "HRG-ALT", "KZALA", "UZTAS"], "Tue;Fri", []),
]
RAIL_EAST_DAYS = {  # 11 a week (yidaiyilu-2021)
    "R-ZZ-HAM-A": "Tue;Fri;Sun",
    "R-ZZ-MUC": "Sat",
    "R-ZZ-LGG": "Wed",
    "R-ZZ-DUI": "Mon",
    "R-ZZ-MIL": "Thu",
    "R-ZZ-BUD": "Fri",
    "R-ZZ-MOW": "Tue",
    "R-ZZ-ALA": "Sat",
    "R-ZZ-TAS": "Wed",
}
RAIL_OPTIONAL = [
    (
        "O-R-ZZ-DUI-A",
        "Extra block train Zhengzhou-Duisburg via Alashankou",
        ["CNCGO", "ALA-DOS", "BRE-MAL", "DEDUI"],
        "Sat",
    ),
    (
        "O-R-ZZ-MIL-H",
        "Extra block train Zhengzhou-Milan via Khorgos",
        ["CNCGO", "HRG-ALT", "BRE-MAL", "ITMIL"],
        "Wed",
    ),
    (
        "O-R-ZZ-LGG-A",
        "Extra block train Zhengzhou-Liege via Alashankou",
        ["CNCGO", "ALA-DOS", "BRE-MAL", "BELGG"],
        "Sun",
    ),
    (
        "O-R-ZZ-BUD-E",
        "Extra block train Zhengzhou-Budapest via Erenhot",
        ["CNCGO", "ERL-ZUU", "RUMOW", "BRE-MAL", "HUBUD"],
        "Thu",
    ),
    ("O-R-ZZ-AAU", "Extra Trans-Caspian train Zhengzhou-Aktau", ["CNCGO", "HRG-ALT", "KZAAU"], "Sat"),
]
SEA_LOOPS = [  # id, name, stops, westbound days, eastbound days, Suez / Cape price keys
    (
        "NE1",
        "Asia-North Europe loop 1",
        ["CNTAO", "CNSHA", "CNNGB", "NLRTM", "DEHAM", "PLGDN"],
        "Sun",
        "Wed",
        "ne",
    ),
    (
        "NE2",
        "Asia-North Europe loop 2",
        ["CNTSN", "CNTAO", "CNSHA", "BEANR", "NLRTM", "DEHAM"],
        "Wed",
        "Sat",
        "ne",
    ),
    ("MED", "Asia-Mediterranean loop", ["CNTAO", "CNSHA", "CNNGB", "GRPIR"], "Fri", "Tue", "med"),
]
SEA_RAIL = [  # port, weekdays, sources
    ("CNTAO", "Mon;Tue;Wed;Thu;Fri;Sat;Sun", ["dahe-rail-sea-2024", "dahe-zz-qingdao-2020"]),
    ("CNLYG", "Mon;Wed;Fri", ["conv-frequency", "dahe-rail-sea-2024"]),
    ("CNSHA", "Tue;Thu;Sat", ["conv-frequency"]),
    ("CNNGB", "Mon;Thu", ["conv-frequency"]),
    ("CNTSN", "Wed;Sat", ["conv-frequency"]),
]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def shift(days: str, n: int) -> str:
    return ";".join(DAYS[(DAYS.index(d) + n) % 7] for d in days.split(";"))


def services() -> list[dict[str, object]]:
    rows = []
    west = {r[0]: r for r in RAIL_WEST}
    for sid, name, stops, days, src in RAIL_WEST:
        price_src = "vipu-2024"
        price = RAIL_ZZ_MIL_USD if sid == "R-ZZ-MIL" else rail_price(stops)
        note = "" if sid in ("R-ZZ-HAM-A", "R-ZZ-MIL") else "tariff = distance share of ZZ-HAM 7,000 USD"
        rows.append(
            rail_service(
                sid,
                name,
                stops,
                days,
                price=price,
                price_src=price_src,
                figures={"weekdays": "yidaiyilu-2021", **({} if not note else {"price_usd": "derived"})},
                sources=src,
                note=note,
            )
        )
    for sid, days in RAIL_EAST_DAYS.items():
        _, name, stops, _, src = west[sid]
        back = stops[::-1]
        rows.append(
            rail_service(
                f"{sid}-R",
                f"{name} (return)",
                back,
                days,
                price=rail_price(back, eastbound=True),
                price_src="era-index-2024",
                figures={"weekdays": "yidaiyilu-2021", "price_usd": "derived"},
                sources=["otlk-2024", *src, "index1520-2024"],
                note="tariff = distance share of the 3,240 USD ERAI average",
                run_days=EU_CN_RAIL_DAYS if country(back[0]) in EUROPE else None,
            )
        )
    for sid, name, stops, days in RAIL_OPTIONAL:
        factor = MIDDLE_CORRIDOR_FACTOR if "KZAAU" in stops else 1.0
        rows.append(
            rail_service(
                sid,
                name,
                stops,
                days,
                price=rail_price(stops, factor=factor),
                price_src="vipu-2024",
                optional=True,
                figures={"weekdays": "conv-frequency"},
                sources=["asstra-2024"] if factor != 1.0 else [],
            )
        )
    # Middle Corridor: train to Aktau, Caspian ferry, Baku-Poti train, Black Sea to Constanta
    mc = ["asstra-2024", "kaztag-2024", "azernews-2024"]
    rows.append(
        rail_service(
            "R-ZZ-AAU",
            "Zhengzhou-Aktau (Trans-Caspian)",
            ["CNCGO", "HRG-ALT", "KZAAU"],
            "Wed",
            price=rail_price(["CNCGO", "HRG-ALT", "KZAAU"], factor=1.5),
            price_src="vipu-2024",
            figures={"weekdays": "conv-frequency", "price_usd": "derived"},
            sources=[*mc, "ktz-seanews-2024"],
            note="tariff 1.5 x distance share",
        )
    )
    rows.append(
        rail_service(
            "R-ZZ-AAU-R",
            "Aktau-Zhengzhou (Trans-Caspian)",
            ["KZAAU", "HRG-ALT", "CNCGO"],
            "Sun",
            price=rail_price(["KZAAU", "HRG-ALT", "CNCGO"], eastbound=True, factor=1.5),
            price_src="era-index-2024",
            figures={"weekdays": "conv-frequency", "price_usd": "derived"},
            sources=mc,
            note="tariff 1.5 x distance share",
        )
    )
    for sid, stops, days in (
        ("R-BAK-PTI", ["AZBAK", "GEPTI"], "Tue;Fri"),
        ("R-PTI-BAK", ["GEPTI", "AZBAK"], "Mon;Thu"),
    ):
        rows.append(
            rail_service(
                sid,
                "Baku-Poti block train" if sid == "R-BAK-PTI" else "Poti-Baku block train",
                stops,
                days,
                price=rail_price(stops, factor=1.5),
                price_src="vipu-2024",
                figures={"weekdays": "conv-frequency", "price_usd": "derived"},
                sources=mc,
                note="tariff 1.5 x distance share",
            )
        )
    caspian = dict(price_src="vipu-2024", capacity=100, knots=FERRY_KNOTS, dwell=0.0,
                   figures={"price_usd": "derived"}, extra_sources=["asstra-2024"])
    for sid, stops, days in (
        ("S-AAU-BAK", ["KZAAU", "AZBAK"], "Mon;Wed;Fri"),
        ("S-BAK-AAU", ["AZBAK", "KZAAU"], "Tue;Thu;Sat"),
    ):
        km = sea_leg(*stops, False)[0]
        rows.append(
            sea_service(
                sid,
                "Caspian ferry",
                stops,
                days,
                extra_via=("caspian",),
                price=round(MIDDLE_CORRIDOR_FACTOR * RAIL_ZZ_HAM_USD * km / ZZ_HAM_KM, -1),
                note="tariff 1.5 x rail distance share (asstra-2024); 3 a week (convention)",
                **caspian,
            )
        )
    for sid, stops, days in (
        ("S-PTI-CND", ["GEPTI", "ROCND"], "Thu"),
        ("S-CND-PTI", ["ROCND", "GEPTI"], "Mon"),
    ):
        km = sea_leg(*stops, False)[0]
        rows.append(
            sea_service(
                sid,
                "Black Sea feeder",
                stops,
                days,
                extra_via=("blacksea",),
                price_src="drewry-wci-2023",
                capacity=1000,
                price=SEA["suez_ne"],
                price_share=sea_leg("CNTAO", "NLRTM", False)[0],
                note="tariff = distance share of Shanghai-Rotterdam WCI; weekly (convention)",
            )
        )
    # Sea-rail feeder trains between Zhengzhou and the ports (both directions)
    for port, days, src in SEA_RAIL:
        for stops, d, suffix in ((["CNCGO", port], days, ""), ([port, "CNCGO"], shift(days, 1), "-R")):
            rows.append(
                rail_service(
                    f"R-ZZ-{port[2:]}{suffix}",
                    f"Sea-rail train {stops[0]}-{stops[1]}",
                    stops,
                    d,
                    price=rail_price(stops),
                    price_src="vipu-2024",
                    capacity=SEA_RAIL_TEU,
                    figures={"weekdays": src[0], "price_usd": "derived"},
                    sources=src[1:],
                    note="tariff = distance share of ZZ-HAM 7,000 USD",
                )
            )
    # Ocean: each loop via Suez and, as a separate service, via the Cape; both directions
    for key, name, stops, west_days, east_days, kind in SEA_LOOPS:
        for cape, days_shift, tag in ((False, 0, "SUEZ"), (True, 1, "CAPE")):
            price = SEA[f"{'cape' if cape else 'suez'}_{kind}"]
            src = "drewry-wci-2025" if cape else "drewry-wci-2023"
            cap = 14_000 if kind == "med" else 20_000
            rows.append(
                sea_service(
                    f"S-{tag}-{key}",
                    f"{name} via {'Cape' if cape else 'Suez'}",
                    stops,
                    shift(west_days, days_shift),
                    price=price,
                    price_src=src,
                    cape=cape,
                    capacity=cap,
                    note="Med tariff = Shanghai-Genoa WCI" if kind == "med" else "",
                )
            )
            rows.append(
                sea_service(
                    f"S-{tag}-{key}-R",
                    f"{name} via {'Cape' if cape else 'Suez'} (return)",
                    stops[::-1],
                    shift(east_days, days_shift),
                    price=SEA["east"],
                    price_src="drewry-wci-2025",
                    cape=cape,
                    capacity=cap,
                    note="eastbound tariff = Rotterdam-Shanghai WCI",
                )
            )
    rows.append(
        sea_service(
            "S-LYG-SHA",
            "Coastal feeder Lianyungang-Shanghai",
            ["CNLYG", "CNSHA"],
            "Tue;Thu;Sat",
            price=SEA["suez_ne"],
            price_src="drewry-wci-2023",
            capacity=1000,
            price_share=sea_leg("CNTAO", "NLRTM", False)[0],
            note="tariff = distance share of Shanghai-Rotterdam WCI; 3 a week (convention)",
        )
    )
    rows.append(
        sea_service(
            "S-SHA-LYG",
            "Coastal feeder Shanghai-Lianyungang",
            ["CNSHA", "CNLYG"],
            "Mon;Wed;Fri",
            price=SEA["east"],
            price_src="drewry-wci-2025",
            capacity=1000,
            price_share=sea_leg("CNTAO", "NLRTM", False)[0],
            note="tariff = distance share of Rotterdam-Shanghai WCI; 3 a week (convention)",
        )
    )
    rows += air_services()
    return rows


#: id, name, operator, dest, out days, out UTC, back days, back UTC, payload t,
#: (sources of the outbound figures, of the return figures, other inputs), note. A figure without
#: a source of its own is a convention (frequency, departure time).
AIR = [
    (
        "A-CGO-LUX",
        "Cargolux Zhengzhou-Luxembourg",
        "Cargolux",
        "LUX",
        "Mon;Tue;Wed;Thu;Fri;Sat;Sun",
        "12:40",
        "Mon;Tue;Wed;Thu;Fri;Sat;Sun",
        "21:00",
        140,
        ({"weekdays": "cargolux-cgo-2016", "departure_time_utc": "flyteam-2014",
          "capacity_kg": "boeing-freighters"},
         {"weekdays": "cargolux-cgo-2016", "departure_time_utc": "flyteam-2014"}, []),
        "B747-8F",
    ),
    (
        "A-CGO-ORD",
        "Cargolux Zhengzhou-Chicago",
        "Cargolux",
        "ORD",
        "Tue;Thu;Fri",
        "02:00",
        "Wed;Fri;Sat",
        "20:00",
        140,
        ({"weekdays": "verkehrsrundschau-2017", "capacity_kg": "boeing-freighters"}, {},
         ["hnca-cgo-ord-2015"]),
        "B747-8F; times convention",
    ),
    (
        "A-CGO-ATL",
        "Cargolux Zhengzhou-Atlanta",
        "Cargolux",
        "ATL",
        "Sun;Wed",
        "00:45",
        "Sun;Wed",
        "18:50",
        140,
        ({"weekdays": "verkehrsrundschau-2017", "departure_time_utc": "verkehrsrundschau-2017",
          "capacity_kg": "boeing-freighters"},
         {"weekdays": "verkehrsrundschau-2017", "departure_time_utc": "verkehrsrundschau-2017"},
         ["xinhua-cgo-atl-2024"]),
        "Sun 08:45 CST = 00:45 UTC (Wed 07:15 CST flight modelled at the same time); ATL dep 14:50 EDT",
    ),
    (
        "A-CGO-MXP",
        "Cargolux Italia Zhengzhou-Milan Malpensa",
        "Cargolux Italia",
        "MXP",
        "Mon;Tue",
        "04:00",
        "Sat;Sun",
        "10:50",
        105,
        ({"capacity_kg": "chinacham-bud-2021"},
         {"weekdays": "cargolux-italia-2015", "departure_time_utc": "cargolux-italia-2015"}, []),
        "B747-400F via Novosibirsk (technical stop not modelled); MXP dep Sun 11:50 CET",
    ),
    (
        "A-CGO-BUD",
        "Zhengzhou-Budapest freighter",
        "",
        "BUD",
        "Mon;Tue;Wed;Thu;Fri",
        "16:00",
        "Tue;Wed;Thu;Fri;Sat",
        "16:00",
        105,
        ({"weekdays": "chinacham-bud-2021", "capacity_kg": "chinacham-bud-2021"}, {}, []),
        "B747-400F 105 t; times convention",
    ),
    (
        "A-CGO-LHR",
        "Beijing Capital Airlines Zhengzhou-London",
        "Beijing Capital Airlines",
        "LHR",
        "Mon;Wed;Fri",
        "16:00",
        "Tue;Thu;Sat",
        "16:00",
        33,
        ({"weekdays": "xinhua-cgo-lhr-2021", "capacity_kg": "xinhua-cgo-lhr-2021"}, {}, []),
        "33 t per flight; times convention",
    ),
    (
        "A-CGO-CDG",
        "CMA CGM Air Cargo Zhengzhou-Paris",
        "CMA CGM Air Cargo",
        "CDG",
        "Mon;Tue;Wed;Fri;Sat",
        "16:00",
        "Tue;Wed;Thu;Sat;Sun",
        "16:00",
        50,
        ({"weekdays": "xinhua-cgo-cdg-2024", "capacity_kg": "xinhua-cgo-cdg-2024"}, {}, []),
        "over 50 t loaded on the first flight (used as payload); times convention",
    ),
    (
        "A-CGO-BLL",
        "Maersk Air Cargo Zhengzhou-Billund",
        "Maersk Air Cargo",
        "BLL",
        "Mon;Tue;Wed;Thu;Fri;Sat",
        "16:00",
        "Tue;Wed;Thu;Fri;Sat;Sun",
        "16:00",
        52.4,
        ({"weekdays": "xinhua-cgo-2025", "capacity_kg": "boeing-freighters"}, {}, []),
        "B767-300F; times convention",
    ),
    (
        "A-CGO-IST",
        "Turkish Cargo Zhengzhou-Istanbul",
        "Turkish Cargo",
        "IST",
        "Tue;Thu;Sat",
        "16:00",
        "Mon;Wed;Fri",
        "16:00",
        70,
        ({"weekdays": "xinhua-cgo-ist-2023", "capacity_kg": "airbus-a330f"}, {}, []),
        "A330-200F; times convention",
    ),
]
CHARTERS = [  # id, dest, weekday, payload t, fixed cost, sources
    (
        "O-A-CGO-LGG",
        "LGG",
        "Sat",
        105,
        CHARTER_747_USD,
        ["charter-56ok-2024", "chinacham-bud-2021", "abc-cgo-2018"],
    ),
    ("O-A-CGO-FRA", "FRA", "Wed", 105, CHARTER_747_USD, ["charter-56ok-2024", "chinacham-bud-2021"]),
    ("O-A-CGO-LUX", "LUX", "Sun", 105, CHARTER_747_USD, ["charter-56ok-2024", "chinacham-bud-2021"]),
    ("O-A-CGO-BUD", "BUD", "Thu", 105, CHARTER_747_USD, ["charter-56ok-2024", "chinacham-bud-2021"]),
    ("O-A-CGO-BLL", "BLL", "Fri", 52.4, CHARTER_767_USD, ["charter-weefreight-2024", "boeing-freighters"]),
    ("O-A-LGG-CGO", "LGG", "Mon", 105, CHARTER_747_USD, ["charter-56ok-2024", "chinacham-bud-2021"]),
]


def air_services() -> list[dict[str, object]]:
    rows = []
    conventions = {"weekdays": "conv-frequency", "departure_time_utc": "conv-departure-time",
                   "price_usd": "worldacd-2024"}
    for sid, name, op, dest, days, t, back_days, back_t, payload, (out, back, src), note in AIR:
        price = AIR_CN_US if country(dest) == "US" else AIR_CN_EU
        rows.append(
            air_service(
                sid, name, op, "CGO", dest, days, t, payload_t=payload, price=price,
                figures={**conventions, **out}, sources=src, note=note,
            )
        )
        rows.append(
            air_service(
                f"{sid}-R",
                f"{name} (return)",
                op,
                dest,
                "CGO",
                back_days,
                back_t,
                payload_t=payload,
                price=AIR_TO_CN,
                figures={**conventions, "capacity_kg": out["capacity_kg"], **back},
                sources=src,
                note=f"{note}; backhaul tariff = global average",
            )
        )
    for sid, dest, day, payload, fixed, src in CHARTERS:
        a, b = ("CGO", dest) if sid.startswith("O-A-CGO") else (dest, "CGO")
        rows.append(
            air_service(
                sid,
                f"Charter {a}-{b}",
                "",
                a,
                b,
                day,
                "12:00",
                payload_t=payload,
                price=0.0,
                figures={"weekdays": "conv-frequency", "departure_time_utc": "conv-departure-time",
                         "capacity_kg": src[1], "price_usd": "conv-optional-price",
                         "fixed_cost_usd_per_run": "derived"},
                sources=[src[0], *src[2:]],
                optional=True,
                fixed=round(fixed),
                note="optional charter: the fixed cost per run is the charter price (mid-range)",
            )
        )
    return rows


# Cargo-class rules (classes.csv, the rule in silkroad_routing/model/cargo_rules.py): which
# services, links and hubs take dangerous goods (UN 3480 lithium batteries), cold chain and
# pharma, with surcharges, reefer space and the time pharma spends out of temperature control.
SEA_DG_USD_PER_FEU = 2 * 500.0  # msc-hazardous: medium risk (class 9, PG II) 500 USD/TEU
SEA_REEFER_USD_PER_FEU = 4350.0  # xeneta-reefer-2022: 40' reefer premium over dry, N Europe-Far East
SEA_REEFER_SHARE = 0.20  # alphaliner-reefer-2023: about 20 % of slots have reefer plugs (MSC 20 %)
PHARMA_MAX_EXPOSURE_H = 1.0  # conv-class-rules (a guess): no published limit found
#: Certified pharma hubs: code, time out of temperature control per transfer (h), its source.
PHARMA_HUBS = [
    ("CGO", 0.0, "ceiv-cgo-2022"),  # active temperature-controlled vehicles apron <-> terminal
    ("LUX", 0.5, "conv-class-rules"),  # GDP hub (luxaircargo-gdp-2014); ramp time a guess
    ("LGG", 0.5, "conv-class-rules"),  # CEIV Pharma since 2015 (ceiv-lgg-2015); ramp time a guess
]
PHARMA_HUB_SOURCES = {"CGO": "ceiv-cgo-2022", "LUX": "luxaircargo-gdp-2014", "LGG": "ceiv-lgg-2015"}


def class_row(scope: str, ref: str, cls: str, *, accepts: bool = True, figures: dict[str, object]
              | None = None, sources: dict[str, str], inputs: tuple[str, ...] = (),
              note: str = "") -> dict[str, object]:
    """One classes.csv row; ``figures`` are its numbers by column, ``sources`` the one source
    of each figure (and of ``accepts``) by column, ``inputs`` sources the row draws on."""
    row: dict[str, object] = {c: "" for c in CLASS_COLUMNS}
    row.update({"scope": scope, "ref": ref, "cargo_class": cls,
                "accepts": "true" if accepts else "false", "note": note})
    for column, value in (figures or {}).items():
        row[column] = f"{value:g}" if isinstance(value, float) else value
    row["source"] = ";".join([*(f"{c}={k}" for c, k in sources.items()), *inputs])
    return row


CLASS_COLUMNS = ("scope", "ref", "cargo_class", "accepts", "surcharge_usd", "surcharge_basis",
                 "reefer_teu", "extra_connection_h", "handling_usd_per_t", "exposure_h",
                 "max_exposure_h", "source", "note")


def class_rules(service_rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """classes.csv: one row per service and class it takes, the link and hub defaults, and the
    certified pharma hubs. A class without a row of a service is refused by it."""
    rows = []
    for r in service_rows:
        sid, mode = str(r["id"]), str(r["mode"])
        if mode == "air":
            # Every bundled flight is a freighter (AIR, CHARTERS): UN 3480 is cargo-aircraft only.
            rows.append(class_row("service", sid, "dangerous_goods",
                                  sources={"accepts": "iata-un3480-2016"},
                                  note="freighter: UN 3480 lithium batteries cargo aircraft only"))
            rows.append(class_row("service", sid, "cold_chain",
                                  sources={"accepts": "envirotainer-uld"},
                                  note="active temperature-controlled ULDs on freighters; no "
                                       "reefer surcharge found (none applied)"))
            if r["operator"] == "Cargolux":
                rows.append(class_row("service", sid, "pharma",
                                      sources={"accepts": "cargolux-gdp-2021"},
                                      note="Cargolux: GDP-certified airline (CV pharma)"))
        elif mode == "rail":
            rows.append(class_row("service", sid, "dangerous_goods",
                                  sources={"accepts": "utlc-lithium-2023"},
                                  note="consumer-goods lithium batteries admitted on China-Europe "
                                       "trains since November 2023 (traction batteries only on "
                                       "trial since November 2024: not modelled)"))
            rows.append(class_row("service", sid, "cold_chain",
                                  sources={"accepts": "crexpress-zz-coldchain-2019"},
                                  inputs=("coldchain-train-diesel-2023",),
                                  note="reefer containers with diesel units on the train (no plug "
                                       "limit, so no reefer_teu); no rail reefer surcharge found"))
        elif mode == "sea":
            rows.append(class_row("service", sid, "dangerous_goods",
                                  figures={"surcharge_usd": SEA_DG_USD_PER_FEU,
                                           "surcharge_basis": "feu"},
                                  sources={"accepts": "msc-hazardous",
                                           "surcharge_usd": "msc-hazardous"},
                                  note="IMDG class 9 (PG II, medium risk): 500 USD per TEU"))
            teu = float(r["capacity_teu"]) if r["capacity_teu"] else None
            reefer = {"reefer_teu": round(SEA_REEFER_SHARE * teu)} if teu else {}
            rows.append(class_row("service", sid, "cold_chain",
                                  figures={**reefer, "surcharge_usd": SEA_REEFER_USD_PER_FEU,
                                           "surcharge_basis": "feu"},
                                  sources={"accepts": "alphaliner-reefer-2023",
                                           **({"reefer_teu": "derived"} if teu else {}),
                                           "surcharge_usd": "xeneta-reefer-2022"},
                                  note="reefer plugs on about 20 % of slots (reefer_teu = 20 % of "
                                       "capacity_teu, derived; a capacity of its own for cold "
                                       "chain); reefer premium per FEU (2022, applied both ways)"))
    rows.append(class_row("link", "*", "dangerous_goods", sources={"accepts": "unece-adr-2025"},
                          note="trucks under ADR (class 9)"))
    rows.append(class_row("link", "*", "cold_chain", sources={"accepts": "conv-class-rules"},
                          note="reefer trucks on every road link (convention)"))
    rows.append(class_row("link", "*", "pharma", sources={"accepts": "conv-class-rules"},
                          note="GDP-qualified temperature-controlled trucks (convention)"))
    rows.append(class_row("hub", "*", "dangerous_goods", sources={"accepts": "conv-class-rules"},
                          note="every hub handles class 9 (convention)"))
    rows.append(class_row("hub", "*", "cold_chain", sources={"accepts": "conv-class-rules"},
                          note="every hub has reefer plugs or cold rooms (convention)"))
    rows.append(class_row("class", "*", "pharma", figures={"max_exposure_h": PHARMA_MAX_EXPOSURE_H},
                          sources={"max_exposure_h": "conv-class-rules"},
                          note="at most 1 h out of temperature control per transfer (a guess)"))
    for code, exposure, source in PHARMA_HUBS:
        rows.append(class_row("hub", code, "pharma", figures={"exposure_h": exposure},
                              sources={"accepts": PHARMA_HUB_SOURCES[code],
                                       "exposure_h": source},
                              inputs=("cargolux-gdp-2021",) if code == "LUX" else (),
                              note="GDP / CEIV Pharma certified handling"))
    return rows


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        handle.write("# Written by networks/tools/derive_four_roads.py; see networks/four_roads/README.md\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    write(NETWORK / "links.csv", links())
    service_rows = services()
    write(NETWORK / "services.csv", service_rows)
    write(NETWORK / "classes.csv", class_rules(service_rows))
    print(
        f"rail detour {RAIL_DETOUR:.3f}, TIR detour {TIR_DETOUR:.3f}, CN rail {CN_RAIL_KM_PER_H:.1f} km/h, "
        f"air block {AIR_BLOCK_KMH:.0f} km/h, airspace track factor {AIRSPACE_TRACK_FACTOR:.4f}"
    )


if __name__ == "__main__":
    main()

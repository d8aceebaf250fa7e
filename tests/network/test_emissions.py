"""Emissions per ISO 14083 / GLEC Framework v3 on the bundled network: each leg's well-to-wheel
and tank-to-wheel CO2e equals a hand sum from the rows of ``emission_factors.csv``.

The expected values are computed here from the factor file and the services' published km,
independently of the library's compile step: tonnes x km x g per tonne-km, with the rail run's
factor the km-weighted mean of its legs' traction rows, sea per TEU-km (two TEU per FEU, part
loads by their freight's share of the box), and GLEC's 95 km added to the air distance flown.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest

import silkroad_routing as sr
from silkroad_routing.io.network_files import bundled_networks_root
from silkroad_routing.kpi import compute_kpis

READY = datetime(2025, 3, 3, tzinfo=UTC)
FACTORS = bundled_networks_root() / "four_roads" / "emission_factors.csv"
#: The traction of each leg of R-ZZ-HAM-A (Zhengzhou-Alashankou-Brest-Hamburg).
HAM_RAIL_ROWS = ("rail-electric-cn", "rail-1520", "rail-electric-eu")


def factor_rows() -> dict[str, dict[str, str]]:
    with FACTORS.open(encoding="utf-8") as handle:
        return {r["id"]: r for r in csv.DictReader(line for line in handle if not line.startswith("#"))}


def g_per_tkm(row: dict[str, str], basis: str) -> float:
    per_teu = row["unit"] == "g_per_teu_km"
    return float(row[f"{basis}_g"]) / (float(row["load_t_per_teu"]) if per_teu else 1.0)


@pytest.fixture(scope="module")
def net() -> sr.Network:
    return sr.load_network("four_roads")


def route_one(net: sr.Network, origin: str, destination: str, modes: set[str],
              weight_kg: float, volume_m3: float) -> sr.Plan:
    shipment = sr.Shipment(id="x", origin=origin, destination=destination, ready=READY,
                           weight_kg=weight_kg, volume_m3=volume_m3, modes=frozenset(modes))
    return sr.route(net, [shipment], "cheapest", start=READY, days=40)


def test_rail_legs_equal_hand_sums_by_traction(net: sr.Network) -> None:
    rows = factor_rows()
    plan = route_one(net, "CNCGO", "DEHAM", {"rail"}, 12_000.0, 60.0)
    legs = plan.legs
    assert list(legs["service_id"]) == ["R-ZZ-HAM-A"] * 3
    km = [3633.0, 5404.0, 1178.0]  # services.csv leg_km of R-ZZ-HAM-A
    assert list(legs["distance_km"]) == km
    for basis in ("wtw", "ttw"):
        run_g = sum(g_per_tkm(rows[r], basis) * k for r, k in zip(HAM_RAIL_ROWS, km, strict=True)) / sum(km)
        expected = [12.0 * k * run_g / 1000.0 for k in km]
        assert list(legs[f"co2e_{basis}_kg"]) == pytest.approx(expected, rel=1e-5)
    # Electric Chinese and EU lines emit nothing on board: TTW comes from the 1520 mm leg alone.
    assert legs["co2e_ttw_kg"].sum() == pytest.approx(12.0 * 5404.0 * 1.235 / 1000.0, rel=1e-5)
    assert (legs["co2e_kg"] == legs["co2e_wtw_kg"]).all()


def service_km(service_id: str) -> float:
    """The published (single-leg) km of a service in services.csv."""
    path = bundled_networks_root() / "four_roads" / "services.csv"
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return next(float(r["leg_km"]) for r in rows if r["id"] == service_id)


@pytest.mark.parametrize(("destination", "service_id"), [("LUX", "A-CGO-LUX"), ("IST", "A-CGO-IST")])
def test_air_adds_95_km_to_the_flown_distance(net: sr.Network, destination: str,
                                              service_id: str) -> None:
    """Cargolux flies a routing clear of Russian airspace, Turkish Cargo the great circle; GLEC's
    95 km is added to either."""
    row = factor_rows()["air-freighter"]
    plan = route_one(net, "CGO", destination, {"air"}, 1_000.0, 2.0)
    leg = plan.legs.iloc[0]
    km = service_km(service_id)
    assert leg["service_id"] == service_id and leg["distance_km"] == km
    assert leg["co2e_ttw_kg"] == pytest.approx(1.0 * (km + 95) * 498 / 1000.0, rel=1e-5)
    assert leg["co2e_wtw_kg"] == pytest.approx(1.0 * (km + 95) * float(row["wtw_g"]) / 1000.0,
                                               rel=1e-5)


def service_row(service_id: str) -> dict[str, str]:
    path = bundled_networks_root() / "four_roads" / "services.csv"
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return next(r for r in rows if r["id"] == service_id)


def g_per_teu_km(row: dict[str, str], basis: str) -> float:
    assert row["unit"] == "g_per_teu_km"
    return float(row[f"{basis}_g"])


@pytest.mark.parametrize("weight_kg", [5_000.0, 12_000.0, 24_000.0])
def test_sea_counts_a_full_container_per_teu_whatever_it_weighs(net: sr.Network,
                                                                weight_kg: float) -> None:
    """An FEU is two TEU on every sea leg: a 5 t box emits what a 24 t box does."""
    rows = factor_rows()
    plan = route_one(net, "CNCGO", "NLRTM", {"sea", "rail", "road"}, weight_kg, 60.0)
    sea = plan.legs[plan.legs["mode"] == "sea"]
    assert len(sea) > 0
    for basis in ("wtw", "ttw"):
        expected = 2.0 * sea["distance_km"] * g_per_teu_km(rows["sea-container"], basis) / 1000.0
        assert list(sea[f"co2e_{basis}_kg"]) == pytest.approx(list(expected), rel=1e-9)
    truck = route_one(net, "CNCGO-BZ", "CGO", {"road"}, 5_000.0, 20.0).legs.iloc[0]
    for basis in ("wtw", "ttw"):
        expected = 5.0 * truck["distance_km"] * g_per_tkm(rows["road-truck"], basis) / 1000.0
        assert truck[f"co2e_{basis}_kg"] == pytest.approx(expected, rel=1e-5)


def test_sea_part_load_pays_its_share_of_the_box_as_its_freight_does(net: sr.Network) -> None:
    """A part load (LCL) carries the FEU's per-TEU emissions in the proportion its freight
    bears to the FEU price: its W/M x part-load rate / FEU price."""
    rows = factor_rows()
    weight_kg, volume_m3 = 2_000.0, 6.0  # 6 W/M
    plan = route_one(net, "CNCGO", "NLRTM", {"sea", "rail", "road"}, weight_kg, volume_m3)
    sea = plan.legs[plan.legs["mode"] == "sea"]
    assert len(sea) > 0
    for _, leg in sea.iterrows():
        service = service_row(leg["service_id"])
        share = 6.0 * float(service["part_load_usd_per_wm"]) / float(service["price_usd"])
        for basis in ("wtw", "ttw"):
            box = 2.0 * leg["distance_km"] * g_per_teu_km(rows["sea-container"], basis) / 1000.0
            # Part-load rates are rounded to the cent: the share holds to about 1e-4.
            assert leg[f"co2e_{basis}_kg"] == pytest.approx(box * share, rel=1e-3)


def test_shipments_and_kpis_report_both_bases(net: sr.Network) -> None:
    plan = route_one(net, "CNCGO", "DEHAM", {"rail"}, 12_000.0, 60.0)
    shipment = plan.shipments.iloc[0]
    assert shipment["co2e_wtw_kg"] == pytest.approx(plan.legs["co2e_wtw_kg"].sum(), rel=1e-12)
    assert shipment["co2e_ttw_kg"] == pytest.approx(plan.legs["co2e_ttw_kg"].sum(), rel=1e-12)
    ship = sr.Shipment(id="x", origin="CNCGO", destination="DEHAM", ready=READY,
                       weight_kg=12_000.0, volume_m3=60.0, modes=frozenset({"rail"}))
    k = compute_kpis(plan, net, [ship])
    assert k.co2e_basis == "WTW"
    assert k.co2e_t == k.co2e_wtw_t == pytest.approx(shipment["co2e_wtw_kg"] / 1000.0)
    assert k.co2e_ttw_t == pytest.approx(shipment["co2e_ttw_kg"] / 1000.0)
    assert k.co2e_ttw_t < k.co2e_wtw_t


def test_every_factor_row_is_sourced_and_consistent() -> None:
    """Each row gives both bases; electric rows have no tank-to-wheel emissions and their WTW is
    energy x grid; per-TEU rows state their tonnes per TEU."""
    for row in factor_rows().values():
        assert row["source"], row["id"]
        assert float(row["wtw_g"]) >= float(row["ttw_g"]) >= 0.0, row["id"]
        if row["energy_carrier"] == "electricity":
            assert float(row["ttw_g"]) == 0.0
            assert float(row["wtw_g"]) == pytest.approx(
                float(row["energy_kwh_per_tkm"]) * float(row["grid_g_per_kwh"]), rel=1e-3)
        if row["unit"] == "g_per_teu_km":
            assert float(row["load_t_per_teu"]) > 0.0


def test_part_load_fill_matches_the_networks_part_load_rates() -> None:
    """The fill that allocates a part load's share of a box's emissions is the one the bundled
    part-load rates are derived from (FEU price / part-load rate = W/M a consolidated FEU)."""
    from silkroad_routing.units import FEU_USABLE_M3, PART_LOAD_FILL_SHARE

    path = bundled_networks_root() / "four_roads" / "services.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(line for line in handle if not line.startswith("#"))
                if r["co2e_kg_per_teu_km"]]
    assert rows and all(r["mode"] == "sea" for r in rows)
    for r in rows:
        wm_per_feu = float(r["price_usd"]) / float(r["part_load_usd_per_wm"])
        # Part-load rates are rounded to the cent (a 500 USD feeder: 12.40 per W/M).
        assert wm_per_feu == pytest.approx(FEU_USABLE_M3 * PART_LOAD_FILL_SHARE, rel=5e-3), r["id"]


@pytest.mark.parametrize("basis", ["WTW", "TTW"])
def test_the_priced_basis_is_switchable_and_both_are_reported(net: sr.Network, basis: str) -> None:
    """``Costs.co2e_basis`` decides what ``co2e_kg``, the CO2 price and ``greenest`` use; both
    bases are always reported."""
    price_t = 200.0
    costs = sr.Costs(co2_price_usd_per_t=price_t, co2e_basis=basis)
    ship = sr.Shipment(id="x", origin="CNCGO", destination="DEHAM", ready=READY,
                       weight_kg=12_000.0, volume_m3=60.0)
    front = sr.route(net, [ship], "pareto", start=READY, days=60, costs=costs, pareto_co2=True)
    rows = front.shipments[front.shipments["routed"]]
    assert len(rows) > 1
    column = "co2e_wtw_kg" if basis == "WTW" else "co2e_ttw_kg"
    assert list(rows["co2e_kg"]) == list(rows[column])
    for _, row in rows.iterrows():
        legs = front.legs[(front.legs["shipment_id"] == "x") & (front.legs["option"] == row["option"])]
        assert row["co2e_wtw_kg"] == pytest.approx(legs["co2e_wtw_kg"].sum(), rel=1e-12)
        assert row["co2e_ttw_kg"] == pytest.approx(legs["co2e_ttw_kg"].sum(), rel=1e-12)
        assert row["generalized_usd"] - row["cost_usd"] == pytest.approx(
            price_t / 1000.0 * row[column], rel=1e-9)
    # Greenest on the basis = the least of that basis over the whole Pareto front.
    green = sr.route(net, [ship], "greenest", start=READY, days=60, costs=costs)
    chosen = green.shipments.iloc[0]
    assert chosen[column] == pytest.approx(rows[column].min(), rel=1e-9)
    k = compute_kpis(green, net, [ship], co2_price_usd_per_t=price_t)
    assert k.co2e_basis == basis
    assert k.co2e_t == pytest.approx(chosen[column] / 1000.0)
    assert k.co2e_wtw_t == pytest.approx(chosen["co2e_wtw_kg"] / 1000.0)
    assert k.co2e_ttw_t == pytest.approx(chosen["co2e_ttw_kg"] / 1000.0)


def test_an_unknown_basis_is_refused() -> None:
    with pytest.raises(sr.errors.InputError, match="co2e_basis"):
        sr.Costs(co2e_basis="WTT")

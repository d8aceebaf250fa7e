"""Demand: the seeded generator's stated parameters, determinism, and CSV/Parquet files."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import silkroad_routing as sr
from silkroad_routing.scenario.demand import build_demand, generate_flow, read_demand_file
from silkroad_routing.scenario.schema import (
    PROFILE_DEFAULTS,
    Demand,
    Flow,
    Generator,
    Horizon,
    Profile,
)
from silkroad_routing.units import FEU_PAYLOAD_KG

HORIZON = Horizon(start="2026-11-02", timezone="Asia/Shanghai", days=28)


@pytest.fixture
def network(mini_network_dir: Path) -> sr.Network:
    return sr.load_network(mini_network_dir)


def _flow(profile: Profile, n: int, **kw: object) -> Flow:
    return Flow(profile=profile, shipments=n, origins=("CGO", "ZZRT"),
                destinations=("LUX", "DEHAM", "CGO"), **kw)


@pytest.mark.parametrize("profile", list(Profile))
def test_generated_shipments_follow_the_stated_parameters(network: sr.Network, profile: Profile
                                                          ) -> None:
    params = PROFILE_DEFAULTS[profile]
    shipments = generate_flow(_flow(profile, 3000), network, HORIZON, seed=3, index=0)
    assert len(shipments) == 3000
    weights = np.array([s.weight_kg for s in shipments])
    for s in shipments:
        assert s.origin != s.destination
        assert HORIZON.start_at <= s.ready < HORIZON.end_at
        assert s.due - s.ready == timedelta(days=params.transit_days)
        assert s.cargo_class == params.cargo_class and s.modes == params.modes
        assert s.declared_value_usd == pytest.approx(s.weight_kg * params.value_usd_per_kg, abs=0.5)
    if params.feu_max:
        feu = np.array([s.units_feu for s in shipments])
        assert set(feu) == set(range(1, params.feu_max + 1))
        per_box = weights / feu
        assert per_box.max() <= FEU_PAYLOAD_KG + 0.1 and per_box.min() >= 2000 - 0.1
        assert np.median(per_box) == pytest.approx(params.median_weight_kg, rel=0.05)
    else:
        assert all(s.units_feu is None for s in shipments)
        # Log-normal around the stated median with the stated sigma (KS test against scipy).
        density = np.array([s.weight_kg / s.volume_m3 for s in shipments])
        assert np.allclose(density, params.density_kg_m3, rtol=0.01)
        big = weights[weights > 10.0]  # the clip at the minimum weight only touches the far tail
        reference = stats.lognorm(s=params.weight_sigma, scale=params.median_weight_kg)
        assert stats.kstest(big, reference.cdf).pvalue > 1e-3
    # Ready times spread uniformly over the horizon.
    hours = np.array([(s.ready - HORIZON.start_at) / timedelta(hours=1) for s in shipments])
    assert stats.kstest(hours, stats.uniform(0, HORIZON.days * 24).cdf).pvalue > 1e-3


def test_generator_is_deterministic_and_flows_are_independent(network: sr.Network) -> None:
    a = _flow(Profile.ECOMMERCE, 50)
    b = _flow(Profile.B2B_FCL, 20)
    first = build_demand(Demand(generate=Generator(flows=(a, b))), network, HORIZON,
                         seed=11).records()
    again = build_demand(Demand(generate=Generator(flows=(a, b))), network, HORIZON,
                         seed=11).records()
    assert first == again
    other_seed = build_demand(Demand(generate=Generator(flows=(a, b))), network, HORIZON,
                              seed=12).records()
    assert first != other_seed
    # Adding a flow after the others leaves them as they were.
    more = build_demand(Demand(generate=Generator(flows=(a, b, _flow(Profile.COLD_CHAIN, 5)))),
                        network, HORIZON, seed=11).records()
    assert more[:70] == first


ORDERS = """\
# orders for the test
id,origin,destination,ready,due,weight_kg,volume_m3,units_feu,cargo_class,declared_value_usd,modes,note
A1,CGO,LUX,2026-11-03 08:00,2026-11-09 08:00,500,3,,ecommerce,9000,air;road,first
A2,ZZRT,DEHAM,2026-11-05,,14000,60,1,general,,rail;road;sea,
A3,LUX,CGO,2026-11-06T10:00:00+01:00,,80,0.5,,cold_chain,40000,,
"""


def test_csv_and_parquet_give_the_same_shipments(network: sr.Network, tmp_path: Path) -> None:
    csv_path = tmp_path / "orders.csv"
    csv_path.write_text(ORDERS, encoding="utf-8")
    from_csv = read_demand_file(csv_path, network, HORIZON).records()
    # Parquet as tools write it: typed columns, times as UTC timestamps, missing values as nulls.
    frame = pd.read_csv(csv_path, comment="#").drop(columns="note")
    frame["ready"] = pd.to_datetime([s.ready for s in from_csv], utc=True)
    frame["due"] = pd.to_datetime([s.due for s in from_csv], utc=True)
    frame["units_feu"] = frame["units_feu"].astype("Int64")
    parquet_path = tmp_path / "orders.parquet"
    frame.to_parquet(parquet_path, index=False)
    from_parquet = read_demand_file(parquet_path, network, HORIZON).records()
    assert from_csv == from_parquet
    a1, a2, a3 = from_csv
    shanghai = HORIZON.tz
    assert a1.ready == pd.Timestamp("2026-11-03 08:00", tz=shanghai).to_pydatetime()
    assert a2.due is None and a2.units_feu == 1 and a2.modes == {"rail", "road", "sea"}
    # An explicit offset wins.
    assert a3.ready == pd.Timestamp("2026-11-06T10:00:00+01:00").to_pydatetime()
    assert a3.modes == frozenset(sr.Mode)


@pytest.mark.parametrize(("row", "column", "value"), [
    ("B1,CGO,LUX,2026-11-03,,-5,1,,,,,", "weight_kg", "-5"),
    ("B1,CGO,LUXX,2026-11-03,,5,1,,,,,", "destination", "LUXX"),
    ("B1,CGO,LUX,2026-11-03,2026-11-02,5,1,,,,,", "due", "2026-11-02"),
    ("B1,CGO,LUX,2026-11-03,,5,1,,frozen,,,", "cargo_class", "frozen"),
    ("B1,CGO,LUX,2026-11-03,,5,1,,,,air;boat,", "modes", "air;boat"),
    ("B1,CGO,LUX,3 Nov 2026,,5,1,,,,,", "ready", "3 Nov 2026"),
    ("B1,CGO,LUX,2026-11-03,,,1,,,,,", "weight_kg", None),
])
def test_bad_row_names_file_row_column_and_value(network: sr.Network, tmp_path: Path, row: str,
                                                 column: str, value: str | None) -> None:
    path = tmp_path / "orders.csv"
    lines = ORDERS.splitlines()
    path.write_text("\n".join([*lines[:3], row, *lines[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(sr.ScenarioError) as info:
        read_demand_file(path, network, HORIZON)
    err = info.value
    assert (err.file, err.row, err.field, err.value) == (str(path), 2, column, value)


def test_unknown_column_is_an_error(network: sr.Network, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("id,origin,destination,ready,weight_kg,volume_m3,wieght\n"
                    "C1,CGO,LUX,2026-11-03,5,1,3\n", encoding="utf-8")
    with pytest.raises(sr.ScenarioError, match="unknown column") as info:
        read_demand_file(path, network, HORIZON)
    assert (info.value.row, info.value.field) == (1, "wieght")


def test_missing_demand_file(network: sr.Network, tmp_path: Path) -> None:
    with pytest.raises(sr.ScenarioError, match="not found"):
        read_demand_file(tmp_path / "none.csv", network, HORIZON)


def test_generated_weights_are_plausible_for_the_road() -> None:
    # Sanity of the stated defaults themselves: an FCL box is heavier than an e-commerce
    # consolidation, and air-eligible profiles promise faster transit than the others.
    d = PROFILE_DEFAULTS
    assert d[Profile.B2B_FCL].median_weight_kg > 10 * d[Profile.ECOMMERCE].median_weight_kg
    fast = [p for p in d.values() if sr.Mode.AIR in p.modes]
    slow = [p for p in d.values() if sr.Mode.AIR not in p.modes]
    assert max(p.transit_days for p in fast if p.cargo_class != "general") < min(
        p.transit_days for p in slow)
    assert all(math.isfinite(p.density_kg_m3) for p in d.values())

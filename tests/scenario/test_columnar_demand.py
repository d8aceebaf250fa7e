"""The columnar path equals the row path: demand files read column-wise give the same shipments
and the same errors as validating every row by ShipmentRow, and plans routed from the columnar
form equal plans routed from Shipment records (generated demand and every bundled scenario)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import silkroad_routing as sr
from silkroad_routing.compile.shipments import ShipmentTable, shipment_table, table_from_records
from silkroad_routing.errors import MAX_LISTED_ERRORS, ScenarioError
from silkroad_routing.scenario.demand import READERS, read_demand_file, row_validator
from silkroad_routing.scenario.runner import prepare
from silkroad_routing.scenario.schema import Horizon

HORIZON = Horizon(start="2026-11-02", timezone="Europe/Berlin", days=28)
SCENARIOS = sorted((Path(__file__).parents[2] / "scenarios").glob("*.yaml"))


@pytest.fixture
def network(mini_network_dir: Path) -> sr.Network:
    return sr.load_network(mini_network_dir)


def _per_row(path: Path, network: sr.Network, horizon: Horizon
             ) -> tuple[ShipmentTable | None, list[ScenarioError]]:
    """Every row of ``path`` through the row path alone (the reference)."""
    raw = READERS[path.suffix](path)
    validate = row_validator(path, network, horizon)
    shipments, problems = [], []
    for i in range(len(raw.frame)):
        found = validate(i + 1, raw.cells(i))
        if isinstance(found, list):
            problems += found
        else:
            shipments.append(found)
        if len(problems) >= MAX_LISTED_ERRORS:
            return None, problems[:MAX_LISTED_ERRORS]
    return (None, problems) if problems else (table_from_records(shipments), [])


def _assert_same(a: ShipmentTable, b: ShipmentTable) -> None:
    for name in ShipmentTable.__dataclass_fields__:
        left, right = getattr(a, name), getattr(b, name)
        assert left.dtype == right.dtype and left.tolist() == right.tolist(), name


def _messy_rows(rng: np.random.Generator, n: int, bad_share: float) -> list[dict[str, str]]:
    """Demand rows, some with a bad or unusual cell (every kind the checks must flag)."""
    odd = {
        "id": ["", "x" * 101], "origin": ["XX", "lux", "C", "CGO"], "destination": ["LUX ", "??"],
        "ready": ["2026-11-31", "3 Nov 2026", "2026-10-25 02:30", "2026-11-05T08:00:00+09:00",
                  "2027-01-01", "2026-11-05T08:00:00.1234567", "1", "2026-11-05 08:00:00Z"],
        "due": ["2026-11-01", "2026-11-05", "tomorrow"],
        "weight_kg": ["-5", "0", "1e400", "nan", "5.", "+5", "007", "3000000", "1_000"],
        "volume_m3": ["", "0.0", "1e-3"], "units_feu": ["0", "2.0", "2.5", "201", "+3", "1e1"],
        "cargo_class": ["frozen", "General", ""], "declared_value_usd": ["-1", "1e11", "inf"],
        "modes": ["air;boat", ";", "AIR, Rail", "sea"],
    }
    rows = []
    for i in range(n):
        ready = pd.Timestamp("2026-11-02") + pd.Timedelta(minutes=int(rng.integers(0, 28 * 1440)))
        row = {"id": f"S{i:05d}", "origin": str(rng.choice(["CGO", "ZZRT", "LUX"])),
               "destination": "DEHAM", "ready": ready.strftime("%Y-%m-%d %H:%M"),
               "due": (ready + pd.Timedelta(days=int(rng.integers(3, 40)))).strftime("%Y-%m-%d"),
               "weight_kg": f"{rng.lognormal(6, 1.5):.1f}", "volume_m3": f"{rng.uniform(0.1, 60):.3f}",
               "units_feu": str(rng.choice(["", "1", "2"])),
               "cargo_class": str(rng.choice(["", "general", "ecommerce", "dangerous_goods"])),
               "declared_value_usd": str(rng.choice(["", "1000", "25000.5"])),
               "modes": str(rng.choice(["", "air;road", "rail;road;sea"]))}
        if rng.random() < bad_share:
            column = str(rng.choice(list(odd)))
            row[column] = str(rng.choice(odd[column]))
        rows.append(row)
    return rows


def _write(rows: list[dict[str, str]], path: Path) -> Path:
    frame = pd.DataFrame(rows)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        pq.write_table(pa.Table.from_pandas(frame.replace("", None), preserve_index=False), path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize(("seed", "bad_share"), [(1, 0.0), (2, 0.002), (3, 0.02), (4, 0.3)])
def test_columnar_file_reading_equals_the_row_path(network: sr.Network, tmp_path: Path,
                                                   suffix: str, seed: int,
                                                   bad_share: float) -> None:
    path = _write(_messy_rows(np.random.default_rng(seed), 400, bad_share),
                  tmp_path / f"orders{suffix}")
    expected, errors = _per_row(path, network, HORIZON)
    if errors:
        with pytest.raises(ScenarioError) as info:
            read_demand_file(path, network, HORIZON)
        found = getattr(info.value, "errors", [info.value])
        assert [str(e) for e in found] == [str(e) for e in errors]
    else:
        assert expected is not None
        _assert_same(read_demand_file(path, network, HORIZON), expected)


def test_typed_parquet_columns_equal_the_row_path(network: sr.Network, tmp_path: Path) -> None:
    # Timestamps (naive = local, and UTC), integers with nulls, a boolean weight.
    frame = pd.DataFrame({
        "id": ["T1", "T2", "T3"], "origin": ["CGO", "ZZRT", "LUX"],
        "destination": ["LUX", "DEHAM", "CGO"],
        "ready": pd.to_datetime(["2026-11-03 08:00", "2026-11-04 23:30:00.25", "2026-11-06"],
                                format="ISO8601"),
        "due": pd.to_datetime(["2026-11-09", None, "2026-11-20"], utc=True),
        "weight_kg": [500, 14000, 80], "volume_m3": [3.0, 60.0, 0.5],
        "units_feu": pd.array([None, 1, None], dtype="Int64")})
    good = pq.write_table(pa.Table.from_pandas(frame, preserve_index=False),
                          tmp_path / "typed.parquet")
    assert good is None
    expected, errors = _per_row(tmp_path / "typed.parquet", network, HORIZON)
    assert expected is not None and not errors
    _assert_same(read_demand_file(tmp_path / "typed.parquet", network, HORIZON), expected)
    pq.write_table(pa.Table.from_pandas(frame.assign(weight_kg=[True, False, True]),
                                        preserve_index=False), tmp_path / "bool.parquet")
    _, errors = _per_row(tmp_path / "bool.parquet", network, HORIZON)
    with pytest.raises(ScenarioError) as info:
        read_demand_file(tmp_path / "bool.parquet", network, HORIZON)
    assert [str(e) for e in getattr(info.value, "errors", [info.value])] == [
        str(e) for e in errors]


def _random_shipments(network: sr.Network, n: int, seed: int) -> list[sr.Shipment]:
    rng = np.random.default_rng(seed)
    codes = [h.code for h in network.hubs]
    start = pd.Timestamp("2026-11-02", tz="UTC")
    out = []
    for i in range(n):
        o, d = rng.choice(len(codes), size=2, replace=False)
        ready = start + pd.Timedelta(minutes=int(rng.integers(0, 14 * 1440)))
        out.append(sr.Shipment(
            id=f"G{i}", origin=codes[o], destination=codes[d], ready=ready.to_pydatetime(),
            due=(ready + pd.Timedelta(days=int(rng.integers(2, 30)))).to_pydatetime(),
            weight_kg=float(rng.lognormal(6, 1.5)), volume_m3=float(rng.uniform(0.1, 60)),
            units_feu=int(rng.integers(1, 3)) if rng.random() < 0.2 else None,
            declared_value_usd=float(rng.integers(0, 100_000))))
    return out


def _frame(shipments: list[sr.Shipment]) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [s.id for s in shipments], "origin": [s.origin for s in shipments],
        "destination": [s.destination for s in shipments],
        "ready": pd.to_datetime([s.ready for s in shipments], utc=True),
        "due": pd.to_datetime([s.due for s in shipments], utc=True),
        "weight_kg": [s.weight_kg for s in shipments],
        "volume_m3": [s.volume_m3 for s in shipments],
        "units_feu": pd.array([s.units_feu for s in shipments], dtype="Int64"),
        "declared_value_usd": [s.declared_value_usd for s in shipments]})


@pytest.mark.parametrize("objective", ["fastest", "cheapest"])
def test_plans_from_frames_and_arrow_equal_plans_from_records(network: sr.Network,
                                                              objective: str) -> None:
    shipments = _random_shipments(network, 300, seed=7)
    frame = _frame(shipments)
    _assert_same(shipment_table(frame), shipment_table(shipments))
    by_records = sr.route(network, shipments, objective)
    for columnar in (frame, pa.Table.from_pandas(frame, preserve_index=False)):
        plan = sr.route(network, columnar, objective)
        pd.testing.assert_frame_equal(plan.legs, by_records.legs)
        pd.testing.assert_frame_equal(plan.shipments, by_records.shipments)


@pytest.mark.parametrize(("change", "field", "row"), [
    ({"weight_kg": -1.0}, "weight_kg", 3), ({"origin": "C"}, "origin", 3),
    ({"destination": None}, "destination", 3), ({"units_feu": 0}, "units_feu", 3),
    ({"declared_value_usd": -5.0}, "declared_value_usd", 3),
])
def test_frame_errors_name_the_row_field_and_value(network: sr.Network, change: dict[str, object],
                                                   field: str, row: int) -> None:
    frame = _frame(_random_shipments(network, 5, seed=3)).astype(object)
    for column, value in change.items():
        frame.loc[row - 1, column] = value
    with pytest.raises(sr.InputError) as info:
        shipment_table(frame)
    assert (info.value.row, info.value.field) == (row, field)
    assert info.value.value == change[field]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_bundled_scenarios_plan_the_same_from_columns_and_records(scenario: Path) -> None:
    prepared = prepare(scenario, fast=True)
    table = prepared.shipments
    records = table.records()
    _assert_same(shipment_table(records), table)
    if prepared.scenario.demand.file is not None:
        path = prepared.scenario.demand.file.path
        expected, errors = _per_row(path, prepared.network, prepared.scenario.horizon)
        assert expected is not None and not errors
        _assert_same(read_demand_file(path, prepared.network, prepared.scenario.horizon),
                     expected)
    horizon = prepared.scenario.horizon
    given = {"start": horizon.start_at, "days": 60}
    plan = sr.route(prepared.network, table, "fastest", **given)
    again = sr.route(prepared.network, records, "fastest", **given)
    pd.testing.assert_frame_equal(plan.legs, again.legs)
    pd.testing.assert_frame_equal(plan.shipments, again.shipments)

"""``sr.default_uncertainty``: the four_roads defaults load, reproduce the published figures in
their rows (sea schedule reliability and delay of late vessels in simulation, the 2021
Brest-Malaszewicze queue analytically), scenario entries replace them field by field, and a bad
row is named by file, row and field."""

from __future__ import annotations

import csv
import math
import shutil
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

import silkroad_routing as sr
from silkroad_routing.errors import NetworkError
from silkroad_routing.io.network_files import bundled_networks_root
from silkroad_routing.scenario.network_edits import check_uncertainty
from silkroad_routing.scenario.schema import Triangular, Uncertainty
from silkroad_routing.simulation.defaults import RELIABILITY_DEFAULTS_FILE

FOUR_ROADS = bundled_networks_root() / "four_roads"
REPO = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
SAMPLES = 4000
#: Monte-Carlo interval, standard errors.
Z = 4.0


def _published(target: str) -> dict[str, str]:
    with (FOUR_ROADS / RELIABILITY_DEFAULTS_FILE).open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return next(r for r in rows if r["target"] == target)


def test_defaults_load_and_fit_four_roads() -> None:
    defaults = sr.default_uncertainty("four_roads")
    assert set(defaults.modes) == {sr.Mode.SEA}
    assert set(defaults.hubs) == {"BRE-MAL"}
    check_uncertainty(sr.load_network("four_roads"), defaults)


def test_sea_default_reproduces_published_schedule_reliability() -> None:
    """One sea voyage of the row's reference length: the share of draws more than 24 h late and
    the mean delay of those are the published figures, within the Monte-Carlo interval."""
    row = _published("sea")
    voyage_h = float(row["reference_h"])
    hubs = tuple(sr.Hub(code=c, name=c, kind=sr.HubKind.SEAPORT, country="CN", lat=0.0, lon=lon)
                 for c, lon in (("PA", 0.0), ("PB", 10.0)))
    service = sr.Service(id="V", mode=sr.Mode.SEA, stops=("PA", "PB"), leg_h=(voyage_h,),
                         leg_km=(20000.0,), weekdays=frozenset({0}), departure_time_utc=time(0),
                         price_usd=1000.0, price_basis=sr.PricingBasis.FEU,
                         part_load_usd_per_wm=50.0, co2e_kg_per_tkm=0.01)
    net = sr.Network(hubs=hubs, links=(), services=(service,), transfers=())
    shipment = sr.Shipment(id="s", origin="PA", destination="PB", ready=START,
                           due=START + timedelta(hours=voyage_h + 24.0), weight_kg=8000.0,
                           volume_m3=30.0, units_feu=1)
    problem = sr.prepare(net, [shipment], start=START, days=40)
    plan = sr.route(problem, objective="cheapest")
    sea_only = Uncertainty(modes=sr.default_uncertainty().modes)
    result = sr.simulate(problem, plan, sea_only, SAMPLES, seed=3)
    delay_h = result.arrival_h[:, 0] - float(result.shipments["planned_arrival_h"].iloc[0])
    late = delay_h[delay_h > 24.0]
    share = float(row["published_late_share"])
    assert abs(late.size / SAMPLES - share) < Z * math.sqrt(share * (1 - share) / SAMPLES)
    assert abs(1.0 - float(result.shipments["p_on_time"].iloc[0]) - late.size / SAMPLES) < 1e-9
    mean_h = float(row["published_mean_late_delay_h"])
    assert abs(late.mean() - mean_h) < Z * late.std() / math.sqrt(late.size)


def test_border_default_reproduces_the_2021_queue() -> None:
    """Normal dwell plus the default queue: 10 days on average, up to 16 days (2021)."""
    dwell = next(h.dwell_h for h in sr.load_network("four_roads").hubs if h.code == "BRE-MAL")
    queue = sr.default_uncertainty().hubs["BRE-MAL"].extra_dwell_h
    assert isinstance(queue, Triangular)
    assert dwell + (queue.low + queue.mode + queue.high) / 3 == pytest.approx(10 * 24)
    assert dwell + queue.high == pytest.approx(16 * 24)
    assert dwell + queue.low == pytest.approx(dwell)


def test_scenario_entries_replace_defaults_field_by_field() -> None:
    overrides = Uncertainty.model_validate({
        "hubs": {"BRE-MAL": {"extra_dwell_h": {"distribution": "uniform", "low": 0, "high": 48}}},
        "modes": {"sea": {"cancel_probability": 0.02}, "rail": {"cancel_probability": 0.01}}})
    merged = sr.default_uncertainty("four_roads", overrides)
    defaults = sr.default_uncertainty("four_roads")
    assert merged.hubs["BRE-MAL"] == overrides.hubs["BRE-MAL"]
    assert merged.modes[sr.Mode.SEA].duration_factor == defaults.modes[sr.Mode.SEA].duration_factor
    assert merged.modes[sr.Mode.SEA].cancel_probability == 0.02
    assert merged.modes[sr.Mode.RAIL].cancel_probability == 0.01


def test_a_folder_without_defaults_has_none(tmp_path: Path) -> None:
    folder = tmp_path / "net"
    shutil.copytree(FOUR_ROADS, folder)
    (folder / RELIABILITY_DEFAULTS_FILE).unlink()
    assert sr.default_uncertainty(folder) == Uncertainty()


@pytest.mark.parametrize(("old", "new", "field"), [
    ("1.0174,0.1631", "1.0174,-0.1", "sigma"),
    ("lognormal", "gamma", "distribution"),
    ("median=reliability-fit", "median=nowhere", "source"),
    ("modes,sea,duration_factor", "modes,boat,duration_factor", "target"),
    ("modes,sea,duration_factor", "modes,sea,speed_factor", "field"),
    ("0,216,324", "-5,216,324", "field"),
    ("0,216,324", "0,216,x", "high"),
])
def test_a_bad_default_is_named(tmp_path: Path, old: str, new: str, field: str) -> None:
    folder = tmp_path / "net"
    shutil.copytree(FOUR_ROADS, folder)
    path = folder / RELIABILITY_DEFAULTS_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(NetworkError) as caught:
        sr.default_uncertainty(folder)
    message = str(caught.value)
    assert RELIABILITY_DEFAULTS_FILE in message and "row " in message, message
    assert f"field '{field}'" in message, message


def test_a_field_set_twice_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "net"
    shutil.copytree(FOUR_ROADS, folder)
    path = folder / RELIABILITY_DEFAULTS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[-1]]) + "\n", encoding="utf-8")
    with pytest.raises(NetworkError, match="set twice"):
        sr.default_uncertainty(folder)



def test_scenario_section_starts_from_the_network_defaults(tmp_path: Path) -> None:
    """``uncertainty: {defaults: network}``: the section is the defaults with its own entries
    replacing them (here the Brest-Malaszewicze queue; the sea default stays)."""
    text = (REPO / "scenarios" / "brest_malaszewicze_congestion.yaml").read_text(encoding="utf-8")
    assert "\nuncertainty:\n" in text
    path = tmp_path / "with_defaults.yaml"
    path.write_text(text.replace("\nuncertainty:\n", "\nuncertainty:\n  defaults: network\n"),
                    encoding="utf-8")
    section = sr.load_scenario(path).uncertainty
    own = sr.load_scenario(REPO / "scenarios" / "brest_malaszewicze_congestion.yaml").uncertainty
    assert section is not None and own is not None
    assert section == sr.default_uncertainty("four_roads", own)
    assert section.hubs["BRE-MAL"] == own.hubs["BRE-MAL"]
    assert section.modes[sr.Mode.SEA] == sr.default_uncertainty().modes[sr.Mode.SEA]

"""Bad scenario files: each is refused by ``silkroad validate`` with exit code 2 and one message
naming the file, the line, the field and the value -- the same input ``run`` would reject.

Cases are one-line edits of the mini scenario (``tests/data/mini_scenario.yaml``) and whole
files that attack the reader (NUL bytes, other encodings, alias bombs, deep nesting, FIFOs).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hardening_checks import Refuse

from silkroad_routing.io.yaml_lines import MAX_YAML_BYTES
from silkroad_routing.scenario.schema import MAX_GENERATED_SHIPMENTS

S1 = "{id: S1, origin: CGO, destination: LUX, ready: 2026-11-03T08:00, weight_kg: 500, volume_m3: 3}"
FLOW = "{profile: ecommerce, shipments: 6, origins: [CGO], destinations: [LUX]}"


def _s1(**changes: str) -> tuple[str, str]:
    """(old, new) that rewrites inline shipment S1 with some fields changed or added."""
    fields = {"id": "S1", "origin": "CGO", "destination": "LUX", "ready": "2026-11-03T08:00",
              "weight_kg": "500", "volume_m3": "3", **changes}
    return S1, "{" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"


def _flow(**changes: str) -> tuple[str, str]:
    fields = {"profile": "ecommerce", "shipments": "6", "origins": "[CGO]",
              "destinations": "[LUX]", **changes}
    return FLOW, "{" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"


EDITS = "edits:\n  hubs:\n    BRE-MAL: {extra_dwell_h: 24}\n"


def _edits(extra: str) -> tuple[str, str]:
    """(old, new) adding ``extra`` (lines indented under ``edits:``)."""
    return EDITS, EDITS + extra


def _add(section: str) -> tuple[str, str]:
    """(old, new) appending a top-level ``section``."""
    return "task:\n", section + "task:\n"


#: (id, (old, new), parts the message must hold besides the file). Each changes one thing.
CASES: list[tuple[str, tuple[str, str], list[str]]] = [
    # --- top level
    ("unknown top-level key", ("seed: 7", "sede: 7"), ["'sede'", "did you mean 'seed'"]),
    ("bad name", ("name: mini", "name: 'bad name!'"), ["field 'name'", "'bad name!'"]),
    ("long name", ("name: mini", "name: " + "n" * 500), ["field 'name'", "at most 100"]),
    ("description not text", ("description: two", "description: [two"), ["YAML syntax error"]),
    ("seed 2**40", ("seed: 7", "seed: 1099511627776"), ["field 'seed'", "1099511627776"]),
    ("seed negative", ("seed: 7", "seed: -1"), ["field 'seed'", "-1"]),
    ("seed bool", ("seed: 7", "seed: true"), ["field 'seed'", "not true or false"]),
    ("seed float", ("seed: 7", "seed: 7.5"), ["field 'seed'", "7.5"]),
    ("network missing", ("network: ./net", "network: ./no_such_net"),
     ["field 'network'", "no_such_net"]),
    ("network bare unknown", ("network: ./net", "network: atlantis"),
     ["field 'network'", "'atlantis'", "bundled: four_roads"]),
    # --- horizon
    ("days bool", ("days: 14", "days: true"), ["field 'horizon.days'", "not true or false"]),
    ("days zero", ("days: 14", "days: 0"), ["field 'horizon.days'", "0"]),
    ("days too many", ("days: 14", "days: 100000"), ["field 'horizon.days'", "100000"]),
    ("days infinite", ("days: 14", "days: .inf"), ["horizon.days", "not a finite number"]),
    ("days text", ("days: 14", "days: fourteen"), ["field 'horizon.days'", "'fourteen'"]),
    ("timezone unknown", ("timezone: Asia/Shanghai", "timezone: Mars/Olympus"),
     ["field 'horizon.timezone'", "'Mars/Olympus'"]),
    ("timezone very long", ("timezone: Asia/Shanghai", "timezone: " + "A" * 5000),
     ["field 'horizon.timezone'", "at most 100"]),
    ("start as number", ("start: 2026-11-02", "start: 1762041600"),
     ["field 'horizon.start'", "not as a number"]),
    ("start year 9999", ("start: 2026-11-02", "start: 9999-11-02"),
     ["field 'horizon.start'", "between 1970 and 2200"]),
    ("start text", ("start: 2026-11-02", "start: yesterday"),
     ["field 'horizon.start'", "'yesterday'"]),
    # --- inline shipments
    ("weight 1e308", _s1(weight_kg="1e308"),
     ["demand.shipments[0].weight_kg", "'1e308'", "less than or equal to 2000000"]),
    ("weight infinite", _s1(weight_kg=".inf"), ["demand.shipments[0].weight_kg", "finite"]),
    ("weight NaN", _s1(weight_kg=".nan"), ["demand.shipments[0].weight_kg", "finite"]),
    ("weight bool", _s1(weight_kg="true"), ["demand.shipments[0].weight_kg", "not true or false"]),
    ("weight zero", _s1(weight_kg="0"), ["demand.shipments[0].weight_kg", "greater than 0"]),
    ("weight text", _s1(weight_kg="heavy"), ["demand.shipments[0].weight_kg", "'heavy'"]),
    ("weight list", _s1(weight_kg="[500]"), ["demand.shipments[0].weight_kg"]),
    ("volume 1e12", _s1(volume_m3="1e12"), ["demand.shipments[0].volume_m3", "'1e12'"]),
    ("units 10**12 FEU", _s1(units_feu="1000000000000"), ["demand.shipments[0].units_feu"]),
    ("units zero", _s1(units_feu="0"), ["demand.shipments[0].units_feu", "0"]),
    ("units bool", _s1(units_feu="true"), ["demand.shipments[0].units_feu", "not true or false"]),
    ("declared value huge", _s1(declared_value_usd="1e300"),
     ["demand.shipments[0].declared_value_usd"]),
    ("modes empty", _s1(modes="[]"), ["demand.shipments[0].modes", "at least 1"]),
    ("mode unknown", _s1(modes="[boat]"), ["demand.shipments[0].modes", "'boat'"]),
    ("cargo class unknown", _s1(cargo_class="gold"),
     ["demand.shipments[0].cargo_class", "'gold'"]),
    ("same origin and destination", _s1(destination="CGO"),
     ["demand.shipments[0]", "same hub"]),
    ("hub by city name", _s1(origin="ZHENGZHOU"),
     ["demand.shipments[0].origin", "'ZHENGZHOU'", "did you mean CGO or ZZRT"]),
    ("hub misspelt", _s1(destination="LUZ"),
     ["demand.shipments[0].destination", "'LUZ'", "did you mean LUX"]),
    ("hub lower-case unknown", _s1(origin="nowhere"), ["demand.shipments[0].origin", "'NOWHERE'"]),
    ("ready outside horizon", _s1(ready="2027-03-01"),
     ["demand.shipments[0].ready", "outside the horizon"]),
    ("ready as number", _s1(ready="1762156800"),
     ["demand.shipments[0].ready", "not as a number"]),
    ("due as number", _s1(due="1762156800"), ["demand.shipments[0].due", "not as a number"]),
    ("due before ready", _s1(due="2026-11-01"), ["demand.shipments[0].due", "not after"]),
    ("id empty", _s1(id="''"), ["demand.shipments[0].id"]),
    ("id repeated", ("    - id: S2", "    - id: S1"), ["duplicate shipment id", "'S1'"]),
    ("shipment unknown key", _s1(wieght_kg="5"),
     ["demand.shipments[0].wieght_kg", "did you mean 'weight_kg'"]),
    ("shipment missing weight", (", weight_kg: 500, volume_m3: 3}", ", volume_m3: 3}"),
     ["demand.shipments[0].weight_kg", "required field is missing"]),
    # --- generated flows
    ("flow 10**9 shipments", _flow(shipments="1000000000"),
     ["demand.generate.flows[0].shipments", "1000000000"]),
    ("flows over the total", (FLOW, _flow(shipments="60000")[1] + "\n      - "
                              + _flow(shipments="60000")[1]),
     ["demand.generate", f"at most {MAX_GENERATED_SHIPMENTS:,}"]),
    ("flow zero shipments", _flow(shipments="0"), ["demand.generate.flows[0].shipments"]),
    ("flow shipments bool", _flow(shipments="true"),
     ["demand.generate.flows[0].shipments", "not true or false"]),
    ("flow no origins", _flow(origins="[]"), ["demand.generate.flows[0].origins"]),
    ("flow unknown origin", _flow(origins="[NOWHERE]"),
     ["demand.generate.flows[0].origins[0]", "'NOWHERE'"]),
    ("flow unknown profile", _flow(profile="bulk"), ["demand.generate.flows[0].profile", "'bulk'"]),
    ("flow sigma 1000", _flow(weight_sigma="1000"), ["demand.generate.flows[0].weight_sigma"]),
    ("flow median infinite", _flow(median_weight_kg=".inf"),
     ["demand.generate.flows[0].median_weight_kg", "finite"]),
    ("flow modes empty", _flow(modes="[]"), ["demand.generate.flows[0].modes"]),
    ("flow only to itself", _flow(origins="[LUX]"),
     ["demand.generate.flows[0]", "same single hub (LUX)"]),
    ("flow origin only to itself", _flow(origins="[LUX, CGO]", destinations="[LUX]"),
     ["demand.generate.flows[0].origins", "no destination other than itself", "'LUX'"]),
    # --- edits
    ("edit unknown hub", ("BRE-MAL: {extra_dwell_h: 24}", "BRE-MXL: {extra_dwell_h: 24}"),
     ["edits.hubs.BRE-MXL"]),
    ("edit dwell huge", ("extra_dwell_h: 24", "extra_dwell_h: 1e9"),
     ["edits.hubs.BRE-MAL.extra_dwell_h"]),
    ("edit dwell negative", ("extra_dwell_h: 24", "extra_dwell_h: -24"),
     ["edits.hubs.BRE-MAL.extra_dwell_h", "-24"]),
    ("edit dwell bool", ("extra_dwell_h: 24", "extra_dwell_h: yes"),
     ["edits.hubs.BRE-MAL.extra_dwell_h", "not true or false"]),
    ("co2 price huge", _edits("  co2_price_usd_per_t: 1e12\n"), ["edits.co2_price_usd_per_t"]),
    ("co2 price infinite", _edits("  co2_price_usd_per_t: .inf\n"),
     ["edits.co2_price_usd_per_t", "finite"]),
    ("value of time negative", _edits("  value_of_time_pct_per_year: -8\n"),
     ["edits.value_of_time_pct_per_year"]),
    ("mode edit zero factor", _edits("  modes: {rail: {duration_factor: 0}}\n"),
     ["edits.modes.rail.duration_factor"]),
    ("mode edit unknown mode", _edits("  modes: {boat: {price_factor: 2}}\n"),
     ["edits.modes", "'boat'"]),
    ("close unknown hub", _edits("  close_hubs: [NOPE]\n"), ["edits.close_hubs[0]", "'NOPE'"]),
    ("close unknown link", _edits("  close_links: [T-NOPE]\n"), ["edits.close_links[0]", "'T-NOPE'"]),
    ("close unknown service", _edits("  close_services: [RAIL9]\n"),
     ["edits.close_services[0]", "'RAIL9'"]),
    ("edit unknown link", _edits("  links: {T-NOPE: {extra_h: 5}}\n"), ["edits.links.T-NOPE"]),
    ("service price huge", _edits("  services: {RAIL1: {price_usd: 1e15}}\n"),
     ["edits.services.RAIL1.price_usd"]),
    ("service capacity infinite", _edits("  services: {RAIL1: {capacity_teu: .inf}}\n"),
     ["edits.services.RAIL1.capacity_teu", "finite"]),
    ("added link infinite duration", _edits(
        "  add_links:\n    - {id: T-NEW, from_hub: CGO, to_hub: ZZRT, mode: road, distance_km: 40,"
        " duration_h: .inf, price_usd: 100, price_basis: truck, co2e_kg_per_tkm: 0.08}\n"),
     ["edits.add_links[0].duration_h", "finite"]),
    # --- task and outputs
    ("task kind unknown", ("kind: route", "kind: fly"), ["field 'task.kind'", "'fly'"]),
    ("objective unknown", ("objective: cheapest", "objective: best"), ["task.objective", "'best'"]),
    ("time limit zero", ("objective: cheapest", "objective: cheapest\n  time_limit_s: 0"),
     ["task.time_limit_s"]),
    ("time limit huge", ("objective: cheapest", "objective: cheapest\n  time_limit_s: 1e9"),
     ["task.time_limit_s"]),
    ("threads zero", ("objective: cheapest", "objective: cheapest\n  threads: 0"), ["task.threads"]),
    ("work limit zero", ("objective: cheapest", "objective: cheapest\n  max_rounds: 0"),
     ["task.max_rounds"]),
    ("work limit huge", ("objective: cheapest", "objective: cheapest\n  max_rounds: 100000"),
     ["task.max_rounds"]),
    ("work limit bool", ("objective: cheapest", "objective: cheapest\n  max_rounds: true"),
     ["task.max_rounds"]),
    ("mip gap one", ("objective: cheapest", "objective: cheapest\n  mip_gap: 1"), ["task.mip_gap"]),
    ("output format unknown", ("objective: cheapest", "objective: cheapest\noutputs: {formats: [pdf]}"),
     ["outputs.formats[0]", "'pdf'"]),
    # --- variants and uncertainty
    ("variant named base", _add("variants:\n  - {name: base, overrides: {seed: 1}}\n"),
     ["variants[0].name", "'base'"]),
    ("variants repeated", _add("variants:\n  - {name: a, overrides: {seed: 1}}\n"
                               "  - {name: a, overrides: {seed: 2}}\n"), ["two variants are named 'a'"]),
    ("variant without overrides", _add("variants:\n  - {name: a, overrides: {}}\n"),
     ["variants[0].overrides"]),
    ("variant bad override", _add("variants:\n  - {name: a, overrides: {task.kind: fly}}\n"),
     ["'fly'"]),
    ("uncertainty unknown hub", _add("uncertainty:\n  hubs:\n    NOPE-HUB: {extra_dwell_h: "
                                     "{distribution: uniform, low: 0, high: 10}}\n"),
     ["uncertainty.hubs.NOPE-HUB", "'NOPE-HUB'"]),
    ("uncertainty unknown link", _add("uncertainty:\n  links:\n    T-NOPE: {extra_h: "
                                      "{distribution: uniform, low: 0, high: 10}}\n"),
     ["uncertainty.links.T-NOPE"]),
    ("lognormal sigma 1000", _add("uncertainty:\n  modes:\n    rail: {duration_factor: "
                                  "{distribution: lognormal, median: 1, sigma: 1000}}\n"),
     ["uncertainty.modes.rail.duration_factor", "sigma"]),
    ("triangular disordered", _add("uncertainty:\n  modes:\n    rail: {duration_factor: "
                                   "{distribution: triangular, low: 2, mode: 1, high: 3}}\n"),
     ["uncertainty.modes.rail.duration_factor", "low <= mode <= high"]),
    ("unknown distribution", _add("uncertainty:\n  modes:\n    rail: {duration_factor: "
                                  "{distribution: cauchy, low: 1}}\n"),
     ["uncertainty.modes.rail.duration_factor"]),
    ("negative hours drawn", _add("uncertainty:\n  hubs:\n    BRE-MAL: {extra_dwell_h: "
                                  "{distribution: uniform, low: -5, high: 10}}\n"),
     ["uncertainty.hubs.BRE-MAL.extra_dwell_h", "cannot be negative"]),
    # --- YAML itself
    ("duplicate key", ("seed: 7", "seed: 7\nseed: 8"), ["duplicate key", "'seed'"]),
    ("tab indentation", ("  days: 14", "\tdays: 14"), ["YAML syntax error"]),
    ("unclosed bracket", ("days: 14", "days: [14"), ["YAML syntax error"]),
    ("python tag on a list", ("seed: 7", "seed: !!python/object/apply:os.system ['echo hi']"),
     ["field 'seed'", "tag:yaml.org,2002:python/object/apply:os.system", "is not allowed"]),
    ("python tag on a value", ("seed: 7", "seed: !!python/name:os.system x"),
     ["YAML syntax error", "python/name:os.system"]),
    ("impossible date", ("start: 2026-11-02", "start: 2026-02-30"),
     ["horizon.start", "not a valid value", "'2026-02-30'"]),
    ("complex key", ("seed: 7", "? [a, b]\n: 7\nseed: 7"), ["a mapping key must be a plain value"]),
]


@pytest.mark.parametrize(("change", "parts"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_scenario_is_refused(mini: Path, refused: Refuse, change: tuple[str, str],
                                 parts: list[str]) -> None:
    old, new = change
    text = mini.read_text(encoding="utf-8")
    assert old in text, old
    mini.write_text(text.replace(old, new, 1), encoding="utf-8")
    message = refused(["validate", mini], str(mini), *parts)
    if "line " not in message:  # a problem of the whole file may have no line
        assert "YAML" in message or "problems" in message, message


def test_every_error_of_a_file_at_once(mini: Path, refused: Refuse) -> None:
    """Three independent mistakes, three lines in one message (pydantic lists them all)."""
    text = mini.read_text(encoding="utf-8")
    text = text.replace("days: 14", "days: 0").replace("weight_kg: 500", "weight_kg: -1")
    mini.write_text(text.replace("kind: route", "kind: fly"), encoding="utf-8")
    message = refused(["validate", mini], "3 problems", "horizon.days", "weight_kg", "task.kind")
    assert message.count(str(mini)) == 3


def test_run_rejects_what_validate_rejects(mini: Path, refused: Refuse, tmp_path: Path) -> None:
    """``run`` stops on the same problem, before writing anything."""
    old, new = _s1(weight_kg="1e308")
    mini.write_text(mini.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    refused(["run", mini, "--out", tmp_path / "out", "--fast"], "weight_kg")
    assert not (tmp_path / "out").exists()


def test_ambiguous_network_name_names_both(mini: Path, refused: Refuse) -> None:
    """A bare name that is both a bundled network and a folder beside the scenario."""
    (mini.parent / "net").rename(mini.parent / "four_roads")
    text = mini.read_text(encoding="utf-8")
    mini.write_text(text.replace("network: ./net", "network: four_roads"), encoding="utf-8")
    refused(["validate", mini], "ambiguous network name", "bundled network 'four_roads'",
            str((mini.parent / "four_roads").resolve()), "./four_roads")


# --------------------------------------------------------------------------------------------
# Files that attack the reader
# --------------------------------------------------------------------------------------------

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))


def _deep(levels: int) -> str:
    return "name: " + "[" * levels + "]" * levels + "\n"


#: (id, bytes of the file, parts of the message)
RAW_FILES: list[tuple[str, bytes, list[str]]] = [
    ("NUL byte", b"name: mini\x00\nseed: 7\n", ["NUL byte", "line 1"]),
    ("Latin-1 text", "name: café\n".encode("latin-1"), ["not UTF-8", "0xE9", "line 1"]),
    ("UTF-16 text", "name: mini\n".encode("utf-16"), ["UTF-16"]),
    ("empty file", b"", ["must be a mapping"]),
    ("only a comment", b"# nothing here\n", ["must be a mapping"]),
    ("a list", b"- name: mini\n", ["must be a mapping"]),
    ("a scalar", b"mini\n", ["must be a mapping"]),
    ("alias bomb", ALIAS_BOMB.encode(), ["more than 1,000,000 values"]),
    ("nesting 40 deep", _deep(40).encode(), ["nested more than 32 levels"]),
    ("nesting 100000 deep", _deep(100_000).encode(), ["nested more than 32 levels"]),
    ("two documents", b"name: a\n---\nname: b\n", ["YAML syntax error"]),
    ("custom tag", b"name: !thing x\n", ["YAML syntax error", "!thing"]),
]


@pytest.mark.parametrize(("data", "parts"), [c[1:] for c in RAW_FILES],
                         ids=[c[0] for c in RAW_FILES])
def test_hostile_file_is_refused(tmp_path: Path, refused: Refuse, data: bytes, parts: list[str]
                                 ) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_bytes(data)
    refused(["validate", path], str(path), *parts)


def test_fifo_is_refused_not_waited_on(tmp_path: Path, refused: Refuse) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    refused(["validate", fifo], str(fifo), "not a regular file")


def test_folder_is_refused(tmp_path: Path, refused: Refuse) -> None:
    refused(["validate", tmp_path], str(tmp_path), "it is a folder")


def test_device_is_refused(refused: Refuse) -> None:
    refused(["validate", "/dev/zero"], "/dev/zero", "not a regular file")


def test_file_too_large_is_refused_unread(tmp_path: Path, refused: Refuse) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: no disk used, refused by its size alone
        handle.truncate(MAX_YAML_BYTES + 1)
    refused(["validate", path], str(path), "file is too large")


def test_missing_file(tmp_path: Path, refused: Refuse) -> None:
    refused(["validate", tmp_path / "nope.yaml"], "nope.yaml", "file not found")


def test_a_sweep_whose_every_run_fails_exits_2(mini: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from silkroad_routing.cli import main

    code = main(["sweep", str(mini), "--grid", "edits.hubs.BRE-MAL.extra_dwell_h=-1,-2",
                 "--workers", "0", "--out", str(tmp_path / "sweep.parquet")])
    assert code == 2
    assert "2 of 2 runs did not finish" in " ".join(capsys.readouterr().out.split())

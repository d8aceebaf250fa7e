"""The compare/sweep test scenario: the mini scenario with variants and an uncertainty section.

``VARIANT_EDITS`` says, for each good variant, what its overrides mean as a plain edit of the
scenario's YAML document: the tests build each variant's file by hand with it, independently of
the override machinery, and run it on its own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"

SECOND_TRAIN = {
    "id": "RAIL2", "name": "second Zhengzhou-Hamburg train", "mode": "rail",
    "stops": ["ZZRT", "BRE-MAL", "DEHAM"], "leg_h": [300, 80], "leg_km": [7000, 1000],
    "stop_dwell_h": 6, "weekdays": [4], "departure_time_utc": "10:00", "capacity_teu": 90,
    "price_usd": 6500, "price_basis": "feu", "part_load_usd_per_wm": 170,
    "co2e_kg_per_tkm": 0.02,
}

VARIANTS_YAML = f"""
variants:
  - name: cgo_plus_50
    description: CGO handles 50 % more
    overrides:
      edits.hubs.CGO.capacity_factor: 1.5
  - name: slow_border
    overrides:
      edits.hubs.BRE-MAL.extra_dwell_h: 120
  - name: second_train
    overrides:
      edits.add_services: [{yaml.safe_dump(SECOND_TRAIN, default_flow_style=True, width=10**6).strip()}]
  - name: fastest
    overrides:
      task.objective: fastest
      demand.generate.flows[0].shipments: 3
  - name: typo
    overrides:
      edits.hubs.CGO.capacity_tday: 4500
  - name: no_border
    overrides:
      edits.close_hubs: [BRE-MAL]
uncertainty:
  hubs:
    BRE-MAL: {{extra_dwell_h: {{distribution: lognormal, median: 48, sigma: 0.5}}}}
  modes:
    rail: {{duration_factor: {{distribution: triangular, low: 0.9, mode: 1.0, high: 1.3}}}}
    air: {{duration_factor: {{distribution: uniform, low: 0.95, high: 1.1}}}}
"""


def _cgo_plus_50(d: dict[str, Any]) -> None:
    d["edits"]["hubs"]["CGO"] = {"capacity_factor": 1.5}


def _slow_border(d: dict[str, Any]) -> None:
    d["edits"]["hubs"]["BRE-MAL"]["extra_dwell_h"] = 120


def _second_train(d: dict[str, Any]) -> None:
    d["edits"]["add_services"] = [copy.deepcopy(SECOND_TRAIN)]


def _fastest(d: dict[str, Any]) -> None:
    d["task"]["objective"] = "fastest"
    d["demand"]["generate"]["flows"][0]["shipments"] = 3


#: The good variants, as hand edits of the scenario document.
VARIANT_EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "cgo_plus_50": _cgo_plus_50, "slow_border": _slow_border, "second_train": _second_train,
    "fastest": _fastest,
}


def mini_document() -> dict[str, Any]:
    """The mini scenario (no variants) as a YAML document, network path made absolute."""
    document = yaml.safe_load((DATA / "mini_scenario.yaml").read_text(encoding="utf-8"))
    document["network"] = str((DATA / "mini_network").resolve())
    return document

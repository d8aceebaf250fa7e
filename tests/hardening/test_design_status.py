"""A design that serves nothing says so in its status, and its result file holds no timing."""

from __future__ import annotations

import json
from pathlib import Path

from silkroad_routing.scenario.runner import run_scenario


def test_a_design_that_serves_nothing_says_so(mini: Path, tmp_path: Path) -> None:
    """Every shipment asks for sea, which the mini network lacks: the design leaves them all
    unserved, and its status says so (not a bare 'optimal' or 'feasible')."""
    text = mini.read_text(encoding="utf-8").replace("volume_m3: 3}", "volume_m3: 3, modes: [sea]}")
    text = text.split("    - id: S2")[0] + "task:\n  kind: design\noutputs: {formats: [json]}\n"
    mini.write_text(text, encoding="utf-8")
    result = run_scenario(mini, out=tmp_path / "out", fast=True)
    assert result.design is not None and not result.plan.shipments["routed"].any()
    assert result.design.status_text == f"{result.design.status}: nothing served"
    summary = json.loads((tmp_path / "out" / "design.json").read_text(encoding="utf-8"))
    assert summary["design"]["status"].endswith("nothing served")
    assert "seconds" not in summary["design"]  # timings stay out of result files

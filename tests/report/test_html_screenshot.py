"""The HTML map as a browser shows it: a headless Chromium screenshot, offline, must show route
pixels in the colour of every mode, the hubs, the land and the hub labels; the page after its
scripts ran (``--dump-dom``) must show labels that do not overlap. CI installs Debian's
``chromium`` (``.ci/run``) and sets ``CI``, where a missing browser fails the test; elsewhere it
is skipped."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.image
import pytest
from map_pixels import colour_pixels

import silkroad_routing as sr
from silkroad_routing.plan import Plan
from silkroad_routing.report import MODE_COLOURS, write_map_html
from silkroad_routing.report.style import HUB_FILL, LABEL_COLOUR, LAND_COLOUR

BROWSER = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))
                if p), None)
WIDTH, HEIGHT = 1200, 800
#: Routes are drawn at 90 % opacity: their pixels blend a little with what lies under them.
TOLERANCE = 0.09
#: The legend and the layer control sit at the right: pixels counted left of them only (the
#: legend's colour swatches are drawn without Leaflet, and must not count as routes).
MAP_PART = slice(0, WIDTH - 320)




def _browser() -> str:
    if BROWSER is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: install Debian's chromium (.ci/run)")
        pytest.skip("no Chromium installed (apt-get install chromium)")
    return BROWSER


def _chromium(page: Path, profile: Path, *action: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_browser(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
         "--virtual-time-budget=5000", *action, page.as_uri()],
        check=True, capture_output=True, text=True, timeout=120)


def test_browser_draws_routes_hubs_land_and_labels_offline(
        pareto_plan: Plan, four_roads: sr.Network, tmp_path: Path) -> None:
    page = write_map_html(pareto_plan, four_roads, tmp_path / "map.html", title="screenshot")
    shot = tmp_path / "shot.png"
    _chromium(page, tmp_path / "profile", f"--screenshot={shot}")
    screen = matplotlib.image.imread(shot)
    assert screen.shape[:2] == (HEIGHT, WIDTH)
    image = screen[:, MAP_PART]
    # Without Leaflet (e.g. fetched from a CDN while offline) each count below is about 0.
    for mode in set(pareto_plan.selected().legs["mode"]):
        assert colour_pixels(image, MODE_COLOURS[sr.Mode(mode)], TOLERANCE) >= 30, mode
    assert colour_pixels(image, HUB_FILL, TOLERANCE) >= 300
    assert colour_pixels(image, LAND_COLOUR, 0.02) > 0.1 * WIDTH * HEIGHT
    # Hub labels: dark text on a white halo (the hub circles are a lighter grey).
    assert colour_pixels(image, LABEL_COLOUR, 0.03) >= 150


def test_browser_keeps_labels_apart(pareto_plan: Plan, four_roads: sr.Network,
                                    tmp_path: Path) -> None:
    page = write_map_html(pareto_plan, four_roads, tmp_path / "map.html", title="labels")
    dom = _chromium(page, tmp_path / "profile", "--dump-dom").stdout
    labels = re.findall(r'<div class="sr-label"([^>]*)>', dom)
    assert len(labels) == len(set(pareto_plan.selected().legs[["from_hub", "to_hub"]]
                                  .to_numpy().ravel()))
    shown = [a for a in labels if 'data-shown="1"' in a]
    hidden = [a for a in labels if 'data-shown="0"' in a]
    assert len(shown) >= 5 and len(shown) + len(hidden) == len(labels)  # every label decided
    assert any('data-rank="0"' in a for a in shown)  # the busiest hub is always labelled
    boxes = [tuple(map(int, re.search(r'data-box="([-\d,]+)"', a).group(1).split(",")))
             for a in shown]
    for (l1, t1, r1, b1), (l2, t2, r2, b2) in itertools.combinations(boxes, 2):
        assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, "labels overlap"

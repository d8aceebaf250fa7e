"""The HTML map as a browser shows it: a headless Chromium screenshot, offline, must show route
pixels in the colour of every mode. Skipped when no Chromium is installed (CI does not need one;
``apt-get install chromium`` on Debian)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import matplotlib.image
import pytest
from map_pixels import colour_pixels

import silkroad_routing as sr
from silkroad_routing.plan import Plan
from silkroad_routing.report import MODE_COLOURS, write_map_html
from silkroad_routing.report.style import HUB_FILL, LAND_COLOUR

BROWSER = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))
                if p), None)
WIDTH, HEIGHT = 1200, 800
#: Routes are drawn at 90 % opacity: their pixels blend a little with what lies under them.
TOLERANCE = 0.09
#: The legend and the layer control sit at the right: pixels counted left of them only (the
#: legend's colour swatches are drawn without Leaflet, and must not count as routes).
MAP_PART = slice(0, WIDTH - 320)


@pytest.mark.skipif(BROWSER is None, reason="no Chromium installed")
def test_browser_draws_routes_hubs_and_land_offline(pareto_plan: Plan, four_roads: sr.Network,
                                                    tmp_path: Path) -> None:
    page = write_map_html(pareto_plan, four_roads, tmp_path / "map.html", title="screenshot")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [str(BROWSER), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--window-size={WIDTH},{HEIGHT}", "--virtual-time-budget=5000",
         f"--screenshot={shot}", page.as_uri()],
        check=True, capture_output=True, timeout=120)
    screen = matplotlib.image.imread(shot)
    assert screen.shape[:2] == (HEIGHT, WIDTH)
    image = screen[:, MAP_PART]
    # Without Leaflet (e.g. fetched from a CDN while offline) each count below is about 0.
    for mode in set(pareto_plan.selected().legs["mode"]):
        assert colour_pixels(image, MODE_COLOURS[sr.Mode(mode)], TOLERANCE) >= 30, mode
    assert colour_pixels(image, HUB_FILL, TOLERANCE) >= 300
    assert colour_pixels(image, LAND_COLOUR, 0.02) > 0.1 * WIDTH * HEIGHT

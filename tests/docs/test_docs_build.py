"""The documentation site builds with ``mkdocs build --strict`` (a broken link, anchor, nav entry
or docstring fails it), and its generated pages cover what they are generated from: every
``sr.*`` name, every command of the CLI, every section of the scenario schema, every source key."""

from __future__ import annotations

import csv
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from doc_examples import REPO

from silkroad_routing.cli import app
from silkroad_routing.scenario.reference import scenario_sections


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(REPO / "mkdocs.yml"),
         "--site-dir", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def _page(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_every_nav_page_is_built(site: Path) -> None:
    import yaml

    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)

    def pages(entries: object) -> list[str]:
        if isinstance(entries, str):
            return [entries]
        if isinstance(entries, dict):
            return [p for value in entries.values() for p in pages(value)]
        return [p for entry in entries for p in pages(entry)]  # type: ignore[attr-defined]

    for page in pages(config["nav"]):
        built = site / (page.removesuffix(".md").removesuffix("index") + "/index.html").lstrip("/")
        assert built.is_file(), page


def test_api_reference_documents_every_public_name(site: Path) -> None:
    import silkroad_routing as sr

    index = _page(site, "reference/api")
    public = [n for n in dir(sr) if not n.startswith("_") and n[0].isalpha()
              and getattr(getattr(sr, n), "__module__", "").startswith("silkroad_routing")]
    assert len(public) >= 20
    for name in public:
        link = re.search(rf'href="([^"#]+)#([^"]+)"[^>]*>\s*<code>sr\.{name}</code>', index)
        assert link, name
        target = _page(site, "reference/api/" + link.group(1).rstrip("/"))
        assert f'id="{link.group(2)}"' in target, name


def test_cli_reference_lists_every_command(site: Path) -> None:
    text = html.unescape(_page(site, "reference/cli"))

    def commands(group: object, prefix: str) -> list[str]:
        found = []
        for name, command in getattr(group, "commands", {}).items():
            found.append(f"{prefix} {name}")
            found += commands(command, f"{prefix} {name}")
        return found

    names = commands(typer.main.get_command(app), "silkroad")
    assert {"silkroad run", "silkroad compare", "silkroad sweep", "silkroad network show"} <= set(names)
    for name in names:
        assert f"<code>{name}</code>" in text, name  # its heading


def test_scenario_reference_page_has_every_section(site: Path) -> None:
    text = _page(site, "reference/scenario")
    for section in scenario_sections():
        assert f'id="{section.anchor}"' in text
        for row in section.rows:
            assert f"<code>{row.name}</code>" in text


@pytest.mark.parametrize("table", ["networks/four_roads/sources.csv",
                                   "silkroad_routing/data/equipment_sources.csv"])
def test_data_sources_page_lists_every_source(site: Path, table: str) -> None:
    text = html.unescape(_page(site, "data-sources"))
    with (REPO / table).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    assert rows
    for row in rows:
        assert f"<code>{row['key']}</code>" in text, row["key"]
        assert row["citation"].split(",")[0] in text, row["key"]

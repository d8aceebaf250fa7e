"""mkdocs-gen-files script: expand the include markers of the pages and write the generated
pages (scenario, command line and API references, data sources). See ``docs_pages.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import mkdocs_gen_files

from silkroad_routing.scenario.reference import scenario_reference_markdown

# docs_pages sits beside this script, which mkdocs runs by path.
sys.path.insert(0, str(Path(__file__).parent))
import docs_pages


def write(page: str, text: str, source: str | None = None) -> None:
    """Write ``page`` (a path under docs/); ``source`` is the repository file it comes from."""
    with mkdocs_gen_files.open(page, "w") as handle:
        handle.write(text)
    if source:
        mkdocs_gen_files.set_edit_path(page, source)


for page, text in docs_pages.site_pages().items():
    if docs_pages.included_sources(docs_pages.hand_written_pages()[page]):
        write(page, text)

write("reference/scenario.md",
      scenario_reference_markdown(heading_level=1, network_format_url="network-files.md")
      + "\nThe same reference on the command line: `silkroad schema --format markdown`; the JSON "
        "Schema (for editors that check YAML as you type): `silkroad schema`.\n")
write("reference/cli.md", docs_pages.cli_reference_markdown())
write("reference/scenarios.md", docs_pages.bundled_scenarios_markdown())
write("data-sources.md", docs_pages.data_sources_markdown())
write("corridors.md", docs_pages.corridors_markdown(), "networks/four_roads/corridors.csv")
write("reference/api/index.md", docs_pages.api_index_markdown())
for api_page in docs_pages.API_PAGES:
    write(f"reference/api/{api_page.slug}.md", docs_pages.api_page_markdown(api_page))
if not (docs_pages.DOCS / "benchmarks" / "mcnd.md").exists():
    write("benchmarks/mcnd.md", "# MCND\n\nNo results yet: `pytest benchmarks/mcnd --bench-size=full "
                                "--benchmark-enable` writes this page.\n")

"""Pages of the documentation site made from the repository at build time.

- Includes: a page may hold ``<!-- include: PATH -->`` (a whole file),
  ``<!-- include: PATH#Heading -->`` (the body of one section) or
  ``<!-- include: PATH, without: Heading -->`` (a file without one section), PATH relative to
  the repository root. Links in the included text are rewritten for the page: to the page that
  includes the linked file whole, else to the repository path as code.
- Generated pages: the scenario file reference (from the library), the command line reference
  (from the Typer app), the data sources of the bundled network and equipment catalog, and the
  API reference pages (mkdocstrings directives for every public name).

``gen_pages.py`` writes them with mkdocs-gen-files; ``tests/docs`` reads the same pages to run
their examples. Nothing here imports mkdocs.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
#: Folders of ``docs/`` that are not pages.
NOT_PAGES = ("gen",)

INCLUDE = re.compile(
    r"<!-- include: (?P<path>[^#,>]+?)(?:#(?P<section>[^,>]+?))?(?:, without: (?P<without>[^>]+?))? -->")
HEADING = re.compile(r"^(#{1,6}) +(.+?) *$")
FENCE = re.compile(r"^ *(```|~~~)")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")


# --------------------------------------------------------------------------------------------
# Includes
# --------------------------------------------------------------------------------------------


def hand_written_pages() -> dict[str, str]:
    """Every Markdown page under ``docs/`` (path relative to ``docs/`` -> text)."""
    pages = {}
    for path in sorted(DOCS.rglob("*.md")):
        rel = path.relative_to(DOCS).as_posix()
        if not rel.startswith(tuple(f"{d}/" for d in NOT_PAGES)):
            pages[rel] = path.read_text(encoding="utf-8")
    return pages


def _headings(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """``(line number, level, title)`` of every Markdown heading outside code blocks."""
    fenced = False
    for number, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (m := HEADING.match(line)):
            yield number, len(m.group(1)), m.group(2).strip()


def _section_span(lines: list[str], title: str, source: str) -> tuple[int, int]:
    """Lines ``[start, end)`` of the section headed ``title``, heading included."""
    heads = list(_headings(lines))
    for i, (start, level, text) in enumerate(heads):
        if text == title:
            end = next((n for n, lv, _ in heads[i + 1:] if lv <= level), len(lines))
            return start, end
    raise ValueError(f"{source} has no section headed {title!r}")


def _excerpt(text: str, source: str, section: str | None, without: str | None) -> str:
    lines = text.splitlines()
    if section:
        start, end = _section_span(lines, section, source)
        lines = lines[start + 1:end]
    if without:
        start, end = _section_span(lines, without, source)
        lines = lines[:start] + lines[end:]
    return "\n".join(lines).strip("\n") + "\n"


def whole_file_pages(pages: dict[str, str]) -> dict[str, str]:
    """Repository files that a page includes whole (``networks/README.md`` -> its page)."""
    found = {}
    for page, text in pages.items():
        for m in INCLUDE.finditer(text):
            if not m.group("section"):
                found[m.group("path").strip()] = page
    return found


def _relative(target: str, page: str) -> str:
    return os.path.relpath(target, PurePosixPath(page).parent.as_posix() or ".").replace(os.sep, "/")


def _title(file: Path) -> str:
    """The first level-1 heading of a Markdown file (its file name if it has none)."""
    lines = file.read_text(encoding="utf-8").splitlines()
    return next((text for _, level, text in _headings(lines) if level == 1), file.name)


def rewrite_links(text: str, source: str, page: str, file_pages: dict[str, str]) -> str:
    """Links of ``source`` (a repository path) made right for ``page`` (a docs path)."""

    def fix(m: re.Match[str]) -> str:
        target = m.group("target")
        if re.match(r"^[a-z]+:|^#", target):
            return m.group(0)
        path, _, fragment = target.partition("#")
        repo_path = os.path.normpath(PurePosixPath(source).parent.joinpath(path).as_posix())
        repo_path = repo_path.replace(os.sep, "/")
        anchor = f"#{fragment}" if fragment else ""
        label = m.group("text").strip("`")
        is_path = label in (path, repo_path, PurePosixPath(path).name)
        if repo_path in file_pages:
            text = _title(REPO / repo_path) if is_path else m.group("text")
            return f"[{text}]({_relative(file_pages[repo_path], page)}{anchor})"
        if repo_path.startswith("docs/"):
            return f"[{m.group('text')}]({_relative(repo_path.removeprefix('docs/'), page)}{anchor})"
        code = f"`{repo_path}`"
        return code if is_path else f"{m.group('text')} ({code})"

    out, fenced = [], False
    for line in text.splitlines(keepends=True):
        if FENCE.match(line):
            fenced = not fenced
        out.append(line if fenced else LINK.sub(fix, line))
    return "".join(out)


def expand_includes(page: str, text: str, file_pages: dict[str, str] | None = None) -> str:
    """``text`` of ``page`` with every include marker replaced by what it names."""
    if file_pages is None:
        file_pages = whole_file_pages(hand_written_pages())

    def include(m: re.Match[str]) -> str:
        source = m.group("path").strip()
        file = REPO / source
        if not file.is_file():
            raise FileNotFoundError(f"docs/{page} includes {source}, which does not exist")
        excerpt = _excerpt(file.read_text(encoding="utf-8"), source, m.group("section"), m.group("without"))
        return rewrite_links(excerpt, source, page, file_pages).rstrip("\n")

    return INCLUDE.sub(include, text)


def included_sources(text: str) -> list[str]:
    """Repository paths of the files ``text`` includes."""
    return [m.group("path").strip() for m in INCLUDE.finditer(text)]


def site_pages() -> dict[str, str]:
    """The hand-written pages with their includes expanded: what the site shows."""
    pages = hand_written_pages()
    file_pages = whole_file_pages(pages)
    return {page: expand_includes(page, text, file_pages) for page, text in pages.items()}


# --------------------------------------------------------------------------------------------
# Data sources
# --------------------------------------------------------------------------------------------


def _cited_by(groups: dict[tuple[str, str], Iterable[Any]]) -> dict[str, list[str]]:
    """For every source key, how many records of each group cite it (``3 hubs``, ``1 link``);
    a group is named ``(singular, plural)``."""
    from silkroad_routing.model import source_keys

    counts: dict[str, Counter[tuple[str, str]]] = {}
    for group, records in groups.items():
        for record in records:
            for key in source_keys(record.source):
                counts.setdefault(key, Counter())[group] += 1
    return {key: [f"{n} {group[0] if n == 1 else group[1]}" for group, n in count.items()]
            for key, count in counts.items()}


def _notes(sources_csv: Path) -> dict[str, str]:
    """The ``note`` column of a sources table by key (the loaders leave notes out)."""
    from silkroad_routing.io.csv_table import read_rows

    return {cells["key"]: cells.get("note", "") for _, cells in read_rows(sources_csv, ("key",))}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _sources_table(sources: Iterable[Any], cited: dict[str, list[str]], notes: dict[str, str]) -> list[str]:
    lines = ["| key | source | year | what was taken | cited by |", "|---|---|---|---|---|"]
    for s in sources:
        citation = f"[{_cell(s.citation)}]({s.url})" if s.url.startswith("http") else _cell(s.citation)
        uses = ", ".join(cited.get(s.key, [])) or "—"
        lines.append(f"| `{s.key}` | {citation} | {s.year or ''} | {_cell(notes.get(s.key, ''))} | {uses} |")
    return lines


def data_sources_markdown() -> str:
    """Every source of the bundled network and equipment catalog, with what cites it."""
    import silkroad_routing as sr
    from silkroad_routing.io import load_equipment

    net = sr.load_network("four_roads")
    catalog = load_equipment()
    net_cited = _cited_by({("hub", "hubs"): net.hubs, ("link", "links"): net.links,
                           ("service", "services"): net.services,
                           ("transfer rule", "transfer rules"): net.transfers,
                           ("process rule", "process rules"): net.processes})
    unit_cited = _cited_by({("unit type", "unit types"): catalog.units,
                            ("wagon type", "wagon types"): catalog.wagons,
                            ("aircraft type", "aircraft types"): catalog.aircraft})
    net_sources = "networks/four_roads/sources.csv"
    unit_sources = "silkroad_routing/data/equipment_sources.csv"
    lines = [
        "# Data sources", "",
        "Every number in the bundled data carries a `source` key: a hub's coordinates and dwell, a "
        "link's distance and tariff, a service's days, capacity and emission factor, a container's "
        "payload. This page lists every key with its citation, generated from the source tables "
        "at build time; *cited by* counts the rows that use the key. How the numbers were chosen "
        "and what is uncertain is on [the bundled network](network.md).", "",
        f"## Network `{net.name}`", "",
        f"`{net_sources}`: {len(net.sources)} sources for {len(net.hubs)} hubs, "
        f"{len(net.links)} links, {len(net.services)} services, {len(net.transfers)} transfer "
        f"rules and {len(net.processes)} process rules.", "",
        *_sources_table(net.sources, net_cited, _notes(REPO / net_sources)), "",
        "## Equipment catalog", "",
        f"`{unit_sources}`: {len(catalog.sources)} sources for "
        f"{len(catalog.units)} unit types (containers, reefers, ULDs, trailers), "
        f"{len(catalog.wagons)} wagon types and {len(catalog.aircraft)} aircraft types used by "
        "consolidation.", "",
        *_sources_table(catalog.sources, unit_cited, _notes(REPO / unit_sources)), "",
        "## Map data", "",
    ]
    for source in ("silkroad_routing/data/natural_earth_110m_countries.md",
                   "silkroad_routing/data/leaflet/README.md"):
        body = expand_includes("data-sources.md", f"<!-- include: {source} -->", {})
        lines += [re.sub(r"^# ", "### ", body, count=1), ""]
    return "\n".join(lines)


def corridors_markdown() -> str:
    """The corridor table (``networks/four_roads/corridors.csv``): published ranges of transit
    time and price per corridor and direction, each with its source, that the tests check."""
    import silkroad_routing as sr
    from silkroad_routing.io.csv_table import read_rows
    from silkroad_routing.model import source_columns

    net = sr.load_network("four_roads")
    path = "networks/four_roads/corridors.csv"
    lines = [
        "# Corridors", "",
        f"Published transit times and prices per corridor and direction (`{path}`). "
        "`tests/network/test_corridors.py` routes each corridor on the bundled network for loads "
        "ready at seven times across a week and checks that every result lies inside the range. "
        "*door to door*: from ready to release at the destination; *transit*: from the first "
        "departure to the arrival at the destination (after its dwell, before import clearance); "
        "*price*: the cheapest cost of the load. Loads: `feu` one 40 ft container (12 t, 60 m³), "
        "`parcel` 500 kg (2 m³).", "",
        "| corridor | from → to | modes | load | measure | range | source | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for _, row in read_rows(REPO / path, ("corridor",)):
        price = row["measure"] == "price"
        low, high = ("usd_min", "usd_max") if price else ("days_min", "days_max")
        span = f"{float(row[low]):,.0f}–{float(row[high]):,.0f} USD" if price else \
            f"{float(row[low]):g}–{float(row[high]):g} days"
        cited = []
        for key in dict.fromkeys(source_columns(row["source"]).values()):
            source = net.source_by_key[key]
            cited.append(f"[{_cell(source.citation)}]({source.url})" if source.url.startswith("http")
                         else _cell(source.citation))
        lines.append(f"| `{row['corridor']}` | {row['origin']} → {row['destination']} | "
                     f"{row['modes'].replace(';', ', ')} | {row['load']} | "
                     f"{row['measure'].replace('_', ' ')} | {span} | {'; '.join(cited)} | "
                     f"{_cell(row.get('note', ''))} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Bundled scenarios
# --------------------------------------------------------------------------------------------


def _demand_text(scenario: Any) -> str:
    demand = scenario.demand
    parts = []
    if demand.shipments:
        parts.append(f"{len(demand.shipments)} inline")
    if demand.file is not None:
        parts.append(f"file `{demand.file.path.name}`")
    if demand.generate is not None:
        flows = demand.generate.flows
        parts.append(f"{sum(f.shipments for f in flows):,} generated in {len(flows)} flows ("
                     + ", ".join(sorted({f.profile.value for f in flows})) + ")")
    return "; ".join(parts)


def bundled_scenarios_markdown() -> str:
    """One section per scenario file of ``scenarios/``: what it plans and how to run it."""
    from silkroad_routing import load_scenario

    lines = [
        "# Bundled scenarios", "",
        "The scenario files in the repository's `scenarios/` folder, generated from the files. Each "
        "runs with `silkroad run FILE` (add `--fast` for a quick run on a subsample); those with "
        "variants also with `silkroad compare FILE`, and those with an `uncertainty` section with "
        "`silkroad sweep FILE --samples N`.", "",
    ]
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        s = load_scenario(path)
        rel = path.relative_to(REPO).as_posix()
        rows = [("file", f"`{rel}`"), ("network", f"`{s.network}`"),
                ("horizon", f"{s.horizon.days} days from {s.horizon.start:%Y-%m-%d} ({s.horizon.timezone})"),
                ("demand", _demand_text(s)), ("task", f"{s.task.kind.value}, {s.task.objective.value}")]
        if s.variants:
            rows.append(("variants", ", ".join(f"`{v.name}`" for v in s.variants)))
        if s.uncertainty is not None:
            rows.append(("uncertainty", "yes (`silkroad sweep --samples N`)"))
        lines += [f"## `{s.name}`", "", _cell(s.description), "", "| | |", "|---|---|",
                  *(f"| {k} | {_cell(v)} |" for k, v in rows), ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line reference
# --------------------------------------------------------------------------------------------


def _escape_angle_brackets(markdown: str) -> str:
    """``<name>`` in help texts is a placeholder, not an HTML tag: escape it outside code."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            parts = line.split("`")
            parts[::2] = [p.replace("<", "&lt;").replace(">", "&gt;") for p in parts[::2]]
            line = "`".join(parts)
        out.append(line)
    return "\n".join(out)


def cli_reference_markdown() -> str:
    """Every ``silkroad`` command with its arguments and options, from the Typer app."""
    import typer
    from typer.cli import get_docs_for_click

    from silkroad_routing.cli import app

    command = typer.main.get_command(app)
    ctx = typer.Context(command, info_name="silkroad")
    body = get_docs_for_click(obj=command, ctx=ctx, name="silkroad").strip()
    body = re.sub(r"^(#+) ", r"#\1 ", body, flags=re.M)  # below the page title
    body = _escape_angle_brackets(body)
    return "\n".join([
        "# Command line", "",
        "The `silkroad` command, generated from its definition. Exit codes: 0 on success, 2 on "
        "bad input (one message naming the file, field and value), 1 on an internal error (set "
        "`SILKROAD_DEBUG=1` for the traceback). Every command takes `--help`.", "",
        body, ""])


# --------------------------------------------------------------------------------------------
# API reference
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiPage:
    """One page of the API reference: the public names of some modules."""

    slug: str
    title: str
    modules: tuple[str, ...]


API_PAGES: tuple[ApiPage, ...] = (
    ApiPage("model", "Network model", ("silkroad_routing.model", "silkroad_routing.model.equipment")),
    ApiPage("io", "Files", ("silkroad_routing.io",)),
    ApiPage("routing", "Routing and plans", ("silkroad_routing.routing", "silkroad_routing.plan")),
    ApiPage("consolidate", "Consolidation", ("silkroad_routing.consolidation",)),
    ApiPage("design", "Service network design",
            ("silkroad_routing.service_design", "silkroad_routing.solvers.design")),
    ApiPage("scenario", "Scenarios", ("silkroad_routing.scenario", "silkroad_routing.scenario.reference")),
    ApiPage("sweep", "Comparisons and sweeps", ("silkroad_routing.comparison",)),
    ApiPage("simulation", "Reliability simulation", ("silkroad_routing.simulation",)),
    ApiPage("report", "Maps, GIS files and KPIs", ("silkroad_routing.report", "silkroad_routing.kpi")),
    ApiPage("solvers", "Solvers", ("silkroad_routing.solvers",)),
    ApiPage("core", "Core kernels", ("silkroad_routing.core",)),
    ApiPage("compile", "Compiling a network", ("silkroad_routing.compile",)),
    ApiPage("units", "Units and errors", ("silkroad_routing.units", "silkroad_routing.errors")),
)


def _package(name: str) -> Any:
    """The griffe module ``name`` (loaded once)."""
    import griffe

    global _GRIFFE_ROOT
    if _GRIFFE_ROOT is None:
        _GRIFFE_ROOT = griffe.load("silkroad_routing", search_paths=[str(REPO)], resolve_aliases=False)
    module = _GRIFFE_ROOT
    for part in name.split(".")[1:]:
        module = module.modules[part]
    return module


_GRIFFE_ROOT: Any = None


def exported_names(module: str) -> dict[str, str]:
    """Names a package's ``__init__`` re-exports (``from .x import y as y``) -> import path;
    empty for a plain module."""
    package = _package(module)
    if not (package.is_package or package.is_subpackage):
        return {}
    return {name: target for name, target in package.imports.items()
            if not name.startswith("_") and target.startswith("silkroad_routing.")}


def canonical_path(path: str) -> str:
    """Where ``path`` is defined, following re-exports (``silkroad_routing.compare`` ->
    ``silkroad_routing.comparison.compare.compare``)."""
    parent, _, name = path.rpartition(".")
    try:
        module = _package(parent)
    except KeyError:
        return path
    target = module.imports.get(name)
    return canonical_path(target) if target else path


def _summary(path: str) -> str:
    """First paragraph of the docstring of the object at ``path``, on one line."""
    module_name, _, name = path.rpartition(".")
    obj = getattr(importlib.import_module(module_name), name)
    doc = inspect.getdoc(obj) if callable(obj) or inspect.isclass(obj) else None
    if not doc:
        return ""
    from silkroad_routing.scenario.reference import markdown_text

    return markdown_text(doc.split("\n\n")[0])


def documented_paths() -> dict[str, str]:
    """Canonical path of every object the API pages document -> the page's slug (a plain
    module's members are filed under the module's own path)."""
    pages = {}
    for page in API_PAGES:
        for module in page.modules:
            pages[module] = page.slug
            for target in exported_names(module).values():
                pages[canonical_path(target)] = page.slug
    return pages


def api_page_markdown(page: ApiPage) -> str:
    """mkdocstrings directives for ``page``: each package's docstring and every name it
    re-exports; a plain module with its public members."""
    lines = [f"# {page.title}", ""]
    for module in page.modules:
        names = exported_names(module)
        if not names:
            lines += [f"::: {module}", "    options:", "      show_root_heading: true",
                      "      show_submodules: false", ""]
            continue
        lines += [f"::: {module}", "    options:", "      show_root_heading: true",
                  "      members: false", ""]
        for name in sorted(names, key=lambda n: (not inspect.isclass(_object(module, n)), n.lower())):
            lines += [f"::: {canonical_path(names[name])}", "    options:", "      heading_level: 3", ""]
    return "\n".join(lines)


def _object(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def top_level_names() -> dict[str, str]:
    """``sr.<name>`` -> canonical path, for every public name of ``silkroad_routing``."""
    return {name: canonical_path(target) for name, target in exported_names("silkroad_routing").items()}


def api_index_markdown() -> str:
    """The ``import silkroad_routing as sr`` surface, one row per name, with links."""
    lines = [
        "# Python API", "",
        "`import silkroad_routing as sr` gives the names below; the pages of this section document "
        "them with the rest of each module's public names. Every function states its units in its "
        "docstring: kg, m3, km, hours, USD and kg CO2e.", "",
        "| name | what it is | page |", "|---|---|---|",
    ]
    pages = documented_paths()
    for name, path in sorted(top_level_names().items(), key=lambda kv: kv[0].lower()):
        page = pages.get(path) or pages[path.rpartition(".")[0]]
        title = next(p.title for p in API_PAGES if p.slug == page)
        lines.append(f"| [`sr.{name}`][{path}] | {_summary(path)} | [{title}]({page}.md) |")
    lines += ["", "Pages: " + ", ".join(f"[{p.title}]({p.slug}.md)" for p in API_PAGES) + ".", ""]
    return "\n".join(lines)

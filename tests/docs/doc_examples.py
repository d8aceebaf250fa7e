"""The code blocks of the documentation and how the docs tests run them.

A page's blocks run in order, in one fresh folder per page (with a copy of ``scenarios/``):

- ```` ```python ```` blocks run in one namespace per page;
- ```` ```console ```` blocks: each ``$ `` line is a command (other lines are its output);
  ```` ```bash ```` blocks: each line is a command. Commands joined by ``&&`` are taken one by one:
  ``silkroad ...`` runs through ``silkroad_routing.cli.main`` (must exit 0), with
  :data:`FAST_OPTIONS` added where missing so that it runs in seconds; set-up commands
  (:data:`SET_UP`: creating a venv, ``pip install``, the test suite itself) are not run; any
  other command fails the test;
- a block with a ``title="NAME"`` (```` ```yaml title="first_scenario.yaml" ````) is a file the
  page asks the reader to save: it is written as NAME;
- an untitled ```` ```yaml ```` block must be a scenario or sections of one, and is validated;
- other blocks (``text``, output) are not code.

A block whose first line is a comment ``Not run in the docs tests: <reason>`` is skipped; keep
them rare and give the reason.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

PYTHON = frozenset({"python", "py"})
SHELL = frozenset({"console", "bash", "sh", "shell"})
#: Options the tests add to ``silkroad`` commands that do not give them: quick runs on a
#: subsample (``--fast``), and sweeps in this process (``--workers 0``; a process pool gives
#: the same rows, as tests/compare checks).
FAST_OPTIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "run": (("--fast",),),
    "compare": (("--fast",),),
    "sweep": (("--fast",), ("--workers", "0")),
}
#: Commands shown for setting up, not run by the docs tests (with why).
SET_UP: dict[tuple[str, ...], str] = {
    ("python3", "-m", "venv"): "creates a virtual environment",
    ("python", "-m", "venv"): "creates a virtual environment",
    (".",): "activates the virtual environment",
    ("source",): "activates the virtual environment",
    ("pip", "install"): "installs the package (the tests run where it is installed)",
    ("python", "-m", "pytest"): "the test suite, which runs these tests",
    ("pytest",): "the test suite, which runs these tests",
    ("mkdocs",): "builds this site (tests/docs/test_docs_build.py does)",
}
SKIP = re.compile(r"^\s*(?:#|//)\s*Not run in the docs tests:\s*(?P<reason>\S.*)$", re.I)
OPEN = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)\s*(?P<attrs>.*)$")
TITLE = re.compile(r"""title=["']([^"']+)["']""")


@dataclass(frozen=True)
class Block:
    """A fenced code block of a page."""

    page: str
    line: int
    lang: str
    title: str | None
    code: str

    @property
    def skip_reason(self) -> str | None:
        """Why the block is not run, if its first line says so."""
        first = next((line for line in self.code.splitlines() if line.strip()), "")
        m = SKIP.match(first)
        return m.group("reason").strip() if m else None

    @property
    def where(self) -> str:
        """``page:line`` for messages."""
        return f"{self.page}:{self.line}"


def code_blocks(page: str, text: str) -> list[Block]:
    """Every fenced block of ``text`` (a page named ``page``), in order."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        m = OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = len(m.group("indent")), m.group("fence")
        close = re.compile(rf"^ {{0,{indent + 3}}}{re.escape(fence[0]) * len(fence)}[{fence[0]}]*\s*$")
        body, j = [], i + 1
        while j < len(lines) and not close.match(lines[j]):
            line = lines[j]
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            j += 1
        title = TITLE.search(m.group("attrs"))
        blocks.append(Block(page, i + 1, m.group("lang").lower(), title.group(1) if title else None,
                            "\n".join(body) + "\n"))
        i = j + 1
    return blocks


def shell_commands(block: Block) -> list[list[str]]:
    """The commands of a console or bash block, each as its words (``&&`` chains split)."""
    raw, pending = [], ""
    for line in block.code.splitlines():
        if block.lang == "console" and not pending:
            if not line.startswith("$ "):
                continue  # output
            line = line[2:]
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        raw.append(pending + line)
        pending = ""
    commands = []
    for text in raw:
        words = shlex.split(text, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            commands.append(words[:cut])
            words = words[cut + 1:]
    return [c for c in commands if c]


def set_up_reason(words: list[str]) -> str | None:
    """Why a set-up command is not run, or None if it is not a set-up command."""
    return next((why for prefix, why in SET_UP.items() if tuple(words[:len(prefix)]) == prefix), None)


def with_fast_options(words: list[str]) -> list[str]:
    """``silkroad ...`` arguments with :data:`FAST_OPTIONS` added where not given."""
    args = list(words[1:])
    for option in FAST_OPTIONS.get(args[0] if args else "", ()):
        if option[0] not in args:
            args += option
    return args


def check_yaml_fragment(block: Block) -> None:
    """An untitled YAML block: a whole scenario, or sections of one, that the schema accepts."""
    import yaml
    from pydantic import TypeAdapter

    from silkroad_routing.scenario.schema import Scenario

    data: Any = yaml.safe_load(block.code)
    assert isinstance(data, dict), f"{block.where}: a YAML example must be a mapping"
    unknown = set(data) - set(Scenario.model_fields)
    assert not unknown, f"{block.where}: {sorted(unknown)} are not scenario sections"
    if {"name", "network", "horizon", "demand"} <= set(data):
        Scenario.model_validate(data)
        return
    for key, value in data.items():
        TypeAdapter(Scenario.model_fields[key].annotation).validate_python(value)

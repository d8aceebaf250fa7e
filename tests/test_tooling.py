"""The linters are part of the test run: ``python -m pytest`` fails when ruff or mypy does.

Configuration lives in ``pyproject.toml`` (``[tool.ruff]``, ``[tool.mypy]``); mypy keeps its
cache in ``.mypy_cache`` so a repeated run takes a few seconds.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NINE_ARGUMENTS = "def f(a, b, c, d, e, f, g, h, i):\n    return a\n"
UNTYPED = "def f(x):\n    return x\n"


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, input=stdin, capture_output=True, text=True,
        timeout=300, check=False,
    )


def test_ruff_passes() -> None:
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def _ruff_on(path: str, source: str, rule: str) -> subprocess.CompletedProcess[str]:
    # `source` checked as if it were `path` (so the per-file settings apply), one rule only.
    return _run("ruff", "check", "--select", rule, "--stdin-filename", path, "-", stdin=source)


def test_ruff_counts_arguments_outside_the_kernels() -> None:
    # The argument-count rule is active for a task module and exempt in core (Numba kernels).
    task = _ruff_on("silkroad_routing/routing/new.py", NINE_ARGUMENTS, "PLR0913")
    assert task.returncode == 1 and "PLR0913" in task.stdout, task.stdout
    kernel = _ruff_on("silkroad_routing/core/new.py", NINE_ARGUMENTS, "PLR0913")
    assert kernel.returncode == 0, kernel.stdout


def test_ruff_wants_docstrings_in_the_library() -> None:
    library = _ruff_on("silkroad_routing/routing/new.py", UNTYPED, "D")
    assert library.returncode == 1 and "D103" in library.stdout, library.stdout
    assert _ruff_on("tests/test_new.py", UNTYPED, "D").returncode == 0


def test_mypy_is_strict(tmp_path: Path) -> None:
    # An unannotated function is an error under the configured strictness.
    module = tmp_path / "untyped.py"
    module.write_text(UNTYPED)
    result = _run("mypy", str(module))
    assert result.returncode == 1 and "no-untyped-def" in result.stdout, result.stdout


def test_one_docstring_style() -> None:
    # Google style, which the docs site parses (ruff's D rules check its layout); NumPy
    # underlined sections and reST fields would render as plain text there.
    other = re.compile(r"^\s*(Parameters|Returns|Raises|Yields|Attributes)\n\s*-{3,}\s*$"
                       r"|^\s*:(param|returns?|rtype|raises)\b", re.MULTILINE)
    found = []
    for path in sorted((ROOT / "silkroad_routing").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                doc = ast.get_docstring(node)
                if doc and other.search(doc):
                    found.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 1)}")
    assert found == []
    assert other.search("Summary.\n\nParameters\n----------\nx : int\n")
    assert other.search("Summary.\n\n:param x: a number\n")

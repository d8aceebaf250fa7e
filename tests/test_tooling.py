"""The linters are part of the test run: ``python -m pytest`` fails when ruff or mypy does.

Configuration lives in ``pyproject.toml`` (``[tool.ruff]``, ``[tool.mypy]``); mypy keeps its
cache in ``.mypy_cache`` so a repeated run takes a few seconds.
"""

from __future__ import annotations

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


def test_ruff_counts_arguments_outside_the_kernels() -> None:
    # The argument-count rule is active for a task module and exempt in core (Numba kernels).
    task = _run("ruff", "check", "--stdin-filename", "silkroad_routing/routing/new.py", "-",
                stdin=NINE_ARGUMENTS)
    assert task.returncode == 1 and "PLR0913" in task.stdout, task.stdout
    kernel = _run("ruff", "check", "--stdin-filename", "silkroad_routing/core/new.py", "-",
                  stdin=NINE_ARGUMENTS)
    assert kernel.returncode == 0, kernel.stdout


def test_mypy_is_strict(tmp_path: Path) -> None:
    # An unannotated function is an error under the configured strictness.
    module = tmp_path / "untyped.py"
    module.write_text(UNTYPED)
    result = _run("mypy", str(module))
    assert result.returncode == 1 and "no-untyped-def" in result.stdout, result.stdout

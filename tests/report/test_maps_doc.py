"""Every Python example in docs/maps.md runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "maps.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("code", EXAMPLES)
def test_doc_example_runs(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the examples write into the current folder
    exec(compile(code, str(DOC), "exec"), {})  # the example checks its own result


def test_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 1

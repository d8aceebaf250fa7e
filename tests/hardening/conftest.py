"""Shared helpers of the hardening tests: a writable copy of the mini scenario and its network,
and the check every bad input must pass (exit 2, one message, no traceback, bounded time)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hardening_checks import Refuse

from silkroad_routing.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
#: Seconds a bad input may take to be refused (a generous bound: most take milliseconds).
MAX_REFUSAL_S = 10.0


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """The mini scenario and a copy of its network (``./net``) in a temporary folder."""
    shutil.copytree(DATA / "mini_network", tmp_path / "net")
    text = (DATA / "mini_scenario.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mini.yaml"
    path.write_text(text.replace("network: mini_network", "network: ./net"), encoding="utf-8")
    return path


@pytest.fixture
def refused(capsys: pytest.CaptureFixture[str]) -> Refuse:
    """``refused(argv, *parts)``: run the command line in this process; assert exit code 2 within
    :data:`MAX_REFUSAL_S`, one message starting with ``error:`` (further lines of it indented),
    no traceback, and every part in it; return the message (line wrapping undone)."""

    def check(argv: list[str], *parts: str) -> str:
        capsys.readouterr()
        started = time.perf_counter()
        code = main([str(a) for a in argv])
        seconds = time.perf_counter() - started
        captured = capsys.readouterr()
        assert code == 2, (code, captured.err, captured.out)
        assert seconds < MAX_REFUSAL_S, seconds
        assert "Traceback" not in captured.err + captured.out
        lines = captured.err.strip().splitlines()
        assert lines and lines[0].startswith("error:"), captured.err
        assert all(line.startswith(" ") for line in lines[1:]), captured.err
        message = " ".join(captured.err.split())
        for part in parts:
            assert part in message, (part, message)
        return message

    return check

"""SIGTERM and SIGINT at seeded random moments of real ``silkroad run`` and ``silkroad sweep``
processes: afterwards the output folder shows the previous set or a complete new one, no
staging folder or partial file is left, and no process of the command is alive.

Each command runs in a session of its own, so that every process it started (sweep workers,
multiprocessing's resource tracker) can be found by its process group. Few cases, kept short.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from silkroad_routing.io.atomic import MANIFEST_SUFFIX
from silkroad_routing.scenario.runner import run_scenario

#: The command line, as the console script runs it, saying "ready" once the interpreter has
#: started and the package is imported: the signal comes at a random moment after that. (Before
#: it, while Python itself starts, no handler of ours can be in place.)
SILKROAD = [sys.executable, "-c", "import sys, silkroad_routing; print('ready', flush=True); "
                                  "from silkroad_routing.cli import main; sys.exit(main())"]
#: Seconds the command and its children have to be gone after the signal.
EXIT_WITHIN_S = 20.0


def _alive_in_group(pgid: int) -> list[int]:
    """Processes of process group ``pgid`` that are not zombies (Linux /proc)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "(comm)": state, ppid, pgrp, ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _signal_at(argv: list[str], signum: int, delay_s: float) -> int:
    """Run ``argv`` in a new session, send ``signum`` after ``delay_s``; the exit code once the
    process and every process of its group are gone."""
    process = subprocess.Popen(argv, start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    try:
        process.wait(delay_s)
    except subprocess.TimeoutExpired:
        process.send_signal(signum)
    _, err = process.communicate(timeout=EXIT_WITHIN_S)
    code = process.returncode
    deadline = time.monotonic() + EXIT_WITHIN_S
    while _alive_in_group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive_in_group(process.pid), "a child process outlived the command"
    assert "Traceback" not in err, err
    return code


def _exit_codes(signum: int) -> tuple[int, ...]:
    """What a command may end with: 0 (done before the signal), 128 + signal (stopped by it),
    or killed by it (-signal): Python restores the default action while it shuts down, after
    the command has finished."""
    return 0, 128 + signum, -signum


def _check_set(out: Path, previous: dict[str, bytes]) -> None:
    """``out`` shows the previous files or a complete new set; nothing else is left."""
    sets = out.parent / f".{out.name}.sets"
    current = out.resolve()
    assert sorted(p.name for p in sets.iterdir()) == sorted(
        [".lock", current.name, current.name + MANIFEST_SUFFIX])
    shown = {p.name: p.read_bytes() for p in out.iterdir()}
    entries = json.loads((sets / (current.name + MANIFEST_SUFFIX)).read_text())["entries"]
    assert sorted(shown) == sorted(entries)
    if shown != previous:  # the new set: complete and readable
        assert json.loads(shown["kpis.json"])["scenario"] == "mini"


@pytest.fixture
def quick(mini: Path) -> Path:
    """The mini scenario writing CSV and JSON only."""
    mini.write_text(mini.read_text(encoding="utf-8") + "outputs: {formats: [csv, json]}\n",
                    encoding="utf-8")
    return mini


@pytest.mark.parametrize(("signum", "seed"), [(signal.SIGTERM, 1), (signal.SIGINT, 2)])
def test_signal_during_run(quick: Path, tmp_path: Path, signum: int, seed: int) -> None:
    out = tmp_path / "out"
    run_scenario(quick, out=out, fast=True)
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    delay = random.Random(seed).uniform(0.3, 2.5)
    code = _signal_at([*SILKROAD, "run", str(quick), "--out", str(out)], signum, delay)
    assert code in _exit_codes(signum), code
    _check_set(out, previous)


@pytest.mark.parametrize(("signum", "seed"), [(signal.SIGTERM, 4), (signal.SIGINT, 5)])
def test_signal_during_sweep(quick: Path, tmp_path: Path, signum: int, seed: int) -> None:
    table = tmp_path / "sweep.parquet"
    delay = random.Random(seed).uniform(3.0, 8.0)  # workers started, runs under way
    code = _signal_at([*SILKROAD, "sweep", str(quick), "--grid", "seed=1,2,3,4,5,6",
                       "--workers", "2", "--out", str(table)], signum, delay)
    assert code in _exit_codes(signum), code
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".sweep")] == []
    if code == 0:
        assert table.is_file()


#: Sends itself SIGINT when the command line starts importing Typer (its heavy imports).
INTERRUPT_WHILE_IMPORTING = """
import builtins, os, signal, sys
real_import = builtins.__import__
def importing(name, *args, **kwargs):
    if name == "typer":
        builtins.__import__ = real_import
        os.kill(os.getpid(), signal.SIGINT)
    return real_import(name, *args, **kwargs)
builtins.__import__ = importing
from silkroad_routing.cli import main
sys.exit(main(["validate", "none.yaml"]))
"""


def test_signal_while_importing(tmp_path: Path) -> None:
    """Ctrl-C while the command line imports its libraries: exit code 130, no traceback."""
    result = subprocess.run([sys.executable, "-c", INTERRUPT_WHILE_IMPORTING], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr


def test_a_signal_inside_a_compiled_module_is_still_an_interruption() -> None:
    """A signal while a C extension initialises surfaces as that module's ImportError, caused
    by the SystemExit of our handler (seen with OR-Tools): it is the signal's exit code."""
    from silkroad_routing.cli import interrupted_code

    try:
        try:
            raise SystemExit(143)
        except SystemExit as exit_:
            raise ImportError("initialization failed") from exit_
    except ImportError as exc:
        assert interrupted_code(exc) == 143
    assert interrupted_code(ImportError("no module named x")) is None

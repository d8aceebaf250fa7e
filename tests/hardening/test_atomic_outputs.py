"""Outputs atomic as a set: the output folder shows the previous set or the new one, never a
mix; staging is removed on failure, on a signal and at the next start; errors name the path."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from hardening_checks import Refuse

from silkroad_routing.errors import OutputError
from silkroad_routing.io import staged_folder
from silkroad_routing.io.atomic import MANIFEST_SUFFIX
from silkroad_routing.scenario import outputs
from silkroad_routing.scenario.schema import OutputFormat


def _write_set(target: Path, files: dict[str, str]) -> None:
    with staged_folder(target) as stage:
        for name, text in files.items():
            (stage / name).write_text(text, encoding="utf-8")


def _shown(target: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in target.iterdir() if p.is_file()}


def _sets(target: Path) -> list[str]:
    return sorted(p.name for p in (target.parent / f".{target.name}.sets").iterdir())


def test_a_set_is_switched_in_with_one_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    target = tmp_path / "out"
    _write_set(target, {"a.csv": "1", "b.json": "1"})
    assert target.is_symlink() and _shown(target) == {"a.csv": "1", "b.json": "1"}
    first = target.resolve()
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def recording(src: str | Path, dst: str | Path) -> None:
        replaced.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", recording)
    _write_set(target, {"a.csv": "2", "b.json": "2"})
    assert [dst for _, dst in replaced] == [str(target)]  # the one switch: the link
    assert _shown(target) == {"a.csv": "2", "b.json": "2"}
    assert not first.exists()  # the previous set is gone, with its manifest
    set_name = target.resolve().name
    assert _sets(target) == [".lock", set_name, set_name + MANIFEST_SUFFIX]


def test_a_failed_set_leaves_the_previous_one(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _write_set(target, {"a.csv": "1"})
    before = _sets(target)
    with pytest.raises(RuntimeError), staged_folder(target) as stage:
        (stage / "a.csv").write_text("half", encoding="utf-8")
        raise RuntimeError("writer failed")
    assert _shown(target) == {"a.csv": "1"} and _sets(target) == before


def test_files_of_a_run_never_mix_with_a_later_run(tmp_path: Path) -> None:
    """A consolidate run wrote units.csv; a later route run does not: units.csv must go, while
    a comparison folder written into the run's folder afterwards stays."""
    target = tmp_path / "out"
    _write_set(target, {"plan.csv": "1", "units.csv": "1"})
    _write_set(target / "compare", {"compare.csv": "c"})
    _write_set(target, {"plan.csv": "2"})
    assert _shown(target) == {"plan.csv": "2"}
    assert _shown(target / "compare") == {"compare.csv": "c"}


def test_a_real_folder_of_outputs_becomes_a_set(tmp_path: Path) -> None:
    """An output folder of an older version: its outputs are kept unless rewritten."""
    target = tmp_path / "out"
    target.mkdir()
    (target / "map.png").write_text("old map", encoding="utf-8")
    (target / "plan.csv").write_text("old", encoding="utf-8")
    (target / ".staging-abc").mkdir()  # left by an older version
    _write_set(target, {"plan.csv": "new"})
    assert target.is_symlink() and _shown(target) == {"map.png": "old map", "plan.csv": "new"}
    assert not (target / ".staging-abc").exists()


@pytest.mark.parametrize("make", [
    lambda t: (t.mkdir(), (t / "notes.txt").write_text("mine", encoding="utf-8")),
    lambda t: (t.mkdir(), (t / "data").mkdir()),
    lambda t: t.symlink_to(t.parent),
], ids=["a folder with a text file", "a folder with a folder", "a foreign link"])
def test_a_folder_that_is_not_an_output_is_refused_and_left_alone(tmp_path: Path, make: Any
                                                                  ) -> None:
    target = tmp_path / "home"
    make(target)
    before = sorted(os.listdir(target))
    with pytest.raises(OutputError, match="give a"), staged_folder(target):
        pass
    assert sorted(os.listdir(target)) == before
    assert not (tmp_path / ".home.sets").exists()


def test_stale_staging_is_removed_at_the_start(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _write_set(target, {"a.csv": "1"})
    sets = tmp_path / ".out.sets"
    (sets / "set-killed").mkdir()
    (sets / "set-killed" / "a.csv").write_text("partial", encoding="utf-8")
    (sets / "set-killed.json").write_text("{}", encoding="utf-8")
    _write_set(target, {"a.csv": "2"})
    assert "set-killed" not in _sets(target) and len(_sets(target)) == 3


def test_two_runs_into_one_folder_at_once_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _write_set(target, {"a.csv": "1"})
    with open(tmp_path / ".out.sets" / ".lock", "w") as other:
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(OSError, match="another run is writing") as caught, \
                staged_folder(target):
            pass
        assert caught.value.errno == errno.EBUSY
    assert _shown(target) == {"a.csv": "1"}


def test_a_full_disk_names_the_path(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with pytest.raises(OutputError) as caught, staged_folder(target) as stage:
        raise OSError(errno.ENOSPC, "No space left on device", str(stage / "plan.csv"))
    assert caught.value.file == str(target / "plan.csv")
    assert "No space left on device" in str(caught.value)


def test_the_output_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file"), staged_folder(tmp_path / "out"):
        pass


@pytest.fixture
def routed(mini: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The mini scenario, run once into ``out`` (CSV and JSON only, to stay quick)."""
    text = mini.read_text(encoding="utf-8")
    mini.write_text(text + "outputs: {formats: [csv, json]}\n", encoding="utf-8")
    from silkroad_routing.cli import main

    out = tmp_path / "out"
    assert main(["run", str(mini), "--out", str(out), "--fast"]) == 0
    return mini, out


def test_run_with_a_full_disk_exits_2_naming_the_file(routed: tuple[Path, Path], refused: Refuse,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    mini, out = routed
    before = _shown(out)

    def full(result: object, folder: Path) -> list[Path]:
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "kpis.json"))

    monkeypatch.setitem(outputs.OUTPUT_WRITERS, OutputFormat.JSON, full)
    refused(["run", mini, "--out", out, "--fast"], str(out / "kpis.json"), "No space left")
    assert _shown(out) == before


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_while_writing_leaves_the_previous_set(routed: tuple[Path, Path], signum: int,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process: the JSON writer is interrupted by a real signal half-way."""
    from silkroad_routing.cli import main

    mini, out = routed
    before, sets_before = _shown(out), _sets(out)

    def interrupted(result: object, folder: Path) -> list[Path]:
        (folder / "kpis.json").write_text('{"half": ', encoding="utf-8")
        os.kill(os.getpid(), signum)
        raise AssertionError("the signal ends the run before this line")

    monkeypatch.setitem(outputs.OUTPUT_WRITERS, OutputFormat.JSON, interrupted)
    assert main(["run", str(mini), "--out", str(out), "--fast"]) == 128 + signum
    assert _shown(out) == before and _sets(out) == sets_before
    assert json.loads((out / "kpis.json").read_text(encoding="utf-8"))["scenario"] == "mini"


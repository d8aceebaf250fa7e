"""Atomic outputs: an interrupted run never leaves a half-written file, nor a mix of two runs.

A single file is written next to its target and moved onto it (:func:`atomic_path`). A set of
files (everything one run writes) is staged in a folder of its own and switched in with one
rename (:func:`staged_folder`): the output folder ``out/name`` is a symbolic link to
``out/.name.sets/set-XXXX``, and a new set replaces the link in one :func:`os.replace`, so a
reader sees the previous set or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError

#: Suffix of the manifest beside each set (``set-XXXX.json``): the entries that belong to the
#: set. Others, such as a comparison folder written into the run's folder later, are carried
#: over to the next set.
MANIFEST_SUFFIX = ".json"
#: Files a real output folder may hold to be turned into a set (outputs of an older version).
OUTPUT_SUFFIXES = frozenset({".csv", ".parquet", ".json", ".geojson", ".gpkg", ".html", ".png",
                             ".xlsx", ".pdf"})
#: Staging folders of older versions, inside the output folder: removed, never carried over.
STALE_STAGING_PREFIX = ".staging-"
#: Signals held while a set is switched in or a staging folder removed.
_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success move it onto ``target`` atomically.

    Write the output to the yielded path (any writer that takes a path will do). If the block
    raises, the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Keep the extension: some writers pick their format (or warn) by it.
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{target.suffix}",
                                dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    # Some writers (GDAL drivers) refuse to open an existing empty file: hand them a fresh path.
    tmp.unlink()
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM (delivered when the block ends) in the main thread, so that a
    switch or a clean-up is never cut in the middle."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _manifest(folder: Path) -> Path:
    return folder.with_name(folder.name + MANIFEST_SUFFIX)


def _members(folder: Path) -> set[str] | None:
    """The entries a set's manifest lists; None for a folder without one (not made here)."""
    try:
        return set(json.loads(_manifest(folder).read_text(encoding="utf-8"))["entries"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _ours(entry: Path) -> bool:
    """Whether ``entry`` of a real output folder is something a run may replace or carry over:
    an output file, a set folder or link of a nested output (a comparison), a stale staging
    folder of an older version."""
    if entry.is_symlink():
        return os.readlink(entry).startswith(f".{entry.name}.sets")
    if entry.is_dir():
        return (entry.name.startswith(".") and entry.name.endswith(".sets")) or \
            entry.name.startswith(STALE_STAGING_PREFIX)
    return entry.is_file() and entry.suffix.lower() in OUTPUT_SUFFIXES


def _current(target: Path, sets: Path) -> Path | None:
    """The folder ``target`` shows now: its set, or itself when it is a real folder holding
    only outputs (made by an older version, or holding a comparison); None when it does not
    exist yet. Anything else is refused: the folder is not replaced or emptied."""
    if target.is_symlink():
        found = (target.parent / os.readlink(target)).resolve()
        if found.parent != sets.resolve():
            raise OutputError("the output folder is a link that silkroad did not make; give "
                              "another folder", file=str(target))
        return found
    if target.is_dir():
        foreign = next((p for p in sorted(target.iterdir()) if not _ours(p)), None)
        if foreign is not None:
            raise OutputError(f"the output folder holds files that are not outputs (such as "
                              f"{foreign.name!r}); give a new or empty folder", file=str(target))
        return target
    if target.exists():
        raise OutputError("the output folder is a file", file=str(target))
    return None


def _output_error(exc: OSError, stage: Path, target: Path) -> OutputError:
    """``exc`` as an :class:`OutputError` naming the path as the user knows it."""
    path = Path(exc.filename) if exc.filename else target
    with contextlib.suppress(ValueError):
        path = target / path.relative_to(stage)
    return OutputError(f"cannot write the outputs: {exc.strerror or exc}", file=str(path))


@contextlib.contextmanager
def staged_folder(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty staging folder; on success make it, in one rename, what ``target`` shows.

    ``target`` becomes a symbolic link to ``.<name>.sets/set-XXXX`` beside it. A real folder is
    turned into one only when it is empty or holds outputs alone (files such as ``.csv`` or
    ``.png``, nested output sets): those are kept unless the new set writes the same names. A
    folder holding anything else, a link not made here, or a file is refused with
    :class:`~silkroad_routing.errors.OutputError` and left alone. Entries that a later writer
    put into the previous set (a comparison folder inside the run's folder) are carried over.
    If the block raises or the process is interrupted (SIGINT, SIGTERM raised as exceptions),
    the staging folder is removed and
    ``target`` shows the previous set. Staging folders left by a killed run are removed at the
    start; two runs into one folder at once are refused. Raises ``OSError`` when the folder
    cannot be created or locked (before any work is done in the block) and
    :class:`~silkroad_routing.errors.OutputError` naming the path when a file cannot be written
    (no permission, a full disk).
    """
    target = Path(target)
    sets = target.parent / f".{target.name}.sets"
    _current(target, sets)  # refuse a folder that is not ours before creating anything
    sets.mkdir(parents=True, exist_ok=True)
    with open(sets / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OSError(errno.EBUSY, "another run is writing this output folder now") from None
        current = _current(target, sets)
        keep = {".lock"} | (set() if current is None else {current.name, _manifest(current).name})
        with signals_held():
            for stale in sets.iterdir():  # staging folders and old sets of killed runs
                if stale.name not in keep:
                    _remove(stale)
        stage: Path | None = None
        try:
            # Made with signals held, inside the try: a signal cannot slip between the two.
            with signals_held():
                stage = Path(tempfile.mkdtemp(prefix="set-", dir=sets))
            try:
                yield stage
            except OSError as exc:
                raise _output_error(exc, stage, target) from None
            _switch(target, stage, current)
        except BaseException:
            with signals_held():
                if stage is not None:
                    shutil.rmtree(stage, ignore_errors=True)
                    _manifest(stage).unlink(missing_ok=True)
            raise


def _switch(target: Path, stage: Path, current: Path | None) -> None:
    """Make ``target`` show ``stage``: manifest, carried-over entries, one rename, clean-up."""
    entries = sorted(p.name for p in stage.iterdir())
    _manifest(stage).write_text(json.dumps({"entries": entries}) + "\n", encoding="utf-8")
    link = target.parent / f".{target.name}.link-{stage.name}"
    with signals_held():
        moved: list[str] = []
        try:
            if current is not None:
                members = _members(current) or set()
                for entry in sorted(current.iterdir()):
                    if entry.name not in members and not (stage / entry.name).exists() and \
                            not entry.name.startswith(STALE_STAGING_PREFIX):
                        os.replace(entry, stage / entry.name)
                        moved.append(entry.name)
            os.symlink(os.path.relpath(stage, target.parent), link)
        except OSError:
            for name in moved:  # put back what was carried over: it is not the run's to lose
                os.replace(stage / name, current / name)  # type: ignore[operator]
            raise
        if current == target:  # a real folder: now emptied of what the new set carries over
            shutil.rmtree(target)
        os.replace(link, target)
        if current is not None and current != target:
            shutil.rmtree(current, ignore_errors=True)
            _manifest(current).unlink(missing_ok=True)

"""Atomic file writes: an interrupted run never leaves a half-written output behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


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
def staged_folder(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty staging folder inside ``target``; on success move its files into ``target``.

    Write every output of a run into the staging folder. If the block raises (or the process is
    interrupted), the staging folder is removed and ``target`` keeps only complete files: the
    ones it had before. Each file is moved with :func:`os.replace` (atomic on one file system);
    other files already in ``target`` are left alone. Raises ``OSError`` when ``target`` cannot
    be created or written, before any work is done in the block.
    """
    import shutil

    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=target))
    try:
        yield stage
        for path in sorted(stage.rglob("*")):
            if path.is_dir():
                (target / path.relative_to(stage)).mkdir(exist_ok=True)
            else:
                os.replace(path, target / path.relative_to(stage))
    finally:
        shutil.rmtree(stage, ignore_errors=True)

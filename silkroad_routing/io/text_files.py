"""Read a human-edited text file (scenario YAML, CSV table) safely and completely, or say why not.

Only regular files are read (a FIFO would block and a device never end), up to a stated size;
the text must be UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8" writes one), and
hold no NUL byte. Each refusal is one error naming the file (and the line, when there is one).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputError

#: UTF-8 byte-order mark.
BOM = "\ufeff"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_text_bounded(path: Path, max_bytes: int, error: type[InputError] = InputError) -> str:
    """The UTF-8 text of ``path`` without a leading byte-order mark.

    Raises ``error`` naming the file when it is missing, not a regular file, unreadable, larger
    than ``max_bytes``, holds a NUL byte or is not UTF-8 (with the line of the first bad byte).
    """
    file = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error("file not found", file=file) from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a FIFO, socket or device)"
        raise error(f"cannot read the file: it is {kind}", file=file)
    if info.st_size > max_bytes:
        raise error(f"file is too large ({info.st_size:,} bytes; at most {max_bytes:,})", file=file)
    try:
        # O_NONBLOCK: should the path have become a FIFO since the check, open() does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise error("cannot read the file: it is not a regular file", file=file)
            # Read what the size says, plus one byte to notice a file still growing: read(n)
            # allocates n bytes up front, so n must not be the limit itself.
            data = handle.read(min(info.st_size, max_bytes) + 1)
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    if len(data) > max_bytes:
        raise error(f"file is too large (more than {max_bytes:,} bytes)", file=file)
    nul = data.find(b"\0")
    if nul >= 0:
        hint = " (UTF-16 text? save it as UTF-8)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise error(f"the file holds a NUL byte: it is binary, not text{hint}", file=file,
                    line=_line_of(data, nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte 0x{data[exc.start]:02X}); save the file as UTF-8 "
                    "(in Excel: 'CSV UTF-8')", file=file, line=_line_of(data, exc.start)) from None
    return text.removeprefix(BOM)

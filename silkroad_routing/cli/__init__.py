"""The ``silkroad`` command line.

Exit codes: 0 success, 2 bad input (one message naming the file, field and value), 1 internal
error, 128 + the signal number when interrupted (130 for Ctrl-C, 143 for SIGTERM).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

#: Signals that end a command cleanly: each raises SystemExit(128 + signal) in the main thread,
#: so that every ``finally`` runs (staging folders removed, sweep workers stopped).
EXIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def exit_on_signals(restore: bool = True) -> Iterator[None]:
    """Turn SIGINT and SIGTERM into ``SystemExit(128 + signal)`` while the block runs (main
    thread only), then restore the previous handlers unless ``restore`` is false (a process
    about to exit keeps them, so that a late signal still ends it with the exit code)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _exit) for s in EXIT_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            if restore:
                signal.signal(s, handler)


def interrupted_code(exc: BaseException) -> int | None:
    """The exit code of a signal behind ``exc``, or None. A signal that arrives while a C
    extension initialises reaches us as that module's ImportError, caused by our SystemExit."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, SystemExit):
            return seen.code if isinstance(seen.code, int) else 1
        seen = seen.__cause__ or seen.__context__
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (used by the ``silkroad`` console script)."""
    args = sys.argv[1:] if argv is None else argv
    # Called by the console script (no argv), the process ends after main: keep the handlers.
    with exit_on_signals(restore=argv is not None):
        try:
            # Imported here, with the handlers in place: Ctrl-C while importing the heavy
            # libraries ends with the exit code, not a traceback.
            from .application import app
            from .errors import run_guarded
        except (SystemExit, ImportError) as exc:
            code = interrupted_code(exc)
            if code is None:
                raise
            return code
        return run_guarded(app, args)


def __getattr__(name: str) -> Any:
    if name == "app":  # the Typer application, loaded on first use
        from .application import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app", "main"]

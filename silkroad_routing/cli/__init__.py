"""The ``silkroad`` command line.

Exit codes: 0 success, 2 bad input (one message naming the file, field and value), 1 internal
error.
"""

from __future__ import annotations

import sys

from .app import app


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (used by the ``silkroad`` console script)."""
    from .errors import run_guarded

    return run_guarded(app, sys.argv[1:] if argv is None else argv)


__all__ = ["app", "main"]

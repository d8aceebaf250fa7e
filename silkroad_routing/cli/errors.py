"""Turn exceptions into one clear message and an exit code, never a traceback for bad input."""

from __future__ import annotations

import os

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import InputError
from . import interrupted_code

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


def run_guarded(app: typer.Typer, argv: list[str]) -> int:
    """Run ``app`` on ``argv``: bad input exits 2 with one line, an internal error exits 1.

    Usage errors (an unknown option, a missing argument) are handled by the CLI framework, which
    also exits 2. Set ``SILKROAD_DEBUG=1`` to see the traceback of an internal error.
    """
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        app(args=argv, prog_name="silkroad", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_INTERNAL)
    except InputError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except Exception as exc:
        code = interrupted_code(exc)
        if code is not None:  # a signal during a lazy import of a compiled library
            return code
        if os.environ.get("SILKROAD_DEBUG"):
            raise
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))} "
                  "(set SILKROAD_DEBUG=1 for the traceback)", markup=True)
        return EXIT_INTERNAL
    return EXIT_OK

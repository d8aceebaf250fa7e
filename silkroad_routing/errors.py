"""The exception hierarchy of silkroad-routing.

Every error caused by bad input derives from :class:`InputError`; the command line turns
those into one message and exit code 2. Anything else is an internal error (exit code 1).
A model proven infeasible is an answer, not an error: the solvers return it with status
``INFEASIBLE`` (:class:`~silkroad_routing.solvers.SolveStatus`) and a message saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

#: Most problems listed from one file (the first ones, in row order).
MAX_LISTED_ERRORS: Final[int] = 20

#: Longest value shown in a message, characters (a 5,000-character time zone name is cut).
MAX_VALUE_CHARS = 120


class SilkroadError(Exception):
    """Base class of every error raised on purpose by this library."""


class InputError(SilkroadError, ValueError):
    """Bad input: a file, a field or a value that cannot be used.

    Attributes name where the problem is, so that a message can point at it:
    ``file`` (path), ``row`` (1-based data row, header excluded), ``line`` (1-based line
    in the file), ``field`` (column or dotted field path) and ``value`` (the offending value).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
    ) -> None:
        self.reason = message
        self.file = file
        self.row = row
        self.line = line
        self.field = field
        self.value = value
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        head = ", ".join(where)
        shown = repr(self.value)
        if len(shown) > MAX_VALUE_CHARS:
            shown = f"{shown[:MAX_VALUE_CHARS]}... ({len(shown):,} characters)"
        tail = f" (value: {shown})" if self.value is not None else ""
        return f"{head}: {self.reason}{tail}" if head else f"{self.reason}{tail}"


class NetworkError(InputError):
    """A network (files or objects) is malformed or inconsistent."""


class ScenarioError(InputError):
    """A scenario file or one of its demand files is malformed."""


class InputErrors(InputError):
    """Several bad-input problems found in one pass (every error of a file, not only the first).

    ``errors`` holds them in file order; the message is the first one, then one indented line
    per further problem. ``file``, ``line``, ``field`` and ``value`` are those of the first.
    """

    def __init__(self, errors: Sequence[InputError]) -> None:
        if not errors:
            raise ValueError("InputErrors needs at least one error")
        self.errors = tuple(errors)
        first = self.errors[0]
        super().__init__(first.reason, file=first.file, row=first.row, line=first.line,
                         field=first.field, value=first.value)

    def _format(self) -> str:
        lines = [str(e) for e in self.errors]
        if len(lines) == 1:
            return lines[0]
        return f"{len(lines)} problems:\n" + "\n".join(f"  {line}" for line in lines)


def raise_all(errors: Sequence[InputError], group: type[InputErrors] = InputErrors) -> None:
    """Raise nothing for no errors, the error itself for one, ``group(errors)`` for more."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise group(errors)


class ScenarioErrors(InputErrors, ScenarioError):
    """Several problems of one scenario (or demand file), each a :class:`ScenarioError`."""


class NetworkErrors(InputErrors, NetworkError):
    """Several problems of one network folder, each a :class:`NetworkError`."""


class OutputError(InputError, OSError):
    """An output cannot be written: no permission, a full disk, a path that is not a folder.

    Not a bug of the library, so the command line treats it like bad input (exit code 2); the
    message names the path (``file``) and the system's reason.
    """

"""The exception hierarchy of silkroad-routing.

Every error caused by bad input derives from :class:`InputError`; the command line turns
those into one message and exit code 2. Anything else is an internal error (exit code 1).
A model proven infeasible is an answer, not an error: the solvers return it with status
``INFEASIBLE`` (:class:`~silkroad_routing.solvers.SolveStatus`) and a message saying why.
"""

from __future__ import annotations


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
        tail = f" (value: {self.value!r})" if self.value is not None else ""
        return f"{head}: {self.reason}{tail}" if head else f"{self.reason}{tail}"


class NetworkError(InputError):
    """A network (files or objects) is malformed or inconsistent."""


class ScenarioError(InputError):
    """A scenario file or one of its demand files is malformed."""

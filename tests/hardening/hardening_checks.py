"""Types shared by the hardening tests (the fixtures are in ``conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable

#: ``refused(argv, *parts) -> message``: see the ``refused`` fixture.
Refuse = Callable[..., str]

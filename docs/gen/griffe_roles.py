"""A griffe extension for the API reference: the library's docstrings use reST roles
(``:class:`~silkroad_routing.Plan```, ``:func:`dijkstra```), which Markdown shows literally;
they become inline code of the last name (``Plan``, ``dijkstra``)."""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj|const):`~?\.{0,2}(?P<target>[^`]+)`")


def _code(match: re.Match[str]) -> str:
    target = match.group("target").strip()
    name = target.rsplit(".", 1)[-1] if not target.startswith(".") else target.lstrip(".")
    return f"`{name}`"


class ReSTRoles(griffe.Extension):
    """Replace reST roles in every docstring by inline code."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = ROLE.sub(_code, obj.docstring.value)

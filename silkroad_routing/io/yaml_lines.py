"""Read YAML and remember the line each value came from, so that errors can point at it.

``read_yaml_with_lines(path)`` returns the data (plain dicts, lists and scalars, as
``yaml.safe_load`` would) and a map from each value's path (a tuple of keys and list indices) to
its 1-based line. A syntax error or a duplicate key raises :class:`ScenarioError` naming the file
and line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ..errors import ScenarioError

#: Path of a value inside a YAML document: mapping keys and list indices.
YamlPath = tuple[str | int, ...]


def _walk(loader: yaml.SafeLoader, node: yaml.Node, path: YamlPath, lines: dict[YamlPath, int],
          file: str) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolve merge keys (<<) the way safe_load does
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise ScenarioError("a mapping key must be a plain value", file=file,
                                    line=key_node.start_mark.line + 1)
            if key in data:
                raise ScenarioError("duplicate key", file=file, line=key_node.start_mark.line + 1,
                                    field=dotted_path((*path, key)), value=key)
            # A key's line is where the key is written (its value may start on the next line).
            lines[(*path, key)] = key_node.start_mark.line + 1
            data[key] = _walk(loader, value_node, (*path, key), lines, file)
        return data
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, item, (*path, i), lines, file) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def read_yaml_with_lines(path: str | os.PathLike[str]) -> tuple[Any, dict[YamlPath, int]]:
    """Parse one YAML document; return ``(data, lines)`` where ``lines[path]`` is a 1-based line.

    Raises :class:`ScenarioError` when the file is missing or unreadable, is not valid YAML, or
    repeats a key within one mapping (``yaml.safe_load`` would silently keep the last one).
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError("file not found", file=file) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read the file: {exc}", file=file) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[YamlPath, int] = {}
        return _walk(loader, node, (), lines, file), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = exc.context
        if context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            # An unclosed bracket is noticed lines later: say where the construct started.
            context += f" started on line {exc.context_mark.line + 1}"
        reason = ": ".join(p for p in (context, exc.problem) if p) or "invalid YAML"
        raise ScenarioError(f"YAML syntax error: {reason}", file=file,
                            line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"YAML syntax error: {exc}", file=file) from None
    finally:
        loader.dispose()


def dotted_path(path: YamlPath) -> str:
    """``('demand', 'shipments', 3, 'weight_kg')`` -> ``demand.shipments[3].weight_kg``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


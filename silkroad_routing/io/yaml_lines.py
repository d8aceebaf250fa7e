"""Read YAML safely and remember the line each value came from, so that errors can point at it.

``read_yaml_with_lines(path)`` returns the data (plain dicts, lists and scalars, as
``yaml.safe_load`` would) and a map from each value's path (a tuple of keys and list indices) to
its 1-based line. Only YAML's safe tags are constructed (no tag runs code), and the reader is
bounded: the file must be a regular file (not a FIFO or a device) of at most
:data:`MAX_YAML_BYTES`, UTF-8 without NUL bytes; nesting stops at :data:`MAX_YAML_DEPTH` levels;
aliases may expand the document to at most :data:`MAX_YAML_VALUES` values (an "alias bomb" is
refused instead of walked). Every problem raises :class:`ScenarioError` naming the file and line.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import yaml

from ..errors import ScenarioError
from .text_files import read_text_bounded

#: Path of a value inside a YAML document: mapping keys and list indices.
YamlPath = tuple[str | int, ...]
#: Largest YAML file read, bytes (a scenario with thousands of inline shipments fits).
MAX_YAML_BYTES = 16 * 1024 * 1024
#: Deepest nesting of mappings and lists.
MAX_YAML_DEPTH = 32
#: Most values (mapping entries, list items and scalars) after expanding aliases.
MAX_YAML_VALUES = 1_000_000
#: Tags a mapping or a list may carry (a scalar's tag is checked by the safe constructor).
_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class _Walk:
    """Builds plain data from a composed YAML node tree, counting values and depth."""

    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader, self.file = loader, file
        self.lines: dict[YamlPath, int] = {}
        self.values = 0

    def error(self, message: str, node: yaml.Node, **kwargs: Any) -> ScenarioError:
        return ScenarioError(message, file=self.file, line=node.start_mark.line + 1, **kwargs)

    def walk(self, node: yaml.Node, path: YamlPath) -> Any:
        self.values += 1
        if self.values > MAX_YAML_VALUES:
            raise self.error(f"the document expands to more than {MAX_YAML_VALUES:,} values "
                             "(aliases repeated inside aliases?)", node)
        if len(path) > MAX_YAML_DEPTH:
            raise self.error(f"nested more than {MAX_YAML_DEPTH} levels deep", node,
                             field=dotted_path(path[:MAX_YAML_DEPTH]))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.CollectionNode) and node.tag not in _COLLECTION_TAGS:
            raise self.error(f"YAML tag {node.tag!r} is not allowed (only plain mappings, lists "
                             "and values)", node, field=dotted_path(path) or None)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError) as exc:
            # A value that looks like a date but is none (2026-02-30), and the like.
            raise self.error(f"not a valid value: {exc}", node, field=dotted_path(path) or None,
                             value=node.value) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error("not a finite number", node, field=dotted_path(path) or None,
                             value=node.value)
        return value

    def _mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[Any, Any]:
        self.loader.flatten_mapping(node)  # resolve merge keys (<<) the way safe_load does
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error("a mapping key must be a plain value", key_node)
            key = self.loader.construct_object(key_node)
            if key in data:
                raise self.error("duplicate key", key_node, field=dotted_path((*path, key)),
                                 value=key)
            # A key's line is where the key is written (its value may start on the next line).
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            data[key] = self.walk(value_node, (*path, key))
        return data


def read_yaml_with_lines(path: str | os.PathLike[str]) -> tuple[Any, dict[YamlPath, int]]:
    """Parse one YAML document; return ``(data, lines)`` where ``lines[path]`` is a 1-based line.

    Raises :class:`ScenarioError` when the file is missing, unreadable, not a regular file, too
    large, not UTF-8 or holds a NUL byte; when it is not valid YAML, nests too deeply, expands
    too far through aliases, holds a non-finite number (``.inf``, ``.nan``), or repeats a key
    within one mapping (``yaml.safe_load`` would silently keep the last one).
    """
    file = str(path)
    text = read_text_bounded(Path(path), MAX_YAML_BYTES, ScenarioError)
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # checked before parsing: control characters
        raise ScenarioError(f"the file holds a control character (#x{exc.character:04X}), not "
                            "allowed in YAML", file=file,
                            line=text.count("\n", 0, exc.position) + 1) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        walk = _Walk(loader, file)
        return walk.walk(node, ()), walk.lines
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
    except RecursionError:
        # The composer itself recurses per level: refuse what it cannot nest.
        raise ScenarioError(f"nested more than {MAX_YAML_DEPTH} levels deep", file=file) from None
    finally:
        loader.dispose()


def dotted_path(path: YamlPath) -> str:
    """``('demand', 'shipments', 3, 'weight_kg')`` -> ``demand.shipments[3].weight_kg``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text

"""Fixtures of the compare/sweep tests: the options scenario file, and a YAML writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from options_scenario import VARIANTS_YAML, mini_document


@pytest.fixture(scope="session")
def options_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini scenario with the variants and uncertainty above."""
    path = tmp_path_factory.mktemp("options") / "options.yaml"
    path.write_text(yaml.safe_dump(mini_document(), sort_keys=False) + VARIANTS_YAML,
                    encoding="utf-8")
    return path


@pytest.fixture
def write_document(tmp_path: Path) -> Callable[[dict[str, Any], str], Path]:
    """``write_document(document, name) -> path`` of a YAML file in the test's folder."""

    def write(document: dict[str, Any], name: str) -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return path

    return write

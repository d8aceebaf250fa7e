"""The documentation tests import the site's page helpers from ``docs/gen`` and the block
runner beside them."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parents[1] / "docs" / "gen"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

"""Cold start of the README's main job (issue 19, "Cold start").

Copies the committed tree (``git archive HEAD``) to a temporary directory, creates a fresh
virtual environment there, runs ``pip install .``, then times the README's main job
(``silkroad run scenarios/ecommerce_peak_exports.yaml``) twice: the first run compiles the Numba
kernels (``cache=True`` writes them next to the installed package), the second reuses the cache.
The compile share is ``(first - second) / first``. Prints JSON and writes it to ``--out``::

    python benchmarks/cold_start.py
    python benchmarks/cold_start.py --out cold_start.json --keep
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The README's main job (see "Set up on a fresh machine").
SCENARIO = "scenarios/ecommerce_peak_exports.yaml"
REPO = Path(__file__).resolve().parents[1]


def _timed(cmd: list[str], cwd: Path) -> float:
    """Run ``cmd`` in ``cwd`` (failing loudly) and return its wall time in seconds."""
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def measure(work: Path) -> dict[str, float]:
    """Install a copy of HEAD into a fresh venv under ``work`` and time two runs of the job."""
    tree = work / "tree"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    venv_s = _timed([sys.executable, "-m", "venv", ".venv"], tree)
    bin_dir = tree / ".venv" / "bin"
    install_s = _timed([str(bin_dir / "pip"), "install", "-q", "."], tree)
    job = [str(bin_dir / "silkroad"), "run", SCENARIO]
    first = _timed(job, tree)
    second = _timed(job, tree)
    return {
        "venv_s": round(venv_s, 2),
        "install_s": round(install_s, 2),
        "first_run_s": round(first, 2),
        "second_run_s": round(second, 2),
        "compile_share": round(max(first - second, 0.0) / first, 3),
    }


def main() -> None:
    """Parse arguments, measure, print and optionally write the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the JSON result here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="silkroad-cold-"))
    try:
        result = measure(work)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()

"""Peak memory of validating a large demand file (issue 17, "Bounded resources").

Writes ``--rows`` e-commerce shipments (default 1,000,000; the mix of
``benchmarks/timetable/timetable_bench_data.py``) as CSV and as Parquet, then validates each in
a fresh Python process (``read_demand_file`` on the four-roads network, as ``silkroad validate``
does) and prints its peak resident memory (``ru_maxrss``) and wall time. ``--code DIR`` runs
the validation with another checkout of the library first on the path (to measure before and
after a change in the same run)::

    python benchmarks/demand_memory.py
    python benchmarks/demand_memory.py --code /tmp/base   # a checkout of the base commit
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

#: What the child process runs: validate the file, print the shipments read.
VALIDATE = """
import sys
sys.path.insert(0, sys.argv[1])
import silkroad_routing as sr
from silkroad_routing.scenario.demand import read_demand_file
from silkroad_routing.scenario.schema import Horizon
network = sr.load_network("four_roads")
print(len(read_demand_file(sys.argv[2], network, Horizon(start="2026-12-07", days=28))))
"""


def _peak_mib(code: Path, path: Path) -> tuple[float, float, str]:
    """Peak RSS (MiB) and seconds of validating ``path`` in a child process, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", VALIDATE, str(code), str(path)],
                          capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak_kib <= before:
        raise RuntimeError("an earlier child used more memory: run one measurement per process")
    return peak_kib / 1024.0, seconds, done.stdout.strip()


def main() -> None:
    """Write the files, validate each in a child process, print peak memory and time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--format", choices=("csv", "parquet"), action="append")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent / "timetable"))
    from timetable_bench_data import ecommerce_frame

    frame = ecommerce_frame(args.rows, datetime(2026, 12, 7, tzinfo=UTC), seed=7)
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.format or ["csv", "parquet"]:
            path = Path(folder) / f"orders.{kind}"
            if kind == "csv":
                frame.to_csv(path, index=False)  # times as 2026-12-07 08:00:00+00:00
            else:
                frame.to_parquet(path, index=False)
            # One child per format and per run of this script keeps ru_maxrss per child.
            out = subprocess.run(
                [sys.executable, "-c",
                 "import sys; sys.argv = sys.argv[1:]; from demand_memory import _peak_mib; "
                 "from pathlib import Path; print(*_peak_mib(Path(sys.argv[0]), Path(sys.argv[1])))",
                 str(args.code), str(path)],
                capture_output=True, text=True, check=True, cwd=Path(__file__).parent)
            peak, seconds, rows = out.stdout.split()
            print(f"{kind:8} {args.rows:>10,} rows ({path.stat().st_size / 2**20:,.0f} MiB): "
                  f"peak RSS {float(peak):,.0f} MiB, {float(seconds):.1f} s, {int(rows):,} read "
                  f"({args.code})")


if __name__ == "__main__":
    main()

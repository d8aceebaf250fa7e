"""Numba start-up cost of the shortest-path core, each measured in a fresh Python process.

Cold: an empty Numba cache directory, so every kernel compiles (full size only: it takes tens of
seconds). Warm: the same cache again, so kernels load from disk. Goal: warm import + first
``dijkstra`` call under 1 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json, time
start = time.perf_counter()
import numpy as np
from silkroad_routing.core import (
    cheapest_within, dijkstra, dijkstra_many, pareto_paths, shortest_path,
)
imported = time.perf_counter()
indptr, indices = np.array([0, 1, 2, 2]), np.array([1, 2])
weights, criteria = np.array([1.0, 2.0]), np.ones((2, 3))
dijkstra(indptr, indices, weights, 0)
first_call = time.perf_counter()
shortest_path(indptr, indices, weights, 0, 2)
dijkstra_many(indptr, indices, weights, [0, 1])
pareto_paths(indptr, indices, criteria[:, :2], 0, 2)
pareto_paths(indptr, indices, criteria, 0, 2)
cheapest_within(indptr, indices, weights, weights, 0, 2, 5.0)
every_call = time.perf_counter()
print(json.dumps({"import_s": imported - start, "first_dijkstra_s": first_call - imported,
                  "import_and_first_dijkstra_s": first_call - start,
                  "import_and_every_kernel_s": every_call - start}))
"""


def _run(cache_dir: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_cold_compile_and_warm_start(benchmark, bench_size, tmp_path) -> None:
    if bench_size == "full":
        cache = str(tmp_path / "numba-cache")
        cold = _run(cache)
        benchmark.extra_info.update({f"cold_{key}": value for key, value in cold.items()})
        print(f"\ncold (empty cache): {cold}")
    else:
        cache = None  # the default cache next to the sources, warm once the tests have run
    warm = benchmark.pedantic(_run, args=(cache,), rounds=1, iterations=1) or _run(cache)
    benchmark.extra_info.update({f"warm_{key}": value for key, value in warm.items()})
    print(f"\nwarm (cached): {warm}")

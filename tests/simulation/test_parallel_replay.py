"""``sr.simulate`` on a process pool and on a Dask cluster gives the serial run's figures to the
last bit (the same draws, the same parts summed in the same order), within capacity too; the
parts put back together equal one replay of all samples; a bad worker count is named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_rebook_capacity import UNCERTAIN, _random_case

import silkroad_routing as sr
from silkroad_routing.core.replay import replay
from silkroad_routing.errors import InputError
from silkroad_routing.simulation.simulate import (
    CHUNK_SAMPLES,
    draw_replay,
    replay_arrays,
    replay_capacity,
)
from silkroad_routing.units import TIME_TOLERANCE_H

SAMPLES = 2 * CHUNK_SAMPLES + 17  # three parts, the last short


def _same(a: sr.Reliability, b: sr.Reliability) -> None:
    np.testing.assert_array_equal(a.arrival_h, b.arrival_h)
    for name in ("shipments", "departures", "corridors"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


@pytest.fixture(scope="module")
def case() -> tuple[sr.Problem, sr.Plan]:
    problem, plan, _ = _random_case(1)
    return problem, plan


@pytest.fixture(scope="module")
def serial(case: tuple[sr.Problem, sr.Plan]) -> sr.Reliability:
    return sr.simulate(*case, UNCERTAIN, SAMPLES, seed=3)


def test_process_pool_equals_the_serial_run(case: tuple[sr.Problem, sr.Plan],
                                            serial: sr.Reliability) -> None:
    assert serial.capacity == "respect"
    _same(sr.simulate(*case, UNCERTAIN, SAMPLES, seed=3, workers=2), serial)


def test_dask_cluster_equals_the_serial_run(case: tuple[sr.Problem, sr.Plan],
                                            serial: sr.Reliability) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp", dashboard_address=None) as cluster:
        _same(sr.simulate(*case, UNCERTAIN, SAMPLES, seed=3,
                          scheduler=cluster.scheduler_address), serial)


def test_parts_equal_one_replay_of_all_samples(case: tuple[sr.Problem, sr.Plan],
                                               serial: sr.Reliability) -> None:
    problem, plan = case
    arrays, rows, _ = replay_arrays(problem, plan.selected())
    whole = replay(arrays, draw_replay(problem, UNCERTAIN, SAMPLES, 3), TIME_TOLERANCE_H,
                   replay_capacity(problem, arrays, rows))
    np.testing.assert_array_equal(serial.arrival_h, whole.arrival_h)
    np.testing.assert_allclose(serial.shipments["extra_cost_mean_usd"],
                               whole.extra_cost_usd / SAMPLES, rtol=1e-12)
    np.testing.assert_array_equal(serial.shipments["rebooked_share"], whole.rebooked / SAMPLES)


@pytest.mark.parametrize("workers", [-1, 1.5, True])
def test_bad_worker_count_is_named(case: tuple[sr.Problem, sr.Plan], workers: object) -> None:
    with pytest.raises(InputError) as info:
        sr.simulate(*case, None, 10, workers=workers)  # type: ignore[arg-type]
    assert info.value.field == "workers"

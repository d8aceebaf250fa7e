"""Where the runs of a sweep execute: in this process, a local process pool, or a Dask cluster.

All three are :class:`concurrent.futures.Executor` objects, so the sweep submits the same pure
function (:func:`~.tasks.evaluate`) the same way to each and gathers the futures with
:func:`concurrent.futures.as_completed`:

* ``workers=0``: in this process, one run after the other (for debugging);
* ``workers=K``: a :class:`~concurrent.futures.ProcessPoolExecutor` of K processes started with
  ``spawn`` (safe with threads and Numba; each worker imports the package once and loads the
  compiled kernels from Numba's cache);
* ``scheduler="tcp://host:port"``: the executor of a :class:`distributed.Client` connected to
  that scheduler. Its workers need this package installed (the same version) and the files the
  scenario names (network folder, demand file) at the same paths. Dask is an optional
  dependency: ``pip install "silkroad-routing[cluster]"``.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import InputError

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT_S = 20


class InlineExecutor(cf.Executor):
    """Runs each submitted call at once, in this process (``workers=0``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        """Run ``fn(*args, **kwargs)`` now; a future holding its result or its exception."""
        future: cf.Future[Any] = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def default_workers() -> int:
    """The CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def import_distributed() -> Any:
    """The ``distributed`` module, or an :class:`InputError` saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise InputError("running on a Dask cluster needs dask.distributed: "
                         "pip install 'silkroad-routing[cluster]'", field="--scheduler") from None
    return distributed


@contextlib.contextmanager
def open_executor(workers: int | None = None, scheduler: str | None = None
                  ) -> Iterator[cf.Executor]:
    """An executor for a sweep (see the module docstring); closed, with its processes or its
    connection, when the block ends.

    ``workers`` defaults to :func:`default_workers`; it is ignored with a ``scheduler``.
    Raises :class:`InputError` for a negative worker count, a missing Dask installation or a
    scheduler that cannot be reached.
    """
    if scheduler is not None:
        distributed = import_distributed()
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach the Dask scheduler: {exc}", field="--scheduler",
                             value=scheduler) from None
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
        return
    workers = default_workers() if workers is None else workers
    if workers < 0:
        raise InputError("must be 0 (in this process) or more", field="--workers", value=workers)
    if workers == 0:
        yield InlineExecutor()
        return
    with cf.ProcessPoolExecutor(max_workers=workers,
                                mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def describe(workers: int | None, scheduler: str | None) -> str:
    """``"2 local processes"``, ``"this process"`` or ``"Dask at tcp://..."``, for messages."""
    if scheduler is not None:
        return f"Dask at {scheduler}"
    workers = default_workers() if workers is None else workers
    return "this process" if workers == 0 else f"{workers} local process{'es' * (workers > 1)}"

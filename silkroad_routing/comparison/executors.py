"""Where the runs of a sweep execute: in this process, a local process pool, or a Dask cluster.

All three are :class:`concurrent.futures.Executor` objects, so the sweep submits the same pure
function (:func:`~.tasks.evaluate`) the same way to each and gathers the futures with
:func:`concurrent.futures.as_completed`:

* ``workers=0``: in this process, one run after the other (for debugging);
* ``workers=K``: a :class:`~concurrent.futures.ProcessPoolExecutor` of K processes started with
  ``spawn`` (safe with threads and Numba; each worker imports the package once and loads the
  compiled kernels from Numba's cache). Workers die with the sweep: an interrupted or failed
  sweep terminates them at once, and on Linux the kernel kills them if the sweep itself is
  killed;
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
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import InputError

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT_S = 20
#: Seconds a terminated worker has to exit before it is killed.
STOP_GRACE_S = 5.0
#: ``prctl`` option: the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


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
    before = set(multiprocessing.active_children())
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=die_with_parent)
    try:
        yield pool
    except BaseException:
        # Interrupted or failed: do not wait for the runs under way (minutes each).
        pool.shutdown(wait=False, cancel_futures=True)
        stop_processes(set(multiprocessing.active_children()) - before)
        raise
    pool.shutdown(wait=True)


def die_with_parent() -> None:
    """In a worker process: ask the kernel to kill it when its parent dies (Linux), so that no
    worker outlives a sweep killed with SIGKILL. Elsewhere a no-op."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def stop_processes(processes: set[multiprocessing.process.BaseProcess]) -> None:
    """Terminate ``processes`` (the sweep's own workers), then kill those still alive after
    :data:`STOP_GRACE_S` seconds."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(STOP_GRACE_S)
        if process.is_alive():
            process.kill()
            process.join()


def describe(workers: int | None, scheduler: str | None) -> str:
    """``"2 local processes"``, ``"this process"`` or ``"Dask at tcp://..."``, for messages."""
    if scheduler is not None:
        return f"Dask at {scheduler}"
    workers = default_workers() if workers is None else workers
    return "this process" if workers == 0 else f"{workers} local process{'es' * (workers > 1)}"

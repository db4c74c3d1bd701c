"""Work beside the main computation, in other processes: :func:`helper_executor`.

A command that runs a long computation (a sweep) prepares what it needs afterwards (symbolic
threshold curves, matplotlib's import, a figure) in a :class:`concurrent.futures.ProcessPoolExecutor`.
On Linux its workers are *forked* (at the first submission, before the pool starts its own
thread), so they start with this process's imports; elsewhere they are started by
``forkserver`` or ``spawn``. Where no process can start, an executor that runs each call in
this process, when it is submitted, takes its place: the results are the same.
"""

from __future__ import annotations

import multiprocessing
import sys
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

Result = TypeVar("Result")


class InProcessExecutor(Executor):
    """An executor that runs each call here, when it is submitted."""

    def submit(self, fn: Callable[..., Result], /, *args: Any, **kwargs: Any) -> Future[Result]:
        future: Future[Result] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - raised by result(), as a pool's would be
            future.set_exception(exc)
        return future


def _start_method() -> str:
    if sys.platform.startswith("linux"):
        return "fork"
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


@contextmanager
def helper_executor(workers: int) -> Iterator[Executor]:
    """A pool of ``workers`` processes (an :class:`InProcessExecutor` where none can start),
    shut down on exit after the calls already submitted."""
    executor: Executor
    try:
        context: Any = multiprocessing.get_context(_start_method())
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        with warnings.catch_warnings():  # 3.12+ warns when native (BLAS) threads exist at a fork;
            warnings.simplefilter("ignore", DeprecationWarning)  # no Python thread exists yet
            executor.submit(int)  # starts the workers now
    except (OSError, RuntimeError, ValueError):
        executor = InProcessExecutor()
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)

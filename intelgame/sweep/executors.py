"""Where a sweep's chunks run: in this process, in a local process pool, or on a Dask cluster.

:func:`chunk_size` cuts the grid; :func:`run_in_order` runs a picklable function on each task
by the chosen means and yields the results in the tasks' order (so the three give the same
file), with a bounded number of tasks in flight.
"""

from __future__ import annotations

import collections
import importlib
import math
import multiprocessing
import socket
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

from intelgame.errors import SolverError
from intelgame.sweep.summary import Method

Task = TypeVar("Task")
Result = TypeVar("Result")

#: Points per chunk at most: a chunk's games are solved together (the batch pays a fixed cost
#: per support profile and chunk, so a serial float sweep takes as few chunks as this allows),
#: and its arrays and rows are what a worker holds at once.
MAX_CHUNK = 8192
#: Seconds to wait for a Dask scheduler to answer.
CONNECT_SECONDS = 10
#: Points per chunk at most in exact mode (solved one by one: small chunks cost nothing and
#: move the progress bar).
MAX_EXACT_CHUNK = 256


class _Future(Protocol):
    def result(self) -> Any: ...

    def cancel(self) -> Any: ...


def chunk_size(points: int, parallelism: int, exact: bool) -> int:
    """Evenly sized chunks of at most :data:`MAX_CHUNK` points (:data:`MAX_EXACT_CHUNK`
    exact), and at least two per worker when they run in parallel, for balance.

    >>> chunk_size(6161, 1, False), chunk_size(6161, 2, False), chunk_size(77, 1, True)
    (6161, 1541, 77)
    """
    largest = MAX_EXACT_CHUNK if exact else MAX_CHUNK
    chunks = max(2 * parallelism if parallelism > 1 else 1, math.ceil(points / largest))
    return max(1, math.ceil(points / chunks))


def _in_order(submit: Callable[[Any], _Future], tasks: Iterator[Any], in_flight: int,
              cancel: Callable[[list[_Future]], None]) -> Iterator[Any]:
    """Results of ``tasks`` in order, with at most ``in_flight`` submitted and not yet consumed."""
    pending: collections.deque[_Future] = collections.deque()
    try:
        for task in tasks:
            pending.append(submit(task))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if pending:
            cancel(list(pending))


def run_in_order(function: Callable[[Task], Result], tasks: Callable[[int], Iterator[Task]], method: Method,
                 workers: int, scheduler: str | None) -> Generator[Result, None, None]:
    """``function(task)`` of each task in order, by ``method``: ``"serial"`` here,
    ``"processes"`` in ``workers`` local processes (started by ``forkserver``, ``spawn`` where
    that is missing, never ``fork``), ``"dask"`` on the scheduler at ``scheduler``.
    ``tasks(parallelism)`` cuts the work into tasks for that many workers.

    Raises
    ------
    SolverError
        When ``method`` is ``"dask"`` and ``dask.distributed`` is missing or no scheduler
        answers at ``scheduler`` within :data:`CONNECT_SECONDS`.
    """
    if method == "serial":
        for task in tasks(1):
            yield function(task)
        return
    if method == "processes":
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)

        def cancel_local(pending: list[_Future]) -> None:
            for future in pending:
                future.cancel()

        try:
            yield from _in_order(lambda t: executor.submit(function, t), tasks(workers), 2 * workers, cancel_local)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM) or failed: stop the workers now
            executor.shutdown(wait=False, cancel_futures=True)  # no new task, no new worker
            _terminate_workers(executor)
            raise
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        return
    try:
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise SolverError("a sweep on a Dask scheduler needs dask.distributed: "
                          "pip install intelgame[dist]") from None
    client = _connect(distributed, scheduler)

    def cancel_remote(pending: list[_Future]) -> None:
        client.cancel(pending)

    try:
        threads = max(1, sum(client.nthreads().values()))
        yield from _in_order(lambda t: client.submit(function, t, pure=False), tasks(threads), 2 * threads,
                             cancel_remote)
    finally:
        client.close()


def _connect(distributed: Any, scheduler: str | None) -> Any:
    """A client of the scheduler at ``scheduler``; a plain TCP address is tried first with a
    socket, so that a refused or silent address fails fast, without a client to tear down."""
    try:
        scheme, location = distributed.comm.parse_address(str(scheduler))
        if scheme == "tcp":
            host, port = distributed.comm.parse_host_port(location)
            socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
        return distributed.Client(scheduler, set_as_default=False, timeout=CONNECT_SECONDS)
    except MemoryError:  # a frame length read from a service that is not Dask's
        raise SolverError(f"--scheduler {scheduler}: what answers there is not a Dask scheduler") from None
    except (OSError, ValueError, TypeError) as exc:  # TimeoutError is an OSError
        reason = str(exc) or type(exc).__name__
        raise SolverError(f"--scheduler {scheduler}: no Dask scheduler answers there ({reason})") from None


def _terminate_workers(executor: ProcessPoolExecutor) -> None:
    """Terminate the pool's worker processes (a chunk in progress is abandoned). The standard
    library offers no public call for this before Python 3.14 (``terminate_workers``), so the
    pool's process table is read; a worker left running would keep the command's output pipes
    open after it exits."""
    processes: dict[int, Any] = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        process.terminate()

"""Where a sweep's chunks run: in this process, in a local process pool, or on a Dask cluster.

:func:`chunk_size` cuts the grid; :func:`run_in_order` runs a picklable function on each task
by the chosen means and yields the results in the tasks' order (so the three give the same
file), with a bounded number of tasks in flight.
"""

from __future__ import annotations

import collections
import contextlib
import importlib
import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import threading
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
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_exit_with_parent)

        def cancel_local(pending: list[_Future]) -> None:
            for future in pending:
                future.cancel()

        def submit(task: Any) -> _Future:
            with _signals_deferred():  # a worker being started is in the pool's table on the way out
                return executor.submit(function, task)

        try:
            yield from _in_order(submit, tasks(workers), 2 * workers, cancel_local)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM) or failed: stop the workers now
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


#: How long a stopped pool's manager thread is waited for (:func:`_terminate_workers`).
MANAGER_SECONDS = 10.0


def _terminate_workers(executor: ProcessPoolExecutor) -> None:
    """Stop the pool now: no new task, no new worker, and its worker processes terminated (a
    chunk in progress is abandoned). The standard library offers no public call for this before
    Python 3.14 (``terminate_workers``), so the pool's process table is read, and read *before*
    ``shutdown``, which drops the executor's reference to it (read after, it was empty and no
    worker was stopped: issue #13). The table is the one the pool's manager thread keeps, so a
    worker it starts meanwhile is in it too. The pool's manager thread is then joined (for at
    most ``MANAGER_SECONDS``): the first ``shutdown`` forgets it, and left running as the
    interpreter exits it races the exit's wake-up call on Python 3.11, which then prints an
    ``OSError: Bad file descriptor`` report after the command's error line."""
    processes: dict[int, Any] = getattr(executor, "_processes", None) or {}
    manager: Any = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for process in list(processes.values()):
        process.terminate()
    if manager is not None:
        manager.join(timeout=MANAGER_SECONDS)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM that arrive during the block and act on them when it ends. A
    pool's ``submit`` may start a worker; interrupted in the middle (between the fork and the
    pool's recording of the new process), the worker would be in no table, so nobody would stop
    it, and it would fail noisily as the parent removed its semaphores. Outside the main thread
    (where no signal handler runs) the block runs as it is."""
    numbers = (signal.SIGINT, signal.SIGTERM)
    if threading.current_thread() is not threading.main_thread() or None in map(signal.getsignal, numbers):
        yield  # None: a handler not installed from Python, which could not be put back
        return
    caught: list[int] = []
    previous: dict[int, Any] = {n: signal.signal(n, lambda number, _: caught.append(number)) for n in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in caught[:1]:  # what the handler of the first signal would have done, now
            handler = previous[number]
            if callable(handler):
                handler(number, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(number)


def _exit_with_parent() -> None:
    """Run in each pool worker as it starts: a daemon thread ends the worker as soon as the
    process that started the pool is gone (its sentinel, :func:`multiprocessing.parent_process`,
    becomes ready). A worker that the parent could not terminate (it was being started when
    the parent was interrupted, so it is in no table yet) would otherwise wait for tasks forever,
    holding the command's output pipes and the ``forkserver`` (each worker keeps it alive) open."""
    parent = multiprocessing.parent_process()
    if parent is None:  # not in a child process: nothing to watch
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="intelgame-exit-with-parent", daemon=True).start()

"""Work beside the main computation, in other processes: :func:`helper_executor`.

A command that runs a long computation (a sweep) prepares what it needs afterwards (symbolic
threshold curves, matplotlib's import, a figure) in a :class:`concurrent.futures.ProcessPoolExecutor`.
On Linux its workers are *forked* (at the first submission, before the pool starts its own
thread), so they start with this process's imports; elsewhere they are started by
``forkserver`` or ``spawn``. Where no process can start, an executor that runs each call in
this process, when it is submitted, takes its place: the results are the same.

:class:`BoundedCall` runs one call in its own process with a deadline: its result if it
finishes in time, else the process is terminated and there is none.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
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


def _send_result(connection: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Run ``fn(*args)`` and send ``(True, result)`` or ``(False, exception)``."""
    try:
        connection.send((True, fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        connection.send((False, exc))
    finally:
        connection.close()


class BoundedCall:
    """``fn(*args)`` started now in another process; :meth:`result` waits until ``seconds``
    after the start at most. Where no process can start, the call runs here, at once, and is
    not bounded."""

    def __init__(self, seconds: float, fn: Callable[..., Any], *args: Any) -> None:
        self.deadline = time.monotonic() + seconds
        self._done: tuple[bool, Any] | None = None
        try:
            context: Any = multiprocessing.get_context(_start_method())
            self._receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_send_result, args=(sender, fn, args), daemon=True)
            with warnings.catch_warnings():  # as in helper_executor
                warnings.simplefilter("ignore", DeprecationWarning)
                self._process.start()
            sender.close()
        except (OSError, RuntimeError, ValueError):
            self._process = None
            try:
                self._done = (True, fn(*args))
            except Exception as exc:  # noqa: BLE001 - raised by result()
                self._done = (False, exc)

    def cancel(self) -> None:
        """Terminate the call if it is still running (the command is being interrupted)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._receiver.close()
            self._process = None

    def result(self) -> tuple[bool, Any]:
        """``(True, value)`` when the call returned in time (its exception is raised here),
        ``(False, None)`` when the deadline passed: the process is then terminated."""
        if self._done is None and self._process is not None:
            if self._receiver.poll(max(0.0, self.deadline - time.monotonic())):
                try:
                    self._done = self._receiver.recv()
                except EOFError:  # the process died without a result
                    self._done = (False, RuntimeError("the helper process ended without a result"))
            else:
                self._process.terminate()
            self._process.join()
            self._receiver.close()
            self._process = None
        if self._done is None:
            return False, None
        ok, value = self._done
        if not ok:
            raise value
        return True, value

"""Work beside the main computation, in another process: :class:`Background`.

A command that runs a long computation (a sweep) on one core can prepare what it needs
afterwards (symbolic threshold curves, matplotlib's import, a figure) on another. A
:class:`Background` is one child process that runs the calls sent to it in order and sends
back each result or exception through a pipe (no threads in this process, unlike a process
pool's manager thread).

On Linux the child is *forked*, so it starts at once with this process's imports (about
0.5 s of start-up saved); create it before any other thread starts (before a progress bar
or a process pool). Elsewhere it is started by ``forkserver`` or ``spawn``. Where no process
can start, each call runs in this process when its result is asked for.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import warnings
from collections.abc import Callable
from typing import Any


def _serve(connection: Any) -> None:
    """The child: run each ``(function, args)`` received, send ``(ok, result or exception)``.

    It runs without the cyclic garbage collector, and what it inherited from a fork is frozen
    (never traversed): its calls are a few bounded tasks (imports, a figure) whose garbage goes
    with the process, and the collections they would trigger (a tenth of a second per large
    import, largely spent copying the parent's pages it only reads) are saved."""
    gc.freeze()
    gc.disable()
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        if message is None:
            return
        function, args = message
        try:
            connection.send((True, function(*args)))
        except BaseException as exc:  # noqa: BLE001 - sent back and raised in the parent
            connection.send((False, exc))


def _start_method() -> str:
    if sys.platform.startswith("linux"):
        return "fork"
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


class Background:
    """One child process that runs the calls :meth:`submit` sends it, in order."""

    def __init__(self) -> None:
        self._process: Any = None
        self._connection: Any = None
        self._sent = self._received = 0
        self._results: dict[int, tuple[bool, Any]] = {}
        try:
            context: Any = multiprocessing.get_context(_start_method())
            parent, child = context.Pipe()
            process = context.Process(target=_serve, args=(child,), daemon=True)
            with warnings.catch_warnings():  # 3.12+ warns when native (BLAS) threads exist; the
                warnings.simplefilter("ignore", DeprecationWarning)  # child starts before any Python thread
                process.start()
            child.close()
            self._process, self._connection = process, parent
        except (OSError, RuntimeError, ValueError):
            pass

    def submit(self, function: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """Send ``function(*args)`` (picklable) to the child; the returned callable waits for
        its result (or raises its exception), in any order."""
        if self._connection is not None:
            try:
                self._connection.send((function, args))
            except (OSError, ValueError):
                self.close()
            else:
                self._sent += 1
                return self._receiver(self._sent - 1, function, args)
        return lambda: function(*args)

    def _receiver(self, index: int, function: Callable[..., Any], args: tuple[Any, ...]) -> Callable[[], Any]:
        def result() -> Any:
            while index not in self._results:
                if self._connection is None:  # the child died: do it here
                    return function(*args)
                try:
                    self._results[self._received] = self._connection.recv()
                    self._received += 1
                except (EOFError, OSError):
                    self.close()
            ok, value = self._results.pop(index)
            if not ok:
                raise value
            return value

        return result

    def close(self) -> None:
        """Stop the child (after the calls already sent)."""
        if self._connection is not None:
            try:
                self._connection.send(None)
            except (OSError, ValueError):
                pass
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None

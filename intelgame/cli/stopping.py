"""The command line's signal handlers: SIGTERM unwinds like Ctrl-C, and both also request the
stop again at the solvers' work checks (:mod:`intelgame.interrupts`), since an exception a
handler raises inside a finalizer is dropped."""

from __future__ import annotations

import signal
import threading
from typing import Any

from intelgame import interrupts


def terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C (temporary files are removed on the way out), exit 143; the
    stop is also requested again at the solvers' work checks (:mod:`intelgame.interrupts`)."""
    interrupts.request(SystemExit(128 + signum))
    raise SystemExit(128 + signum)


def interrupt(signum: int, frame: object) -> None:
    """Ctrl-C: ``KeyboardInterrupt``, as Python's own handler, requested again as SIGTERM is."""
    interrupts.request(KeyboardInterrupt())
    raise KeyboardInterrupt


def install_handlers(handlers: dict[int, Any]) -> dict[int, Any]:
    """Install ``handlers`` (main thread only; elsewhere nothing; ``None``, a handler that was
    not installed from Python, is left as it is) and return the ones they replace. SIGINT is
    taken only from Python's default handler: a SIGINT that the process was started ignoring
    (a background job) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    replaced = {}
    for number, handler in handlers.items():
        if handler is None:  # a handler not installed from Python, which cannot be put back
            continue
        if number == signal.SIGINT and signal.getsignal(number) is not signal.default_int_handler \
                and handler is interrupt:
            continue
        replaced[number] = signal.signal(number, handler)
    return replaced

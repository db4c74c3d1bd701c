"""A request to stop, made by a signal handler and honoured again at the solvers' work checks.

Python runs a signal's handler in the main thread between two bytecodes, wherever they are.
When they are those of a finalizer (a ``__del__``, a weak reference's callback, or a suspended
generator that the garbage collector closes), the exception the handler raises is reported as
"unraisable" and dropped, and the computation goes on as if no signal had come: Ctrl-C or
SIGTERM would be lost. A collection that walks a large heap before it calls the finalizers
makes that likely (a test's process forked from a pytest worker lost SIGTERM in most runs).

So the command line's handlers also :func:`request` the stop, and every long loop of the
solvers calls :func:`check` where it counts its work (the PBE search's steps, a work budget's
charges, the symbolic budget's): there the exception is raised again, outside any finalizer.
:func:`clear` withdraws the request when the command ends (which first reads
:func:`pending`: a request whose every raise was dropped still sets the exit status).
"""

from __future__ import annotations

_requested: BaseException | None = None


def request(exc: BaseException) -> None:
    """Record that ``exc`` (``KeyboardInterrupt`` or ``SystemExit(status)``) must end the work."""
    global _requested
    _requested = exc


def check() -> None:
    """Raise the requested exception again, if a stop was requested (a fresh instance, so each
    raise has its own traceback)."""
    if _requested is not None:
        raise _requested.__class__(*_requested.args)


def pending() -> BaseException | None:
    """The requested exception, if a stop was requested and not withdrawn."""
    return _requested


def clear() -> None:
    """Withdraw the request (the command that received the signal has ended)."""
    global _requested
    _requested = None

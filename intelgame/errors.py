"""The exception hierarchy of intelgame.

``IntelgameError`` is the root; tests and callers catch by class:

* ``SpecError`` (also a ``ValueError``): a game spec is malformed. It carries the file, the
  line and the key path, and its message names all three.
* ``GameStructureError``: a game built in code is inconsistent (shapes, names, priors).
* ``SolverError``: a solver was asked for something it cannot do (unknown method, a game
  too large to enumerate, exact arithmetic on irrational payoffs).

``Uncertain`` (an ``ArithmeticError``, outside the hierarchy) is internal control flow: the float
path raises it when it cannot certify a decision, and the solvers catch it and fall back to
exact arithmetic.
"""

from __future__ import annotations


class IntelgameError(Exception):
    """Root of every error intelgame raises on purpose."""


class SpecError(IntelgameError, ValueError):
    """A YAML game spec (or a ``--set`` override) is invalid.

    Parameters
    ----------
    message:
        What was wrong and what was expected.
    file:
        The spec's path (or ``"<string>"``, ``"--set"``).
    line:
        1-based line number, when known.
    key:
        The dotted key path inside the spec, e.g. ``payoffs.weak.beer.duel``.
    """

    def __init__(
        self, message: str, *, file: str = "<string>", line: int | None = None, key: str | None = None
    ) -> None:
        self.reason = message
        self.file = file
        self.line = line
        self.key = key
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f" (key '{_one_line(self.key, 120)}')" if self.key else ""
        return f"{_one_line(where, 200)}: {_one_line(self.reason, 600)}{what}"


def _one_line(text: str, limit: int) -> str:
    """``text`` as one printable line of at most ``limit`` characters: runs of whitespace become
    one space, other control characters (terminal escapes) their ``\\x..`` escape, and a cut is
    marked ``...``. An error message echoes untrusted input; it must not reshape the terminal.

    >>> _one_line("a\\n  b\\x1b[2J", 80)
    'a b\\\\x1b[2J'
    """
    if not text.isprintable():
        text = " ".join(text.split())
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class GameStructureError(IntelgameError, ValueError):
    """A game's arrays, names or prior are inconsistent."""


class SolverError(IntelgameError):
    """A solver cannot carry out the request (method, size, arithmetic)."""


class WorkLimitExceeded(SolverError):
    """A computation passed its work budget (``max_work``; the CLI's ``--max-work``)."""

    def __init__(self, work: int, limit: int, game: object, *, before: bool = False, points: int = 1,
                 scope: str | None = None, unit: str = "tableau entries", detail: str = "",
                 hint: str = " (1e7 is about 5 s of float work here), or make the game less degenerate") -> None:
        name = getattr(game, "name", "the game")
        shape = "x".join(map(str, getattr(game, "shape", ())))
        each = f" ({points:,} grid points, at least {work // points:.3g} each)" if points > 1 else ""
        what = (f"needs at least {work:.3g} {unit} of work{each}, beyond its budget of {limit:.3g}"
                if before else f"passed its work budget of {limit:.3g} {unit} (done: {work:.3g})")
        subject = scope or ("the sweep" if points > 1 else "the enumeration")
        super().__init__(f"{name} ({shape}): {subject} {what}{detail}; raise it with --max-work{hint}")
        self.work, self.limit = work, limit


class OutputError(IntelgameError):
    """An output path that cannot be written (checked before any work starts)."""


class Uncertain(ArithmeticError):
    """A float decision fell in the filter's band (``intelgame.geometry.faces.FilterBand``):
    the float path cannot certify it and the caller redoes the game in exact arithmetic. Not an
    error of the user's: the solvers catch it and never let it out."""

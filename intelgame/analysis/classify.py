"""Classification of signalling equilibria by how much the messages reveal.

With :math:`T^+` the types of positive prior and posteriors :math:`\\mu(\\cdot|m)` on the path:

* ``pooling``: every on-path posterior equals the prior (the messages carry no information;
  pure pooling and identical mixtures alike);
* ``separating``: every type in :math:`T^+` sends one message for sure and no two share one
  (every on-path posterior is degenerate);
* ``semi-separating`` (hybrid): everything else, some but not all information passes.

The per-equilibrium analyses (this one and :mod:`intelgame.analysis.quality`) read the game
through :func:`game_facts`, which computes what depends on the game alone once per game.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from itertools import compress
from typing import Any, Literal, TypeVar

from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe import PBE

Classification = Literal["separating", "pooling", "semi-separating"]
T = TypeVar("T")

#: The number types whose mixed arithmetic with a ``float`` converts them to ``float`` first.
_CONVERTED_TO_FLOAT = frozenset({int, Fraction})


def all_float(rows: Iterable[Iterable[Any]]) -> bool:
    """Whether every number in ``rows`` is a ``float`` (not a subclass)."""
    return all(type(x) is float for row in rows for x in row)


class GameFacts:
    """What the per-equilibrium analyses need of one game, computed once per game.

    ``floats`` is the prior as floats. ``float_prior`` is the same, for arithmetic with floats:
    for a float ``x`` and an ``int`` or ``Fraction`` ``p``, Python computes ``x * p``,
    ``p * x`` and ``x - p`` as ``float(p)`` with ``x``, so ``float(p)`` gives the same float
    without the cost of the mixed operation. It is ``None`` when that changes nothing (the
    prior is already float) or is not known to hold (other number types).
    """

    __slots__ = ("_informed", "_kinds", "_memo", "float_prior", "floats", "game", "prior")

    def __init__(self, game: SignallingGame) -> None:
        self.game = game
        self.prior = prior = game.prior
        self.floats: tuple[float, ...] = prior
        self.float_prior: tuple[float, ...] | None = None
        if not all_float((prior,)):
            self.floats = tuple([float(p) for p in prior])
            if all(type(p) is float or type(p) in _CONVERTED_TO_FLOAT for p in prior):
                self.float_prior = self.floats
        self._informed: tuple[Any, tuple[int, ...]] | None = None
        self._kinds: dict[tuple[int, Any], tuple[PBE, Classification]] = {}
        self._memo: dict[tuple[Any, int], tuple[Any, Any]] = {}

    def informed(self, tolerance: float) -> tuple[int, ...]:
        """:math:`T^+`: the types whose prior is ``> tolerance``."""
        known = self._informed
        if known is None or known[0] != tolerance:
            known = self._informed = (tolerance, tuple([t for t, p in enumerate(self.prior) if p > tolerance]))
        return known[1]

    def prior_for(self, *groups: Iterable[Iterable[Any]]) -> tuple[Any, ...]:
        """The prior to combine with the numbers of ``groups`` (each a sequence of rows): as
        ``float_prior`` when they are all floats (the same results, see the class), else as is."""
        if self.float_prior is None or not all(all_float(group) for group in groups):
            return self.prior
        return self.float_prior

    def classification(self, equilibrium: PBE, tolerance: float) -> Classification:
        """:func:`classify` of an equilibrium of the game, computed once per equilibrium (kept
        here with its result, so that its ``id`` stays its own) and tolerance."""
        key = (id(equilibrium), tolerance)
        known = self._kinds.get(key)
        if known is not None and known[0] is equilibrium:
            return known[1]
        kind = _classify(self, equilibrium, tolerance)
        self._kinds[key] = (equilibrium, kind)
        return kind

    def memo(self, compute: Callable[[SignallingGame, Any], T], arg: Any) -> T:
        """``compute(game, arg)``, computed once per game, ``compute`` and ``arg`` (by identity:
        ``arg`` is kept with the value, so that its ``id`` stays its own)."""
        key = (compute, id(arg))
        known = self._memo.get(key)
        if known is None or known[0] is not arg:
            known = self._memo[key] = (arg, compute(self.game, arg))
        value: T = known[1]
        return value


_last: tuple[SignallingGame, GameFacts] | None = None


def game_facts(game: SignallingGame) -> GameFacts:
    """The :class:`GameFacts` of ``game``; those of the last game asked about are kept, so the
    analyses of a game's equilibria, one after the other, share them (games are immutable)."""
    global _last
    last = _last
    if last is not None and last[0] is game:
        return last[1]
    facts = GameFacts(game)
    _last = (game, facts)
    return facts


def classify(game: SignallingGame, equilibrium: PBE, *, tolerance: float = 0) -> Classification:
    """``separating``, ``pooling`` or ``semi-separating`` (``tolerance`` 0 on exact results)."""
    return game_facts(game).classification(equilibrium, tolerance)


def _classify(facts: GameFacts, equilibrium: PBE, tolerance: float) -> Classification:
    """The decision of :func:`classify`, in plain loops (it runs for every row of a sweep)."""
    on_path = equilibrium.on_path
    beliefs = list(compress(equilibrium.beliefs, on_path))
    exact = tolerance == 0
    # a float prior serves only ``|mu - p|``: ``mu == p`` between a float and a Fraction is exact
    prior = facts.prior if exact or facts.float_prior is None else facts.prior_for(beliefs)
    if _equal_rows(beliefs, prior, tolerance):
        return "pooling"
    sender = equilibrium.sender
    informed = facts.informed(tolerance)
    for t in informed:  # each sends one message for sure
        for x in sender[t]:
            if (x == 1) if exact else (abs(x - 1) <= tolerance):
                break
        else:
            return "semi-separating"
    for m, on in enumerate(on_path):  # each on-path message has one sender
        if on:
            senders = 0
            for t in informed:
                if sender[t][m] > tolerance:
                    senders += 1
            if senders != 1:
                return "semi-separating"
    return "separating"


def _equal_rows(rows: Iterable[Sequence[Any]], reference: Sequence[Any], tolerance: float) -> bool:
    """Every row equals ``reference``, entry by entry (``|x - y| <= tolerance`` unless it is 0)."""
    if tolerance == 0:
        for row in rows:
            for x, y in zip(row, reference):
                if x != y:
                    return False
    else:
        for row in rows:
            for x, y in zip(row, reference):
                if not abs(x - y) <= tolerance:
                    return False
    return True

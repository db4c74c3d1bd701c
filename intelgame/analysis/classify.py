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

import numpy as np

from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from typing import Any, Literal

from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.result import PBE

Classification = Literal["separating", "pooling", "semi-separating"]

class GameFacts:
    """What the per-equilibrium analyses need of one game, computed once per game: the prior,
    as given and as floats (``floats``), and the analyses' memos."""

    __slots__ = ("_informed", "_kinds", "_prior_only", "floats", "game", "prior")

    def __init__(self, game: SignallingGame) -> None:
        self.game = game
        self.prior = prior = game.prior
        self.floats: tuple[float, ...] = tuple([float(p) for p in prior])
        self._informed: tuple[Any, tuple[int, ...]] | None = None
        self._kinds: dict[tuple[int, Any], tuple[PBE, Classification]] = {}
        self._prior_only: tuple[Any] | None = None

    def informed(self, tolerance: float) -> tuple[int, ...]:
        """:math:`T^+`: the types whose prior is ``> tolerance``."""
        known = self._informed
        if known is None or known[0] != tolerance:
            known = self._informed = (tolerance, tuple([t for t, p in enumerate(self.prior) if p > tolerance]))
        return known[1]

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

    def prior_only(self, compute: Callable[[SignallingGame], Any]) -> Any:
        """``compute(game)`` (the receiver's prior-only value), computed once per game."""
        if self._prior_only is None:
            self._prior_only = (compute(self.game),)
        return self._prior_only[0]


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
    """The decision of :func:`classify`, in plain loops."""
    on_path = equilibrium.on_path
    beliefs = list(compress(equilibrium.beliefs, on_path))
    exact = tolerance == 0
    if equal_rows(beliefs, facts.prior, tolerance):
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


def equal_rows(rows: Iterable[Sequence[Any]], reference: Sequence[Any], tolerance: float) -> bool:
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


def canonical_values(values: np.ndarray, tolerance: float) -> np.ndarray:
    """``values`` (any shape, floats) with each replaced by the least of its cluster: sorted
    distinct values less than ``tolerance`` apart form one cluster. Float results are certified
    to far better than the reading tolerance, so values that are equal in exact arithmetic
    land in one cluster and compare equal (grouping rows by value, as the components do,
    then does not depend on the last bits). With ``tolerance`` 0 the values are returned as
    they are.

    >>> canonical_values(np.array([0.25, 0.25000000000000006, 0.5]), 1e-9).tolist()
    [0.25, 0.25, 0.5]
    """
    if not tolerance or not values.size:
        return values
    distinct, inverse = np.unique(values, return_inverse=True)
    starts = np.r_[True, np.diff(distinct) > tolerance]
    return np.asarray(distinct[np.flatnonzero(starts)[np.cumsum(starts) - 1]][inverse.reshape(values.shape)])

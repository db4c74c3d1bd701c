"""Best-reply cells of the receiver over the belief simplex.

After message ``m``, the receiver's expected payoff of action ``a`` at belief :math:`\\mu` is
:math:`\\sum_t \\mu(t) u_R(t,m,a)`. The *cell* of a set of actions ``B`` on a set of types ``K``
is the polytope of beliefs supported on ``K`` at which every action of ``B`` is a best reply:

.. math:: \\{\\mu \\in \\Delta(K) : \\textstyle\\sum_t \\mu(t)[u_R(t,m,a) - u_R(t,m,a_0)] = 0\\ (a \\in B),
          \\ \\le 0\\ (a \\notin B)\\},\\quad a_0 \\in B.

The PBE solver uses the cells to prune receiver supports and to state the off-path beliefs
that support an off-path reply; the Intuitive Criterion uses them for :math:`BR(\\Delta(K), m)`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

from intelgame.games.signalling import SignallingGame
from intelgame.solvers._polytope import Arithmetic, Face, LinearSystem

Number = Any


class BeliefCells:
    """A game's arrays in one arithmetic, with cached belief cells."""

    def __init__(self, game: SignallingGame, arithmetic: Arithmetic) -> None:
        self.game = game
        self.ar = ar = arithmetic
        self.n_t, self.n_m, self.n_a = game.shape
        self.prior = [ar.number(p) for p in game.prior]
        self.us = [[[ar.number(x) for x in c] for c in r] for r in game.sender_payoffs]
        self.ur = [[[ar.number(x) for x in c] for c in r] for r in game.receiver_payoffs]
        self.zero, self.one = ar.number(0), ar.number(1)
        self.cell = lru_cache(maxsize=None)(self._cell)
        self._exists = lru_cache(maxsize=None)(self._has_cell)

    def rows(self, m: int, support: Sequence[int], actions: Sequence[int]) -> tuple[list[tuple[Number, ...]], list[tuple[Number, ...]]]:
        """Rows over the types in ``support`` of ``sum_t mu_t [u_R(t,m,a) - u_R(t,m,a0)]``:
        equalities for ``a`` in ``actions``, inequalities (``<= 0``) for the other actions."""
        a0 = actions[0]

        def diff(a: int) -> tuple[Number, ...]:
            return tuple(self.ur[t][m][a] - self.ur[t][m][a0] for t in support)

        return [diff(a) for a in actions[1:]], [diff(a) for a in range(self.n_a) if a not in actions]

    def system(self, m: int, support: tuple[int, ...], actions: tuple[int, ...]) -> LinearSystem:
        """The cell of ``actions`` after ``m`` over beliefs on ``support``, as a system."""
        eqs, ubs = self.rows(m, support, actions)
        return LinearSystem(len(support), tuple([tuple(self.one for _ in support), *eqs]),
                            tuple([self.one] + [self.zero] * len(eqs)), tuple(ubs),
                            tuple(self.zero for _ in ubs))

    def _cell(self, m: int, support: tuple[int, ...], actions: tuple[int, ...], strict: bool) -> Face | None:
        """Beliefs on ``support`` (strictly positive there if ``strict``) at which every action
        in ``actions`` is a best reply after ``m``; ``None`` if there are none."""
        system = self.system(m, support, actions)
        return self.ar.open_face(system) if strict else self.ar.closed_face(system)

    def _has_cell(self, m: int, support: tuple[int, ...], actions: tuple[int, ...], strict: bool) -> bool:
        if len(support) == 1:  # the point mass: every action in ``actions`` is a best reply to it
            ar, u = self.ar, self.ur[support[0]][m]
            best = u[actions[0]]
            return all(ar.is_zero(u[a] - best) for a in actions[1:]) and all(
                ar.is_nonnegative(best - u[a]) for a in range(self.n_a) if a not in actions)
        system = self.system(m, support, actions)
        return (self.ar.open_point(system) if strict else self.ar.closed_point(system)) is not None

    def has_cell(self, m: int, support: tuple[int, ...], actions: tuple[int, ...], strict: bool) -> bool:
        """Whether the cell (as in :meth:`cell`) is non-empty (cached, existence only)."""
        return self._exists(m, support, actions, strict)

    def best_replies(self, m: int, support: tuple[int, ...]) -> tuple[int, ...]:
        """:math:`BR(\\Delta(K), m)`: the pure actions optimal at some belief on ``support``."""
        return tuple(a for a in range(self.n_a) if self.has_cell(m, support, (a,), False))

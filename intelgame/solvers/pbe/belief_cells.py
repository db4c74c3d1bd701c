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

import itertools
import math
from fractions import Fraction
from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from intelgame.errors import Uncertain
from intelgame.games.signalling import SignallingGame, exact_number
from intelgame.geometry.faces import FILTER_BAND, Arithmetic, Face, LinearSystem
from intelgame.solvers.pbe.systems import cell_layout, flat
from intelgame.geometry.numbers import Number



Payoffs3 = list[list[list[Any]]]


def normalised_payoffs(game: SignallingGame) -> tuple[Payoffs3, Payoffs3, list[tuple[Fraction, Fraction]]]:
    """``(u_S, u_R, maps)`` of an equivalent game of unit scale, computed exactly (``Fraction``);
    ``maps[t] = (c_t, s_t)`` is type ``t``'s affine map.

    Every PBE condition survives the maps :math:`u_S(t,\\cdot,\\cdot) \\mapsto (u_S(t,\\cdot,\\cdot)
    - c_t) / s_t` (a type's preferences over lotteries, :math:`s_t > 0`) and
    :math:`u_R(t,m,\\cdot) \\mapsto (u_R(t,m,\\cdot) - c_{tm}) / s` (the receiver's comparison of
    actions after ``m`` at any belief, with one :math:`s > 0`). With :math:`c` the least
    payoff and :math:`s` the spread, every entry lies in ``[0, 1]``: the float path then sees
    the payoffs' differences, not their offsets or units, so its answer does not depend on
    scale (payoffs of 1e15 + x or 1e-12 x), and its floor :data:`~intelgame.geometry.faces.ZERO_FLOOR`
    is relative to the spread of the game.
    """
    def exact(table: Any) -> np.ndarray:
        return np.array([[[[exact_number(x) for x in c] for c in r] for r in table]], dtype=object)

    us, low, spread = unit_sender(exact(game.sender_payoffs))
    ur, _ = unit_receiver(exact(game.receiver_payoffs))
    maps = list(zip(low.reshape(-1).tolist(), spread.reshape(-1).tolist()))
    return us[0].tolist(), ur[0].tolist(), maps


def unit_sender(us: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sender payoffs ``(N, T, M, A)`` less each type's least payoff, over its spread (1 where
    it is 0), with those least payoffs and spreads ``(N, T, 1, 1)``: the sender part of
    :func:`normalised_payoffs`, for floats (the batch) or object arrays of fractions (exact)."""
    low = us.min(axis=(2, 3), keepdims=True)
    spread = us.max(axis=(2, 3), keepdims=True) - low
    spread = np.where(spread > 0, spread, 1)
    return (us - low) / spread, low, spread


def unit_receiver(ur: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Receiver payoffs ``(N, T, M, A)`` less each row's least payoff, over the game's largest
    remaining payoff (1 where it is 0), with that spread ``(N,)``: the receiver part of
    :func:`normalised_payoffs`, for floats or object arrays of fractions."""
    shifted = ur - ur.min(axis=3, keepdims=True)
    spread = shifted.max(axis=(1, 2, 3), keepdims=True)
    spread = np.where(spread > 0, spread, 1)
    return shifted / spread, spread.reshape(len(ur))


#: Input gaps (see :func:`tie_gaps`) within this of zero are ties on the float (batched) path:
#: they come from a few float operations on the payoffs, so a tie is at most a few units in
#: the last place, while ``ZERO_FLOOR`` covers whole linear programmes.
INPUT_FLOOR = 2.0 ** -44


def tie_gaps(prior: np.ndarray, us: np.ndarray, ur: np.ndarray, unit: Any = 1,
             sender: tuple[np.ndarray, np.ndarray] | None = None,
             receiver: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The gaps the float path could take for ties, by game: ``(N, K)`` non-negative values.

    ``prior`` (N, T), ``us`` and ``ur`` (N, T, M, A) are normalised games
    (:func:`normalised_payoffs`), as ``Fraction`` objects (exact) or floats. The gaps are those
    between sorted neighbours among the prior and 0, among each type's sender payoffs, and
    within each receiver row ``u_R(t, m, .)``; the absolute values of
    :math:`\\sum_{t \\in K} p(t)[u_R(t,m,a) - u_R(t,m,b)]` after each message, pair of actions
    and non-empty set of types ``K`` (the receiver's indifference when ``K`` pools on ``m``);
    and the :func:`type_pair_minors` of the sender payoffs and of the receiver's (within rows):
    two types' indifferences that are one condition. One definition for every number type:
    floats, or exact values as integers ``L x`` over a common denominator ``L`` (``unit = L``:
    the gaps of the sorted values, in units of ``1/L``, are multiplied by ``L``, so that every
    gap is in units of ``1/L**2``, as the weighted sums and the minors are).

    ``sender`` and ``receiver``, if given, are the payoffs ``(u, spread)`` in floats, with ``us
    = (u - low) / spread`` (:func:`unit_sender`; ``spread`` (N, T, 1, 1)) and ``ur`` likewise
    (:func:`unit_receiver`; ``spread`` (N,)): those gaps (sorted neighbours and minors) are then
    the differences of ``u`` divided by the spreads, which keeps a gap the normalisation rounds
    away (``7 + 8.9e-16`` against ``7``, of spread ``12``: both ``1.0``) and is exact for integer
    payoffs.
    """
    n, n_t, n_m, n_a = us.shape
    s_payoffs, s_spread = sender if sender is not None else (us, None)
    r_payoffs, r_spread = receiver if receiver is not None else (ur, None)

    def neighbours(values: np.ndarray, spread: np.ndarray | None) -> np.ndarray:
        gaps = np.diff(np.sort(values, axis=-1), axis=-1) * unit
        return np.asarray(gaps if spread is None else gaps / spread.reshape(n, -1, 1)).reshape(n, -1)

    parts = [neighbours(np.concatenate([prior * 0, prior], axis=1)[:, None], None),
             neighbours(s_payoffs.reshape(n, n_t, -1), s_spread),
             neighbours(r_payoffs.reshape(n, n_t * n_m, n_a), r_spread),
             type_pair_minors(s_payoffs, s_spread), type_pair_minors(r_payoffs, r_spread, within_rows=True)]
    if n_a > 1:
        pairs = [(a, b) for a in range(n_a) for b in range(a + 1, n_a)]
        first, second = (np.array(x) for x in zip(*pairs))
        weighted = prior[:, :, None, None] * (ur[..., first] - ur[..., second])  # (N, T, M, P)
        sets = np.array([[(k >> t) & 1 for t in range(n_t)] for k in range(1, 2 ** n_t)])  # (S, T)
        sums = np.tensordot(sets, weighted, axes=([1], [1])).transpose(1, 0, 2, 3)
        parts.append(np.abs(sums).reshape(n, -1))
    return np.concatenate(parts, axis=1)


def type_pair_minors(payoffs: np.ndarray, spread: np.ndarray | None = None, *,
                     within_rows: bool = False) -> np.ndarray:
    """(N, K): for each pair of types ``t < s`` and each two pairs of cells ``(A, B)``,
    ``(C, D)`` of the tables ``payoffs`` (N, T, M, A) (with ``within_rows``, each pair in one
    message), the absolute value of

    .. math:: \\frac{1}{s_t s_s}\\det\\begin{pmatrix} u_t(A) - u_t(B) & u_t(C) - u_t(D) \\\\
              u_s(A) - u_s(B) & u_s(C) - u_s(D) \\end{pmatrix}

    (``spread`` the types' :math:`s_t`, (N, T, 1, 1), or one per game (N,); ``None``: the payoffs
    are normalised, 1). It is zero iff the two types' indifferences along the two payoff
    differences are one condition. For the sender (all cells), on the receiver's mixture: the
    equations :math:`\\rho\\,[u(A) - u(B)] = u(D) - u(C)` coincide (pairs sharing a cell: the
    :math:`3 \\times 3` minors of the rows :math:`1, u_t, u_s`), or the lines of two mixtures are
    parallel, which the :math:`\\rho`-face decides when both types mix. For the receiver (pairs
    of actions after a message, the differences its indifferences weigh by belief or by
    :math:`p(t)\\sigma(m|t)`): two pairs after one message make a belief cell on ``{t, s}`` a
    point or empty, after two messages the :math:`\\sigma`-face's rows parallel (times
    :math:`p(t) p(s)` there). Two types whose payoffs differ by ``e`` make a minor of the order
    of ``e`` while each type's own payoffs are far apart. Invariant under each type's (each
    row's) shift and, up to the factor :math:`s_t s_s`, its scale, so the same value on the
    payoffs with their spreads and on the normalised payoffs (floats, or integers ``L x`` in
    units ``1/L**2``)."""
    n, n_t, n_m, n_a = payoffs.shape
    first, second, third, fourth = _cell_pairs(n_m, n_a, within_rows)
    if n_t < 2 or not len(first):
        return np.zeros((n, 0), dtype=payoffs.dtype)
    flat = payoffs.reshape(n, n_t, n_m * n_a)
    left, right = flat[..., first] - flat[..., second], flat[..., third] - flat[..., fourth]  # (N, T, Q)
    scale = None if spread is None else np.broadcast_to(np.reshape(spread, (n, -1)), (n, n_t))
    parts = []
    for t, s in itertools.combinations(range(n_t), 2):
        minor = np.abs(left[:, t] * right[:, s] - left[:, s] * right[:, t])
        parts.append(minor if scale is None else minor / (scale[:, t] * scale[:, s])[:, None])
    return np.concatenate(parts, axis=1)


@lru_cache(maxsize=None)
def _cell_pairs(n_m: int, n_a: int, within_rows: bool) -> tuple[np.ndarray, ...]:
    """The flat indices ``(A, B, C, D)`` of every two distinct pairs of cells ``A < B``, ``C <
    D`` of an ``n_m`` by ``n_a`` table (with ``within_rows``, pairs within a row only)."""
    pairs = [(a, b) for a, b in itertools.combinations(range(n_m * n_a), 2)
             if not within_rows or a // n_a == b // n_a]
    quads = [(a, b, c, d) for (a, b), (c, d) in itertools.combinations(pairs, 2)]
    return tuple(np.array(x, dtype=np.intp).reshape(len(quads)) for x in zip(*quads)) if quads else \
        tuple(np.zeros(0, dtype=np.intp) for _ in range(4))


def near_ties(gaps: np.ndarray, floor: Any, band: float) -> np.ndarray:
    """(N,) bool: some gap lies in ``(floor, band)``: a near tie that the float path could take
    for a tie, or a tie that it could take for a gap."""
    return np.asarray(((gaps > floor) & (gaps < band)).any(axis=1))


def _near_ties(prior: list[Fraction], us: Payoffs3, ur: Payoffs3, prior_f: list[Any], us_f: Payoffs3,
               ur_f: Payoffs3) -> bool:
    """:func:`near_ties` of one exact normalised game, in floats first: the floats are correctly
    rounded, so a float gap beyond :data:`INPUT_FLOOR` is an exact gap beyond 0, and
    only a float gap within it (a tie, or a gap below the floats' resolution) needs the exact
    gaps, computed on integers over the common denominator ``L`` of every value."""
    gaps = tie_gaps(np.array([prior_f], dtype=float), np.array([us_f], dtype=float), np.array([ur_f], dtype=float))
    if not (gaps <= INPUT_FLOOR).any():
        return bool(near_ties(gaps, INPUT_FLOOR, FILTER_BAND)[0])
    values = [*prior, *(x for table in (us, ur) for r in table for c in r for x in c)]
    common = math.lcm(*(x.denominator for x in values))
    largest = max(abs(x.numerator) * (common // x.denominator) for x in values)
    n_t = len(prior)
    # The values lie in [0, 1], so the scaled ones are at most L: int64 when every product of
    # two of them, summed over the types, and every gap times L fit; Python ints otherwise.
    dtype = np.int64 if (largest + 1) ** 2 * 4 * (n_t + 1) < 2 ** 62 and common ** 2 < 2 ** 62 else object

    def scaled(table: Any) -> np.ndarray:
        return np.array([_scale(table, common)], dtype=dtype)

    exact = tie_gaps(scaled(prior), scaled(us), scaled(ur), unit=common)
    # gap < FILTER_BAND * L^2 decided on integers (an integer is below a real iff it is below its
    # ceiling): the float product overflows once L passes 1e154
    band = math.ceil(Fraction(FILTER_BAND) * common ** 2)
    return bool(((exact > 0) & (exact < band)).any())


def _scale(table: Any, common: int) -> Any:
    """``table`` (nested lists of fractions) times ``common`` as integers."""
    if isinstance(table, list):
        return [_scale(x, common) for x in table]
    return table.numerator * (common // table.denominator)


class BeliefCells:
    """A game's arrays in one arithmetic, with cached belief cells.

    ``us`` and ``ur`` are what the linear systems are built from: the game's own payoffs in
    exact arithmetic, those of :func:`normalised_payoffs` in floats. ``payoffs_s`` and
    ``payoffs_r`` are always the game's own (for the equilibrium payoffs).
    """

    def __init__(self, game: SignallingGame, arithmetic: Arithmetic) -> None:
        self.game = game
        self.ar = ar = arithmetic
        self.n_t, self.n_m, self.n_a = game.shape
        self.prior = [ar.number(p) for p in game.prior]
        self.payoffs_s = [[[ar.number(x) for x in c] for c in r] for r in game.sender_payoffs]
        self.payoffs_r = [[[ar.number(x) for x in c] for c in r] for r in game.receiver_payoffs]
        self._maps: list[tuple[Any, Any]] | None = None
        if ar.exact:
            self.us, self.ur = self.payoffs_s, self.payoffs_r
        else:
            us, ur, maps = normalised_payoffs(game)
            self.us = [[[ar.number(x) for x in c] for c in r] for r in us]
            self.ur = [[[ar.number(x) for x in c] for c in r] for r in ur]
            if _near_ties([exact_number(p) for p in game.prior], us, ur, self.prior, self.us, self.ur):
                raise Uncertain("near ties in the game's payoffs or prior")
            self._maps = [(ar.number(low), ar.number(spread)) for low, spread in maps]
        self.zero, self.one = ar.number(0), ar.number(1)
        self.shape = game.shape
        self.us_flat, self.ur_flat = flat(self.us), flat(self.ur)
        self._payoffs_r_flat = self.ur_flat if self.ur is self.payoffs_r else flat(self.payoffs_r)
        self.cell = lru_cache(maxsize=None)(self._cell)
        self._exists = lru_cache(maxsize=None)(self._has_cell)

    def sender_value(self, t: int, payoff: Number) -> Number:
        """Type ``t``'s payoff ``payoff`` (in the game's units) in the units of ``us``."""
        value = self.ar.number(payoff)
        if self._maps is None:
            return value
        low, spread = self._maps[t]
        return (value - low) / spread

    def rows(self, m: int, support: Sequence[int], actions: Sequence[int], *,
             game_units: bool = False) -> tuple[list[tuple[Number, ...]], list[tuple[Number, ...]]]:
        """Rows over the types in ``support`` of ``sum_t mu_t [u_R(t,m,a) - u_R(t,m,a0)]``:
        equalities for ``a`` in ``actions``, inequalities (``<= 0``) for the other actions; in
        the units of ``ur``, or of the game's own payoffs with ``game_units`` (for reports)."""
        layout = cell_layout(self.shape, m, tuple(support), tuple(actions))
        return layout.rows(self._payoffs_r_flat if game_units else self.ur_flat, self.zero)

    def system(self, m: int, support: tuple[int, ...], actions: tuple[int, ...]) -> LinearSystem:
        """The cell of ``actions`` after ``m`` over beliefs on ``support``, as a system."""
        return cell_layout(self.shape, m, support, actions).system(self.ur_flat, self.zero, self.one)

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

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
from typing import Any, Iterator, Sequence

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


#: Input gaps (see :func:`tie_gap_blocks`) within this of zero are ties on the float (batched) path:
#: they come from a few float operations on the payoffs, so a tie is at most a few units in
#: the last place, while ``ZERO_FLOOR`` covers whole linear programmes.
INPUT_FLOOR = 2.0 ** -44

#: A float minor of two types (:func:`type_pair_minors`) within ``MINOR_NOISE (1 + M_t / s_t +
#: M_s / s_s)`` of zero (``M`` a type's largest payoff in absolute value, ``s`` its spread) may be
#: the rounding of an exact zero. Each difference ``d`` of two correctly rounded payoffs is within
#: about ``4u M`` of the exact one (``u = 2^-53``) and at most ``s`` in size, so each product
#: ``d_t d_s`` is within ``4u (M_t s_s + M_s s_t)`` plus its own rounding, and the minor over
#: ``s_t s_s`` within about ``8u (M_t / s_t + M_s / s_s) + 6u``: the bound is ``2^3 u =
#: 2^-50`` times ``1 + M_t / s_t + M_s / s_s``. It errs small on purpose: a rounded zero beyond
#: it (a sweep's payoffs come from formulas evaluated in floats, a few roundings each) costs an
#: exact check, never an answer, while a bound too large reads real minors as zero. On the
#: catalog's sweeps the roundings of exact zeros reached 0.14 of it. The error grows with the
#: offsets ``M / s`` linearly, not as their product.
MINOR_NOISE = 2.0 ** -50


#: The input check computes its gaps in blocks of at most about this many values (8 MB of floats;
#: a block's few temporaries stay within about 32 MB), whatever the number of games or the shape.
GAP_BLOCK = 1 << 20


def tie_gap_count(shape: tuple[int, int, int]) -> int:
    """The number of gaps :func:`tie_gap_blocks` checks for one game of ``shape`` ``(T, M, A)``:
    :math:`2T - 1` of the prior (with :math:`T` zeros), :math:`T(MA - 1)` and :math:`TM(A - 1)` sorted neighbours,
    :math:`(2^T - 1) M \\binom{A}{2}` prior-weighted sums, and :math:`\\binom{T}{2}` times
    :math:`\\binom{P}{2}` minors for the :math:`P = \\binom{MA}{2}` pairs of cells (sender) and the
    :math:`P = M\\binom{A}{2}` pairs within a row (receiver): :math:`O(T^2 (MA)^4)`, the cost
    that :func:`~intelgame.solvers.pbe.enumeration.check_work` weighs against a budget."""
    n_t, n_m, n_a = shape
    pairs = math.comb(n_a, 2)
    minors = math.comb(math.comb(n_m * n_a, 2), 2) + math.comb(n_m * pairs, 2)
    return int(2 * n_t - 1 + n_t * (n_m * n_a - 1) + n_t * n_m * (n_a - 1) + (2 ** n_t - 1) * n_m * pairs
               + math.comb(n_t, 2) * minors)


def tie_gap_blocks(prior: np.ndarray, us: np.ndarray, ur: np.ndarray, unit: Any = 1,
                   sender: tuple[np.ndarray, np.ndarray] | None = None,
                   receiver: tuple[np.ndarray, np.ndarray] | None = None,
                   parts: str = "all") -> Iterator[tuple[slice, np.ndarray, Any]]:
    """The gaps the float path could take for ties, as ``(games, block, noise)``: ``block``
    (n, k) non-negative values of the games ``games`` (a slice of the N), at most about
    :data:`GAP_BLOCK` values each, and for :func:`type_pair_minors` their rounding bound
    (:data:`MINOR_NOISE`, (n, 1); ``None`` for the other gaps, see :func:`gap_flags`); the
    blocks of a game, joined, are its :func:`tie_gap_count` gaps.

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
    payoffs. ``parts``: ``"sender"`` (the sender's gaps only; ``ur`` and ``prior`` unread),
    ``"receiver"`` (the prior's and the receiver's; ``us`` unread) or ``"all"``.

    The minors are :math:`O(T^2 (MA)^4)` a game (3 x 10 x 10: 37 million), so they are never
    materialised: the blocks are reduced as they come (:func:`gap_flags`), in memory bounded by
    :data:`GAP_BLOCK` whatever the shape and the number of games; their time is bounded only by
    a budget, which refuses a shape whose :func:`tie_gap_count` exceeds it before the check
    (:func:`~intelgame.solvers.pbe.enumeration.check_work`). None of them is dropped to make
    large shapes cheap: pairs within a row would be far fewer, but the rho-system's constant
    terms are differences of cells after two messages, and two types whose rho-lines meet at
    :math:`\\rho = e` show only in a minor of such a pair (without it both float paths were
    wrong on 108 of 300 such games, ``tests/test_tie_check_bounds.py``); which minors suffice
    is known for two types' 2 x 2 x 2 faces only (``docs/certified_float.md``).
    """
    n, n_t, n_m, n_a = us.shape
    s_payoffs, s_spread = sender if sender is not None else (us, None)
    r_payoffs, r_spread = receiver if receiver is not None else (ur, None)
    width = max(n_t * math.comb(n_m * n_a, 2), (2 ** n_t) * n_m * max(n_a, math.comb(n_a, 2)), 1)
    step = max(1, GAP_BLOCK // width)  # games a block: their widest intermediate within GAP_BLOCK
    for start in range(0, n, step):
        g = slice(start, min(n, start + step))
        if parts != "sender":
            yield g, _neighbours(np.concatenate([prior[g] * 0, prior[g]], axis=1)[:, None], None, unit), None
        if parts != "receiver":
            yield g, _neighbours(s_payoffs[g].reshape(-1, n_t, n_m * n_a), _part(s_spread, g), unit), None
            yield from ((g, *block) for block in _minor_blocks(s_payoffs[g], _part(s_spread, g), False))
        if parts != "sender":
            yield g, _neighbours(r_payoffs[g].reshape(-1, n_t * n_m, n_a), _part(r_spread, g), unit), None
            yield from ((g, *block) for block in _minor_blocks(r_payoffs[g], _part(r_spread, g), True))
            if n_a > 1:
                first, second = np.triu_indices(n_a, 1)
                weighted = prior[g][:, :, None, None] * (ur[g][..., first] - ur[g][..., second])  # (n, T, M, P)
                sets = np.array([[(k >> t) & 1 for t in range(n_t)] for k in range(1, 2 ** n_t)])  # (S, T)
                sums = np.tensordot(sets, weighted, axes=([1], [1])).transpose(1, 0, 2, 3)
                yield g, np.abs(sums).reshape(len(sums), -1), None


def _part(spread: np.ndarray | None, g: slice) -> np.ndarray | None:
    return None if spread is None else spread[g]


def _neighbours(values: np.ndarray, spread: np.ndarray | None, unit: Any) -> np.ndarray:
    """(n, K): the gaps between sorted neighbours along the last axis of ``values`` (n, R, V),
    times ``unit``, over ``spread`` (one a row, or a game) if given."""
    gaps = np.diff(np.sort(values, axis=-1), axis=-1) * unit
    return np.asarray(gaps if spread is None else gaps / spread.reshape(len(values), -1, 1)).reshape(len(values), -1)


def gap_flags(blocks: Iterator[tuple[slice, np.ndarray, Any]], n: int, floor: Any,
              band: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(near, below, tied)``, (n,) bool each, of the blocks of :func:`tie_gap_blocks`: a game
    has a gap in ``(floor, band)`` (a near tie that the float path could take for a tie, or a
    tie that it could take for a gap), in ``(0, floor]`` (a rounded tie or a gap below the
    floats' resolution), in ``[0, floor]``; reduced block by block.

    A gap is a difference of two floats, exactly zero when they are equal, but a minor is a
    rounded product of differences: where it is exactly zero on payoffs that floats do not
    represent (``1/3``, a grid value ``0.29``) it comes out of order ``1e-17``, and counting
    that as a gap in ``(0, floor]`` would send nearly every point of a sweep over a model with
    formulas to the exact check (the paper's sweep: 20 times slower). So a minor within its
    block's ``noise`` bound is read as zero (neither ``below`` nor ``tied``); one in ``(noise,
    floor]`` counts as ``below`` and ``tied``."""
    near, below, tied = (np.zeros(n, dtype=bool) for _ in range(3))
    for g, block, noise in blocks:
        if block.shape[1]:
            near[g] |= ((block > floor) & (block < band)).any(axis=1)
            small = (block <= floor) & (block > (0 if noise is None else noise))
            below[g] |= small.any(axis=1)
            tied[g] |= (small if noise is not None else block <= floor).any(axis=1)
    return near, below, tied


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
    units ``1/L**2``). Joined from :func:`_minor_blocks` (by pair of types; within one, in
    bands of the first pair of cells)."""
    blocks = [block for block, _ in _minor_blocks(payoffs, spread, within_rows)]
    return np.concatenate(blocks, axis=1) if blocks else np.zeros((len(payoffs), 0), dtype=payoffs.dtype)


def _minor_blocks(payoffs: np.ndarray, spread: np.ndarray | None,
                  within_rows: bool) -> Iterator[tuple[np.ndarray, Any]]:
    """The :func:`type_pair_minors` in blocks of at most about :data:`GAP_BLOCK` values, each
    with its rounding bound (:data:`MINOR_NOISE`; 0 on integers): for each pair of types, the
    minors ``d_t(i) d_s(j) - d_s(i) d_t(j)`` of the pairs of cells ``i < j`` (``d`` their
    differences), a band of rows ``i`` at a time: the triangle ``j`` within the band, then the
    rectangle ``j`` beyond it."""
    n, n_t, n_m, n_a = payoffs.shape
    first, second = _cell_pairs(n_m, n_a, within_rows)
    n_p = len(first)
    if n_t < 2 or n_p < 2:
        return
    flat = payoffs.reshape(n, n_t, n_m * n_a)
    differences = flat[..., first] - flat[..., second]  # (n, T, P)
    scale = None if spread is None else np.broadcast_to(np.reshape(spread, (n, -1)), (n, n_t))
    rows = max(1, GAP_BLOCK // max(1, n * n_p))
    exact = flat.dtype.kind in "iuO"
    # the rounding of a float minor, in the units of the spreads: 2^-50 (1 + M_t / s_t + M_s / s_s)
    reach = None if exact else np.abs(flat).max(axis=2) / (1 if scale is None else scale)  # (n, T)
    for t, s in itertools.combinations(range(n_t), 2):
        d_t, d_s = differences[:, t], differences[:, s]
        divisor = None if scale is None else (scale[:, t] * scale[:, s])[:, None]
        noise = 0 if reach is None else MINOR_NOISE * (1 + reach[:, t] + reach[:, s])[:, None]
        for i in range(0, n_p, rows):
            top = min(n_p, i + rows)
            upper, lower = np.triu_indices(top - i, 1)
            band_t, band_s = d_t[:, i:top], d_s[:, i:top]
            parts = [(band_t[:, upper], band_s[:, lower], band_s[:, upper], band_t[:, lower])]
            if top < n_p:
                parts.append((band_t[:, :, None], d_s[:, None, top:], band_s[:, :, None], d_t[:, None, top:]))
            for left_t, right_s, left_s, right_t in parts:
                minor = left_t * right_s
                minor -= left_s * right_t
                minor = np.abs(minor).reshape(n, -1)
                yield (minor if divisor is None else minor / divisor), noise


@lru_cache(maxsize=None)
def _cell_pairs(n_m: int, n_a: int, within_rows: bool) -> tuple[np.ndarray, np.ndarray]:
    """The flat indices ``(A, B)`` of every pair of cells ``A < B`` of an ``n_m`` by ``n_a``
    table (with ``within_rows``, pairs within a row only), in lexicographic order."""
    first, second = np.triu_indices(n_m * n_a, 1)
    if within_rows:
        keep = first // n_a == second // n_a
        first, second = first[keep], second[keep]
    return first, second


def _near_ties(prior: list[Fraction], us: Payoffs3, ur: Payoffs3, prior_f: list[Any], us_f: Payoffs3,
               ur_f: Payoffs3) -> bool:
    """Whether one exact normalised game has a near tie (:func:`gap_flags`), in floats first: the
    floats are correctly rounded, so a float gap beyond :data:`INPUT_FLOOR` is an exact gap beyond 0, and
    only a float gap within it (a tie, or a gap below the floats' resolution) needs the exact
    gaps, computed on integers over the common denominator ``L`` of every value."""
    floats = [np.array([x], dtype=float) for x in (prior_f, us_f, ur_f)]
    near, _, tied = gap_flags(tie_gap_blocks(floats[0], floats[1], floats[2]), 1, INPUT_FLOOR, FILTER_BAND)
    if not tied[0]:
        return bool(near[0])
    values = [*prior, *(x for table in (us, ur) for r in table for c in r for x in c)]
    common = math.lcm(*(x.denominator for x in values))
    largest = max(abs(x.numerator) * (common // x.denominator) for x in values)
    n_t = len(prior)
    # The values lie in [0, 1], so the scaled ones are at most L: int64 when every product of
    # two of them, summed over the types, and every gap times L fit; Python ints otherwise.
    dtype = np.int64 if (largest + 1) ** 2 * 4 * (n_t + 1) < 2 ** 62 and common ** 2 < 2 ** 62 else object

    def scaled(table: Any) -> np.ndarray:
        return np.array([_scale(table, common)], dtype=dtype)

    exact = tie_gap_blocks(scaled(prior), scaled(us), scaled(ur), unit=common)
    # gap < FILTER_BAND * L^2 decided on integers (an integer is below a real iff it is below its
    # ceiling): the float product overflows once L passes 1e154
    band = math.ceil(Fraction(FILTER_BAND) * common ** 2)
    return bool(gap_flags(exact, 1, 0, band)[0][0])


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

"""Equilibrium refinements: the Intuitive Criterion of Cho and Kreps (1987).

Let :math:`u^*(t)` be type :math:`t`'s equilibrium payoff. For an off-path message :math:`m`,
type :math:`t` is *equilibrium-dominated* at :math:`m` if
:math:`u^*(t) > \\max_{a \\in BR(\\Delta(T), m)} u_S(t,m,a)`; let :math:`J(m)` be those types.
If :math:`J(m) \\neq T`, the equilibrium *fails* the criterion when some type
:math:`t' \\notin J(m)` gains from :math:`m` whatever best reply to a belief on
:math:`T \\setminus J(m)` follows:
:math:`\\min_{a \\in BR(\\Delta(T\\setminus J(m)), m)} u_S(t',m,a) > u^*(t')`.
(Mixed best replies need no separate check: the minimum of a linear function over them is
attained at a pure best reply.) Cho, I.-K. and Kreps, D. M. (1987), "Signaling games and stable
equilibria", QJE 102(2), 179-221.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

from intelgame.speed.short_axes import largest, least, some
from intelgame.errors import SolverError, Uncertain
from intelgame.games.signalling import SignallingGame, exact_number
from intelgame.geometry.faces import ZERO_FLOOR, arithmetic_for, grey
from intelgame.geometry.numbers import Number
from intelgame.solvers.pbe.batch import best_reply_sets
from intelgame.solvers.pbe.belief_cells import BeliefCells, unit_sender
from intelgame.solvers.pbe.result import PBE, PBEResult
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.table import EquilibriumTable
from intelgame.analysis.rows import result_table



def cells_for(game: SignallingGame, *, exact: bool, tolerance: float = 0) -> BeliefCells:
    """The belief cells the refinements need, in the arithmetic of the solve (``tolerance`` is
    accepted for compatibility and ignored: float cells are filtered, see
    :mod:`intelgame.geometry.faces`). A game whose float cells cannot be built (near ties) gets
    the exact cells of :meth:`~intelgame.games.signalling.SignallingGame.to_rational`; given a
    float equilibrium, :func:`intuitive_criterion` then takes the exact equilibrium's verdict."""
    if not exact:
        try:
            return BeliefCells(game, arithmetic_for(exact=False))
        except Uncertain:
            game = game.to_rational()
    return BeliefCells(game, arithmetic_for(exact=True))


def intuitive_criterion(equilibrium: PBE, cells: BeliefCells) -> bool:
    """True when ``equilibrium`` survives the Intuitive Criterion (vacuously with no off-path
    message). With float cells that cannot decide, the verdict is that of the exact equilibrium
    of the same support profile (the game solved exactly)."""
    if cells.ar.exact and not all(isinstance(u, (int, Fraction)) for u in equilibrium.sender_payoffs):
        return _exact_verdict(cells.game, equilibrium)  # float payoffs against exact cells: compare exactly
    try:
        return _survives(equilibrium.on_path, equilibrium.sender_payoffs, cells)
    except Uncertain:
        return _exact_verdict(cells.game, equilibrium)


def _exact_verdict(game: SignallingGame, equilibrium: PBE) -> bool:
    """The criterion's verdict on the exact equilibrium that ``equilibrium`` (a float result) is:
    the one with the same on-path messages and strategies within 1e-7."""
    exact = pbe_solve(game.to_rational(), exact=True)
    flat = [float(x) for row in (*equilibrium.sender, *equilibrium.receiver) for x in row]
    for candidate, verdict in zip(exact, _exact_verdicts(game, exact)):
        if candidate.on_path == equilibrium.on_path and all(
                abs(float(x) - y) <= 1e-7 for x, y in zip((x for row in (*candidate.sender, *candidate.receiver)
                                                           for x in row), flat)):
            return verdict
    raise SolverError(f"no exact equilibrium of '{game.name}' matches the float one given to intuitive_criterion")


def _survives(on_path: Sequence[bool], sender_payoffs: Sequence[Number], cells: BeliefCells) -> bool:
    """:func:`intuitive_criterion` of the equilibrium with these on-path messages and sender
    payoffs (:func:`_cell_verdicts`; raises :class:`Uncertain` where the floats cannot decide)."""
    survives, unsure = _cell_verdicts([on_path], [sender_payoffs], cells)
    if unsure[0]:
        raise Uncertain("an Intuitive Criterion comparison within the float filter's band")
    return bool(survives[0])


#: ``replies(rows, m, sets)``: :math:`BR(\Delta(K), m)` (n, A) bool of the game of each of the
#: rows ``rows`` (n,), ``K`` the set of types of bitmask ``sets[i]`` (bit ``t``: type ``t``).
Replies = Callable[[np.ndarray, int, np.ndarray], np.ndarray]


def _judge(on_path: np.ndarray, u_star: np.ndarray, us: np.ndarray, replies: Replies,
           exact: bool) -> tuple[np.ndarray, np.ndarray]:
    """The Intuitive Criterion (module docstring) of ``R`` equilibria at once, each of its own
    game: ``(survives, unsure)``, (R,) bool each. ``on_path`` (R, M) bool, the equilibrium
    payoffs ``u_star`` (R, T) in the units of the sender payoffs ``us`` (R, T, M, A) of each
    row's game, the best replies ``replies``. Every comparison is a sign: exact numbers (object
    arrays) are compared with 0; floats are filtered as :class:`~intelgame.geometry.faces.FilterBand`
    filters them, and a row whose verdict rests on a value in the band is ``unsure`` (its
    ``survives`` entry is then meaningless). A message is skipped where no type has
    :math:`u^*(t) > \\min_a u_S(t,m,a)` (then :math:`J(m) = \\emptyset` whatever
    :math:`BR(\\Delta(T), m)` is), so ``replies`` is asked only where it matters. The one
    definition of the criterion: the per-game path calls it with a game's belief cells
    (:func:`_cell_verdicts`), the sweep's with the batch's reply sets (:func:`intuitive_column`)."""
    n_rows, n_t = u_star.shape
    survives = np.ones(n_rows, dtype=bool)
    unsure = np.zeros(n_rows, dtype=bool)
    bits = 1 << np.arange(n_t)
    for m in range(on_path.shape[1]):
        rows = np.flatnonzero(survives & ~on_path[:, m])
        rows = rows[_may_dominate(u_star[rows], us[rows, :, m, :], exact)]
        if not len(rows):
            continue
        u, star = us[rows, :, m, :], u_star[rows]  # (n, T, A), (n, T)
        everyone = replies(rows, m, np.full(len(rows), bits.sum()))
        dominated, doubt = _signs(star - largest(np.where(everyone[:, None, :], u, -np.inf), axis=2), exact)
        unsure_here = some(doubt, axis=1)
        rest = ~dominated
        judged = np.flatnonzero(some(dominated, axis=1) & some(rest, axis=1))
        if len(judged):
            restricted = replies(rows[judged], m, (rest[judged] * bits).sum(axis=1))
            gains, doubt = _signs(least(np.where(restricted[:, None, :], u[judged], np.inf), axis=2) - star[judged],
                                  exact)
            breaks = some(gains & rest[judged], axis=1) & ~unsure_here[judged]
            unsure_here[judged] |= some(doubt & rest[judged], axis=1)
            survives[rows[judged[breaks]]] = False
        unsure[rows[unsure_here]] = True
    return survives, unsure & survives


def _may_dominate(u_star: np.ndarray, payoffs: np.ndarray, exact: bool) -> np.ndarray:
    """(n,) bool: whether some type may be equilibrium-dominated at an off-path message with
    sender payoffs ``payoffs`` (n, T, A): :math:`u^*(t) > \\min_a u_S(t,m,a)` for some ``t``
    (or within the float band, or a payoff is NaN). If not, :math:`J(m)` is empty whatever
    :math:`BR(\\Delta(T), m)` is (the maximum over it is at least that minimum), and the
    message cannot break the equilibrium."""
    positive, unsure = _signs(u_star - least(payoffs, axis=2), exact)
    return np.asarray(some(positive | unsure | some(payoffs != payoffs, axis=2), axis=1))


def _signs(x: np.ndarray, exact: bool) -> tuple[np.ndarray, np.ndarray]:
    """``(x > 0, unsure)``: exact numbers compared with 0 (never unsure); floats as the filter
    reads them (``x > ZERO_FLOOR``, unsure in :func:`~intelgame.geometry.faces.grey`'s band)."""
    if exact:
        return np.asarray(x > 0, dtype=bool), np.zeros(x.shape, dtype=bool)
    return np.asarray(x > ZERO_FLOOR), np.asarray(grey(x))


def _cell_verdicts(on_path: Sequence[Sequence[bool]], sender_payoffs: Sequence[Sequence[Number]],
                   cells: BeliefCells) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_judge` of equilibria of ``cells``' game (their on-path messages and sender payoffs,
    in the game's units), in the cells' arithmetic, with :meth:`BeliefCells.best_replies`."""
    dtype = object if cells.ar.exact else float
    us = np.empty((cells.n_t, cells.n_m, cells.n_a), dtype=dtype)  # filled, not converted
    us[...] = cells.us
    u_star = np.empty((len(sender_payoffs), cells.n_t), dtype=dtype)
    u_star[...] = [[cells.sender_value(t, u) for t, u in enumerate(payoffs)] for payoffs in sender_payoffs]

    def replies(rows: np.ndarray, m: int, sets: np.ndarray) -> np.ndarray:
        out = np.zeros((len(rows), cells.n_a), dtype=bool)
        for k in np.unique(sets).tolist():
            support = tuple(t for t in range(cells.n_t) if k >> t & 1)
            out[np.ix_(np.flatnonzero(sets == k), np.array(cells.best_replies(m, support), dtype=np.intp))] = True
        return out

    paths = np.array(on_path, dtype=bool).reshape(len(u_star), cells.n_m)
    return _judge(paths, u_star, np.broadcast_to(us, (len(u_star), *us.shape)), replies, cells.ar.exact)


def intuitive_criteria(result: PBEResult) -> list[bool]:
    """:func:`intuitive_criterion` for every equilibrium of ``result``, in the arithmetic of the
    solve; the belief cells are built only if some off-path message may break an equilibrium
    (:func:`may_break`)."""
    equilibria = result.equilibria
    if all([all(eq.on_path) for eq in equilibria]):
        return [True] * len(equilibria)
    if not result.exact and _ill_scaled(result.game):  # float payoffs cannot show the differences
        return _exact_verdicts(result.game)
    if not may_break(*result_table(result)).any():
        return [True] * len(equilibria)
    if not result.exact:
        try:
            cells = cells_for(result.game, exact=False)
            if cells.ar.exact:  # float payoffs cannot be compared with exact cells
                return _exact_verdicts(result.game)
            survives, unsure = _cell_verdicts([eq.on_path for eq in equilibria],
                                              [eq.sender_payoffs for eq in equilibria], cells)
            if unsure.any():
                raise Uncertain("an Intuitive Criterion comparison within the float filter's band")
            return [bool(x) for x in survives]
        except Uncertain:  # the same equilibria in the same order, exactly
            return _exact_verdicts(result.game)
    return _criteria_in(equilibria, cells_for(result.game, exact=True))


def _ill_scaled(game: SignallingGame) -> bool:
    """Whether the sender's payoffs' offsets dwarf their spread (by more than ``2**30``): their
    float values, and equilibrium payoffs computed from them, then cannot show the differences
    the criterion compares, and its verdict is taken exactly."""
    values = [exact_number(x) for r in game.sender_payoffs for c in r for x in c]
    spread = max(values) - min(values)
    return bool(max(map(abs, values)) > 2 ** 30 * spread) if spread else False


def _exact_verdicts(game: SignallingGame, exact: PBEResult | None = None) -> list[bool]:
    """:func:`intuitive_criteria` of ``game``'s exact PBE (``exact``, if already solved): those of
    a float result, in its order (the float path's equilibria are the exact ones, see
    :func:`~intelgame.solvers.pbe.enumeration.pbe_solve`)."""
    rational = game.to_rational()
    exact = exact or pbe_solve(rational, exact=True)
    return _criteria_in(exact.equilibria, cells_for(rational, exact=True))


def _criteria_in(equilibria: Sequence[PBE], cells: BeliefCells) -> list[bool]:
    """:func:`intuitive_criterion` of each of ``equilibria`` on exact ``cells``, all at once
    when their payoffs are exact."""
    if equilibria and all(isinstance(u, (int, Fraction)) for eq in equilibria for u in eq.sender_payoffs):
        survives, _ = _cell_verdicts([eq.on_path for eq in equilibria], [eq.sender_payoffs for eq in equilibria],
                                     cells)
        return [bool(x) for x in survives]
    return [intuitive_criterion(eq, cells) for eq in equilibria]


def intuitive_column(eqs: EquilibriumTable, arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
                     game: Callable[[int], SignallingGame], tolerance: float) -> np.ndarray:
    """:func:`intuitive_criteria` of every row of ``eqs`` (float path), the games of the points
    given as float ``arrays = (u_S, prior, u_R)`` (N, T, M, A), (N, T), (N, T, M, A) and exactly
    by ``game(point)``. A row :func:`may_break` does not flag survives. The others are judged by
    :func:`_judge` all at once where the batch decides the point's best replies
    (:func:`~intelgame.solvers.pbe.batch.best_reply_sets`), in the normalised payoffs the batch
    solves with (:func:`~intelgame.solvers.pbe.belief_cells.unit_sender`; the batch takes no game
    whose offsets dwarf its spreads, so none is ``_ill_scaled``); the rest, and the rows whose
    verdict rests on a value in the float filter's band, point by point as
    :func:`intuitive_criteria` judges a float result (belief cells of ``game(point)``, the exact
    equilibria's verdicts where the floats cannot decide). The tolerance is accepted for
    compatibility and ignored (float cells are filtered)."""
    doubtful = np.flatnonzero(may_break(eqs, arrays[0]))
    out = np.ones(len(eqs), dtype=bool)
    if not len(doubtful):
        return out
    flagged, where = np.unique(eqs.point[doubtful], return_inverse=True)  # the points with flagged rows
    sets, decided = best_reply_sets((arrays[0][flagged], arrays[1][flagged], arrays[2][flagged]))
    batched, where = doubtful[decided[where]], where[decided[where]]
    if len(batched):
        us, low, spread = unit_sender(arrays[0][eqs.point[batched]])
        u_star = (eqs.sender_payoffs[batched] - low[:, :, 0, 0]) / spread[:, :, 0, 0]
        survives, unsure = _judge(eqs.on_path[batched], u_star, us,
                                  lambda rows, m, k: sets[where[rows], m, k], exact=False)
        out[batched] = survives
        doubtful = np.union1d(np.setdiff1d(doubtful, batched), batched[unsure])
    first = np.searchsorted(eqs.point, eqs.point)  # each row's point's first row (points non-decreasing)
    for point in np.unique(eqs.point[doubtful]).tolist():
        rows = doubtful[eqs.point[doubtful] == point]
        cells = cells_for(game(point), exact=False)
        if not cells.ar.exact and not _ill_scaled(cells.game):
            survives, unsure = _cell_verdicts(eqs.on_path[rows].tolist(), eqs.sender_payoffs[rows].tolist(), cells)
            if not unsure.any():
                out[rows] = survives
                continue
        exact = _exact_verdicts(game(point))  # the point's equilibria in the table's order, exactly
        out[rows] = [exact[r - int(first[r])] for r in rows.tolist()]
    return out


def may_break(eqs: EquilibriumTable, sender_payoffs: np.ndarray) -> np.ndarray:
    """Whether some off-path message of each row may break it (:func:`_judge` skips the others)
    (``u_S`` of each point in ``sender_payoffs``, N x T x M x A): :math:`u^*(t) - \\min_a u_S(t,m,a)` exceeds a
    floor for some type, or a payoff is NaN. Exact numbers (object arrays): the floor is 0.
    Floats, as the float filter reads them: a difference within ``ZERO_FLOOR`` times the
    payoffs' spread is an exact tie, and every message of a game whose offsets dwarf the
    spread (by more than ``2**30``) may break."""
    us = sender_payoffs[eqs.point]  # (R, T, M, A)
    margin = eqs.sender_payoffs[:, :, None] - least(us, axis=3)
    if us.dtype == object:
        may = (margin > 0) | some(us != us, axis=3)
    else:
        spread = (us.max(axis=(1, 2, 3)) - us.min(axis=(1, 2, 3)))[:, None, None]
        scale = np.where(spread > 0, spread, 1.0)  # relative to the spread, whatever the payoffs' unit or offset
        ill = np.abs(us).max(axis=(1, 2, 3))[:, None, None] > 2.0 ** 30 * spread
        may = (margin > ZERO_FLOOR * scale) | some(np.isnan(us), axis=3) | ill  # (R, T, M)
    breaks: np.ndarray = some(some(may, axis=1) & ~eqs.on_path, axis=1)
    return breaks

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

from intelgame.speed.short_axes import least, some
from intelgame.errors import SolverError, Uncertain
from intelgame.games.signalling import SignallingGame, exact_number
from intelgame.geometry.faces import ZERO_FLOOR, Arithmetic, arithmetic_for
from intelgame.geometry.numbers import Number
from intelgame.solvers.pbe.belief_cells import BeliefCells
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
    payoffs."""
    if all(on_path):
        return True
    ar = cells.ar
    everyone = tuple(range(cells.n_t))
    u_star = [cells.sender_value(t, u) for t, u in enumerate(sender_payoffs)]
    for m, on in enumerate(on_path):
        if on or not _may_dominate(ar, u_star, [cells.us[t][m] for t in everyone]):
            continue
        replies = cells.best_replies(m, everyone)
        dominated = {t for t in everyone
                     if ar.is_positive(u_star[t] - max(cells.us[t][m][a] for a in replies))}
        rest = tuple(t for t in everyone if t not in dominated)
        if not dominated or not rest:
            continue
        restricted = cells.best_replies(m, rest)
        for t in rest:
            if ar.is_positive(min(cells.us[t][m][a] for a in restricted) - u_star[t]):
                return False
    return True


def _may_dominate(ar: Arithmetic, u_star: Sequence[Number], payoffs: Sequence[Sequence[Number]]) -> bool:
    """Whether some type may be equilibrium-dominated at an off-path message ``m`` with sender
    payoffs ``payoffs[t][a]``: :math:`u^*(t) > \\min_a u_S(t,m,a)` for some ``t`` (or a payoff is
    NaN). If not, :math:`J(m)` is empty whatever :math:`BR(\\Delta(T), m)` is (the maximum over
    it is at least that minimum), and ``m`` cannot break the equilibrium."""
    for u, row in zip(u_star, payoffs):
        if any(x != x for x in row) or ar.is_positive(u - min(row)):
            return True
    return False


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
            return [_survives(eq.on_path, eq.sender_payoffs, cells) for eq in equilibria]
        except Uncertain:  # the same equilibria in the same order, exactly
            return _exact_verdicts(result.game)
    cells = cells_for(result.game, exact=True)
    return [intuitive_criterion(eq, cells) for eq in equilibria]


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
    cells = cells_for(rational, exact=True)
    return [intuitive_criterion(eq, cells) for eq in exact]


def intuitive_column(eqs: EquilibriumTable, sender_payoffs: np.ndarray, game: Callable[[int], SignallingGame],
                     tolerance: float) -> np.ndarray:
    """:func:`intuitive_criteria` of every row of ``eqs`` (float path), with ``u_S`` of each
    point in ``sender_payoffs`` (N, T, M, A): a row :func:`may_break` does not flag survives;
    the others are decided by :func:`intuitive_criterion` on the belief cells of their point's
    game ``game(point)``. The tolerance is accepted for compatibility and ignored (float cells
    are filtered)."""
    doubtful = np.flatnonzero(may_break(eqs, sender_payoffs))
    out = np.ones(len(eqs), dtype=bool)
    cells: dict[int, BeliefCells] = {}
    exact: dict[int, list[bool]] = {}
    first = np.searchsorted(eqs.point, eqs.point)  # each row's point's first row (points non-decreasing)
    for r, point in zip(doubtful.tolist(), eqs.point[doubtful].tolist()):
        if point not in exact:
            try:
                if point not in cells:
                    cells[point] = cells_for(game(point), exact=False)
                if cells[point].ar.exact or _ill_scaled(cells[point].game):
                    raise Uncertain("float payoffs cannot be compared with these cells")
                out[r] = _survives(eqs.on_path[r].tolist(), eqs.sender_payoffs[r].tolist(), cells[point])
                continue
            except Uncertain:
                exact[point] = _exact_verdicts(game(point))
        out[r] = exact[point][r - int(first[r])]
    return out


def may_break(eqs: EquilibriumTable, sender_payoffs: np.ndarray) -> np.ndarray:
    """Whether some off-path message of each row passes :func:`_may_dominate` (``u_S`` of each
    point in ``sender_payoffs``, N x T x M x A): :math:`u^*(t) - \\min_a u_S(t,m,a)` exceeds a
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

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

from intelgame.games.signalling import SignallingGame
from intelgame.solvers._polytope import arithmetic_for
from intelgame.solvers.belief_cells import BeliefCells
from intelgame.solvers.pbe import PBE, PBEResult


def cells_for(game: SignallingGame, *, exact: bool, tolerance: float) -> BeliefCells:
    """The belief cells the refinements need, in the arithmetic of the solve."""
    return BeliefCells(game, arithmetic_for(exact=exact, tolerance=tolerance))


def intuitive_criterion(equilibrium: PBE, cells: BeliefCells) -> bool:
    """True when ``equilibrium`` survives the Intuitive Criterion (vacuously with no off-path
    message)."""
    if all(equilibrium.on_path):
        return True
    ar = cells.ar
    everyone = tuple(range(cells.n_t))
    u_star = [ar.number(u) for u in equilibrium.sender_payoffs]
    for m, on in enumerate(equilibrium.on_path):
        if on:
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


def intuitive_criteria(result: PBEResult) -> list[bool]:
    """:func:`intuitive_criterion` for every equilibrium of ``result``, in the arithmetic of the
    solve; the belief cells are built only if some equilibrium leaves a message off the path."""
    if all(all(eq.on_path) for eq in result):
        return [True] * len(result)
    cells = cells_for(result.game, exact=result.exact, tolerance=result.tolerance or 1e-9)
    return [intuitive_criterion(eq, cells) for eq in result]

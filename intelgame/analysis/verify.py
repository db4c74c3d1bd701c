"""Independent verification of equilibria, written apart from the solvers on purpose.

Nothing here imports solver code: a certificate is recomputed from the game's payoffs alone.

* Nash (2-player normal form): ``x`` and ``y`` are probability vectors and every pure strategy
  in a support earns the maximal payoff against the opponent,
  :math:`(Ay)_i = \\max_k (Ay)_k` for :math:`x_i > 0`, likewise for :math:`x^\\top B`.
* PBE (signalling game): (i) every type sends only messages that maximise
  :math:`\\sum_a \\rho(a|m) u_S(t,m,a)`; (ii) after every message the receiver plays only
  actions that maximise :math:`\\sum_t \\mu(t|m) u_R(t,m,a)`; (iii) on the path, beliefs
  follow Bayes' rule :math:`\\mu(t|m) = p(t)\\sigma(m|t) / \\sum_s p(s)\\sigma(m|s)`; (iv) off
  the path, beliefs are any probability vector (the one given must support the play).

Comparisons are exact on ``Fraction`` inputs; on floats they use the given absolute
``tolerance``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame


@dataclass(frozen=True)
class Certificate:
    """The verdict of a verification: ``ok`` and, when not, every violated condition."""

    ok: bool
    violations: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.ok


def _tol(values: Sequence[Any], tolerance: float) -> float | int:
    """0 (exact comparisons) when every value is rational, else ``tolerance``."""
    return 0 if all(isinstance(v, (int, Fraction)) for v in values) else tolerance


def _distribution(label: str, p: Sequence[Any], tol: float, out: list[str]) -> None:
    if any(v < -tol for v in p):
        out.append(f"{label}: negative probability {list(p)}")
    if abs(sum(p) - 1) > tol:
        out.append(f"{label}: probabilities sum to {sum(p)}, not 1")


def _support_optimal(label: str, probs: Sequence[Any], values: Sequence[Any], names: Sequence[str],
                     tol: float, out: list[str]) -> None:
    best = max(values)
    for name, p, v in zip(names, probs, values):
        if p > tol and v < best - tol:
            out.append(f"{label}: '{name}' has probability {p} but earns {v} < {best}")


def verify_nash(game: NormalFormGame, row: Sequence[Any], column: Sequence[Any], *,
                tolerance: float = 1e-9) -> Certificate:
    """Check that ``(row, column)`` is a Nash equilibrium of ``game``."""
    out: list[str] = []
    tol = _tol([*row, *column, *(x for r in game.row_payoffs for x in r),
                *(x for r in game.column_payoffs for x in r)], tolerance)
    _distribution("row strategy", row, tol, out)
    _distribution("column strategy", column, tol, out)
    n, k = game.shape
    row_values = [sum(game.row_payoffs[i][j] * column[j] for j in range(k)) for i in range(n)]
    col_values = [sum(game.column_payoffs[i][j] * row[i] for i in range(n)) for j in range(k)]
    _support_optimal(game.players[0], row, row_values, game.row_strategies, tol, out)
    _support_optimal(game.players[1], column, col_values, game.column_strategies, tol, out)
    return Certificate(not out, tuple(out))


def verify_pbe(game: SignallingGame, sender: Sequence[Sequence[Any]], receiver: Sequence[Sequence[Any]],
               beliefs: Sequence[Sequence[Any]], *, tolerance: float = 1e-9) -> Certificate:
    """Check that ``(sender[t][m], receiver[m][a], beliefs[m][t])`` is a PBE of ``game``."""
    out: list[str] = []
    T, M, A = range(len(game.types)), range(len(game.messages)), range(len(game.actions))
    flat = [x for g in (sender, receiver, beliefs) for row in g for x in row]
    flat += [x for arr in (game.sender_payoffs, game.receiver_payoffs) for r in arr for c in r for x in c]
    tol = _tol([*flat, *game.prior], tolerance)
    for t in T:
        _distribution(f"sender strategy of type '{game.types[t]}'", sender[t], tol, out)
    for m in M:
        _distribution(f"receiver strategy after '{game.messages[m]}'", receiver[m], tol, out)
        _distribution(f"belief after '{game.messages[m]}'", beliefs[m], tol, out)
    # (i) sender optimality
    for t in T:
        values = [sum(receiver[m][a] * game.sender_payoffs[t][m][a] for a in A) for m in M]
        _support_optimal(f"type '{game.types[t]}'", sender[t], values, game.messages, tol, out)
    for m in M:
        # (ii) receiver optimality at the stated belief
        values = [sum(beliefs[m][t] * game.receiver_payoffs[t][m][a] for t in T) for a in A]
        _support_optimal(f"receiver after '{game.messages[m]}'", receiver[m], values, game.actions, tol, out)
        # (iii) Bayes' rule on the path
        mass = sum(game.prior[t] * sender[t][m] for t in T)
        if mass > tol:
            for t in T:
                bayes = game.prior[t] * sender[t][m] / mass
                if abs(beliefs[m][t] - bayes) > max(tol, tol / mass):
                    out.append(f"belief P({game.types[t]} | {game.messages[m]}) = {beliefs[m][t]}, "
                               f"Bayes' rule gives {bayes}")
    return Certificate(not out, tuple(out))

"""The Harsanyi (ex-ante strategic) form of a signalling game.

A pure sender strategy is a map ``s: T -> M`` (``|M|^|T|`` of them), a pure receiver
strategy a map ``r: M -> A`` (``|A|^|M|``). The ex-ante payoffs are

.. math:: U_i(s, r) = \\sum_t p(t)\\, u_i(t, s(t), r(s(t))).

Every PBE's behaviour strategies, turned into mixed strategies by Kuhn's product measure, are a
Nash equilibrium of this bimatrix game (not conversely: Nash equilibria need not be
sequentially rational off the path).
"""

from __future__ import annotations

import itertools
from typing import Any, Sequence

from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame


def sender_pure_strategies(game: SignallingGame) -> list[tuple[int, ...]]:
    """All maps ``T -> M`` as tuples of message indices, one per type."""
    return list(itertools.product(range(len(game.messages)), repeat=len(game.types)))


def receiver_pure_strategies(game: SignallingGame) -> list[tuple[int, ...]]:
    """All maps ``M -> A`` as tuples of action indices, one per message."""
    return list(itertools.product(range(len(game.actions)), repeat=len(game.messages)))


def harsanyi_form(game: SignallingGame) -> NormalFormGame:
    """The ex-ante strategic form: rows are sender maps, columns receiver maps."""
    senders, receivers = sender_pure_strategies(game), receiver_pure_strategies(game)
    row: list[list[Any]] = []
    col: list[list[Any]] = []
    for s in senders:
        row.append([])
        col.append([])
        for r in receivers:
            row[-1].append(sum(game.prior[t] * game.sender_payoffs[t][m][r[m]] for t, m in enumerate(s)))
            col[-1].append(sum(game.prior[t] * game.receiver_payoffs[t][m][r[m]] for t, m in enumerate(s)))

    def name(seq: Sequence[int], labels: Sequence[str]) -> str:
        return ",".join(labels[i] for i in seq)

    return NormalFormGame(
        name=f"{game.name}-harsanyi", players=("sender", "receiver"),
        row_strategies=tuple(name(s, game.messages) for s in senders),
        column_strategies=tuple(name(r, game.actions) for r in receivers),
        row_payoffs=tuple(map(tuple, row)), column_payoffs=tuple(map(tuple, col)),
        description=f"Harsanyi strategic form of {game.name}",
    )


def behaviour_to_mixed(strategy: Sequence[Sequence[Any]]) -> list[Any]:
    """Kuhn's product measure: behaviour ``strategy[i][j]`` -> mixed over maps ``i -> j``."""
    choices = [range(len(row)) for row in strategy]
    out = []
    for pure in itertools.product(*choices):
        weight: Any = 1
        for i, j in enumerate(pure):
            weight = weight * strategy[i][j]
        out.append(weight)
    return out

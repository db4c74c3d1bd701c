"""Equilibria as tables: the analyses are written once over an
:class:`~intelgame.solvers.pbe.table.EquilibriumTable`, and read single equilibria and single
results through the tables built here.

Exact results become object arrays holding the numbers themselves, so that the analyses'
arithmetic on them is exact (and an empty sum the integer ``0``, as Python's ``sum``); float
results become float arrays, as the batched solver writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from intelgame.solvers.pbe.result import PBE, PBEResult
from intelgame.solvers.pbe.table import EquilibriumTable


def one_row(values: Sequence[Any] | Any) -> np.ndarray:
    """``values`` (a number, numbers, or rows of numbers) as a table of one row: an object
    array holding the numbers themselves."""
    return np.array([values], dtype=object)


def equilibrium_row(eq: PBE) -> EquilibriumTable:
    """``eq`` as a table of one row of its own numbers (object arrays)."""
    return EquilibriumTable(np.zeros(1, dtype=np.intp), one_row(eq.sender), one_row(eq.receiver), one_row(eq.beliefs),
                            np.array([eq.on_path], dtype=bool), one_row(eq.sender_payoffs),
                            one_row(eq.receiver_payoff), one_row(eq.sender_range), one_row(eq.receiver_range))


def result_table(result: PBEResult) -> tuple[EquilibriumTable, np.ndarray]:
    """The equilibria of ``result`` as a table of one point, and the sender's payoffs
    (``1 x T x M x A``): object arrays of exact numbers when the result is exact, floats
    otherwise."""
    game = result.game
    if not result.exact:
        return (EquilibriumTable.from_pbe([0] * len(result), result.equilibria, game.shape),
                np.array([game.sender_payoffs], dtype=float))
    rows = [equilibrium_row(eq) for eq in result]
    table = EquilibriumTable(*(np.concatenate([getattr(row, name) for row in rows])
                               for name in EquilibriumTable.__dataclass_fields__))
    return table, one_row(game.sender_payoffs)

"""Two-player games in strategic (normal) form.

Row player strategies ``S_1``, column player strategies ``S_2``; payoff matrices
``A[i, j] = u_1(s_i, s_j)`` and ``B[i, j] = u_2(s_i, s_j)`` (a bimatrix game). Entries are
``Fraction``/``int`` when exact, ``float`` otherwise. Games are immutable values.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from intelgame.errors import GameStructureError
from intelgame.games.html import cell_text, html_table
from intelgame.games.signalling import Scalar, exact_number



@dataclass(frozen=True)
class NormalFormGame:
    """An immutable 2-player strategic-form game.

    Examples
    --------
    >>> g = NormalFormGame(name="pd", players=("row", "column"),
    ...     row_strategies=("c", "d"), column_strategies=("c", "d"),
    ...     row_payoffs=((3, 0), (5, 1)), column_payoffs=((3, 5), (0, 1)))
    >>> g.shape
    (2, 2)
    """

    name: str
    players: tuple[str, str]
    row_strategies: tuple[str, ...]
    column_strategies: tuple[str, ...]
    row_payoffs: tuple[tuple[Scalar, ...], ...]
    column_payoffs: tuple[tuple[Scalar, ...], ...]
    description: str = ""

    def __post_init__(self) -> None:
        for attr in ("players", "row_strategies", "column_strategies"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        object.__setattr__(self, "row_payoffs", tuple(tuple(r) for r in self.row_payoffs))
        object.__setattr__(self, "column_payoffs", tuple(tuple(r) for r in self.column_payoffs))
        if len(self.players) != 2 or len(set(self.players)) != 2:
            raise GameStructureError("a normal-form game needs two distinct player names")
        for names in (self.row_strategies, self.column_strategies):
            if not names or len(set(names)) != len(names):
                raise GameStructureError(f"strategy names must be non-empty and distinct: {names}")
        n, k = self.shape
        for arr in (self.row_payoffs, self.column_payoffs):
            if len(arr) != n or any(len(r) != k for r in arr):
                raise GameStructureError(f"payoff matrices must have shape {self.shape}")

    @classmethod
    def from_payoffs(
        cls, *, name: str, players: Sequence[str], row_strategies: Sequence[str],
        column_strategies: Sequence[str], payoffs: dict[str, dict[str, tuple[Scalar, Scalar]]],
        description: str = "",
    ) -> "NormalFormGame":
        """Build from ``payoffs[row strategy][column strategy] = (u_row, u_column)``."""
        try:
            a = [[payoffs[r][c][0] for c in column_strategies] for r in row_strategies]
            b = [[payoffs[r][c][1] for c in column_strategies] for r in row_strategies]
        except (KeyError, IndexError, TypeError) as exc:
            raise GameStructureError(f"payoffs must give [row, column] for every cell: {exc}") from None
        return cls(name=name, players=(players[0], players[1]), row_strategies=tuple(row_strategies),
                   column_strategies=tuple(column_strategies), row_payoffs=tuple(map(tuple, a)),
                   column_payoffs=tuple(map(tuple, b)),
                   description=description)

    @property
    def shape(self) -> tuple[int, int]:
        """``(|S_1|, |S_2|)``."""
        return len(self.row_strategies), len(self.column_strategies)

    @property
    def is_rational(self) -> bool:
        """True when every payoff is an exact rational."""
        return all(isinstance(x, (int, Fraction)) for arr in (self.row_payoffs, self.column_payoffs)
                   for r in arr for x in r)

    def to_rational(self) -> NormalFormGame:
        """This game with every payoff exact (:func:`~intelgame.games.signalling.exact_number`:
        a float stands for its decimal ``repr``)."""
        if self.is_rational:
            return self

        def exact(rows: Sequence[Sequence[Any]]) -> tuple[tuple[Fraction, ...], ...]:
            return tuple(tuple(exact_number(x) for x in row) for row in rows)

        return dataclasses.replace(self, row_payoffs=exact(self.row_payoffs), column_payoffs=exact(self.column_payoffs))

    def _repr_html_(self) -> str:
        """The bimatrix: a row per row strategy, each cell ``u_row, u_column``."""
        rows = [[r, *(f"{cell_text(a)}, {cell_text(b)}" for a, b in zip(ra, rb))]
                for r, ra, rb in zip(self.row_strategies, self.row_payoffs, self.column_payoffs)]
        caption = f"{self.name}: {self.players[0]} (rows) vs {self.players[1]} (columns)"
        return html_table(["", *self.column_strategies], rows, caption=caption)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Float payoff matrices ``(A, B)``."""
        return np.array(self.row_payoffs, dtype=float), np.array(self.column_payoffs, dtype=float)

"""Every PBE of many games as one table of float arrays, with no Python object per equilibrium.

Row :math:`r` of an :class:`EquilibriumTable` is an equilibrium of the game at point
``point[r]``: its representative strategies :math:`\\sigma_r` (``T x M``) and :math:`\\rho_r`
(``M x A``), beliefs :math:`\\mu_r` (``M x T``), on-path messages, equilibrium payoffs and the
ranges ``(low, high)`` of each strategy entry over the face, as in
:class:`~intelgame.solvers.pbe.enumeration.PBE`. Rows are grouped by point in increasing order, and a
point's rows are in :func:`~intelgame.solvers.pbe.enumeration.pbe_solve`'s order. The batched solver
(:func:`~intelgame.solvers.pbe.batch.pbe_table_many`) writes the table straight from its
arrays; :meth:`EquilibriumTable.from_pbe` reads it from ``PBE`` objects (games solved one by
one), and :meth:`EquilibriumTable.to_pbe` gives them back (for the criteria of a sweep's rows).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np

from intelgame.speed.short_axes import every, some
from intelgame.solvers.pbe.result import PBE


@dataclass(frozen=True)
class EquilibriumTable:
    """Equilibria stacked as arrays: row ``r`` is one of the game at point ``point[r]``."""

    point: np.ndarray            # (R,) int, non-decreasing
    sender: np.ndarray           # (R, T, M)
    receiver: np.ndarray         # (R, M, A)
    beliefs: np.ndarray          # (R, M, T)
    on_path: np.ndarray          # (R, M) bool
    sender_payoffs: np.ndarray   # (R, T)
    receiver_payoff: np.ndarray  # (R,)
    sender_range: np.ndarray     # (R, T, M, 2): low, high
    receiver_range: np.ndarray   # (R, M, A, 2)

    def __len__(self) -> int:
        return len(self.point)

    @property
    def pure(self) -> np.ndarray:
        """:attr:`PBE.is_pure` of each row: every strategy entry is 0 or 1."""
        def zero_one(x: np.ndarray) -> np.ndarray:
            return every((x == 0) | (x == 1), axis=tuple(range(1, x.ndim)))
        return np.asarray(zero_one(self.sender) & zero_one(self.receiver))

    @property
    def continuum(self) -> np.ndarray:
        """:attr:`PBE.is_continuum` of each row: some range has two ends."""
        def wide(x: np.ndarray) -> np.ndarray:
            return some(x[..., 0] != x[..., 1], axis=tuple(range(1, x.ndim - 1)))
        return np.asarray(wide(self.sender_range) | wide(self.receiver_range))

    def support_profiles(self) -> list[tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...], tuple[bool, ...]]]:
        """Each row's support profile ``(sender_support, receiver_support, on_path)``, as
        :class:`~intelgame.solvers.pbe.result.PBE` holds it: the entries whose range has a
        positive upper end. A support entry is positive on the whole open face (so at its
        upper end too); every other entry is exactly 0, as the solvers scatter the face's
        coordinates into zeros."""
        sender = (self.sender_range[..., 1] > 0).tolist()
        receiver = (self.receiver_range[..., 1] > 0).tolist()
        return [(tuple(tuple(m for m, s in enumerate(row) if s) for row in rows_s),
                 tuple(tuple(a for a, r in enumerate(row) if r) for row in rows_r), tuple(on))
                for rows_s, rows_r, on in zip(sender, receiver, self.on_path.tolist())]

    def to_pbe(self) -> tuple[PBE, ...]:
        """The rows as float :class:`~intelgame.solvers.pbe.result.PBE` with their
        :meth:`support_profiles` (the inverse of :meth:`from_pbe`); the off-path belief sets,
        which the table does not hold, are unknown (``None``)."""
        def nested(values: Any) -> Any:
            return tuple(nested(x) for x in values) if isinstance(values, list) else values
        fields = [nested(getattr(self, name).tolist()) for name in
                  ("sender", "receiver", "beliefs", "on_path", "sender_range", "receiver_range", "sender_payoffs")]
        unknown = (None,) * self.on_path.shape[1]
        return tuple(PBE(sender, receiver, beliefs, on_path, unknown, sender_range, receiver_range, payoffs, payoff,
                         *profile[:2])
                     for sender, receiver, beliefs, on_path, sender_range, receiver_range, payoffs, payoff, profile
                     in zip(*fields, self.receiver_payoff.tolist(), self.support_profiles()))

    def counts(self, points: int) -> np.ndarray:
        """The number of rows of each of ``points`` points."""
        return np.bincount(self.point, minlength=points)

    @classmethod
    def from_pbe(cls, points: Sequence[int], equilibria: Sequence[PBE], shape: tuple[int, int, int]) -> EquilibriumTable:
        """The arrays of ``equilibria`` (float entries) of games of ``shape`` ``(T, M, A)``, the
        ``r``-th at point ``points[r]`` (non-decreasing). Read flat (``numpy.fromiter``: nested
        tuples convert several times slower)."""
        count = len(equilibria)
        n_t, n_m, n_a = shape

        def flat(field: Callable[[PBE], Sequence[Any]], *dims: int) -> np.ndarray:
            values: Iterable[Any] = map(field, equilibria)
            for _ in dims:
                values = chain.from_iterable(values)
            return np.fromiter(values, dtype=float, count=count * math.prod(dims)).reshape((count, *dims))

        return cls(np.asarray(points, dtype=np.intp).reshape(count), flat(attrgetter("sender"), n_t, n_m),
                   flat(attrgetter("receiver"), n_m, n_a), flat(attrgetter("beliefs"), n_m, n_t),
                   flat(attrgetter("on_path"), n_m).astype(bool), flat(attrgetter("sender_payoffs"), n_t),
                   np.fromiter((e.receiver_payoff for e in equilibria), dtype=float, count=count),
                   flat(attrgetter("sender_range"), n_t, n_m, 2), flat(attrgetter("receiver_range"), n_m, n_a, 2))

    def take(self, rows: np.ndarray) -> EquilibriumTable:
        """The table of ``rows`` (indices, increasing)."""
        return type(self)(*(getattr(self, name)[rows] for name in _FIELDS))

    @classmethod
    def merge(cls, tables: Sequence[EquilibriumTable]) -> EquilibriumTable:
        """The rows of ``tables`` (of disjoint points) in one table, grouped by point (each
        point's rows in their order)."""
        if len(tables) == 1:
            return tables[0]
        parts = [np.concatenate([getattr(t, name) for t in tables]) for name in _FIELDS]
        order = np.argsort(parts[0], kind="stable")
        return cls(*(part[order] for part in parts))


_FIELDS = ("point", "sender", "receiver", "beliefs", "on_path", "sender_payoffs", "receiver_payoff",
           "sender_range", "receiver_range")

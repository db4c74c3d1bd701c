"""The linear systems of a support profile, defined once for every path.

A support profile's PBE conditions (:mod:`intelgame.solvers.pbe.enumeration`) are linear
systems whose coefficients are differences of payoffs, some times a type's prior:

* the *belief cell* of actions ``B`` after ``m`` on types ``K`` (variables :math:`\\mu(t)`,
  :math:`t \\in K`): :math:`\\sum_t \\mu(t) = 1` and
  :math:`\\sum_t \\mu(t)[u_R(t,m,a) - u_R(t,m,a_0)] \\;\\{= 0 \\ (a \\in B \\setminus a_0);\\ \\le 0\\ (a \\notin B)\\}`;
* the :math:`\\sigma`-*system* (variables :math:`\\sigma(m|t)`, :math:`m \\in S_t`, type-major):
  each type's row sums to one, and after each on-path message the cell's rows over its
  positive-prior senders, the column of :math:`\\sigma(m|t)` weighted by :math:`p(t)`;
* the :math:`\\rho`-*system* (variables :math:`\\rho(a|m)`, :math:`a \\in B_m`, message-major):
  each message's row sums to one, and for each type with :math:`m_0 \\in S_t`,
  :math:`U_S(t,m,\\rho) - U_S(t,m_0,\\rho) \\;\\{= 0\\ (m \\in S_t);\\ \\le 0\\ (m \\notin S_t)\\}`;
* the *pair system* of two messages (the :math:`\\rho`-system's rows between them alone, a
  necessary condition the enumeration prunes with).

A :class:`Layout` is such a system's *structure*: which columns sum to one, and each row's
coefficients as signed payoff entries (terms :math:`\\pm u[f]`, ``f`` the flat index of
:math:`(t, m, a)`), with an optional weight per column. It depends on the shape and the profile
only, so it is built once and cached. It is then *emitted* in the two forms the solvers use:

* :meth:`Layout.system`: one game's :class:`~intelgame.geometry.faces.LinearSystem` in any
  arithmetic (fractions, filtered floats, symbolic field elements);
* :meth:`Layout.affine`: matrices mapping a batch of games' payoffs to their stacked systems
  (two matrix products per batch, :class:`AffineSystems`).

Reference: Fudenberg and Tirole (1991), *Game Theory*, ch. 8 (the PBE conditions).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Sequence

import numpy as np

from intelgame.geometry.faces import LinearSystem
from intelgame.geometry.numbers import Number

Shape = tuple[int, int, int]
Support = tuple[int, ...]
#: One column's coefficient: the terms ``(f, sign)``, the coefficient being ``sum sign * u[f]``.
Terms = tuple[tuple[int, int], ...]
#: A row: each column's terms.
Row = tuple[Terms, ...]

#: How many layouts of each kind stay cached (a layout is a few hundred bytes; the shapes the
#: enumeration serves have at most some ten thousand profiles of each kind).
_CACHE = 1 << 15


@dataclass(frozen=True)
class Layout:
    """A system ``{x >= 0 : ones(block) . x = 1, E(u) x = 0, U(u) x <= 0}`` whose coefficient
    of column ``c`` in a row is ``weight[c] * sum(sign * u[f] for f, sign in row[c])``, with
    ``weight[c]`` the weight of ``column_types[c]`` (no weight when ``weighted`` is False)."""

    shape: Shape
    blocks: tuple[tuple[int, ...], ...]
    equalities: tuple[Row, ...]
    inequalities: tuple[Row, ...]
    column_types: tuple[int, ...]
    weighted: bool

    @property
    def n(self) -> int:
        """The number of variables."""
        return len(self.column_types)

    def rows(self, u: Sequence[Number], zero: Number,
             weight: Sequence[Number] | None = None) -> tuple[list[tuple[Number, ...]], list[tuple[Number, ...]]]:
        """The equality and inequality rows (without the blocks) for one game's flat payoffs
        ``u``, in the arithmetic of ``u`` (``weight`` by type, when the layout is weighted)."""
        columns = self.column_types if self.weighted and weight is not None else None
        return ([_row(r, u, zero, weight, columns) for r in self.equalities],
                [_row(r, u, zero, weight, columns) for r in self.inequalities])

    def system(self, u: Sequence[Number], zero: Number, one: Number,
               weight: Sequence[Number] | None = None) -> LinearSystem:
        """One game's system (see :meth:`rows`), the blocks' rows first."""
        eqs, ubs = self.rows(u, zero, weight)
        ones = [tuple(one if c in block else zero for c in range(self.n)) for block in self.blocks]
        return LinearSystem(self.n, tuple(ones + eqs), tuple([one] * len(ones) + [zero] * len(eqs)),
                            tuple(ubs), tuple(zero for _ in ubs))

    @cached_property
    def affine(self) -> AffineSystems:
        """The same systems as matrices over a batch's payoffs (built once per layout)."""
        n = self.n
        ones = np.zeros((len(self.blocks), n))
        for r, block in enumerate(self.blocks):
            ones[r, list(block)] = 1.0
        # each term of each coefficient: (feature f, coefficient row * n + column, its place
        # among the coefficient's terms, sign)
        entries = [np.array([(f, r * n + c, slot, sign) for r, row in enumerate(rows) for c, terms in enumerate(row)
                             for slot, (f, sign) in enumerate(terms)], dtype=np.intp).reshape(-1, 4)
                   for rows in (self.equalities, self.inequalities)]
        rhs = np.zeros(len(self.blocks) + len(self.equalities))
        rhs[:len(self.blocks)] = 1.0
        return AffineSystems(ones, np.asarray(self.column_types, dtype=np.intp), rhs, self.weighted,
                             (entries[0], entries[1]), (len(self.equalities), len(self.inequalities)))


def _row(row: Row, u: Sequence[Number], zero: Number, weight: Sequence[Number] | None,
         columns: tuple[int, ...] | None) -> tuple[Number, ...]:
    """One row's coefficients: ``zero + sign * u[f] + ...`` per column, times its weight."""
    values = []
    for c, terms in enumerate(row):
        if not terms:
            values.append(zero)
            continue
        x = zero
        for f, sign in terms:
            x = x + u[f] if sign > 0 else x - u[f]
        values.append(x if columns is None or weight is None else weight[columns[c]] * x)
    return tuple(values)


@dataclass(frozen=True)
class AffineSystems:
    """A :class:`Layout` as an affine map of payoffs: a batch's systems ``(eq, eq_rhs, ub,
    ub_rhs)`` are ``ones`` over the equalities' and inequalities' coefficients, each the sum of
    its terms (``entries``) on the games' flat payoffs ``u`` (one row per game), columns times
    the weight of their type when ``weighted``."""

    ones: np.ndarray  # (k, n): the blocks
    column_types: np.ndarray  # (n,)
    rhs: np.ndarray  # (k + e,)
    weighted: bool
    #: the equalities' and inequalities' terms, (E, 4) each: feature, coefficient (row * n +
    #: column), the term's place among its coefficient's, sign
    entries: tuple[np.ndarray, np.ndarray]
    rows: tuple[int, int]  # e and u

    def apply(self, u: np.ndarray, weight: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """The systems of the games ``u`` (G, F), columns times ``weight[:, column_types]``
        ((G, T) weights by type) if the layout is weighted (:func:`apply_stacked` of this one)."""
        return apply_stacked([self], [len(u)], u, weight)

    def _assembled(self, eq_rows: np.ndarray, ub_rows: np.ndarray, columns: np.ndarray | None) -> tuple[np.ndarray, ...]:
        """The systems ``(eq, eq_rhs, ub, ub_rhs)`` of the products ``eq_rows`` (G, e * n) and
        ``ub_rows`` (G, u * n), columns times ``columns`` (G, n) if given."""
        games, (k, n) = len(eq_rows), self.ones.shape
        eq = np.empty((games, len(self.rhs), n))
        eq[:, :k] = self.ones
        eq[:, k:] = eq_rows.reshape(games, -1, n)
        ub = ub_rows.reshape(games, -1, n)
        if columns is not None:
            eq[:, k:] *= columns[:, None, :]
            ub *= columns[:, None, :]
        eq += 0.0  # -0.0 (a sum of zero terms) to 0.0, so that equal systems are equal bit for bit
        ub += 0.0
        return eq, np.broadcast_to(self.rhs, (games, len(self.rhs))), ub, np.zeros((games, ub.shape[1]))


def apply_stacked(systems: Sequence[AffineSystems], counts: Sequence[int], u: np.ndarray,
                  weight: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """``systems[j]``'s systems of the next ``counts[j]`` games of ``u`` (G, F), stacked, for
    systems of one form (the same blocks, right-hand sides, numbers of rows and weighting), in a
    few array operations whatever the number of systems. Each coefficient is the sum of its
    terms ``u[f] * s`` in their order (``s`` a small integer sign, 0 for a missing term): every
    layout's coefficient is a payoff or a difference of two, so the products are exact and the
    float does not depend on the order of the sum."""
    first = systems[0]
    which = np.repeat(np.arange(len(systems)), counts)
    rows = np.arange(len(u))[:, None]
    products = []
    for part in (0, 1):
        entries = [system.entries[part] for system in systems]
        table = np.concatenate(entries)
        slots = int(table[:, 2].max()) + 1 if len(table) else 1
        size = first.rows[part] * first.ones.shape[1]
        index, factor = np.zeros((len(systems), size, slots), dtype=np.intp), np.zeros((len(systems), size, slots))
        place = (np.repeat(np.arange(len(systems)), [len(e) for e in entries]), table[:, 1], table[:, 2])
        index[place], factor[place] = table[:, 0], table[:, 3]
        index, factor = index[which], factor[which]  # (G, K, slots)
        product = u[rows, index[..., 0]] * factor[..., 0]
        for slot in range(1, slots):
            product = product + u[rows, index[..., slot]] * factor[..., slot]
        products.append(product)
    columns = None
    if first.weighted and weight is not None:
        columns = weight[rows, np.stack([system.column_types for system in systems])[which]]
    return first._assembled(products[0], products[1], columns)


def feature(shape: Shape, t: int, m: int, a: int) -> int:
    """The index of ``u[t][m][a]`` in a flat payoff array."""
    return (t * shape[1] + m) * shape[2] + a


def _differences(shape: Shape, m: int, columns: Sequence[tuple[int, int]], actions: Support,
                 n: int) -> tuple[list[Row], list[Row]]:
    """The cell rows after ``m`` on the ``(column, type)`` pairs ``columns`` (distinct columns):
    ``u(t,m,a) - u(t,m,a0)`` for ``a`` in ``actions[1:]`` (equalities) and not in ``actions``
    (inequalities)."""
    def row(a: int) -> Row:
        cells: list[Terms] = [()] * n
        for c, t in columns:
            cells[c] = ((feature(shape, t, m, a), 1), (feature(shape, t, m, actions[0]), -1))
        return tuple(cells)
    return [row(a) for a in actions[1:]], [row(a) for a in range(shape[2]) if a not in actions]


@lru_cache(maxsize=_CACHE)
def cell_layout(shape: Shape, m: int, support: Support, actions: Support) -> Layout:
    """The belief cell of ``actions`` after ``m`` on the types ``support`` (payoffs ``u_R``)."""
    n = len(support)
    eqs, ubs = _differences(shape, m, list(enumerate(support)), actions, n)
    return Layout(shape, (tuple(range(n)),), tuple(eqs), tuple(ubs), support, False)


@lru_cache(maxsize=_CACHE)
def sender_layout(shape: Shape, supports: tuple[Support, ...], replies: tuple[tuple[int, Support], ...],
                  types: Support, positive: tuple[bool, ...]) -> Layout:
    """The sigma-system over ``types`` (payoffs ``u_R``, weights the prior): ``replies`` are the
    on-path messages' ``(m, B_m)``, in row order; only positive-prior types send."""
    index = [(t, m) for t in types for m in supports[t]]
    n = len(index)
    blocks = tuple(tuple(k for k, (s, _) in enumerate(index) if s == t) for t in types)
    eq_rows: list[Row] = []
    ub_rows: list[Row] = []
    for m, actions in replies:
        senders = [(index.index((t, m)), t) for t in types if positive[t] and m in supports[t]]
        eqs, ubs = _differences(shape, m, senders, actions, n)
        eq_rows += eqs
        ub_rows += ubs
    return Layout(shape, blocks, tuple(eq_rows), tuple(ub_rows), tuple(t for t, _ in index), True)


def _gain(shape: Shape, index: Sequence[tuple[int, int]], t: int, m: int, m0: int) -> Row:
    """The coefficients of :math:`U_S(t,m,\\rho) - U_S(t,m_0,\\rho)` over the ``(m, a)`` columns
    (``m != m0``: one term per column of either message)."""
    row: list[Terms] = [()] * len(index)
    for k, (n, a) in enumerate(index):
        if n == m:
            row[k] = ((feature(shape, t, n, a), 1),)
        elif n == m0:
            row[k] = ((feature(shape, t, n, a), -1),)
    return tuple(row)


@lru_cache(maxsize=_CACHE)
def receiver_layout(shape: Shape, supports: tuple[Support, ...], replies: tuple[Support, ...]) -> Layout:
    """The rho-system (payoffs ``u_S``): every type's indifference among the messages it sends
    and weak preference for them over the others, against its first message."""
    index = [(m, a) for m in range(shape[1]) for a in replies[m]]
    blocks = tuple(tuple(k for k, (n, _) in enumerate(index) if n == m) for m in range(shape[1]))
    eq_rows: list[Row] = []
    ub_rows: list[Row] = []
    for t in range(shape[0]):
        m0 = supports[t][0]
        eq_rows += [_gain(shape, index, t, m, m0) for m in supports[t][1:]]
        ub_rows += [_gain(shape, index, t, m, m0) for m in range(shape[1]) if m not in supports[t]]
    return Layout(shape, blocks, tuple(eq_rows), tuple(ub_rows), (0,) * len(index), False)


@lru_cache(maxsize=_CACHE)
def pair_layout(shape: Shape, m1: int, option1: tuple[Support, Support], m2: int,
                option2: tuple[Support, Support], positive: tuple[bool, ...]) -> Layout:
    """The rho-system's rows between two messages alone (payoffs ``u_S``): with ``(K_i, B_i)``
    their senders and replies, a positive-prior type in ``K_1`` and ``K_2`` is indifferent
    between them, one in ``K_1`` only weakly prefers ``m1`` (and symmetrically); the variables
    are ``rho(.|m1)``, ``rho(.|m2)``."""
    (k1, b1), (k2, b2) = option1, option2
    index = [(m1, a) for a in b1] + [(m2, a) for a in b2]
    blocks = (tuple(range(len(b1))), tuple(range(len(b1), len(index))))
    eq_rows: list[Row] = []
    ub_rows: list[Row] = []
    for t in range(shape[0]):
        if not positive[t]:
            continue
        if t in k1 and t in k2:
            eq_rows.append(_gain(shape, index, t, m2, m1))
        elif t in k1:
            ub_rows.append(_gain(shape, index, t, m2, m1))
        elif t in k2:
            ub_rows.append(_gain(shape, index, t, m1, m2))
    return Layout(shape, blocks, tuple(eq_rows), tuple(ub_rows), (0,) * len(index), False)


def flat(table: Sequence[Sequence[Sequence[Any]]]) -> list[Any]:
    """A ``[t][m][a]`` payoff table as a flat list, ``(t, m, a)``-major (see :func:`feature`)."""
    return [x for r in table for c in r for x in c]

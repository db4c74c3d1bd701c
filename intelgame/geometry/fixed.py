"""The coordinates that equalities fix, substituted out of a polytope before its lexicographic
linear programmes (:func:`~intelgame.geometry.simplex.linprog_many`).

An equality with one free coordinate fixes it, :math:`x_j = (b - \\sum_{k\\ \\text{fixed}} a_k
x_k) / a_j`, repeatedly (a presolve step of every LP code; e.g. Andersen and Andersen 1995,
"Presolving in linear programming", singleton rows). A negative fixed value, or a row left
without free coordinates that the fixed values violate, shows the polytope empty. The
programmes then run over the free coordinates, whose lexicographic order is that of all of them
(the fixed ones are constant on the polytope), so their lexicographic optima are the same
points: phase 1 is shorter (each equality is an artificial variable to drive out) and the
tableaux smaller. Every sign is decided against the tolerance, as in the simplex kernels.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from intelgame.geometry.numbers import Number


@dataclass(frozen=True)
class Reduced:
    """A polytope over its ``free`` coordinates, the ``fixed`` ones (``(j, x_j)`` in the order
    found) substituted out of the rows."""

    n: int
    free: list[int]
    fixed: list[tuple[int, Number]]
    eq_rows: list[list[Number]]
    eq_rhs: list[Number]
    ub_rows: list[list[Number]]
    ub_rhs: list[Number]

    def costs(self, costs: Sequence[Sequence[Number]]) -> list[list[Number]]:
        """The costs over the free coordinates (the fixed part of ``cost . x`` is constant)."""
        return [[c[j] for j in self.free] for c in costs]

    def answers(self, costs: Sequence[Sequence[Number]], found: Sequence[tuple[Number, tuple[Number, ...]]],
                zero: Number) -> list[tuple[Number, tuple[Number, ...]]]:
        """The answers ``found`` over the free coordinates (``(value, point)`` per cost) with the
        fixed coordinates put back: their terms added to the values, their values to the points."""
        whole: dict[int, tuple[Number, ...]] = {}  # by the free point's id: costs share points
        out = []
        for cost, (value, point) in zip(costs, found):
            x = whole.get(id(point))
            if x is None:
                full: list[Number] = [zero] * self.n
                for k, v in self.fixed:
                    full[k] = v
                for j, v in zip(self.free, point):
                    full[j] = v
                x = whole[id(point)] = tuple(full)
            for k, v in self.fixed:
                if cost[k]:
                    value = value + cost[k] * v
            out.append((value, x))
        return out


def fixes_a_coordinate(eq_rows: Sequence[Sequence[Number]]) -> bool:
    """Whether an equality fixes a coordinate alone (a row with one non-zero entry)."""
    return any(sum(1 for v in row if v) == 1 for row in eq_rows)


def substitute_fixed(n: int, eq_rows: Sequence[Sequence[Number]], eq_rhs: Sequence[Number],
                     ub_rows: Sequence[Sequence[Number]], ub_rhs: Sequence[Number], tolerance: Number,
                     rational: bool) -> Reduced | None:
    """``{x >= 0 : eq_rows x = eq_rhs, ub_rows x <= ub_rhs}`` with its fixed coordinates
    substituted out (see the module docstring), or ``None`` when that shows it empty;
    ``rational``: the entries are ``Fraction``/``int`` (the fixed values are fractions)."""
    supports = [[j for j, a in enumerate(row) if a] for row in eq_rows]
    fixed: dict[int, Number] = {}
    pending = list(range(len(eq_rows)))
    found = True
    while found:
        found = False
        for i in pending:
            free = [j for j in supports[i] if j not in fixed]
            if len(free) == 1:
                j, row = free[0], eq_rows[i]
                rest = eq_rhs[i] - sum(row[k] * fixed[k] for k in supports[i] if k != j)
                value = (Fraction(rest) if rational else rest) / row[j]
                if value < -tolerance:
                    return None
                fixed[j] = value
                pending.remove(i)
                found = True
                break
    columns = [j for j in range(n) if j not in fixed]
    terms = list(fixed.items())
    rows: tuple[list[list[Number]], list[list[Number]]] = ([], [])
    rhs: tuple[list[Number], list[Number]] = ([], [])
    for kind, (all_rows, all_rhs) in enumerate(((eq_rows, eq_rhs), (ub_rows, ub_rhs))):
        for i in pending if kind == 0 else range(len(all_rows)):
            row = all_rows[i]
            rest = all_rhs[i]
            for k, v in terms:
                if row[k]:
                    rest -= row[k] * v
            line = [row[j] for j in columns]
            if any(line):
                rows[kind].append(line)
                rhs[kind].append(rest)
            elif (abs(rest) > tolerance) if kind == 0 else (rest < -tolerance):
                return None
    return Reduced(n, columns, terms, rows[0], rhs[0], rows[1], rhs[1])

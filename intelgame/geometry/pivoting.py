"""The pivoting kernels of :mod:`intelgame.geometry.simplex`: one tableau, two representations.

* **field** (floats with a :class:`~intelgame.geometry.faces.FilterBand` tolerance, or any
  field): Gauss-Jordan pivots, the pivot row divided by the pivot (:func:`pivot`, :func:`run`);
* **integer** (exact, tolerance 0): fraction-free pivots on an integer tableau ``T`` with one
  common denominator ``d``, the true tableau being ``T / d`` (Edmonds 1967; Bareiss 1968):
  ``T[i][j] <- (T[i][j] T[r][c] - T[i][c] T[r][j]) / d``, exact by Sylvester's identity
  (:func:`pivot_int`, :func:`run_int`).

Both iterate with Bland's rule (Bland 1977): the first improving column enters, the row of
least ratio leaves, ties to the least basic index; so both make the same pivots. They are kept
as two loops, not one loop over an abstract tableau, because these loops are the solvers'
innermost code and a method call per entry would cost more than the rest of the iteration.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Sequence
from intelgame.geometry.numbers import Number


#: When True the exact kernel checks that every fraction-free division is exact (tests set it).
CHECK_EXACT_DIVISION = False


# -- float (field) kernel ---------------------------------------------------------------------

def pivot(tableau: list[list[Number]], basis: list[int], row: int, col: int) -> None:
    """Gauss-Jordan pivot on ``tableau[row][col]`` (the last row is the objective)."""
    pivot_row = tableau[row]
    p = pivot_row[col]
    if p != 1:
        tableau[row] = pivot_row = [v / p for v in pivot_row]
    # Only the pivot row's non-zero entries change a row (the tableaux are mostly zeros): each
    # changed entry is ``a - f * b`` as in the dense update, so every value is the same float
    # (an entry ``a`` where ``b == 0`` is kept, where the dense update could flip the sign of
    # a zero; no sign decision reads it).
    nonzero = [(j, b) for j, b in enumerate(pivot_row) if b]
    for r, line in enumerate(tableau):
        if r != row:
            f = line[col]
            if f:
                line = line[:]  # rows are replaced, never mutated: callers keep shallow copies
                for j, b in nonzero:
                    line[j] -= f * b
                tableau[r] = line
    basis[row] = col


def run(tableau: list[list[Number]], basis: list[int], allowed: int | Sequence[int], tol: Number,
         stop_column: int = -1) -> bool:
    """Simplex iterations with Bland's rule over columns ``< allowed`` (or the increasing
    column indices ``allowed``); False if unbounded.

    With ``stop_column >= 0``, also stops (returning True) as soon as that column is basic
    with a value ``> tol``, or the objective value reaches ``0`` (within ``tol``) when
    ``stop_column == -2`` (phase 1: a feasible basis has been found).
    """
    objective = tableau[-1]
    rows = range(len(tableau) - 1)
    columns = range(allowed) if isinstance(allowed, int) else allowed
    while True:
        if stop_column == -2 and objective[-1] >= -tol:
            return True
        entering = -1
        for j in columns:
            # ``x and``: an exact zero is decided at C speed (False in both arithmetics), not
            # by a call to the float path's FilterBand; most tableau entries are zeros
            if objective[j] and objective[j] < -tol:
                entering = j
                break
        if entering < 0:
            return True
        best = None
        leaving = -1
        for i in rows:
            a = tableau[i][entering]
            if a and a > tol:
                ratio = tableau[i][-1] / a
                if best is None or ratio < best or (ratio == best and basis[i] < basis[leaving]):
                    best, leaving = ratio, i
        if best is None:
            return False
        pivot(tableau, basis, leaving, entering)
        objective = tableau[-1]
        if stop_column >= 0 and stop_column in basis and tableau[basis.index(stop_column)][-1] > tol:
            return True


# -- exact (fraction-free integer) kernel -------------------------------------------------------

def pivot_int(tableau: list[list[int]], basis: list[int], row: int, col: int, d: int) -> int:
    """Integer-preserving pivot on ``tableau[row][col]``; returns the new denominator ``> 0``."""
    pivot_row = tableau[row]
    p = pivot_row[col]
    for r, line in enumerate(tableau):
        if r != row:
            f = line[col]
            if f:
                if CHECK_EXACT_DIVISION:
                    _check_division([a * p - f * b for a, b in zip(line, pivot_row)], d)
                tableau[r] = [(a * p - f * b) // d for a, b in zip(line, pivot_row)]
            elif p != d:
                if CHECK_EXACT_DIVISION:
                    _check_division([a * p for a in line], d)
                tableau[r] = [a * p // d for a in line]
    basis[row] = col
    if p < 0:  # keep the common denominator positive: negate every row (T / d is unchanged)
        for r, line in enumerate(tableau):
            tableau[r] = [-a for a in line]
        p = -p
    return p


def _check_division(values: list[int], d: int) -> None:
    if any(v % d for v in values):
        raise AssertionError("fraction-free pivot: inexact division")


def run_int(tableau: list[list[int]], basis: list[int], allowed: int | Sequence[int], d: int,
             stop_column: int = -1) -> tuple[bool, int]:
    """:func:`run` on the integer tableau ``tableau / d``: ``(bounded, new d)``."""
    rows = range(len(tableau) - 1)
    columns = range(allowed) if isinstance(allowed, int) else allowed
    while True:
        objective = tableau[-1]
        if stop_column == -2 and objective[-1] >= 0:
            return True, d
        entering = -1
        for j in columns:
            if objective[j] < 0:
                entering = j
                break
        if entering < 0:
            return True, d
        leaving = -1
        best_num = best_den = 0
        for i in rows:
            line = tableau[i]
            a = line[entering]
            if a > 0:
                b = line[-1]
                if leaving < 0:
                    best_num, best_den, leaving = b, a, i
                else:
                    lhs, rhs = b * best_den, best_num * a  # ratio b/a versus best_num/best_den
                    if lhs < rhs or (lhs == rhs and basis[i] < basis[leaving]):
                        best_num, best_den, leaving = b, a, i
        if leaving < 0:
            return False, d
        d = pivot_int(tableau, basis, leaving, entering, d)
        if stop_column >= 0 and stop_column in basis and tableau[basis.index(stop_column)][-1] > 0:
            return True, d


def is_rational(values: Sequence[Number]) -> bool:
    return all(type(v) is int or type(v) is Fraction for v in values)


def integer_row(row: Sequence[Number]) -> tuple[list[int], int]:
    """``(row * s, s)`` with ``s >= 1`` the least positive integer making the row integral."""
    s = 1
    for v in row:
        if type(v) is not int:
            q = v.denominator
            if q != 1:
                s = lcm(s, q)
    if s == 1:
        return [int(v) for v in row], 1
    return [v * s if type(v) is int else v.numerator * (s // v.denominator) for v in row], s

"""The pivoting kernels of :mod:`intelgame.geometry.simplex`: one tableau, two representations.

* **field** (floats with a :class:`~intelgame.geometry.faces.FilterBand` tolerance, or any
  field): Gauss-Jordan pivots, the pivot row divided by the pivot (:func:`pivot`, :func:`run`);
* **integer** (exact, tolerance 0): fraction-free pivots on an integer tableau ``T`` with one
  common denominator ``d``, the true tableau being ``T / d`` (Edmonds 1967; Bareiss 1968):
  ``T[i][j] <- (T[i][j] T[r][c] - T[i][c] T[r][j]) / d``, exact by Sylvester's identity
  (:func:`pivot_int`, :func:`run_int`).

Both iterate with Bland's rule (Bland 1977): the first improving column enters, the row of
least ratio leaves, ties to the least basic index; so both make the same pivots. On request
(``dantzig``) the entering column is instead the most improving one (Dantzig's rule), until
:data:`STALLS` degenerate pivots in a row, after which Bland's rule runs to the end (so the run
cannot cycle); the float kernel breaks ties of reduced costs within the filter band towards the
lower column, so the kernels' pivots differ only where rounding decides such a tie. They are kept
as two loops, not one loop over an abstract tableau, because these loops are the solvers'
innermost code and a method call per entry would cost more than the rest of the iteration.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Sequence
from intelgame.errors import Uncertain
from intelgame.geometry.numbers import Number


#: When True the exact kernel checks that every fraction-free division is exact (tests set it).
CHECK_EXACT_DIVISION = False
#: How many degenerate pivots in a row (the leaving row's value zero) a ``dantzig`` run makes
#: before it turns to Bland's rule for good.
STALLS = 2


# -- float (field) kernel ---------------------------------------------------------------------

def pivot(tableau: list[list[Number]], basis: list[int], row: int, col: int, first: int = 0) -> None:
    """Gauss-Jordan pivot on ``tableau[row][col]`` (the last row is the objective); the rows
    before ``first`` are taken as already pivoted (see :class:`Replay`)."""
    pivot_row = tableau[row]
    p = pivot_row[col]
    if p != 1:
        tableau[row] = pivot_row = [v / p for v in pivot_row]
    # Only the pivot row's non-zero entries change a row (the tableaux are mostly zeros): each
    # changed entry is ``a - f * b`` as in the dense update, so every value is the same float
    # (an entry ``a`` where ``b == 0`` is kept, where the dense update could flip the sign of
    # a zero; no sign decision reads it).
    nonzero = [(j, b) for j, b in enumerate(pivot_row) if b]
    for r in range(first, len(tableau)):
        line = tableau[r]
        f = line[col]
        if f and r != row:
            line = line[:]  # rows are replaced, never mutated: callers keep shallow copies
            for j, b in nonzero:
                line[j] -= f * b
            tableau[r] = line
    basis[row] = col


class Replay:
    """The body rows (all but the objective) after each sequence of pivots from one start, for
    runs that share the start and differ in the objective (the phase-2 runs of
    :func:`~intelgame.geometry.simplex.linprog_many` without ``lexicographic``; the
    lexicographic runs start from different bases): the body after a pivot depends only on
    the body before it and on the pivot's position, so a sequence met before is read back and
    only the objective row is pivoted (the same floats as pivoting it all again).
    :meth:`restart` before each run from the start."""

    __slots__ = ("_after", "_path")

    def __init__(self) -> None:
        self._after: dict[tuple[tuple[int, int], ...], list[list[Number]]] = {}
        self._path: tuple[tuple[int, int], ...] = ()

    def restart(self) -> None:
        self._path = ()

    def pivot(self, tableau: list[list[Number]], basis: list[int], row: int, col: int) -> None:
        """:func:`pivot`, reading the body back when this sequence of pivots was made before."""
        self._path = path = (*self._path, (row, col))
        body = self._after.get(path)
        if body is None:
            pivot(tableau, basis, row, col)
            self._after[path] = tableau[:-1]
        else:
            tableau[:-1] = body
            pivot(tableau, basis, row, col, first=len(body))


def band_edges(tol: Number) -> tuple[Number, Number]:
    """``(floor, band)`` of a tolerance, read by the hot loops below in place of comparisons
    with ``tol`` itself: a :class:`~intelgame.geometry.faces.FilterBand` takes ``|x| <= floor``
    as an exact zero, keeps the float sign of ``|x| > band`` and raises
    :class:`~intelgame.errors.Uncertain` in between; a number ``t`` is ``(t, t)``, no band
    (``x > t`` as written)."""
    return getattr(tol, "floor", tol), getattr(tol, "band", tol)


def run(tableau: list[list[Number]], basis: list[int], allowed: int | Sequence[int], tol: Number,
         stop_column: int = -1, replay: Replay | None = None, dantzig: bool = False) -> bool:
    """Simplex iterations with Bland's rule over columns ``< allowed`` (or the increasing
    column indices ``allowed``); False if unbounded. With ``dantzig``, Dantzig's rule first
    (see the module docstring): the most negative reduced cost ``< -tol`` enters, values
    within the band of the best counting as ties (the optimality test, when none is below
    ``-tol``, is Bland's scan, which raises on uncertain values).

    With ``stop_column >= 0``, also stops (returning True) as soon as that column is basic
    with a value ``> tol``, or the objective value reaches ``0`` (within ``tol``) when
    ``stop_column == -2`` (phase 1: a feasible basis has been found). With ``replay``, pivots
    go through it (:class:`Replay`).

    Every comparison with ``tol`` is the :class:`~intelgame.geometry.faces.FilterBand`'s test
    written out on the edges of :func:`band_edges` (a value in the band raises wherever the
    band would be asked about it, and only there): a method call per tableau entry would cost
    more than the rest of the loop.
    """
    floor, band = band_edges(tol)
    nfloor, nband = -floor, -band
    rows = range(len(tableau) - 1)
    columns = range(allowed) if isinstance(allowed, int) else allowed
    stalls = 0
    while True:
        objective = tableau[-1]
        if stop_column == -2:  # objective[-1] >= -tol
            v = objective[-1]
            if nband <= v <= band and (v > floor or v < nfloor):
                raise Uncertain(v)
            if v >= nfloor:
                return True
        entering = -1
        if dantzig:
            least = nband
            for j in columns:  # the least objective[j] < -tol, ties within the band to the first
                v = objective[j]
                if v < least:
                    entering, least = j, v - band
        if entering < 0:
            for j in columns:  # objective[j] < -tol
                v = objective[j]
                if v < nband:
                    entering = j
                    break
                if v <= band and (v > floor or v < nfloor):
                    raise Uncertain(v)
        if entering < 0:
            return True
        best = None
        leaving = -1
        for i in rows:  # tableau[i][entering] > tol
            line = tableau[i]
            a = line[entering]
            if a > band:
                ratio = line[-1] / a
                if best is None or ratio < best or (ratio == best and basis[i] < basis[leaving]):
                    best, leaving = ratio, i
            elif a >= nband and (a > floor or a < nfloor):
                raise Uncertain(a)
        if best is None:
            return False
        if dantzig:  # a degenerate pivot: the leaving value is zero (or uncertain)
            stalls = stalls + 1 if nband <= tableau[leaving][-1] <= band else 0
            dantzig = stalls < STALLS
        if replay is None:
            pivot(tableau, basis, leaving, entering)
        else:
            replay.pivot(tableau, basis, leaving, entering)
        if stop_column >= 0 and stop_column in basis:  # its value > tol
            v = tableau[basis.index(stop_column)][-1]
            if nband <= v <= band and (v > floor or v < nfloor):
                raise Uncertain(v)
            if v > floor:
                return True


def zeros(row: Sequence[Number], columns: Sequence[int], tol: Number) -> list[int]:
    """The columns ``j`` of ``columns`` where ``row[j]`` is zero (``-tol <= row[j] <= tol``, the
    band's test written out as in :func:`run`)."""
    floor, band = band_edges(tol)
    nfloor, nband = -floor, -band
    found = []
    for j in columns:
        v = row[j]
        if nfloor <= v <= floor:
            found.append(j)
        elif nband <= v <= band:
            raise Uncertain(v)
    return found


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
             stop_column: int = -1, dantzig: bool = False) -> tuple[bool, int]:
    """:func:`run` on the integer tableau ``tableau / d``: ``(bounded, new d)`` (the entries
    share the denominator ``d > 0``, so Dantzig's rule compares them as they are)."""
    rows = range(len(tableau) - 1)
    columns = range(allowed) if isinstance(allowed, int) else allowed
    stalls = 0
    while True:
        objective = tableau[-1]
        if stop_column == -2 and objective[-1] >= 0:
            return True, d
        entering = -1
        least = 0
        for j in columns:
            if objective[j] < least:
                entering, least = j, objective[j]
                if not dantzig:
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
        if dantzig:
            stalls = stalls + 1 if tableau[leaving][-1] == 0 else 0
            dantzig = stalls < STALLS
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

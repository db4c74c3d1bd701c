"""A two-phase simplex method (Bland's rule) and Gauss-Jordan elimination, generic over the
number type: exact over ``fractions.Fraction`` (tolerance 0), or over ``float`` with one
explicit tolerance. The float and exact paths of every solver thus run one algorithm.

Solves :math:`\\min c^\\top x` s.t. :math:`A_{eq}x = b_{eq},\\ A_{ub}x \\le b_{ub},\\ x \\ge 0`.
Why our own: the exact LP solvers on PyPI either need system libraries (cddlib/GMP
for pycddlib), ship a float build only (pycddlib-standalone), or are unreliable:
``sympy.solvers.simplex.linprog`` (sympy 1.14) returns points that violate its own equality
constraints on small degenerate problems (see tests/test_simplex.py). The problems here are tiny
(tens of rows), so a dense tableau is the simple, fast choice: on them it is about 30 times
faster than calling HiGHS through ``scipy.optimize.linprog``, whose per-call set-up dominates.

Algorithm (Chvatal 1983, *Linear Programming*, ch. 2-3; Bland 1977 for the anti-cycling rule):
slacks turn inequalities into equalities; rows are negated so that :math:`b \\ge 0`; phase 1
minimises the sum of one artificial variable per row; a positive optimum proves infeasibility;
artificials left in the basis at zero are pivoted out (or their redundant row dropped); phase 2
minimises the cost from that basis.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from intelgame.errors import SolverError

Number = Any  # Fraction (exact) or float


def _pivot(tableau: list[list[Number]], basis: list[int], row: int, col: int) -> None:
    """Gauss-Jordan pivot on ``tableau[row][col]`` (the last row is the objective)."""
    pivot_row = tableau[row]
    p = pivot_row[col]
    if p != 1:
        tableau[row] = pivot_row = [v / p for v in pivot_row]
    for r, line in enumerate(tableau):
        if r != row:
            f = line[col]
            if f:
                tableau[r] = [a - f * b for a, b in zip(line, pivot_row)]
    basis[row] = col


def _run(tableau: list[list[Number]], basis: list[int], allowed: int, tol: Number) -> bool:
    """Simplex iterations with Bland's rule over columns ``< allowed``; False if unbounded."""
    while True:
        objective = tableau[-1]
        entering = next((j for j in range(allowed) if objective[j] < -tol), None)
        if entering is None:
            return True
        best: tuple[Number, int] | None = None
        leaving = -1
        for i in range(len(tableau) - 1):
            a = tableau[i][entering]
            if a > tol:
                ratio = tableau[i][-1] / a
                if best is None or ratio < best[0] or (ratio == best[0] and basis[i] < basis[leaving]):
                    best, leaving = (ratio, i), i
        if best is None:
            return False
        _pivot(tableau, basis, leaving, entering)


def linprog(
    cost: Sequence[Number],
    eq_rows: Sequence[Sequence[Number]] = (),
    eq_rhs: Sequence[Number] = (),
    ub_rows: Sequence[Sequence[Number]] = (),
    ub_rhs: Sequence[Number] = (),
    *,
    tolerance: Number = 0,
) -> tuple[Number, tuple[Number, ...]] | None:
    """Minimise ``cost . x`` over ``{x >= 0 : eq_rows x = eq_rhs, ub_rows x <= ub_rhs}``.

    Entries are all ``Fraction`` (use ``tolerance=0``: exact) or all ``float`` (a positive
    ``tolerance`` decides signs). Returns ``(optimal value, optimal x)``, or ``None`` when
    infeasible. Raises :class:`SolverError` when unbounded.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> linprog([F(-1), F(-1)], ub_rows=[[F(1), F(2)], [F(3), F(1)]], ub_rhs=[F(4), F(6)])
    (Fraction(-14, 5), (Fraction(8, 5), Fraction(6, 5)))
    """
    n = len(cost)
    n_ub = len(ub_rows)
    zero = cost[0] * 0 if n else 0
    one = zero + 1
    rows: list[list[Number]] = []
    rhs: list[Number] = []
    for k, (row, b) in enumerate(zip(ub_rows, ub_rhs)):
        rows.append(list(row) + [one if j == k else zero for j in range(n_ub)])
        rhs.append(b)
    for row, b in zip(eq_rows, eq_rhs):
        rows.append(list(row) + [zero] * n_ub)
        rhs.append(b)
    for i, b in enumerate(rhs):
        if b < 0:
            rows[i] = [-v for v in rows[i]]
            rhs[i] = -b
    m, width = len(rows), n + n_ub
    # phase 1: artificials in columns width..width+m-1, objective = sum of artificials
    tableau = [rows[i] + [one if j == i else zero for j in range(m)] + [rhs[i]] for i in range(m)]
    objective = [-sum((tableau[i][j] for i in range(m)), zero) for j in range(width)]
    objective += [zero] * m + [-sum(rhs, zero)]
    tableau.append(objective)
    basis = [width + i for i in range(m)]
    _run(tableau, basis, width, tolerance)
    if tableau[-1][-1] < -tolerance:
        return None
    for i in reversed(range(m)):  # drive artificials out of the basis
        if basis[i] >= width:
            col = max(range(width), key=lambda j: abs(tableau[i][j]), default=None)
            if col is None or abs(tableau[i][col]) <= tolerance:  # redundant row
                del tableau[i], basis[i]
            else:
                _pivot(tableau, basis, i, col)
    # phase 2
    body = [line[:width] + [line[-1]] for line in tableau[:-1]]
    objective = list(cost) + [zero] * n_ub + [zero]
    for i, j in enumerate(basis):
        f = objective[j]
        if f:
            objective = [a - f * b for a, b in zip(objective, body[i])]
    tableau = body + [objective]
    if not _run(tableau, basis, width, tolerance):
        raise SolverError("LP is unbounded")
    x = [zero] * width
    for i, j in enumerate(basis):
        x[j] = tableau[i][-1]
    return -tableau[-1][-1], tuple(x[:n])


def solve_unique(rows: Sequence[Sequence[Number]], rhs: Sequence[Number], n: int, *,
                 tolerance: Number = 0) -> tuple[bool, tuple[Number, ...] | None]:
    """Gauss-Jordan elimination (partial pivoting) of ``rows x = rhs`` in ``n`` unknowns.

    Returns ``(full_rank, x)``: whether the coefficient matrix has rank ``n`` and, if so and
    the system is consistent, its unique solution (``None`` when inconsistent).
    """
    a = [list(r) + [b] for r, b in zip(rows, rhs)]
    pivot_row, pivots = 0, []
    for col in range(n):
        best = max(range(pivot_row, len(a)), key=lambda r: abs(a[r][col]), default=None)
        if best is None or abs(a[best][col]) <= tolerance:
            continue
        a[pivot_row], a[best] = a[best], a[pivot_row]
        p = a[pivot_row][col]
        a[pivot_row] = [v / p for v in a[pivot_row]]
        for r in range(len(a)):
            if r != pivot_row and a[r][col]:
                f = a[r][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[pivot_row])]
        pivots.append(col)
        pivot_row += 1
    if len(pivots) < n:
        return False, None
    if any(abs(a[r][n]) > tolerance for r in range(pivot_row, len(a))):
        return True, None
    return True, tuple(a[i][n] for i in range(n))

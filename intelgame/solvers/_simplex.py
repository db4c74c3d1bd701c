"""An exact two-phase simplex method over ``fractions.Fraction`` (Bland's rule).

Solves :math:`\\min c^\\top x` s.t. :math:`A_{eq}x = b_{eq},\\ A_{ub}x \\le b_{ub},\\ x \\ge 0`
exactly. Why our own: the exact LP solvers on PyPI either need system libraries (cddlib/GMP
for pycddlib), ship a float build only (pycddlib-standalone), or are unreliable:
``sympy.solvers.simplex.linprog`` (sympy 1.14) returns points that violate its own equality
constraints on small degenerate problems (see tests/test_simplex.py). The problems here are tiny
(tens of rows), so a dense tableau is the simple, fast choice.

Algorithm (Chvatal 1983, *Linear Programming*, ch. 2-3; Bland 1977 for the anti-cycling rule):
slacks turn inequalities into equalities; rows are negated so that :math:`b \\ge 0`; phase 1
minimises the sum of one artificial variable per row; a positive optimum proves infeasibility;
artificials left in the basis at zero are pivoted out (or their redundant row dropped); phase 2
minimises the cost from that basis.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from intelgame.errors import SolverError


def _pivot(tableau: list[list[Fraction]], basis: list[int], row: int, col: int) -> None:
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


def _run(tableau: list[list[Fraction]], basis: list[int], allowed: int) -> bool:
    """Simplex iterations with Bland's rule over columns ``< allowed``; False if unbounded."""
    objective = tableau[-1]
    while True:
        objective = tableau[-1]
        entering = next((j for j in range(allowed) if objective[j] < 0), None)
        if entering is None:
            return True
        best: tuple[Fraction, int] | None = None
        leaving = -1
        for i in range(len(tableau) - 1):
            a = tableau[i][entering]
            if a > 0:
                ratio = tableau[i][-1] / a
                if best is None or ratio < best[0] or (ratio == best[0] and basis[i] < basis[leaving]):
                    best, leaving = (ratio, i), i
        if best is None:
            return False
        _pivot(tableau, basis, leaving, entering)


def exact_linprog(
    cost: Sequence[Fraction],
    eq_rows: Sequence[Sequence[Fraction]] = (),
    eq_rhs: Sequence[Fraction] = (),
    ub_rows: Sequence[Sequence[Fraction]] = (),
    ub_rhs: Sequence[Fraction] = (),
) -> tuple[Fraction, tuple[Fraction, ...]] | None:
    """Minimise ``cost . x`` over ``{x >= 0 : eq_rows x = eq_rhs, ub_rows x <= ub_rhs}``.

    Returns ``(optimal value, optimal x)``, or ``None`` when infeasible. Raises
    :class:`SolverError` when unbounded.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> exact_linprog([F(-1), F(-1)], ub_rows=[[F(1), F(2)], [F(3), F(1)]], ub_rhs=[F(4), F(6)])
    (Fraction(-14, 5), (Fraction(8, 5), Fraction(6, 5)))
    """
    n = len(cost)
    n_ub = len(ub_rows)
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for k, (row, b) in enumerate(zip(ub_rows, ub_rhs)):
        rows.append([Fraction(v) for v in row] + [Fraction(int(j == k)) for j in range(n_ub)])
        rhs.append(Fraction(b))
    for row, b in zip(eq_rows, eq_rhs):
        rows.append([Fraction(v) for v in row] + [Fraction(0)] * n_ub)
        rhs.append(Fraction(b))
    for i, b in enumerate(rhs):
        if b < 0:
            rows[i] = [-v for v in rows[i]]
            rhs[i] = -b
    m, width = len(rows), n + n_ub
    # phase 1: artificials in columns width..width+m-1, objective = sum of artificials
    tableau = [rows[i] + [Fraction(int(j == i)) for j in range(m)] + [rhs[i]] for i in range(m)]
    objective = [-sum((tableau[i][j] for i in range(m)), Fraction(0)) for j in range(width)]
    objective += [Fraction(0)] * m + [-sum(rhs, Fraction(0))]
    tableau.append(objective)
    basis = [width + i for i in range(m)]
    _run(tableau, basis, width)
    if tableau[-1][-1] != 0:
        return None
    for i in reversed(range(m)):  # drive artificials out of the basis
        if basis[i] >= width:
            col = next((j for j in range(width) if tableau[i][j] != 0), None)
            if col is None:  # redundant row
                del tableau[i], basis[i]
            else:
                _pivot(tableau, basis, i, col)
    # phase 2
    body = [line[:width] + [line[-1]] for line in tableau[:-1]]
    objective = [Fraction(c) for c in cost] + [Fraction(0)] * n_ub + [Fraction(0)]
    for i, j in enumerate(basis):
        f = objective[j]
        if f:
            objective = [a - f * b for a, b in zip(objective, body[i])]
    tableau = body + [objective]
    if not _run(tableau, basis, width):
        raise SolverError("exact LP is unbounded")
    x = [Fraction(0)] * width
    for i, j in enumerate(basis):
        x[j] = tableau[i][-1]
    return -tableau[-1][-1], tuple(x[:n])

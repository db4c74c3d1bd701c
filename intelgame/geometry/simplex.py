"""A two-phase simplex method (Bland's rule) and Gauss-Jordan elimination, generic over the
number type: exact over the rationals (tolerance 0), or over ``float`` with the filtered
tolerance :class:`~intelgame.geometry.faces.FilterBand` (every sign decided against it is
certain or raises ``Uncertain``). The float and exact paths of every solver thus run one
algorithm.

Solves :math:`\\min c^\\top x` s.t. :math:`A_{eq}x = b_{eq},\\ A_{ub}x \\le b_{ub},\\ x \\ge 0`.
Why our own: the exact LP solvers on PyPI either need system libraries (cddlib/GMP
for pycddlib), ship a float build only (pycddlib-standalone), or are unreliable:
``sympy.solvers.simplex.linprog`` (sympy 1.14) returns points that violate its own equality
constraints on small degenerate problems (see tests/test_simplex.py). The problems here are tiny
(tens of rows), so a dense tableau in plain lists is the simple, fast choice: on them it is far
faster than calling HiGHS through ``scipy.optimize.linprog`` (whose per-call set-up dominates)
and than a numpy tableau (whose per-call overhead dominates below about 30 rows).

Algorithm (Chvatal 1983, *Linear Programming*, ch. 2-3; Bland 1977 for the anti-cycling rule):
slacks turn inequalities into equalities; rows are negated so that :math:`b \\ge 0`; phase 1
minimises the sum of one artificial variable per row (never an entering column, and dropped
after phase 1, so their columns are not stored: each tableau entry is computed from its own
column only, and the others come out the same); a positive optimum proves infeasibility;
artificials left in the basis at zero are pivoted out (or their redundant row dropped); phase 2
minimises the cost from that basis.

The tableau has two representations, a field one for floats and a fraction-free integer one
for exact problems, with the same pivots (:mod:`intelgame.geometry.pivoting`). Row scaling for
the integer tableau does not change the pivots: the phase-1 objective weighs each artificial
by ``1/scale`` (so it is a positive multiple of the unscaled one), ratios are per row, and the
rows where an artificial is basic are positive multiples of the unscaled ones.

:func:`linprog` optimises; :func:`feasible_point` only decides (strict) feasibility, on a
smaller tableau and with early exits (see its docstring).
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from operator import mul
from typing import Any, Sequence

from intelgame.errors import SolverError
from intelgame.geometry.pivoting import Replay, integer_row, is_rational, pivot, pivot_int, run, run_int, zeros
from intelgame.geometry.numbers import Number



# -- the optimiser --------------------------------------------------------------------------

def _standard_rows(n: int, eq_rows: Sequence[Sequence[Number]], eq_rhs: Sequence[Number],
                   ub_rows: Sequence[Sequence[Number]], ub_rhs: Sequence[Number],
                   zero: Number, one: Number) -> list[list[Number]]:
    """``[A | slacks | b]`` rows (inequalities first), negated where ``b < 0``."""
    n_ub = len(ub_rows)
    rows: list[list[Number]] = []
    for k, (row, b) in enumerate(zip(ub_rows, ub_rhs)):
        line = list(row) + [zero] * n_ub
        line[n + k] = one
        line.append(b)
        rows.append(line)
    for row, b in zip(eq_rows, eq_rhs):
        rows.append(list(row) + [zero] * n_ub + [b])
    for i, line in enumerate(rows):
        if line[-1] < 0:
            rows[i] = [-v for v in line]
    return rows


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

    Entries are all rational (``Fraction``/``int``; use ``tolerance=0``: exact, by the
    fraction-free kernel) or all ``float`` (a positive ``tolerance`` decides signs). Returns
    ``(optimal value, optimal x)``, or ``None`` when infeasible. Raises :class:`SolverError`
    when unbounded. Both kernels make the same pivots.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> linprog([F(-1), F(-1)], ub_rows=[[F(1), F(2)], [F(3), F(1)]], ub_rhs=[F(4), F(6)])
    (Fraction(-14, 5), (Fraction(8, 5), Fraction(6, 5)))
    """
    return linprog_many([cost], eq_rows, eq_rhs, ub_rows, ub_rhs, tolerance=tolerance)[0]


def linprog_many(
    costs: Sequence[Sequence[Number]],
    eq_rows: Sequence[Sequence[Number]] = (),
    eq_rhs: Sequence[Number] = (),
    ub_rows: Sequence[Sequence[Number]] = (),
    ub_rhs: Sequence[Number] = (),
    *,
    tolerance: Number = 0,
    lexicographic: bool = False,
) -> list[tuple[Number, tuple[Number, ...]] | None]:
    """:func:`linprog` for each cost vector over one polytope (all of the same length): phase 1
    depends on the constraints only, so it runs once and each phase 2 starts from a copy of
    its final tableau. The answers are exactly those of separate :func:`linprog` calls.

    With ``lexicographic``, each optimal point is the lexicographically least one of the
    optimal face (least ``x_0``, then least ``x_1``, ...), a canonical vertex that does not
    depend on the pivots: after the cost's optimum, ``x_0, x_1, ...`` are minimised in turn,
    entering only columns whose reduced costs in every earlier objective are zero (a pivot on
    such a column leaves the earlier objective rows unchanged, so their optima are kept);
    the search stops once every such column is basic (the optimum is then unique). The
    lexicographically least point ``L`` of the whole polytope is found first;
    a cost whose optimum ``L`` attains (``cost . L`` equal to the optimal value) has ``L`` as its
    answer, as the least point of the polytope is the least of any face containing it; when that
    is known beforehand (:func:`_attained`), no linear programme is run for the cost."""
    n = len(costs[0])
    rational = tolerance == 0 and all(is_rational(c) for c in costs) \
        and all(is_rational(r) for r in (*eq_rows, *ub_rows)) and is_rational(eq_rhs) and is_rational(ub_rhs)
    if rational:
        start = _phase1_exact(n, eq_rows, eq_rhs, ub_rows, ub_rhs, slack_start=lexicographic)
        if start is None:
            return [None] * len(costs)
        return _optima(costs, lambda cost, least: _phase2_exact(cost, n, *start, lexicographic=lexicographic,
                                                                least=least), lexicographic, 0, _fixed(eq_rows))
    zero = costs[0][0] * 0 if n else 0
    start_float = _phase1(n, eq_rows, eq_rhs, ub_rows, ub_rhs, zero, tolerance, slack_start=lexicographic)
    if start_float is None:
        return [None] * len(costs)
    replay = Replay()  # the phase-2 runs share phase 1's tableau, and often their first pivots
    return _optima(costs, lambda cost, least: _phase2(cost, n, *start_float, zero, tolerance, lexicographic=lexicographic,
                                                      least=least, replay=replay), lexicographic, zero,
                   _fixed(eq_rows))


#: Whether :func:`_optima` skips the linear programmes whose answer :func:`_attained` knows
#: (tests switch it off to compare: the answers are the same).
SKIP_ATTAINED = True


def _optima(costs: Sequence[Sequence[Number]], phase2: Any, lexicographic: bool,
            zero: Number, fixed: frozenset[int] = frozenset()) -> list[tuple[Number, tuple[Number, ...]] | None]:
    """``phase2(cost, least)`` for each cost; with ``lexicographic``, first the polytope's least
    point ``L`` (see :func:`linprog_many`): the answer for the cost ``x_0`` if there is one (the
    least point of ``argmin x_0`` is ``L``), else for the zero cost; then ``(cost . L, L)`` for
    each cost that :func:`_attained` shows ``L`` to minimise (``fixed``: coordinates constant
    on the polytope), without its linear programme."""
    if not lexicographic:
        return [phase2(cost, None) for cost in costs]
    first = next((k for k, c in enumerate(costs) if len(c) and c[0] == 1 and not any(c[1:])), -1)
    least = phase2(costs[first] if first >= 0 else [zero] * len(costs[0]), None)
    point = least[1]

    def optimum(cost: Sequence[Number]) -> tuple[Number, tuple[Number, ...]]:
        if SKIP_ATTAINED and _attained(cost, point, fixed):
            return sum((c * v for c, v in zip(cost, point) if c), zero), point
        answer: tuple[Number, tuple[Number, ...]] = phase2(cost, point)
        return answer

    return [least if k == first else optimum(cost) for k, cost in enumerate(costs)]


def _fixed(eq_rows: Sequence[Sequence[Number]]) -> frozenset[int]:
    """The coordinates that an equality fixes alone (a row with one non-zero entry):
    constant on the polytope."""
    fixed = set()
    for row in eq_rows:
        nonzero = [j for j, v in enumerate(row) if v]
        if len(nonzero) == 1:
            fixed.add(nonzero[0])
    return frozenset(fixed)


def _attained(cost: Sequence[Number], least: Sequence[Number], fixed: frozenset[int]) -> bool:
    """Whether the polytope's least point ``L`` is known to minimise ``cost`` without a linear
    programme, in two cases: ``cost`` is zero outside the ``fixed`` coordinates (``cost . x``
    is constant on the polytope), or ``cost >= 0`` and ``cost . L = 0`` exactly (``cost . x
    >= 0`` on ``x >= 0``). Then ``L`` is the answer the programme gives too: the least point of
    the polytope is the least of the optimal face that contains it."""
    if all(j in fixed for j, c in enumerate(cost) if c):
        return True
    return all(c >= 0 for c in cost) and not any(c * v for c, v in zip(cost, least) if c)


def _slack_rows(ub_rhs: Sequence[Number], slack_start: bool) -> list[bool]:
    """Which rows of :func:`_standard_rows` start with their slack in the basis: with
    ``slack_start``, the inequalities whose right-hand side is ``>= 0`` (not negated, so their
    slack column is the unit vector of the row and ``slack = b`` is feasible); the other rows
    get an artificial variable, and phase 1 stops at the first feasible basis (as
    :func:`feasible_point` does). Without it, every row gets one and phase 1 runs to its optimum
    (the textbook start)."""
    return [slack_start and not b < 0 for b in ub_rhs]


def _phase1(n: int, eq_rows: Sequence[Sequence[Number]], eq_rhs: Sequence[Number],
            ub_rows: Sequence[Sequence[Number]], ub_rhs: Sequence[Number], zero: Number,
            tolerance: Number, *, slack_start: bool = False) -> tuple[list[list[Number]], list[int], int] | None:
    """Phase 1 of :func:`linprog` (float kernel): ``(body, basis, width)`` or ``None``;
    ``slack_start``: see :func:`_slack_rows` (the pivots differ, the polytope does not)."""
    n_ub = len(ub_rows)
    one = zero + 1
    rows = _standard_rows(n, eq_rows, eq_rhs, ub_rows, ub_rhs, zero, one)
    m, width = len(rows), n + n_ub
    slack = _slack_rows(ub_rhs, slack_start) + [False] * (m - n_ub)
    # phase 1: one artificial per other row (column width + i, not stored), objective = their sum
    tableau = rows
    artificial = [i for i in range(m) if not slack[i]]
    columns = zip(*(tableau[i] for i in artificial)) if artificial else [()] * (width + 1)
    objective = [-sum(column, zero) for column in columns]  # the last one: the right-hand side
    tableau.append(objective)
    basis = [n + i if slack[i] else width + i for i in range(m)]
    run(tableau, basis, width, tolerance, stop_column=-2 if slack_start else -1)
    if tableau[-1][-1] < -tolerance:
        return None
    for i in reversed(range(m)):  # drive artificials out of the basis
        if basis[i] >= width:
            line = tableau[i]
            col = max(range(width), key=lambda j: abs(line[j]), default=None)
            if col is None or abs(line[col]) <= tolerance:  # redundant row
                del tableau[i], basis[i]
            else:
                pivot(tableau, basis, i, col)
    return tableau[:-1], basis, width


def _reduced(objective: list[Number], body: list[list[Number]], basis: list[int]) -> list[Number]:
    """The objective row ``[c | -c.x]`` made zero on the basic columns (float kernel)."""
    for i, j in enumerate(basis):
        f = objective[j]
        if f:
            objective = [a - f * b for a, b in zip(objective, body[i])]
    return objective


def _phase2(cost: Sequence[Number], n: int, body: list[list[Number]], basis: list[int], width: int,
            zero: Number, tolerance: Number, *, lexicographic: bool = False,
            least: tuple[Number, ...] | None = None, replay: Replay | None = None) -> tuple[Number, tuple[Number, ...]]:
    """Phase 2 of :func:`linprog` (float kernel) from a copy of phase 1's tableau, pivoting
    through ``replay`` (shared by the runs from that tableau); with ``lexicographic``, ``least``
    is the polytope's least point if known (see :func:`linprog_many`)."""
    replay = replay or Replay()
    replay.restart()
    basis = list(basis)
    tableau = body + [_reduced(list(cost) + [zero] * (width - n) + [zero], body, basis)]
    # pivot replaces rows, never mutates them: a shallow copy
    if not run(tableau, basis, width, tolerance, replay=replay):
        raise SolverError("LP is unbounded")
    value = -tableau[-1][-1]
    if lexicographic and least is not None and abs(sum(c * v for c, v in zip(cost, least)) - value) <= tolerance:
        return value, least
    if lexicographic:
        ties = zeros(tableau[-1], range(width), tolerance)
        for k in range(n):
            if len(ties) <= len(basis) and set(ties).issubset(basis):
                break
            unit = [zero] * (width + 1)
            unit[k] = zero + 1
            tableau[-1] = _reduced(unit, tableau[:-1], basis)
            run(tableau, basis, ties, tolerance, replay=replay)  # bounded: x_k >= 0
            ties = zeros(tableau[-1], ties, tolerance)
    x = [zero] * width
    for i, j in enumerate(basis):
        x[j] = tableau[i][-1]
    return value, tuple(x[:n])


def _phase1_exact(n: int, eq_rows: Sequence[Sequence[Number]], eq_rhs: Sequence[Number],
                  ub_rows: Sequence[Sequence[Number]], ub_rhs: Sequence[Number], *,
                  slack_start: bool = False) -> tuple[list[list[int]], list[int], int, int] | None:
    """Phase 1 of :func:`linprog` by the fraction-free kernel (the same pivots):
    ``(body, basis, width, d)`` or ``None``. A row starting with its slack basic keeps the
    slack's coefficient 1 after scaling (a rescaled slack, as in :func:`feasible_point`)."""
    n_ub = len(ub_rows)
    rows = _standard_rows(n, eq_rows, eq_rhs, ub_rows, ub_rhs, 0, 1)
    m, width = len(rows), n + n_ub
    slack = _slack_rows(ub_rhs, slack_start) + [False] * (m - n_ub)
    tableau: list[list[int]] = []
    scales = []
    for i, line in enumerate(rows):  # artificials not stored
        ints, s = integer_row(line)
        if slack[i]:
            ints[n + i] = 1
        tableau.append(ints)
        scales.append(s)
    artificial = [i for i in range(m) if not slack[i]]
    big = lcm(*(scales[i] for i in artificial)) if artificial else 1
    weights = [(i, big // scales[i]) for i in artificial]  # the artificial of row i costs 1 / s_i, times big
    objective = [-sum(w * tableau[i][j] for i, w in weights) for j in range(width)]
    objective.append(-sum(w * tableau[i][-1] for i, w in weights))
    tableau.append(objective)
    basis = [n + i if slack[i] else width + i for i in range(m)]
    _, d = run_int(tableau, basis, width, 1, stop_column=-2 if slack_start else -1)
    if tableau[-1][-1] < 0:
        return None
    for i in reversed(range(m)):  # drive artificials out of the basis
        if basis[i] >= width:
            line = tableau[i]
            col = max(range(width), key=lambda j: abs(line[j]), default=None)
            if col is None or line[col] == 0:  # redundant row
                del tableau[i], basis[i]
            else:
                d = pivot_int(tableau, basis, i, col, d)
    return tableau[:-1], basis, width, d


def _reduced_int(objective: list[int], body: list[list[int]], basis: list[int], d: int) -> list[int]:
    """:func:`_reduced` on the integer tableau ``body / d`` (``objective`` already times ``d``)."""
    for i, j in enumerate(basis):
        f = objective[j]
        if f:
            f //= d  # exact: a basic column is d e_i, untouched by the other rows
            objective = [a - f * b for a, b in zip(objective, body[i])]
    return objective


def _phase2_exact(cost: Sequence[Number], n: int, body: list[list[int]], basis: list[int], width: int,
                  d: int, *, lexicographic: bool = False,
                  least: tuple[Fraction, ...] | None = None) -> tuple[Fraction, tuple[Fraction, ...]]:
    """Phase 2 by the fraction-free kernel, the cost scaled to integers (the same pivots)."""
    basis = list(basis)
    c, c_scale = integer_row(cost)
    tableau = body + [_reduced_int([d * v for v in c] + [0] * (width - n) + [0], body, basis, d)]
    # pivot_int replaces rows, never mutates them
    bounded, d = run_int(tableau, basis, width, d)
    if not bounded:
        raise SolverError("LP is unbounded")
    value = Fraction(-tableau[-1][-1], d * c_scale)
    if lexicographic and least is not None and sum(c * v for c, v in zip(cost, least)) == value:
        return value, least
    if lexicographic:
        ties = [j for j in range(width) if tableau[-1][j] == 0]
        for k in range(n):
            if len(ties) <= len(basis) and set(ties).issubset(basis):
                break
            unit = [0] * (width + 1)
            unit[k] = d
            tableau[-1] = _reduced_int(unit, tableau[:-1], basis, d)
            _, d = run_int(tableau, basis, ties, d)  # bounded: x_k >= 0
            ties = [j for j in ties if tableau[-1][j] == 0]
    x = [Fraction(0)] * n
    for i, j in enumerate(basis):
        if j < n:
            x[j] = Fraction(tableau[i][-1], d)
    return value, tuple(x)


# -- feasibility only ------------------------------------------------------------------------

def feasible_point(
    n: int,
    eq_rows: Sequence[Sequence[Number]] = (),
    eq_rhs: Sequence[Number] = (),
    ub_rows: Sequence[Sequence[Number]] = (),
    ub_rhs: Sequence[Number] = (),
    *,
    strict: bool = False,
    tolerance: Number = 0,
) -> tuple[Number, ...] | None:
    """A point of ``P = {x >= 0 : eq_rows x = eq_rhs, ub_rows x <= ub_rhs}`` with every
    coordinate ``> 0`` if ``strict`` (``> tolerance`` on the float path), or ``None``.

    The same two-phase simplex and pivot rule as :func:`linprog`, on a smaller problem and
    stopping as soon as the answer is known:

    * ``strict``: substitute ``x = y + eps 1`` (``y >= 0``) and maximise ``eps <= 1``; the
      open face ``P ∩ {x > 0}`` is non-empty iff the optimum is positive, and phase 2 stops at
      the first basis with ``eps > 0``. (One extra row, where the textbook lift
      ``x_i >= eps`` adds ``n``.)
    * an inequality whose right-hand side is ``>= 0`` starts with its slack in the basis; only
      the other rows get an artificial variable, and phase 1 stops at the first basis where
      the artificials sum to zero.

    Which point is returned is unspecified (the basic solution where the simplex stopped).
    """
    rational = tolerance == 0 and all(is_rational(r) for r in (*eq_rows, *ub_rows)) \
        and is_rational(eq_rhs) and is_rational(ub_rhs)
    zero: Number = 0 if rational else next((v * 0 for r in (*eq_rows, *ub_rows) for v in r), 0.0)
    one = zero + 1
    eps_col = n if strict else -1
    width0 = n + 1 if strict else n  # the variables y (x when not strict), then eps
    n_slack = len(ub_rows) + (1 if strict else 0)
    width = width0 + n_slack
    # structural rows [A | A 1 | b] (inequalities, then eps <= 1, then equalities)
    structural: list[list[Number]] = []
    for row, b in zip(ub_rows, ub_rhs):
        structural.append([*row, sum(row, zero), b] if strict else [*row, b])
    if strict:
        structural.append([zero] * n + [one, one])
    for row, b in zip(eq_rows, eq_rhs):
        structural.append([*row, sum(row, zero), b] if strict else [*row, b])
    m = len(structural)
    scales = [1] * m
    if rational:
        for i, line in enumerate(structural):
            structural[i], scales[i] = integer_row(line)
    artificial: dict[int, int] = {}  # row -> its artificial's position: equalities and negative right-hand sides
    for i, line in enumerate(structural):
        if i >= n_slack or line[-1] < 0:
            artificial[i] = len(artificial)
    artificial_rows = list(artificial)
    k_art = len(artificial)
    tableau: list[list[Any]] = []
    basis: list[int] = []
    for i, line in enumerate(structural):
        extra = [zero] * n_slack
        if i < n_slack:  # a slack of a scaled row is a rescaled slack: coefficient 1
            extra[i] = one
        k = artificial.get(i)
        basis.append(width0 + i if k is None else width + k)  # artificials: not stored
        if line[-1] < 0:  # negate the row (its artificial keeps its +1)
            full = [-v for v in line[:-1]] + [-v for v in extra] + [-line[-1]]
        else:
            full = line[:-1] + extra + line[-1:]
        tableau.append(full)
    d = 1
    if k_art:
        if rational:
            big = lcm(*(scales[i] for i in artificial_rows))
            weights = [big // scales[i] for i in artificial_rows]
        else:
            weights = [one] * k_art
        objective = [-sum(map(mul, weights, column), zero)  # the last one: the right-hand side
                     for column in zip(*(tableau[i] for i in artificial_rows))]
        tableau.append(objective)
        if rational:
            _, d = run_int(tableau, basis, width, 1, stop_column=-2)
        else:
            run(tableau, basis, width, tolerance, stop_column=-2)
        if tableau.pop()[-1] < -tolerance:
            return None
        for i in reversed(range(m)):  # drive artificials out of the basis
            if basis[i] >= width:
                line = tableau[i]
                col = next((j for j in range(width) if abs(line[j]) > tolerance), -1)
                if col < 0:  # redundant row
                    del tableau[i], basis[i]
                elif rational:
                    d = pivot_int(tableau, basis, i, col, d)
                else:
                    pivot(tableau, basis, i, col)

    def value(j: int) -> Number:
        if j in basis:
            v = tableau[basis.index(j)][-1]
            return Fraction(v, d) if rational else v
        return Fraction(0) if rational else zero

    if strict:
        if not value(eps_col) > tolerance:  # phase 2: minimise -eps, stop once eps > 0
            objective = [zero] * (width + 1)
            objective[eps_col] = -d if rational else -one
            for i, j in enumerate(basis):
                if j == eps_col:  # eliminate the basic eps (its column is d e_i)
                    objective = [a + b for a, b in zip(objective, tableau[i])]
            tableau.append(objective)
            if rational:
                _, d = run_int(tableau, basis, width, d, stop_column=eps_col)
            else:
                run(tableau, basis, width, tolerance, stop_column=eps_col)
            tableau.pop()
        eps = value(eps_col)
        if not eps > tolerance:
            return None
    else:
        eps = Fraction(0) if rational else zero
    x = [eps] * n
    for i, j in enumerate(basis):
        if j < n:
            x[j] = (Fraction(tableau[i][-1], d) if rational else tableau[i][-1]) + eps
    return tuple(x)


def solve_unique(rows: Sequence[Sequence[Number]], rhs: Sequence[Number], n: int, *,
                 tolerance: Number = 0) -> tuple[bool, tuple[Number, ...] | None]:
    """Gauss-Jordan elimination of ``rows x = rhs`` in ``n`` unknowns (partial pivoting on the
    float path; fraction-free on rationals, where the answer does not depend on the pivots).

    Returns ``(full_rank, x)``: whether the coefficient matrix has rank ``n`` and, if so and
    the system is consistent, its unique solution (``None`` when inconsistent).
    """
    if tolerance == 0 and all(is_rational(r) for r in rows) and is_rational(rhs):
        return _solve_unique_exact(rows, rhs, n)
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


def _solve_unique_exact(rows: Sequence[Sequence[Number]], rhs: Sequence[Number], n: int) -> tuple[bool, tuple[Fraction, ...] | None]:
    """Fraction-free Gauss-Jordan elimination (Bareiss) of ``rows x = rhs``."""
    a = [integer_row(list(r) + [b])[0] for r, b in zip(rows, rhs)]
    if len(a) < n:
        return False, None
    pivot_row, d = 0, 1
    basis = [0] * len(a)  # unused: pivot_int records it for the simplex
    for col in range(n):
        best = next((r for r in range(pivot_row, len(a)) if a[r][col]), None)
        if best is None:
            return False, None
        a[pivot_row], a[best] = a[best], a[pivot_row]
        d = pivot_int(a, basis, pivot_row, col, d)
        pivot_row += 1
    if any(a[r][n] for r in range(n, len(a))):
        return True, None
    return True, tuple(Fraction(a[i][n], d) for i in range(n))

"""A two-phase simplex method (Bland's rule; in the phase 1 of lexicographic programmes,
Dantzig's rule with Bland's as the safeguard, :mod:`~intelgame.geometry.pivoting`) and
Gauss-Jordan elimination, generic over the
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
from intelgame.geometry.fixed import fixes_a_coordinate, substitute_fixed
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
    is known beforehand (:func:`_attained`), no linear programme is run for the cost. As the
    answers are canonical, the lexicographic runs also take two short cuts that change only
    the float path's last bits: the coordinates that equalities fix are substituted out
    (:func:`_without_fixed`), and each run starts from the best basis found so far
    (:func:`_optima`) instead of phase 1's."""
    n = len(costs[0])
    rational = tolerance == 0 and all(is_rational(c) for c in costs) \
        and all(is_rational(r) for r in (*eq_rows, *ub_rows)) and is_rational(eq_rhs) and is_rational(ub_rhs)
    if lexicographic and fixes_a_coordinate(eq_rows):
        return _without_fixed(costs, eq_rows, eq_rhs, ub_rows, ub_rhs, tolerance, rational)
    return _solve_many(costs, eq_rows, eq_rhs, ub_rows, ub_rhs, tolerance, rational, lexicographic)


def _solve_many(costs: Sequence[Sequence[Number]], eq_rows: Sequence[Sequence[Number]], eq_rhs: Sequence[Number],
                ub_rows: Sequence[Sequence[Number]], ub_rhs: Sequence[Number], tolerance: Number, rational: bool,
                lexicographic: bool) -> list[tuple[Number, tuple[Number, ...]] | None]:
    """:func:`linprog_many` once the fixed coordinates are substituted out (``lexicographic``)."""
    n = len(costs[0])
    if rational:
        start = _phase1_exact(n, eq_rows, eq_rhs, ub_rows, ub_rhs, slack_start=lexicographic)
        if start is None:
            return [None] * len(costs)
        if not lexicographic:
            return [_phase2_exact(cost, n, *start)[0] for cost in costs]
        body_int, basis_int, width_int, d = start
        return _optima(costs, lambda cost, least, warm: _phase2_exact(cost, n, warm[0], warm[1], width_int, warm[2],
                                                                      lexicographic=True, least=least),
                       (body_int, basis_int, d), _basic_point(body_int, basis_int, n, Fraction(0), d),
                       Fraction(0))
    zero = costs[0][0] * 0 if n else 0
    start_float = _phase1(n, eq_rows, eq_rhs, ub_rows, ub_rhs, zero, tolerance, slack_start=lexicographic)
    if start_float is None:
        return [None] * len(costs)
    if not lexicographic:
        replay = Replay()  # the phase-2 runs share phase 1's tableau, and often their first pivots
        return [_phase2(cost, n, *start_float, zero, tolerance, replay=replay)[0] for cost in costs]
    body, basis, width = start_float
    return _optima(costs, lambda cost, least, warm: _phase2(cost, n, warm[0], warm[1], width, zero, tolerance,
                                                            lexicographic=True, least=least),
                   (body, basis), _basic_point(body, basis, n, zero), zero)


def _without_fixed(costs: Sequence[Sequence[Number]], eq_rows: Sequence[Sequence[Number]], eq_rhs: Sequence[Number],
                   ub_rows: Sequence[Sequence[Number]], ub_rhs: Sequence[Number], tolerance: Number,
                   rational: bool) -> list[tuple[Number, tuple[Number, ...]] | None]:
    """:func:`linprog_many` (lexicographic) with the coordinates that the equalities fix
    substituted out (:mod:`intelgame.geometry.fixed`): the same answers."""
    reduced = substitute_fixed(len(costs[0]), eq_rows, eq_rhs, ub_rows, ub_rhs, tolerance, rational)
    if reduced is None:
        return [None] * len(costs)
    zero = costs[0][0] * 0
    if not reduced.free:  # the polytope is one point
        found = [(zero, ())] * len(costs)
    else:
        found = _solve_many(reduced.costs(costs), reduced.eq_rows, reduced.eq_rhs, reduced.ub_rows,
                            reduced.ub_rhs, tolerance, rational, True)  # type: ignore[assignment]
        if found[0] is None:
            return [None] * len(costs)
    return reduced.answers(costs, found, zero)  # type: ignore[return-value]


#: Whether :func:`_optima` skips the linear programmes whose answer :func:`_attained` knows
#: (tests switch it off to compare: the answers are the same).
SKIP_ATTAINED = True


def _optima(costs: Sequence[Sequence[Number]], phase2: Any, start: Any, start_point: tuple[Number, ...],
            zero: Number) -> list[tuple[Number, tuple[Number, ...]] | None]:
    """The lexicographic optima of ``costs`` (see :func:`linprog_many`): first the polytope's
    least point ``L``, the answer for the cost ``x_0`` if there is one (the least point of
    ``argmin x_0`` is ``L``), else for the zero cost; then ``(cost . L, L)`` for each cost that
    :func:`_attained` shows ``L`` to minimise, without its linear programme, and
    ``phase2(cost, least, warm)`` for the others.

    ``phase2`` returns ``(answer, (final basis, its basic point))``. Every basis met is a
    feasible basis of the same polytope, so each run may start from any of them (warm start):
    from the one whose basic point has the least cost (the latest on ties, ``start`` with
    ``start_point`` being phase 1's), which is often optimal already or a few pivots away. The
    answers do not depend on the start (lexicographic optima are canonical), only the float
    path's last bits do."""
    first = next((k for k, c in enumerate(costs) if len(c) and c[0] == 1 and not any(c[1:])), -1)
    starts, points = [start], [start_point]

    def run(cost: Sequence[Number], terms: list[tuple[int, Number]],
            least: tuple[Number, ...] | None) -> tuple[Number, tuple[Number, ...]]:
        if len(terms) == 1:
            (j, c), = terms
            values = [c * p[j] for p in points]
        else:
            values = [sum((c * p[j] for j, c in terms), zero) for p in points]
        warm = starts[min(range(len(values) - 1, -1, -1), key=values.__getitem__)]
        answer, (final, final_point) = phase2(cost, least, warm)
        starts.append(final)
        points.append(final_point)
        return answer  # type: ignore[no-any-return]

    least = run(costs[first], [(0, costs[first][0])], None) if first >= 0 else run([zero] * len(costs[0]), [], None)
    point = least[1]

    def optimum(cost: Sequence[Number]) -> tuple[Number, tuple[Number, ...]]:
        terms = [(j, c) for j, c in enumerate(cost) if c]
        if SKIP_ATTAINED and _attained(terms, point):
            return sum((c * point[j] for j, c in terms), zero), point
        return run(cost, terms, point)

    return [least if k == first else optimum(cost) for k, cost in enumerate(costs)]


def _basic_point(body: list[list[Any]], basis: list[int], n: int, zero: Number,
                 d: int | None = None) -> tuple[Number, ...]:
    """The first ``n`` coordinates of a basis's basic solution (of the integer tableau
    ``body / d`` if ``d`` is given)."""
    x = [zero] * n
    for i, j in enumerate(basis):
        if j < n:
            x[j] = body[i][-1] if d is None else Fraction(body[i][-1], d)
    return tuple(x)


def _attained(terms: Sequence[tuple[int, Number]], least: Sequence[Number]) -> bool:
    """Whether the polytope's least point ``L`` is known to minimise ``cost`` (given by its
    non-zero ``terms`` ``(j, c_j)``) without a linear programme: ``cost >= 0`` and ``cost . L =
    0`` exactly (``cost . x >= 0`` on ``x >= 0``), the zero cost included (the cost of a
    coordinate that an equality fixed, once :func:`_without_fixed` has substituted it out).
    Then ``L`` is the answer the programme gives too: the least point of the polytope is the
    least of the optimal face that contains it."""
    return all(c >= 0 for _, c in terms) and not any(c * least[j] for j, c in terms)


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
    run(tableau, basis, width, tolerance, stop_column=-2 if slack_start else -1, dantzig=slack_start)
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
            least: tuple[Number, ...] | None = None,
            replay: Replay | None = None) -> tuple[tuple[Number, tuple[Number, ...]], tuple[Any, tuple[Number, ...]]]:
    """Phase 2 of :func:`linprog` (float kernel) from a copy of a feasible tableau (phase 1's,
    or another run's, see :func:`_optima`), pivoting through ``replay`` if given (shared by the
    runs from that tableau); with ``lexicographic``, ``least`` is the polytope's least point if
    known (see :func:`linprog_many`). Returns ``((value, x), (final basis, its basic point))``."""
    if replay is not None:
        replay.restart()
    basis = list(basis)
    tableau = body + [_reduced(list(cost) + [zero] * (width - n) + [zero], body, basis)]
    # pivot replaces rows, never mutates them: a shallow copy
    if not run(tableau, basis, width, tolerance, replay=replay):
        raise SolverError("LP is unbounded")
    value = -tableau[-1][-1]
    if lexicographic and least is not None and abs(sum(c * v for c, v in zip(cost, least)) - value) <= tolerance:
        return (value, least), _final(tableau, basis, n, zero)
    if lexicographic:
        ties = zeros(tableau[-1], range(width), tolerance)
        for k in range(n):
            if len(ties) <= len(basis) and set(ties).issubset(basis):
                break
            if k not in basis:  # x_k = 0, its least: the objective x_k is the unit row
                ties = [j for j in ties if j != k]
                continue
            objective = [-v for v in tableau[basis.index(k)]]  # x_k's row eliminated from the unit row
            objective[k] = zero
            tableau[-1] = objective
            run(tableau, basis, ties, tolerance, replay=replay)  # bounded: x_k >= 0
            ties = zeros(tableau[-1], ties, tolerance)
    final = _final(tableau, basis, n, zero)
    return (value, final[1]), final


def _final(tableau: list[list[Number]], basis: list[int], n: int, zero: Number) -> tuple[Any, tuple[Number, ...]]:
    """A phase-2 run's final basis as a start for the next (:func:`_optima`), with its basic point."""
    body = tableau[:-1]
    return (body, list(basis)), _basic_point(body, basis, n, zero)


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
    _, d = run_int(tableau, basis, width, 1, stop_column=-2 if slack_start else -1, dantzig=slack_start)
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
                  least: tuple[Fraction, ...] | None = None
                  ) -> tuple[tuple[Fraction, tuple[Fraction, ...]], tuple[Any, tuple[Fraction, ...]]]:
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
        return (value, least), ((tableau[:-1], list(basis), d), _basic_point(tableau[:-1], basis, n, Fraction(0), d))
    if lexicographic:
        ties = [j for j in range(width) if tableau[-1][j] == 0]
        for k in range(n):
            if len(ties) <= len(basis) and set(ties).issubset(basis):
                break
            if k not in basis:  # as in _phase2
                ties = [j for j in ties if j != k]
                continue
            objective = [-v for v in tableau[basis.index(k)]]
            objective[k] = 0
            tableau[-1] = objective
            _, d = run_int(tableau, basis, ties, d)  # bounded: x_k >= 0
            ties = [j for j in ties if tableau[-1][j] == 0]
    x = _basic_point(tableau[:-1], basis, n, Fraction(0), d)
    return (value, x), ((tableau[:-1], list(basis), d), x)


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

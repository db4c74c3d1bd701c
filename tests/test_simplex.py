"""The simplex kernels (intelgame/geometry/simplex.py) against HiGHS (scipy.optimize.linprog),
and the reason we have our own: sympy's exact simplex returns infeasible points.

Every exact answer is checked exactly (constraints hold with ``Fraction`` arithmetic, no
tolerance); optimal values must match HiGHS within 1e-7. The fraction-free kernel's divisions
are checked to be exact throughout (``CHECK_EXACT_DIVISION``), and it must make the same pivots
as plain Gauss-Jordan in ``Fraction`` arithmetic (the same optimal vertex, not only the same
value): the PBE faces' representative points depend on it.
"""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any, Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog as highs_linprog

from intelgame.errors import SolverError, Uncertain
from intelgame.geometry import pivoting, simplex as _simplex
from intelgame.geometry.faces import FilterBand
from intelgame.geometry.simplex import feasible_point, linprog, linprog_many, solve_unique

TOL = 1e-9


@pytest.fixture(autouse=True)
def _check_divisions(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(pivoting, "CHECK_EXACT_DIVISION", True)
    yield


# -- helpers -----------------------------------------------------------------------------------

Problem = dict[str, Any]


@st.composite
def problems(draw: Any, bounded: bool = True) -> Problem:
    """Small LPs with small integer (sometimes half-integer) data, degenerate by design: the
    right-hand sides come from a non-negative point with zero coordinates (feasible), or are
    drawn at random (often infeasible); redundant equalities are added as sums of rows."""
    n = draw(st.integers(1, 6))
    n_eq = draw(st.integers(0, 4))
    n_ub = draw(st.integers(0, 4))
    halves = draw(st.booleans())
    entry = st.integers(-3, 3).map(lambda k: F(k, 2) if halves else F(k))
    sparse = st.one_of(st.just(F(0)), entry)
    eq = [[draw(sparse) for _ in range(n)] for _ in range(n_eq)]
    ub = [[draw(sparse) for _ in range(n)] for _ in range(n_ub)]
    if draw(st.booleans()):  # feasible by construction, degenerate through zero coordinates
        x0 = [F(draw(st.integers(0, 2))) for _ in range(n)]
        eq_rhs = [sum(a * x for a, x in zip(row, x0)) for row in eq]
        ub_rhs = [sum(a * x for a, x in zip(row, x0)) + draw(st.sampled_from([F(0), F(0), F(1)])) for row in ub]
    else:
        eq_rhs = [draw(entry) for _ in eq]
        ub_rhs = [draw(entry) for _ in ub]
    if len(eq) >= 2 and draw(st.booleans()):  # a redundant equality
        eq.append([a + b for a, b in zip(eq[0], eq[1])])
        eq_rhs.append(eq_rhs[0] + eq_rhs[1])
    if bounded:
        ub.append([F(1)] * n)
        ub_rhs.append(F(draw(st.integers(1, 6))))
    cost = [draw(entry) for _ in range(n)]
    return {"cost": cost, "eq": eq, "eq_rhs": eq_rhs, "ub": ub, "ub_rhs": ub_rhs, "n": n}


def as_float(p: Problem) -> Problem:
    return {"cost": [float(v) for v in p["cost"]], "eq": [[float(v) for v in r] for r in p["eq"]],
            "eq_rhs": [float(v) for v in p["eq_rhs"]], "ub": [[float(v) for v in r] for r in p["ub"]],
            "ub_rhs": [float(v) for v in p["ub_rhs"]], "n": p["n"]}


def highs(p: Problem, cost: Any = None) -> Any:
    n = p["n"]
    return highs_linprog(
        np.array([float(v) for v in (p["cost"] if cost is None else cost)]),
        A_ub=np.array([[float(v) for v in r] for r in p["ub"]]).reshape(-1, n) if p["ub"] else None,
        b_ub=np.array([float(v) for v in p["ub_rhs"]]) if p["ub"] else None,
        A_eq=np.array([[float(v) for v in r] for r in p["eq"]]).reshape(-1, n) if p["eq"] else None,
        b_eq=np.array([float(v) for v in p["eq_rhs"]]) if p["eq"] else None,
        bounds=(0, None), method="highs")


def satisfies_exactly(p: Problem, x: tuple[Any, ...], strict: bool = False) -> bool:
    dot = lambda row: sum(a * v for a, v in zip(row, x))  # noqa: E731
    return (all(dot(r) == b for r, b in zip(p["eq"], p["eq_rhs"]))
            and all(dot(r) <= b for r, b in zip(p["ub"], p["ub_rhs"]))
            and all(v > 0 if strict else v >= 0 for v in x))


def satisfies_approximately(p: Problem, x: tuple[Any, ...], tol: float = 1e-7) -> bool:
    dot = lambda row: sum(float(a) * float(v) for a, v in zip(row, x))  # noqa: E731
    return (all(abs(dot(r) - float(b)) <= tol for r, b in zip(p["eq"], p["eq_rhs"]))
            and all(dot(r) <= float(b) + tol for r, b in zip(p["ub"], p["ub_rhs"]))
            and all(float(v) >= -tol for v in x))


def strictly_feasible_by_highs(p: Problem) -> bool:
    """``max eps`` s.t. ``x in P``, ``eps <= x_i``, ``eps <= 1`` by HiGHS: positive optimum?"""
    n = p["n"]
    lifted = {"n": n + 1, "cost": [F(0)] * n + [F(-1)],
              "eq": [r + [F(0)] for r in p["eq"]], "eq_rhs": p["eq_rhs"],
              "ub": [r + [F(0)] for r in p["ub"]] + [[F(-1) if j == i else F(0) for j in range(n)] + [F(1)] for i in range(n)]
              + [[F(0)] * n + [F(1)]],
              "ub_rhs": list(p["ub_rhs"]) + [F(0)] * n + [F(1)]}
    result = highs(lifted)
    return result.status == 0 and -result.fun > 1e-7


# -- sympy's exact simplex is not reliable: why we have our own ---------------------------------

def counterexample() -> Problem:
    """minimise -eps over x1 + x2 = 1, x3 + x4 = 1, -99/40 x1 + 27/8 x3 = 0,
    -99/40 x2 + 27/8 x4 = 0, eps <= x_i, eps <= 1 (variables x1..x4, eps >= 0).

    Infeasible: the last two equalities give x3 + x4 = 11/15 (x1 + x2) = 11/15, not 1. It is
    the strict-feasibility test of a sigma-face of a two-type signalling game."""
    z, o = F(0), F(1)
    return {"n": 5, "cost": [z, z, z, z, -o],
            "eq": [[o, o, z, z, z], [z, z, o, o, z], [F(-99, 40), z, F(27, 8), z, z], [z, F(-99, 40), z, F(27, 8), z]],
            "eq_rhs": [o, o, z, z],
            "ub": [[-o if j == i else z for j in range(4)] + [o] for i in range(4)] + [[z, z, z, z, o]],
            "ub_rhs": [z, z, z, z, o]}


def test_sympy_simplex_returns_a_point_violating_its_equalities() -> None:
    sympy = pytest.importorskip("sympy")
    from sympy.solvers.simplex import linprog as sympy_linprog

    p = counterexample()
    try:
        _, point = sympy_linprog(sympy.Matrix(p["cost"]), sympy.Matrix(p["ub"]), sympy.Matrix(p["ub_rhs"]),
                                 sympy.Matrix(p["eq"]), sympy.Matrix(p["eq_rhs"]))
    except Exception:  # a future sympy that reports infeasibility is fine by us  # noqa: BLE001
        pass
    else:  # sympy 1.14: (-11/26, [15/26, 11/26, 11/26, 15/26, 11/26]), violating the 4th equality by 9/10
        x = tuple(F(int(v.p), int(v.q)) for v in point)
        assert not satisfies_exactly(p, x)
    assert highs(p).status == 2  # HiGHS: infeasible
    assert linprog(p["cost"], p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"]) is None
    f = as_float(p)
    assert linprog(f["cost"], f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"], tolerance=TOL) is None
    system = (4, [r[:4] for r in p["eq"]], p["eq_rhs"])  # the equalities alone: no point at all
    assert feasible_point(*system, strict=True) is None
    assert feasible_point(*system, strict=False) is None


# -- linprog against HiGHS ---------------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=True))
def test_linprog_matches_highs(p: Problem) -> None:
    reference = highs(p)
    exact = linprog(p["cost"], p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"])
    f = as_float(p)
    approx = linprog(f["cost"], f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"], tolerance=TOL)
    if reference.status == 2:
        assert exact is None and approx is None
        return
    assert reference.status == 0
    assert exact is not None and approx is not None
    value, x = exact
    assert all(type(v) is F for v in x)
    assert satisfies_exactly(p, x)
    assert value == sum(c * v for c, v in zip(p["cost"], x))
    assert abs(float(value) - reference.fun) <= 1e-7
    assert abs(approx[0] - reference.fun) <= 1e-7
    assert satisfies_approximately(p, approx[1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=False))
def test_linprog_unbounded_and_infeasible_like_highs(p: Problem) -> None:
    reference = highs(p)
    f = as_float(p)
    for args, kwargs in (((p["cost"], p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"]), {}),
                         ((f["cost"], f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"]), {"tolerance": TOL})):
        if reference.status == 3:
            with pytest.raises(SolverError):
                linprog(*args, **kwargs)
        elif reference.status == 2:
            assert linprog(*args, **kwargs) is None
        elif reference.status == 0:
            found = linprog(*args, **kwargs)
            assert found is not None and abs(float(found[0]) - reference.fun) <= 1e-7


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=True))
def test_fraction_free_kernel_pivots_like_gauss_jordan(p: Problem) -> None:
    """The integer-preserving kernel and Gauss-Jordan over ``Fraction`` (the field kernel run
    on rationals) reach the same optimal vertex: their pivots are the same."""
    n = p["n"]
    costs = [p["cost"], [-c for c in p["cost"]]] + [[F(int(i == j)) for j in range(n)] for i in range(n)]
    exact = linprog_many(costs, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"])
    start = _simplex._phase1(n, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"], F(0), 0)
    if start is None:
        assert exact == [None] * len(costs)
        return
    for cost, found in zip(costs, exact):  # bounded: the problems have sum(x) <= k
        assert found == _simplex._phase2(cost, n, *start, F(0), 0)[0]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=True))
def test_linprog_many_equals_separate_calls(p: Problem) -> None:
    n = p["n"]
    costs = [[F(int(i == j)) * s for j in range(n)] for i in range(n) for s in (1, -1)]
    assert linprog_many(costs, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"]) == [
        linprog(c, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"]) for c in costs]
    f = as_float(p)
    float_costs = [[float(v) for v in c] for c in costs]
    assert linprog_many(float_costs, f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"], tolerance=TOL) == [
        linprog(c, f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"], tolerance=TOL) for c in float_costs]


# -- feasibility only --------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=True))
def test_feasible_point_matches_highs(p: Problem) -> None:
    n = p["n"]
    system = (n, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"])
    f = as_float(p)
    float_system = (n, f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"])
    feasible = highs({**p, "cost": [F(0)] * n}).status == 0
    closed = feasible_point(*system)
    assert (closed is not None) == feasible
    assert (feasible_point(*float_system, tolerance=TOL) is not None) == feasible
    if closed is not None:
        assert satisfies_exactly(p, closed)
    open_ = feasible_point(*system, strict=True)
    assert (open_ is not None) == strictly_feasible_by_highs(p)
    float_open = feasible_point(*float_system, strict=True, tolerance=TOL)
    assert (float_open is not None) == (open_ is not None)
    if open_ is not None:
        assert satisfies_exactly(p, open_, strict=True)
        assert satisfies_approximately(p, float_open)  # type: ignore[arg-type]


def test_feasible_point_edge_cases() -> None:
    one, zero = F(1), F(0)
    assert satisfies_exactly({"eq": [[one, one]], "eq_rhs": [one], "ub": [], "ub_rhs": []},
                             feasible_point(2, [[one, one]], [one], strict=True), strict=True)  # type: ignore[arg-type]
    # x1 + x2 = 1 with x1 <= 0: a closed point, no open one
    assert feasible_point(2, [[one, one]], [one], [[one, zero]], [zero]) == (0, 1)
    assert feasible_point(2, [[one, one]], [one], [[one, zero]], [zero], strict=True) is None
    # no constraints at all: the open orthant is non-empty (the eps <= 1 row bounds it)
    assert feasible_point(3, strict=True) == (1, 1, 1)
    # a negative right-hand side needs an artificial; -x1 <= -2 with x1 + x2 = 3
    point = feasible_point(2, [[one, one]], [F(3)], [[-one, zero]], [F(-2)], strict=True)
    assert point is not None and point[0] >= 2 and point[1] > 0 and sum(point) == 3


# -- Gauss-Jordan --------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.lists(st.integers(-3, 3).map(F), min_size=n, max_size=n), min_size=0, max_size=n + 2),
    st.lists(st.integers(-3, 3).map(F), min_size=n + 2, max_size=n + 2))))
def test_solve_unique(case: Any) -> None:
    n, rows, rhs = case
    rhs = rhs[:len(rows)]
    full_rank, x = solve_unique(rows, rhs, n)
    matrix = np.array([[float(v) for v in r] for r in rows]).reshape(-1, n)
    assert full_rank == (len(rows) > 0 and np.linalg.matrix_rank(matrix) == n)
    consistent = full_rank and np.linalg.matrix_rank(np.column_stack([matrix, [float(b) for b in rhs]])) == n
    if full_rank:
        assert (x is not None) == consistent
    if x is not None:
        assert all(sum(a * v for a, v in zip(r, x)) == b for r, b in zip(rows, rhs))
        fr, y = solve_unique([[float(v) for v in r] for r in rows], [float(b) for b in rhs], n, tolerance=TOL)
        assert fr and y is not None and max(abs(float(a) - b) for a, b in zip(x, y)) <= 1e-9


# -- lexicographic optima ------------------------------------------------------------------------

def _lexicographic_by_pinning(cost: list[F], p: Problem) -> tuple[F, tuple[F, ...]] | None:
    """The lexicographically least optimal point, independently: minimise ``cost``, pin it to
    its optimum with an equality, minimise ``x_0``, pin it, and so on (``n + 1`` plain LPs)."""
    eq, eq_rhs = list(p["eq"]), list(p["eq_rhs"])
    found = linprog(cost, eq, eq_rhs, p["ub"], p["ub_rhs"])
    if found is None:
        return None
    value, x = found
    for objective, optimum in [(cost, value)] + [([F(int(i == k)) for i in range(p["n"])], None)
                                                 for k in range(p["n"])]:
        if optimum is None:
            optimum, x = linprog(objective, eq, eq_rhs, p["ub"], p["ub_rhs"])  # type: ignore[misc]
        eq, eq_rhs = eq + [objective], eq_rhs + [optimum]
    return value, x


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=True))
def test_lexicographic_optima_are_the_least_optimal_points(p: Problem) -> None:
    """``lexicographic=True`` gives, for each cost, the lexicographically least optimal point
    (a property of the polytope, not of the pivots), exactly; the float kernel the same point
    within rounding. The PBE faces' representative points are means of such points."""
    n = p["n"]
    costs = [p["cost"], [-c for c in p["cost"]], [F(0)] * n] + [
        [F(int(i == j)) * s for j in range(n)] for i in range(n) for s in (1, -1)]
    exact = linprog_many(costs, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"], lexicographic=True)
    f = as_float(p)
    floats = linprog_many([[float(v) for v in c] for c in costs], f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"],
                          tolerance=TOL, lexicographic=True)
    for cost, found, approximate in zip(costs, exact, floats):
        assert found == _lexicographic_by_pinning(cost, p)
        assert (approximate is None) == (found is None)
        if found is not None and approximate is not None:
            assert abs(approximate[0] - float(found[0])) <= 1e-7
            assert all(abs(a - float(b)) <= 1e-7 for a, b in zip(approximate[1], found[1]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=True))
def test_slack_start_gives_the_same_lexicographic_optima(p: Problem) -> None:
    """Phase 1 from the slack basis (what ``linprog_many(lexicographic=True)`` does) reaches the
    same lexicographic optimisers as the textbook start with one artificial per row, in both
    kernels: the answers are canonical vertices, whatever the pivots."""
    n = p["n"]
    costs = [[F(int(i == j)) * s for j in range(n)] for i in range(n) for s in (1, -1)] + [p["cost"]]
    for slack_start in (False, True):
        start = _simplex._phase1(n, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"], F(0), 0, slack_start=slack_start)
        start_int = _simplex._phase1_exact(n, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"], slack_start=slack_start)
        assert (start is None) == (start_int is None)
        if start is None or start_int is None:
            assert linprog_many(costs, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"], lexicographic=True) == [None] * len(costs)
            continue
        body, basis, width = start
        field = _simplex._optima(costs, lambda cost, least, warm: _simplex._phase2(
            cost, n, warm[0], warm[1], width, F(0), 0, lexicographic=True, least=least),
            (body, basis), _simplex._basic_point(body, basis, n, F(0)), F(0))
        body_int, basis_int, width_int, d = start_int
        integer = _simplex._optima(costs, lambda cost, least, warm: _simplex._phase2_exact(
            cost, n, warm[0], warm[1], width_int, warm[2], lexicographic=True, least=least),
            (body_int, basis_int, d), _simplex._basic_point(body_int, basis_int, n, F(0), d), F(0))
        assert field == integer == linprog_many(costs, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"], lexicographic=True)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=True), st.integers(0, 5), st.integers(0, 2))
def test_attained_optima_are_the_programmes_answers(p: Problem, j: int, value: int) -> None:
    """The range costs whose answer ``linprog_many(lexicographic=True)`` takes from the least
    point without a linear programme (:func:`~intelgame.geometry.simplex._attained`: a
    coordinate that an equality fixes, ``x_i`` where the least point has ``x_i = 0``) get what
    the programme gives: the same answers exactly, and in floats the same points and values
    within rounding. An equality ``x_j = value`` is added so that a coordinate is fixed."""
    n = p["n"]
    if j < n:
        p["eq"].append([F(int(i == j)) for i in range(n)])
        p["eq_rhs"].append(F(value))
    costs = [[F(int(i == k)) * s for k in range(n)] for i in range(n) for s in (1, -1)] + [p["cost"]]
    f = as_float(p)
    float_costs = [[float(v) for v in c] for c in costs]
    answers = []
    for skip in (True, False):
        _simplex.SKIP_ATTAINED = skip
        try:
            answers.append((linprog_many(costs, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"], lexicographic=True),
                            linprog_many(float_costs, f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"],
                                         tolerance=TOL, lexicographic=True)))
        finally:
            _simplex.SKIP_ATTAINED = True
    (exact, floats), (exact_lp, floats_lp) = answers
    assert exact == exact_lp
    for skipped, programme in zip(floats, floats_lp):
        assert (skipped is None) == (programme is None)
        if skipped is not None and programme is not None:
            # the same vertex, reached by other pivots (warm starts): equal within rounding
            assert all(abs(a - b) <= 1e-9 for a, b in zip(skipped[1], programme[1]))
            assert abs(skipped[0] - programme[0]) <= 1e-9


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=True), st.lists(st.tuples(st.integers(0, 5), st.integers(-1, 2)), min_size=1, max_size=3))
def test_fixed_coordinates_substituted_out_give_the_same_optima(p: Problem, pins: list[tuple[int, int]]) -> None:
    """``linprog_many(lexicographic=True)`` substitutes out the coordinates that equalities fix
    (:func:`~intelgame.geometry.simplex._without_fixed`; here ``x_j = value`` rows, a negative
    value or two values for one coordinate making the polytope empty): the same answers
    exactly as the programme over all coordinates, and in floats within rounding."""
    n = p["n"]
    for j, value in pins:
        if j < n:
            p["eq"].append([F(int(i == j)) for i in range(n)])
            p["eq_rhs"].append(F(value))
    costs = [[F(int(i == k)) * s for k in range(n)] for i in range(n) for s in (1, -1)] + [p["cost"]]
    exact = linprog_many(costs, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"], lexicographic=True)
    assert exact == _simplex._solve_many(costs, p["eq"], p["eq_rhs"], p["ub"], p["ub_rhs"], 0, True, True)
    f = as_float(p)
    floats = linprog_many([[float(v) for v in c] for c in costs], f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"],
                          tolerance=TOL, lexicographic=True)
    for found, approximate in zip(exact, floats):
        assert (approximate is None) == (found is None)
        if found is not None and approximate is not None:
            assert abs(approximate[0] - float(found[0])) <= 1e-9
            assert all(abs(a - float(b)) <= 1e-9 for a, b in zip(approximate[1], found[1]))


# -- the float kernel's written-out band tests and its replayed pivots ----------------------------

def _decision(compare: Any) -> str:
    """What a comparison decides: True, False, or 'uncertain' (it raised ``Uncertain``)."""
    try:
        return str(bool(compare()))
    except Uncertain:
        return "uncertain"


BAND_VALUES = [s * v for v in (0.0, 2.0 ** -40, 2.0 ** -36, 2.0 ** -30, 2.0 ** -26, 2.0 ** -20, 1.0) for s in (1, -1)]


@pytest.mark.parametrize("v", BAND_VALUES)
def test_kernels_decide_like_the_filter_band(v: float) -> None:
    """The loops of :func:`~intelgame.geometry.pivoting.run` and
    :func:`~intelgame.geometry.pivoting.zeros` write out the :class:`FilterBand`'s test on its
    edges: each decides (and raises ``Uncertain``) on every value, the floor and the band
    themselves included, exactly as the comparison with the band would."""
    tol = FilterBand()
    # entering column: objective[j] < -tol (one column, one row with a positive entry)
    tableau = [[1.0, 1.0], [v, 0.0]]
    expected = _decision(lambda: v < -tol)
    found = _decision(lambda: pivoting.run([list(r) for r in tableau], [5], 1, tol) and None)
    assert (found == "uncertain") == (expected == "uncertain")
    if expected != "uncertain":
        t, basis = [list(r) for r in tableau], [5]
        pivoting.run(t, basis, 1, tol)
        assert (basis == [0]) == (expected == "True")  # entered (and left: bounded) or not
    # ratio test: tableau[i][entering] > tol
    tableau = [[v, 1.0], [-1.0, 0.0]]
    expected = _decision(lambda: v > tol)
    found = _decision(lambda: pivoting.run([list(r) for r in tableau], [5], 1, tol))
    assert found == ("uncertain" if expected == "uncertain" else expected)  # bounded iff a row can leave
    # zero reduced costs
    expected = _decision(lambda: -tol <= v <= tol)
    found = _decision(lambda: [0] == pivoting.zeros([v], [0], tol))
    assert found == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(bounded=True))
def test_replayed_pivots_give_the_same_floats(p: Problem) -> None:
    """The phase-2 runs of ``linprog_many`` (not lexicographic) share their pivots' body rows
    (:class:`~intelgame.geometry.pivoting.Replay`): every answer is the same float, bit for bit
    (zeros' signs included), as a run that pivots its whole tableau itself."""
    n = p["n"]
    f = as_float(p)
    start = _simplex._phase1(n, f["eq"], f["eq_rhs"], f["ub"], f["ub_rhs"], 0.0, FilterBand())
    if start is None:
        return
    costs = [[float(i == j) * s for j in range(n)] for i in range(n) for s in (1, -1)] + [[float(c) for c in p["cost"]]]
    shared = pivoting.Replay()

    def answers(replay: Any) -> str:
        return repr([_simplex._phase2(cost, n, *start, 0.0, FilterBand(), replay=replay())[0] for cost in costs])

    assert answers(lambda: shared) == answers(lambda: None)  # None: plain pivots


# -- Dantzig's rule with Bland's as the safeguard -------------------------------------------------

def _beale(scale: int) -> tuple[list[list[Any]], list[int]]:
    """Beale's (1955) example as Chvatal (1983, p. 31) gives it: maximise ``10 x1 - 57 x2 - 9 x3
    - 24 x4`` (here minimise its negation) s.t. ``0.5 x1 - 5.5 x2 - 2.5 x3 + 9 x4 <= 0``,
    ``0.5 x1 - 1.5 x2 - 0.5 x3 + x4 <= 0``, ``x1 <= 1``: Dantzig's rule with ties to the least
    index cycles from the slack basis. Rows times ``scale`` (2: integers for the exact kernel)."""
    rows = [[0.5, -5.5, -2.5, 9, 1, 0, 0, 0], [0.5, -1.5, -0.5, 1, 0, 1, 0, 0], [1, 0, 0, 0, 0, 0, 1, 1]]
    objective = [-10, 57, 9, 24, 0, 0, 0, 0]
    return [[v * scale for v in r] for r in rows] + [[v * scale for v in objective]], [4, 5, 6]


@pytest.mark.parametrize("kernel", ["float", "exact"])
def test_dantzig_runs_do_not_cycle(kernel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a problem where Dantzig's rule cycles, a ``dantzig`` run turns to Bland's rule after
    :data:`~intelgame.geometry.pivoting.STALLS` degenerate pivots and reaches the optimum
    ``x = (1, 0, 1, 0)``, value 1 (a cycling run would pass the pivot budget below)."""
    pivots = [0]

    def counted(original: Any) -> Any:
        def pivot_once(*args: Any) -> Any:
            pivots[0] += 1
            assert pivots[0] < 50, "cycling"
            return original(*args)
        return pivot_once

    if kernel == "float":
        monkeypatch.setattr(pivoting, "pivot", counted(pivoting.pivot))
        tableau, basis = _beale(1)
        tableau = [[float(v) for v in r] for r in tableau]
        assert pivoting.run(tableau, basis, 7, FilterBand(), dantzig=True)
        x = {j: tableau[i][-1] for i, j in enumerate(basis)}
        value = -tableau[-1][-1]
    else:
        monkeypatch.setattr(pivoting, "pivot_int", counted(pivoting.pivot_int))
        tableau, basis = _beale(2)
        tableau = [[int(v) for v in r] for r in tableau]
        bounded, d = pivoting.run_int(tableau, basis, 7, 1, dantzig=True)
        assert bounded
        x = {j: F(tableau[i][-1], d) for i, j in enumerate(basis)}
        value = F(-tableau[-1][-1], 2 * d)
    assert [x.get(j, 0) for j in range(4)] == [1, 0, 1, 0] and value == -1

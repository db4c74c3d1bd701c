"""Nash equilibria of bimatrix games: literature cases, the contract of every method, and
property tests against the independent verifier, Nashpy and (when installed) Gambit."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from fractions import Fraction as F
from typing import Any

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intelgame.analysis.verify import verify_nash
from intelgame.errors import SolverError
from intelgame.games import NormalFormGame
from intelgame.output.numbers import format_number
from intelgame.output.documents import describe_nash_result
from intelgame.solvers.nash import METHODS, NashEquilibrium, NashResult, nash_solve

Matrix = Sequence[Sequence[Any]]
Profile = tuple[tuple[F, ...], tuple[F, ...]]


def game(name: str, a: Matrix, b: Matrix, rows: Sequence[str] = (), columns: Sequence[str] = ()) -> NormalFormGame:
    """A game from its two payoff matrices (strategy names default to r0.., c0..)."""
    return NormalFormGame(name=name, players=("row", "column"),
                          row_strategies=tuple(rows) or tuple(f"r{i}" for i in range(len(a))),
                          column_strategies=tuple(columns) or tuple(f"c{j}" for j in range(len(a[0]))),
                          row_payoffs=tuple(map(tuple, a)), column_payoffs=tuple(map(tuple, b)))


def profiles(result: NashResult) -> set[Profile]:
    return {(e.row, e.column) for e in result}


def close(p: Sequence[Any], q: Sequence[Any], tolerance: float = 1e-6) -> bool:
    return all(abs(float(u) - float(v)) <= tolerance for u, v in zip(p, q))


def assert_verified(g: NormalFormGame, result: NashResult) -> None:
    """Every returned equilibrium passes the independent verifier."""
    for e in result:
        certificate = verify_nash(g, e.row, e.column)
        assert certificate.ok, certificate.violations


def assert_subset(float_result: NashResult, exact_result: NashResult) -> None:
    """Every float equilibrium is (approximately) an exact one."""
    for e in float_result:
        assert any(close(e.row + e.column, x.row + x.column) for x in exact_result), (e, exact_result)


# -- literature games with their known equilibria ---------------------------------------------
PRISONERS_DILEMMA = game("prisoners-dilemma", [[3, 0], [5, 1]], [[3, 5], [0, 1]],
                         ["cooperate", "defect"], ["cooperate", "defect"])
MATCHING_PENNIES = game("matching-pennies", [[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
                        ["heads", "tails"], ["heads", "tails"])
BATTLE_OF_THE_SEXES = game("battle-of-the-sexes", [[2, 0], [0, 1]], [[1, 0], [0, 2]],
                           ["opera", "football"], ["opera", "football"])
# von Stengel's 3x2 running example, Nisan et al. (2007), ch. 3, section 3.2 (nondegenerate).
VON_STENGEL = game("von-stengel-3x2", [[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
# Its degenerate variant (ch. 3, section 3.4): B's first row tied, so against the top row the
# column player is indifferent and (top, y) is an equilibrium for every y_0 in [2/3, 1].
VON_STENGEL_DEGENERATE = game("von-stengel-degenerate", [[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
# Textbook degenerate game: the top row strictly dominates, the column player is indifferent.
INDIFFERENT_COLUMN = game("indifferent-column", [[1, 1], [0, 0]], [[1, 1], [0, 0]],
                          ["top", "bottom"], ["left", "right"])

ONE, ZERO, HALF = F(1), F(0), F(1, 2)
KNOWN: list[tuple[NormalFormGame, set[Profile]]] = [
    (PRISONERS_DILEMMA, {((ZERO, ONE), (ZERO, ONE))}),
    (MATCHING_PENNIES, {((HALF, HALF), (HALF, HALF))}),
    (BATTLE_OF_THE_SEXES, {((ONE, ZERO), (ONE, ZERO)), ((ZERO, ONE), (ZERO, ONE)),
                           ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3)))}),
    (VON_STENGEL, {((ONE, ZERO, ZERO), (ONE, ZERO)), ((F(4, 5), F(1, 5), ZERO), (F(2, 3), F(1, 3))),
                   ((ZERO, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3)))}),
]
NONDEGENERATE = [g for g, _ in KNOWN]


@pytest.mark.parametrize(("g", "expected"), KNOWN, ids=[g.name for g, _ in KNOWN])
def test_exact_finds_exactly_the_known_equilibria(g: NormalFormGame, expected: set[Profile]) -> None:
    result = nash_solve(g, exact=True)
    assert profiles(result) == expected
    assert not any(e.is_continuum for e in result)
    assert_verified(g, result)


@pytest.mark.parametrize(("g", "expected"), KNOWN, ids=[g.name for g, _ in KNOWN])
def test_float_support_enumeration_agrees_with_exact(g: NormalFormGame, expected: set[Profile]) -> None:
    result = nash_solve(g)
    assert len(result) == len(expected)
    assert_subset(result, nash_solve(g, exact=True))
    assert_verified(g, result)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("g", NONDEGENERATE, ids=[g.name for g in NONDEGENERATE])
def test_every_method_returns_a_verified_subset_of_the_exact_set(g: NormalFormGame, method: str) -> None:
    result = nash_solve(g, method=method)  # type: ignore[arg-type]
    assert len(result) >= 1 and result.method == method and not result.exact
    assert_subset(result, nash_solve(g, exact=True))
    assert_verified(g, result)


def test_payoffs_and_pure_first() -> None:
    result = nash_solve(BATTLE_OF_THE_SEXES, exact=True)
    assert [e.is_pure for e in result] == [True, True, False]
    assert [e.payoffs for e in result] == [(2, 1), (1, 2), (F(2, 3), F(2, 3))]
    assert result.equilibria[0].row_support == (0,) and result.equilibria[2].column_support == (0, 1)


# -- degenerate games: continua ------------------------------------------------------------------
def test_continuum_is_reported_with_its_ranges() -> None:
    result = nash_solve(INDIFFERENT_COLUMN, exact=True)
    assert_verified(INDIFFERENT_COLUMN, result)
    isolated = {(e.row, e.column) for e in result if not e.is_continuum}
    assert isolated == {((ONE, ZERO), (ONE, ZERO)), ((ONE, ZERO), (ZERO, ONE))}
    (continuum,) = [e for e in result if e.is_continuum]
    assert continuum.row == (ONE, ZERO) and continuum.column_support == (0, 1)
    assert continuum.row_range == ((ONE, ONE), (ZERO, ZERO))
    assert continuum.column_range == ((ZERO, ONE), (ZERO, ONE))


def test_degenerate_textbook_game() -> None:
    result = nash_solve(VON_STENGEL_DEGENERATE, exact=True)
    assert_verified(VON_STENGEL_DEGENERATE, result)
    (continuum,) = [e for e in result if e.is_continuum]
    assert continuum.row == (ONE, ZERO, ZERO)
    assert continuum.column_range == ((F(2, 3), ONE), (ZERO, F(1, 3)))
    for y0 in (F(2, 3), F(3, 4), ONE):  # every point of the closed face is an equilibrium
        assert verify_nash(VON_STENGEL_DEGENERATE, (ONE, ZERO, ZERO), (y0, 1 - y0)).ok
    assert not verify_nash(VON_STENGEL_DEGENERATE, (ONE, ZERO, ZERO), (HALF, HALF)).ok
    assert ((ZERO, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))) in profiles(result)


@pytest.mark.parametrize("method", METHODS)
def test_float_path_on_degenerate_games_reports_the_exact_set(method: str) -> None:
    """Nashpy cannot describe continua; the float result is certified against the exact
    enumeration and, on these degenerate games, is the exact set in floats (Lemke-Howson: one
    of its equilibria)."""
    for g in (INDIFFERENT_COLUMN, VON_STENGEL_DEGENERATE):
        result = nash_solve(g, method=method)  # type: ignore[arg-type]
        exact = nash_solve(g, exact=True)
        assert_verified(g, result)
        assert_subset(result, exact)
        if method != "lemke_howson":
            assert "exact" in result.method
            assert [e.is_continuum for e in result] == [e.is_continuum for e in exact]
            assert all(close(e.row + e.column, x.row + x.column, 1e-12) for e, x in zip(result, exact))


# -- contract: options, errors, provenance, JSON ------------------------------------------------
def test_unknown_method_and_irrational_exact_are_solver_errors() -> None:
    with pytest.raises(SolverError, match="unknown Nash method"):
        nash_solve(PRISONERS_DILEMMA, method="simplex")  # type: ignore[arg-type]
    floats = game("floats", [[0.5, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 0.5]])
    with pytest.raises(SolverError, match="rational"):
        nash_solve(floats, exact=True)
    one_row = game("one-row", [[1, 1, 1]], [[2, 2, 0]])
    with pytest.raises(SolverError, match="vertex_enumeration"):
        nash_solve(one_row, method="vertex_enumeration")
    assert len(nash_solve(one_row, exact=True)) == 3  # two pure and the continuum between them


def test_provenance_is_recorded() -> None:
    result = nash_solve(MATCHING_PENNIES, method="lemke_howson", exact=True)
    assert (result.method, result.exact, result.tolerance, result.game) == ("lemke_howson", True, 0.0,
                                                                          MATCHING_PENNIES)
    result = nash_solve(MATCHING_PENNIES)
    assert (result.method, result.exact, result.tolerance) == ("support_enumeration", False, 1e-9)
    with pytest.raises(AttributeError):
        result.equilibria[0].row = (1.0, 0.0)  # type: ignore[misc]


def test_to_dict_exact_and_float() -> None:
    exact = describe_nash_result(nash_solve(BATTLE_OF_THE_SEXES, exact=True))
    json.dumps(exact)
    assert exact["kind"] == "normal" and exact["game"] == "battle-of-the-sexes"
    mixed = exact["equilibria"][2]
    assert mixed["row"] == {"opera": "2/3", "football": "1/3"}
    assert mixed["payoffs"] == {"row": "2/3", "column": "2/3"}
    assert mixed["continuum"] is False and mixed["ranges"] is None
    assert exact["equilibria"][0]["row"] == {"opera": 1, "football": 0}
    floats = describe_nash_result(nash_solve(BATTLE_OF_THE_SEXES))["equilibria"][2]
    assert floats["row"] == {"opera": 0.666666666667, "football": 0.333333333333}
    continuum = describe_nash_result(nash_solve(INDIFFERENT_COLUMN, exact=True))["equilibria"][2]
    assert continuum["continuum"] is True
    assert continuum["ranges"]["column"] == {"left": [0, 1], "right": [0, 1]}


def test_format_number() -> None:
    assert format_number(F(1, 3), exact=True) == "1/3"
    assert format_number(F(-6, 3), exact=True) == -2
    assert format_number(F(1, 3), exact=False) == 0.333333333333
    assert format_number(0.1 + 0.2, exact=False) == 0.3
    assert format_number(0.1 + 0.2, exact=True) == 0.3
    assert format_number(7, exact=False) == 7 and isinstance(format_number(7, exact=False), int)
    assert str(format_number(-1e-17, exact=False)) == "-1e-17"
    assert str(format_number(-0.0, exact=False)) == "0.0"
    with pytest.raises(TypeError):
        format_number("1/3", exact=True)


# -- properties on random small games -----------------------------------------------------------
@st.composite
def integer_games(draw: st.DrawFn) -> NormalFormGame:
    n, k = draw(st.integers(2, 3)), draw(st.integers(2, 3))
    entries = st.integers(-5, 5)
    a = draw(st.lists(st.lists(entries, min_size=k, max_size=k), min_size=n, max_size=n))
    b = draw(st.lists(st.lists(entries, min_size=k, max_size=k), min_size=n, max_size=n))
    return game("random", a, b)


def _tied_mixture_exists(opponent: Matrix, own: tuple[int, ...], tied: tuple[int, ...]) -> bool:
    """Whether some mixture on ``own`` (all weights > 0) ties every opponent strategy in ``tied``,
    or the question is not settled by a unique solution (counted as degenerate: conservative)."""
    rows = [[1] * len(own)] + [[opponent[o][s] - opponent[tied[0]][s] for s in own] for o in tied[1:]]
    rhs = [1] + [0] * (len(tied) - 1)
    try:
        solution, free = sympy.Matrix(rows).gauss_jordan_solve(sympy.Matrix(rhs))
    except ValueError:  # inconsistent
        return False
    return bool(free.shape[0]) or all(v > 0 for v in solution)


def is_nondegenerate(g: NormalFormGame) -> bool:
    """A sufficient test, independent of the solver: no mixture with support size s makes s + 1
    pure strategies of the opponent tie (von Stengel 2007, Definition 3.2 needs this only for
    best replies)."""
    b_transposed = [list(c) for c in zip(*g.column_payoffs)]
    n, k = g.shape
    for opponent, own_count, other_count in ((b_transposed, n, k), (g.row_payoffs, k, n)):
        for s in range(1, own_count + 1):
            for own in itertools.combinations(range(own_count), s):
                for tied in itertools.combinations(range(other_count), s + 1):
                    if _tied_mixture_exists(opponent, own, tied):
                        return False
    return True


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(integer_games())
def test_random_games_exact_verified_and_nashpy_matches(g: NormalFormGame) -> None:
    exact = nash_solve(g, exact=True)
    assert len(exact) >= 1  # Nash (1951)
    assert_verified(g, exact)
    for e in exact:  # a continuum's representative point lies within its ranges
        if e.is_continuum:
            assert e.row_range is not None and e.column_range is not None
            assert all(lo <= p <= hi for p, (lo, hi) in zip(e.row + e.column, e.row_range + e.column_range))
    float_result = nash_solve(g)
    assert_verified(g, float_result)
    if is_nondegenerate(g):
        assert not any(e.is_continuum for e in exact)
        assert len(exact) % 2 == 1  # nondegenerate games have an odd number of equilibria
        assert_subset(float_result, exact)


# -- Gambit, when installed ------------------------------------------------------------------------
def gambit_extreme_equilibria(g: NormalFormGame) -> set[Profile]:
    pygambit = pytest.importorskip("pygambit")
    gg = pygambit.Game.from_arrays([[F(v) for v in r] for r in g.row_payoffs],
                                   [[F(v) for v in r] for r in g.column_payoffs])
    first, second = list(gg.players)
    return {(tuple(F(eq[s]) for s in first.strategies), tuple(F(eq[s]) for s in second.strategies))
            for eq in pygambit.nash.enummixed_solve(gg, rational=True).equilibria}


def assert_consistent_with_gambit(g: NormalFormGame) -> None:
    """Isolated exact entries are extreme equilibria; every extreme equilibrium is an isolated
    entry or lies in the continuum entry of its own support pair (within its ranges)."""
    extreme = gambit_extreme_equilibria(g)
    result = nash_solve(g, exact=True)
    assert {(e.row, e.column) for e in result if not e.is_continuum} <= extreme
    for x, y in extreme:
        support = (tuple(i for i, p in enumerate(x) if p), tuple(j for j, p in enumerate(y) if p))
        (entry,) = [e for e in result if (e.row_support, e.column_support) == support]
        if entry.is_continuum:
            assert entry.row_range is not None and entry.column_range is not None
            assert all(lo <= p <= hi for p, (lo, hi) in zip(x + y, entry.row_range + entry.column_range))
        else:
            assert (entry.row, entry.column) == (x, y)


@pytest.mark.parametrize("g", NONDEGENERATE, ids=[g.name for g in NONDEGENERATE])
def test_matches_gambit_on_nondegenerate_games(g: NormalFormGame) -> None:
    assert profiles(nash_solve(g, exact=True)) == gambit_extreme_equilibria(g)


@pytest.mark.parametrize("g", [INDIFFERENT_COLUMN, VON_STENGEL_DEGENERATE], ids=lambda g: g.name)
def test_consistent_with_gambit_on_degenerate_games(g: NormalFormGame) -> None:
    assert_consistent_with_gambit(g)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(integer_games())
def test_random_games_consistent_with_gambit(g: NormalFormGame) -> None:
    assert_consistent_with_gambit(g)
    if is_nondegenerate(g):
        assert profiles(nash_solve(g, exact=True)) == gambit_extreme_equilibria(g)


def test_equilibrium_defaults_describe_an_isolated_point() -> None:
    e = NashEquilibrium((1.0,), (0.0, 1.0), (1.0, 2.0))
    assert not e.is_continuum and e.row_range is None and e.is_pure

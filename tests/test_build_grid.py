"""Games over a parameter grid at once (``build_game_grid``) against ``build_game`` point by point.

Every grid is compared with the loop it replaces: ``build_game`` at each point with the grid
values as ``--grid`` expressions. Where the loop succeeds, every prior, payoff and parameter
value agrees within ``GRID_TOLERANCE`` (absolute and relative); where it fails, the grid raises
the loop's first error (same message, file, line and key). The float arrays with error bounds
behind it (``Expression.evaluate_bounded``) are checked against exact evaluation on generated
expressions. Also: ``GameGrid.game``, no ``eval``, and no sympy at CLI start-up.
"""

from __future__ import annotations

import builtins
import itertools
import subprocess
import sys
from collections.abc import Mapping, Sequence
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intelgame.errors import SpecError
from intelgame.games import GameGrid, SignallingGame, build_game_grid
from intelgame.games.build import build_game
from intelgame.games.grid import GRID_TOLERANCE, grid_value_expression
from intelgame.spec import load_spec, parse_expression, parse_overrides, parse_spec
from intelgame.spec.expressions import Expression
from intelgame.spec.intervals import Bounded
from intelgame.spec.model import SignallingSpec

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
PAPER = MODELS / "intelligence_market.yaml"
SIGNALLING_MODELS = [p for p in sorted(MODELS.glob("*.yaml")) if isinstance(load_spec(p), SignallingSpec)]
Point = Sequence[F | float]


def loop(spec: SignallingSpec, overrides: Mapping[str, Expression], names: Sequence[str],
         points: Sequence[Point]) -> list[SignallingGame]:
    """What the grid replaces: ``build_game`` at each point in turn."""
    games = []
    for point in points:
        values = {**overrides, **{n: grid_value_expression(n, v) for n, v in zip(names, point)}}
        game = build_game(spec, values)
        assert isinstance(game, SignallingGame)
        games.append(game)
    return games


def close(grid_values: Any, exact_values: Any) -> bool:
    """Within ``GRID_TOLERANCE`` of the exact values converted to float, absolutely and relatively."""
    exact = np.asarray(exact_values, dtype=object).astype(float)
    return bool(np.all(np.abs(np.asarray(grid_values) - exact) <= GRID_TOLERANCE * np.maximum(1, np.abs(exact))))


def assert_same_as_loop(spec: SignallingSpec, overrides: Mapping[str, Expression], names: Sequence[str],
                        points: Sequence[Point]) -> GameGrid | None:
    """The grid agrees with the loop: the same first error, or the same games within tolerance."""
    try:
        games = loop(spec, overrides, names, points)
    except SpecError as expected:
        with pytest.raises(SpecError) as info:
            build_game_grid(spec, overrides, names, points)
        got = info.value
        assert (str(got), got.reason, got.file, got.line, got.key) == (
            str(expected), expected.reason, expected.file, expected.line, expected.key)
        return None
    grid = build_game_grid(spec, overrides, names, points)
    assert len(grid) == len(points)
    for i, game in enumerate(games):
        assert close(grid.prior[i], game.prior), (i, grid.prior[i], game.prior)
        assert close(grid.sender[i], game.sender_payoffs), (i, points[i])
        assert close(grid.receiver[i], game.receiver_payoffs), (i, points[i])
        assert grid.parameter_names == tuple(n for n, _ in game.parameters)
        assert close(grid.parameters[i], [v for _, v in game.parameters]), (i, points[i])
    return grid


def signalling(text: str) -> SignallingSpec:
    spec = parse_spec(text, file="game.yaml")
    assert isinstance(spec, SignallingSpec)
    return spec


def two_by_two(parameters: str, prior: tuple[str, str], payoff: str, other: str = "0") -> SignallingSpec:
    """A 2x2x2 spec whose first sender payoff is ``payoff`` (line 9) and the rest ``other``."""
    return signalling(f"""\
intelgame: 1
kind: signalling
name: test
parameters: {{{parameters}}}
types: {{a: "{prior[0]}", b: "{prior[1]}"}}
messages: [x, y]
actions: [l, r]
payoffs:
  a: {{x: {{l: ["{payoff}", 1], r: [0, "{other}"]}}, y: {{l: [1, 0], r: [0, 1]}}}}
  b: {{x: {{l: [0, 1], r: ["{other}", 0]}}, y: {{l: [1, "{other}"], r: [0, 1]}}}}
""")


# --- agreement with build_game ----------------------------------------------------------------

C_VALUES = [F(0), F(1, 4), F(1, 2), F(5, 6), F(1)]
V_VALUES = [F(0), F(1, 10), F(2, 5), F(1, 2), F(3, 5), F(1)]


def test_paper_model_agrees_with_build_game_at_every_point() -> None:
    spec = load_spec(PAPER)
    assert isinstance(spec, SignallingSpec)
    points = list(itertools.product(C_VALUES, V_VALUES))
    grid = assert_same_as_loop(spec, {}, ["c", "v"], points)
    assert grid is not None
    assert grid.names == ("c", "v") and grid.sender.shape == (30, 2, 2, 2) and grid.prior.shape == (30, 2)
    assert list(grid.scalar_points) == [0]  # nothing doubtful: the rest is vectorised
    with pytest.raises(ValueError):
        grid.sender[0, 0, 0, 0] = 1.0  # read-only


def test_paper_model_with_overrides_and_float_grid_values() -> None:
    spec = load_spec(PAPER)
    assert isinstance(spec, SignallingSpec)
    overrides = parse_overrides(["rho=7/2", "omega0=gamma/2"])
    points = [(c, v) for c in (0.0, 0.1, 0.3, 1 / 3, 0.75) for v in (0.05, 0.2, 0.5999)]
    assert_same_as_loop(spec, overrides, ["c", "v"], points)


@pytest.mark.parametrize("path", SIGNALLING_MODELS, ids=lambda p: p.stem)
def test_models_with_each_parameter_swept(path: Path) -> None:
    """Every parameter of every signalling model over values that include 0, negatives and
    values beyond 1 (so some priors are invalid and some divisions by zero may occur)."""
    spec = load_spec(path)
    assert isinstance(spec, SignallingSpec)
    values: list[F | float] = [F(1, 3), F(0), F(1, 2), F(2), F(-1, 7), F(1), F(7, 10), 0.25]
    for name in spec.parameters:
        assert_same_as_loop(spec, {}, [name], [(v,) for v in values])


def test_models_two_parameters_swept() -> None:
    spec = load_spec(MODELS / "spence_job_market.yaml")
    assert isinstance(spec, SignallingSpec)
    names = list(spec.parameters)[:2]
    points = list(itertools.product([F(1, 3), F(1, 2), F(3, 2)], [F(1), F(3, 4), F(0)]))
    assert_same_as_loop(spec, {}, names, points)


def test_dependent_parameters_are_re_evaluated_at_each_point() -> None:
    spec = two_by_two("p: 1/4, q: 1 - p, r: q * q / (p + 1), s: 5",
                      ("q * p / (q * p + (1 - q) * (1 - p))", "1 - q * p / (q * p + (1 - q) * (1 - p))"),
                      "r - s * p", "min(p, q) + abs(r - 1) ** 2")
    points = [(v,) for v in (F(1, 4), F(1, 3), F(2, 5), F(1, 10), F(9, 10))]
    grid = assert_same_as_loop(spec, {}, ["p"], points)
    assert grid is not None
    assert list(grid.scalar_points) == [0]


def test_independent_expressions_are_broadcast() -> None:
    spec = two_by_two("p: 1/2, w: 1/3", ("p", "1 - p"), "w / 7", "w ** 2")
    points = [(v,) for v in (F(1, 5), F(1, 2), F(3, 5))]
    grid = assert_same_as_loop(spec, {}, ["p"], points)
    assert grid is not None
    assert np.all(grid.sender[:, 0, 0, 0] == float(F(1, 21)))


def test_empty_grid() -> None:
    spec = load_spec(PAPER)
    grid = build_game_grid(spec, {}, ["c"], [])
    assert len(grid) == 0 and grid.sender.shape == (0, 2, 2, 2) and grid.parameters.shape == (0, 14)


# --- errors as the loop raises them ------------------------------------------------------------

@pytest.mark.parametrize(("payoff", "values"), [
    ("1 / (c - 1/2)", [F(0), F(1, 4), F(1, 2), F(1), F(1, 2)]),       # division by zero at point 2
    ("1 / (c - 1/3)", [F(0), 1 / 3, F(1, 3), F(1)]),                   # the float 1/3 is not 1/3
    ("(c - 1) ** (1/3)", [F(2), F(1), F(1, 2)]),                       # complex result at point 2
    ("c ** -2", [F(1), F(0)]),                                         # 0 ** -2
    ("c ** 65", [F(1), F(2)]),                                         # exponent over the exact limit
    ("(c / 3) ** 64", [F(1, 2), F(1, 3)]),                             # result over MAX_BITS bits
    ("2 ** c", [F(3), F(1, 2), F(64), F(65)]),                         # exact, float, then refused
    ("c ** c", [F(2), F(1, 2), F(0), F(-1, 2)]),                       # 0**0 = 1, then complex
    ("10.0 ** (c * 100)", [F(1), F(3), F(4)]),                         # float overflow at point 2
])
def test_first_error_is_the_loops(payoff: str, values: list[F | float]) -> None:
    spec = two_by_two("c: 1", ("1/2", "1/2"), payoff)
    assert_same_as_loop(spec, {}, ["c"], [(v,) for v in values])


def test_first_error_in_grid_order_among_different_errors() -> None:
    spec = two_by_two("c: 1, d: 1", ("1/2", "1/2"), "1 / (c - 1)", "1 / (d - 2)")
    points = [(F(0), F(0)), (F(0), F(2)), (F(1), F(0))]  # point 1: d - 2 = 0 (a later payoff)
    assert_same_as_loop(spec, {}, ["c", "d"], points)
    with pytest.raises(SpecError) as info:
        build_game_grid(spec, {}, ["c", "d"], points)
    assert (info.value.file, info.value.line, info.value.key) == ("game.yaml", 9, "payoffs.a.x.r[1]")
    assert "division by zero" in info.value.reason


def test_invalid_prior_at_a_point() -> None:
    spec = two_by_two("p: 1/2", ("p", "1 - p"), "p")
    cases: list[list[F | float]] = [[F(0), F(1, 2), F(3, 2), F(-1)], [F(1), F(-1, 2)], [F(1, 3), 0.1, F(11, 10)]]
    for values in cases:
        assert_same_as_loop(spec, {}, ["p"], [(v,) for v in values])
    with pytest.raises(SpecError) as info:
        build_game_grid(spec, {}, ["p"], [(F(1, 2),), (F(3, 2),)])
    assert info.value.key == "types.b" and "priors must be >= 0" in info.value.reason


def test_prior_sum_checked_exactly_and_with_floats() -> None:
    exact = two_by_two("p: 1/2, q: 1/2", ("p", "q"), "p")
    points = [(F(1, 3), F(2, 3)), (F(1, 2), F(1, 2) + F(1, 10**20)), (F(1), F(0))]
    assert_same_as_loop(exact, {}, ["p", "q"], points)   # 1/2 + (1/2 + 1e-20) is not 1
    floats = two_by_two("p: 1/2", ("p ** 0.5", "1 - p ** 0.5"), "p")
    assert_same_as_loop(floats, {}, ["p"], [(v,) for v in (F(1, 4), F(1, 2), F(9, 4), F(1, 9))])


def test_parameter_error_and_structural_errors() -> None:
    spec = two_by_two("c: 1, d: 1 / (c - 2)", ("1/2", "1/2"), "d")
    assert_same_as_loop(spec, {}, ["c"], [(F(0),), (F(2),), (F(3),)])
    assert_same_as_loop(spec, {}, ["zz"], [(F(0),), (F(1),)])                      # unknown name
    assert_same_as_loop(spec, parse_overrides(["c=d"]), ["c"], [(F(1),)])          # c uses d (below)
    assert_same_as_loop(spec, parse_overrides(["zz=1"]), ["c"], [(F(1),)])         # unknown override
    assert_same_as_loop(spec, {}, ["c"], [(float("inf"),), (F(1),)])               # not a finite number


def test_wrong_arguments() -> None:
    spec = load_spec(PAPER)
    with pytest.raises(ValueError):
        build_game_grid(spec, {}, ["c", "c"], [(F(0), F(1))])
    with pytest.raises(ValueError):
        build_game_grid(spec, {}, ["c", "v"], [(F(0),)])
    normal = load_spec(MODELS / "prisoners_dilemma.yaml")
    with pytest.raises(SpecError, match="signalling spec"):
        build_game_grid(normal, {}, ["T"], [(F(1),)])


def test_cancellation_beyond_the_tolerance_falls_back_to_exact() -> None:
    spec = two_by_two("c: 1", ("1/2", "1/2"), "(10**20 + c) - 10**20", "c * 10**30 / 10**30")
    points = [(v,) for v in (F(1, 3), F(2), F(7, 3))]
    grid = assert_same_as_loop(spec, {}, ["c"], points)
    assert grid is not None
    assert list(grid.scalar_points) == [0, 1, 2]  # float64 cannot hold 10**20 + 1/3
    assert grid.sender[1, 0, 0, 0] == 2.0


# --- GameGrid.game ----------------------------------------------------------------------------

def test_game_at_a_point_is_the_checked_game() -> None:
    spec = load_spec(PAPER)
    assert isinstance(spec, SignallingSpec)
    points = list(itertools.product(C_VALUES, V_VALUES))
    grid = build_game_grid(spec, {}, ["c", "v"], points)
    games = loop(spec, {}, ["c", "v"], points)
    for i in (0, 7, 29):
        game = grid.game(i)
        checked = SignallingGame(
            name=game.name, types=game.types, messages=game.messages, actions=game.actions,
            prior=game.prior, sender_payoffs=game.sender_payoffs, receiver_payoffs=game.receiver_payoffs,
            description=game.description, parameters=game.parameters)
        assert game == checked and checked.is_numeric and not checked.is_rational  # computed, not the trusted flag
        assert all(isinstance(x, float) for row in game.sender_payoffs for cell in row for x in cell)
        assert (game.name, game.types, game.shape) == (games[i].name, games[i].types, games[i].shape)
        assert [n for n, _ in game.parameters] == [n for n, _ in games[i].parameters]
        assert close([v for _, v in game.parameters], [v for _, v in games[i].parameters])
        assert dict(game.parameters)["c"] == float(points[i][0])
        for ours, theirs in zip(game.arrays(), games[i].arrays()):
            assert close(ours, theirs)


# --- float arrays with error bounds, on generated expressions ---------------------------------

LEAVES = ["a", "b", "0", "1", "2", "3", "1/3", "0.1", "10", "0.5", "2.5e-3"]
VALUES: list[F | float] = [F(0), F(1), F(-1), F(1, 3), F(2, 3), F(-5, 2), F(10**12 + 1, 10**6), F(1, 7),
                           F(2**60 + 1), 0.1, -2.0, 0.0, 1e-3]


def _expressions() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(inner, st.sampled_from(["2", "3", "-1", "0", "0.5", "a", "b", "(1/3)"])).map(
                lambda t: f"({t[0]}) ** {t[1]}"),
            inner.map(lambda x: f"-{x}"),
            inner.map(lambda x: f"abs({x})"),
            st.lists(inner, min_size=1, max_size=3).flatmap(
                lambda args: st.sampled_from(["min", "max"]).map(lambda f: f"{f}({', '.join(args)})")),
        )
    return st.recursive(st.sampled_from(LEAVES), extend, max_leaves=8)


EXPRESSIONS = _expressions()
#: Values exact in binary with few bits: the error bound has no reason to doubt them.
CLEAN_VALUES: list[F | float] = [F(0), F(1), F(-1), F(2), F(1, 2), 0.5, 2.0]
POINTS = st.lists(st.tuples(st.sampled_from(VALUES), st.sampled_from(VALUES)), min_size=1, max_size=6)


def check_bounded(text: str, a_values: list[F | float], b_values: list[F | float], precise: bool) -> int:
    """Check every point that is not doubtful; return how many are not."""
    expression = parse_expression(text, file="f", line=1, key="k")
    inputs = {"a": Bounded.of_numbers(a_values), "b": Bounded.of_numbers(b_values)}
    result = expression.evaluate_bounded(inputs, precise=precise)
    n = len(a_values)
    value, error = np.broadcast_to(result.value, n), np.broadcast_to(result.error, n)
    doubtful, exact = np.broadcast_to(result.doubtful, n), np.broadcast_to(result.exact, n)
    trusted = 0
    for i in range(n):
        try:
            v = expression.evaluate({"a": a_values[i], "b": b_values[i]})
        except SpecError:
            assert doubtful[i], (text, a_values[i], b_values[i])
            continue
        if doubtful[i]:
            continue
        assert isinstance(v, F) == bool(exact[i]), (text, i, v)
        reference = float(v)
        assert abs(value[i] - reference) <= error[i] + 2.0**-52 * abs(reference), (text, i, v, value[i], error[i])
        trusted += 1
    return trusted


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS, POINTS, st.booleans())
def test_bounded_evaluation_is_sound(text: str, points: list[tuple[F | float, F | float]], precise: bool) -> None:
    """Where a point is not doubtful, ``evaluate`` succeeds there, with a number within the
    error bound of the float value, exact where the bound says so."""
    check_bounded(text, [a for a, _ in points], [b for _, b in points], precise)


@pytest.mark.parametrize("text", [
    "1 / (a - b)", "(a - 1/3) ** -1", "a ** b", "2 ** (a * 100)", "(a * b) ** 64", "min(a, 0.5) + max(b)",
    "a ** (1/3)", "abs(a) ** 0.5 * b", "(a + 0.1) ** 2 - a ** 2", "b ** 70", "0 ** a", "a / 3 * 3 - a",
])
def test_bounded_evaluation_on_chosen_expressions(text: str) -> None:
    """On the mixed values (inexact floats, 61-bit integers) every point may be doubtful; on
    clean ones (exact in binary, few bits) the precise bound must also vouch for some points, so
    that their values are checked, not only skipped (the coarse one may doubt them all: it takes
    the worst case over the points, e.g. a - b = 0 somewhere)."""
    for values in (VALUES, CLEAN_VALUES):
        pairs = list(itertools.product(values, values))
        for precise in (False, True):
            trusted = check_bounded(text, [a for a, _ in pairs], [b for _, b in pairs], precise)
            if precise and values is CLEAN_VALUES:
                assert trusted >= 1, text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EXPRESSIONS, min_size=3, max_size=3), POINTS)
def test_grid_of_generated_payoffs_agrees_with_the_loop(texts: list[str], points: list[tuple[Any, Any]]) -> None:
    """Payoffs and a parameter (set by an override, so evaluated at each point) generated."""
    spec = two_by_two("a: 1, b: 2, c: 0", ("1/2", "1/2"), texts[0], f"{texts[1]} - c")
    assert_same_as_loop(spec, parse_overrides([f"c={texts[2]}"]), ["a", "b"], points)


# --- safety and start-up ----------------------------------------------------------------------

def test_no_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    """The grid builds its games without ``eval``, ``exec`` or sympy's parser."""
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("code was evaluated")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    spec = load_spec(PAPER)
    v_values: list[F | float] = [0.1, F(1, 3)]
    points = list(itertools.product(C_VALUES, v_values))
    grid = build_game_grid(spec, parse_overrides(["rho=2**3"]), ["c", "v"], points)
    assert np.isfinite(grid.sender).all()


def test_grid_values_are_expressions_not_code() -> None:
    assert grid_value_expression("c", F(-3, 4)).source == "-3/4"
    assert grid_value_expression("c", 1e-05).evaluate({}) == F(1, 100000)
    with pytest.raises(SpecError, match="call"):
        parse_expression("__import__('os')", file="--grid", line=None, key="c")


def test_cli_start_up_does_not_import_sympy() -> None:
    code = "import sys, intelgame.cli.app, intelgame.spec, intelgame.games; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"

"""The fast analysis paths give exactly what the plain algorithms give.

``classify``, ``assess``, the Intuitive Criterion and ``format_number`` were rewritten for
speed (per-game facts, memos, plain loops, a float prior in float arithmetic, a shortcut that
skips the belief cells). The references below are the plain algorithms as first written; the
outputs must be identical (same values and same types: ``repr`` equality; the Intuitive
Criterion against itself without the shortcut), on random 2x2x2 games in both arithmetics, on
Fraction games solved in floats (mixed arithmetic), and on the 2x2x2 models of ``models/``.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intelgame.analysis import refinements
from intelgame.analysis.classify import classify
from intelgame.analysis.quality import Interpretation, Quality, assess
from intelgame.analysis.refinements import cells_for, intuitive_criterion
from intelgame.output.documents import analyse, components
from intelgame.analysis.two_stage import interpretation_of
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.output.numbers import format_number
from intelgame.solvers.pbe.belief_cells import BeliefCells
from intelgame.solvers.pbe.result import PBE, PBEResult
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import load_spec

MODELS = sorted((Path(__file__).resolve().parents[1] / "models").glob("*.yaml"))


# --- the plain algorithms ---------------------------------------------------------------------

def _close(a: Any, b: Any, tolerance: float) -> bool:
    return bool(a == b) if tolerance == 0 else bool(abs(a - b) <= tolerance)


def plain_classify(game: SignallingGame, equilibrium: PBE, tolerance: float = 0) -> str:
    informed = [t for t, p in enumerate(game.prior) if p > tolerance]
    on_path = [m for m, on in enumerate(equilibrium.on_path) if on]
    if all(_close(equilibrium.beliefs[m][t], game.prior[t], tolerance)
           for m in on_path for t in range(len(game.types))):
        return "pooling"
    pure = all(any(_close(p, 1, tolerance) for p in equilibrium.sender[t]) for t in informed)
    senders = [sum(1 for t in informed if equilibrium.sender[t][m] > tolerance) for m in on_path]
    if pure and all(k == 1 for k in senders):
        return "separating"
    return "semi-separating"


def plain_mutual_information(game: SignallingGame, eq: PBE) -> float:
    total = 0.0
    for m in range(len(game.messages)):
        pm = sum(float(game.prior[t]) * float(eq.sender[t][m]) for t in range(len(game.types)))
        for t in range(len(game.types)):
            joint = float(game.prior[t]) * float(eq.sender[t][m])
            if joint > 0 and pm > 0:
                total += joint * math.log2(float(eq.sender[t][m]) / pm)
    return max(total, 0.0)


def plain_prior_only_value(game: SignallingGame) -> Any:
    ur = game.receiver_payoffs
    n_t, n_m, n_a = game.shape
    if any(ur[t][m][a] != ur[t][0][a] for t in range(n_t) for m in range(n_m) for a in range(n_a)):
        return None
    return max(sum(game.prior[t] * ur[t][0][a] for t in range(n_t)) for a in range(n_a))


def plain_assess(game: SignallingGame, eq: PBE, interpretation: Interpretation | None, tolerance: float) -> Quality:
    n_t, n_m, n_a = game.shape
    informed = [t for t in range(n_t) if game.prior[t] > tolerance]
    kind = plain_classify(game, eq, tolerance)
    sender_value = sum(game.prior[t] * eq.sender_payoffs[t] for t in range(n_t))
    prior_value = plain_prior_only_value(game)
    value = None if prior_value is None else eq.receiver_payoff - prior_value
    if tolerance and value is not None and abs(value) <= tolerance:
        value = 0.0  # a float difference within the tolerance of 0
    mi = plain_mutual_information(game, eq)
    if interpretation is None:
        primary = {"pooling": "babbling", "separating": "fully revealing", "semi-separating": "partially revealing"}[kind]
        return Quality((primary,), mi, None, None, None, None, sender_value, eq.receiver_payoff, value)
    rep, act = interpretation.reports, interpretation.correct_actions

    def joint(t: int, m: int, a: int) -> Any:
        return game.prior[t] * eq.sender[t][m] * eq.receiver[m][a]

    cells = [(t, m, a) for t in range(n_t) for m in range(n_m) for a in range(n_a)]
    false_report = sum(game.prior[t] * eq.sender[t][m] for t in range(n_t) for m in range(n_m) if m != rep[t])
    match = sum(joint(t, m, a) for t, m, a in cells if a == act[t])
    manipulation = sum(joint(t, m, a) for t, m, a in cells if a != act[t]
                       and game.sender_payoffs[t][m][a] > game.sender_payoffs[t][m][act[t]])
    if kind == "pooling":
        primary = "babbling"
    elif all(not bool(1 - eq.sender[t][rep[t]] > tolerance) for t in informed):
        primary = "truthful"
    else:
        primary = "noisy"
    labels = [primary]
    lies = [(t, m) for t in informed for m in range(n_m) if m != rep[t] and bool(eq.sender[t][m] > tolerance)]
    alarm = interpretation.alarm
    if alarm is not None:
        if any(m == rep[alarm] for t, m in lies if t != alarm):
            labels.append(f"fabricated {interpretation.alarm_name}")
        if any(t == alarm for t, _ in lies):
            labels.append(f"concealed {interpretation.alarm_name}")
    elif lies:
        labels.append("false report")
    on_path = [m for m in range(n_m) if eq.on_path[m]]
    if primary != "babbling" and all(
            not bool(abs(eq.receiver[m][a] - eq.receiver[on_path[0]][a]) > tolerance)
            for m in on_path for a in range(n_a)):
        labels.append("babbling in outcome")
    return Quality(tuple(labels), mi, false_report, match, 1 - match, manipulation, sender_value,
                   eq.receiver_payoff, value)


def plain_intuitive_criterion(equilibrium: PBE, cells: BeliefCells) -> bool:
    """The criterion with every off-path message examined (no shortcut past the belief cells)."""
    with mock.patch.object(refinements, "_may_dominate", return_value=True):
        return intuitive_criterion(equilibrium, cells)


def plain_format_number(x: Any, exact: bool) -> Any:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"format_number expects a real number, got {x!r}")
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Rational):
        q = Fraction(int(x.numerator), int(x.denominator))
        if q.denominator == 1:
            return q.numerator
        return f"{q.numerator}/{q.denominator}" if exact else plain_round(float(q))
    return plain_round(float(x))


def plain_round(v: float) -> float:
    rounded = float(f"{v:.12g}")
    return rounded if rounded != 0 else 0.0


# --- the comparisons --------------------------------------------------------------------------

def check_result(result: PBEResult, interpretation: Interpretation | None) -> None:
    """Every fast output of ``result`` equals the plain one, value and type."""
    game, tolerance = result.game, result.tolerance
    cells = cells_for(game, exact=result.exact, tolerance=tolerance or 1e-9)
    analysed = analyse(result, interpretation)
    assert len(analysed) == len(result) == len(components(result))
    for eq, (same, intuitive, quality) in zip(result, analysed):
        assert same is eq
        for tol in {tolerance, 0, 1e-9}:
            assert classify(game, eq, tolerance=tol) == plain_classify(game, eq, tol)
        for interp in (interpretation, None):
            assert repr(assess(game, eq, interp, tolerance=tolerance)) == repr(plain_assess(game, eq, interp, tolerance))
        assert repr(quality) == repr(plain_assess(game, eq, interpretation, tolerance))
        assert list(quality.to_dict().items()) == list(dataclasses.asdict(quality).items())  # values and order
        verdict = plain_intuitive_criterion(eq, cells)
        assert intuitive is verdict is intuitive_criterion(eq, cells)
        for x in (*quality.to_dict().values(), *(p for row in eq.sender for p in row)):
            if isinstance(x, numbers.Real) and not isinstance(x, bool):
                for exact in (False, True):
                    assert repr(format_number(x, exact)) == repr(plain_format_number(x, exact))


def market_interpretation(game: SignallingGame) -> Interpretation:
    return Interpretation.from_names(game, {"t0": "m0", "t1": "m1"}, {"t0": "a0", "t1": "a1"}, "t0")


@st.composite
def games_2x2x2(draw: Any, exact: bool) -> SignallingGame:
    """Random 2x2x2 games with small integer payoffs (many ties, hence continua and pooling)."""
    payoff = st.integers(-3, 3)
    p = draw(st.sampled_from([Fraction(1, 4), Fraction(1, 2), Fraction(2, 3), Fraction(0), Fraction(1)]))
    prior = [p, 1 - p] if exact else [float(p), 1 - float(p)]
    payoffs = {t: {m: {a: (draw(payoff), draw(payoff)) for a in ("a0", "a1")} for m in ("m0", "m1")}
               for t in ("t0", "t1")}
    return SignallingGame.from_payoffs(name="random", types=["t0", "t1"], messages=["m0", "m1"],
                                       actions=["a0", "a1"], prior=prior, payoffs=payoffs)


@settings(max_examples=60, deadline=None)
@given(games_2x2x2(exact=False))
def test_float_games(game: SignallingGame) -> None:
    check_result(pbe_solve(game), market_interpretation(game))


@settings(max_examples=40, deadline=None)
@given(games_2x2x2(exact=True))
def test_exact_games_and_fraction_games_solved_in_floats(game: SignallingGame) -> None:
    check_result(pbe_solve(game, exact=True), market_interpretation(game))
    check_result(pbe_solve(game), market_interpretation(game))  # Fraction game, float equilibria


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_models(path: Path) -> None:
    spec = load_spec(path)
    game = build_game(spec)
    if not isinstance(game, SignallingGame) or math.prod(game.shape) > 8:
        pytest.skip("a 2x2x2 signalling model")
    interpretation = interpretation_of(spec, game)  # type: ignore[arg-type]
    for exact in (False, True):
        check_result(pbe_solve(game, exact=exact), interpretation)


@pytest.mark.parametrize("x", [0, 7, -3, Fraction(1, 3), Fraction(-6, 3), Fraction(10**20, 3), 0.1 + 0.2, -0.0, 0.0,
                               1.0, -1.0, -1e-17, 1e300, 5e-324, 2.5e-7, 1 / 3, 123456789012345.678, math.inf,
                               -math.inf, 1.0000000000005])
def test_format_number(x: Any) -> None:
    for exact in (False, True):
        assert repr(format_number(x, exact)) == repr(plain_format_number(x, exact))


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False))
def test_format_float(x: float) -> None:
    assert repr(format_number(x, False)) == repr(plain_format_number(x, False))


@pytest.mark.parametrize("bad", ["1/3", None, True, 1j])
def test_format_number_rejects_what_is_not_a_real_number(bad: Any) -> None:
    with pytest.raises(TypeError):
        format_number(bad, True)

"""The analyses against independent oracles and properties, in every arithmetic.

``classify`` and ``assess`` are one definition over tables of equilibria (see
:mod:`intelgame.analysis.quality`); they are checked here against what they mean, not against
a second copy: the classification against the posteriors and the strategies' supports, the
mutual information against its form :math:`\\sum_m P(m) \\sum_t \\mu(t|m)\\log_2(\\mu(t|m)/p(t))`
from the beliefs, the probabilities against their own sums over :math:`P(t, m, a)` taken
without arrays, the float path against the exact one (labels equal, metrics within 1e-9),
and the types: exact results give exact metrics. The Intuitive Criterion is checked against
itself without the shortcut that skips the belief cells; ``format_number`` against its
definition (12 significant digits, fraction strings when exact). On random 2x2x2 games in
both arithmetics, Fraction games solved in floats, and the 2x2x2 models of ``models/``.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import numbers
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intelgame.analysis import refinements
from intelgame.analysis.classify import classify
from intelgame.analysis.quality import Interpretation, Quality, assess, assess_all
from intelgame.analysis.refinements import cells_for, intuitive_criterion
from intelgame.analysis.on_path_play import on_path_plays
from intelgame.output.documents import analyse
from intelgame.analysis.two_stage import interpretation_of
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.output.numbers import format_number
from intelgame.solvers.pbe.belief_cells import BeliefCells
from intelgame.solvers.pbe.result import PBE, PBEResult
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import load_spec

MODELS = sorted((Path(__file__).resolve().parents[1] / "models").glob("*.yaml"))


# --- oracles ---------------------------------------------------------------------------------

def _close(a: Any, b: Any, tolerance: float) -> bool:
    return bool(a == b) if tolerance == 0 else bool(abs(a - b) <= tolerance)


def classification_oracle(game: SignallingGame, eq: PBE, tolerance: float) -> str:
    """Pooling: each on-path posterior is the prior. Separating: the informed types' strategies
    are pure and no two share a message. Otherwise semi-separating."""
    n_t = len(game.types)
    if all(_close(eq.beliefs[m][t], game.prior[t], tolerance)
           for m, on in enumerate(eq.on_path) if on for t in range(n_t)):
        return "pooling"
    informed = [t for t in range(n_t) if game.prior[t] > tolerance]
    sent = [[m for m, x in enumerate(eq.sender[t]) if x > tolerance] for t in informed]
    pure = all(len(ms) == 1 and _close(eq.sender[t][ms[0]], 1, tolerance) for t, ms in zip(informed, sent))
    if pure and len({ms[0] for ms in sent}) == len(informed):
        return "separating"
    return "semi-separating"


def information_from_beliefs(game: SignallingGame, eq: PBE) -> float:
    """:math:`I(\\theta; m)` as the expected divergence of the posteriors from the prior."""
    prior = [float(p) for p in game.prior]
    total = 0.0
    for m in range(len(game.messages)):
        pm = sum(p * float(eq.sender[t][m]) for t, p in enumerate(prior))
        for t, p in enumerate(prior):
            mu = p * float(eq.sender[t][m]) / pm if pm > 0 else 0.0
            if mu > 0:
                total += pm * mu * math.log2(mu / p)
    return total


def check_properties(game: SignallingGame, eq: PBE, quality: Quality, interpretation: Interpretation | None,
                     exact: bool) -> None:
    """Probabilities as sums over P(t, m, a) (no arrays), exact types when exact, and the
    information against its form from the beliefs."""
    assert math.isclose(quality.mutual_information_bits, information_from_beliefs(game, eq), abs_tol=1e-9)
    assert quality.mutual_information_bits >= 0
    assert quality.sender_payoff == sum(p * u for p, u in zip(game.prior, eq.sender_payoffs)) or not exact
    numbers = [v for k, v in quality.to_dict().items() if k not in ("labels", "mutual_information_bits")
               and v is not None]
    if exact:
        assert all(isinstance(v, (int, Fraction)) for v in numbers), quality
    if interpretation is None:
        assert quality.match_probability is quality.false_report_probability is None
        return
    cells = list(itertools.product(*map(range, game.shape)))
    rep, act = interpretation.reports, interpretation.correct_actions

    def joint(t: int, m: int, a: int) -> Any:
        return game.prior[t] * eq.sender[t][m] * eq.receiver[m][a]
    us = game.sender_payoffs
    expected = {
        "false_report_probability": sum(joint(t, m, a) for t, m, a in cells if m != rep[t]),
        "match_probability": sum(joint(t, m, a) for t, m, a in cells if a == act[t]),
        "manipulation_probability": sum(joint(t, m, a) for t, m, a in cells
                                        if a != act[t] and us[t][m][a] > us[t][m][act[t]]),
    }
    for name, value in expected.items():
        got = getattr(quality, name)
        assert got == value if exact else math.isclose(got, value, abs_tol=1e-9), (name, got, value)
    assert quality.mismatch_probability == 1 - quality.match_probability


def plain_intuitive_criterion(equilibrium: PBE, cells: BeliefCells) -> bool:
    """The criterion with every off-path message examined (no shortcut past the belief cells)."""
    with mock.patch.object(refinements, "_may_dominate",
                           side_effect=lambda u_star, *_: np.ones(len(u_star), dtype=bool)):
        return intuitive_criterion(equilibrium, cells)


def defined_format_number(x: Any, exact: bool) -> Any:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"format_number expects a real number, got {x!r}")
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Rational):
        q = Fraction(int(x.numerator), int(x.denominator))
        if q.denominator == 1:
            return q.numerator
        return f"{q.numerator}/{q.denominator}" if exact else defined_round(float(q))
    return defined_round(float(x))


def defined_round(v: float) -> float:
    rounded = float(f"{v:.12g}")
    return rounded if rounded != 0 else 0.0


# --- the comparisons --------------------------------------------------------------------------

def check_result(result: PBEResult, interpretation: Interpretation | None,
                 exact_twin: PBEResult | None = None) -> None:
    """The analyses of ``result`` against the oracles; a float result also against its exact
    twin (the same equilibria solved exactly, in the same order)."""
    game, tolerance = result.game, result.tolerance
    cells = cells_for(game, exact=result.exact, tolerance=tolerance or 1e-9)
    analysed = analyse(result, interpretation)
    assert len(analysed) == len(result) == len(on_path_plays(result))
    twins = list(exact_twin) if exact_twin is not None and len(exact_twin) == len(result) else [None] * len(result)
    for eq, (same, intuitive, quality), twin in zip(result, analysed, twins):
        assert same is eq
        for tol in {tolerance, 0, 1e-9}:
            assert classify(game, eq, tolerance=tol) == classification_oracle(game, eq, tol)
        for interp in (interpretation, None):
            check_properties(game, eq, assess(game, eq, interp, tolerance=tolerance), interp, result.exact)
        assert quality == assess(game, eq, interpretation, tolerance=tolerance)
        assert list(quality.to_dict().items()) == list(dataclasses.asdict(quality).items())  # values and order
        if twin is not None and exact_twin is not None:
            exact = assess(exact_twin.game, twin, interpretation)
            assert quality.labels == exact.labels
            for k, v in quality.to_dict().items():
                w = exact.to_dict()[k]
                assert (v is None) == (w is None) and (k == "labels" or v is None or math.isclose(v, w, abs_tol=1e-9))
        verdict = plain_intuitive_criterion(eq, cells)
        assert intuitive is verdict is intuitive_criterion(eq, cells)
        for x in (*quality.to_dict().values(), *(p for row in eq.sender for p in row)):
            if isinstance(x, numbers.Real) and not isinstance(x, bool):
                for exact_format in (False, True):
                    assert repr(format_number(x, exact_format)) == repr(defined_format_number(x, exact_format))


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
    exact = pbe_solve(game, exact=True)
    check_result(exact, market_interpretation(game))
    check_result(pbe_solve(game), market_interpretation(game), exact)  # Fraction game, float equilibria


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_models(path: Path) -> None:
    spec = load_spec(path)
    game = build_game(spec)
    if not isinstance(game, SignallingGame) or math.prod(game.shape) > 8:
        pytest.skip("a 2x2x2 signalling model")
    interpretation = interpretation_of(spec, game)  # type: ignore[arg-type]
    exact = pbe_solve(game, exact=True)
    check_result(exact, interpretation)
    check_result(pbe_solve(game), interpretation, exact)


def same_bits(a: Any, b: Any) -> bool:
    """Equal values of the same types, floats bit for bit (``nan`` equal to ``nan``)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same_bits(x, y) for x, y in zip(a, b))
    if type(a) is not type(b):
        return False
    return repr(a) == repr(b) if isinstance(a, float) else a == b


def check_batched(result: PBEResult, interpretation: Interpretation | None) -> None:
    """assess_all (one table of every entry) gives each entry's classify and assess exactly."""
    batched = assess_all(result.game, result.equilibria, interpretation, tolerance=result.tolerance)
    for eq, (kind, quality) in zip(result, batched):
        assert kind == classify(result.game, eq, tolerance=result.tolerance)
        alone = assess(result.game, eq, interpretation, tolerance=result.tolerance)
        assert same_bits(tuple(quality.to_dict().values()), tuple(alone.to_dict().values()))


@settings(max_examples=40, deadline=None)
@given(games_2x2x2(exact=True))
def test_batched_assessment_is_each_entry_s(game: SignallingGame) -> None:
    for result in (pbe_solve(game, exact=True), pbe_solve(game)):
        for interpretation in (None, market_interpretation(game)):
            check_batched(result, interpretation)


def test_batched_assessment_of_no_entries() -> None:
    game = build_game(load_spec(MODELS[0]))
    assert assess_all(game, []) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_batched_assessment_on_models(path: Path) -> None:
    spec = load_spec(path)
    game = build_game(spec)
    if not isinstance(game, SignallingGame):
        pytest.skip("a normal-form model")
    for exact in (True, False):
        check_batched(pbe_solve(game, exact=exact), interpretation_of(spec, game))  # type: ignore[arg-type]


@pytest.mark.parametrize("x", [0, 7, -3, Fraction(1, 3), Fraction(-6, 3), Fraction(10**20, 3), 0.1 + 0.2, -0.0, 0.0,
                               1.0, -1.0, -1e-17, 1e300, 5e-324, 2.5e-7, 1 / 3, 123456789012345.678, math.inf,
                               -math.inf, 1.0000000000005])
def test_format_number(x: Any) -> None:
    for exact in (False, True):
        assert repr(format_number(x, exact)) == repr(defined_format_number(x, exact))


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False))
def test_format_float(x: float) -> None:
    assert repr(format_number(x, False)) == repr(defined_format_number(x, False))


@pytest.mark.parametrize("bad", ["1/3", None, True, 1j])
def test_format_number_rejects_what_is_not_a_real_number(bad: Any) -> None:
    with pytest.raises(TypeError):
        format_number(bad, True)

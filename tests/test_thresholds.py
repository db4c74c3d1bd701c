"""Symbolic existence conditions and thresholds against the closed forms of docs/MODEL.md
(Chang 2023, formal model) and Cho and Kreps (1987), and against the numerical PBE solver."""

from __future__ import annotations

import itertools
import json
import random
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy
from games_for_tests import beer_quiche, intelligence_market

from intelgame.symbolic import (
    ExistenceConditions,
    SymbolicArithmetic,
    Threshold,
    equilibrium_conditions,
    support_conditions,
    threshold_curves,
    thresholds,
)
from intelgame.symbolic.fields import _Field
from intelgame.symbolic.linear import _linear_root
from intelgame.errors import SolverError
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.belief_cells import BeliefCells
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import parse_spec

MODELS = Path(__file__).parent.parent / "models"

# MODEL.md's signalling stage, written here so the tests do not depend on models/ (which has
# its own tests); the models are used too when present.
MARKET_YAML = """
intelgame: 1
kind: signalling
name: intelligence-market-test
parameters: {pi: 1/4, L: 10, k: 4, e: 1, L_P: 6, beta: 3, eta: 0, omega0: 1, gamma: 4, c: 0,
             v: 1/10, rho: 6}
types: {threat: pi, no_threat: 1 - pi}
messages: [warn, reassure]
actions: [alert, restrain]
payoffs:
  threat:
    warn:     {alert: [gamma*c - omega0 - eta, 0],
               restrain: [(1 - v)*(-L_P) + v*(gamma*c - omega0 - eta), -(1 - v)*(L + e)]}
    reassure: {alert: [gamma*c - omega0 - eta - v*rho, 0],
               restrain: [(1 - v)*(-L_P) + v*(gamma*c - omega0 - eta - rho), -(1 - v)*(L + e)]}
  no_threat:
    warn:     {alert: [(1 - v)*beta + v*(gamma*c - omega0 - rho), -(1 - v)*(k + e)],
               restrain: [gamma*c - omega0 - v*rho, 0]}
    reassure: {alert: [(1 - v)*beta + v*(gamma*c - omega0), -(1 - v)*(k + e)],
               restrain: [gamma*c - omega0, 0]}
interpretation:
  reports: {threat: warn, no_threat: reassure}
  correct_actions: {threat: alert, no_threat: restrain}
"""

S = {name: sympy.Symbol(name, real=True)
     for name in ("pi", "L", "k", "e", "L_P", "beta", "eta", "omega0", "gamma", "c", "v", "rho")}
pi, L, k, e, L_P, beta, eta, omega0, gamma, c, v, rho = S.values()
KAPPA = v * rho / (1 - v)
G_T = gamma * c - omega0 - eta + L_P
G_N = beta + omega0 - gamma * c
MU_STAR = (k + e) / (L + k + 2 * e)
C_FAB = (beta + omega0 - KAPPA) / gamma
C_CON = (omega0 + eta - L_P - KAPPA) / gamma
S_STAR = pi * (L + e) / ((1 - pi) * (k + e))
Q_STAR = KAPPA / G_N
V_BAR = (beta + omega0) / (beta + omega0 + rho)
TRUTHFUL = ((0,), (1,)), ((0,), (1,))  # threat->warn, no_threat->reassure; warn->alert, reassure->restrain
SEMI_SEPARATING = ((0,), (0, 1)), ((0, 1), (1,))


def same(a: Any, b: Any) -> bool:
    return bool(sympy.simplify(sympy.sympify(a) - sympy.sympify(b)) == 0)


@pytest.fixture(scope="module")
def market() -> Any:
    path = MODELS / "intelligence_market.yaml"
    return parse_spec(path.read_text(encoding="utf-8"), file=str(path)) if path.exists() else parse_spec(MARKET_YAML)


@pytest.fixture(scope="module")
def market_conditions(market: Any) -> dict[Any, ExistenceConditions]:
    """Every parameter symbolic, derived at the default calibration and along c in [0, 1]."""
    found = equilibrium_conditions(market, ranges={"c": (0, 1)}, steps=5)
    return {d.profile: d for d in found}


# -- the solver's builders in a symbolic arithmetic --------------------------------------------

def test_symbolic_arithmetic_runs_the_solvers_builders() -> None:
    ar = SymbolicArithmetic()
    assert ar.number(F(1, 10)) == sympy.Rational(1, 10) and ar.number(0.1) == sympy.Rational(1, 10)
    assert ar.number(c) is c
    cells = BeliefCells(intelligence_market(c=c), ar)  # type: ignore[arg-type]
    eqs, ubs = cells.rows(0, (0, 1), (0,))  # after warn, alert vs restrain
    assert not eqs and same(ubs[0][0], -(1 - sympy.Rational(1, 10)) * 11)
    with pytest.raises(SolverError):
        ar.open_point(cells.system(0, (0, 1), (0,)))
    with pytest.raises(SolverError):
        pbe_solve(intelligence_market(c=c))


def test_beer_quiche_pooling_on_beer_needs_p_weak_at_most_one_half() -> None:
    # Cho and Kreps (1987): pooling on beer, the receiver defers after beer (it must not duel
    # at the prior, i.e. P(weak) <= 1/2) and duels after quiche (belief P(weak|quiche) >= 1/2).
    p = sympy.Symbol("p", real=True)
    cond = support_conditions(beer_quiche(p), [["beer"], ["beer"]], [["defer"], ["duel"]])
    assert cond.derived and cond.classification == "pooling"
    bounds = cond.bounds("p", at={"p": F(1, 10)})
    assert bounds.high == sympy.Rational(1, 2) and not bounds.unsolved
    assert cond.holds({"p": F(1, 2)}) and not cond.holds({"p": F(3, 5)})
    cell = cond.offpath[1]  # beliefs after quiche: P(weak | quiche) in [1/2, 1]
    (interval,) = cell.intervals
    assert interval.at({}) == (sympy.Rational(1, 2), 1)


# -- MODEL.md: closed forms as the solver's own conditions --------------------------------------

def test_semi_separating_strategies_are_s_star_q_star_and_mu_star(market_conditions: Any) -> None:
    semi = market_conditions[SEMI_SEPARATING]
    assert semi.classification == "semi-separating" and not semi.is_continuum and semi.derived
    s_star = semi.strategy("sender", "no_threat", "warn")
    q_star = semi.strategy("receiver", "warn", "alert")
    mu = semi.strategy("belief", "warn", "threat")
    assert same(s_star, S_STAR) and same(q_star, Q_STAR) and same(mu, MU_STAR)
    calibration = dict(semi.point or {})  # the default calibration, where it was found
    assert calibration[c] == 0 and calibration[v] == sympy.Rational(1, 10)
    assert s_star.xreplace(calibration) == sympy.Rational(11, 15)
    assert q_star.xreplace(calibration) == sympy.Rational(1, 6)
    assert mu.xreplace(calibration) == sympy.Rational(5, 16)
    # existence: fabrication (g_N > kappa) and pi < mu*; the bound in c is c < c_fab
    bounds = semi.bounds("c")
    assert any(same(b, C_FAB) and strict for b, strict in bounds.upper)
    assert semi.holds({**calibration, c: sympy.Rational(4, 5)}) and not semi.holds({**calibration, c: sympy.Rational(5, 6)})
    assert not semi.holds({**calibration, pi: sympy.Rational(1, 3)})  # pi > mu* = 5/16


def test_truthful_conditions_are_g_N_at_most_kappa_and_g_T_at_least_minus_kappa(market_conditions: Any) -> None:
    truthful = market_conditions[TRUTHFUL]
    assert truthful.classification == "separating" and truthful.truthful and truthful.derived
    bounds = truthful.bounds("c")
    assert not bounds.upper and not bounds.unsolved and not bounds.equal
    assert len(bounds.lower) == 2 and not any(strict for _, strict in bounds.lower)
    lows = [b for b, _ in bounds.lower]
    assert any(same(b, C_FAB) for b in lows) and any(same(b, C_CON) for b in lows)
    # the conditions involving c are exactly g_N <= kappa and g_T >= -kappa (each a positive
    # multiple of kappa - g_N resp. g_T + kappa, with 0 < v < 1)
    involving_c = [cond for cond in truthful.conditions if c in cond.free_symbols]
    assert len(involving_c) == 2
    for cond in involving_c:
        ratios = [sympy.cancel(cond.expr / (KAPPA - G_N)), sympy.cancel(cond.expr / (G_T + KAPPA))]
        assert any(not r.has(c) for r in ratios)


def test_threshold_in_c_is_c_star(market: Any) -> None:
    (threshold,) = thresholds(market, "c", low=0, high=1)
    assert threshold.value == F(5, 6)
    assert same(threshold.expression, C_FAB)  # binding at the default calibration
    assert isinstance(threshold.closed_form, sympy.Max)  # c* = max(c_fab, c_con)
    fab, con = sorted(threshold.closed_form.args, key=lambda a: not same(a, C_FAB))
    assert same(fab, C_FAB) and same(con, C_CON)
    assert any("separating (truthful)" in label for label in threshold.appears)
    assert any(label.startswith("semi-separating") for label in threshold.disappears)
    assert "separating (truthful)" in threshold.description and "5/6 <= c <= 1" in threshold.description
    json.dumps(threshold.to_dict())


def test_threshold_in_c_on_the_whole_line_with_only_c_symbolic(market: Any) -> None:
    found = thresholds(market, "c", symbolic=["c"])
    first = found[0]
    assert first.value == F(5, 6) and first.expression == sympy.Rational(5, 6)
    assert "separating (truthful) [threat->warn, no_threat->reassure | warn->alert, reassure->restrain] " \
           "PBE exists for c >= 5/6" in first.description
    # the knife edge c = c*: the continuum where the no_threat patron warns with prob. in (0, 11/15]
    assert first.only_at and all(label.startswith("semi-separating") for label in first.only_at)


def test_games_for_tests_builder_with_a_symbolic_concession() -> None:
    found = thresholds(intelligence_market(c=c), "c", at={"c": 0}, low=0, high=1)
    assert [t.value for t in found] == [F(5, 6)]
    assert found[0].expression == sympy.Rational(5, 6)
    with pytest.raises(SolverError, match="missing: c"):
        thresholds(intelligence_market(c=c), "c")


def test_v_bar_is_the_threshold_in_v_at_zero_concession(market: Any) -> None:
    found = thresholds(market, "v", at={"c": 0, "eta": 0}, low=0, high=1)
    (at_v_bar,) = [t for t in found if t.value == F(2, 5)]
    assert same(at_v_bar.expression.subs({c: 0, eta: 0}), V_BAR)
    assert any("separating (truthful)" in label for label in at_v_bar.appears)
    values = [t.value for t in found]
    assert values == sorted(values) and values[0] == 0  # v = 0: cheap talk, a different PBE set


# -- the 1998 calibration -----------------------------------------------------------------------

def test_1998_pooling_on_reassure_with_a_mixed_offpath_reply(market: Any) -> None:
    (pooling,) = equilibrium_conditions(market, at={"eta": 12, "v": F(1, 20), "c": 0})
    assert pooling.classification == "pooling" and pooling.is_continuum and pooling.derived
    assert pooling.supports == ((1,), (1,)) and pooling.replies == ((0, 1), (1,))
    (interval,) = pooling.receiver_face.intervals
    assert interval.variable.name == "rho(alert|warn)"
    assert interval.at(pooling.point) == (sympy.Rational(6, 133), sympy.Rational(3, 38))
    # [kappa / (-g_T), kappa / g_N] symbolically
    assert any(same(b, KAPPA / (-G_T)) for b, _ in interval.lower)
    assert any(same(b, KAPPA / G_N) for b, _ in interval.upper)
    assert same(pooling.strategy("belief", "warn", "threat"), MU_STAR)  # off-path belief mu*
    # without a calibration point the sign of the alert probability's coefficient is unknown
    game = build_game(market, {}, symbolic=list(S))
    honest = support_conditions(game, pooling.supports, pooling.replies)
    assert not honest.derived and "not decided" in honest.receiver_face.note


def test_1998_threshold_in_v_is_7_13(market: Any) -> None:
    found = thresholds(market, "v", at={"eta": 12, "v": F(1, 20), "c": 0}, low=0, high=1)
    (at_7_13,) = [t for t in found if t.value == F(7, 13)]
    assert same(at_7_13.expression.subs(c, 0), (omega0 + eta - L_P) / (omega0 + eta - L_P + rho))
    assert any("separating (truthful)" in label for label in at_7_13.appears)
    assert any(label.startswith("pooling") for label in at_7_13.disappears)


# -- agreement with the numerical solver ---------------------------------------------------------

@pytest.mark.parametrize("v_value", [F(1, 10), F(1, 2)])
def test_derived_conditions_agree_with_pbe_solve(market: Any, v_value: F) -> None:
    derived = equilibrium_conditions(market, at={"v": v_value}, ranges={"c": (-2, 2)}, steps=9)
    calibration = dict(derived[0].point or {})
    for c_value in [F(n, 6) for n in range(-11, 12, 2)] + [F(5, 6), F(7, 6)]:
        point = {**calibration, c: sympy.Rational(c_value.numerator, c_value.denominator)}
        numeric = pbe_solve(intelligence_market(c=c_value, v=v_value), exact=True)
        solved = {(tuple(tuple(m for m, x in enumerate(r) if x > 0) for r in eq.sender),
                   tuple(tuple(a for a, x in enumerate(r) if x > 0) for r in eq.receiver)) for eq in numeric}
        holding = {d.profile for d in derived if d.holds(point)}
        assert holding <= solved, c_value  # the conditions are sufficient everywhere
        if c_value not in (F(5, 6), F(7, 6)):  # and necessary away from the knife edges
            assert holding == solved, c_value


def test_threshold_to_dict_is_json() -> None:
    t = Threshold(parameter="c", expression=sympy.Rational(5, 6), value=F(5, 6), description="x")
    assert json.loads(json.dumps(t.to_dict()))["value"] == "5/6"


def test_expected_payoffs_below_and_at_c_star(market_conditions: Any) -> None:
    # C3: below c* the client's payoff is that of restraining on the prior alone
    semi = market_conditions[SEMI_SEPARATING]
    assert same(semi.receiver_payoff, -pi * (1 - v) * (L + e))
    truthful = market_conditions[TRUTHFUL]
    assert truthful.receiver_payoff == 0 and same(truthful.sender_payoffs[1], gamma * c - omega0)


# -- the phase diagram's curves ------------------------------------------------------------------

def test_threshold_curves_draw_c_star_of_v(market: Any) -> None:
    calibration = {beta: 3, omega0: 1, eta: 0, L_P: 6, gamma: 4, rho: 6}
    c_star = sympy.lambdify([v], sympy.Max(C_FAB, C_CON).subs(calibration), "math")
    (label, curve), *_ = threshold_curves(market, "c", "v")
    assert label == "c*(v)"
    vs = np.linspace(0, 0.9, 19)
    drawn = curve(vs)
    assert drawn.shape == vs.shape and np.allclose(drawn, [c_star(x) for x in vs], rtol=1e-12, atol=1e-12)
    assert [label for label, _ in threshold_curves(market, "c", "v", truthful_only=True)] == ["c*(v)"]


# -- exact arithmetic helpers ----------------------------------------------------------------------

def test_field_elements_have_sympys_canonical_form() -> None:
    # elements are compared and hashed: their form must not depend on how they were computed
    fld = _Field.of_parameters((c, v))
    reference = sympy.QQ.frac_field(c, v)
    rng = random.Random(3)
    entries = [(1 - v) * rng.randint(1, 5) * c + sympy.Rational(rng.randint(-9, 9), rng.randint(1, 4)) * v
               + sympy.Rational(rng.randint(-9, 9), 4) for _ in range(12)]
    ours, theirs = [fld(x) for x in entries], [reference.from_sympy(x) for x in entries]
    for (a, b), (p, q) in zip(itertools.pairwise(ours), itertools.pairwise(theirs)):
        for x, y in ((a, p), (a / b, p / q), (a * b - a, p * q - p), (a - b / a, p - q / p)):
            assert (x.numer.as_expr(), x.denom.as_expr()) == (y.numer.as_expr(), y.denom.as_expr())


def test_linear_root_is_what_sympy_factor_gives() -> None:
    names = ["c", "v", "beta", "omega0", "L_P", "x9", "x10", "p_high", "a", "z"]
    symbols = [sympy.Symbol(n, real=True) for n in names]
    rng = random.Random(5)

    def form() -> Any:
        terms = [sympy.Rational(rng.choice([-1, 1]) * rng.randint(1, 12), rng.randint(1, 6)) * s
                 for s in rng.sample(symbols, rng.randint(0, 3))]
        return sympy.Add(*terms, sympy.Rational(rng.randint(-9, 9), rng.randint(1, 4)))

    pairs = [(form(), form()) for _ in range(400)] + [(2 * v - 2, v - 1), (4 * v - 4, v + 5), (v - c, c - v),
                                                       (c * v, v), (v**2 + 1, v), (sympy.Integer(3), v)]
    for a, b in pairs:
        if a != 0:
            assert sympy.srepr(_linear_root(a, b)) == sympy.srepr(sympy.factor(-b / a)), (a, b)


def test_a_range_loses_no_threshold_of_the_whole_line() -> None:
    """With ``low``/``high`` the scan used to drop the roots outside the range, so it never
    probed there and never derived the equilibria found there, whose conditions can have roots
    inside: on this game (found by a random search) ``[0, 1]`` lost the threshold c = 1/8 that
    the unbounded scan reports. A range must report every threshold of the whole line that lies
    in it."""
    c = sympy.Symbol("c")
    game = SignallingGame(
        name="range", types=("t0", "t1"), messages=("m0", "m1", "m2"), actions=("a0", "a1"),
        prior=(sympy.Rational(1, 3), sympy.Rational(2, 3)),
        sender_payoffs=(((1, -1), (-2 * c - 3, 3), (-3, 3)), ((-1, 0), (3, 1), (2, 4 * c + 3))),
        receiver_payoffs=(((2, -2), (2 * c + 1, c - 2), (0, -2)), ((-2, 1), (2, -1), (-2, 0))))
    whole = {t.value for t in thresholds(game, "c", at={"c": sympy.Rational(1, 2)})}
    inside = {t.value for t in thresholds(game, "c", at={"c": sympy.Rational(1, 2)}, low=0, high=1)}
    assert {F(1, 8), F(1, 2)} <= {v for v in whole if 0 < v < 1} <= inside


def test_probing_points_together_is_probing_them_one_by_one() -> None:
    """``_Atlas.probe_many`` (the points' games solved in one batch) finds, derives and reports
    exactly what ``probe`` at each point in turn does: the same profiles at the same points,
    derived at the same points, in the same order; a point probed before is skipped."""
    from intelgame.symbolic.atlas import _Atlas, _model

    model = _model(parse_spec(MARKET_YAML), None, None, None)
    c = model.symbols["c"]
    points = [dict(model.point), *({**model.point, c: sympy.Rational(i, 8)} for i in range(0, 13, 3))]
    alone, together = _Atlas(model), _Atlas(model)
    added = [alone.probe(point) for point in points]
    assert together.probe_many(points) == any(added) and together.probe_many(points[:2]) is False
    assert list(together.derivations) == list(alone.derivations) and together.found == alone.found
    assert [[(d.label, d.assumptions, d.conditions) for d in ds] for ds in together.derivations.values()] == \
        [[(d.label, d.assumptions, d.conditions) for d in ds] for ds in alone.derivations.values()]
    assert len(alone.derivations) > 1 and any(len(keys) > 1 for keys in alone.found.values())

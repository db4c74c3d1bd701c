"""D1, D2, universal divinity, NWBR (intelgame.analysis.divinity) and the selection rules
(intelgame.analysis.selection): published verdicts, an independent check, and properties on
random games."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import product
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games_for_tests import beer_quiche
from intelgame.analysis.divinity import CRITERIA, Refiner, explanations, refinement_verdicts
from intelgame.analysis.refinements import intuitive_criteria
from intelgame.analysis.selection import Selector, parse_rule, select
from intelgame.errors import SolverError
from intelgame.games import SignallingGame
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.shape import face_shapes
from intelgame.spec.loader import load_spec
from intelgame.games.build import build_game


def settlement() -> SignallingGame:
    """The settlement game of Banks and Sobel (1987), as adapted in Wikipedia's "Divine
    equilibrium": a careful or negligent defendant offers a low or high settlement, the
    plaintiff accepts or rejects (prior 1/2). Pooling on ``high`` passes the Intuitive Criterion
    (no type is equilibrium-dominated at ``low``: both get -3 > -5 if it is accepted) but fails
    D1: the careful type gains from ``low`` whenever the rejection probability is below 2/3, the
    negligent type only below 1/4, so the negligent type is pruned and a careful defendant's
    low offer is accepted. Pooling on ``low`` passes everything."""
    return SignallingGame.from_payoffs(
        name="settlement", types=["careful", "negligent"], messages=["low", "high"], actions=["accept", "reject"],
        prior=[F(1, 2), F(1, 2)],
        payoffs={"careful": {"low": {"accept": (-3, 3), "reject": (-6, 0)}, "high": {"accept": (-5, 5), "reject": (-6, 0)}},
                 "negligent": {"low": {"accept": (-3, 3), "reject": (-11, 5)},
                               "high": {"accept": (-5, 5), "reject": (-11, 5)}}})


def spence() -> SignallingGame:
    game = build_game(load_spec("models/spence_job_market.yaml"), {})
    assert isinstance(game, SignallingGame)
    return game


def on_path(game: SignallingGame, eq: Any) -> list[str]:
    return [game.messages[m] for m, on in enumerate(eq.on_path) if on]


def test_beer_quiche() -> None:
    """Cho and Kreps (1987), sec. II: pooling on beer passes the Intuitive Criterion and D1,
    pooling on quiche fails both (the weak type cannot gain from beer, the strong can)."""
    game = beer_quiche()
    result = pbe_solve(game, exact=True)
    verdicts = refinement_verdicts(result)
    for eq, v in zip(result, verdicts):
        beer = on_path(game, eq) == ["beer"]
        assert all(v[c].passes == beer for c in CRITERIA)
    failing = next(v for eq, v in zip(result, verdicts) if on_path(game, eq) == ["quiche"])
    text = explanations(game, failing, str)["d1"]["beer"]
    assert text["pruned"] == ["weak"] and text["deviator"] == "strong" and text["reply"] == {"defer": "1"}


def test_settlement_separates_intuitive_criterion_from_d1() -> None:
    game = settlement()
    result = pbe_solve(game, exact=True)
    verdicts = refinement_verdicts(result)
    assert intuitive_criteria(result) == [v["intuitive_criterion"].passes for v in verdicts]
    for eq, v in zip(result, verdicts):
        low = on_path(game, eq) == ["low"]
        assert v["intuitive_criterion"].passes
        assert all(v[c].passes == low for c in ("d1", "d2", "universal_divinity", "nwbr"))
        if not low:
            message = v["d1"].messages[0]
            assert message.pruned == (1,) and message.deviator == 0
    # by hand: the pooling-on-high outcome (u* = -5) at 'low', rejection probability r:
    # careful gains iff -3 + -3 r > -5 (r < 2/3), negligent iff -3 - 8 r > -5 (r < 1/4)
    assert all(F(-3) - 3 * r > -5 for r in (F(0), F(1, 4)))


def test_spence_d1_selects_riley() -> None:
    """Spence (1973) with two types (models/spence_job_market.yaml): only the least-cost
    separating (Riley) outcome survives D1 (and the stronger criteria), as Cho and Kreps
    (1987, sec. VI) show for the job-market model."""
    game = spence()
    result = pbe_solve(game, exact=True)
    for eq, v in zip(result, refinement_verdicts(result)):
        riley = on_path(game, eq) == ["no_education", "education"]
        assert all(v[c].passes == riley for c in CRITERIA)


def independent_d1(game: SignallingGame, eq: Any, grid: int = 60) -> bool:
    """D1 for two-action games by brute force: a mixed reply is the probability ``q`` of the
    second action on a grid, a best reply to some belief on K when some grid belief on K makes
    it so; pruning and deterrence are read off the grid (exact rationals throughout)."""
    n_t, n_m, _ = game.shape
    us, ur = game.sender_payoffs, game.receiver_payoffs
    u_star = eq.sender_payoffs
    qs = [F(k, grid) for k in range(grid + 1)]
    beliefs = [tuple(F(x, grid) for x in c) for c in product(range(grid + 1), repeat=n_t) if sum(c) == grid]

    def replies(m: int, kept: set[int]) -> list[F]:
        out = set()
        for mu in beliefs:
            if any(mu[t] for t in range(n_t) if t not in kept):
                continue
            d = sum(mu[t] * (ur[t][m][1] - ur[t][m][0]) for t in range(n_t))
            out |= set(qs) if d == 0 else {F(int(d > 0))}
        return sorted(out)

    def g(t: int, m: int, q: F) -> F:
        return (1 - q) * us[t][m][0] + q * us[t][m][1] - u_star[t]

    for m in range(n_m):
        if eq.on_path[m]:
            continue
        mbr = replies(m, set(range(n_t)))
        pruned = {t for t in range(n_t) if any(all(g(s, m, q) > 0 for q in mbr if g(t, m, q) >= 0)
                                               for s in range(n_t) if s != t)}
        kept = set(range(n_t)) - pruned or set(range(n_t))
        if not any(all(g(t, m, q) <= 0 for t in range(n_t)) for q in replies(m, kept)):
            return False
    return True


@pytest.mark.parametrize("make", [beer_quiche, settlement, spence])
def test_d1_agrees_with_brute_force_on_published_games(make: Any) -> None:
    game = make()
    result = pbe_solve(game, exact=True)
    if game.shape[2] != 2:
        pytest.skip("the brute force handles two actions")
    for eq, v in zip(result, refinement_verdicts(result)):
        assert v["d1"].passes == independent_d1(game, eq)


def random_game(draw: Any, n_t: int, n_m: int, n_a: int) -> SignallingGame:
    value = st.integers(-3, 3)
    payoffs = {f"t{t}": {f"m{m}": {f"a{a}": (draw(value), draw(value)) for a in range(n_a)} for m in range(n_m)}
               for t in range(n_t)}
    weights = [draw(st.integers(1, 4)) for _ in range(n_t)]
    prior = [F(w, sum(weights)) for w in weights]
    return SignallingGame.from_payoffs(name="random", types=list(payoffs), messages=[f"m{m}" for m in range(n_m)],
                                       actions=[f"a{a}" for a in range(n_a)], prior=prior, payoffs=payoffs)


@st.composite
def games(draw: Any) -> SignallingGame:
    return random_game(draw, draw(st.integers(2, 3)), 2, draw(st.integers(2, 3)))


SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(games())
def test_criteria_nest(game: SignallingGame) -> None:
    """D1 => Intuitive Criterion, D2 => D1 (Cho and Kreps 1987, sec. V), universal divinity
    (iterated D2) => D2, NWBR => D2; the Intuitive Criterion verdicts are those of
    intelgame.analysis.refinements."""
    result = pbe_solve(game, exact=True)
    verdicts = refinement_verdicts(result)
    assert [v["intuitive_criterion"].passes for v in verdicts] == intuitive_criteria(result)
    for v in verdicts:
        ok = {c: v[c].passes for c in CRITERIA}
        assert not ok["d1"] or ok["intuitive_criterion"]
        assert not ok["d2"] or ok["d1"]
        assert not ok["universal_divinity"] or ok["d2"]
        assert not ok["nwbr"] or ok["d2"]


def outcome_key(game: SignallingGame, eq: Any) -> tuple[Any, ...]:
    return tuple(eq.on_path), tuple(eq.sender_payoffs)


@SLOW
@given(games(), st.data())
def test_invariant_to_relabelling_messages_and_shifting_a_type(game: SignallingGame, data: Any) -> None:
    result = pbe_solve(game, exact=True)
    # a continuum is judged at its representative point, which may move with the labels
    base = {outcome_key(game, eq): {c: v[c].passes for c in CRITERIA}
            for eq, v in zip(result, refinement_verdicts(result)) if not eq.is_continuum}
    t = data.draw(st.integers(0, game.shape[0] - 1))
    shift = F(data.draw(st.integers(-5, 5)), 3)
    n_m = game.shape[1]
    order = list(reversed(range(n_m)))
    sender = [[[x + (shift if s == t else 0) for x in game.sender_payoffs[s][m]] for m in order] for s in range(game.shape[0])]
    receiver = [[list(game.receiver_payoffs[s][m]) for m in order] for s in range(game.shape[0])]
    payoffs = {game.types[s]: {game.messages[m]: {a: (sender[s][k][i], receiver[s][k][i]) for i, a in enumerate(game.actions)}
                               for k, m in enumerate(order)} for s in range(game.shape[0])}
    other = SignallingGame.from_payoffs(name="moved", types=list(game.types), messages=[game.messages[m] for m in order],
                                        actions=list(game.actions), prior=list(game.prior), payoffs=payoffs)
    moved = pbe_solve(other, exact=True)
    for eq, v in zip(moved, refinement_verdicts(moved)):
        if eq.is_continuum:
            continue
        back = (tuple(eq.on_path[order.index(m)] for m in range(n_m)),
                tuple(u - (shift if s == t else 0) for s, u in enumerate(eq.sender_payoffs)))
        assert base[back] == {c: v[c].passes for c in CRITERIA}


@SLOW
@given(games())
def test_float_and_exact_verdicts_equal(game: SignallingGame) -> None:
    exact = refinement_verdicts(pbe_solve(game, exact=True))
    floats = pbe_solve(game)
    assert [{c: v[c].passes for c in CRITERIA} for v in refinement_verdicts(floats)] == \
        [{c: v[c].passes for c in CRITERIA} for v in exact]
    refiner = Refiner(game)  # one float equilibrium at a time: its exact counterpart
    assert [{c: refiner.verdicts(eq)[c].passes for c in CRITERIA} for eq in floats] == \
        [{c: v[c].passes for c in CRITERIA} for v in exact]


def test_passing_outcome_explains_its_surviving_beliefs() -> None:
    game = settlement()
    result = pbe_solve(game, exact=True)
    eq, v = next((eq, v) for eq, v in zip(result, refinement_verdicts(result)) if on_path(game, eq) == ["low"])
    text = explanations(game, v, str)["d1"]["high"]
    assert text["passes"] and text["surviving_beliefs"]
    assert all(set(piece) == {"best_replies", "reply", "equalities", "inequalities"} for piece in text["surviving_beliefs"])


# -- selection rules ----------------------------------------------------------------------

def test_rules_parse_and_reject() -> None:
    assert str(parse_rule("receiver_optimal:d1")) == "receiver_optimal:d1"
    with pytest.raises(SolverError):
        parse_rule("best")
    with pytest.raises(SolverError):
        parse_rule("pareto:d3")


def test_rules_on_settlement() -> None:
    """Pooling on low (-3 for the defendant, 3 for the plaintiff) against pooling on high
    (-5, 5): the sender prefers the first, the receiver the second; D1 removes the second."""
    game = settlement()
    result = pbe_solve(game, exact=True)
    selector = Selector(result, "receiver")
    assert on_path(game, result.equilibria[selector.select("sender_optimal")]) == ["low"]  # type: ignore[index]
    assert on_path(game, result.equilibria[selector.select("receiver_optimal")]) == ["high"]  # type: ignore[index]
    assert on_path(game, select(result, "receiver_optimal:d1")) == ["low"]  # type: ignore[arg-type]
    assert len(selector.undominated()) == len(result)  # nobody dominates: opposite interests
    alternatives = selector.alternatives("receiver_optimal")
    assert set(alternatives) == {"most_informative", "sender_optimal", "receiver_optimal", "pareto"}


def test_pareto_drops_dominated() -> None:
    game = beer_quiche()
    result = pbe_solve(game, exact=True)
    kept = Selector(result).undominated()
    # beer pooling gives (2, 3) to (weak, strong), quiche pooling (3, 2); the receiver gets the
    # same: neither dominates
    assert {tuple(on_path(game, result.equilibria[i])) for i in kept} == {("beer",), ("quiche",)}


def test_survivors_of_zero_prior_only_get_a_belief() -> None:
    """When the criterion keeps only types of prior 0 at a message, the witness belief is uniform
    on them (conditioning the prior on them divided by zero): verdicts on games with a
    zero-prior type exist for every equilibrium, which the verifier accepts."""
    import random

    from intelgame.analysis.verify import verify_pbe

    rng = random.Random("zero prior")
    for _ in range(60):
        payoffs = {t: {m: {a: (rng.randint(-1, 1), rng.randint(-1, 1)) for a in "xy"} for m in "mn"} for t in "AB"}
        game = SignallingGame.from_payoffs(name="z", types=["A", "B"], messages=["m", "n"], actions=["x", "y"],
                                           prior=[F(1), F(0)], payoffs=payoffs)
        result = pbe_solve(game, exact=True)
        assert len(refinement_verdicts(result)) == len(result)  # raised ZeroDivisionError before
        for eq in result:
            assert verify_pbe(game, eq.sender, eq.receiver, eq.beliefs, tolerance=0).ok


@SLOW
@given(games())
def test_verdicts_from_shapes_equal_those_from_the_rebuilt_counterpart(game: SignallingGame) -> None:
    """A float entry is judged by its exact counterpart's outcome (on-path messages, u*): read
    off its face's vertices when u* is constant there, else from the exact rho-face; both give
    the exact solve's verdicts and outcomes, with and without the shapes, and with one Refiner
    shared by every entry or a fresh one for each."""
    exact = pbe_solve(game, exact=True)
    floats = pbe_solve(game)
    shapes = face_shapes(floats)
    expected = refinement_verdicts(exact)
    assert refinement_verdicts(floats, shapes) == expected
    assert refinement_verdicts(floats) == expected
    shared = Refiner(game)
    for eq, exact_eq, shape in zip(floats, exact, shapes):
        outcome = (tuple(exact_eq.on_path), tuple(exact_eq.sender_payoffs))
        assert shared.outcome(eq, shape) == Refiner(game).outcome(eq) == outcome


@settings(max_examples=200, deadline=None)
@given(games(), st.data())
def test_the_interval_test_over_one_or_two_actions_is_the_linear_programme(game: SignallingGame, data: Any) -> None:
    """``_Message.feasible`` decides a mixture over one or two actions by intervals of the
    mixing weight, without the linear programme of ``_Message.mixture``: they agree, ties
    included (payoffs u* on the grid of the payoffs, so gains of 0 are common)."""
    from intelgame.analysis.divinity import _Message

    n_t, n_m, n_a = game.shape
    cells = Refiner(game).cells
    u_star = [F(data.draw(st.integers(-6, 6)), 2) for _ in range(n_t)]
    question = _Message(cells, data.draw(st.integers(0, n_m - 1)), u_star)
    types = st.lists(st.integers(0, n_t - 1), max_size=n_t, unique=True)
    for _ in range(10):
        actions = tuple(sorted(data.draw(st.lists(st.integers(0, n_a - 1), min_size=1, max_size=2, unique=True))))
        conditions = {"gain": data.draw(types), "indifferent": data.draw(types), "deterred": data.draw(types)}
        assert question.feasible(actions, **conditions) == (question.mixture(actions, **conditions) is not None)

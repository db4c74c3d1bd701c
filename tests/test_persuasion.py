"""The commitment benchmark (issue 18): intelgame.persuade, persuasion_solve and `intelgame persuade`."""

from __future__ import annotations

import itertools
import json
import random
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from scipy.optimize import linprog as scipy_linprog

import intelgame
from intelgame.analysis.two_stage import interpretation_of
from intelgame.analysis.persuasion import CheapTalk, ValueRange, cheap_talk_values, persuade
from intelgame.cli.app import main
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.persuasion import persuasion_solve
from intelgame.spec import load_spec, parse_overrides
from intelgame.spec.model import SignallingSpec

MODELS = Path(__file__).parent.parent / "models"


def game_of(name: str, types: list[str], prior: list[Any], messages: list[str], actions: list[str],
            payoff: Any) -> SignallingGame:
    """A game from ``payoff(t, m, a) -> (u_S, u_R)``."""
    return SignallingGame.from_payoffs(name=name, types=types, messages=messages, actions=actions, prior=prior,
                                       payoffs={t: {m: {a: payoff(t, m, a) for a in actions} for m in messages}
                                                for t in types})


def prosecutor(prior_guilty: F = F(3, 10), sender_wants: str = "convict") -> SignallingGame:
    """Kamenica and Gentzkow (2011, AER 101(6), p. 2591): the judge convicts iff P(guilty) >= 1/2."""
    def payoff(t: str, m: str, a: str) -> tuple[int, int]:
        return int(a == sender_wants), int((t == "guilty") == (a == "convict"))
    return game_of("prosecutor", ["guilty", "innocent"], [prior_guilty, 1 - prior_guilty], ["g", "i"],
                   ["convict", "acquit"], payoff)


def random_game(seed: int) -> SignallingGame:
    """A small random game with integer payoffs (ties included) and a rational prior."""
    rng = random.Random(seed)
    n_t, n_m, n_a = rng.choice([(2, 2, 2), (2, 3, 2), (3, 2, 3), (3, 3, 2), (2, 2, 3)])
    weights = [rng.randint(1, 6) for _ in range(n_t)]
    prior = [F(w, sum(weights)) for w in weights]
    table = {(t, m, a): (rng.randint(-3, 3), rng.randint(-3, 3))
             for t in range(n_t) for m in range(n_m) for a in range(n_a)}
    return game_of(f"random-{seed}", [f"t{i}" for i in range(n_t)], prior, [f"m{i}" for i in range(n_m)],
                   [f"a{i}" for i in range(n_a)], lambda t, m, a: table[int(t[1:]), int(m[1:]), int(a[1:])])


def model(name: str, *sets: str) -> SignallingGame:
    game = build_game(load_spec(MODELS / name), parse_overrides(list(sets)))
    assert isinstance(game, SignallingGame)
    return game


# -- literature cases ------------------------------------------------------------------------

def test_prosecutor_convicts_with_probability_three_fifths() -> None:
    """Kamenica and Gentzkow (2011): prior 0.3, the optimal investigation convicts 60%."""
    game = prosecutor()
    found = persuade(game, exact=True)
    best = found.commitment.sender_optimal
    assert best.sender_value == F(3, 5)  # the conviction probability
    assert best.sigma == ((1, 0), (F(3, 7), F(4, 7)))  # guilty -> g; innocent -> g with 3/7
    assert best.replies == (0, 1)  # convict after g (posterior exactly 1/2, the tie to the prosecutor), acquit after i
    assert found.cheap_talk.sender.best == 0  # without commitment the judge learns nothing and acquits
    assert found.value_of_commitment("sender").worst == F(3, 5)
    assert found.receiver_value == F(7, 10) - F(3, 10) * 0  # the judge's payoff: acquits 4/7 of 7/10, convicts 3/10
    assert persuade(game).sender_value == pytest.approx(0.6, abs=1e-12)


def test_aligned_interests_commitment_is_full_disclosure() -> None:
    """When the sender wants what the receiver wants, the best rule tells everything."""
    def payoff(t: str, m: str, a: str) -> tuple[int, int]:
        match = int(t == a)
        return match, match
    game = game_of("aligned", ["x", "y", "z"], [F(1, 2), F(1, 3), F(1, 6)], ["p", "q", "r"], ["x", "y", "z"], payoff)
    found = persuade(game, exact=True)
    assert found.sender_value == found.commitment.full_disclosure.sender_value == 1  # type: ignore[union-attr]
    assert found.receiver_value == 1
    assert found.cheap_talk.sender.best == 1  # a separating PBE exists too: commitment adds nothing then
    assert found.value_of_commitment("sender").worst == 0
    assert found.quality.mutual_information_bits == pytest.approx(1.459147917, abs=1e-9)  # H(prior)


def test_opposed_interests_commitment_is_worth_nothing() -> None:
    """Zero-sum: any information the receiver uses hurts the sender, so it reveals nothing useful."""
    def payoff(t: str, m: str, a: str) -> tuple[int, int]:
        match = int(t == a)
        return -match, match
    game = game_of("opposed", ["x", "y"], [F(2, 3), F(1, 3)], ["p", "q"], ["x", "y"], payoff)
    found = persuade(game, exact=True)
    assert found.sender_value == F(-2, 3)  # the receiver acts on the prior (x) and is right 2/3 of the time
    assert found.cheap_talk.sender.best == F(-2, 3)
    assert found.value_of_commitment("sender").worst == 0
    # a sender who wants the action the prior already gives gets nothing from commitment either
    lenient = persuade(prosecutor(sender_wants="acquit"), exact=True)
    assert lenient.sender_value == 1 and lenient.value_of_commitment("sender").worst == 0


def test_full_disclosure_needs_a_message_per_type() -> None:
    def payoff(t: str, m: str, a: str) -> tuple[int, int]:
        return 0, int(t == a)
    game = game_of("mute", ["x", "y"], [F(1, 2), F(1, 2)], ["only"], ["x", "y"], payoff)
    result = persuasion_solve(game, exact=True)
    assert result.full_disclosure is None
    assert result.receiver_optimal.receiver_value == F(1, 2)  # one message: no information can pass


def test_message_dependent_payoffs_can_beat_the_recommendation_bound() -> None:
    """With one message the sender can say nothing; a lying cost on the only message still counts."""
    def payoff(t: str, m: str, a: str) -> tuple[Any, int]:
        return (1 if a == "convict" else 0) - (F(1, 10) if t == "innocent" else 0), int((t == "guilty") == (a == "convict"))
    game = game_of("one-message", ["guilty", "innocent"], [F(3, 10), F(7, 10)], ["g"], ["convict", "acquit"], payoff)
    assert persuasion_solve(game, exact=True).sender_optimal.sender_value == F(-7, 100)  # acquittal, cost paid


# -- an independent computation ----------------------------------------------------------------

def brute_force(game: SignallingGame, player: int) -> float:
    """max over reply assignments of scipy's LP for ``player`` (0 sender, 1 receiver)."""
    n_t, n_m, n_a = game.shape
    prior = [float(p) for p in game.prior]
    us = [[[float(x) for x in c] for c in r] for r in game.sender_payoffs]
    ur = [[[float(x) for x in c] for c in r] for r in game.receiver_payoffs]
    own = us if player == 0 else ur
    best = -float("inf")
    for alpha in itertools.product(range(n_a), repeat=n_m):
        cost = [-prior[t] * own[t][m][alpha[m]] for t in range(n_t) for m in range(n_m)]
        eq = [[1.0 if k // n_m == t else 0.0 for k in range(n_t * n_m)] for t in range(n_t)]
        ub = []
        for m, a in enumerate(alpha):
            for b in range(n_a):
                if b != a:
                    row = [0.0] * (n_t * n_m)
                    for t in range(n_t):
                        row[t * n_m + m] = prior[t] * (ur[t][m][b] - ur[t][m][a])
                    ub.append(row)
        found = scipy_linprog(cost, A_ub=ub or None, b_ub=[0.0] * len(ub) or None, A_eq=eq, b_eq=[1.0] * n_t,
                              bounds=(0, None), method="highs")
        if found.status == 0:
            best = max(best, -found.fun)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_random_games_against_scipy(seed: int) -> None:
    game = random_game(seed)
    exact = persuasion_solve(game, exact=True)
    assert float(exact.sender_optimal.sender_value) == pytest.approx(brute_force(game, 0), abs=1e-7)
    assert float(exact.receiver_optimal.receiver_value) == pytest.approx(brute_force(game, 1), abs=1e-7)


@pytest.mark.parametrize("seed", range(40))
def test_exact_and_float_agree_and_commitment_beats_cheap_talk(seed: int) -> None:
    game = random_game(seed)
    exact, floats = persuade(game, exact=True), persuade(game)
    assert exact.sender_value >= exact.cheap_talk.sender.best  # commitment never hurts the sender
    assert exact.commitment.receiver_optimal.receiver_value >= exact.cheap_talk.receiver.best
    assert_same_values(exact, floats)


def values(found: intelgame.Persuasion) -> list[Any]:
    result, talk = found.commitment, found.cheap_talk
    rules = [result.sender_optimal, result.receiver_optimal] + (
        [result.full_disclosure] if result.full_disclosure is not None else [])
    return [v for rule in rules for v in (rule.sender_value, rule.receiver_value)] + [
        talk.sender.best, talk.sender.worst, talk.receiver.best, talk.receiver.worst,
        *(x for p in ("sender", "receiver") for x in (found.value_of_commitment(p).worst,
                                                      found.value_of_commitment(p).best))]


def assert_same_values(exact: intelgame.Persuasion, floats: intelgame.Persuasion) -> None:
    assert not floats.commitment.exact and exact.commitment.exact
    assert [float(x) for x in values(exact)] == pytest.approx(values(floats), abs=1e-9)
    assert [float(x) for row in exact.commitment.sender_optimal.sigma for x in row] == pytest.approx(
        [x for row in floats.commitment.sender_optimal.sigma for x in row], abs=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_relabelling_messages_changes_no_value(seed: int) -> None:
    game = random_game(seed)
    order = list(reversed(range(game.shape[1])))
    relabelled = SignallingGame(
        name=game.name, types=game.types, messages=tuple(game.messages[m] for m in order), actions=game.actions,
        prior=game.prior,
        sender_payoffs=tuple(tuple(row[m] for m in order) for row in game.sender_payoffs),
        receiver_payoffs=tuple(tuple(row[m] for m in order) for row in game.receiver_payoffs))
    assert values(persuade(game, exact=True)) == values(persuade(relabelled, exact=True))


# -- the cheap-talk side ----------------------------------------------------------------------

def test_a_continuum_counts_whole() -> None:
    """Both types pool on x; the receiver, indifferent at the prior, alerts with any probability q
    such that neither type prefers the fixed payoff of y (1/3 and 2/3): q in [2/3, 1]. The worst
    PBE of that face (q = 2/3) is interior to the receiver's support, not an entry of its own."""
    def payoff(t: str, m: str, a: str) -> tuple[Any, int]:
        sender = (F(1, 3) if t == "a" else F(2, 3)) if m == "y" else int(a == "l")
        return sender, int((t == "a") == (a == "l"))
    game = game_of("continuum", ["a", "b"], [F(1, 2), F(1, 2)], ["x", "y"], ["l", "r"], payoff)
    result = pbe_solve(game, exact=True)
    face = next(eq for eq in result if eq.on_path == (True, False)
                and eq.receiver_range[0][0][0] != eq.receiver_range[0][0][1])  # rho(l | x) varies
    alone = cheap_talk_values(PBEResult(game, (face,), result.method, True, 0.0))
    assert alone == CheapTalk(1, ValueRange(F(2, 3), F(1)),
                              ValueRange(F(1, 2), F(1, 2)))
    for eq in result:  # every entry's representative lies within the range of the whole set
        value = sum(p * u for p, u in zip(game.prior, eq.sender_payoffs))
        talk = cheap_talk_values(result)
        assert talk.sender.worst <= value <= talk.sender.best


# -- the paper model ------------------------------------------------------------------------

def test_paper_model_at_its_calibration() -> None:
    """Chang (2023), docs/MODEL.md: the cheap-talk PBE is the semi-separating one (the client gets
    its no-information value -99/40); a binding rule lifts the patron from -31/16 to 71/100 and
    leaves the client at -99/40 (it is indifferent after the alerting report, as in KG 2011)."""
    spec = load_spec(MODELS / "intelligence_market.yaml")
    assert isinstance(spec, SignallingSpec)
    game = model("intelligence_market.yaml")
    found = persuade(game, exact=True, interpretation=interpretation_of(spec, game))
    assert (found.sender_value, found.receiver_value) == (F(71, 100), F(-99, 40))
    assert found.cheap_talk.sender.best == found.cheap_talk.sender.worst == F(-31, 16)
    assert found.value_of_commitment("receiver").worst == 0
    game = model("intelligence_market.yaml", "c=1")
    truthful = persuade(game, exact=True, interpretation=interpretation_of(spec, game))  # c >= c*: truth is optimal
    assert truthful.value_of_commitment("sender").worst == 0 and truthful.quality.labels == ("truthful",)


@pytest.mark.parametrize("name", ["intelligence_market.yaml", "taepodong_1998.yaml", "beer_quiche.yaml",
                                  "spence_job_market.yaml"])
def test_models_exact_and_float(name: str) -> None:
    game = model(name)
    exact = persuade(game, exact=True)
    assert_same_values(exact, persuade(game))
    assert float(exact.sender_value) == pytest.approx(brute_force(game, 0), abs=1e-9)


# -- the command line ------------------------------------------------------------------------

def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_json_exact(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "persuade", str(MODELS / "intelligence_market.yaml"), "--json", "--exact")
    assert code == 0
    document = json.loads(out)
    assert {"sender_value", "receiver_value", "sigma", "receiver", "quality", "cheap_talk"} <= set(document)
    assert document["sender_value"] == "71/100"
    assert document["sigma"]["no_threat"] == {"warn": "4/15", "reassure": "11/15"}
    assert document["receiver"]["reassure"] == {"alert": 1, "restrain": 0}
    assert document["cheap_talk"]["value_of_commitment"]["sender"]["versus_best"] == "1059/400"
    assert document["quality"]["labels"][0] == "noisy"


def test_cli_float_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "persuade", str(MODELS / "beer_quiche.yaml"), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["sender_value"] == 2.9 and document["receiver"]["quiche"] == {"duel": None, "defer": None}
    code, out, _ = run(capsys, "persuade", str(MODELS / "intelligence_market.yaml"), "--set", "c=1")
    assert code == 0 and "sender-optimal" in out and "value of commitment" in out


@pytest.mark.parametrize("args, message", [
    (["matching_pennies.yaml"], "needs a signalling game"),
    (["no_such_file.yaml"], "cannot read spec"),
    (["intelligence_market.yaml", "--set", "pi=2"], "priors must be >= 0"),
    (["intelligence_market.yaml", "--set", "nonsense"], "--set"),
])
def test_cli_bad_input_exits_2(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(capsys, "persuade", str(MODELS / args[0]), *args[1:])
    assert code == 2 and message in err and "Traceback" not in err and out == ""


def test_docs_page_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest
    monkeypatch.chdir(MODELS.parent)
    failures, attempted = doctest.testfile(str(MODELS.parent / "docs" / "persuasion.md"), module_relative=False,
                                           optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0 and failures == 0


def test_float_path_hands_near_ties_and_decimals_to_exact_arithmetic() -> None:
    near = prosecutor(F(1, 2) - F(1, 10**12))  # the judge almost convicts on the prior
    result = persuasion_solve(near)
    assert result.method == "assignment_lp (exact: float decisions uncertain)"
    assert result.sender_optimal.sender_value == pytest.approx(float(persuasion_solve(near, exact=True).sender_optimal.sender_value))
    decimals = prosecutor()
    decimals = SignallingGame(name="decimals", types=decimals.types, messages=decimals.messages,
                              actions=decimals.actions, prior=(0.3, 0.7), sender_payoffs=decimals.sender_payoffs,
                              receiver_payoffs=decimals.receiver_payoffs)
    result = persuasion_solve(decimals)
    assert result.method == "assignment_lp (exact: float entries read as decimals)"
    assert result.sender_optimal.sender_value == pytest.approx(0.6, abs=1e-15)


@pytest.mark.parametrize("scale, offset", [(F(10**9), 0), (F(1, 10**9), 0), (F(1), F(10**15))])
def test_float_answer_does_not_depend_on_units(scale: F, offset: F) -> None:
    game = random_game(3)
    moved = SignallingGame(name=game.name, types=game.types, messages=game.messages, actions=game.actions,
                           prior=game.prior,
                           sender_payoffs=tuple(tuple(tuple(x * scale + offset for x in c) for c in r) for r in game.sender_payoffs),
                           receiver_payoffs=tuple(tuple(tuple(x * scale + offset for x in c) for c in r) for r in game.receiver_payoffs))
    exact, floats = persuasion_solve(moved, exact=True), persuasion_solve(moved)
    assert [x for row in floats.sender_optimal.sigma for x in row] == pytest.approx(
        [x for row in persuasion_solve(game).sender_optimal.sigma for x in row])
    assert float(exact.sender_optimal.sender_value) == pytest.approx(floats.sender_optimal.sender_value, rel=1e-12)

"""The PBE solver against published games, MODEL.md's closed forms, and independent oracles
(an exact brute-force pure-PBE enumeration, the verifier, and nashpy on the Harsanyi form)."""

from __future__ import annotations

import itertools
from fractions import Fraction as F
from typing import Any

import nashpy
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from games_for_tests import beer_quiche, intelligence_market, same
from intelgame.analysis.classify import classify
from intelgame.analysis.refinements import cells_for, intuitive_criterion
from intelgame.analysis.verify import verify_pbe
from intelgame.errors import SolverError
from intelgame.games import SignallingGame, behaviour_to_mixed, harsanyi_form
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.pbe.enumeration import pbe_solve


def pure_profile(eq: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(message of each type, action after each message) of a pure equilibrium."""
    return (tuple(row.index(1) for row in map(list, eq.sender)),
            tuple(row.index(1) for row in map(list, eq.receiver)))


def check_all_verified(result: PBEResult) -> None:
    for eq in result:
        cert = verify_pbe(result.game, eq.sender, eq.receiver, eq.beliefs, tolerance=1e-7)
        assert cert.ok, cert.violations
        for m, beliefs in enumerate(eq.offpath_beliefs):
            assert (beliefs is None) == eq.on_path[m]


# -- Beer-Quiche (Cho and Kreps 1987) -------------------------------------------------------

@pytest.mark.parametrize("exact", [True, False])
def test_beer_quiche_pooling_families_and_intuitive_criterion(exact: bool) -> None:
    game = beer_quiche()
    result = pbe_solve(game, exact=exact)
    check_all_verified(result)
    cells = cells_for(game, exact=exact, tolerance=1e-9)
    pure = {pure_profile(e): intuitive_criterion(e, cells) for e in result if e.is_pure}
    # pooling on beer with a duel after quiche; pooling on quiche with a duel after beer
    assert pure == {((0, 0), (1, 0)): True, ((1, 1), (0, 1)): False}
    assert all(classify(game, e, tolerance=result.tolerance) == "pooling" for e in result)
    mixed = [e for e in result if not e.is_pure]
    # the same two families with a mixed off-path reply: duel with probability in [1/2, 1)
    assert len(mixed) == 2
    for e in mixed:
        off = e.on_path.index(False)
        assert e.receiver_range[off][0] == (F(1, 2), 1) if exact else True
        assert e.offpath_beliefs[off].lower[0] == e.offpath_beliefs[off].upper[0] == pytest.approx(0.5)
    if exact:
        quiche = result.equilibria[0].offpath_beliefs[1]
        assert (quiche.lower[0], quiche.upper[0]) == (F(1, 2), 1)  # P(weak | quiche) >= 1/2


# -- MODEL.md: the intelligence market ---------------------------------------------------------

def test_model_semi_separating_at_zero_concession() -> None:
    result = pbe_solve(intelligence_market(c=0), exact=True)
    check_all_verified(result)
    (eq,) = result.equilibria
    assert eq.sender[1][0] == F(11, 15)  # s*: the patron fabricates a warning w.p. 11/15
    assert eq.sender[0] == (1, 0)  # the real threat is always reported
    assert eq.receiver[0][0] == F(1, 6)  # q*(0) = kappa / g_N
    assert eq.receiver[1] == (0, 1)
    assert eq.beliefs[0][0] == F(5, 16)  # mu*
    assert not eq.is_continuum
    assert classify(result.game, eq) == "semi-separating"


def test_model_truthful_at_full_concession() -> None:
    result = pbe_solve(intelligence_market(c=1), exact=True)
    check_all_verified(result)
    (eq,) = result.equilibria
    assert eq.sender == ((1, 0), (0, 1)) and eq.receiver == ((1, 0), (0, 1))
    assert classify(result.game, eq) == "separating"


@pytest.mark.parametrize("exact", [True, False])
def test_taepodong_1998_needs_a_mixed_offpath_reply(exact: bool) -> None:
    game = intelligence_market(c=0, eta=12, v=F(1, 20))
    result = pbe_solve(game, exact=exact)
    check_all_verified(result)
    (eq,) = result.equilibria  # no pure PBE at all
    assert eq.sender == ((0, 1), (0, 1))  # both types pool on reassure
    assert eq.on_path == (False, True) and eq.receiver[1] == (0, 1)
    low, high = eq.receiver_range[0][0]
    assert (low, high) == ((F(6, 133), F(3, 38)) if exact else pytest.approx((6 / 133, 3 / 38)))
    assert eq.is_continuum
    belief = eq.offpath_beliefs[0]
    assert belief.lower[0] == belief.upper[0] == (F(5, 16) if exact else pytest.approx(5 / 16))


def test_exact_mode_rejects_irrational_payoffs() -> None:
    game = beer_quiche(p_weak=0.1)
    with pytest.raises(SolverError):
        pbe_solve(game, exact=True)


# -- independent oracles on random games -------------------------------------------------------

def _cell_nonempty(game: SignallingGame, m: int, a: int) -> bool:
    """Exact brute force: is some belief making action a optimal after m? Checks every vertex
    candidate (T-1 tight constraints among 'mu_t = 0' and 'a indifferent with a2' plus sum 1)."""
    n_t, n_a = len(game.types), len(game.actions)
    ur = game.receiver_payoffs
    hyperplanes = [[int(s == t) for s in range(n_t)] for t in range(n_t)]
    hyperplanes += [[ur[t][m][b] - ur[t][m][a] for t in range(n_t)] for b in range(n_a) if b != a]
    for chosen in itertools.combinations(hyperplanes, n_t - 1):
        matrix = sympy.Matrix([list(r) for r in chosen] + [[1] * n_t])
        if matrix.rank() < n_t:
            continue
        mu = matrix.solve(sympy.Matrix([0] * (n_t - 1) + [1]))
        if all(x >= 0 for x in mu) and all(
            sum(mu[t] * ur[t][m][a] for t in range(n_t)) >= sum(mu[t] * ur[t][m][b] for t in range(n_t))
            for b in range(n_a)):
            return True
    return False


def brute_force_pure_pbe(game: SignallingGame) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every pure PBE by checking every (sender map, receiver map) pair exactly."""
    n_t, n_m, n_a = game.shape
    found = set()
    for s in itertools.product(range(n_m), repeat=n_t):
        for r in itertools.product(range(n_a), repeat=n_m):
            if any(game.sender_payoffs[t][s[t]][r[s[t]]] < game.sender_payoffs[t][m][r[m]]
                   for t in range(n_t) for m in range(n_m)):
                continue
            ok = True
            for m in range(n_m):
                senders = [t for t in range(n_t) if s[t] == m and game.prior[t] > 0]
                if senders:
                    value = lambda a: sum(game.prior[t] * game.receiver_payoffs[t][m][a] for t in senders)  # noqa: E731
                    ok = all(value(r[m]) >= value(b) for b in range(n_a))
                else:
                    ok = _cell_nonempty(game, m, r[m])
                if not ok:
                    break
            if ok:
                found.add((s, r))
    return found


@st.composite
def random_games(draw: Any, max_size: int = 3, max_cells: int = 27) -> SignallingGame:
    """Random games up to ``max_size`` types, messages and actions, with at most ``max_cells``
    type x message x action cells; small integer payoffs make ties (degenerate games) common."""
    n_t = draw(st.integers(1, max_size))
    n_m = draw(st.integers(1, max_size))
    n_a = draw(st.integers(1, max(1, min(max_size, max_cells // (n_t * n_m)))))
    weights = draw(st.lists(st.integers(1, 4), min_size=n_t, max_size=n_t))
    prior = [F(w, sum(weights)) for w in weights]
    payoff = st.integers(-3, 3)

    def cells() -> list[list[list[int]]]:
        return [[[draw(payoff) for _ in range(n_a)] for _ in range(n_m)] for _ in range(n_t)]

    return SignallingGame(name="random", types=tuple(f"t{i}" for i in range(n_t)),
                          messages=tuple(f"m{i}" for i in range(n_m)), actions=tuple(f"a{i}" for i in range(n_a)),
                          prior=prior, sender_payoffs=cells(), receiver_payoffs=cells())


def _harsanyi_nash(game: SignallingGame, sender: Any, receiver: Any) -> tuple[bool, bool]:
    h = harsanyi_form(game)
    a = np.array(h.row_payoffs, dtype=object)
    b = np.array(h.column_payoffs, dtype=object)
    x = np.array(behaviour_to_mixed(sender), dtype=object)
    y = np.array(behaviour_to_mixed(receiver), dtype=object)
    return nashpy.Game(a, b).is_best_response(x, y)


def _harsanyi_nash_in_floats(game: SignallingGame, sender: Any, receiver: Any, slack: float = 1e-9) -> tuple[bool, bool]:
    """Whether each player's mixed strategy of the Harsanyi form is a best response within
    ``slack`` of payoff, in floats: a float equilibrium's probabilities are the exact ones up
    to rounding, and rounding them to nearby fractions (as this test once did) can break an
    indifference that holds exactly, so nashpy's exact test does not apply to them."""
    h = harsanyi_form(game)
    a = np.array(h.row_payoffs, dtype=float)
    b = np.array(h.column_payoffs, dtype=float)
    x = np.array(behaviour_to_mixed(sender), dtype=float)
    y = np.array(behaviour_to_mixed(receiver), dtype=float)
    return bool(x @ a @ y >= (a @ y).max() - slack), bool(x @ b @ y >= (x @ b).max() - slack)


def check_against_oracles(result: PBEResult) -> None:
    """Verifier, exact brute-force pure PBE set, and Nash of the Harsanyi form (nashpy's exact
    test on an exact result, a float test within 1e-9 on a float one)."""
    game = result.game
    check_all_verified(result)
    pure = {pure_profile(e) for e in result if e.is_pure}
    assert pure == brute_force_pure_pbe(game)
    nash = _harsanyi_nash if result.exact else _harsanyi_nash_in_floats
    for eq in result:
        assert nash(game, eq.sender, eq.receiver) == (True, True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_games(max_size=3, max_cells=18))
def test_random_games_exact(game: SignallingGame) -> None:
    check_against_oracles(pbe_solve(game, exact=True))


# a game whose continua's float representative points, rounded to fractions of denominator
# at most 10**6, broke the sender's indifference (the oracle's fault, not the solver's)
_ROUNDING_TRAP = SignallingGame(
    name="random", types=("t0", "t1", "t2"), messages=("m0", "m1", "m2"), actions=("a0", "a1", "a2"),
    prior=(F(2, 5), F(1, 5), F(2, 5)),
    sender_payoffs=(((0, 0, -1), (-1, 1, -3), (2, -3, 2)), ((1, 2, -1), (-2, 3, -3), (0, -1, 3)),
                    ((0, -2, -1), (-2, 1, 0), (0, 3, -3))),
    receiver_payoffs=(((1, -3, 2), (-1, -2, 2), (0, 1, 1)), ((0, 0, 0), (0, 0, 0), (0, 0, 0)),
                      ((0, 0, 0), (0, 2, 2), (3, 1, 1))))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_games(max_size=3, max_cells=27))
@example(_ROUNDING_TRAP)
def test_random_games_up_to_3x3x3_float(game: SignallingGame) -> None:
    check_against_oracles(pbe_solve(game, exact=False))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_games(max_size=3, max_cells=12))
def test_float_path_agrees_with_exact(game: SignallingGame) -> None:
    exact = pbe_solve(game, exact=True)
    approx = pbe_solve(game, exact=False)
    check_all_verified(approx)

    def support(e: Any) -> Any:
        return (tuple(tuple(p > 1e-9 for p in row) for row in e.sender),
                tuple(tuple(p > 1e-9 for p in row) for row in e.receiver))

    assert sorted(map(support, exact)) == sorted(map(support, approx))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_games(max_size=3, max_cells=12))
def test_float_and_exact_report_the_same_point(game: SignallingGame) -> None:
    """One definition of a face's representative point (the mean of its lexicographic
    optimisers): the float path reports the exact path's equilibria, points and ranges included,
    up to rounding."""
    exact = pbe_solve(game, exact=True)
    approx = pbe_solve(game, exact=False)
    assert same(exact.equilibria, approx.equilibria, 1e-7)  # every field, payoffs and belief sets included


def test_work_budget_refuses_before_and_stops_during_the_enumeration() -> None:
    """``max_work``: a game whose belief cells alone exceed the budget is refused before any work
    (2 x 2 x 30: 2^30 receiver supports per message); a degenerate game (all payoffs 0, every
    profile a PBE) stops once the budget is spent; an ordinary game within it is unaffected."""
    from fractions import Fraction

    from intelgame.errors import WorkLimitExceeded
    from intelgame.games import SignallingGame

    def zero_game(n_t: int, n_m: int, n_a: int) -> SignallingGame:
        types, messages, actions = ([f"{p}{i}" for i in range(n)] for p, n in (("t", n_t), ("m", n_m), ("a", n_a)))
        return SignallingGame.from_payoffs(
            name="zero", types=types, messages=messages, actions=actions, prior=[Fraction(1, n_t)] * n_t,
            payoffs={t: {m: {a: (0, 0) for a in actions} for m in messages} for t in types})

    with pytest.raises(WorkLimitExceeded, match="needs at least"):
        pbe_solve(zero_game(2, 2, 30), max_work=3 * 10**7)
    with pytest.raises(WorkLimitExceeded, match="passed its work budget"):
        pbe_solve(zero_game(3, 3, 3), max_work=10**5)
    small = zero_game(2, 2, 2)
    assert pbe_solve(small, max_work=3 * 10**7).equilibria == pbe_solve(small).equilibria

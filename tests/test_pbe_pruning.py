"""The single-game enumeration's shortcuts (issue #17): each gives what the plain path gives.

* the pair test's uniform witness (:meth:`Enumerator._uniform_witness`) only answers "feasible"
  for a pair system whose open face is non-empty, so the search with it finds exactly the PBE of
  the search without it (same order, same points and ranges), on random degenerate games;
* every PBE found passes the independent verifier :func:`intelgame.analysis.verify.verify_pbe`
  (exactly, at the representative point);
* the range LPs' phase 1 from the slack basis: ``tests/test_simplex.py``;
* the range LPs whose answer is the face's least point, known without the LP
  (:func:`intelgame.geometry.simplex._attained`): the enumeration with and without them finds the
  same PBE on random degenerate games, exactly in rationals and within rounding in floats
  (``tests/test_simplex.py`` for the LPs).
"""

from __future__ import annotations

import re

from fractions import Fraction as F
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intelgame.analysis.verify import verify_pbe
from intelgame.games import SignallingGame
from intelgame.geometry import simplex
from intelgame.geometry.faces import ExactArithmetic, FloatArithmetic
from intelgame.solvers.pbe.enumeration import Enumerator, pbe_solve
from intelgame.solvers.pbe.systems import pair_layout


@st.composite
def degenerate_games(draw: Any) -> SignallingGame:
    """Games of up to 3 types, messages and actions with payoffs in {-1, 0, 1} (ties, hence
    continua, everywhere) and a prior with a zero entry now and then; three messages or more,
    so that the pair test runs."""
    n_t, n_a = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    n_m = 3
    cheap_talk = draw(st.booleans())
    entry = st.integers(-1, 1)
    table = [[[(draw(entry), draw(entry)) for _ in range(n_a)] for _ in range(n_m)] for _ in range(n_t)]
    if cheap_talk:  # payoffs independent of the message
        table = [[row[0]] * n_m for row in table]
    weights = [draw(st.integers(0 if n_t > 1 else 1, 3)) for _ in range(n_t)]
    if not any(weights):
        weights[0] = 1
    return SignallingGame(name="degenerate", types=tuple(f"t{i}" for i in range(n_t)),
                          messages=tuple(f"m{i}" for i in range(n_m)), actions=tuple(f"a{i}" for i in range(n_a)),
                          prior=tuple(F(w, sum(weights)) for w in weights),
                          sender_payoffs=tuple(tuple(tuple(c[0] for c in r) for r in row) for row in table),
                          receiver_payoffs=tuple(tuple(tuple(c[1] for c in r) for r in row) for row in table))


def enumerate_all(game: SignallingGame, exact: bool, witness: bool) -> list[Any]:
    enumerator = Enumerator(game, ExactArithmetic() if exact else FloatArithmetic())
    enumerator.use_witness = witness
    return enumerator.run(None)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_games(), st.booleans())
def test_uniform_witness_keeps_every_pbe(game: SignallingGame, exact: bool) -> None:
    assert enumerate_all(game, exact, witness=True) == enumerate_all(game, exact, witness=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_games(), st.booleans())
def test_skipped_range_programmes_keep_every_pbe(game: SignallingGame, exact: bool) -> None:
    """The faces' ranges and representative points are the same whether the range LPs that
    :func:`~intelgame.geometry.simplex._attained` answers run or not: exactly in rationals, and
    in floats within rounding (the programmes reach the same vertices by other pivots, as
    their runs start from the best basis found so far)."""
    skipped = repr(enumerate_all(game, exact, witness=True))
    simplex.SKIP_ATTAINED = False
    try:
        programmes = repr(enumerate_all(game, exact, witness=True))
    finally:
        simplex.SKIP_ATTAINED = True
    if exact:
        assert programmes == skipped
        return
    number = r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+e[-+]?\d+"
    assert re.split(number, programmes) == re.split(number, skipped)  # the same entries, supports, fields
    pairs = zip(re.findall(number, programmes), re.findall(number, skipped))
    assert all(abs(float(a) - float(b)) <= 1e-9 for a, b in pairs)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_games())
def test_uniform_witness_only_certifies_nonempty_pair_faces(game: SignallingGame) -> None:
    """Every pair system the witness accepts has a strictly positive point (exact LP)."""
    enumerator = Enumerator(game, ExactArithmetic())
    enumerator.positive = tuple(p > 0 for p in game.prior)
    options = [enumerator._options(m) for m in range(game.shape[1])]
    for m1 in range(game.shape[1]):
        for m2 in range(m1 + 1, game.shape[1]):
            for o1 in options[m1]:
                for o2 in options[m2]:
                    layout = pair_layout(game.shape, m1, o1, m2, o2, enumerator.positive)
                    system = layout.system(enumerator.us_flat, enumerator.zero, enumerator.one)
                    if enumerator._uniform_witness(system, (len(o1[1]), len(o2[1]))):
                        assert enumerator.ar.open_point(system) is not None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_games())
def test_every_pbe_found_is_verified(game: SignallingGame) -> None:
    result = pbe_solve(game, exact=True)
    for e in result:
        assert verify_pbe(game, e.sender, e.receiver, e.beliefs, tolerance=0).ok
    floats = pbe_solve(game)
    assert len(floats) == len(result)
    for e in floats:
        assert verify_pbe(game, e.sender, e.receiver, e.beliefs, tolerance=1e-9).ok

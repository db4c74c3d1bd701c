"""Adversarial review of the sixth session's integration branch: failing cases found."""

from __future__ import annotations

from fractions import Fraction

import pytest

from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.batch import pbe_solve_many
from intelgame.solvers.pbe.enumeration import pbe_solve


def _cross(e: Fraction, offset: int) -> SignallingGame:
    """``tests/test_tie_check_bounds.py``'s fourth CROSS game (11 PBE), every sender payoff
    shifted by ``offset`` (a constant per type: the same equilibria)."""
    half = Fraction(1, 2)
    us = (((1, 0), (half, -half)), ((2, 0), (half + e, -half + e)))
    return SignallingGame(name="cross", types=("t0", "t1"), messages=("m0", "m1"), actions=("a0", "a1"),
                          prior=(Fraction(1, 5), Fraction(4, 5)),
                          sender_payoffs=tuple(tuple(tuple(x + offset for x in row) for row in t) for t in us),  # type: ignore[arg-type]
                          receiver_payoffs=(((2, 2), (-2, -2)), ((-2, -1), (2, 2))))


@pytest.mark.parametrize("offset", [0, 10])
@pytest.mark.parametrize("e", [Fraction(7, 10**14), Fraction(14, 10**14)])
def test_batch_minor_bound_does_not_grow_with_a_sender_offset(e: Fraction, offset: int) -> None:
    """MINOR_NOISE's bound 2^-47 (M_t/s_t)(M_s/s_s) is quadratic in M/s, but a float minor's
    rounding is linear in it (each difference's error ~u M times the other's size <= s): with
    the payoffs shifted by 10 the bound (about 2.5e-13 here) swallows minors the batch sees at
    offset 0, and pbe_solve_many returns 13 PBE for 11 while pbe_solve is right. The linear
    bound 2^-50 (1 + M_t/s_t + M_s/s_s) (>= 6u(M_t/s_t + M_s/s_s) + 4u, the minor's rounding)
    sees these minors (at offset 100 the payoffs' own resolution, ~1.4e-14, is too close)."""
    game = _cross(e, offset)
    assert len(pbe_solve(game, exact=True)) == 11
    assert len(pbe_solve(game)) == 11
    assert len(pbe_solve_many([game])[0]) == 11

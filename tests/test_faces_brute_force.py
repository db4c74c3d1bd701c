"""Issue #15: the union of the solver's faces is the PBE set, checked point by point on a grid.

On small degenerate 2x2x2 games (:data:`SEEDS` seeded random ones with payoffs in {-1, 0, 1}
at priors 1/2-1/2 and 1/3-2/3, a cheap-talk game with every sender payoff equal, beer-quiche
from ``models/beer_quiche.yaml`` at p = 1/10, 1/3, 1/2) every strategy profile with sigma(m|t)
and rho(a|m) in {0, 1/4, 1/2, 3/4, 1} (5^2 x 5^2 profiles) is classified twice, exactly
(rationals throughout):

* by brute force, independently of the solver: each type's messages in support are best replies
  to rho; after an on-path message every action played is a best reply to the Bayes posterior;
  after an off-path message the actions played are best replies to *some* belief (with two
  types a belief is one number mu in [0, 1] and the belief cell an interval, computed exactly
  here; cross-checked against the solver's closed-cell test ``BeliefCells.has_cell``);
* by membership in the union of :func:`~intelgame.solvers.pbe.enumeration.pbe_solve`'s entries:
  a profile lies in an entry's relatively open face iff its supports are the entry's support
  profile and it lies in the closure, decided twice: by the face's defining systems
  (:class:`~intelgame.solvers.pbe.shape.FacePolytope`) and, by an exact LP, as a convex
  combination of the face's vertices (:func:`~intelgame.solvers.pbe.shape.face_shapes`).

The two sets must be equal, and every grid PBE must pass the independent verifier
:func:`~intelgame.analysis.verify.verify_pbe`, both with the brute force's beliefs and with the
solver's (Bayes on the path, the entry's representative supporting belief off it). Payoffs in
{-1, 0, 1} make ties the rule, so the grid meets continua of PBE, their boundaries (where a
face's closure leaves it for a smaller entry) and off-path cells reduced to a point.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction as F
from pathlib import Path
from typing import Any, Sequence

import pytest

from intelgame.analysis.verify import verify_pbe
from intelgame.games import SignallingGame
from intelgame.games.build import build_game
from intelgame.geometry.faces import ExactArithmetic, LinearSystem
from intelgame.solvers.pbe.belief_cells import BeliefCells
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.shape import FacePolytope, face_shapes
from intelgame.spec import load_spec, parse_expression

MODELS = Path(__file__).parent.parent / "models"
GRID = tuple(F(k, 4) for k in range(5))
PRIORS = ((F(1, 2), F(1, 2)), (F(1, 3), F(2, 3)))
SEEDS = 40

Matrix = tuple[tuple[F, ...], ...]
Profile = tuple[Matrix, Matrix]


# -- the games ------------------------------------------------------------------------------
def _game(name: str, prior: Sequence[F], sender: Any, receiver: Any) -> SignallingGame:
    return SignallingGame(name=name, types=("t0", "t1"), messages=("m0", "m1"), actions=("a0", "a1"),
                          prior=tuple(prior), sender_payoffs=sender, receiver_payoffs=receiver)


def random_game(seed: int, prior: Sequence[F]) -> SignallingGame:
    """A 2x2x2 game with payoffs drawn from {-1, 0, 1} (seeded)."""
    rng = random.Random(seed)

    def table() -> list[list[list[int]]]:
        return [[[rng.choice((-1, 0, 1)) for _ in range(2)] for _ in range(2)] for _ in range(2)]
    return _game(f"random-{seed}", prior, table(), table())


def cheap_talk(prior: Sequence[F]) -> SignallingGame:
    """Every sender payoff equal (any sigma is optimal); the receiver wants to match the type."""
    return _game("cheap-talk", prior, [[[0, 0], [0, 0]], [[0, 0], [0, 0]]],
                 [[[1, 0], [1, 0]], [[0, 1], [0, 1]]])


def beer_quiche(p: str) -> SignallingGame:
    game = build_game(load_spec(MODELS / "beer_quiche.yaml"), {"p": parse_expression(p, file="test", line=1, key="p")})
    assert isinstance(game, SignallingGame)
    return game


def _cases() -> list[Any]:
    cases = [pytest.param(lambda s=seed, p=prior: random_game(s, p), id=f"random-{seed}-p{prior[0]}")
             for seed in range(SEEDS) for prior in PRIORS]
    cases += [pytest.param(lambda p=prior: cheap_talk(p), id=f"cheap-talk-p{prior[0]}") for prior in PRIORS]
    cases += [pytest.param(lambda p=p: beer_quiche(p), id=f"beer-quiche-p{p}") for p in ("1/10", "1/3", "1/2")]
    return cases


# -- brute force ----------------------------------------------------------------------------
def distributions(n: int) -> list[tuple[F, ...]]:
    """The distributions over ``n`` items with every probability in :data:`GRID`."""
    return [d for d in itertools.product(GRID, repeat=n) if sum(d) == 1]


def support(row: Sequence[F]) -> tuple[int, ...]:
    return tuple(i for i, p in enumerate(row) if p > 0)


def supporting_belief(game: SignallingGame, m: int, actions: tuple[int, ...]) -> tuple[F, ...] | None:
    """A belief (two types) at which every action of ``actions`` is a best reply after ``m``,
    or ``None``: with ``mu`` the weight of type 0, each condition ``E_mu[u_R(a) - u_R(b)] >= 0``
    (``== 0`` between two actions played) is ``c + s mu >= 0`` on ``[0, 1]``; their
    intersection is an interval, computed exactly."""
    u = game.receiver_payoffs
    low, high = F(0), F(1)
    conditions = [(a, b, b in actions) for a in actions for b in range(len(game.actions)) if b != a]
    for a, b, tie in conditions:
        c = F(u[1][m][a] - u[1][m][b])
        s = F(u[0][m][a] - u[0][m][b]) - c
        for sign in ((1, -1) if tie else (1,)):  # sign * (c + s mu) >= 0
            cs, ss = sign * c, sign * s
            if ss > 0:
                low = max(low, -cs / ss)
            elif ss < 0:
                high = min(high, -cs / ss)
            elif cs < 0:
                return None
    return (low, 1 - low) if low <= high else None


def bayes(game: SignallingGame, sender: Matrix, m: int) -> tuple[F, ...] | None:
    mass = sum(F(p) * row[m] for p, row in zip(game.prior, sender))
    return None if mass == 0 else tuple(F(p) * row[m] / mass for p, row in zip(game.prior, sender))


def best(values: Sequence[F], probabilities: Sequence[F]) -> bool:
    """Every item played with positive probability attains the maximum of ``values``."""
    top = max(values)
    return all(v == top for v, p in zip(values, probabilities) if p > 0)


def brute_force_beliefs(game: SignallingGame, sender: Matrix, receiver: Matrix) -> list[tuple[F, ...]] | None:
    """Beliefs making ``(sender, receiver)`` a PBE (Bayes' rule on the path), or ``None`` if it
    is not one."""
    T, M, A = (range(n) for n in game.shape)
    us, ur = game.sender_payoffs, game.receiver_payoffs
    for t in T:  # (a) each type's messages in support are best replies to rho
        if not best([sum(receiver[m][a] * us[t][m][a] for a in A) for m in M], sender[t]):
            return None
    beliefs: list[tuple[F, ...]] = []
    for m in M:
        posterior = bayes(game, sender, m)
        if posterior is None:  # (c) off the path: some belief supports rho's actions
            off = supporting_belief(game, m, support(receiver[m]))
            if off is None:
                return None
            beliefs.append(off)
            continue
        # (b) on the path: rho's actions are best replies to the posterior
        if not best([sum(posterior[t] * ur[t][m][a] for t in T) for a in A], receiver[m]):
            return None
        beliefs.append(posterior)
    return beliefs


# -- membership in the solver's faces -------------------------------------------------------
def satisfies(polytope: FacePolytope, matrix: Matrix) -> bool:
    """Whether ``matrix`` (zero off the polytope's variables) lies in the closed polytope, by its
    defining system."""
    x = [matrix[i][j] for i, j in polytope.variables]
    s = polytope.system
    return (all(v >= 0 for v in x)
            and all(sum(r * v for r, v in zip(row, x)) == rhs for row, rhs in zip(s.eq_rows, s.eq_rhs))
            and all(sum(r * v for r, v in zip(row, x)) <= rhs for row, rhs in zip(s.ub_rows, s.ub_rhs)))


def flat(profile: Profile) -> tuple[F, ...]:
    return tuple(F(x) for matrix in profile for row in matrix for x in row)


def in_hull(point: tuple[F, ...], others: Sequence[tuple[F, ...]]) -> bool:
    """Whether ``point`` is a convex combination of ``others`` (an exact feasibility LP)."""
    k = len(others)
    rows = tuple(tuple(o[i] for o in others) for i in range(len(point))) + ((F(1),) * k,)
    return ExactArithmetic().closed_point(LinearSystem(k, rows, point + (F(1),))) is not None


# -- the test --------------------------------------------------------------------------------
@pytest.mark.parametrize("make", _cases())
def test_union_of_faces_is_the_brute_force_pbe_set_on_a_grid(make: Any) -> None:
    game = make()
    assert game.shape == (2, 2, 2)
    result = pbe_solve(game, exact=True)
    cells = BeliefCells(game, ExactArithmetic())
    faces: dict[Any, Any] = {}
    for eq, shape in zip(result, face_shapes(result)):
        key = (eq.sender_support, eq.receiver_support)
        assert key not in faces, f"two entries with the support profile {key}"
        faces[key] = (eq, shape, [flat(p) for p in shape.profiles])

    brute: set[Profile] = set()
    in_faces: set[Profile] = set()
    for sender in itertools.product(distributions(2), repeat=2):
        for receiver in itertools.product(distributions(2), repeat=2):
            profile = (sender, receiver)
            for m in range(2):  # the independent off-path test agrees with the solver's cells
                assert (supporting_belief(game, m, support(receiver[m])) is not None) == cells.has_cell(
                    m, (0, 1), support(receiver[m]), False)
            beliefs = brute_force_beliefs(game, sender, receiver)
            if beliefs is not None:
                brute.add(profile)
                certificate = verify_pbe(game, sender, receiver, beliefs)
                assert certificate.ok, (profile, certificate.violations)
            found = faces.get((tuple(map(support, sender)), tuple(map(support, receiver))))
            if found is None:
                continue
            eq, shape, points = found
            assert set(shape.sender.variables) == {(t, m) for t in range(2) for m in support(sender[t])}
            assert set(shape.receiver.variables) == {(m, a) for m in range(2) for a in support(receiver[m])}
            by_system = satisfies(shape.sender, sender) and satisfies(shape.receiver, receiver)
            assert by_system == in_hull(flat(profile), points), (profile, eq.sender_support, eq.receiver_support)
            if not by_system:
                continue
            in_faces.add(profile)
            # the solver's beliefs: Bayes on the path, the entry's representative off it
            solver_beliefs: list[Sequence[Any]] = []
            for m in range(2):
                offpath, posterior = eq.offpath_beliefs[m], bayes(game, sender, m)
                assert (offpath is None) == (posterior is not None) == eq.on_path[m]
                solver_beliefs.append(offpath.representative if offpath is not None else posterior or ())
            certificate = verify_pbe(game, sender, receiver, solver_beliefs)
            assert certificate.ok, (profile, certificate.violations)

    assert not brute - in_faces, f"grid PBE in no face of {game.name}: {sorted(brute - in_faces)}"
    assert not in_faces - brute, f"grid points of a face that are no PBE of {game.name}: {sorted(in_faces - brute)}"

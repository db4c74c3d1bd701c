"""The exact shape of the PBE set: vertices of faces (:mod:`intelgame.solvers.pbe.shape`) and the
exact vertex enumeration behind them (:mod:`intelgame.geometry.polytope`)."""

from __future__ import annotations

import itertools
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games_for_tests import beer_quiche
from intelgame.analysis.verify import verify_nash, verify_pbe
from intelgame.games import SignallingGame, harsanyi_form
from intelgame.games.harsanyi import behaviour_to_mixed
from intelgame.games.build import build_game
from intelgame.geometry.faces import ExactArithmetic, LinearSystem
from intelgame.geometry.polytope import dimension, vertices
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.pbe.shape import FaceShape, face_shapes
from intelgame.spec import load_spec

MODELS = sorted(Path(__file__).parent.parent.joinpath("models").glob("*.yaml"))


def small_games(payoffs: Any = st.integers(-1, 1), max_size: int = 2) -> Any:
    """Random games up to ``max_size`` types, messages, actions; payoffs in {-1, 0, 1} make ties
    (degenerate games) the rule."""
    @st.composite
    def build(draw: Any) -> SignallingGame:
        n_t, n_m, n_a = (draw(st.integers(1, max_size)) for _ in range(3))
        weights = draw(st.lists(st.integers(1, 3), min_size=n_t, max_size=n_t))

        def cells() -> list[list[list[int]]]:
            return [[[draw(payoffs) for _ in range(n_a)] for _ in range(n_m)] for _ in range(n_t)]
        return SignallingGame(name="random", types=tuple(f"t{i}" for i in range(n_t)),
                              messages=tuple(f"m{i}" for i in range(n_m)), actions=tuple(f"a{i}" for i in range(n_a)),
                              prior=tuple(F(w, sum(weights)) for w in weights), sender_payoffs=cells(),
                              receiver_payoffs=cells())
    return build()


def strategies(shape: FaceShape) -> list[tuple[Any, Any]]:
    return [(v.sender, v.receiver) for v in shape.vertices]


def in_hull(point: tuple[F, ...], others: list[tuple[F, ...]]) -> bool:
    """Whether ``point`` is a convex combination of ``others`` (an exact feasibility LP)."""
    if not others:
        return False
    n, k = len(point), len(others)
    rows = tuple(tuple(o[i] for o in others) for i in range(n)) + ((F(1),) * k,)
    return ExactArithmetic().closed_point(LinearSystem(k, rows, tuple(point) + (F(1),))) is not None


def flat(sender: Any, receiver: Any) -> tuple[F, ...]:
    return tuple(x for g in (sender, receiver) for row in g for x in row)


def check_shapes(result: PBEResult) -> None:
    """Every vertex is a PBE (verifier, exactly on the rational game), extreme in its face, and
    the face's dimension is 0 exactly for the isolated entries (which are their own vertex)."""
    game = result.game.to_rational()
    for eq, shape in zip(result, face_shapes(result)):
        assert shape.vertices
        for v in shape.vertices:
            certificate = verify_pbe(game if result.exact else result.game, v.sender, v.receiver, v.beliefs)
            assert certificate.ok, certificate.violations
        points = [flat(F_(v.sender), F_(v.receiver)) for v in shape.vertices]
        assert len(set(points)) == len(points)
        for k, p in enumerate(points):
            assert not in_hull(p, points[:k] + points[k + 1:])
        assert (shape.dimension == 0) == (not eq.is_continuum)
        assert shape.dimension == dimension(points)
        if not eq.is_continuum:
            assert strategies(shape) == [(eq.sender, eq.receiver)]


def F_(matrix: Any) -> Any:
    """A matrix of floats (or rationals) as the nearest rationals of small denominator."""
    return tuple(tuple(F(x).limit_denominator(10**6) for x in row) for row in matrix)


# -- the vertex enumeration ---------------------------------------------------------------------
def brute_vertices(system: LinearSystem) -> set[tuple[F, ...]]:
    """Every basic feasible point: n linearly independent tight constraints, solved exactly."""
    n = system.n
    rows = [(tuple(F(a) for a in r), F(b), True) for r, b in zip(system.eq_rows, system.eq_rhs)]
    rows += [(tuple(F(a) for a in r), F(b), False) for r, b in zip(system.ub_rows, system.ub_rhs)]
    rows += [(tuple(F(-1) if j == i else F(0) for j in range(n)), F(0), False) for i in range(n)]
    ar, found = ExactArithmetic(), set()
    for chosen in itertools.combinations(range(len(rows)), n):
        square = LinearSystem(n, tuple(rows[k][0] for k in chosen), tuple(rows[k][1] for k in chosen))
        full, x = ar._unique_solution(square)
        if full and x is not None and ar.satisfies(system, x):
            found.add(tuple(x))
    return found


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 4), st.data())
def test_vertices_match_brute_force_on_random_polytopes(n: int, data: Any) -> None:
    entries = st.integers(-2, 2)
    eqs = data.draw(st.lists(st.lists(entries, min_size=n, max_size=n), max_size=2))
    ubs = data.draw(st.lists(st.lists(entries, min_size=n, max_size=n), max_size=4))
    system = LinearSystem(n, tuple(map(tuple, [[1] * n] + eqs)), tuple([1] + data.draw(
        st.lists(st.integers(-1, 1), min_size=len(eqs), max_size=len(eqs)))),
        tuple(map(tuple, ubs)), tuple(data.draw(st.lists(st.integers(-1, 2), min_size=len(ubs), max_size=len(ubs)))))
    assert set(vertices(system)) == brute_vertices(system)


# -- published continua ---------------------------------------------------------------------------
def test_beer_quiche_pooling_continua_have_their_published_extreme_points() -> None:
    """Cho and Kreps (1987), p. 185: pooling on beer is supported by a duel after quiche with
    probability at least 1/2 (indifference at mu(weak | quiche) = 1/2); pooling on quiche by a
    duel after beer with probability at least 1/2. The extreme equilibria are the two ends."""
    result = pbe_solve(beer_quiche(), exact=True)
    shapes = face_shapes(result)
    continua = {eq.sender: strategies(s) for eq, s in zip(result, shapes) if eq.is_continuum}
    beer = ((F(1), F(0)), (F(1), F(0)))
    quiche = ((F(0), F(1)), (F(0), F(1)))
    assert sorted(continua[beer]) == [(beer, ((0, 1), (F(1, 2), F(1, 2)))), (beer, ((0, 1), (1, 0)))]
    assert sorted(continua[quiche]) == [(quiche, ((F(1, 2), F(1, 2)), (0, 1))), (quiche, ((1, 0), (0, 1)))]


def test_two_state_cheap_talk_face_is_a_polygon_not_a_box() -> None:
    """Two equally likely states, the receiver's action matches the state (Crawford and Sobel
    1982 with two states, no bias): in the face where both types mix over both messages and the
    receiver plays the same action after both, the sender mixes freely only along the
    receiver's indifference, so the face is a polygon inside the box [0, 1]^2."""
    g = SignallingGame.from_payoffs(
        name="cheap talk", types=["a", "b"], messages=["x", "y"], actions=["l", "m", "r"],
        prior=[F(1, 2), F(1, 2)],
        payoffs={t: {m: {a: (u, u) for a, u in zip(["l", "m", "r"], row)} for m in ["x", "y"]}
                 for t, row in (("a", (3, 2, 0)), ("b", (0, 2, 3)))})
    result = pbe_solve(g, exact=True)
    check_shapes(result)
    shapes = face_shapes(result)
    assert max(s.dimension for s in shapes) >= 2


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_model_vertices_are_extreme_equilibria(path: Path) -> None:
    game = build_game(load_spec(path), {})
    if not isinstance(game, SignallingGame):
        pytest.skip("a normal-form game")
    check_shapes(pbe_solve(game, exact=True))


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_model_float_vertices_are_the_exact_ones(path: Path) -> None:
    game = build_game(load_spec(path), {})
    if not isinstance(game, SignallingGame):
        pytest.skip("a normal-form game")
    exact, floating = face_shapes(pbe_solve(game, exact=True)), face_shapes(pbe_solve(game))
    for a, b in zip(exact, floating):
        assert a.dimension == b.dimension
        assert [(F_(v.sender), F_(v.receiver), F_(v.beliefs)) for v in b.vertices] == [
            (v.sender, v.receiver, v.beliefs) for v in a.vertices]


# -- random degenerate games -----------------------------------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_random_degenerate_games_vertices_are_extreme_pbe(game: SignallingGame) -> None:
    result = pbe_solve(game, exact=True)
    check_shapes(result)
    # every pure PBE is a vertex of some face (its own entry, and of the faces it bounds)
    all_vertices = {(v.sender, v.receiver) for s in face_shapes(result) for v in s.vertices}
    assert {(e.sender, e.receiver) for e in result if e.is_pure} <= all_vertices


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_random_degenerate_games_float_vertices_are_the_exact_ones(game: SignallingGame) -> None:
    exact, floating = face_shapes(pbe_solve(game, exact=True)), face_shapes(pbe_solve(game))
    assert [[(F_(v.sender), F_(v.receiver)) for v in s.vertices] for s in floating] == [
        [(v.sender, v.receiver) for v in s.vertices] for s in exact]


# -- Gambit's exact enumeration of the Harsanyi form, when installed ------------------------------
def behaviour(game: SignallingGame, x: Any, y: Any) -> tuple[Any, Any]:
    """A mixed profile of the Harsanyi form as behaviour strategies (Kuhn; linear)."""
    n_t, n_m, n_a = game.shape
    senders = list(itertools.product(range(n_m), repeat=n_t))
    receivers = list(itertools.product(range(n_a), repeat=n_m))
    sigma = tuple(tuple(sum((p for s, p in zip(senders, x) if s[t] == m), F(0)) for m in range(n_m)) for t in range(n_t))
    rho = tuple(tuple(sum((p for r, p in zip(receivers, y) if r[m] == a), F(0)) for a in range(n_a)) for m in range(n_m))
    return sigma, rho


def in_closure(shape: FaceShape, sigma: Any, rho: Any) -> bool:
    """Whether ``(sigma, rho)`` lies in the closure of the face (both polytopes' systems)."""
    ar = ExactArithmetic()
    for part, matrix in ((shape.sender, sigma), (shape.receiver, rho)):
        inside = {(i, j) for i, j in part.variables}
        if any(matrix[i][j] for i in range(len(matrix)) for j in range(len(matrix[i])) if (i, j) not in inside):
            return False
        if not ar.satisfies(part.system, [matrix[i][j] for i, j in part.variables]):
            return False
    return True


GAMBIT_GAMES = [beer_quiche(), beer_quiche(F(1, 2)), SignallingGame.from_payoffs(
    name="coordination", types=["a", "b"], messages=["x", "y"], actions=["l", "r"], prior=[F(1, 3), F(2, 3)],
    payoffs={"a": {"x": {"l": (1, 1), "r": (0, 0)}, "y": {"l": (1, 1), "r": (0, 0)}},
             "b": {"x": {"l": (0, 0), "r": (1, 1)}, "y": {"l": (0, 0), "r": (1, 1)}}})]


@pytest.mark.parametrize("game", GAMBIT_GAMES, ids=lambda g: f"{g.name}-{g.prior[0]}")
def test_consistent_with_gambit_extreme_equilibria_of_the_harsanyi_form(game: SignallingGame) -> None:
    """Gambit's exact enumeration (``enummixed_solve(rational=True)``) of the Harsanyi form lists
    the extreme Nash equilibria in mixed strategies over pure maps. Mapped to behaviour
    strategies (Kuhn; a linear map, not one to one, so an extreme Nash equilibrium may land
    inside a face, e.g. an off-path mixture of the receiver), those that are PBE lie in the
    convex hull of the reported vertices of a face; every reported vertex is a Nash
    equilibrium of the Harsanyi form; and the isolated entries are Gambit extreme points."""
    pygambit = pytest.importorskip("pygambit")
    h = harsanyi_form(game)
    gg = pygambit.Game.from_arrays([[F(v) for v in r] for r in h.row_payoffs], [[F(v) for v in r] for r in h.column_payoffs])
    first, second = list(gg.players)
    extreme = [behaviour(game, [F(eq[s]) for s in first.strategies], [F(eq[s]) for s in second.strategies])
               for eq in pygambit.nash.enummixed_solve(gg, rational=True).equilibria]
    result = pbe_solve(game, exact=True)
    shapes = face_shapes(result)
    pbe = [p for p in extreme if any(in_closure(s, *p) for s in shapes)]
    assert pbe
    for p in pbe:
        assert any(in_closure(s, *p) and in_hull(flat(*p), [flat(v.sender, v.receiver) for v in s.vertices])
                   for s in shapes)
    for s in shapes:
        for v in s.vertices:
            assert verify_nash(h, behaviour_to_mixed(v.sender), behaviour_to_mixed(v.receiver)).ok
    assert {(e.sender, e.receiver) for e in result if not e.is_continuum} <= set(extreme)

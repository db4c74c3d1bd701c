"""Verdicts on the whole face (intelgame.analysis.face_verdicts): every point of a continuum,
judged on its own as a one-point equilibrium, gets the verdict of the piece that contains it,
and every piece's vertices are PBE."""

from __future__ import annotations

import random
from fractions import Fraction as F
from itertools import combinations
from pathlib import Path
from typing import Any, Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intelgame.analysis.classify import classify
from intelgame.analysis.divinity import CRITERIA, Refiner, refinement_verdicts
from intelgame.analysis.face_verdicts import Condition, FaceJudge, FaceVerdicts, Piece, face_verdicts
from intelgame.analysis.quality import assess
from intelgame.analysis.refinements import cells_for, intuitive_criterion
from intelgame.analysis.verify import verify_pbe
from intelgame.games import SignallingGame
from intelgame.games.build import build_game
from intelgame.geometry.polytope import vertices
from intelgame.output.documents import describe_pbe_result
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.result import PBE, PBEResult, equilibrium_payoffs
from intelgame.solvers.pbe.shape import FaceShape, face_shapes
from intelgame.spec import load_spec, parse_overrides

MODELS = Path(__file__).resolve().parents[1] / "models"
Matrix = tuple[tuple[F, ...], ...]


def one_point(game: SignallingGame, eq: PBE, shape: FaceShape, sender: Matrix, receiver: Matrix) -> PBE:
    """The equilibrium at one point of a face, built here from its strategies alone."""
    prior = [F(p) for p in game.prior]
    v = shape.assessment(prior, sender, receiver, True)
    us, ur = game.sender_payoffs, game.receiver_payoffs
    u_s, u_r = equilibrium_payoffs(prior, us, ur, sender, receiver)
    on_path = tuple(any(p > 0 and row[m] > 0 for p, row in zip(prior, sender)) for m in range(len(game.messages)))
    return PBE(sender=v.sender, receiver=v.receiver, beliefs=v.beliefs, on_path=on_path,
               offpath_beliefs=eq.offpath_beliefs, sender_range=tuple(tuple((x, x) for x in r) for r in sender),
               receiver_range=tuple(tuple((x, x) for x in r) for r in receiver), sender_payoffs=u_s,
               receiver_payoff=u_r, sender_support=eq.sender_support, receiver_support=eq.receiver_support)


def in_entry(eq: PBE, sender: Matrix, receiver: Matrix) -> bool:
    """Whether a point of the face's closure has the entry's support profile (is in the face)."""
    return (all(tuple(m for m, x in enumerate(row) if x) == s for row, s in zip(sender, eq.sender_support))
            and all(tuple(a for a, x in enumerate(row) if x) == b for row, b in zip(receiver, eq.receiver_support)))


def holds(condition: Condition, values: Sequence[F]) -> bool:
    row, rhs, sign = condition
    x = sum((a * v for a, v in zip(row, values)), F(0)) - rhs
    return {-2: x <= 0, -1: x < 0, 0: x == 0, 1: x > 0, 2: x >= 0}[sign]


def contains(piece: Piece, shape: FaceShape, sender: Matrix, receiver: Matrix) -> bool:
    s = [sender[t][m] for t, m in shape.sender.variables]
    r = [receiver[m][a] for m, a in shape.receiver.variables]
    return all(holds(c, s) for c in piece.sender) and all(holds(c, r) for c in piece.receiver)


def own_verdicts(game: SignallingGame, point: PBE) -> dict[str, Any]:
    refiner = Refiner(game)
    judged = refiner.verdicts(point)
    out = {"classification": classify(game, point), "quality_labels": assess(game, point).labels,
           **{c: judged[c].passes for c in CRITERIA}}
    # the Intuitive Criterion once more, by the other implementation (refinements.py)
    assert intuitive_criterion(point, cells_for(game, exact=True)) == out["intuitive_criterion"]
    return out


def combination(points: Sequence[tuple[Matrix, Matrix]], weights: Sequence[int]) -> tuple[Matrix, Matrix]:
    total = sum(weights)
    mixed = []
    for part in (0, 1):
        rows = len(points[0][part])
        cols = len(points[0][part][0])
        mixed.append(tuple(tuple(sum((F(w, total) * p[part][i][j] for p, w in zip(points, weights)), F(0))
                                 for j in range(cols)) for i in range(rows)))
    return mixed[0], mixed[1]


def check_face(game: SignallingGame, eq: PBE, shape: FaceShape, verdicts: FaceVerdicts,
               extra_weights: Sequence[int] = ()) -> int:
    """Every sampled point of the face judged alone equals its piece's verdict (one piece per
    varying verdict contains it); every piece vertex is a PBE. Returns the points compared."""
    assert set(verdicts.constant) | set(verdicts.pieces) == set(("classification", "quality_labels", *CRITERIA))
    assert not set(verdicts.constant) & set(verdicts.pieces)
    prior = [F(p) for p in game.prior]
    samples = list(shape.profiles)
    samples.append(combination(shape.profiles, [1] * len(shape.profiles)))
    if extra_weights:
        weights = [extra_weights[k % len(extra_weights)] for k in range(len(shape.profiles))]
        samples.append(combination(shape.profiles, weights))
    samples += [combination(pair, [1, 2]) for pair in combinations(shape.profiles, 2)]
    for pieces in verdicts.pieces.values():
        assert len({p.value for p in pieces}) > 1
        for piece in pieces:
            assert piece.vertices and piece.dimension <= shape.dimension
            for s, r in piece.vertices:
                v = shape.assessment(prior, s, r, True)
                assert verify_pbe(game, v.sender, v.receiver, v.beliefs), (s, r)
            samples += list(piece.vertices)
            samples.append(combination(piece.vertices, [1] * len(piece.vertices)))
    compared = 0
    for sender, receiver in samples:
        if not in_entry(eq, sender, receiver):
            continue  # a point of the closure with a smaller support: another entry's
        point = one_point(game, eq, shape, sender, receiver)
        assert point.on_path == eq.on_path
        assert verify_pbe(game, point.sender, point.receiver, point.beliefs)
        mine = own_verdicts(game, point)
        for name, value in verdicts.constant.items():
            assert mine[name] == value, (name, sender, receiver)
        for name, pieces in verdicts.pieces.items():
            holding = [p for p in pieces if contains(p, shape, sender, receiver)]
            assert len(holding) == 1, (name, sender, receiver)
            assert holding[0].value == mine[name], (name, sender, receiver)
        compared += 1
    return compared


def check_result(result: PBEResult, weights: Sequence[int] = ()) -> int:
    game = result.game
    shapes = face_shapes(result)
    compared = 0
    for eq, shape, verdicts in zip(result, shapes, face_verdicts(result, shapes)):
        assert (verdicts is None) == (shape.dimension == 0)
        if verdicts is not None:
            compared += check_face(game, eq, shape, verdicts, weights)
    return compared


def reassurance(p: str) -> SignallingGame:
    return build_game(load_spec(MODELS / "reassurance.yaml"), parse_overrides([f"p={p}"]))


def test_reassurance_face_with_points_that_pass_and_fail_the_intuitive_criterion_is_split() -> None:
    """At p = 2/3 the receiver is indifferent after no gesture: in the pooling face where it
    cooperates with probability q, the security seeker's payoff is 2q; the gesture (off the
    path) brings it 1 at best, so it deviates when 2q < 1 (the greedy state, whose gesture is
    dominated, is pruned): the criterion fails for q < 1/2 and holds for q >= 1/2."""
    game = reassurance("2/3")
    result = pbe_solve(game, exact=True)
    shapes = face_shapes(result)
    split = [(eq, shape, v) for eq, shape, v in zip(result, shapes, face_verdicts(result, shapes))
             if v is not None and "intuitive_criterion" in v.pieces]
    assert split
    for eq, shape, verdicts in split:
        pieces = verdicts.pieces["intuitive_criterion"]
        assert {p.value for p in pieces} == {True, False}
        q = shape.receiver.variables.index((1, 0))  # rho(cooperate | no_gesture)
        for piece in pieces:
            (row, rhs, sign), = piece.receiver
            assert [i for i, c in enumerate(row) if c] == [q] and rhs / row[q] == F(1, 2)
            assert (sign * row[q] > 0) == piece.value  # passes where q >= 1/2
        check_face(game, eq, shape, verdicts)
        # the one verdict the entry reports is that of its representative point only
        assert Refiner(game).verdicts(eq)["intuitive_criterion"].passes in {True, False}
    assert check_result(result) > 0


def test_reassurance_json_reports_the_split() -> None:
    result = pbe_solve(reassurance("2/3"))
    document = describe_pbe_result(result)
    split = [e["verdicts_on_face"] for e in document["equilibria"]
             if "intuitive_criterion" in e.get("verdicts_on_face", {}).get("pieces", {})]
    assert split
    for entry in split:
        pieces = entry["pieces"]["intuitive_criterion"]
        assert sorted((p["value"], p["conditions"]["receiver"]) for p in pieces) == [
            (False, ["rho(cooperate|no_gesture) < 1/2"]), (True, ["rho(cooperate|no_gesture) >= 1/2"])]
        assert all(p["vertices"] and "beliefs" in p["vertices"][0] for p in pieces)
        assert entry["constant"]["classification"] == "pooling"


def test_indifferent_players_face_is_split_at_the_pooling_line() -> None:
    """When no one cares (every payoff 0), every profile is a PBE: in the face where both
    types mix over both messages, the points with sigma(x|a) = sigma(x|b) pool (a segment)
    and the others are semi-separating (two open triangles)."""
    zero = {"l": (0, 0), "r": (0, 0)}
    g = SignallingGame.from_payoffs(name="indifferent", types=["a", "b"], messages=["x", "y"], actions=["l", "r"],
                                    prior=[F(1, 3), F(2, 3)],
                                    payoffs={t: {m: dict(zero) for m in ("x", "y")} for t in ("a", "b")})
    result = pbe_solve(g, exact=True)
    shapes = face_shapes(result)
    found = [(v, s) for v, s in zip(face_verdicts(result, shapes), shapes)
             if v is not None and s.sender.dimension == 2]
    assert found
    for verdicts, shape in found:
        pieces = verdicts.pieces["classification"]
        assert sorted((p.value, p.dimension - shape.receiver.dimension) for p in pieces) == [
            ("pooling", 1), ("semi-separating", 2), ("semi-separating", 2)]
        labels = {p.value for p in verdicts.pieces["quality_labels"]}
        assert ("babbling",) in labels and ("partially revealing",) in labels
    assert check_result(result) > 0


@st.composite
def games_2x2x2(draw: Any) -> SignallingGame:
    """Random 2x2x2 games with payoffs in {-1, 0, 1} (ties everywhere: degenerate games)."""
    weights = draw(st.lists(st.integers(1, 3), min_size=2, max_size=2))

    def cells() -> list[list[list[int]]]:
        return [[[draw(st.integers(-1, 1)) for _ in range(2)] for _ in range(2)] for _ in range(2)]
    return SignallingGame(name="random", types=("t0", "t1"), messages=("m0", "m1"), actions=("a0", "a1"),
                          prior=tuple(F(w, sum(weights)) for w in weights), sender_payoffs=cells(),
                          receiver_payoffs=cells())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games_2x2x2(), st.lists(st.integers(1, 5), min_size=1, max_size=4))
def test_random_degenerate_games_point_verdicts_equal_their_piece(game: SignallingGame, weights: list[int]) -> None:
    check_result(pbe_solve(game, exact=True), weights)


def test_seeded_2x2x3_games_with_refinement_splits() -> None:
    """Degenerate 2x2x3 games (payoffs in {-1, 0, 1}, a fixed seed) where the types' payoffs
    move along faces: the Intuitive Criterion and D1 are split on some faces, and every sampled
    point agrees with its piece."""
    rng = random.Random(0)
    split: set[str] = set()
    for _ in range(20):
        weights = [rng.randint(1, 3) for _ in range(2)]

        def cells() -> list[list[list[int]]]:
            return [[[rng.randint(-1, 1) for _ in range(3)] for _ in range(2)] for _ in range(2)]
        game = SignallingGame(name="seeded", types=("t0", "t1"), messages=("m0", "m1"), actions=("a0", "a1", "a2"),
                              prior=tuple(F(w, sum(weights)) for w in weights), sender_payoffs=cells(),
                              receiver_payoffs=cells())
        result = pbe_solve(game, exact=True)
        shapes = face_shapes(result)
        split |= {name for v in face_verdicts(result, shapes) if v is not None for name in v.pieces}
        check_result(result, [1, 2, 3])
    assert {"intuitive_criterion", "d1", "classification"} <= split


def each_alone(result: PBEResult, shapes: Sequence[FaceShape]) -> list[FaceVerdicts | None]:
    """face_verdicts with nothing shared between entries: a fresh judge (and Refiner) for each."""
    return [FaceJudge(result).judge(eq, shape) if shape.dimension else None for eq, shape in zip(result, shapes)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games_2x2x2())
def test_shared_work_gives_each_face_s_own_verdicts(game: SignallingGame) -> None:
    """The judge decides the pooling split once per sigma-polytope and each piece's closure
    once per factor and conditions, and shares one Refiner with the document's verdicts: the
    verdicts are those of each face judged alone, on the exact and the float result; each
    factor's ``points`` are the vertices of its system."""
    for result in (pbe_solve(game, exact=True), pbe_solve(game)):
        shapes = face_shapes(result)
        refiner = Refiner(game)
        refinement_verdicts(result, shapes, refiner)
        assert face_verdicts(result, shapes, refiner=refiner) == each_alone(result, shapes)
        for shape in shapes:
            for polytope in (shape.sender, shape.receiver):
                assert list(polytope.points) == vertices(polytope.system)


def test_shared_work_on_the_3x3x3_intelligence_model() -> None:
    game = build_game(load_spec(MODELS / "intelligence_three_levels.yaml"))
    assert isinstance(game, SignallingGame)
    result = pbe_solve(game)
    shapes = face_shapes(result)
    assert any(shape.dimension for shape in shapes)
    assert face_verdicts(result, shapes) == each_alone(result, shapes)

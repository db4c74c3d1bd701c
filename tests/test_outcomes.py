"""Outcomes, information labels and connected components of the PBE set (#15): invariant to the
messages' names, exact, and in the JSON document."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games_for_tests import beer_quiche, intelligence_market
from intelgame.analysis.components import connected_components
from intelgame.analysis.outcomes import outcomes
from intelgame.games import SignallingGame
from intelgame.games.build import build_game
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.shape import face_shapes
from intelgame.spec import load_spec
from test_shape import small_games

MODELS = Path(__file__).parent.parent / "models"


def relabelled(game: SignallingGame, order: tuple[int, ...]) -> SignallingGame:
    """``game`` with its messages in the order ``order`` (names travel with them)."""
    def permute(table: Any) -> Any:
        return tuple(tuple(row[m] for m in order) for row in table)
    return SignallingGame(name=game.name, types=game.types, messages=tuple(game.messages[m] for m in order),
                          actions=game.actions, prior=game.prior, sender_payoffs=permute(game.sender_payoffs),
                          receiver_payoffs=permute(game.receiver_payoffs))


def renamed(game: SignallingGame, names: tuple[str, ...]) -> SignallingGame:
    return SignallingGame(name=game.name, types=game.types, messages=names, actions=game.actions, prior=game.prior,
                          sender_payoffs=game.sender_payoffs, receiver_payoffs=game.receiver_payoffs)


def summary(game: SignallingGame) -> list[Any]:
    """The outcomes of ``game``, as a sorted list of (points, partition, label, noisy, members)."""
    result = pbe_solve(game, exact=True)
    return sorted((o.points, o.partition, o.information, o.noisy, len(o.members))
                  for o in outcomes(game, face_shapes(result)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games(max_size=2), st.randoms())
def test_relabelling_messages_permutes_entries_and_keeps_outcomes(game: SignallingGame, rng: Any) -> None:
    order = list(range(len(game.messages)))
    rng.shuffle(order)
    other = relabelled(game, tuple(order))
    assert summary(other) == summary(game)
    a, b = pbe_solve(game, exact=True), pbe_solve(other, exact=True)

    def faces(result: Any, order: list[int]) -> set[Any]:  # each face's vertices, in the original message order
        back = [order.index(m) for m in range(len(order))]
        return {frozenset((tuple(tuple(row[k] for k in back) for row in s), tuple(r[k] for k in back))
                          for s, r in shape.profiles) for shape in face_shapes(result)}
    assert faces(b, order) == faces(a, list(range(len(order))))
    assert len(connected_components(face_shapes(a))) == len(connected_components(face_shapes(b)))


def test_labels_follow_information_not_message_names() -> None:
    """The intelligence model at c = 1 reports truthfully (Chang 2023): threat warns, no threat
    reassures. With the message names swapped (threat sends "reassure"), the outcome and its
    label are unchanged: fully revealing."""
    game = intelligence_market(1)
    swapped = renamed(game, tuple(reversed(game.messages)))
    assert summary(game) == summary(swapped)
    labels = {o[2] for o in summary(game)}
    assert "fully revealing" in labels


def test_beer_quiche_outcomes_and_components() -> None:
    """Cho and Kreps (1987): pooling on beer and pooling on quiche, each an isolated pure PBE
    joined to its continuum of off-path mixtures: two outcomes, two components."""
    game = beer_quiche()
    shapes = face_shapes(pbe_solve(game, exact=True))
    found = outcomes(game, shapes)
    assert [(o.information, len(o.members)) for o in found] == [("babbling", 2), ("babbling", 2)]
    assert [c.members for c in connected_components(shapes)] == [(0, 2), (1, 3)]


def test_crawford_sobel_outcomes() -> None:
    """The discrete cheap-talk model at b = 3/4: babbling, and the partition {s1}, {s2, s3}
    (Crawford and Sobel 1982's two-step partition), once with a constant outcome and once with
    faces over which the receiver's mixture varies."""
    game = build_game(load_spec(MODELS / "crawford_sobel_discrete.yaml"), {})
    found = outcomes(game, face_shapes(pbe_solve(game, exact=True)))
    assert [(o.information, o.partition, o.is_constant) for o in found] == [
        ("babbling", ((0, 1, 2),), True), ("partially revealing", ((0,), (1, 2)), True),
        ("partially revealing", ((0,), (1, 2)), False)]
    assert sum(len(o.members) for o in found) == 301


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_components_partition_entries_and_join_faces_sharing_a_vertex(game: SignallingGame) -> None:
    shapes = face_shapes(pbe_solve(game, exact=True))
    components = connected_components(shapes)
    members = sorted(k for c in components for k in c.members)
    assert members == list(range(len(shapes)))
    where = {k: i for i, c in enumerate(components) for k in c.members}
    for i, j in itertools.combinations(range(len(shapes)), 2):
        if set(shapes[i].vertex_ids) & set(shapes[j].vertex_ids):
            assert where[i] == where[j]

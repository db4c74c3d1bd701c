"""An entry's own fields read off its whole face (intelgame.analysis.entry_verdicts): the
generic classification and labels, a criterion holding iff some equilibrium of the face
survives it (``on_part_of_face`` when only some do), the table's ``(part)``, ``--refine`` and
the selection rules reading a partially surviving continuum at its surviving point."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intelgame.analysis.verify import verify_pbe
from intelgame.analysis.classify import classify
from intelgame.analysis.divinity import CRITERIA, Refiner
from intelgame.analysis.entry_verdicts import entry_verdicts
from intelgame.analysis.face_verdicts import face_verdicts
from intelgame.analysis.selection import Selector, restrict, select
from intelgame.cli.app import main
from intelgame.games import SignallingGame
from intelgame.games.build import build_game
from intelgame.output.documents import describe_pbe_result
from intelgame.output.tables import pbe_cells
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.result import PBE
from intelgame.solvers.pbe.shape import face_shapes
from intelgame.spec import load_spec, parse_overrides

MODELS = Path(__file__).resolve().parents[1] / "models"
FIELDS = ("classification", "continuum", "on_path")


def in_face(eq: PBE, point: PBE) -> bool:
    """Whether ``point`` has the support profile of ``eq``'s face (is a point of the open face)."""
    return (all(tuple(m for m, x in enumerate(row) if x) == s for row, s in zip(point.sender, eq.sender_support))
            and all(tuple(a for a, x in enumerate(row) if x) == b
                    for row, b in zip(point.receiver, eq.receiver_support)))


def entry_fields(entry: dict[str, Any]) -> tuple[Any, ...]:
    refinements = entry["refinements"]
    return (entry["classification"], entry["quality"]["labels"], [refinements[c] for c in CRITERIA],
            refinements["on_part_of_face"], refinements.get("passing_pieces"))


def indifferent() -> SignallingGame:
    zero = {"l": (0, 0), "r": (0, 0)}
    return SignallingGame.from_payoffs(name="indifferent", types=["a", "b"], messages=["x", "y"], actions=["l", "r"],
                                       prior=[F(1, 3), F(2, 3)],
                                       payoffs={t: {m: dict(zero) for m in ("x", "y")} for t in ("a", "b")})


def test_a_representative_point_on_the_pooling_slice_gets_the_generic_classification() -> None:
    """When no one cares, the faces where both types mix over both messages have the
    barycentre of a square as representative point: sigma(x|a) = sigma(x|b) = 1/4, pooling.
    Pooling holds on that face's diagonal only; the rest, of full dimension, is
    semi-separating and partially revealing: the entry's fields."""
    game = indifferent()
    for exact in (True, False):
        result = pbe_solve(game, exact=exact)
        document = describe_pbe_result(result)
        shapes = face_shapes(result)
        mixing = [(eq, entry) for eq, entry, shape in zip(result, document["equilibria"], shapes)
                  if shape.sender.dimension == 2]
        assert len(mixing) == 9
        for eq, entry in mixing:
            assert classify(game, eq, tolerance=result.tolerance) == "pooling"  # the representative point
            assert entry["classification"] == "semi-separating"
            assert entry["quality"]["labels"] == ["partially revealing"]
            assert entry["sender"]["a"]["x"] == entry["sender"]["b"]["x"]  # the point stays the entry's strategies


def reassurance(p: str) -> SignallingGame:
    game = build_game(load_spec(MODELS / "reassurance.yaml"), parse_overrides([f"p={p}"]))
    assert isinstance(game, SignallingGame)
    return game


def test_reassurance_continua_survive_on_part_of_their_face() -> None:
    """At p = 2/3 two pooling continua on no gesture pass every criterion where the receiver
    cooperates after no gesture with probability at least 1/2 and fail below: each criterion
    holds for the entry (some equilibrium survives), on part of the face, and the table says
    ``(part)``. Their representative points (rho(cooperate|no_gesture) 1/3 and 3/8) fail."""
    game = reassurance("2/3")
    documents = [describe_pbe_result(pbe_solve(game, exact=exact)) for exact in (True, False)]
    assert [entry_fields(e) for e in documents[0]["equilibria"]] == [entry_fields(e) for e in documents[1]["equilibria"]]
    entries = documents[0]["equilibria"]
    partial = [k for k, e in enumerate(entries) if e["refinements"]["on_part_of_face"]]
    assert partial == [7, 8]
    cells = pbe_cells(documents[0])
    for k in partial:
        refinements = entries[k]["refinements"]
        assert all(refinements[c] for c in CRITERIA)
        assert refinements["on_part_of_face"] == list(CRITERIA)
        for c in CRITERIA:
            assert [p["conditions"] for p in refinements["passing_pieces"][c]] == [
                {"sender": [], "receiver": ["rho(cooperate|no_gesture) >= 1/2"]}]
            # the explanations stay the representative point's, which fails
            assert not any(m["passes"] for m in refinements["explanations"][c].values())
        assert cells[k][-1] == "IC(part) D1(part) D2(part) UD(part) NWBR(part)"
    assert all(not e["refinements"]["on_part_of_face"] for k, e in enumerate(entries) if k not in partial)


def test_refine_keeps_and_rules_read_a_partial_continuum_at_its_surviving_point() -> None:
    game = reassurance("2/3")
    result = pbe_solve(game, exact=True)
    refiner = Refiner(game)
    kept = restrict(result, criterion="intuitive_criterion")
    assert [e for e in kept] == [result.equilibria[k] for k in (0, 1, 2, 4, 6, 7, 8)]
    selector = Selector(result)
    for k, q in ((7, F(3, 4)), (8, F(3, 4))):
        eq = result.equilibria[k]
        assert not refiner.verdicts(eq)["intuitive_criterion"].passes
        point = selector.equilibrium(k, "intuitive_criterion")
        assert refiner.verdicts(point)["intuitive_criterion"].passes  # judged alone, it survives
        assert in_face(eq, point) and point.receiver[1][0] == q  # the middle of [1/2, 1)
        assert selector.values(k, "intuitive_criterion")[0] == point.sender_payoffs == (F(3, 2), F(9, 4))
    # entry 6 (ex ante 14/9 to the sender) survives at its representative point; entry 7 at its
    # surviving point gives 7/4 (at its representative point 7/9: the old reading chose 6)
    assert selector.select("sender_optimal:intuitive_criterion", among=[6, 7, 8]) == 7
    assert selector.select("sender_optimal", among=[6, 7, 8]) == 6
    for rule in ("most_informative", "sender_optimal", "receiver_optimal", "pareto"):
        picked = select(result, f"{rule}:intuitive_criterion")
        assert picked is not None and refiner.verdicts(picked)["intuitive_criterion"].passes


def test_cli_refine_keeps_partial_continua_and_marks_them(capsys: Any) -> None:
    assert main(["solve", str(MODELS / "reassurance.yaml"), "--set", "p=2/3", "--exact", "--refine",
                 "intuitive_criterion", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.count("IC(part)") == 2


def test_a_type_of_prior_zero_moves_the_payoffs_through_an_off_path_reply() -> None:
    """Beer-quiche at p = 1 (the strong type has prior 0): in the continuum where the weak type
    has quiche and the strong type beer, off the path, the strong type's payoff moves with the
    reply to beer, so D1 holds at one point of the face only although every on-path reply is
    fixed: the criteria alone (sweeps, selection) are read off the face too."""
    game = build_game(load_spec(MODELS / "beer_quiche.yaml"), parse_overrides(["p=1"]))
    assert isinstance(game, SignallingGame)
    result = pbe_solve(game, exact=True)
    full, alone = entry_verdicts(result), entry_verdicts(result, criteria_only=True)
    assert [(e.passes, e.on_part_of_face) for e in alone] == [(e.passes, e.on_part_of_face) for e in full]
    assert any("d1" in e.on_part_of_face for e in alone)


@st.composite
def games(draw: Any) -> SignallingGame:
    """Random 2x2x2 and 2x2x3 games with payoffs in {-1, 0, 1} (degenerate: ties everywhere), a
    type of prior 0 allowed."""
    weights = draw(st.lists(st.integers(0, 3), min_size=2, max_size=2).filter(lambda w: sum(w) > 0))
    n_a = draw(st.integers(2, 3))

    def cells() -> tuple[tuple[tuple[int, ...], ...], ...]:
        return tuple(tuple(tuple(draw(st.integers(-1, 1)) for _ in range(n_a)) for _ in range(2)) for _ in range(2))
    return SignallingGame(name="random", types=("t0", "t1"), messages=("m0", "m1"),
                          actions=tuple(f"a{i}" for i in range(n_a)),
                          prior=tuple(F(w, sum(weights)) for w in weights), sender_payoffs=cells(),
                          receiver_payoffs=cells())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games())
def test_random_degenerate_games_entry_fields_are_the_faces(game: SignallingGame) -> None:
    """For every continuum: each boolean is whether some piece passes, ``on_part_of_face`` the
    criteria whose pieces disagree, the classification the value on the full-dimensional
    pieces, the surviving point a point of the face that passes judged alone; float and exact
    documents have the same fields; every rule restricted to a criterion picks a point that
    survives it."""
    result = pbe_solve(game, exact=True)
    shapes = face_shapes(result)
    judged = entry_verdicts(result)
    refiner = Refiner(game)
    for eq, shape, face, own in zip(result, shapes, face_verdicts(result, shapes), judged):
        if face is None:
            assert own.on_part_of_face == () and own.passes == {c: v.passes for c, v in refiner.verdicts(eq).items()}
            continue
        for c in CRITERIA:
            values = [p.value for p in face.pieces[c]] if c in face.pieces else [face.constant[c]]
            assert own.passes[c] == any(values)
            assert (c in own.on_part_of_face) == (len(set(values)) > 1)
            if c in own.on_part_of_face:
                point = own.surviving[c]
                assert in_face(eq, point) and refiner.verdicts(point)[c].passes
                assert verify_pbe(game, point.sender, point.receiver, point.beliefs).ok  # the independent verifier
        full = {p.value for p in face.pieces.get("classification", ()) if p.dimension == shape.dimension}
        assert own.classification == (face.constant["classification"] if not full else full.pop())
    # the criteria alone (sweeps, selection) are read off the faces the same way
    alone = entry_verdicts(result, criteria_only=True)
    assert [(e.passes, e.on_part_of_face) for e in alone] == [(e.passes, e.on_part_of_face) for e in judged]
    exact, floats = (describe_pbe_result(pbe_solve(game, exact=e)) for e in (True, False))
    assert [entry_fields(e) for e in exact["equilibria"]] == [entry_fields(e) for e in floats["equilibria"]]
    for c in CRITERIA:
        for rule in ("most_informative", "sender_optimal", "receiver_optimal", "pareto"):
            picked = select(result, f"{rule}:{c}")
            assert picked is None or (refiner.verdicts(picked)[c].passes
                                      and verify_pbe(game, picked.sender, picked.receiver, picked.beliefs).ok)

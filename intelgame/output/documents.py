"""JSON-ready descriptions of solver results: the contract of ``intelgame solve --json``.

One entry per equilibrium with the fields of SPEC.md section 3 (classification, strategies,
beliefs, on-path messages, off-path belief sets, payoffs, refinements) and intelgame's
additions: ``pure``, ``continuum`` and ``ranges`` (each probability's range over a continuum),
``on_path_play`` (the index of the entry's on-path play among the game's: entries that differ
only off the path share one, :mod:`intelgame.analysis.on_path_play`), ``quality`` (labels and
metrics of :mod:`intelgame.analysis.quality`), ``outcome`` and ``component`` (the indices of the
entry's outcome and connected component in the document's top-level ``outcomes`` and
``components``), and on each continuum ``verdicts_on_face``
(:mod:`intelgame.analysis.face_verdicts`: the verdicts on its whole face, split where they
differ). A continuum's classification, labels and refinement booleans are read off its whole
face (:mod:`intelgame.analysis.entry_verdicts`; ``refinements.on_part_of_face`` and
``passing_pieces``). Numbers follow
:func:`intelgame.output.numbers.format_number`: fraction strings when exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from intelgame.analysis.classify import Classification, classify
from intelgame.analysis.components import connected_components
from intelgame.analysis.divinity import CRITERIA, Refiner, Verdicts, refinement_fields, refinement_verdicts
from intelgame.analysis.entry_verdicts import EntryVerdicts, entry_verdicts
from intelgame.analysis.on_path_play import on_path_plays
from intelgame.analysis.outcomes import member_index, outcomes, vertex_outcomes
from intelgame.analysis.quality import Interpretation, Quality, assess, assess_all
from intelgame.analysis.refinements import intuitive_criteria
from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame
from intelgame.geometry.numbers import Number
from intelgame.output.numbers import format_number
from intelgame.output.shape_documents import (describe_components, describe_face_verdicts, describe_faces,
                                              describe_outcomes, describe_passing_pieces)
from intelgame.solvers.pbe.result import PBE, BeliefSet, PBEResult
from intelgame.solvers.pbe.shape import FaceShape, face_shapes

if TYPE_CHECKING:  # the Nash solver's module is loaded by the commands that solve normal-form games
    from intelgame.solvers.nash import NashEquilibrium, NashResult



def describe_belief_set(game: SignallingGame, beliefs: BeliefSet, exact: bool) -> str:
    """The supporting off-path beliefs as text, e.g. ``P(weak | quiche) >= 1/2``."""
    m = game.messages[beliefs.message]

    def fmt(x: Number) -> str:
        return str(format_number(x, exact))
    if all(lo == 0 and hi == 1 for lo, hi in zip(beliefs.lower, beliefs.upper)):
        return "any belief"
    if len(game.types) == 2:
        p = f"P({game.types[0]} | {m})"
        lo, hi = beliefs.lower[0], beliefs.upper[0]
        if lo == hi:
            return f"{p} = {fmt(lo)}"
        if lo == 0:
            return f"{p} <= {fmt(hi)}"
        if hi == 1:
            return f"{p} >= {fmt(lo)}"
        return f"{fmt(lo)} <= {p} <= {fmt(hi)}"
    parts = []
    for rows, relation in ((beliefs.equalities, "="), (beliefs.inequalities, "<=")):
        for row in rows:
            terms = [f"{fmt(c)}*P({t} | {m})" for c, t in zip(row, game.types) if c != 0]
            if terms:
                parts.append(" + ".join(terms).replace("+ -", "- ") + f" {relation} 0")
    return " and ".join(parts) if parts else "any belief"


def _by_name(names: Sequence[str], inner: Sequence[str], values: Sequence[Sequence[Number]], exact: bool) -> dict[str, Any]:
    return {n: {i: format_number(v, exact) for i, v in zip(inner, row)} for n, row in zip(names, values)}


def describe_pbe(game: SignallingGame, eq: PBE, *, exact: bool, tolerance: float, intuitive: bool,
                 quality: Quality, on_path_play: int, refinements: Mapping[str, Any] | None = None,
                 classification: Classification | None = None) -> dict[str, Any]:
    """One equilibrium as a JSON-ready dict (see the module docstring); ``classification``, if
    given, is :func:`~intelgame.analysis.classify.classify` of ``eq`` (already known)."""

    def fmt(x: Number) -> Any:
        return format_number(x, exact)
    out: dict[str, Any] = {
        "classification": classify(game, eq, tolerance=tolerance) if classification is None else classification,
        "sender": _by_name(game.types, game.messages, eq.sender, exact),
        "receiver": _by_name(game.messages, game.actions, eq.receiver, exact),
        "beliefs": _by_name(game.messages, game.types, eq.beliefs, exact),
        "on_path": [m for m, on in zip(game.messages, eq.on_path) if on],
        "offpath_beliefs": {game.messages[m]: describe_belief_set(game, b, exact)
                            for m, b in enumerate(eq.offpath_beliefs) if b is not None},
        "payoffs": {"sender": {t: fmt(u) for t, u in zip(game.types, eq.sender_payoffs)},
                    "receiver": fmt(eq.receiver_payoff)},
        "refinements": {"intuitive_criterion": intuitive, **(refinements or {})},
        "pure": eq.is_pure,
        "continuum": eq.is_continuum,
        "on_path_play": on_path_play,
        "quality": {
            "labels": list(quality.labels),
            **{k: (None if v is None else fmt(v)) for k, v in quality.to_dict().items() if k != "labels"},
        },
    }
    if eq.is_continuum:
        out["ranges"] = {
            "sender": {t: {m: [fmt(lo), fmt(hi)] for m, (lo, hi) in zip(game.messages, row)}
                       for t, row in zip(game.types, eq.sender_range)},
            "receiver": {m: {a: [fmt(lo), fmt(hi)] for a, (lo, hi) in zip(game.actions, row)}
                         for m, row in zip(game.messages, eq.receiver_range)},
        }
    return out


def analyse(result: PBEResult, interpretation: Interpretation | None = None) -> list[tuple[PBE, bool, Quality]]:
    """Each equilibrium with its Intuitive Criterion verdict and quality assessment."""
    return [(eq, intuitive, assess(result.game, eq, interpretation, tolerance=result.tolerance))
            for eq, intuitive in zip(result, intuitive_criteria(result))]


def _face_fields(game: SignallingGame, entry: dict[str, Any], verdicts: EntryVerdicts, shape: FaceShape) -> None:
    """``entry``'s classification, quality labels and refinement booleans as read off its
    whole face (:mod:`intelgame.analysis.entry_verdicts`); ``on_part_of_face`` lists the
    criteria that hold on part of it only, and ``passing_pieces`` where (the explanations
    stay those of the representative point)."""
    assert verdicts.classification is not None and verdicts.quality_labels is not None  # asked for
    entry["classification"] = verdicts.classification
    entry["quality"]["labels"] = list(verdicts.quality_labels)
    refinements = entry["refinements"]
    entry["refinements"] = {**{c: verdicts.passes[c] for c in CRITERIA},
                            "on_part_of_face": list(verdicts.on_part_of_face),
                            "explanations": refinements["explanations"]}
    if verdicts.passing:
        entry["refinements"]["passing_pieces"] = describe_passing_pieces(game, shape, verdicts.passing)


def describe_pbe_result(result: PBEResult, *, interpretation: Interpretation | None = None,
                        parameters: Mapping[str, Number] | None = None, outcomes_only: bool = False) -> dict[str, Any]:
    """The JSON document of ``intelgame solve --json`` for a signalling game. With
    ``outcomes_only``, each entry has only its ``continuum`` and ``outcome`` (all that
    :func:`~intelgame.output.shape_tables.outcome_table` reads of it; the other keys are the
    document's): no verdicts, qualities or face descriptions are computed, as ``intelgame
    solve`` prints no more of a result with many entries."""
    exact = result.exact
    game = result.game
    shapes = face_shapes(result)
    at = vertex_outcomes(game, shapes)
    groups = outcomes(game, shapes, at)
    outcome_of = member_index(groups, len(result))
    components = connected_components(shapes)
    if outcomes_only:
        entries = [{"continuum": eq.is_continuum, "outcome": k} for eq, k in zip(result, outcome_of)]
    else:
        entries = _describe_entries(result, shapes, outcome_of, member_index(components, len(result)), interpretation)
    return {
        "game": game.name,
        "kind": "signalling",
        "parameters": {k: format_number(v, exact) for k, v in (parameters or {}).items()},
        "method": result.method,
        "exact": exact,
        "tolerance": result.tolerance,
        "equilibria": entries,
        "outcomes": describe_outcomes(game, groups, exact),
        "components": describe_components(game, components, shapes, at, outcome_of, exact),
    }


def _describe_entries(result: PBEResult, shapes: Sequence[FaceShape], outcome_of: Sequence[int],
                      component_of: Sequence[int], interpretation: Interpretation | None) -> list[dict[str, Any]]:
    """The document's ``equilibria``: :func:`describe_pbe` of each entry, with its ``outcome``
    and ``component``, its classification, labels and refinement booleans read off its whole
    face (:func:`_face_fields`) and, on a continuum, its face
    (:func:`~intelgame.output.shape_documents.describe_faces`) and ``verdicts_on_face``."""
    exact = result.exact
    game = result.game
    refiner = Refiner(game)  # the Intuitive Criterion among the verdicts: decided once
    verdicts = refinement_verdicts(result, shapes, refiner)
    assessed = assess_all(game, result.equilibria, interpretation, tolerance=result.tolerance)
    fields: dict[int, dict[str, Any]] = {}  # entries with one outcome share its Verdicts, hence their fields

    def refinements(v: Verdicts) -> dict[str, Any]:
        if id(v) not in fields:
            fields[id(v)] = refinement_fields(game, v, lambda x: format_number(x, exact))
        return fields[id(v)]
    entries = [describe_pbe(game, eq, exact=exact, tolerance=result.tolerance,
                            intuitive=v["intuitive_criterion"].passes, quality=q, on_path_play=c,
                            refinements=refinements(v), classification=kind)
               for eq, (kind, q), c, v in zip(result, assessed, on_path_plays(result), verdicts)]
    faces = describe_faces(game, shapes, exact)
    judged = entry_verdicts(result, interpretation, shapes=shapes, verdicts=verdicts, assessed=assessed,
                            refiner=refiner)
    for entry, face, k, c, shape, own in zip(entries, faces, outcome_of, component_of, shapes, judged):
        entry["outcome"] = k
        entry["component"] = c
        _face_fields(game, entry, own, shape)
        if entry["continuum"]:
            entry.update(face)
        if own.face is not None and entry["continuum"]:
            entry["verdicts_on_face"] = describe_face_verdicts(game, own.face, shape, exact)
    return entries


def describe_nash_equilibrium(game: NormalFormGame, equilibrium: NashEquilibrium, *, exact: bool) -> dict[str, Any]:
    """One Nash equilibrium keyed by the game's strategy and player names (numbers as
    :func:`~intelgame.output.numbers.format_number` writes them). ``ranges`` is ``None`` for an
    isolated equilibrium, else ``{"row": {strategy: [low, high]}, "column": {...}}``."""
    def probabilities(names: Sequence[str], values: Sequence[Number]) -> dict[str, Any]:
        return {name: format_number(v, exact) for name, v in zip(names, values)}

    def ranges(names: Sequence[str], values: Sequence[tuple[Number, Number]]) -> dict[str, Any]:
        return {name: [format_number(lo, exact), format_number(hi, exact)] for name, (lo, hi) in zip(names, values)}

    out: dict[str, Any] = {
        "row": probabilities(game.row_strategies, equilibrium.row),
        "column": probabilities(game.column_strategies, equilibrium.column),
        "payoffs": probabilities(game.players, equilibrium.payoffs),
        "continuum": equilibrium.is_continuum,
        "ranges": None,
    }
    if equilibrium.row_range is not None and equilibrium.column_range is not None:
        out["ranges"] = {"row": ranges(game.row_strategies, equilibrium.row_range),
                         "column": ranges(game.column_strategies, equilibrium.column_range)}
    return out


def describe_nash_result(result: NashResult) -> dict[str, Any]:
    """The JSON document of a Nash result: ``game``, ``kind``, the provenance and every equilibrium."""
    return {"game": result.game.name, "kind": "normal", "method": result.method, "exact": result.exact,
            "tolerance": result.tolerance,
            "equilibria": [describe_nash_equilibrium(result.game, e, exact=result.exact) for e in result.equilibria]}

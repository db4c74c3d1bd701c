"""A plain sweep's ``intuitive_criterion`` and ``classification`` columns read off each
continuum's whole face (:func:`intelgame.analysis.verdict_table.intuitive_on_faces`,
:func:`~intelgame.analysis.verdict_table.classification_on_faces`): they equal what ``intelgame solve
--json`` reports for the same entries, float and exact sweeps alike (the oracle:
:func:`~intelgame.output.documents.describe_pbe_result` of each point's exact solve); and
:func:`~intelgame.analysis.entry_verdicts.profile_verdicts`, which judges a face from its support
profile alone, reads the fields :func:`~intelgame.analysis.entry_verdicts.entry_verdicts` reads."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from test_entry_verdicts import games

from intelgame.analysis.entry_verdicts import entry_verdicts, profile_verdicts
from intelgame.analysis.refinements import intuitive_criteria
from intelgame.analysis.rows import one_row, result_table
from intelgame.analysis.classify import CLASSIFICATIONS, classify
from intelgame.analysis.quality import assess_table
from intelgame.analysis.verdict_table import intuitive_on_faces, kinds_on_faces
from intelgame.games import SignallingGame
from intelgame.games.grid import build_point
from intelgame.output.documents import describe_pbe_result
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import load_spec, parse_spec
from intelgame.spec.model import SignallingSpec
from intelgame.sweep.chunk import interpretation_indices
from intelgame.sweep import parse_grid, run_sweep

MODELS = Path(__file__).resolve().parents[1] / "models"


def _sweep(spec: SignallingSpec, grid: str, out: Path, exact: bool) -> list[dict[str, str]]:
    summary = run_sweep(spec, [parse_grid(grid)], out, exact=exact)
    with open(summary.path, newline="") as handle:
        return list(csv.DictReader(handle))


def _documents(spec: SignallingSpec, values: list[Fraction]) -> dict[Fraction, list[dict[str, object]]]:
    return {p: describe_pbe_result(pbe_solve(build_point(spec, {}, ["p"], (p,)), exact=True))["equilibria"]
            for p in values}


def test_a_plain_sweeps_intuitive_criterion_is_the_faces(tmp_path: Path) -> None:
    """Beer-quiche at p = 1/2: the quiche pooling continuum whose representative point fails
    the Intuitive Criterion passes it at rho(defer|quiche) = 1/2; a plain sweep says so too."""
    spec = load_spec(MODELS / "beer_quiche.yaml")
    assert isinstance(spec, SignallingSpec)
    values = [Fraction(k, 4) for k in range(5)]
    documents = _documents(spec, values)
    expected = [(p, str(e["refinements"]["intuitive_criterion"]).lower(), e["classification"],  # type: ignore[index]
                 ";".join(e["quality"]["labels"]))  # type: ignore[index]
                for p, entries in documents.items() for e in entries]
    assert any(e["refinements"]["on_part_of_face"] for e in documents[Fraction(1, 2)])  # type: ignore[index]
    for exact in (False, True):
        rows = _sweep(spec, "p=0:1:5", tmp_path / f"bq{exact}", exact)
        assert [(Fraction(r["p"]), r["intuitive_criterion"], r["classification"], r["labels"]) for r in rows] == expected


#: No one cares (every payoff 0): every profile is a PBE, and the faces where both types mix
#: over both messages have a pooling representative point but are generically semi-separating.
_NO_ONE_CARES = """
intelgame: 1
kind: signalling
name: no one cares
parameters:
  p: "1/3"
types:
  a: p
  b: 1 - p
messages: [x, y]
actions: [l, r]
payoffs:
  a:
    x: {l: [0, 0], r: [0, 0]}
    y: {l: [0, 0], r: [0, 0]}
  b:
    x: {l: [0, 0], r: [0, 0]}
    y: {l: [0, 0], r: [0, 0]}
"""


#: Reports of the no-one-cares game read as those of an intelligence market (labels such as
#: ``noisy`` and ``babbling in outcome``).
_INTERPRETATION = """
interpretation:
  reports: {a: x, b: y}
  correct_actions: {a: l, b: r}
  alarm: a
"""


@pytest.mark.parametrize("interpreted", [False, True])
def test_a_plain_sweeps_classification_is_the_faces(tmp_path: Path, interpreted: bool) -> None:
    """When no one cares, the square faces' representative points pool but the faces are
    generically semi-separating: a plain sweep, float and exact, gives every row the
    classification and labels ``intelgame solve --json`` gives its entry (p = 0 and 1
    included, where one type has prior 0 and every face pools), with an interpretation of the
    reports too (the labels then read whether the on-path replies are the same, on the face)."""
    spec = parse_spec(_NO_ONE_CARES + (_INTERPRETATION if interpreted else ""))
    assert isinstance(spec, SignallingSpec)
    values = [Fraction(k, 4) for k in range(5)]
    documents, pooled = {}, []
    for p in values:
        game = build_point(spec, {}, ["p"], (p,))
        result = pbe_solve(game, exact=True)
        documents[p] = describe_pbe_result(result, interpretation=interpretation_indices(spec, game))["equilibria"]
        pooled += [classify(game, eq) == "pooling" for eq in result]
    expected = [(p, e["classification"], ";".join(e["quality"]["labels"]))
                for p, entries in documents.items() for e in entries]
    assert sum(kind == "semi-separating" for _, kind, _ in expected) >= 9 * 3
    if interpreted:
        labels = {labels for _, kind, labels in expected if kind == "semi-separating"}
        assert any("babbling in outcome" in x for x in labels) and any("babbling in outcome" not in x for x in labels)
    for exact in (False, True):
        rows = _sweep(spec, "p=0:1:5", tmp_path / f"indifferent{exact}", exact)
        found = [(Fraction(r["p"]), r["classification"], r["labels"]) for r in rows]
        assert [row[:2] for row in found] == [row[:2] for row in expected]
        # the labels are the entry's where the representative point pools (a continuum whose
        # point alone is babbling in outcome keeps that label in a sweep: README, Limits)
        assert [row for row, kept in zip(found, pooled) if kept] == [row for row, kept in zip(expected, pooled) if kept]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games())
def test_profile_verdicts_are_the_entries_read_off_their_faces(game: SignallingGame) -> None:
    """On random degenerate games, a continuum judged from its support profile alone (the
    classification and labels together, or the Intuitive Criterion alone on its own
    hyperplanes) gets the fields :func:`entry_verdicts` reads off its face; and the sweep's
    Intuitive Criterion (:func:`intuitive_on_faces`, judging only the rows that can differ) is
    the entries' too."""
    result = pbe_solve(game, exact=True)
    judged = entry_verdicts(result)
    profiles = [(eq.sender_support, eq.receiver_support, eq.on_path) for eq in result]
    continua = [k for k, eq in enumerate(result) if eq.is_continuum]
    for names in (("classification", "quality_labels"), ("intuitive_criterion",)):
        found = profile_verdicts(game, profiles, [names if k in continua else () for k in range(len(result))])
        for k in continua:
            own = judged[k]
            assert found[k] == ({"intuitive_criterion": own.passes["intuitive_criterion"]} if len(names) == 1 else
                                {"classification": own.classification, "quality_labels": own.quality_labels})
    intuitive = intuitive_on_faces(result_table(result)[0], np.array(intuitive_criteria(result)), lambda _: game)
    assert intuitive.tolist() == [e.passes["intuitive_criterion"] for e in judged]
    table = result_table(result)[0]
    columns = assess_table(one_row(game.prior), one_row(game.sender_payoffs), one_row(game.receiver_payoffs), table,
                           None, 0, lambda kind, same: kinds_on_faces(table, kind, same, lambda _: game))
    assert [(CLASSIFICATIONS[k], labels) for k, labels in zip(columns.classification.tolist(), columns.labels)] == [
        (e.classification, e.quality_labels) for e in judged]


def test_the_criterion_alone_on_faces_where_it_holds_on_part_only() -> None:
    """Where the Intuitive Criterion holds on part of a face only (reassurance at p = 2/3,
    beer-quiche at p = 1/2 and p = 1), judging it alone on its own hyperplanes gives the entry's
    verdict, and so does the sweep's column."""
    cases = [("reassurance.yaml", Fraction(2, 3)), ("beer_quiche.yaml", Fraction(1, 2)), ("beer_quiche.yaml", Fraction(1))]
    partial = 0
    for model, p in cases:
        spec = load_spec(MODELS / model)
        assert isinstance(spec, SignallingSpec)
        result = pbe_solve(build_point(spec, {}, ["p"], (p,)), exact=True)
        judged = entry_verdicts(result)
        partial += sum("intuitive_criterion" in e.on_part_of_face for e in judged)
        profiles = [(eq.sender_support, eq.receiver_support, eq.on_path) for eq in result]
        found = profile_verdicts(result.game, profiles,
                                 [("intuitive_criterion",) if eq.is_continuum else () for eq in result])
        assert [f.get("intuitive_criterion", e.passes["intuitive_criterion"]) for f, e in zip(found, judged)] == [
            e.passes["intuitive_criterion"] for e in judged]
        intuitive = intuitive_on_faces(result_table(result)[0], np.array(intuitive_criteria(result)), lambda _: result.game)
        assert intuitive.tolist() == [e.passes["intuitive_criterion"] for e in judged]
    assert partial >= 3

"""A sweep's ``classification``, ``quality``, ``labels`` and plain ``intuitive_criterion``
columns read off each continuum's whole face (:func:`intelgame.analysis.verdict_table.face_columns`):
they equal what ``intelgame solve --json`` reports for the same entries, float and exact sweeps
alike. The oracle is :func:`~intelgame.output.documents.describe_pbe_result` of each point's
exact solve."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

from intelgame.games.grid import build_point
from intelgame.output.documents import describe_pbe_result
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import load_spec
from intelgame.spec.model import SignallingSpec
from intelgame.sweep import parse_grid, run_sweep

MODELS = Path(__file__).resolve().parents[1] / "models"

#: No one cares (every payoff 0): the faces where both types mix over both messages are squares
#: whose barycentre pools while the face is semi-separating off its diagonal.
INDIFFERENT = """intelgame: 1
kind: signalling
name: indifferent
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


def _sweep(spec: SignallingSpec, grid: str, out: Path, exact: bool) -> list[dict[str, str]]:
    summary = run_sweep(spec, [parse_grid(grid)], out, exact=exact)
    with open(summary.path, newline="") as handle:
        return list(csv.DictReader(handle))


def _documents(spec: SignallingSpec, values: list[Fraction]) -> dict[Fraction, list[dict[str, object]]]:
    return {p: describe_pbe_result(pbe_solve(build_point(spec, {}, ["p"], (p,)), exact=True))["equilibria"]
            for p in values}


def test_a_pooling_representative_point_of_a_semi_separating_face_is_not_the_column(tmp_path: Path) -> None:
    path = tmp_path / "indifferent.yaml"
    path.write_text(INDIFFERENT)
    spec = load_spec(path)
    assert isinstance(spec, SignallingSpec)
    grid = "p=1/4:3/4:3"
    documents = _documents(spec, [Fraction(1, 4), Fraction(1, 2), Fraction(3, 4)])
    sweeps = [_sweep(spec, grid, tmp_path / f"out{exact}", exact) for exact in (False, True)]
    for rows in sweeps:
        cells = [(Fraction(r["p"]), r["classification"], r["quality"], r["labels"]) for r in rows]
        assert cells == [(p, e["classification"], e["quality"]["labels"][0], ";".join(e["quality"]["labels"]))
                         for p, entries in documents.items() for e in entries]
        pooling_points = [r["classification"] for r in rows
                          if all(r[f"sigma[a][{m}]"] == r[f"sigma[b][{m}]"] for m in "xy")]
        assert pooling_points.count("semi-separating") == 27  # the 9 squares at each point
    columns = ("equilibrium", "classification", "quality", "labels", "intuitive_criterion")
    assert [[Fraction(r["p"]), *(r[c] for c in columns)] for r in sweeps[0]] == [
        [Fraction(r["p"]), *(r[c] for c in columns)] for r in sweeps[1]]


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

"""Sweeps with refinements (issue 16): the ``passes[CRITERION]`` columns, ``--refine`` and
``--select``, on the float batched path and exactly.

The oracle of every column is the per-game path: :func:`pbe_solve` (exact) at the point and
:func:`entry_verdicts` (each entry judged on its face) / :class:`Selector` on its result. The models are Spence's job
market (the catalog's ``spence_job_market``, where D1 selects the Riley outcome and rules out
most pooling equilibria) and beer-quiche (Cho and Kreps 1987).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from intelgame.analysis.divinity import CRITERIA
from intelgame.analysis.entry_verdicts import entry_verdicts
from intelgame.analysis.refinements import intuitive_column
from intelgame.analysis.selection import Selector
from intelgame.analysis.verdict_table import criteria_columns, result_columns
from intelgame.cli.app import main
from intelgame.output.documents import describe_pbe_result
from intelgame.games.build import build_game
from intelgame.games.grid import build_game_grid, build_point
from intelgame.solvers.pbe.batch import pbe_table_many
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.pbe.table import EquilibriumTable
from intelgame.games.signalling import SignallingGame
from intelgame.spec import load_spec, parse_overrides
from intelgame.spec.model import SignallingSpec
from intelgame.sweep import parse_grid, run_sweep
from intelgame.sweep.cells import PASSES_CRITERIA
from intelgame.sweep.grid import grid_points

MODELS = Path(__file__).resolve().parents[1] / "models"
SPENCE = MODELS / "spence_job_market.yaml"
GRID = ("p_high=0:1:5", "c_low=1:2:3")
PASSES = [f"passes[{c}]" for c in PASSES_CRITERIA]


def _rows(summary_path: Path) -> list[dict[str, str]]:
    with open(summary_path, newline="") as handle:
        return list(csv.DictReader(handle))


def _sweep(tmp_path: Path, name: str, *, exact: bool, **options: object) -> list[dict[str, str]]:
    spec = load_spec(SPENCE)
    summary = run_sweep(spec, [parse_grid(g) for g in GRID], tmp_path / name, exact=exact, **options)  # type: ignore[arg-type]
    return _rows(summary.path)


def _point_result(p_high: str, c_low: str) -> PBEResult:
    game = build_game(load_spec(SPENCE), parse_overrides([f"p_high={p_high}", f"c_low={c_low}"]))
    assert isinstance(game, SignallingGame)
    return pbe_solve(game, exact=True)


def _key(row: dict[str, str]) -> tuple[Fraction, Fraction]:
    return Fraction(row["p_high"]), Fraction(row["c_low"])


def test_default_sweep_has_no_new_column_and_refinements_only_add_columns(tmp_path: Path) -> None:
    plain = (run_sweep(load_spec(SPENCE), [parse_grid(g) for g in GRID], tmp_path / "a")).path.read_text()
    judged = (run_sweep(load_spec(SPENCE), [parse_grid(g) for g in GRID], tmp_path / "b", refinements=True)
              ).path.read_text()
    assert "passes[" not in plain
    plain_lines, judged_lines = plain.splitlines(), judged.splitlines()
    assert judged_lines[0] == plain_lines[0] + "," + ",".join(PASSES)
    assert len(plain_lines) == len(judged_lines)
    for a, b in zip(plain_lines[1:], judged_lines[1:]):  # every existing cell unchanged, four booleans added
        assert b.startswith(a + ",") and all(x in ("true", "false") for x in b[len(a) + 1:].split(","))


@pytest.mark.parametrize("exact", [False, True])
def test_passes_columns_are_the_verdicts_of_each_point_solved_exactly(tmp_path: Path, exact: bool) -> None:
    rows = _sweep(tmp_path, "s", exact=exact, refinements=True)
    by_point: dict[tuple[Fraction, Fraction], list[dict[str, str]]] = {}
    for row in rows:
        by_point.setdefault(_key(row), []).append(row)
    failing = 0
    for (p, c), found in by_point.items():
        result = _point_result(str(p), str(c))
        verdicts = entry_verdicts(result)
        assert len(found) == len(verdicts)
        for row, v in zip(found, verdicts):
            assert row["intuitive_criterion"] == str(v.passes["intuitive_criterion"]).lower()
            for criterion in PASSES_CRITERIA:
                assert row[f"passes[{criterion}]"] == str(v.passes[criterion]).lower()
            failing += row["passes[d1]"] == "false"
    assert failing > 0  # the columns are not all true here: the test can fail


def test_float_and_exact_sweeps_have_the_same_verdicts_and_choices(tmp_path: Path) -> None:
    for options in ({"refinements": True}, {"refine": "d1"}, {"select": "receiver_optimal:d1"},
                    {"select": "sender_optimal", "refine": "intuitive_criterion"}, {"select": "pareto:nwbr"}):
        name = "-".join(f"{k}{v}" for k, v in options.items()).replace(":", "_")
        floats = _sweep(tmp_path, name + "f", exact=False, **options)
        exact = _sweep(tmp_path, name + "x", exact=True, **options)
        assert len(floats) == len(exact), options
        for a, b in zip(floats, exact):
            assert _key(a) == _key(b)
            for column in ("equilibrium", "count", "classification", "labels", "intuitive_criterion", *PASSES):
                assert a[column] == b[column], (options, column)
            for column in a:  # the same equilibrium: its strategies agree
                if column.startswith(("sigma[", "rho[")) and b[column]:
                    assert abs(float(a[column]) - float(Fraction(b[column]))) < 1e-9


@pytest.mark.parametrize("exact", [False, True])
def test_refine_keeps_the_survivors_and_select_the_rules_pick(tmp_path: Path, exact: bool) -> None:
    refined = _sweep(tmp_path, "r", exact=exact, refine="d1")
    selected = _sweep(tmp_path, "s", exact=exact, select="most_informative:d2")
    points = {(str(p), str(c)) for p, c in (_key(r) for r in refined)}
    assert len(points) == 15
    for p, c in points:
        result = _point_result(p, c)
        survivors = [eq for eq, v in zip(result, entry_verdicts(result)) if v.passes["d1"]]
        kept = [r for r in refined if (str(_key(r)[0]), str(_key(r)[1])) == (p, c)]
        if survivors:
            assert [int(r["count"]) for r in kept] == [len(survivors)] * len(survivors)
            assert [r["passes[d1]"] for r in kept] == ["true"] * len(survivors)
            for row, eq in zip(kept, survivors):  # the survivors, in the solver's order
                sigma = [float(Fraction(row[f"sigma[{t}][{m}]"])) for t in ("low", "high")
                         for m in ("no_education", "education")]
                assert np.allclose(sigma, [float(x) for s in eq.sender for x in s], atol=1e-9)
        else:
            assert [(r["equilibrium"], r["count"]) for r in kept] == [("", "0")]
        index = Selector(result, "receiver").select("most_informative:d2")
        chosen = [r for r in selected if (str(_key(r)[0]), str(_key(r)[1])) == (p, c)]
        assert len(chosen) == 1
        if index is None:
            assert chosen[0]["count"] == "0"
        else:
            eq = result.equilibria[index]
            assert chosen[0]["passes[d2]"] == "true"
            assert abs(float(Fraction(chosen[0]["receiver_payoff"])) - float(eq.receiver_payoff)) < 1e-9


def test_the_dominant_equilibrium_follows_refine_and_select(tmp_path: Path) -> None:
    spec = load_spec(SPENCE)
    axes = [parse_grid(g) for g in GRID]
    plain = run_sweep(spec, axes, tmp_path / "a")
    refined = run_sweep(spec, axes, tmp_path / "b", refine="d1")
    selected = run_sweep(spec, axes, tmp_path / "c", select="receiver_optimal:d1")
    rows = _rows(refined.path)
    counts = {}
    for row in rows:
        counts[_key(row)] = int(row["count"])
    assert refined.criterion == "d1" and selected.rule == "receiver_optimal:d1"
    assert (selected.dominant["count"] <= 1).all()
    assert (refined.dominant["count"] <= plain.dominant["count"]).all()
    assert (refined.dominant["count"] < plain.dominant["count"]).any()  # D1 rules equilibria out here
    assert sorted(refined.dominant["count"].reshape(-1).tolist()) == sorted(counts.values())


def _beer_quiche_table(axis: str, model: str = "beer_quiche") -> tuple[
        EquilibriumTable, tuple[np.ndarray, np.ndarray, np.ndarray], Callable[[int], SignallingGame]]:
    """The batched float solve of beer-quiche (or ``model``) over ``axis`` (of one parameter):
    the table, the games' arrays ``(u_S, prior, u_R)`` of each point and the exact game of each point."""
    spec = load_spec(MODELS / f"{model}.yaml")
    assert isinstance(spec, SignallingSpec)
    axes = [parse_grid(axis)]
    names = [axes[0].name]
    points = grid_points(axes, 0, len(axes[0]))
    grid = build_game_grid(spec, {}, names, points)

    def exact_game(k: int) -> SignallingGame:
        return build_point(spec, {}, names, points[k])

    arrays = (grid.sender, grid.prior, grid.receiver)
    return pbe_table_many(arrays, exact_game), arrays, exact_game


def test_criteria_columns_agree_with_the_intuitive_column_and_beer_quiche() -> None:
    table, arrays, exact_game = _beer_quiche_table("p=0:1:21")
    columns, surviving = criteria_columns(table, arrays[0], exact_game)
    assert set(columns) == set(CRITERIA)
    for k in range(21):  # every point's rows are its exact entries judged on their faces
        rows = np.flatnonzero(table.point == k)
        judged = entry_verdicts(pbe_solve(exact_game(k).to_rational(), exact=True))
        for c in CRITERIA:
            assert columns[c][rows].tolist() == [e.passes[c] for e in judged]
            assert {r for r in surviving[c] if table.point[r] == k} == {
                int(r) for r, e in zip(rows, judged) if c in e.on_part_of_face}
    # the representative point's Intuitive Criterion differs only on the continuum of quiche
    # pooling at p = 1/2 that passes on its point rho(defer|quiche) = 1/2 only
    ic = intuitive_column(table, arrays, exact_game, 0.0)
    differ = np.flatnonzero(columns["intuitive_criterion"] != ic)
    assert differ.tolist() == sorted(surviving["intuitive_criterion"]) and table.point[differ].tolist() == [10]
    at_tenth = np.flatnonzero(table.point == 2)  # p = 1/10, Cho and Kreps's calibration
    on_quiche = [r for r in at_tenth if table.on_path[r, 1]]
    assert on_quiche and not columns["d1"][on_quiche].any()  # quiche pooling fails D1
    assert columns["d1"][[r for r in at_tenth if table.on_path[r, 0] and not table.on_path[r, 1]]].all()


@pytest.mark.parametrize(("model", "axis"), [("crawford_sobel_discrete", "b=0:1.5:7"), ("reassurance", "p=1/3,2/3"),
                                             ("beer_quiche", "p=1/10,1/2"), ("intelligence_three_levels", "c=0:1:3")])
def test_criteria_columns_are_the_exact_solves_columns_with_their_surviving_values(model: str, axis: str) -> None:
    """The columns judged from the float table's rows (no solve at the point) are those of the
    point's exact solve judged entry by entry (:func:`result_columns`), surviving values included:
    on cheap talk, whose continua are judged on faces where u* moves (every row passes there),
    on the two games whose continua pass on part of their face (reassurance at p = 2/3,
    beer-quiche at 1/2) and on a 3x3x3 game."""
    table, arrays, exact_game = _beer_quiche_table(axis, model)
    columns, surviving = criteria_columns(table, arrays[0], exact_game)
    moved = 0
    for k in np.unique(table.point).tolist():
        rows = np.flatnonzero(table.point == k)
        passes, values = result_columns(pbe_solve(exact_game(k).to_rational(), exact=True))
        assert len(rows) == len(passes[CRITERIA[0]])
        for c in CRITERIA:
            assert columns[c][rows].tolist() == passes[c]
            expected = {int(rows[i]): (tuple(float(u) for u in us), float(ur), information)
                        for i, (us, ur, information) in values[c].items()}
            assert {r: v for r, v in surviving[c].items() if table.point[r] == k} == expected
            moved += len(expected)
    if model == "crawford_sobel_discrete":
        assert table.continuum.sum() > len(table) // 2
    else:  # some row fails: the test can fail
        assert not all(columns[c].all() for c in CRITERIA)
    assert moved > 0 or model in ("crawford_sobel_discrete", "intelligence_three_levels")


def test_cli_sweep_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sweep", str(SPENCE), "--grid", "p_high=0:1:3", "--out", str(tmp_path / "ok"), "--refine", "d1",
                 "--select", "pareto"])
    assert code == 0 and (tmp_path / "ok" / "sweep.csv").is_file()
    assert _rows(tmp_path / "ok" / "sweep.csv")[0]["passes[d1]"] == "true"
    for flag, value, message in (("--select", "best", "unknown selection rule"), ("--refine", "d3", "unknown criterion"),
                                 ("--select", "pareto:d4", "unknown criterion")):
        code = main(["sweep", str(SPENCE), "--grid", "p_high=0:1:3", "--out", str(tmp_path / flag), flag, value])
        err = capsys.readouterr().err
        assert code == 2 and message in err and "Traceback" not in err
        assert not (tmp_path / flag).exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_read_sweep_reads_the_passes_columns_as_booleans(tmp_path: Path, fmt: str) -> None:
    from intelgame.output.frames import read_sweep

    summary = run_sweep(load_spec(SPENCE), [parse_grid("p_high=0:1:3")], tmp_path, fmt=fmt,  # type: ignore[arg-type]
                        refinements=True)
    frame = read_sweep(summary.path)
    assert [str(frame[c].dtype) for c in PASSES] == ["boolean"] * len(PASSES)
    assert not frame["passes[d1]"].all() and frame["passes[d1]"].any()


def test_beer_quiche_sweeps_judge_a_continuum_on_its_whole_face(tmp_path: Path) -> None:
    """At p = 1/2 the quiche pooling continuum whose representative point fails the Intuitive
    Criterion passes it at rho(defer|quiche) = 1/2: in a sweep asked for refinements its row
    passes (as ``intelgame solve`` says), float and exact alike; a plain sweep's column is
    read off the face too (tests/test_sweep_face_verdicts.py), float and exact alike."""
    spec = load_spec(MODELS / "beer_quiche.yaml")
    assert isinstance(spec, SignallingSpec)
    axes = [parse_grid("p=0:1:5")]
    runs: dict[str, dict[str, object]] = {"plain": {}, "judged": {"refinements": True},
                                          "selected": {"select": "sender_optimal:intuitive_criterion"}}

    def cells(rows: list[dict[str, str]]) -> list[tuple[object, ...]]:
        return [(Fraction(r["p"]), r["equilibrium"], r["intuitive_criterion"], *(r.get(c) for c in PASSES))
                for r in rows]
    for name, options in runs.items():
        found = [cells(_rows(run_sweep(spec, axes, tmp_path / f"{name}{exact}", exact=exact,
                                       **options).path))  # type: ignore[arg-type]
                 for exact in (False, True)]
        assert found[0] == found[1], name
        if name == "judged":
            half = [row for row in found[1] if row[0] == Fraction(1, 2)]
            document = describe_pbe_result(pbe_solve(build_point(spec, {}, ["p"], (Fraction(1, 2),)), exact=True))
            assert [row[2] for row in half] == [str(e["refinements"]["intuitive_criterion"]).lower()
                                                for e in document["equilibria"]]
            assert [e["refinements"]["on_part_of_face"] for e in document["equilibria"]].count(
                ["intuitive_criterion"]) == 1

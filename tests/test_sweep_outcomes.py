"""``sweep --outcomes`` (issue 15, item 5): the columns ``outcome`` and ``outcomes``.

The oracle is ``intelgame solve --json`` at each point (:func:`describe_pbe_result` of the exact
solve there): each row's ``outcome`` is the ``outcome`` field of the point's entry in the same
position, ``outcomes`` the length of the document's ``outcomes``. Float and exact sweeps give the
same columns, and relabelling the messages (their order in the spec, so that the game's
positions permute and the solver lists the entries in another order) leaves each equilibrium's
outcome class and each point's number of outcomes unchanged.
"""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import pytest

from intelgame.analysis.selection import restrict
from intelgame.cli.app import main
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.output.documents import describe_pbe_result
from intelgame.output.frames import read_sweep
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import load_spec, parse_overrides
from intelgame.solvers.pbe.enumeration import STEP_WORK
from intelgame.sweep import parse_grid, run_sweep
from intelgame.sweep.chunk import Failure, Task, solve_chunk

MODELS = Path(__file__).resolve().parents[1] / "models"
#: (model, grid): the paper model where several PBE coexist (c = 5/6, v = 0), 3-state cheap talk
#: in two regimes (7 and 3 outcomes of 271 and 301 entries), beer-quiche.
CASES = [("intelligence_market", ("c=0:1:7", "v=0:1:4")), ("crawford_sobel_discrete", ("b=1/4,3/4",)),
         ("beer_quiche", ("p=0:1:5",))]
#: (model, grid, messages, the same in another order); cheap talk is left out: its payoffs do
#: not depend on the message, so reordering its messages gives the same game.
RELABELLED = [("intelligence_market", ("c=0:1:7", "v=0:1:4"), ("warn, reassure", "reassure, warn")),
              ("beer_quiche", ("p=0:1:5",), ("beer, quiche", "quiche, beer"))]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def _sweep(spec_path: Path, grids: tuple[str, ...], folder: Path, *, exact: bool, outcomes: bool = True) -> Path:
    return run_sweep(load_spec(spec_path), [parse_grid(g) for g in grids], folder, exact=exact,
                     outcomes=outcomes).path


@pytest.mark.parametrize("model, grids", CASES)
def test_outcome_columns_are_those_of_solve_json_at_every_point(tmp_path: Path, model: str,
                                                                grids: tuple[str, ...]) -> None:
    spec_path = MODELS / f"{model}.yaml"
    exact_rows = _rows(_sweep(spec_path, grids, tmp_path / "exact", exact=True))
    float_rows = _rows(_sweep(spec_path, grids, tmp_path / "float", exact=False))
    columns = ("equilibrium", "count", "outcome", "outcomes")
    assert [[r[c] for c in columns] for r in float_rows] == [[r[c] for c in columns] for r in exact_rows]
    names = [parse_grid(g).name for g in grids]
    spec = load_spec(spec_path)
    by_point: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for row in exact_rows:
        by_point.setdefault(tuple(row[n] for n in names), []).append(row)
    several = 0
    for point, rows in by_point.items():
        game = build_game(spec, parse_overrides([f"{n}={v}" for n, v in zip(names, point)]))
        assert isinstance(game, SignallingGame)
        document = describe_pbe_result(pbe_solve(game, exact=True))
        assert [int(r["outcome"]) for r in rows] == [e["outcome"] for e in document["equilibria"]], point
        assert {int(r["outcomes"]) for r in rows} == {len(document["outcomes"])}, point
        several += len(document["outcomes"]) > 1
    assert several  # the grids have points with several outcomes


def _support_key(row: dict[str, str]) -> frozenset[str]:
    """The row's support profile, by names (its representative point is in the face's relative
    interior: the positive entries are the support)."""
    return frozenset(c for c, v in row.items() if c.startswith(("sigma[", "rho[")) and v and Fraction(v) > 0)


@pytest.mark.parametrize("model, grids, messages", RELABELLED)
def test_relabelled_messages_leave_the_outcome_columns_unchanged(tmp_path: Path, model: str, grids: tuple[str, ...],
                                                                 messages: tuple[str, str]) -> None:
    """The spec with its messages listed in another order is the game with the message positions
    permuted (each name keeps its payoffs); its rows are the same equilibria in another order.
    Each equilibrium (found by its support profile) has the same ``outcomes``, and each point's
    equilibria fall into the same outcome classes; the ``outcome`` numbers themselves follow the
    solver's order of entries (first appearance, as ``solve --json``), which the permutation
    changes (on the paper model at v = 0 two outcomes swap numbers)."""
    spec_path = MODELS / f"{model}.yaml"
    text = spec_path.read_text()
    assert text.count(f"messages: [{messages[0]}]") == 1
    relabelled = tmp_path / f"{model}.yaml"
    relabelled.write_text(text.replace(f"messages: [{messages[0]}]", f"messages: [{messages[1]}]"))
    names = [parse_grid(g).name for g in grids]
    for exact in (False, True):
        original = _rows(_sweep(spec_path, grids, tmp_path / f"a{exact}", exact=exact))
        permuted = _rows(_sweep(relabelled, grids, tmp_path / f"b{exact}", exact=exact))
        assert len(original) == len(permuted)

        def classes(rows: list[dict[str, str]]) -> dict[tuple[str, ...], tuple[set[frozenset[object]], set[str]]]:
            found: dict[tuple[str, ...], dict[str, set[object]]] = {}
            counts: dict[tuple[str, ...], set[str]] = {}
            for row in rows:
                point = tuple(row[n] for n in names)
                found.setdefault(point, {}).setdefault(row["outcome"], set()).add(_support_key(row))
                counts.setdefault(point, set()).add(row["outcomes"])
            return {p: ({frozenset(c) for c in found[p].values()}, counts[p]) for p in found}

        assert classes(original) == classes(permuted)
        counts = {(tuple(r[n] for n in names), _support_key(r)): r["outcomes"] for r in original}
        assert {(tuple(r[n] for n in names), _support_key(r)): r["outcomes"] for r in permuted} == counts


def test_without_the_option_the_file_is_unchanged_and_the_columns_come_last(tmp_path: Path) -> None:
    spec_path, grids = MODELS / "beer_quiche.yaml", ("p=0:1:5",)
    plain = _sweep(spec_path, grids, tmp_path / "a", exact=False, outcomes=False).read_text().splitlines()
    added = _sweep(spec_path, grids, tmp_path / "b", exact=False).read_text().splitlines()
    assert "outcome" not in plain[0].split(",")
    assert added[0] == plain[0] + ",outcome,outcomes"
    for a, b in zip(plain[1:], added[1:], strict=True):
        assert b.startswith(a + ",") and all(x.isdigit() for x in b[len(a) + 1:].split(","))
    frame = read_sweep(tmp_path / "b")
    assert str(frame["outcome"].dtype) == str(frame["outcomes"].dtype) == "Int64"
    assert (frame["outcome"] < frame["outcomes"]).all()


def test_cli_option_and_a_grid_parameter_named_outcome(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text((MODELS / "beer_quiche.yaml").read_text().replace("parameters:", "parameters:\n  outcome: 1", 1))
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--grid", "outcome=0:1:3", "--no-figure", "--out", str(out)]) == 0
    assert main(["sweep", str(spec), "--grid", "outcome=0:1:3", "--no-figure", "--outcomes", "--out", str(out)]) == 2
    assert "outcome" in capsys.readouterr().err
    assert main(["sweep", str(MODELS / "beer_quiche.yaml"), "--grid", "p=0:1:3", "--no-figure", "--outcomes",
                 "--out", str(out)]) == 0
    assert _rows(out / "sweep.csv")[0]["outcomes"] == "4"


@pytest.mark.parametrize("exact", [False, True])
def test_each_enumerated_polytope_is_charged_to_the_work_budget(exact: bool) -> None:
    """The outcome columns charge the sweep's budget one search step per polytope whose vertices
    they enumerate (the points with one row need none), so ``--max-work`` bounds them too."""
    spec = load_spec(MODELS / "beer_quiche.yaml")
    axes = (parse_grid("p=0:1:5"),)

    def work(outcomes: bool) -> int:
        chunk = solve_chunk(Task(spec, axes, {}, exact, 1e-9, 0, 5, "csv", max_work=10**12, outcomes=outcomes))
        assert not isinstance(chunk, Failure)
        return chunk.work

    extra = work(True) - work(False)
    assert extra > 0 and extra % STEP_WORK == 0
    failure = solve_chunk(Task(spec, axes, {}, exact, 1e-9, 0, 5, "csv", max_work=work(False) + STEP_WORK,
                               outcomes=True))
    assert isinstance(failure, Failure) and "work" in failure.reason


@pytest.mark.parametrize("exact", [False, True])
def test_with_refine_the_outcomes_are_numbered_among_the_rows_kept(tmp_path: Path, exact: bool) -> None:
    """As ``intelgame solve --refine`` numbers them: the document of the restricted result."""
    spec_path, grid = MODELS / "spence_job_market.yaml", parse_grid("p_high=0:1:5")
    rows = _rows(run_sweep(load_spec(spec_path), [grid], tmp_path / "s", exact=exact, refine="intuitive_criterion",
                           outcomes=True).path)
    dropped = 0
    for value in dict.fromkeys(r["p_high"] for r in rows):
        game = build_game(load_spec(spec_path), parse_overrides([f"p_high={value}"]))
        assert isinstance(game, SignallingGame)
        solved = pbe_solve(game, exact=True)
        result = restrict(solved, criterion="intuitive_criterion")
        dropped += len(solved) - len(result)
        document = describe_pbe_result(result)
        mine = [r for r in rows if r["p_high"] == value]
        assert [(int(r["outcome"]), int(r["outcomes"])) for r in mine] == [
            (e["outcome"], len(document["outcomes"])) for e in document["equilibria"]]
    assert dropped  # the criterion removes rows, so the numbering among the kept ones is exercised

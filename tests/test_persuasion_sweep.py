"""The commitment benchmark over a parameter grid (issue 18, item 4): `sweep --persuade`.

Every value is checked against `intelgame.persuade` run on the exact game of its point (the
independent brute-force and scipy checks of that function are in tests/test_persuasion.py).
"""

from __future__ import annotations

import csv
import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

from intelgame.analysis.persuasion import persuade
from intelgame.cli.app import main
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.output.numbers import format_number
from intelgame.solvers.persuasion import persuasion_solve, sender_commitment
from intelgame.spec import load_spec, parse_overrides
from intelgame.spec.model import SignallingSpec
from intelgame.sweep import SweepSummary, parse_grid, run_sweep, sweep_columns
from intelgame.sweep.cells import PERSUASION_COLUMNS

MODELS = Path(__file__).resolve().parents[1] / "models"
# Knife edges (c = c*(v) on the grid), continua and five PBE at v = 0 (tests/test_sweep.py).
GRID = ["c=0:1:11", "v=0:0.6:7"]


def spec_of(name: str) -> SignallingSpec:
    spec = load_spec(MODELS / f"{name}.yaml")
    assert isinstance(spec, SignallingSpec)
    return spec


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def float_sweep(tmp_path_factory: pytest.TempPathFactory) -> SweepSummary:
    return run_sweep(spec_of("intelligence_market"), [parse_grid(g) for g in GRID],
                     tmp_path_factory.mktemp("float"), persuade=True)


@pytest.fixture(scope="module")
def exact_sweep(tmp_path_factory: pytest.TempPathFactory) -> SweepSummary:
    return run_sweep(spec_of("intelligence_market"), [parse_grid(g) for g in GRID],
                     tmp_path_factory.mktemp("exact"), exact=True, persuade=True)


def expected_cells(game: SignallingGame) -> list[F]:
    """The PERSUASION_COLUMNS of ``game`` from `intelgame persuade`'s exact result, by name."""
    found = persuade(game, exact=True)
    talk = found.cheap_talk
    sender, receiver = found.value_of_commitment("sender"), found.value_of_commitment("receiver")
    by_name = {
        "commitment[sender]": found.sender_value, "commitment[receiver]": found.receiver_value,
        "cheap_talk[sender][best]": talk.sender.best, "cheap_talk[sender][worst]": talk.sender.worst,
        "cheap_talk[receiver][best]": talk.receiver.best, "cheap_talk[receiver][worst]": talk.receiver.worst,
        "value_of_commitment[sender][versus_best]": sender.worst,
        "value_of_commitment[sender][versus_worst]": sender.best,
        "value_of_commitment[receiver][versus_best]": receiver.worst,
        "value_of_commitment[receiver][versus_worst]": receiver.best,
    }
    return [by_name[name] for name in PERSUASION_COLUMNS]


def test_exact_cells_are_persuade_at_every_point(exact_sweep: SweepSummary) -> None:
    spec = spec_of("intelligence_market")
    rows = read_rows(exact_sweep.path)
    assert tuple(rows[0]) == sweep_columns(spec, exact_sweep.axes, persuade=True)
    assert tuple(rows[0])[-len(PERSUASION_COLUMNS):] == PERSUASION_COLUMNS
    points: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        points.setdefault((row["c"], row["v"]), []).append(row)
    assert len(points) == 77
    for (c, v), found in points.items():
        game = build_game(spec, parse_overrides([f"c={c}", f"v={v}"]))
        assert isinstance(game, SignallingGame)
        expected = expected_cells(game)
        for row in found:  # the same in every row of the point
            assert [F(row[name]) for name in PERSUASION_COLUMNS] == expected, (c, v)


def test_float_cells_equal_exact_cells(float_sweep: SweepSummary, exact_sweep: SweepSummary) -> None:
    """Cell by cell, the float sweep's commitment columns are the exact sweep's written as
    floats (12 significant digits), and the summaries hold the same numbers to rounding."""
    floats, exacts = read_rows(float_sweep.path), read_rows(exact_sweep.path)
    assert len(floats) == len(exacts)
    for a, b in zip(floats, exacts):
        for name in PERSUASION_COLUMNS:
            assert a[name] == str(format_number(float(F(b[name])), False)), (a["c"], a["v"], name)
    assert float_sweep.commitment is not None and exact_sweep.commitment is not None
    for name in PERSUASION_COLUMNS:
        np.testing.assert_allclose(float_sweep.commitment[name], exact_sweep.commitment[name], rtol=1e-12, atol=1e-12)


def test_commitment_never_below_the_best_pbe(exact_sweep: SweepSummary) -> None:
    assert exact_sweep.commitment is not None
    assert np.all(exact_sweep.commitment["value_of_commitment[sender][versus_best]"] >= 0)
    gain = exact_sweep.commitment["value_of_commitment[sender][versus_best]"]
    assert np.any(gain > 0) and np.any(gain == 0)  # commitment pays somewhere, not everywhere


def test_without_persuade_the_rows_are_the_first_columns(float_sweep: SweepSummary, tmp_path: Path) -> None:
    """The commitment columns only append: the other cells are those of a sweep without them."""
    plain = run_sweep(spec_of("intelligence_market"), [parse_grid(g) for g in GRID], tmp_path)
    assert plain.commitment is None
    assert plain.columns == float_sweep.columns[:-len(PERSUASION_COLUMNS)]
    width = len(plain.columns)
    with plain.path.open(newline="", encoding="utf-8") as a, float_sweep.path.open(newline="", encoding="utf-8") as b:
        assert [row for row in csv.reader(a)] == [row[:width] for row in csv.reader(b)]


def test_workers_and_chunks_give_the_same_file(float_sweep: SweepSummary, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    spec, axes = spec_of("intelligence_market"), [parse_grid(g) for g in GRID]
    pooled = run_sweep(spec, axes, tmp_path / "pool", workers=2, persuade=True)
    assert pooled.method == "processes" and pooled.path.read_bytes() == float_sweep.path.read_bytes()
    from intelgame.sweep import executors
    monkeypatch.setattr(executors, "MAX_EXACT_CHUNK", 5)
    chunked = run_sweep(spec, axes, tmp_path / "chunks", persuade=True)
    assert chunked.path.read_bytes() == float_sweep.path.read_bytes()
    assert pooled.commitment is not None and chunked.commitment is not None and float_sweep.commitment is not None
    for name in PERSUASION_COLUMNS:
        np.testing.assert_array_equal(pooled.commitment[name], float_sweep.commitment[name])
        np.testing.assert_array_equal(chunked.commitment[name], float_sweep.commitment[name])


def test_summary_plane_of_a_commitment_column(float_sweep: SweepSummary) -> None:
    plane = float_sweep.plane("value_of_commitment[sender][versus_best]", "c", "v")
    assert plane.shape == (7, 11)
    assert float_sweep.commitment is not None
    assert plane[0, 0] == float_sweep.commitment["value_of_commitment[sender][versus_best]"][0, 0]


def test_jsonl_and_a_parameter_named_like_a_column(tmp_path: Path) -> None:
    """A grid parameter named `commitment` cannot clash: the commitment columns have brackets."""
    text = (MODELS / "beer_quiche.yaml").read_text(encoding="utf-8").replace("p: \"1/10\"", "commitment: \"1/10\"")
    text = text.replace("weak: p", "weak: commitment").replace("strong: 1 - p", "strong: 1 - commitment")
    text = text[:text.index("\nexpect:")] + "\n"
    path = tmp_path / "bq.yaml"
    path.write_text(text, encoding="utf-8")
    spec = load_spec(path)
    summary = run_sweep(spec, [parse_grid("commitment=0:1:5")], tmp_path / "out", fmt="jsonl", persuade=True)
    records = [json.loads(line) for line in summary.path.read_text(encoding="utf-8").splitlines()]
    assert [r["commitment"] for r in records[:1]] == [0]
    for record in records:
        game = build_game(spec, parse_overrides([f"commitment={F(record['commitment'])}"]))
        assert isinstance(game, SignallingGame)
        assert [record[name] for name in PERSUASION_COLUMNS] == pytest.approx([float(x) for x in expected_cells(game)])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_sweep_persuade(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "sweep", str(MODELS / "taepodong_1998.yaml"), "--grid", "c=0,1/2,1",
                         "--persuade", "--exact", "--out", str(tmp_path))
    assert code == 0, err
    rows = read_rows(tmp_path / "sweep.csv")
    assert rows[0]["commitment[sender]"] == "-409/200" and rows[0]["value_of_commitment[sender][versus_best]"] == "147/400"
    code, out, err = run(capsys, "sweep", str(MODELS / "matching_pennies.yaml"), "--grid", "c=0:1:2",
                         "--persuade", "--out", str(tmp_path / "bad"))
    assert code == 2 and "Traceback" not in err



@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("exact", [False, True])
def test_sender_commitment_alone_is_persuasion_solves(seed: int, exact: bool) -> None:
    """The sweep's LPs (the sender's only) select the rule `persuasion_solve` selects."""
    from test_persuasion import random_game

    game = random_game(seed)
    assert sender_commitment(game, exact=exact) == persuasion_solve(game, exact=exact).sender_optimal


@pytest.mark.parametrize(("model", "grid"), [
    ("intelligence_market", ["pi=0:1:5", "c=0:1:3"]),   # zero-prior types at pi = 0 and 1
    ("beer_quiche", ["p=0:1:9"]),                       # continua off the path
    ("spence_job_market", ["c_low=0:2:5"]),
    ("taepodong_1998", ["v=0:1:6"]),
])
def test_float_equals_exact_on_other_models(model: str, grid: list[str], tmp_path: Path) -> None:
    """The float sweep's commitment cells (faces read off the batch's float table) are the
    exact sweep's (faces of `pbe_solve`'s exact result), written as floats."""
    spec, axes = spec_of(model), [parse_grid(g) for g in grid]
    floats = read_rows(run_sweep(spec, axes, tmp_path / "f", persuade=True).path)
    exacts = read_rows(run_sweep(spec, axes, tmp_path / "x", persuade=True, exact=True).path)
    assert len(floats) == len(exacts)
    for a, b in zip(floats, exacts):
        assert [a[n] for n in PERSUASION_COLUMNS] == [str(format_number(float(F(b[n])), False)) for n in PERSUASION_COLUMNS]

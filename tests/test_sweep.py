"""Parameter sweeps (intelgame.sweep) and their figures (intelgame.output.figures).

The model is Chang (2023), "'I know something you don't know'", BJPIR 25(3), formalised in
docs/MODEL.md; its closed form c*(v) = (beta + omega0 - v rho / (1 - v)) / gamma (eta = 0)
is the oracle for the truthful region of the (c, v) phase diagram.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import sys
from collections import defaultdict
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from intelgame.analysis.classify import classify
from intelgame.analysis.columns import METRICS
from intelgame.analysis.quality import Interpretation
from intelgame.errors import SolverError, SpecError
from intelgame.games.build import build_game
from intelgame.games.grid import build_game_grid
from intelgame.games.signalling import SignallingGame
from intelgame.output.documents import analyse
from intelgame.output.figures import line_figure, phase_diagram
from intelgame.solvers.pbe.batch import pbe_solve_many, pbe_table_many
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.table import EquilibriumTable
from intelgame.spec import load_spec, parse_overrides, parse_spec
from intelgame.spec.model import SignallingSpec
from intelgame.sweep import (
    Format,
    GridAxis,
    SweepSummary,
    chunk,
    executors,
    check_sweep,
    parse_grid,
    run_sweep,
    sweep_columns,
)
from intelgame.sweep.cells import code_rows, render_rows, strategy_width
from intelgame.sweep.grid import grid_points
from intelgame.sweep.summary import dominant_equilibria

MODEL = Path(__file__).resolve().parents[1] / "models" / "intelligence_market.yaml"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# MODEL.md, default calibration.
BETA, OMEGA0, RHO, GAMMA = F(3), F(1), F(6), F(4)


def c_star(v: F) -> F:
    """MODEL.md: c* = (beta + omega0 - kappa) / gamma, kappa = v rho / (1 - v) (eta = 0, v < 1)."""
    return (BETA + OMEGA0 - v * RHO / (1 - v)) / GAMMA


@pytest.fixture(scope="module")
def spec() -> SignallingSpec:
    loaded = load_spec(MODEL)
    assert isinstance(loaded, SignallingSpec)
    return loaded


def small_grid() -> list[GridAxis]:
    return [parse_grid("c=0:1:5"), parse_grid("v=0:0.5:3")]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def by_point(rows: list[dict[str, str]], names: tuple[str, ...] = ("c", "v")) -> dict[tuple[F, ...], list[dict[str, str]]]:
    points: dict[tuple[F, ...], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        points[tuple(F(row[n]) for n in names)].append(row)
    return points


@pytest.fixture(scope="module")
def small_sweep(spec: SignallingSpec, tmp_path_factory: pytest.TempPathFactory) -> SweepSummary:
    return run_sweep(spec, small_grid(), tmp_path_factory.mktemp("serial"))


# --- grid parsing -----------------------------------------------------------------------------

def test_range_is_exact_and_inclusive() -> None:
    axis = parse_grid("c=0:1:5")
    assert axis.name == "c"
    assert axis.values == (F(0), F(1, 4), F(1, 2), F(3, 4), F(1))
    assert all(isinstance(v, F) for v in axis.values)
    assert parse_grid("v=0:0.5:3").values == (F(0), F(1, 4), F(1, 2))
    assert parse_grid("v = 1/3 : 2/3 : 2").values == (F(1, 3), F(2, 3))
    assert parse_grid("c=1:0:3").values == (F(1), F(1, 2), F(0))
    assert parse_grid("c=1/2:1/2:1").values == (F(1, 2),)
    assert len(parse_grid("c=0:1:101")) == 101 and parse_grid("c=0:1:101").values[37] == F(37, 100)


def test_range_with_an_irrational_end_is_float() -> None:
    axis = parse_grid("x=0:2**0.5:3")
    assert all(isinstance(v, float) for v in axis.values)
    assert axis.values[-1] == 2**0.5 and axis.values[1] == pytest.approx(2**0.5 / 2)
    np.testing.assert_allclose(axis.to_array(), [0, 2**0.5 / 2, 2**0.5])


def test_explicit_list() -> None:
    assert parse_grid("c=0,1/4,1/2").values == (F(0), F(1, 4), F(1, 2))
    assert parse_grid("c=-1/2, 0.25").values == (F(-1, 2), F(1, 4))
    assert parse_grid("c=3/4").values == (F(3, 4),)


@pytest.mark.parametrize(("text", "key", "fragment"), [
    ("c", "c", "expected a parameter name before '='"),
    ("=0:1:3", "=0:1:3", "expected a parameter name"),
    ("1c=0:1:3", "1c", "expected a parameter name"),
    ("c=", "c", "no values"),
    ("c=0:1", "c", "three parts START:STOP:COUNT, found 2"),
    ("c=0:1:3:4", "c", "three parts START:STOP:COUNT, found 4"),
    ("c=0:1:0", "c", "count '0' must be a whole number >= 1"),
    ("c=0:1:2.5", "c", "count '2.5'"),
    ("c=0:1:-3", "c", "count '-3'"),
    ("c=0:1:", "c", "count ''"),
    ("c=:1:3", "c", "empty start"),
    ("c=a:1:3", "c", "uses the name(s) a"),
    ("c=0:1/0:3", "c", "division by zero"),
    ("c=1:1:3", "c", "start and stop are equal"),
    ("c=0,,1", "c", "empty value"),
    ("c=0,1/2,0.5", "c", "listed twice"),
    ("c=__import__('os')", "c", ""),
    ("c=0;1", "c", ""),
])
def test_malformed_grid(text: str, key: str, fragment: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_grid(text)
    assert info.value.file == "--grid"
    assert info.value.key == key
    assert fragment in str(info.value)


# --- the sweep --------------------------------------------------------------------------------

def test_rows_match_the_solver(spec: SignallingSpec, small_sweep: SweepSummary) -> None:
    assert small_sweep.path.name == "sweep.csv" and small_sweep.points == 15
    assert small_sweep.method == "serial" and small_sweep.dominant.shape == (5, 3)
    with small_sweep.path.open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == small_sweep.columns == sweep_columns(spec, small_sweep.axes)
    rows = read_rows(small_sweep.path)
    assert len(rows) == small_sweep.rows
    points = by_point(rows)
    assert list(points) == [(c, v) for c in small_grid()[0].values for v in small_grid()[1].values]
    assert spec.interpretation is not None
    for (c, v), found in points.items():
        game = build_game(spec, parse_overrides([f"c={c}", f"v={v}"]))
        assert isinstance(game, SignallingGame)
        result = pbe_solve(game)
        interpretation = Interpretation.from_names(game, spec.interpretation.reports,
                                                   spec.interpretation.correct_actions, spec.interpretation.alarm)
        expected = analyse(result, interpretation)
        assert len(found) == max(len(expected), 1)
        if not expected:
            assert found[0]["equilibrium"] == "" and found[0]["count"] == "0"
            continue
        for i, (row, (eq, intuitive, quality)) in enumerate(zip(found, expected), 1):
            assert int(row["equilibrium"]) == i and int(row["count"]) == len(expected)
            assert row["classification"] == classify(game, eq, tolerance=result.tolerance)
            assert row["quality"] == quality.label and row["labels"] == ";".join(quality.labels)
            assert row["intuitive_criterion"] == str(intuitive).lower()
            assert row["pure"] == str(eq.is_pure).lower() and row["continuum"] == str(eq.is_continuum).lower()
            assert float(row["mutual_information_bits"]) == pytest.approx(quality.mutual_information_bits, abs=1e-11)
            assert float(row["manipulation_probability"]) == pytest.approx(float(quality.manipulation_probability or 0), abs=1e-11)
            assert float(row["false_report_probability"]) == pytest.approx(float(quality.false_report_probability or 0), abs=1e-11)
            assert float(row["receiver_payoff"]) == pytest.approx(float(quality.receiver_payoff), abs=1e-11)
            for t, type_name in enumerate(game.types):
                for m, message in enumerate(game.messages):
                    assert float(row[f"sigma[{type_name}][{message}]"]) == pytest.approx(float(eq.sender[t][m]), abs=1e-11)
            for m, message in enumerate(game.messages):
                for a, action in enumerate(game.actions):
                    assert float(row[f"rho[{message}][{action}]"]) == pytest.approx(float(eq.receiver[m][a]), abs=1e-11)


def test_truthful_region_is_c_at_least_c_star(small_sweep: SweepSummary) -> None:
    """MODEL.md: a truthful PBE exists iff c >= c*(v) (eta = 0), checked at every v < 1."""
    points = by_point(read_rows(small_sweep.path))
    labels = small_sweep.labels()
    c_axis, v_axis = small_sweep.axes
    checked = 0
    for i, c in enumerate(c_axis.values):
        for j, v in enumerate(v_axis.values):
            if v >= 1:
                continue
            truthful = c >= c_star(F(v))
            assert any(r["quality"] == "truthful" for r in points[(F(c), F(v))]) == truthful, (c, v)
            assert (labels[i, j] == "truthful") == truthful, (c, v)
            checked += 1
    assert checked == 15


def test_fabrication_below_c_star_with_verification(small_sweep: SweepSummary) -> None:
    """MODEL.md C2 (pi <= mu*, 0 < v < 1): at v = 1/4, kappa = 2 and c* = 1/2; below it the
    unique PBE is semi-separating with s* = 11/15 (false report probability (1 - pi) s* =
    11/20) and the client alerts after warn with probability q* = kappa / g_N."""
    points = by_point(read_rows(small_sweep.path))
    for c in (F(0), F(1, 4)):
        (row,) = points[(c, F(1, 4))]
        assert row["classification"] == "semi-separating" and "fabricated threat" in row["labels"]
        assert float(row["false_report_probability"]) == pytest.approx(11 / 20)
        assert float(row["sigma[no_threat][warn]"]) == pytest.approx(11 / 15)
        assert float(row["rho[warn][alert]"]) == pytest.approx(float(2 / (BETA + OMEGA0 - GAMMA * c)))
    index = small_sweep.axes[1].values.index(F(1, 4))
    assert np.allclose(small_sweep.dominant["false_report_probability"][:2, index], 11 / 20)
    assert np.all(small_sweep.dominant["manipulation_probability"][:2, index] > 0)
    assert np.all(small_sweep.dominant["false_report_probability"][2:, index] == 0)


def test_exact_sweep_writes_fractions(spec: SignallingSpec, tmp_path: Path) -> None:
    summary = run_sweep(spec, [parse_grid("c=0,5/6,1"), parse_grid("v=1/10")], tmp_path, exact=True)
    rows = read_rows(summary.path)
    assert all(r["v"] == "1/10" for r in rows)
    points = by_point(rows)
    assert list(points) == [(F(0), F(1, 10)), (F(5, 6), F(1, 10)), (F(1), F(1, 10))]
    (low,) = points[(F(0), F(1, 10))]
    assert low["quality"] == "noisy" and low["sigma[no_threat][warn]"] == "11/15" and low["rho[warn][alert]"] == "1/6"
    assert "truthful" in [r["quality"] for r in points[(F(5, 6), F(1, 10))]]  # c* = 5/6 exactly
    assert list(summary.labels()[:, 0]) == ["noisy", "truthful", "truthful"]
    assert summary.exact and summary.tolerance == 0


def test_jsonl_format(spec: SignallingSpec, tmp_path: Path, small_sweep: SweepSummary) -> None:
    summary = run_sweep(spec, small_grid(), tmp_path, fmt="jsonl")
    assert summary.path.name == "sweep.jsonl"
    records = [json.loads(line) for line in summary.path.read_text(encoding="utf-8").splitlines()]
    rows = read_rows(small_sweep.path)
    assert len(records) == len(rows) == summary.rows
    for record, row in zip(records, rows):
        assert list(record) == list(row)
        assert isinstance(record["pure"], bool) and isinstance(record["count"], int)
        assert record["quality"] == row["quality"]
        assert record["sigma[no_threat][warn]"] == pytest.approx(float(row["sigma[no_threat][warn]"]))


def test_point_without_equilibrium_has_one_empty_row(spec: SignallingSpec, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # Every finite signalling game has a PBE, so an empty result is simulated at c = 1/2.
    solve = chunk.pbe_table_many

    def no_pbe_at_one_half(arrays: Any, game: Any, **options: Any) -> EquilibriumTable:
        table = solve(arrays, game, **options)
        keep = np.array([dict(game(k).parameters)["c"] != 0.5 for k in table.point.tolist()], dtype=bool)
        return EquilibriumTable(*(getattr(table, f.name)[keep] for f in dataclasses.fields(table)))

    monkeypatch.setattr(chunk, "pbe_table_many", no_pbe_at_one_half)
    summary = run_sweep(spec, [parse_grid("c=0,1/2,1")], tmp_path)
    rows = read_rows(summary.path)
    assert [(r["c"], r["equilibrium"], r["count"]) for r in rows] == [("0", "1", "1"), ("0.5", "", "0"),
                                                                       ("1", "1", "1")]
    assert all(v == "" for k, v in rows[1].items() if k not in ("c", "count"))
    assert list(summary.labels()) == ["noisy", "none", "truthful"]
    assert summary.dominant["count"][1] == 0 and np.isnan(summary.dominant["mutual_information_bits"][1])
    alone = run_sweep(spec, [parse_grid("c=1/2")], tmp_path / "alone")  # a chunk without any equilibrium
    assert [(r["c"], r["equilibrium"], r["count"]) for r in read_rows(alone.path)] == [("0.5", "", "0")]
    assert list(alone.labels()) == ["none"]


def _same(a: Any, b: Any) -> bool:
    """Equal cells: numbers within 1e-12 (``0`` and ``0.0`` alike), anything else equal."""
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-12
    return type(a) is type(b) and a == b


@pytest.mark.parametrize(("model", "grid"), [
    ("intelligence_market", ["c=0:1:11", "v=0:0.6:7"]),        # knife edges, continua, 5 PBE at v = 0
    ("intelligence_market", ["pi=0:1:5", "c=0:1:3"]),          # zero-prior types at pi = 0 and 1
    ("taepodong_1998", ["v=0:1:6"]),
    ("beer_quiche", ["p=0:1:9"]),                              # no interpretation block
    ("crawford_sobel_discrete", ["b=0:1:5"]),                  # 3 x 3 x 3
    ("spence_job_market", ["c_low=0:2:5"]),
])
def test_table_analysis_equals_the_per_result_analysis(model: str, grid: list[str]) -> None:
    """``chunk.analyse_table`` (the float sweep's) and ``chunk.analyse_results`` (the exact
    sweep's, here on float results) analyse the same equilibria alike, and give the same
    dominant equilibria; the chunk's rows render as ``render_rows`` renders them."""
    spec = load_spec(MODEL.parent / f"{model}.yaml")
    axes = [parse_grid(g) for g in grid]
    names = {a.name for a in axes}
    if not names <= set(spec.parameters):
        pytest.skip(f"{model} has no parameter {names - set(spec.parameters)}")
    count = math.prod(len(a) for a in axes)
    points = grid_points(axes, 0, count)
    games_grid = build_game_grid(spec, {}, [a.name for a in axes], points)
    games = [games_grid.game(i) for i in range(count)]
    interpretation = chunk.interpretation_indices(spec, games[0])
    table = pbe_table_many((games_grid.sender, games_grid.prior, games_grid.receiver), games_grid.game)
    fast = chunk.analyse_table(games_grid, table, interpretation, 1e-9, games_grid.game)
    plain = chunk.analyse_results(pbe_solve_many(games), interpretation, strategy_width(spec))
    assert fast.point.tolist() == plain.point.tolist()
    for name in ("classification", "intuitive", "pure", "continuum", "on_path_play"):
        assert getattr(fast, name).tolist() == getattr(plain, name).tolist(), name
    assert [fast.label_sets[k] for k in fast.label] == [plain.label_sets[k] for k in plain.label]
    for name in METRICS:
        assert all(_same(a, b) for a, b in zip(fast.metrics[name].tolist(), plain.metrics[name].tolist())), name
    assert fast.numbers.shape == plain.numbers.shape
    for row_f, row_p in zip(fast.numbers.tolist(), plain.numbers.tolist()):
        assert all(_same(a, math.nan if b is None else b) for a, b in zip(row_f, row_p)), (row_f, row_p)
    dominant = [dominant_equilibria(r.point, count, r.label, r.label_sets, r.metrics) for r in (fast, plain)]
    for f, p in zip(*(d.tolist() for d in dominant)):
        assert all(_same(a, b) for a, b in zip(f, p)), (f, p)
    columns = sweep_columns(spec, axes)
    cells = code_rows(fast, axes, 0, count, len(columns), exact=False)
    assert len(cells.codes) == sum(max(1, n) for n in np.bincount(fast.point, minlength=count))
    assert cells.render(columns, "csv") == render_rows(cells.rows(), columns, "csv")
    assert cells.render(columns, "jsonl") == render_rows(cells.rows(), columns, "jsonl")


def test_unknown_or_conflicting_parameters(spec: SignallingSpec, tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="unknown parameter 'kappa'") as info:
        run_sweep(spec, [parse_grid("kappa=0:1:3")], tmp_path)
    assert (info.value.file, info.value.key) == ("--grid", "kappa")
    with pytest.raises(SpecError, match="both set"):
        run_sweep(spec, [parse_grid("c=0:1:3")], tmp_path, overrides=parse_overrides(["c=1"]))
    with pytest.raises(SpecError, match="two grid axes"):
        run_sweep(spec, [parse_grid("c=0:1:3"), parse_grid("c=0,1")], tmp_path)
    with pytest.raises(SpecError, match="at least one grid axis"):
        run_sweep(spec, [], tmp_path)
    with pytest.raises(SolverError, match="workers"):
        run_sweep(spec, small_grid(), tmp_path, workers=0)
    normal = parse_spec("intelgame: 1\nkind: normal\nname: pd\nparameters: {t: 5}\nplayers: [r, s]\n"
                        "strategies: {r: [c, d], s: [c, d]}\npayoffs:\n  c: {c: [3, 3], d: [0, t]}\n"
                        "  d: {c: [t, 0], d: [1, 1]}\n")
    with pytest.raises(SpecError, match="signalling spec"):
        run_sweep(normal, [parse_grid("t=5")], tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_overrides_apply_at_every_point(spec: SignallingSpec, tmp_path: Path) -> None:
    """With omega0 = 0 (MODEL.md C5), c* at v = 0 is beta / gamma = 3/4."""
    summary = run_sweep(spec, [parse_grid("c=1/2,3/4"), parse_grid("v=0")], tmp_path,
                        overrides=parse_overrides(["omega0=0"]))
    assert list(summary.labels()[:, 0]) == ["noisy", "truthful"]


def test_error_at_a_point_names_it_and_leaves_no_file(spec: SignallingSpec, tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="at grid point pi = 2") as info:
        run_sweep(spec, [parse_grid("pi=0:2:3")], tmp_path)
    assert "prior" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_sweep_leaves_no_file(spec: SignallingSpec, tmp_path: Path) -> None:
    (tmp_path / "sweep.csv").write_text("previous result\n", encoding="utf-8")

    def interrupt(done: int, total: int) -> None:
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, [parse_grid("c=0:1:41")], tmp_path, progress=interrupt)
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.csv"]
    assert (tmp_path / "sweep.csv").read_text(encoding="utf-8") == "previous result\n"


def test_progress_reports_every_point(spec: SignallingSpec, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    run_sweep(spec, small_grid(), tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 15) and calls[-1] == (15, 15)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_processes_give_an_identical_file(spec: SignallingSpec, tmp_path: Path, small_sweep: SweepSummary) -> None:
    summary = run_sweep(spec, small_grid(), tmp_path, workers=2)
    assert summary.method == "processes"
    assert summary.path.read_bytes() == small_sweep.path.read_bytes()
    for name in summary.dominant.dtype.names or ():
        np.testing.assert_array_equal(summary.dominant[name], small_sweep.dominant[name])


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_serial_chunks_give_an_identical_file(spec: SignallingSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              fmt: Format) -> None:
    """Chunks of 4 points (uneven: 15 points) write the file and the dominant array of one chunk."""
    whole = run_sweep(spec, small_grid(), tmp_path / "whole", fmt=fmt)
    monkeypatch.setattr(executors, "MAX_CHUNK", 4)
    chunked = run_sweep(spec, small_grid(), tmp_path / "chunked", fmt=fmt)
    assert chunked.path.read_bytes() == whole.path.read_bytes()
    for name in whole.dominant.dtype.names or ():
        np.testing.assert_array_equal(chunked.dominant[name], whole.dominant[name])


def test_dask_gives_an_identical_file(spec: SignallingSpec, tmp_path: Path, small_sweep: SweepSummary) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary = run_sweep(spec, small_grid(), tmp_path, scheduler=cluster.scheduler_address)
    assert summary.method == "dask"
    assert summary.path.read_bytes() == small_sweep.path.read_bytes()


def test_missing_dask_is_a_solver_error(spec: SignallingSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(SolverError, match=r"pip install intelgame\[dist\]"):
        run_sweep(spec, small_grid(), tmp_path, scheduler="tcp://127.0.0.1:1")
    assert list(tmp_path.iterdir()) == []


# --- figures ----------------------------------------------------------------------------------

def test_phase_diagram_png(small_sweep: SweepSummary, tmp_path: Path) -> None:
    def threshold(v: np.ndarray) -> np.ndarray:
        return np.asarray((3 + 1 - v * 6 / (1 - v)) / 4, dtype=float)

    path = phase_diagram(small_sweep, "c", "v", tmp_path / "figs" / "phase.png",
                         curves=[("c*(v)", threshold)], title="intelligence market")
    assert path == tmp_path / "figs" / "phase.png"
    assert path.read_bytes()[:8] == PNG_MAGIC
    # The transposed diagram, with the curve given as y of x.
    other = phase_diagram(small_sweep, "v", "c", tmp_path / "phase_vc.png", curves=[("c*(v)", threshold)],
                          curves_give="y")
    assert other.read_bytes()[:8] == PNG_MAGIC
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_phase_diagram_rejects_unknown_axes(small_sweep: SweepSummary, tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="not a grid parameter"):
        phase_diagram(small_sweep, "c", "eta", tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_plane_orientation(small_sweep: SweepSummary) -> None:
    plane = small_sweep.plane("label", "c", "v")
    assert plane.shape == (3, 5)
    np.testing.assert_array_equal(plane, small_sweep.dominant["label"].T)
    np.testing.assert_array_equal(small_sweep.plane("label", "v", "c"), small_sweep.dominant["label"])


def test_line_figure_png(tmp_path: Path) -> None:
    xs = [i / 10 for i in range(11)]
    path = line_figure(xs, {"a": [x**2 for x in xs], "b": [float("nan")] + xs[1:]}, tmp_path / "line.png",
                       xlabel="concession c", ylabel="", title="t")
    assert path.read_bytes()[:8] == PNG_MAGIC
    step = line_figure(xs, {"optimal concession": [1.0] * 5 + [0.0] * 6}, tmp_path / "step.png",
                       xlabel="v", ylabel="c", title="", step=True)
    assert step.read_bytes()[:8] == PNG_MAGIC
    with pytest.raises(ValueError, match="has 2 values for 11"):
        line_figure(xs, {"short": [1, 2]}, tmp_path / "bad.png")


def test_sampled_curve_pickles_and_reproduces_the_function() -> None:
    """The phase diagram's curves come from another process as samples at the very points the
    figure evaluates them: there they equal the function, between them they interpolate."""
    import pickle

    from intelgame.output.curves import SampledCurve, curve_samples

    points = curve_samples([0.0, 0.3, 0.6])
    curve = pickle.loads(pickle.dumps(SampledCurve.of(lambda y: np.where(y < 0.3, 2 * y, np.nan), points)))
    assert np.array_equal(curve(points), np.where(points < 0.3, 2 * points, np.nan), equal_nan=True)
    assert curve(np.array([0.1]))[0] == pytest.approx(0.2)
    assert np.isnan(curve(np.array([0.5]))[0]) and np.isnan(curve(np.array([5.0]))[0])


def test_csv_fields_are_the_csv_modules() -> None:
    """Rows are rendered as :mod:`csv`'s default dialect writes them (booleans ``true``/
    ``false``, ``None`` empty), quoting included."""
    import io

    row = [None, True, False, 0, -3, 0.1, 1e-20, 0.333333333333, "pooling", "a,b", 'say "x"', "two\nlines",
           "truthful;noisy", ""]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["true" if x is True else "false" if x is False else x
                                                       for x in row])
    assert render_rows([row], [], "csv") == buffer.getvalue()


def test_unknown_grid_parameter_message_is_one_short_line() -> None:
    """The grid's unknown-parameter message is the spec layer's one message: it names the axis
    and lists at most 20 of the spec's parameters (a spec may define thousands)."""
    names = [f"p{i}" for i in range(30)]
    text = (MODEL.read_text().replace("parameters:", "parameters:\n  " + "\n  ".join(f"{n}: 1" for n in names), 1))
    spec = parse_spec(text)
    with pytest.raises(SpecError) as info:
        check_sweep(spec, [parse_grid("nope=0:1:3")], {})
    message = str(info.value)
    assert "unknown parameter 'nope' in the grid" in message and "more" in message
    assert "\n" not in message and "p29" not in message

"""Hostile runs (issue #13, the run side): sweeps, thresholds, the reproduction and the Nash
float path, each attack a contract test of the command line in a subprocess limited to 1 GB of
address space and 20 s of CPU (:func:`test_hostile_input.run_cli`): exit status, one short
line naming what is wrong, nothing left on disk."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from test_hostile_input import REPO, SECONDS, _limit, run_cli

from intelgame.games.normal_form import NormalFormGame
from intelgame.solvers.nash import nash_solve
from intelgame.sweep import parse_grid
from intelgame.sweep.grid import grid_points

MARKET = str(REPO / "models" / "intelligence_market.yaml")
MARKET_TEXT = (REPO / "models" / "intelligence_market.yaml").read_text()


def assert_error(code: int, out: str, err: str, elapsed: float, *fragments: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr starting ``error: `` with ``fragments``."""
    assert code == 2, err
    assert out == "" and "Traceback" not in err and "internal error" not in err
    assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, repr(err)
    assert len(err) < 700, err
    for fragment in fragments:
        assert fragment in err, err
    assert elapsed < SECONDS
    return err


def renamed(tmp_path: Path, old: str, new: str) -> Path:
    """The paper's model with the parameter ``old`` renamed ``new``."""
    path = tmp_path / "model.yaml"
    path.write_text(MARKET_TEXT.replace(f"  {old}: ", f"  {new}: ").replace(f"(-({old} + e))", f"(-({new} + e))"))
    return path


# --- columns never collide ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["count", "quality", "equilibrium", "sender_payoff"])
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_parameter_named_like_a_column_is_refused(tmp_path: Path, name: str, fmt: str) -> None:
    spec = renamed(tmp_path, "k", name)
    out = tmp_path / "out"
    code, stdout, err, elapsed = run_cli("sweep", str(spec), "--grid", f"{name}=1:4:3", "--format", fmt,
                                         "--out", str(out))
    assert_error(code, stdout, err, elapsed, f"grid parameter '{name}'", f"column '{name}'", "rename",
                 f"(key '{name}')")
    assert not out.exists()


def test_strategy_columns_that_would_coincide_are_refused(tmp_path: Path) -> None:
    spec = tmp_path / "game.yaml"
    spec.write_text("intelgame: 1\nkind: signalling\nname: clash\ntypes: {'a][b': 1/2, a: 1/2}\n"
                    "messages: [c, 'b][c']\nactions: [x]\npayoffs:\n"
                    + "".join(f"  '{t}': {{c: {{x: [0, 0]}}, 'b][c': {{x: [0, 0]}}}}\n" for t in ("a][b", "a"))
                    + "parameters: {p: 1}\n")
    code, stdout, err, elapsed = run_cli("sweep", str(spec), "--grid", "p=0:1:2", "--out", str(tmp_path / "out"))
    assert_error(code, stdout, err, elapsed, "sigma[a][b][c]", "type 'a][b' and message 'c'",
                 "type 'a' and message 'b][c'")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("grid", "expected"), [
    ("c=1:1.000000000001:3", ["1.0", "1.0000000000005", "1.000000000001"]),
    ("c=0.3,0.3000000000001", ["0.3", "0.3000000000001"]),
    ("c=1,1+10**-20", ["1", "100000000000000000001/100000000000000000000"]),
    ("c=0:1:3", ["0", "0.5", "1"]),
])
def test_grid_values_are_written_with_the_digits_that_tell_them_apart(tmp_path: Path, grid: str,
                                                                       expected: list[str]) -> None:
    code, _, err, _ = run_cli("sweep", MARKET, "--grid", grid, "--out", str(tmp_path))
    assert code == 0 and err == "", err
    with open(tmp_path / "sweep.csv", newline="") as handle:
        assert sorted({row["c"] for row in csv.DictReader(handle)}, key=lambda s: Fraction(s)) == expected


def test_close_grid_values_stay_apart_in_float_mode(tmp_path: Path) -> None:
    code, _, err, _ = run_cli("sweep", MARKET, "--grid", "c=1:1.000000000001:3", "--out", str(tmp_path),
                              "--format", "jsonl")
    assert code == 0 and err == "", err
    values = [json.loads(line)["c"] for line in (tmp_path / "sweep.jsonl").read_text().splitlines()]
    assert len(set(values)) == 3 and values[-1] == 1.000000000001


# --- the grid is streamed and capped -----------------------------------------------------------

@pytest.mark.parametrize(("grids", "points"), [(["c=0:1:100000000"], "100,000,000"),
                                                (["c=0:1:100000", "v=0:1:100000"], "10,000,000,000"),
                                                (["c=0:1:1000", "v=0:1:1000", "rho=0:1:1000"], "1,000,000,000")])
def test_a_grid_beyond_the_limit_is_refused_before_any_work(tmp_path: Path, grids: list[str], points: str) -> None:
    out = tmp_path / "out"
    arguments = [item for g in grids for item in ("--grid", g)]
    code, stdout, err, elapsed = run_cli("sweep", MARKET, *arguments, "--out", str(out))
    assert_error(code, stdout, err, elapsed, f"{points} points", "limit of 100,000", "--max-points")
    assert elapsed < 10 and not out.exists()


def test_the_limit_can_be_raised_and_lowered(tmp_path: Path) -> None:
    code, stdout, err, elapsed = run_cli("sweep", MARKET, "--grid", "c=0:1:11", "--max-points", "10",
                                         "--out", str(tmp_path / "a"))
    assert_error(code, stdout, err, elapsed, "11 points", "limit of 10")
    code, _, err, _ = run_cli("sweep", MARKET, "--grid", "c=0:1:11", "--max-points", "11", "--out", str(tmp_path / "b"))
    assert code == 0 and err == ""


def test_an_axis_holds_no_values_and_a_chunk_reads_only_its_points() -> None:
    """A 10^12-point axis (materialised, it would not fit in memory) reads the points asked for."""
    axes = [parse_grid("c=0:1:1000000000000"), parse_grid("v=0:1/2:1000000000000")]
    last = 10**24 - 1
    assert grid_points(axes, last - 1, last + 1) == [(Fraction(1), Fraction(999999999998, 999999999999) / 2),
                                                     (Fraction(1), Fraction(1, 2))]
    assert len(axes[0]) == 10**12


def test_a_large_accepted_sweep_runs_in_bounded_memory(tmp_path: Path) -> None:
    """A 20,000-point grid (three chunks) streams within the subprocess's 1 GB."""
    code, stdout, err, elapsed = run_cli("sweep", MARKET, "--grid", "c=0:1:20000", "--out", str(tmp_path))
    assert code == 0 and err == "", err
    assert stdout.startswith("20000 points")
    with open(tmp_path / "sweep.csv") as handle:
        assert sum(1 for _ in handle) > 20000


# --- errors are exit 2 with the reason ---------------------------------------------------------

@pytest.mark.parametrize(("setting", "fragments"), [
    ("v=1", ("--set", "figures vary c and v", "(key 'v')")),
    ("c=1/2", ("--set", "figures vary c and v", "(key 'c')")),
    ("gamma=0", ("with gamma = 0", "no value of c makes a truthful PBE appear", "c has no threshold")),
])
def test_reproduce_refuses_a_calibration_it_cannot_check(tmp_path: Path, setting: str,
                                                         fragments: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    code, stdout, err, elapsed = run_cli("reproduce", "--set", setting, "--out", str(out))
    assert_error(code, stdout, err, elapsed, *fragments)
    assert not out.exists()  # no empty folder left


def test_reproduce_without_figures_explains_a_calibration_without_threshold(tmp_path: Path) -> None:
    from intelgame.errors import SolverError
    from intelgame.paper.reproduce import run_reproduction
    from intelgame.spec import parse_overrides

    with pytest.raises(SolverError, match="with v = 1, no value of c makes a truthful PBE appear"):
        run_reproduction(tmp_path / "out", overrides=parse_overrides(["v=1"]), figures=False)
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_named(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    out = tmp_path / "out"
    for address, reason in [("tcp://127.0.0.1:1", "refused"), ("nonsense://x", "unknown address scheme"),
                            ("127.0.0.1", "missing port")]:
        code, stdout, err, elapsed = run_cli("sweep", MARKET, "--grid", "c=0:1:3", "--scheduler", address,
                                             "--out", str(out))
        assert_error(code, stdout, err, elapsed, f"--scheduler {address}: no Dask scheduler answers there", reason)
        assert elapsed < 15 and not out.exists()


def test_thresholds_in_a_parameter_that_changes_nothing_say_so() -> None:
    code, out, err, _ = run_cli("thresholds", MARKET, "--in", "lam")
    assert code == 0 and err == ""
    assert out == ("lam: no threshold; the set of PBE is the same at every value of lam (the other "
                   "parameters as calibrated)\n")


def test_thresholds_failures_are_one_named_short_line(tmp_path: Path) -> None:
    spec = tmp_path / "model.yaml"
    spec.write_text(MARKET_TEXT.replace('"(1 - v) * 0"]', '"' + " + ".join(f"{i}**c" for i in range(2, 200)) + '"]', 1))
    code, out, err, elapsed = run_cli("thresholds", str(spec), "--in", "c")
    assert_error(code, out, err, elapsed, f"{spec}: thresholds in c (--in): ", " ... ", "not a rational function")
    code, out, err, elapsed = run_cli("thresholds", str(REPO / "models" / "matching_pennies.yaml"), "--in", "x")
    assert_error(code, out, err, elapsed, "matching_pennies.yaml", "signalling games", "normal-form", "(key 'kind')")


@pytest.mark.parametrize("arguments", [["--grid", "kappa=0:1:3"], ["--grid", "c=0:1"], ["--workers", "0", "--grid", "c=0:1:3"]])
def test_sweep_errors_start_with_the_error(tmp_path: Path, arguments: list[str]) -> None:
    code, _, err, _ = run_cli("sweep", MARKET, *arguments, "--out", str(tmp_path / "out"))
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, repr(err)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["sweep", MARKET, "--grid", "c=0:1:3"], ["solve", MARKET],
                                     ["thresholds", MARKET, "--in", "c"], ["validate", MARKET]])
def test_no_stray_newline_on_stderr(tmp_path: Path, command: list[str]) -> None:
    extra = ["--out", str(tmp_path / "out")] if command[0] == "sweep" else []
    code, _, err, _ = run_cli(*command, *extra)
    assert code == 0 and err == ""


# --- the Nash float path never hangs -----------------------------------------------------------

def test_a_one_by_one_game_is_solved_by_every_method(tmp_path: Path) -> None:
    spec = tmp_path / "one.yaml"
    spec.write_text("intelgame: 1\nkind: normal\nname: one\nplayers: [row, column]\n"
                    "strategies: {row: [a], column: [b]}\npayoffs:\n  a: {b: [3, 2]}\n")
    for method in ("lemke_howson", "support_enumeration", "vertex_enumeration"):
        code, out, err, elapsed = run_cli("solve", str(spec), "--method", method, "--json")
        assert code == 0 and err == "", err
        document = json.loads(out)
        assert document["method"] == method and len(document["equilibria"]) == 1 and elapsed < 10


def _game(row: list[list[int]], column: list[list[int]]) -> NormalFormGame:
    return NormalFormGame(name="g", players=("r", "c"), row_strategies=tuple(f"r{i}" for i in range(len(row))),
                          column_strategies=tuple(f"c{j}" for j in range(len(row[0]))),
                          row_payoffs=tuple(map(tuple, row)), column_payoffs=tuple(map(tuple, column)))


@pytest.mark.parametrize(("row", "column"), [([[2], [1], [1]], [[2], [1], [1]]), ([[1], [0]], [[1], [2]])])
def test_lemke_howson_cycling_falls_back_to_the_exact_equilibria(row: list[list[int]], column: list[list[int]]) -> None:
    """Nashpy's own ``lemke_howson_enumeration`` never returns on these games."""
    start = time.perf_counter()
    result = nash_solve(_game(row, column), method="lemke_howson")
    assert time.perf_counter() - start < 5
    assert "Lemke-Howson paths cycled" in result.method and len(result.equilibria) == 1
    exact = nash_solve(_game(row, column), exact=True).equilibria[0]
    assert result.equilibria[0].row == tuple(map(float, exact.row))


def test_lemke_howson_never_hangs_on_small_degenerate_games() -> None:
    rng = np.random.default_rng(13)
    start = time.perf_counter()
    for _ in range(150):
        n, k = rng.integers(1, 5, size=2)
        game = _game(rng.integers(0, 3, size=(n, k)).tolist(), rng.integers(0, 3, size=(n, k)).tolist())
        result = nash_solve(game, method="lemke_howson")
        assert result.equilibria  # at least one, certified
    assert time.perf_counter() - start < 60


# --- SIGTERM during a sweep --------------------------------------------------------------------

@pytest.mark.parametrize(("workers", "existing"), [("1", False), ("2", False), ("1", True), ("2", True)])
def test_sigterm_during_a_sweep_leaves_nothing(tmp_path: Path, workers: str, existing: bool) -> None:
    out = tmp_path / "out"
    if existing:
        out.mkdir()
    # a grid long enough that the signal arrives while the file is being written (a million points)
    process = subprocess.Popen([sys.executable, "-m", "intelgame.cli", "sweep", MARKET, "--grid", "c=0:1:1000",
                                "--grid", "v=0:0.6:1000", "--max-points", "1000000", "--workers", workers,
                                "--out", str(out)],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_limit)
    deadline = time.monotonic() + SECONDS
    while not any(out.glob(".sweep.csv.*.tmp")) and time.monotonic() < deadline:  # the sweep is writing
        time.sleep(0.05)
    assert any(out.glob(".sweep.csv.*.tmp")), "the sweep did not start"
    os.kill(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=SECONDS)
    assert process.returncode == 128 + signal.SIGTERM, err
    if existing:  # no temporary file, no partial result
        assert list(out.iterdir()) == []
    else:  # nor the folder the sweep created
        assert not out.exists()


@pytest.mark.parametrize(("args", "fragment"), [
    (["import", "/dev/zero"], "not a regular file"),  # read to exhaustion before
    (["export", "beer_quiche", "--out", "/tmp"], "is a folder, not a file"),  # IsADirectoryError, exit 1, before
    (["sweep", "beer_quiche", "--grid", "p=0:1:100000000000000000000", "--out", "unused"], "too large"),  # OverflowError
    (["solve", "crawford_sobel_discrete", "--max-work", "1000"], "--max-work"),  # the work budget, refused up front
    # found by the second battery (tests/test_hostile_battery.py): exit 1 before
    (["sweep", "beer_quiche", "--grid", "p=0:1:3", "--no-figure", "--out", "/proc/intelgame"],
     "cannot create the folder"),  # FileNotFoundError
    (["solve", "beer_quiche", "--max-work", "inf"], "'--max-work'"),  # OverflowError
    (["sweep", "beer_quiche", "--grid", "p=0:1:3", "--workers", "abc"], "'--workers'"),  # a usage box of 5 lines
])
def test_review_findings_exit_two(args: list[str], fragment: str) -> None:
    """Inputs found in review that ended in a hang or an internal error: one exit-2 line each."""
    status, _, err, _ = run_cli(*args)
    assert status == 2, err
    assert err.startswith("error: ") and fragment in err and err.count("\n") == 1, err


def test_running_out_of_memory_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A MemoryError anywhere under a command (a game, grid or budget too large for the memory the
    process may use) is a size to lower, reported on one line, not an internal error."""
    import intelgame.cli.app  # noqa: F401 - the package's name ``app`` is the Typer application

    cli_app = sys.modules["intelgame.cli.app"]

    class _Exhausted:
        def main(self, **_: object) -> int:
            raise MemoryError

    monkeypatch.setattr(cli_app.typer.main, "get_command", lambda _: _Exhausted())
    assert cli_app.main(["solve", "beer_quiche"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("error: out of memory") and captured.err.count("\n") == 1

"""Benchmark: the paper's (c, v) phase diagram, end to end, against looping Gambit over the grid.

Measures, on ``models/intelligence_market.yaml``:

* ``intelgame sweep`` as a user runs it (a fresh process: start-up, the grid, the tidy file,
  the symbolic threshold curves and the phase diagram), wall-clock, ``--workers 1`` and
  ``--workers 2``;
* ``run_sweep`` in process (the grid and the file only; median of 3), and its peak memory on grids of
  growing size, each in a fresh process (flat memory: rows are streamed, not accumulated);
* pygambit ``enumpoly_solve`` on the game tree of an evenly spaced sample of the grid's points
  (each in a forked process with a timeout), extrapolated to the whole grid: the in-process
  throughput ratio intelgame / Gambit.

``--models`` measures the 3x3x3 sweeps of issue #17 instead (:data:`MODEL_SWEEPS`): end to
end, and the solver batched against one point at a time and against Gambit.

Usage::

    python benchmarks/bench_sweep.py                     # 101 x 61 grid, 30 Gambit points
    python benchmarks/bench_sweep.py --quick             # 21 x 13 grid, 5 Gambit points
    python benchmarks/bench_sweep.py --models --repeats 1  # the 3x3x3 model sweeps
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SPEC = ROOT / "models" / "intelligence_market.yaml"


def cli_seconds(grid: list[str], workers: int, repeats: int, spec: Path = SPEC) -> float:
    """Median wall-clock of ``intelgame sweep`` in a fresh interpreter, after one untimed run.

    Bytecode is cached as after ``pip install`` (which compiles it): the untimed run writes it
    where the source tree's ``__pycache__`` is missing, even if ``PYTHONDONTWRITEBYTECODE`` is
    set in the caller's environment (it would make every timed run compile the package again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for run in range(repeats + 1):
        with tempfile.TemporaryDirectory() as out:
            command = [sys.executable, "-m", "intelgame.cli.app", "sweep", str(spec), *sum((["--grid", g] for g in grid), []),
                       "--out", out, "--workers", str(workers)]
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
            if run:
                times.append(time.perf_counter() - start)
    return statistics.median(times)


_MEMORY = """
import json, resource, sys, tempfile, time
from pathlib import Path
from intelgame.sweep import parse_grid, run_sweep
from intelgame.spec import load_spec
spec = load_spec(sys.argv[1])
times = []
with tempfile.TemporaryDirectory() as out:
    for _ in range(3):
        start = time.perf_counter()
        summary = run_sweep(spec, [parse_grid(g) for g in sys.argv[2:]], Path(out))
        times.append(time.perf_counter() - start)
print(json.dumps({"points": summary.points, "rows": summary.rows, "seconds": sorted(times)[1],
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def in_process(grid: list[str]) -> dict[str, Any]:
    """``run_sweep`` in a fresh process: points, rows, seconds (median of 3 runs), peak resident memory."""
    done = subprocess.run([sys.executable, "-c", _MEMORY, str(SPEC), *grid], check=True, capture_output=True,
                          text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _gambit_point(c: str, v: str, queue: Any, spec: Path = SPEC, names: tuple[str, ...] = ("c", "v")) -> None:
    import pygambit as gbt
    from bench_pbe import gambit_tree

    from intelgame.games.build import build_game
    from intelgame.spec import load_spec, parse_overrides

    values = (c, v)[:len(names)]
    game = build_game(load_spec(spec), parse_overrides([f"{n}={x}" for n, x in zip(names, values)]))
    tree, _, _ = gambit_tree(game)
    start = time.perf_counter()
    result = gbt.nash.enumpoly_solve(tree)
    queue.put((time.perf_counter() - start, len(result.equilibria)))


def gambit_sample(c_axis: list[str], v_axis: list[str], count: int, timeout: float, spec: Path = SPEC,
                  names: tuple[str, ...] = ("c", "v")) -> dict[str, Any]:
    """Gambit on ``count`` evenly spaced grid points (of ``names``' axes; one axis: ``v_axis``
    is ``[""]``); a point past ``timeout`` counts as ``timeout``."""
    points = [(c, v) for c in c_axis for v in v_axis]
    step = max(1, len(points) // count)
    context = mp.get_context("fork")
    times, timeouts = [], 0
    for c, v in points[::step][:count]:
        queue = context.Queue()
        process = context.Process(target=_gambit_point, args=(c, v, queue, spec, names))
        process.start()
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
            timeouts += 1
            times.append(timeout)
        else:
            times.append(queue.get()[0])
    return {"points": len(times), "timeouts": timeouts, "mean_seconds": statistics.mean(times)}


#: The 3x3x3 sweeps of issue #17: the three-level intelligence model over (c, v), the discrete
#: cheap-talk model over its bias.
MODEL_SWEEPS = [("intelligence_three_levels.yaml", ["c=0:1:21", "v=0:0.6:21"]),
                ("crawford_sobel_discrete.yaml", ["b=0:1.5:61"])]

_SOLVERS = """
import itertools, json, sys, time
from intelgame.games.grid import build_game_grid, build_point
from intelgame.solvers.pbe.batch import pbe_table_many
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import load_spec
from intelgame.sweep import parse_grid
spec = load_spec(sys.argv[1])
axes = [parse_grid(g) for g in sys.argv[2:]]
names = [a.name for a in axes]
points = list(itertools.product(*[a.values for a in axes]))
games = [build_point(spec, {}, names, p) for p in points]
grid = build_game_grid(spec, {}, names, points)
start = time.process_time()
table = pbe_table_many((grid.sender, grid.prior, grid.receiver), games.__getitem__)
batched = time.process_time() - start
start = time.process_time()
alone = sum(len(pbe_solve(g)) for g in games)
one_by_one = time.process_time() - start
print(json.dumps({"points": len(points), "rows": len(table), "alone_rows": alone, "batched": batched,
                  "one_by_one": one_by_one}))
"""


def model_rows(repeats: int, gambit_points: int, gambit_timeout: float) -> list[dict[str, Any]]:
    """For each of :data:`MODEL_SWEEPS`: ``intelgame sweep`` end to end (wall, fresh process,
    median of ``repeats``, figure included), the solver alone batched (``pbe_table_many``) and one
    point at a time (``pbe_solve``) in CPU seconds (the machine is shared), and Gambit on
    ``gambit_points`` points of the grid."""
    rows = []
    for name, grid in MODEL_SWEEPS:
        spec = ROOT / "models" / name
        wall = cli_seconds(grid, 1, repeats, spec)
        done = subprocess.run([sys.executable, "-c", _SOLVERS, str(spec), *grid], check=True, capture_output=True,
                              text=True, cwd=ROOT)
        solvers = json.loads(done.stdout.strip().splitlines()[-1])
        row = {"model": name, "grid": " x ".join(grid), "cli_seconds": wall, **solvers}
        try:
            import pygambit  # noqa: F401
            axes = [axis_values(g) for g in grid] + [[""]]
            names = tuple(g.split("=")[0] for g in grid)
            row["gambit"] = gambit_sample(axes[0], axes[1], gambit_points, gambit_timeout, spec, names)
        except ImportError:
            row["gambit"] = None
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def model_table(rows: list[dict[str, Any]]) -> str:
    """The Markdown table of :func:`model_rows`."""
    lines = ["| model (3x3x3) | grid | points | PBE rows | `intelgame sweep` wall | solver batched (CPU) | "
             "solver one at a time (CPU) | one-at-a-time/batched | Gambit per point (timeouts) |", "|" + "---|" * 9]
    for r in rows:
        g = r["gambit"]
        gambit = "n/a" if g is None else f"{g['mean_seconds'] * 1e3:.0f} ms ({g['timeouts']}/{g['points']})"
        lines.append(f"| {r['model']} | {r['grid']} | {r['points']} | {r['rows']} | {r['cli_seconds']:.1f} s | "
                     f"{r['batched']:.2f} s | {r['one_by_one']:.2f} s | {r['one_by_one'] / r['batched']:.1f}x | {gambit} |")
    return "\n".join(lines)


def axis_values(text: str) -> list[str]:
    from intelgame.sweep import parse_grid

    return [str(v) for v in parse_grid(text).values]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--c", default="c=0:1:101")
    parser.add_argument("--v", default="v=0:0.6:61")
    parser.add_argument("--gambit-points", type=int, default=30)
    parser.add_argument("--gambit-timeout", type=float, default=30.0)
    parser.add_argument("--repeats", type=int, default=5, help="CLI runs per setting (median, after one untimed run)")
    parser.add_argument("--quick", action="store_true", help="21 x 13 grid, 5 Gambit points, 1 repeat")
    parser.add_argument("--models", action="store_true",
                        help="instead: the 3x3x3 model sweeps (MODEL_SWEEPS), batched against one at a time and Gambit")
    args = parser.parse_args(argv)
    if args.models:
        print(model_table(model_rows(args.repeats, min(args.gambit_points, 5), min(args.gambit_timeout, 10))))
        return 0
    if args.quick:
        args.c, args.v, args.gambit_points, args.repeats = "c=0:1:21", "v=0:0.6:13", 5, 1
    grid = [args.c, args.v]
    print(f"machine: {os.cpu_count()} CPUs, {sys.version.split()[0]}; grid {args.c} x {args.v}")
    serial = cli_seconds(grid, 1, args.repeats)
    parallel = cli_seconds(grid, 2, args.repeats)
    run = in_process(grid)
    print(f"intelgame sweep (CLI, end to end): {serial:.2f} s with --workers 1, {parallel:.2f} s with --workers 2")
    print(f"run_sweep in process: {run['points']} points, {run['rows']} rows in {run['seconds']:.2f} s "
          f"({run['points'] / run['seconds']:.0f} points/s), peak memory {run['maxrss_mb']:.0f} MB")
    for scale in (1, 2):
        c_name, c_rest = args.c.split("=")
        v_name, v_rest = args.v.split("=")
        c0, c1, cn = c_rest.split(":")
        v0, v1, vn = v_rest.split(":")
        bigger = [f"{c_name}={c0}:{c1}:{(int(cn) - 1) * scale + 1}", f"{v_name}={v0}:{v1}:{(int(vn) - 1) * scale + 1}"]
        if scale > 1:
            big = in_process(bigger)
            print(f"memory check: {big['points']} points -> peak {big['maxrss_mb']:.0f} MB "
                  f"(vs {run['maxrss_mb']:.0f} MB at {run['points']} points)")
    try:
        import pygambit  # noqa: F401
    except ImportError:
        print("pygambit missing (pip install intelgame[bench]): no Gambit ratio")
        return 0
    sample = gambit_sample(axis_values(args.c), axis_values(args.v), args.gambit_points, args.gambit_timeout)
    gambit_grid = sample["mean_seconds"] * run["points"]
    print(f"gambit enumpoly_solve: {sample['points']} sample points, {sample['timeouts']} timeouts "
          f"(counted at {args.gambit_timeout:.0f} s), mean {sample['mean_seconds'] * 1e3:.1f} ms/point -> "
          f"{gambit_grid:.0f} s for the grid (at least)")
    print(f"throughput ratio intelgame/gambit (in process): {gambit_grid / run['seconds']:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

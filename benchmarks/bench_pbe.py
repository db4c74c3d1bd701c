"""Benchmark: all PBE of seeded random signalling games, intelgame against its peers.

For each size ``|T| x |M| x |A|`` and each of ``--games`` seeded random games (integer payoffs
in -3..3, uniform prior: ties, hence degenerate games and continua, are common) it runs

* intelgame ``pbe_solve``, float path and exact path, game by game;
* intelgame ``pbe_solve_many``, float path, on ``--batch`` games of the size at once (the
  throughput of a sweep, every shape; the median of 3 calls after a warm-up call on 20 other
  games), checked to give the same PBE as ``pbe_solve`` on every one of them, and the time of
  ``pbe_solve`` on those same games one at a time (the column *one-at-a-time/batched*);
* pygambit ``enumpoly_solve`` on the same game tree (chance over types, one sender information
  set per type, one receiver information set per message), if pygambit is installed;
* nashpy vertex enumeration on the Harsanyi form (small sizes only), if nashpy is installed;

each in a worker process with a per-game timeout (Gambit's enumpoly can run for a very long
time on degenerate games; a timed-out worker is killed and replaced). Times are measured inside
the worker around the solver call only (no process start-up or imports).

Agreement: every Gambit equilibrium (a Nash equilibrium of the tree, as a behaviour profile)
whose off-path replies are best replies to some belief is a PBE, and must be one of
intelgame's: same supports, probabilities within intelgame's ranges (1e-6). Float and exact
intelgame must find the same number of PBE; and each intelgame PBE's representative point is
checked to be a Nash equilibrium of the Harsanyi form with nashpy (exactly, on the exact path).

Usage::

    python benchmarks/bench_pbe.py                       # 2x2x2, 2x2x3, 3x3x3, 4x4x4; 10 games each
    python benchmarks/bench_pbe.py --sizes 2,3 --games 5 # "2" means 2x2x2
    python benchmarks/bench_pbe.py --sizes 4x4x4 --games 5 --timeout 120
    python benchmarks/bench_pbe.py --quick               # smoke test: 2x2x2, 3 games
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing as mp
import os
import platform
import random
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SUPPORT = 1e-6  # a probability above this is in the support (Gambit's output is floating point)


# -- games ---------------------------------------------------------------------------------------

def random_game(n_t: int, n_m: int, n_a: int, seed: int) -> Any:
    """A seeded random game: integer payoffs in -3..3 for both players, uniform prior."""
    from intelgame.games import SignallingGame

    rng = random.Random(f"{n_t}x{n_m}x{n_a}-{seed}")

    def cells() -> tuple[tuple[tuple[int, ...], ...], ...]:
        return tuple(tuple(tuple(rng.randint(-3, 3) for _ in range(n_a)) for _ in range(n_m)) for _ in range(n_t))

    return SignallingGame(name=f"random-{n_t}x{n_m}x{n_a}-{seed}", types=tuple(f"t{i}" for i in range(n_t)),
                          messages=tuple(f"m{i}" for i in range(n_m)), actions=tuple(f"a{i}" for i in range(n_a)),
                          prior=(Fraction(1, n_t),) * n_t, sender_payoffs=cells(), receiver_payoffs=cells())


def gambit_tree(game: Any) -> tuple[Any, list[Any], list[Any]]:
    """The game tree in pygambit: ``(game, sender infoset per type, receiver infoset per message)``."""
    import pygambit as gbt

    n_t, n_m, n_a = game.shape
    g = gbt.Game.new_tree(players=["Sender", "Receiver"], title=game.name)
    g.append_move(g.root, g.players.chance, list(game.types))
    g.set_chance_probs(g.root.infoset, [gbt.Rational(p.numerator, p.denominator) for p in game.prior])
    first: dict[int, Any] = {}
    sender_sets = []
    for t in range(n_t):
        type_node = g.root.children[game.types[t]]
        g.append_move(type_node, "Sender", list(game.messages))
        sender_sets.append(type_node.infoset)
        for m in range(n_m):
            node = type_node.children[game.messages[m]]
            if m in first:
                g.append_infoset(node, first[m].infoset)
            else:
                g.append_move(node, "Receiver", list(game.actions))
                first[m] = node
            for a in range(n_a):
                outcome = g.add_outcome(f"{t}.{m}.{a}", [game.sender_payoffs[t][m][a], game.receiver_payoffs[t][m][a]])
                g.set_outcome(node.children[game.actions[a]], outcome)
    return g, sender_sets, [first[m].infoset for m in range(n_m)]


# -- the tasks a worker runs (each returns (seconds, payload)) -------------------------------------

def task_intelgame(shape: tuple[int, int, int], seed: int, exact: bool) -> tuple[float, Any]:
    from intelgame.solvers.pbe.enumeration import pbe_solve

    game = random_game(*shape, seed)
    start = time.perf_counter()
    result = pbe_solve(game, exact=exact)
    seconds = time.perf_counter() - start

    def fl(rows: Any) -> list[list[float]]:
        return [[float(p) for p in row] for row in rows]

    def rng(rows: Any) -> list[list[tuple[float, float]]]:
        return [[(float(lo), float(hi)) for lo, hi in row] for row in rows]

    equilibria = [{"sender": fl(e.sender), "receiver": fl(e.receiver), "sender_range": rng(e.sender_range),
                   "receiver_range": rng(e.receiver_range), "continuum": e.is_continuum} for e in result]
    harsanyi_ok = _harsanyi_check(game, result) if exact and _small(shape) else None
    return seconds, {"equilibria": equilibria, "harsanyi_ok": harsanyi_ok}


def task_intelgame_batch(shape: tuple[int, int, int], count: int) -> tuple[float, Any]:
    """All PBE of games 0..count-1 of ``shape`` in one ``pbe_solve_many`` call: the median time
    of 3 such calls, after one warm-up call on 20 other games (numpy's and the solver's one-off
    set-up costs); the payload is how many games got the same PBE as from ``pbe_solve``
    (paths, continua, points, ranges, beliefs and payoffs within 1e-9, in order)."""
    from intelgame.solvers.pbe.enumeration import pbe_solve
    from intelgame.solvers.pbe.batch import pbe_solve_many

    pbe_solve_many([random_game(*shape, seed) for seed in range(count, count + 20)])
    games = [random_game(*shape, seed) for seed in range(count)]
    times = []
    results: Any = None
    for _ in range(3):
        results = None  # the previous call's results are freed before the clock starts
        start = time.perf_counter()
        results = pbe_solve_many(games)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    def numbers(e: Any) -> list[float]:  # the point, ranges, beliefs and payoffs of a PBE
        rows = (*e.sender, *e.receiver, *e.beliefs, e.sender_payoffs, (e.receiver_payoff,))
        ranges = (end for group in (e.sender_range, e.receiver_range) for row in group for pair in row for end in pair)
        return [float(x) for row in rows for x in row] + [float(x) for x in ranges]

    def same(a: Any, b: Any) -> bool:  # same PBE in the same order: paths, continua, numbers within 1e-9
        return len(a) == len(b) and all(
            x.on_path == y.on_path and x.is_continuum == y.is_continuum
            and all(abs(p - q) <= 1e-9 for p, q in zip(numbers(x), numbers(y))) for x, y in zip(a, b))

    start = time.perf_counter()
    alone = [pbe_solve(g) for g in games]  # one at a time, the same games: the batch's ratio
    one_by_one = time.perf_counter() - start
    return seconds, (sum(same(r, a) for a, r in zip(alone, results)), one_by_one)


def _small(shape: tuple[int, int, int]) -> bool:
    n_t, n_m, n_a = shape
    return bool(n_m ** n_t * n_a ** n_m <= 64)


def _harsanyi_check(game: Any, result: Any) -> tuple[int, int] | None:
    """How many representative points are Nash equilibria of the Harsanyi form (nashpy, exact)."""
    try:
        import nashpy
        import numpy as np
    except ImportError:
        return None
    from intelgame.games import behaviour_to_mixed, harsanyi_form

    h = harsanyi_form(game)
    nf = nashpy.Game(np.array(h.row_payoffs, dtype=object), np.array(h.column_payoffs, dtype=object))
    ok = 0
    for e in result:
        x = np.array(behaviour_to_mixed(e.sender), dtype=object)
        y = np.array(behaviour_to_mixed(e.receiver), dtype=object)
        ok += nf.is_best_response(x, y) == (True, True)
    return ok, len(result)


def task_gambit(shape: tuple[int, int, int], seed: int) -> tuple[float, Any]:
    import pygambit as gbt

    game = random_game(*shape, seed)
    tree, sender_sets, receiver_sets = gambit_tree(game)
    start = time.perf_counter()
    result = gbt.nash.enumpoly_solve(tree)
    seconds = time.perf_counter() - start
    profiles = []
    for eq in result.equilibria:
        sender = [[float(eq[action]) for action in infoset.actions] for infoset in sender_sets]
        receiver = [[float(eq[action]) for action in infoset.actions] for infoset in receiver_sets]
        profiles.append({"sender": sender, "receiver": receiver})
    return seconds, profiles


def task_nashpy(shape: tuple[int, int, int], seed: int) -> tuple[float, Any]:
    import warnings

    import nashpy
    import numpy as np

    from intelgame.games import harsanyi_form

    h = harsanyi_form(random_game(*shape, seed))
    a = np.array([[float(v) for v in row] for row in h.row_payoffs])
    b = np.array([[float(v) for v in row] for row in h.column_payoffs])
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        count = sum(1 for _ in nashpy.Game(a, b).vertex_enumeration())
    return time.perf_counter() - start, count


TASKS: dict[str, Callable[..., tuple[float, Any]]] = {"intelgame": task_intelgame, "gambit": task_gambit,
                                                      "nashpy": task_nashpy, "intelgame_batch": task_intelgame_batch}


def _worker(connection: Any) -> None:
    while True:
        message = connection.recv()
        if message is None:
            return
        name, args = message
        try:
            connection.send(("ok", TASKS[name](*args)))
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            connection.send(("error", f"{type(exc).__name__}: {exc}"))


class Worker:
    """One solver process; a task that overruns its timeout kills it (a new one starts)."""

    def __init__(self) -> None:
        self.context = mp.get_context("spawn")
        self.process: Any = None
        self.connection: Any = None

    def _start(self) -> None:
        parent, child = self.context.Pipe()
        self.process = self.context.Process(target=_worker, args=(child,), daemon=True)
        self.process.start()
        self.connection = parent

    def run(self, name: str, args: tuple[Any, ...], timeout: float) -> tuple[str, Any]:
        if self.process is None or not self.process.is_alive():
            self._start()
        self.connection.send((name, args))
        if self.connection.poll(timeout):
            status, payload = self.connection.recv()
            return str(status), payload
        self.process.kill()
        self.process.join()
        self.process = None
        return "timeout", None

    def close(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.connection.send(None)
            self.process.join(5)


# -- agreement -----------------------------------------------------------------------------------

def _supports(rows: list[list[float]]) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(p > SUPPORT for p in row) for row in rows)


def is_pbe(game: Any, profile: dict[str, Any]) -> bool:
    """Whether a Nash equilibrium of the tree is a PBE: each off-path message's reply support is
    optimal at some belief (on-path replies of a Nash equilibrium are already sequentially
    rational, and so are the sender's choices)."""
    from intelgame.geometry.faces import arithmetic_for
    from intelgame.solvers.pbe.belief_cells import BeliefCells

    cells = BeliefCells(game, arithmetic_for(exact=True))
    everyone = tuple(range(len(game.types)))
    for m in range(len(game.messages)):
        if any(profile["sender"][t][m] > SUPPORT and game.prior[t] > 0 for t in everyone):
            continue
        support = tuple(a for a, p in enumerate(profile["receiver"][m]) if p > SUPPORT)
        if not cells.has_cell(m, everyone, support, False):
            return False
    return True


def among(profile: dict[str, Any], equilibria: list[dict[str, Any]]) -> bool:
    """Whether ``profile`` is one of ``equilibria``: same supports, within the ranges."""
    for e in equilibria:
        if _supports(profile["sender"]) != _supports(e["sender"]) or _supports(profile["receiver"]) != _supports(e["receiver"]):
            continue
        inside = all(lo - SUPPORT <= p <= hi + SUPPORT
                     for key in ("sender", "receiver")
                     for row, ranges in zip(profile[key], e[key + "_range"])
                     for p, (lo, hi) in zip(row, ranges))
        if inside:
            return True
    return False


# -- the benchmark -----------------------------------------------------------------------------------

def parse_sizes(text: str) -> list[tuple[int, int, int]]:
    sizes = []
    for item in text.split(","):
        parts = [int(p) for p in item.strip().lower().split("x")]
        if len(parts) == 1:
            parts *= 3
        if len(parts) != 3 or min(parts) < 1:
            raise SystemExit(f"bad size {item!r}: expected n or TxMxA with positive integers")
        sizes.append((parts[0], parts[1], parts[2]))
    return sizes


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.system()}"


def peers() -> dict[str, str | None]:
    """Version of each optional peer, or None when it is not installed."""
    found: dict[str, str | None] = {}
    for name in ("pygambit", "nashpy"):
        try:
            module = __import__(name)
            found[name] = getattr(module, "__version__", "?")
        except ImportError:
            found[name] = None
    return found


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def bench(sizes: list[tuple[int, int, int]], games: int, timeout: float, gambit_timeout: float,
          use: dict[str, bool], log: Any, batch: int = 0) -> list[dict[str, Any]]:
    worker = Worker()
    rows = []
    try:
        for shape in sizes:
            label = "x".join(map(str, shape))
            stats: dict[str, Any] = {"size": label, "games": games, "float": [], "exact": [], "ratio": [],
                                     "gambit": [], "gambit_timeouts": 0, "speedup": [], "nashpy": [],
                                     "nashpy_timeouts": 0, "intelgame_timeouts": 0, "gambit_eqs": 0,
                                     "gambit_pbe": 0, "matched": 0, "float_exact_agree": 0, "pbe": [],
                                     "harsanyi": [0, 0], "errors": [], "batch": None}
            if batch:
                status_b, out_b = worker.run("intelgame_batch", (shape, batch), timeout * batch)
                if status_b == "ok":
                    equal, one_by_one = out_b[1]
                    stats["batch"] = (out_b[0] / batch, equal, batch, one_by_one / out_b[0])
                    print(f"{label}: batched {batch} games in {out_b[0]:.2f} s, {out_b[0] / batch * 1e3:.3f} ms/game, "
                          f"{equal}/{batch} equal to pbe_solve, one at a time {one_by_one:.2f} s "
                          f"({one_by_one / out_b[0]:.1f}x the batch's time)", file=log, flush=True)
                else:
                    stats["errors"].append(f"batched {label}: {status_b} {out_b}")
            for seed in range(games):
                game = random_game(*shape, seed)
                status_f, out_f = worker.run("intelgame", (shape, seed, False), timeout)
                status_e, out_e = worker.run("intelgame", (shape, seed, True), timeout)
                line = f"{label} #{seed}:"
                if status_f == "ok":
                    stats["float"].append(out_f[0])
                    stats["pbe"].append(len(out_f[1]["equilibria"]))
                    line += f" float {out_f[0] * 1e3:.1f} ms ({len(out_f[1]['equilibria'])} PBE)"
                else:
                    stats["intelgame_timeouts"] += status_f == "timeout"
                    line += f" float {status_f}"
                    if status_f == "error":
                        stats["errors"].append(out_f)
                if status_e == "ok":
                    stats["exact"].append(out_e[0])
                    line += f", exact {out_e[0] * 1e3:.1f} ms"
                    if out_e[1]["harsanyi_ok"] is not None:
                        stats["harsanyi"][0] += out_e[1]["harsanyi_ok"][0]
                        stats["harsanyi"][1] += out_e[1]["harsanyi_ok"][1]
                    if status_f == "ok":
                        stats["ratio"].append(out_e[0] / out_f[0])
                        stats["float_exact_agree"] += len(out_e[1]["equilibria"]) == len(out_f[1]["equilibria"])
                else:
                    stats["intelgame_timeouts"] += status_e == "timeout"
                    line += f", exact {status_e}"
                    if status_e == "error":
                        stats["errors"].append(out_e)
                if use["pygambit"]:
                    status_g, out_g = worker.run("gambit", (shape, seed), gambit_timeout)
                    if status_g == "ok":
                        seconds, profiles = out_g
                        stats["gambit"].append(seconds)
                        if status_f == "ok":
                            stats["speedup"].append(seconds / out_f[0])
                            pbe = [p for p in profiles if is_pbe(game, p)]
                            matched = sum(among(p, out_f[1]["equilibria"]) for p in pbe)
                            stats["gambit_eqs"] += len(profiles)
                            stats["gambit_pbe"] += len(pbe)
                            stats["matched"] += matched
                            line += f", gambit {seconds * 1e3:.1f} ms ({len(profiles)} NE, {len(pbe)} PBE, {matched} found)"
                    else:
                        stats["gambit_timeouts"] += status_g == "timeout"
                        line += f", gambit {status_g}"
                        if status_g == "error":
                            stats["errors"].append(out_g)
                if use["nashpy"] and _small(shape):
                    status_n, out_n = worker.run("nashpy", (shape, seed), gambit_timeout)
                    if status_n == "ok":
                        stats["nashpy"].append(out_n[0])
                        line += f", nashpy {out_n[0] * 1e3:.1f} ms"
                    else:
                        stats["nashpy_timeouts"] += status_n == "timeout"
                        line += f", nashpy {status_n}"
                print(line, file=log, flush=True)
            rows.append(stats)
    finally:
        worker.close()
    return rows


def table(rows: list[dict[str, Any]], use: dict[str, bool]) -> list[list[str]]:
    def ms(v: float | None) -> str:
        return "-" if v is None else (f"{v * 1e3:.2f}" if v < 0.1 else f"{v * 1e3:.0f}")

    def x(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f}x"

    header = ["size", "games", "PBE/game", "float ms", "exact ms", "exact/float", "batched ms/game (=)",
              "one-at-a-time/batched", "gambit ms", "gambit/float", "gambit/batched", "gambit timeouts", "gambit PBE found", "nashpy ms",
              "float=exact", "Harsanyi NE"]
    out = [header]
    for s in rows:
        out.append([
            s["size"], str(s["games"]), f"{statistics.median(s['pbe']):.0f}" if s["pbe"] else "-",
            ms(median(s["float"])) + (f" ({s['intelgame_timeouts']} t/o)" if s["intelgame_timeouts"] else ""),
            ms(median(s["exact"])), x(median(s["ratio"])),
            f"{ms(s['batch'][0])} ({s['batch'][1]}/{s['batch'][2]})" if s["batch"] else "-",
            x(s["batch"][3]) if s["batch"] else "-",
            ms(median(s["gambit"])) if use["pygambit"] else "n/a", x(median(s["speedup"])) if use["pygambit"] else "n/a",
            (x(median(s["gambit"]) / s["batch"][0]) if s["batch"] and s["gambit"] else "-") if use["pygambit"] else "n/a",
            f"{s['gambit_timeouts']}/{s['games']}" if use["pygambit"] else "n/a",
            f"{s['matched']}/{s['gambit_pbe']} (of {s['gambit_eqs']} NE)" if use["pygambit"] else "n/a",
            ms(median(s["nashpy"])) + (f" ({s['nashpy_timeouts']} t/o)" if s["nashpy_timeouts"] else "") if use["nashpy"] else "n/a",
            f"{s['float_exact_agree']}/{len(s['ratio'])}",
            f"{s['harsanyi'][0]}/{s['harsanyi'][1]}" if s["harsanyi"][1] else "-",
        ])
    return out


def print_table(cells: list[list[str]]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
        for k, row in enumerate(cells):
            print(" | ".join(c.rjust(w) for c, w in zip(row, widths)))
            if k == 0:
                print("-+-".join("-" * w for w in widths))
        return
    t = Table(title="All PBE of random signalling games (medians over games)")
    for name in cells[0]:
        t.add_column(name, justify="right")
    for row in cells[1:]:
        t.add_row(*row)
    Console(width=max(160, Console().width)).print(t)


def markdown(cells: list[list[str]]) -> str:
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cells[0])]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=None,
                        help="comma-separated |T|x|M|x|A| (a bare n means nxnxn); default 2x2x2,2x2x3,3x3x3,4x4x4 "
                             "(2x2x2 with --quick)")
    parser.add_argument("--games", type=int, default=10, help="seeded random games per size (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=300, help="per-game cap for intelgame, seconds (default %(default)s)")
    parser.add_argument("--gambit-timeout", type=float, default=60,
                        help="per-game cap for pygambit and nashpy, seconds (default %(default)s)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 3 games per size, 10 s peer timeouts, 2x2x2 unless --sizes")
    parser.add_argument("--no-gambit", action="store_true", help="skip pygambit")
    parser.add_argument("--no-nashpy", action="store_true", help="skip nashpy")
    parser.add_argument("--batch", type=int, default=1000,
                        help="games per size solved at once by pbe_solve_many (0: skip; default %(default)s, "
                             "100 with --quick)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args(argv)
    if args.quick:
        args.games, args.gambit_timeout, args.batch = min(args.games, 3), min(args.gambit_timeout, 10), min(args.batch, 100)
    if args.sizes is None:
        args.sizes = "2x2x2" if args.quick else "2x2x2,2x2x3,3x3x3,4x4x4"
    available = peers()
    use = {"pygambit": available["pygambit"] is not None and not args.no_gambit,
           "nashpy": available["nashpy"] is not None and not args.no_nashpy}
    print(f"machine: {machine()}")
    print(f"date: {datetime.date.today().isoformat()}")
    for name, version in available.items():
        print(f"peer {name}: " + (version if version else f"missing (pip install {name}); its columns are n/a"))
    rows = bench(parse_sizes(args.sizes), args.games, args.timeout, args.gambit_timeout, use, sys.stdout, args.batch)
    cells = table(rows, use)
    print_table(cells)
    if args.markdown:
        print(markdown(cells))
    errors = [e for s in rows for e in s["errors"]]
    for e in errors:
        print("error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A fingerprint of ``pbe_solve``'s whole output on a fixed set of seeded games, to show that a
change of the solver's speed leaves every answer unchanged (same PBE, same order, same
representative points and ranges, same off-path belief sets).

    python benchmarks/pbe_fingerprint.py            # one hash per family and a total
    python benchmarks/pbe_fingerprint.py --quick    # without the 4x4x4 games

Families: the random games of ``random_games.py`` (payoffs 0..4, ``random.Random(1)``) of
shape 2x2x2, 3x3x3 and 4x4x4; degenerate games with payoffs in {-1, 0, 1} (ties everywhere);
cheap-talk games (payoffs independent of the message); the games of ``bench_pbe.py``
(payoffs -3..3) of shape 3x3x3 and 4x4x4; each by the float and the exact path.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from random_games import random_game  # noqa: E402

from intelgame.games import SignallingGame  # noqa: E402
from intelgame.solvers.pbe.enumeration import pbe_solve  # noqa: E402


def draw_game(rng: random.Random, shape: tuple[int, int, int], values: range, cheap_talk: bool,
              name: str) -> SignallingGame:
    """A game of ``shape`` with payoffs drawn from ``values`` (the same for every message if
    ``cheap_talk``) and a random prior with positive entries."""
    n_t, n_m, n_a = shape
    types, messages, actions = ([f"{p}{i}" for i in range(n)] for p, n in (("t", n_t), ("m", n_m), ("a", n_a)))
    weights = [rng.randint(1, 3) for _ in types]
    prior = [Fraction(w, sum(weights)) for w in weights]
    payoffs = {}
    for t in types:
        base = {a: (rng.choice(values), rng.choice(values)) for a in actions}
        payoffs[t] = {m: (dict(base) if cheap_talk else {a: (rng.choice(values), rng.choice(values)) for a in actions})
                      for m in messages}
    return SignallingGame.from_payoffs(name=name, types=types, messages=messages, actions=actions,
                                       prior=prior, payoffs=payoffs)


def families(quick: bool) -> dict[str, list[SignallingGame]]:
    out: dict[str, list[SignallingGame]] = {}
    for shape, count in (((2, 2, 2), 20), ((3, 3, 3), 5), ((4, 4, 4), 2)):
        if quick and shape[0] == 4:
            continue
        rng = random.Random(1)
        out["random %dx%dx%d" % shape] = [random_game(rng, shape) for _ in range(count)]
    from bench_pbe import random_game as bench_game  # payoffs -3..3: thirds after normalising
    out["bench 3x3x3"] = [bench_game(3, 3, 3, seed) for seed in range(5)]
    if not quick:
        out["bench 4x4x4"] = [bench_game(4, 4, 4, 1)]
    rng = random.Random(2)
    out["degenerate"] = [draw_game(rng, shape, range(-1, 2), False, "degenerate")
                         for shape in [(2, 2, 2)] * 6 + [(2, 3, 2), (3, 2, 3), (2, 3, 3), (3, 3, 2)] + [(3, 3, 3)] * 4]
    rng = random.Random(3)
    out["cheap talk"] = [draw_game(rng, shape, range(0, 3), True, "cheap talk")
                         for shape in [(2, 2, 2)] * 3 + [(3, 3, 3)] * 3 + [(2, 3, 3), (3, 2, 2)]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 4x4x4 games")
    parser.add_argument("--float-only", action="store_true", help="skip the exact path")
    args = parser.parse_args()
    total = hashlib.sha256()
    for name, games in families(args.quick).items():
        for exact in (False,) if args.float_only else (False, True):
            if exact and name == "random 4x4x4":
                games = games[:1]
            digest = hashlib.sha256()
            start = time.perf_counter()
            count = 0
            for game in games:
                result = pbe_solve(game, exact=exact)
                digest.update(repr((result.method, result.equilibria)).encode())
                count += len(result.equilibria)
            total.update(digest.digest())
            print(f"{name:15} {'exact' if exact else 'float'}: {len(games):2} games {count:5} PBE "
                  f"{digest.hexdigest()[:16]} ({time.perf_counter() - start:.1f} s)", flush=True)
    print("total", total.hexdigest()[:16])


if __name__ == "__main__":
    main()

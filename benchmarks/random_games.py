"""Time ``pbe_solve`` on seeded random signalling games with integer payoffs 0..4 and a uniform
prior (the games of the single-game table in ``benchmarks/README.md``).

    python benchmarks/random_games.py 3x3x3 5          # float path, ms per game (best of 3)
    python benchmarks/random_games.py 3x3x3 5 --exact  # exact path
"""

from __future__ import annotations

import argparse
import random
import time
from fractions import Fraction

from intelgame.games import SignallingGame
from intelgame.solvers.pbe.enumeration import pbe_solve


def random_game(rng: random.Random, shape: tuple[int, int, int]) -> SignallingGame:
    """A game of ``shape`` (types, messages, actions) with payoffs drawn from 0..4."""
    n_t, n_m, n_a = shape
    types, messages, actions = ([f"{p}{i}" for i in range(n)] for p, n in (("t", n_t), ("m", n_m), ("a", n_a)))
    payoffs = {t: {m: {a: (rng.randint(0, 4), rng.randint(0, 4)) for a in actions} for m in messages} for t in types}
    return SignallingGame.from_payoffs(name="random", types=types, messages=messages, actions=actions,
                                       prior=[Fraction(1, n_t)] * n_t, payoffs=payoffs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shape", help="TxMxA, e.g. 3x3x3")
    parser.add_argument("games", type=int)
    parser.add_argument("--exact", action="store_true")
    args = parser.parse_args()
    shape = tuple(int(x) for x in args.shape.split("x"))
    rng = random.Random(1)  # the seed the README's table used
    games = [random_game(rng, shape) for _ in range(args.games)]  # type: ignore[arg-type]
    best, found = float("inf"), 0
    for _ in range(3):
        start = time.perf_counter()
        found = sum(len(pbe_solve(g, exact=args.exact)) for g in games)
        best = min(best, time.perf_counter() - start)
    print(f"{args.shape} {'exact' if args.exact else 'float'}: {best / len(games) * 1e3:.2f} ms/game, {found} PBE")


if __name__ == "__main__":
    main()

"""The md5 of every PBE ``pbe_solve_many`` returns on seeded random games (those of
``benchmarks/random_games.py``: integer payoffs 0..4, uniform prior, ``random.Random(1)``): a
change to the batched solver that must not change its answers keeps this digest.

    python benchmarks/batch_fingerprint.py 2x2x2 1000     # prints one md5 (and the PBE count)
    python benchmarks/batch_fingerprint.py 3x3x3 50 --per-game   # the same games, one at a time
"""

from __future__ import annotations

import argparse
import hashlib
import random

from random_games import random_game

from intelgame.solvers.pbe.batch import pbe_solve_many
from intelgame.solvers.pbe.enumeration import pbe_solve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shape", help="TxMxA, e.g. 2x2x2")
    parser.add_argument("games", type=int)
    parser.add_argument("--per-game", action="store_true", help="pbe_solve game by game instead")
    args = parser.parse_args()
    shape = tuple(int(x) for x in args.shape.split("x"))
    rng = random.Random(1)
    games = [random_game(rng, shape) for _ in range(args.games)]  # type: ignore[arg-type]
    results = [pbe_solve(g) for g in games] if args.per_game else pbe_solve_many(games)
    digest = hashlib.md5()
    for result in results:
        digest.update(repr(result.equilibria).encode())
        digest.update(b"\n")
    print(f"{args.shape} x {args.games}: {sum(map(len, results))} PBE, md5 {digest.hexdigest()}")


if __name__ == "__main__":
    main()

"""The batched solver serves every shape with the per-game solver's answer (issue #17): same PBE,
same order, same representative points (within float rounding), on random games of several
shapes (degenerate payoffs in {-1, 0, 1} included), cheap talk, three types with a prior of 1/3
(input gaps the floats cannot tell from ties, decided exactly), and the catalog models over
small grids (the sweep's path, :func:`pbe_table_many`); every returned PBE passes the verifier."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from games_for_tests import same
from intelgame.analysis.verify import verify_pbe
from intelgame.games import SignallingGame
from intelgame.games.grid import build_game_grid, build_point
from intelgame.solvers.pbe import batch as pbe_batch
from intelgame.solvers.pbe.batch import pbe_solve_many, pbe_table_many
from intelgame.solvers.pbe.batch_enumeration import BatchEnumerator
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.table import EquilibriumTable
from intelgame.spec import load_spec

MODELS = Path(__file__).resolve().parents[1] / "models"


def random_game(rng: random.Random, shape: tuple[int, int, int], values: list[int],
                prior: list[Fraction] | None = None, cheap_talk: bool = False) -> SignallingGame:
    """Payoffs drawn from ``values``; with ``cheap_talk`` they do not depend on the message."""
    n_t, n_m, n_a = shape
    types, messages, actions = ([f"{p}{i}" for i in range(n)] for p, n in (("t", n_t), ("m", n_m), ("a", n_a)))
    base = {t: {a: (rng.choice(values), rng.choice(values)) for a in actions} for t in types}
    payoffs = {t: {m: {a: base[t][a] if cheap_talk else (rng.choice(values), rng.choice(values)) for a in actions}
                   for m in messages} for t in types}
    return SignallingGame.from_payoffs(name="random", types=types, messages=messages, actions=actions,
                                       prior=prior or [Fraction(1, n_t)] * n_t, payoffs=payoffs)


def check(games: list[SignallingGame]) -> list[int]:
    """Batched equals per-game, game by game, and every batched PBE is verified; the PBE counts."""
    counts = []
    for game, result in zip(games, pbe_solve_many(games)):
        assert result.game is game
        reference = pbe_solve(game)
        assert same(result.equilibria, reference.equilibria)
        assert result.method == reference.method
        for equilibrium in result:
            assert verify_pbe(game, equilibrium.sender, equilibrium.receiver, equilibrium.beliefs, tolerance=1e-7).ok
        counts.append(len(result))
    return counts


@pytest.mark.parametrize("shape", [(2, 2, 3), (3, 2, 2), (2, 3, 2), (3, 3, 3)])
@pytest.mark.parametrize("values", [[-1, 0, 1], list(range(-3, 4)), list(range(-1000, 1001))])
def test_every_shape_batched_equals_per_game(shape: tuple[int, int, int], values: list[int]) -> None:
    """Payoffs in {-1, 0, 1} make almost every game degenerate (ties, continua, dependent rows);
    -1000..1000 generic; uneven priors on half the games."""
    rng = random.Random(f"shapes-{shape}-{len(values)}")
    count = 6 if shape == (3, 3, 3) else 16
    priors = [None, [Fraction(k + 1, shape[0] * (shape[0] + 1) // 2) for k in range(shape[0])]]
    games = [random_game(rng, shape, values, priors[k % 2]) for k in range(count)]
    assert sum(check(games)) > 0


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3), (2, 3, 2), (3, 2, 3)])
def test_cheap_talk_batched_equals_per_game(shape: tuple[int, int, int]) -> None:
    """Payoffs that ignore the message: every equilibrium has many relabellings and continua."""
    rng = random.Random(f"talk-{shape}")
    games = [random_game(rng, shape, [-1, 0, 1, 2], cheap_talk=True) for _ in range(4)]
    assert min(check(games)) > 1


def test_three_types_at_a_third_are_batched() -> None:
    """A prior of 1/3 makes sums of prior-weighted receiver gaps round to 1e-17 instead of 0: the
    batch decides those games exactly (:meth:`BatchEnumerator.tie_checks`) and keeps them, where
    it used to hand them all to the per-game path; a true near tie (a prior 1e-15 off a tie) is
    still handed over, and solved exactly there."""
    rng = random.Random("third")
    games = [random_game(rng, (3, 3, 3), [0, 1, 2, 3, 4]) for _ in range(20)]
    batch = BatchEnumerator(pbe_batch._arrays(games))
    assert batch.tie_checks().any() and not batch.doubtful().any()
    check(games)
    near = Fraction(1, 10**15)
    tied = random_game(rng, (3, 2, 2), [0, 1, 2], prior=[Fraction(1, 3), Fraction(1, 3) + near, Fraction(1, 3) - near])
    tied = SignallingGame.from_payoffs(
        name="near tie", types=list(tied.types), messages=list(tied.messages), actions=list(tied.actions),
        prior=list(tied.prior),
        payoffs={t: {m: {a: (1, [1, 0, 0][k] if a == "a0" else [0, 1, 1][k]) for a in tied.actions}
                     for m in tied.messages} for k, t in enumerate(tied.types)})
    result = pbe_solve_many([tied])[0]
    assert "exact" in result.method
    check([tied])


CATALOG = [("intelligence_market.yaml", "c", ["0", "1/4", "1/2", "3/4", "1"]),
           ("intelligence_three_levels.yaml", "c", ["0", "0.3", "1/2", "1"]),
           ("crawford_sobel_discrete.yaml", "b", ["0", "1/4", "3/4", "1.1"]),
           ("beer_quiche.yaml", None, []), ("spence_job_market.yaml", "p_high", ["1/4", "1/2", "0.9"]),
           ("audience_costs.yaml", "p", ["0.1", "1/3", "0.8"]), ("reassurance.yaml", None, []),
           ("taepodong_1998.yaml", None, [])]


@pytest.mark.parametrize("model, name, values", CATALOG, ids=[m for m, _, _ in CATALOG])
def test_catalog_grid_table_equals_per_game(model: str, name: str | None, values: list[str]) -> None:
    """The sweep's path (``pbe_table_many`` on the grid's float arrays) equals ``pbe_solve`` on
    the exact game of each point, row by row, and every row is verified."""
    spec = load_spec(MODELS / model)
    if name is None:
        name, values = next(iter(spec.parameters)), [next(iter(spec.parameters.values())).source]
    points = [(v,) for v in values]
    grid = build_game_grid(spec, {}, [name], points)

    def exact(k: int) -> SignallingGame:
        return build_point(spec, {}, [name], points[k])

    table = pbe_table_many((grid.sender, grid.prior, grid.receiver), exact)
    results = [pbe_solve(exact(k)) for k in range(len(points))]
    shape = grid.sender.shape[1:]
    expected = EquilibriumTable.from_pbe([k for k, r in enumerate(results) for _ in r], [e for r in results for e in r],
                                         shape)  # type: ignore[arg-type]
    assert len(table) == len(expected) > 0
    assert np.array_equal(table.point, expected.point)
    for field in ("sender", "receiver", "beliefs", "sender_payoffs", "receiver_payoff", "sender_range",
                  "receiver_range"):
        assert np.allclose(getattr(table, field), getattr(expected, field), rtol=0, atol=1e-9), field
    assert np.array_equal(table.on_path, expected.on_path)
    for k, sender, receiver, beliefs in zip(table.point.tolist(), table.sender.tolist(), table.receiver.tolist(),
                                            table.beliefs.tolist()):
        assert verify_pbe(exact(k), sender, receiver, beliefs, tolerance=1e-7).ok


def test_scalar_oracle_path_equals_vertex_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stacks too large for vertex enumeration (:data:`~intelgame.geometry.vertices.SCALAR_FROM`)
    are decided system by system by the scalar oracle: forced on every stack, the batch still
    equals the per-game solver."""
    from intelgame.geometry import vertices

    monkeypatch.setattr(vertices, "SCALAR_FROM", 0)
    rng = random.Random("scalar")
    check([random_game(rng, (2, 2, 3), [-1, 0, 1, 2]) for _ in range(8)])
    check([random_game(rng, (3, 3, 3), [0, 1, 2, 3, 4]) for _ in range(2)])


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 2, 3), (3, 3, 3)])
def test_best_reply_sets_equal_the_belief_cells(shape: tuple[int, int, int]) -> None:
    """``best_reply_sets`` (the batch's strict cells, closed under subsets of types) gives
    :meth:`BeliefCells.best_replies` of each game for every message and set of types, on
    degenerate games (payoffs in {-1, 0, 1}: ties everywhere, empty and whole cells); the games
    it leaves undecided have no sets."""
    from intelgame.geometry.faces import FloatArithmetic
    from intelgame.solvers.pbe.belief_cells import BeliefCells
    rng = random.Random(f"replies-{shape}")
    games = [random_game(rng, shape, [-1, 0, 1]) for _ in range(40)]
    arrays = pbe_batch._arrays(games)
    sets, decided = pbe_batch.best_reply_sets(arrays)
    n_t, n_m, n_a = shape
    assert decided.sum() >= 30
    assert not sets[~decided].any()
    for k in np.flatnonzero(decided).tolist():
        cells = BeliefCells(games[k], FloatArithmetic())
        for m in range(n_m):
            for mask in range(1, 1 << n_t):
                support = tuple(t for t in range(n_t) if mask >> t & 1)
                assert np.flatnonzero(sets[k, m, mask]).tolist() == list(cells.best_replies(m, support))

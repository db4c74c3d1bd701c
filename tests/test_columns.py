"""The sweep's vectorised analysis (``analysis.columns``, ``sweep._analyse_chunk``) gives what
the per-equilibrium analyses give: the same classification and labels, metrics within 1e-12,
the same rows and dominant equilibrium per point, on grids of the models and on random games
(zero-prior types, degenerate payoffs and continua included)."""

from __future__ import annotations

import math
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intelgame import sweep
from intelgame.analysis.classify import classify
from intelgame.analysis.columns import CLASSIFICATIONS, METRICS, analyse_columns, on_path_play_column
from intelgame.analysis.quality import Interpretation, assess
from intelgame.analysis.refinements import intuitive_column, intuitive_criteria
from intelgame.analysis.on_path_play import on_path_plays
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.batch import best_reply_sets, pbe_solve_many, pbe_table_many
from intelgame.solvers.pbe.table import EquilibriumTable
from intelgame.spec import load_spec

MODELS = Path(__file__).resolve().parents[1] / "models"


def _same(a: Any, b: Any) -> bool:
    """Equal cells: numbers within 1e-12 (``0`` and ``0.0`` alike), anything else equal."""
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-12
    return type(a) is type(b) and a == b


def _random_game(seed: int, shape: tuple[int, int, int], zero_prior: bool) -> SignallingGame:
    rng = random.Random(seed)
    n_t, n_m, n_a = shape
    weights = [rng.randint(0 if zero_prior else 1, 3) for _ in range(n_t)]
    if not any(weights):
        weights[0] = 1
    prior = [Fraction(w, sum(weights)) for w in weights]

    def cells() -> tuple[Any, ...]:
        return tuple(tuple(tuple(rng.randint(-2, 2) for _ in range(n_a)) for _ in range(n_m)) for _ in range(n_t))

    return SignallingGame(name="g", types=tuple(f"t{i}" for i in range(n_t)), messages=tuple(f"m{i}" for i in range(n_m)),
                          actions=tuple(f"a{i}" for i in range(n_a)), prior=tuple(prior),
                          sender_payoffs=cells(), receiver_payoffs=cells())


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), shape=st.sampled_from([(2, 2, 2), (2, 3, 2), (3, 2, 2), (2, 2, 3)]),
       zero_prior=st.booleans(), alarm=st.sampled_from([None, 0, 1]), interpreted=st.booleans())
def test_columns_equal_classify_and_assess(seed: int, shape: tuple[int, int, int], zero_prior: bool,
                                           alarm: int | None, interpreted: bool) -> None:
    game = _random_game(seed, shape, zero_prior)
    rng = random.Random(seed + 1)
    n_t, n_m, n_a = shape
    interpretation = None
    if interpreted:
        interpretation = Interpretation(tuple(rng.randrange(n_m) for _ in range(n_t)),
                                        tuple(rng.randrange(n_a) for _ in range(n_t)), alarm, "alarm")
    result = pbe_solve(game)  # float path
    if not len(result):
        return
    prior = np.array([[float(p) for p in game.prior]])
    us = np.array([game.sender_payoffs], dtype=float)
    ur = np.array([game.receiver_payoffs], dtype=float)
    eqs = EquilibriumTable.from_pbe([0] * len(result), list(result), shape)
    columns = analyse_columns(prior, us, ur, eqs, interpretation, result.tolerance)
    for r, eq in enumerate(result):
        assert CLASSIFICATIONS[columns.classification[r]] == classify(game, eq, tolerance=result.tolerance)
        quality = assess(game, eq, interpretation, tolerance=result.tolerance)
        assert columns.labels[r] == quality.labels
        expected = quality.to_dict()
        for name in METRICS:
            want = math.nan if expected[name] is None else float(expected[name])
            assert _same(float(columns.metrics[name][r]), want), (name, columns.metrics[name][r], want)


def test_no_float_noise_in_the_value_of_reports(tmp_path: Path) -> None:
    """A value of the reports within the float tolerance of 0 is written 0.0 (it was +-4.4e-16
    at about one point in seven of the paper grid, e.g. c = 0, v = 0.02)."""
    import csv

    spec = load_spec(MODELS / "intelligence_market.yaml")
    summary = sweep.run_sweep(spec, [sweep.parse_grid("c=0:1:3"), sweep.parse_grid("v=0:0.2:21")], tmp_path)
    with summary.path.open(encoding="utf-8") as handle:
        values = [float(row["receiver_value_of_reports"]) for row in csv.DictReader(handle)]
    assert 0.0 in values
    assert not [x for x in values if 0 < abs(x) <= 1e-9]


@pytest.mark.parametrize("shape", [(2, 2, 2), (2, 3, 2)])
def test_intuitive_and_on_path_play_columns_equal_the_per_result_ones(shape: tuple[int, int, int]) -> None:
    """The table's Intuitive Criterion and on-path plays, row by row, equal
    ``intuitive_criteria`` and ``on_path_plays`` of each game's result, on random games with many
    off-path messages, continua and failures of the criterion."""
    rng = random.Random(f"refine-{shape}")
    games = [_random_game(rng.randrange(10**6), shape, zero_prior=False) for _ in range(150)]
    us = np.array([g.sender_payoffs for g in games], dtype=float)
    prior = np.array([[float(p) for p in g.prior] for g in games])
    ur = np.array([g.receiver_payoffs for g in games], dtype=float)
    table = pbe_table_many((us, prior, ur), games.__getitem__)
    results = pbe_solve_many(games)
    intuitive = intuitive_column(table, (us, prior, ur), games.__getitem__, 1e-9)
    play = on_path_play_column(table, 1e-9)
    assert intuitive.tolist() == [x for r in results for x in intuitive_criteria(r)]
    assert play.tolist() == [x for r in results for x in on_path_plays(r)]
    assert not intuitive.all() and play.max() > 0  # both decisions are exercised


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3)])
def test_intuitive_column_judges_the_batched_points_without_their_games(shape: tuple[int, int, int]) -> None:
    """Where the batch decides a point's best replies, the column judges its rows from the
    arrays: ``game(k)`` is asked only for the points the batch leaves, and the verdicts are
    those of ``intuitive_criteria`` on each game's result (payoffs in -2..2: ties, continua and
    failures of the criterion)."""
    rng = random.Random(f"refine-alone-{shape}")
    games = [_random_game(rng.randrange(10**6), shape, zero_prior=False) for _ in range(40 if shape[0] > 2 else 150)]
    us = np.array([g.sender_payoffs for g in games], dtype=float)
    prior = np.array([[float(p) for p in g.prior] for g in games])
    ur = np.array([g.receiver_payoffs for g in games], dtype=float)
    table = pbe_table_many((us, prior, ur), games.__getitem__)
    asked: list[int] = []

    def game(k: int) -> SignallingGame:
        asked.append(k)
        return games[k]

    intuitive = intuitive_column(table, (us, prior, ur), game, 1e-9)
    _, decided = best_reply_sets((us, prior, ur))
    assert not decided[asked].any() and decided.sum() >= len(games) // 2
    assert intuitive.tolist() == [x for r in pbe_solve_many(games) for x in intuitive_criteria(r)]
    assert not intuitive.all()

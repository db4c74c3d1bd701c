"""The work budget (issue #13): the size guard's estimate is a true lower bound of the work the
enumeration does (so a refusal before any work is never wrong), a solve given the work it
needs passes with the same answer, and a sweep has one budget for all its
points, checked before any work and while it runs, with nothing left on disk when it stops."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest
from test_hostile_input import run_cli

from intelgame.errors import WorkLimitExceeded
from intelgame.games import SignallingGame
from intelgame.spec import load_spec
from intelgame.sweep import parse_grid
from intelgame.sweep.chunk import ChunkRows, Task, solve_chunk
from intelgame.solvers.pbe.enumeration import minimum_work, pbe_solve, shape_work

ZERO_333 = """intelgame: 1
kind: signalling
name: zero
parameters: {p: 1/2}
types: {a: p, b: 1/3, c: 1/6 - p + 1/2}
messages: [x, y, z]
actions: [u, v, w]
payoffs: {sender: "0", receiver: "0"}
"""


def game(shape: tuple[int, int, int], rng: random.Random | None, values: int = 3) -> SignallingGame:
    """A game of ``shape`` with payoffs drawn from ``range(values)`` (all zero without ``rng``)."""
    n_t, n_m, n_a = shape
    types, messages, actions = ([f"{p}{i}" for i in range(n)] for p, n in (("t", n_t), ("m", n_m), ("a", n_a)))

    def draw() -> int:
        return 0 if rng is None else rng.randrange(values)

    return SignallingGame.from_payoffs(
        name="g", types=types, messages=messages, actions=actions, prior=[Fraction(1, n_t)] * n_t,
        payoffs={t: {m: {a: (draw(), draw()) for a in actions} for m in messages} for t in types})


SHAPES = [(1, 1, 1), (2, 2, 2), (1, 3, 2), (3, 2, 2), (2, 2, 3)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("exact", [False, True])
def test_the_size_guard_estimate_bounds_the_work_done(shape: tuple[int, int, int], exact: bool) -> None:
    """On random and all-zero games of each shape, the work done is at least
    :func:`minimum_work` (so the refusal below it, before any work, is never wrong), and a
    budget of exactly the work done passes with the same answer. (The work is counted as the
    budget counts it, steps included: the tableau entries alone fall below the estimate on some
    random games, whose belief cells are not all decided by linear systems.)"""
    rng = random.Random(hash(shape) + exact)
    for g in [game(shape, None), *(game(shape, rng) for _ in range(2))]:
        unbounded = pbe_solve(g, exact=exact, max_work=10**12)
        assert unbounded.work >= minimum_work(g) == shape_work(shape)
        within = pbe_solve(g, exact=exact, max_work=unbounded.work)
        assert within.equilibria == unbounded.equilibria and within.work == unbounded.work
        with pytest.raises(WorkLimitExceeded, match="needs at least"):
            pbe_solve(g, exact=exact, max_work=minimum_work(g) - 1)


@pytest.mark.parametrize("exact", [False, True])
def test_a_chunk_does_at_least_the_estimate_per_point(tmp_path: Path, exact: bool) -> None:
    """The sweep's check before work (points times :func:`shape_work`) bounds what its chunks do:
    on the batched 2x2x2 path (each point charged its estimate) and on a 3x3x3 model (per game
    when exact). (The all-zero 3x3x3 game has no end under an unbounded budget.)"""
    for name, grid in [("beer_quiche", "p=0:1:7"), ("intelligence_three_levels", "c=0:1:2")]:
        spec = load_spec(name)
        axes = (parse_grid(grid),)
        outcome = solve_chunk(Task(spec, axes, {}, exact, 1e-9, 0, len(axes[0]), "csv", max_work=10**12, work_before=0))  # type: ignore[arg-type]
        assert isinstance(outcome, ChunkRows)
        shape = (len(spec.types), len(spec.messages), len(spec.actions))  # type: ignore[union-attr]
        assert outcome.work >= len(axes[0]) * shape_work(shape) > 0


def test_a_sweep_over_its_budget_is_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err, _ = run_cli("sweep", "beer_quiche", "--grid", "p=0:1:100000", "--max-work", "1e6",
                                   "--out", str(out))
    assert code == 2 and stdout == "" and err.count("\n") == 1, err
    for fragment in ("beer-quiche (2x2x2): the sweep needs at least 1.62e+07 tableau entries",
                     "100,000 grid points, at least 162 each", "budget of 1e+06", "--max-work"):
        assert fragment in err, err
    assert not out.exists()


@pytest.mark.parametrize(("workers", "existing"), [("1", True), ("2", False)])
def test_a_sweep_that_passes_its_budget_stops_and_leaves_nothing(tmp_path: Path, workers: str,
                                                                  existing: bool) -> None:
    """An all-zero 3x3x3 game (every profile an equilibrium): accepted by the estimate, stopped
    while it runs, whatever the number of workers; no file, no temporary file, no new folder."""
    spec = tmp_path / "zero.yaml"
    spec.write_text(ZERO_333)
    out = tmp_path / "out"
    if existing:
        out.mkdir()
    code, stdout, err, _ = run_cli("sweep", str(spec), "--grid", "p=0.1:0.2:6", "--max-work", "1e6",
                                   "--workers", workers, "--out", str(out))
    assert code == 2 and stdout == "" and err.startswith("error: ") and err.count("\n") == 1, err
    assert "zero (3x3x3): the sweep passed its work budget of 1e+06" in err and "--max-work" in err, err
    assert (list(out.iterdir()) == []) if existing else not out.exists()


def test_a_batch_of_probes_is_stopped_by_the_derivation_budget() -> None:
    """The all-zero 3x3x3 game (every profile an equilibrium) probed at four points in one batch
    (``_Atlas.probe_many``): each game is charged its minimum work up front, the batch is stopped
    within what remains for each game and its count is charged, so the derivation's budget refuses
    it "at a numerical solve", as it refuses one game solved alone."""
    import sympy

    from intelgame.spec import parse_spec
    from intelgame.symbolic.atlas import _Atlas, _model
    from intelgame.symbolic.budget import budget

    model = _model(parse_spec(ZERO_333), None, None, None)
    p = model.symbols["p"]
    points = [{p: sympy.Rational(i, 10)} for i in range(1, 5)]
    for limit in (10**5, 10**6):
        with budget(limit, "zero") as spent:
            with pytest.raises(WorkLimitExceeded, match="at a numerical solve"):
                _Atlas(model).probe_many(points)
        assert spent.spent > limit >= 4 * shape_work((3, 3, 3))

"""The float path's input check of near ties (``tie_gap_blocks``) stays bounded: its two types'
minors are :math:`O(T^2 (MA)^4)` a game (3 x 10 x 10: 37 million), so they are reduced block by
block in bounded memory, whatever the number of games, and a budget refuses a shape whose check
alone passes it before the check (per game and batched). The memory bounds are checked in a
forked process with a capped address space, as ``test_hostile_battery.py`` does; nothing is timed.
"""

from __future__ import annotations

import dataclasses

import os
import random
import resource
from fractions import Fraction
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from intelgame.errors import Uncertain, WorkLimitExceeded
from intelgame.games import SignallingGame
from intelgame.geometry.faces import FILTER_BAND, FloatArithmetic
from intelgame.solvers.pbe import batch_enumeration, belief_cells
from intelgame.solvers.pbe.batch import pbe_solve_many
from intelgame.solvers.pbe.batch_enumeration import BatchEnumerator
from intelgame.solvers.pbe.belief_cells import INPUT_FLOOR, BeliefCells, gap_flags, tie_gap_blocks, tie_gap_count
from intelgame.solvers.pbe.enumeration import WorkBudget, pbe_solve, shape_work, upfront_work
from intelgame.spec import load_spec
from intelgame.sweep.grid import parse_grid
from intelgame.sweep.run import check_sweep

#: The address space a forked check may add to the test process's: the unbounded check took
#: 2.3 GB (one 3 x 10 x 10 game) and 1.5 GB (1000 4 x 4 x 4 games); the blocks need tens of MB.
HEADROOM = 512 << 20


def random_game(shape: tuple[int, int, int], seed: int = 1) -> SignallingGame:
    """A game of ``shape`` with integer payoffs 0..4 and a uniform prior."""
    rng = random.Random(seed)
    n_t, n_m, n_a = shape
    types, messages, actions = ([f"{p}{i}" for i in range(n)] for p, n in (("t", n_t), ("m", n_m), ("a", n_a)))
    payoffs = {t: {m: {a: (rng.randint(0, 4), rng.randint(0, 4)) for a in actions} for m in messages} for t in types}
    return SignallingGame.from_payoffs(name="random", types=types, messages=messages, actions=actions,
                                       prior=[Fraction(1, n_t)] * n_t, payoffs=payoffs)


def _arrays(n: int, shape: tuple[int, int, int], near: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    size = (n, *shape)
    us = rng.integers(0, 5, size).astype(float) + near * rng.integers(-1, 2, size)
    return us, rng.dirichlet(np.ones(shape[0]), n), rng.integers(0, 5, size).astype(float)


def _blocks(arrays: tuple[np.ndarray, np.ndarray, np.ndarray]) -> list[tuple[slice, np.ndarray, bool]]:
    us, prior, ur = arrays
    return list(tie_gap_blocks(prior, belief_cells.unit_sender(us)[0], belief_cells.unit_receiver(ur)[0]))


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3), (2, 4, 3), (4, 2, 2), (1, 3, 3), (3, 3, 1)])
@pytest.mark.parametrize("block", [200, 5000])
def test_blocks_are_bounded_and_count_the_gaps(monkeypatch: pytest.MonkeyPatch, shape: tuple[int, int, int],
                                               block: int) -> None:
    """Each block holds at most ``GAP_BLOCK`` values (when a game's widest part fits in it), a
    game's blocks hold ``tie_gap_count`` gaps, and the flags do not depend on the blocking."""
    arrays = _arrays(30, shape, near=1e-9)
    whole = gap_flags(iter(_blocks(arrays)), 30, INPUT_FLOOR, FILTER_BAND)
    monkeypatch.setattr(belief_cells, "GAP_BLOCK", block)
    blocks = _blocks(arrays)
    assert max(b.size for _, b, _ in blocks) <= block
    counts = np.zeros(30, dtype=int)
    for games, b, _ in blocks:
        counts[games] += b.shape[1]
    assert (counts == tie_gap_count(shape)).all()
    split = gap_flags(iter(blocks), 30, INPUT_FLOOR, FILTER_BAND)
    assert all((a == b).all() for a, b in zip(whole, split))
    assert whole[0].any()  # the payoffs' near ties (1e-9) are seen


def test_count_grows_as_the_fourth_power() -> None:
    """The counts the budgets weigh: 1,890 sender minors a 3 x 3 x 3 game, 37 million at 3 x 10
    x 10, more than the belief cells' work there (so the check decides the refusal)."""
    assert tie_gap_count((3, 10, 10)) > 37_000_000 > shape_work((3, 10, 10))
    assert upfront_work((3, 10, 10)) == tie_gap_count((3, 10, 10))
    assert upfront_work((3, 10, 10), exact=True) == shape_work((3, 10, 10))  # the exact path has no check
    assert upfront_work((3, 3, 3)) == shape_work((3, 3, 3))  # small shapes: refusals unchanged


CROSS = [
    (Fraction(3, 10**12), Fraction(3, 5), (((2, 0), (2, 2)), ((-1, 0), (-2, -2))), 10),
    (Fraction(1, 10**14), Fraction(2, 5), (((-2, 2), (1, 0)), ((-1, 0), (-2, -1))), 2),
    (Fraction(-3, 10**13), Fraction(2, 5), (((0, -2), (0, 2)), ((-2, 1), (2, 0))), 5),
    (Fraction(7, 10**14), Fraction(1, 5), (((2, 2), (-2, -2)), ((-2, -1), (2, 2))), 11)]


def _cross(e: Fraction, p: Fraction, ur: object) -> SignallingGame:
    return SignallingGame(name="cross", types=("t0", "t1"), messages=("m0", "m1"), actions=("a0", "a1"),
                          prior=(p, 1 - p), sender_payoffs=(((1, 0), (Fraction(1, 2), Fraction(-1, 2))),
                                                            ((2, 0), (Fraction(1, 2) + e, Fraction(-1, 2) + e))),
                          receiver_payoffs=ur)  # type: ignore[arg-type]


@pytest.mark.parametrize("e, p, ur, count", CROSS)
def test_minors_need_pairs_across_messages(e: Fraction, p: Fraction, ur: object, count: int) -> None:
    """Why no minor is dropped to bound the check: two types whose rho-lines (indifference
    between the messages) meet at rho(a0|m0) = e, every minor of pairs within a row far from 0
    and only one with a pair across the messages (``u(m1,a1) - u(m0,a1)`` against ``u(m1,a0) -
    u(m1,a1)``) of the order of ``e``. With the sender minors restricted to pairs within a row,
    both float paths were wrong on these (10 PBE for 13, 2 for 4, 5 for 6, 11 for 13; 108 of 300
    games of this family, seeded; 0 with every pair). The per-game path checks each of these
    games exactly (their receiver rows tie), minors included."""
    game = _cross(e, p, ur)
    assert len(pbe_solve(game, exact=True)) == count
    assert len(pbe_solve(game)) == count


@pytest.mark.parametrize("e, p, ur, count", CROSS)
def test_the_batch_sees_minors_above_their_rounding(e: Fraction, p: Fraction, ur: object, count: int) -> None:
    """The batch (a sweep's path) on the same games: each minor of the order of ``e`` is above
    its rounding bound (:data:`~intelgame.solvers.pbe.belief_cells.MINOR_NOISE`) and sends the
    game to the exact check; one under it would be read as zero (README, Limits)."""
    assert len(pbe_solve_many([_cross(e, p, ur)])[0]) == count


@pytest.mark.parametrize("offset", [0, 10])
@pytest.mark.parametrize("e", [Fraction(7, 10**14), Fraction(14, 10**14)])
def test_the_minors_bound_grows_linearly_with_an_offset(e: Fraction, offset: int) -> None:
    """The fourth CROSS game (11 PBE) with every sender payoff shifted by ``offset`` (the same
    equilibria). A float minor's rounding grows linearly with the offsets ``M/s`` (each
    difference's error, about ``u M``, times the other's size, at most ``s``): a bound
    quadratic in them, ``2^-47 (M_t/s_t)(M_s/s_s)`` (about 2.5e-13 at offset 10), read these
    minors as zero and the batch returned 13 PBE for 11 (found by review). At offset 100 the
    payoffs' own resolution (about 1.4e-14) is too close to ``e``."""
    game = _cross(e, Fraction(1, 5), (((2, 2), (-2, -2)), ((-2, -1), (2, 2))))
    game = dataclasses.replace(game, sender_payoffs=tuple(tuple(tuple(x + offset for x in row) for row in t)
                                                          for t in game.sender_payoffs))
    assert len(pbe_solve(game, exact=True)) == 11
    assert len(pbe_solve(game)) == 11
    assert len(pbe_solve_many([game])[0]) == 11


def _forbid(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the input check ran before the budget refused the shape")
    monkeypatch.setattr(belief_cells, "tie_gap_blocks", never)
    monkeypatch.setattr(batch_enumeration, "tie_gap_blocks", never)


def test_budget_refuses_before_the_check_per_game(monkeypatch: pytest.MonkeyPatch) -> None:
    game = random_game((3, 10, 10))
    _forbid(monkeypatch)
    with pytest.raises(WorkLimitExceeded, match="near ties"):
        pbe_solve(game, max_work=30_000_000)  # the CLI's default budget


def test_budget_refuses_before_the_check_batched(monkeypatch: pytest.MonkeyPatch) -> None:
    games = [random_game((2, 10, 10), seed) for seed in range(3)]
    _forbid(monkeypatch)
    with pytest.raises(WorkLimitExceeded):
        pbe_solve_many(games, budget=WorkBudget(10_000_000))


def _vm_size() -> int:
    status = Path(f"/proc/{os.getpid()}/status").read_text()
    return int(status.split("VmSize:")[1].split()[0]) * 1024


def _capped(run: Callable[[], None]) -> int:
    """``run()`` in a forked child limited to :data:`HEADROOM` more address space and 120 s of
    CPU (a guard, not a measurement); its exit status: 0 done, 3 out of memory, 4 another error."""
    limit = _vm_size() + HEADROOM
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 4
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            resource.setrlimit(resource.RLIMIT_CPU, (120, 120))
            run()
            status = 0
        except MemoryError:
            status = 3
        finally:
            os._exit(status)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc for the address space")
def test_one_large_game_is_checked_in_bounded_memory() -> None:
    """No budget: the 37 million gaps of a 3 x 10 x 10 game, floats and then exact integers (an
    integer game has ties), within the cap (the list of cell pairs alone once took GBs)."""
    game = random_game((3, 10, 10))

    def check() -> None:
        try:
            BeliefCells(game, FloatArithmetic())
        except Uncertain:
            pass

    assert _capped(check) == 0


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc for the address space")
def test_many_games_are_checked_in_bounded_memory() -> None:
    """No budget: 2000 4 x 4 x 4 games' 89 million gaps (up to a sweep chunk's size), reduced to
    flags within the cap."""
    arrays = _arrays(2000, (4, 4, 4))

    def check() -> None:
        BatchEnumerator(arrays)

    assert _capped(check) == 0


def test_a_sweep_is_refused_up_front_on_the_checks_work(tmp_path: Path) -> None:
    """A float sweep is refused before any work when its points times the batch's up-front
    charge (the input check: 12 million gaps a 2 x 10 x 10 game) pass the budget; an exact
    sweep, which has no such check, on the belief cells' work alone (found by review: the
    refusal counted the cells only, so the float sweep was stopped at its first chunk)."""
    path = tmp_path / "wide.yaml"
    path.write_text("intelgame: 1\nkind: signalling\nname: wide\nparameters: {a: 1/2}\ntypes: {x: a, y: 1 - a}\n"
                    "messages: [" + ", ".join(f"m{i}" for i in range(10)) + "]\nactions: ["
                    + ", ".join(f"b{i}" for i in range(10)) + "]\npayoffs: {sender: '0', receiver: '0'}\n")
    spec, axes = load_spec(path), [parse_grid("a=0.2:0.3:3")]
    assert 3 * shape_work((2, 10, 10)) < 10**7 < 3 * upfront_work((2, 10, 10))
    with pytest.raises(WorkLimitExceeded):
        check_sweep(spec, axes, {}, max_work=10**7)
    check_sweep(spec, axes, {}, max_work=10**7, exact=True)

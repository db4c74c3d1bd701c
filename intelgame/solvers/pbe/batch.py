"""Every PBE of many signalling games of one shape at once (the float path of a sweep).

The support enumeration of :mod:`intelgame.solvers.pbe.enumeration`, run once for a whole batch of games
with the same types, messages and actions (the points of a parameter grid, or seeded random
games): a support profile :math:`(S, B)` is a PBE of game :math:`k` iff

* after each on-path message :math:`m`, :math:`B_m` is optimal at a belief with support
  exactly :math:`K_m = \\{t : m \\in S_t\\}` (the strict belief cell; necessary, and cheap, so
  it prunes first),
* after each off-path message, the closed belief cell of :math:`B_m` is non-empty, and
* the :math:`\\rho`-face (pruned first by the per-game enumerator's interval test, each type
  alone) and the :math:`\\sigma`-face of the profile are non-empty (which is decided first is
  planned on cost, see :meth:`BatchEnumerator._profiles`)

with the linear systems of :mod:`intelgame.solvers.pbe.systems` (the layouts the per-game
enumerator uses, emitted as affine maps of the payoffs), stacked over the games and decided for
all of them at once by :func:`~intelgame.geometry.vertices.batch_faces`
(:class:`~intelgame.solvers.pbe.batch_enumeration.BatchEnumerator`). The games still alive
after each test are carried down the enumeration as an index array, so a profile costs numpy
calls only where it can still hold. The PBE are assembled as the scalar enumerator assembles them, vectorised over
all the profiles and games, and listed in the order of :func:`~intelgame.solvers.pbe.enumeration.pbe_solve`:
as one :class:`~intelgame.solvers.pbe.table.EquilibriumTable` (:func:`pbe_table_many`, a
sweep's path) or as ``PBE`` objects built from it (:func:`pbe_solve_many`).

Every shape is batched. Games with a zero-probability type or an entry that is not a finite
float are solved one by one by :func:`~intelgame.solvers.pbe.enumeration.pbe_solve`. The answer equals the per-game solver's (same
support profiles, same faces, and the same representative point of a continuum: the mean of
its lexicographic optimisers, see :mod:`intelgame.geometry.faces`).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import cast

import numpy as np

from intelgame.speed.collector import collector_paused
from intelgame.games.signalling import SignallingGame
from intelgame.errors import Uncertain
from intelgame.geometry.faces import FILTER_BAND, FLOAT_TOLERANCE, ZERO_FLOOR, FloatArithmetic
from intelgame.solvers.pbe.belief_cells import BeliefCells
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.pbe.enumeration import WorkBudget, pbe_solve, shape_work, upfront_work
from intelgame.solvers.pbe.batch_enumeration import BatchEnumerator
from intelgame.solvers.pbe.table import EquilibriumTable

Support = tuple[int, ...]

#: Shapes beyond this one charge a budget for each candidate profile of the batched search;
#: 2x2x2 games cost microseconds each (the paper's 6161-point sweep solves in about 0.1 s), so
#: their up-front :func:`~intelgame.solvers.pbe.enumeration.shape_work` bounds them, whereas a
#: 3x3x3 candidate costs about a per-game search step (random 3x3x3 games: about 22 ms batched,
#: 36 ms one at a time, for about 110 candidates, in CPU time, benchmarks/README.md).
COUNTED_FROM = (2, 2, 2)


def pbe_solve_many(games: Sequence[SignallingGame], *,
                   arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
                   budget: WorkBudget | None = None) -> list[PBEResult]:
    """All PBE of each game (float path), as ``[pbe_solve(g) for g in games]`` would give them,
    batching the games of one shape (see the module docstring). A game for which one of the
    batch's float decisions is uncertain (:func:`~intelgame.geometry.faces.grey`) is solved
    by :func:`~intelgame.solvers.pbe.enumeration.pbe_solve` instead, which falls back to exact arithmetic.

    ``arrays``, if given, are the games' ``(u_S (N, T, M, A), prior (N, T), u_R (N, T, M, A))``
    as floats, all games being of that shape (a sweep's grid has them; saves converting the
    games' tuples back). A ``budget`` is charged as :func:`pbe_table_many` charges it, and the
    games not batched are solved by its :meth:`~intelgame.solvers.pbe.enumeration.WorkBudget.solve`.

    >>> from intelgame.games import SignallingGame
    >>> def game(x):
    ...     return SignallingGame.from_payoffs(name="g", types=["a", "b"], messages=["x", "y"],
    ...         actions=["l", "r"], prior=[0.5, 0.5],
    ...         payoffs={"a": {"x": {"l": (1, 1), "r": (0, 0)}, "y": {"l": (x, 1), "r": (0, 0)}},
    ...                  "b": {"x": {"l": (0, 0), "r": (1, 1)}, "y": {"l": (0, 0), "r": (1, 1)}}})
    >>> [len(r) for r in pbe_solve_many([game(0.5), game(2.0)])] == [len(pbe_solve(game(x))) for x in (0.5, 2.0)]
    True
    """
    results: list[PBEResult | None] = [None] * len(games)
    shapes: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    solve = pbe_solve if budget is None else budget.solve
    for k, game in enumerate(games):
        if game.is_rational:  # float entries: pbe_solve reads them as decimals
            shapes[game.shape].append(k)
        else:
            results[k] = solve(game)
    if arrays is not None and any(shape != arrays[0].shape[1:] for shape in shapes):
        raise ValueError(f"arrays of shape {arrays[0].shape[1:]} given for games of shapes {sorted(shapes)}")
    for shape, candidates in shapes.items():
        if arrays is None:
            stacked = _arrays([games[k] for k in candidates])
        else:
            stacked = (arrays[0][candidates], arrays[1][candidates], arrays[2][candidates])
        ok = _batchable(stacked)
        for k in np.asarray(candidates)[~ok].tolist():
            results[k] = solve(games[k])
        members = np.asarray(candidates)[ok].tolist()
        if members:
            charge = _charged(shape, budget, len(members))  # before the batch's input check
            batch = BatchEnumerator((stacked[0][ok], stacked[1][ok], stacked[2][ok]))
            batch.charge = charge
            with collector_paused():
                solved = batch.run()
                doubtful = _doubtful(batch, games.__getitem__, members)
                for k, equilibria, doubt in zip(members, solved, doubtful.tolist()):
                    results[k] = solve(games[k]) if doubt else PBEResult(
                        games[k], tuple(equilibria), "support_enumeration", False, FLOAT_TOLERANCE)
    return [r for r in results if r is not None]


def pbe_table_many(arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
                   game: Callable[[int], SignallingGame], *, budget: WorkBudget | None = None) -> EquilibriumTable:
    """All PBE of the games ``arrays = (u_S (N, T, M, A), prior (N, T), u_R (N, T, M, A))`` as
    one table (``point`` the game's index): the rows of ``pbe_solve_many``'s results, stacked,
    with no ``PBE`` object for the batched games. The games the batch does not take (see the
    module docstring), and those for which one of its float decisions is uncertain, are built
    by ``game(k)`` (which should be the exact game the arrays approximate, as a sweep's
    :func:`~intelgame.games.grid.build_point`) and solved by :func:`~intelgame.solvers.pbe.enumeration.pbe_solve`.
    A ``budget`` is charged with the work of each game solved alone and, for the games of the
    batch, with their :func:`~intelgame.solvers.pbe.enumeration.upfront_work` each up front (before
    the batch's input check, so a shape whose check passes the budget is refused before it) and,
    beyond :data:`COUNTED_FROM`, :data:`~intelgame.solvers.pbe.enumeration.STEP_WORK` a game
    for each candidate profile of the search (the batch's systems are not counted)."""
    shape = cast(tuple[int, int, int], arrays[0].shape[1:])
    ok = _batchable(arrays)
    tables = []
    members = np.flatnonzero(ok)
    if len(members):
        with collector_paused():
            charge = _charged(shape, budget, len(members))  # before the batch's input check
            batch = BatchEnumerator((arrays[0][ok], arrays[1][ok], arrays[2][ok]))
            batch.charge = charge
            batched = batch.table()
            doubtful = _doubtful(batch, game, members.tolist())
        keep = ~doubtful[batched.point]
        batched = batched.take(np.flatnonzero(keep)) if not keep.all() else batched
        tables.append(dataclasses.replace(batched, point=members[batched.point]))
        ok[members[doubtful]] = False
    solve = pbe_solve if budget is None else budget.solve
    alone = [(k, e) for k in np.flatnonzero(~ok).tolist() for e in solve(game(k))]
    if alone or not tables:
        tables.append(EquilibriumTable.from_pbe([k for k, _ in alone], [e for _, e in alone], shape))
    return EquilibriumTable.merge(tables)


def _charged(shape: tuple[int, int, int], budget: WorkBudget | None, games: int) -> Callable[[int], None] | None:
    """Charge ``budget`` (if any) the :func:`~intelgame.solvers.pbe.enumeration.upfront_work` of
    ``games`` games of ``shape`` up front (before the batch's input check, which it counts), and
    return what the batch should call for each candidate profile of its search: the budget's
    ``charge`` beyond :data:`COUNTED_FROM`, else ``None``."""
    if budget is None:
        return None
    budget.charge(games * upfront_work(shape))
    return budget.charge if shape_work(shape) > shape_work(COUNTED_FROM) else None


def best_reply_sets(arrays: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``(sets, decided)`` of the games ``arrays = (u_S, prior, u_R)`` (as
    :func:`pbe_table_many` takes them): ``sets`` (N, M, 2**T, A) bool, whether action ``a`` is a
    best reply after ``m`` to some belief on the types of bitmask ``K``
    (:meth:`BatchEnumerator.reply_sets`), decided in floats for all the games at once; ``decided``
    (N,) bool, the games whose sets are certain (batchable, every float decision outside the
    band and no input gap that only the exact game tells from a tie: the games
    :func:`pbe_table_many` solves in the batch without asking ``game``); the other games' sets
    are False."""
    us, prior, ur = arrays
    shape = us.shape[1:]
    sets = np.zeros((len(prior), shape[1], 1 << shape[0], shape[2]), dtype=bool)
    decided = _batchable(arrays)
    members = np.flatnonzero(decided)
    if len(members):
        with collector_paused():
            batch = BatchEnumerator((us[members], prior[members], ur[members]))
            sets[members] = batch.reply_sets()
            decided[members] = ~(batch.doubtful() | batch.tie_checks())
    sets[~decided] = False
    return sets, decided


def _doubtful(batch: BatchEnumerator, game: Callable[[int], SignallingGame], members: list[int]) -> np.ndarray:
    """(n,) bool: which games of ``batch`` (``members[i]`` the caller's index of its game ``i``,
    ``game(k)`` the exact game ``k``) must be solved on their own: those with an uncertain
    float decision, and those with an input gap the floats cannot tell from a tie
    (:meth:`BatchEnumerator.tie_checks`) that the exact game shows to be a near tie (the
    check of the per-game float path, :class:`~intelgame.solvers.pbe.belief_cells.BeliefCells`)."""
    doubtful = batch.doubtful()
    for i in np.flatnonzero(batch.tie_checks() & ~doubtful).tolist():
        try:
            BeliefCells(game(members[i]), FloatArithmetic())
        except Uncertain:
            doubtful[i] = True
    return doubtful


def _batchable(arrays: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """Which games the batch takes: every entry a finite float, every type's prior beyond the
    filter's band (a prior closer to 0 is decided by the per-game path, exactly if need be),
    and payoffs whose spreads are not lost in their offsets (the batch normalises them in floats,
    see :meth:`BatchEnumerator.__init__`, and the float rounding of an offset, divided by the spread, must
    stay below the filter's floor)."""
    us, prior, ur = arrays
    n = len(prior)
    finite = np.isfinite(us.reshape(n, -1)).all(axis=1) & np.isfinite(ur.reshape(n, -1)).all(axis=1)
    us, ur = np.nan_to_num(us), np.nan_to_num(ur)
    # the spreads the normalisation divides by (each type's; the receiver's largest row range)
    # against the magnitudes whose rounding they magnify: at most ZERO_FLOOR / 2**-48 apart, so
    # the rounding after normalisation stays 16 units in the last place below the floor
    sender_spread = us.max(axis=(2, 3)) - us.min(axis=(2, 3))  # (N, T)
    sender_ok = (sender_spread == 0) | (sender_spread * ZERO_FLOOR * 2.0 ** 48 >= np.abs(us).max(axis=(2, 3)))
    receiver_spread = (ur.max(axis=3) - ur.min(axis=3)).reshape(n, -1).max(axis=1, initial=0.0)
    receiver_ok = (receiver_spread == 0) | (receiver_spread * ZERO_FLOOR * 2.0 ** 48
                                            >= np.abs(ur).reshape(n, -1).max(axis=1, initial=0.0))
    return np.asarray(finite & sender_ok.all(axis=1) & receiver_ok & (prior > FILTER_BAND).all(axis=1))


def _arrays(games: Sequence[SignallingGame]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(u_S (N, T, M, A), prior (N, T), u_R (N, T, M, A))`` of games of one shape, as floats."""
    shape = (len(games), *games[0].shape)
    chain = itertools.chain.from_iterable

    def entries(field: str) -> np.ndarray:  # flattened in one pass (numpy.array on nested tuples is slower)
        return np.fromiter(chain(chain(chain(getattr(g, field) for g in games))), dtype=float,
                           count=math.prod(shape)).reshape(shape)

    return (entries("sender_payoffs"), np.fromiter(chain(g.prior for g in games), dtype=float,
                                                   count=shape[0] * shape[1]).reshape(shape[:2]),
            entries("receiver_payoffs"))

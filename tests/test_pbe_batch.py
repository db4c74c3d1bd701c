"""The batched PBE solver equals the per-game solver, game by game, value by value (within
float rounding)."""

from __future__ import annotations

import dataclasses
import itertools
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from games_for_tests import beer_quiche, same
from intelgame.speed.collector import collector_paused
from intelgame.analysis.verify import verify_pbe
from intelgame.errors import Uncertain
from intelgame.games import SignallingGame
from intelgame.geometry import vertices
from intelgame.solvers.pbe import batch as pbe_batch
from intelgame.speed.frozen import positional_constructor
from intelgame.solvers.pbe.payoff_intervals import game_ranks, meet_all
from intelgame.geometry.faces import ExactArithmetic, FloatArithmetic, LinearSystem
from intelgame.geometry.supports import subsets
from intelgame.geometry.vertices import batch_faces
from intelgame.solvers.pbe.result import PBE
from intelgame.solvers.pbe.enumeration import Enumerator, pbe_solve
from intelgame.solvers.pbe.batch_enumeration import BatchEnumerator
from intelgame.solvers.pbe.batch import pbe_solve_many, pbe_table_many
from intelgame.solvers.pbe.table import EquilibriumTable


def random_game(rng: random.Random, shape: tuple[int, int, int], low: int, high: int,
                prior: list[Fraction] | None = None) -> SignallingGame:
    n_t, n_m, n_a = shape
    types, messages, actions = ([f"{p}{i}" for i in range(n)] for p, n in (("t", n_t), ("m", n_m), ("a", n_a)))
    payoffs = {t: {m: {a: (rng.randint(low, high), rng.randint(low, high)) for a in actions} for m in messages}
               for t in types}
    return SignallingGame.from_payoffs(name="random", types=types, messages=messages, actions=actions,
                                       prior=prior or [Fraction(1, n_t)] * n_t, payoffs=payoffs)


@pytest.mark.parametrize("shape", [(2, 2, 2), (2, 2, 3), (3, 2, 2), (2, 3, 2), (1, 2, 2), (2, 1, 3)])
@pytest.mark.parametrize("payoffs", [(-3, 3), (-1000, 1000)])
def test_batch_equals_per_game_solver(shape: tuple[int, int, int], payoffs: tuple[int, int]) -> None:
    """Small integer payoffs make most games degenerate (ties, continua, dependent rows);
    wide ones make them generic. Equality is of the whole PBE values, floats included."""
    rng = random.Random(f"batch-{shape}-{payoffs}")
    games = [random_game(rng, shape, *payoffs) for _ in range(60 if shape == (2, 2, 2) else 20)]
    batched = pbe_solve_many(games)
    for game, result in zip(games, batched):
        assert result.game is game
        assert same(result.equilibria, pbe_solve(game).equilibria)
        for equilibrium in result:
            assert verify_pbe(game, equilibrium.sender, equilibrium.receiver, equilibrium.beliefs, tolerance=1e-7).ok


def test_batch_equals_per_game_solver_on_decimal_floats() -> None:
    """Payoffs with one decimal (0.1 is not a binary float: ties that hold only within the
    tolerance) and uneven float priors, as a grid of decimal parameters produces."""
    rng = random.Random("batch-decimal")
    games = []
    for _ in range(150):
        p = rng.choice([0.1, 0.3, 0.5, 0.7])
        payoffs = {t: {m: {a: (rng.randint(-10, 10) / 10, rng.randint(-10, 10) / 10) for a in ("l", "r")}
                       for m in ("x", "y")} for t in ("a", "b")}
        games.append(SignallingGame.from_payoffs(name="decimal", types=["a", "b"], messages=["x", "y"],
                                                 actions=["l", "r"], prior=[p, 1 - p], payoffs=payoffs))
    for game, result in zip(games, pbe_solve_many(games)):
        assert same(result.equilibria, pbe_solve(game).equilibria)
        for equilibrium in result:
            assert verify_pbe(game, equilibrium.sender, equilibrium.receiver, equilibrium.beliefs, tolerance=1e-7).ok


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-4, 4), min_size=16, max_size=16), st.integers(1, 3))
def test_batch_equals_per_game_solver_hypothesis(values: list[int], weight: int) -> None:
    payoffs = iter(values)
    names = ("a", "b")
    game = SignallingGame.from_payoffs(
        name="h", types=names, messages=("x", "y"), actions=("l", "r"),
        prior=[Fraction(weight, 4), Fraction(4 - weight, 4)],
        payoffs={t: {m: {a: (next(payoffs), next(payoffs)) for a in ("l", "r")} for m in ("x", "y")} for t in names})
    assert same(pbe_solve_many([game])[0].equilibria, pbe_solve(game).equilibria)


def test_mixed_batch_keeps_order_and_falls_back() -> None:
    """Games of several shapes, a zero-prior type and an over-large shape in one call."""
    rng = random.Random("mixed")
    games = [random_game(rng, (2, 2, 2), -3, 3), random_game(rng, (2, 2, 3), -3, 3),
             random_game(rng, (2, 2, 2), -3, 3, prior=[Fraction(0), Fraction(1)]),
             random_game(rng, (3, 3, 3), -3, 3), random_game(rng, (2, 2, 2), -3, 3)]
    results = pbe_solve_many(games)
    assert [r.game for r in results] == games
    for game, result in zip(games, results):
        assert same(result.equilibria, pbe_solve(game).equilibria)


@pytest.mark.parametrize("shared_receiver", [False, True])
def test_either_face_first_gives_the_same_pbe(shared_receiver: bool) -> None:
    """The plan (sigma-faces or rho-faces first) changes the work, not the answer: random
    games (a receiver class each: rho first by default) and games sharing a few receivers
    (sweep-like: sigma first by default), both orders forced, equal the per-game solver."""
    rng = random.Random(f"plans-{shared_receiver}")
    games = [random_game(rng, (2, 2, 2), -3, 3) for _ in range(80)]
    if shared_receiver:
        games = [dataclasses.replace(g, receiver_payoffs=games[k % 4].receiver_payoffs) for k, g in enumerate(games)]
    plans = {}
    for sigma_first in (True, False):
        batch = BatchEnumerator(pbe_batch._arrays(games))
        assert (2 * len(batch.representative) <= len(games)) == shared_receiver
        batch.sigma_first = sigma_first
        with collector_paused():
            plans[sigma_first] = batch.run()
        doubtful = batch.doubtful()  # these games are solved one by one, exactly if need be
    assert any(plans[True])
    for game, first, second, doubt in zip(games, plans[True], plans[False], doubtful.tolist()):
        if doubt:
            continue
        reference = pbe_solve(game).equilibria
        assert same(tuple(first), reference) and same(tuple(second), reference)
        for equilibrium in (*first, *second):
            assert verify_pbe(game, equilibrium.sender, equilibrium.receiver, equilibrium.beliefs, tolerance=1e-7).ok


def test_given_arrays_equal_the_games_own() -> None:
    """``arrays`` (the caller's float arrays of the games) give the same answer as the games'
    tuples, including a zero-prior type solved one by one; arrays of another shape are refused."""
    rng = random.Random("arrays")
    games = [random_game(rng, (2, 2, 2), -3, 3) for _ in range(30)]
    games.append(random_game(rng, (2, 2, 2), -3, 3, prior=[Fraction(0), Fraction(1)]))
    arrays = pbe_batch._arrays(games)
    assert [r.equilibria for r in pbe_solve_many(games, arrays=arrays)] == [r.equilibria for r in pbe_solve_many(games)]
    with pytest.raises(ValueError, match="shape"):
        pbe_solve_many(games, arrays=pbe_batch._arrays([random_game(rng, (2, 2, 3), -3, 3)]))


def test_batched_systems_are_the_per_game_systems() -> None:
    """The two emissions of each layout (:mod:`intelgame.solvers.pbe.systems`), matrices for the
    batch and rows for one game, give the same systems (both on the normalised payoffs, up to
    the rounding of the normalisation: exact then converted, or in floats)."""
    rng = random.Random("systems")
    games = [random_game(rng, (2, 3, 2), -5, 5) for _ in range(3)]
    batch = BatchEnumerator(pbe_batch._arrays(games))
    everyone = np.arange(len(games))
    for k, game in enumerate(games):
        enum = Enumerator(game, FloatArithmetic())
        enum.positive = [True] * 2
        for supports in [((0,), (1, 2)), ((0, 1), (0, 1, 2)), ((2,), (2,))]:
            on_path = sorted({m for s in supports for m in s})
            for replies in [((0,), (1,), (0, 1)), ((0, 1), (0, 1), (1,))]:
                on_replies = {m: replies[m] for m in on_path}
                for stacked, scalar in ((batch.sender_system(everyone, supports, on_replies),
                                         enum.sender_system(supports, on_replies)),
                                        (batch.receiver_system(everyone, supports, replies),
                                         enum.receiver_system(supports, replies))):
                    for part, rows in zip(stacked, (scalar.eq_rows, scalar.eq_rhs, scalar.ub_rows, scalar.ub_rhs)):
                        assert np.allclose(part[k], np.array(rows, dtype=float).reshape(part[k].shape),
                                           rtol=0, atol=1e-15)
        for m in range(3):
            for support in subsets(2):
                for actions in subsets(2):
                    cell = enum.system(m, support, actions)
                    eq, _, ub, _ = batch.cell_system(everyone, m, support, actions)
                    assert np.allclose(eq[k], np.array(cell.eq_rows).reshape(eq[k].shape), rtol=0, atol=1e-15)
                    assert np.allclose(ub[k], np.array(cell.ub_rows).reshape(ub[k].shape), rtol=0, atol=1e-15)


def test_candidates_are_the_per_game_enumerators() -> None:
    """The batch's depth-first search keeps, game by game, exactly the support profiles that
    pass the per-game enumerator's belief-cell and interval tests (on the same payoff ranks:
    tied payoffs share one), and a profile the per-game search keeps (after its pair test too)
    is always among them; a near tie (payoffs apart by less than the filter's band) makes both
    paths hand the game to exact arithmetic."""
    rng = random.Random("intervals")
    games = [random_game(rng, (2, 3, 2), -2, 2) for _ in range(40)]
    # ties, payoffs moved well beyond the band, and near ties within it
    games = [dataclasses.replace(g, sender_payoffs=tuple(tuple(tuple(
        x + rng.choice([0, 0, 0, 0, 1e-6, 0.4e-9] if k % 4 == 0 else [0, 0, 1e-6]) for x in cell)
        for cell in row) for row in g.sender_payoffs)) for k, g in enumerate(games)]
    batch = BatchEnumerator(pbe_batch._arrays(games))
    batch._ranks()
    batch.strict, batch.closed = batch._cells()
    kept: dict[int, set[tuple[object, ...]]] = {k: set() for k in range(len(games))}
    for supports, _, _, rho_jobs in batch._candidates():
        for replies, _, h in rho_jobs:
            for k in h.tolist():
                kept[k].add((supports, tuple(replies)))
    doubtful = batch.doubtful()
    checked = set()
    near = 0
    for k, game in enumerate(games):
        try:
            enum = Enumerator(game, FloatArithmetic())
        except Uncertain:
            assert doubtful[k]
            near += 1
            continue
        assert not doubtful[k]
        enum.positive = (True, True)
        enum._ranks = game_ranks(enum.us_flat, exact=False)
        assert sorted(set(enum._ranks)) == list(range(len(set(enum._ranks))))
        try:
            per_game = {(tuple(s), tuple(r)) for s, r in enum._candidates(None, 1)}
        except Uncertain:  # a pair test (which the batch does not run) the per-game floats cannot decide
            continue
        assert per_game <= kept[k]
        for supports in itertools.product(subsets(3), repeat=2):
            for replies in itertools.product(subsets(2), repeat=3):
                senders = [tuple(t for t in range(2) if m in supports[t]) for m in range(3)]
                cells = all(enum.has_cell(m, senders[m], replies[m], True) if senders[m]
                            else enum.has_cell(m, (0, 1), replies[m], False) for m in range(3))
                scalar = cells and all(meet_all([enum._constraints(t, m, replies[m])[0 if m in supports[t] else 1]
                                                 for m in range(3)]) is not None for t in range(2))
                assert ((supports, replies) in kept[k]) == scalar
                checked.add(scalar)
    assert checked == {True, False} and near > 0


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3), st.integers(0, 2), st.integers(0, 3), st.data())
def test_vertex_faces_agree_with_the_scalar_oracle(n: int, extra_eq: int, n_ub: int, data: st.DataObject) -> None:
    """Non-emptiness and ranges of random small polytopes (one block summing to one, random
    equalities and inequalities with small integer entries: often degenerate) agree, each
    system decided in a stack of two independent ones (so that equality rows that differ
    between the games stay in the square systems, as in a real batch)."""
    entries = st.integers(-2, 2).map(float)

    def draw() -> LinearSystem:
        eq = [(1.0,) * n] + [tuple(data.draw(st.lists(entries, min_size=n, max_size=n))) for _ in range(extra_eq)]
        eq_rhs = [1.0] + [data.draw(entries) / 4 for _ in range(extra_eq)]
        ub = [tuple(data.draw(st.lists(entries, min_size=n, max_size=n))) for _ in range(n_ub)]
        ub_rhs = [data.draw(entries) / 4 for _ in range(n_ub)]
        return LinearSystem(n, tuple(eq), tuple(eq_rhs), tuple(ub), tuple(ub_rhs))

    systems = [draw(), draw()]
    stack = (np.array([x.eq_rows for x in systems]), np.array([x.eq_rhs for x in systems]),
             np.array([x.ub_rows for x in systems]).reshape(2, n_ub, n),
             np.array([x.ub_rhs for x in systems]).reshape(2, n_ub))
    arithmetic, exact = FloatArithmetic(), ExactArithmetic()
    for strict in (True, False):
        faces = batch_faces(*stack, strict=strict)
        for row, system in enumerate(systems):
            rational = LinearSystem(n, *(tuple(tuple(map(Fraction, r)) if isinstance(r, tuple) else Fraction(r) for r in part)
                                         for part in (system.eq_rows, system.eq_rhs, system.ub_rows, system.ub_rhs)))
            truth = exact.open_face(rational) if strict else exact.closed_face(rational)
            if faces.uncertain[row]:
                continue  # the solver hands this game over; certain rows must be the exact answer
            assert bool(faces.ok[row]) == (truth is not None)
            if truth is not None:
                assert np.allclose(faces.lower[row], [float(v) for v in truth.lower], atol=1e-9)
                assert np.allclose(faces.upper[row], [float(v) for v in truth.upper], atol=1e-9)
            try:
                scalar = arithmetic.open_face(system) if strict else arithmetic.closed_face(system)
            except Uncertain:
                continue
            assert (scalar is not None) == (truth is not None)
            if scalar is not None:
                assert same(faces.reported(row), scalar)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 3), st.integers(0, 3), st.data())
def test_deduplicated_stack_equals_system_by_system(n: int, n_ub: int, data: st.DataObject) -> None:
    """A stack of many systems, most of them repeats (deduplicated before vertex enumeration),
    gives each system the face it gets alone (a stack of one, no deduplication), and so the
    scalar oracle's face."""
    entries = st.integers(-1, 1).map(float)
    distinct = [([[1.0] * n], [1.0], [data.draw(st.lists(entries, min_size=n, max_size=n)) for _ in range(n_ub)],
                 [data.draw(entries) / 2 for _ in range(n_ub)]) for _ in range(data.draw(st.integers(1, 4)))]
    picks = data.draw(st.lists(st.integers(0, len(distinct) - 1), min_size=vertices.DEDUPLICATE, max_size=80))
    stack = [np.array([distinct[k][i] for k in picks], dtype=float).reshape(len(picks), *shape)
             for i, shape in enumerate([(1, n), (1,), (n_ub, n), (n_ub,)])]
    arithmetic = FloatArithmetic()
    for strict in (True, False):
        faces = batch_faces(*stack, strict=strict)
        alone = []  # each distinct system in a stack of one, checked against the scalar oracle
        for eq, eq_rhs, ub, ub_rhs in distinct:
            face = batch_faces(np.array([eq]), np.array([eq_rhs]), np.array([ub]).reshape(1, n_ub, n),
                               np.array([ub_rhs]).reshape(1, n_ub), strict=strict)
            system = LinearSystem(n, (tuple(eq[0]),), tuple(eq_rhs), tuple(map(tuple, ub)), tuple(ub_rhs))
            scalar = arithmetic.open_face(system) if strict else arithmetic.closed_face(system)  # entries of -1, 0, 1, 1/2: no band
            assert not face.uncertain[0]
            assert bool(face.ok[0]) == (scalar is not None)
            if scalar is not None:
                assert same(face.reported(0), scalar)
            alone.append(face)
        for row, k in enumerate(picks):
            assert bool(faces.ok[row]) == bool(alone[k].ok[0])
            if alone[k].ok[0]:
                assert faces.reported(row) == alone[k].reported(0)


@pytest.mark.parametrize("colliding", [False, True])
@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, -0.0, 1.0, -1.5, 1e-300]), min_size=3, max_size=3),
                min_size=1, max_size=40))
def test_distinct_rows_groups_rows_equal_bit_for_bit(colliding: bool, rows: list[list[float]]) -> None:
    """``distinct_rows`` groups exactly the rows with equal bits (0.0 and -0.0 apart), also when
    every hash collides (all multipliers zero: the whole-row fallback)."""
    table = np.array(rows)
    if colliding:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(vertices, "_multipliers", lambda k: np.zeros(k, dtype=np.uint64))
            first, inverse = vertices.distinct_rows(table)
    else:
        first, inverse = vertices.distinct_rows(table)
    keys = [tuple(np.array(r).view(np.uint64).tolist()) for r in rows]
    assert len(first) == len(set(keys))
    for i, key in enumerate(keys):
        assert keys[first[inverse[i]]] == key


def test_row_hashes_separate_small_integer_rows() -> None:
    """Rows of small integers (whose float bits differ only in their high bits, like most
    payoff rows) get distinct hashes, so ``distinct_rows`` rarely needs its fallback."""
    table = np.array(list(itertools.product([-2.0, -1.0, 0.0, 1.0, 2.0, 0.5], repeat=5)))
    assert len(np.unique(vertices.row_hashes(table.view(np.uint64)))) == len(table)


def test_positional_constructor_builds_the_same_object() -> None:
    """The batch's fast ``PBE`` constructor gives an object equal to (and hashing as) the
    dataclass's own, of the same class, with every field set."""
    rng = random.Random("constructor")
    equilibrium = pbe_solve(random_game(rng, (2, 2, 2), -3, 3)).equilibria[0]
    values = [getattr(equilibrium, f.name) for f in dataclasses.fields(PBE)]
    fast, plain = positional_constructor(PBE)(*values), PBE(*values)
    assert type(fast) is PBE and fast == plain and hash(fast) == hash(plain)
    assert dataclasses.asdict(fast) == dataclasses.asdict(plain)


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collector_state_is_restored(enabled: bool) -> None:
    """The batch restores the caller's setting of the cyclic collector, also when it was off
    (it pauses it while it builds its results: :func:`test_collector_paused`)."""
    import gc

    rng = random.Random("gc")
    games = [random_game(rng, (2, 2, 2), -3, 3) for _ in range(3)]
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        pbe_solve_many(games)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_paused(enabled: bool) -> None:
    """``collector_paused`` turns the cyclic collector off inside its block and restores the
    previous setting after it, also when the block raises."""
    import gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), collector_paused():
            1 / 0
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("shape", [(2, 2, 2), (2, 3, 2)])
def test_table_is_the_stacked_pbe(shape: tuple[int, int, int]) -> None:
    """``pbe_table_many`` (the sweep's path: no ``PBE`` objects) gives ``pbe_solve_many``'s
    equilibria stacked, bit for bit, with games the batch does not take (a zero-prior type)
    built by the callback and solved alone; every row is a PBE by ``verify_pbe``."""
    rng = random.Random(f"table-{shape}")
    games = [random_game(rng, shape, -2, 2) for _ in range(50)]
    games[7] = random_game(rng, shape, -2, 2, prior=[Fraction(0), Fraction(1)])
    arrays = pbe_batch._arrays(games)
    built: list[int] = []

    def game(k: int) -> SignallingGame:
        built.append(k)
        return games[k]

    table = pbe_table_many(arrays, game)
    results = pbe_solve_many(games)
    expected = EquilibriumTable.from_pbe([k for k, r in enumerate(results) for _ in r], [e for r in results for e in r],
                                         shape)
    for field in dataclasses.fields(EquilibriumTable):
        assert np.array_equal(getattr(table, field.name), getattr(expected, field.name)), field.name
    assert np.array_equal(table.pure, [e.is_pure for r in results for e in r])
    assert np.array_equal(table.continuum, [e.is_continuum for r in results for e in r])
    assert table.continuum.any() and not table.pure.all()
    assert built == [7]  # every shape is batched
    for k, sender, receiver, beliefs in zip(table.point.tolist(), table.sender.tolist(), table.receiver.tolist(),
                                            table.beliefs.tolist()):
        assert verify_pbe(games[k], sender, receiver, beliefs, tolerance=1e-7).ok


def test_solve_many_charges_a_budget_as_the_table_does() -> None:
    """``pbe_solve_many(..., budget=)`` counts the work ``pbe_table_many`` counts (each game's
    shape work, and a search step per game for each candidate profile of a 3x3x3 batch), and
    is stopped by the budget it passes."""
    from intelgame.errors import WorkLimitExceeded
    from intelgame.solvers.pbe.enumeration import WorkBudget, shape_work
    rng = random.Random("budgeted-batch")
    games = [random_game(rng, (3, 3, 3), -3, 3) for _ in range(6)]
    listed, tabled = WorkBudget(10**12), WorkBudget(10**12)
    results = pbe_solve_many(games, budget=listed)
    pbe_table_many(pbe_batch._arrays(games), games.__getitem__, budget=tabled)
    assert listed.spent == tabled.spent > len(games) * shape_work((3, 3, 3))
    assert all(same(r.equilibria, pbe_solve(g).equilibria) for g, r in zip(games, results))
    with pytest.raises(WorkLimitExceeded, match="passed its work budget"):
        pbe_solve_many(games, budget=WorkBudget(listed.spent - 1))


def test_a_table_gives_its_rows_back_as_pbe() -> None:
    """``EquilibriumTable.to_pbe`` is the inverse of ``from_pbe`` on what the table holds: the
    same strategies, beliefs, ranges, payoffs and support profiles as ``pbe_solve``'s entries
    (the off-path belief sets, which the table does not hold, are unknown)."""
    games = [beer_quiche(), beer_quiche(Fraction(1, 2))]
    results = [pbe_solve(g) for g in games]
    entries = [e for r in results for e in r]
    table = EquilibriumTable.from_pbe([k for k, r in enumerate(results) for _ in r], entries, (2, 2, 2))
    back = table.to_pbe()
    assert len(back) == len(entries) > 2 and any(e.is_continuum for e in entries)
    for got, eq in zip(back, entries):
        assert got.offpath_beliefs == (None, None)
        for field in dataclasses.fields(eq):
            if field.name != "offpath_beliefs":
                assert getattr(got, field.name) == getattr(eq, field.name), field.name

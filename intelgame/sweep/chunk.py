"""One chunk of a sweep's points, solved and analysed where it runs (:func:`solve_chunk`).

In float mode the chunk's games are built as arrays
(:func:`~intelgame.games.grid.build_game_grid`), solved together into one table of equilibria
(:func:`~intelgame.solvers.pbe.batch.pbe_table_many`) and analysed column by column
(:func:`analyse_table`). In exact mode each game is built, solved
(:func:`~intelgame.solvers.pbe.enumeration.pbe_solve`) and analysed
(:func:`~intelgame.output.documents.analyse`) in rationals (:func:`analyse_results`). Both
analyses give the same :class:`~intelgame.sweep.cells.AnalysedRows`, from which the rows
(:func:`~intelgame.sweep.cells.code_rows`) and the dominant equilibria
(:func:`~intelgame.sweep.summary.dominant_equilibria`) are made by one definition. With
``Task.persuade`` each point also gets its commitment benchmark
(:func:`~intelgame.analysis.persuasion.compare` on the point's exact game; the cheap-talk
faces are the chunk's own equilibria: the float table's rows, or ``pbe_solve``'s in exact mode).

A sweep asked for refinements (``--refinements``, ``--refine``, ``--select``) also judges every
entry by every criterion on its whole face (exactly:
:func:`~intelgame.analysis.verdict_table.result_columns`, or
:func:`~intelgame.analysis.verdict_table.criteria_columns` on the float path), then keeps at each
point the survivors of ``--refine`` and of those the one ``--select`` picks
(:meth:`~intelgame.analysis.selection.Selector.kept`, as ``intelgame solve`` does).

With ``Task.outcomes`` the rows kept get the :data:`~intelgame.sweep.cells.OUTCOME_COLUMNS`:
each point's outcomes are decided on the exact faces of its rows
(:func:`~intelgame.analysis.outcomes.profile_outcomes` on the point's exact game, the faces
rebuilt from the rows' support profiles: ``pbe_solve``'s in exact mode, read off the float
table's ranges by :meth:`~intelgame.solvers.pbe.table.EquilibriumTable.support_profiles`
otherwise), so float and exact sweeps have the same columns. Each polytope whose vertices are
enumerated is charged to the sweep's work budget as a search step.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from intelgame.analysis.persuasion import Comparison, FaceRanges, compare
from intelgame.analysis.columns import (
    CLASSIFICATIONS,
    METRICS,
    analyse_columns,
    on_path_play_column,
)
from intelgame.analysis.quality import Interpretation
from intelgame.analysis.divinity import CRITERIA, Criterion
from intelgame.analysis.refinements import intuitive_column
from intelgame.analysis.selection import Rule, Selector, Values
from intelgame.analysis.rows import one_row, result_table
from intelgame.analysis.verdict_table import criteria_columns, intuitive_on_faces, kinds_on_faces, result_columns
from intelgame.errors import GameStructureError, IntelgameError, SolverError, SpecError
from intelgame.games.build import build_game
from intelgame.games.grid import (
    GameGrid,
    build_game_grid,
    build_point,
    grid_value_expression,
)
from intelgame.games.signalling import SignallingGame
from intelgame.analysis.on_path_play import on_path_plays
from intelgame.analysis.outcomes import profile_outcomes
from intelgame.output.documents import analyse
from intelgame.solvers.pbe.batch import pbe_table_many
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.pbe.enumeration import WorkBudget, pbe_solve
from intelgame.solvers.pbe.shape import PolytopeMemo, SupportProfile
from intelgame.solvers.pbe.table import EquilibriumTable
from intelgame.spec.expressions import Expression
from intelgame.spec.model import SignallingSpec
from intelgame.speed.collector import collector_paused
from intelgame.sweep.cells import (
    PERSUASION_COLUMNS,
    AnalysedRows,
    Format,
    code_rows,
    comparison_cells,
    strategy_width,
    sweep_columns,
)
from intelgame.sweep.grid import GridAxis, GridValue, describe_point, grid_points
from intelgame.sweep.summary import COMMITMENT_DTYPE, dominant_equilibria


@dataclass(frozen=True)
class Task:
    """A contiguous chunk ``[start, stop)`` of grid points to solve (picklable)."""

    spec: SignallingSpec
    axes: tuple[GridAxis, ...]
    overrides: dict[str, Expression]
    exact: bool
    tolerance: float
    start: int
    stop: int
    fmt: Format
    persuade: bool = False
    #: The sweep's work budget (tableau entries; ``None``: none) and the work the chunks before
    #: this one had done when it was cut (:class:`~intelgame.solvers.pbe.enumeration.WorkBudget`).
    max_work: int | None = None
    work_before: int = 0
    verdicts: bool = False  # the passes[...] columns (implied by a rule or a criterion)
    rule: Rule | None = None  # --select
    criterion: Criterion | None = None  # --refine
    outcomes: bool = False  # the outcome columns (--outcomes)

    @property
    def judged(self) -> bool:
        """Whether the equilibria are judged by every criterion."""
        return self.verdicts or self.rule is not None or self.criterion is not None


@dataclass(frozen=True)
class ChunkRows:
    """A chunk's rows, rendered in the output format (as the file holds them), their number,
    its points' dominant equilibria (:data:`~intelgame.sweep.summary.DOMINANT_DTYPE`) and the
    work it did (counted when the task has a budget)."""

    text: str
    rows: int
    dominant: np.ndarray
    commitment: np.ndarray | None = None
    work: int = 0


@dataclass(frozen=True)
class Failure:
    """An error at a grid point, carried back as data (``SpecError`` does not pickle)."""

    kind: str
    reason: str
    file: str
    line: int | None
    key: str | None

    def exception(self) -> IntelgameError:
        """The error to raise where the sweep was called."""
        if self.kind == "SpecError":
            return SpecError(self.reason, file=self.file, line=self.line, key=self.key)
        if self.kind == "GameStructureError":
            return GameStructureError(self.reason)
        return SolverError(self.reason)


def solve_chunk(task: Task) -> ChunkRows | Failure:
    """Solve and analyse the points of ``task`` and render their rows (module level, so that
    it pickles); see the module docstring."""
    spec = task.spec
    points = grid_points(task.axes, task.start, task.stop)
    names = [a.name for a in task.axes]
    shape = (len(spec.types), len(spec.messages), len(spec.actions))
    budget = None if task.max_work is None else WorkBudget(
        task.max_work, task.work_before, SimpleNamespace(name=spec.name, shape=shape), scope="the sweep")
    kept: np.ndarray | None = None  # the rows --refine/--select keep (None: all)
    if task.exact:
        games = _games_one_by_one(task, points)
        if isinstance(games, Failure):
            return games
        try:
            results = [pbe_solve(game, exact=True) if budget is None else budget.solve(game, exact=True)
                       for game in games]
        except IntelgameError as exc:
            return _chunk_failure(task, points, exc)
        rows = analyse_results(results, interpretation_indices(spec, games[0]), strategy_width(spec), task.judged)
        per_point = None
        if task.persuade:
            try:
                per_point = comparison_table([compare(game, exact=True, faces=result.equilibria) if len(result) else None
                                              for game, result in zip(games, results)], True)
            except IntelgameError as exc:
                return _chunk_failure(task, points, exc)
        if task.judged:
            equilibria = [eq for result in results for eq in result]
            sender_payoffs = np.empty((len(equilibria), len(spec.types)), dtype=object)  # exact numbers
            sender_payoffs[...] = [eq.sender_payoffs for eq in equilibria]
            passes: dict[Criterion, list[bool]] = {c: [] for c in CRITERIA}
            surviving: dict[Criterion, dict[int, Values]] = {c: {} for c in CRITERIA}
            for result in results:
                start = len(passes[CRITERIA[0]])
                judged, moved = result_columns(result)
                for c in CRITERIA:
                    passes[c] += judged[c]
                    surviving[c].update({start + i: values for i, values in moved[c].items()})
            rows, kept = _choose(task, rows, sender_payoffs, [eq.receiver_payoff for eq in equilibria],
                                 lambda k: results[k].game.prior,
                                 ({c: np.array(passes[c], dtype=bool) for c in CRITERIA}, surviving))
        if task.outcomes:
            profiles = [(eq.sender_support, eq.receiver_support, eq.on_path) for result in results for eq in result]
            try:
                rows = with_outcomes(rows, _kept(profiles, kept), lambda k: results[k].game, budget)
            except IntelgameError as exc:
                return _chunk_failure(task, points, exc)
    else:
        try:
            grid = build_game_grid(spec, task.overrides, names, points)
        except IntelgameError as exc:  # again point by point, to name the point that fails
            failure = _games_one_by_one(task, points)
            return failure if isinstance(failure, Failure) else _chunk_failure(task, points, exc)

        def exact_game(k: int) -> SignallingGame:
            """The exact game at point ``k`` (for the points the batch leaves to the per-game path)."""
            return build_point(spec, task.overrides, names, points[k])

        try:
            with collector_paused():
                table = pbe_table_many((grid.sender, grid.prior, grid.receiver), exact_game, budget=budget)
        except IntelgameError as exc:
            return _chunk_failure(task, points, exc)
        with collector_paused():
            rows = analyse_table(grid, table, interpretation_indices(spec, grid.game(0)), task.tolerance,
                                 exact_game, task.judged)
            if task.judged:
                rows, kept = _choose(task, rows, table.sender_payoffs, table.receiver_payoff.tolist(),
                                     lambda k: grid.prior[k].tolist(), criteria_columns(table, grid.sender, exact_game))
        if task.outcomes:
            try:
                rows = with_outcomes(rows, _kept(table.support_profiles(), kept), exact_game, budget)
            except IntelgameError as exc:
                return _chunk_failure(task, points, exc)
        per_point = None
        if task.persuade:
            try:
                per_point = comparison_table([compare(exact_game(k), faces=faces) if faces else None
                                              for k, faces in enumerate(table_faces(table, len(points)))], False)
            except IntelgameError as exc:
                return _chunk_failure(task, points, exc)
    columns = sweep_columns(spec, task.axes, persuade=task.persuade, verdicts=task.judged, outcomes=task.outcomes)
    with collector_paused():
        cells = code_rows(rows, task.axes, task.start, len(points), len(columns), task.exact, per_point)
        dominant = dominant_equilibria(rows.point, len(points), rows.label, rows.label_sets, rows.metrics)
        commitment = None if per_point is None else commitment_summary(per_point)
        work = 0 if budget is None else budget.spent - task.work_before
        return ChunkRows(cells.render(columns, task.fmt), len(cells.codes), dominant, commitment, work)


def table_faces(table: EquilibriumTable, points: int) -> list[list[FaceRanges]]:
    """The PBE faces of each of ``points`` points, read off the rows of ``table``."""
    faces: list[list[FaceRanges]] = [[] for _ in range(points)]
    for r, k in enumerate(table.point.tolist()):
        faces[k].append(FaceRanges(table.sender_range[r], table.receiver_range[r], table.on_path[r]))
    return faces


def comparison_table(comparisons: Sequence[Comparison | None], exact: bool) -> np.ndarray:
    """The :data:`~intelgame.sweep.cells.PERSUASION_COLUMNS` of each point (a row of ``None``
    where it has no equilibrium): objects in exact mode, else floats (``nan`` for ``None``)."""
    width = len(PERSUASION_COLUMNS)
    cells = [comparison_cells(c) if c is not None else [None] * width for c in comparisons]
    if exact:
        table = np.empty((len(cells), width), dtype=object)  # filled, not converted
        table[:] = cells
        return table
    return np.array([[math.nan if x is None else float(x) for x in row] for row in cells], dtype=float).reshape(-1, width)


def commitment_summary(per_point: np.ndarray) -> np.ndarray:
    """:data:`~intelgame.sweep.summary.COMMITMENT_DTYPE` of each point from its cells."""
    summary = np.zeros(len(per_point), dtype=COMMITMENT_DTYPE)
    for j, name in enumerate(PERSUASION_COLUMNS):
        summary[name] = [math.nan if x is None else float(x) for x in per_point[:, j].tolist()]
    return summary


def analyse_table(grid: GameGrid, eqs: EquilibriumTable, interpretation: Interpretation | None,
                  tolerance: float, exact_game: Callable[[int], SignallingGame], judged: bool = False) -> AnalysedRows:
    """The analysis of every row of ``eqs`` (the equilibria of the games of ``grid``) at once:
    classification, labels and metrics (:func:`~intelgame.analysis.columns.analyse_columns`; a
    continuum's classification, and the labels with it, read off its whole face by
    :func:`~intelgame.analysis.verdict_table.kinds_on_faces`),
    Intuitive Criterion (:func:`~intelgame.analysis.refinements.intuitive_column`, a continuum's
    read off its whole face by :func:`~intelgame.analysis.verdict_table.intuitive_on_faces`
    unless ``judged``: the sweep's refinements then replace it) and on-path plays
    (:func:`~intelgame.analysis.columns.on_path_play_column`)."""
    columns = analyse_columns(grid.prior, grid.sender, grid.receiver, eqs, interpretation, tolerance,
                              lambda kind, same: kinds_on_faces(eqs, kind, same, exact_game))
    intuitive = intuitive_column(eqs, (grid.sender, grid.prior, grid.receiver), exact_game, tolerance)
    if not judged:
        intuitive = intuitive_on_faces(eqs, intuitive, exact_game)
    on_path_play = on_path_play_column(eqs, tolerance)
    strategies = [a.reshape(len(a), math.prod(a.shape[1:])) for a in (eqs.sender, eqs.receiver)]
    numbers = np.concatenate([np.column_stack([columns.metrics[m] for m in METRICS]), *strategies], axis=1)
    return AnalysedRows(eqs.point, columns.classification, columns.label, columns.label_sets, intuitive,
                        eqs.pure, eqs.continuum, on_path_play, columns.metrics, numbers)


def analyse_results(results: Sequence[PBEResult], interpretation: Interpretation | None,
                    strategies: int, judged: bool = False) -> AnalysedRows:
    """The analysis of the equilibria of ``results`` (the ``k``-th is the chunk's point ``k``),
    each by :func:`~intelgame.analysis.columns.analyse_columns` and
    :func:`~intelgame.output.documents.analyse`, in the numbers of each result (rationals in
    exact mode); ``strategies`` strategy cells a row. A continuum's classification and labels
    are read off its whole face (:func:`~intelgame.analysis.verdict_table.kinds_on_faces`), and its
    Intuitive Criterion (:func:`~intelgame.analysis.verdict_table.intuitive_on_faces`) unless
    ``judged`` (the sweep's refinements then replace it)."""
    point, classification, label, intuitive, pure, continuum, on_path_play = ([] for _ in range(7))
    label_codes: dict[tuple[str, ...], int] = {}
    memo: PolytopeMemo = {}  # the points' polytopes, shared
    numbers: list[Any] = []
    metrics: dict[str, list[float]] = {name: [] for name in METRICS}
    for k, result in enumerate(results):
        if not len(result):
            continue
        game = result.game
        table = result_table(result)[0]
        analysed = analyse(result, interpretation)
        on_face = np.array([bool(i) for _, i, _ in analysed], dtype=bool)
        if not judged:
            on_face = intuitive_on_faces(table, on_face, lambda _: game)
        faces = analyse_columns(one_row(game.prior), one_row(game.sender_payoffs), one_row(game.receiver_payoffs),
                                table, interpretation, result.tolerance,
                                lambda kind, same: kinds_on_faces(table, kind, same, lambda _: game, memo))
        for (eq, _, quality), play, is_intuitive, kind, labels in zip(
                analysed, on_path_plays(result), on_face.tolist(), faces.classification.tolist(), faces.labels):
            values = quality.to_dict()
            point.append(k)
            classification.append(kind)
            label.append(label_codes.setdefault(labels, len(label_codes)))
            intuitive.append(is_intuitive)
            pure.append(eq.is_pure)
            continuum.append(eq.is_continuum)
            on_path_play.append(play)
            for name in METRICS:
                metrics[name].append(math.nan if values[name] is None else float(values[name]))
            numbers.extend(values[name] for name in METRICS)
            numbers.extend(p for strategy in (*eq.sender, *eq.receiver) for p in strategy)
    cells = np.empty(len(numbers), dtype=object)  # filled, not converted
    cells[:] = numbers
    return AnalysedRows(
        np.array(point, dtype=np.intp), np.array(classification, dtype=np.intp), np.array(label, dtype=np.intp),
        list(label_codes), np.array(intuitive, dtype=bool), np.array(pure, dtype=bool),
        np.array(continuum, dtype=bool), np.array(on_path_play, dtype=np.intp),
        {name: np.array(values, dtype=float) for name, values in metrics.items()},
        cells.reshape(len(point), len(METRICS) + strategies))


def _choose(task: Task, rows: AnalysedRows, sender_payoffs: np.ndarray, receiver_payoffs: Sequence[Any],
            prior: Callable[[int], Sequence[Any]],
            verdicts: tuple[dict[Criterion, np.ndarray], dict[Criterion, dict[int, Values]]]) -> tuple[AnalysedRows, np.ndarray | None]:
    """``rows`` with the verdicts ``passes`` (each criterion's, by row; ``verdicts`` holds them
    and, by criterion and row, the values at the surviving point of a continuum that passes on
    part of its face only), less those that ``task``'s criterion and rule do not keep at their
    point (:meth:`Selector.kept`): each point's equilibria are given by their sender payoffs
    (rows of ``sender_payoffs``), receiver payoffs, mutual information and verdicts, and the
    prior ``prior(point)``. Also which rows are kept (``None``: all)."""
    passes, surviving = verdicts
    rows = dataclasses.replace(rows, passes=passes, intuitive=passes["intuitive_criterion"])  # on the face, as the others
    if task.rule is None and task.criterion is None:
        return rows, None
    chooser = "receiver" if task.spec.stage is None else task.spec.stage.chooser
    information = rows.metrics["mutual_information_bits"].tolist()
    keep = np.zeros(len(rows.point), dtype=bool)
    starts = np.searchsorted(rows.point, np.arange(task.stop - task.start + 1))
    for k, (lo, hi) in enumerate(zip(starts[:-1].tolist(), starts[1:].tolist())):
        if lo == hi:
            continue
        selector = Selector.of_values(chooser, exact=task.exact, prior=prior(k),
                                      sender_payoffs=sender_payoffs[lo:hi].tolist(),
                                      receiver_payoffs=receiver_payoffs[lo:hi], information=information[lo:hi],
                                      survivors={c: passes[c][lo:hi].tolist() for c in CRITERIA},
                                      surviving={c: {r - lo: values for r, values in surviving[c].items() if lo <= r < hi}
                                                 for c in CRITERIA})
        keep[[lo + i for i in selector.kept(task.rule, task.criterion)]] = True
    return rows.take(keep), keep


def _kept(profiles: list[SupportProfile], keep: np.ndarray | None) -> list[SupportProfile]:
    return profiles if keep is None else [p for p, k in zip(profiles, keep.tolist()) if k]


def with_outcomes(rows: AnalysedRows, profiles: Sequence[SupportProfile], game: Callable[[int], SignallingGame],
                  budget: WorkBudget | None) -> AnalysedRows:
    """``rows`` with their :data:`~intelgame.sweep.cells.OUTCOME_COLUMNS`: at each point ``k``,
    :func:`~intelgame.analysis.outcomes.profile_outcomes` of its rows' support profiles
    (``profiles``, by row) in the exact game ``game(k)``, charged to ``budget`` (a point with
    one row has one outcome, 0, with no work)."""
    outcome = np.zeros(len(rows.point), dtype=np.intp)
    count = np.zeros(len(rows.point), dtype=np.intp)
    charge = None if budget is None else budget.charge
    memo: PolytopeMemo = {}  # the points' faces share many systems
    bounds = np.flatnonzero(np.diff(rows.point, prepend=-1, append=-1)).tolist()
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        # a point's one row is its one outcome: its exact game is not needed
        numbers = [0] if hi - lo == 1 else profile_outcomes(game(int(rows.point[lo])), profiles[lo:hi], charge, memo)
        outcome[lo:hi] = numbers
        count[lo:hi] = max(numbers) + 1
    return dataclasses.replace(rows, outcome=outcome, outcomes=count)


def interpretation_indices(spec: SignallingSpec, game: SignallingGame) -> Interpretation | None:
    """The spec's ``interpretation`` block as indices into ``game`` (any game of the spec)."""
    if spec.interpretation is None:
        return None
    return Interpretation.from_names(game, spec.interpretation.reports, spec.interpretation.correct_actions,
                                     spec.interpretation.alarm)


def _chunk_failure(task: Task, points: Sequence[tuple[GridValue, ...]], exc: IntelgameError) -> Failure:
    return Failure(type(exc).__name__, f"in the grid points {describe_point(task.axes, points[0])} to "
                   f"{describe_point(task.axes, points[-1])}: {exc}", task.spec.path, None, None)


def _games_one_by_one(task: Task, points: Sequence[tuple[GridValue, ...]]) -> list[SignallingGame] | Failure:
    """The games of ``points`` by :func:`~intelgame.games.build.build_game` (exact entries), or
    the first point's failure."""
    games = []
    for point in points:
        overrides = dict(task.overrides)
        overrides.update({a.name: grid_value_expression(a.name, v) for a, v in zip(task.axes, point)})
        try:
            game = build_game(task.spec, overrides)
        except SpecError as exc:
            return Failure("SpecError", f"at grid point {describe_point(task.axes, point)}: {exc.reason}",
                           exc.file, exc.line, exc.key)
        except IntelgameError as exc:
            return Failure(type(exc).__name__, f"at grid point {describe_point(task.axes, point)}: {exc}",
                           task.spec.path, None, None)
        assert isinstance(game, SignallingGame)
        games.append(game)
    return games

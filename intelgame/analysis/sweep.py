"""Parameter sweeps: every PBE of a signalling spec at every point of a grid, as one tidy file.

A *grid* is the cartesian product of one or more :class:`GridAxis` (a spec parameter and its
values, from ``--grid`` text: :func:`parse_grid`). :func:`run_sweep` builds the game at each
point (the grid values override the spec's parameters, and every parameter defined from them
is re-evaluated), solves it as :func:`~intelgame.solvers.pbe.enumeration.pbe_solve` would, analyses each
equilibrium as :func:`~intelgame.output.documents.analyse` would and writes one *tidy* row per
(point, equilibrium), or one row with an empty ``equilibrium`` and ``count`` 0 at a point
without any. In float mode a chunk's games are built as arrays, solved together into one
table of equilibria and analysed column by column (:func:`_analyse_table`, tested equal to the
point-by-point path, :func:`_analyse_point`, which exact sweeps take). Columns, in order:

* the grid parameters (one column each, in the order of the axes);
* ``equilibrium`` (1-based index at the point, as in ``intelgame solve``), ``count``
  (equilibria at the point), ``classification`` (separating / pooling / semi-separating),
  ``quality`` (the primary label: truthful / noisy / babbling, or fully / partially revealing
  without an ``interpretation`` block), ``labels`` (all labels joined by ``;``),
  ``intuitive_criterion``, ``pure``, ``continuum``, ``component`` (1-based; equilibria that
  differ only off the path share one);
* the metrics of :class:`~intelgame.analysis.quality.Quality`: ``mutual_information_bits``,
  ``false_report_probability``, ``match_probability``, ``mismatch_probability``,
  ``manipulation_probability``, ``sender_payoff``, ``receiver_payoff``,
  ``receiver_value_of_reports`` (empty where undefined);
* the strategies at the equilibrium's representative point: ``sigma[type][message]`` for every
  type and message, then ``rho[message][action]`` for every message and action.

Numbers are written by :func:`~intelgame.output.numbers.format_number` (fraction strings such
as ``1/3`` in exact mode, floats rounded to 12 significant digits otherwise); booleans as
``true``/``false``; a missing value as an empty CSV field or JSON ``null``.

Rows are streamed to a temporary file in ``out_dir`` and renamed to ``sweep.csv`` (or
``sweep.jsonl``) only once the sweep is complete, so an interrupted run never leaves a
half-written result, and memory does not grow with the number of rows. The grid is cut into
contiguous chunks of points that are solved serially, by a local process pool
(``workers > 1``) or by a Dask cluster (``scheduler``); the chunks are written in grid order,
so the three give byte-identical files.

Examples
--------
>>> parse_grid("c=0:1:5").values
(Fraction(0, 1), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(1, 1))
>>> parse_grid("v=0, 1/10, 0.2").values
(Fraction(0, 1), Fraction(1, 10), Fraction(1, 5))
"""

from __future__ import annotations

import collections
import contextlib
import importlib
import itertools
import json
import math
import multiprocessing
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from intelgame.speed.collector import collector_paused
from intelgame.analysis.classify import classify
from intelgame.analysis.columns import CLASSIFICATIONS, METRICS, Columns, analyse_columns, components_column
from intelgame.analysis.quality import Interpretation, Quality
from intelgame.analysis.refinements import intuitive_column
from intelgame.output.documents import analyse, components
from intelgame.errors import GameStructureError, IntelgameError, SolverError, SpecError
from intelgame.games.build import build_game
from intelgame.games.grid import GRID_FILE, GameGrid, build_game_grid, build_point, grid_value_expression
from intelgame.games.signalling import SignallingGame
from intelgame.output.files import atomic_file
from intelgame.output.numbers import float_texts, format_floats, format_number
from intelgame.geometry.faces import FLOAT_TOLERANCE
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.batch import pbe_table_many
from intelgame.solvers.pbe.table import EquilibriumTable
from intelgame.spec.expressions import Expression, parse_expression
from intelgame.spec.model import SignallingSpec, Spec

GridValue = Fraction | float
Format = Literal["csv", "jsonl"]
Cell = int | float | str | bool | None

#: The output formats of :func:`run_sweep`.
FORMATS: tuple[Format, ...] = ("csv", "jsonl")
#: The labels of :attr:`SweepSummary.dominant` ``["label"]``, by code: ``none`` where a point
#: has no equilibrium, then the primary quality labels of
#: :func:`~intelgame.analysis.quality.assess` (the last two when the spec has no
#: ``interpretation`` block).
DOMINANT_LABELS: tuple[str, ...] = ("none", "babbling", "noisy", "truthful", "partially revealing",
                                    "fully revealing")
#: Tie-break among equally informative equilibria (higher first): the label's rank.
_LABEL_RANK = {"truthful": 5, "fully revealing": 4, "noisy": 3, "partially revealing": 2, "babbling": 1}
#: Two mutual informations within this many bits count as equal when picking the dominant PBE.
INFORMATION_TOLERANCE = 1e-9
#: The fields of :attr:`SweepSummary.dominant`.
DOMINANT_DTYPE = np.dtype([
    ("label", np.int8), ("count", np.int32), ("mutual_information_bits", np.float64),
    ("false_report_probability", np.float64), ("manipulation_probability", np.float64),
    ("mismatch_probability", np.float64),
])
#: The metrics of :attr:`SweepSummary.dominant` after its label and count.
_DOMINANT_METRICS = ("mutual_information_bits", "false_report_probability", "manipulation_probability",
                     "mismatch_probability")
#: :attr:`SweepSummary.dominant` at a point without equilibrium.
_NO_EQUILIBRIUM = (0, 0, math.nan, math.nan, math.nan, math.nan)
#: The columns of booleans (``true``/``false`` in CSV).
_BOOLEAN_COLUMNS = ("intuitive_criterion", "pure", "continuum")
_EQUILIBRIUM_COLUMNS = ("equilibrium", "count", "classification", "quality", "labels",
                        "intuitive_criterion", "pure", "continuum", "component")
#: Points per chunk at most: a chunk's games are solved together (the batch pays a fixed cost
#: per support profile and chunk, so a serial float sweep takes as few chunks as this allows),
#: and its arrays and rows are what a worker holds at once.
_MAX_CHUNK = 8192
#: Points per chunk at most in exact mode (solved one by one: small chunks cost nothing and
#: move the progress bar).
_MAX_EXACT_CHUNK = 256
#: Permissions of the data file (``mkstemp`` creates 0600).
_FILE_MODE = 0o644


# --- grids ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GridAxis:
    """One axis of a sweep grid: the parameter ``name`` takes each of ``values`` in turn.

    Values are ``Fraction`` where the grid text is rational and ``float`` otherwise.
    """

    name: str
    values: tuple[GridValue, ...]

    def __post_init__(self) -> None:
        if not self.values:
            raise SpecError("a grid axis needs at least one value", file=GRID_FILE, key=self.name)

    def __len__(self) -> int:
        return len(self.values)

    def to_array(self) -> np.ndarray:
        """The values as a float array."""
        return np.array([float(v) for v in self.values], dtype=float)


def _grid_error(message: str, name: str, text: str) -> SpecError:
    return SpecError(f"{message}; expected NAME=START:STOP:COUNT or NAME=V1,V2,..., found '{text}'",
                     file=GRID_FILE, key=name)


def _grid_number(source: str, name: str, text: str, what: str) -> GridValue:
    source = source.strip()
    if not source:
        raise _grid_error(f"empty {what}", name, text)
    expression = parse_expression(source, file=GRID_FILE, line=None, key=name)
    if expression.names():
        used = ", ".join(sorted(expression.names()))
        raise _grid_error(f"the {what} '{source}' uses the name(s) {used}; grid values must be numbers",
                          name, text)
    value = expression.evaluate({})
    if isinstance(value, float) and not math.isfinite(value):
        raise _grid_error(f"the {what} '{source}' is not a finite number", name, text)
    return value


def parse_grid(text: str) -> GridAxis:
    """Parse one ``--grid`` item: ``NAME=START:STOP:COUNT`` or ``NAME=V1,V2,...``.

    ``START:STOP:COUNT`` is ``COUNT >= 1`` evenly spaced values from ``START`` to ``STOP``
    inclusive (``START`` alone when ``COUNT`` is 1); the values are exact fractions when
    ``START`` and ``STOP`` are rational. ``START``, ``STOP`` and the listed values are spec
    expressions without names (``1/3``, ``0.25``, ``2**-3``).

    Raises
    ------
    SpecError
        With ``file="--grid"`` and ``key`` the parameter name, on a malformed item, a bad
        count, a value that is not a number, or repeated values.

    Examples
    --------
    >>> parse_grid("v=0:1/2:3").values
    (Fraction(0, 1), Fraction(1, 4), Fraction(1, 2))
    >>> parse_grid("c=1:0:2").values
    (Fraction(1, 1), Fraction(0, 1))
    >>> parse_grid("c=0:1")
    Traceback (most recent call last):
    ...
    intelgame.errors.SpecError: --grid: a range needs three parts START:STOP:COUNT, found 2; expected NAME=START:STOP:COUNT or NAME=V1,V2,..., found 'c=0:1' (key 'c')
    """
    name, equals, body = text.partition("=")
    name = name.strip()
    if not equals or not name.isidentifier() or name.startswith("_"):
        raise _grid_error("expected a parameter name before '='", name or text, text)
    if not body.strip():
        raise _grid_error("no values after '='", name, text)
    values: list[GridValue]
    if ":" in body:
        parts = body.split(":")
        if len(parts) != 3:
            raise _grid_error(f"a range needs three parts START:STOP:COUNT, found {len(parts)}", name, text)
        start = _grid_number(parts[0], name, text, "start")
        stop = _grid_number(parts[1], name, text, "stop")
        count_text = parts[2].strip()
        if not count_text.isdigit() or int(count_text) < 1:
            raise _grid_error(f"the count '{count_text}' must be a whole number >= 1", name, text)
        count = int(count_text)
        if count > 1 and start == stop:
            raise _grid_error(f"start and stop are equal ({parts[0].strip()}), so the {count} values "
                              "would repeat; use a count of 1", name, text)
        values = _spaced(start, stop, count)
    else:
        values = [_grid_number(item, name, text, "value") for item in body.split(",")]
        seen: set[GridValue] = set()
        for item, value in zip(body.split(","), values):
            if value in seen:
                raise _grid_error(f"the value '{item.strip()}' is listed twice", name, text)
            seen.add(value)
    return GridAxis(name, tuple(values))


def _spaced(start: GridValue, stop: GridValue, count: int) -> list[GridValue]:
    if count == 1:
        return [start]
    if isinstance(start, Fraction) and isinstance(stop, Fraction):
        return [start + (stop - start) * Fraction(i, count - 1) for i in range(count)]
    a, b = float(start), float(stop)
    return [*(a + (b - a) * i / (count - 1) for i in range(count - 1)), b]


def _points(axes: Sequence[GridAxis], start: int, stop: int) -> list[tuple[GridValue, ...]]:
    """Points ``start`` to ``stop - 1`` of the grid, in :func:`itertools.product` order (last
    axis fastest)."""
    return list(itertools.islice(itertools.product(*(axis.values for axis in axes)), start, stop))


# --- the result -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SweepSummary:
    """What :func:`run_sweep` wrote and how, with the dominant equilibrium of every point.

    ``dominant`` has shape ``tuple(len(axis) for axis in axes)`` and the fields of
    :data:`DOMINANT_DTYPE`: the code of the primary quality label (in
    :data:`DOMINANT_LABELS`; ``0`` = no equilibrium), the number of equilibria, and the mutual
    information, false report (fabrication or concealment), manipulation and mismatch
    probabilities of the point's *most informative* equilibrium: the one of highest mutual
    information (ties within :data:`INFORMATION_TOLERANCE` broken by label: truthful first,
    babbling last, then by index). Metrics are ``nan`` where undefined.
    """

    path: Path
    points: int
    rows: int
    seconds: float
    axes: tuple[GridAxis, ...]
    columns: tuple[str, ...]
    spec_name: str
    exact: bool
    tolerance: float
    fmt: Format
    method: Literal["serial", "processes", "dask"]
    dominant: np.ndarray = field(repr=False, compare=False)

    def axis(self, name: str) -> GridAxis:
        """The axis of parameter ``name``."""
        for axis in self.axes:
            if axis.name == name:
                return axis
        raise SpecError(f"'{name}' is not a grid parameter of this sweep; the grid parameters are: "
                        f"{', '.join(a.name for a in self.axes)}", file=GRID_FILE, key=name)

    def plane(self, field_name: str, x: str, y: str) -> np.ndarray:
        """``dominant[field_name]`` as a 2-D array indexed ``[y index, x index]``.

        Every other axis must have a single value.

        Raises
        ------
        SpecError
            When ``x`` or ``y`` is not an axis, ``x == y``, or another axis has several values.
        """
        names = [a.name for a in self.axes]
        ix, iy = names.index(self.axis(x).name), names.index(self.axis(y).name)
        if ix == iy:
            raise SpecError("the two axes of a plane must differ", file=GRID_FILE, key=x)
        for i, axis in enumerate(self.axes):
            if i not in (ix, iy) and len(axis) != 1:
                raise SpecError(f"the sweep also varies '{axis.name}' ({len(axis)} values); a plane "
                                "over two parameters needs every other axis fixed", file=GRID_FILE, key=axis.name)
        data = self.dominant[field_name]
        index = tuple(slice(None) if i in (ix, iy) else 0 for i in range(len(self.axes)))
        plane: np.ndarray = data[index]
        return plane.T if ix < iy else plane

    def labels(self) -> np.ndarray:
        """The dominant label of every point as strings (shape of ``dominant``)."""
        names: np.ndarray = np.asarray(DOMINANT_LABELS, dtype=object)[self.dominant["label"]]
        return names


# --- one chunk of points (runs in a worker) ---------------------------------------------------

@dataclass(frozen=True)
class _Task:
    """A contiguous chunk ``[start, stop)`` of grid points to solve (picklable)."""

    spec: SignallingSpec
    axes: tuple[GridAxis, ...]
    overrides: dict[str, Expression]
    exact: bool
    tolerance: float
    start: int
    stop: int
    fmt: Format


@dataclass(frozen=True)
class _PointResult:
    """The rows of one point (solved and analysed alone) and its dominant equilibrium."""

    rows: list[list[Cell]]
    dominant: tuple[int, int, float, float, float, float]


@dataclass(frozen=True)
class _Chunk:
    """A chunk's rows, rendered in the output format (as the file holds them), their number,
    and its points' dominant equilibria (:data:`DOMINANT_DTYPE`)."""

    text: str
    rows: int
    dominant: np.ndarray


@dataclass(frozen=True)
class _Failure:
    """An error at a grid point, carried back as data (``SpecError`` does not pickle)."""

    kind: str
    reason: str
    file: str
    line: int | None
    key: str | None

    def exception(self) -> IntelgameError:
        if self.kind == "SpecError":
            return SpecError(self.reason, file=self.file, line=self.line, key=self.key)
        if self.kind == "GameStructureError":
            return GameStructureError(self.reason)
        return SolverError(self.reason)


def _describe_point(axes: Sequence[GridAxis], point: Sequence[GridValue]) -> str:
    return ", ".join(f"{a.name} = {v}" for a, v in zip(axes, point))


def _solve_chunk(task: _Task) -> _Chunk | _Failure:
    """Solve and analyse the points of ``task`` and render their rows (module level, so that
    it pickles). The float path builds the chunk's games as arrays
    (:func:`~intelgame.games.grid.build_game_grid`), solves them together
    (:func:`~intelgame.solvers.pbe.batch.pbe_table_many`) and analyses the table of their
    equilibria (:func:`_analyse_table`); the exact path, and a float chunk where the arrays
    cannot be built, builds, solves and analyses the points one by one."""
    spec = task.spec
    points = _points(task.axes, task.start, task.stop)
    columns = sweep_columns(spec, task.axes)
    if not task.exact:
        try:
            grid = build_game_grid(spec, task.overrides, [a.name for a in task.axes], points)
        except IntelgameError:  # again point by point, to name the point that fails
            grid = None

        def exact_game(k: int) -> SignallingGame:
            """The exact game at point ``k`` (for the points the batch leaves to the per-game path)."""
            return build_point(spec, task.overrides, [a.name for a in task.axes], points[k])

        if grid is not None:
            try:
                with collector_paused():
                    table = pbe_table_many((grid.sender, grid.prior, grid.receiver), exact_game)
            except IntelgameError as exc:
                return _chunk_failure(task, points, exc)
            with collector_paused():
                cells, dominant = _analyse_table(grid, table, _interpretation(spec, grid.game(0)), task, exact_game)
                return _Chunk(cells.render(columns, task.fmt), len(cells.codes), dominant)
    games = _games_one_by_one(task, points)
    if isinstance(games, _Failure):
        return games
    interpretation = _interpretation(spec, games[0]) if games else None
    try:
        solved = [pbe_solve(game, exact=task.exact)
                  for game in games]
    except IntelgameError as exc:
        return _chunk_failure(task, points, exc)
    results = [_analyse_point(game, result, interpretation, point, task.exact)
               for game, result, point in zip(games, solved, points)]
    rows = [row for result in results for row in result.rows]
    return _Chunk(_render_rows(rows, columns, task.fmt), len(rows),
                  np.array([result.dominant for result in results], dtype=DOMINANT_DTYPE))


def _interpretation(spec: SignallingSpec, game: SignallingGame) -> Interpretation | None:
    """The spec's ``interpretation`` block as indices into ``game`` (any game of the spec)."""
    if spec.interpretation is None:
        return None
    return Interpretation.from_names(game, spec.interpretation.reports, spec.interpretation.correct_actions,
                                     spec.interpretation.alarm)


def _chunk_failure(task: _Task, points: Sequence[tuple[GridValue, ...]], exc: IntelgameError) -> _Failure:
    return _Failure(type(exc).__name__, f"in the grid points {_describe_point(task.axes, points[0])} to "
                    f"{_describe_point(task.axes, points[-1])}: {exc}", task.spec.path, None, None)


def _games_one_by_one(task: _Task, points: Sequence[tuple[GridValue, ...]]) -> list[SignallingGame] | _Failure:
    """The games of ``points`` by :func:`~intelgame.games.build.build_game` (exact entries), or
    the first point's failure."""
    games = []
    for point in points:
        overrides = dict(task.overrides)
        overrides.update({a.name: grid_value_expression(a.name, v) for a, v in zip(task.axes, point)})
        try:
            game = build_game(task.spec, overrides)
        except SpecError as exc:
            return _Failure("SpecError", f"at grid point {_describe_point(task.axes, point)}: {exc.reason}",
                            exc.file, exc.line, exc.key)
        except IntelgameError as exc:
            return _Failure(type(exc).__name__, f"at grid point {_describe_point(task.axes, point)}: {exc}",
                            task.spec.path, None, None)
        assert isinstance(game, SignallingGame)
        games.append(game)
    return games


def _analyse_point(game: SignallingGame, result: PBEResult, interpretation: Interpretation | None,
                   point: Sequence[GridValue], exact: bool) -> _PointResult:
    def fmt(x: Any) -> Cell:
        return None if x is None else format_number(x, exact)

    base: list[Cell] = [fmt(v) for v in point]
    analysed = analyse(result, interpretation)
    count = len(analysed)
    if not count:
        return _PointResult([base + _empty_row(game)], _NO_EQUILIBRIUM)
    rows = []
    for i, ((eq, intuitive, quality), component) in enumerate(zip(analysed, components(result)), 1):
        metrics = quality.to_dict()
        rows.append(base + [
            i, count, classify(game, eq, tolerance=result.tolerance), quality.label, ";".join(quality.labels),
            bool(intuitive), eq.is_pure, eq.is_continuum, component + 1,
            *(fmt(metrics[m]) for m in METRICS),
            *(fmt(p) for strategy in eq.sender for p in strategy),
            *(fmt(p) for strategy in eq.receiver for p in strategy),
        ])
    return _PointResult(rows, _dominant([q for _, _, q in analysed]))


def _strategy_width(game: SignallingGame) -> int:
    n_t, n_m, n_a = game.shape
    return n_t * n_m + n_m * n_a


def _as_float(x: Any) -> float:
    return math.nan if x is None else float(x)


def _dominant(qualities: Sequence[Quality]) -> tuple[int, int, float, float, float, float]:
    """The summary of the most informative equilibrium (see :class:`SweepSummary`)."""
    q = qualities[_most_informative([q.mutual_information_bits for q in qualities], [q.label for q in qualities])]
    return (DOMINANT_LABELS.index(q.label), len(qualities), q.mutual_information_bits,
            _as_float(q.false_report_probability), _as_float(q.manipulation_probability),
            _as_float(q.mismatch_probability))


def _most_informative(information: Sequence[float], labels: Sequence[str]) -> int:
    """The index of the equilibrium of highest mutual information; ties within
    :data:`INFORMATION_TOLERANCE` go to the higher label rank, then to the first."""
    top = max(information)
    return min((i for i, x in enumerate(information) if x >= top - INFORMATION_TOLERANCE),
               key=lambda i: (-_LABEL_RANK.get(labels[i], 0), i))


def _analyse_table(grid: GameGrid, eqs: EquilibriumTable, interpretation: Interpretation | None,
                   task: _Task, exact_game: Callable[[int], SignallingGame]) -> tuple[_Cells, np.ndarray]:
    """The rows of a float chunk and its points' dominant equilibria, as :func:`_analyse_point`
    gives them point by point (tested), from the table of all their equilibria: the
    classification, labels and metrics (:func:`~intelgame.analysis.columns.analyse_columns`),
    Intuitive Criterion (:func:`~intelgame.analysis.refinements.intuitive_column`) and
    components (:func:`~intelgame.analysis.columns.components_column`) of every row at once,
    and every cell as a code into a vocabulary of the distinct cells."""
    n_points = task.stop - task.start
    columns = analyse_columns(grid.prior, grid.sender, grid.receiver, eqs, interpretation, task.tolerance)
    intuitive = intuitive_column(eqs, grid.sender, exact_game, task.tolerance)
    component = components_column(eqs, task.tolerance)
    label, labels = columns.label, columns.label_sets
    # the rows: each point's equilibria, or one row without equilibrium
    counts = eqs.counts(n_points)
    per_point = np.maximum(counts, 1)
    point = np.repeat(np.arange(n_points), per_point)
    index = np.arange(len(point)) - (np.cumsum(per_point) - per_point)[point]  # 0-based, within the point
    found = counts[point] > 0
    row = np.where(found, (np.cumsum(counts) - counts)[point] + index, 0)[found]  # the table row of each
    vocabulary = _Vocabulary()
    codes = np.full((len(point), len(sweep_columns(task.spec, task.axes))), vocabulary.add([None]), dtype=np.intp)
    where = np.unravel_index(point + task.start, tuple(len(axis) for axis in task.axes))
    for j, (axis, i) in enumerate(zip(task.axes, where)):
        codes[:, j] = vocabulary.add([format_number(v, False) for v in axis.values]) + i
    k = len(task.axes)
    integers = vocabulary.add(list(range(int(per_point.max()) + 2)))
    booleans = vocabulary.add([False, True])
    codes[:, k + _EQUILIBRIUM_COLUMNS.index("count")] = integers + counts[point]
    equilibrium_columns = [
        integers + index[found] + 1,
        vocabulary.add(list(CLASSIFICATIONS)) + columns.classification[row],
        vocabulary.add([names[0] for names in labels]) + label[row],
        vocabulary.add([";".join(names) for names in labels]) + label[row],
        booleans + intuitive[row], booleans + eqs.pure[row], booleans + eqs.continuum[row],
        integers + component[row] + 1,
    ]
    names = [name for name in _EQUILIBRIUM_COLUMNS if name != "count"]
    for name, values in zip(names, equilibrium_columns):
        codes[found, k + _EQUILIBRIUM_COLUMNS.index(name)] = values
    strategies = [a.reshape(len(a), math.prod(a.shape[1:])) for a in (eqs.sender, eqs.receiver)]
    numbers = np.concatenate([np.column_stack([columns.metrics[m] for m in METRICS]), *strategies], axis=1)[row]
    values, inverse = _distinct_numbers(numbers)
    codes[found, k + len(_EQUILIBRIUM_COLUMNS):] = len(vocabulary.cells) + inverse
    return _Cells(vocabulary.cells, values, codes), _dominant_table(eqs, columns, label, labels, counts)


def _distinct_numbers(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(values, codes)`` with ``values[codes] == numbers`` (``0.0`` for ``-0.0``; NaN once
    per NaN), like ``numpy.unique(numbers, return_inverse=True)``; 0 and 1 (most strategy
    entries and many metrics) are coded first and only the rest are sorted."""
    flat = numbers.reshape(-1)
    zero, one = flat == 0, flat == 1
    rest = ~(zero | one)
    values, inverse = np.unique(flat[rest], return_inverse=True)
    codes = np.empty(len(flat), dtype=np.intp)
    codes[zero], codes[one], codes[rest] = 0, 1, inverse.reshape(-1) + 2
    return np.concatenate([[0.0, 1.0], values]), codes.reshape(numbers.shape)


def _dominant_table(eqs: EquilibriumTable, columns: Columns, label: np.ndarray, labels: list[tuple[str, ...]],
                    counts: np.ndarray) -> np.ndarray:
    """:data:`DOMINANT_DTYPE` of each point: its most informative equilibrium (as
    :func:`_most_informative` picks it) or :data:`_NO_EQUILIBRIUM`."""
    dominant = np.zeros(len(counts), dtype=DOMINANT_DTYPE)
    dominant[...] = _NO_EQUILIBRIUM
    if not len(eqs):
        return dominant
    information = columns.metrics["mutual_information_bits"]
    points = np.flatnonzero(counts)
    starts = (np.cumsum(counts) - counts)[points]
    top = np.maximum.reduceat(information, starts)[np.searchsorted(points, eqs.point)]
    rank = np.array([_LABEL_RANK.get(names[0], 0) for names in labels])[label]
    order = np.lexsort((np.arange(len(eqs)), -rank, information < top - INFORMATION_TOLERANCE, eqs.point))
    best = order[starts]  # each point's first after sorting
    dominant["label"][points] = np.array([DOMINANT_LABELS.index(names[0]) for names in labels])[label[best]]
    dominant["count"][points] = counts[points]
    for name in _DOMINANT_METRICS:
        dominant[name][points] = columns.metrics[name][best]
    return dominant


class _Vocabulary:
    """The distinct cells of a chunk's rows, each written once (:class:`_Cells`)."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []

    def add(self, cells: Sequence[Cell]) -> int:
        """Append ``cells``; the code of the first."""
        self.cells.extend(cells)
        return len(self.cells) - len(cells)


@dataclass(frozen=True)
class _Cells:
    """A chunk's rows as codes into a vocabulary: the distinct cells, then the distinct
    numbers (floats, each cell :func:`~intelgame.output.numbers.format_number` of one; NaN
    for ``None``), formatted only when the rows are rendered, in the form the output needs."""

    vocabulary: list[Cell]
    numbers: np.ndarray
    codes: np.ndarray  # (rows, columns)

    def rows(self) -> list[list[Cell]]:
        """The rows' cells."""
        cells = np.empty(len(self.vocabulary) + len(self.numbers), dtype=object)  # filled, not converted
        cells[:] = self.vocabulary + format_floats(self.numbers.tolist())
        rows: list[list[Cell]] = cells[self.codes].tolist()
        return rows

    def render(self, columns: Sequence[str], fmt: Format) -> str:
        """The rows as :func:`_render_rows` writes them; each distinct CSV field is written once
        (a number's by :func:`~intelgame.output.numbers.float_texts`)."""
        if fmt != "csv":
            return _render_rows(self.rows(), columns, fmt)
        fields = np.empty(len(self.vocabulary) + len(self.numbers), dtype=object)
        numbers = float_texts(self.numbers.tolist())
        if np.isnan(self.numbers).any():
            numbers = [_csv_field(None) if x != x else text for x, text in zip(self.numbers.tolist(), numbers)]
        fields[:] = [_csv_field(cell) for cell in self.vocabulary] + numbers
        return "".join([",".join(line) + "\n" for line in fields[self.codes].tolist()])


def _empty_row(game: SignallingGame) -> list[Cell]:
    """The cells after the grid values of a point without equilibrium."""
    empty: list[Cell] = [None] * (len(_EQUILIBRIUM_COLUMNS) + len(METRICS) + _strategy_width(game))
    empty[_EQUILIBRIUM_COLUMNS.index("count")] = 0
    return empty


# --- writing ----------------------------------------------------------------------------------

def sweep_columns(spec: SignallingSpec, axes: Sequence[GridAxis]) -> tuple[str, ...]:
    """The column names of a sweep of ``spec`` over ``axes`` (see the module docstring)."""
    return (*(a.name for a in axes), *_EQUILIBRIUM_COLUMNS, *METRICS,
            *(f"sigma[{t}][{m}]" for t in spec.types for m in spec.messages),
            *(f"rho[{m}][{a}]" for m in spec.messages for a in spec.actions))


def _csv_field(cell: Cell) -> str:
    """One CSV field as :mod:`csv`'s default dialect writes it with ``lineterminator="\\n"``
    (quoted only when it holds a comma, a quote or a ``\\n``), with booleans as ``true``/``false``
    and ``None`` empty."""
    if type(cell) is float:  # the commonest, never quoted
        return repr(cell)
    if cell is None:
        return ""
    if cell is True or cell is False:
        return "true" if cell else "false"
    text = str(cell)
    if "," in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _render_rows(rows: Sequence[Sequence[Cell]], columns: Sequence[str], fmt: Format) -> str:
    """``rows`` as lines of CSV (:func:`_csv_field`) or JSON objects keyed by ``columns``."""
    if fmt == "csv":
        return "".join([",".join(map(_csv_field, row)) + "\n" for row in rows])
    return "".join([json.dumps(dict(zip(columns, row)), ensure_ascii=False) + "\n" for row in rows])


# --- running ----------------------------------------------------------------------------------

class _Future(Protocol):
    def result(self) -> Any: ...


def _chunk_size(points: int, parallelism: int, exact: bool) -> int:
    """Evenly sized chunks of at most ``_MAX_CHUNK`` points (``_MAX_EXACT_CHUNK`` exact), and
    at least two per worker when they run in parallel, for balance."""
    largest = _MAX_EXACT_CHUNK if exact else _MAX_CHUNK
    chunks = max(2 * parallelism if parallelism > 1 else 1, math.ceil(points / largest))
    return max(1, math.ceil(points / chunks))


def _in_order(submit: Callable[[_Task], _Future], tasks: Iterator[_Task], in_flight: int,
              cancel: Callable[[list[_Future]], None]) -> Iterator[_Chunk | _Failure]:
    """Results of ``tasks`` in order, with at most ``in_flight`` submitted and not yet consumed."""
    pending: collections.deque[_Future] = collections.deque()
    try:
        for task in tasks:
            pending.append(submit(task))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if pending:
            cancel(list(pending))


def _check_request(spec: Spec, axes: Sequence[GridAxis], overrides: Mapping[str, Expression],
                   workers: int, fmt: str) -> SignallingSpec:
    if not isinstance(spec, SignallingSpec):
        raise SpecError(f"a sweep needs a signalling spec, found kind '{spec.kind}'", file=spec.path, key="kind")
    if not axes:
        raise SpecError("a sweep needs at least one grid axis (NAME=START:STOP:COUNT)", file=GRID_FILE)
    seen: set[str] = set()
    for axis in axes:
        if axis.name not in spec.parameters:
            known = ", ".join(spec.parameters) or "(none)"
            raise SpecError(f"unknown parameter '{axis.name}' in the grid; the parameters of "
                            f"{spec.path} are: {known}", file=GRID_FILE, key=axis.name)
        if axis.name in seen:
            raise SpecError(f"parameter '{axis.name}' has two grid axes", file=GRID_FILE, key=axis.name)
        if axis.name in overrides:
            raise SpecError(f"parameter '{axis.name}' is both set (--set) and swept (--grid)",
                            file=GRID_FILE, key=axis.name)
        seen.add(axis.name)
    if fmt not in FORMATS:
        raise SpecError(f"unknown output format '{fmt}'; expected one of: {', '.join(FORMATS)}", file="--format")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise SolverError(f"workers must be a whole number >= 1, found {workers!r}")
    return spec


def run_sweep(
    spec: Spec,
    grids: Sequence[GridAxis],
    out_dir: Path,
    *,
    overrides: Mapping[str, Expression] | None = None,
    exact: bool = False,
    tolerance: float = FLOAT_TOLERANCE,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    fmt: Format = "csv",
) -> SweepSummary:
    """Solve ``spec`` at every point of the grid and write one tidy row per equilibrium.

    Parameters
    ----------
    spec:
        A signalling spec.
    grids:
        The axes; the points are their cartesian product (last axis fastest).
    out_dir:
        Folder of the data file ``sweep.csv`` / ``sweep.jsonl`` (created if missing; an
        existing file is replaced only when the sweep completes).
    overrides:
        Fixed parameter values (``--set``); a parameter may not be both set and swept.
    exact:
        Exact numbers in the file (the float sweep has the same equilibria: its decisions are
        certified, and a point where one is not is solved exactly).
    tolerance:
        The tolerance with which float results are read (classification, labels, components):
        their probabilities are certified, so this decides nothing about which equilibria exist.
    workers:
        Local processes; ``1`` solves in this process. The pool starts its processes with
        ``forkserver`` (``spawn`` where that is missing), never ``fork``, so a script calling
        this with ``workers > 1`` needs the usual ``if __name__ == "__main__":`` guard.
    scheduler:
        Address of a Dask distributed scheduler (needs ``pip install intelgame[dist]`` and
        intelgame on the workers); overrides ``workers``.
    progress:
        Called as ``progress(points_done, points_total)`` as chunks complete.
    fmt:
        ``"csv"`` or ``"jsonl"``.

    Returns
    -------
    SweepSummary
        The file's path and size, timing, provenance and the dominant equilibrium of each point.

    Raises
    ------
    SpecError
        On an unknown, repeated or also-``--set`` grid parameter, an unknown format, a spec
        that is not a signalling game, or a point where the spec cannot be evaluated (the
        message names the point).
    SolverError
        On a bad ``workers`` value, a missing Dask, or a point the solver cannot handle.
    """
    started = time.perf_counter()
    overrides = dict(overrides or {})
    axes = tuple(grids)
    signalling = _check_request(spec, axes, overrides, workers, fmt)
    shape = tuple(len(a) for a in axes)
    points = math.prod(shape)
    columns = sweep_columns(signalling, axes)
    dominant = np.zeros(points, dtype=DOMINANT_DTYPE)
    method: Literal["serial", "processes", "dask"] = (
        "dask" if scheduler is not None else "processes" if workers > 1 else "serial")

    def tasks(parallelism: int) -> Iterator[_Task]:
        size = _chunk_size(points, parallelism, exact)
        for start in range(0, points, size):
            yield _Task(signalling, axes, overrides, exact, float(tolerance), start, min(start + size, points), fmt)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"sweep.{fmt}"
    rows = 0
    with atomic_file(path, permissions=_FILE_MODE, newline="") as handle:
        if fmt == "csv":
            handle.write(_render_rows([columns], columns, fmt))
        done = 0
        if progress is not None:
            progress(0, points)
        with contextlib.closing(_results(method, tasks, workers, scheduler)) as outcomes:
            for outcome in outcomes:
                if isinstance(outcome, _Failure):
                    raise outcome.exception()
                handle.write(outcome.text)
                rows += outcome.rows
                dominant[done:done + len(outcome.dominant)] = outcome.dominant
                done += len(outcome.dominant)
                if progress is not None:
                    progress(done, points)
    return SweepSummary(path=path, points=points, rows=rows, seconds=time.perf_counter() - started,
                        axes=axes, columns=columns, spec_name=signalling.name, exact=exact,
                        tolerance=0.0 if exact else float(tolerance), fmt=fmt, method=method,
                        dominant=dominant.reshape(shape))


def _results(method: str, tasks: Callable[[int], Iterator[_Task]], workers: int,
             scheduler: str | None) -> Generator[_Chunk | _Failure, None, None]:
    """The chunks' results in grid order, by the chosen means (``tasks(parallelism)`` cuts the
    grid into chunks for that many workers)."""
    if method == "serial":
        for task in tasks(1):
            yield _solve_chunk(task)
        return
    if method == "processes":
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)

        def cancel_local(pending: list[_Future]) -> None:
            for future in pending:
                future.cancel()  # type: ignore[attr-defined]

        try:
            yield from _in_order(lambda t: executor.submit(_solve_chunk, t), tasks(workers),
                                 2 * workers, cancel_local)
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        return
    try:
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise SolverError("a sweep on a Dask scheduler needs dask.distributed: "
                          "pip install intelgame[dist]") from None
    client = distributed.Client(scheduler, set_as_default=False)

    def cancel_remote(pending: list[_Future]) -> None:
        client.cancel(pending)

    try:
        threads = max(1, sum(client.nthreads().values()))
        yield from _in_order(lambda t: client.submit(_solve_chunk, t, pure=False),
                             tasks(threads), 2 * threads, cancel_remote)
    finally:
        client.close()

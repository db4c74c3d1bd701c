"""Parameter sweeps: every PBE of a signalling spec at every point of a grid, as one tidy file.

A *grid* is the cartesian product of one or more :class:`GridAxis` (a spec parameter and its
values, from ``--grid`` text: :func:`parse_grid`). :func:`run_sweep` builds the game at each
point (the grid values override the spec's parameters, and every parameter defined from them
is re-evaluated), solves it with :func:`~intelgame.solvers.pbe.pbe_solve`, analyses each
equilibrium (:func:`~intelgame.analysis.report.analyse`) and writes one *tidy* row per
(point, equilibrium), or one row with an empty ``equilibrium`` and ``count`` 0 at a point
without any. Columns, in order:

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

Numbers are written by :func:`~intelgame.solvers._format.format_number` (fraction strings such
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
import csv
import importlib
import io
import json
import math
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from intelgame._collector import collector_paused
from intelgame.analysis.classify import classify
from intelgame.analysis.columns import CLASSIFICATIONS, METRICS, Equilibria, analyse_columns
from intelgame.analysis.quality import Interpretation, Quality
from intelgame.analysis.refinements import intuitive_criteria
from intelgame.analysis.report import analyse, components
from intelgame.errors import GameStructureError, IntelgameError, SolverError, SpecError
from intelgame.games.build import build_game
from intelgame.games.grid import GRID_FILE, GameGrid, build_game_grid, grid_value_expression
from intelgame.games.signalling import SignallingGame
from intelgame.solvers._format import format_number
from intelgame.solvers._polytope import FLOAT_TOLERANCE
from intelgame.solvers.pbe import PBEResult, pbe_solve
from intelgame.solvers.pbe_batch import pbe_solve_many
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
_MAX_CHUNK = 4096
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


def _point(axes: Sequence[GridAxis], index: int) -> tuple[GridValue, ...]:
    """The ``index``-th point of the grid, in :func:`itertools.product` order (last axis fastest)."""
    out: list[GridValue] = []
    for axis in reversed(axes):
        index, i = divmod(index, len(axis))
        out.append(axis.values[i])
    return tuple(reversed(out))


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


@dataclass(frozen=True)
class _PointResult:
    rows: list[list[Cell]]
    dominant: tuple[int, int, float, float, float, float]


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


def _solve_chunk(task: _Task) -> list[_PointResult] | _Failure:
    """Solve and analyse the points of ``task`` (module level, so that it pickles). The float
    path builds the chunk's games at once (:func:`~intelgame.games.grid.build_game_grid`) and
    solves them together (:func:`~intelgame.solvers.pbe_batch.pbe_solve_many`); the exact path
    builds and solves them one by one."""
    spec = task.spec
    points = [_point(task.axes, index) for index in range(task.start, task.stop)]
    games: list[SignallingGame] | _Failure
    grid: GameGrid | None = None
    if task.exact:
        games = _games_one_by_one(task, points)
    else:
        try:
            built = build_game_grid(spec, task.overrides, [a.name for a in task.axes], points)
            with collector_paused():
                games = [built.game(i) for i in range(len(points))]
            grid = built
        except IntelgameError:  # again point by point, to name the point that fails
            games = _games_one_by_one(task, points)
    if isinstance(games, _Failure):
        return games
    interpretation = None
    if spec.interpretation is not None and games:
        interpretation = Interpretation.from_names(games[0], spec.interpretation.reports,
                                                   spec.interpretation.correct_actions, spec.interpretation.alarm)
    try:
        if task.exact:
            solved = [pbe_solve(game, exact=True) for game in games]
        else:
            solved = pbe_solve_many(games, tolerance=task.tolerance,
                                    arrays=None if grid is None else (grid.sender, grid.prior, grid.receiver))
    except IntelgameError as exc:
        return _Failure(type(exc).__name__, f"in the grid points {_describe_point(task.axes, points[0])} to "
                        f"{_describe_point(task.axes, points[-1])}: {exc}", spec.path, None, None)
    if isinstance(grid, GameGrid):
        with collector_paused():
            return _analyse_chunk(grid, solved, interpretation, _formatted_points(task.axes, task.start, task.stop))
    return [_analyse_point(game, result, interpretation, point, task.exact)
            for game, result, point in zip(games, solved, points)]


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


def _analyse_chunk(grid: GameGrid, solved: Sequence[PBEResult], interpretation: Interpretation | None,
                   bases: Sequence[list[Cell]]) -> list[_PointResult]:
    """The rows of a chunk of float games, as :func:`_analyse_point` gives them (tested), with
    the classification, labels and metrics of all its equilibria computed at once
    (:func:`~intelgame.analysis.columns.analyse_columns`); ``bases`` are the points' cells."""
    owners = [i for i, result in enumerate(solved) for _ in result]
    equilibria = [eq for result in solved for eq in result]
    if not equilibria:
        return [_PointResult([base + _empty_row(result.game)], _NO_EQUILIBRIUM) for result, base in zip(solved, bases)]
    eqs = Equilibria.stack(owners, equilibria)
    columns = analyse_columns(grid.prior, grid.sender, grid.receiver, eqs, interpretation, solved[0].tolerance)
    metrics = np.column_stack([columns.metrics[m] for m in METRICS])
    cells = _formatted(metrics)
    strategies = _formatted(np.concatenate([eqs.sender.reshape(len(owners), -1),
                                            eqs.receiver.reshape(len(owners), -1)], axis=1))
    facts = list(zip(columns.classification.tolist(), columns.labels, eqs.pure.tolist(), eqs.continuum.tolist()))
    dominant = np.column_stack([columns.metrics[m] for m in _DOMINANT_METRICS]).tolist()
    information = columns.metrics["mutual_information_bits"].tolist()
    out = []
    r = 0
    for result, base in zip(solved, bases):
        count = len(result)
        if not count:
            out.append(_PointResult([base + _empty_row(result.game)], _NO_EQUILIBRIUM))
            continue
        rows = []
        for i, (intuitive, component) in enumerate(zip(intuitive_criteria(result), components(result))):
            kind, labels, pure, continuum = facts[r + i]
            rows.append(base + [i + 1, count, CLASSIFICATIONS[kind], labels[0], ";".join(labels), bool(intuitive),
                                pure, continuum, component + 1, *cells[r + i], *strategies[r + i]])
        best = r if count == 1 else r + _most_informative(information[r:r + count],
                                                          [labels[0] for _, labels, _, _ in facts[r:r + count]])
        out.append(_PointResult(rows, (DOMINANT_LABELS.index(facts[best][1][0]), count, *dominant[best])))
        r += count
    return out


def _formatted_points(axes: Sequence[GridAxis], start: int, stop: int) -> list[list[Cell]]:
    """The cells of the grid values of points ``start`` to ``stop - 1`` (as :func:`_point`)."""
    names = [[format_number(v, False) for v in axis.values] for axis in axes]
    where = np.unravel_index(np.arange(start, stop), tuple(len(axis) for axis in axes))
    return [[axis[i] for axis, i in zip(names, index)] for index in zip(*(w.tolist() for w in where))]


def _formatted(table: np.ndarray) -> list[list[Cell]]:
    """:func:`~intelgame.solvers._format.format_number` of each float of each row of ``table``
    (``None`` for ``nan``), once per distinct value."""
    distinct, where = np.unique(table, return_inverse=True)
    names = np.empty(len(distinct), dtype=object)  # filled, not converted: numpy would split strings
    names[:] = [None if math.isnan(x) else format_number(x, False) for x in distinct.tolist()]
    cells: list[list[Cell]] = names[where.reshape(table.shape)].tolist()
    return cells


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


class _Writer:
    """Streams rows as CSV (booleans as ``true``/``false``, ``None`` as an empty field) or
    JSON lines."""

    def __init__(self, handle: io.TextIOBase, columns: Sequence[str], fmt: Format) -> None:
        self.handle, self.columns, self.fmt = handle, tuple(columns), fmt
        self.csv = csv.writer(handle, lineterminator="\n") if fmt == "csv" else None
        self.booleans = [i for i, name in enumerate(self.columns) if name in _BOOLEAN_COLUMNS]
        if self.csv is not None:
            self.csv.writerow(self.columns)

    def write(self, rows: Sequence[list[Cell]]) -> None:
        """Write ``rows`` (a CSV row's booleans are replaced in place)."""
        if self.csv is not None:
            for row in rows:
                for i in self.booleans:
                    x = row[i]
                    if x is not None:
                        row[i] = "true" if x else "false"
            self.csv.writerows(rows)
        else:
            for row in rows:
                self.handle.write(json.dumps(dict(zip(self.columns, row)), ensure_ascii=False) + "\n")


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
              cancel: Callable[[list[_Future]], None]) -> Iterator[list[_PointResult] | _Failure]:
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
    exact, tolerance:
        Passed to :func:`~intelgame.solvers.pbe.pbe_solve`.
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
            yield _Task(signalling, axes, overrides, exact, float(tolerance), start, min(start + size, points))

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"sweep.{fmt}"
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{path.name}.", suffix=".tmp")
    rows = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = _Writer(handle, columns, fmt)
            done = 0
            if progress is not None:
                progress(0, points)
            with contextlib.closing(_results(method, tasks, workers, scheduler)) as outcomes:
                while True:
                    # A chunk's objects (games, PBE, rows) hold no reference cycles and are freed
                    # once written: with the collector paused from solving to writing, it does
                    # not trace them while they live (4% of a serial sweep's instructions).
                    with collector_paused():
                        outcome = next(outcomes, None)
                        if outcome is None:
                            break
                        if isinstance(outcome, _Failure):
                            raise outcome.exception()
                        for point in outcome:
                            writer.write(point.rows)
                            rows += len(point.rows)
                            dominant[done] = point.dominant
                            done += 1
                        outcome = None
                    if progress is not None:
                        progress(done, points)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return SweepSummary(path=path, points=points, rows=rows, seconds=time.perf_counter() - started,
                        axes=axes, columns=columns, spec_name=signalling.name, exact=exact,
                        tolerance=0.0 if exact else float(tolerance), fmt=fmt, method=method,
                        dominant=dominant.reshape(shape))


def _results(method: str, tasks: Callable[[int], Iterator[_Task]], workers: int,
             scheduler: str | None) -> Generator[list[_PointResult] | _Failure, None, None]:
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

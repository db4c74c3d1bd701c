"""A sweep's rows: the columns (:func:`sweep_columns`), the cells of a chunk's analysed
equilibria (:func:`code_rows`) and their text, CSV or JSON lines.

A chunk's rows are coded, not built cell by cell: every cell is a code into a vocabulary of
the chunk's distinct cells (:class:`Cells`), and each distinct float is formatted once when
the rows are rendered. Numbers are those of :func:`~intelgame.output.numbers.format_number`
(fraction strings such as ``1/3`` in exact mode, floats rounded to 12 significant digits
otherwise); booleans are ``true``/``false``; a missing value is an empty CSV field or JSON
``null``.

Examples
--------
>>> render_rows([[0.5, True, None, "a,b"]], ["x", "y", "z", "w"], "csv")
'0.5,true,,"a,b"\\n'
>>> render_rows([[0.5, True, None, "a,b"]], ["x", "y", "z", "w"], "jsonl")
'{"x": 0.5, "y": true, "z": null, "w": "a,b"}\\n'
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np

from intelgame.analysis.columns import CLASSIFICATIONS, METRICS
from intelgame.analysis.divinity import CRITERIA, Criterion
from intelgame.analysis.persuasion import Comparison
from intelgame.geometry.numbers import Number
from intelgame.output.numbers import float_texts, format_floats, format_number
from intelgame.spec.model import SignallingSpec
from intelgame.errors import SpecError
from intelgame.games.grid import GRID_FILE
from intelgame.sweep.grid import GridAxis, GridValue, Spaced, point_indices

Format = Literal["csv", "jsonl"]
Cell = int | float | str | bool | None

#: The output formats of a sweep.
FORMATS: tuple[Format, ...] = ("csv", "jsonl")
#: The columns after the grid parameters and before the metrics.
EQUILIBRIUM_COLUMNS = ("equilibrium", "count", "classification", "quality", "labels",
                       "intuitive_criterion", "pure", "continuum", "on_path_play")
#: The columns ``persuade=True`` (``sweep --persuade``) adds after the strategies, the same in
#: every row of a point (:func:`comparison_cells`): the two values under the sender-optimal
#: commitment, each player's best and worst PBE value, and each player's value of commitment
#: against its best and its worst PBE value (the ``cheap_talk`` block of ``intelgame persuade
#: --json``). Brackets keep them apart from the grid parameters, whose names never have any.
PERSUASION_COLUMNS = ("commitment[sender]", "commitment[receiver]",
                      "cheap_talk[sender][best]", "cheap_talk[sender][worst]",
                      "cheap_talk[receiver][best]", "cheap_talk[receiver][worst]",
                      "value_of_commitment[sender][versus_best]", "value_of_commitment[sender][versus_worst]",
                      "value_of_commitment[receiver][versus_best]", "value_of_commitment[receiver][versus_worst]")

#: The columns ``outcomes=True`` (``sweep --outcomes``) adds, last: the index of the row's
#: outcome among its point's, in order of first appearance, and the number of outcomes at the
#: point (:func:`~intelgame.analysis.outcomes.profile_outcomes`; among the rows kept by
#: ``--refine``/``--select``, as ``intelgame solve --json`` numbers its ``outcome`` fields).
OUTCOME_COLUMNS = ("outcome", "outcomes")

#: The criteria with a ``passes[CRITERION]`` column (the Intuitive Criterion has its own,
#: ``intuitive_criterion``), last in a sweep asked for refinements.
PASSES_CRITERIA = tuple(c for c in CRITERIA if c != "intuitive_criterion")



def sweep_columns(spec: SignallingSpec, axes: Sequence[GridAxis], *, persuade: bool = False,
                  verdicts: bool = False, outcomes: bool = False) -> tuple[str, ...]:
    """The column names of a sweep of ``spec`` over ``axes``: the grid parameters,
    :data:`EQUILIBRIUM_COLUMNS`, the metrics of :class:`~intelgame.analysis.quality.Quality`,
    then ``sigma[type][message]`` and ``rho[message][action]`` at the equilibrium's
    representative point; with ``persuade`` the :data:`PERSUASION_COLUMNS`; with ``verdicts``,
    last, ``passes[CRITERION]`` for each of :data:`PASSES_CRITERIA` (brackets: no parameter can
    take these names); with ``outcomes``, last, :data:`OUTCOME_COLUMNS`."""
    return (*(a.name for a in axes), *EQUILIBRIUM_COLUMNS, *METRICS,
            *(f"sigma[{t}][{m}]" for t in spec.types for m in spec.messages),
            *(f"rho[{m}][{a}]" for m in spec.messages for a in spec.actions),
            *(PERSUASION_COLUMNS if persuade else ()),
            *(f"passes[{c}]" for c in (PASSES_CRITERIA if verdicts else ())),
            *(OUTCOME_COLUMNS if outcomes else ()))

def comparison_cells(comparison: Comparison) -> list[Number]:
    """The :data:`PERSUASION_COLUMNS` of a point, in order."""
    talk = comparison.cheap_talk
    sender, receiver = comparison.value_of_commitment("sender"), comparison.value_of_commitment("receiver")
    return [comparison.sender_value, comparison.receiver_value, talk.sender.best, talk.sender.worst,
            talk.receiver.best, talk.receiver.worst, sender.worst, sender.best, receiver.worst, receiver.best]


def check_columns(spec: SignallingSpec, axes: Sequence[GridAxis], outcomes: bool = False) -> None:
    """Refuse a sweep two of whose columns would have the same name, so that no cell is ever
    read under another's name (a JSON line keeps only the last of two equal keys).

    Raises
    ------
    SpecError
        Naming the grid parameter that has the name of an equilibrium or metric column
        (``count``, ``quality``, ..., and with ``outcomes`` :data:`OUTCOME_COLUMNS`), or the two strategy entries whose columns coincide
        (names containing ``][``).
    """
    fixed = (*EQUILIBRIUM_COLUMNS, *METRICS, *(OUTCOME_COLUMNS if outcomes else ()))
    for axis in axes:
        if axis.name in fixed:
            raise SpecError(f"the grid parameter '{axis.name}' has the name of the sweep's column '{axis.name}', "
                            "whose value would hide or overwrite the parameter's; rename the parameter in the spec "
                            f"(the sweep's own columns: {', '.join(fixed)})", file=GRID_FILE, key=axis.name)
    owners: dict[str, str] = {}
    entries = [*((f"sigma[{t}][{m}]", f"type '{t}' and message '{m}'") for t in spec.types for m in spec.messages),
               *((f"rho[{m}][{a}]", f"message '{m}' and action '{a}'") for m in spec.messages for a in spec.actions)]
    for column, owner in entries:
        if column in owners:
            raise SpecError(f"the sweep's column '{column}' would be written twice, for {owners[column]} and for "
                            f"{owner}; rename one of them (a name containing '][' makes this possible)",
                            file=spec.path, key="types")
        owners[column] = owner


def axis_texts(axis: GridAxis, exact: bool) -> Callable[[GridValue], Cell]:
    """How the values of ``axis`` are written: as
    :func:`~intelgame.output.numbers.format_number` writes numbers, unless two of them would
    then read the same (values closer than 12 significant digits tell apart); then as floats
    with every digit they have, or, where even those coincide, as fractions.

    >>> axis_texts(GridAxis("c", (0.25, 0.5)), False)(0.25), axis_texts(GridAxis("c", (1.0, 1 + 1e-13)), False)(1.0)
    (0.25, 1.0)
    >>> axis_texts(GridAxis("c", (1.0, 1 + 1e-13)), False)(1 + 1e-13)
    1.0000000000001
    """
    ways: list[Callable[[GridValue], Cell]] = [lambda v: format_number(v, exact), float,
                                               lambda v: format_number(Fraction(v), True)]
    values = axis.values
    if isinstance(values, Spaced):
        if len(values) == 1 or (exact and isinstance(values.start, Fraction) and isinstance(values.stop, Fraction)):
            return ways[0]
        step = abs(float(values.stop) - float(values.start)) / (len(values) - 1)
        top = max(abs(float(values.start)), abs(float(values.stop)))
        if step >= 1.01 * 10.0 ** (math.floor(math.log10(top)) - 11):
            return ways[0]
        return ways[1] if step >= top * 2.0 ** -50 else ways[2]
    for way in ways[:2]:
        if len({way(v) for v in values}) == len(values):
            return way
    return ways[2]


@dataclass(frozen=True)
class AnalysedRows:
    """The analysed equilibria of a chunk's points, one entry per equilibrium, in point order.

    Equilibrium ``r`` is at the chunk's point ``point[r]``; ``classification[r]`` is a code into
    :data:`~intelgame.analysis.columns.CLASSIFICATIONS`; its quality labels are
    ``label_sets[label[r]]`` (the primary one first); ``on_path_play`` is 0-based;
    ``metrics[name]`` are floats (``nan`` where undefined); ``numbers[r]`` are the cells after
    the equilibrium columns (the metrics, then the sender's and the receiver's strategies,
    flat): floats, or in exact mode objects (fractions, ``None`` where undefined);
    ``passes[criterion][r]`` whether it survives each criterion of
    :data:`~intelgame.analysis.divinity.CRITERIA` (only in a sweep asked for refinements);
    ``outcome[r]`` (0-based) and ``outcomes[r]`` the :data:`OUTCOME_COLUMNS` (only in a sweep
    asked for them, set once the rows are chosen).
    """

    point: np.ndarray
    classification: np.ndarray
    label: np.ndarray
    label_sets: list[tuple[str, ...]]
    intuitive: np.ndarray
    pure: np.ndarray
    continuum: np.ndarray
    on_path_play: np.ndarray
    metrics: Mapping[str, np.ndarray]
    numbers: np.ndarray
    passes: Mapping[Criterion, np.ndarray] | None = None
    outcome: np.ndarray | None = None
    outcomes: np.ndarray | None = None

    def take(self, keep: np.ndarray) -> AnalysedRows:
        """The rows where the boolean array ``keep`` is true."""
        return AnalysedRows(self.point[keep], self.classification[keep], self.label[keep], self.label_sets,
                            self.intuitive[keep], self.pure[keep], self.continuum[keep], self.on_path_play[keep],
                            {name: values[keep] for name, values in self.metrics.items()}, self.numbers[keep],
                            None if self.passes is None else {c: v[keep] for c, v in self.passes.items()},
                            None if self.outcome is None else self.outcome[keep],
                            None if self.outcomes is None else self.outcomes[keep])


class Vocabulary:
    """The distinct cells of a chunk's rows, each written once (:class:`Cells`)."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []

    def add(self, cells: Sequence[Cell]) -> int:
        """Append ``cells``; the code of the first."""
        self.cells.extend(cells)
        return len(self.cells) - len(cells)


@dataclass(frozen=True)
class Cells:
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
        """The rows as :func:`render_rows` writes them; each distinct CSV field is written once
        (a number's by :func:`~intelgame.output.numbers.float_texts`)."""
        if fmt != "csv":
            return render_rows(self.rows(), columns, fmt)
        fields = np.empty(len(self.vocabulary) + len(self.numbers), dtype=object)
        numbers = float_texts(self.numbers.tolist())
        if np.isnan(self.numbers).any():
            numbers = [csv_field(None) if x != x else text for x, text in zip(self.numbers.tolist(), numbers)]
        fields[:] = [csv_field(cell) for cell in self.vocabulary] + numbers
        return "".join([",".join(line) + "\n" for line in fields[self.codes].tolist()])


def code_rows(rows: AnalysedRows, axes: Sequence[GridAxis], start: int, points: int, columns: int,
              exact: bool, point_cells: np.ndarray | None = None) -> Cells:
    """The cells of the chunk of ``points`` grid points from point ``start``: one row per
    equilibrium of ``rows``, or one row with an empty ``equilibrium`` and ``count`` 0 at a
    point without any; ``columns`` cells a row (see :func:`sweep_columns`). ``point_cells``
    (``points`` rows of numbers) ends each row of its point (empty at a point without
    equilibrium): the :data:`PERSUASION_COLUMNS`. The ``passes[...]`` and
    :data:`OUTCOME_COLUMNS` cells end the rows that have them."""
    counts = np.bincount(rows.point, minlength=points)
    per_point = np.maximum(counts, 1)
    point = np.repeat(np.arange(points), per_point)
    index = np.arange(len(point)) - (np.cumsum(per_point) - per_point)[point]  # 0-based, within the point
    found = counts[point] > 0
    row = np.where(found, (np.cumsum(counts) - counts)[point] + index, 0)[found]  # the entry of each
    vocabulary = Vocabulary()
    codes = np.full((len(point), columns), vocabulary.add([None]), dtype=np.intp)
    where = point_indices(axes, start, start + points)
    for j, (axis, i) in enumerate(zip(axes, where)):  # only the values of the chunk's points
        used, inverse = np.unique(i, return_inverse=True)
        text = axis_texts(axis, exact)
        codes[:, j] = (vocabulary.add([text(axis.values[u]) for u in used.tolist()]) + inverse.reshape(-1))[point]
    k = len(axes)
    integers = vocabulary.add(list(range(int(per_point.max()) + 2)))
    booleans = vocabulary.add([False, True])
    codes[:, k + EQUILIBRIUM_COLUMNS.index("count")] = integers + counts[point]
    label, labels = rows.label, rows.label_sets
    equilibrium_columns = [
        integers + index[found] + 1,
        vocabulary.add(list(CLASSIFICATIONS)) + rows.classification[row],
        vocabulary.add([names[0] for names in labels]) + label[row],
        vocabulary.add([";".join(names) for names in labels]) + label[row],
        booleans + rows.intuitive[row], booleans + rows.pure[row], booleans + rows.continuum[row],
        integers + rows.on_path_play[row] + 1,
    ]
    names = [name for name in EQUILIBRIUM_COLUMNS if name != "count"]
    for name, values in zip(names, equilibrium_columns):
        codes[found, k + EQUILIBRIUM_COLUMNS.index(name)] = values
    last = columns
    if rows.outcome is not None and rows.outcomes is not None:
        last -= len(OUTCOME_COLUMNS)
        codes[found, last] = integers + rows.outcome[row]
        codes[found, last + 1] = integers + rows.outcomes[row]
    if rows.passes is not None:
        for j, criterion in enumerate(PASSES_CRITERIA, start=last - len(PASSES_CRITERIA)):
            codes[found, j] = booleans + rows.passes[criterion][row]
    numbers = rows.numbers[row]
    if point_cells is not None:
        numbers = np.concatenate([numbers, point_cells[point[found]]], axis=1)
    first = k + len(EQUILIBRIUM_COLUMNS)
    end = first + numbers.shape[1]
    if exact:  # few rows: each number formatted as it is
        cells = [None if x is None else format_number(x, True) for x in numbers.reshape(-1).tolist()]
        codes[found, first:end] = vocabulary.add(cells) + np.arange(len(cells)).reshape(numbers.shape)
        return Cells(vocabulary.cells, np.zeros(0), codes)
    values, inverse = distinct_numbers(numbers)
    codes[found, first:end] = len(vocabulary.cells) + inverse
    return Cells(vocabulary.cells, values, codes)


def distinct_numbers(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def strategy_width(spec: SignallingSpec) -> int:
    """The strategy cells of a row: ``T * M`` of the sender's, ``M * A`` of the receiver's."""
    return len(spec.messages) * (len(spec.types) + len(spec.actions))


def csv_field(cell: Cell) -> str:
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


def render_rows(rows: Sequence[Sequence[Cell]], columns: Sequence[str], fmt: Format) -> str:
    """``rows`` as lines of CSV (:func:`csv_field`) or JSON objects keyed by ``columns``."""
    if fmt == "csv":
        return "".join([",".join(map(csv_field, row)) + "\n" for row in rows])
    return "".join([json.dumps(dict(zip(columns, row)), ensure_ascii=False) + "\n" for row in rows])


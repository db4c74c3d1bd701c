"""Sweep grids: the ``--grid`` text of one axis (:func:`parse_grid`) and the grid's points.

A grid is the cartesian product of one or more :class:`GridAxis` (a spec parameter and its
values); its points are numbered in :func:`itertools.product` order (last axis fastest).

Examples
--------
>>> tuple(parse_grid("c=0:1:5").values)
(Fraction(0, 1), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(1, 1))
>>> parse_grid("v=0, 1/10, 0.2").values
(Fraction(0, 1), Fraction(1, 10), Fraction(1, 5))

A range's values are computed when they are read (:class:`Spaced`), so an axis takes the same
memory whatever its count, and a grid's points are read a chunk at a time
(:func:`grid_points`): nothing holds the whole grid.
>>> grid_points([parse_grid("c=0,1"), parse_grid("v=0,1/2")], 1, 3)
[(Fraction(0, 1), Fraction(1, 2)), (Fraction(1, 1), Fraction(0, 1))]
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload
from fractions import Fraction

import numpy as np

from intelgame.errors import SpecError
from intelgame.games.grid import GRID_FILE
from intelgame.spec.expressions import parse_expression

GridValue = Fraction | float


class Spaced(Sequence[GridValue]):
    """``size`` evenly spaced values from ``start`` to ``stop`` inclusive, each computed when
    it is read (exact fractions when both ends are, floats otherwise).

    >>> values = Spaced(Fraction(0), Fraction(1), 10**12)
    >>> len(values), values[1], values[-1]
    (1000000000000, Fraction(1, 999999999999), Fraction(1, 1))
    """

    def __init__(self, start: GridValue, stop: GridValue, size: int) -> None:
        self.start, self.stop, self.size = start, stop, size

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> GridValue: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[GridValue, ...]: ...

    def __getitem__(self, index: int | slice) -> GridValue | tuple[GridValue, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self.size)))
        i = index + self.size if index < 0 else index
        if not 0 <= i < self.size:
            raise IndexError(index)
        if self.size == 1:
            return self.start
        if isinstance(self.start, Fraction) and isinstance(self.stop, Fraction):
            return self.start + (self.stop - self.start) * Fraction(i, self.size - 1)
        a, b = float(self.start), float(self.stop)
        return b if i == self.size - 1 else a + (b - a) * i / (self.size - 1)

    def __iter__(self) -> Iterator[GridValue]:
        return (self[i] for i in range(self.size))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spaced):
            return (self.start, self.stop, self.size) == (other.start, other.stop, other.size)
        return isinstance(other, Sequence) and len(other) == self.size and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash((self.start, self.stop, self.size))

    def __repr__(self) -> str:
        return f"Spaced({self.start!r}, {self.stop!r}, {self.size})"


@dataclass(frozen=True)
class GridAxis:
    """One axis of a sweep grid: the parameter ``name`` takes each of ``values`` in turn.

    Values are ``Fraction`` where the grid text is rational and ``float`` otherwise; a range's
    are a :class:`Spaced` sequence (computed when read), a list's a tuple.
    """

    name: str
    values: Sequence[GridValue]

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
    >>> tuple(parse_grid("v=0:1/2:3").values)
    (Fraction(0, 1), Fraction(1, 4), Fraction(1, 2))
    >>> tuple(parse_grid("c=1:0:2").values)
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
        if count > sys.maxsize:  # far beyond any --max-points; a sequence this long has no len()
            raise _grid_error(f"the count {count_text} is too large", name, text)
        if count > 1 and start == stop:
            raise _grid_error(f"start and stop are equal ({parts[0].strip()}), so the {count} values "
                              "would repeat; use a count of 1", name, text)
        return GridAxis(name, Spaced(start, stop, count))
    else:
        values = [_grid_number(item, name, text, "value") for item in body.split(",")]
        seen: set[GridValue] = set()
        for item, value in zip(body.split(","), values):
            if value in seen:
                raise _grid_error(f"the value '{item.strip()}' is listed twice", name, text)
            seen.add(value)
    return GridAxis(name, tuple(values))


def grid_points(axes: Sequence[GridAxis], start: int, stop: int) -> list[tuple[GridValue, ...]]:
    """Points ``start`` to ``stop - 1`` of the grid, in :func:`itertools.product` order (last
    axis fastest); only these points' values are read."""
    where = point_indices(axes, start, stop)
    columns = [[axis.values[i] for i in indices.tolist()] for axis, indices in zip(axes, where)]
    return list(zip(*columns))


def point_indices(axes: Sequence[GridAxis], start: int, stop: int) -> tuple[np.ndarray, ...]:
    """The index along each axis of points ``start`` to ``stop - 1`` (last axis fastest)."""
    flat = np.arange(start, stop, dtype=np.int64) if stop < 2**62 else np.array(range(start, stop), dtype=object)
    where = []
    for axis in reversed(axes):
        flat, index = flat // len(axis), flat % len(axis)  # (divmod is not defined on object arrays)
        where.append(index)
    return tuple(reversed(where))


def describe_point(axes: Sequence[GridAxis], point: Sequence[GridValue]) -> str:
    """``"c = 1/2, v = 0.3"``: a point for an error message."""
    return ", ".join(f"{a.name} = {v}" for a, v in zip(axes, point))

"""Sweep grids: the ``--grid`` text of one axis (:func:`parse_grid`) and the grid's points.

A grid is the cartesian product of one or more :class:`GridAxis` (a spec parameter and its
values); its points are numbered in :func:`itertools.product` order (last axis fastest).

Examples
--------
>>> parse_grid("c=0:1:5").values
(Fraction(0, 1), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(1, 1))
>>> parse_grid("v=0, 1/10, 0.2").values
(Fraction(0, 1), Fraction(1, 10), Fraction(1, 5))
>>> grid_points([parse_grid("c=0,1"), parse_grid("v=0,1/2")], 1, 3)
[(Fraction(0, 1), Fraction(1, 2)), (Fraction(1, 1), Fraction(0, 1))]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from intelgame.errors import SpecError
from intelgame.games.grid import GRID_FILE
from intelgame.spec.expressions import parse_expression

GridValue = Fraction | float


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


def grid_points(axes: Sequence[GridAxis], start: int, stop: int) -> list[tuple[GridValue, ...]]:
    """Points ``start`` to ``stop - 1`` of the grid, in :func:`itertools.product` order (last
    axis fastest)."""
    return list(itertools.islice(itertools.product(*(axis.values for axis in axes)), start, stop))


def describe_point(axes: Sequence[GridAxis], point: Sequence[GridValue]) -> str:
    """``"c = 1/2, v = 0.3"``: a point for an error message."""
    return ", ".join(f"{a.name} = {v}" for a, v in zip(axes, point))

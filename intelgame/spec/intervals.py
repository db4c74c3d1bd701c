"""Float64 interval arithmetic over arrays: an expression at many points with rigorous bounds.

For a parameter grid, :func:`evaluate_bounded` folds an expression's tree once over float64
arrays (one entry a point) and carries, beside the values, forward bounds on their rounding
errors, bit bounds of the exact values, and the points where the exact evaluation could fail
(:class:`Bounded`). The grid builder trusts a point's floats where nothing is doubtful and
builds the other points exactly.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
import importlib
from typing import TYPE_CHECKING, Any

from intelgame.spec._parser import MAX_BITS, MAX_EXACT_EXPONENT, Algebra, Located, Node, fold

#: Relative allowance for one rounding: ours and that of a float evaluation by ``evaluate``.
ROUNDING = 2.0 ** -52
#: Absolute allowance for one rounding in the subnormal range.
_TINY = 2.0 ** -1074
#: Magnitude from which a float evaluation may overflow (a margin below the largest float).
_FLOAT_LIMIT = 2.0 ** 1000

if TYPE_CHECKING:
    import numpy as np

    #: A per-point flag: a ``bool`` when the same at every point, else a boolean array.
    Mask = bool | np.ndarray
else:
    class _NumpyOnFirstUse:
        """numpy, imported when this module first uses it: every spec is read through this
        package, and the command line's start (and ``intelgame validate``) need no numpy."""

        def __getattr__(self, name: str) -> Any:
            numpy = importlib.import_module("numpy")
            globals()["np"] = numpy
            return getattr(numpy, name)

    np = _NumpyOnFirstUse()


@dataclass(frozen=True)
class Bounded:
    """The float64 values of an expression at ``N`` points, with what it takes to trust them.

    ``value``, ``error``, ``exact``, ``bits`` and ``doubtful`` are arrays of shape ``(N,)``, or
    scalars when the same at every point; ``magnitude`` is a scalar. Let ``v`` be what
    :meth:`~intelgame.spec.expressions.Expression.evaluate` returns at a point. Where ``doubtful`` is false, ``evaluate``
    does not raise, ``|value - v| <= error``, ``|value| <= magnitude``, and ``v`` is a
    ``Fraction`` exactly where ``exact`` holds, whose numerator and denominator have at most
    ``bits`` bits (a float otherwise). Where ``doubtful`` is true nothing is promised:
    ``evaluate`` may raise (division by zero, out of range, complex result, an exact number or
    power over its limits) or the bounds may be lost.

    The error bounds are the textbook forward bounds, with one rounding of ``2**-52`` relative
    (ours and that of a float ``evaluate``) per operation: ``e(x +- y) = e_x + e_y``,
    ``e(x y) = |x| e_y + |y| e_x + e_x e_y``, ``e(x / y) = (e_x |y| + |x| e_y) / (|y| (|y| -
    e_y))`` (doubtful where ``|y| <= e_y``: ``y`` may be 0), ``e(min) = max e``; powers in
    :meth:`_BoundedAlgebra.power`. The bit bounds are those of unreduced fractions: ``b(x +- y)
    = b_x + b_y + 1``, ``b(x y) = b(x / y) = b_x + b_y``, ``b(x ** n) = |n| b_x``.
    """

    value: Any
    error: Any
    magnitude: float
    exact: Mask
    bits: Any
    doubtful: Mask

    @classmethod
    def of(cls, number: Fraction | float | int) -> Bounded:
        """A number known exactly: ``value`` is it rounded to float, ``error`` that rounding.

        >>> float(Bounded.of(Fraction(1, 3)).error) > 0, float(Bounded.of(Fraction(1, 4)).error)
        (True, 0.0)
        """
        return _bounded_number(number)

    @classmethod
    def of_numbers(cls, numbers: Sequence[Fraction | float | int]) -> Bounded:
        """Point ``i`` is ``numbers[i]`` (as :meth:`of`)."""
        return cls.select([cls.of(x) for x in numbers], np.arange(len(numbers)))

    @classmethod
    def select(cls, items: Sequence[Bounded], index: np.ndarray) -> Bounded:
        """Point ``i`` is the scalar ``items[index[i]]`` (a few numbers spread over many
        points). Its error, magnitude and bits are the largest of the items that are not
        doubtful, at every point."""
        exact = np.array([bool(b.exact) for b in items], dtype=bool)
        doubtful = np.array([bool(b.doubtful) for b in items], dtype=bool)
        sure = [b for b in items if not b.doubtful]
        return cls(
            value=np.array([b.value for b in items], dtype=np.float64)[index],
            error=np.float64(max((b.error for b in sure), default=0.0)),
            magnitude=max((b.magnitude for b in sure), default=0.0),
            exact=True if exact.all() else exact[index],
            bits=max((b.bits for b in sure), default=0),
            doubtful=doubtful[index] if doubtful.any() else False,
        )


@functools.lru_cache(maxsize=4096, typed=True)  # typed: 0.0 is a float, Fraction(0) is exact
def _bounded_number(number: Fraction | float | int) -> Bounded:
    """:meth:`Bounded.of` (cached: the literals of a spec recur in every evaluation)."""
    if isinstance(number, float):
        size = abs(number) if math.isfinite(number) else math.inf
        return Bounded(np.float64(number), np.float64(0.0), size, False, 0, not math.isfinite(number))
    exact = Fraction(number)
    bits = max(exact.numerator.bit_length(), exact.denominator.bit_length())
    try:
        value = float(exact)
    except OverflowError:
        return Bounded(np.float64(math.copysign(math.inf, exact)), np.float64(math.inf), math.inf, True,
                       bits, True)
    error = 0.0 if Fraction(value) == exact else abs(value) * ROUNDING / 2 + _TINY
    return Bounded(np.float64(value), np.float64(error), abs(value), True, bits, bits > MAX_BITS)


def _mask(flag: Any) -> Mask:
    """A flag as a :data:`Mask` (numpy booleans of a scalar become ``bool``)."""
    return flag if isinstance(flag, np.ndarray) and flag.ndim else bool(flag)


def _combine(flags: Sequence[Any], every: bool) -> Mask:
    """Point by point, whether every flag holds (``every``) or some flag does (not ``every``)."""
    result: Mask = every
    for flag in map(_mask, flags):
        if flag is (not every):
            return not every
        if flag is not every:
            result = flag if result is every else (result & flag) if every else (result | flag)
    return result


def _or(*flags: Any) -> Mask:
    return _combine(flags, every=False)


def _and(*flags: Any) -> Mask:
    return _combine(flags, every=True)


def _not(flag: Mask) -> Mask:
    return not flag if isinstance(flag, bool) else ~flag


def _too_big(x: Bounded) -> Mask:
    """Where ``x`` may be an exact number over :data:`MAX_BITS` bits (``evaluate`` refuses it)."""
    return _and(x.exact, x.bits > MAX_BITS)


def _largest(values: Any) -> float:
    """The largest ``|value|``; ``inf`` when some value is not a number."""
    top = float(np.max(np.abs(values)))
    return math.inf if math.isnan(top) else top


class _BoundedAlgebra(Algebra[Bounded, Bounded]):
    """float64 arithmetic over arrays with forward error bounds (see :class:`Bounded`).

    *Coarse* (``precise`` false), the bounds of an operation use the magnitudes of its operands
    (one number each) instead of their values at each point: the errors stay single numbers
    and cost nothing beside the values. *Precise*, they use the values at each point.

    A bit bound only grows towards the root along exact operations, so it is checked at the
    root (:func:`evaluate_bounded`), where exactness may be lost, and at powers.
    """

    def __init__(self, expression: Located, values: Mapping[str, Bounded], precise: bool) -> None:
        super().__init__(expression, values)
        self.precise = precise

    def size(self, x: Bounded) -> Any:
        """An upper bound of ``|value|``: at each point, or over all points."""
        return np.abs(x.value) if self.precise else x.magnitude

    def literal(self, value: Fraction) -> Bounded:
        return Bounded.of(value)

    def name(self, name: str) -> Bounded:
        return self.lookup(name)

    def unary(self, operator: str, operand: Bounded) -> Bounded:
        return operand if operator == "+" else replace(operand, value=-operand.value)

    def binary(self, operator: str, left: Bounded, right: Bounded) -> Bounded:
        if operator == "**":
            return self.power(left, right)
        x, y, ex, ey = left.value, right.value, left.error, right.error
        zero: Mask = False
        if operator in ("+", "-"):
            value = x + y if operator == "+" else x - y
            error = ex + ey
            magnitude = left.magnitude + right.magnitude
            bits = left.bits + right.bits + 1
        elif operator == "*":
            value = x * y
            error = self.size(left) * ey + self.size(right) * ex + ex * ey
            magnitude = left.magnitude * right.magnitude
            bits = left.bits + right.bits
        else:
            value, error, magnitude, zero = self.divide(left, right)
            bits = left.bits + right.bits
        exact = _and(left.exact, right.exact)
        size = np.abs(value) if self.precise else magnitude
        error = error + size * ROUNDING + _TINY
        doubtful = _or(left.doubtful, right.doubtful, zero)
        if exact is not True:
            doubtful = _or(doubtful, _too_big(left), _too_big(right),
                           _and(_not(exact), size + error > _FLOAT_LIMIT))
        return Bounded(value, error, magnitude * (1 + ROUNDING), exact, bits, doubtful)

    def divide(self, left: Bounded, right: Bounded) -> tuple[Any, Any, float, Mask]:
        """``x / y``, its error before rounding, its magnitude, and where ``y`` may be 0."""
        x, y, ex, ey = left.value, right.value, left.error, right.error
        value = x / y
        low = np.abs(y)
        if self.precise:
            gap = low - ey
            return value, (ex * low + np.abs(x) * ey) / (low * gap), _largest(value), gap <= 0
        low = float(np.min(low))  # the bound decreases with |y|: take its smallest value
        gap = low - ey
        if not np.all(gap > 0):
            return value, np.float64(math.inf), math.inf, np.abs(y) <= ey
        return value, (ex * low + left.magnitude * ey) / (low * gap), left.magnitude / low, False

    def power(self, base: Bounded, exponent: Bounded) -> Bounded:
        """``x ** y`` as ``evaluate`` computes it, with error bounds at each point.

        Exactly when both are exact and ``y`` is an integer ``n``: ``|X^n - x^n| <= |n| e (|x|
        + e)^(|n| - 1)``, divided by ``(|x| - e)^|n| |x|^|n|`` when ``n < 0``. Otherwise as
        floats (of the operands rounded to floats), for ``x > e`` only: ``|X^Y - x^y| <=
        |x^y| expm1(|y| d + e_y (|ln x| + d))`` with ``d = e_x / (x - e_x)``.
        """
        x, y, ex, ey = base.value, exponent.value, base.error, exponent.error
        both = _and(base.exact, exponent.exact)
        n = np.round(y)
        exact = _and(both, (y == n) & (ey == 0))
        unsure = _and(both, (np.abs(y - n) <= ey) & (ey > 0))  # an exact exponent, maybe an integer
        value = np.power(x, y)
        size, m = np.abs(x), np.abs(n)
        grown = m * ex * np.power(size + ex, m - 1)
        exact_error = np.where(m == 0, 0.0, np.where(n < 0, grown / (np.power(size - ex, m) * np.power(size, m)),
                                                     grown))
        exact_doubt = (m > MAX_EXACT_EXPONENT) | (base.bits * m > MAX_BITS) | ((n < 0) & (size <= ex))
        fx, fy = ex + ROUNDING * size, ey + ROUNDING * np.abs(y)
        gap = x - fx
        spread = fx / gap
        float_error = np.abs(value) * np.expm1(np.abs(y) * spread + fy * (np.abs(np.log(x)) + spread))
        float_doubt = np.logical_not(gap > 0) | (np.abs(value) + float_error > _FLOAT_LIMIT)
        error = np.where(exact, exact_error, float_error) + np.abs(value) * (2 * ROUNDING) + _TINY
        doubtful = _or(base.doubtful, exponent.doubtful, _too_big(base), _too_big(exponent), unsure,
                       np.where(exact, exact_doubt, float_doubt),
                       np.logical_not(np.isfinite(x)), np.logical_not(np.isfinite(y)))
        return Bounded(value, error, _largest(value), exact, base.bits * m, doubtful)

    def call(self, function: str, arguments: list[Bounded]) -> Bounded:
        if function == "abs":
            return replace(arguments[0], value=np.abs(arguments[0].value))
        if function in _COMPARE:
            return _compare(function, arguments[0], arguments[1])
        if function == "if":
            return _choose(*arguments)
        pick = np.minimum if function == "min" else np.maximum
        exact = _and(*(a.exact for a in arguments))
        doubtful = _or(*(a.doubtful for a in arguments))
        if exact is not True:  # where only some arguments are exact, the type of the result
            # depends on which one is picked
            doubtful = _or(doubtful, _and(_not(exact), _or(*(a.exact for a in arguments))),
                           *(_too_big(a) for a in arguments))
        return Bounded(functools.reduce(pick, (a.value for a in arguments)),
                       functools.reduce(np.maximum, (a.error for a in arguments)),
                       max(a.magnitude for a in arguments), exact,
                       functools.reduce(np.maximum, (a.bits for a in arguments)), doubtful)


#: numpy's name of each comparison.
_COMPARE = {"<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal", "==": "equal",
            "!=": "not_equal"}


def _compare(function: str, x: Bounded, y: Bounded) -> Bounded:
    """A comparison as 1 or 0 at every point, exact; doubtful where the error bounds do not
    decide it (``|x - y| <= e_x + e_y`` with an error: the exact values may tie or cross)."""
    gap, slack = np.abs(x.value - y.value), x.error + y.error
    undecided = (gap <= slack * (1 + 4 * ROUNDING)) & (slack > 0)
    value = getattr(np, _COMPARE[function])(x.value, y.value).astype(np.float64)
    return Bounded(value, np.float64(0.0), 1.0, True, 1, _or(x.doubtful, y.doubtful, undecided,
                                                              _too_big(x), _too_big(y)))


def _choose(condition: Bounded, x: Bounded, y: Bounded) -> Bounded:
    """``if(condition, x, y)``: ``x`` where the condition (1 or 0) holds; doubtful where the
    condition is, or where either branch is (so a point is trusted only when the exact
    evaluation of both branches would be)."""
    exact = _and(x.exact, y.exact)
    doubtful = _or(condition.doubtful, x.doubtful, y.doubtful)
    if exact is not True:
        doubtful = _or(doubtful, _and(_not(exact), _or(x.exact, y.exact)), _too_big(x), _too_big(y))
    return Bounded(np.where(np.asarray(condition.value) != 0, x.value, y.value), np.maximum(x.error, y.error),
                   max(x.magnitude, y.magnitude), exact, np.maximum(x.bits, y.bits), doubtful)


def evaluate_bounded(tree: Node, expression: Located, values: Mapping[str, Bounded], *,
                     precise: bool = False) -> Bounded:
    """The tree's value at every point, with bounds (:class:`Bounded`): see
    :meth:`intelgame.spec.expressions.Expression.evaluate_bounded`."""
    with np.errstate(all="ignore"):
        result = fold(tree, _BoundedAlgebra(expression, values, precise))
        doubtful = _or(result.doubtful, _too_big(result), np.logical_not(np.isfinite(result.error)))
    return replace(result, doubtful=doubtful)

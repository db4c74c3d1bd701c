"""The two scalar meanings of an expression tree: numbers (exact, else float) and sympy objects.

* :class:`NumericAlgebra`: ``Fraction`` arithmetic while every input is rational and every
  operation is (``**`` with an integer exponent), ``float`` otherwise; a literal ``0.1`` is
  ``Fraction(1, 10)``. Results past the limits of :mod:`intelgame.spec._parser` are refused.
* :class:`SympyAlgebra`: exact symbolic arithmetic with ``sympy`` objects (never parsing a
  string); sympy is imported on first use.
"""

from __future__ import annotations

import importlib
import math
import operator
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from intelgame.spec._parser import (
    MAX_BITS,
    MAX_EXACT_EXPONENT,
    Algebra,
    Located,
    check_exact,
    shorten,
)

#: The comparisons of ``if``/``ind`` conditions (:data:`intelgame.spec._parser.COMPARISONS`).
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {"<": operator.lt, "<=": operator.le, ">": operator.gt,
                                                  ">=": operator.ge, "==": operator.eq, "!=": operator.ne}

Number = Fraction | float


def check_exact_power(base: Fraction, exponent: Fraction, expression: Located) -> None:
    """Refuse an exact power ``base ** exponent`` whose exponent exceeds
    :data:`MAX_EXACT_EXPONENT` in absolute value or whose result may exceed :data:`MAX_BITS`
    bits (``bits(base) * |exponent|``)."""
    size = max(base.numerator.bit_length(), base.denominator.bit_length())
    if abs(exponent) > MAX_EXACT_EXPONENT or size * math.ceil(abs(exponent)) > MAX_BITS:
        raise expression.error(
            f"power with exponent {exponent} is too large for exact arithmetic (exponents up to "
            f"{MAX_EXACT_EXPONENT} in absolute value, results up to {MAX_BITS} bits) in expression "
            f"'{shorten(expression.source)}'")


class NumericAlgebra(Algebra[Number, Number | int]):
    """Exact ``Fraction`` arithmetic, falling back to ``float`` where a float is involved."""

    def checked(self, compute: Callable[[], Number]) -> Number:
        try:
            result = compute()
        except OverflowError:
            raise self.error("number out of range") from None
        except ZeroDivisionError:
            raise self.error("division by zero") from None
        if isinstance(result, Fraction):
            return check_exact(result, self.expression)
        if isinstance(result, complex):
            raise self.error("complex result (a negative number to a non-integer power)")
        if not math.isfinite(result):
            raise self.error("number out of range")
        return float(result)

    def literal(self, value: Fraction) -> Number:
        return value

    def name(self, name: str) -> Number:
        value = self.lookup(name)
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
            raise TypeError(f"parameter {name!r} must be a number, not {type(value).__name__}")
        return self.checked(lambda: Fraction(value) if isinstance(value, int) else value)

    def unary(self, operator: str, operand: Number) -> Number:
        return -operand if operator == "-" else operand

    def binary(self, operator: str, left: Number, right: Number) -> Number:
        if operator == "+":
            return self.checked(lambda: left + right)
        if operator == "-":
            return self.checked(lambda: left - right)
        if operator == "*":
            return self.checked(lambda: left * right)
        if operator == "/":
            if right == 0:
                raise self.error("division by zero")
            return self.checked(lambda: left / right)
        return self.power(left, right)

    def power(self, base: Number, exponent: Number) -> Number:
        if isinstance(base, Fraction) and isinstance(exponent, Fraction) and exponent.denominator == 1:
            check_exact_power(base, exponent, self.expression)
            exact_base, integer = base, int(exponent)
            return self.checked(lambda: exact_base ** integer)
        return self.checked(lambda: float(base) ** float(exponent))

    def call(self, function: str, arguments: list[Number]) -> Number:
        if function == "abs":
            return -arguments[0] if arguments[0] < 0 else arguments[0]
        if function in _COMPARE:
            return Fraction(int(_COMPARE[function](arguments[0], arguments[1])))
        if function == "if":  # reached only if decided() declined; it never does on numbers
            return arguments[1] if arguments[0] else arguments[2]
        chosen = arguments[0]
        for argument in arguments[1:]:
            if (argument < chosen) if function == "min" else (argument > chosen):
                chosen = argument
        return chosen


    def decided(self, condition: Number) -> bool | None:
        return bool(condition)


class SympyAlgebra(Algebra[Any, object]):
    """Exact symbolic arithmetic with ``sympy`` objects (never parsing a string).

    Values are ``Any``: sympy ships no type information.
    """

    def __init__(self, expression: Located, symbols: Mapping[str, object]) -> None:
        super().__init__(expression, symbols)
        self.sympy: Any = importlib.import_module("sympy")

    def literal(self, value: Fraction) -> Any:
        return self.sympy.Rational(value.numerator, value.denominator)

    def name(self, name: str) -> Any:
        value = self.lookup(name)
        if isinstance(value, self.sympy.Basic):
            return value
        if isinstance(value, Fraction) or (isinstance(value, int) and not isinstance(value, bool)):
            return self.literal(Fraction(value))
        if isinstance(value, float):
            return self.sympy.Float(value)
        raise TypeError(f"parameter {name!r} must be a number or a sympy object, not {type(value).__name__}")

    def unary(self, operator: str, operand: Any) -> Any:
        return -operand if operator == "-" else operand

    def binary(self, operator: str, left: Any, right: Any) -> Any:
        if operator == "+":
            return left + right
        if operator == "-":
            return left - right
        if operator == "*":
            return left * right
        if operator == "/":
            if right.is_zero:
                raise self.error("division by zero")
            return left / right
        if left.is_Rational and right.is_Rational:
            check_exact_power(Fraction(int(left.p), int(left.q)), Fraction(int(right.p), int(right.q)),
                              self.expression)
        if left.is_zero and right.is_negative:
            raise self.error("division by zero")
        return self.sympy.Pow(left, right)

    def call(self, function: str, arguments: list[Any]) -> Any:
        if function in _COMPARE:
            return _COMPARE[function](arguments[0], arguments[1]) if function not in ("==", "!=") else (
                self.sympy.Eq if function == "==" else self.sympy.Ne)(arguments[0], arguments[1])
        if function == "if":
            return self.sympy.Piecewise((arguments[1], arguments[0]), (arguments[2], True))
        if function == "abs":
            return self.sympy.Abs(arguments[0])
        return (self.sympy.Min if function == "min" else self.sympy.Max)(*arguments)

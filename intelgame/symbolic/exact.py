"""Exact numbers, and expressions evaluated at points of parameter space.

A point maps symbols to ``sympy`` numbers. A rational function with rational coefficients is
evaluated there in ``Fraction`` arithmetic (turned into closures once per expression); anything else falls
back to ``sympy`` substitution. A vanishing denominator makes a value undefined (``None``).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import sympy

from intelgame.errors import SolverError

Point = dict[sympy.Symbol, sympy.Expr]


def _sympify_number(value: Any) -> sympy.Expr:
    """A value as an exact ``sympy`` number or expression (floats read from their decimal repr)."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool):
        return sympy.Integer(int(value))
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SolverError(f"cannot use the non-finite number {value} symbolically")
        return sympy.Rational(repr(value))
    if isinstance(value, str):
        return sympy.Rational(value.strip())
    raise SolverError(f"cannot read {value!r} as a number")


def _to_fraction(value: sympy.Expr) -> Fraction | float:
    """``Fraction`` for a rational ``sympy`` number, ``float`` otherwise."""
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return float(value)


def _fmt(value: sympy.Expr) -> str:
    if value.is_Rational:
        return str(value)
    return f"{float(value):.6g}"


class _NotExact(Exception):
    """An expression is not a rational function of symbols with rational values at a point."""


Exact = Callable[[Mapping[sympy.Symbol, sympy.Expr]], Fraction]
_Node = Callable[[tuple[Fraction, ...]], Fraction]


@functools.lru_cache(maxsize=4096)
def _exact_program(expr: sympy.Basic) -> Exact | None:
    """``expr`` as a function of a point that computes in ``Fraction`` (it raises
    ``ZeroDivisionError`` where a denominator vanishes, :class:`_NotExact` where a symbol has
    no rational value); ``None`` when ``expr`` is not a rational function with rational
    coefficients.

    The expression tree is turned once into a tree of closures over the values of its symbols
    (see :func:`_exact_node`), so evaluating it costs no ``sympy`` arithmetic and runs no
    generated code. Every symbol is read before any arithmetic, so a point without a rational
    value for one of them raises :class:`_NotExact` even where a denominator also vanishes."""
    symbols: dict[sympy.Basic, int] = {}
    node = _exact_node(expr, symbols)
    if node is None:
        return None
    order = tuple(symbols)

    def program(point: Mapping[sympy.Symbol, sympy.Expr]) -> Fraction:
        return node(tuple([_rational_value(point, symbol) for symbol in order]))

    return program


def _exact_node(e: sympy.Basic, symbols: dict[sympy.Basic, int]) -> _Node | None:
    """``e`` as a closure of the tuple of symbol values (``symbols`` gives each symbol's place
    and gains the new ones), computing with ``Fraction`` and ``int`` exponents only; ``None``
    when ``e`` is not built from rationals and symbols by sums, products and integer powers."""
    if e.is_Rational:
        constant = Fraction(int(e.p), int(e.q))
        return lambda values: constant
    if e.is_Symbol:
        return operator.itemgetter(symbols.setdefault(e, len(symbols)))
    if e.is_Pow and e.exp.is_Integer:
        base, k = _exact_node(e.base, symbols), int(e.exp)
        if base is None:
            return None
        if k >= 0:
            return lambda values: base(values) ** k
        return lambda values: 1 / base(values) ** -k
    if e.is_Add or e.is_Mul:
        parts = [_exact_node(a, symbols) for a in e.args]
        if any(part is None for part in parts):
            return None
        first, *rest = [part for part in parts if part is not None]
        combine = operator.add if e.is_Add else operator.mul

        def fold(values: tuple[Fraction, ...]) -> Fraction:
            total = first(values)
            for part in rest:
                total = combine(total, part(values))
            return total

        return fold
    return None


def _rational_value(point: Mapping[sympy.Basic, Any], symbol: sympy.Basic) -> Fraction:
    """The value of ``symbol`` at ``point`` as a ``Fraction`` (:class:`_NotExact` if none)."""
    value = point.get(symbol)
    if value is None or not getattr(value, "is_Rational", False):
        raise _NotExact()
    return Fraction(int(value.p), int(value.q))


def _exact_value(expr: Any, point: Mapping[sympy.Symbol, sympy.Expr]) -> Fraction | None:
    """``expr`` at ``point`` in exact arithmetic; ``None`` when undefined there. Raises
    :class:`_NotExact` when it cannot be computed so (see :func:`_exact_program`)."""
    program = _exact_program(expr) if isinstance(expr, sympy.Basic) else None
    if program is None:
        raise _NotExact()
    try:
        return program(point)
    except ZeroDivisionError:
        return None


def _evaluate(expr: sympy.Expr, point: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr | None:
    """``expr`` at ``point``; ``None`` when undefined there (a vanishing denominator)."""
    try:
        exact = _exact_value(expr, point)
    except _NotExact:
        value = sympy.sympify(expr).xreplace(dict(point))
        if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            return None
        return value
    return None if exact is None else sympy.Rational(exact.numerator, exact.denominator)


def _sign(value: sympy.Expr) -> int | None:
    """-1, 0, 1 for a real ``sympy`` number; ``None`` if undecidable or not a number."""
    if value.free_symbols:
        if value.is_positive:
            return 1
        if value.is_negative:
            return -1
        if value.is_zero:
            return 0
        return None
    if value.is_Rational:
        return int(bool(value > 0)) - int(bool(value < 0))
    decided = _certain_sign(value)
    if decided is not None:
        return decided
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    approx = sympy.N(value, 60)
    if not approx.is_real:
        return None
    return 0 if abs(approx) < sympy.Float(10) ** -50 else (1 if approx > 0 else -1)


#: Digits of the numerical evaluation that decides a sign first, and the magnitude below which
#: the numerical value decides nothing (the exact route of ``sympy``'s assumptions then does).
SIGN_DIGITS, SIGN_MARGIN = 60, sympy.Float(10) ** -40


def _certain_sign(value: sympy.Expr) -> int | None:
    """The sign of a real number without free symbols when a numerical evaluation to
    :data:`SIGN_DIGITS` digits (``evalf``, which raises its working precision on cancellation)
    is at least :data:`SIGN_MARGIN` away from 0; ``None`` otherwise (possibly 0: decided
    exactly by the caller). Asking ``sympy``'s assumptions first cost seconds per threshold
    scan at irrational roots, where almost every value is far from 0."""
    approx = value.evalf(SIGN_DIGITS)
    if not (approx.is_Float and approx.is_real) or abs(approx) < SIGN_MARGIN:
        return None
    return 1 if approx > 0 else -1


def _sign_at(expr: sympy.Expr, point: Mapping[sympy.Symbol, sympy.Expr] | None) -> int | None:
    """The sign of ``expr`` at ``point`` (or, without a point, as ``sympy`` can decide it)."""
    if point is None:
        return _sign(sympy.sympify(expr))
    try:
        exact = _exact_value(expr, point)
    except _NotExact:
        value = _evaluate(expr, point)
        return None if value is None else _sign(value)
    return None if exact is None else (exact > 0) - (exact < 0)

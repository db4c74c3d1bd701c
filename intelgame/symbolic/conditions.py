"""Conditions :math:`g(\\theta) \\mathrel{R} 0` on the parameters.

A condition is normalised to :math:`g` a factored rational function, constant factors and
factors ``sympy`` knows to be positive (or negative, flipping :math:`R`) removed; a decided one
is a truth value.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sympy

from intelgame.symbolic.exact import (
    _evaluate,
    _exact_value,
    _NotExact,
    _sign,
)
from intelgame.errors import SolverError

Operator = Literal["<", "<=", ">", ">=", "==", "!="]

_FLIP: dict[str, Operator] = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _clean(expr: Any) -> sympy.Expr:
    """Canonical rational-function form (``cancel``) of a ``sympy`` expression."""
    return sympy.cancel(sympy.together(sympy.sympify(expr)))


@dataclass(frozen=True)
class Condition:
    """``expr op 0`` with ``expr`` a factored rational function of the parameters.

    Examples
    --------
    >>> x = sympy.Symbol("x", real=True)
    >>> Condition.make(2 - 2 * x, "<")
    Condition(expr=x - 1, op='>')
    >>> Condition.make(-3, "<")
    True
    """

    expr: sympy.Expr
    op: Operator

    @staticmethod
    def make(expr: Any, op: Operator) -> Condition | bool:
        """The normalised condition ``expr op 0``, or its truth value when it is decided."""
        e = sympy.factor(_clean(expr))
        coefficient, rest = e.as_coeff_Mul()
        factors = []
        for f in sympy.Mul.make_args(rest):
            base, k = f.as_base_exp()
            factors.append((base, int(k)) if k.is_Integer else (f, 1))
        return Condition._from_factors(coefficient, factors, op)

    @staticmethod
    def _from_factors(coefficient: sympy.Expr, factors: Sequence[tuple[sympy.Expr, int]],
                      op: Operator) -> Condition | bool:
        if coefficient == 0:
            return _compare(sympy.Integer(0), op)
        if coefficient < 0:
            op = _FLIP[op]
        kept = []
        for base, k in factors:
            if base.is_number:
                if base < 0 and k % 2:
                    op = _FLIP[op]
                continue
            nonzero, positive, negative = _known_signs(base)
            if op in ("==", "!=") and nonzero:
                continue
            if positive:
                continue
            if negative:
                op = _FLIP[op] if k % 2 else op
                continue
            kept.append(base ** k)
        if not kept:
            return _compare(sympy.Integer(1), op)
        return Condition(sympy.Mul(*kept), op)

    @property
    def relational(self) -> sympy.Basic:
        """The condition as a ``sympy`` relational ``expr op 0``."""
        return sympy.Rel(self.expr, 0, self.op)

    @property
    def free_symbols(self) -> set[sympy.Symbol]:
        return set(self.expr.free_symbols)

    @property
    def factors(self) -> list[sympy.Expr]:
        """The irreducible factors of ``expr`` (numerator and denominator)."""
        return [f.as_base_exp()[0] for f in sympy.Mul.make_args(self.expr) if not f.is_number]

    def holds(self, point: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
        """Whether the condition holds at ``point`` (``False`` where ``expr`` is undefined)."""
        try:
            exact = _exact_value(self.expr, point)
        except _NotExact:
            value = _evaluate(self.expr, point)
            if value is None:
                return False
            s = _sign(value)
            if s is None:
                raise SolverError(f"cannot decide {self} at the given point (free: {value.free_symbols})") from None
        else:
            if exact is None:
                return False
            s = (exact > 0) - (exact < 0)
        return _sign_satisfies(s, self.op)

    def __str__(self) -> str:
        return f"{self.expr} {self.op} 0"


_PLAIN_REAL = sympy.Symbol("x", real=True).assumptions0


@functools.lru_cache(maxsize=4096)
def _known_signs(base: sympy.Expr) -> tuple[bool | None, bool | None, bool | None]:
    """Whether a factor is non-zero, positive, negative for all parameter values, as far as
    ``sympy``'s assumptions decide (``None``: not decided). A polynomial of odd degree in a
    symbol known only to be real takes every real value, so none holds; only other factors
    are left to the (slow) assumptions. Memoised: the same factors recur in many conditions."""
    if _takes_every_real_value(base):
        return None, None, None
    return base.is_nonzero, base.is_positive, base.is_negative


def _takes_every_real_value(e: sympy.Expr) -> bool:
    """Whether ``e`` is an expanded polynomial of odd degree in one of its symbols, all of
    them known only to be real (read off its monomials; ``False``: not known)."""
    degrees: dict[sympy.Basic, int] = {}
    for term in sympy.Add.make_args(e):
        for factor in sympy.Mul.make_args(term):
            if factor.is_Number:
                continue
            base, k = factor.as_base_exp()
            if not (base.is_Symbol and k.is_Integer and k > 0):
                return False
            degrees[base] = max(degrees.get(base, 0), int(k))
    return (any(d % 2 for d in degrees.values())
            and all(s.assumptions0 == _PLAIN_REAL for s in degrees))


def _compare(value: sympy.Expr, op: str) -> bool:
    s = _sign(value)
    if s is None:
        raise SolverError(f"cannot decide the sign of {value}")
    return _sign_satisfies(s, op)


def _sign_satisfies(s: int, op: str) -> bool:
    """Whether a number of sign ``s`` (-1, 0, 1) satisfies ``number op 0``."""
    return {"<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0, "==": s == 0, "!=": s != 0}[op]

"""The field :math:`\\mathbb{Q}(\\theta, x)` of rational functions in the parameters :math:`\\theta`
(and strategy variables :math:`x`), where the elimination runs, and the factorisation of its
elements' numerators and denominators into irreducible polynomials of :math:`\\theta`."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy

from intelgame.symbolic.budget import charge, entry_size, entry_work, factor_work
from intelgame.symbolic.conditions import Condition, Operator
from intelgame.symbolic.exact import _evaluate, _sign, _sympify_number
from intelgame.errors import SolverError


class _Factorer:
    """Factorisation of polynomials in the parameters, memoised: trial division by the
    irreducible factors met so far, a cheap irreducibility test (a primitive polynomial of
    degree 1 in some variable is irreducible iff its two coefficients in that variable are
    coprime), and ``factor_list`` only when both fail. Polynomials are taken over
    :math:`\\mathbb{Z}` (as :class:`_Field` keeps numerators and denominators), factors are
    primitive with a positive leading coefficient."""

    def __init__(self, symbols: tuple[sympy.Symbol, ...]) -> None:
        self.ring = sympy.polys.rings.PolyRing(symbols, sympy.ZZ, sympy.polys.orderings.lex)
        self.known: list[tuple[Any, int, int]] = []  # (factor, a variable it has, its degree there)
        self._factored: dict[Any, tuple[sympy.Rational, list[tuple[Any, int]]]] = {}
        self._exprs: dict[Any, sympy.Expr] = {}
        self._polynomials: dict[sympy.Expr, Any] = {}

    def expr(self, f: Any) -> sympy.Expr:
        """An irreducible factor as a ``sympy`` expression (one object per factor)."""
        if f not in self._exprs:
            self._exprs[f] = e = f.as_expr()
            self._polynomials[e] = f
        return self._exprs[f]

    def polynomial(self, e: sympy.Expr) -> Any | None:
        """The factor that :meth:`expr` turned into ``e`` (``None`` if it made none)."""
        return self._polynomials.get(e)

    @staticmethod
    def _primitive(p: Any) -> tuple[int, Any]:
        """``(c, q)`` with ``p = c q``, ``q`` with coprime coefficients and a positive LC."""
        content = math.gcd(*(int(c) for c in p.coeffs()))
        if p.LC < 0:
            content = -content
        return content, p.quo_ground(content)

    def factor(self, p: Any) -> tuple[sympy.Rational, list[tuple[Any, int]]]:
        """``(c, [(f, k), ...])`` with ``p = c * prod f**k``, each ``f`` irreducible."""
        if p not in self._factored:
            self._factored[p] = self._factor(p)
        coefficient, factors = self._factored[p]
        return coefficient, list(factors)

    def _factor(self, p: Any) -> tuple[sympy.Rational, list[tuple[Any, int]]]:
        if p.is_ground:
            return sympy.Integer(int(p.LC)), []
        charge(factor_work(p, False), f"factorising a polynomial of {len(p)} terms")
        coefficient, q = self._primitive(p)
        found: dict[Any, int] = {}
        for f, i, degree in self.known:
            while degree <= q.degree(i):
                try:
                    q = q.exquo(f)
                except sympy.polys.polyerrors.ExactQuotientFailed:
                    break
                found[f] = found.get(f, 0) + 1
            if q.is_ground:
                break
        if not q.is_ground:
            for f, k in self._split(q):
                found[f] = found.get(f, 0) + k
        return sympy.Integer(coefficient * int(q.LC) if q.is_ground else coefficient), list(found.items())

    def _split(self, q: Any) -> list[tuple[Any, int]]:
        """The irreducible factors of a primitive non-constant ``q`` (new ones are remembered)."""
        for g in q.ring.gens:
            if q.degree(g) == 1:
                a = q.diff(g)
                b = q - a * g
                if b == 0:
                    parts = [(g, 1)] + (self._split(self._primitive(a)[1]) if not a.is_ground else [])
                    break
                common = a.gcd(b)
                if common.is_ground:
                    parts = [(q, 1)]
                else:
                    common = self._primitive(common)[1]
                    parts = self._split(common) + self._split(self._primitive(q.exquo(common))[1])
                break
        else:
            charge(factor_work(q, True), f"factorising a polynomial of {len(q)} terms")
            _, listed = q.factor_list()
            parts = [(self._primitive(f)[1], k) for f, k in listed]
        for f, _ in parts:
            if not f.is_ground and all(f != known for known, _, _ in self.known):
                i = next(i for i, k in enumerate(max(f.monoms())) if k)
                self.known.append((f, i, f.degree(i)))
        return parts


@functools.lru_cache(maxsize=64)
def _factorer(parameters: tuple[sympy.Symbol, ...]) -> _Factorer:
    """The factorer shared by the fields of these parameters (bounded: the least recently used
    go first)."""
    return _Factorer(parameters)


class _Field:
    """The field :math:`\\mathbb{Q}(\\theta, x)` of rational functions in the parameters and the
    strategy variables, where the elimination runs (``sympy.polys`` field elements: exact,
    canonical, and much faster than ``sympy`` expression arithmetic).

    It is built as the fraction field of :math:`\\mathbb{Z}[\\theta, x]`: the same field, with
    the same canonical form (numerator and denominator with coprime integer coefficients, the
    denominator's leading coefficient positive), but its arithmetic skips the clearing of
    denominators that ``sympy`` does over :math:`\\mathbb{Q}` at every operation."""

    def __init__(self, symbols: Sequence[sympy.Symbol], parameters: Sequence[sympy.Symbol] = ()) -> None:
        gens = list(dict.fromkeys(symbols)) or [sympy.Dummy("unused")]
        self.K = sympy.ZZ.frac_field(*gens)
        self._rational_ring = sympy.polys.rings.PolyRing(gens, sympy.QQ, sympy.polys.orderings.lex)
        self.symbols = tuple(gens)
        self.zero, self.one = self.K.zero, self.K.one
        self.parameters = tuple(parameters) or (sympy.Dummy("unused"),)
        self.factorer = _factorer(self.parameters)
        self._point_key: Any = None
        self._values: tuple[Any, ...] = ()
        self._converted: dict[tuple[type, Any], Any] = {}
        self._conditions: dict[tuple[Any, str], Condition | bool] = {}

    @staticmethod
    def of_parameters(parameters: Sequence[sympy.Symbol]) -> _Field:
        """The field :math:`\\mathbb{Q}(\\theta)` of the parameters alone, shared by every
        analysis of games with these parameters (conversions of entries are remembered)."""
        return _parameter_field(tuple(parameters))

    def __call__(self, value: Any) -> Any:
        """A game entry (number or rational expression) or an element of another field as an
        element of this one."""
        field_of_value = getattr(value, "field", None)
        if field_of_value is self.K.field:
            return value
        key = (type(value), value)
        if key in self._converted:
            return self._converted[key]
        if isinstance(value, sympy.polys.fields.FracElement):
            converted = self.K.convert_from(value, value.field.to_domain())
        else:
            try:
                expr = _sympify_number(value)
                size = entry_size(expr)
                charge(entry_work(size), f"expanding an entry of degree up to {size[1]}")
                converted = self._from_sympy(expr)
            except (ValueError, TypeError, sympy.polys.polyerrors.CoercionFailed):
                raise SolverError(f"{value} is not a rational function of the symbolic parameters; "
                                  "symbolic analysis needs payoffs without min/max/abs") from None
        self._converted[key] = converted
        return converted

    def _from_sympy(self, value: sympy.Expr) -> Any:
        """A polynomial is built in the ring (no gcd at each step), anything else in the field."""
        try:
            polynomial = self._rational_ring.from_expr(value)
        except (ValueError, TypeError, sympy.polys.polyerrors.CoercionFailed):
            return self.K.from_sympy(value)
        denominator, integral = polynomial.clear_denoms()
        ring = self.K.field.ring
        return self.K.field.new(integral.set_ring(ring), ring(int(denominator)))

    def gen(self, symbol: sympy.Symbol) -> Any:
        return self.K.gens[self.symbols.index(symbol)]

    def expr(self, e: Any) -> sympy.Expr:
        """The element as a ``sympy`` expression (factored when it involves parameters only)."""
        try:
            coefficient, factors = self.factors(e)
        except _NotParametric:
            return self.K.to_sympy(e)
        return coefficient * sympy.Mul(*(f ** k for f, k in factors))

    def factors(self, e: Any) -> tuple[sympy.Rational, list[tuple[sympy.Expr, int]]]:
        """``(c, [(f, k), ...])`` with ``e = c * prod f**k`` (``k < 0`` for the denominator)."""
        if e == 0:
            return sympy.Integer(0), []
        ring = self.factorer.ring
        try:
            numer, denom = e.numer.set_ring(ring), e.denom.set_ring(ring)
        except sympy.polys.polyerrors.GeneratorsError:
            raise _NotParametric() from None
        cn, fn = self.factorer.factor(numer)
        cd, fd = self.factorer.factor(denom)
        expr = self.factorer.expr
        return cn / cd, [(expr(f), k) for f, k in fn] + [(expr(f), -k) for f, k in fd]

    def condition(self, e: Any, op: Operator) -> Condition | bool:
        """The condition ``e op 0`` on the parameters (or its truth value when decided),
        memoised: the same elements recur in the systems of many support profiles."""
        key = (e, op)
        if key not in self._conditions:
            self._conditions[key] = Condition._from_factors(*self.factors(e), op)
        return self._conditions[key]

    def value(self, e: Any, point: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr | None:
        """The element at ``point`` (symbols missing from it stay); ``None`` if undefined."""
        key = tuple(point.get(g) for g in self.symbols)
        if key != self._point_key:
            self._point_key = key
            self._values = key
            self._rational = all(v is None or v.is_Rational for v in self._values)
            self._qq = tuple(None if v is None else Fraction(int(v.p), int(v.q)) if v.is_Rational else None
                             for v in self._values)
        if self._rational:
            try:
                d = _poly_value(e.denom, self._qq)
                n = _poly_value(e.numer, self._qq)
            except _Missing:
                pass
            else:
                if d == 0:
                    return None
                q = n / d
                return sympy.Rational(q.numerator, q.denominator)
        return _evaluate(self.K.to_sympy(e), point)

    def sign(self, e: Any, point: Mapping[sympy.Symbol, sympy.Expr] | None) -> int | None:
        """The sign of ``e`` at ``point``; without a point, as far as ``sympy`` can decide it."""
        if e == 0:
            return 0
        if point is None:
            return _sign(self.K.to_sympy(e))
        v = self.value(e, point)
        return None if v is None else _sign(v)

    def size(self, e: Any) -> int:
        return len(e.numer.terms()) + len(e.denom.terms())


@functools.lru_cache(maxsize=64)
def _parameter_field(parameters: tuple[sympy.Symbol, ...]) -> _Field:
    """:meth:`_Field.of_parameters` (bounded: the least recently used go first)."""
    return _Field(parameters, parameters)


class _NotParametric(Exception):
    """An element involves strategy variables (it is not factored)."""


class _Missing(Exception):
    """A polynomial uses a symbol the point does not give."""


def _poly_value(poly: Any, values: tuple[Fraction | None, ...]) -> Fraction:
    total = Fraction(0)
    for monomial, coefficient in poly.terms():
        term = Fraction(int(coefficient.numerator), int(coefficient.denominator))
        for v, k in zip(values, monomial):
            if k:
                if v is None:
                    raise _Missing()
                term *= v ** k
        total += term
    return total

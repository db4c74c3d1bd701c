"""Polynomials of degree 1 in one parameter :math:`x`: the coefficients of :math:`a x + b` and the
root :math:`-b/a`, written exactly as ``sympy.Poly`` and ``sympy.factor`` write them."""

from __future__ import annotations

import math
from collections.abc import Iterable

import sympy


def _linear_coefficients(f: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr] | None:
    """``(a, b)`` with ``f = a x + b`` and ``a`` not zero (``None`` if ``f`` is not of degree 1
    in ``x``), as ``sympy.Poly(f, x).all_coeffs()`` gives them. An expanded polynomial's
    coefficients are read off its monomials; anything else goes through ``sympy.Poly``."""
    by_degree: dict[int, list[sympy.Expr]] = {}
    for term in sympy.Add.make_args(f):
        degree, rest = 0, []
        for factor in sympy.Mul.make_args(term):
            base, k = factor.as_base_exp()
            if factor.is_Number or base != x and base.is_Symbol and k.is_Integer and k > 0:
                rest.append(factor)
            elif base == x and k.is_Integer and k > 0:
                degree = int(k)
            else:
                poly = sympy.Poly(f, x)
                return (poly.all_coeffs()[0], poly.all_coeffs()[1]) if poly.degree() == 1 else None
        by_degree.setdefault(degree, []).append(sympy.Mul(*rest))
    if max(by_degree) != 1:
        return None
    return sympy.Add(*by_degree[1]), sympy.Add(*by_degree.get(0, []))


def _linear_root(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """The root :math:`-b/a` of :math:`a x + b`, factored: ``sympy.factor(-b / a)``.

    When ``a`` and ``b`` are linear forms (affine in the parameters) each is irreducible, so
    the factorisation is read off directly and assembled as ``sympy.factor`` assembles it: the
    rational coefficient times the primitive parts, each with a positive leading coefficient
    in ``sympy``'s order of its symbols (see :func:`_linear_form`), kept apart by
    :func:`_times`."""
    fa, fb = _linear_form(a), _linear_form(b)
    if fa is None or fb is None:
        return sympy.factor(-b / a)
    if fb[0] == 0:
        return sympy.Integer(0)
    (ca, pa), (cb, pb) = fa, fb
    parts = [p ** k for p, k in ((pb, 1), (pa, -1)) if p is not None]
    return _times(-cb / ca, sympy.Mul(*parts))


def _linear_form(e: sympy.Expr) -> tuple[sympy.Rational, sympy.Expr | None] | None:
    """``(c, p)`` with ``e = c p``, ``p`` a primitive integer linear form with a positive
    leading coefficient (``None`` when ``e`` is constant), if ``e`` is an expanded polynomial
    of degree at most 1 with rational coefficients (``None`` otherwise)."""
    coefficients: dict[sympy.Basic, sympy.Rational] = {}
    constant = sympy.Integer(0)
    for term in sympy.Add.make_args(e):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational:
            return None
        if rest is sympy.S.One:
            constant += c
        elif rest.is_Symbol:
            coefficients[rest] = c
        else:
            return None
    if not coefficients:
        return constant, None
    scale = math.lcm(*(int(c.q) for c in (*coefficients.values(), constant)))
    integers = {s: int(c.p) * (scale // int(c.q)) for s, c in coefficients.items()}
    integral_constant = int(constant.p) * (scale // int(constant.q))
    content = math.gcd(*integers.values(), integral_constant)
    if integers[_leading_symbol(coefficients)] < 0:
        content = -content
    primitive = sympy.Add(*(sympy.Integer(k // content) * s for s, k in integers.items()),
                          sympy.Integer(integral_constant // content))
    return sympy.Rational(content, scale), primitive


def _leading_symbol(symbols: Iterable[sympy.Basic]) -> sympy.Basic:
    """The first of ``symbols`` in the order ``sympy.Poly`` gives the generators it infers
    from an expression (a name order that puts e.g. ``x`` before ``y``, not plain alphabetical).
    ``sympy.factor`` makes each factor's leading coefficient in that order positive, so this
    symbol's coefficient decides the sign of a primitive linear form."""
    return sympy.Poly(sympy.Add(*symbols)).gens[0]


def _times(coefficient: sympy.Rational, factors: sympy.Expr) -> sympy.Expr:
    """``coefficient * factors`` written as ``sympy.factor`` writes a factored result.

    Plain ``coefficient * factors`` would distribute a rational over a sum (``(x + 2)/2``
    would become ``x/2 + 1``); here the coefficient stays a factor of its own, in front of the
    other factors, except that 1 is dropped and -1 negates. This is what ``sympy``'s internal
    ``_keep_coeff`` does for a number times a product, a power or a sum, built from public
    constructors (an unevaluated ``Mul`` holds exactly the arguments it is given)."""
    if factors is sympy.S.One:
        return coefficient
    if coefficient is sympy.S.One:
        return factors
    if coefficient is sympy.S.NegativeOne:
        return -factors
    if factors.is_Add:
        return sympy.Mul(coefficient, factors, evaluate=False)
    if factors.is_Mul:
        args = list(factors.args)
        if args[0].is_Number:
            args[0] *= coefficient
            if args[0] == 1:
                args.pop(0)
        else:
            args.insert(0, coefficient)
        return sympy.Mul(*args, evaluate=False)
    product = coefficient * factors
    if product.is_Number and not factors.is_Number:
        product = sympy.Mul(coefficient, factors, evaluate=False)
    return product

"""Real roots in the varied parameter of the irreducible factors of derived conditions (and of
the seeds: the payoff comparisons that decide pure PBE), with their expressions in the other
parameters."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from intelgame.symbolic.budget import charge, roots_work, terms
from intelgame.symbolic.exact import (
    Point,
    _evaluate,
    _NotExact,
    _rational_value,
)
from intelgame.symbolic.fields import _Factorer, _Field
from intelgame.symbolic.linear import _linear_coefficients, _linear_root
from intelgame.symbolic.profiles import (
    ExistenceConditions,
    Profile,
    _parameters,
)
from intelgame.games.signalling import SignallingGame


@dataclass(frozen=True)
class _Root:
    """A real root ``value`` in the varied parameter of an irreducible ``factor`` met in the
    conditions of ``profile`` (the seeds have the empty profile)."""

    value: sympy.Expr
    factor: sympy.Expr
    profile: Profile


class _RootFinder:
    """Real roots in ``x`` of irreducible polynomials, the other parameters at ``others``.

    Both results are memoised per factor (the same factor recurs in many conditions), and a
    root's expression in the other parameters, which needs ``sympy.factor`` or ``sympy.solve``,
    is derived only when a threshold asks for it.
    """

    def __init__(self, x: sympy.Symbol, others: Point, factorer: _Factorer) -> None:
        self.x = x
        self.others = others
        self.factorer = factorer
        self._values: dict[sympy.Expr, tuple[sympy.Expr, ...]] = {}
        self._expressions: dict[tuple[sympy.Expr, sympy.Expr], sympy.Expr | None] = {}

    def values(self, factor: sympy.Expr) -> tuple[sympy.Expr, ...]:
        """The real roots of ``factor`` along ``x`` (none if it does not vary along ``x``)."""
        if factor not in self._values:
            linear = self._linear_along(factor)
            if linear is not None:
                self._values[factor] = linear
            else:
                x = self.x
                along = sympy.expand(factor.xreplace(self.others))
                if along == 0 or x not in along.free_symbols or along.free_symbols - {x}:
                    self._values[factor] = ()
                else:
                    poly = sympy.Poly(along, x)
                    bits = max(abs(int(c)).bit_length() for c in poly.clear_denoms()[1].coeffs())  # as isolated
                    charge(roots_work(poly.degree(), bits), f"the real roots of a polynomial of degree {poly.degree()}")
                    self._values[factor] = tuple(set(poly.real_roots()))
        return self._values[factor]

    def _linear_along(self, factor: sympy.Expr) -> tuple[sympy.Expr, ...] | None:
        """:meth:`values` from the factorer's polynomial, in exact arithmetic, when the factor
        is of degree at most 1 along ``x`` (``None``: not decided so)."""
        polynomial = self.factorer.polynomial(factor)
        if polynomial is None or self.x not in polynomial.ring.symbols:
            return None
        i = polynomial.ring.symbols.index(self.x)
        try:
            at = [Fraction(1) if j == i else _rational_value(self.others, g)
                  for j, g in enumerate(polynomial.ring.symbols)]
        except _NotExact:
            return None
        coefficients = [Fraction(0), Fraction(0)]
        for monomial, c in polynomial.terms():
            if monomial[i] > 1:
                return None
            coefficients[monomial[i]] += int(c) * math.prod((v ** k for v, k in zip(at, monomial) if k), start=Fraction(1))
        b, a = coefficients
        if a == 0:
            return ()
        root = -b / a
        return (sympy.Rational(root.numerator, root.denominator),)

    def expression(self, root: _Root) -> sympy.Expr | None:
        """The root as an expression in the other parameters: :math:`-b/a` for a factor
        :math:`a x + b`, the matching solution of a quadratic, ``None`` for higher degrees."""
        key = (root.factor, root.value)
        if key not in self._expressions:
            coefficients = _linear_coefficients(root.factor, self.x)
            found: sympy.Expr | None = None
            if coefficients is not None:
                found = _linear_root(*coefficients)
            elif sympy.Poly(root.factor, self.x).degree() == 2:
                for candidate in sympy.solve(root.factor, self.x):
                    at = _evaluate(candidate, self.others)
                    if at is not None and abs(sympy.N(at - root.value, 30)) < 1e-20:
                        found = candidate
                        break
            self._expressions[key] = found
        return self._expressions[key]

    def roots(self, factors: Sequence[sympy.Expr], profile: Profile) -> list[_Root]:
        """The real roots of the ``factors`` that involve ``x``."""
        return [_Root(r, f, profile) for f in factors if self.x in f.free_symbols for r in self.values(f)]


def _roots(conditions: ExistenceConditions, finder: _RootFinder) -> list[_Root]:
    """Real roots in ``x`` of every factor of every condition and assumption."""
    out: list[_Root] = []
    for cond in (*conditions.conditions, *conditions.assumptions):
        if finder.x in cond.free_symbols:
            out += finder.roots(cond.factors, conditions.profile)
    return out


def _seed_roots(game: SignallingGame, finder: _RootFinder) -> list[_Root]:
    """Places worth solving at, whether or not an equilibrium found so far changes there: the
    roots of the prior, of each type's payoff differences between outcomes, and of the
    receiver's expected payoff differences at the prior restricted to each set of types (the
    conditions of pure PBE). They become thresholds only if the PBE set changes there."""
    n_t, n_m, n_a = game.shape
    fld = _Field.of_parameters(_parameters(game))
    prior = [fld(p) for p in game.prior]
    us = [[[fld(u) for u in c] for c in r] for r in game.sender_payoffs]
    ur = [[[fld(u) for u in c] for c in r] for r in game.receiver_payoffs]
    largest = [max(terms(x) for x in values) for values in
               (prior, [x for r in us for c in r for x in c], [x for r in ur for c in r for x in c])]
    charge(n_t * math.comb(n_m * n_a, 2) * 2 * largest[1]
           + n_m * (2 ** n_t - 1) * math.comb(n_a, 2) * n_t * largest[0] * 2 * largest[2],
           "the payoff comparisons of pure PBE")
    elements: list[Any] = list(prior)
    for t in range(n_t):
        outcomes = [us[t][m][a] for m in range(n_m) for a in range(n_a)]
        elements += [u - w for u, w in itertools.combinations(outcomes, 2)]
    for m in range(n_m):
        for k in range(1, n_t + 1):
            for types in itertools.combinations(range(n_t), k):
                for a, b in itertools.combinations(range(n_a), 2):
                    elements.append(sum((prior[t] * (ur[t][m][a] - ur[t][m][b]) for t in types), fld.zero))
    factors: set[sympy.Expr] = set()
    for e in set(elements):
        if e != 0:
            factors.update(f for f, _ in fld.factors(e)[1] if finder.x in f.free_symbols)
    having: dict[sympy.Expr, list[sympy.Expr]] = {}
    for root in finder.roots(list(factors), ((), ())):
        having.setdefault(root.value, []).append(root.factor)
    # one seed per value, of the factor first by name (printing them all to sort is slow)
    return [_Root(value, fs[0] if len(fs) == 1 else min(fs, key=str), ((), ())) for value, fs in having.items()]

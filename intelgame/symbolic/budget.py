"""The work budget of a symbolic derivation (``intelgame thresholds --max-work``).

The cost of the derivation is that of polynomial arithmetic, and a spec can make its
polynomials as large as it likes (a payoff of degree 50 in the varied parameter, nested powers
``((1 + c)**64)**64``, many symbolic parameters, coefficients of a thousand bits). The work is
therefore *counted*, deterministically, in the unit of the solver's budget (tableau entries,
:class:`~intelgame.errors.WorkLimitExceeded`; 1e7 is about 5 s), so that one ``--max-work``
bounds both:

* a polynomial **term operation** counts 1: multiplying two polynomials of :math:`s_1` and
  :math:`s_2` terms counts about :math:`s_1 s_2` (each row operation of an elimination, each
  division of Fourier-Motzkin, over the numerators and denominators of its field elements);
  factorising a polynomial of :math:`s` terms and total degree :math:`d` counts
  :math:`s (d + 1)` (trial division) or :math:`s (d + 1)^2` (a full factorisation);
  isolating the real roots of a polynomial of degree :math:`d` in the varied parameter, with
  coefficients of :math:`b` bits, counts :math:`(d + 1)^4 (1 + b / 64)^2` (the classical
  bound of Descartes' rule of signs bisection, in words); turning a game entry into a
  polynomial counts the bound of :func:`entry_work`; a product of field elements counts the
  product of their weights (:func:`terms`) times one plus their degree;
* a **numerical solve** at a sample point counts at least its belief cells
  (:func:`~intelgame.solvers.pbe.enumeration.minimum_work`), and its own enumeration is
  stopped by the budget that remains.

Before any work, :func:`check_entries` refuses a game whose entries alone, expanded, exceed the
budget (their size is bounded from the expression trees, without expanding them); during the
derivation each operation is charged *before* it runs, so none starts that the budget cannot
pay for. The count is a measure of work, not of time: a term operation on thousand-bit
coefficients costs more than one on small integers.

The budget in force is the one of the innermost :func:`budget` context (none: no limit), so
the derivation's modules charge it with :func:`charge` without passing it around.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sympy

from intelgame import interrupts
from intelgame.errors import WorkLimitExceeded

#: What the derivation is called in the refusal.
TASK = "the symbolic derivation of thresholds"
#: The unit, as the refusal names it.
UNIT = "units (term operations and tableau entries)"
#: Beyond this many terms a bound is not computed further (it is only compared with budgets).
CAP = 10**18


@dataclass
class Budget:
    """``limit`` units of work (``None``: no limit), ``spent`` so far, for ``game``."""

    limit: int | None
    game: object
    spent: int = 0

    def charge(self, units: int, what: str) -> None:
        """Count ``units`` of work for ``what``; raise :class:`~intelgame.errors.WorkLimitExceeded`
        when they take the total past the limit (the work is not done then)."""
        self.spent += units
        if self.limit is not None and self.spent > self.limit:
            raise WorkLimitExceeded(self.spent, self.limit, self.game, scope=TASK, unit=UNIT,
                                    detail=f", at {what}", hint=" (1e7 is about 5 s)")

    def remaining(self) -> int | None:
        return None if self.limit is None else max(1, self.limit - self.spent)


_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("symbolic_budget", default=None)


@contextmanager
def budget(limit: int | None, game: object) -> Iterator[Budget]:
    """Make a :class:`Budget` of ``limit`` units the one :func:`charge` counts against."""
    current = Budget(limit, game)
    token = _CURRENT.set(current)
    try:
        yield current
    finally:
        _CURRENT.reset(token)


def charge(units: int, what: str) -> None:
    """Count ``units`` against the budget in force (nothing without one); a requested stop
    (:mod:`intelgame.interrupts`) is raised here."""
    interrupts.check()
    current = _CURRENT.get()
    if current is not None:
        current.charge(units, what)


def remaining() -> int | None:
    """The work left in the budget in force (``None``: no limit)."""
    current = _CURRENT.get()
    return None if current is None else current.remaining()


def terms(element: Any) -> int:
    """The weight of a field element: over its numerator and denominator, the terms times one
    plus the coefficients' 64-bit words."""
    return _weight(element.numer) + _weight(element.denom)


def _weight(polynomial: Any) -> int:
    if len(polynomial) <= 1 and polynomial.is_ground:
        return 1
    bits = max(abs(int(c)).bit_length() for c in polynomial.coeffs())
    return int(len(polynomial) * (1 + bits // 64))


def _degree(element: Any) -> int:
    return max(max((sum(m) for m in p.monoms()), default=0) for p in (element.numer, element.denom))


def product_work(pairs: Iterable[tuple[Any, Any]]) -> int:
    """The work of the products ``a * b`` of field elements, for every pair: the product of
    their weights (:func:`terms`) times one plus their degree (the cancellation by the gcd)."""
    return sum(terms(a) * terms(b) * (1 + max(_degree(a), _degree(b))) for a, b in pairs)


def roots_work(degree: int, bits: int) -> int:
    """The count of isolating the real roots of a polynomial of ``degree`` with ``bits``-bit
    coefficients."""
    return (degree + 1) ** 4 * (1 + bits // 64) ** 2


def factor_work(polynomial: Any, full: bool) -> int:
    """The count of factorising ``polynomial`` (a ``sympy`` ring element): trial division, or
    a full factorisation (``full``)."""
    degree = max((sum(m) for m in polynomial.monoms()), default=0)
    return len(polynomial) * (degree + 1) ** (2 if full else 1)


Size = tuple[int, int, int]


def entry_size(expr: sympy.Basic, memo: dict[sympy.Basic, Size] | None = None) -> Size:
    """``(terms, degree, bits)``: bounds on the number of terms, the total degree and the
    coefficients' bits of ``expr`` written as an expanded polynomial (numerator and
    denominator alike), read from its expression tree without expanding it: a sum has at most
    the terms of its parts, a product at most the product of theirs, a power ``b**n`` at most
    ``terms(b)**|n|``, and none more than the monomials of its degree in its symbols; bits add
    up in products (and powers), with the logarithm of the terms combined. Capped at
    :data:`CAP`."""
    memo = {} if memo is None else memo
    if expr in memo:
        return memo[expr]
    found: Size
    if expr.is_Symbol:
        found = (1, 1, 1)
    elif expr.is_Rational:
        found = (1, 0, max(abs(int(expr.p)).bit_length(), int(expr.q).bit_length()))
    elif expr.is_Number or not expr.free_symbols:
        found = (1, 0, 64)
    elif expr.is_Add:
        parts = [entry_size(a, memo) for a in expr.args]
        found = (min(CAP, sum(t for t, _, _ in parts)), max(d for _, d, _ in parts),
                 min(CAP, sum(b for _, _, b in parts)))
    elif expr.is_Mul:
        parts = [entry_size(a, memo) for a in expr.args]
        found = _dense(expr, min(CAP, math.prod(t for t, _, _ in parts)), min(CAP, sum(d for _, d, _ in parts)),
                       min(CAP, sum(b + t.bit_length() for t, _, b in parts)))
    elif expr.is_Pow and expr.exp.is_Integer:
        t, d, b = entry_size(expr.base, memo)
        n = abs(int(expr.exp))
        found = _dense(expr, CAP if t > 1 and n * math.log(t) > math.log(CAP) else t ** n, min(CAP, d * n),
                       min(CAP, n * (b + t.bit_length())))
    else:  # not a rational function: the field refuses it when it meets it
        found = (1, 1, 64)
    memo[expr] = found
    return found


def entry_work(size: Size) -> int:
    """The work of expanding an entry of :func:`entry_size` ``size``: its terms times one
    plus its degree times one plus its coefficients' 64-bit words."""
    t, d, b = size
    return min(CAP, t * (d + 1) * (1 + b // 64))


def _dense(expr: sympy.Basic, terms: int, degree: int, bits: int) -> Size:
    """The size with ``terms`` at most the monomials of ``degree`` in the symbols of
    ``expr``, :math:`(d + 1)^k`."""
    k = len(expr.free_symbols)
    dense = CAP if k * math.log(degree + 1) > math.log(CAP) else (degree + 1) ** k
    return min(terms, dense), degree, bits


def check_entries(entries: Iterable[Any], limit: int | None, game: object) -> int:
    """Refuse, before any work, entries whose expansion alone exceeds ``limit``: the sum over
    the distinct entries of :func:`entry_work`, the work of turning them into polynomials.
    Returns that sum."""
    memo: dict[sympy.Basic, Size] = {}
    total = 0
    for entry in set(entries):
        if isinstance(entry, sympy.Basic):
            total = min(CAP, total + entry_work(entry_size(entry, memo)))
    if limit is not None and total > limit:
        raise WorkLimitExceeded(total, limit, game, before=True, scope=TASK, unit=UNIT,
                                detail=" (its payoffs and prior expanded as polynomials)", hint=" (1e7 is about 5 s)")
    return total

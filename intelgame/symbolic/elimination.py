"""Exact elimination of one linear system :math:`Ex = e,\\ Ux \\le u,\\ x > 0` (or :math:`x \\ge 0`
for a belief cell) whose entries are rational functions of the parameters :math:`\\theta`.

1. Gauss-Jordan elimination of :math:`Ex = e` over the field of rational functions of
   :math:`\\theta`. A pivot is an entry that is not identically zero; when a calibration point
   :math:`\\theta_0` is known, only entries non-zero *at* :math:`\\theta_0` are pivots, so the
   elimination describes the stratum of parameter space that contains :math:`\\theta_0`. Every
   symbolic pivot :math:`p(\\theta)` is recorded as an *assumption* :math:`p(\\theta) \\ne 0`; a
   row reduced to :math:`0 = r(\\theta)` gives the condition :math:`r(\\theta) = 0` (a knife-edge
   equilibrium).
2. If no column is free, :math:`x = x(\\theta)` is unique (e.g. the semi-separating
   :math:`s^*, q^*` of docs/MODEL.md). Substituting it into :math:`x > 0` and :math:`Ux \\le u` gives the
   existence conditions :math:`g_k(\\theta) \\mathrel{R_k} 0`.
3. If columns are free (a continuum of PBE), the pivot variables are affine in the free ones
   and the remaining inequalities are projected out by Fourier-Motzkin elimination. Eliminating
   :math:`\\tau` from :math:`a_k(\\theta)\\tau + b_k \\mathrel{R_k} 0` needs the sign of each
   :math:`a_k`; it is taken at :math:`\\theta_0` and recorded as an assumption
   (:math:`a_k > 0` or :math:`a_k < 0`). Then :math:`\\tau \\in [\\max_i \\ell_i, \\min_j h_j]`
   with :math:`\\ell_i = -b_i/a_i` (:math:`a_i < 0`), :math:`h_j = -b_j/a_j` (:math:`a_j > 0`),
   and the existence conditions are :math:`\\ell_i \\le h_j` for all pairs (strict when either
   bound is). Fourier-Motzkin is exact over the reals, so the conditions are necessary and
   sufficient *within the stratum* where the assumptions hold. Without :math:`\\theta_0` a sign
   that ``sympy`` cannot decide leaves the system marked "not derived".

The elimination runs in :math:`\\mathbb{Q}(\\theta)`: the values of the pivot variables are
kept as affine forms in the free ones, whose coefficients are field elements.

Reference: Schrijver (1986), *Theory of Linear and Integer Programming*, section 12.2.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy
from sympy.polys.fields import FracElement

from intelgame.symbolic.budget import charge, product_work, terms
from intelgame.symbolic.conditions import Condition, Operator
from intelgame.symbolic.fields import _Field
from intelgame.geometry.faces import LinearSystem

#: Fourier-Motzkin gives up (marks the system "not derived") beyond this many constraints.
MAX_CONSTRAINTS = 400


class _Collector:
    """Conditions and assumptions (field elements), deduplicated; a decided-false condition makes
    ``feasible`` False."""

    def __init__(self, field: _Field) -> None:
        self.field = field
        self.conditions: list[Condition] = []
        self.assumptions: list[Condition] = []
        self.feasible = True
        self._seen: set[tuple[Any, str, bool]] = set()

    def _add(self, target: list[Condition], e: Any, op: Operator, is_assumption: bool) -> None:
        if (e, op, is_assumption) in self._seen:
            return
        self._seen.add((e, op, is_assumption))
        made = self.field.condition(e, op)
        if made is True:
            return
        if made is False:
            self.feasible = False
            return
        if made not in target:
            target.append(made)

    def condition(self, e: Any, op: Operator) -> None:
        self._add(self.conditions, e, op, False)

    def assume(self, e: Any, op: Operator) -> None:
        self._add(self.assumptions, e, op, True)

    def extend(self, conditions: Sequence[Condition], assumptions: Sequence[Condition]) -> None:
        for c in conditions:
            if c not in self.conditions:
                self.conditions.append(c)
        for c in assumptions:
            if c not in self.assumptions:
                self.assumptions.append(c)


def _envelope(bounds: Sequence[tuple[sympy.Expr, bool]], *, upper: bool) -> sympy.Expr:
    """``Min`` of upper bounds (``oo`` if none) or ``Max`` of lower bounds (``-oo`` if none)."""
    if upper:
        return sympy.Min(*(b for b, _ in bounds)) if bounds else sympy.oo
    return sympy.Max(*(b for b, _ in bounds)) if bounds else -sympy.oo


class _Bounded:
    """Lower and upper bounds, each ``(expression, strict)``, and the interval they make."""

    lower: tuple[tuple[sympy.Expr, bool], ...]
    upper: tuple[tuple[sympy.Expr, bool], ...]

    @property
    def low(self) -> sympy.Expr:
        """``max`` of the lower bounds (``-oo`` if none)."""
        return _envelope(self.lower, upper=False)

    @property
    def high(self) -> sympy.Expr:
        """``min`` of the upper bounds (``oo`` if none)."""
        return _envelope(self.upper, upper=True)


@dataclass(frozen=True)
class FreeInterval(_Bounded):
    """The range of one free variable of a continuum, given the variables eliminated after it:
    ``max(lower) (<|<=) variable (<|<=) min(upper)``; each bound is ``(expression, strict)``."""

    variable: sympy.Symbol
    lower: tuple[tuple[sympy.Expr, bool], ...]
    upper: tuple[tuple[sympy.Expr, bool], ...]

    def at(self, point: Mapping[sympy.Symbol, sympy.Expr]) -> tuple[sympy.Expr, sympy.Expr]:
        """``(low, high)`` evaluated at ``point``."""
        low = max((b.xreplace(dict(point)) for b, _ in self.lower), default=-sympy.oo)
        high = min((b.xreplace(dict(point)) for b, _ in self.upper), default=sympy.oo)
        return low, high


Affine = tuple[FracElement, ...]
"""An affine form :math:`c_0 + \\sum_i c_i x_i` in the free variables :math:`x_i` of one system, as
the tuple :math:`(c_0, c_1, \\dots)` of elements of :math:`\\mathbb{Q}(\\theta)`."""


@dataclass(frozen=True)
class FaceSolution:
    """The symbolic solution of one system (a :math:`\\sigma`-, :math:`\\rho`- or belief system).

    ``values[i]`` is variable ``i`` as an expression in the parameters and the ``free``
    variables (empty when the solution is unique); ``intervals`` the free variables' ranges;
    ``conditions`` the parameter conditions for the face to be non-empty, exact where every
    ``assumption`` holds; ``derived`` is False when the elimination could not be completed
    (``note`` says why; the conditions are then only necessary).
    """

    variables: tuple[sympy.Symbol, ...]
    free: tuple[sympy.Symbol, ...]
    intervals: tuple[FreeInterval, ...]
    conditions: tuple[Condition, ...]
    assumptions: tuple[Condition, ...]
    feasible: bool
    derived: bool
    note: str = ""
    _elements: tuple[Affine, ...] = field(default=(), repr=False, compare=False)
    _lift: _Lift | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def values(self) -> tuple[sympy.Expr, ...]:
        """The variables' values as expressions (derived on first use)."""
        assert self._lift is not None
        return tuple(self._lift.expr(v, self.free) for v in self._elements)

    @property
    def is_unique(self) -> bool:
        return not self.free


class _Lift:
    """Affine forms over :math:`\\mathbb{Q}(\\theta)` as elements and expressions of
    :math:`\\mathbb{Q}(\\theta, x)`, ``x`` free strategy variables of one support profile.

    The elimination runs in the small field :math:`\\mathbb{Q}(\\theta)` (its gcds are much
    cheaper); a larger one, with only the free variables needed, is built when a continuum
    needs expressions in them. Every field keeps rational functions in lowest terms with a
    normalised denominator and orders its generators as ``(*parameters, *variables)``, so an
    element has the same form whichever of them it was computed in.
    """

    def __init__(self, parameters: Sequence[sympy.Symbol], variables: Sequence[sympy.Symbol]) -> None:
        self.parameters = tuple(parameters)
        self.variables = tuple(variables)
        self.small = _Field.of_parameters(self.parameters)
        self._fields: dict[frozenset[sympy.Symbol], _Field] = {}

    def field(self, free: Sequence[sympy.Symbol]) -> _Field:
        """:math:`\\mathbb{Q}(\\theta, x)` for the variables ``x`` in ``free``."""
        key = frozenset(free)
        if key not in self._fields:
            self._fields[key] = _Field([*self.parameters, *(v for v in self.variables if v in key)],
                                       self.parameters)
        return self._fields[key]

    def element(self, form: Affine, free: Sequence[sympy.Symbol], field: _Field | None = None) -> FracElement:
        """The form as an element of ``field`` (default: :meth:`field` of ``free``)."""
        large = self.field(free) if field is None else field
        return large(form[0]) + sum((large(c) * large.gen(v) for c, v in zip(form[1:], free) if c != 0),
                                    large.zero)

    def expr(self, form: Affine, free: Sequence[sympy.Symbol]) -> sympy.Expr:
        """The form as a ``sympy`` expression (factored when it involves parameters only)."""
        if all(c == 0 for c in form[1:]):
            return self.small.expr(form[0])
        return self.field(free).K.to_sympy(self.element(form, free))


def _solve_system(lift: _Lift, system: LinearSystem, variables: Sequence[sympy.Symbol], *, strict: bool,
                  point: Mapping[sympy.Symbol, sympy.Expr] | None) -> FaceSolution:
    """Eliminate ``system`` symbolically (see the module docstring, steps 1-3)."""
    field = lift.small
    n = system.n
    out = _Collector(field)
    rows = [[field(a) for a in row] + [field(r)] for row, r in zip(system.eq_rows, system.eq_rhs)]
    pivot_of: dict[int, int] = {}
    r = 0
    for col in reversed(range(n)):  # pivots from the last column: the first variables stay free
        best: tuple[tuple[bool, int], int] | None = None
        for i in range(r, len(rows)):
            entry = rows[i][col]
            if entry == 0:
                continue
            if point is not None and field.sign(entry, point) in (0, None):
                continue
            score = (not (entry.numer.is_ground and entry.denom.is_ground), field.size(entry))
            if best is None or score < best[0]:
                best = (score, i)
        if best is None:
            continue
        i = best[1]
        rows[r], rows[i] = rows[i], rows[r]
        pivot = rows[r][col]
        out.assume(pivot, "!=")
        if pivot != 1:
            charge(product_work((x, pivot) for x in rows[r] if x), "a pivot of an elimination")
            rows[r] = [x / pivot if x else x for x in rows[r]]
        for k in range(len(rows)):
            factor = rows[k][col]
            if k != r and factor != 0:
                charge(product_work((factor, y) for y in rows[r] if y), "a row operation of an elimination")
                rows[k] = [x - factor * y if y else x for x, y in zip(rows[k], rows[r])]
        pivot_of[col] = r
        r += 1
    for k in range(r, len(rows)):  # rows reduced to (coefficients vanishing at the point) = rhs
        stratum = [a for a in rows[k][:n] if a != 0]
        for a in stratum:
            out.assume(a, "==")
        if stratum:
            out.assume(rows[k][n], "==")
        else:
            out.condition(rows[k][n], "==")
    free = [col for col in range(n) if col not in pivot_of]
    zero, one = field.zero, field.one
    values: list[Affine] = []
    for col in range(n):
        if col in pivot_of:
            row = rows[pivot_of[col]]
            values.append((row[n], *(-row[f] for f in free)))
        else:
            values.append((zero, *(one if f == col else zero for f in free)))
    constraints = [(tuple(-c for c in v), strict) for v in values]  # x > 0 (x >= 0)
    for ub_row, ub_rhs in zip(system.ub_rows, system.ub_rhs):
        terms = [(field(a), v) for a, v in zip(ub_row, values) if a != 0]
        charge(product_work((a, c) for a, v in terms for c in v if c), "an inequality of an elimination")
        combination = [sum((a * v[j] for a, v in terms if v[j]), zero) for j in range(len(free) + 1)]
        combination[0] -= field(ub_rhs)
        constraints.append((tuple(combination), False))
    free_variables = [variables[f] for f in free]
    intervals, derived, note = _fourier_motzkin(lift, constraints, free_variables, point, out)
    return FaceSolution(tuple(variables), tuple(free_variables), tuple(intervals), tuple(out.conditions),
                        tuple(out.assumptions), out.feasible, derived, note, tuple(values), lift)


def _fourier_motzkin(lift: _Lift, constraints: list[tuple[Affine, bool]], free: list[sympy.Symbol],
                     point: Mapping[sympy.Symbol, sympy.Expr] | None,
                     out: _Collector) -> tuple[list[FreeInterval], bool, str]:
    """Project the constraints ``e < 0`` (strict) / ``e <= 0`` (``e`` affine in the free
    variables) onto the parameters."""
    field = lift.small
    current = _dedupe(constraints)
    intervals: list[FreeInterval] = []
    for j in reversed(range(len(free))):
        var = free[j]
        lower: list[tuple[Affine, bool]] = []
        upper: list[tuple[Affine, bool]] = []
        rest_constraints: list[tuple[Affine, bool]] = []
        for e, strict in current:
            a = e[j + 1]
            if a == 0:
                rest_constraints.append((e, strict))
                continue
            b = (*e[:j + 1], field.zero, *e[j + 2:])
            s = field.sign(a, point)
            if s is None:
                return intervals, False, (f"the sign of the coefficient {field.expr(a)} of {var} is not "
                                          "decided (give a calibration point)")
            if s == 0:
                out.assume(a, "==")
                rest_constraints.append((b, strict))
                continue
            out.assume(a, ">" if s > 0 else "<")
            charge(product_work((c, a) for c in b if c), "a division of Fourier-Motzkin")
            (upper if s > 0 else lower).append((tuple(-c / a for c in b), strict))
        charge(sum(terms(x) + terms(y) for (lo, _), (hi, _) in itertools.product(lower, upper)
                   for x, y in zip(lo, hi)), "the pairs of Fourier-Motzkin")
        for (lo, s_lo), (hi, s_hi) in itertools.product(lower, upper):
            rest_constraints.append((tuple(x - y for x, y in zip(lo, hi)), s_lo or s_hi))
        intervals.append(FreeInterval(var, tuple((lift.expr(b, free), s) for b, s in _dedupe(lower)),
                                      tuple((lift.expr(b, free), s) for b, s in _dedupe(upper))))
        current = _dedupe(rest_constraints)
        if len(current) > MAX_CONSTRAINTS:
            return intervals, False, f"Fourier-Motzkin stopped at {len(current)} constraints"
    for e, strict in current:
        out.condition(e[0], "<" if strict else "<=")
    return intervals, True, ""


def _dedupe(constraints: Sequence[tuple[Affine, bool]]) -> list[tuple[Affine, bool]]:
    seen: dict[Affine, bool] = {}
    for e, strict in constraints:
        seen[e] = seen.get(e, False) or strict
    return list(seen.items())

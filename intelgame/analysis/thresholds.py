"""Symbolic existence conditions of equilibria, and the parameter thresholds where they switch.

Setting
-------
A signalling game whose payoffs and prior depend on parameters :math:`\\theta` (some left as
``sympy`` symbols). The PBE solver (:mod:`intelgame.solvers.pbe`) fixes a *support profile*
:math:`(S_t)_t, (B_m)_m` and reduces the PBE with that profile to two linear systems and one
belief cell per off-path message:

* the :math:`\\sigma`-system :math:`E_\\sigma(\\theta)\\,\\sigma = e_\\sigma`,
  :math:`U_\\sigma(\\theta)\\,\\sigma \\le 0`, :math:`\\sigma > 0` (Bayes-consistent best replies
  on the path), built by ``_Enumerator.sender_system``;
* the :math:`\\rho`-system :math:`E_\\rho(\\theta)\\,\\rho = e_\\rho`,
  :math:`U_\\rho(\\theta)\\,\\rho \\le 0`, :math:`\\rho > 0` (the sender's indifference and
  incentive constraints), built by ``_Enumerator.receiver_system``;
* for an off-path message :math:`m`, the closed cell
  :math:`\\{\\mu \\in \\Delta(T): \\mu \\cdot d_a = 0\\ (a \\in B_m),\\ \\mu \\cdot d_a \\le 0\\ (a \\notin B_m)\\}`
  built by ``BeliefCells.system``.

This module runs those *same builders* in a :class:`SymbolicArithmetic` (entries are exact
elements of the field :math:`\\mathbb{Q}(\\theta)` of rational functions, ``sympy.polys`` field
elements inside, ``sympy`` expressions in every result) and eliminates the strategy variables
exactly, so every condition below is the solver's own condition, never a second enumeration of
PBE conditions.

Elimination
-----------
For one system :math:`Ex = e,\\ Ux \\le u,\\ x > 0` (or :math:`x \\ge 0` for a belief cell):

1. Gauss-Jordan elimination of :math:`Ex = e` over the field of rational functions of
   :math:`\\theta`. A pivot is an entry that is not identically zero; when a calibration point
   :math:`\\theta_0` is known, only entries non-zero *at* :math:`\\theta_0` are pivots, so the
   elimination describes the stratum of parameter space that contains :math:`\\theta_0`. Every
   symbolic pivot :math:`p(\\theta)` is recorded as an *assumption* :math:`p(\\theta) \\ne 0`; a
   row reduced to :math:`0 = r(\\theta)` gives the condition :math:`r(\\theta) = 0` (a knife-edge
   equilibrium).
2. If no column is free, :math:`x = x(\\theta)` is unique (e.g. the semi-separating
   :math:`s^*, q^*` of MODEL.md). Substituting it into :math:`x > 0` and :math:`Ux \\le u` gives the
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

Conditions are normalised to :math:`g(\\theta) \\mathrel{R} 0` with :math:`g` a factored rational
function, constant factors and factors ``sympy`` knows to be positive removed.
:meth:`ExistenceConditions.bounds` solves each condition that is linear in one parameter
:math:`x` for :math:`x` (using the signs at the calibration), e.g. for MODEL.md's truthful PBE
:math:`c \\ge \\max(c_{fab}, c_{con})`.

Thresholds
----------
:func:`thresholds` varies one parameter :math:`x` with the others at the calibration. It
(i) solves the game numerically (``pbe_solve``, exact) at the calibration and derives each PBE's
conditions symbolically; (ii) collects the real roots in :math:`x` of every factor of every
condition and assumption (each root also as a ``sympy`` expression in the other parameters when
the factor has degree at most 2 in :math:`x`), together with the roots of the comparisons that
decide pure PBE (a type's payoffs of two outcomes, the receiver's payoffs of two actions at the
prior restricted to a set of types), where equilibria not met yet may start; (iii) solves the
game again at every rational root and at a rational point between consecutive roots, derives the
conditions of every equilibrium not covered by a derivation holding there, and repeats until
nothing new appears. Between consecutive roots every derived condition keeps its truth value; a
root where some equilibrium appears, disappears, or exists only there (or everywhere but there)
is a threshold.

Limitations (stated, not hidden): an equilibrium that exists only on a sub-interval that
contains no sample point and none of whose boundaries is a root met in (ii) is missed; irrational
roots are not re-solved numerically (existence there comes from the derived conditions only);
Fourier-Motzkin stops at :data:`MAX_CONSTRAINTS` constraints (the system is then marked "not
derived", its conditions only necessary); a root is an expression only for factors of degree at
most 2 in :math:`x`; payoffs must be rational functions of the symbolic parameters (no
``min``/``max``/``abs``).

References: Fudenberg and Tirole (1991), *Game Theory*, ch. 8; Schrijver (1986), *Theory of
Linear and Integer Programming*, section 12.2 (Fourier-Motzkin elimination).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np
import sympy
from sympy.core.mul import _keep_coeff
from sympy.polys.polyutils import _sort_gens

from intelgame.errors import GameStructureError, SolverError
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.solvers._polytope import LinearSystem
from intelgame.solvers.pbe import PBE, _Enumerator, pbe_solve
from intelgame.spec.expressions import parse_expression
from intelgame.spec.loader import load_spec, resolve_parameters
from intelgame.spec.model import SignallingSpec, Spec

__all__ = [
    "Condition",
    "ExistenceConditions",
    "FaceSolution",
    "FreeInterval",
    "ParameterBounds",
    "SymbolicArithmetic",
    "Threshold",
    "equilibrium_conditions",
    "support_conditions",
    "thresholds",
]

#: Fourier-Motzkin gives up (marks the system "not derived") beyond this many constraints.
MAX_CONSTRAINTS = 400
#: Rounds of "solve between the roots, derive what is new" in :func:`thresholds`.
MAX_ROUNDS = 12

Operator = Literal["<", "<=", ">", ">=", "==", "!="]
Point = dict[sympy.Symbol, sympy.Expr]
Profile = tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]

_FLIP: dict[str, Operator] = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


# --- numbers ----------------------------------------------------------------------------------

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


class SymbolicArithmetic:
    """The number type of the solver's builders, as exact symbolic quantities.

    ``number`` turns game entries into ``sympy`` objects (``Fraction`` -> ``Rational``,
    ``float`` -> the ``Rational`` of its decimal representation, expressions unchanged) or, when
    built with a rational-function field (internal use), into elements of that field, so that
    :class:`~intelgame.solvers.belief_cells.BeliefCells` and the PBE enumerator build their
    systems with symbolic entries. It has no polytope oracle: signs of symbolic quantities are
    decided only when ``sympy`` can decide them, otherwise a :class:`SolverError` says so (use
    :func:`support_conditions`, which eliminates symbolically).

    Examples
    --------
    >>> SymbolicArithmetic().number(Fraction(1, 10))
    1/10
    """

    exact = True
    tolerance = 0

    def __init__(self, field: _Field | None = None) -> None:
        self._field = field

    def number(self, value: Any) -> Any:
        return _sympify_number(value) if self._field is None else self._field(value)

    def _decide(self, verdict: bool | None, x: Any) -> bool:
        if verdict is None:
            raise SolverError(f"the sign of {x} depends on the parameters; use support_conditions")
        return bool(verdict)

    def _sympy(self, x: Any) -> sympy.Expr:
        return self._field.K.to_sympy(x) if self._field is not None else sympy.sympify(x)

    def is_positive(self, x: Any) -> bool:
        return self._decide(self._sympy(x).is_positive, x)

    def is_nonnegative(self, x: Any) -> bool:
        return self._decide(self._sympy(x).is_nonnegative, x)

    def is_zero(self, x: Any) -> bool:
        return self._decide(self._sympy(x).is_zero, x)

    def _no_oracle(self, *_: Any) -> Any:
        raise SolverError("symbolic systems have no numeric polytope oracle; use support_conditions")

    open_point = closed_point = open_face = closed_face = _no_oracle


class _SymbolicEnumerator(_Enumerator):
    """The PBE enumerator's builders over :class:`SymbolicArithmetic` (``run`` is never called)."""

    def __init__(self, game: SignallingGame, positive: Sequence[bool], field: _Field | None = None) -> None:
        super().__init__(game, SymbolicArithmetic(field))
        self.positive = list(positive)


# --- conditions -------------------------------------------------------------------------------

class _NotExact(Exception):
    """An expression is not a rational function of symbols with rational values at a point."""


Exact = Callable[[Mapping[sympy.Symbol, sympy.Expr]], Fraction]


@functools.lru_cache(maxsize=4096)
def _exact_program(expr: sympy.Basic) -> Exact | None:
    """``expr`` compiled to a function of a point that computes in ``Fraction`` (it raises
    ``ZeroDivisionError`` where a denominator vanishes, :class:`_NotExact` where a symbol has
    no rational value); ``None`` when ``expr`` is not a rational function with rational
    coefficients. The function is Python source built from the expression tree, as
    ``sympy.lambdify`` builds one, so evaluating it costs no ``sympy`` arithmetic."""
    symbols: dict[sympy.Basic, str] = {}
    constants: dict[str, Fraction] = {}

    def source(e: sympy.Basic) -> str | None:
        if e.is_Rational:
            name = f"k{len(constants)}"
            constants[name] = Fraction(int(e.p), int(e.q))
            return name
        if e.is_Symbol:
            return symbols.setdefault(e, f"s{len(symbols)}")
        if e.is_Pow and e.exp.is_Integer:
            base, k = source(e.base), int(e.exp)
            return None if base is None else f"({base})**{k}" if k >= 0 else f"1/({base})**{-k}"
        if e.is_Add or e.is_Mul:
            parts = [source(a) for a in e.args]
            if any(part is None for part in parts):
                return None
            return "(" + (" + " if e.is_Add else " * ").join(p for p in parts if p is not None) + ")"
        return None

    body = source(expr)
    if body is None:
        return None
    namespace: dict[str, Any] = {"value": _rational_value, **constants}
    lines = ["def program(point):"]
    for i, (symbol, name) in enumerate(symbols.items()):
        namespace[f"symbol{i}"] = symbol
        lines.append(f"    {name} = value(point, symbol{i})")
    lines.append(f"    return {body}")
    exec("\n".join(lines), namespace)  # noqa: S102 - source built above from the expression tree
    program: Exact = namespace["program"]
    return program


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
    in ``sympy``'s order of its symbols (``_sort_gens``), kept apart by ``_keep_coeff``."""
    fa, fb = _linear_form(a), _linear_form(b)
    if fa is None or fb is None:
        return sympy.factor(-b / a)
    if fb[0] == 0:
        return sympy.Integer(0)
    (ca, pa), (cb, pb) = fa, fb
    parts = [p ** k for p, k in ((pb, 1), (pa, -1)) if p is not None]
    return _keep_coeff(-cb / ca, sympy.Mul(*parts))


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
    if integers[_sort_gens(list(coefficients))[0]] < 0:
        content = -content
    primitive = sympy.Add(*(sympy.Integer(k // content) * s for s, k in integers.items()),
                          sympy.Integer(integral_constant // content))
    return sympy.Rational(content, scale), primitive


def _clean(expr: Any) -> sympy.Expr:
    """Canonical rational-function form (``cancel``) of a ``sympy`` expression."""
    return sympy.cancel(sympy.together(sympy.sympify(expr)))


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
            _, listed = q.factor_list()
            parts = [(self._primitive(f)[1], k) for f, k in listed]
        for f, _ in parts:
            if not f.is_ground and all(f != known for known, _, _ in self.known):
                i = next(i for i, k in enumerate(max(f.monoms())) if k)
                self.known.append((f, i, f.degree(i)))
        return parts


_FACTORERS: dict[tuple[sympy.Symbol, ...], _Factorer] = {}
_PARAMETER_FIELDS: dict[tuple[sympy.Symbol, ...], _Field] = {}


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
        self.factorer = _FACTORERS.setdefault(self.parameters, _Factorer(self.parameters))
        self._point_key: Any = None
        self._values: tuple[Any, ...] = ()
        self._converted: dict[tuple[type, Any], Any] = {}
        self._conditions: dict[tuple[Any, str], Condition | bool] = {}

    @staticmethod
    def of_parameters(parameters: Sequence[sympy.Symbol]) -> _Field:
        """The field :math:`\\mathbb{Q}(\\theta)` of the parameters alone, shared by every
        analysis of games with these parameters (conversions of entries are remembered)."""
        key = tuple(parameters)
        if key not in _PARAMETER_FIELDS:
            _PARAMETER_FIELDS[key] = _Field(key, key)
        return _PARAMETER_FIELDS[key]

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
                converted = self._from_sympy(_sympify_number(value))
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


# --- one system -------------------------------------------------------------------------------

def _envelope(bounds: Sequence[tuple[sympy.Expr, bool]], *, upper: bool) -> sympy.Expr:
    """``Min`` of upper bounds (``oo`` if none) or ``Max`` of lower bounds (``-oo`` if none)."""
    if upper:
        return sympy.Min(*(b for b, _ in bounds)) if bounds else sympy.oo
    return sympy.Max(*(b for b, _ in bounds)) if bounds else -sympy.oo


@dataclass(frozen=True)
class FreeInterval:
    """The range of one free variable of a continuum, given the variables eliminated after it:
    ``max(lower) (<|<=) variable (<|<=) min(upper)``; each bound is ``(expression, strict)``."""

    variable: sympy.Symbol
    lower: tuple[tuple[sympy.Expr, bool], ...]
    upper: tuple[tuple[sympy.Expr, bool], ...]

    @property
    def low(self) -> sympy.Expr:
        return _envelope(self.lower, upper=False)

    @property
    def high(self) -> sympy.Expr:
        return _envelope(self.upper, upper=True)

    def at(self, point: Mapping[sympy.Symbol, sympy.Expr]) -> tuple[sympy.Expr, sympy.Expr]:
        """``(low, high)`` evaluated at ``point``."""
        low = max((b.xreplace(dict(point)) for b, _ in self.lower), default=-sympy.oo)
        high = min((b.xreplace(dict(point)) for b, _ in self.upper), default=sympy.oo)
        return low, high


Affine = tuple[Any, ...]
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

    def element(self, form: Affine, free: Sequence[sympy.Symbol], field: _Field | None = None) -> Any:
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
            rows[r] = [x / pivot if x else x for x in rows[r]]
        for k in range(len(rows)):
            factor = rows[k][col]
            if k != r and factor != 0:
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
            (upper if s > 0 else lower).append((tuple(-c / a for c in b), strict))
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


# --- one support profile ----------------------------------------------------------------------

@dataclass(frozen=True)
class ParameterBounds:
    """The conditions of one equilibrium solved for one parameter ``x`` (signs taken at the
    calibration): ``max(lower) <= x <= min(upper)`` (each bound ``(expression, strict)``),
    ``x`` in ``equal``, and the conditions not involving ``x`` (``other``) or not solved
    (``unsolved``). ``assumptions`` are the signs used when dividing. A condition with one
    factor in ``x`` is solved exactly; one with several factors, all linear in ``x``, gives the
    ends of the interval around the calibration where it holds."""

    parameter: str
    lower: tuple[tuple[sympy.Expr, bool], ...]
    upper: tuple[tuple[sympy.Expr, bool], ...]
    equal: tuple[sympy.Expr, ...]
    other: tuple[Condition, ...]
    unsolved: tuple[Condition, ...]
    assumptions: tuple[Condition, ...]

    @property
    def low(self) -> sympy.Expr:
        """``max`` of the lower bounds (``-oo`` if none)."""
        return _envelope(self.lower, upper=False)

    @property
    def high(self) -> sympy.Expr:
        """``min`` of the upper bounds (``oo`` if none)."""
        return _envelope(self.upper, upper=True)


class _Solved(NamedTuple):
    """:class:`ParameterBounds` before the signs it assumes are made conditions."""

    lower: tuple[tuple[sympy.Expr, bool], ...]
    upper: tuple[tuple[sympy.Expr, bool], ...]
    equal: tuple[sympy.Expr, ...]
    other: tuple[Condition, ...]
    unsolved: tuple[Condition, ...]
    signs: tuple[tuple[sympy.Expr, Operator], ...]


@dataclass(frozen=True)
class ExistenceConditions:
    """When the PBE with one support profile exist, as conditions on the symbolic parameters.

    ``supports[t]`` are the messages type ``t`` sends, ``replies[m]`` the actions played after
    ``m`` (indices into the game's names). ``sender[t][m]``, ``receiver[m][a]``, ``beliefs[m][t]``
    are expressions in the parameters (and in the free variables of a continuum, whose ranges
    are in the faces' ``intervals``). The PBE with this profile exist exactly where every
    ``condition`` holds, provided every ``assumption`` (the stratum of the elimination) holds;
    ``derived`` is False when some elimination was not completed. ``offpath`` maps each off-path
    message to its belief cell's solution; ``sender_payoffs[t]`` and ``receiver_payoff`` are the
    expected payoffs; ``point`` is the calibration the elimination used (``None``: none).
    """

    game: SignallingGame
    supports: tuple[tuple[int, ...], ...]
    replies: tuple[tuple[int, ...], ...]
    classification: str
    truthful: bool
    conditions: tuple[Condition, ...]
    assumptions: tuple[Condition, ...]
    on_path: tuple[bool, ...]
    sender_face: FaceSolution
    receiver_face: FaceSolution
    offpath: Mapping[int, FaceSolution]
    feasible: bool
    derived: bool
    _strategies: _Strategies = field(repr=False, compare=False)
    point: Mapping[sympy.Symbol, sympy.Expr] | None = field(default=None, compare=False)

    @property
    def sender(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._strategies.sender

    @property
    def receiver(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._strategies.receiver

    @property
    def beliefs(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._strategies.beliefs

    @property
    def sender_payoffs(self) -> tuple[sympy.Expr, ...]:
        return self._strategies.sender_payoffs

    @property
    def receiver_payoff(self) -> sympy.Expr:
        return self._strategies.receiver_payoff

    @property
    def profile(self) -> Profile:
        return self.supports, self.replies

    @property
    def is_continuum(self) -> bool:
        return bool(self.sender_face.free or self.receiver_face.free)

    @property
    def label(self) -> str:
        """E.g. ``separating (truthful) [threat->warn, no_threat->reassure | warn->alert, ...]``."""
        g = self.game
        kind = self.classification + (" (truthful)" if self.truthful else "")
        sends = ", ".join(f"{g.types[t]}->{'/'.join(g.messages[m] for m in s)}" for t, s in enumerate(self.supports))
        plays = ", ".join(f"{g.messages[m]}->{'/'.join(g.actions[a] for a in b)}" for m, b in enumerate(self.replies))
        return f"{kind} [{sends} | {plays}]"

    @property
    def relationals(self) -> tuple[sympy.Basic, ...]:
        """The conditions as ``sympy`` relationals."""
        return tuple(c.relational for c in self.conditions)

    def holds(self, point: Mapping[Any, Any]) -> bool:
        """Whether the profile's PBE exist at ``point`` (every condition and assumption holds)."""
        if not self.feasible:
            return False
        p = _point_of(point, self.game)
        return all(c.holds(p) for c in (*self.assumptions, *self.conditions))

    def strategy(self, kind: Literal["sender", "receiver", "belief"], first: str, second: str) -> sympy.Expr:
        """``sigma(second|first)`` (``first`` a type), ``rho(second|first)`` (a message) or
        ``mu(second|first)`` (a message, ``second`` a type), by names."""
        g = self.game
        if kind == "sender":
            return self.sender[g.types.index(first)][g.messages.index(second)]
        if kind == "receiver":
            return self.receiver[g.messages.index(first)][g.actions.index(second)]
        return self.beliefs[g.messages.index(first)][g.types.index(second)]

    def bounds(self, parameter: str, at: Mapping[Any, Any] | None = None) -> ParameterBounds:
        """The conditions solved for ``parameter`` where they are linear in it.

        A condition :math:`r(\\theta) f(\\theta)^k \\mathrel{R} 0` whose only factor involving
        ``parameter`` is :math:`f = a x + b` (``k`` odd; ``k < 0`` for a denominator) becomes
        :math:`x \\mathrel{R'} -b/a`, with the signs of :math:`r` and :math:`a` taken at ``at``
        (default: the point the conditions were derived at) and listed as ``assumptions``; as
        neither involves ``parameter``, the bounds are exact as ``parameter`` varies. Other
        conditions involving ``parameter`` are ``unsolved``.
        """
        point = _point_of(at, self.game) if at is not None else self.point
        solved = self._solve_for(_find_symbol(self, parameter), point)
        used: list[Condition] = []
        for e, op in solved.signs:
            made = Condition.make(e, op)
            if isinstance(made, Condition) and made not in used:
                used.append(made)
        return ParameterBounds(parameter, solved.lower, solved.upper, solved.equal, solved.other,
                               solved.unsolved, tuple(used))

    def _solve_for(self, x: sympy.Symbol, point: Mapping[sympy.Symbol, sympy.Expr] | None) -> _Solved:
        """:meth:`bounds` with the signs it assumes as ``(expression, op)`` pairs."""
        lower: list[tuple[sympy.Expr, bool]] = []
        upper: list[tuple[sympy.Expr, bool]] = []
        equal: list[sympy.Expr] = []
        other: list[Condition] = []
        unsolved: list[Condition] = []
        signs: list[tuple[sympy.Expr, Operator]] = []
        for cond in self.conditions:
            if x not in cond.free_symbols:
                other.append(cond)
                continue
            powers = [f.as_base_exp() for f in sympy.Mul.make_args(cond.expr)]
            moving = [(f, int(k)) for f, k in powers if x in f.free_symbols]
            rest = sympy.Mul(*(f ** k for f, k in powers if x not in f.free_symbols))
            sign_rest = _sign_at(rest, point)
            if len(moving) > 1:
                component = _component(cond, [f for f, _ in moving], x, point)
                if component is None:
                    unsolved.append(cond)
                    continue
                low_bound, high_bound = component
                if low_bound is not None and low_bound not in lower:
                    lower.append(low_bound)
                if high_bound is not None and high_bound not in upper:
                    upper.append(high_bound)
                continue
            if moving[0][1] % 2 == 0 or sign_rest in (None, 0):
                unsolved.append(cond)
                continue
            (f, k), op = moving[0], cond.op
            coefficients = _linear_coefficients(f, x)
            if coefficients is None:
                unsolved.append(cond)
                continue
            a, b = coefficients
            sign_a = _sign_at(a, point)
            if sign_a in (None, 0) or (k < 0 and op == "=="):
                unsolved.append(cond)
                continue
            if k < 0:  # a denominator is never zero
                op = "<" if op == "<=" else ">" if op == ">=" else op
            if not rest.is_number:
                signs.append((rest, ">" if sign_rest > 0 else "<"))
            if not a.is_number:
                signs.append((a, ">" if sign_a > 0 else "<"))
            if sign_rest * sign_a < 0:
                op = _FLIP[op]
            bound = _linear_root(a, b)
            if op == "==":
                equal.append(bound)
            elif op in ("<", "<=") and (bound, op == "<") not in upper:
                upper.append((bound, op == "<"))
            elif op in (">", ">=") and (bound, op == ">") not in lower:
                lower.append((bound, op == ">"))
            elif op == "!=":
                unsolved.append(cond)
        return _Solved(tuple(lower), tuple(upper), tuple(equal), tuple(other), tuple(unsolved), tuple(signs))

    def to_dict(self) -> dict[str, Any]:
        g = self.game
        return {
            "label": self.label,
            "classification": self.classification,
            "truthful": self.truthful,
            "supports": {g.types[t]: [g.messages[m] for m in s] for t, s in enumerate(self.supports)},
            "replies": {g.messages[m]: [g.actions[a] for a in b] for m, b in enumerate(self.replies)},
            "conditions": [str(c) for c in self.conditions],
            "assumptions": [str(c) for c in self.assumptions],
            "sender": {g.types[t]: {g.messages[m]: str(x) for m, x in enumerate(row)} for t, row in enumerate(self.sender)},
            "receiver": {g.messages[m]: {g.actions[a]: str(x) for a, x in enumerate(row)} for m, row in enumerate(self.receiver)},
            "beliefs": {g.messages[m]: {g.types[t]: str(x) for t, x in enumerate(row)} for m, row in enumerate(self.beliefs)},
            "free_variables": {str(i.variable): {"low": str(i.low), "high": str(i.high)}
                               for f in (self.sender_face, self.receiver_face, *self.offpath.values())
                               for i in f.intervals},
            "derived": self.derived,
        }


def _component(cond: Condition, factors: list[sympy.Expr], x: sympy.Symbol,
               point: Mapping[sympy.Symbol, sympy.Expr] | None) -> tuple[Any, Any] | None:
    """For a condition with several factors in ``x``, all linear: the bounds ``((lo, strict) |
    None, (hi, strict) | None)`` of the interval of ``x`` around ``point`` where it holds."""
    if point is None or x not in point or not cond.holds(point):
        return None
    x0 = point[x]
    others = {s: v for s, v in point.items() if s != x}
    roots = []
    for f in factors:
        coefficients = _linear_coefficients(f, x)
        if coefficients is None:
            return None
        root = _linear_root(*coefficients)
        value = _evaluate(root, others)
        if value is None or value.free_symbols:
            return None
        if value == x0:
            return None
        roots.append((value, root))
    below = max((r for r in roots if r[0] < x0), key=lambda r: r[0], default=None)
    above = min((r for r in roots if r[0] > x0), key=lambda r: r[0], default=None)

    def bound(r: tuple[sympy.Expr, sympy.Expr] | None) -> tuple[sympy.Expr, bool] | None:
        if r is None:
            return None
        return r[1], not cond.holds({**point, x: r[0]})

    return bound(below), bound(above)


def _find_symbol(conditions: ExistenceConditions, name: str) -> sympy.Symbol:
    for s in _parameters(conditions.game):
        if s.name == name:
            return s
    return sympy.Symbol(name, real=True)


def _entries(game: SignallingGame) -> list[Any]:
    return [x for arr in (game.sender_payoffs, game.receiver_payoffs) for r in arr for c in r for x in c]


def _point_of(point: Mapping[Any, Any] | None, game: SignallingGame | None = None) -> Point:
    """Keys as symbols (a name becomes the game's symbol of that name, else the real symbol of
    that name, as specs make them), values as ``sympy`` numbers."""
    named: dict[str, sympy.Symbol] = {}
    if game is not None and any(not isinstance(key, sympy.Symbol) for key in (point or {})):
        named = {s.name: s for s in _parameters(game)}
    out: Point = {}
    for key, value in (point or {}).items():
        if isinstance(key, sympy.Symbol):
            symbol = key
        else:
            symbol = named.get(str(key)) or sympy.Symbol(str(key), real=True)
        out[symbol] = _sympify_number(value)
    return out


def _parameters(game: SignallingGame) -> list[sympy.Symbol]:
    """The symbols of a game's entries, sorted by name."""
    return sorted(set().union(*(_sympify_number(x).free_symbols for x in (*game.prior, *_entries(game)))), key=str)


def _normalise_profile(game: SignallingGame, supports: Sequence[Sequence[Any]],
                       replies: Sequence[Sequence[Any]] | Mapping[Any, Sequence[Any]]) -> Profile:
    def index(names: tuple[str, ...], x: Any) -> int:
        return names.index(x) if isinstance(x, str) else int(x)

    n_t, n_m, _ = game.shape
    if len(supports) != n_t:
        raise GameStructureError(f"supports must list {n_t} message sets, one per type")
    s = tuple(tuple(sorted({index(game.messages, m) for m in ms})) for ms in supports)
    if isinstance(replies, Mapping):
        keyed = {index(game.messages, m): b for m, b in replies.items()}
        replies = [keyed[m] for m in range(n_m)]
    if len(replies) != n_m:
        raise GameStructureError(f"replies must list {n_m} action sets, one per message")
    b = tuple(tuple(sorted({index(game.actions, a) for a in acts})) for acts in replies)
    if any(not x for x in (*s, *b)):
        raise GameStructureError("every support must be non-empty")
    return s, b


def support_conditions(game: SignallingGame, supports: Sequence[Sequence[Any]],
                       replies: Sequence[Sequence[Any]] | Mapping[Any, Sequence[Any]], *,
                       at: Mapping[Any, Any] | None = None,
                       reports: Mapping[str, str] | None = None) -> ExistenceConditions:
    """The conditions on the symbolic parameters for PBE with one support profile to exist.

    Parameters
    ----------
    game:
        A signalling game whose entries may be ``sympy`` expressions.
    supports:
        For each type, the messages it sends with positive probability (indices or names).
    replies:
        For each message, the actions played with positive probability after it.
    at:
        A calibration point (parameter name or symbol -> value). Pivots and the signs needed by
        Fourier-Motzkin are taken there, so the conditions describe the stratum containing it;
        without it, only what ``sympy`` can decide is used.
    reports:
        Each type's truthful message, to label a separating profile ``truthful``.

    Returns
    -------
    ExistenceConditions
        The strategies and beliefs as expressions and the existence conditions (see the
        module docstring).

    Examples
    --------
    >>> p = sympy.Symbol("p", real=True)
    >>> g = SignallingGame.from_payoffs(name="g", types=["a", "b"], messages=["x", "y"],
    ...     actions=["l", "r"], prior=[p, 1 - p],
    ...     payoffs={"a": {"x": {"l": (1, 1), "r": (0, 0)}, "y": {"l": (1, 1), "r": (0, 0)}},
    ...              "b": {"x": {"l": (1, 0), "r": (0, 1)}, "y": {"l": (1, 0), "r": (0, 1)}}})
    >>> [str(c) for c in support_conditions(g, [[0], [0]], [[0], [0]], at={"p": 0.7}).conditions]
    ['p > 0', 'p - 1 < 0', '2*p - 1 >= 0']
    """
    supports_i, replies_i = _normalise_profile(game, supports, replies)
    point = _point_of(at, game) if at is not None else None
    n_t, n_m, n_a = game.shape
    T, M, A = game.types, game.messages, game.actions
    sigma_vars = [sympy.Symbol(f"sigma({M[m]}|{T[t]})", real=True) for t in range(n_t) for m in supports_i[t]]
    rho_vars = [sympy.Symbol(f"rho({A[a]}|{M[m]})", real=True) for m in range(n_m) for a in replies_i[m]]
    mu_vars = {m: [sympy.Symbol(f"mu({T[t]}|{M[m]})", real=True) for t in range(n_t)] for m in range(n_m)}
    lift = _Lift(_parameters(game), [*sigma_vars, *rho_vars, *(v for vs in mu_vars.values() for v in vs)])
    fld = lift.small
    out = _Collector(fld)
    prior = [fld(p) for p in game.prior]
    positive = []
    for p in prior:
        is_positive = fld.sign(p, point) == 1 if point is not None else p != 0
        positive.append(is_positive)
        if is_positive:
            out.condition(p, ">")
        else:
            out.assume(p, "==")
    enumerator = _SymbolicEnumerator(game, positive, fld)
    senders = {m: tuple(t for t in range(n_t) if positive[t] and m in supports_i[t]) for m in range(n_m)}
    on_path = [m for m in range(n_m) if senders[m]]
    off_path = [m for m in range(n_m) if not senders[m]]
    sigma = _solve_system(lift, enumerator.sender_system(supports_i, {m: replies_i[m] for m in on_path}),
                          sigma_vars, strict=True, point=point)
    rho = _solve_system(lift, enumerator.receiver_system(supports_i, list(replies_i)), rho_vars, strict=True,
                        point=point)
    everyone = tuple(range(n_t))
    offpath = {m: _solve_system(lift, enumerator.system(m, everyone, replies_i[m]), mu_vars[m], strict=False,
                                point=point) for m in off_path}
    faces = [sigma, rho, *offpath.values()]
    for face in faces:
        out.extend(face.conditions, face.assumptions)
    free = [v for face in faces for v in face.free]
    if free:  # strategies in the free variables: in Q(theta, x)
        fld = lift.field(free)
        prior = [fld(p) for p in prior]

    def elements(face: FaceSolution) -> list[Any]:
        if fld is lift.small:
            return [form[0] for form in face._elements]
        return [lift.element(form, face.free, fld) for form in face._elements]

    zero = fld.zero
    sender = [[zero] * n_m for _ in range(n_t)]
    sigma_index = [(t, m) for t in range(n_t) for m in supports_i[t]]  # the builders' variable order
    for (t, m), x in zip(sigma_index, elements(sigma)):
        sender[t][m] = x
    receiver = [[zero] * n_a for _ in range(n_m)]
    rho_index = [(m, a) for m in range(n_m) for a in replies_i[m]]
    for (m, a), x in zip(rho_index, elements(rho)):
        receiver[m][a] = x
    beliefs = []
    for m in range(n_m):
        if m in offpath:
            beliefs.append(elements(offpath[m]))
            continue
        mass = sum((prior[t] * sender[t][m] for t in range(n_t) if positive[t]), zero)
        beliefs.append([prior[t] * sender[t][m] / mass if positive[t] else zero for t in range(n_t)])
    classification = _classify(supports_i, positive, prior, beliefs, on_path)
    truthful = bool(classification == "separating" and reports and all(
        M[supports_i[t][0]] == reports.get(T[t]) for t in range(n_t) if positive[t]))
    feasible = out.feasible and all(f.feasible for f in faces)
    strategies = _Strategies(fld, supports_i, prior, sender, receiver, beliefs, enumerator.us, enumerator.ur)
    return ExistenceConditions(
        game=game, supports=supports_i, replies=replies_i, classification=classification, truthful=truthful,
        conditions=tuple(out.conditions), assumptions=tuple(out.assumptions),
        on_path=tuple(m in on_path for m in range(n_m)), sender_face=sigma, receiver_face=rho, offpath=offpath,
        feasible=feasible, derived=all(f.derived for f in faces), _strategies=strategies, point=point,
    )


class _Strategies:
    """One profile's strategies, beliefs and expected payoffs (field elements), turned into
    ``sympy`` expressions on first use: the threshold analysis never needs them.

    ``sender_payoffs[t]`` is :math:`\\sum_a \\rho(a|m) u_S(t, m, a)` for the first message ``m``
    type ``t`` sends (it is indifferent among them); ``receiver_payoff`` is
    :math:`\\sum_{t,m,a} p(t) \\sigma(m|t) \\rho(a|m) u_R(t, m, a)`.
    """

    def __init__(self, fld: _Field, supports: Sequence[Sequence[int]], prior: Sequence[Any],
                 sender: Sequence[Sequence[Any]], receiver: Sequence[Sequence[Any]],
                 beliefs: Sequence[Sequence[Any]], us: Sequence[Sequence[Sequence[Any]]],
                 ur: Sequence[Sequence[Sequence[Any]]]) -> None:
        self.fld, self.supports, self.prior = fld, supports, prior
        self._sender, self._receiver, self._beliefs = sender, receiver, beliefs
        self._us, self._ur = us, ur

    def _grid(self, grid: Sequence[Sequence[Any]]) -> tuple[tuple[sympy.Expr, ...], ...]:
        return tuple(tuple(self.fld.expr(x) for x in row) for row in grid)

    @functools.cached_property
    def sender(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._grid(self._sender)

    @functools.cached_property
    def receiver(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._grid(self._receiver)

    @functools.cached_property
    def beliefs(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._grid(self._beliefs)

    @functools.cached_property
    def sender_payoffs(self) -> tuple[sympy.Expr, ...]:
        fld, receiver = self.fld, self._receiver
        us = [[[fld(x) for x in c] for c in r] for r in self._us]
        return tuple(fld.expr(sum((receiver[m][a] * us[t][m][a] for a in range(len(receiver[m]))), fld.zero))
                     for t in range(len(us)) for m in self.supports[t][:1])

    @functools.cached_property
    def receiver_payoff(self) -> sympy.Expr:
        fld, prior, sender, receiver = self.fld, self.prior, self._sender, self._receiver
        ur = [[[fld(x) for x in c] for c in r] for r in self._ur]
        return fld.expr(sum((prior[t] * sender[t][m] * receiver[m][a] * ur[t][m][a]
                             for t in range(len(ur)) for m in range(len(ur[t])) for a in range(len(ur[t][m]))),
                            fld.zero))


def _classify(supports: tuple[tuple[int, ...], ...], positive: Sequence[bool], prior: Sequence[Any],
              beliefs: Sequence[Sequence[Any]], on_path: Sequence[int]) -> str:
    """As :func:`intelgame.analysis.classify.classify`, decided symbolically (field elements)."""
    informed = [t for t, p in enumerate(positive) if p]
    if all(beliefs[m][t] == prior[t] for m in on_path for t in informed):
        return "pooling"
    if all(len(supports[t]) == 1 for t in informed) and len({supports[t][0] for t in informed}) == len(informed):
        return "separating"
    return "semi-separating"


# --- models: specs or symbolic games, with a calibration ---------------------------------------

@dataclass
class _Model:
    game: SignallingGame  # symbolic
    symbols: dict[str, sympy.Symbol]
    point: Point  # the calibration of every symbol
    reports: Mapping[str, str] | None

    def numeric_game(self, point: Point) -> SignallingGame | None:
        """The game at ``point`` (exact where rational); ``None`` if it is not a valid game."""
        def value(x: Any) -> Any:
            entry = _sympify_number(x)
            try:
                exact = _exact_value(entry, point)
            except _NotExact:
                v = _evaluate(entry, point)
                if v is None or v.free_symbols:
                    raise GameStructureError(f"entry {x} is undefined at the point") from None
                return _to_fraction(v)
            if exact is None:
                raise GameStructureError(f"entry {x} is undefined at the point")
            return exact

        g = self.game
        try:
            return SignallingGame(
                name=g.name, types=g.types, messages=g.messages, actions=g.actions,
                prior=tuple(value(p) for p in g.prior),
                sender_payoffs=tuple(tuple(tuple(value(x) for x in c) for c in r) for r in g.sender_payoffs),
                receiver_payoffs=tuple(tuple(tuple(value(x) for x in c) for c in r) for r in g.receiver_payoffs),
                description=g.description)
        except GameStructureError:
            return None


def _model(source: Spec | SignallingGame | str | Path, symbolic: Sequence[str] | None,
           at: Mapping[str, Any] | None, reports: Mapping[str, str] | None, ensure: Sequence[str] = ()) -> _Model:
    at = dict(at or {})
    if isinstance(source, (str, Path)):
        source = load_spec(source)
    if isinstance(source, SignallingGame):
        pool: dict[str, sympy.Symbol] = {}
        for x in (*source.prior, *_entries(source)):
            for s in sympy.sympify(x).free_symbols:
                pool[s.name] = s
        names = list(symbolic) if symbolic is not None else sorted(pool)
        for name in (*names, *ensure):
            if name not in pool:
                raise SolverError(f"'{name}' is not a symbol of the game (its symbols: {', '.join(sorted(pool)) or 'none'})")
        missing = sorted(set(pool) - set(at))
        if missing:
            raise SolverError(f"give a calibration value in `at` for every symbol of the game; missing: {', '.join(missing)}")
        fixed = {pool[n]: _sympify_number(v) for n, v in at.items() if n in pool and n not in names and n not in ensure}
        game = _substitute(source, fixed) if fixed else source
        chosen = {n: pool[n] for n in (*names, *ensure)}
        point = {pool[n]: _sympify_number(at[n]) for n in chosen}
        return _Model(game, chosen, point, reports)
    if not isinstance(source, SignallingSpec):
        raise SolverError("threshold analysis needs a signalling spec or game")
    spec = source
    for name in at:
        if name not in spec.parameters:
            raise SolverError(f"unknown parameter '{name}' in `at` (parameters: {', '.join(spec.parameters)})")
    overrides = {name: parse_expression(str(_sympify_number(v)), file="at", line=None, key=name) for name, v in at.items()}
    if symbolic is None:
        names = [n for n, e in spec.parameters.items() if not overrides.get(n, e).names()]
    else:
        names = list(symbolic)
    names += [n for n in ensure if n not in names]
    values = resolve_parameters(spec, overrides)
    fixed_overrides = {n: e for n, e in overrides.items() if n not in names}
    built = build_game(spec, fixed_overrides, symbolic=names)
    assert isinstance(built, SignallingGame)
    game = built
    chosen = {n: sympy.Symbol(n, real=True) for n in names}
    point = {chosen[n]: _sympify_number(values[n]) for n in names}
    if reports is None and spec.interpretation is not None:
        reports = dict(spec.interpretation.reports)
    return _Model(game, chosen, point, reports)


def _substitute(game: SignallingGame, values: Point) -> SignallingGame:
    def sub(x: Any) -> sympy.Expr:
        return _sympify_number(x).xreplace(values)

    return SignallingGame(
        name=game.name, types=game.types, messages=game.messages, actions=game.actions,
        prior=tuple(sub(p) for p in game.prior),
        sender_payoffs=tuple(tuple(tuple(sub(x) for x in c) for c in r) for r in game.sender_payoffs),
        receiver_payoffs=tuple(tuple(tuple(sub(x) for x in c) for c in r) for r in game.receiver_payoffs),
        description=game.description, parameters=game.parameters)


def _profile_of(eq: PBE) -> Profile:
    return (tuple(tuple(m for m, p in enumerate(row) if p > 0) for row in eq.sender),
            tuple(tuple(a for a, p in enumerate(row) if p > 0) for row in eq.receiver))


class _Atlas:
    """Derived conditions per support profile, added as equilibria are found at points."""

    def __init__(self, model: _Model) -> None:
        self.model = model
        self.derivations: dict[Profile, list[ExistenceConditions]] = {}
        self.found: dict[Profile, set[tuple[Any, ...]]] = {}
        self.probed: set[tuple[Any, ...]] = set()

    @staticmethod
    def _key(point: Point) -> tuple[Any, ...]:
        return tuple(sorted((s.name, v) for s, v in point.items()))

    def probe(self, point: Point) -> bool:
        """Solve at ``point`` (rational), derive new profiles; True if something was added."""
        key = self._key(point)
        if key in self.probed:
            return False
        self.probed.add(key)
        game = self.model.numeric_game(point)
        if game is None:
            return False
        exact = game.is_rational
        added = False
        for eq in pbe_solve(game, exact=exact):
            profile = _profile_of(eq)
            self.found.setdefault(profile, set()).add(key)
            known = self.derivations.setdefault(profile, [])
            if any(d.holds(point) for d in known):
                continue
            known.append(support_conditions(self.model.game, *profile, at=point, reports=self.model.reports))
            added = True
        return added

    def exists(self, profile: Profile, point: Point) -> bool:
        if self._key(point) in self.found.get(profile, set()):
            return True
        return any(d.holds(point) for d in self.derivations.get(profile, []))

    def all(self) -> list[ExistenceConditions]:
        return [d for ds in self.derivations.values() for d in ds]


# --- public entry points ----------------------------------------------------------------------

def equilibrium_conditions(source: Spec | SignallingGame | str | Path, symbolic: Sequence[str] | None = None,
                           at: Mapping[str, Any] | None = None, *,
                           ranges: Mapping[str, tuple[Any, Any]] | None = None, steps: int = 21,
                           reports: Mapping[str, str] | None = None) -> list[ExistenceConditions]:
    """The existence conditions of every PBE found at the calibration (and on a grid).

    Parameters
    ----------
    source:
        A signalling spec (or its path), or a signalling game with ``sympy`` symbols.
    symbolic:
        The parameters left symbolic (default: every parameter given by a number in the spec,
        every symbol of a game). Parameters of a spec not listed keep their (``at``) values.
    at:
        The calibration (name -> value); a spec's defaults fill in the rest. A game needs a
        value for every symbol.
    ranges:
        Optional ``name -> (low, high)``: each named parameter is also stepped over ``steps``
        evenly spaced points of its range (the others at the calibration), so equilibria that
        exist away from the calibration are found too.
    reports:
        Each type's truthful message (default: the spec's ``interpretation.reports``).

    Returns
    -------
    list of ExistenceConditions
        One entry per support profile found (a profile found in two strata of the parameter
        space, e.g. with a different binding constraint, gives two entries), each derived at
        the first point where it was found.
    """
    model = _model(source, symbolic, at, reports)
    atlas = _Atlas(model)
    atlas.probe(dict(model.point))
    for name, (low, high) in (ranges or {}).items():
        if name not in model.symbols:
            raise SolverError(f"'{name}' has a range but is not symbolic")
        lo, hi = _sympify_number(low), _sympify_number(high)
        for i in range(max(steps, 2)):
            atlas.probe({**model.point, model.symbols[name]: lo + (hi - lo) * sympy.Rational(i, max(steps, 2) - 1)})
    return atlas.all()


@dataclass(frozen=True)
class Threshold:
    """A value of ``parameter`` (the others at the calibration) where the PBE set changes.

    ``expression`` is the value in terms of the other parameters (``None`` when the root is of
    a factor of degree > 2), ``value`` its number at the calibration; ``appears`` and
    ``disappears`` list the equilibria (labels) that start or stop existing as the parameter
    increases through the threshold, ``only_at`` those that exist only at it, ``except_at``
    those that exist on both sides but not at it. ``closed_form`` is the bound of the first
    appearing (else disappearing) equilibrium's existence region in the parameter, over all of
    its conditions (e.g. ``Max(c_fab, c_con)``), when the conditions are linear in it.
    """

    parameter: str
    expression: sympy.Expr | None
    value: Fraction | float
    description: str
    appears: tuple[str, ...] = ()
    disappears: tuple[str, ...] = ()
    only_at: tuple[str, ...] = ()
    except_at: tuple[str, ...] = ()
    alternatives: tuple[sympy.Expr, ...] = ()
    closed_form: sympy.Expr | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "expression": None if self.expression is None else str(self.expression),
            "value": str(self.value) if isinstance(self.value, Fraction) else self.value,
            "description": self.description,
            "appears": list(self.appears), "disappears": list(self.disappears),
            "only_at": list(self.only_at), "except_at": list(self.except_at),
            "alternatives": [str(a) for a in self.alternatives],
            "closed_form": None if self.closed_form is None else str(self.closed_form),
        }


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
                    self._values[factor] = tuple(set(sympy.Poly(along, x).real_roots()))
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


def _between(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """A rational strictly between ``a < b``."""
    if a.is_Rational and b.is_Rational:
        return (a + b) / 2
    mid = Fraction(float(sympy.N((a + b) / 2, 30)))
    for denominator in (10, 100, 10**4, 10**8, 10**12):
        q = sympy.Rational(mid.limit_denominator(denominator).numerator, mid.limit_denominator(denominator).denominator)
        if a < q < b:
            return q
    return sympy.Rational(mid.numerator, mid.denominator)


def _outside(p: sympy.Expr, direction: int) -> sympy.Expr:
    step = max(sympy.Integer(1), sympy.Integer(math.ceil(abs(float(p)))))
    base = p if p.is_Rational else sympy.Integer(math.floor(float(p)) if direction < 0 else math.ceil(float(p)))
    return base + direction * step


@dataclass(frozen=True)
class _Site:
    """A point (``low == high``) or an open interval of the parameter, with a sample point."""

    low: sympy.Expr | None
    high: sympy.Expr | None
    sample: sympy.Expr

    @property
    def is_point(self) -> bool:
        return self.low is not None and self.low == self.high


def _sites(points: Sequence[sympy.Expr], low: sympy.Expr | None, high: sympy.Expr | None,
           start: sympy.Expr) -> list[_Site]:
    marks = sorted(set(points) | {v for v in (low, high) if v is not None}, key=lambda v: sympy.N(v, 30))
    sites: list[_Site] = []
    if not marks:
        return [_Site(None, None, start)]
    if low is None:
        sites.append(_Site(None, marks[0], _outside(marks[0], -1)))
    for i, p in enumerate(marks):
        sites.append(_Site(p, p, p))
        if i + 1 < len(marks):
            sites.append(_Site(p, marks[i + 1], _between(p, marks[i + 1])))
    if high is None:
        sites.append(_Site(marks[-1], None, _outside(marks[-1], 1)))
    return sites


def _set_text(name: str, pieces: list[tuple[sympy.Expr | None, bool, sympy.Expr | None, bool]]) -> str:
    parts = []
    for lo, lo_closed, hi, hi_closed in pieces:
        if lo is not None and lo == hi:
            parts.append(f"{name} = {_fmt(lo)}")
        elif lo is None and hi is None:
            parts.append(f"all {name}")
        elif lo is None:
            parts.append(f"{name} {'<=' if hi_closed else '<'} {_fmt(hi)}")
        elif hi is None:
            parts.append(f"{name} {'>=' if lo_closed else '>'} {_fmt(lo)}")
        else:
            parts.append(f"{_fmt(lo)} {'<=' if lo_closed else '<'} {name} {'<=' if hi_closed else '<'} {_fmt(hi)}")
    return " or ".join(parts) if parts else "no value"


def _pieces(sites: list[_Site], exists: list[bool]) -> list[tuple[sympy.Expr | None, bool, sympy.Expr | None, bool]]:
    pieces: list[tuple[sympy.Expr | None, bool, sympy.Expr | None, bool]] = []
    current: list[Any] | None = None
    for site, on in zip(sites, exists):
        if on:
            if current is None:
                current = [site.low, site.is_point, site.high, site.is_point]
            else:
                current[2], current[3] = site.high, site.is_point
        elif current is not None:
            pieces.append(tuple(current))
            current = None
    if current is not None:
        pieces.append(tuple(current))
    return pieces


@dataclass(frozen=True)
class _Change:
    """Site ``index`` (a root, ``value``) where the profiles listed change as :class:`Threshold`
    says."""

    index: int
    value: sympy.Expr
    appears: list[Profile]
    disappears: list[Profile]
    only_at: list[Profile]
    except_at: list[Profile]

    @property
    def changed(self) -> list[Profile]:
        return self.appears + self.disappears + self.only_at + self.except_at


class _Scan:
    """One parameter varied over ``[low, high]`` (``None``: unbounded), the others at the
    calibration: steps (i)-(iii) of the module docstring, the sites between consecutive roots
    and which profiles' PBE exist at each site."""

    def __init__(self, model: _Model, parameter: str, low: sympy.Expr | None, high: sympy.Expr | None) -> None:
        self.parameter, self.low, self.high = parameter, low, high
        x = self.x = model.symbols[parameter]
        others = self.others = {s: v for s, v in model.point.items() if s != x}
        atlas = self.atlas = _Atlas(model)
        atlas.probe(dict(model.point))
        if low is not None and high is not None:
            for i in range(1, 4):
                atlas.probe({**others, x: low + (high - low) * sympy.Rational(i, 4)})
        finder = self.finder = _RootFinder(x, others, _Field.of_parameters(_parameters(model.game)).factorer)
        roots: list[_Root] = _seed_roots(model.game, finder)
        done: set[int] = set()
        sites: list[_Site] = []
        for _ in range(MAX_ROUNDS):
            for d in atlas.all():
                if id(d) not in done:
                    done.add(id(d))
                    roots += _roots(d, finder)
            values = {r.value for r in roots if (low is None or r.value >= low) and (high is None or r.value <= high)}
            sites = _sites(sorted(values, key=lambda v: sympy.N(v, 30)), low, high, model.point[x])
            added = False
            for site in sites:
                if site.sample.is_Rational:
                    added |= atlas.probe({**others, x: site.sample})
            if not added:
                break
        self.roots, self.sites = roots, sites
        self.profiles = list(atlas.derivations)
        self.table = {p: [atlas.exists(p, {**others, x: s.sample}) for s in sites] for p in self.profiles}
        self.labels = {p: atlas.derivations[p][0].label if atlas.derivations[p] else str(p) for p in self.profiles}

    def changes(self) -> list[_Change]:
        """The sites where some profile's PBE appear, disappear, or exist only (or all but) there."""
        sites, table, out = self.sites, self.table, []
        for i, site in enumerate(sites):
            if not site.is_point or site.low in (self.low, self.high) and not any(r.value == site.low for r in self.roots):
                continue
            assert site.low is not None
            change = _Change(i, site.low, [], [], [], [])
            for p in self.profiles:
                left = table[p][i - 1] if i > 0 else None
                here = table[p][i]
                right = table[p][i + 1] if i + 1 < len(sites) else None
                sides = [s for s in (left, right) if s is not None]
                if left is not None and right is not None and left != right:
                    (change.appears if right else change.disappears).append(p)
                elif sides and all(s == sides[0] for s in sides) and here != sides[0]:
                    (change.only_at if here else change.except_at).append(p)
                elif len(sides) == 1 and here != sides[0]:
                    (change.appears if sides[0] else change.disappears).append(p)
            if change.changed:
                out.append(change)
        return out

    def expressions(self, change: _Change) -> list[sympy.Expr]:
        """The roots at the change as expressions in the other parameters, those met in the
        conditions of a changing profile if any."""
        here = [r for r in self.roots if r.value == change.value]
        changed = change.changed
        found = [e for r in here if r.profile in changed and (e := self.finder.expression(r)) is not None]
        return found or [e for r in here if (e := self.finder.expression(r)) is not None]

    def closed_bounds(self, change: _Change) -> tuple[tuple[tuple[sympy.Expr, bool], ...], bool] | None:
        """``(bounds, upper)``: the lower bounds of the first appearing equilibrium's existence
        region in the parameter (``upper`` False), else the upper bounds of the first
        disappearing one, when its conditions are solved for the parameter without residue."""
        x, i = self.x, change.index
        here = {**self.others, x: change.value}
        for profiles, side, upper in ((change.appears, 1, False), (change.disappears, -1, True)):
            for p in profiles:
                j = i + side
                if not 0 <= j < len(self.sites):
                    continue
                point = {**here, x: self.sites[j].sample}
                for d in self.atlas.derivations[p]:
                    if d.holds(point):
                        solved = d._solve_for(x, point)
                        if not solved.unsolved and not solved.equal:
                            return (solved.upper if upper else solved.lower), upper
        return None


def thresholds(source: Spec | SignallingGame | str | Path, parameter: str, *, at: Mapping[str, Any] | None = None,
               low: Any = None, high: Any = None, symbolic: Sequence[str] | None = None,
               reports: Mapping[str, str] | None = None) -> list[Threshold]:
    """The values of ``parameter`` where the set of PBE changes, the others at the calibration.

    Parameters
    ----------
    source:
        A signalling spec (or its path), or a signalling game with ``sympy`` symbols.
    parameter:
        The parameter to vary.
    at:
        The calibration (name -> value); a spec's defaults fill in the rest.
    low, high:
        The range of ``parameter`` examined (default: the whole real line).
    symbolic:
        The parameters kept symbolic in the thresholds' expressions (default: every parameter
        given by a number in the spec, every symbol of a game); ``parameter`` always is.
    reports:
        Each type's truthful message (default: the spec's ``interpretation.reports``).

    Returns
    -------
    list of Threshold
        In increasing order of value (see the module docstring for the method).
    """
    model = _model(source, symbolic, at, reports, ensure=(parameter,))
    scan = _Scan(model, parameter, None if low is None else _sympify_number(low),
                 None if high is None else _sympify_number(high))
    labels = scan.labels
    out: list[Threshold] = []
    for change in scan.changes():
        distinct: list[sympy.Expr] = []
        for c in sorted(scan.expressions(change), key=sympy.count_ops):
            if all(_clean(c - d) != 0 for d in distinct):
                distinct.append(c)
        descriptions = [f"{labels[p]} PBE exists for {_set_text(parameter, _pieces(scan.sites, scan.table[p]))}"
                        for p in change.changed]
        closed = scan.closed_bounds(change)
        value = change.value
        out.append(Threshold(
            parameter=parameter, expression=distinct[0] if distinct else None, value=_to_fraction(value),
            description=f"at {parameter} = {_fmt(value)}: " + "; ".join(descriptions),
            appears=tuple(labels[p] for p in change.appears), disappears=tuple(labels[p] for p in change.disappears),
            only_at=tuple(labels[p] for p in change.only_at), except_at=tuple(labels[p] for p in change.except_at),
            alternatives=tuple(distinct[1:]),
            closed_form=None if closed is None else _envelope(closed[0], upper=closed[1]),
        ))
    return out


def threshold_curves(spec: Spec, x: str, y: str, *, at: Mapping[str, Any] | None = None,
                     truthful_only: bool = False) -> list[tuple[str, Callable[[np.ndarray], np.ndarray]]]:
    """Threshold curves ``x = f(y)`` for a phase diagram over ``(x, y)``.

    Each threshold in ``x`` (others at the calibration ``at``, ``y`` kept symbolic) whose
    closed form depends on no parameter but ``y`` becomes a vectorised function of ``y``
    (``truthful_only``: only where a truthful PBE appears), labelled by what appears there.
    A closed form ``Max`` (``Min``) of several bounds is evaluated as the maximum (minimum) of
    their values, without building (and simplifying) the ``sympy`` expression.
    """
    model = _model(spec, [y], at, None, ensure=(x,))
    scan = _Scan(model, x, None, None)
    symbol = model.symbols[y]
    curves: list[tuple[str, Callable[[np.ndarray], np.ndarray]]] = []
    for change in scan.changes():
        appears = [scan.labels[p] for p in change.appears]
        truthful = any(a.startswith("separating (truthful)") for a in appears)
        if truthful_only and not truthful:
            continue
        closed = scan.closed_bounds(change)
        upper = closed is not None and closed[1]
        if closed is not None and len(closed[0]) > 1:
            pieces = [b for b, _ in closed[0]]
        elif closed is not None:
            pieces = [_envelope(closed[0], upper=upper)]
        else:
            candidates = scan.expressions(change)
            if not candidates:
                continue
            pieces = [min(candidates, key=sympy.count_ops)]
        if any(s.name != y for e in pieces for s in e.free_symbols):
            continue
        named = appears or [scan.labels[p] for p in change.disappears] or [""]
        label = f"{x}*({y})" if truthful else f"{x} threshold: {named[0].split(' [')[0]}"
        curves.append((label, _vectorised(pieces, symbol, upper=upper)))
    return curves


def _vectorised(pieces: Sequence[sympy.Expr], symbol: sympy.Symbol, *,
                upper: bool) -> Callable[[np.ndarray], np.ndarray]:
    """The pointwise minimum (``upper``) or maximum of ``pieces`` (one piece: that piece) as a
    function of an array of values of ``symbol`` (an array of the same shape).

    The module object is given to ``lambdify`` rather than the name ``"numpy"``: the printed
    code is the same, without the ``from numpy import *`` that imports numpy's lazy submodules.
    """
    fn = sympy.lambdify([symbol], list(pieces), modules=[np])
    combine = np.minimum if upper else np.maximum

    def curve(values: np.ndarray) -> np.ndarray:
        arrays = [np.asarray(v, dtype=float) * np.ones_like(values) for v in fn(values)]
        result: np.ndarray = functools.reduce(combine, arrays)
        return result

    return curve

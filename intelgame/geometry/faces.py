"""Faces of polytopes given by linear constraints: the one geometric oracle of every solver.

Support enumeration (for PBE and for Nash equilibria) reduces, support profile by support
profile, to the same question about a system

.. math:: P = \\{x \\in \\mathbb{R}^n : A_{eq} x = b_{eq},\\; A_{ub} x \\le b_{ub},\\; x \\ge 0\\}

where every coordinate is a probability that the support requires to be *strictly* positive:
is the relatively open face :math:`P^{+} = P \\cap \\{x > 0\\}` non-empty, and if so, what is a
point of it and what range does each coordinate take over its closure?

* If :math:`A_{eq}` has full column rank, :math:`P` has at most one point: solve the square
  system and check the inequalities (no linear programme needed).
* Otherwise, for existence only, maximise :math:`\\varepsilon \\le 1` over :math:`x = y +
  \\varepsilon \\mathbf{1} \\in P`, :math:`y \\ge 0` (:func:`intelgame.geometry.simplex.feasible_point`,
  which stops at the first basis with :math:`\\varepsilon > 0`); :math:`P^{+} \\neq \\emptyset`
  iff the optimum is positive. A face comes from the :math:`2n` LPs :math:`\\min_P \\pm x_i`
  sharing one phase 1 (:func:`intelgame.geometry.simplex.linprog_many`): :math:`P^{+} \\neq
  \\emptyset` iff every :math:`\\max_P x_i > 0`, and the ranges over :math:`\\overline{P^{+}} = P`
  are the optima. The face's representative point is the mean of the :math:`2n` *lexicographic* optimisers
  :math:`v_i^\\pm` (the lexicographically least point of :math:`\\arg\\min_P \\pm x_i`, a
  vertex that depends on :math:`P` only, not on the pivots): it lies in :math:`P^{+}`, as its
  :math:`i`-th coordinate is at least :math:`\\max_P x_i / 2n > 0`. The batched solver
  (:mod:`intelgame.geometry.vertices`) finds the same vertices among all vertices of
  :math:`P`, hence the same point.

Two arithmetics run the same oracle and the same kernels (:mod:`intelgame.geometry.simplex`):
:class:`ExactArithmetic` (``fractions.Fraction``), which decides every sign without any
tolerance, and :class:`FloatArithmetic`, whose decisions are *filtered* (the scheme of robust
geometry kernels, e.g. CGAL's filtered predicates; Shewchuk 1997, "Adaptive precision
floating-point arithmetic and fast robust geometric predicates"): every float compared with
the tolerance is compared with a :class:`FilterBand` instead, which

* reads ``|x| <= ZERO_FLOOR`` as an exact zero (the premise: on the normalised games the solvers
  build, see :func:`intelgame.solvers.pbe.belief_cells.normalised_payoffs`, a decision value that is
  exactly 0 comes out of a few dozen float operations within ``ZERO_FLOOR``, about 10^5 units
  in the last place of 1);
* trusts the float sign of ``|x| > FILTER_BAND``, a thousand times the floor;
* and raises :class:`Uncertain` for ``ZERO_FLOOR < |x| <= FILTER_BAND``: the float cannot tell a
  small value from a rounded zero there, so the caller redoes the whole game exactly.

What is left to trust is the premise, which the tests check against the exact path on
degenerate games (ties, cheap talk, scaled payoffs). Near ties in the input are checked exactly
(:func:`~intelgame.solvers.pbe.belief_cells.tie_gap_blocks`); an exact value that is not zero but lies
within the floor and arises inside a system (a cancellation of three types' payoffs to ``1e-13``,
say, from payoffs of order 1) is the case the filter cannot see (``docs/certified_float.md``), and
``exact=True`` is the answer there.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol, Sequence

from intelgame.errors import Uncertain
from intelgame.geometry.simplex import feasible_point, linprog, linprog_many, solve_unique
from intelgame.geometry.numbers import Number

#: The tolerance with which *results* of the float path are read (classification, labels): their
#: strategies are certified, so a probability within it of 0 or 1 is 0 or 1. It decides nothing
#: about which equilibria exist.
FLOAT_TOLERANCE = 1e-9
#: Float decision values within this of zero are taken as exact zeros (see the module docstring).
ZERO_FLOOR = 2.0 ** -36
#: Float decision values beyond this keep their float sign; between the floor and here they are
#: uncertain and the game is solved exactly.
FILTER_BAND = 2.0 ** -26


def grey(values: Any) -> Any:
    """The band as an array predicate (the batched solver's form of :class:`FilterBand`): where
    a float decision value is uncertain, ``ZERO_FLOOR < |v| <= FILTER_BAND``."""
    size = abs(values)
    return (size > ZERO_FLOOR) & (size <= FILTER_BAND)


class FilterBand:
    """The float path's tolerance: comparisons of a float with it (or with its negation) decide
    ``x > 0``, ``x >= 0``, ``|x| <= 0`` as the module docstring says, raising
    :class:`Uncertain` in the band. It stands where the kernels compare with ``tol``
    (``x > tol``, ``x < -tol``, ``abs(x) <= tol``, ``-tol <= x``), so the kernels keep one
    definition for both arithmetics."""

    __slots__ = ("sign", "_opposite")

    def __init__(self, sign: int = 1, opposite: FilterBand | None = None) -> None:
        self.sign = sign
        self._opposite = opposite if opposite is not None else FilterBand(-sign, self)

    def __neg__(self) -> FilterBand:
        return self._opposite  # one pair of objects: ``-tol`` is evaluated in inner loops

    def __float__(self) -> float:
        return self.sign * ZERO_FLOOR

    @property
    def floor(self) -> float:
        """``ZERO_FLOOR``: what the kernels' written-out tests read (:func:`~intelgame.geometry.pivoting.band_edges`)."""
        return ZERO_FLOOR

    @property
    def band(self) -> float:
        """``FILTER_BAND``, likewise."""
        return FILTER_BAND

    def __repr__(self) -> str:
        return f"{'-' if self.sign < 0 else ''}FilterBand({ZERO_FLOOR!r}, {FILTER_BAND!r})"

    # ``x > band`` calls ``band.__lt__(x)``, and so on (reflected comparisons). The band test is
    # written out in each: these run in the simplex's inner loop, mostly on exact zeros.
    def __lt__(self, x: float) -> bool:
        if -FILTER_BAND <= x <= FILTER_BAND and (x > ZERO_FLOOR or x < -ZERO_FLOOR):
            raise Uncertain(x)
        return bool(x > self.sign * ZERO_FLOOR)

    def __le__(self, x: float) -> bool:
        if -FILTER_BAND <= x <= FILTER_BAND and (x > ZERO_FLOOR or x < -ZERO_FLOOR):
            raise Uncertain(x)
        return bool(x >= self.sign * ZERO_FLOOR)

    def __gt__(self, x: float) -> bool:
        if -FILTER_BAND <= x <= FILTER_BAND and (x > ZERO_FLOOR or x < -ZERO_FLOOR):
            raise Uncertain(x)
        return bool(x < self.sign * ZERO_FLOOR)

    def __ge__(self, x: float) -> bool:
        if -FILTER_BAND <= x <= FILTER_BAND and (x > ZERO_FLOOR or x < -ZERO_FLOOR):
            raise Uncertain(x)
        return bool(x <= self.sign * ZERO_FLOOR)




@dataclass(frozen=True)
class LinearSystem:
    """``{x >= 0 : eq_rows x = eq_rhs, ub_rows x <= ub_rhs}`` in ``n`` variables."""

    n: int
    eq_rows: tuple[tuple[Number, ...], ...]
    eq_rhs: tuple[Number, ...]
    ub_rows: tuple[tuple[Number, ...], ...] = ()
    ub_rhs: tuple[Number, ...] = ()


@dataclass(frozen=True)
class Face:
    """A non-empty relatively open face: one point with every coordinate ``> 0`` and the
    coordinate ranges ``[lower_i, upper_i]`` over its closure."""

    point: tuple[Number, ...]
    lower: tuple[Number, ...]
    upper: tuple[Number, ...]

    @property
    def is_point(self) -> bool:
        """True when the face is a single point (no continuum)."""
        return all(lo == hi for lo, hi in zip(self.lower, self.upper))


class _Arithmetic:
    """Shared logic of both arithmetics; subclasses provide the number type and the kernels."""

    exact: bool
    tolerance: float
    #: The work done so far, in tableau entries (rows times columns of each system decided,
    #: times the number of linear programmes run on it): a deterministic measure of time that
    #: callers compare with a budget.
    work: int = 0

    # -- number type --------------------------------------------------------------------
    def number(self, value: Any) -> Number:  # pragma: no cover - overridden
        raise NotImplementedError

    def is_positive(self, x: Number) -> bool:
        """``x > 0`` (float path: ``x > tolerance``)."""
        return bool(x > self.tolerance)

    def is_nonnegative(self, x: Number) -> bool:
        """``x >= 0`` (float path: ``x >= -tolerance``)."""
        return bool(x >= -self.tolerance)

    def is_zero(self, x: Number) -> bool:
        """``x == 0`` (float path: ``|x| <= tolerance``)."""
        return bool(abs(x) <= self.tolerance)

    # -- kernels (one algorithm for both arithmetics) ------------------------------------
    def _unique_solution(self, system: LinearSystem) -> tuple[bool, tuple[Number, ...] | None]:
        """``(full_rank, x)``: whether ``eq_rows`` has full column rank, and then the unique
        solution of ``eq_rows x = eq_rhs`` (``None`` if inconsistent)."""
        if len(system.eq_rows) < system.n:
            return False, None
        return solve_unique(system.eq_rows, system.eq_rhs, system.n, tolerance=self.tolerance)

    def _linprog(self, cost: Sequence[Number], system: LinearSystem) -> tuple[Number, tuple[Number, ...]] | None:
        """Minimise ``cost . x`` over ``system``; ``None`` if infeasible."""
        return linprog(cost, system.eq_rows, system.eq_rhs, system.ub_rows, system.ub_rhs,
                       tolerance=self.tolerance)

    # -- the oracle ---------------------------------------------------------------------
    def satisfies(self, system: LinearSystem, x: Sequence[Number]) -> bool:
        """Whether ``x`` satisfies every constraint (:func:`satisfies`)."""
        return satisfies(self, system, x)

    def open_point(self, system: LinearSystem) -> tuple[Number, ...] | None:
        """A point of ``{x in P : x > 0}``, or ``None`` if it is empty (existence only)."""
        return self._point(system, strict=True)

    def closed_point(self, system: LinearSystem) -> tuple[Number, ...] | None:
        """A point of ``P`` (``x >= 0``), or ``None`` if it is empty (existence only)."""
        return self._point(system, strict=False)

    def open_face(self, system: LinearSystem) -> Face | None:
        """The face ``{x in P : x > 0}`` if non-empty, else ``None`` (see module docstring)."""
        return self._face(system, strict=True)

    def closed_face(self, system: LinearSystem) -> Face | None:
        """All of ``P`` (``x >= 0``) if non-empty, else ``None``: a point of ``P`` and ranges."""
        return self._face(system, strict=False)

    def _point(self, system: LinearSystem, *, strict: bool) -> tuple[Number, ...] | None:
        return self._point_and_rank(system, strict=strict)[0]

    def _point_and_rank(self, system: LinearSystem, *, strict: bool,
                        need_point: bool = True) -> tuple[tuple[Number, ...] | None, bool]:
        """``(point or None, whether eq_rows has full column rank)``; without ``need_point``, a
        system without full rank comes back as ``((), False)`` (undecided)."""
        n = system.n
        self.work += (n + 1) * (len(system.eq_rows) + len(system.ub_rows) + 1)
        if n == 0:
            ok = all(self.is_zero(r) for r in system.eq_rhs) and all(
                self.is_nonnegative(r) for r in system.ub_rhs)
            return (() if ok else None), True
        full_rank, x = self._unique_solution(system)
        if full_rank:
            if x is None or not self.satisfies(system, x):
                return None, True
            if strict and not all(self.is_positive(v) for v in x):
                return None, True
            return tuple(self._clean(v) for v in x), True
        if not need_point:
            return (), False  # the range LPs of _face decide emptiness themselves
        return feasible_point(n, system.eq_rows, system.eq_rhs, system.ub_rows, system.ub_rhs,
                              strict=strict, tolerance=self.tolerance), False

    def _face(self, system: LinearSystem, *, strict: bool) -> Face | None:
        x, full_rank = self._point_and_rank(system, strict=strict, need_point=False)
        if x is None:
            return None
        if full_rank:
            return Face(x, x, x)
        n = system.n
        zero, one = self.number(0), self.number(1)
        costs = []
        for i in range(n):
            unit = tuple(one if j == i else zero for j in range(n))
            costs += [unit, tuple(-u for u in unit)]
        self.work += 2 * n * (n + len(system.ub_rows) + 1) * (len(system.eq_rows) + len(system.ub_rows) + 1)
        optima = linprog_many(costs, system.eq_rows, system.eq_rhs, system.ub_rows, system.ub_rhs,
                              tolerance=self.tolerance, lexicographic=True)
        points = []  # the mean of the 2n range optimisers has x_i >= upper_i / 2n > 0
        lower, upper = [], []
        for i in range(n):
            low, high = optima[2 * i], optima[2 * i + 1]
            if low is None or high is None:  # P is empty (phase 1 of the range LPs found it so)
                return None
            if strict and not self.is_positive(-high[0]):  # x_i = 0 on all of P: P+ is empty
                return None
            lower.append(self._clean(low[0]))
            upper.append(self._clean(-high[0]))
            points += [low[1], high[1]]
        point = tuple(self._clean(sum(p[i] for p in points) / len(points)) for i in range(n))
        for i in range(n):  # whether the face is a continuum in x_i is a decision like any other
            if self.is_zero(upper[i] - lower[i]):
                lower[i] = upper[i] = point[i]
        return Face(point, tuple(lower), tuple(upper))

    def _clean(self, v: Number) -> Number:
        return v


class FloatArithmetic(_Arithmetic):
    """Floating point with filtered decisions (:class:`FilterBand`): a decision it cannot
    certify raises :class:`Uncertain`."""

    exact = False
    tolerance: Any = FilterBand()

    def number(self, value: Any) -> float:
        return float(value)

    def _clean(self, v: Number) -> float:
        value = float(v)
        for target in (0.0, 1.0):
            if abs(value - target) <= ZERO_FLOOR:
                return target
        return value

class ExactArithmetic(_Arithmetic):
    """Exact rational arithmetic: decides every (in)equality without tolerance."""

    exact = True
    tolerance = 0

    def number(self, value: Any) -> Fraction:
        if isinstance(value, float):
            return Fraction(value)  # the float's exact binary value
        return Fraction(value)

    def is_positive(self, x: Number) -> bool:
        return bool(x > 0)

    def is_nonnegative(self, x: Number) -> bool:
        return bool(x >= 0)

    def is_zero(self, x: Number) -> bool:
        return bool(x == 0)


class Arithmetic(Protocol):
    """What the solvers need of a number type: conversion, sign decisions and the face oracle.
    :class:`ExactArithmetic` and :class:`FloatArithmetic` implement it; the symbolic layer's
    arithmetic implements the conversion and the signs (its oracle refuses)."""

    exact: bool
    work: int

    def number(self, value: Any) -> Any: ...
    def is_positive(self, x: Any) -> bool: ...
    def is_nonnegative(self, x: Any) -> bool: ...
    def is_zero(self, x: Any) -> bool: ...
    def open_point(self, system: LinearSystem) -> tuple[Any, ...] | None: ...
    def closed_point(self, system: LinearSystem) -> tuple[Any, ...] | None: ...
    def open_face(self, system: LinearSystem) -> Face | None: ...
    def closed_face(self, system: LinearSystem) -> Face | None: ...


def satisfies(ar: Arithmetic, system: LinearSystem, x: Sequence[Any]) -> bool:
    """Whether ``x`` satisfies every constraint of ``system`` (equalities, inequalities,
    ``x >= 0``), each sign decided by the arithmetic ``ar``. Zero coefficients are skipped
    (the rows are sparse): a term ``0 * v`` could only change the sign of a zero sum."""
    for row, rhs in zip(system.eq_rows, system.eq_rhs):
        if not ar.is_zero(sum(a * v for a, v in zip(row, x) if a) - rhs):
            return False
    for row, rhs in zip(system.ub_rows, system.ub_rhs):
        if not ar.is_nonnegative(rhs - sum(a * v for a, v in zip(row, x) if a)):
            return False
    return all(ar.is_nonnegative(v) for v in x)


def arithmetic_for(*, exact: bool) -> Arithmetic:
    """The arithmetic a solver uses: exact rationals, or filtered floats."""
    return ExactArithmetic() if exact else FloatArithmetic()

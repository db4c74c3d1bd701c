"""The thresholds of one parameter: where the set of PBE changes, the others at the calibration.

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

With a range ``[low, high]`` the roots and equilibria are still discovered over the whole line
(step (iii) probes outside the range too) and only the thresholds inside it are reported, so
restricting the range never loses a threshold that the unbounded scan finds.

Limitations (stated, not hidden): an equilibrium that exists only on a sub-interval that
contains no sample point and none of whose boundaries is a root met in (ii) is missed; irrational
roots are not re-solved numerically (existence there comes from the derived conditions only);
Fourier-Motzkin stops at :data:`.elimination.MAX_CONSTRAINTS` constraints (the system is then
marked "not derived", its conditions only necessary); a root is an expression only for factors
of degree at most 2 in :math:`x`; payoffs must be rational functions of the symbolic parameters
(no ``min``/``max``/``abs``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

from intelgame.symbolic.atlas import _Atlas, _Model, _model
from intelgame.symbolic.budget import budget, check_entries
from intelgame.symbolic.conditions import Condition, _clean, _sign_satisfies
from intelgame.symbolic.elimination import _envelope
from intelgame.symbolic.exact import Point, _exact_value, _fmt, _NotExact, _sympify_number, _to_fraction
from intelgame.symbolic.fields import _Field
from intelgame.symbolic.profiles import Profile, _entries, _parameters
from intelgame.symbolic.roots import _Root, _RootFinder, _roots, _seed_roots
from intelgame.games.signalling import SignallingGame
from intelgame.spec.model import Spec

#: Rounds of "solve between the roots, derive what is new" in :func:`thresholds`.
MAX_ROUNDS = 12


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

    def summary(self) -> str:
        """One line: the threshold and what changes there, by the kind of each PBE, e.g. ``c = 5/6:
        appears: separating (truthful); disappears: semi-separating`` (the expression when it
        differs from the value; the strategies in full under ``--verbose``)."""
        value = str(self.value) if isinstance(self.value, Fraction) else f"{self.value:.6g}"
        where = f"{self.parameter} = {value}"
        if self.expression is not None and str(self.expression) != value:
            where += f" (= {self.expression})"
        groups = [(self.appears, "appears", "appear"), (self.disappears, "disappears", "disappear"),
                  (self.only_at, "exists only here", "exist only here"),
                  (self.except_at, "exists on both sides but not here", "exist on both sides but not here")]
        changes = [f"{one if len(labels) == 1 else many}: {', '.join(_kinds(labels))}"
                   for labels, one, many in groups if labels]
        return f"{where}: {'; '.join(changes)}"

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


def _kinds(labels: Sequence[str]) -> list[str]:
    """Each PBE's kind (its label before the strategies), counted: ``2 x semi-separating``."""
    kinds = [label.split(" [")[0] for label in labels]
    return [kind if kinds.count(kind) == 1 else f"{kinds.count(kind)} x {kind}" for kind in dict.fromkeys(kinds)]


@functools.lru_cache(maxsize=8192)
def _order_key(value: sympy.Expr) -> sympy.Float:
    """``value`` to 30 digits, memoised: the key roots are sorted by (an algebraic number is
    evaluated again on every call)."""
    return sympy.N(value, 30)


def _less(a: sympy.Expr, b: sympy.Expr) -> bool:
    """``a < b`` for real numbers, read from their 30-digit values (:func:`_order_key`) when
    those are more than ``1e-20`` apart, else decided by ``sympy``."""
    if a.is_Rational and b.is_Rational:
        return bool(a < b)
    gap = _order_key(b) - _order_key(a)
    if abs(gap) > 1e-20:
        return bool(gap > 0)
    return bool(a < b)


def _between(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """A rational strictly between ``a < b``."""
    if a.is_Rational and b.is_Rational:
        return (a + b) / 2
    mid = Fraction(float((_order_key(a) + _order_key(b)) / 2))
    for denominator in (10, 100, 10**4, 10**8, 10**12):
        q = sympy.Rational(mid.limit_denominator(denominator).numerator, mid.limit_denominator(denominator).denominator)
        if _less(a, q) and _less(q, b):
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
    marks = sorted(set(points) | {v for v in (low, high) if v is not None}, key=_order_key)
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
        quarters = ([{**others, x: low + (high - low) * sympy.Rational(i, 4)} for i in range(1, 4)]
                    if low is not None and high is not None else [])
        atlas.probe_many([dict(model.point), *quarters])
        finder = self.finder = _RootFinder(x, others, _Field.of_parameters(_parameters(model.game)).factorer)
        roots: list[_Root] = _seed_roots(model.game, finder)
        done: set[int] = set()
        sites: list[_Site] = []
        bounded = low is not None or high is not None
        for _ in range(MAX_ROUNDS):
            for d in atlas.all():
                if id(d) not in done:
                    done.add(id(d))
                    roots += _roots(d, finder)
            ordered = sorted({r.value for r in roots}, key=_order_key)
            inside = [v for v in ordered if (low is None or not _less(v, low)) and (high is None or not _less(high, v))]
            sites = _sites(inside, low, high, model.point[x])
            # The profiles are discovered over the whole line even when [low, high] is asked:
            # one found only outside may have a condition with a root inside (an equilibrium that
            # exists only at that root is found only once the root is a site), so a bounded scan
            # finds every threshold in [low, high] that the unbounded one finds.
            probes = sites + (_sites(ordered, None, None, model.point[x]) if bounded else [])
            added = atlas.probe_many([{**others, x: site.sample} for site in probes if site.sample.is_Rational])
            if not added:
                break
        self.roots, self.sites = roots, sites
        self._truth: dict[tuple[Condition, int], bool] = {}
        self._factor_signs: dict[tuple[sympy.Expr, sympy.Expr, sympy.Expr], int | None] = {}
        self.profiles = list(atlas.derivations)
        self.table = {p: [self._exists(p, i) for i in range(len(sites))] for p in self.profiles}
        self.labels = {p: atlas.derivations[p][0].label if atlas.derivations[p] else str(p) for p in self.profiles}

    def _exists(self, profile: Profile, index: int) -> bool:
        """Whether ``profile``'s PBE exist at site ``index``: found there by the solver, or some
        derivation of it holds there. Each condition's truth at a site is decided once (the same
        conditions recur in the derivations of many profiles), at an irrational root from its
        factors' signs (see :meth:`_holds_at`)."""
        site = self.sites[index]
        point = {**self.others, self.x: site.sample}
        if site.sample.is_Rational:
            return self.atlas.exists(profile, point)
        return any(d.feasible and all(self._holds_at(c, index) for c in (*d.assumptions, *d.conditions))
                   for d in self.atlas.derivations.get(profile, []))

    def _holds_at(self, condition: Condition, index: int) -> bool:
        """Whether ``condition`` holds at site ``index`` (memoised). At an irrational root each
        factor's sign is read at the neighbouring sample unless the factor vanishes there (see
        :func:`_sign_at_root`), which spares ``sympy``'s algebraic-number arithmetic."""
        key = (condition, index)
        known = self._truth.get(key)
        if known is not None:
            return known
        site = self.sites[index]
        point = {**self.others, self.x: site.sample}
        sign = None
        if not site.sample.is_Rational:
            near = {**self.others, self.x: self.sites[index + 1 if index + 1 < len(self.sites) else index - 1].sample}
            sign = _sign_at_root(condition, site.sample, near, self.finder, self._factor_signs)
        truth = self._truth[key] = condition.holds(point) if sign is None else _sign_satisfies(sign, condition.op)
        return truth

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


@functools.lru_cache(maxsize=4096)
def _approximate(value: sympy.Expr) -> float:
    """``float(value)``, memoised: an algebraic number is evaluated again on every call."""
    return float(value)


def _sign_at_root(condition: Condition, root: sympy.Expr, near: Point, finder: _RootFinder,
                  memo: dict[tuple[sympy.Expr, sympy.Expr, sympy.Expr], int | None] | None = None) -> int | None:
    """The sign of ``condition.expr`` at ``x = root`` (an irrational number; the other
    parameters as at ``near``), from its factors: 0 where one of the numerator vanishes at
    ``root`` (a root :meth:`_RootFinder.values` finds), else the product of their signs at
    ``near``, exact (rational) and equal to those at ``root`` when no root of any factor lies
    between the two. ``None`` (decide it otherwise) when a denominator vanishes, a factor is
    not a polynomial in ``x`` or a root of one may lie between. ``memo`` keeps each factor's
    sign across calls."""
    memo = {} if memo is None else memo
    sign = 1
    for factor in sympy.Mul.make_args(condition.expr):
        base, k = factor.as_base_exp()
        if base.is_number:
            continue
        if not k.is_Integer:
            return None
        key = (base, root, near[finder.x])
        if key not in memo:
            memo[key] = _factor_sign_at_root(base, root, near, finder)
        base_sign = memo[key]
        if base_sign is None or base_sign == 0 and k < 0:
            return None
        sign *= base_sign ** abs(int(k))
    return sign


def _factor_sign_at_root(base: sympy.Expr, root: sympy.Expr, near: Point, finder: _RootFinder) -> int | None:
    """The sign of the factor ``base`` at ``x = root`` as :func:`_sign_at_root` reads it: 0
    where it vanishes, its sign at ``near`` when none of its roots lies between, ``None``
    otherwise."""
    x = finder.x
    if not base.is_polynomial(x):
        return None
    roots = finder.values(base)
    if root in roots:
        return 0
    gap = sorted((_approximate(root), _approximate(near[x])))
    if any(gap[0] - 1e-9 <= _approximate(r) <= gap[1] + 1e-9 for r in roots):
        return None
    try:
        value = _exact_value(base, near)
    except _NotExact:
        return None
    if value is None or value == 0:
        return None
    return 1 if value > 0 else -1


def thresholds(source: Spec | SignallingGame | str | Path, parameter: str, *, at: Mapping[str, Any] | None = None,
               low: Any = None, high: Any = None, symbolic: Sequence[str] | None = None,
               reports: Mapping[str, str] | None = None, max_work: int | None = None) -> list[Threshold]:
    """The values of ``parameter`` where the set of PBE changes, the others at the calibration.

    ``source``, ``at``, ``symbolic`` (the parameters kept symbolic in the thresholds'
    expressions) and ``reports`` are as for
    :func:`~intelgame.symbolic.atlas.equilibrium_conditions`; ``parameter`` is always symbolic.

    Parameters
    ----------
    parameter:
        The parameter to vary.
    low, high:
        The interval of ``parameter`` of interest (default: the whole real line; either may be
        given alone). Only the thresholds in ``[low, high]`` are reported, but the roots and
        equilibria are discovered over the whole line (see the module docstring), so a bounded
        scan reports every threshold in the interval that the unbounded one finds. The
        command line's ``intelgame thresholds --range LOW:HIGH``, whose default is the range
        declared in the spec (``parameters: {c: {value: 0, range: [0, 1]}}``).
    max_work:
        The work budget (:mod:`intelgame.symbolic.budget`; ``None``: no limit), checked before
        the derivation starts and during it: beyond it
        :class:`~intelgame.errors.WorkLimitExceeded` is raised (the command line's
        ``--max-work``).

    Returns
    -------
    list of Threshold
        In increasing order of value (see the module docstring for the method).
    """
    model = _model(source, symbolic, at, reports, ensure=(parameter,))
    with budget(max_work, model.game):
        check_entries((*model.game.prior, *_entries(model.game)), max_work, model.game)
        scan = _Scan(model, parameter, None if low is None else _sympify_number(low),
                     None if high is None else _sympify_number(high))
        return _thresholds(scan, parameter)


def _thresholds(scan: _Scan, parameter: str) -> list[Threshold]:
    """The thresholds where ``scan`` finds the set of PBE to change."""
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

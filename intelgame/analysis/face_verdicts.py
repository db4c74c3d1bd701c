"""Verdicts that hold on a whole face: the classification, the quality labels and the
refinement verdicts of a continuum, decided for every point of it, and the face split into
exact polyhedral pieces where they differ.

An entry of the support enumeration is the set :math:`F` of PBE with one support profile
:math:`(S, B)`; its closure is :math:`P_\\sigma \\times P_\\rho`
(:mod:`intelgame.solvers.pbe.shape`) and :math:`F` is the part of it where every support
probability is positive. Every point of :math:`F` has the same on-path messages. The verdicts
of a point of :math:`F` depend on it only through a few affine functions:

* **Classification** (:mod:`intelgame.analysis.classify`). Whether a type sends a message, or
  sends it for sure, is fixed by the support on :math:`F`, so *separating* is constant on
  :math:`F`. *Pooling* holds iff every on-path posterior is the prior, i.e. iff
  :math:`\\sigma(m|t) = \\sigma(m|t_0)` for every on-path :math:`m` and positive-prior types
  :math:`t, t_0`: linear equations in :math:`\\sigma`. The pooling points of :math:`F` are its
  slice by these hyperplanes; the rest of :math:`F` is *semi-separating* (or constantly
  separating).
* **Quality labels** (:mod:`intelgame.analysis.quality`). Truthful, false, fabricated and
  concealed reports are facts of the support, constant on :math:`F`; the labels vary only
  with the classification and with *babbling in outcome* (every on-path reply the same:
  :math:`\\rho(a|m) = \\rho(a|m_0)`, linear equations in :math:`\\rho`).
* **Refinements** (:mod:`intelgame.analysis.refinements`, :mod:`intelgame.analysis.divinity`).
  Every criterion is *outcome-level*: it depends on the on-path messages (constant on
  :math:`F`) and on the sender's payoffs :math:`u^*(t) = \\sum_a \\rho(a|m_t) u_S(t, m_t, a)`
  for any :math:`m_t \\in S_t` (every message a type sends is optimal), which are **affine in**
  :math:`\\rho` (and free of :math:`\\sigma`). At an off-path :math:`m` each criterion is a
  Boolean combination of (i) threshold tests :math:`u^*(t) \\gtrless u_S(t,m,a)` (the
  Intuitive Criterion) and (ii) feasibility of linear programmes
  :math:`\\exists \\alpha \\in \\Delta(B)`: :math:`\\alpha \\cdot u_S(t,m,\\cdot) \\ge, =, \\le
  u^*(t)` for the types of a set :math:`C` (D1, D2, universal divinity, NWBR and the deterrence
  test), the action sets :math:`B` coming from the belief cells, which do not depend on
  :math:`u^*`. The set of :math:`u^*` where such a programme is feasible is :math:`Q + K`, with
  :math:`Q` the convex hull of the points :math:`q_a = (u_S(t,m,a))_{t \\in C}`, :math:`a \\in B`,
  and :math:`K` a product of half-lines, lines and :math:`\\{0\\}` along the coordinate axes (a
  Minkowski sum of a polytope and a polyhedral cone, Ziegler 1995, *Lectures on Polytopes*,
  ch. 1). Each facet of it, and each hyperplane of its affine hull, is spanned by points
  :math:`q_a` and axis directions, so it is one of the hyperplanes through :math:`k` affinely
  independent points :math:`q_a|_{C'}` of a coordinate subspace :math:`\\mathbb{R}^{C'}`,
  :math:`|C'| = k` (made cylinders in the other coordinates). There are finitely many: every
  criterion is constant on each cell of the arrangement of these hyperplanes (the sets of
  :math:`u^*` with one sign vector), and pulled back through the affine map
  :math:`\\rho \\mapsto u^*` they are hyperplanes in :math:`\\rho`.

So every verdict is constant on each cell of an arrangement of finitely many hyperplanes in
:math:`(\\sigma, \\rho)`; restricted to :math:`F` a cell is a relatively open convex polyhedron,
and its closure the polytope :math:`P_\\sigma \\times P_\\rho` cut by the cell's equations and
weak inequalities (a non-empty cell contains the relative interior of that polytope). Only the
hyperplanes that cut :math:`F` matter: one on whose closure's vertices an affine function is
everywhere positive, everywhere negative or everywhere zero keeps its sign on :math:`F`. The
cells of the others are enumerated with exact feasibility problems (a strict inequality
:math:`h < 0` as :math:`h + s = 0,\\ s > 0`; when :math:`u^*` moves along a segment, the
usual case, the cells of the payoff hyperplanes are read off the segment without any), each
cell's verdicts are those of one of its points judged on its own (a one-point equilibrium), and hyperplanes are then dropped greedily
wherever the verdicts agree on all their sides (the merged cells stay convex: they are the
cells of the smaller arrangement). The pieces are what remains: each a polyhedral part of
:math:`F` given by its conditions, with the vertices and dimension of its closure; every
vertex of a closure is a point of :math:`P_\\sigma \\times P_\\rho`, hence a PBE. A vertex of a
closure may have a smaller support than :math:`F` (it then belongs to another entry, whose
on-path messages, and so verdicts, may differ).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import combinations, product
from math import lcm
from typing import Any, Mapping, Sequence

from intelgame.analysis.classify import classify
from intelgame.analysis.divinity import CRITERIA, Criterion, Refiner, Verdict
from intelgame.analysis.quality import Interpretation, assess, assess_all
from intelgame.games.signalling import SignallingGame
from intelgame.geometry.faces import ExactArithmetic, LinearSystem
from intelgame.geometry.pivoting import integer_row
from intelgame.geometry.polytope import dimension, vertices
from intelgame.solvers.pbe.result import PBE, PBEResult, equilibrium_payoffs
from intelgame.solvers.pbe.shape import FacePolytope, FaceShape, Matrix, payoffs_at

#: The verdicts decided on a face, in the order of the JSON.
VERDICTS = ("classification", "quality_labels", *CRITERIA)

Row = tuple[Fraction, ...]
#: A condition on one factor: ``(row, rhs, sign)``: ``row . x - rhs`` is ``< 0``, ``= 0``, ``> 0``,
#: ``<= 0`` or ``>= 0`` for a sign -1, 0, 1, -2 or 2.
Condition = tuple[Row, Fraction, int]
Signature = tuple[tuple[int, int], ...]  # (hyperplane index, sign) pairs


@dataclass(frozen=True)
class Piece:
    """A part of a face where one verdict takes the value ``value``: the points of the face
    satisfying ``sender`` (conditions on the sigma-polytope's variables) and ``receiver`` (on
    the rho-polytope's). ``vertices`` are the exact extreme profiles ``(sender, receiver)`` of
    its closure and ``dimension`` its dimension."""

    value: Any
    sender: tuple[Condition, ...]
    receiver: tuple[Condition, ...]
    vertices: tuple[tuple[Matrix, Matrix], ...]
    dimension: int


@dataclass(frozen=True)
class FaceVerdicts:
    """The verdicts of a face: ``constant`` holds those that take one value on the whole face,
    ``pieces`` the others, each with the parts of the face where it takes each value (the
    parts of one verdict are disjoint and cover the face)."""

    constant: dict[str, Any]
    pieces: dict[str, tuple[Piece, ...]]


#: A region of one factor: its conditions and a point of it (exact, over the factor's variables).
Region = tuple[tuple[Condition, ...], tuple[Fraction, ...]]


def _determinant(matrix: list[list[Fraction]]) -> Fraction:
    """Exact determinant by Laplace expansion (the matrices here are at most a few rows)."""
    if not matrix:
        return Fraction(1)
    return sum((Fraction((-1) ** j) * matrix[0][j] * _determinant([row[:j] + row[j + 1:] for row in matrix[1:]])
                for j in range(len(matrix)) if matrix[0][j]), Fraction(0))


def hyperplane_through(points: Sequence[Sequence[Fraction]]) -> tuple[Row, Fraction] | None:
    """The hyperplane ``w . x = c`` through ``k`` points of ``R^k`` (``w`` by the generalised
    cross product of their differences), or ``None`` if they are affinely dependent."""
    base = points[0]
    differences = [[Fraction(p[j] - base[j]) for j in range(len(base))] for p in points[1:]]
    k = len(base)
    w = tuple(Fraction((-1) ** j) * _determinant([row[:j] + row[j + 1:] for row in differences]) for j in range(k))
    if not any(w):
        return None
    return w, sum((a * b for a, b in zip(w, base)), Fraction(0))


def _normalised(row: Row, rhs: Fraction) -> tuple[Row, Fraction] | None:
    """``row . x = rhs`` scaled to a first non-zero coefficient 1; ``None`` for a zero row."""
    lead = next((c for c in row if c), None)
    if lead is None:
        return None
    if lead == 1:
        return row, rhs
    if lead == -1:
        return tuple(-c for c in row), -rhs
    return tuple(c / lead for c in row), rhs / lead


def _difference(polytope: FacePolytope, plus: tuple[int, int], minus: tuple[int, int]) -> tuple[Row, Fraction]:
    """The equation ``x[plus] - x[minus] = 0`` over the polytope's variables (a variable it
    does not have is 0 on the face)."""
    row = [Fraction(0)] * len(polytope.variables)
    for variable, sign in ((plus, 1), (minus, -1)):
        if variable in polytope.variables:
            row[polytope.variables.index(variable)] += sign
    return tuple(row), Fraction(0)


def sigma_hyperplanes(prior: Sequence[Fraction], on_path: Sequence[bool],
                      polytope: FacePolytope) -> list[tuple[Row, Fraction]]:
    """The pooling equations :math:`\\sigma(m|t) - \\sigma(m|t_0) = 0` (on-path ``m``,
    positive-prior ``t``, ``t_0`` the first), over the sigma-polytope's variables."""
    informed = [t for t, p in enumerate(prior) if p > 0]
    return [_difference(polytope, (t, m), (informed[0], m))
            for m, on in enumerate(on_path) if on for t in informed[1:]]


def holds_everywhere(planes: Sequence[tuple[Row, Fraction]], polytope: FacePolytope) -> bool:
    """Whether the polytope lies inside the slice of the equations ``planes`` (over its
    variables; :func:`sigma_hyperplanes`, :func:`same_reply_hyperplanes`): a linear equation
    holds on a polytope iff it holds at every vertex (each point is a convex combination of
    them). Exact."""
    return all(_value(row, rhs, point) == 0 for row, rhs in planes for point in polytope.points)


def same_reply_hyperplanes(on_path: Sequence[bool], polytope: FacePolytope, n_a: int) -> list[tuple[Row, Fraction]]:
    """The equations :math:`\\rho(a|m) = \\rho(a|m_0)` of equal on-path replies (``m_0`` the
    first on-path message), over the rho-polytope's variables."""
    on = [m for m, o in enumerate(on_path) if o]
    return [_difference(polytope, (m, a), (on[0], a)) for m in on[1:] for a in range(n_a)]


def payoff_hyperplanes(us: Sequence[Sequence[Sequence[Fraction]]], m: int) -> list[tuple[Row, Fraction]]:
    """The hyperplanes of the module docstring at an off-path message ``m``, in the space of
    the sender's payoffs :math:`u^* \\in \\mathbb{R}^T`: through the points
    :math:`(u_S(t,m,a))_{t \\in C}`, :math:`a \\in A'`, for every set of types :math:`C` and of
    actions :math:`A'` of one size (affinely independent ones; cylinders in the other types)."""
    n_t, n_a = len(us), len(us[0][0])
    out = []
    for k in range(1, min(n_t, n_a) + 1):
        for types in combinations(range(n_t), k):
            for actions in combinations(range(n_a), k):
                plane = hyperplane_through([[us[t][m][a] for t in types] for a in actions])
                if plane is not None:
                    w = [Fraction(0)] * n_t
                    for wt, t in zip(plane[0], types):
                        w[t] = wt
                    out.append((tuple(w), plane[1]))
    return out


def pulled_back(us: Sequence[Sequence[Sequence[Fraction]]], eq: PBE, polytope: FacePolytope,
                plane: tuple[Row, Fraction]) -> tuple[Row, Fraction]:
    """A hyperplane ``w . u* = c`` of payoff space over the rho-polytope's variables, through
    :math:`u^*(t) = \\sum_a \\rho(a|m_t) u_S(t,m_t,a)`, :math:`m_t` the first message of :math:`S_t`."""
    w, c = plane
    row = [Fraction(0)] * len(polytope.variables)
    for t, wt in enumerate(w):
        if wt:
            m_t = eq.sender_support[t][0]
            for j, (n, a) in enumerate(polytope.variables):
                if n == m_t:
                    row[j] += wt * us[t][n][a]
    return tuple(row), c


def _value(row: Row, rhs: Fraction, point: Sequence[Fraction]) -> Fraction:
    return sum((a * x for a, x in zip(row, point) if a), Fraction(0)) - rhs


def _sign(x: Fraction | int) -> int:
    return (x > 0) - (x < 0)


def _cutting(planes: list[tuple[Row, Fraction]], points: Sequence[Sequence[Fraction]]) -> list[tuple[Row, Fraction]]:
    """The distinct hyperplanes whose sign is not fixed on the polytope with vertices ``points``
    (some vertex on each side, or one side and on it)."""
    scaled = [integer_row(p) for p in points]  # (s p, s), s > 0: integer arithmetic, the same signs
    found: dict[tuple[Row, Fraction], None] = {}
    for row, rhs in planes:
        plane = _normalised(row, rhs)
        if plane is None or plane in found:
            continue
        *w, c = integer_row((*plane[0], plane[1]))[0]
        if len({_sign(sum(a * x for a, x in zip(w, p) if a) - c * s) for p, s in scaled}) > 1:
            found[plane] = None
    return list(found)


def _system(polytope: FacePolytope, conditions: Sequence[Condition], *, strict: bool) -> LinearSystem:
    """The factor's system with ``conditions``: strict ones through a positive slack each when
    ``strict`` (for a point of the open cell), weak otherwise (the cell's closure)."""
    base = polytope.system
    n = base.n
    assert not strict or all(abs(s) < 2 for _, _, s in conditions)
    slacks = [k for k, (_, _, s) in enumerate(conditions) if s and strict]
    width = n + len(slacks)
    pad = (Fraction(0),) * (width - n)
    eq_rows = [tuple(r) + pad for r in base.eq_rows]
    eq_rhs = list(base.eq_rhs)
    ub_rows = [tuple(r) + pad for r in base.ub_rows]
    ub_rhs = list(base.ub_rhs)
    for k, (row, rhs, sign) in enumerate(conditions):
        if sign == 0 or strict:
            extra = [Fraction(0)] * (width - n)
            if sign:
                extra[slacks.index(k)] = Fraction(-sign)
            eq_rows.append(row + tuple(extra))
            eq_rhs.append(rhs)
        else:
            direction = 1 if sign > 0 else -1
            ub_rows.append(tuple(-direction * c for c in row) + pad)
            ub_rhs.append(-direction * rhs)
    return LinearSystem(width, tuple(eq_rows), tuple(eq_rhs), tuple(ub_rows), tuple(ub_rhs))


def _cells(polytope: FacePolytope, planes: list[tuple[Row, Fraction]],
           start: tuple[Fraction, ...]) -> dict[Signature, tuple[Fraction, ...]]:
    """Every non-empty cell of the arrangement of ``planes`` on the open face (all the
    polytope's variables positive), by signature, with a point of it (exact; ``start`` is a
    point of the open face)."""
    oracle = ExactArithmetic()
    cells: dict[Signature, tuple[Fraction, ...]] = {(): start}
    for k, (row, rhs) in enumerate(planes):
        split: dict[Signature, tuple[Fraction, ...]] = {}
        for signature, point in cells.items():
            known = _sign(_value(row, rhs, point))
            split[(*signature, (k, known))] = point
            for sign in {-1, 0, 1} - {known}:
                conditions = [(*planes[i], s) for i, s in signature] + [(row, rhs, sign)]
                found = oracle.open_point(_system(polytope, conditions, strict=True))
                if found is not None:
                    split[(*signature, (k, sign))] = tuple(Fraction(x) for x in found[:polytope.system.n])
        cells = split
    return cells


def _barycentre(points: Sequence[tuple[Fraction, ...]]) -> tuple[Fraction, ...]:
    """The mean of a factor's vertices: a point of the relative interior of its closure, hence
    of the open face (a support probability zero there would be zero on the whole closure).
    Summed in integers over one common denominator."""
    scaled = [integer_row(p) for p in points]
    common = lcm(*(s for _, s in scaled))
    return tuple(Fraction(sum(row[k] * (common // s) for row, s in scaled), common * len(points))
                 for k in range(len(points[0])))


def _conjunction(polytope: FacePolytope, planes: list[tuple[Row, Fraction]], start: tuple[Fraction, ...], *,
                 possible: bool = True) -> list[tuple[Region, bool]]:
    """The open face split by whether every equation of ``planes`` holds (``planes`` cut the
    face: :func:`_cutting`): the slice where all hold (``True``), and the rest as the convex
    parts where the first ``k - 1`` hold and the ``k``-th is ``< 0`` or ``> 0`` (``False``),
    the non-empty ones; a single region when the answer is the same on the whole face.
    ``possible`` false says the equations cannot all hold on the open face (known apart)."""
    if not planes:
        return [(((), start), True)]
    if not possible:
        return [(((), start), False)]
    oracle = ExactArithmetic()
    equal = [(row, rhs, 0) for row, rhs in planes]
    found = oracle.open_point(_system(polytope, equal, strict=True))
    if found is None:
        return [(((), start), False)]
    out: list[tuple[Region, bool]] = [((tuple(equal), tuple(Fraction(x) for x in found)), True)]
    for k, (row, rhs) in enumerate(planes):
        for sign in (-1, 1):
            conditions = (*equal[:k], (row, rhs, sign))
            point = oracle.open_point(_system(polytope, conditions, strict=True))
            if point is not None:
                out.append(((conditions, tuple(Fraction(x) for x in point[:polytope.system.n])), False))
    return out


def _dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b) if x and y), Fraction(0))


def _segment_cells(planes: list[tuple[Row, Fraction]], images: Sequence[tuple[Fraction, ...]],
                   points: Sequence[tuple[Fraction, ...]]) -> dict[Signature, tuple[Fraction, ...]]:
    """The cells of ``planes`` (in payoff space) on the open face when :math:`u^*` maps it onto a
    segment: ``images[i]`` is :math:`u^*` at the vertex ``points[i]`` of the factor's closure.
    The open face maps onto the segment's relative interior and onto an end iff it meets the
    face of the closure mapped there (iff the barycentre of that face's vertices has every
    variable positive). Each cell, by signature, with a value of :math:`u^*` in it (no linear
    programme: each plane crosses the segment at one parameter)."""
    base = images[0]
    direction = next(tuple(x - y for x, y in zip(u, base)) for u in images if u != base)
    scale = _dot(direction, direction)
    at = [_dot([x - y for x, y in zip(u, base)], direction) / scale for u in images]
    low, high = min(at), max(at)
    roots = {-(_dot(w, base) - c) / _dot(w, direction) for w, c in planes}
    marks = sorted(roots | {low, high})
    candidates = [(a + b) / 2 for a, b in zip(marks, marks[1:])]
    for t in sorted(roots):
        ends = [p for p, x in zip(points, at) if x == t]
        if low < t < high or all(x > 0 for x in _barycentre(ends)):
            candidates.append(t)
    cells: dict[Signature, tuple[Fraction, ...]] = {}
    for t in candidates:
        u = tuple(b + t * d for b, d in zip(base, direction))
        cells.setdefault(tuple((k, _sign(_value(w, c, u))) for k, (w, c) in enumerate(planes)), u)
    return cells


def _matrix(shape: tuple[int, int], variables: Sequence[tuple[int, int]], values: Sequence[Fraction]) -> Matrix:
    out = [[Fraction(0)] * shape[1] for _ in range(shape[0])]
    for (i, j), v in zip(variables, values):
        out[i][j] = v
    return tuple(tuple(row) for row in out)


class FaceJudge:
    """The verdicts of the faces of one result (exact, on the game a float result stands for)."""

    def __init__(self, result: PBEResult, interpretation: Interpretation | None = None,
                 refiner: Refiner | None = None) -> None:
        self.game: SignallingGame = result.game.to_rational()
        self.interpretation = interpretation
        self.refiner = Refiner(self.game) if refiner is None else refiner
        self.prior = tuple(Fraction(p) for p in self.game.prior)
        self.us = [[[Fraction(x) for x in c] for c in r] for r in self.game.sender_payoffs]
        self.ur = [[[Fraction(x) for x in c] for c in r] for r in self.game.receiver_payoffs]
        self.shape = len(self.us), len(self.us[0]), len(self.us[0][0])
        self._planes: dict[int, list[tuple[Row, Fraction]]] = {}
        # faces share factors: what depends on a factor alone is decided once per factor (keyed by
        # id, the factor kept alive beside its answer)
        self._pooled: dict[int, tuple[FacePolytope, list[tuple[Region, bool]]]] = {}
        self._closures: dict[tuple[int, tuple[Condition, ...]], tuple[FacePolytope, Sequence[Matrix], int]] = {}

    def point(self, eq: PBE, shape: FaceShape, sender: Matrix, receiver: Matrix) -> PBE:
        """The one-point equilibrium at ``(sender, receiver)`` of ``eq``'s face's closure
        (exact), with the face's beliefs (:meth:`FaceShape.assessment`), its own on-path
        messages, payoffs and (point) ranges."""
        v = shape.assessment(self.prior, sender, receiver, True)
        u_s, u_r = equilibrium_payoffs(self.prior, self.us, self.ur, v.sender, v.receiver)
        on_path = tuple(any(p > 0 and row[m] for p, row in zip(self.prior, v.sender)) for m in range(len(v.receiver)))
        return replace(eq, sender=v.sender, receiver=v.receiver, beliefs=v.beliefs, on_path=on_path,
                       sender_range=tuple(tuple((x, x) for x in row) for row in v.sender),
                       receiver_range=tuple(tuple((x, x) for x in row) for row in v.receiver),
                       sender_payoffs=u_s, receiver_payoff=u_r)

    def payoff_planes(self, m: int) -> list[tuple[Row, Fraction]]:
        """:func:`payoff_hyperplanes` at ``m``, computed once (normalised, as :func:`_cutting`
        reads them)."""
        if m not in self._planes:
            normalised = (_normalised(*plane) for plane in payoff_hyperplanes(self.us, m))
            self._planes[m] = [plane for plane in normalised if plane is not None]
        return self._planes[m]

    def verdicts(self, eq: PBE) -> dict[str, Any]:
        """Every verdict of :data:`VERDICTS` on one exact equilibrium, judged on its own."""
        refinements = self.refiner.verdicts(eq)
        return {"classification": classify(self.game, eq),
                "quality_labels": assess(self.game, eq, self.interpretation).labels,
                **{c: refinements[c].passes for c in CRITERIA}}

    def _criteria(self, eq: PBE, intuitive_only: bool) -> Mapping[Criterion, Verdict]:
        """The refinement verdicts on one exact equilibrium: the Intuitive Criterion alone if
        ``intuitive_only`` (:meth:`~intelgame.analysis.divinity.Refiner.intuitive`), else all."""
        return {"intuitive_criterion": self.refiner.intuitive(eq)} if intuitive_only else self.refiner.verdicts(eq)

    def judge(self, eq: PBE, shape: FaceShape, known: dict[str, Any] | None = None,
              names: Sequence[str] = VERDICTS) -> FaceVerdicts:
        """The verdicts ``names`` (all of :data:`VERDICTS` by default) of ``eq``'s face
        (module docstring): the classification on the pooling slice and the rest, the labels
        on those times the slice of equal on-path replies and the rest, the criteria on the
        cells of the refinement hyperplanes (merged where they agree). ``known``, the verdicts
        at one point of the face (its representative point), are the answer when no
        hyperplane cuts the face."""
        n_t, n_m, n_a = self.shape
        sigma, rho = shape.sender, shape.receiver

        points: dict[tuple[tuple[Fraction, ...], tuple[Fraction, ...]], PBE] = {}

        def at(s: tuple[Fraction, ...], r: tuple[Fraction, ...]) -> PBE:
            if (s, r) not in points:
                points[s, r] = self.point(eq, shape, _matrix((n_t, n_m), sigma.variables, s),
                                          _matrix((n_m, n_a), rho.variables, r))
            return points[s, r]
        s_points, r_points = list(sigma.points), list(rho.points)
        s_start, r_start = _barycentre(s_points), _barycentre(r_points)
        # on the face sigma(m|t) > 0 iff m in S_t (and rho(a|m) > 0 iff a in B_m): the equations
        # can hold only if the positive-prior types' supports (the on-path replies' supports) agree
        informed = {eq.sender_support[t] for t, p in enumerate(self.prior) if p > 0}
        replies = {eq.receiver_support[m] for m, on in enumerate(eq.on_path) if on}
        labelled = "classification" in names or "quality_labels" in names
        whole: list[tuple[Region, bool]] = [(((), s_start), True)]
        if labelled and id(sigma) not in self._pooled:  # the sigma-polytope fixes the supports, hence the on-path messages
            self._pooled[id(sigma)] = (sigma, _conjunction(sigma, _cutting(sigma_hyperplanes(self.prior, eq.on_path, sigma),
                                                                            s_points), s_start,
                                                           possible=len(informed) == 1))
        pooled = self._pooled[id(sigma)][1] if labelled else whole
        same = _conjunction(rho, _cutting(same_reply_hyperplanes(eq.on_path, rho, n_a), r_points), r_start,
                            possible=len(replies) == 1) if labelled else whole
        images = [payoffs_at(self.us, eq, rho, p) for p in r_points]
        u_planes: list[tuple[Row, Fraction]] = []
        r_planes: list[tuple[Row, Fraction]] = []
        criteria = [c for c in CRITERIA if c in names]
        # the Intuitive Criterion alone reads u* only through the signs of u*(t) - u_S(t, m, a):
        # the hyperplanes through one point (a single type's coordinate) split it
        intuitive_only = criteria == ["intuitive_criterion"]
        if len(set(images)) > 1:  # u* varies on the face: the payoff hyperplanes that cut its image
            planes = [plane for m, on in enumerate(eq.on_path) if not on for plane in self.payoff_planes(m)
                      if not intuitive_only or sum(1 for w in plane[0] if w) == 1]
            pulled: dict[tuple[Row, Fraction], tuple[Row, Fraction]] = {}
            for plane in _cutting(planes, list(dict.fromkeys(images))):
                row, rhs = pulled_back(self.us, eq, rho, plane)
                lead = next(c for c in row if c)  # the plane cuts the face, so it is not constant on it
                pulled.setdefault((tuple(c / lead for c in row), rhs / lead),
                                  (tuple(c / lead for c in plane[0]), plane[1] / lead))
            r_planes, u_planes = list(pulled), list(pulled.values())
        if known is not None and len(pooled) == len(same) == 1 and not r_planes:
            return FaceVerdicts({name: known[name] for name in names}, {})
        regions: dict[str, list[tuple[Region, Region, Any]]] = {}
        if labelled:
            pairs = list(product(pooled, same))
            assessed = assess_all(self.game, [at(region[1], r_start) for region, _ in pooled]
                                + [at(s_region[1], r_region[1]) for (s_region, _), (r_region, _) in pairs],
                                self.interpretation)
            regions["classification"] = [(region, ((), r_start), kind) for (region, _), (kind, _) in zip(pooled, assessed)]
            regions["quality_labels"] = [(s_region, r_region, quality.labels) for ((s_region, _), (r_region, _)), (_, quality)
                                         in zip(pairs, assessed[len(pooled):])]
        if not criteria:  # no cell is judged
            cells = {}
        elif dimension(list(dict.fromkeys(images))) == 1:  # u* moves along a segment: no linear programme
            cells = {signature: self._criteria(replace(eq, sender_payoffs=u), intuitive_only)
                     for signature, u in _segment_cells(u_planes, images, r_points).items()}
        else:
            cells = {signature: self._criteria(at(s_start, point), intuitive_only) for signature, point in
                     _cells(rho, r_planes, r_start).items()}
        for criterion in (c for c in CRITERIA if c in names):
            judged: dict[tuple[Signature, Signature], Any] = {
                ((), signature): cells[signature][criterion].passes for signature in cells}
            for k in range(len(r_planes)):
                judged = _drop(judged, 1, k)
            for k in range(len(r_planes)):
                judged = _widen(judged, 1, k)
            regions[criterion] = [(((), s_start), (tuple((*r_planes[k], s) for k, s in key[1]), r_start), value)
                                  for key, value in judged.items()]
        constant: dict[str, Any] = {}
        pieces: dict[str, tuple[Piece, ...]] = {}
        for name in names:
            found = regions[name]
            if len({value for _, _, value in found}) == 1:
                constant[name] = found[0][2]
            else:
                pieces[name] = tuple(self._piece(shape, s_region[0], r_region[0], value)
                                     for s_region, r_region, value in found)
        return FaceVerdicts(constant, pieces)

    def _piece(self, shape: FaceShape, s_conditions: tuple[Condition, ...], r_conditions: tuple[Condition, ...],
               value: Any) -> Piece:
        n_t, n_m, n_a = self.shape
        s_vertices, s_dimension = self._closure(shape.sender, s_conditions, (n_t, n_m))
        r_vertices, r_dimension = self._closure(shape.receiver, r_conditions, (n_m, n_a))
        profiles = tuple((s, r) for s in s_vertices for r in r_vertices)
        return Piece(value, s_conditions, r_conditions, profiles, s_dimension + r_dimension)

    def _closure(self, polytope: FacePolytope, conditions: tuple[Condition, ...], size: tuple[int, int]
                 ) -> tuple[Sequence[Matrix], int]:
        """The vertices (as ``size`` matrices, one object each for every piece that has them)
        and dimension of the part of a factor's closure where ``conditions`` hold (weakly);
        without conditions, the factor's own."""
        key = (id(polytope), conditions)
        if key not in self._closures:
            if conditions:
                points = vertices(_system(polytope, conditions, strict=False))
                found = (polytope, [_matrix(size, polytope.variables, p) for p in points], dimension(points))
            else:
                found = (polytope, [_matrix(size, polytope.variables, p) for p in polytope.points], polytope.dimension)
            self._closures[key] = found
        _, matrices, dim = self._closures[key]
        return matrices, dim


def _drop(cells: dict[tuple[Signature, Signature], Any], part: int, k: int) -> dict[tuple[Signature, Signature], Any]:
    """``cells`` without hyperplane ``k`` of factor ``part`` if the verdicts agree on all its
    sides within every cell of the other hyperplanes (then merged), else unchanged."""
    merged: dict[tuple[Signature, Signature], Any] = {}
    for key, values in cells.items():
        reduced = list(key)
        reduced[part] = tuple(c for c in key[part] if c[0] != k)
        new = (reduced[0], reduced[1])
        if merged.setdefault(new, values) != values:
            return cells
    return merged


def _widen(cells: dict[tuple[Signature, Signature], Any], part: int, k: int) -> dict[tuple[Signature, Signature], Any]:
    """``cells`` with each cell on hyperplane ``k`` of factor ``part`` (sign 0) merged into a
    neighbour on one side with the same verdict (the sign becomes ``2``, :math:`h \\ge 0`, or
    ``-2``, :math:`h \\le 0`: within one cell of the other hyperplanes, the union of an open
    side and the hyperplane is convex)."""
    out = dict(cells)
    for key, values in cells.items():
        if (k, 0) not in key[part] or key not in out:
            continue
        for side in (1, -1):
            neighbour = list(key)
            neighbour[part] = tuple((i, side if i == k else s) for i, s in key[part])
            other = (neighbour[0], neighbour[1])
            if other in out and out[other] == values:
                del out[key], out[other]
                neighbour[part] = tuple((i, 2 * side if i == k else s) for i, s in key[part])
                out[neighbour[0], neighbour[1]] = values
                break
    return out


def face_verdicts(result: PBEResult, shapes: Sequence[FaceShape], interpretation: Interpretation | None = None,
                  known: Sequence[dict[str, Any]] | None = None, refiner: Refiner | None = None
                  ) -> list[FaceVerdicts | None]:
    """:class:`FaceVerdicts` of every continuum of ``result`` (``None`` for an isolated
    equilibrium, whose verdicts are its own), its faces ``shapes``
    (:func:`~intelgame.solvers.pbe.shape.face_shapes`). ``known[k]``, if given, are entry
    ``k``'s verdicts at its representative point (:meth:`FaceJudge.judge`); ``refiner`` (of
    ``result``'s game) shares the refinement verdicts already decided."""
    judge = FaceJudge(result, interpretation, refiner)
    return [judge.judge(eq, shape, None if known is None else known[k]) if shape.dimension else None
            for k, (eq, shape) in enumerate(zip(result, shapes))]

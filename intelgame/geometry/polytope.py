"""The vertices of a small polytope, exactly: the double description method.

The polytopes here are the closures of the faces the support enumeration reports
(:mod:`intelgame.geometry.faces`),

.. math:: P = \\{x \\in \\mathbb{R}^n : A_{eq} x = b_{eq},\\; A_{ub} x \\le b_{ub},\\; x \\ge 0\\},

with rational data, bounded (every coordinate is a probability), ``n`` at most a few dozen.
:func:`vertices` lists the extreme points of :math:`P` as exact rationals; :func:`dimension`
is the dimension of their affine hull, i.e. of :math:`P`.

Algorithm: the double description method (Motzkin, Raiffa, Thompson and Thrall 1953; the
form of Fukuda and Prodon 1996, "Double description method revisited"). :math:`P` is the
slice :math:`s = 1` of the pointed cone

.. math:: C = \\{(x, s) : A_{eq} x - b_{eq} s = 0,\\; A_{ub} x - b_{ub} s \\le 0,\\; x \\ge 0,\\; s \\ge 0\\},

whose extreme rays with :math:`s > 0` are the vertices of :math:`P` (and, :math:`P` being
bounded, there are no others). The method starts from the non-negative orthant of
:math:`\\mathbb{R}^{n+1}` (extreme rays: the unit vectors) and adds the other constraints one at
a time, equalities first (they cut the dimension soonest). Adding :math:`a \\cdot z \\le 0` keeps
the rays with :math:`a \\cdot r \\le 0` and adds, for every pair of an outside ray :math:`r^+`
and an inside ray :math:`r^-` that are *adjacent*, the ray on the hyperplane
:math:`(a \\cdot r^+) r^- - (a \\cdot r^-) r^+`; an equality keeps only the rays on the
hyperplane and adds the same combinations. Adjacency is decided combinatorially: two rays are
adjacent iff no third ray is tight at every constraint at which both are (Fukuda and Prodon,
Proposition 7), kept as bitmasks. Rays are primitive integer vectors (each constraint row is
scaled to integers first), so the arithmetic is exact and its numbers stay small.

Why our own: pycddlib (cdd's exact double description) needs system libraries (cddlib, GMP)
that the package does not require, and the standalone build is float only; lrs is a separate
program. The problems here are tiny. Cost: with :math:`R` rays at a step, adding a constraint
costs :math:`O(|R^+||R^-||R|)` bitmask tests; the output (the vertices) is bounded by
:math:`\\binom{m}{n}` for :math:`m` constraints, and for the faces the solver reports (tens of
constraints, dimension up to about six) a few hundred rays at most, a few milliseconds.
Degenerate polytopes (many constraints tight at one vertex, as in cheap talk) cost nothing
extra: the method never enumerates bases.

Examples
--------
>>> from fractions import Fraction
>>> from intelgame.geometry.faces import LinearSystem
>>> square = LinearSystem(2, (), (), ((1, 0), (0, 1)), (1, 1))  # 0 <= x, y <= 1
>>> [tuple(map(str, v)) for v in vertices(square)]
[('0', '0'), ('0', '1'), ('1', '0'), ('1', '1')]
>>> dimension(vertices(square))
2
>>> segment = LinearSystem(2, ((1, 1),), (1,))  # x + y = 1
>>> [tuple(map(str, v)) for v in vertices(segment)]
[('0', '1'), ('1', '0')]
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd
from typing import Any, Sequence

from intelgame.errors import SolverError
from intelgame.geometry.faces import LinearSystem
from intelgame.geometry.pivoting import integer_row, is_rational

Ray = tuple[int, ...]


def _integer(row: Sequence[Any]) -> list[int]:
    """A rational row (ints or Fractions) times the least common multiple of its denominators."""
    values = row if is_rational(row) else [v if isinstance(v, (int, Fraction)) else Fraction(v) for v in row]
    return integer_row(values)[0]


def _primitive(ray: Sequence[int]) -> Ray:
    """``ray`` divided by the gcd of its entries."""
    g = gcd(*ray)
    return tuple(v // g for v in ray) if g > 1 else tuple(ray)


def _add(rays: list[Ray], tight: list[int], row: Sequence[int], bit: int, equality: bool) -> tuple[list[Ray], list[int]]:
    """One step of the double description: intersect the cone of ``rays`` (``tight[k]``: the
    bitmask of the constraints ray ``k`` is tight at) with ``row . z <= 0`` (or ``= 0``)."""
    terms = [(k, a) for k, a in enumerate(row) if a]  # the rows are sparse
    values = [sum(a * ray[k] for k, a in terms) for ray in rays]
    plus = [k for k, v in enumerate(values) if v > 0]
    minus = [k for k, v in enumerate(values) if v < 0]
    zero = [k for k, v in enumerate(values) if v == 0]
    kept = zero if equality else zero + minus
    new_rays = [rays[k] for k in kept]
    new_tight = [tight[k] | bit if values[k] == 0 else tight[k] for k in kept]
    for i in plus:
        for j in minus:
            common = tight[i] & tight[j]
            within = 0  # the rays tight wherever both are: i and j, and any third one
            for t in tight:
                if t & common == common:
                    within += 1
                    if within > 2:
                        break
            if within > 2:
                continue  # not adjacent: a third ray lies on the smallest face containing both
            vi, vj = values[i], values[j]
            new_rays.append(_primitive([vi * b - vj * a for a, b in zip(rays[i], rays[j])]))
            new_tight.append(common | bit)
    return new_rays, new_tight


def vertices(system: LinearSystem) -> list[tuple[Fraction, ...]]:
    """The vertices of the bounded polytope ``system`` (rational entries), exactly, in
    lexicographic order; ``[]`` when it is empty. See the module docstring.

    Raises :class:`~intelgame.errors.SolverError` if the polytope is unbounded.
    """
    n = system.n
    if n == 0:
        feasible = all(Fraction(b) == 0 for b in system.eq_rhs) and all(Fraction(b) >= 0 for b in system.ub_rhs)
        return [()] if feasible else []
    width = n + 1
    # the orthant x >= 0, s >= 0: constraint k (bit k) is -z_k <= 0, tight at every unit ray but e_k
    rays: list[Ray] = [tuple(1 if j == k else 0 for j in range(width)) for k in range(width)]
    full = (1 << width) - 1
    tight = [full & ~(1 << k) for k in range(width)]
    bit = 1 << width
    constraints = [(list(r) + [-Fraction(b)], True) for r, b in zip(system.eq_rows, system.eq_rhs)]
    constraints += [(list(r) + [-Fraction(b)], False) for r, b in zip(system.ub_rows, system.ub_rhs)]
    for row, equality in constraints:
        integer_row = _integer(row)
        if not any(integer_row):
            continue  # 0 = 0 or 0 <= 0: no constraint
        rays, tight = _add(rays, tight, integer_row, 0 if equality else bit, equality)
        if not equality:
            bit <<= 1
        if not rays:
            return []
    if any(ray[-1] == 0 for ray in rays):
        raise SolverError("vertices: the polytope is unbounded")
    zero = Fraction(0)  # the commonest coordinate, one object
    # rays are primitive with s > 0, so equal points come from equal rays
    return sorted(tuple(Fraction(v, ray[-1]) if v else zero for v in ray[:-1]) for ray in dict.fromkeys(rays))


def dimension(points: Sequence[Sequence[Any]]) -> int:
    """The dimension of the affine hull of ``points`` (exact; ``-1`` for none): the rank of the
    points with a coordinate 1 appended, less one."""
    return rank([_integer(list(p) + [1]) for p in points]) - 1


def rank(rows: Sequence[Sequence[int]]) -> int:
    """The rank of an integer matrix, by fraction-free elimination (exact)."""
    work = [list(r) for r in rows if any(r)]
    rank = 0
    columns = len(work[0]) if work else 0
    for c in range(columns):
        pivot = next((r for r in range(rank, len(work)) if work[r][c]), None)
        if pivot is None:
            continue
        work[rank], work[pivot] = work[pivot], work[rank]
        head = work[rank]
        for r in range(rank + 1, len(work)):
            factor = work[r][c]
            if factor:
                work[r] = [head[c] * a - factor * b for a, b in zip(work[r], head)]
                g = 0
                for v in work[r]:
                    g = gcd(g, v)
                if g > 1:
                    work[r] = [v // g for v in work[r]]
        rank += 1
    return rank

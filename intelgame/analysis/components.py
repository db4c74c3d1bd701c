"""Connected components of the set of PBE strategy profiles (:func:`connected_components`).

Not to be confused with the on-path play (:mod:`intelgame.analysis.on_path_play`: entries that
differ only off the path), which the ``component`` field and column meant before 2026-12-07.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from intelgame.geometry.faces import ExactArithmetic, LinearSystem
from intelgame.solvers.pbe.shape import FacePolytope, FaceShape


@dataclass(frozen=True)
class Component:
    """A connected component of the set of PBE strategy profiles: ``members`` (the entries
    whose faces it joins, in order), ``vertices`` (the distinct extreme profiles of those faces,
    as :attr:`~intelgame.solvers.pbe.shape.FaceShape.vertex_ids`, in order of first
    appearance)."""

    members: tuple[int, ...]
    vertices: tuple[int, ...]


def connected_components(shapes: Sequence[FaceShape]) -> list[Component]:
    """The connected components of the PBE set, from its faces (:func:`~intelgame.solvers.pbe.shape.face_shapes`).

    The set of PBE strategy profiles :math:`(\\sigma, \\rho)` is the disjoint union of the
    entries' relatively open faces, and the closure of each is the product :math:`P_\\sigma
    \\times P_\\rho` of two polytopes, every point of which is a PBE. So two faces lie in one
    component iff a chain of faces links them whose consecutive closures meet (the union of
    finitely many connected sets splits exactly along the pairs whose closures are disjoint),
    and two closures meet iff :math:`P_\\sigma \\cap P'_\\sigma` and :math:`P_\\rho \\cap
    P'_\\rho` are both non-empty. Faces are first merged where they share an extreme profile
    (as Gambit merges its maximal cliques of extreme equilibria); the pairs of faces left in
    different components are then decided by those two exact feasibility problems (on the
    coordinates both supports allow, the others being 0 on one of them), cached by polytope
    pair. Beliefs are not part of the profile (off-path belief sets are reported per face).
    Components are numbered in order of first member.
    """
    n = len(shapes)
    parent = list(range(n))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    owner: dict[int, int] = {}
    for k, shape in enumerate(shapes):
        for v in shape.vertex_ids:
            if v in owner:
                union(owner[v], k)
            else:
                owner[v] = k
    arithmetic = ExactArithmetic()
    meets: dict[tuple[int, int], bool] = {}
    near: dict[tuple[int, int], bool] = {}
    boxes: dict[int, dict[tuple[int, int], tuple[Any, Any]]] = {}  # each polytope's exact coordinate ranges
    for shape in shapes:
        for polytope in (shape.sender, shape.receiver):
            if id(polytope) not in boxes:
                boxes[id(polytope)] = {v: (min(x), max(x)) for v, x in zip(polytope.variables, zip(*polytope.points))}

    def boxes_meet(a: FacePolytope, b: FacePolytope) -> bool:
        """A necessary condition for ``a`` and ``b`` to meet, from their coordinate ranges."""
        key = (id(a), id(b)) if id(a) <= id(b) else (id(b), id(a))
        if key not in near:
            box_a, box_b = boxes[id(a)], boxes[id(b)]
            common = set(box_a) & set(box_b)
            # each row of a strategy sums to 1: every type (message) needs a common message (action);
            # a variable of one only is 0 on the intersection; the boxes (over the vertices) must meet
            near[key] = ({i for i, _ in common} == {i for i, _ in box_a} == {i for i, _ in box_b}
                         and all(box_a[v][0] == 0 for v in box_a if v not in common)
                         and all(box_b[v][0] == 0 for v in box_b if v not in common)
                         and all(box_a[v][0] <= box_b[v][1] and box_b[v][0] <= box_a[v][1] for v in common))
        return near[key]

    def polytopes_meet(a: FacePolytope, b: FacePolytope) -> bool:
        """Whether ``a`` and ``b`` meet (their boxes meet, checked first: :func:`boxes_meet`)."""
        key = (id(a), id(b)) if id(a) <= id(b) else (id(b), id(a))
        if key not in meets:
            meets[key] = arithmetic.closed_point(_intersection(a, b)) is not None
        return meets[key]

    for i in range(n):
        for j in range(i + 1, n):
            if find(i) == find(j):
                continue
            sender, receiver = (shapes[i].sender, shapes[j].sender), (shapes[i].receiver, shapes[j].receiver)
            # both boxes before either linear programme: a pair is cut by the cheaper test first
            if (boxes_meet(*sender) and boxes_meet(*receiver) and polytopes_meet(*sender)
                    and polytopes_meet(*receiver)):
                union(i, j)
    members: dict[int, list[int]] = {}
    for k in range(n):
        members.setdefault(find(k), []).append(k)
    found = []
    for group in members.values():
        seen: dict[int, None] = {}
        for k in group:
            seen.update(dict.fromkeys(shapes[k].vertex_ids))
        found.append(Component(tuple(group), tuple(seen)))
    return found


def _intersection(a: FacePolytope, b: FacePolytope) -> LinearSystem:
    """``a``'s and ``b``'s constraints together, over the variables both allow (a variable of
    one only is 0 on the intersection: the other has it 0)."""
    common = [v for v in a.variables if v in set(b.variables)]
    eq_rows: list[tuple[Any, ...]] = []
    eq_rhs: list[Any] = []
    ub_rows: list[tuple[Any, ...]] = []
    ub_rhs: list[Any] = []
    for polytope in (a, b):
        where = [polytope.variables.index(v) for v in common]
        system = polytope.system
        eq_rows += [tuple(row[c] for c in where) for row in system.eq_rows]
        eq_rhs += system.eq_rhs
        ub_rows += [tuple(row[c] for c in where) for row in system.ub_rows]
        ub_rhs += system.ub_rhs
    return LinearSystem(len(common), tuple(eq_rows), tuple(eq_rhs), tuple(ub_rows), tuple(ub_rhs))

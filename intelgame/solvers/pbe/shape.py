"""The exact shape of each face the support enumeration reports: its extreme equilibria, its
dimension and its defining constraints.

An entry of :func:`~intelgame.solvers.pbe.enumeration.pbe_solve` is the set of PBE with one
support profile :math:`(S, B)` (:mod:`intelgame.solvers.pbe.enumeration`): the product of the
relatively open :math:`\\sigma`-face and :math:`\\rho`-face. Its closure is the product of the
two closed polytopes

.. math:: P_\\sigma = \\{\\sigma \\ge 0 : \\text{rows sum to } 1,\\ E_\\sigma \\sigma = 0,\\ U_\\sigma \\sigma \\le 0\\},
          \\qquad P_\\rho = \\{\\rho \\ge 0 : \\text{rows sum to } 1,\\ E_\\rho \\rho = 0,\\ U_\\rho \\rho \\le 0\\}

(over the coordinates of the support; the others are 0), so its vertices are the pairs
:math:`(\\sigma_i, \\rho_j)` of a vertex of each (Ziegler 1995, *Lectures on Polytopes*,
ex. 0.1: the faces of a product are the products of faces) and its dimension is the sum of
theirs. Every such pair is a PBE: the closed conditions hold there (each type's messages in
:math:`S_t` stay optimal against :math:`\\rho_j`, each action of :math:`B_m` optimal at the
Bayes posterior of :math:`\\sigma_i` wherever :math:`m` is on its path); a vertex may use fewer
messages or actions than the profile (it belongs to a smaller entry too).

**Beliefs at a vertex** (the choice this module makes; the PBE set's shape is taken in the
strategies :math:`(\\sigma, \\rho)`, as Gambit's extreme equilibria are): Bayes' rule after
every message the vertex's :math:`\\sigma` sends; after a message off the path of the whole
face, the entry's representative supporting belief (the off-path belief *set* is reported
whole, as :attr:`~intelgame.solvers.pbe.result.PBE.offpath_beliefs`); after a message on the
face's path that the vertex does not send, the Bayes posterior at the barycentre of the
:math:`\\sigma`-vertices (a point of the open face, where every action of :math:`B_m` is a
best reply). Each vertex is thus a complete assessment that passes
:func:`~intelgame.analysis.verify.verify_pbe`.

The polytopes are rebuilt from the same layouts as the enumeration
(:mod:`intelgame.solvers.pbe.systems`) on the exact game (:meth:`SignallingGame.to_rational
<intelgame.games.signalling.SignallingGame.to_rational>`: the game a float result stands for,
see ``docs/certified_float.md``), and their vertices enumerated exactly
(:func:`intelgame.geometry.polytope.vertices`); a float result gets them converted to floats,
so they are certified as its strategies are. Shapes are computed on request
(:func:`face_shapes`), as they cost more than the enumeration on games with many continua.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from intelgame.geometry.faces import ExactArithmetic, LinearSystem
from intelgame.geometry.numbers import Number
from intelgame.geometry.polytope import dimension, vertices
from intelgame.solvers.pbe.enumeration import Enumerator
from intelgame.solvers.pbe.result import PBE, PBEResult, bayes_belief

Matrix = tuple[tuple[Number, ...], ...]
Belief = tuple[Number, ...]


@dataclass(frozen=True)
class Vertex:
    """An extreme equilibrium of a face: ``sender[t][m]``, ``receiver[m][a]``, ``beliefs[m][t]``
    (see the module docstring for the beliefs)."""

    sender: Matrix
    receiver: Matrix
    beliefs: Matrix


@dataclass(frozen=True)
class FacePolytope:
    """One factor of a face's closure: ``system`` over the ``variables`` (``(t, m)`` pairs for
    :math:`\\sigma(m|t)`, ``(m, a)`` pairs for :math:`\\rho(a|m)`, all ``>= 0`` and ``> 0`` on
    the open face), in the game's own units; its ``dimension`` and its vertices ``points``
    (exact, over the variables, in lexicographic order)."""

    variables: tuple[tuple[int, int], ...]
    system: LinearSystem
    dimension: int
    points: tuple[tuple[Fraction, ...], ...] = ()


@dataclass(frozen=True)
class FaceShape:
    """The closure of one entry: its extreme equilibria, its dimension (0 for an isolated PBE)
    and the two polytopes whose product it is. ``profiles[k]`` is vertex ``k``'s
    ``(sender, receiver)`` in exact rationals (also on a float result) and ``vertex_ids[k]`` its
    number among the distinct extreme profiles of the whole result (equal exactly iff equal
    numbers)."""

    vertices: tuple[Vertex, ...]
    dimension: int
    sender: FacePolytope
    receiver: FacePolytope
    profiles: tuple[tuple[Matrix, Matrix], ...]
    vertex_ids: tuple[int, ...]
    unsent: tuple[Belief, ...] = ()

    def assessment(self, prior: Sequence[Fraction], sender: Matrix, receiver: Matrix, exact: bool) -> Vertex:
        """The complete assessment at a point ``(sender, receiver)`` of the face's closure
        (exact rationals): beliefs by Bayes' rule after the messages ``sender`` sends (types
        of positive prior), ``unsent[m]`` after the others (the module docstring's choice),
        in the result's numbers unless ``exact``."""
        beliefs = [bayes_belief(prior, sender, m) if any(p > 0 and row[m] for p, row in zip(prior, sender))
                   else self.unsent[m] for m in range(len(self.unsent))]
        return Vertex(_convert(sender, exact), _convert(receiver, exact), _convert(beliefs, exact))


#: A distinct vertex of a sigma-polytope: its exact matrix, number, matrix in the result's
#: numbers and Bayes beliefs (:meth:`_ShapeBuilder.sender_vertex`).
_SenderVertex = tuple[Matrix, int, Matrix, list[Belief | None]]
#: A distinct vertex of a rho-polytope: its exact matrix, number and matrix in the result's numbers.
_ReceiverVertex = tuple[Matrix, int, Matrix]


class _ShapeBuilder:
    """The exact systems and vertices of one game's faces, cached by factor."""

    def __init__(self, result: PBEResult) -> None:
        game = result.game.to_rational()
        self.exact = result.exact
        self.enumerator = enumerator = Enumerator(game, ExactArithmetic())
        enumerator.positive = tuple(p > 0 for p in enumerator.prior)
        self.sigma: dict[Any, tuple[FacePolytope, list[_SenderVertex], list[Belief | None]]] = {}
        self.rho: dict[Any, tuple[FacePolytope, list[_ReceiverVertex]]] = {}
        # the distinct vertices of the factors (faces share many), each prepared once
        self.senders: dict[Matrix, _SenderVertex] = {}
        self.receivers: dict[Matrix, _ReceiverVertex] = {}
        self.ids: dict[tuple[int, int], int] = {}
        self.offpath: dict[tuple[int, tuple[int, ...]], Belief] = {}
        self.prior = tuple(Fraction(p) for p in game.prior)

    def sigma_factor(self, supports: tuple[tuple[int, ...], ...], on_replies: dict[int, tuple[int, ...]]
                     ) -> tuple[FacePolytope, list[_SenderVertex], list[Belief | None]]:
        """The sigma-polytope, its vertices (:meth:`sender_vertex`), and the beliefs at the
        barycentre of its vertices (exact)."""
        key = (supports, tuple(on_replies.items()))
        if key not in self.sigma:
            en = self.enumerator
            n_t, n_m, _ = en.shape
            polytope, points = _polytope([(t, m) for t in range(n_t) for m in supports[t]],
                                         en.sender_system(supports, on_replies))
            variables = polytope.variables
            rows = [self.sender_vertex(_convert(_matrix(n_t, n_m, variables, point), True)) for point in points]
            mean: list[Any] = [sum(p[k] for p in points) / len(points) for k in range(len(variables))]
            centre = _matrix(n_t, n_m, variables, mean)
            fallback = [bayes_belief(en.prior, centre, m) if m in on_replies else None for m in range(n_m)]
            self.sigma[key] = (polytope, rows, fallback)
        return self.sigma[key]

    def sender_vertex(self, matrix: Matrix) -> _SenderVertex:
        """A vertex's ``sender`` matrix (exact, the one object for equal matrices), its number
        among the distinct ones, the matrix in the result's numbers and its Bayes beliefs (in
        the result's numbers; ``None`` after the messages it does not send)."""
        if matrix not in self.senders:
            en = self.enumerator
            n_t, n_m, _ = en.shape
            beliefs = [_convert([bayes_belief(en.prior, matrix, m)], self.exact)[0]
                       if any(en.positive[t] and matrix[t][m] for t in range(n_t)) else None for m in range(n_m)]
            self.senders[matrix] = (matrix, len(self.senders), _convert(matrix, self.exact), beliefs)
        return self.senders[matrix]

    def receiver_vertex(self, matrix: Matrix) -> _ReceiverVertex:
        """A vertex's ``receiver`` matrix (exact, the one object for equal matrices), its number
        among the distinct ones and the matrix in the result's numbers."""
        if matrix not in self.receivers:
            self.receivers[matrix] = (matrix, len(self.receivers), _convert(matrix, self.exact))
        return self.receivers[matrix]

    def rho_factor(self, supports: tuple[tuple[int, ...], ...],
                   replies: tuple[tuple[int, ...], ...]) -> tuple[FacePolytope, list[_ReceiverVertex]]:
        """The rho-polytope and its vertices (:meth:`receiver_vertex`)."""
        key = (supports, replies)
        if key not in self.rho:
            en = self.enumerator
            _, n_m, n_a = en.shape
            polytope, points = _polytope([(m, a) for m in range(n_m) for a in replies[m]],
                                         en.receiver_system(supports, replies))
            self.rho[key] = (polytope, [self.receiver_vertex(_convert(_matrix(n_m, n_a, polytope.variables, p), True))
                                        for p in points])
        return self.rho[key]

    def offpath_belief(self, m: int, actions: tuple[int, ...]) -> Belief:
        """The representative supporting belief after off-path ``m`` with replies ``actions`` (exact)."""
        if (m, actions) not in self.offpath:
            belief_set = self.enumerator.offpath_belief_set(m, actions)
            assert belief_set is not None  # the entry exists, so its cell is non-empty
            self.offpath[m, actions] = tuple(belief_set.representative)
        return self.offpath[m, actions]

    def shape(self, eq: PBE) -> FaceShape:
        n_m = self.enumerator.n_m
        supports, replies = eq.sender_support, eq.receiver_support
        on_replies = {m: replies[m] for m in range(n_m) if eq.on_path[m]}
        sender, sigma_rows, fallback = self.sigma_factor(supports, on_replies)
        receiver, rho_rows = self.rho_factor(supports, replies)
        offpath = {m: self.offpath_belief(m, replies[m]) for m in range(n_m) if not eq.on_path[m]}
        unsent: list[Belief] = []
        for m in range(n_m):
            belief = offpath[m] if m in offpath else fallback[m]
            assert belief is not None  # m is on the face's path, where ``fallback`` has a belief
            unsent.append(belief)
        found, profiles, ids = [], [], []
        converted = _convert(unsent, self.exact)
        for s_exact, s_id, s_matrix, bayes in sigma_rows:
            beliefs = [converted[m] if sent is None else sent for m, sent in enumerate(bayes)]
            found += [Vertex(s_matrix, r_matrix, tuple(beliefs)) for _, _, r_matrix in rho_rows]
            profiles += [(s_exact, r_exact) for r_exact, _, _ in rho_rows]
            ids += [self.ids.setdefault((s_id, r_id), len(self.ids)) for _, r_id, _ in rho_rows]
        return FaceShape(tuple(found), sender.dimension + receiver.dimension, sender, receiver, tuple(profiles), tuple(ids),
                         tuple(unsent))


def _polytope(variables: Sequence[tuple[int, int]],
              system: LinearSystem) -> tuple[FacePolytope, list[tuple[Fraction, ...]]]:
    """The polytope of ``system`` over ``variables`` and its vertices."""
    points = vertices(system)
    return FacePolytope(tuple(variables), system, dimension(points), tuple(points)), points


def _matrix(rows: int, columns: int, variables: Sequence[tuple[int, int]],
            values: Sequence[Fraction]) -> list[list[Fraction]]:
    """The full ``rows x columns`` matrix with ``values`` at ``variables``, 0 elsewhere."""
    out = [[Fraction(0)] * columns for _ in range(rows)]
    for (i, j), v in zip(variables, values):
        out[i][j] = v
    return out


def _convert(matrix: Sequence[Sequence[Any]], exact: bool) -> Matrix:
    """``matrix`` as tuples, its numbers in floats unless ``exact``."""
    return tuple(tuple(v if exact else float(v) for v in row) for row in matrix)


def payoffs_at(us: Sequence[Sequence[Sequence[Fraction]]], eq: PBE, polytope: FacePolytope,
               point: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """:math:`u^*(t) = \\sum_a \\rho(a|m_t) u_S(t,m_t,a)` at a point of ``eq``'s rho-polytope
    (over its variables), :math:`m_t` the first message of :math:`S_t`: on the polytope every
    message a type sends is optimal, so this is its payoff :math:`\\max_m \\sum_a \\rho(a|m) u_S(t,m,a)`."""
    out = []
    for t in range(len(us)):
        m_t = eq.sender_support[t][0]
        out.append(sum((x * us[t][n][a] for (n, a), x in zip(polytope.variables, point) if n == m_t), Fraction(0)))
    return tuple(out)


def face_shapes(result: PBEResult) -> tuple[FaceShape, ...]:
    """The :class:`FaceShape` of every entry of ``result``, in its order (exact vertices, in
    floats on a float result; see the module docstring). An isolated equilibrium is its own
    single vertex, of dimension 0.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from intelgame.games import SignallingGame
    >>> from intelgame.solvers.pbe.enumeration import pbe_solve
    >>> g = SignallingGame.from_payoffs(name="cheap talk", types=["a", "b"], messages=["x", "y"],
    ...     actions=["l", "r"], prior=[Fraction(1, 2), Fraction(1, 2)],
    ...     payoffs={"a": {"x": {"l": (1, 1), "r": (0, 0)}, "y": {"l": (1, 1), "r": (0, 0)}},
    ...              "b": {"x": {"l": (0, 0), "r": (1, 1)}, "y": {"l": (0, 0), "r": (1, 1)}}})
    >>> result = pbe_solve(g, exact=True)
    >>> shapes = face_shapes(result)
    >>> [(s.dimension, len(s.vertices)) for s in shapes if s.dimension]
    [(1, 2), (1, 2), (1, 2), (1, 2), (2, 4)]
    """
    builder = _ShapeBuilder(result)
    return tuple(builder.shape(eq) for eq in result)

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
from typing import Any, Callable, Sequence

from intelgame.geometry.faces import ExactArithmetic, LinearSystem
from intelgame.geometry.numbers import Number
from intelgame.geometry.polytope import dimension, vertices
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.enumeration import STEP_WORK, Enumerator
from intelgame.solvers.pbe.result import PBE, PBEResult, bayes_belief

Matrix = tuple[tuple[Number, ...], ...]
Belief = tuple[Number, ...]
#: An exact factor vertex and its number among the distinct ones of a game (:class:`_ShapeBuilder`).
Numbered = tuple[Matrix, int]
#: An entry's support profile: each type's messages, each message's actions, each message on the path.
SupportProfile = tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...], tuple[bool, ...]]
#: Enumerated polytopes (:func:`profile_shapes`): by the data their systems are made from
#: (``("sigma", prior, receiver payoffs)`` or ``("rho", sender payoffs)``), then by support key;
#: and under ``("numbers",)`` the number of each distinct exact factor vertex.
PolytopeMemo = dict[tuple[Any, ...], dict[Any, Any]]


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


#: A polytope, its vertices, and each as a numbered exact matrix (:meth:`_ShapeBuilder.polytope`).
_Enumerated = tuple["FacePolytope", list[tuple[Fraction, ...]], list[Numbered]]


class _ShapeBuilder:
    """The exact systems and vertices of one game's faces, cached by factor; without
    ``assess``, the exact profiles only (no beliefs, no :class:`Vertex`)."""

    def __init__(self, game: SignallingGame, exact: bool, charge: Callable[[int], None] | None = None,
                 assess: bool = True, memo: PolytopeMemo | None = None) -> None:
        game = game.to_rational()
        self.exact, self.charge, self.assess = exact, charge, assess
        self.enumerator = enumerator = Enumerator(game, ExactArithmetic())
        enumerator.positive = tuple(p > 0 for p in enumerator.prior)
        # the sigma-systems are made from the prior and u_R, the rho-systems from u_S: games
        # equal in those share them (memo)
        memo = {} if memo is None else memo
        self.sigma_memo = memo.setdefault(("sigma", tuple(enumerator.prior), tuple(enumerator.ur_flat)), {})
        self.rho_memo = memo.setdefault(("rho", tuple(enumerator.us_flat)), {})
        self.numbers: dict[Matrix, int] = memo.setdefault(("numbers",), {})  # each distinct factor vertex
        self.sigma: dict[Any, tuple[FacePolytope, list[tuple[Numbered, Matrix, list[Belief | None]]],
                                    list[Belief | None]]] = {}
        self.rho: dict[Any, tuple[FacePolytope, list[tuple[Numbered, Matrix]]]] = {}
        self.ids: dict[tuple[int, int], int] = {}  # by the two factor vertices' numbers
        self.senders: dict[int, tuple[Numbered, Matrix, list[Belief | None]]] = {}  # by number
        self.offpath: dict[tuple[int, tuple[int, ...]], Belief] = {}
        self.prior = tuple(Fraction(p) for p in game.prior)

    def polytope(self, memo: dict[Any, _Enumerated], key: Any, variables: list[tuple[int, int]],
                 system: Callable[[], LinearSystem], shape: tuple[int, int]) -> _Enumerated:
        """The polytope of ``system()`` over ``variables``, its vertices and each as an exact
        ``shape`` matrix with its number among the distinct ones (shared by every game of the
        memo: equal numbers iff equal matrices), memoised by ``key`` in ``memo`` (``charge`` is
        called on each enumeration)."""
        if key not in memo:
            if self.charge is not None:
                self.charge(STEP_WORK)
            polytope, points = _polytope(variables, system())
            matrices = [_convert(_matrix(*shape, variables, p), True) for p in points]
            memo[key] = (polytope, points, [(m, self.numbers.setdefault(m, len(self.numbers))) for m in matrices])
        return memo[key]

    def sigma_factor(self, supports: tuple[tuple[int, ...], ...], on_replies: dict[int, tuple[int, ...]]
                     ) -> tuple[FacePolytope, list[tuple[Numbered, Matrix, list[Belief | None]]], list[Belief | None]]:
        """The sigma-polytope, each vertex's ``sender`` matrix (exact and numbered, see
        :meth:`polytope`, and in the result's numbers) and Bayes beliefs (``None`` after the
        messages it does not send), and the beliefs at the barycentre of its vertices (exact;
        the beliefs all ``None`` without ``assess``)."""
        key = (supports, tuple(on_replies.items()))
        if key not in self.sigma:
            en = self.enumerator
            n_t, n_m, _ = en.shape
            polytope, points, numbered = self.polytope(
                self.sigma_memo, key, [(t, m) for t in range(n_t) for m in supports[t]],
                lambda: en.sender_system(supports, on_replies), (n_t, n_m))
            if not self.assess:
                unknown: list[Belief | None] = [None] * n_m
                self.sigma[key] = (polytope, [(x, x[0], unknown) for x in numbered], unknown)
                return self.sigma[key]
            rows = [self.sender_vertex(matrix, i) for matrix, i in numbered]
            variables = polytope.variables
            mean: list[Any] = [sum(p[k] for p in points) / len(points) for k in range(len(variables))]
            centre = _matrix(n_t, n_m, variables, mean)
            fallback = [bayes_belief(en.prior, centre, m) if m in on_replies else None for m in range(n_m)]
            self.sigma[key] = (polytope, rows, fallback)
        return self.sigma[key]

    def sender_vertex(self, matrix: Matrix, number: int) -> tuple[Numbered, Matrix, list[Belief | None]]:
        """A vertex's ``sender`` matrix (exact and numbered), in the result's numbers, and its
        Bayes beliefs (``None`` after the messages it does not send), prepared once for each
        distinct vertex (faces share many)."""
        if number not in self.senders:
            en = self.enumerator
            n_t, n_m, _ = en.shape
            beliefs = [_convert([bayes_belief(en.prior, matrix, m)], self.exact)[0]
                       if any(en.positive[t] and matrix[t][m] for t in range(n_t)) else None for m in range(n_m)]
            self.senders[number] = ((matrix, number), _convert(matrix, self.exact), beliefs)
        return self.senders[number]

    def rho_factor(self, supports: tuple[tuple[int, ...], ...],
                   replies: tuple[tuple[int, ...], ...]) -> tuple[FacePolytope, list[tuple[Numbered, Matrix]]]:
        """The rho-polytope and each vertex's ``receiver`` matrix (exact and numbered, see
        :meth:`polytope`, and in the result's numbers)."""
        key = (supports, replies)
        if key not in self.rho:
            en = self.enumerator
            _, n_m, n_a = en.shape
            polytope, _, numbered = self.polytope(self.rho_memo, key, [(m, a) for m in range(n_m) for a in replies[m]],
                                                  lambda: en.receiver_system(supports, replies), (n_m, n_a))
            self.rho[key] = (polytope, [(x, x[0] if self.exact else _convert(x[0], False)) for x in numbered])
        return self.rho[key]

    def offpath_belief(self, m: int, actions: tuple[int, ...]) -> Belief:
        """The representative supporting belief after off-path ``m`` with replies ``actions`` (exact)."""
        if (m, actions) not in self.offpath:
            belief_set = self.enumerator.offpath_belief_set(m, actions)
            assert belief_set is not None  # the entry exists, so its cell is non-empty
            self.offpath[m, actions] = tuple(belief_set.representative)
        return self.offpath[m, actions]

    def shape(self, profile: SupportProfile) -> FaceShape:
        """The face of the entry with support profile ``profile``."""
        n_m = self.enumerator.n_m
        supports, replies, on_path = profile
        on_replies = {m: replies[m] for m in range(n_m) if on_path[m]}
        sender, sigma_rows, fallback = self.sigma_factor(supports, on_replies)
        receiver, rho_rows = self.rho_factor(supports, replies)
        pairs = [(s_exact, r_exact) for s_exact, _, _ in sigma_rows for r_exact, _ in rho_rows]
        profiles = [(s, r) for (s, _), (r, _) in pairs]
        ids = tuple(self.ids.setdefault((i, j), len(self.ids)) for (_, i), (_, j) in pairs)
        dimension = sender.dimension + receiver.dimension
        if not self.assess:
            return FaceShape((), dimension, sender, receiver, tuple(profiles), ids)
        offpath = {m: self.offpath_belief(m, replies[m]) for m in range(n_m) if not on_path[m]}
        unsent: list[Belief] = []
        for m in range(n_m):
            belief = offpath[m] if m in offpath else fallback[m]
            assert belief is not None  # m is on the face's path, where ``fallback`` has a belief
            unsent.append(belief)
        found = []
        converted = _convert(unsent, self.exact)
        for _, s_matrix, bayes in sigma_rows:
            beliefs = tuple(converted[m] if sent is None else sent for m, sent in enumerate(bayes))
            found += [Vertex(s_matrix, r_matrix, beliefs) for _, r_matrix in rho_rows]
        return FaceShape(tuple(found), dimension, sender, receiver, tuple(profiles), ids, tuple(unsent))


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
    return profile_shapes(result.game, [(eq.sender_support, eq.receiver_support, eq.on_path) for eq in result],
                          exact=result.exact)


def profile_shapes(game: SignallingGame, profiles: Sequence[SupportProfile], *, exact: bool = True,
                   charge: Callable[[int], None] | None = None, assess: bool = True,
                   memo: PolytopeMemo | None = None) -> tuple[FaceShape, ...]:
    """The :class:`FaceShape` of the entries of ``game`` with support profiles ``profiles``
    (each ``(sender_support, receiver_support, on_path)``, as a
    :class:`~intelgame.solvers.pbe.result.PBE` holds them), in order: what :func:`face_shapes`
    computes for a result, for callers that hold the profiles only (a sweep's table of float
    rows). Vertices in floats unless ``exact``; without ``assess`` only the exact ``profiles``
    and ``vertex_ids`` (``vertices`` and ``unsent`` empty: what the outcomes need). ``memo``
    keeps the enumerated polytopes by system, for other games to reuse (a sweep's points often
    share a factor's system: the sigma-systems depend on the prior and the receiver's payoffs
    only, the rho-systems on the sender's); ``charge(work)`` is called with
    :data:`~intelgame.solvers.pbe.enumeration.STEP_WORK` for each polytope enumerated, as a
    work budget counts a search step."""
    builder = _ShapeBuilder(game, exact, charge, assess, memo)
    return tuple(builder.shape(profile) for profile in profiles)


def face_shaper(result: PBEResult, memo: PolytopeMemo | None = None) -> Callable[[PBE], FaceShape]:
    """The :class:`FaceShape` of one entry of ``result`` at a time, as :func:`face_shapes`
    makes them (for a few entries of a result with many; ``memo`` as in :func:`profile_shapes`)."""
    builder = _ShapeBuilder(result.game, result.exact, memo=memo)
    return lambda eq: builder.shape((eq.sender_support, eq.receiver_support, eq.on_path))


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

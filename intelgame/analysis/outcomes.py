"""Outcomes: what equilibria *do*, whatever the messages are called.

The outcome of a strategy profile :math:`(\\sigma, \\rho)` is the joint distribution of the
type and the receiver's action it induces,

.. math:: q(t, a) = p(t) \\sum_m \\sigma(m|t)\\,\\rho(a|m),

with the players' payoffs (each type's, the receiver's). Relabelling the messages, or changing
what is played off the path, leaves it unchanged; so equilibria with one outcome are one
answer to "what happens", and the entries of :func:`~intelgame.solvers.pbe.enumeration.pbe_solve`
collapse to far fewer outcomes (cheap talk above all).

**Information.** The outcome transmits what the action reveals about the type: the garbling
:math:`P(a|t) = q(t,a)/p(t)` of the positive-prior types. Types with the same :math:`P(\\cdot|t)`
are *pooled* (the action never tells them apart); the classes form the outcome's partition of
the types. The outcome is

* ``babbling`` when the partition has one class (the action is independent of the type);
* ``fully revealing`` when every class is one type and the classes' actions never overlap
  (the action identifies the type);
* ``partially revealing`` otherwise; ``noisy`` when two classes share an action (the action
  shifts beliefs without settling them).

A continuum's outcome may vary over its face (:math:`q` is bilinear in :math:`(\\sigma,\\rho)`,
so it is constant on the face iff it is equal at all the face's vertices, which are pairs of
vertices of its two polytopes; :mod:`intelgame.solvers.pbe.shape`). An entry whose outcome
varies forms an outcome of its own, described by its range (the outcomes at its vertices);
its information is that of the face's relative interior: two types are pooled iff they are at
every vertex, and a class's actions are the union of those at the vertices.

Everything is decided exactly (the vertices are exact rationals, even for a float result).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Literal, Protocol, Sequence

from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.shape import FaceShape, Matrix, PolytopeMemo, SupportProfile, profile_shapes

Information = Literal["babbling", "fully revealing", "partially revealing"]
#: An outcome at one strategy profile: ``(q[t][a], sender payoffs by type, receiver payoff)``.
PointOutcome = tuple[tuple[tuple[Fraction, ...], ...], tuple[Fraction, ...], Fraction]


@dataclass(frozen=True)
class Outcome:
    """A class of entries with the same outcome.

    ``members`` are the entries' indices; ``points`` the distinct outcomes at the members'
    vertices (one when the outcome is constant, ``is_constant``); ``partition`` the classes of
    pooled types (indices of positive-prior types, in type order); ``noisy`` whether two
    classes share an action; ``information`` the label (see the module docstring).
    """

    members: tuple[int, ...]
    points: tuple[PointOutcome, ...]
    partition: tuple[tuple[int, ...], ...]
    noisy: bool
    information: Information

    @property
    def is_constant(self) -> bool:
        """True when every member has this one outcome (not a range of outcomes)."""
        return len(self.points) == 1


def point_outcome(game: SignallingGame, sender: Matrix, receiver: Matrix) -> PointOutcome:
    """The outcome of ``(sender, receiver)`` (exact rationals) in ``game`` (rational entries)."""
    prior = game.prior
    n_t, n_m, n_a = game.shape
    us, ur = game.sender_payoffs, game.receiver_payoffs
    zero = Fraction(0)
    joint = []
    receiver_payoff = zero
    for t in range(n_t):
        row = [zero] * n_a
        for m in range(n_m):
            s = sender[t][m]
            if s:
                for a in range(n_a):
                    r = receiver[m][a]
                    if r:
                        row[a] += s * r
                        receiver_payoff += prior[t] * s * r * ur[t][m][a]
        joint.append(tuple(prior[t] * q for q in row))
    sender_payoffs = tuple(max(sum((receiver[m][a] * us[t][m][a] for a in range(n_a) if receiver[m][a]), zero)
                               for m in range(n_m)) for t in range(n_t))
    return tuple(joint), sender_payoffs, receiver_payoff


def information(prior: Sequence[Fraction], points: Sequence[PointOutcome]) -> tuple[tuple[tuple[int, ...], ...], bool, Information]:
    """``(partition, noisy, label)`` of the outcomes ``points`` of one face (see the module
    docstring): types pooled iff their :math:`P(\\cdot|t)` agree at every point."""
    types = [t for t, p in enumerate(prior) if p > 0]

    def garbling(t: int) -> tuple[tuple[Fraction, ...], ...]:
        return tuple(tuple(q / prior[t] for q in point[0][t]) for point in points)
    classes: dict[tuple[tuple[Fraction, ...], ...], list[int]] = {}
    for t in types:
        classes.setdefault(garbling(t), []).append(t)
    partition = tuple(tuple(c) for c in classes.values())
    actions = [{a for point in points for t in c for a, q in enumerate(point[0][t]) if q} for c in partition]
    noisy = any(actions[i] & actions[j] for i in range(len(actions)) for j in range(i))
    if len(partition) <= 1:
        return partition, noisy, "babbling"
    if all(len(c) == 1 for c in partition) and not noisy:
        return partition, noisy, "fully revealing"
    return partition, noisy, "partially revealing"


def outcomes(game: SignallingGame, shapes: Sequence[FaceShape],
             at: dict[int, PointOutcome] | None = None) -> list[Outcome]:
    """The outcomes of the entries whose faces are ``shapes`` (:func:`~intelgame.solvers.pbe.shape.face_shapes`),
    in order of first appearance, each with its members (``at``: :func:`vertex_outcomes`, if
    already computed).

    Examples
    --------
    >>> from fractions import Fraction
    >>> from intelgame.games import SignallingGame
    >>> from intelgame.solvers.pbe.enumeration import pbe_solve
    >>> from intelgame.solvers.pbe.shape import face_shapes
    >>> match = {t: {m: {a: (int(a == t), int(a == t)) for a in "ab"} for m in "xy"} for t in "ab"}
    >>> g = SignallingGame.from_payoffs(name="coordination", types=["a", "b"], messages=["x", "y"],
    ...     actions=["a", "b"], prior=[Fraction(1, 2), Fraction(1, 2)], payoffs=match)
    >>> result = pbe_solve(g, exact=True)
    >>> [(o.information, o.is_constant, len(o.members)) for o in outcomes(g, face_shapes(result))]
    [('babbling', True, 3), ('babbling', True, 3), ('fully revealing', True, 2), ('babbling', False, 3)]
    """
    if at is None:
        at = vertex_outcomes(game, shapes)
    prior = [Fraction(p) for p in game.to_rational().prior]
    number: dict[PointOutcome, int] = {}  # each distinct outcome at a vertex, hashed once
    of_vertex = {v: number.setdefault(point, len(number)) for v, point in at.items()}
    groups: dict[frozenset[int], list[int]] = {}
    for k, shape in enumerate(shapes):
        groups.setdefault(frozenset(of_vertex[v] for v in shape.vertex_ids), []).append(k)
    point_of = list(number)
    found = []
    for numbers, members in groups.items():
        points = tuple(sorted(point_of[i] for i in numbers))
        found.append(Outcome(tuple(members), points, *information(prior, points)))
    return found


def vertex_outcomes(game: SignallingGame, shapes: Sequence[FaceShape]) -> dict[int, PointOutcome]:
    """The outcome at each distinct extreme profile of ``shapes``, by vertex id (most vertices
    are shared by many faces)."""
    rational = game.to_rational()
    at: dict[int, PointOutcome] = {}
    for shape in shapes:
        for v, (s, r) in zip(shape.vertex_ids, shape.profiles):
            if v not in at:
                at[v] = point_outcome(rational, s, r)
    return at


class Grouping(Protocol):
    """A class of entries: an :class:`Outcome`, or a connected component
    (:class:`~intelgame.analysis.components.Component`)."""

    @property
    def members(self) -> tuple[int, ...]: ...


def member_index(groups: Sequence[Grouping], entries: int) -> list[int]:
    """The index in ``groups`` (classes that partition the entries) of each of ``entries`` entries."""
    index = [0] * entries
    for k, o in enumerate(groups):
        for member in o.members:
            index[member] = k
    return index


def profile_outcomes(game: SignallingGame, profiles: Sequence[SupportProfile],
                     charge: Callable[[int], None] | None = None, memo: PolytopeMemo | None = None) -> list[int]:
    """The index of each entry's outcome among those of the entries of ``game`` with support
    profiles ``profiles`` (in order of first appearance, as ``intelgame solve --json`` numbers its
    ``outcome`` fields when these are its entries): :func:`outcomes` of their exact faces
    (:func:`~intelgame.solvers.pbe.shape.profile_shapes`, their profiles only, which ``charge``
    and ``memo`` are given to)."""
    shapes = profile_shapes(game, profiles, charge=charge, assess=False, memo=memo)
    return member_index(outcomes(game, shapes), len(profiles))

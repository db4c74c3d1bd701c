"""A perfect Bayesian equilibrium as the solvers report it, and what follows from its strategies.

Notation (see :mod:`intelgame.games.signalling`): prior :math:`p(t)`, sender strategy
:math:`\\sigma(m|t)`, receiver strategy :math:`\\rho(a|m)`, beliefs :math:`\\mu(t|m)`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from intelgame.games.signalling import SignallingGame
from intelgame.geometry.numbers import Number
from intelgame.solvers.frames import NamedPBE, named_pbe, pbe_frame, pbe_result_html

if TYPE_CHECKING:
    import pandas

Range = tuple[Number, Number]


@dataclass(frozen=True)
class BeliefSet:
    """The beliefs :math:`\\mu \\in \\Delta(T)` after an off-path message that make every action
    of the receiver's support a best reply: the polytope
    ``{mu >= 0, sum mu = 1, equalities . mu = 0, inequalities . mu <= 0}``.

    ``lower[t]``, ``upper[t]`` are the range of :math:`\\mu(t)` over the set.
    """

    message: int
    equalities: tuple[tuple[Number, ...], ...]
    inequalities: tuple[tuple[Number, ...], ...]
    lower: tuple[Number, ...]
    upper: tuple[Number, ...]
    representative: tuple[Number, ...]


@dataclass(frozen=True)
class PBE:
    """One perfect Bayesian equilibrium (or one face of a continuum of them).

    ``sender[t][m]``, ``receiver[m][a]`` and ``beliefs[m][t]`` are the representative point;
    ``sender_range[t][m]`` and ``receiver_range[m][a]`` are ``(low, high)`` over the face's
    closure (equal ends unless ``is_continuum``). ``offpath_beliefs[m]`` is the whole set of
    supporting beliefs after an off-path message ``m`` and ``None`` on the path.
    ``sender_support[t]`` and ``receiver_support[m]`` are the support profile whose face this
    is (the messages each type sends, the actions played after each message; empty when
    unknown), from which :mod:`intelgame.solvers.pbe.shape` rebuilds the face exactly.
    """

    sender: tuple[tuple[Number, ...], ...]
    receiver: tuple[tuple[Number, ...], ...]
    beliefs: tuple[tuple[Number, ...], ...]
    on_path: tuple[bool, ...]
    offpath_beliefs: tuple[BeliefSet | None, ...]
    sender_range: tuple[tuple[Range, ...], ...]
    receiver_range: tuple[tuple[Range, ...], ...]
    sender_payoffs: tuple[Number, ...]
    receiver_payoff: Number
    sender_support: tuple[tuple[int, ...], ...] = ()
    receiver_support: tuple[tuple[int, ...], ...] = ()

    @property
    def is_continuum(self) -> bool:
        """True when the face is not a single point (a continuum of PBE)."""
        return any(lo != hi for g in (self.sender_range, self.receiver_range) for row in g for lo, hi in row)

    @property
    def is_pure(self) -> bool:
        """True when both players' strategies are pure, off-path replies included."""
        return all(p == 0 or p == 1 for g in (self.sender, self.receiver) for row in g for p in row)

    def by_name(self, game: SignallingGame) -> NamedPBE:
        """This equilibrium keyed by the names of ``game``: ``eq.by_name(game).sender["weak"]["beer"]``
        (:class:`~intelgame.solvers.frames.NamedPBE`)."""
        return named_pbe(game, self)


@dataclass(frozen=True)
class PBEResult:
    """All PBE of ``game``, with the provenance of the computation."""

    game: SignallingGame
    equilibria: tuple[PBE, ...]
    method: str
    exact: bool
    tolerance: float
    #: The work the enumeration did, in tableau entries
    #: (:attr:`~intelgame.geometry.faces.FloatArithmetic.work`; 0 where not counted).
    work: int = field(default=0, compare=False)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[PBE]:
        return iter(self.equilibria)

    def to_frame(self, *, exact: bool = False) -> pandas.DataFrame:
        """One row per equilibrium with named columns (:func:`~intelgame.solvers.frames.pbe_frame`)."""
        return pbe_frame(self, exact=exact)

    def _repr_html_(self) -> str:
        return pbe_result_html(self)


def bayes_belief(prior: Sequence[Number], sender: Sequence[Sequence[Number]], m: int) -> tuple[Number, ...]:
    """The posterior after an on-path message ``m``: :math:`\\mu(t|m) = p(t)\\sigma(m|t) /
    \\sum_s p(s)\\sigma(m|s)`."""
    mass = sum(prior[t] * sender[t][m] for t in range(len(prior)))
    return tuple(prior[t] * sender[t][m] / mass for t in range(len(prior)))


def equilibrium_payoffs(prior: Sequence[Number], us: Sequence[Sequence[Sequence[Number]]],
                        ur: Sequence[Sequence[Sequence[Number]]], sender: Sequence[Sequence[Number]],
                        receiver: Sequence[Sequence[Number]]) -> tuple[tuple[Number, ...], Number]:
    """Each type's payoff :math:`\\max_m \\sum_a \\rho(a|m) u_S(t,m,a)` (its best message against
    :math:`\\rho`, which every message it sends attains in a PBE) and the receiver's expected
    payoff :math:`\\sum_{t,m,a} p(t)\\sigma(m|t)\\rho(a|m) u_R(t,m,a)`."""
    n_t, n_m, n_a = len(us), len(us[0]), len(us[0][0])
    receiver_payoff = sum(prior[t] * sender[t][m] * receiver[m][a] * ur[t][m][a]
                          for t in range(n_t) for m in range(n_m) for a in range(n_a))
    return sender_payoffs(us, receiver), receiver_payoff


def sender_payoffs(us: Sequence[Sequence[Sequence[Number]]], receiver: Sequence[Sequence[Number]]) -> tuple[Number, ...]:
    """Each type's payoff :math:`\\max_m \\sum_a \\rho(a|m) u_S(t,m,a)` against the receiver's
    strategy :math:`\\rho` (the sender's part of :func:`equilibrium_payoffs`)."""
    n_m, n_a = len(us[0]), len(us[0][0])
    return tuple(max(sum(receiver[m][a] * row[m][a] for a in range(n_a)) for m in range(n_m)) for row in us)


def to_float(equilibrium: PBE) -> PBE:
    """An exact :class:`PBE` in floats (every number, off-path belief sets included)."""
    def convert(value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(convert(v) for v in value)
        if isinstance(value, BeliefSet):
            return BeliefSet(value.message, *(convert(getattr(value, f)) for f in
                                              ("equalities", "inequalities", "lower", "upper", "representative")))
        if isinstance(value, Fraction):
            return float(value)
        return value

    return PBE(*(convert(getattr(equilibrium, f.name)) for f in dataclasses.fields(PBE)))

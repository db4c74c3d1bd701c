"""Commitment against cheap talk: what a binding reporting rule is worth to each player.

:func:`persuade` puts the commitment benchmarks of :func:`~intelgame.solvers.persuasion.persuasion_solve`
next to every perfect Bayesian equilibrium of the same game played without commitment
(:func:`~intelgame.solvers.pbe.enumeration.pbe_solve`):

* each player's best and worst PBE value, ex ante: the sender's
  :math:`\\sum_t p(t)\\,U_S(t)`, the receiver's :math:`\\sum_{t,m,a} p(t)\\sigma(m|t)\\rho(a|m)u_R(t,m,a)`.
  A continuum of PBE is a face (a product of a :math:`\\sigma`-polytope and a
  :math:`\\rho`-polytope, :mod:`intelgame.solvers.pbe.systems`) whose closure is made of PBE;
  on it the sender's value is linear in :math:`\\rho` (every message a type sends gives it the
  same payoff) and the receiver's linear in :math:`\\sigma` (every action in the support of
  :math:`\\rho(\\cdot|m)` is a best reply after an on-path :math:`m`), so the extremes are two
  small LPs per face, solved exactly;
* the *value of commitment* of each player: its value under the sender-optimal commitment less
  its best (and its worst) PBE value. The sender's against its best PBE is never negative: the
  rule of any PBE, committed to, gets the sender at least its PBE value (the sender-preferred
  reply after each message does at least as well as the PBE's mixture of best replies);
* the committed rule's information quality in the vocabulary of
  :func:`~intelgame.analysis.quality.assess` (labels, mutual information :math:`I(\\theta; m)`
  in bits, match, manipulation and mismatch probabilities).

References: Kamenica and Gentzkow (2011), "Bayesian persuasion", AER 101(6); Bergemann and
Morris (2019), "Information design: a unified perspective", JEL 57(1); Crawford and Sobel
(1982), Econometrica 50(6) for the cheap-talk side.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from collections.abc import Iterable, Sequence
from typing import Any, Literal, NamedTuple, Protocol

from intelgame.analysis.quality import Interpretation, Quality, assess
from intelgame.errors import SolverError
from intelgame.games.signalling import SignallingGame
from intelgame.geometry.faces import FLOAT_TOLERANCE
from intelgame.geometry.simplex import linprog_many
from intelgame.solvers.pbe.enumeration import estimate_profiles, pbe_solve
from intelgame.solvers.pbe.result import PBE, PBEResult, bayes_belief
from intelgame.solvers.pbe.systems import flat, receiver_layout, sender_layout
from intelgame.solvers.persuasion import Commitment, PersuasionResult, persuasion_solve, sender_commitment
from intelgame.geometry.numbers import Number


#: The most sender support profiles (the size of ``pbe_solve``'s search) :func:`persuade` accepts.
MAX_PROFILES = 1_000_000


class Face(Protocol):
    """What the cheap-talk values read of a PBE (a :class:`PBE`, or a sweep's table row):
    the range ``(low, high)`` of each strategy entry over its face, and its on-path messages."""

    @property
    def sender_range(self) -> Sequence[Sequence[tuple[Any, Any]]]: ...

    @property
    def receiver_range(self) -> Sequence[Sequence[tuple[Any, Any]]]: ...

    @property
    def on_path(self) -> Sequence[Any]: ...


class FaceRanges(NamedTuple):
    """A :class:`Face` given by its arrays (a row of a sweep's equilibrium table)."""

    sender_range: Any
    receiver_range: Any
    on_path: Any


class ValueRange(NamedTuple):
    """A player's worst and best value over a set of equilibria (or a difference of such values)."""

    worst: Number
    best: Number


class CheapTalk(NamedTuple):
    """The PBE of the game without commitment: how many entries, and each player's value range."""

    equilibria: int
    sender: ValueRange
    receiver: ValueRange


@dataclass(frozen=True)
class Comparison:
    """The two values under the sender-optimal commitment beside the cheap-talk PBE values:
    what a sweep writes at each point (:func:`compare`), and what :class:`Persuasion` reports."""

    sender_value: Number
    receiver_value: Number
    cheap_talk: CheapTalk
    exact: bool

    def value_of_commitment(self, player: Literal["sender", "receiver"]) -> ValueRange:
        """``player``'s value under the sender-optimal commitment less its best PBE value
        (``worst`` field) and less its worst PBE value (``best`` field)."""
        if player == "sender":
            value, pbe = self.sender_value, self.cheap_talk.sender
        elif player == "receiver":
            value, pbe = self.receiver_value, self.cheap_talk.receiver
        else:
            raise ValueError(f"player must be 'sender' or 'receiver', not {player!r}")
        return ValueRange(self._difference(value, pbe.best), self._difference(value, pbe.worst))

    def _difference(self, x: Number, y: Number) -> Number:
        """``x - y``; on the float path ``0.0`` within :data:`FLOAT_TOLERANCE` of 0 relative to
        their size (both are certified: what is left is rounding, as in
        :func:`~intelgame.analysis.quality.assess`)."""
        d = x - y
        if not self.exact and abs(d) <= FLOAT_TOLERANCE * max(1.0, abs(x), abs(y)):
            return 0.0
        return d


@dataclass(frozen=True)
class Persuasion:
    """The commitment benchmarks of a game, compared with its cheap-talk PBE.

    ``commitment`` holds the sender-optimal and receiver-optimal rules and full disclosure;
    ``quality`` assesses the sender-optimal rule; ``cheap_talk`` the PBE values.
    """

    commitment: PersuasionResult
    quality: Quality
    cheap_talk: CheapTalk

    @property
    def sender_value(self) -> Number:
        """The sender's value of its optimal commitment."""
        return self.commitment.sender_optimal.sender_value

    @property
    def receiver_value(self) -> Number:
        """The receiver's value under the sender-optimal commitment."""
        return self.commitment.sender_optimal.receiver_value

    @property
    def comparison(self) -> Comparison:
        """The values alone (:class:`Comparison`)."""
        return Comparison(self.sender_value, self.receiver_value, self.cheap_talk, self.commitment.exact)

    def value_of_commitment(self, player: Literal["sender", "receiver"]) -> ValueRange:
        """:meth:`Comparison.value_of_commitment`."""
        return self.comparison.value_of_commitment(player)


def persuade(game: SignallingGame, *, exact: bool = False, interpretation: Interpretation | None = None) -> Persuasion:
    """The commitment benchmark of ``game`` and what it is worth against cheap talk.

    Parameters
    ----------
    game:
        A finite signalling game (numeric entries; payoffs may depend on the message).
    exact:
        Exact rationals; otherwise floats with the same answer (certified decisions, exact
        fallback: :func:`~intelgame.solvers.persuasion.persuasion_solve`).
    interpretation:
        Each type's truthful report and the receiver's right action, for the quality labels.

    Examples
    --------
    Aligned interests: the truth is an equilibrium already, so commitment adds nothing.

    >>> from fractions import Fraction as F
    >>> aligned = SignallingGame.from_payoffs(name="aligned", types=["x", "y"], messages=["p", "q"],
    ...     actions=["x", "y"], prior=[F(1, 3), F(2, 3)],
    ...     payoffs={t: {m: {a: (int(t == a), int(t == a)) for a in "xy"} for m in "pq"} for t in "xy"})
    >>> found = persuade(aligned, exact=True)
    >>> found.sender_value, found.cheap_talk.sender, found.value_of_commitment("sender")
    (Fraction(1, 1), ValueRange(worst=Fraction(2, 3), best=Fraction(1, 1)), ValueRange(worst=Fraction(0, 1), best=Fraction(1, 3)))
    """
    check_size(game)
    commitment = persuasion_solve(game, exact=exact)
    pbe = pbe_solve(game, exact=exact)
    tolerance = 0.0 if exact else FLOAT_TOLERANCE
    quality = assess(game, as_profile(game, commitment.sender_optimal), interpretation, tolerance=tolerance)
    return Persuasion(commitment, quality, cheap_talk_values(pbe))


def compare(game: SignallingGame, *, exact: bool = False, faces: Iterable[Face] | None = None) -> Comparison:
    """The values of :func:`persuade` alone, as a sweep writes them at each point: the
    sender-optimal commitment's two values and the cheap-talk PBE values (no quality, no
    reference rules). ``faces``: the game's PBE faces when they are known already (a float
    sweep's table rows, in :func:`cheap_talk_faces`'s form); else ``pbe_solve`` finds them.

    >>> from intelgame.games.build import build_game
    >>> from intelgame.spec import load_spec
    >>> compare(build_game(load_spec("intelligence_market")), exact=True).value_of_commitment("sender")
    ValueRange(worst=Fraction(1059, 400), best=Fraction(1059, 400))
    """
    check_size(game)
    found = sender_commitment(game, exact=exact)
    if faces is None:
        result = pbe_solve(game, exact=exact)
        talk = cheap_talk_values(result)
    else:
        talk = cheap_talk_faces(game, list(faces), exact)
    return Comparison(found.sender_value, found.receiver_value, talk, exact)


def check_size(game: SignallingGame) -> None:
    """Refuse a game whose PBE enumeration exceeds :data:`MAX_PROFILES` support profiles."""
    if estimate_profiles(game) > MAX_PROFILES:
        n_t, n_m, n_a = game.shape
        raise SolverError(f"{game.name} has {n_t} types, {n_m} messages and {n_a} actions: too large to "
                          "enumerate its PBE for the comparison with cheap talk")


def as_profile(game: SignallingGame, commitment: Commitment) -> PBE:
    """A committed rule and its replies in the form of a :class:`PBE` record, for the analyses
    that read strategies (it is not an equilibrium of the game without commitment): no
    off-path beliefs, ranges of width zero, the Bayes posterior after each sent message and the
    prior after the others."""
    rho = commitment.receiver_strategy(game.shape[2])
    one = commitment.sender_value * 0 + 1
    prior = tuple(one * p for p in game.prior)
    beliefs = tuple(bayes_belief(prior, commitment.sigma, m) if on else prior
                    for m, on in enumerate(commitment.on_path))
    return PBE(commitment.sigma, rho, beliefs, commitment.on_path, tuple(None for _ in game.messages),
               tuple(tuple((x, x) for x in row) for row in commitment.sigma),
               tuple(tuple((x, x) for x in row) for row in rho),
               commitment.sender_payoffs, commitment.receiver_value)


def cheap_talk_values(result: PBEResult) -> CheapTalk:
    """Each player's worst and best ex ante value over every PBE of ``result``, continua
    included (see the module docstring); computed exactly, reported in ``result``'s numbers."""
    return cheap_talk_faces(result.game, list(result), result.exact)


def cheap_talk_faces(game: SignallingGame, faces: Sequence[Face], exact: bool) -> CheapTalk:
    """:func:`cheap_talk_values` of the PBE faces ``faces`` of ``game`` (each read through its
    ranges: an entry is in the support where its range's high end is positive, and its
    on-path messages), exactly; in fractions if ``exact``, else in floats."""
    game = game.to_rational()
    prior = [Fraction(p) for p in game.prior]
    positive = tuple(p > 0 for p in prior)
    shape = game.shape
    us, ur = flat(game.sender_payoffs), flat(game.receiver_payoffs)
    senders, receivers = [], []
    for eq in faces:
        supports = tuple(tuple(m for m, (_, hi) in enumerate(row) if hi > 0) for row in eq.sender_range)
        replies = tuple(tuple(a for a, (_, hi) in enumerate(row) if hi > 0) for row in eq.receiver_range)
        # the sender's value over the rho-polytope: each type's payoff from its first message
        layout = receiver_layout(shape, supports, replies)
        index = [(m, a) for m in range(shape[1]) for a in replies[m]]
        cost = [sum((prior[t] * game.sender_payoffs[t][m][a] for t in range(shape[0])
                     if positive[t] and supports[t][0] == m), Fraction(0)) for m, a in index]
        senders += _extremes(cost, layout.system(us, Fraction(0), Fraction(1)))
        # the receiver's value over the sigma-polytope: after m, the payoff of its first reply
        on_path = tuple((m, replies[m]) for m in range(shape[1]) if eq.on_path[m])
        layout = sender_layout(shape, supports, on_path, tuple(range(shape[0])), positive)
        columns = [(t, m) for t in range(shape[0]) for m in supports[t]]
        cost = [prior[t] * game.receiver_payoffs[t][m][replies[m][0]] if positive[t] else Fraction(0)
                for t, m in columns]
        receivers += _extremes(cost, layout.system(ur, Fraction(0), Fraction(1), prior))
    if not senders:
        raise SolverError(f"{game.name}: no PBE found, which a finite signalling game always has")

    def number(x: Fraction) -> Number:
        return x if exact else float(x)

    return CheapTalk(len(faces), ValueRange(number(min(senders)), number(max(senders))),
                     ValueRange(number(min(receivers)), number(max(receivers))))


def _extremes(cost: list[Fraction], system: Any) -> list[Fraction]:
    """The least and the greatest of ``cost . x`` over the polytope ``system`` (a PBE face's closure)."""
    optima = linprog_many([cost, [-c for c in cost]], system.eq_rows, system.eq_rhs, system.ub_rows, system.ub_rhs)
    low, high = optima
    if low is None or high is None:
        raise SolverError("an equilibrium's face is empty: the PBE record is inconsistent")
    return [low[0], -high[0]]

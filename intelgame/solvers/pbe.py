"""Every perfect Bayesian equilibrium of a finite signalling game, by support enumeration.

Notation (see :mod:`intelgame.games.signalling`): prior :math:`p(t)`, sender strategy
:math:`\\sigma(m|t)`, receiver strategy :math:`\\rho(a|m)`, beliefs :math:`\\mu(t|m)`.

A *support profile* fixes the messages :math:`S_t` each type sends with positive probability
and the actions :math:`B_m` the receiver plays with positive probability after each message.
Given it, the PBE conditions split into two linear systems (the sender's indifference is linear
in :math:`\\rho`, the receiver's in :math:`\\sigma`), so the PBE with that support profile form
the product of two relatively open polytope faces:

* the :math:`\\sigma`-face: :math:`\\sigma(\\cdot|t)` a distribution with support exactly
  :math:`S_t`; after each on-path message :math:`m` (one that some type of positive prior sends)
  every :math:`a \\in B_m` is a best reply to the Bayes posterior, i.e., with
  :math:`a_0 \\in B_m`,

  .. math:: \\sum_t p(t)\\sigma(m|t)\\,[u_R(t,m,a) - u_R(t,m,a_0)] \\;\\{= 0 \\text{ if } a \\in B_m;
            \\;\\le 0 \\text{ otherwise}\\};

* the :math:`\\rho`-face: :math:`\\rho(\\cdot|m)` a distribution with support exactly
  :math:`B_m`; with :math:`m_0 \\in S_t`,
  :math:`U_S(t,m,\\rho) - U_S(t,m_0,\\rho) \\{= 0 \\text{ if } m \\in S_t; \\le 0 \\text{ otherwise}\\}`,
  where :math:`U_S(t,m,\\rho) = \\sum_a \\rho(a|m) u_S(t,m,a)`;

* after each off-path message, the *belief cell* of :math:`B_m` (beliefs :math:`\\mu \\in
  \\Delta(T)` at which every :math:`a \\in B_m` is a best reply) is non-empty. It is reported
  whole, as the set of supporting off-path beliefs.

Enumerating every support profile is complete: each PBE has exactly one. Two prunings keep it
small without losing any: on-path :math:`B_m` must be optimal at some belief whose support is
exactly the set of types sending :math:`m` (a precomputed table of belief cells), and the
:math:`\\rho`-face is only examined when the :math:`\\sigma`-face is non-empty. Faces are
computed by :mod:`intelgame.solvers._polytope`, exactly (rationals) or in floating point with
one explicit tolerance, by the same code. A face that is not a single point is a continuum of
PBE; it is reported once, with a representative point and the range of every probability.

References: Fudenberg and Tirole (1991), *Game Theory*, ch. 8; Cho and Kreps (1987), QJE 102.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Iterator, Sequence

from intelgame.errors import SolverError
from intelgame.games.signalling import SignallingGame
from intelgame.solvers._polytope import FLOAT_TOLERANCE, Face, LinearSystem, arithmetic_for
from intelgame.solvers.belief_cells import BeliefCells

Number = Any
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

    @property
    def is_continuum(self) -> bool:
        """True when the face is not a single point (a continuum of PBE)."""
        return any(lo != hi for g in (self.sender_range, self.receiver_range) for row in g for lo, hi in row)

    @property
    def is_pure(self) -> bool:
        """True when both players' strategies are pure, off-path replies included."""
        return all(p == 0 or p == 1 for g in (self.sender, self.receiver) for row in g for p in row)


@dataclass(frozen=True)
class PBEResult:
    """All PBE of ``game``, with the provenance of the computation."""

    game: SignallingGame
    equilibria: tuple[PBE, ...]
    method: str
    exact: bool
    tolerance: float

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[PBE]:
        return iter(self.equilibria)


def _subsets(n: int) -> list[tuple[int, ...]]:
    """Non-empty subsets of ``range(n)``, smallest first."""
    return [c for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]


class _Enumerator(BeliefCells):
    """The support enumeration of one game in one arithmetic."""

    def offpath_belief_set(self, m: int, actions: tuple[int, ...]) -> BeliefSet | None:
        """The whole set of beliefs supporting ``actions`` after an off-path message ``m``."""
        everyone = tuple(range(self.n_t))
        face = self.cell(m, everyone, actions, False)
        if face is None:
            return None
        eqs, ubs = self.rows(m, everyone, actions)
        return BeliefSet(m, tuple(eqs), tuple(ubs), face.lower, face.upper, self._nice_belief(m, actions, face))

    def _nice_belief(self, m: int, actions: tuple[int, ...], face: Face) -> tuple[Number, ...]:
        """A supporting belief, preferring a point mass on one type (first in type order)."""
        for t in range(self.n_t):
            if self.has_cell(m, (t,), actions, False):
                return tuple(self.one if s == t else self.zero for s in range(self.n_t))
        return face.point

    # -- the two faces of a support profile ---------------------------------------------------
    def sender_system(self, supports: Sequence[tuple[int, ...]], replies: dict[int, tuple[int, ...]]) -> LinearSystem:
        """The sigma-face's system: variables ``sigma(m|t)`` for ``m in S_t``, type-major."""
        index = [(t, m) for t in range(self.n_t) for m in supports[t]]
        eq_rows: list[tuple[Number, ...]] = []
        eq_rhs: list[Number] = []
        ub_rows: list[tuple[Number, ...]] = []
        for t in range(self.n_t):
            eq_rows.append(tuple(self.one if s == t else self.zero for s, _ in index))
            eq_rhs.append(self.one)
        for m, actions in replies.items():
            senders = tuple(t for t in range(self.n_t) if self.positive[t] and m in supports[t])
            eqs, ubs = self.rows(m, senders, actions)
            weight = {t: i for i, t in enumerate(senders)}

            def lift(row: tuple[Number, ...]) -> tuple[Number, ...]:
                return tuple(self.prior[t] * row[weight[t]] if (mm == m and t in weight) else self.zero
                             for t, mm in index)

            eq_rows += [lift(r) for r in eqs]
            eq_rhs += [self.zero] * len(eqs)
            ub_rows += [lift(r) for r in ubs]
        return LinearSystem(len(index), tuple(eq_rows), tuple(eq_rhs), tuple(ub_rows),
                            tuple(self.zero for _ in ub_rows))

    def receiver_system(self, supports: Sequence[tuple[int, ...]], replies: Sequence[tuple[int, ...]]) -> LinearSystem:
        """The rho-face's system: variables ``rho(a|m)`` for ``a in B_m``, message-major."""
        index = [(m, a) for m in range(self.n_m) for a in replies[m]]
        eq_rows: list[tuple[Number, ...]] = []
        for m in range(self.n_m):
            eq_rows.append(tuple(self.one if mm == m else self.zero for mm, _ in index))
        eq_rhs = [self.one] * self.n_m
        ub_rows: list[tuple[Number, ...]] = []
        for t in range(self.n_t):
            m0 = supports[t][0]

            def gain(m: int) -> tuple[Number, ...]:
                """Coefficients of ``U_S(t,m,rho) - U_S(t,m0,rho)``."""
                return tuple((self.us[t][mm][a] if mm == m else self.zero)
                             - (self.us[t][mm][a] if mm == m0 else self.zero) for mm, a in index)

            eq_rows += [gain(m) for m in supports[t][1:]]
            ub_rows += [gain(m) for m in range(self.n_m) if m not in supports[t]]
        eq_rhs += [self.zero] * (len(eq_rows) - self.n_m)
        return LinearSystem(len(index), tuple(eq_rows), tuple(eq_rhs), tuple(ub_rows),
                            tuple(self.zero for _ in ub_rows))

    # -- assembling an equilibrium ------------------------------------------------------------
    def assemble(self, supports: Sequence[tuple[int, ...]], replies: Sequence[tuple[int, ...]],
                 sigma: Face, rho: Face, offpath: dict[int, BeliefSet]) -> PBE:
        """Turn two faces into a :class:`PBE` at their representative points."""
        z = self.zero
        sender = [[z] * self.n_m for _ in range(self.n_t)]
        s_range = [[(z, z)] * self.n_m for _ in range(self.n_t)]
        for k, (t, m) in enumerate((t, m) for t in range(self.n_t) for m in supports[t]):
            sender[t][m] = sigma.point[k]
            s_range[t][m] = (sigma.lower[k], sigma.upper[k])
        receiver = [[z] * self.n_a for _ in range(self.n_m)]
        r_range = [[(z, z)] * self.n_a for _ in range(self.n_m)]
        for k, (m, a) in enumerate((m, a) for m in range(self.n_m) for a in replies[m]):
            receiver[m][a] = rho.point[k]
            r_range[m][a] = (rho.lower[k], rho.upper[k])
        beliefs = []
        for m in range(self.n_m):
            if m in offpath:
                beliefs.append(offpath[m].representative)
                continue
            mass = sum(self.prior[t] * sender[t][m] for t in range(self.n_t))
            beliefs.append(tuple(self.prior[t] * sender[t][m] / mass for t in range(self.n_t)))
        value = lambda t, m: sum(receiver[m][a] * self.us[t][m][a] for a in range(self.n_a))  # noqa: E731
        sender_payoffs = tuple(max(value(t, m) for m in range(self.n_m)) for t in range(self.n_t))
        receiver_payoff = sum(self.prior[t] * sender[t][m] * receiver[m][a] * self.ur[t][m][a]
                              for t in range(self.n_t) for m in range(self.n_m) for a in range(self.n_a))
        return PBE(
            sender=tuple(map(tuple, sender)), receiver=tuple(map(tuple, receiver)),
            beliefs=tuple(beliefs), on_path=tuple(m not in offpath for m in range(self.n_m)),
            offpath_beliefs=tuple(offpath.get(m) for m in range(self.n_m)),
            sender_range=tuple(map(tuple, s_range)), receiver_range=tuple(map(tuple, r_range)),
            sender_payoffs=sender_payoffs, receiver_payoff=receiver_payoff,
        )

    # -- the enumeration ----------------------------------------------------------------------
    def run(self, progress: Callable[[int, int], None] | None) -> list[PBE]:
        self.positive = [self.ar.is_positive(p) for p in self.prior]
        message_sets, action_sets = _subsets(self.n_m), _subsets(self.n_a)
        everyone = tuple(range(self.n_t))
        found: list[PBE] = []
        profiles = list(itertools.product(message_sets, repeat=self.n_t))
        for done, supports in enumerate(profiles):
            if progress is not None:
                progress(done, len(profiles))
            senders = {m: tuple(t for t in range(self.n_t) if self.positive[t] and m in supports[t])
                       for m in range(self.n_m)}
            on_path = [m for m in range(self.n_m) if senders[m]]
            off_path = [m for m in range(self.n_m) if not senders[m]]
            on_choices = [[b for b in action_sets if self.has_cell(m, senders[m], b, True)] for m in on_path]
            off_choices = [[b for b in action_sets if self.has_cell(m, everyone, b, False)] for m in off_path]
            for on_replies in itertools.product(*on_choices):
                sigma_system = self.sender_system(supports, dict(zip(on_path, on_replies)))
                if self.ar.open_point(sigma_system) is None:
                    continue
                sigma: Face | None = None
                for off_replies in itertools.product(*off_choices):
                    replies = dict(zip(on_path, on_replies)) | dict(zip(off_path, off_replies))
                    ordered = [replies[m] for m in range(self.n_m)]
                    rho_system = self.receiver_system(supports, ordered)
                    if self.ar.open_point(rho_system) is None:
                        continue
                    sigma = sigma or self.ar.open_face(sigma_system)
                    rho = self.ar.open_face(rho_system)
                    offpath = {m: self.offpath_belief_set(m, replies[m]) for m in off_path}
                    found.append(self.assemble(supports, ordered, sigma, rho, offpath))  # type: ignore[arg-type]
        if progress is not None:
            progress(len(profiles), len(profiles))
        found.sort(key=lambda e: not e.is_pure)  # pure PBE first, the enumeration order within
        return found


def pbe_solve(game: SignallingGame, *, exact: bool = False, tolerance: float = FLOAT_TOLERANCE,
              progress: Callable[[int, int], None] | None = None) -> PBEResult:
    """All perfect Bayesian equilibria of a finite signalling game.

    Parameters
    ----------
    game:
        The signalling game (numeric entries).
    exact:
        Compute in rational arithmetic (needs rational payoffs and prior); existence is then
        decided without any tolerance.
    tolerance:
        The float path's absolute tolerance for every (in)equality (ignored when ``exact``).
    progress:
        Called as ``progress(done, total)`` over the sender support profiles.

    Returns
    -------
    PBEResult
        Every PBE, one entry per support profile (pure first); a continuum is one entry with
        ranges. See the module docstring for the algorithm.

    Examples
    --------
    >>> from intelgame.games import SignallingGame
    >>> g = SignallingGame.from_payoffs(name="coordination", types=["a", "b"], messages=["x", "y"],
    ...     actions=["l", "r"], prior=[0.5, 0.5],
    ...     payoffs={"a": {"x": {"l": (1, 1), "r": (0, 0)}, "y": {"l": (1, 1), "r": (0, 0)}},
    ...              "b": {"x": {"l": (0, 0), "r": (1, 1)}, "y": {"l": (0, 0), "r": (1, 1)}}})
    >>> sum(1 for e in pbe_solve(g, exact=True) if e.is_pure)
    8
    """
    if not game.is_numeric:
        raise SolverError("pbe_solve needs numeric payoffs; use intelgame.analysis.thresholds for symbolic ones")
    if exact and not game.is_rational:
        raise SolverError("exact mode needs rational payoffs and prior (a parameter evaluated to an irrational float)")
    arithmetic = arithmetic_for(exact=exact, tolerance=tolerance)
    equilibria = _Enumerator(game, arithmetic).run(progress)
    return PBEResult(game, tuple(equilibria), "support_enumeration", exact, 0.0 if exact else float(tolerance))



def estimate_profiles(game: SignallingGame) -> int:
    """The sender support profiles the enumeration walks, :math:`(2^{|M|}-1)^{|T|}` (each with
    up to :math:`(2^{|A|}-1)^{|M|}` receiver supports, most pruned by the belief cells)."""
    n_t, n_m, _ = game.shape
    return (2**n_m - 1) ** n_t

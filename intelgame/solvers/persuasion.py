"""The commitment benchmark: the sender's optimal *committed* reporting rule (Bayesian persuasion).

Before it learns its type, the sender commits to a rule :math:`\\sigma(m|t)` over the game's
own messages; the receiver sees :math:`m`, forms the Bayes posterior and best-replies to it,
ties broken in the sender's favour (the sender-preferred equilibrium of the commitment game;
Kamenica and Gentzkow 2011, AER 101(6), section I). Payoffs :math:`u_S(t,m,a)`,
:math:`u_R(t,m,a)` may depend on the message (costly or verifiable lies).

Formulation: one linear programme per *reply assignment* :math:`\\alpha: M \\to A`,

.. math:: V(\\alpha) = \\max_{\\sigma} \\sum_{t,m} p(t)\\sigma(m|t)\\,u_S(t,m,\\alpha(m))
   \\quad\\text{s.t.}\\quad \\sigma(\\cdot|t) \\in \\Delta(M),\\quad
   \\sum_t p(t)\\sigma(m|t)\\,[u_R(t,m,a') - u_R(t,m,\\alpha(m))] \\le 0 \\ \\ (m \\in M,\\ a' \\ne \\alpha(m)),

and the value of commitment is :math:`\\max_\\alpha V(\\alpha)`. Proof sketch. (i) A rule
:math:`\\sigma` with its sender-preferred replies :math:`\\alpha^*` is feasible for
:math:`\\alpha^*` with the same value (obedience is "the reply is optimal at the posterior",
multiplied by :math:`P(m) \\ge 0`). (ii) A feasible :math:`(\\sigma, \\alpha)` has
:math:`\\alpha(m)` a best reply after every sent message (unsent ones do not count), so the
sender-preferred reply to :math:`\\sigma` gives the sender at least :math:`V(\\alpha)`. A mixed
reply never does better: it averages best replies, and the sender-preferred pure one is the
best of them. Why not the textbook recommendation LP (variables :math:`x(t,a)`, one message per
action; Bergemann and Morris 2019, JEL 57(1), section 2): with message-dependent payoffs the
message is not a label, and the message set is the game's, so the lifted LP over
:math:`x(t,m,a)` lets the sender send "(m, a)" pairs the game does not have; it is an upper
bound, equal to :math:`\\max_\\alpha V(\\alpha)` when payoffs do not depend on the message and
:math:`|M| \\ge |A|`. The assignments are :math:`|A|^{|M|}` LPs of :math:`|T||M|` variables.

Selections, so that the reported rule is defined (and the same on both paths): among the
sender-optimal rules, the one best for the receiver (a second LP with the sender's value held
at its optimum), first assignment in order on ties. The *receiver-optimal* rule maximises the
receiver's value, then the sender's. In both, the reply assignment is then sender-preferred
among the receiver's best replies. *Full disclosure*: each positive-prior type sends its own
message (the injective map best for the sender, then for the receiver, first in order), the
receiver best-replies to the type (ties to the sender); ``None`` with fewer messages than types.

Arithmetic: exact rationals (the project's simplex, :mod:`intelgame.geometry.simplex`), or
floats whose every decision (pivots, comparisons of values) is filtered by
:class:`~intelgame.geometry.faces.FilterBand` on payoffs mapped to ``[0, 1]`` (one affine map
per player: the objective is ex ante, so per-type maps would change it); an uncertain decision,
or a near tie in the input (the PBE path's check), sends the game to exact arithmetic
(``docs/certified_float.md``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence, TypeVar

from intelgame import interrupts
from intelgame.errors import SolverError, Uncertain
from intelgame.games.signalling import SignallingGame
from intelgame.geometry.faces import ZERO_FLOOR, Arithmetic, ExactArithmetic, FilterBand, FloatArithmetic
from intelgame.geometry.simplex import linprog, linprog_many
from intelgame.solvers.pbe.belief_cells import BeliefCells
from intelgame.geometry.numbers import Number


#: The most reply assignments (|A|^|M| linear programmes) :func:`persuasion_solve` examines.
MAX_ASSIGNMENTS = 200_000


@dataclass(frozen=True)
class Commitment:
    """A committed reporting rule and the receiver's replies to it.

    ``sigma[t][m]`` is :math:`\\sigma(m|t)`; ``replies[m]`` the receiver's (pure) action after a
    sent message ``m``, ``None`` after one that no positive-prior type sends (its reply does not
    matter under commitment); ``sender_payoffs[t]`` each type's expected payoff.
    """

    sigma: tuple[tuple[Number, ...], ...]
    replies: tuple[int | None, ...]
    sender_payoffs: tuple[Number, ...]
    sender_value: Number
    receiver_value: Number

    @property
    def on_path(self) -> tuple[bool, ...]:
        """Whether each message is sent."""
        return tuple(a is not None for a in self.replies)

    def receiver_strategy(self, n_actions: int) -> tuple[tuple[Number, ...], ...]:
        """``rho[m][a]``: 1 on the reply, 0 elsewhere (all 0 after an unsent message)."""
        zero = self.sender_value * 0
        return tuple(tuple(zero + (a == r) for a in range(n_actions)) for r in self.replies)


@dataclass(frozen=True)
class PersuasionResult:
    """The commitment benchmarks of ``game``, with the provenance of the computation."""

    game: SignallingGame
    sender_optimal: Commitment
    receiver_optimal: Commitment
    full_disclosure: Commitment | None
    method: str
    exact: bool


def persuasion_solve(game: SignallingGame, *, exact: bool = False) -> PersuasionResult:
    """The sender-optimal and receiver-optimal commitments and full disclosure (module docstring).

    Examples
    --------
    Kamenica and Gentzkow's prosecutor (2011, p. 2591): a judge convicts iff
    :math:`P(\\text{guilty}) \\ge 1/2`; with prior 0.3 the prosecutor gets conviction 0.6.

    >>> from fractions import Fraction as F
    >>> judge = SignallingGame.from_payoffs(name="prosecutor", types=["guilty", "innocent"],
    ...     messages=["g", "i"], actions=["convict", "acquit"], prior=[F(3, 10), F(7, 10)],
    ...     payoffs={"guilty": {m: {"convict": (1, 1), "acquit": (0, 0)} for m in "gi"},
    ...              "innocent": {m: {"convict": (1, 0), "acquit": (0, 1)} for m in "gi"}})
    >>> result = persuasion_solve(judge, exact=True)
    >>> result.sender_optimal.sender_value, result.sender_optimal.sigma[1]
    (Fraction(3, 5), (Fraction(3, 7), Fraction(4, 7)))
    >>> persuasion_solve(judge).sender_optimal.sender_value
    0.6
    """
    method = "assignment_lp"
    result, why = _solve(game, exact, lambda solver: solver.run(method))
    if why is None:
        return result
    full = result.full_disclosure
    return PersuasionResult(game, _to_float(result.sender_optimal), _to_float(result.receiver_optimal),
                            None if full is None else _to_float(full), f"{method} (exact: {why})", False)


def sender_commitment(game: SignallingGame, *, exact: bool = False) -> Commitment:
    """``persuasion_solve(game, exact=exact).sender_optimal`` alone (the same LPs and
    selection, without the reference rules): what a sweep needs at each point.

    >>> from intelgame.games.build import build_game
    >>> from intelgame.spec import load_spec
    >>> sender_commitment(build_game(load_spec("intelligence_market")), exact=True).sender_value
    Fraction(71, 100)
    """
    found, why = _solve(game, exact, lambda solver: solver.sender_optimal())
    return found if why is None else _to_float(found)


Found = TypeVar("Found")


def _solve(game: SignallingGame, exact: bool, work: Callable[[_Solver], Found]) -> tuple[Found, str | None]:
    """``work`` on the solver of ``game``: exact, or floats with certified decisions and, when
    one is uncertain, exact arithmetic again (then the reason, and exact numbers to convert)."""
    if not game.is_numeric:
        raise SolverError("persuasion_solve needs numeric payoffs")
    if exact and not game.is_rational:
        raise SolverError("exact mode needs rational payoffs and prior (a parameter evaluated to an irrational float)")
    n_t, n_m, n_a = game.shape
    if n_a ** n_m > MAX_ASSIGNMENTS:
        raise SolverError(f"{game.name} has {n_m} messages and {n_a} actions: {n_a ** n_m:.2e} reply assignments "
                          f"to examine, beyond the {MAX_ASSIGNMENTS} intelgame solves")
    if exact:
        return work(_Solver(game, ExactArithmetic())), None
    why = "float entries read as decimals"
    if game.is_rational:
        try:
            BeliefCells(game, FloatArithmetic())  # the PBE path's near-tie check of the input
            return work(_Solver(game, FloatArithmetic())), None
        except Uncertain:
            why = "float decisions uncertain"
    return work(_Solver(game.to_rational(), ExactArithmetic())), why


def _to_float(commitment: Commitment) -> Commitment:
    return Commitment(tuple(tuple(float(x) for x in row) for row in commitment.sigma), commitment.replies,
                      tuple(float(x) for x in commitment.sender_payoffs), float(commitment.sender_value),
                      float(commitment.receiver_value))


def _unit(table: Sequence[Sequence[Sequence[Fraction]]]) -> list[list[list[Fraction]]]:
    """``table`` less its least entry, over its spread (1 when it is 0): one map per player."""
    values = [Fraction(x) for r in table for c in r for x in c]
    low = min(values)
    spread = max(values) - low or Fraction(1)
    return [[[(Fraction(x) - low) / spread for x in c] for c in r] for r in table]


class _Solver:
    """The LPs of one game in one arithmetic (exact, or floats with filtered decisions)."""

    def __init__(self, game: SignallingGame, arithmetic: Arithmetic) -> None:
        self.game, self.ar = game, arithmetic
        self.tolerance: Any = 0 if arithmetic.exact else FilterBand()
        self.n_t, self.n_m, self.n_a = game.shape
        number = arithmetic.number
        exact = game.to_rational()
        self.prior = [number(p) for p in exact.prior]
        self.us = [[[number(x) for x in c] for c in r] for r in _unit(exact.sender_payoffs)]
        self.ur = [[[number(x) for x in c] for c in r] for r in _unit(exact.receiver_payoffs)]
        self.payoffs_s = [[[number(x) for x in c] for c in r] for r in exact.sender_payoffs]
        self.payoffs_r = [[[number(x) for x in c] for c in r] for r in exact.receiver_payoffs]
        self.zero, self.one = number(0), number(1)
        self.positive = [arithmetic.is_positive(p) for p in self.prior]

    # -- decisions ----------------------------------------------------------------------------
    def _better(self, x: Number, y: Number) -> int:
        """1 if ``x > y``, 0 if equal, -1 if less (filtered on the float path)."""
        d = x - y
        return 0 if self.ar.is_zero(d) else (1 if self.ar.is_positive(d) else -1)

    def _clean(self, x: Number) -> Number:
        if not self.ar.exact:
            for target in (0.0, 1.0):
                if abs(x - target) <= ZERO_FLOOR:
                    return target
        return x

    # -- the LP of one assignment -------------------------------------------------------------
    def _constraints(self, alpha: Sequence[int]) -> tuple[list[list[Number]], list[Number], list[list[Number]], list[Number]]:
        """``sigma`` rows summing to 1, and obedience after each message (variables ``t``-major)."""
        n_t, n_m, z = self.n_t, self.n_m, self.zero
        eq_rows = [[self.one if k // n_m == t else z for k in range(n_t * n_m)] for t in range(n_t)]
        ub_rows = []
        for m, a in enumerate(alpha):
            for b in range(self.n_a):
                if b != a:
                    row = [z] * (n_t * n_m)
                    for t in range(n_t):
                        row[t * n_m + m] = self.prior[t] * (self.ur[t][m][b] - self.ur[t][m][a])
                    ub_rows.append(row)
        return eq_rows, [self.one] * n_t, ub_rows, [z] * len(ub_rows)

    def _cost(self, table: Sequence[Sequence[Sequence[Number]]], alpha: Sequence[int]) -> list[Number]:
        """Minus the player's ex ante payoff per variable ``sigma(m|t)`` (a cost to minimise)."""
        return [-self.prior[t] * table[t][m][alpha[m]] for t in range(self.n_t) for m in range(self.n_m)]

    def _optimum(self, first: str, alpha: Sequence[int], optimum: Number) -> tuple[Number, tuple[Number, ...]]:
        """Maximise the other player's payoff with ``first``'s held at ``optimum`` (its best
        value over all assignments); returns (the other's value, sigma)."""
        eq_rows, eq_rhs, ub_rows, ub_rhs = self._constraints(alpha)
        primary, secondary = (self.us, self.ur) if first == "sender" else (self.ur, self.us)
        held = self._cost(primary, alpha)
        found = linprog(self._cost(secondary, alpha), eq_rows, eq_rhs, [*ub_rows, held], [*ub_rhs, -optimum],
                        tolerance=self.tolerance)
        if found is None:  # the optimum is feasible: only a float LP could say otherwise
            raise Uncertain("the held optimum is infeasible")
        return -found[0], found[1]

    def _best(self, first: str, solved: list[tuple[tuple[int, ...], tuple[Number, ...]]]) -> Commitment:
        """The rule optimal for ``first`` (then for the other player) among the assignments."""
        best: tuple[Number, Number, tuple[int, ...], tuple[Number, ...]] | None = None
        top = None
        for _, values in solved:
            if top is None or self._better(values[0], top) > 0:
                top = values[0]
        for alpha, values in solved:
            if self._better(values[0], top) < 0:
                continue
            other, sigma = self._optimum(first, alpha, top)
            if best is None or self._better(other, best[1]) > 0:
                best = (top, other, alpha, sigma)
        assert best is not None  # some assignment is feasible: babbling with a best reply to the prior
        return self._commitment(best[3], best[2])

    def _commitment(self, flat_sigma: Sequence[Number], alpha: Sequence[int]) -> Commitment:
        """The rule ``sigma`` with replies ``alpha`` on its sent messages, valued in the game's units."""
        sigma = tuple(tuple(self._clean(flat_sigma[t * self.n_m + m]) for m in range(self.n_m)) for t in range(self.n_t))
        sent = [any(self.positive[t] and self.ar.is_positive(sigma[t][m]) for t in range(self.n_t))
                for m in range(self.n_m)]
        replies = tuple(a if s else None for a, s in zip(alpha, sent))
        payoffs = tuple(sum((sigma[t][m] * self.payoffs_s[t][m][alpha[m]] for m in range(self.n_m)), self.zero)
                        for t in range(self.n_t))
        sender = sum((p * u for p, u in zip(self.prior, payoffs)), self.zero)
        receiver = sum((self.prior[t] * sigma[t][m] * self.payoffs_r[t][m][alpha[m]]
                        for t in range(self.n_t) for m in range(self.n_m)), self.zero)
        return Commitment(sigma, replies, payoffs, sender, receiver)

    # -- full disclosure -----------------------------------------------------------------------
    def _reply_to_type(self, t: int, m: int) -> int:
        """The receiver's best reply to type ``t`` after ``m``, ties to the sender, then first."""
        best = 0
        for a in range(1, self.n_a):
            key = self._better(self.ur[t][m][a], self.ur[t][m][best]) or self._better(self.us[t][m][a], self.us[t][m][best])
            if key > 0:
                best = a
        return best

    def full_disclosure(self) -> Commitment | None:
        """Each positive-prior type its own message (see the module docstring)."""
        informed = [t for t in range(self.n_t) if self.positive[t]]
        if len(informed) > self.n_m:
            return None
        best: tuple[Number, Number, tuple[int, ...]] | None = None
        for messages in itertools.permutations(range(self.n_m), len(informed)):
            replies = [self._reply_to_type(t, m) for t, m in zip(informed, messages)]
            sender = sum((self.prior[t] * self.us[t][m][a] for t, m, a in zip(informed, messages, replies)), self.zero)
            receiver = sum((self.prior[t] * self.ur[t][m][a] for t, m, a in zip(informed, messages, replies)), self.zero)
            if best is None or (self._better(sender, best[0]) or self._better(receiver, best[1])) > 0:
                best = (sender, receiver, messages)
        assert best is not None
        chosen = dict(zip(informed, best[2]))
        sigma = [self.one if chosen.get(t, 0) == m else self.zero for t in range(self.n_t) for m in range(self.n_m)]
        alpha = [0] * self.n_m
        for t, m in chosen.items():
            alpha[m] = self._reply_to_type(t, m)
        return self._commitment(sigma, alpha)

    # -- everything ----------------------------------------------------------------------------
    def _assignments(self, players: int) -> list[tuple[tuple[int, ...], tuple[Number, ...]]]:
        """Each feasible reply assignment with the optimal values of its LP: the sender's, then
        (``players == 2``) the receiver's."""
        solved = []
        for alpha in itertools.product(range(self.n_a), repeat=self.n_m):
            interrupts.check()
            eq_rows, eq_rhs, ub_rows, ub_rhs = self._constraints(alpha)
            costs = [self._cost(self.us, alpha), self._cost(self.ur, alpha)][:players]
            optima = linprog_many(costs, eq_rows, eq_rhs, ub_rows, ub_rhs, tolerance=self.tolerance)
            if any(found is None for found in optima):
                continue
            solved.append((alpha, tuple(-found[0] for found in optima if found is not None)))
        return solved

    def sender_optimal(self) -> Commitment:
        """The sender-optimal rule alone."""
        return self._best("sender", self._assignments(1))

    def run(self, method: str) -> PersuasionResult:
        sender = self._assignments(2)
        receiver = [(alpha, (values[1], values[0])) for alpha, values in sender]
        return PersuasionResult(self.game, self._best("sender", sender), self._best("receiver", receiver),
                                self.full_disclosure(), method, self.ar.exact)

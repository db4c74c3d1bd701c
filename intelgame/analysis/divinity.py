"""D1, D2, universal divinity and never-a-weak-best-response, decided exactly, with explanations.

Definitions
-----------
Fix a PBE with sender payoffs :math:`u^*(t)` and an off-path message :math:`m`. For a set of
types :math:`K`, :math:`MBR(K, m)` is the set of the receiver's *mixed* best replies to some
belief supported on :math:`K`. For a mixed reply :math:`\\alpha` let
:math:`g_t(\\alpha) = \\sum_a \\alpha(a) u_S(t,m,a) - u^*(t)` (type :math:`t`'s gain from
:math:`m`), and on :math:`MBR(T, m)`

.. math:: D_t = \\{g_t > 0\\},\\quad D^0_t = \\{g_t = 0\\},\\quad W_t = D_t \\cup D^0_t.

A criterion *prunes* types (gives them belief zero after :math:`m`):

* **Intuitive Criterion** (Cho and Kreps 1987, QJE 102(2), 179-221, sec. IV): :math:`t` with
  :math:`W_t = \\emptyset` (equilibrium-dominated); the outcome fails when some unpruned type
  gains against *every* best reply to beliefs on the unpruned types (the test of
  :mod:`intelgame.analysis.refinements`, repeated here for its explanation).
* **D1** (Cho and Kreps 1987, sec. V): :math:`t` with :math:`W_t \\subseteq D_{t'}` for some
  :math:`t' \\neq t`.
* **D2** (ibid.): :math:`t` with :math:`W_t \\subseteq \\bigcup_{t' \\neq t} D_{t'}`.
* **Never a weak best response**, NWBR (Kohlberg and Mertens 1986, Econometrica 54(5),
  1003-1037; in signalling games as stated by Cho and Kreps 1987, sec. V):
  :math:`t` with :math:`D^0_t \\subseteq \\bigcup_{t' \\neq t} D_{t'}`.
* **Universal divinity** (Banks and Sobel 1987, Econometrica 55(3), 647-661, sec. 3): type
  :math:`t` gets belief zero after :math:`m` when :math:`D_t \\cup D^0_t \\subseteq
  \\bigcup_{t' \\ne t} D_{t'}`, and the test is *iterated*: the receiver's replies in the next
  round are the best replies to the beliefs that survive this round (here: beliefs on the
  remaining types :math:`K`, so the sets are recomputed on :math:`MBR(K, m)`, with the union
  over the other types of :math:`K`), until no type is removed. Its first round is D2 (Cho and
  Kreps 1987, sec. V, present D2 as the one-round form of Banks and Sobel's test), so here it
  starts from the D2 survivors. Unlike D2 it can prune a type whose only profitable replies
  are best replies to beliefs on types already pruned (example: ``docs/refinements.md``).

For D1, D2, NWBR and universal divinity the outcome **passes** at :math:`m` when some belief on
the unpruned types :math:`K` has a (mixed) best reply that deters every type:
:math:`\\exists \\alpha \\in MBR(K, m)` with :math:`g_t(\\alpha) \\le 0` for all :math:`t \\in T`;
it passes when it passes at every off-path message (vacuously with none). Verdicts are
*outcome-level* (they depend on the on-path messages and :math:`u^*` only); a continuum is
judged at its representative point, which is exact when :math:`u^*` is constant on the face
(the usual case: off-path beliefs vary); :mod:`intelgame.analysis.face_verdicts` decides them
on the whole face, split where they differ.

Conventions, so that the criteria nest. Pruning is applied on top of the weaker criterion's
survivors (:math:`K_{IC} \\supseteq K_{D1} \\supseteq K_{D2} \\supseteq K_{UD}`,
:math:`K_{D2} \\supseteq K_{NWBR}`), and a criterion that would prune every remaining type
keeps them (the beliefs are then those of the weaker criterion). With two or more types every
equilibrium-dominated type is pruned by D1 (:math:`W_t = \\emptyset \\subseteq D_{t'}`), so:
every outcome passing D1 passes the Intuitive Criterion (a reply deterring every type rules out
a type that gains against every reply); D2 passes imply D1 passes (:math:`D_{t'} \\subseteq
\\bigcup D`, and beliefs on fewer types have fewer deterring replies); universal divinity and
NWBR passes imply D2 passes. (Cho and Kreps 1987, sec. V, order their tests the same way:
NWBR is stronger than D2, D2 than D1, D1 than the Intuitive Criterion. Universal divinity is
here Banks and Sobel's iterated test, hence at least as strong as D2, which is its first
round; their *divinity*, which bounds belief ratios instead of pruning, is not implemented.)

Exact formulation
-----------------
A mixed reply is a best reply to :math:`\\mu` iff its support lies in the set of pure best
replies to :math:`\\mu`, so :math:`MBR(K, m) = \\bigcup_B \\Delta(B)` over the action sets
:math:`B` whose closed belief cell on :math:`K` (beliefs on :math:`K` at which every action of
:math:`B` is optimal, :class:`~intelgame.solvers.pbe.belief_cells.BeliefCells`) is not empty;
the maximal such :math:`B` suffice. Every gain :math:`g_t` is linear in :math:`\\alpha`, so each
subset test is the emptiness, for every maximal :math:`B`, of a polytope in
:math:`\\alpha \\in \\Delta(B)`:

* D1, :math:`W_t \\subseteq D_{t'}`: no :math:`\\alpha` with :math:`g_t \\ge 0,\\ g_{t'} \\le 0`;
* D2: no :math:`\\alpha` with :math:`g_t \\ge 0` and :math:`g_{t'} \\le 0` for all :math:`t' \\ne t`;
* NWBR: no :math:`\\alpha` with :math:`g_t = 0` and :math:`g_{t'} \\le 0` for all :math:`t' \\ne t`;
* deterrence: some :math:`\\alpha` with :math:`g_t \\le 0` for all :math:`t`.

Each is a linear feasibility question, decided by the exact oracle
(:meth:`~intelgame.geometry.faces.ExactArithmetic.closed_point`) on the exact game
(:meth:`~intelgame.games.signalling.SignallingGame.to_rational`); a float equilibrium is judged
by its exact counterpart (the same support profile of the exact solve), so float and exact
verdicts are the same.

Examples
--------
Beer-Quiche (Cho and Kreps 1987): pooling on quiche fails D1, pooling on beer passes.

>>> from fractions import Fraction
>>> from intelgame.games import SignallingGame
>>> from intelgame.solvers.pbe.enumeration import Enumerator, pbe_solve
>>> game = SignallingGame.from_payoffs(name="beer-quiche", types=["weak", "strong"],
...     messages=["beer", "quiche"], actions=["duel", "defer"], prior=[Fraction(1, 10), Fraction(9, 10)],
...     payoffs={"weak": {"beer": {"duel": (0, 1), "defer": (2, 0)}, "quiche": {"duel": (1, 1), "defer": (3, 0)}},
...              "strong": {"beer": {"duel": (1, -1), "defer": (3, 0)}, "quiche": {"duel": (0, -1), "defer": (2, 0)}}})
>>> result = pbe_solve(game, exact=True)
>>> [([game.messages[m] for m, on in enumerate(eq.on_path) if on], v["d1"].passes)
...  for eq, v in zip(result, refinement_verdicts(result))][:2]
[(['beer'], True), (['quiche'], False)]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any, Callable, Literal, Sequence

from intelgame.errors import SolverError
from intelgame.games.signalling import SignallingGame
from intelgame.geometry.faces import ExactArithmetic, LinearSystem
from intelgame.geometry.pivoting import integer_row
from intelgame.solvers.pbe.belief_cells import BeliefCells
from intelgame.solvers.pbe.enumeration import Enumerator, pbe_solve
from intelgame.solvers.pbe.result import PBE, PBEResult, sender_payoffs
from intelgame.solvers.pbe.shape import FaceShape, payoffs_at

Criterion = Literal["intuitive_criterion", "d1", "d2", "universal_divinity", "nwbr"]
#: The criteria, weakest first (the JSON keys of ``refinements``).
CRITERIA: tuple[Criterion, ...] = ("intuitive_criterion", "d1", "d2", "universal_divinity", "nwbr")

Mixture = tuple[Fraction, ...]


@dataclass(frozen=True)
class BeliefPiece:
    """Part of a surviving belief set: the beliefs on ``types`` at which every action of
    ``actions`` is a best reply (``equalities . mu = 0``, ``inequalities . mu <= 0``, rows over
    ``types``, in the game's payoff units), where the mixture ``reply`` over them deters every
    type from the message."""

    actions: tuple[int, ...]
    reply: Mixture
    types: tuple[int, ...]
    equalities: tuple[tuple[Fraction, ...], ...]
    inequalities: tuple[tuple[Fraction, ...], ...]


@dataclass(frozen=True)
class MessageVerdict:
    """One criterion at one off-path message: the pruned and the surviving types; if it fails,
    a belief on the survivors, a best reply to it (a mixture over actions) and a type that
    strictly gains from the message against it; if it passes, the surviving beliefs (the
    beliefs on the survivors with a deterring best reply) as pieces (none unless the
    :class:`Refiner` explains its verdicts)."""

    message: int
    passes: bool
    pruned: tuple[int, ...]
    survivors: tuple[int, ...]
    belief: tuple[Fraction, ...] | None = None
    reply: Mixture | None = None
    deviator: int | None = None
    pieces: tuple[BeliefPiece, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """One criterion on one equilibrium outcome, with one :class:`MessageVerdict` per off-path
    message (those where the criterion had to be checked)."""

    criterion: Criterion
    passes: bool
    messages: tuple[MessageVerdict, ...]


Verdicts = dict[Criterion, Verdict]


#: :meth:`_Message.reply_sets` by message and set of types (they depend on the game alone).
ReplySets = dict[tuple[int, tuple[int, ...]], list[tuple[int, ...]]]


class _Message:
    """The exact questions about one off-path message ``m`` given the equilibrium payoffs;
    ``reply_sets`` shares the reply sets with the other messages and outcomes of the game, and
    the surviving beliefs of a passing verdict are found only if ``explain``."""

    def __init__(self, cells: BeliefCells, m: int, u_star: Sequence[Fraction], reply_sets: ReplySets | None = None,
                 explain: bool = True) -> None:
        self.cells, self.m, self.u_star = cells, m, tuple(u_star)
        self.us = [cells.us[t][m] for t in range(cells.n_t)]
        self.everyone = tuple(range(cells.n_t))
        self._oracle = ExactArithmetic()
        self._reply_sets: ReplySets = {} if reply_sets is None else reply_sets
        self._explain = explain
        self._scaled: tuple[list[list[int]], list[int]] | None = None
        self._deterrence_by_kept: dict[tuple[int, ...], MessageVerdict] = {}  # criteria often keep the same types

    def reply_sets(self, support: tuple[int, ...]) -> list[tuple[int, ...]]:
        """The maximal action sets ``B`` optimal together at some belief on ``support``:
        :math:`MBR(K, m) = \\bigcup_B \\Delta(B)`."""
        key = (self.m, support)
        if key not in self._reply_sets:
            pure = self.cells.best_replies(self.m, support)
            found: list[tuple[int, ...]] = []
            for size in range(len(pure), 0, -1):
                for subset in combinations(pure, size):
                    if any(set(subset) <= set(b) for b in found):
                        continue
                    if self.cells.has_cell(self.m, support, subset, False):
                        found.append(subset)
            self._reply_sets[key] = found
        return self._reply_sets[key]

    def mixture(self, actions: tuple[int, ...], *, gain: Sequence[int] = (), indifferent: Sequence[int] = (),
                deterred: Sequence[int] = ()) -> Mixture | None:
        """A mixture over ``actions`` (zero elsewhere) with :math:`g_t \\ge 0` for ``gain``,
        :math:`g_t = 0` for ``indifferent`` and :math:`g_t \\le 0` for ``deterred``; ``None``
        if there is none (exact LP feasibility)."""
        one = Fraction(1)
        eq_rows = [tuple(one for _ in actions)]
        eq_rhs = [one]
        for t in indifferent:
            eq_rows.append(tuple(self.us[t][a] for a in actions))
            eq_rhs.append(self.u_star[t])
        ub_rows = [tuple(-self.us[t][a] for a in actions) for t in gain]
        ub_rhs = [-self.u_star[t] for t in gain]
        ub_rows += [tuple(self.us[t][a] for a in actions) for t in deterred]
        ub_rhs += [self.u_star[t] for t in deterred]
        point = self._oracle.closed_point(LinearSystem(len(actions), tuple(eq_rows), tuple(eq_rhs),
                                                       tuple(ub_rows), tuple(ub_rhs)))
        if point is None:
            return None
        full = [Fraction(0)] * self.cells.n_a
        for a, x in zip(actions, point):
            full[a] = Fraction(x)
        return tuple(full)

    def feasible(self, actions: tuple[int, ...], *, gain: Sequence[int] = (), indifferent: Sequence[int] = (),
                 deterred: Sequence[int] = ()) -> bool:
        """Whether :meth:`mixture` finds a mixture. Over one or two actions no linear programme
        is needed: :math:`\\Delta(\\{a, b\\})` is the segment :math:`\\alpha = x e_a + (1 - x) e_b`,
        :math:`x \\in [0, 1]`, on which :math:`g_t = c_t + k_t x` with :math:`c_t = u_S(t,m,b) - u^*(t)`
        and :math:`k_t = u_S(t,m,a) - u_S(t,m,b)`, so each condition bounds :math:`x` on one side
        (or holds or fails for every :math:`x` when :math:`k_t = 0`) and the mixtures form an
        interval, non-empty iff its lower end is at most its upper end;
        :math:`\\Delta(\\{a\\})` is the point :math:`x = 1`, with :math:`b = a`. Exact, in
        integers: the payoffs times a common denominator (:meth:`_integers`), each end a
        fraction ``(numerator, positive denominator)`` compared by cross-multiplication."""
        if len(actions) > 2:
            return self.mixture(actions, gain=gain, indifferent=indifferent, deterred=deterred) is not None
        a, b = actions[0], actions[-1]
        us, u_star = self._integers()
        (low, low_d), (high, high_d) = (int(len(actions) == 1), 1), (1, 1)
        # each condition as s (c_t + k_t x) <= 0: s = 1 for g_t <= 0, -1 for g_t >= 0
        bounds = [(t, -1) for t in (*gain, *indifferent)] + [(t, 1) for t in (*deterred, *indifferent)]
        for t, s in bounds:
            c, k = s * (us[t][b] - u_star[t]), s * (us[t][a] - us[t][b])
            if k > 0:  # x <= -c / k
                if -c * high_d < high * k:
                    high, high_d = -c, k
            elif k < 0:  # x >= c / -k
                if c * low_d > low * -k:
                    low, low_d = c, -k
            elif c > 0:
                return False
        return low * high_d <= high * low_d

    def _integers(self) -> tuple[list[list[int]], list[int]]:
        """:math:`u_S(t,m,\\cdot)` and :math:`u^*` times the least common denominator of them all."""
        if self._scaled is None:
            n_a = self.cells.n_a
            scaled, _ = integer_row([Fraction(x) for x in (*(x for row in self.us for x in row), *self.u_star)])
            self._scaled = ([scaled[k:k + n_a] for k in range(0, len(self.us) * n_a, n_a)], scaled[len(self.us) * n_a:])
        return self._scaled

    def some_feasible(self, sets: Sequence[tuple[int, ...]], **conditions: Sequence[int]) -> bool:
        """:meth:`feasible` over the union of ``Delta(B)``, ``B`` in ``sets``."""
        return any(self.feasible(b, **conditions) for b in sets)

    def gain(self, t: int, reply: Mixture) -> Fraction:
        """:math:`g_t(\\alpha)`."""
        return sum((x * self.us[t][a] for a, x in enumerate(reply)), Fraction(0)) - self.u_star[t]

    # -- the pruning tests ----------------------------------------------------------------
    def dominated(self, sets: Sequence[tuple[int, ...]], types: tuple[int, ...]) -> set[int]:
        """Types with :math:`W_t = \\emptyset` (equilibrium-dominated)."""
        return {t for t in types if not self.some_feasible(sets, gain=(t,))}

    def d1(self, sets: Sequence[tuple[int, ...]], types: tuple[int, ...]) -> set[int]:
        """Types with :math:`W_t \\subseteq D_{t'}` for some other ``t'`` of ``types``."""
        return {t for t in types if any(not self.some_feasible(sets, gain=(t,), deterred=(s,))
                                        for s in types if s != t)}

    def d2(self, sets: Sequence[tuple[int, ...]], types: tuple[int, ...]) -> set[int]:
        """Types with :math:`W_t \\subseteq \\bigcup_{t' \\ne t} D_{t'}` (``t'`` in ``types``)."""
        return {t for t in types
                if not self.some_feasible(sets, gain=(t,), deterred=tuple(s for s in types if s != t))}

    def nwbr(self, sets: Sequence[tuple[int, ...]], types: tuple[int, ...]) -> set[int]:
        """Types with :math:`D^0_t \\subseteq \\bigcup_{t' \\ne t} D_{t'}`."""
        return {t for t in types
                if not self.some_feasible(sets, indifferent=(t,), deterred=tuple(s for s in types if s != t))}

    # -- verdicts --------------------------------------------------------------------------
    def verdicts(self) -> dict[Criterion, MessageVerdict]:
        """Every criterion at this message (module docstring)."""
        everyone = self.everyone
        full = self.reply_sets(everyone)
        k_ic = self._intuitive_kept(full)
        k_d1 = _keep(k_ic, self.d1(full, everyone))
        k_d2 = _keep(k_d1, self.d2(full, everyone))
        k_nwbr = _keep(k_d2, self.nwbr(full, everyone))
        k_ud = k_d2
        while len(k_ud) > 1:
            smaller = _keep(k_ud, self.d2(self.reply_sets(k_ud), k_ud))
            if smaller == k_ud:
                break
            k_ud = smaller
        return {"intuitive_criterion": self._intuitive(k_ic), "d1": self._deterrence(k_d1),
                "d2": self._deterrence(k_d2), "universal_divinity": self._deterrence(k_ud),
                "nwbr": self._deterrence(k_nwbr)}

    def _intuitive_kept(self, full: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
        """The types the Intuitive Criterion keeps (not equilibrium-dominated), ``full`` the
        reply sets on every type."""
        return _keep(self.everyone, self.dominated(full, self.everyone))

    def intuitive(self) -> MessageVerdict:
        """The Intuitive Criterion alone at this message, as :meth:`verdicts` decides it
        (without the other criteria's programmes)."""
        return self._intuitive(self._intuitive_kept(self.reply_sets(self.everyone)))

    def _pruned(self, kept: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(t for t in self.everyone if t not in kept)

    def _intuitive(self, kept: tuple[int, ...]) -> MessageVerdict:
        """Cho and Kreps's test: fails when a surviving type gains against every best reply to
        beliefs on the survivors (the minimum of :math:`g_t` over them is at a pure one)."""
        pure = self.cells.best_replies(self.m, kept)
        if len(kept) < len(self.everyone):
            for t in kept:
                if all(self.us[t][a] > self.u_star[t] for a in pure):
                    belief, reply = self._witness(kept)
                    return MessageVerdict(self.m, False, self._pruned(kept), kept, belief, reply, t)
        return MessageVerdict(self.m, True, self._pruned(kept), kept, pieces=self._pieces(kept))

    def _deterrence(self, kept: tuple[int, ...]) -> MessageVerdict:
        """The deterrence test on the beliefs on ``kept`` (decided once for each set of types)."""
        if kept not in self._deterrence_by_kept:
            sets = self.reply_sets(kept)
            if self.some_feasible(sets, deterred=self.everyone):
                verdict = MessageVerdict(self.m, True, self._pruned(kept), kept, pieces=self._pieces(kept))
            else:
                belief, reply = self._witness(kept)
                deviator = next(t for t in self.everyone if self.gain(t, reply) > 0)
                verdict = MessageVerdict(self.m, False, self._pruned(kept), kept, belief, reply, deviator)
            self._deterrence_by_kept[kept] = verdict
        return self._deterrence_by_kept[kept]

    def _witness(self, kept: tuple[int, ...]) -> tuple[tuple[Fraction, ...], Mixture]:
        """The prior conditioned on ``kept`` (uniform on ``kept`` when its types all have prior 0)
        and its first pure best reply."""
        prior = self.cells.prior
        mass = sum((prior[t] for t in kept), Fraction(0))
        weight = [Fraction(prior[t]) if mass else Fraction(1) for t in self.everyone]
        total = mass or Fraction(len(kept))
        belief = tuple(weight[t] / total if t in kept else Fraction(0) for t in self.everyone)
        ur = self.cells.ur
        values = [sum((belief[t] * ur[t][self.m][a] for t in kept), Fraction(0)) for a in range(self.cells.n_a)]
        best = values.index(max(values))
        return belief, tuple(Fraction(int(a == best)) for a in range(self.cells.n_a))

    def _pieces(self, kept: tuple[int, ...]) -> tuple[BeliefPiece, ...]:
        """The minimal action sets with a non-empty cell on ``kept`` and a deterring mixture
        (none unless ``explain``)."""
        if not self._explain:
            return ()
        pure = self.cells.best_replies(self.m, kept)
        found: list[BeliefPiece] = []
        for size in range(1, len(pure) + 1):
            for subset in combinations(pure, size):
                if any(set(p.actions) <= set(subset) for p in found):
                    continue
                if not self.cells.has_cell(self.m, kept, subset, False):
                    continue
                reply = self.mixture(subset, deterred=self.everyone)
                if reply is not None:
                    eqs, ubs = self.cells.rows(self.m, kept, subset, game_units=True)
                    found.append(BeliefPiece(subset, reply, kept, tuple(eqs), tuple(ubs)))
        return tuple(found)


def replies_fixed(eq: PBE) -> bool:
    """Whether the reply to every message some type sends (a type of prior 0 too, whose
    message may be off the path) is the same on the whole face: then :math:`u^*` is constant
    on it, and so is every criterion (module docstring of :mod:`intelgame.analysis.face_verdicts`)."""
    sent = {m for t in eq.sender_support for m in t}
    return all(lo == hi for m in sent for lo, hi in eq.receiver_range[m])


def _keep(types: tuple[int, ...], pruned: set[int]) -> tuple[int, ...]:
    """``types`` less ``pruned``, or ``types`` if that would leave none."""
    rest = tuple(t for t in types if t not in pruned)
    return rest or types


class Refiner:
    """The criteria on the equilibria of one game, decided exactly; outcomes with the same
    on-path messages and payoffs share their work.

    ``game`` may be a float game: its exact form (:meth:`SignallingGame.to_rational`) is used.
    Without ``explain`` a passing verdict carries no surviving beliefs (:class:`MessageVerdict`:
    the pieces, which only :func:`explanations` reads, cost linear programmes of their own).
    """

    def __init__(self, game: SignallingGame, explain: bool = True) -> None:
        self.game = game.to_rational()
        self.explain = explain
        self._reply_sets: ReplySets = {}
        self.cells = Enumerator(self.game, ExactArithmetic())
        self.cells.positive = tuple(p > 0 for p in self.cells.prior)
        self._cache: dict[tuple[tuple[bool, ...], tuple[Fraction, ...]], Verdicts] = {}
        self._intuitive: dict[tuple[tuple[bool, ...], tuple[Fraction, ...]], Verdict] = {}
        self._exact: PBEResult | None = None

    def verdicts(self, equilibrium: PBE, shape: FaceShape | None = None) -> Verdicts:
        """Every criterion on ``equilibrium`` (exact, or a float one of this game, which is
        judged by its exact counterpart: :meth:`outcome`; ``shape`` is its face, if known)."""
        key = self.outcome(equilibrium, shape)
        if key not in self._cache:
            self._cache[key] = self._decide(*key)
        return self._cache[key]

    def intuitive(self, equilibrium: PBE, shape: FaceShape | None = None) -> Verdict:
        """The Intuitive Criterion alone on ``equilibrium`` (``verdicts(equilibrium)["intuitive_criterion"]``,
        without the other criteria's linear programmes when those are not yet decided)."""
        key = self.outcome(equilibrium, shape)
        if key in self._cache:
            return self._cache[key]["intuitive_criterion"]
        if key not in self._intuitive:
            per_message = tuple(_Message(self.cells, m, key[1], self._reply_sets, self.explain).intuitive() for m, on in enumerate(key[0]) if not on)
            self._intuitive[key] = Verdict("intuitive_criterion", all(v.passes for v in per_message), per_message)
        return self._intuitive[key]

    def outcome(self, equilibrium: PBE, shape: FaceShape | None = None) -> tuple[tuple[bool, ...], tuple[Fraction, ...]]:
        """What the verdicts depend on: the on-path messages and the sender's payoffs
        :math:`u^*`, exactly. A float equilibrium's are those of its exact counterpart (the
        same support profile in the exact solve): the on-path messages follow from the
        support profile, and :math:`u^*(t) = \\max_m \\sum_a \\rho(a|m) u_S(t,m,a)` from the
        representative point of the exact rho-face, rebuilt as the exact enumeration builds it
        (its sigma-face and off-path beliefs do not enter). When ``shape``
        (:func:`~intelgame.solvers.pbe.shape.face_shapes`) shows :math:`u^*` equal at every
        vertex of the rho-polytope, it is that value on the whole face (every message a type
        sends is optimal on the closure, so :math:`u^*` is affine there), representative
        point included: no linear programme. Nor is one needed when the reply to the message
        :math:`m_t` each type sends first is pure (:math:`B_{m_t} = \\{a_t\\}`): on the whole
        face :math:`\\rho(a_t|m_t) = 1`, so :math:`u^*(t) = u_S(t, m_t, a_t)`. Where the replies
        to the messages sent are fixed on the face (:func:`replies_fixed`), :math:`u^*` is
        constant on it and any point of the open rho-face gives it (one feasibility programme,
        not the face's ranges). An equilibrium
        without its support profile is matched against the exact solve instead (strategies
        within 1e-7)."""
        if all(isinstance(u, (int, Fraction)) for u in equilibrium.sender_payoffs):
            return tuple(equilibrium.on_path), tuple(Fraction(u) for u in equilibrium.sender_payoffs)
        supports, replies = equilibrium.sender_support, equilibrium.receiver_support
        if not (supports and replies):
            counterpart = self._match(equilibrium)
            return tuple(counterpart.on_path), tuple(Fraction(u) for u in counterpart.sender_payoffs)
        en = self.cells
        on_path = tuple(any(en.positive[t] and m in supports[t] for t in range(en.n_t)) for m in range(en.n_m))
        first = [supports[t][0] for t in range(en.n_t)]
        if all(len(replies[m]) == 1 for m in first):
            return on_path, tuple(Fraction(en.payoffs_s[t][m][replies[m][0]]) for t, m in enumerate(first))
        if shape is not None:
            found = {payoffs_at(en.payoffs_s, equilibrium, shape.receiver, point) for point in shape.receiver.points}
            if len(found) == 1:
                return on_path, found.pop()
        system = en.receiver_system(supports, replies)
        if replies_fixed(equilibrium):
            point = en.ar.open_point(system)
        else:
            face = en.ar.open_face(system)
            point = None if face is None else face.point
        if point is None:
            raise SolverError(f"the support profile of a float equilibrium of '{self.game.name}' is not an exact one")
        return on_path, tuple(Fraction(u) for u in sender_payoffs(en.payoffs_s, en.receiver_matrix(replies, point)))

    def _decide(self, on_path: tuple[bool, ...], u_star: tuple[Fraction, ...]) -> Verdicts:
        per_message = [_Message(self.cells, m, u_star, self._reply_sets, self.explain).verdicts() for m, on in enumerate(on_path) if not on]
        return {c: Verdict(c, all(v[c].passes for v in per_message), tuple(v[c] for v in per_message))
                for c in CRITERIA}

    def _match(self, equilibrium: PBE) -> PBE:
        """The entry of the exact solve with the float equilibrium's on-path messages and
        strategies (within 1e-7)."""
        if self._exact is None:
            self._exact = pbe_solve(self.game, exact=True)
        flat = [float(x) for row in (*equilibrium.sender, *equilibrium.receiver) for x in row]
        for candidate in self._exact:
            mine = [float(x) for row in (*candidate.sender, *candidate.receiver) for x in row]
            if candidate.on_path == equilibrium.on_path and all(abs(x - y) <= 1e-7 for x, y in zip(mine, flat)):
                return candidate
        raise SolverError(f"no exact equilibrium of '{self.game.name}' matches the float one given")


def refinement_verdicts(result: PBEResult, shapes: Sequence[FaceShape] | None = None,
                        refiner: Refiner | None = None) -> list[Verdicts]:
    """Every criterion (:data:`CRITERIA`) on every equilibrium of ``result``, exactly (a float
    result's equilibria are judged by their exact counterparts, :meth:`Refiner.outcome`, or,
    without the support profiles, by the exact solve's entries in the same order). ``shapes``,
    the result's faces if known, spare linear programmes; ``refiner`` shares its decided
    outcomes with another caller on the same game."""
    refiner = Refiner(result.game) if refiner is None else refiner
    equilibria: Sequence[PBE] = result.equilibria
    if (not result.exact and any(not all(eq.on_path) for eq in equilibria)
            and not all(eq.sender_support and eq.receiver_support for eq in equilibria)):
        exact = pbe_solve(refiner.game, exact=True)
        if len(exact) == len(equilibria) and all(a.on_path == b.on_path for a, b in zip(exact, equilibria)):
            refiner._exact = exact
            equilibria = exact.equilibria
    return [refiner.verdicts(eq, None if shapes is None else shapes[k]) for k, eq in enumerate(equilibria)]


def survivors(result: PBEResult, criterion: Criterion) -> list[bool]:
    """Whether each equilibrium of ``result`` passes ``criterion``."""
    if criterion not in CRITERIA:
        raise SolverError(f"unknown criterion {criterion!r}; expected one of: {', '.join(CRITERIA)}")
    return [v[criterion].passes for v in refinement_verdicts(result)]


def explanations(game: SignallingGame, verdicts: Verdicts, fmt: Callable[[Fraction], Any]) -> dict[str, Any]:
    """The explanations of :func:`refinement_verdicts` for one equilibrium, with names and with
    numbers written by ``fmt``: for each criterion, by off-path message, the pruned and the
    surviving types, and either the deviation (``deviator``, ``belief``, ``reply``: a belief on
    the survivors, a best reply to it and a type that strictly gains from the message against
    it) or the surviving beliefs (pieces: best replies, a deterring reply, the constraints)."""

    def mixture(reply: Mixture) -> dict[str, Any]:
        return {game.actions[a]: fmt(x) for a, x in enumerate(reply) if x != 0}

    out: dict[str, Any] = {}
    for criterion, verdict in verdicts.items():
        per: dict[str, Any] = {}
        for mv in verdict.messages:
            entry: dict[str, Any] = {"passes": mv.passes, "pruned": [game.types[t] for t in mv.pruned],
                                     "survivors": [game.types[t] for t in mv.survivors]}
            if mv.passes:
                entry["surviving_beliefs"] = [
                    {"best_replies": [game.actions[a] for a in p.actions], "reply": mixture(p.reply),
                     "equalities": [_constraint(game, p.types, mv.message, row, "=", fmt) for row in p.equalities],
                     "inequalities": [_constraint(game, p.types, mv.message, row, "<=", fmt)
                                      for row in p.inequalities]}
                    for p in mv.pieces]
            else:
                assert mv.belief is not None and mv.reply is not None and mv.deviator is not None
                entry["deviator"] = game.types[mv.deviator]
                entry["belief"] = {game.types[t]: fmt(x) for t, x in enumerate(mv.belief)}
                entry["reply"] = mixture(mv.reply)
            per[game.messages[mv.message]] = entry
        out[criterion] = per
    return out


def _constraint(game: SignallingGame, types: tuple[int, ...], m: int, row: Sequence[Fraction], relation: str,
                fmt: Any) -> str:
    terms = [f"{fmt(c)}*P({game.types[t]} | {game.messages[m]})" for c, t in zip(row, types) if c != 0]
    return (" + ".join(terms).replace("+ -", "- ") if terms else "0") + f" {relation} 0"


def refinement_fields(game: SignallingGame, verdicts: Verdicts, fmt: Callable[[Fraction], Any]) -> dict[str, Any]:
    """The ``refinements`` fields of SPEC.md section 4 other than ``intuitive_criterion``: a
    boolean per criterion and the ``explanations`` (:func:`explanations`)."""
    return {**{c: verdicts[c].passes for c in CRITERIA if c != "intuitive_criterion"},
            "explanations": explanations(game, verdicts, fmt)}

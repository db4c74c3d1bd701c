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

Enumerating every support profile is complete: each PBE has exactly one. The search skips, without
losing any, the profiles that fail a necessary condition (see :meth:`Enumerator._candidates`):

1. *belief cells*: message by message, the pair (senders :math:`K_m`, replies :math:`B_m`)
   must have :math:`B_m` optimal at a belief with support exactly :math:`K_m` (on the path) or
   at some belief (off it); cells shrink as :math:`B_m` grows, so most are decided without a
   linear programme;
2. *each type alone*: :math:`U_S(t,m,\\rho_m)` ranges over an interval as :math:`\\rho_m` ranges
   over the mixtures with support :math:`B_m`; type :math:`t`'s equilibrium payoff must lie in
   the interval of every message it sends and be at least a point of every other one (exact
   interval arithmetic on the ranks of the payoffs);
3. *pairs of messages*: the :math:`\\rho`-face's constraints that involve two messages only
   (a small linear programme, cached; skipped when the uniform mixtures over the two reply
   supports satisfy every constraint, a witness of a non-empty face, or when the cached verdict
   of the pair with one sender fewer or more implies it: the constraints grow with the senders);
4. the :math:`\\sigma`-face decomposes into blocks, the connected components of the graph
   linking types to the messages they send; a block whose messages have one sender each is
   non-empty given (1), the others are decided once per distinct block (infeasible without a
   linear programme when a block with one reply fewer is; :mod:`~intelgame.solvers.pbe.sigma_blocks`).

Messages are assigned depth-first, so (1)-(3) cut whole subtrees, and an option is dropped
before its pair tests when no option of the next message passes (2) after it, or when it leaves
a type that has sent nothing no message to send; the :math:`\\rho`-face is examined only for
the profiles that remain. Faces are computed by
:mod:`intelgame.geometry.faces`, exactly (rationals) or in floating point with filtered
decisions (on the normalised game, with an exact fallback: ``docs/certified_float.md``), by the
same code. A face that is not a single point is a continuum of PBE; it is
reported once, with a representative point and the range of every probability. The result
is listed in the order of the plain enumeration (sender profiles, then on-path replies, then
off-path replies), pure PBE first.

References: Fudenberg and Tirole (1991), *Game Theory*, ch. 8; Cho and Kreps (1987), QJE 102.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from intelgame.errors import SolverError, Uncertain, WorkLimitExceeded
from intelgame.games.signalling import SignallingGame
from intelgame import interrupts
from intelgame.geometry.faces import (FLOAT_TOLERANCE, Arithmetic, ExactArithmetic, Face, FloatArithmetic, LinearSystem,
                                     satisfies)
from intelgame.geometry.numbers import Number
from intelgame.geometry.supports import subsets
from intelgame.solvers.pbe.result import PBE, BeliefSet, PBEResult, bayes_belief, equilibrium_payoffs, to_float
from intelgame.solvers.pbe.payoff_intervals import (UNLIMITED, Interval, game_ranks, meet_all,
                                                   message_interval)
from intelgame.solvers.pbe.belief_cells import tie_gap_count
from intelgame.solvers.pbe.sigma_blocks import SigmaBlocks
from intelgame.solvers.pbe.systems import feature, pair_layout, receiver_layout

#: The work counted for each step of the search besides its linear systems (measured: a step's
#: bookkeeping costs about as much as a thousand tableau entries of pivoting).
STEP_WORK = 1000


class Enumerator(SigmaBlocks):
    """The support enumeration of one game in one arithmetic."""

    def __init__(self, game: SignallingGame, arithmetic: Arithmetic, max_work: int | None = None) -> None:
        super().__init__(game, arithmetic)
        self.max_work = max_work
        #: Try :meth:`_uniform_witness` before a pair test's linear programme (the verdicts are
        #: the same; tests switch it off to compare).
        self.use_witness = True
        self._ranks: list[int] = []

    def offpath_belief_set(self, m: int, actions: tuple[int, ...], face: Face | None = None) -> BeliefSet | None:
        """The whole set of beliefs supporting ``actions`` after an off-path message ``m``
        (``face``: that closed cell, if already computed)."""
        everyone = tuple(range(self.n_t))
        if face is None:
            face = self.cell(m, everyone, actions, False)
        if face is None:
            return None
        eqs, ubs = self.rows(m, everyone, actions, game_units=True)
        return BeliefSet(m, tuple(eqs), tuple(ubs), face.lower, face.upper, self._nice_belief(m, actions, face))

    def _nice_belief(self, m: int, actions: tuple[int, ...], face: Face) -> tuple[Number, ...]:
        """A supporting belief, preferring a point mass on one type (first in type order)."""
        for t in range(self.n_t):
            if self.has_cell(m, (t,), actions, False):
                return tuple(self.one if s == t else self.zero for s in range(self.n_t))
        return face.point

    # -- the two faces of a support profile ---------------------------------------------------
    def receiver_system(self, supports: Sequence[tuple[int, ...]], replies: Sequence[tuple[int, ...]]) -> LinearSystem:
        """The rho-face's system (:func:`~intelgame.solvers.pbe.systems.receiver_layout`):
        variables ``rho(a|m)`` for ``a in B_m``, message-major."""
        return receiver_layout(self.shape, tuple(supports), tuple(replies)).system(self.us_flat, self.zero, self.one)

    # -- assembling an equilibrium ------------------------------------------------------------
    def receiver_matrix(self, replies: Sequence[tuple[int, ...]], values: Sequence[Number]) -> list[list[Number]]:
        """The receiver's strategy ``rho[m][a]`` with ``values`` on the rho-face's variables
        (``a in B_m``, message-major, as :meth:`receiver_system`) and zero elsewhere."""
        receiver = [[self.zero] * self.n_a for _ in range(self.n_m)]
        for (m, a), x in zip(((n, b) for n in range(self.n_m) for b in replies[n]), values):
            receiver[m][a] = x
        return receiver

    def assemble(self, supports: Sequence[tuple[int, ...]], replies: Sequence[tuple[int, ...]],
                 sigma: Face, rho: Face, offpath: dict[int, BeliefSet]) -> PBE:
        """Turn two faces into a :class:`PBE` at their representative points."""
        z = self.zero
        sender = [[z] * self.n_m for _ in range(self.n_t)]
        s_range = [[(z, z)] * self.n_m for _ in range(self.n_t)]
        for k, (t, m) in enumerate((s, n) for s in range(self.n_t) for n in supports[s]):
            sender[t][m] = sigma.point[k]
            s_range[t][m] = (sigma.lower[k], sigma.upper[k])
        receiver = self.receiver_matrix(replies, rho.point)
        r_range = [[(z, z)] * self.n_a for _ in range(self.n_m)]
        for k, (m, a) in enumerate((n, b) for n in range(self.n_m) for b in replies[n]):
            r_range[m][a] = (rho.lower[k], rho.upper[k])
        beliefs = []
        for m in range(self.n_m):
            if m in offpath:
                beliefs.append(offpath[m].representative)
                continue
            beliefs.append(bayes_belief(self.prior, sender, m))
        sender_payoffs, receiver_payoff = equilibrium_payoffs(self.prior, self.payoffs_s, self.payoffs_r, sender, receiver)
        return PBE(
            sender=tuple(map(tuple, sender)), receiver=tuple(map(tuple, receiver)),
            beliefs=tuple(beliefs), on_path=tuple(m not in offpath for m in range(self.n_m)),
            offpath_beliefs=tuple(offpath.get(m) for m in range(self.n_m)),
            sender_range=tuple(map(tuple, s_range)), receiver_range=tuple(map(tuple, r_range)),
            sender_payoffs=sender_payoffs, receiver_payoff=receiver_payoff,
            sender_support=tuple(tuple(s) for s in supports), receiver_support=tuple(tuple(b) for b in replies),
        )

    # -- the enumeration ----------------------------------------------------------------------
    def run(self, progress: Callable[[int, int], None] | None) -> list[PBE]:
        """Every PBE, in the order of the plain enumeration (sender support profiles, then
        on-path replies, then off-path replies, each in :func:`~intelgame.geometry.supports.subsets` order), pure first.

        The search is organised by message instead of by sender profile (see
        :meth:`_candidates`); it visits exactly the support profiles that pass the necessary
        conditions below and decides each with the same two faces, so it finds the same PBE.
        """
        n_t, n_m = self.n_t, self.n_m
        self.positive = tuple(self.ar.is_positive(p) for p in self.prior)
        total = int((2 ** n_m - 1) ** n_t)
        if progress is not None:
            progress(0, total)
        found: list[tuple[Sequence[tuple[int, ...]], Sequence[tuple[int, ...]], PBE]] = []
        sigma_faces: dict[Any, Face] = {}
        senders = [t for t in range(n_t) if self.positive[t]]
        for supports, replies in self._candidates(progress, total):
            self._check_work()
            sent = {m for t in senders for m in supports[t]}
            on_path = [m for m in range(n_m) if m in sent]
            off_path = [m for m in range(n_m) if m not in sent]
            if not self._sigma_feasible(supports, replies, on_path):
                continue
            rho = self.ar.open_face(self.receiver_system(supports, replies))
            if rho is None:
                continue
            on_replies = tuple(replies[m] for m in on_path)
            key = (tuple(supports), on_replies)
            if key not in sigma_faces:
                face = self.ar.open_face(self.sender_system(supports, dict(zip(on_path, on_replies))))
                if face is None:  # cannot happen: the components were feasible
                    raise SolverError("the sigma-face became empty")
                sigma_faces[key] = face
            offpath: dict[int, BeliefSet] = {}
            for m in off_path:
                belief_set = self.offpath_belief_set(m, replies[m])
                if belief_set is None:  # cannot happen: _options kept only non-empty cells
                    raise SolverError("an off-path belief cell became empty")
                offpath[m] = belief_set
            found.append((supports, replies, self.assemble(supports, replies, sigma_faces[key], rho, offpath)))
        if progress is not None:
            progress(total, total)
        return plain_order(found, n_m, self.n_a)

    def _check_work(self) -> None:
        """Count one step of the search (a support profile or a set of senders: the bookkeeping
        around its linear systems, :data:`STEP_WORK`) and raise
        :class:`~intelgame.errors.WorkLimitExceeded` once the arithmetic's work passes ``max_work``."""
        interrupts.check()
        if self.max_work is None:
            return
        self.ar.work += STEP_WORK
        if self.ar.work > self.max_work:
            raise WorkLimitExceeded(self.ar.work, self.max_work, self.game)

    # -- necessary conditions -------------------------------------------------------------------
    def _options(self, m: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """The pairs ``(K, B)`` the message ``m`` can have in a PBE: ``K`` its (positive-prior)
        senders and ``B`` the receiver's support after it. On the path (``K`` non-empty) ``B``
        must be optimal at a belief with support exactly ``K`` (the Bayes posterior); off the
        path (``K = ()``) at some belief, i.e., at a belief with some support exactly: the
        closed cell is the union of the open cells of the supports. Cells shrink as ``B``
        grows, so a ``B`` one of whose one-smaller subsets has an empty cell is skipped
        without a linear programme."""
        positive = {t for t in range(self.n_t) if self.positive[t]}
        on_path: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        somewhere: set[tuple[int, ...]] = set()
        for senders in subsets(self.n_t):
            self._check_work()
            alive: set[tuple[int, ...]] = set()
            for actions in subsets(self.n_a):
                if len(actions) > 1 and any(actions[:k] + actions[k + 1:] not in alive for k in range(len(actions))):
                    continue
                if self.has_cell(m, senders, actions, True):
                    alive.add(actions)
                    somewhere.add(actions)
                    if positive.issuperset(senders):
                        on_path.append((senders, actions))
        off_path = [((), actions) for actions in subsets(self.n_a) if actions in somewhere]
        return off_path + on_path

    def _constraints(self, t: int, m: int, actions: tuple[int, ...]) -> tuple[Interval, Interval]:
        """What type ``t`` needs of its equilibrium payoff if the receiver mixes exactly over
        ``actions`` after ``m``: ``(if t sends m, if it does not)``, in payoff ranks
        (:func:`~intelgame.solvers.pbe.payoff_intervals.message_interval`)."""
        values = [self._ranks[feature(self.shape, t, m, a)] for a in actions]
        lo, hi = min(values), max(values)
        return message_interval(lo, hi, True), message_interval(lo, hi, False)

    def _candidates(self, progress: Callable[[int, int], None] | None,
                    total: int) -> Iterator[tuple[list[tuple[int, ...]], list[tuple[int, ...]]]]:
        """The support profiles ``(S, B)`` that pass two necessary conditions of a PBE:

        * every message's ``(K_m, B_m)`` is one of its :meth:`_options` (``K_m`` the positive
          types whose ``S_t`` contains ``m``);
        * each type's own constraints on the rho-face are feasible on their own: with
          ``v_t`` its equilibrium payoff, ``v_t`` lies in the interval of every message it
          sends and is at least a point of the interval of every other message
          (:meth:`_constraints`); those are the rho-face's constraints on type ``t`` alone,
          with ``rho`` free message by message, hence implied by the rho-face.

        Messages are assigned one at a time (depth-first), each type keeping the interval of
        its feasible ``v_t``; a branch is cut when one becomes empty, when a positive-prior
        type has sent nothing and no later message can be sent by it, or (looking one message
        ahead) when no option of the next message survives; the pair test of the module
        docstring's (3) runs last, on the options that remain. Zero-prior types (never in any
        ``K_m``) get their supports at the leaves, by the same interval test.
        """
        n_t, n_m = self.n_t, self.n_m
        # the interval tests compare payoffs only, so they run on ranks (in floats, payoffs the
        # filter reads as ties share a rank; a near tie raises Uncertain)
        self._ranks = game_ranks(self.us_flat, exact=self.ar.exact)
        options = [self._options(m) for m in range(n_m)]
        action_sets = subsets(self.n_a)
        cons = {(t, m, b): self._constraints(t, m, b) for t in range(n_t) for m in range(n_m) for b in action_sets}
        tracked = [t for t in range(n_t) if self.positive[t]]
        zero_prior = [t for t in range(n_t) if not self.positive[t]]
        message_sets = subsets(n_m)
        # per message, per option (rows) and tracked type (columns): the constraint's two ends,
        # so that a node of the search meets every option's intervals at once
        ends = [[[cons[t, m, actions][0 if t in senders else 1] for t in tracked] for senders, actions in options[m]]
                for m in range(n_m)]
        lows = [np.array([[c[0] for c in row] for row in e], dtype=np.int64).reshape(len(e), len(tracked)) for e in ends]
        highs = [np.array([[c[1] for c in row] for row in e], dtype=np.int64).reshape(len(e), len(tracked)) for e in ends]
        # per message, each option's senders as a bit mask of types; reach[m]: the types that
        # messages m, m + 1, ... can still be sent by (every tracked type sends some message)
        senders_mask = [np.array([sum(1 << t for t in senders) for senders, _ in options[m]], dtype=np.int64)
                        for m in range(n_m)]
        reach = [0] * (n_m + 1)
        for m in reversed(range(n_m)):
            reach[m] = reach[m + 1] | int(np.bitwise_or.reduce(senders_mask[m], initial=0))
        supports: list[list[int]] = [[] for _ in range(n_t)]
        replies: list[tuple[int, ...]] = [()] * n_m
        chosen: list[tuple[tuple[int, ...], tuple[int, ...]]] = [((), ())] * n_m
        pairs: dict[tuple[Any, ...], bool] = {}
        use_pairs = n_m > 2  # with two messages the pair test is the leaf's own rho-test

        def compatible(m: int, option: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
            """The pairwise rho-test of ``option`` at ``m`` with every earlier message's option."""
            for k in range(m):
                key = (k, chosen[k], m, option)
                ok = pairs.get(key)
                if ok is None:
                    ok = _pair_implied(pairs, key, tracked)
                    if ok is None:
                        ok = self._pair_feasible(k, chosen[k], m, option)
                    pairs[key] = ok
                if not ok:
                    return False
            return True

        def viable(m: int, low: np.ndarray, high: np.ndarray, silent: np.ndarray) -> np.ndarray:
            """For each of ``len(low)`` nodes (rows: the tracked types' intervals ``low``, ``high``
            and the types that have sent nothing yet, ``silent``, a bit mask) and each option
            of message ``m`` (columns): whether the option keeps every interval non-empty and
            leaves every silent type a message to send (``m`` itself or a later one)."""
            meets = (np.maximum(lows[m], low[:, None]) <= np.minimum(highs[m], high[:, None])).all(axis=2)
            need = silent[:, None]
            ok: np.ndarray = meets & (((senders_mask[m] | reach[m + 1]) & need) == need)
            return ok

        def leaves(m: int, low: np.ndarray, high: np.ndarray, silent: int,
                   alive: np.ndarray) -> Iterator[tuple[list[tuple[int, ...]], list[tuple[int, ...]]]]:
            """The leaves below a node at message ``m`` whose viable options are ``alive``."""
            if m == n_m:
                if not zero_prior:
                    yield [tuple(s) for s in supports], list(replies)
                    return
                choices = [[s for s in message_sets if meet_all(
                    [cons[t, k, replies[k]][0 if k in s else 1] for k in range(n_m)]) is not None]
                    for t in zero_prior]
                for extra in itertools.product(*choices):
                    full = [tuple(s) for s in supports]
                    for t, s in zip(zero_prior, extra):
                        full[t] = s
                    yield full, list(replies)
                return
            new_low = np.maximum(lows[m], low)  # meet, every option at once
            new_high = np.minimum(highs[m], high)
            after = silent & ~senders_mask[m]
            index = np.flatnonzero(alive)
            if m + 1 < n_m:  # look one message ahead: an option none of whose children is viable has no leaf
                ahead = viable(m + 1, new_low[index], new_high[index], after[index])
                keep = ahead.any(axis=1)
                children = dict(zip(index[keep].tolist(), ahead[keep]))
            else:
                children = dict.fromkeys(index.tolist(), np.ones(0, dtype=bool))
            for k in range(len(options[m])) if m == 0 else children:
                if m == 0:
                    if progress is not None:
                        progress(k * total // len(options[0]), total)
                    if k not in children:
                        continue
                senders, actions = option = options[m][k]
                if use_pairs and m and not compatible(m, option):
                    continue
                replies[m] = actions
                chosen[m] = option
                for t in senders:
                    supports[t].append(m)
                yield from leaves(m + 1, new_low[k], new_high[k], int(after[k]), children[k])
                for t in senders:
                    supports[t].pop()

        low = np.array([UNLIMITED[0]] * len(tracked), dtype=np.int64)
        high = np.array([UNLIMITED[1]] * len(tracked), dtype=np.int64)
        silent = sum(1 << t for t in tracked)
        yield from leaves(0, low, high, silent, viable(0, low[None], high[None], np.array([silent]))[0])

    def _pair_feasible(self, m1: int, option1: tuple[tuple[int, ...], tuple[int, ...]],
                       m2: int, option2: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
        """The rho-face's constraints between two messages alone: with ``(K_i, B_i)`` their
        senders and replies, a positive-prior type in ``K_1`` and ``K_2`` is indifferent
        between them, one in ``K_1`` only weakly prefers ``m1`` (and symmetrically); the
        variables are ``rho(.|m1)``, ``rho(.|m2)`` with supports exactly ``B_1``, ``B_2``.
        Implied by the rho-face (each is an equality or inequality of one type's system, via
        that type's reference message), hence necessary. Constraints of a single type are
        already implied by the interval test, so only pairs where two or more types
        constrain a mixed reply are decided, by a linear programme, unless the uniform mixtures
        over ``B_1`` and ``B_2`` already satisfy every constraint (:meth:`_uniform_witness`)."""
        if len(option1[1]) == 1 and len(option2[1]) == 1:
            return True
        layout = pair_layout(self.shape, m1, option1, m2, option2, tuple(self.positive))
        if len(layout.equalities) + len(layout.inequalities) < 2:
            return True
        system = layout.system(self.us_flat, self.zero, self.one)
        if self.use_witness and self._uniform_witness(system, (len(option1[1]), len(option2[1]))):
            return True
        return self.ar.open_point(system) is not None

    def _uniform_witness(self, system: LinearSystem, blocks: tuple[int, ...]) -> bool:
        """Whether the point that mixes uniformly within each block of variables (sizes
        ``blocks``, in order) satisfies ``system``: a point with every coordinate ``> 0``, so
        if it does, the open face is non-empty and the linear programme that would decide it
        is not needed. Only ever answers yes for a non-empty face (sound); on the pair systems
        of random 4x4x4 games it decides about 40% of them (the others go to the LP)."""
        point = [self.one / self.ar.number(size) for size in blocks for _ in range(size)]
        return satisfies(self.ar, system, point)

def _pair_implied(pairs: dict[tuple[Any, ...], bool], key: tuple[Any, ...], positive: Sequence[int]) -> bool | None:
    """The verdict of :meth:`Enumerator._pair_feasible` on ``key = (m1, (K_1, B_1), m2, (K_2,
    B_2))`` if ``pairs`` (verdicts by key) already implies it, else ``None``. With the replies
    fixed, the pair system's constraints grow with the senders (a type in neither ``K_i`` adds
    none, in one an inequality, in both an equality that implies it), so a pair with one sender
    fewer known infeasible makes it infeasible, and one with a (positive-prior) sender more known
    feasible makes it feasible (the short cuts to "feasible" of ``_pair_feasible``, too, hold
    for fewer senders when they hold for more)."""
    m1, (k1, b1), m2, (k2, b2) = key
    for t in k1:
        if pairs.get((m1, (tuple(s for s in k1 if s != t), b1), m2, (k2, b2))) is False:
            return False
    for t in k2:
        if pairs.get((m1, (k1, b1), m2, (tuple(s for s in k2 if s != t), b2))) is False:
            return False
    for t in positive:
        if t not in k1 and pairs.get((m1, (tuple(sorted(k1 + (t,))), b1), m2, (k2, b2))):
            return True
        if t not in k2 and pairs.get((m1, (k1, b1), m2, (tuple(sorted(k2 + (t,))), b2))):
            return True
    return None


def plain_order(found: Sequence[tuple[Sequence[tuple[int, ...]], Sequence[tuple[int, ...]], PBE]],
                n_m: int, n_a: int) -> list[PBE]:
    """The PBE of ``(supports, replies, pbe)`` triples found in any order, in the order of the
    plain enumeration (sender support profiles, then on-path replies, then off-path replies,
    each in :func:`~intelgame.geometry.supports.subsets` order), pure PBE first."""
    message_rank = {s: k for k, s in enumerate(subsets(n_m))}
    action_rank = {b: k for k, b in enumerate(subsets(n_a))}

    def order(item: tuple[Sequence[tuple[int, ...]], Sequence[tuple[int, ...]], PBE]) -> tuple[Any, ...]:
        supports, replies, pbe = item
        return (not pbe.is_pure, tuple(message_rank[s] for s in supports),
                tuple(action_rank[replies[m]] for m in range(n_m) if pbe.on_path[m]),
                tuple(action_rank[replies[m]] for m in range(n_m) if not pbe.on_path[m]))

    return [pbe for _, _, pbe in sorted(found, key=order)]


def pbe_solve(game: SignallingGame, *, exact: bool = False,
              progress: Callable[[int, int], None] | None = None, max_work: int | None = None) -> PBEResult:
    """All perfect Bayesian equilibria of a finite signalling game.

    Parameters
    ----------
    game:
        The signalling game (numeric entries).
    exact:
        Return exact rationals (needs rational payoffs and prior). Otherwise the result is in
        floats, with the same equilibria: the float enumeration is *filtered* (see
        :mod:`intelgame.geometry.faces`): when one of its decisions is not certain, the game
        is solved exactly and the exact result converted to floats (``result.method`` then
        says so). A float entry stands for its shortest decimal ``repr``
        (:func:`~intelgame.games.signalling.exact_number`), as ``--grid`` values do.
    progress:
        Called as ``progress(done, total)`` over the sender support profiles.
    max_work:
        A budget of work (tableau entries, see :attr:`~intelgame.geometry.faces.FloatArithmetic.work`);
        beyond it :class:`~intelgame.errors.WorkLimitExceeded` is raised (``None``: no limit).

    Returns
    -------
    PBEResult
        Every PBE, one entry per support profile (pure first); a continuum is one entry with
        ranges. See the module docstring for the algorithm.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from intelgame.games import SignallingGame
    >>> g = SignallingGame.from_payoffs(name="coordination", types=["a", "b"], messages=["x", "y"],
    ...     actions=["l", "r"], prior=[Fraction(1, 2), Fraction(1, 2)],
    ...     payoffs={"a": {"x": {"l": (1, 1), "r": (0, 0)}, "y": {"l": (1, 1), "r": (0, 0)}},
    ...              "b": {"x": {"l": (0, 0), "r": (1, 1)}, "y": {"l": (0, 0), "r": (1, 1)}}})
    >>> sum(1 for e in pbe_solve(g, exact=True) if e.is_pure)  # two separating, two pooling on each message
    6
    >>> len(pbe_solve(g)) == len(pbe_solve(g, exact=True))  # cheap talk: ties everywhere
    True
    >>> import dataclasses
    >>> near = dataclasses.replace(g, prior=(Fraction(1, 2) + Fraction(1, 10**12), Fraction(1, 2) - Fraction(1, 10**12)))
    >>> pbe_solve(near).method  # a near tie: the float filter hands the game over
    'support_enumeration (exact: float decisions uncertain)'
    """
    if not game.is_numeric:
        raise SolverError("pbe_solve needs numeric payoffs; use intelgame.symbolic for symbolic ones")
    if exact and not game.is_rational:
        raise SolverError("exact mode needs rational payoffs and prior (a parameter evaluated to an irrational float)")
    if max_work is not None:
        check_work(game, max_work, exact)  # refuse before any work what the belief cells or the input check exceed
    method = "support_enumeration"
    if exact:
        enumerator = Enumerator(game, ExactArithmetic(), max_work)
        equilibria = enumerator.run(progress)
        return PBEResult(game, tuple(equilibria), method, True, 0.0, enumerator.ar.work)
    why = "float entries read as decimals"  # floats stand for decimals, which floats cannot represent
    spent = 0
    if game.is_rational:
        arithmetic = FloatArithmetic()
        try:
            equilibria = Enumerator(game, arithmetic, max_work).run(progress)
            return PBEResult(game, tuple(equilibria), method, False, FLOAT_TOLERANCE, arithmetic.work)
        except Uncertain:
            why, spent = "float decisions uncertain", arithmetic.work
    enumerator = Enumerator(game.to_rational(), ExactArithmetic(), None if max_work is None else max_work - spent)
    equilibria = [to_float(e) for e in enumerator.run(progress)]
    return PBEResult(game, tuple(equilibria), f"{method} (exact: {why})", False, FLOAT_TOLERANCE,
                     spent + enumerator.ar.work)


def minimum_work(game: SignallingGame) -> int:
    """Work the enumeration does before its first support profile, in the units of
    :attr:`~intelgame.geometry.faces.FloatArithmetic.work`: the belief cells it examines,
    :math:`|M| (2^{|T|}-1)(2^{|A|}-1)`, each a system of about :math:`(|T|+1)(|A|+1)` entries.
    A lower bound of the work a budgeted solve counts (its steps included; checked on random and
    degenerate games of every shape up to 3 x 3 x 2 by ``tests/test_work_budget.py``, not proven)."""
    return shape_work(game.shape)


def shape_work(shape: tuple[int, int, int]) -> int:
    """:func:`minimum_work` of any game of ``shape`` ``(T, M, A)`` (it depends on nothing else)."""
    n_t, n_m, n_a = shape
    return int(n_m * (2 ** n_t - 1) * (2 ** n_a - 1) * (n_t + 1) * (n_a + 1))


class WorkBudget:
    """A budget of work (tableau entries) shared by several solves, e.g. a sweep's games: each
    solve is given what :meth:`remaining` and is charged what it did (:meth:`charge`).

    >>> budget = WorkBudget(1000)
    >>> budget.charge(600); budget.remaining()
    400
    """

    def __init__(self, limit: int, spent: int = 0, subject: object = None, scope: str = "the enumeration") -> None:
        self.limit, self.spent, self.scope = limit, spent, scope
        #: What an error names when no game is given (an object with ``name`` and ``shape``).
        self.subject = subject

    def remaining(self) -> int:
        """What is left of the budget (at least 0)."""
        return max(0, self.limit - self.spent)

    def solve(self, game: SignallingGame, *, exact: bool = False) -> PBEResult:
        """:func:`pbe_solve` of ``game`` within what remains, charged with its work; beyond the
        budget the error counts the work of the whole budget."""
        try:
            result = pbe_solve(game, exact=exact, max_work=self.remaining())
        except WorkLimitExceeded as exc:
            raise WorkLimitExceeded(self.spent + exc.work, self.limit, game, scope=self.scope) from None
        self.charge(result.work, game)
        return result

    def charge(self, work: int, game: object = None) -> None:
        """Count ``work`` done on ``game``; :class:`~intelgame.errors.WorkLimitExceeded` once
        the total passes the limit."""
        interrupts.check()
        self.spent += work
        if self.spent > self.limit:
            raise WorkLimitExceeded(self.spent, self.limit, self.subject if game is None else game, scope=self.scope)


def upfront_work(shape: tuple[int, int, int], exact: bool = False) -> int:
    """What a game of ``shape`` needs before its first support profile: :func:`shape_work` (its
    belief cells), or on the float path (not ``exact``) the larger of that and its input check of near ties,
    :func:`~intelgame.solvers.pbe.belief_cells.tie_gap_count` gaps (:math:`O(T^2 (MA)^4)`: 3 x 10
    x 10, 37 million), each a few vectorised float operations counted as one tableau entry (an
    overestimate of its time: a gap takes nanoseconds, an entry of the budget about half a
    microsecond). The budgets refuse on it before any work, so a shape whose check alone passes
    the budget is refused before the check; the check is not counted in a result's ``work``
    (the batch charges it up front, :func:`~intelgame.solvers.pbe.batch.pbe_table_many`)."""
    return shape_work(shape) if exact else max(shape_work(shape), tie_gap_count(shape))


def check_work(game: SignallingGame, max_work: int, exact: bool = False) -> None:
    """Refuse, before any work, a game whose :func:`upfront_work` exceeds ``max_work``."""
    work = upfront_work(game.shape, exact)
    if work > max_work:
        detail = "" if exact else upfront_detail(game.shape)
        raise WorkLimitExceeded(work, max_work, game, before=True, detail=detail)


def upfront_detail(shape: tuple[int, int, int]) -> str:
    """What a refusal on :func:`upfront_work` names when the input check is the larger part."""
    gaps = tie_gap_count(shape)
    return (f" (its check of near ties: {gaps:.3g} gaps, counted as entries; --exact has no such check)"
            if gaps > shape_work(shape) else "")


def estimate_profiles(game: SignallingGame) -> int:
    """The sender support profiles, :math:`(2^{|M|}-1)^{|T|}` (each with up to
    :math:`(2^{|A|}-1)^{|M|}` receiver supports): the size of the search, and the ``total`` that
    :func:`pbe_solve` reports to ``progress`` (the search itself skips most of them)."""
    n_t, n_m, _ = game.shape
    return int((2**n_m - 1) ** n_t)

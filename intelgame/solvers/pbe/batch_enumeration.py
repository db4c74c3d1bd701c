"""The support enumeration of a batch of signalling games of one shape (all priors positive),
decided for all the games at once: the engine of :mod:`intelgame.solvers.pbe.batch`.

Each stage builds the systems of :mod:`intelgame.solvers.pbe.systems` as affine maps of the
stacked payoffs and decides them with :func:`~intelgame.geometry.vertices.batch_faces`; the
games still alive after each test are carried down the enumeration as index arrays. The PBE are
assembled as :class:`~intelgame.solvers.pbe.enumeration.Enumerator` assembles them, vectorised
over all the profiles and games.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from intelgame import interrupts
from intelgame.geometry.faces import FILTER_BAND
from intelgame.geometry.supports import subsets
from intelgame.geometry.vertices import Faces, batch_faces, distinct_rows
from intelgame.solvers.pbe.enumeration import STEP_WORK
from intelgame.solvers.pbe.belief_cells import INPUT_FLOOR, gap_flags, tie_gap_blocks, unit_receiver, unit_sender
from intelgame.solvers.pbe.payoff_intervals import UNLIMITED, meet, message_interval, nonempty, payoff_ranks
from intelgame.solvers.pbe.result import PBE, BeliefSet
from intelgame.solvers.pbe.systems import Layout, apply_stacked, cell_layout, receiver_layout, sender_layout
from intelgame.solvers.pbe.table import EquilibriumTable
from intelgame.speed.frozen import positional_constructor
from intelgame.speed.short_axes import every, largest

#: A profile's strategy rows are deduplicated (each distinct row converted to tuples once) from
#: this many games on; below, hashing costs more than it saves.
_DEDUPLICATE_ROWS = 16

#: The candidate search meets at most this many (state, option, type) entries at once
#: (``BatchEnumerator._candidates``): about 16 MB of interval ends.
_FRONTIER = 1 << 20

Support = tuple[int, ...]


class BatchEnumerator:
    """The support enumeration of a batch of games of one shape, all priors positive."""

    def __init__(self, arrays: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        self.payoffs_s, prior, self.payoffs_r = arrays  # (N, T, M, A), (N, T), (N, T, M, A)
        self.n_games, (self.n_t, self.n_m, self.n_a) = len(prior), self.payoffs_s.shape[1:]
        self.shape = (self.n_t, self.n_m, self.n_a)
        self.types, self.positive = tuple(range(self.n_t)), (True,) * self.n_t  # every prior is positive
        # the systems are built from the normalised payoffs of
        # :func:`~intelgame.solvers.pbe.belief_cells.normalised_payoffs`, here in floats
        self.us, _, spread = unit_sender(self.payoffs_s)
        self._doubt_game = np.zeros(self.n_games, dtype=bool)
        # The cells and the sigma-faces depend on the prior and u_R only: they are decided once
        # per receiver class (games equal in both; a sweep over a sender parameter has few).
        keys = np.concatenate([prior, self.payoffs_r.reshape(self.n_games, -1)], axis=1)
        first, inverse = distinct_rows(keys)
        order = np.argsort(first)  # classes numbered in order of first appearance
        self.representative = first[order]
        self.receiver_class = np.argsort(order)[inverse]
        self.prior = prior[self.representative]  # per class
        # per class; rows of the belief sets are reported times ``receiver_spread`` (game units)
        self.ur, self.receiver_spread = unit_receiver(self.payoffs_r[self.representative])
        self.ur_flat, self.us_flat = self.ur.reshape(len(self.ur), -1), self.us.reshape(len(self.us), -1)
        self.everyone = np.arange(len(self.representative))
        self._memo: dict[tuple[Any, ...], Any] = {}  # interned strategy and range tuples
        self._payoff_ranks: np.ndarray | None = None
        self._rank_ranges: dict[tuple[int, Support], tuple[np.ndarray, np.ndarray]] = {}
        #: Called with the work of each candidate profile the search finds (:data:`STEP_WORK`
        #: for each game where it is one, as the per-game search counts a step); a budget's
        #: ``charge`` stops a batch of degenerate games as it stops one game (``None``: not counted).
        self.charge: Callable[[int], None] | None = None
        self.sigma_first: bool | None = None  # which face goes first (see run); None: planned on cost
        # near ties in the input (tie_gap_blocks: the per-game path's test, in floats, reduced
        # block by block to flags, in bounded memory): sender parts per
        # game, prior and receiver parts per class. A gap in (INPUT_FLOOR, band) is doubtful; one
        # in (0, INPUT_FLOOR] is a rounded tie or a gap below the floats' resolution, which only
        # the exact values tell apart: those games are listed by :meth:`tie_checks` (the caller
        # decides them exactly, as the per-game path does); a gap of exactly 0.0 is a tie. The
        # sender and receiver gaps are differences of the payoffs over the spreads (exact for integers)
        game_near, game_below, _ = gap_flags(
            tie_gap_blocks(prior, self.us, self.us, sender=(self.payoffs_s, spread), parts="sender"),
            self.n_games, INPUT_FLOOR, FILTER_BAND)
        class_near, class_below, _ = gap_flags(
            tie_gap_blocks(self.prior, self.ur, self.ur, receiver=(self.payoffs_r[self.representative],
                                                                   self.receiver_spread), parts="receiver"),
            len(self.prior), INPUT_FLOOR, FILTER_BAND)
        self._doubt_game |= game_near
        self._doubt_class = class_near
        self._tie_checks = game_below | class_below[self.receiver_class]

    def tie_checks(self) -> np.ndarray:
        """(N,) bool: the games with an input gap in ``(0, INPUT_FLOOR]`` (floats): their answer
        stands only if the exact game has no near tie
        (:class:`~intelgame.solvers.pbe.belief_cells.BeliefCells`' check); otherwise the game must
        be solved on its own, as :meth:`doubtful` ones are."""
        return np.asarray(self._tie_checks)

    def doubtful(self) -> np.ndarray:
        """(N,) bool, after :meth:`run` or :meth:`table`: the games for which some float decision
        was uncertain (their rows must be discarded and the games solved on their own)."""
        return np.asarray(self._doubt_game | self._doubt_class[self.receiver_class])

    # -- the linear systems (those of pbe.Enumerator, stacked over the receiver classes or the
    #    games ``g``: the layouts of :mod:`~intelgame.solvers.pbe.systems` as affine maps) ------
    def cell_system(self, g: np.ndarray, m: int, support: Support,
                    actions: Support) -> tuple[np.ndarray, ...]:
        """:meth:`BeliefCells.system`: beliefs on ``support`` making ``actions`` optimal."""
        return cell_layout(self.shape, m, support, actions).affine.apply(self.ur_flat[g])

    def sender_system(self, g: np.ndarray, supports: Sequence[Support],
                      replies: dict[int, Support]) -> tuple[np.ndarray, ...]:
        """:meth:`Enumerator.sender_system` over the receiver classes ``g``: variables
        ``sigma(m|t)``, ``m in S_t``, type-major."""
        layout = sender_layout(self.shape, tuple(supports), tuple(replies.items()), self.types, self.positive)
        return layout.affine.apply(self.ur_flat[g], self.prior[g])

    def receiver_system(self, g: np.ndarray, supports: Sequence[Support],
                        replies: Sequence[Support]) -> tuple[np.ndarray, ...]:
        """:meth:`Enumerator.receiver_system` over the games ``g``: variables ``rho(a|m)``,
        ``a in B_m``, message-major."""
        return receiver_layout(self.shape, tuple(supports), tuple(replies)).affine.apply(self.us_flat[g])

    def _faces(self, system: tuple[np.ndarray, ...], strict: bool) -> Faces:
        return batch_faces(*system, strict=strict)

    # -- the enumeration ----------------------------------------------------------------------
    def _cells(self) -> tuple[dict[tuple[int, Support, Support], np.ndarray], dict[tuple[int, Support], Faces]]:
        """Strict cells on every support (as masks over the receiver classes; a set of actions is tried
        only where each one-smaller subset's cell is non-empty) and the closed cells on all
        types (faces: the off-path belief sets); level by level in the number of actions, each
        level's systems in one :meth:`_grouped_faces` call."""
        strict: dict[tuple[int, Support, Support], np.ndarray] = {}
        n_classes = len(self.everyone)
        for size in range(1, self.n_a + 1):
            level = []
            for m in range(self.n_m):
                for senders in subsets(self.n_t):
                    for actions in itertools.combinations(range(self.n_a), size):
                        alive = np.ones(n_classes, dtype=bool)
                        for k in range(size if size > 1 else 0):
                            alive &= strict[m, senders, actions[:k] + actions[k + 1:]]
                        level.append((m, senders, actions, np.flatnonzero(alive)))
            jobs = [(m, senders, actions, g) for m, senders, actions, g in level if len(g)]
            faces = self._split(self._grouped_faces([((len(senders),), cell_layout(self.shape, m, senders, actions), g)
                                                     for m, senders, actions, g in jobs], self.ur_flat, None, True), len(jobs))
            for m, senders, actions, _ in level:
                strict[m, senders, actions] = np.zeros(n_classes, dtype=bool)
            for (m, senders, actions, g), face in zip(jobs, faces):
                strict[m, senders, actions][g] = face.ok
                self._doubt_class[g[face.uncertain]] = True
        everyone = tuple(range(self.n_t))
        keys = [(m, actions) for m in range(self.n_m) for actions in subsets(self.n_a)]
        # kept: the off-path belief sets (_BeliefSets) are these cells' rows
        self.closed_systems = {(m, actions): self.cell_system(self.everyone, m, everyone, actions)
                               for m, actions in keys}
        closed = self._split(self._grouped_faces([((), cell_layout(self.shape, m, everyone, actions), self.everyone)
                                                  for m, actions in keys], self.ur_flat, None, False), len(keys))
        for face in closed:
            self._doubt_class |= face.uncertain
        return strict, dict(zip(keys, closed))

    def reply_sets(self) -> np.ndarray:
        """(N, M, 2**T, A) bool: whether action ``a`` is in :math:`BR(\\Delta(K), m)` of each
        game, the set of types :math:`K` written as a bitmask (bit ``t``: type ``t``; entry 0,
        the empty set, is False), read off the strict cells: a belief on :math:`K` at which
        ``a`` is optimal is strictly positive on its support :math:`K' \\subseteq K`, so
        :math:`a \\in BR(\\Delta(K), m)` iff some non-empty :math:`K' \\subseteq K` has a
        non-empty strict cell of ``{a}`` (the union over :math:`K` and :math:`K` less one type
        at a time). Decides the cells (as :meth:`run` does); valid for the games that
        :meth:`doubtful` and :meth:`tie_checks` leave after it."""
        strict = self._cells()[0]
        n_sets = 1 << self.n_t
        sets = np.zeros((len(self.everyone), self.n_m, n_sets, self.n_a), dtype=bool)
        for k in range(1, n_sets):  # increasing: every proper subset of k is done before k
            members = tuple(t for t in range(self.n_t) if k >> t & 1)
            for m in range(self.n_m):
                for a in range(self.n_a):
                    sets[:, m, k, a] = strict[m, members, (a,)]
            for t in members:
                sets[:, :, k] |= sets[:, :, k & ~(1 << t)]
        return np.asarray(sets[self.receiver_class])

    def run(self) -> list[list[PBE]]:
        """Every PBE of every game, in :func:`~intelgame.solvers.pbe.enumeration.pbe_solve`'s order, as
        ``PBE`` objects (built from :meth:`table`)."""
        return self._assemble(self._profiles())

    def table(self) -> EquilibriumTable:
        """Every PBE of every game as one table (``point`` is the game's index in the batch), in
        :func:`~intelgame.solvers.pbe.enumeration.pbe_solve`'s order."""
        return self._table(self._profiles())[0]

    def _profiles(self) -> list[_Profile]:
        """The PBE of every support profile, in the plain enumeration's order.

        Breadth first, each stage in one :func:`batch_faces` call per system layout (numpy's
        per-call cost, not the arithmetic, dominates these small systems). Which face goes
        first is planned on cost: a sigma-face is decided per receiver class and a rho-face per
        game, and either may reject a profile before the other is built. With few receiver
        classes (a sweep over a sender parameter: at most half as many as games), the
        sigma-faces go first and only the games whose class passed get rho-faces; otherwise
        (random games: a class per game) the rho-faces, which reject most rows, go first and
        only the classes where one held get sigma-faces (often continua, which cost more)."""
        n_t, n_m = self.n_t, self.n_m
        self.strict, self.closed = self._cells()
        self.belief_sets: dict[tuple[int, Support], _BeliefSets] = {}
        n_classes = len(self.everyone)
        on_jobs = self._candidates()
        sigma_first = self.sigma_first if self.sigma_first is not None else 2 * n_classes <= self.n_games
        if sigma_first:  # then the rho-faces of the games whose class passed
            sigmas = self._sigma_faces([(supports, path_replies, np.flatnonzero(alive))
                                        for supports, path_replies, alive, _ in on_jobs])
            for (_, _, alive, rho_jobs), sigma_of in zip(on_jobs, sigmas):
                alive[alive] = cast(tuple[np.ndarray, Faces], sigma_of)[1].ok
                rho_jobs[:] = [(replies, off_path, h[alive[self.receiver_class[h]]])
                               for replies, off_path, h in rho_jobs]
            helds = self._rho_faces(on_jobs)
        else:  # then the sigma-faces of the receiver classes where some rho-face held
            helds = self._rho_faces(on_jobs)
            for (_, _, alive, _), held in zip(on_jobs, helds):
                alive[:] = False
                for _, _, h, _ in held:
                    alive[self.receiver_class[h]] = True
            sigmas = self._sigma_faces([(supports, path_replies, np.flatnonzero(alive))
                                        for supports, path_replies, alive, _ in on_jobs])
        profiles = []
        for (supports, _, _, _), sigma_of, held in zip(on_jobs, sigmas, helds):
            if sigma_of is None or not held:
                continue
            classes, sigma = sigma_of
            row_of = np.full(n_classes, -1, dtype=np.intp)  # the sigma-face's row of a class where it holds
            row_of[classes[sigma.ok]] = np.flatnonzero(sigma.ok)
            for replies, off_path, h, rho in held:
                rows = row_of[self.receiver_class[h]]
                keep = np.flatnonzero(rows >= 0)
                if len(keep):
                    profiles.append(self._profile(h[keep], supports, replies, off_path, sigma.take(rows[keep]),
                                                  rho.take(keep)))
        return profiles

    def _sigma_faces(self, jobs: list[tuple[Sequence[Support], dict[int, Support], np.ndarray]]
                     ) -> list[tuple[np.ndarray, Faces] | None]:
        """The sigma-faces of each ``(S, B on the path, receiver classes)`` of ``jobs``, with
        their classes (``None`` for a job with no class)."""
        todo = [k for k, (_, _, g) in enumerate(jobs) if len(g)]
        layouts = [(tuple(map(len, supports)), sender_layout(self.shape, tuple(supports), tuple(path_replies.items()),
                                                             self.types, self.positive), g)
                   for supports, path_replies, g in map(jobs.__getitem__, todo)]
        faces = self._split(self._grouped_faces(layouts, self.ur_flat, self.prior, True), len(todo))
        out: list[tuple[np.ndarray, Faces] | None] = [None] * len(jobs)
        for k, face in zip(todo, faces):
            out[k] = (jobs[k][2], face)
            self._doubt_class[jobs[k][2][face.uncertain]] = True
        return out

    def _rho_faces(self, on_jobs: list[tuple[Any, ...]]
                   ) -> list[list[tuple[list[Support], list[int], np.ndarray, Faces]]]:
        """For each ``(S, B on the path)`` of ``on_jobs``, its rho jobs' ``(replies, off_path,
        games, faces)`` restricted to the games where the rho-face holds (jobs where none does
        left out)."""
        jobs = [(k, supports, replies, off_path, h) for k, (supports, _, _, rho_jobs) in enumerate(on_jobs)
                for replies, off_path, h in rho_jobs if len(h)]
        groups = self._grouped_faces([(tuple(map(len, replies)), receiver_layout(self.shape, tuple(supports), tuple(replies)), h)
                                      for _, supports, replies, _, h in jobs], self.us_flat, None, True)
        found: list[tuple[np.ndarray, Faces] | None] = [None] * len(jobs)
        for members, games, starts, faces in groups:  # the held rows, job by job (most jobs hold none)
            self._doubt_game[games[faces.uncertain]] = True
            rows = np.flatnonzero(faces.ok)
            job = np.searchsorted(starts, rows, side="right") - 1
            firsts = np.flatnonzero(np.diff(job, prepend=-1))
            for first, end, j in zip(firsts.tolist(), np.append(firsts[1:], len(rows)).tolist(), job[firsts].tolist()):
                found[members[j]] = (games[rows[first:end]], faces.take(rows[first:end]))
        held: list[list[tuple[list[Support], list[int], np.ndarray, Faces]]] = [[] for _ in on_jobs]
        for (k, _, replies, off_path, _), rho_of in zip(jobs, found):
            if rho_of is not None:
                held[k].append((replies, off_path, *rho_of))
        return held

    def _candidates(self) -> list[tuple[Any, ...]]:
        """The support profiles that pass :meth:`Enumerator._candidates`' first two necessary
        conditions, with the games where they do, grouped as ``(S, B on the path, its receiver
        classes, its rho jobs: (replies, off-path messages, games))`` in the plain
        enumeration's order (sender supports, on-path replies, off-path replies, each in
        :func:`~intelgame.geometry.supports.subsets` order).

        The per-game search's tree: message ``m`` takes an option ``(K_m, B_m)`` (its senders
        and the receiver's support after it) whose belief cell is non-empty (strict on the
        types ``K_m`` on the path, closed off it), and each type keeps the interval of its
        feasible equilibrium payoff (in doubled payoff ranks,
        :mod:`~intelgame.solvers.pbe.payoff_intervals`). It is walked level by level (message
        by message) for all the games at once: a state is a game and a branch alive in it,
        so a profile is examined only where it can still hold, and the leaves are taken in
        the depth-first order."""
        n_t, n_m = self.n_t, self.n_m
        action_sets = subsets(self.n_a)
        message_rank = {x: k for k, x in enumerate(subsets(n_m))}
        action_rank = {x: k for k, x in enumerate(action_sets)}
        every_type = np.arange(n_t)
        # per message: its options (K, B) and, stacked over them, the receiver classes where
        # the cell holds (classes, O) and each type's interval's ends by game (N, O, T)
        options: list[tuple[list[tuple[Support, Support]], np.ndarray, np.ndarray, np.ndarray]] = []
        for m in range(n_m):
            choices: list[tuple[Support, Support, np.ndarray]] = [((), b, self.closed[m, b].ok) for b in action_sets]
            choices += [(k, b, self.strict[m, k, b]) for k in subsets(n_t) for b in action_sets]
            choices = [c for c in choices if c[2].any()]
            parts: list[list[np.ndarray]] = [[], []]
            for senders, b, _ in choices:
                low, high = self._rank_range(m, b)
                sends = np.isin(every_type, senders)[:, None]  # each type's interval: sent or not
                for part, sent, unsent in zip(parts, message_interval(low, high, True), message_interval(low, high, False)):
                    part.append(np.where(sends, *np.broadcast_arrays(sent, unsent)))
            lows, highs = (np.ascontiguousarray(np.array(part).reshape(len(choices), n_t, self.n_games).transpose(2, 0, 1))
                           for part in parts)
            options.append(([(k, b) for k, b, _ in choices],
                            np.ascontiguousarray(np.array([c[2] for c in choices]).reshape(len(choices), -1).T), lows, highs))
        leaves: dict[tuple[Any, ...], list[tuple[list[Support], list[int], np.ndarray]]] = defaultdict(list)
        # the search tree level by level: each state a game and its options so far (a branch
        # where that game is alive), children in the depth-first order (state, then option)
        sizes = [len(pairs) for pairs, _, _, _ in options]
        found: list[tuple[np.ndarray, np.ndarray]] = []  # (games, picks) of the leaves, block by block

        def walk(m: int, games: np.ndarray, low: np.ndarray, high: np.ndarray, picks: np.ndarray) -> None:
            """The leaves below the states ``games`` (their intervals, their options so far) at
            message ``m``: the states are met with every option of ``m`` in blocks of at most
            ``_FRONTIER`` entries (states x options x types), each block's subtree walked before
            the next, so a degenerate game's tree (all-zero 4x4x4: 240 options a message) is
            never held whole, and a budget is charged as its leaves are found."""
            if m == n_m:
                interrupts.check()
                if self.charge is not None:  # a candidate profile, for each game where it is one
                    self.charge(len(games) * STEP_WORK)
                found.append((games, picks))
                return
            _, masks, lows, highs = options[m]
            block = max(1, _FRONTIER // (sizes[m] * n_t))
            for start in range(0, len(games), block):
                part = slice(start, start + block)
                g = games[part]
                met = meet((low[part, None], high[part, None]), (lows[g], highs[g]), np.maximum, np.minimum)  # (S, O, T)
                state, option = np.nonzero(masks[self.receiver_class[g]] & every(nonempty(met), axis=2))  # state-major
                walk(m + 1, g[state], met[0][state, option], met[1][state, option],
                     np.concatenate([picks[part][state], option[:, None]], axis=1))

        walk(0, np.arange(self.n_games), np.full((self.n_games, n_t), UNLIMITED[0]),
             np.full((self.n_games, n_t), UNLIMITED[1]), np.zeros((self.n_games, 0), dtype=np.intp))
        games = np.concatenate([g for g, _ in found]) if found else np.zeros(0, dtype=np.intp)
        picks = np.concatenate([p for _, p in found]) if found else np.zeros((0, n_m), dtype=np.intp)
        # the leaves (candidate profiles) in depth-first order, each with its games in increasing
        # order (a profile holds a game once, and the blocks follow the games' order)
        profile: np.ndarray = np.asarray(np.ravel_multi_index(picks.T, sizes)) if len(games) else games
        order = np.argsort(profile, kind="stable")
        profile, games, picks = profile[order], games[order], picks[order]
        firsts = np.flatnonzero(np.diff(profile, prepend=-1))
        # only the profiles where every type sends some message: the union of the senders is everyone
        sender_bits = [np.array([sum(1 << t for t in k) for k, _ in pairs], dtype=np.intp) for pairs, _, _, _ in options]
        covered = np.bitwise_or.reduce([bits[picks[firsts, m]] for m, bits in enumerate(sender_bits)], axis=0)
        ends = np.append(firsts[1:], len(games))
        sender_sets: dict[tuple[Support, ...], tuple[tuple[Support, ...], tuple[int, ...], list[int]]] = {}
        for first, end in zip(firsts[covered == (1 << n_t) - 1].tolist(), ends[covered == (1 << n_t) - 1].tolist()):
            chosen = [options[m][0][o] for m, o in enumerate(picks[first].tolist())]
            senders_of = tuple(k for k, _ in chosen)  # each message's senders: the sender supports
            known = sender_sets.get(senders_of)
            if known is None:
                known = sender_sets[senders_of] = (
                    tuple(tuple(k for k in range(n_m) if t in senders_of[k]) for t in range(n_t)),
                    tuple(k for k in range(n_m) if senders_of[k]), [k for k in range(n_m) if not senders_of[k]])
            supports, on_path, off_path = known
            replies = [b for _, b in chosen]
            leaves[supports, tuple((k, replies[k]) for k in on_path)].append((replies, off_path, games[first:end]))
        on_jobs = []
        for (supports, path), rho_jobs in sorted(leaves.items(), key=lambda item: (
                tuple(message_rank[s] for s in item[0][0]), tuple(action_rank[b] for _, b in item[0][1]))):
            alive = np.ones(len(self.everyone), dtype=bool)  # the receiver classes where every on-path cell holds
            for m, b in path:
                alive &= self.strict[m, tuple(t for t in range(n_t) if m in supports[t]), b]
            rho_jobs.sort(key=lambda job: tuple(action_rank[job[0][m]] for m in job[1]))
            on_jobs.append((supports, dict(path), alive, rho_jobs))
        return on_jobs

    def _rank_range(self, m: int, actions: Support) -> tuple[np.ndarray, np.ndarray]:
        """The least and greatest rank of ``u_S(t, m, a)`` over ``a`` in ``actions``, by type
        and game (T, N) each (memoised)."""
        ends = self._rank_ranges.get((m, actions))
        if ends is None:
            ranks = self._ranks()[:, :, m, list(actions)]  # (N, T, |actions|)
            ends = self._rank_ranges[m, actions] = (np.ascontiguousarray(ranks.min(axis=2).T),
                                                    np.ascontiguousarray(ranks.max(axis=2).T))
        return ends

    def _ranks(self) -> np.ndarray:
        """Each sender payoff's rank among its game's (N, T, M, A)
        (:func:`~intelgame.solvers.pbe.payoff_intervals.payoff_ranks`; memoised)."""
        if self._payoff_ranks is None:
            ranks, uncertain = payoff_ranks(self.us_flat, exact=False)
            self._doubt_game |= uncertain
            self._payoff_ranks = ranks.reshape(self.us.shape)
        return self._payoff_ranks

    def _grouped_faces(self, jobs: list[tuple[tuple[int, ...], Layout, np.ndarray]], u: np.ndarray,
                       weight: np.ndarray | None, strict: bool) -> list[tuple[list[int], np.ndarray, np.ndarray, Faces]]:
        """The faces of the systems of each job ``(key, layout, rows)``: ``layout`` over the
        games (or receiver classes) ``rows`` of the payoffs ``u`` (flat, one row per game or
        class) and the weights ``weight``, deciding the systems of one key and shape in one
        :func:`batch_faces` call (every game's face is independent of the others'; jobs of one
        key share the blocks, which keeps the pure-strategy presolve), built together by
        :func:`~intelgame.solvers.pbe.systems.apply_stacked`. By group: its jobs (indices into
        ``jobs``), their rows concatenated, where each job's rows start (and the end), and the faces."""
        groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
        for k, (key, layout, _) in enumerate(jobs):
            groups[(key, len(layout.equalities), len(layout.inequalities))].append(k)
        decided = []
        for members in groups.values():
            layouts, parts = [jobs[k][1] for k in members], [jobs[k][2] for k in members]
            rows = np.concatenate(parts)
            counts = [len(part) for part in parts]
            system = apply_stacked([layout.affine for layout in layouts], counts, u[rows],
                                   None if weight is None else weight[rows])
            decided.append((members, rows, np.cumsum([0] + counts), self._faces(system, strict)))
        return decided

    @staticmethod
    def _split(groups: list[tuple[list[int], np.ndarray, np.ndarray, Faces]], n_jobs: int) -> list[Faces]:
        """Each job's faces from :meth:`_grouped_faces`' groups, in the order of its jobs."""
        faces: list[Faces | None] = [None] * n_jobs
        for members, _, starts, stacked in groups:
            for k, begin, end in zip(members, starts[:-1].tolist(), starts[1:].tolist()):
                faces[k] = stacked.take(slice(begin, end))
        return cast(list[Faces], faces)

    def _profile(self, g: np.ndarray, supports: Sequence[Support], replies: Sequence[Support], off_path: list[int],
                 sigma: Faces, rho: Faces) -> _Profile:
        """The PBE of one support profile in the games ``g`` (faces row by row), as arrays: the
        faces scattered to whole strategies, and the off-path belief sets."""
        n_t, n_m, n_a = self.n_t, self.n_m, self.n_a
        size = len(g)
        strategies = []
        for face, index, shape in ((sigma, [(t, m) for t in range(n_t) for m in supports[t]], (n_t, n_m)),
                                   (rho, [(m, a) for m in range(n_m) for a in replies[m]], (n_m, n_a))):
            rows, columns = zip(*index)
            values = np.zeros((3, size, *shape))
            for k, part in enumerate((face.point, face.lower, face.upper)):
                values[k][:, rows, columns] = part
            strategies.append(values)
        classes = self.receiver_class[g]
        off_sets = tuple((m, self._belief_sets(m, replies[m])) for m in off_path)
        representatives = np.zeros((size, n_m, n_t))
        for m, belief_sets in off_sets:
            representatives[:, m] = belief_sets.representatives(classes)
        on_path = tuple(m not in off_path for m in range(n_m))
        return _Profile(g, strategies[0], strategies[1], on_path, off_sets, representatives,
                        tuple(map(tuple, supports)), tuple(map(tuple, replies)))

    def _offpath(self, profile: _Profile) -> list[tuple[BeliefSet | None, ...]]:
        """``PBE.offpath_beliefs`` of each game of ``profile`` (built only for ``PBE`` objects:
        the table needs the representatives alone)."""
        if not profile.off_sets:
            return [(None,) * self.n_m] * len(profile.games)
        classes = self.receiver_class[profile.games]
        sets: list[Any] = [itertools.repeat(None)] * self.n_m
        for m, belief_sets in profile.off_sets:
            sets[m] = belief_sets.of(classes)
        return list(zip(*sets))

    def _table(self, profiles: list[_Profile]) -> tuple[EquilibriumTable, np.ndarray]:
        """The PBE of every game from its profiles' rows, as :meth:`Enumerator.assemble`
        builds them (Bayes beliefs on the path, the off-path belief sets' representatives off
        it, the equilibrium payoffs), vectorised over all the rows at once; each game's rows
        pure first, then in the order of ``profiles``. Also each table row's index among the
        profiles' rows."""
        n_t, n_m, n_a = self.n_t, self.n_m, self.n_a
        if not profiles:
            return EquilibriumTable.from_pbe([], [], (n_t, n_m, n_a)), np.zeros(0, dtype=np.intp)
        g = np.concatenate([p.games for p in profiles])
        which = np.repeat(np.arange(len(profiles)), [len(p.games) for p in profiles])
        sender, s_low, s_high = np.concatenate([p.sender for p in profiles], axis=1)
        receiver, r_low, r_high = np.concatenate([p.receiver for p in profiles], axis=1)
        on_path = np.array([p.on_path for p in profiles])[which]  # (R, M)
        classes = self.receiver_class[g]
        prior, us, ur = self.prior[classes], self.payoffs_s[g], self.payoffs_r[g]
        # equilibrium_payoffs and bayes_belief, vectorised over the rows
        sender_payoffs = largest(np.einsum("gma,gtma->gtm", receiver, us), axis=2)
        receiver_payoffs = np.einsum("gt,gtm,gma,gtma->g", prior, sender, receiver, ur)
        weighted = prior[:, :, None] * sender  # (R, T, M)
        posterior = np.divide(weighted, weighted.sum(axis=1, keepdims=True), out=np.zeros_like(weighted),
                              where=on_path[:, None, :])
        beliefs = np.where(on_path[:, :, None], posterior.transpose(0, 2, 1),
                           np.concatenate([p.representatives for p in profiles]))
        impure = ~(every((sender == 0) | (sender == 1), axis=(1, 2)) & every((receiver == 0) | (receiver == 1), axis=(1, 2)))
        order = np.lexsort((which, impure, g))  # by game, pure first, then by profile
        table = EquilibriumTable(g[order], sender[order], receiver[order], beliefs[order], on_path[order],
                                 sender_payoffs[order], receiver_payoffs[order],
                                 np.stack([s_low, s_high], axis=-1)[order], np.stack([r_low, r_high], axis=-1)[order])
        return table, order

    def _assemble(self, profiles: list[_Profile]) -> list[list[PBE]]:
        """The ``PBE`` objects of each game, from :meth:`_table` and the profiles' off-path
        belief sets."""
        found: list[list[PBE]] = [[] for _ in range(self.n_games)]
        table, order = self._table(profiles)
        size = len(table)
        if not size:
            return found
        parts = (table.sender, table.receiver, table.sender_range, table.receiver_range)
        # most strategies recur across the games (all of a pure profile's): each distinct
        # (strategies, ranges) row becomes tuples once, interned
        if size < _DEDUPLICATE_ROWS:
            first = inverse = np.arange(size)
        else:
            first, inverse = distinct_rows(np.concatenate([a.reshape(size, -1) for a in parts], axis=1))
        intern = self._memo.setdefault
        made = []
        for s_row, r_row, s_pairs, r_pairs in zip(*(a[first].tolist() for a in parts)):
            items = (tuple(map(tuple, s_row)), tuple(map(tuple, r_row)),
                     tuple(tuple(map(tuple, pairs)) for pairs in s_pairs),
                     tuple(tuple(map(tuple, pairs)) for pairs in r_pairs))
            made.append(tuple(intern(x, x) for x in items))
        which = np.repeat(np.arange(len(profiles)), [len(p.games) for p in profiles])[order]
        offpath = [row for p in profiles for row in self._offpath(p)]
        on_paths = [p.on_path for p in profiles]
        profile_of = [(p.supports, p.replies) for p in profiles]
        for k, p, d, b, off, payoffs, payoff in zip(table.point.tolist(), which.tolist(), inverse.tolist(),
                                                   table.beliefs.tolist(), map(offpath.__getitem__, order.tolist()),
                                                   table.sender_payoffs.tolist(), table.receiver_payoff.tolist()):
            s_t, r_t, s_r, r_r = made[d]
            found[k].append(_pbe(s_t, r_t, tuple(map(tuple, b)), on_paths[p], off, s_r, r_r, tuple(payoffs), payoff,
                                 *profile_of[p]))
        return found

    def _belief_sets(self, m: int, actions: Support) -> _BeliefSets:
        """:meth:`Enumerator.offpath_belief_set` after ``m`` for ``actions``, by receiver class,
        from the batch's closed cells (memoised)."""
        sets = self.belief_sets.get((m, actions))
        if sets is None:
            sets = self.belief_sets[m, actions] = _BeliefSets(self, m, actions)
        return sets


class _BeliefSets:
    """The off-path belief sets of one ``(m, B_m)`` by receiver class: one :class:`BeliefSet`
    per distinct set (equal rows, ranges and representative bit for bit; games with small
    integer payoffs share a few), each built on first use."""

    def __init__(self, batch: BatchEnumerator, m: int, actions: Support) -> None:
        cell = batch.closed[m, actions]
        eq, _, ub, _ = batch.closed_systems[m, actions]
        masses = np.stack([batch.strict[m, (t,), actions] for t in range(batch.n_t)], axis=1)
        point_mass = np.asarray(masses.any(axis=1))  # the representative: the first type's point mass, else the cell's point
        representative = np.where(point_mass[:, None], np.eye(batch.n_t)[masses.argmax(axis=1)], cell.point)
        spread = batch.receiver_spread[:, None, None]  # the rows in the game's units
        parts = (eq[:, 1:] * spread, ub * spread, cell.lower, cell.upper, representative)
        table = np.concatenate([a.reshape(len(a), -1) for a in parts], axis=1)
        first, self.index = distinct_rows(table)
        self.parts = [a[first].tolist() for a in parts]
        self._representatives = representative[first]
        self.built: list[BeliefSet | None] = [None] * len(first)
        self.m = m

    def of(self, classes: np.ndarray) -> list[BeliefSet]:
        """The belief sets of the receiver classes ``classes``."""
        built = self.built
        return [built[d] or self._build(d) for d in self.index[classes].tolist()]

    def representatives(self, classes: np.ndarray) -> np.ndarray:
        """The representative beliefs of the receiver classes ``classes`` (G, T)."""
        return np.asarray(self._representatives[self.index[classes]])

    def _build(self, d: int) -> BeliefSet:
        eq_rows, ub_rows, lower, upper, representative = (part[d] for part in self.parts)
        value = self.built[d] = BeliefSet(self.m, tuple(map(tuple, eq_rows)), tuple(map(tuple, ub_rows)),
                                          tuple(lower), tuple(upper), tuple(representative))
        return value


@dataclass(frozen=True)
class _Profile:
    """The PBE of one support profile in some games (:meth:`BatchEnumerator._profile`)."""

    games: np.ndarray  # (G,)
    sender: np.ndarray  # (3, G, T, M): point, lower and upper ends
    receiver: np.ndarray  # (3, G, M, A)
    on_path: tuple[bool, ...]
    off_sets: tuple[tuple[int, _BeliefSets], ...]  # each off-path message and its belief sets
    representatives: np.ndarray  # (G, M, T): the off-path belief sets' (0 on the path)
    supports: tuple[Support, ...]  # the profile: each type's messages
    replies: tuple[Support, ...]  # and the actions after each message


#: ``PBE(*values)``, built faster (once per equilibrium of the batch).
_pbe = positional_constructor(PBE)

"""The sigma-face of a support profile, decided block by block (a necessary condition the
PBE search of :mod:`intelgame.solvers.pbe.enumeration` tests before the rho-face).

The sigma-system of a support profile (variables :math:`\\sigma(m|t)`, :math:`m \\in S_t`;
:func:`~intelgame.solvers.pbe.systems.sender_layout`) asks that each positive-prior type's
row sum to one and that, after each on-path message :math:`m`, the Bayes posterior lie in the
belief cell of :math:`B_m` on the senders :math:`K_m`. It is block diagonal: the blocks are the
connected components of the graph linking each positive-prior type to the messages it sends,
and the face is non-empty iff every block's is.

Reference: Fudenberg and Tirole (1991), *Game Theory*, ch. 8 (Bayes' rule on the path).
"""

from __future__ import annotations

from typing import Any, Sequence

from intelgame.games.signalling import SignallingGame
from intelgame.geometry.faces import Arithmetic, LinearSystem
from intelgame.solvers.pbe.belief_cells import BeliefCells
from intelgame.solvers.pbe.systems import sender_layout


class SigmaBlocks(BeliefCells):
    """A game's belief cells with its sigma-systems, and their feasibility decided block by
    block (cached by block and by on-path profile). ``positive`` (which types have positive
    prior) is set by the search before any sigma-system is built."""

    def __init__(self, game: SignallingGame, arithmetic: Arithmetic) -> None:
        super().__init__(game, arithmetic)
        self.positive: tuple[bool, ...] = ()
        self._blocks: dict[Any, bool] = {}
        self._profiles: dict[Any, bool] = {}

    def sender_system(self, supports: Sequence[tuple[int, ...]], replies: dict[int, tuple[int, ...]],
                      types: Sequence[int] | None = None) -> LinearSystem:
        """The sigma-face's system (:func:`~intelgame.solvers.pbe.systems.sender_layout`):
        variables ``sigma(m|t)`` for ``m in S_t``, type-major; over ``types`` only (one block of
        it, see :meth:`_sigma_feasible`) if given."""
        layout = sender_layout(self.shape, tuple(supports), tuple(replies.items()),
                               tuple(range(self.n_t)) if types is None else tuple(types), tuple(self.positive))
        return layout.system(self.ur_flat, self.zero, self.one, self.prior)

    def _sigma_feasible(self, supports: Sequence[tuple[int, ...]], replies: Sequence[tuple[int, ...]],
                        on_path: list[int]) -> bool:
        """Whether the sigma-face is non-empty, component by component.

        The sigma-system is block diagonal: the blocks are the connected components of the
        graph linking each positive-prior type to the messages it sends. A block whose messages
        each have one sender is feasible as soon as those messages' cells are (which
        :meth:`_options` checked); the others are decided once per distinct block (cached).
        The verdict depends on the positive-prior types' supports and the on-path replies only,
        which many profiles share (they differ off the path): it is cached on those too.
        """
        n_t = self.n_t
        profile = (tuple(supports[t] for t in range(n_t) if self.positive[t]), tuple(replies[m] for m in on_path))
        verdict = self._profiles.get(profile)
        if verdict is None:
            verdict = self._profiles[profile] = self._blocks_feasible(supports, replies, on_path)
        return verdict

    def _blocks_feasible(self, supports: Sequence[tuple[int, ...]], replies: Sequence[tuple[int, ...]],
                         on_path: list[int]) -> bool:
        """:meth:`_sigma_feasible` without its cache of profiles."""
        n_t = self.n_t
        parent = {m: m for m in on_path}

        def find(m: int) -> int:
            while parent[m] != m:
                parent[m] = parent[parent[m]]
                m = parent[m]
            return m

        count = dict.fromkeys(on_path, 0)
        for t in range(n_t):
            if self.positive[t]:
                first = supports[t][0]
                for m in supports[t]:
                    count[m] += 1
                    parent[find(m)] = find(first)
        blocks: dict[int, list[int]] = {}
        for m in on_path:
            blocks.setdefault(find(m), []).append(m)
        for messages in blocks.values():
            if all(count[m] == 1 for m in messages):
                continue
            types = tuple(t for t in range(n_t) if self.positive[t] and supports[t][0] in messages)
            senders = tuple((t, supports[t]) for t in types)
            block = tuple((m, replies[m]) for m in messages)
            ok = self._blocks.get((senders, block))
            if ok is None:
                ok = self._blocks[senders, block] = (not self._smaller_block_fails(senders, block)
                                                     and self._block_feasible(types, supports, dict(block)))
            if not ok:
                return False
        return True

    def _smaller_block_fails(self, senders: tuple[tuple[int, tuple[int, ...]], ...],
                             block: tuple[tuple[int, tuple[int, ...]], ...]) -> bool:
        """Whether the block with one reply fewer after one of its messages is known (cached)
        to be infeasible, which makes ``block`` infeasible: the cell of ``B_m`` on ``K_m``
        contains that of every ``B' \\supset B_m`` (more actions to keep optimal), so the
        sigma-face with ``B'`` lies in the one with ``B_m``."""
        for k, (m, actions) in enumerate(block):
            for i in range(len(actions) if len(actions) > 1 else 0):
                smaller = block[:k] + ((m, actions[:i] + actions[i + 1:]),) + block[k + 1:]
                if self._blocks.get((senders, smaller)) is False:
                    return True
        return False

    def _block_feasible(self, types: tuple[int, ...], supports: Sequence[tuple[int, ...]],
                        replies: dict[int, tuple[int, ...]]) -> bool:
        """The sigma-system restricted to one block has a point ``> 0``."""
        return self.ar.open_point(self.sender_system(supports, replies, types)) is not None

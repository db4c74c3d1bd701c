"""Every criterion of :mod:`intelgame.analysis.divinity` on every row of a table of equilibria
(a float sweep's batched path): :func:`criteria_columns`; and a plain sweep's Intuitive
Criterion and classification read off each continuum's face (:func:`intuitive_on_faces`,
:func:`kinds_on_faces`).

A row that :func:`~intelgame.analysis.refinements.may_break` does not flag passes every
criterion. Such a row has, at each off-path message :math:`m`, :math:`u^*(t) \\le u_S(t,m,a)`
for every type and action, so every gain :math:`g_t \\ge 0` on :math:`MBR(T, m)`; the
equilibrium's own reply :math:`\\alpha^*` to :math:`m` deters every type, so
:math:`g_t(\\alpha^*) = 0` for all :math:`t`. Then no set :math:`D_{t'}` holds
:math:`\\alpha^*`, which lies in every :math:`W_t` and :math:`D^0_t`: D1, D2, NWBR and the
iterated D2 of universal divinity prune nobody, and :math:`\\alpha^*` deters every type at a
belief on all of them (the Intuitive Criterion, which prunes only types with
:math:`W_t = \\emptyset`, prunes nobody either). A continuum's row is flagged unless every
point of its face passes this test (:func:`face_may_break`), so an unflagged row passes on its
whole face. The flagged rows are judged exactly, with no solve at their point: a point's rows
are the exact solve's entries, in its order, and their support profiles (read off the ranges,
:meth:`~intelgame.solvers.pbe.table.EquilibriumTable.to_pbe`) are the exact
entries' (the certified float path returns the exact path's equilibria,
``docs/certified_float.md``; :mod:`~intelgame.solvers.pbe.table`). Each row becomes a float
entry with its profile, which the criteria judge by its exact counterpart on the point's exact
game, as they judge a float result (:meth:`~intelgame.analysis.divinity.Refiner.outcome`: the
on-path messages and :math:`u^*` from the profile; a continuum on its exact face rebuilt from
the profile), through :func:`result_columns`, as the exact path judges its entries. So the
columns, and the surviving points' values, are those of the exact path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from intelgame.analysis.classify import CLASSIFICATIONS
from intelgame.analysis.divinity import CRITERIA, Criterion
from intelgame.analysis.entry_verdicts import entry_verdicts, profile_verdicts
from intelgame.analysis.face_verdicts import holds_everywhere, same_reply_hyperplanes, sigma_hyperplanes
from intelgame.analysis.quality import mutual_information
from intelgame.analysis.refinements import may_break
from intelgame.analysis.selection import Values
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.pbe.shape import PolytopeMemo, profile_shapes
from intelgame.solvers.pbe.table import EquilibriumTable

_POOLING, _SEMI = CLASSIFICATIONS.index("pooling"), CLASSIFICATIONS.index("semi-separating")


def result_columns(result: PBEResult, memo: PolytopeMemo | None = None
                   ) -> tuple[dict[Criterion, list[bool]], dict[Criterion, dict[int, Values]]]:
    """Whether each entry of ``result`` survives each criterion (some equilibrium of its face
    does: :func:`~intelgame.analysis.entry_verdicts.entry_verdicts`, the faces' polytopes shared
    with other games through ``memo``), and for the entries that survive one on part of their
    face only, by criterion and index, their values at the surviving point (sender payoffs and
    receiver payoff in the result's numbers, mutual information in bits)."""
    entries = entry_verdicts(result, criteria_only=True, memo=memo)
    passes = {c: [e.passes[c] for e in entries] for c in CRITERIA}
    surviving: dict[Criterion, dict[int, Values]] = {c: {} for c in CRITERIA}
    for i, e in enumerate(entries):
        for c, eq in e.surviving.items():
            surviving[c][i] = (eq.sender_payoffs, eq.receiver_payoff, mutual_information(result.game, eq))
    return passes, surviving


def face_may_break(eqs: EquilibriumTable, sender_payoffs: np.ndarray) -> np.ndarray:
    r""":func:`~intelgame.analysis.refinements.may_break` of every point of each row's face:
    with :math:`u^*(t)` bounded above on the face by
    :math:`\min_{m \in S_t} \max_{a \in B_m} u_S(t,m,a)` (every message a type sends is
    optimal, and the reply to it mixes the actions of its support) where the replies to the
    messages sent vary on the face (:func:`_sent_replies_vary`), by :math:`u^*` (constant on the
    face) elsewhere."""
    us = sender_payoffs[eqs.point]  # (R, T, M, A)
    replies = eqs.receiver_range[..., 1] > 0  # (R, M, A)
    best = np.where(replies[:, None, :, :], us, -np.inf).max(axis=3)  # (R, T, M)
    bound = np.where(eqs.sender_range[..., 1] > 0, best, np.inf).min(axis=2)  # (R, T)
    moving = _sent_replies_vary(eqs.sender_range, eqs.receiver_range)
    upper = np.where(moving[:, None], np.maximum(bound, eqs.sender_payoffs), eqs.sender_payoffs)
    flagged: np.ndarray = may_break(dataclasses.replace(eqs, sender_payoffs=upper), sender_payoffs)
    return flagged


def _sent_replies_vary(sender_range: np.ndarray, receiver_range: np.ndarray) -> np.ndarray:
    """Whether the reply to some message a type sends (of prior 0 too) varies on each row's
    face (``sender_range`` (R, T, M, 2), ``receiver_range`` (R, M, A, 2)). Where none does,
    :math:`u^*` is constant on the face, and so is every criterion
    (:mod:`intelgame.analysis.face_verdicts`): the representative point's verdicts are the face's."""
    wide = (receiver_range[..., 0] != receiver_range[..., 1]).any(axis=2)  # (R, M)
    sent = (sender_range[..., 1] > 0).any(axis=1)  # (R, M)
    varies: np.ndarray = (wide & sent).any(axis=1)
    return varies


def criteria_columns(eqs: EquilibriumTable, sender_payoffs: np.ndarray, game: Callable[[int], SignallingGame]
                     ) -> tuple[dict[Criterion, np.ndarray], dict[Criterion, dict[int, Values]]]:
    """Whether each row of ``eqs`` passes each criterion (one boolean array per criterion of
    :data:`~intelgame.analysis.divinity.CRITERIA`), with ``u_S`` of each point in
    ``sender_payoffs`` (N, T, M, A) and the exact game of point ``k`` ``game(k)`` (module
    docstring), and the surviving points' values of the rows that pass on part of their face
    only (:func:`result_columns`, by row). The faces' polytopes are shared between points.
    """
    out = {c: np.ones(len(eqs), dtype=bool) for c in CRITERIA}
    surviving: dict[Criterion, dict[int, Values]] = {c: {} for c in CRITERIA}
    doubtful = np.flatnonzero(face_may_break(eqs, sender_payoffs))
    points = eqs.point[doubtful]
    memo: PolytopeMemo = {}  # the points' faces share many systems
    for point in np.unique(points).tolist():
        at = doubtful[points == point]
        exact = game(point).to_rational()
        result = PBEResult(exact, eqs.take(at).to_pbe(), "support profiles", False, 0.0)
        passes, moved = result_columns(result, memo)
        for c in CRITERIA:
            out[c][at] = passes[c]
            surviving[c].update({int(at[i]): (tuple(float(u) for u in us), float(ur), information)
                                 for i, (us, ur, information) in moved[c].items()})
    return out, surviving


def intuitive_on_faces(eqs: EquilibriumTable, intuitive: np.ndarray, game: Callable[[int], SignallingGame]) -> np.ndarray:
    """The Intuitive Criterion of each row of ``eqs`` read off its whole face (some equilibrium
    of the face survives, as :func:`~intelgame.analysis.entry_verdicts.entry_verdicts` reads
    it), from each representative point's (``intuitive``; the exact game of point ``k``
    ``game(k)``). Only the continua whose point fails it while the reply to a message some type
    sends moves on the face are judged on their exact faces
    (:func:`~intelgame.analysis.entry_verdicts.profile_verdicts`): a point that passes is an
    equilibrium of the face that survives, and where those replies are fixed the verdict is
    constant on the face (:func:`_sent_replies_vary`)."""
    out = intuitive.copy()
    rows = np.flatnonzero(eqs.continuum & ~intuitive & _sent_replies_vary(eqs.sender_range, eqs.receiver_range))
    if not len(rows):
        return out
    profiles = eqs.take(rows).support_profiles()
    memo: PolytopeMemo = {}  # the points' faces share many systems
    points = eqs.point[rows]
    for point in np.unique(points).tolist():
        at = np.flatnonzero(points == point).tolist()
        judged = profile_verdicts(game(point), [profiles[i] for i in at], [("intuitive_criterion",)] * len(at), memo=memo)
        out[rows[at]] = [verdicts["intuitive_criterion"] for verdicts in judged]
    return out


def kinds_on_faces(eqs: EquilibriumTable, kind: np.ndarray, same: np.ndarray, game: Callable[[int], SignallingGame],
                   memo: PolytopeMemo | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""The classification codes (in :data:`~intelgame.analysis.classify.CLASSIFICATIONS`) of
    the rows of ``eqs`` and whether their on-path replies are all the same, read off their
    whole faces: their generic values (on each face's dense full-dimensional part, as
    :func:`~intelgame.analysis.entry_verdicts.entry_verdicts` reads them), from the
    representative points' (``kind``, ``same``; the exact game of point ``k`` ``game(k)``).
    The quality labels depend on a face's point through these two facts only
    (:mod:`intelgame.analysis.face_verdicts`), and *same* only where the classification is not
    pooling. *Same* is read off the face only where the classification changes (a continuum
    whose point alone is babbling in outcome keeps it: README, Limits, for the cost).

    On the face :math:`F = F_\sigma \times F_\rho` the supports are fixed, so the facts
    *sends*, *sure*, the on-path messages and :math:`T^+` are, and with them *separating*
    (:func:`~intelgame.analysis.classify.classification_rule`); only *pooling* (the slice
    :math:`\sigma(m|t) = \sigma(m|t_0)`, :func:`~intelgame.analysis.face_verdicts.sigma_hyperplanes`)
    and *same* (the slice :math:`\rho(a|m) = \rho(a|m_0)`,
    :func:`~intelgame.analysis.face_verdicts.same_reply_hyperplanes`) vary. A slice that does
    not contain the relatively open convex :math:`F` meets it in a set of smaller dimension, so
    the points of :math:`F` off it are dense, and the generic value is theirs. So only a
    continuum whose point lies on a slice while its factor moves can differ, and then the
    generic value is the slice's iff the factor's polytope lies in it
    (:func:`~intelgame.analysis.face_verdicts.holds_everywhere`, exact, on the polytopes of
    :func:`~intelgame.solvers.pbe.shape.profile_shapes`, ``memo`` shared: the sigma-systems
    depend on the prior and :math:`u_R` only, the rho-systems on :math:`u_S`). A face off the
    pooling slice is *semi-separating*, not separating: a separating face pools at no point
    unless :math:`|T^+| = 1`, when the slice has no equation."""
    kind, same = kind.copy(), same.copy()
    sigma_moves = (eqs.sender_range[..., 0] != eqs.sender_range[..., 1]).any(axis=(1, 2))
    # the equal-reply equations hold on a face where the on-path replies are fixed, or one message is on the path
    on_path_moves = ((eqs.receiver_range[..., 0] != eqs.receiver_range[..., 1]) & eqs.on_path[:, :, None]).any(axis=(1, 2))
    pools = eqs.continuum & (kind == _POOLING) & sigma_moves
    replies = pools & same & on_path_moves & (eqs.on_path.sum(axis=1) > 1)
    rows = np.flatnonzero(pools)
    if not len(rows):
        return kind, same
    memo = {} if memo is None else memo
    profiles = eqs.take(rows).support_profiles()
    points = eqs.point[rows]
    n_a = eqs.receiver.shape[2]
    for point in np.unique(points).tolist():
        at = np.flatnonzero(points == point).tolist()
        exact = game(point).to_rational()
        prior = [Fraction(p) for p in exact.prior]
        for i, shape in zip(at, profile_shapes(exact, [profiles[i] for i in at], assess=False, memo=memo)):
            r, on_path = rows[i], profiles[i][2]
            if not holds_everywhere(sigma_hyperplanes(prior, on_path, shape.sender), shape.sender):
                kind[r] = _SEMI
            if replies[r] and kind[r] != _POOLING:
                same[r] = holds_everywhere(same_reply_hyperplanes(on_path, shape.receiver, n_a), shape.receiver)
    return kind, same

"""Classification, quality labels and metrics of many equilibria at once (a sweep's float path).

The decisions of :func:`~intelgame.analysis.classify.classify` and
:func:`~intelgame.analysis.quality.assess`, written over arrays: row :math:`r` is an
equilibrium of the game at point :math:`g(r)`, with :math:`\\sigma_r` (``T x M``),
:math:`\\rho_r` (``M x A``), beliefs :math:`\\mu_r` (``M x T``), its on-path messages and
payoffs; the games are the float arrays of a :class:`~intelgame.games.grid.GameGrid`. With
:math:`p = p_{g(r)}`, tolerance :math:`\\tau` and :math:`T^+ = \\{t : p(t) > \\tau\\}`:

* pooling iff :math:`|\\mu_r(t|m) - p(t)| \\le \\tau` on the path; separating iff every
  :math:`t \\in T^+` has a message with :math:`|\\sigma_r(m|t) - 1| \\le \\tau` and every
  on-path message has exactly one sender in :math:`T^+` with :math:`\\sigma_r(m|t) > \\tau`;
  semi-separating otherwise;
* the metrics of :class:`~intelgame.analysis.quality.Quality` as sums over
  :math:`(t, m, a)` of :math:`p(t)\\sigma(m|t)\\rho(a|m)` under masks;
* the labels by :func:`~intelgame.analysis.quality.quality_labels` from per-row facts.

The tests check every column against the per-equilibrium analyses (equal labels, metrics
within ``1e-12``). Sums run in another order than there, so a metric may differ in its last
bits; and where the per-equilibrium path sums no term at all it returns the integer ``0``,
here ``0.0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from intelgame.speed.short_axes import every, some
from intelgame.analysis.classify import canonical_values
from intelgame.analysis.quality import Interpretation, quality_labels
from intelgame.geometry.vertices import distinct_rows
from intelgame.solvers.pbe.table import EquilibriumTable

#: The classifications, by code in :attr:`Columns.classification`.
CLASSIFICATIONS = ("pooling", "separating", "semi-separating")
#: The metrics of :class:`~intelgame.analysis.quality.Quality`, in its order.
METRICS = ("mutual_information_bits", "false_report_probability", "match_probability",
           "mismatch_probability", "manipulation_probability", "sender_payoff", "receiver_payoff",
           "receiver_value_of_reports")


@dataclass(frozen=True)
class Columns:
    """Per row: the classification code (:data:`CLASSIFICATIONS`), the code of the quality
    labels (in ``label_sets``), and each metric of :data:`METRICS` as floats (``nan`` where
    undefined)."""

    classification: np.ndarray
    label: np.ndarray
    label_sets: list[tuple[str, ...]]
    metrics: dict[str, np.ndarray]

    @property
    def labels(self) -> list[tuple[str, ...]]:
        """The quality labels of each row."""
        return [self.label_sets[k] for k in self.label.tolist()]


def analyse_columns(prior: np.ndarray, sender_payoffs: np.ndarray, receiver_payoffs: np.ndarray,
                    eqs: EquilibriumTable, interpretation: Interpretation | None, tolerance: float) -> Columns:
    """Classification, labels and metrics of every row of ``eqs``; the games are ``prior[g]``
    (``T``), ``sender_payoffs[g]`` and ``receiver_payoffs[g]`` (``T x M x A``)."""
    tol = tolerance
    g = eqs.point
    p = prior[g]
    sigma, rho, on = eqs.sender, eqs.receiver, eqs.on_path
    n_rows = len(sigma)
    informed = p > tol
    kind = _classification(p, informed, eqs, tol)
    ps = p[:, :, None] * sigma  # P(t, m)
    with np.errstate(divide="ignore", invalid="ignore"):
        pm = ps.sum(axis=1)
        terms = np.where(ps > 0, ps * np.log2(sigma / pm[:, None, :]), 0.0)
    metrics = {
        "mutual_information_bits": np.maximum(terms.sum(axis=(1, 2)), 0.0),
        "sender_payoff": (p * eqs.sender_payoffs).sum(axis=1),
        "receiver_payoff": eqs.receiver_payoff,
    }
    value = eqs.receiver_payoff - _prior_only_values(prior, receiver_payoffs)[g]
    metrics["receiver_value_of_reports"] = np.where(np.abs(value) <= tol, 0.0, value)
    same = _same_on_path_replies(rho, on, tol)
    if interpretation is None:
        for name in ("false_report_probability", "match_probability", "mismatch_probability",
                     "manipulation_probability"):
            metrics[name] = np.full(n_rows, np.nan)
        truthful = lied = fabricated = concealed = np.zeros(n_rows, dtype=bool)
    else:
        metrics.update(_report_metrics(ps, rho, sender_payoffs[g], interpretation))
        truthful, lied, fabricated, concealed = _report_facts(sigma, informed, interpretation, tol)
    # the labels depend on six facts per row: decided once per distinct combination
    bits = (truthful, lied, fabricated, concealed, same)
    key = kind * 32 + sum(np.left_shift(fact.astype(np.intp), k) for k, fact in enumerate(bits))
    distinct, label = np.unique(key, return_inverse=True)
    label_sets = [quality_labels(CLASSIFICATIONS[code >> 5], interpretation, *(bool(code >> k & 1) for k in range(4)),
                                 same_replies=bool(code >> 4 & 1)) for code in distinct.tolist()]
    return Columns(kind, label.reshape(-1), label_sets, metrics)


def _report_metrics(ps: np.ndarray, rho: np.ndarray, sender_payoffs: np.ndarray,
                    interpretation: Interpretation) -> dict[str, np.ndarray]:
    """False report, match, mismatch and manipulation probabilities of each row, from
    :math:`P(t, m)` (``ps``), the replies and each row's sender payoffs (``R x T x M x A``)."""
    n_m, n_a = rho.shape[1], rho.shape[2]
    reports = np.asarray(interpretation.reports)
    right = np.asarray(interpretation.correct_actions)
    match = (ps * rho[:, :, right].transpose(0, 2, 1)).sum(axis=(1, 2))
    best = np.take_along_axis(sender_payoffs, right[None, :, None, None], axis=3)
    tempting = (sender_payoffs > best) & (np.arange(n_a) != right[:, None, None])
    return {
        "false_report_probability": (ps * (np.arange(n_m) != reports[:, None])).sum(axis=(1, 2)),
        "match_probability": match,
        "mismatch_probability": 1 - match,
        "manipulation_probability": (ps[:, :, :, None] * rho[:, None, :, :] * tempting).sum(axis=(1, 2, 3)),
    }


def _report_facts(sigma: np.ndarray, informed: np.ndarray, interpretation: Interpretation,
                  tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row: every informed type reports truthfully; some lies; another type sends the alarm
    report (fabricated); the alarm type sends another (concealed)."""
    n_rows, n_t, n_m = sigma.shape
    reports = np.asarray(interpretation.reports)
    lie = (sigma > tol) & informed[:, :, None] & (np.arange(n_m)[None, None, :] != reports[None, :, None])
    truthful = every((1 - sigma[:, np.arange(n_t), reports] <= tol) | ~informed, axis=1)
    alarm = interpretation.alarm
    if alarm is None:
        concealed = fabricated = np.zeros(n_rows, dtype=bool)
    else:
        concealed = some(lie[:, alarm, :], axis=1)
        fabricated = some(np.delete(lie, alarm, axis=1)[:, :, reports[alarm]], axis=1)
    return truthful, some(lie, axis=(1, 2)), fabricated, concealed


def _classification(p: np.ndarray, informed: np.ndarray, eqs: EquilibriumTable, tol: float) -> np.ndarray:
    on = eqs.on_path
    pooling = every((np.abs(eqs.beliefs - p[:, None, :]) <= tol) | ~on[:, :, None], axis=(1, 2))
    sure = every(some(np.abs(eqs.sender - 1) <= tol, axis=2) | ~informed, axis=1)
    senders = ((eqs.sender > tol) & informed[:, :, None]).sum(axis=1)
    separating = sure & every((senders == 1) | ~on, axis=1)
    return np.where(pooling, 0, np.where(separating, 1, 2))


def _same_on_path_replies(rho: np.ndarray, on: np.ndarray, tol: float) -> np.ndarray:
    """Whether every on-path reply is within ``tol`` of the first on-path one, entry by entry."""
    first = rho[np.arange(len(rho)), on.argmax(axis=1)]
    same: np.ndarray = every((np.abs(rho - first[:, None, :]) <= tol) | ~on[:, :, None], axis=(1, 2))
    return same


def _prior_only_values(prior: np.ndarray, receiver_payoffs: np.ndarray) -> np.ndarray:
    """Per game :math:`\\max_a \\sum_t p(t)u_R(t,\\cdot,a)`, ``nan`` where :math:`u_R` depends on
    the message (or is NaN)."""
    first = receiver_payoffs[:, :, :1, :]
    defined = (receiver_payoffs == first).all(axis=(1, 2, 3))
    values = (prior[:, :, None] * first[:, :, 0, :]).sum(axis=1).max(axis=1)
    return np.where(defined, values, np.nan)


def components_column(eqs: EquilibriumTable, tolerance: float) -> np.ndarray:
    """:func:`~intelgame.output.documents.components` of each point's rows: the index, among
    its point's distinct keys in order of first appearance, of the row's key (its sender
    ranges and the ranges of its on-path replies, in message order, through
    :func:`~intelgame.analysis.classify.canonical_values`; tuples equal as floats, so ``-0.0 ==
    0.0``). 0 at a point with one row."""
    index = np.zeros(len(eqs), dtype=np.intp)
    shared = np.flatnonzero(np.bincount(eqs.point)[eqs.point] > 1)  # rows of points with several
    if not len(shared):
        return index
    rows, n_m = len(shared), eqs.on_path.shape[1]
    on = eqs.on_path[shared]
    n_on = on.sum(axis=1)
    order = np.argsort(~on, axis=1, kind="stable")  # the on-path messages first, in order
    replies = np.take_along_axis(eqs.receiver_range[shared], order[:, :, None, None], axis=1)
    replies = np.where((np.arange(n_m) < n_on[:, None])[:, :, None, None], replies, -1.0)
    point = eqs.point[shared]
    ranges = canonical_values(np.concatenate([eqs.sender_range[shared].reshape(rows, -1), replies.reshape(rows, -1)],
                                             axis=1), tolerance)
    keys = np.concatenate([point[:, None].astype(float), n_on[:, None].astype(float), ranges], axis=1) + 0.0
    _, inverse = distinct_rows(keys)
    _, first_row, key = np.unique(inverse, return_index=True, return_inverse=True)  # keys by first row
    by_appearance = np.argsort(first_row)
    points = point[first_row[by_appearance]]  # non-decreasing
    within = np.empty(len(first_row), dtype=np.intp)
    within[by_appearance] = np.arange(len(first_row)) - np.searchsorted(points, points, side="left")
    index[shared] = within[key.reshape(-1)]
    return index

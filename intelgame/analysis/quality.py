"""The quality of the information an equilibrium passes, in the vocabulary of MODEL.md.

Given an *interpretation* (each type's truthful report ``r(t)`` and the receiver's
full-information action ``a*(t)``, optionally an *alarm* type such as ``threat``):

* ``truthful``: every type of positive prior sends its own report for sure;
* ``babbling``: every on-path posterior equals the prior (pooling: no information);
* ``noisy``: informative, but some reports are false (semi-separating), or fully revealing
  under other labels (``relabelled``);
* flags: ``fabricated <alarm>`` when another type sends the alarm report,
  ``concealed <alarm>`` when the alarm type sends another report, ``false report`` otherwise;
  ``babbling in outcome`` when the reports carry information the receiver ignores (its reply
  is the same after every on-path message).

Metrics, with :math:`P(t,m,a) = p(t)\\sigma(m|t)\\rho(a|m)`:

* mutual information :math:`I(\\theta; m) = \\sum_{t,m} p(t)\\sigma(m|t)\\log_2
  \\frac{\\sigma(m|t)}{P(m)}` in bits (how much the reports say about the state);
* match probability :math:`\\sum P(t,m,a)[a = a^*(t)]`, mismatch probability its complement
  (the client government visibly errs: poor security performance);
* manipulation probability :math:`\\sum P(t,m,a)[a \\ne a^*(t),\\ u_S(t,m,a) > u_S(t,m,a^*(t))]`
  (the receiver takes the sender-preferred, receiver-wrong action);
* expected payoffs, and the receiver's value of the reports: its payoff minus the payoff of
  acting on the prior alone, :math:`\\max_a \\sum_t p(t)u_R(t,\\cdot,a)` (defined when the
  receiver's payoffs do not depend on the message; on the float path, ``0.0`` when within the
  tolerance of 0).

Everything is defined once, over a table of equilibria (:func:`assess_table`: sums over
:math:`(t, m, a)` under masks, the labels from per-row facts by :func:`quality_labels`);
:func:`assess` reads one equilibrium as a one-row table of its own numbers, so exact results
keep exact metrics (an empty sum is the integer ``0``, as Python's ``sum``). The mutual
information is computed in floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from intelgame.analysis.classify import CLASSIFICATIONS, Classification, classifications, within
from intelgame.analysis.rows import equilibrium_row, one_row
from intelgame.games.signalling import SignallingGame
from intelgame.geometry.numbers import Number
from intelgame.solvers.pbe.result import PBE
from intelgame.solvers.pbe.table import EquilibriumTable
from intelgame.speed.frozen import positional_constructor
from intelgame.speed.short_axes import every, some

#: The metrics of :class:`Quality`, in its order.
METRICS = ("mutual_information_bits", "false_report_probability", "match_probability",
           "mismatch_probability", "manipulation_probability", "sender_payoff", "receiver_payoff",
           "receiver_value_of_reports")
_REPORT_METRICS = ("false_report_probability", "match_probability", "mismatch_probability",
                   "manipulation_probability")


@dataclass(frozen=True)
class Interpretation:
    """Indices: ``reports[t]`` (message), ``correct_actions[t]`` (action), ``alarm`` (type)."""

    reports: tuple[int, ...]
    correct_actions: tuple[int, ...]
    alarm: int | None = None
    alarm_name: str = ""

    @classmethod
    def from_names(cls, game: SignallingGame, reports: dict[str, str], correct_actions: dict[str, str],
                   alarm: str | None = None) -> "Interpretation":
        """Build from the names of a spec's ``interpretation`` block."""
        return cls(tuple(game.messages.index(reports[t]) for t in game.types),
                   tuple(game.actions.index(correct_actions[t]) for t in game.types),
                   None if alarm is None else game.types.index(alarm), alarm or "")


@dataclass(frozen=True)
class Quality:
    """Labels and metrics of one equilibrium (floats; probabilities exact where the input is)."""

    labels: tuple[str, ...]
    mutual_information_bits: float
    false_report_probability: Number | None
    match_probability: Number | None
    mismatch_probability: Number | None
    manipulation_probability: Number | None
    sender_payoff: Number
    receiver_payoff: Number
    receiver_value_of_reports: Number | None

    @property
    def label(self) -> str:
        """The primary label (truthful, noisy, babbling)."""
        return self.labels[0]

    def to_dict(self) -> dict[str, Any]:
        """The fields by name, in order (as :func:`dataclasses.asdict`: every value is immutable)."""
        return self.__dict__.copy()


#: The classification codes and equal-on-path-replies facts of a table's rows, as read off
#: their faces from their points' (:func:`assess_table`).
OnFaces = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

#: ``Quality(*values)``, built faster (a hot path of the per-equilibrium analysis).
_quality = positional_constructor(Quality)


@dataclass(frozen=True)
class QualityTable:
    """Per row of a table of equilibria: the classification code (in
    :data:`~intelgame.analysis.classify.CLASSIFICATIONS`), the code of the quality labels (in
    ``label_sets``), and each metric of :data:`METRICS` (``nan`` where undefined)."""

    classification: np.ndarray
    label: np.ndarray
    label_sets: list[tuple[str, ...]]
    metrics: dict[str, np.ndarray]

    @property
    def labels(self) -> list[tuple[str, ...]]:
        """The quality labels of each row."""
        return [self.label_sets[k] for k in self.label.tolist()]


def assess_table(prior: np.ndarray, sender_payoffs: np.ndarray, receiver_payoffs: np.ndarray,
                 eqs: EquilibriumTable, interpretation: Interpretation | None, tolerance: float,
                 on_faces: OnFaces | None = None) -> QualityTable:
    """Classification, labels and metrics of every row of ``eqs``, whose games are ``prior[g]``
    (``T``), ``sender_payoffs[g]`` and ``receiver_payoffs[g]`` (``T x M x A``) for the row's
    point ``g`` (float arrays, or object arrays of exact numbers). ``on_faces`` maps the rows'
    classification codes and equal-on-path-replies facts to the values the classification and
    labels are read with (a sweep's continua: their faces'), the two facts that vary on a face."""
    tol = tolerance
    g = eqs.point
    p = prior[g]
    sigma, rho, on = eqs.sender, eqs.receiver, eqs.on_path
    n_rows = len(sigma)
    informed = p > tol
    kind = classifications(p, sigma, eqs.beliefs, on, tol)
    ps = p[:, :, None] * sigma  # P(t, m)
    metrics = {
        "mutual_information_bits": _mutual_information(p, sigma),
        "sender_payoff": (p * eqs.sender_payoffs).sum(axis=1),
        "receiver_payoff": eqs.receiver_payoff,
    }
    value = eqs.receiver_payoff - _prior_only_values(prior, receiver_payoffs)[g]
    if tol:  # float noise of a difference of equal payoffs (4e-16) reads as a value
        with np.errstate(invalid="ignore"):  # nan where undefined
            value = np.where(np.abs(value) <= tol, 0.0, value)
    metrics["receiver_value_of_reports"] = value
    same = _same_on_path_replies(rho, on, tol)
    if on_faces is not None:
        kind, same = on_faces(kind, same)
    if interpretation is None:
        for name in _REPORT_METRICS:
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
    return QualityTable(kind, label.reshape(-1), label_sets, metrics)


def assess(game: SignallingGame, eq: PBE, interpretation: Interpretation | None = None, *,
           tolerance: float = 0) -> Quality:
    """Labels and metrics of ``eq`` (``tolerance`` 0 on exact results): :func:`assess_table`
    of the one-row table of ``eq``, in the arithmetic of its numbers."""
    return assess_all(game, [eq], interpretation, tolerance=tolerance)[0][1]


def assess_all(game: SignallingGame, equilibria: Sequence[PBE], interpretation: Interpretation | None = None, *,
               tolerance: float = 0) -> list[tuple[Classification, Quality]]:
    """The classification (:func:`~intelgame.analysis.classify.classify`) and :func:`assess`
    of each of ``equilibria`` (of ``game``), by one :func:`assess_table` of their rows stacked
    (object arrays of their own numbers, as :func:`assess` reads one: every entry's arithmetic
    is its own row's)."""
    if not equilibria:
        return []
    rows = [equilibrium_row(eq) for eq in equilibria]
    stacked = EquilibriumTable(*(np.concatenate([getattr(row, name) for row in rows])
                                 for name in EquilibriumTable.__dataclass_fields__))
    table = assess_table(one_row(game.prior), one_row(game.sender_payoffs), one_row(game.receiver_payoffs),
                         stacked, interpretation, tolerance)
    out = []
    for k, eq in enumerate(equilibria):
        metrics = {name: column[k] for name, column in table.metrics.items()}
        value = metrics["receiver_value_of_reports"]
        report = [None if interpretation is None else metrics[name] for name in _REPORT_METRICS]
        out.append((CLASSIFICATIONS[int(table.classification[k])],
                    _quality(table.label_sets[int(table.label[k])], float(metrics["mutual_information_bits"]), *report,
                             metrics["sender_payoff"], eq.receiver_payoff, None if value != value else value)))
    return out


def mutual_information(game: SignallingGame, eq: PBE) -> float:
    """:math:`I(\\theta; m)` in bits: the one-row form of :func:`_mutual_information`."""
    return float(_mutual_information(np.asarray([game.prior], dtype=float), np.asarray([eq.sender], dtype=float))[0])


def _mutual_information(prior: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """:math:`\\sum_{t,m} p(t)\\sigma(m|t)\\log_2(\\sigma(m|t)/P(m))` of each row in float
    arithmetic, over the terms with :math:`p(t)\\sigma(m|t) > 0` (at least 0)."""
    sigma = np.asarray(sigma, dtype=float)
    ps = np.asarray(prior, dtype=float)[:, :, None] * sigma
    with np.errstate(divide="ignore", invalid="ignore"):
        pm = ps.sum(axis=1)
        terms = np.where(ps > 0, ps * np.log2(sigma / pm[:, None, :]), 0.0)
    information: np.ndarray = np.maximum(terms.sum(axis=(1, 2)), 0.0)
    return information


def _report_metrics(ps: np.ndarray, rho: np.ndarray, sender_payoffs: np.ndarray,
                    interpretation: Interpretation) -> dict[str, np.ndarray]:
    """The false report, match, mismatch and manipulation probabilities of each row, from
    :math:`P(t, m)` (``ps``), the replies and each row's sender payoffs (``R x T x M x A``):
    the sums of :math:`p(t)\\sigma(m|t)` over :math:`m \\ne r(t)`, of :math:`P(t,m,a)` over
    :math:`a = a^*(t)` (its complement the mismatch) and over :math:`a \\ne a^*(t)` with
    :math:`u_S(t,m,a) > u_S(t,m,a^*(t))`."""
    n_m, n_a = rho.shape[1], rho.shape[2]
    reports = np.asarray(interpretation.reports)
    right = np.asarray(interpretation.correct_actions)
    match = (ps * rho[:, :, right].transpose(0, 2, 1)).sum(axis=(1, 2))
    best = np.take_along_axis(sender_payoffs, right[None, :, None, None], axis=3)
    tempting = (sender_payoffs > best) & (np.arange(n_a) != right[:, None, None])
    return {
        "false_report_probability": np.where(np.arange(n_m) != reports[:, None], ps, 0).sum(axis=(1, 2)),
        "match_probability": match,
        "mismatch_probability": 1 - match,
        "manipulation_probability": np.where(tempting, ps[:, :, :, None] * rho[:, None, :, :], 0).sum(axis=(1, 2, 3)),
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


def _same_on_path_replies(rho: np.ndarray, on: np.ndarray, tol: float) -> np.ndarray:
    """Whether every on-path reply is within ``tol`` of the first on-path one, entry by entry."""
    first = rho[np.arange(len(rho)), on.argmax(axis=1)]
    same: np.ndarray = every(within(rho, first[:, None, :], tol) | ~on[:, :, None], axis=(1, 2))
    return same


def _prior_only_values(prior: np.ndarray, receiver_payoffs: np.ndarray) -> np.ndarray:
    """Per game :math:`\\max_a \\sum_t p(t)u_R(t,\\cdot,a)`, ``nan`` where :math:`u_R` depends on
    the message (or is NaN)."""
    first = receiver_payoffs[:, :, :1, :]
    defined = (receiver_payoffs == first).all(axis=(1, 2, 3))
    values = (prior[:, :, None] * first[:, :, 0, :]).sum(axis=1).max(axis=1)
    return np.where(defined, values, np.nan)


def quality_labels(kind: str, interpretation: Interpretation | None, truthful: bool | None = None,
                   lied: bool | None = None, fabricated: bool | None = None, concealed: bool | None = None, *,
                   same_replies: bool = False) -> tuple[str, ...]:
    """The labels of an equilibrium of classification ``kind`` (see the module docstring): from
    whether every informed type reports truthfully, some lies, some other type sends the alarm
    report (``fabricated``), the alarm type sends another (``concealed``), and whether the
    on-path replies are all the same (``same_replies``). Without an interpretation, the
    primary label of ``kind`` alone."""
    if interpretation is None:
        return (_PRIMARY[kind],)
    primary = "babbling" if kind == "pooling" else "truthful" if truthful else "noisy"
    labels = [primary]
    if interpretation.alarm is not None:
        if fabricated:
            labels.append(f"fabricated {interpretation.alarm_name}")
        if concealed:
            labels.append(f"concealed {interpretation.alarm_name}")
    elif lied:
        labels.append("false report")
    if primary != "babbling" and same_replies:
        labels.append("babbling in outcome")
    return tuple(labels)


#: The primary label without an interpretation, by classification.
_PRIMARY = {"pooling": "babbling", "separating": "fully revealing", "semi-separating": "partially revealing"}

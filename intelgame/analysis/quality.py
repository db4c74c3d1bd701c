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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from math import log2
from operator import mul
from typing import Any

from intelgame.speed.frozen import positional_constructor
from intelgame.analysis.classify import equal_rows, game_facts
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.result import PBE

Number = Any


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


#: ``Quality(*values)``, built faster (a hot path of the per-equilibrium analysis).
_quality = positional_constructor(Quality)


def mutual_information(game: SignallingGame, eq: PBE) -> float:
    """:math:`I(\\theta; m)` in bits."""
    return _mutual_information(game_facts(game).floats, eq.sender)


def _mutual_information(prior: Sequence[float], sender: Sequence[Sequence[Number]]) -> float:
    """:math:`\\sum_{t,m} p(t)\\sigma(m|t)\\log_2(\\sigma(m|t)/P(m))` in float arithmetic, over the
    terms with :math:`p(t)\\sigma(m|t) > 0` (``prior`` as floats)."""
    total = 0.0
    for column in zip(*sender):
        joints = list(map(mul, prior, map(float, column)))
        pm = sum(joints)
        if pm > 0:
            for joint, s in zip(joints, column):
                if joint > 0:
                    total += joint * log2(float(s) / pm)
    return max(total, 0.0)


def _prior_only_value(game: SignallingGame) -> Number | None:
    """:math:`\\max_a \\sum_t p(t)u_R(t,\\cdot,a)`, or ``None`` when :math:`u_R` depends on the message."""
    ur = game.receiver_payoffs
    for rows in ur:
        first = rows[0]
        for x in first:
            if x != x:  # NaN: u_R(t, 0, a) != u_R(t, 0, a)
                return None
        for row in rows:
            if row != first:  # u_R(t, m, a) != u_R(t, 0, a) for some a (tuples: NaN aside)
                return None
    best = None  # max() over the actions, in order
    for column in zip(*[rows[0] for rows in ur]):
        value = sum(map(mul, game.prior, column))
        if best is None or value > best:
            best = value
    return best


def _metrics(payoffs: Sequence[Sequence[Sequence[Number]]], prior: Sequence[Number], sender: Sequence[Sequence[Number]],
             receiver: Sequence[Sequence[Number]], interpretation: Interpretation) -> tuple[Number, Number, Number]:
    """The false report, match and manipulation probabilities: the sums of
    :math:`p(t)\\sigma(m|t)` over :math:`m \\ne r(t)`, and of :math:`P(t,m,a)` over
    :math:`a = a^*(t)`, and over :math:`a \\ne a^*(t)` with :math:`u_S(t,m,a) > u_S(t,m,a^*(t))`
    (``payoffs``), each in ``(t, m, a)`` order, in one pass."""
    rep, act = interpretation.reports, interpretation.correct_actions
    false_reports, matches, manipulations = [], [], []
    for t, row in enumerate(sender):
        p, r, right, own = prior[t], rep[t], act[t], payoffs[t]
        for m, s in enumerate(row):
            ps = p * s
            reply = receiver[m]
            if m != r:
                false_reports.append(ps)
            matches.append(ps * reply[right])
            u = own[m]
            best = u[right]
            for a, x in enumerate(u):
                if x > best and a != right:
                    manipulations.append(ps * reply[a])
    return sum(false_reports), sum(matches), sum(manipulations)


def assess(game: SignallingGame, eq: PBE, interpretation: Interpretation | None = None, *,
           tolerance: float = 0) -> Quality:
    """Labels and metrics of ``eq`` (``tolerance`` 0 on exact results)."""
    facts = game_facts(game)
    kind = facts.classification(eq, tolerance)
    sender, receiver, sender_payoffs, receiver_payoff = eq.sender, eq.receiver, eq.sender_payoffs, eq.receiver_payoff
    prior = facts.prior
    sender_value = sum(map(mul, prior, sender_payoffs))
    prior_value = facts.prior_only(_prior_only_value)
    value = None if prior_value is None else receiver_payoff - prior_value
    if tolerance and value is not None and abs(value) <= tolerance:
        value = 0.0  # float noise of a difference of equal payoffs (4e-16) reads as a value
    mi = _mutual_information(facts.floats, sender)
    if interpretation is None:
        return _quality(quality_labels(kind, None), mi, None, None, None, None, sender_value, receiver_payoff, value)
    false_report, match, manipulation = _metrics(game.sender_payoffs, prior, sender, receiver, interpretation)
    rep, alarm = interpretation.reports, interpretation.alarm
    alarm_report = None if alarm is None else rep[alarm]
    truthful, lied, fabricated, concealed = True, False, False, False
    for t in facts.informed(tolerance):
        row, r = sender[t], rep[t]
        if 1 - row[r] > tolerance:
            truthful = False
        for m, x in enumerate(row):
            if m != r and x > tolerance:  # a lie
                lied = True
                if t == alarm:
                    concealed = True
                elif m == alarm_report:
                    fabricated = True
    same = False  # every on-path reply the same: babbling in outcome
    if kind != "pooling":
        replies = list(compress(receiver, eq.on_path))
        same = equal_rows(replies, replies[0], tolerance)
    labels = quality_labels(kind, interpretation, truthful, lied, fabricated, concealed, same_replies=same)
    return _quality(labels, mi, false_report, match, 1 - match, manipulation, sender_value,
                    receiver_payoff, value)


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

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
  receiver's payoffs do not depend on the message).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from itertools import compress
from math import log2
from operator import mul, ne
from typing import Any

from intelgame.analysis.classify import _CONVERTED_TO_FLOAT, game_facts
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe import PBE

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
        return {name: getattr(self, name) for name in _QUALITY_FIELDS}


_QUALITY_FIELDS = tuple(f.name for f in fields(Quality))


def mutual_information(game: SignallingGame, eq: PBE) -> float:
    """:math:`I(\\theta; m)` in bits."""
    return _mutual_information(game_facts(game).floats, eq.sender)


def _mutual_information(prior: Sequence[float], sender: Sequence[Sequence[Number]]) -> float:
    """:math:`\\sum_{t,m} p(t)\\sigma(m|t)\\log_2(\\sigma(m|t)/P(m))` in float arithmetic, over the
    terms with :math:`p(t)\\sigma(m|t) > 0` (``prior`` as floats)."""
    total = 0.0
    for column in zip(*sender):
        sent = list(map(float, column))
        joints = list(map(mul, prior, sent))
        pm = sum(joints)
        if pm > 0:
            for joint, s in zip(joints, sent):
                if joint > 0:
                    total += joint * log2(s / pm)
    return max(total, 0.0)


def _prior_only_value(game: SignallingGame) -> Number | None:
    """:math:`\\max_a \\sum_t p(t)u_R(t,\\cdot,a)`, or ``None`` when :math:`u_R` depends on the message."""
    ur = game.receiver_payoffs
    for rows in ur:
        first = rows[0]
        for row in rows:
            if any(map(ne, row, first)):
                return None
    return max([sum(map(mul, game.prior, column)) for column in zip(*[rows[0] for rows in ur])])


class _Tables:
    """What :func:`assess` needs of one game and interpretation, computed once (see
    :meth:`~intelgame.analysis.classify.GameFacts.memo`).

    ``prior_value`` is :func:`_prior_only_value` and ``float_prior_value`` the same for
    subtracting from a float (for a float ``x`` and an ``int`` or ``Fraction`` ``v``, ``x - v``
    is ``x - float(v)``). The cells of the metrics, in ``(t, m, a)`` order: ``false_reports``
    ``(t, m)`` with ``m != r(t)``, ``matches`` ``(t, m, a*(t))``, and ``manipulations``
    ``(t, m, a)`` with ``a != a*(t)`` and :math:`u_S(t,m,a) > u_S(t,m,a^*(t))`.
    """

    __slots__ = ("false_reports", "float_prior_value", "manipulations", "matches", "prior_value")

    def __init__(self, game: SignallingGame, interpretation: Interpretation | None) -> None:
        value = self.prior_value = _prior_only_value(game)
        self.float_prior_value = float(value) if value is not None and type(value) in _CONVERTED_TO_FLOAT else value
        self.false_reports: list[tuple[int, int]] = []
        self.matches: list[tuple[int, int, int]] = []
        self.manipulations: list[tuple[int, int, int]] = []
        if interpretation is None:
            return
        rep, act = interpretation.reports, interpretation.correct_actions
        for t, rows in enumerate(game.sender_payoffs):
            right = act[t]
            for m, row in enumerate(rows):
                if m != rep[t]:
                    self.false_reports.append((t, m))
                self.matches.append((t, m, right))
                best = row[right]
                for a, u in enumerate(row):
                    if a != right and u > best:
                        self.manipulations.append((t, m, a))


def assess(game: SignallingGame, eq: PBE, interpretation: Interpretation | None = None, *,
           tolerance: float = 0) -> Quality:
    """Labels and metrics of ``eq`` (``tolerance`` 0 on exact results)."""
    facts = game_facts(game)
    kind = facts.classification(eq, tolerance)
    tables = facts.memo(_Tables, interpretation)
    sender, receiver, sender_payoffs, receiver_payoff = eq.sender, eq.receiver, eq.sender_payoffs, eq.receiver_payoff
    prior = facts.prior_for(sender, receiver, (sender_payoffs,))
    sender_value = sum(map(mul, prior, sender_payoffs))
    value = None if tables.prior_value is None else receiver_payoff - (
        tables.float_prior_value if type(receiver_payoff) is float else tables.prior_value)
    mi = _mutual_information(facts.floats, sender)
    if interpretation is None:
        return Quality((_PRIMARY[kind],), mi, None, None, None, None, sender_value, receiver_payoff, value)
    false_report = sum([prior[t] * sender[t][m] for t, m in tables.false_reports])
    match = sum([prior[t] * sender[t][m] * receiver[m][a] for t, m, a in tables.matches])
    manipulation = sum([prior[t] * sender[t][m] * receiver[m][a] for t, m, a in tables.manipulations])
    rep, alarm = interpretation.reports, interpretation.alarm
    truthful = True
    lies = []
    for t in facts.informed(tolerance):
        row, r = sender[t], rep[t]
        if 1 - row[r] > tolerance:
            truthful = False
        for m, x in enumerate(row):
            if m != r and x > tolerance:
                lies.append((t, m))
    primary = "babbling" if kind == "pooling" else "truthful" if truthful else "noisy"
    labels = [primary]
    if alarm is not None:
        if any(m == rep[alarm] for t, m in lies if t != alarm):
            labels.append(f"fabricated {interpretation.alarm_name}")
        if any(t == alarm for t, _ in lies):
            labels.append(f"concealed {interpretation.alarm_name}")
    elif lies:
        labels.append("false report")
    if primary != "babbling" and _same_replies(list(compress(receiver, eq.on_path)), tolerance):
        labels.append("babbling in outcome")
    return Quality(tuple(labels), mi, false_report, match, 1 - match, manipulation, sender_value,
                   receiver_payoff, value)


def _same_replies(replies: Sequence[Sequence[Number]], tolerance: float) -> bool:
    """No reply differs from the first by more than ``tolerance`` anywhere (babbling in outcome)."""
    for row in replies:
        for x, y in zip(row, replies[0]):
            if abs(x - y) > tolerance:
                return False
    return True


#: The primary label without an interpretation, by classification.
_PRIMARY = {"pooling": "babbling", "separating": "fully revealing", "semi-separating": "partially revealing"}

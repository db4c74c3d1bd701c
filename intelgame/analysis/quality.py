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

import math
from dataclasses import asdict, dataclass
from typing import Any

from intelgame.analysis.classify import classify
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
        return asdict(self)


def _positive(x: Number, tolerance: float) -> bool:
    return bool(x > tolerance)


def mutual_information(game: SignallingGame, eq: PBE) -> float:
    """:math:`I(\\theta; m)` in bits."""
    total = 0.0
    for m in range(len(game.messages)):
        pm = sum(float(game.prior[t]) * float(eq.sender[t][m]) for t in range(len(game.types)))
        for t in range(len(game.types)):
            joint = float(game.prior[t]) * float(eq.sender[t][m])
            if joint > 0 and pm > 0:
                total += joint * math.log2(float(eq.sender[t][m]) / pm)
    return max(total, 0.0)


def _prior_only_value(game: SignallingGame) -> Number | None:
    ur = game.receiver_payoffs
    n_t, n_m, n_a = game.shape
    if any(ur[t][m][a] != ur[t][0][a] for t in range(n_t) for m in range(n_m) for a in range(n_a)):
        return None
    return max(sum(game.prior[t] * ur[t][0][a] for t in range(n_t)) for a in range(n_a))


def assess(game: SignallingGame, eq: PBE, interpretation: Interpretation | None = None, *,
           tolerance: float = 0) -> Quality:
    """Labels and metrics of ``eq`` (``tolerance`` 0 on exact results)."""
    n_t, n_m, n_a = game.shape
    informed = [t for t in range(n_t) if _positive(game.prior[t], tolerance)]
    kind = classify(game, eq, tolerance=tolerance)
    sender_value = sum(game.prior[t] * eq.sender_payoffs[t] for t in range(n_t))
    prior_value = _prior_only_value(game)
    value = None if prior_value is None else eq.receiver_payoff - prior_value
    mi = mutual_information(game, eq)
    if interpretation is None:
        primary = {"pooling": "babbling", "separating": "fully revealing", "semi-separating": "partially revealing"}[kind]
        return Quality((primary,), mi, None, None, None, None, sender_value, eq.receiver_payoff, value)
    rep, act = interpretation.reports, interpretation.correct_actions

    def joint(t: int, m: int, a: int) -> Number:
        return game.prior[t] * eq.sender[t][m] * eq.receiver[m][a]

    cells = [(t, m, a) for t in range(n_t) for m in range(n_m) for a in range(n_a)]
    false_report = sum(game.prior[t] * eq.sender[t][m] for t in range(n_t) for m in range(n_m) if m != rep[t])
    match = sum(joint(t, m, a) for t, m, a in cells if a == act[t])
    manipulation = sum(joint(t, m, a) for t, m, a in cells if a != act[t]
                       and game.sender_payoffs[t][m][a] > game.sender_payoffs[t][m][act[t]])
    if kind == "pooling":
        primary = "babbling"
    elif all(not _positive(1 - eq.sender[t][rep[t]], tolerance) for t in informed):
        primary = "truthful"
    else:
        primary = "noisy"
    labels = [primary]
    lies = [(t, m) for t in informed for m in range(n_m) if m != rep[t] and _positive(eq.sender[t][m], tolerance)]
    alarm = interpretation.alarm
    if alarm is not None:
        if any(m == rep[alarm] for t, m in lies if t != alarm):
            labels.append(f"fabricated {interpretation.alarm_name}")
        if any(t == alarm for t, _ in lies):
            labels.append(f"concealed {interpretation.alarm_name}")
    elif lies:
        labels.append("false report")
    on_path = [m for m in range(n_m) if eq.on_path[m]]
    if primary != "babbling" and all(
            not _positive(abs(eq.receiver[m][a] - eq.receiver[on_path[0]][a]), tolerance)
            for m in on_path for a in range(n_a)):
        labels.append("babbling in outcome")
    return Quality(tuple(labels), mi, false_report, match, 1 - match, manipulation, sender_value,
                   eq.receiver_payoff, value)

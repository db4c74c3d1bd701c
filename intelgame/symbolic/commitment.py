"""Where a binding reporting rule beats cheap talk for the sender, along one parameter (issue 18).

The sender's gain from commitment at a parameter value :math:`p` (the others fixed) is

.. math:: g(p) = V(p) - \\max_{\\text{PBE}} U_S(p) \\ \\ge 0,

its value under its optimal commitment less its best PBE value (``versus_best`` of
``intelgame persuade``; never negative: ``docs/persuasion.md``). Commitment *beats* cheap talk
where :math:`g(p) > 0`. :func:`commitment_thresholds` finds where that changes in ``[low, high]``.

Method: exact solves at rational points, not a symbolic derivation. (1) The state is computed
exactly (:func:`~intelgame.analysis.persuasion.compare`, rationals) at ``samples + 1`` evenly
spaced points and at the thresholds of the interval where the set of PBE changes
(:func:`~intelgame.symbolic.scan.thresholds`, the rational ones; the best PBE value can jump
only where that set changes). (2) Between two neighbouring points whose states differ, exact
bisection at rational midpoints until the bracket is at most ``resolution`` wide. Each
:class:`CommitmentThreshold` carries its certificate: :math:`g` at both ends of its bracket,
exactly, one zero and one positive. (3) A *point*: the root of the line through :math:`g` at
the two points nearest the bracket on its positive side, kept when it lies in the bracket,
:math:`g` is exactly zero there and a third positive point is on the same line: the exact
crossing if :math:`g` is affine between it and those points (as the sender's LP value is, in a
payoff parameter, between breakpoints), which three points suggest but do not prove.

What it cannot see: a change that starts and ends between two neighbouring scan points (an
interval where commitment beats cheap talk, or stops to, narrower than the spacing and not at a
PBE threshold) is missed; ``samples`` sets the spacing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from intelgame.analysis.persuasion import compare
from intelgame.errors import SolverError
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.spec.expressions import Expression, parse_expression
from intelgame.spec.model import SignallingSpec

#: Evenly spaced scan intervals by default.
SAMPLES = 64
#: Bisection stops when a bracket is this fraction of ``high - low`` wide (or less).
RESOLUTION = Fraction(1, 2**30)


@dataclass(frozen=True)
class CommitmentThreshold:
    """A change in whether commitment beats cheap talk for the sender, within ``[low, high]``.

    ``beats_below``: commitment beats cheap talk at ``low`` (and not at ``high``); ``gain_low``
    and ``gain_high``: the sender's gain :math:`g` at the two ends (the certificate, exact);
    ``point``: the exact crossing where :math:`g` is affine on the positive side (module
    docstring), else ``None``.
    """

    parameter: str
    low: Fraction
    high: Fraction
    beats_below: bool
    gain_low: Fraction
    gain_high: Fraction
    point: Fraction | None

    def summary(self) -> str:
        """One line: where, which way, the certificate."""
        where = f"{self.parameter} = {_text(self.point)}" if self.point is not None else \
            f"{self.parameter} in [{_text(self.low)}, {_text(self.high)}]"
        side = "below, not above" if self.beats_below else "above, not below"
        return (f"{where}: for the sender, commitment beats cheap talk {side} (certificate: gain "
                f"{_text(self.gain_low)} at {self.parameter} = {_text(self.low)}, {_text(self.gain_high)} at "
                f"{self.parameter} = {_text(self.high)})")

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "low": _text(self.low), "high": _text(self.high),
                "beats_below": self.beats_below, "gain_low": _text(self.gain_low),
                "gain_high": _text(self.gain_high), "point": None if self.point is None else _text(self.point)}


def _text(x: Fraction) -> str:
    """``9/10``, ``1``, ``-1/3``: as ``--exact`` output writes a rational."""
    return str(x)


def commitment_thresholds(spec: SignallingSpec, parameter: str, low: Any, high: Any, *,
                          overrides: Mapping[str, Expression] | None = None, samples: int = SAMPLES,
                          resolution: Any = RESOLUTION, pbe_thresholds: bool = True) -> list[CommitmentThreshold]:
    """Where commitment starts or stops beating cheap talk for the sender as ``parameter``
    moves over ``[low, high]`` (rationals), the other parameters as calibrated or set by
    ``overrides`` (see the module docstring for the method and what it cannot see).

    ``resolution``: the widest bracket, as a fraction of ``high - low``; ``pbe_thresholds``:
    also scan the thresholds where the set of PBE changes (sympy; off: the even points only).

    >>> from intelgame.spec import load_spec
    >>> [t.point for t in commitment_thresholds(load_spec("intelligence_market"), "c", 0, 1, samples=8)]
    [Fraction(19, 22)]
    """
    low, high = (Fraction(repr(x)) if isinstance(x, float) else Fraction(x) for x in (low, high))  # decimals as written
    if not low < high:
        raise SolverError(f"commitment thresholds in {parameter}: the range needs low < high, found "
                          f"[{_text(low)}, {_text(high)}]")
    if samples < 1:
        raise SolverError(f"samples must be at least 1, found {samples}")
    base = dict(overrides or {})
    gains: dict[Fraction, Fraction] = {}

    def gain(p: Fraction) -> Fraction:
        if p not in gains:
            gains[p] = sender_gain(spec, base | {parameter: _literal(p)})
        return gains[p]

    points = {low + (high - low) * i / samples for i in range(samples + 1)}
    if pbe_thresholds:
        points |= _pbe_thresholds(spec, parameter, base, low, high)
    ordered = sorted(points)
    width = (high - low) * Fraction(resolution)
    found = []
    for a, b in zip(ordered, ordered[1:]):
        if (gain(a) > 0) == (gain(b) > 0):
            continue
        while b - a > width:
            middle = (a + b) / 2
            if (gain(middle) > 0) == (gain(a) > 0):
                a = middle
            else:
                b = middle
        found.append(CommitmentThreshold(parameter, a, b, gain(a) > 0, gain(a), gain(b),
                                         _affine_point(gains, a, b, gain)))
    return found


def _literal(value: Fraction) -> Expression:
    return parse_expression(str(value), file="--thresholds-in", line=None, key="value")


def sender_gain(spec: SignallingSpec, overrides: Mapping[str, Expression]) -> Fraction:
    """:math:`g`, the sender's gain from commitment over its best PBE, at one point, exactly."""
    game = build_game(spec, overrides)
    assert isinstance(game, SignallingGame)
    return Fraction(compare(game, exact=True).value_of_commitment("sender").worst)


def _pbe_thresholds(spec: SignallingSpec, parameter: str, overrides: Mapping[str, Expression],
                    low: Fraction, high: Fraction) -> set[Fraction]:
    """The rational thresholds in ``[low, high]`` where the set of PBE changes (none where
    sympy cannot derive them: the even points remain)."""
    from intelgame.spec import resolve_parameters
    from intelgame.symbolic.scan import thresholds

    values = resolve_parameters(spec, overrides)
    try:
        found = thresholds(spec, parameter, at={k: values[k] for k in overrides if k != parameter},
                           low=low, high=high)
    except SolverError:
        return set()
    return {Fraction(t.value) for t in found if isinstance(t.value, (int, Fraction)) and low <= t.value <= high}


def _affine_point(gains: Mapping[Fraction, Fraction], a: Fraction, b: Fraction,
                  gain: Callable[[Fraction], Fraction]) -> Fraction | None:
    """The crossing in ``[a, b]`` if :math:`g` is affine on its positive side (module docstring)."""
    positive_right = gains[b] > 0
    side = sorted((p for p, g in gains.items() if g > 0 and (p >= b if positive_right else p <= a)),
                  key=lambda p: abs(p - (b if positive_right else a)))
    if len(side) < 3:
        return None
    (x1, x2, x3) = side[:3]
    slope = (gains[x2] - gains[x1]) / (x2 - x1)
    if slope == 0 or gains[x1] + slope * (x3 - x1) != gains[x3]:
        return None
    root = x1 - gains[x1] / slope
    if not a <= root <= b or gain(root) != 0:
        return None
    return root

"""The thresholds in a range are *every* place where the set of PBE changes (issue #17).

``intelgame thresholds SPEC --in c --range 0:1`` derives the thresholds symbolically; its module
docstring (:mod:`intelgame.symbolic.scan`) states how it could miss one. These tests check the
claim from outside, with nothing but the exact numerical solver: the game is solved exactly
(``pbe_solve(exact=True)``) on a fine rational grid of the range, at every reported threshold and
at rationals just below and above it, and each point's set of PBE is reduced to a fingerprint
(each PBE's support profile and which messages are on the path, no float value). Then

1. between consecutive reported thresholds (and before the first, after the last, inside the
   range) the fingerprint is the same at every point: a change there is a threshold the command
   MISSED, and the failure names the two points and what differs;
2. at every reported threshold the fingerprint differs from one side, from the other, or at the
   point itself: every reported threshold is real.

An irrational threshold cannot be solved at exactly; it is checked by rationals 10^-9 and 10^-6
on each side (its two sides must differ). Points outside the range (beyond a threshold at an end
of it) only serve as that threshold's other side: the command claims nothing beyond the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from intelgame.games.build import build_game
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import SignallingSpec, load_spec, parse_overrides
from intelgame.symbolic import thresholds

MODELS = Path(__file__).parent.parent / "models"

#: A PBE's support profile: (sender support per type, receiver support per message, on-path flags).
Profile = tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...], tuple[bool, ...]]
Fingerprint = tuple[Profile, ...]

NEAR = Fraction(1, 10**6)  # the "just below / just above" offset of every threshold
TIGHT = Fraction(1, 10**9)  # the nearby rationals of an irrational threshold


@dataclass(frozen=True)
class Case:
    model: str
    parameter: str
    low: Fraction
    high: Fraction
    step: Fraction
    fixed_others: bool  # ``--fixed-others``: only the parameter symbolic

    @property
    def id(self) -> str:
        return f"{self.model}-{self.parameter}"


CASES = [
    # 2x2x2, every other parameter symbolic (the command's default): 1001 exact solves, about 2 s.
    Case("intelligence_market", "c", Fraction(0), Fraction(1), Fraction(1, 1000), fixed_others=False),
    # 3x3x3 with --fixed-others (10 thresholds in [0, 1], three irrational, two 0.002 apart):
    # about 10 s of derivation and 0.06 s per exact solve, so 201 grid points stay affordable.
    Case("intelligence_three_levels", "c", Fraction(0), Fraction(1), Fraction(1, 200), fixed_others=True),
]


def fingerprint(spec: SignallingSpec, parameter: str, value: Fraction) -> Fingerprint:
    """The set of PBE at ``parameter = value`` (the others at the spec's values), solved exactly,
    as the sorted support profiles of its equilibria."""
    game = build_game(spec, parse_overrides([f"{parameter}={value}"]))
    result = pbe_solve(game, exact=True)
    profiles = [(e.sender_support, e.receiver_support, e.on_path) for e in result]
    assert all(s and r for s, r, _ in profiles), "pbe_solve reported an equilibrium without its support profile"
    return tuple(sorted(profiles))


def difference(a: Fraction, fa: Fingerprint, b: Fraction, fb: Fingerprint) -> str:
    """What changes between the fingerprints ``fa`` at ``a`` and ``fb`` at ``b``."""
    only_a = sorted(set(fa) - set(fb))
    only_b = sorted(set(fb) - set(fa))
    lines = [f"{len(fa)} PBE at {a} ({float(a):.9g}), {len(fb)} PBE at {b} ({float(b):.9g})"]
    lines += [f"  only at {a}: sender {s}, receiver {r}, on path {o}" for s, r, o in only_a]
    lines += [f"  only at {b}: sender {s}, receiver {r}, on path {o}" for s, r, o in only_b]
    if not only_a and not only_b:
        lines.append("  the same support profiles, with different multiplicities")
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_thresholds_are_every_change_on_a_fine_grid(case: Case) -> None:
    spec = load_spec(MODELS / f"{case.model}.yaml")
    assert isinstance(spec, SignallingSpec)
    # As ``intelgame thresholds SPEC --in c --range 0:1 [--fixed-others]`` calls it (no --set).
    found = thresholds(spec, case.parameter, at={}, low=case.low, high=case.high,
                       symbolic=[case.parameter] if case.fixed_others else None)
    assert found, f"{case.id}: no threshold reported in [{case.low}, {case.high}]"
    values = [t.value for t in found]
    assert all(case.low <= v <= case.high for v in values), values
    assert values == sorted(values) and len(set(values)) == len(values), values

    # The points: the grid, each rational threshold, and rationals just below and above each
    # threshold. Interval i (below) is the open interval between thresholds i - 1 and i.
    marks: list[Fraction] = []  # each threshold as a rational, for the comparisons below
    for t in found:
        if isinstance(t.value, Fraction):
            marks.append(t.value)
        else:  # irrational: a rational within 1e-15 of it; no probe comes closer than TIGHT
            marks.append(Fraction(t.value).limit_denominator(10**15))
    assert all(b - a > 2 * NEAR for a, b in zip(marks, marks[1:])), f"thresholds closer than 2e-6: {values}"
    points: set[Fraction] = set()
    steps = int((case.high - case.low) / case.step)
    points.update(case.low + i * case.step for i in range(steps + 1))
    for t, mark in zip(found, marks):
        offsets = [NEAR] if isinstance(t.value, Fraction) else [NEAR, TIGHT]
        for d in offsets:
            points.update((mark - d, mark + d))
        if isinstance(t.value, Fraction):
            points.add(mark)
    for t, mark in zip(found, marks):
        if not isinstance(t.value, Fraction):
            closest = min(abs(p - mark) for p in points)
            assert closest >= TIGHT / 2, f"a probe at {closest} of the irrational threshold {t.value}"

    fingerprints = {p: fingerprint(spec, case.parameter, p) for p in sorted(points)}

    # (1) No miss: the fingerprint is constant on each open interval between reported thresholds
    # (points of the range only).
    at_thresholds = {t.value for t in found if isinstance(t.value, Fraction)}
    intervals: dict[int, list[Fraction]] = {}
    for p in sorted(points):
        if not case.low <= p <= case.high or p in at_thresholds:
            continue
        index = sum(1 for m in marks if m < p)
        intervals.setdefault(index, []).append(p)
    misses = []
    for index, inside in sorted(intervals.items()):
        for a, b in zip(inside, inside[1:]):
            if fingerprints[a] != fingerprints[b]:
                before = "the range's start" if index == 0 else f"{case.parameter} = {found[index - 1].value}"
                after = "the range's end" if index == len(found) else f"{case.parameter} = {found[index].value}"
                misses.append(f"MISS between {a} and {b} (no threshold reported between {before} and {after}):\n"
                              + difference(a, fingerprints[a], b, fingerprints[b]))
                break  # one per interval: the first change names the place
    assert not misses, (f"{case.id}: the set of PBE changes where no threshold is reported "
                        f"(reported: {[str(v) for v in values]}):\n" + "\n".join(misses))

    # (2) Every reported threshold is real: its two sides differ, or the point differs from one.
    unreal = []
    for t, mark in zip(found, marks):
        below, above = fingerprints[mark - NEAR], fingerprints[mark + NEAR]
        if isinstance(t.value, Fraction):
            at = fingerprints[mark]
            real = at != below or at != above
        else:
            real = below != above  # (its nearby rationals, 1e-9 away, are in the intervals of (1))
        if not real:
            where = "on each side and at it" if isinstance(t.value, Fraction) else "on each side"
            unreal.append(f"{case.parameter} = {t.value}: {len(below)} PBE {where}, the same support profiles "
                          f"({t.summary()})")
    assert not unreal, f"{case.id}: reported thresholds where the set of PBE does not change:\n" + "\n".join(unreal)

"""Games built directly in Python from their published definitions (independent of the YAML
specs in models/, which tests/test_models.py compares against these), and :func:`same`, the
comparison of two solvers' results."""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F
from typing import Any

from intelgame.games import SignallingGame


def beer_quiche(p_weak: Any = F(1, 10)) -> SignallingGame:
    """Cho and Kreps (1987), QJE 102(2), p. 185: weak prefers quiche, strong beer; +2 for no
    duel; the receiver gains 1 from duelling the weak, loses 1 duelling the strong."""
    return SignallingGame.from_payoffs(
        name="beer-quiche", types=["weak", "strong"], messages=["beer", "quiche"],
        actions=["duel", "defer"], prior=[p_weak, 1 - p_weak],
        payoffs={"weak": {"beer": {"duel": (0, 1), "defer": (2, 0)},
                          "quiche": {"duel": (1, 1), "defer": (3, 0)}},
                 "strong": {"beer": {"duel": (1, -1), "defer": (3, 0)},
                            "quiche": {"duel": (0, -1), "defer": (2, 0)}}})


def intelligence_market(c: Any = 0, *, pi: Any = F(1, 4), L: Any = 10, k: Any = 4, e: Any = 1,
                        L_P: Any = 6, beta: Any = 3, eta: Any = 0, omega0: Any = 1, gamma: Any = 4,
                        v: Any = F(1, 10), rho: Any = 6) -> SignallingGame:
    """The signalling stage of docs/MODEL.md (Chang 2023), written from its formulas:
    sender payoff ``(1-v) U_P(theta,a) + v (U_P(theta,a*(theta)) - rho [m != theta])``, receiver
    ``(1-v) U_C(theta,a)``."""
    delta = gamma * c - omega0
    u_p = {("T", "A"): delta - eta, ("T", "R"): -L_P, ("N", "A"): beta, ("N", "R"): delta}
    u_c = {("T", "A"): 0, ("T", "R"): -(L + e), ("N", "A"): -(k + e), ("N", "R"): 0}
    best = {"T": "A", "N": "R"}
    truth = {"T": "t", "N": "n"}
    names = {"T": "threat", "N": "no_threat", "t": "warn", "n": "reassure", "A": "alert", "R": "restrain"}
    payoffs: dict[str, dict[str, dict[str, tuple[Any, Any]]]] = {}
    for th in "TN":
        for m in "tn":
            for a in "AR":
                sender = (1 - v) * u_p[(th, a)] + v * (u_p[(th, best[th])] - rho * (m != truth[th]))
                payoffs.setdefault(names[th], {}).setdefault(names[m], {})[names[a]] = (sender, (1 - v) * u_c[(th, a)])
    return SignallingGame.from_payoffs(
        name="intelligence-market", types=["threat", "no_threat"], messages=["warn", "reassure"],
        actions=["alert", "restrain"], prior=[pi, 1 - pi], payoffs=payoffs)


def same(a: object, b: object, tol: float = 1e-9) -> bool:
    """Equal structure (tuples, dataclasses, booleans, ``None``), numbers within ``tol``: a
    point found by vertex enumeration and by elimination can differ in the last bits."""
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return type(a) is type(b) and all(same(getattr(a, f.name), getattr(b, f.name), tol)
                                          for f in dataclasses.fields(a))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, (bool, type(None))) or isinstance(b, (bool, type(None))):
        return a == b
    return abs(a - b) <= tol  # type: ignore[operator]

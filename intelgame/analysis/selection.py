"""Selection rules: which equilibrium to pick when one must be picked.

A rule is ``NAME`` or ``NAME:CRITERION`` (e.g. ``receiver_optimal:d1``): the rule applied to the
equilibria whose outcome survives the criterion (:mod:`intelgame.analysis.divinity`); with no
survivor it selects nothing. The names:

* ``most_informative``: the largest mutual information :math:`I(\\theta; m)` between the type and
  the message (Cover and Thomas 2006, ch. 2); ties go to the chooser's ex-ante payoff.
* ``sender_optimal``: the largest ex-ante sender payoff :math:`\\sum_t p(t) u^*(t)`.
* ``receiver_optimal``: the largest ex-ante receiver payoff.
* ``pareto``: the equilibria no other one Pareto-dominates in the payoffs of every sender type
  (interim, :math:`u^*(t)`) and of the receiver (ex ante): weakly better for all, strictly for
  one. Where one must be picked, the most informative of them (ties as above).

Remaining ties go to the first equilibrium in the solver's order. Float results compare their
values within :data:`~intelgame.geometry.faces.FLOAT_TOLERANCE` (as ties), exact results exactly.

>>> parse_rule("receiver_optimal:d1")
Rule(name='receiver_optimal', criterion='d1')
>>> str(parse_rule("pareto"))
'pareto'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, Literal, Sequence

from intelgame.analysis.divinity import CRITERIA, Criterion, Verdicts, refinement_verdicts
from intelgame.analysis.quality import mutual_information
from intelgame.errors import SolverError
from intelgame.geometry.faces import FLOAT_TOLERANCE
from intelgame.solvers.pbe.result import PBE, PBEResult

RuleName = Literal["most_informative", "sender_optimal", "receiver_optimal", "pareto"]
#: The rule names (the first is the default of a ``stage:`` block).
RULES: tuple[RuleName, ...] = ("most_informative", "sender_optimal", "receiver_optimal", "pareto")
Chooser = Literal["sender", "receiver"]


@dataclass(frozen=True)
class Rule:
    """A selection rule, optionally restricted to the survivors of a criterion."""

    name: RuleName
    criterion: Criterion | None = None

    def __str__(self) -> str:
        return self.name if self.criterion is None else f"{self.name}:{self.criterion}"


def parse_rule(text: str) -> Rule:
    """``NAME`` or ``NAME:CRITERION`` as a :class:`Rule`; :class:`~intelgame.errors.SolverError`
    for an unknown name or criterion."""
    name, _, criterion = text.partition(":")
    if name not in RULES:
        raise SolverError(f"unknown selection rule {name!r}; expected one of: {', '.join(RULES)}"
                          " (optionally followed by ':CRITERION')")
    if criterion and criterion not in CRITERIA:
        raise SolverError(f"unknown criterion {criterion!r} in rule {text!r}; expected one of: {', '.join(CRITERIA)}")
    return Rule(name, criterion if criterion else None)


class Selector:
    """The rules over one result's equilibria (the values and verdicts computed once)."""

    def __init__(self, result: PBEResult, chooser: Chooser = "receiver") -> None:
        self.result, self.chooser = result, chooser
        self.slack: Any = 0 if result.exact else FLOAT_TOLERANCE
        prior = result.game.prior
        self.sender_value = [sum(p * u for p, u in zip(prior, eq.sender_payoffs)) for eq in result]
        self.receiver_value = [eq.receiver_payoff for eq in result]
        self.information = [mutual_information(result.game, eq) for eq in result]
        self._survivors: dict[Criterion, list[bool]] = {}
        self._verdicts: list[Verdicts] | None = None  # every criterion, computed once when first needed

    def candidates(self, criterion: Criterion | None) -> list[int]:
        """The indices the rule chooses among: all, or the survivors of ``criterion``."""
        if criterion is None:
            return list(range(len(self.result)))
        if criterion not in self._survivors:
            if self._verdicts is None:
                self._verdicts = refinement_verdicts(self.result)
            self._survivors[criterion] = [v[criterion].passes for v in self._verdicts]
        return [i for i, ok in enumerate(self._survivors[criterion]) if ok]

    def undominated(self, indices: Sequence[int] | None = None) -> list[int]:
        """The Pareto-undominated equilibria among ``indices`` (all by default)."""
        pool = list(range(len(self.result))) if indices is None else list(indices)
        payoffs = [(*self.result.equilibria[i].sender_payoffs, self.receiver_value[i]) for i in pool]
        return [i for i, own in zip(pool, payoffs)
                if not any(self._dominates(other, own) for other in payoffs)]

    def _dominates(self, a: Sequence[Any], b: Sequence[Any]) -> bool:
        return all(x >= y - self.slack for x, y in zip(a, b)) and any(x > y + self.slack for x, y in zip(a, b))

    def select(self, rule: Rule | str, among: Sequence[int] | None = None) -> int | None:
        """The index of the equilibrium ``rule`` picks (among the indices ``among`` if given),
        ``None`` if there is none to pick."""
        rule = parse_rule(rule) if isinstance(rule, str) else rule
        pool = self.candidates(rule.criterion)
        if among is not None:
            allowed = set(among)
            pool = [i for i in pool if i in allowed]
        own = self.sender_value if self.chooser == "sender" else self.receiver_value
        keys: dict[RuleName, Callable[[int], tuple[Any, ...]]] = {
            "most_informative": lambda i: (self.information[i], own[i]),
            "sender_optimal": lambda i: (self.sender_value[i],),
            "receiver_optimal": lambda i: (self.receiver_value[i],),
            "pareto": lambda i: (self.information[i], own[i]),
        }
        if rule.name == "pareto":
            pool = self.undominated(pool)
        return self._first_best(pool, keys[rule.name])

    def _first_best(self, pool: Sequence[int], key: Callable[[int], tuple[Any, ...]]) -> int | None:
        """The first index of ``pool`` whose key is lexicographically largest, values within
        the slack being ties."""
        best: int | None = None
        for i in pool:
            if best is None or self._greater(key(i), key(best)):
                best = i
        return best

    def _greater(self, a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
        for x, y in zip(a, b):
            slack = FLOAT_TOLERANCE if isinstance(x, float) or isinstance(y, float) else self.slack
            if x > y + slack:
                return True
            if x < y - slack:
                return False
        return False

    def alternatives(self, rule: Rule | str) -> dict[str, int | None]:
        """What every rule (restricted to ``rule``'s criterion, if any) picks."""
        rule = parse_rule(rule) if isinstance(rule, str) else rule
        return {str(Rule(name, rule.criterion)): self.select(Rule(name, rule.criterion)) for name in RULES}


def select(result: PBEResult, rule: Rule | str, *, chooser: Chooser = "receiver") -> PBE | None:
    """The equilibrium of ``result`` that ``rule`` picks (module docstring), or ``None``."""
    index = Selector(result, chooser).select(rule)
    return None if index is None else result.equilibria[index]


def restrict(result: PBEResult, *, rule: Rule | str | None = None, criterion: str | None = None,
             chooser: Chooser = "receiver") -> PBEResult:
    """``result`` with only the survivors of ``criterion`` (``--refine``), then only the
    equilibrium ``rule`` picks among them (``--select``), if given."""
    if criterion is not None and criterion not in CRITERIA:
        raise SolverError(f"unknown criterion {criterion!r}; expected one of: {', '.join(CRITERIA)}")
    selector = Selector(result, chooser)  # one computation of the verdicts for both steps
    kept = list(range(len(result))) if criterion is None else selector.candidates(criterion)
    if rule is not None:
        index = selector.select(rule, among=kept)
        kept = [] if index is None else [index]
    return dataclasses.replace(result, equilibria=tuple(result.equilibria[i] for i in kept))

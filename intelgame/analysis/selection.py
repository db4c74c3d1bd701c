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
from typing import Any, Callable, Literal, Mapping, Sequence

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


def parse_criterion(text: str) -> Criterion:
    """``text`` as a criterion (``--refine``); :class:`~intelgame.errors.SolverError` for an unknown one."""
    for criterion in CRITERIA:
        if text == criterion:
            return criterion
    raise SolverError(f"unknown criterion {text!r}; expected one of: {', '.join(CRITERIA)}")


class Selector:
    """The rules over one result's equilibria (the values and verdicts computed once).

    :meth:`of_values` makes one from the values the rules read, for equilibria held as
    arrays (a sweep's table) rather than a :class:`~intelgame.solvers.pbe.result.PBEResult`."""

    def __init__(self, result: PBEResult, chooser: Chooser = "receiver") -> None:
        self._start(chooser, result.exact, result.game.prior, [eq.sender_payoffs for eq in result],
                    [eq.receiver_payoff for eq in result], [mutual_information(result.game, eq) for eq in result])
        self._judge: Callable[[], list[Verdicts]] = lambda: refinement_verdicts(result)

    @classmethod
    def of_values(cls, chooser: Chooser, *, exact: bool, prior: Sequence[Any], sender_payoffs: Sequence[Sequence[Any]],
                  receiver_payoffs: Sequence[Any], information: Sequence[float],
                  survivors: Mapping[Criterion, Sequence[bool]]) -> Selector:
        """The selector of equilibria given by their values: each one's sender payoffs by type,
        receiver payoff, mutual information (bits) and whether it survives each criterion
        (every one of :data:`~intelgame.analysis.divinity.CRITERIA`), exact numbers or floats."""
        selector = cls.__new__(cls)
        selector._start(chooser, exact, prior, sender_payoffs, receiver_payoffs, information)
        selector._survivors = {c: list(survivors[c]) for c in CRITERIA}
        return selector

    def _start(self, chooser: Chooser, exact: bool, prior: Sequence[Any], sender_payoffs: Sequence[Sequence[Any]],
               receiver_payoffs: Sequence[Any], information: Sequence[float]) -> None:
        self.chooser, self.count = chooser, len(receiver_payoffs)
        self.slack: Any = 0 if exact else FLOAT_TOLERANCE
        self.sender_payoffs = [tuple(u) for u in sender_payoffs]
        self.sender_value = [sum(p * u for p, u in zip(prior, us)) for us in self.sender_payoffs]
        self.receiver_value = list(receiver_payoffs)
        self.information = list(information)
        self._survivors: dict[Criterion, list[bool]] = {}
        self._verdicts: list[Verdicts] | None = None  # every criterion, computed once when first needed

    def candidates(self, criterion: Criterion | None) -> list[int]:
        """The indices the rule chooses among: all, or the survivors of ``criterion``."""
        if criterion is None:
            return list(range(self.count))
        if criterion not in self._survivors:
            if self._verdicts is None:
                self._verdicts = self._judge()
            self._survivors[criterion] = [v[criterion].passes for v in self._verdicts]
        return [i for i, ok in enumerate(self._survivors[criterion]) if ok]

    def undominated(self, indices: Sequence[int] | None = None) -> list[int]:
        """The Pareto-undominated equilibria among ``indices`` (all by default)."""
        pool = list(range(self.count)) if indices is None else list(indices)
        payoffs = [(*self.sender_payoffs[i], self.receiver_value[i]) for i in pool]
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

    def kept(self, rule: Rule | None, criterion: Criterion | None) -> list[int]:
        """The indices ``--refine criterion --select rule`` keep: the survivors of ``criterion``
        (all if ``None``), then only the one ``rule`` picks among them (if given)."""
        kept = self.candidates(criterion)
        if rule is None:
            return kept
        index = self.select(rule, among=kept)
        return [] if index is None else [index]

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
    chosen = None if criterion is None else parse_criterion(criterion)
    selector = Selector(result, chooser)  # one computation of the verdicts for both steps
    kept = selector.kept(None if rule is None else parse_rule(rule) if isinstance(rule, str) else rule, chosen)
    return dataclasses.replace(result, equilibria=tuple(result.equilibria[i] for i in kept))

"""Selection rules: which equilibrium to pick when one must be picked.

A rule is ``NAME`` or ``NAME:CRITERION`` (e.g. ``receiver_optimal:d1``): the rule applied to the
equilibria whose outcome survives the criterion (:mod:`intelgame.analysis.divinity`); with no
survivor it selects nothing. A continuum survives when some equilibrium of its face does, and
one that survives on part of its face only enters the rule at its surviving point, with its
values there (:mod:`intelgame.analysis.entry_verdicts`). The names:

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

from intelgame.analysis.divinity import CRITERIA, Criterion
from intelgame.analysis.entry_verdicts import EntryVerdicts, entry_verdicts
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


#: An equilibrium's values as the rules read them: sender payoffs by type, receiver payoff,
#: mutual information (bits).
Values = tuple[Sequence[Any], Any, float]


class Selector:
    """The rules over one result's equilibria (the values and verdicts computed once).

    An entry survives a criterion when some equilibrium of its face does
    (:mod:`intelgame.analysis.entry_verdicts`); a rule restricted to the criterion reads a
    continuum that survives it on part of its face only at its surviving point
    (:attr:`EntryVerdicts.surviving <intelgame.analysis.entry_verdicts.EntryVerdicts>`).
    :meth:`of_values` makes one from the values the rules read, for equilibria held as
    arrays (a sweep's table) rather than a :class:`~intelgame.solvers.pbe.result.PBEResult`."""

    def __init__(self, result: PBEResult, chooser: Chooser = "receiver") -> None:
        self._start(chooser, result.exact, result.game.prior, [eq.sender_payoffs for eq in result],
                    [eq.receiver_payoff for eq in result], [mutual_information(result.game, eq) for eq in result])
        self._result: PBEResult | None = result
        self._entries: list[EntryVerdicts] | None = None

    @classmethod
    def of_values(cls, chooser: Chooser, *, exact: bool, prior: Sequence[Any], sender_payoffs: Sequence[Sequence[Any]],
                  receiver_payoffs: Sequence[Any], information: Sequence[float],
                  survivors: Mapping[Criterion, Sequence[bool]],
                  surviving: Mapping[Criterion, Mapping[int, Values]] | None = None) -> Selector:
        """The selector of equilibria given by their values: each one's sender payoffs by type,
        receiver payoff, mutual information (bits) and whether it survives each criterion
        (every one of :data:`~intelgame.analysis.divinity.CRITERIA`), exact numbers or floats;
        ``surviving[c][i]``, the values of equilibrium ``i`` at its surviving point for ``c``
        where ``c`` holds on part of its face only."""
        selector = cls.__new__(cls)
        selector._start(chooser, exact, prior, sender_payoffs, receiver_payoffs, information)
        selector._result = None
        selector._survivors = {c: list(survivors[c]) for c in CRITERIA}
        selector._surviving = {c: dict((surviving or {}).get(c, {})) for c in CRITERIA}
        return selector

    def _start(self, chooser: Chooser, exact: bool, prior: Sequence[Any], sender_payoffs: Sequence[Sequence[Any]],
               receiver_payoffs: Sequence[Any], information: Sequence[float]) -> None:
        self.chooser, self.count, self.prior = chooser, len(receiver_payoffs), list(prior)
        self.slack: Any = 0 if exact else FLOAT_TOLERANCE
        self._values: list[Values] = [(tuple(u), r, i) for u, r, i in zip(sender_payoffs, receiver_payoffs, information)]
        self._survivors: dict[Criterion, list[bool]] = {}
        self._surviving: dict[Criterion, dict[int, Values]] = {}

    def _judge(self) -> None:
        """Every entry's verdicts on its face (computed once, when a criterion is first asked)."""
        assert self._result is not None
        result = self._result
        self._entries = entry_verdicts(result, criteria_only=True)
        for c in CRITERIA:
            self._survivors[c] = [e.passes[c] for e in self._entries]
            self._surviving[c] = {i: (eq.sender_payoffs, eq.receiver_payoff, mutual_information(result.game, eq))
                                  for i, e in enumerate(self._entries) if c in e.surviving
                                  for eq in (e.surviving[c],)}

    def values(self, i: int, criterion: Criterion | None = None) -> Values:
        """Equilibrium ``i``'s values where a rule restricted to ``criterion`` reads it."""
        if criterion is not None:
            self.candidates(criterion)
            return self._surviving[criterion].get(i, self._values[i])
        return self._values[i]

    def equilibrium(self, i: int, criterion: Criterion | None = None) -> PBE:
        """Entry ``i`` of the result where a rule restricted to ``criterion`` reads it (its
        surviving point if ``criterion`` holds on part of its face only)."""
        assert self._result is not None
        eq = self._result.equilibria[i]
        if criterion is None:
            return eq
        self.candidates(criterion)
        assert self._entries is not None
        return self._entries[i].point(eq, criterion)

    def candidates(self, criterion: Criterion | None) -> list[int]:
        """The indices the rule chooses among: all, or the survivors of ``criterion``."""
        if criterion is None:
            return list(range(self.count))
        if criterion not in self._survivors:
            self._judge()
        return [i for i, ok in enumerate(self._survivors[criterion]) if ok]

    def undominated(self, indices: Sequence[int] | None = None, criterion: Criterion | None = None) -> list[int]:
        """The Pareto-undominated equilibria among ``indices`` (all by default), each read
        where a rule restricted to ``criterion`` reads it."""
        pool = list(range(self.count)) if indices is None else list(indices)
        payoffs = [(*values[0], values[1]) for values in (self.values(i, criterion) for i in pool)]
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

        def sender(i: int) -> Any:
            return sum(p * u for p, u in zip(self.prior, self.values(i, rule.criterion)[0]))

        def receiver(i: int) -> Any:
            return self.values(i, rule.criterion)[1]

        def information(i: int) -> Any:
            return self.values(i, rule.criterion)[2]
        own = sender if self.chooser == "sender" else receiver
        keys: dict[RuleName, Callable[[int], tuple[Any, ...]]] = {
            "most_informative": lambda i: (information(i), own(i)),
            "sender_optimal": lambda i: (sender(i),),
            "receiver_optimal": lambda i: (receiver(i),),
            "pareto": lambda i: (information(i), own(i)),
        }
        if rule.name == "pareto":
            pool = self.undominated(pool, rule.criterion)
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
    rule = parse_rule(rule) if isinstance(rule, str) else rule
    selector = Selector(result, chooser)
    index = selector.select(rule)
    return None if index is None else selector.equilibrium(index, rule.criterion)


def restrict(result: PBEResult, *, rule: Rule | str | None = None, criterion: str | None = None,
             chooser: Chooser = "receiver") -> PBEResult:
    """``result`` with only the survivors of ``criterion`` (``--refine``), then only the
    equilibrium ``rule`` picks among them (``--select``), if given."""
    chosen = None if criterion is None else parse_criterion(criterion)
    picked = None if rule is None else parse_rule(rule) if isinstance(rule, str) else rule
    selector = Selector(result, chooser)  # one computation of the verdicts for both steps
    kept = selector.kept(picked, chosen)
    point = None if picked is None else picked.criterion  # the rule reads its pick there
    return dataclasses.replace(result, equilibria=tuple(selector.equilibrium(i, point) for i in kept))

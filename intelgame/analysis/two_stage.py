"""Two-stage games: a player picks a parameter, then the signalling game is played.

A ``stage:`` block names a chooser (sender or receiver), a parameter and a finite set of
choices ``x_1 < ... < x_K``, and optional stage payoffs ``w_S(x)``, ``w_R(x)`` (e.g. the
patron's value ``alpha c`` and the client's autonomy cost ``-lam c`` of a concession ``c``).
Backward induction under an equilibrium-selection rule ``sel``: for each choice, solve every
PBE of the signalling game ``G(x)``, select one, :math:`e(x) = sel(PBE(G(x)))`, and give the
chooser

.. math:: V(x) = U_{chooser}(e(x)) + w_{chooser}(x);

the optimal choice maximises :math:`V` (ties: the smallest choice). Selection rules:
``most_informative`` (max mutual information :math:`I(\\theta; m)`, ties by the chooser's
payoff), ``sender_optimal``, ``receiver_optimal``, ``pareto``, each optionally restricted to
the survivors of a criterion (``receiver_optimal:d1``): :mod:`intelgame.analysis.selection`.
Each outcome also records what the other rules pick (``alternatives``). A choice whose
signalling game has no PBE (or none the rule can pick) cannot be chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from intelgame.analysis.quality import Interpretation, Quality, assess
from intelgame.analysis.selection import Selector, parse_rule
from intelgame.errors import SolverError
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.geometry.numbers import Number
from intelgame.geometry.faces import FLOAT_TOLERANCE
from intelgame.solvers.pbe.result import PBE, PBEResult
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec.expressions import Expression, parse_expression
from intelgame.spec.loader import resolve_parameters
from intelgame.spec.model import SignallingSpec



@dataclass(frozen=True)
class StageOutcome:
    """One choice: its signalling game's PBE, the selected one and the players' values."""

    choice: Number
    result: PBEResult
    selected: PBE | None
    quality: Quality | None
    sender_value: Number | None
    receiver_value: Number | None
    alternatives: Mapping[str, PBE | None] | None = None


@dataclass(frozen=True)
class StageResult:
    """The two-stage solution: every choice's outcome and the chooser's optimal choice."""

    chooser: str
    parameter: str
    selection: str
    outcomes: tuple[StageOutcome, ...]
    optimal: StageOutcome | None


def interpretation_of(spec: SignallingSpec, game: SignallingGame) -> Interpretation | None:
    """The spec's ``interpretation`` block as indices into ``game``."""
    block = spec.interpretation
    if block is None:
        return None
    return Interpretation.from_names(game, block.reports, block.correct_actions, block.alarm)


def stage_solve(spec: SignallingSpec, overrides: Mapping[str, Expression] | None = None, *,
                exact: bool = False,
                selection: str | None = None,
                progress: Callable[[int, int], None] | None = None) -> StageResult:
    """Solve the two-stage game of ``spec`` by backward induction (module docstring)."""
    stage = spec.stage
    if stage is None:
        raise SolverError(f"{spec.path}: the spec has no 'stage:' block")
    rule = selection or stage.selection
    base = dict(overrides or {})
    outcomes = []
    for k, choice_expr in enumerate(stage.choices):
        if progress is not None:
            progress(k, len(stage.choices))
        values = resolve_parameters(spec, base)
        choice = choice_expr.evaluate(values)  # type: ignore[arg-type]
        literal = parse_expression(str(choice), file=spec.path, line=choice_expr.line, key=f"stage.choices[{k}]")
        point = base | {stage.parameter: literal}
        game = build_game(spec, point)
        assert isinstance(game, SignallingGame)
        result = pbe_solve(game, exact=exact)
        at = resolve_parameters(spec, point)
        bonus = {who: (0 if e is None else e.evaluate(at))  # type: ignore[arg-type]
                 for who, e in (("sender", stage.sender_payoff), ("receiver", stage.receiver_payoff))}
        interpretation = interpretation_of(spec, game)
        selector = Selector(result, stage.chooser)
        criterion = parse_rule(rule).criterion  # a rule restricted to it reads its picks at their surviving points
        picks = {name: (None if i is None else selector.equilibrium(i, criterion))
                 for name, i in selector.alternatives(rule).items()}
        index = selector.select(rule)
        if index is None:
            outcomes.append(StageOutcome(choice, result, None, None, None, None, picks))
            continue
        eq = selector.equilibrium(index, criterion)
        quality = assess(game, eq, interpretation, tolerance=result.tolerance)
        outcomes.append(StageOutcome(choice, result, eq, quality, quality.sender_payoff + bonus["sender"],
                                     quality.receiver_payoff + bonus["receiver"], picks))
    if progress is not None:
        progress(len(stage.choices), len(stage.choices))
    def value(o: StageOutcome) -> Number:
        return o.sender_value if stage.chooser == "sender" else o.receiver_value

    feasible = [o for o in outcomes if o.selected is not None]
    slack = 0 if exact else FLOAT_TOLERANCE
    optimal = None
    for o in feasible:  # first maximiser: ties (within the float tolerance) go to the smallest choice
        if optimal is None or value(o) > value(optimal) + slack:
            optimal = o
    return StageResult(stage.chooser, stage.parameter, rule, tuple(outcomes), optimal)

"""Validated, immutable game specs: what :mod:`intelgame.spec.loader` makes of a YAML file.

Every number of a spec is still an :class:`~intelgame.spec.expressions.Expression` (with its
file, line and key); :func:`intelgame.games.build.build_game` evaluates them. ``lines`` maps
each dotted key of the file (``payoffs.weak.beer.duel``, ``messages[1]``) to its 1-based line,
so later stages can point at the spec in their error messages (see :meth:`SignallingSpec.error`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from intelgame.errors import SpecError
from intelgame.spec.expressions import Expression, Number

Chooser = Literal["sender", "receiver"]
Selection = str
#: The selection rules of ``stage.selection`` (the first is the default), each optionally
#: followed by ``:CRITERION`` (see :mod:`intelgame.analysis.selection`).
SELECTIONS: tuple[Selection, ...] = ("most_informative", "sender_optimal", "receiver_optimal", "pareto")
SELECTION_CRITERIA: tuple[str, ...] = ("intuitive_criterion", "d1", "d2", "universal_divinity", "nwbr")
CHOOSERS: tuple[Chooser, ...] = ("sender", "receiver")


@dataclass(frozen=True)
class StageSpec:
    """A first stage in which ``chooser`` picks the value of ``parameter`` among ``choices``.

    ``sender_payoff``/``receiver_payoff`` are added to the players' expected payoffs of the
    signalling game that follows; ``selection`` picks one equilibrium of each subgame.
    """

    chooser: Chooser
    parameter: str
    choices: tuple[Expression, ...]
    sender_payoff: Expression | None
    receiver_payoff: Expression | None
    selection: Selection = "most_informative"


@dataclass(frozen=True)
class InterpretationSpec:
    """What the messages mean: each type's truthful report, the full-information action of
    the receiver for each type, and optionally the type whose report is the alarm."""

    reports: dict[str, str]
    correct_actions: dict[str, str]
    alarm: str | None = None


@dataclass(frozen=True)
class Expectation:
    """One case of a spec's ``expect`` block: results that solving it must give.

    ``None`` means "not checked"; the tuples are multisets (order ignored).
    """

    overrides: dict[str, Expression]
    count: int | None
    classifications: tuple[str, ...] | None
    intuitive_criterion: tuple[bool, ...] | None
    qualities: tuple[str, ...] | None
    note: str
    line: int


@dataclass(frozen=True)
class _SpecBase:
    """What both kinds of spec have: where the file is, its name, description, parameters,
    ``expect`` cases and the line of every key (the last two keyword-only)."""

    path: str
    name: str
    description: str
    parameters: dict[str, Expression]
    expect: tuple[Expectation, ...] = field(default=(), kw_only=True)
    #: The declared domain ``(low, high)`` of some parameters (``parameters: {c: {value: 0,
    #: range: [0, 1]}}``): the default interval of ``intelgame thresholds``.
    ranges: dict[str, tuple[Number, Number]] = field(default_factory=dict, kw_only=True)
    #: The text figures and tables show for the game (``label:`` at the top level; default
    #: ``""``: they show ``name``) and for some parameters (``parameters: {c: {value: 0,
    #: label: "concession c"}}``; the others: their names).
    label: str = field(default="", kw_only=True)
    parameter_labels: dict[str, str] = field(default_factory=dict, kw_only=True)
    lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False, kw_only=True)

    @property
    def title(self) -> str:
        """The game's label, else its name."""
        return self.label or self.name

    def parameter_label(self, name: str) -> str:
        """The label of parameter ``name``, else the name."""
        return self.parameter_labels.get(name, name)

    def error(self, message: str, key: str) -> SpecError:
        """A :class:`SpecError` pointing at ``key`` of this spec (its file and line)."""
        return SpecError(message, file=self.path, line=self.lines.get(key), key=key)


@dataclass(frozen=True)
class SignallingSpec(_SpecBase):
    """A ``kind: signalling`` spec: ``payoffs[type][message][action] = (sender, receiver)``."""

    kind: ClassVar[str] = "signalling"

    types: dict[str, Expression]
    messages: tuple[str, ...]
    actions: tuple[str, ...]
    payoffs: dict[str, dict[str, dict[str, tuple[Expression, Expression]]]]
    stage: StageSpec | None = None
    interpretation: InterpretationSpec | None = None


@dataclass(frozen=True)
class NormalSpec(_SpecBase):
    """A ``kind: normal`` spec: ``payoffs[row strategy][column strategy] = (row, column)``."""

    kind: ClassVar[str] = "normal"

    players: tuple[str, str]
    strategies: dict[str, tuple[str, ...]]
    payoffs: dict[str, dict[str, tuple[Expression, Expression]]]


Spec = SignallingSpec | NormalSpec

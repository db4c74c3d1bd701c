"""The existence conditions of the PBE with one support profile, as conditions on the symbolic
parameters.

A signalling game's payoffs and prior depend on parameters :math:`\\theta` (some left as
``sympy`` symbols). The PBE solver (:mod:`intelgame.solvers.pbe.enumeration`) fixes a *support profile*
:math:`(S_t)_t, (B_m)_m` and reduces the PBE with that profile to two linear systems and one
belief cell per off-path message:

* the :math:`\\sigma`-system :math:`E_\\sigma(\\theta)\\,\\sigma = e_\\sigma`,
  :math:`U_\\sigma(\\theta)\\,\\sigma \\le 0`, :math:`\\sigma > 0` (Bayes-consistent best replies
  on the path), built by ``Enumerator.sender_system``;
* the :math:`\\rho`-system :math:`E_\\rho(\\theta)\\,\\rho = e_\\rho`,
  :math:`U_\\rho(\\theta)\\,\\rho \\le 0`, :math:`\\rho > 0` (the sender's indifference and
  incentive constraints), built by ``Enumerator.receiver_system``;
* for an off-path message :math:`m`, the closed cell
  :math:`\\{\\mu \\in \\Delta(T): \\mu \\cdot d_a = 0\\ (a \\in B_m),\\ \\mu \\cdot d_a \\le 0\\ (a \\notin B_m)\\}`
  built by ``BeliefCells.system``.

:func:`support_conditions` runs those *same builders* in a :class:`SymbolicArithmetic` (entries
are exact elements of the field :math:`\\mathbb{Q}(\\theta)` of rational functions) and
eliminates the strategy variables exactly (:mod:`.elimination`), so every condition is the
solver's own condition, never a second enumeration of PBE conditions.
:meth:`ExistenceConditions.bounds` solves each condition that is linear in one parameter
:math:`x` for :math:`x` (using the signs at the calibration), e.g. for docs/MODEL.md's truthful PBE
:math:`c \\ge \\max(c_{fab}, c_{con})`.

Reference: Fudenberg and Tirole (1991), *Game Theory*, ch. 8.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np
import sympy

from intelgame.symbolic.conditions import _FLIP, Condition, Operator
from intelgame.symbolic.elimination import (
    FaceSolution,
    _Bounded,
    _Collector,
    _Lift,
    _solve_system,
)
from intelgame.symbolic.exact import (
    Point,
    _evaluate,
    _sign_at,
    _sympify_number,
)
from intelgame.symbolic.fields import _Field
from intelgame.symbolic.linear import _linear_coefficients, _linear_root
from intelgame.analysis.classify import CLASSIFICATIONS, classification_rule
from intelgame.errors import GameStructureError, SolverError
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.enumeration import Enumerator

Profile = tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]


class SymbolicArithmetic:
    """The number type of the solver's builders, as exact symbolic quantities.

    ``number`` turns game entries into ``sympy`` objects (``Fraction`` -> ``Rational``,
    ``float`` -> the ``Rational`` of its decimal representation, expressions unchanged) or, when
    built with a rational-function field (internal use), into elements of that field, so that
    :class:`~intelgame.solvers.pbe.belief_cells.BeliefCells` and the PBE enumerator build their
    systems with symbolic entries. It has no polytope oracle: signs of symbolic quantities are
    decided only when ``sympy`` can decide them, otherwise a :class:`SolverError` says so (use
    :func:`support_conditions`, which eliminates symbolically).

    Examples
    --------
    >>> from fractions import Fraction
    >>> SymbolicArithmetic().number(Fraction(1, 10))
    1/10
    """

    exact = True
    tolerance = 0
    work = 0  # no oracle, so no work is counted

    def __init__(self, field: _Field | None = None) -> None:
        self._field = field

    def number(self, value: Any) -> Any:
        return _sympify_number(value) if self._field is None else self._field(value)

    def _decide(self, verdict: bool | None, x: Any) -> bool:
        if verdict is None:
            raise SolverError(f"the sign of {x} depends on the parameters; use support_conditions")
        return bool(verdict)

    def _sympy(self, x: Any) -> sympy.Expr:
        return self._field.K.to_sympy(x) if self._field is not None else sympy.sympify(x)

    def is_positive(self, x: Any) -> bool:
        return self._decide(self._sympy(x).is_positive, x)

    def is_nonnegative(self, x: Any) -> bool:
        return self._decide(self._sympy(x).is_nonnegative, x)

    def is_zero(self, x: Any) -> bool:
        return self._decide(self._sympy(x).is_zero, x)

    def _no_oracle(self, *_: Any) -> Any:
        raise SolverError("symbolic systems have no numeric polytope oracle; use support_conditions")

    open_point = closed_point = open_face = closed_face = _no_oracle


class _SymbolicEnumerator(Enumerator):
    """The PBE enumerator's builders over :class:`SymbolicArithmetic` (``run`` is never called)."""

    def __init__(self, game: SignallingGame, positive: Sequence[bool], field: _Field | None = None) -> None:
        super().__init__(game, SymbolicArithmetic(field))
        self.positive = tuple(positive)


@dataclass(frozen=True)
class ParameterBounds(_Bounded):
    """The conditions of one equilibrium solved for one parameter ``x`` (signs taken at the
    calibration): ``max(lower) <= x <= min(upper)`` (each bound ``(expression, strict)``),
    ``x`` in ``equal``, and the conditions not involving ``x`` (``other``) or not solved
    (``unsolved``). ``assumptions`` are the signs used when dividing. A condition with one
    factor in ``x`` is solved exactly; one with several factors, all linear in ``x``, gives the
    ends of the interval around the calibration where it holds."""

    parameter: str
    lower: tuple[tuple[sympy.Expr, bool], ...]
    upper: tuple[tuple[sympy.Expr, bool], ...]
    equal: tuple[sympy.Expr, ...]
    other: tuple[Condition, ...]
    unsolved: tuple[Condition, ...]
    assumptions: tuple[Condition, ...]


class _Solved(NamedTuple):
    """:class:`ParameterBounds` before the signs it assumes are made conditions."""

    lower: tuple[tuple[sympy.Expr, bool], ...]
    upper: tuple[tuple[sympy.Expr, bool], ...]
    equal: tuple[sympy.Expr, ...]
    other: tuple[Condition, ...]
    unsolved: tuple[Condition, ...]
    signs: tuple[tuple[sympy.Expr, Operator], ...]


@dataclass(frozen=True)
class ExistenceConditions:
    """When the PBE with one support profile exist, as conditions on the symbolic parameters.

    ``supports[t]`` are the messages type ``t`` sends, ``replies[m]`` the actions played after
    ``m`` (indices into the game's names). ``sender[t][m]``, ``receiver[m][a]``, ``beliefs[m][t]``
    are expressions in the parameters (and in the free variables of a continuum, whose ranges
    are in the faces' ``intervals``). The PBE with this profile exist exactly where every
    ``condition`` holds, provided every ``assumption`` (the stratum of the elimination) holds;
    ``derived`` is False when some elimination was not completed. ``offpath`` maps each off-path
    message to its belief cell's solution; ``sender_payoffs[t]`` and ``receiver_payoff`` are the
    expected payoffs; ``point`` is the calibration the elimination used (``None``: none).
    """

    game: SignallingGame
    supports: tuple[tuple[int, ...], ...]
    replies: tuple[tuple[int, ...], ...]
    classification: str
    truthful: bool
    conditions: tuple[Condition, ...]
    assumptions: tuple[Condition, ...]
    on_path: tuple[bool, ...]
    sender_face: FaceSolution
    receiver_face: FaceSolution
    offpath: Mapping[int, FaceSolution]
    feasible: bool
    derived: bool
    _strategies: _Strategies = field(repr=False, compare=False)
    point: Mapping[sympy.Symbol, sympy.Expr] | None = field(default=None, compare=False)

    @property
    def sender(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._strategies.sender

    @property
    def receiver(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._strategies.receiver

    @property
    def beliefs(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._strategies.beliefs

    @property
    def sender_payoffs(self) -> tuple[sympy.Expr, ...]:
        return self._strategies.sender_payoffs

    @property
    def receiver_payoff(self) -> sympy.Expr:
        return self._strategies.receiver_payoff

    @property
    def profile(self) -> Profile:
        return self.supports, self.replies

    @property
    def is_continuum(self) -> bool:
        return bool(self.sender_face.free or self.receiver_face.free)

    @property
    def label(self) -> str:
        """E.g. ``separating (truthful) [threat->warn, no_threat->reassure | warn->alert, ...]``."""
        g = self.game
        kind = self.classification + (" (truthful)" if self.truthful else "")
        sends = ", ".join(f"{g.types[t]}->{'/'.join(g.messages[m] for m in s)}" for t, s in enumerate(self.supports))
        plays = ", ".join(f"{g.messages[m]}->{'/'.join(g.actions[a] for a in b)}" for m, b in enumerate(self.replies))
        return f"{kind} [{sends} | {plays}]"

    @property
    def relationals(self) -> tuple[sympy.Basic, ...]:
        """The conditions as ``sympy`` relationals."""
        return tuple(c.relational for c in self.conditions)

    def holds(self, point: Mapping[Any, Any]) -> bool:
        """Whether the profile's PBE exist at ``point`` (every condition and assumption holds)."""
        if not self.feasible:
            return False
        p = _point_of(point, self.game)
        return all(c.holds(p) for c in (*self.assumptions, *self.conditions))

    def strategy(self, kind: Literal["sender", "receiver", "belief"], first: str, second: str) -> sympy.Expr:
        """``sigma(second|first)`` (``first`` a type), ``rho(second|first)`` (a message) or
        ``mu(second|first)`` (a message, ``second`` a type), by names."""
        g = self.game
        if kind == "sender":
            return self.sender[g.types.index(first)][g.messages.index(second)]
        if kind == "receiver":
            return self.receiver[g.messages.index(first)][g.actions.index(second)]
        return self.beliefs[g.messages.index(first)][g.types.index(second)]

    def bounds(self, parameter: str, at: Mapping[Any, Any] | None = None) -> ParameterBounds:
        """The conditions solved for ``parameter`` where they are linear in it.

        A condition :math:`r(\\theta) f(\\theta)^k \\mathrel{R} 0` whose only factor involving
        ``parameter`` is :math:`f = a x + b` (``k`` odd; ``k < 0`` for a denominator) becomes
        :math:`x \\mathrel{R'} -b/a`, with the signs of :math:`r` and :math:`a` taken at ``at``
        (default: the point the conditions were derived at) and listed as ``assumptions``; as
        neither involves ``parameter``, the bounds are exact as ``parameter`` varies. Other
        conditions involving ``parameter`` are ``unsolved``.
        """
        point = _point_of(at, self.game) if at is not None else self.point
        solved = self._solve_for(_find_symbol(self, parameter), point)
        used: list[Condition] = []
        for e, op in solved.signs:
            made = Condition.make(e, op)
            if isinstance(made, Condition) and made not in used:
                used.append(made)
        return ParameterBounds(parameter, solved.lower, solved.upper, solved.equal, solved.other,
                               solved.unsolved, tuple(used))

    def _solve_for(self, x: sympy.Symbol, point: Mapping[sympy.Symbol, sympy.Expr] | None) -> _Solved:
        """:meth:`bounds` with the signs it assumes as ``(expression, op)`` pairs."""
        lower: list[tuple[sympy.Expr, bool]] = []
        upper: list[tuple[sympy.Expr, bool]] = []
        equal: list[sympy.Expr] = []
        other: list[Condition] = []
        unsolved: list[Condition] = []
        signs: list[tuple[sympy.Expr, Operator]] = []
        for cond in self.conditions:
            if x not in cond.free_symbols:
                other.append(cond)
                continue
            powers = [f.as_base_exp() for f in sympy.Mul.make_args(cond.expr)]
            moving = [(f, int(k)) for f, k in powers if x in f.free_symbols]
            rest = sympy.Mul(*(f ** k for f, k in powers if x not in f.free_symbols))
            sign_rest = _sign_at(rest, point)
            if len(moving) > 1:
                component = _component(cond, [f for f, _ in moving], x, point)
                if component is None:
                    unsolved.append(cond)
                    continue
                low_bound, high_bound = component
                if low_bound is not None and low_bound not in lower:
                    lower.append(low_bound)
                if high_bound is not None and high_bound not in upper:
                    upper.append(high_bound)
                continue
            if moving[0][1] % 2 == 0 or sign_rest in (None, 0):
                unsolved.append(cond)
                continue
            (f, k), op = moving[0], cond.op
            coefficients = _linear_coefficients(f, x)
            if coefficients is None:
                unsolved.append(cond)
                continue
            a, b = coefficients
            sign_a = _sign_at(a, point)
            if sign_a in (None, 0) or (k < 0 and op == "=="):
                unsolved.append(cond)
                continue
            if k < 0:  # a denominator is never zero
                op = "<" if op == "<=" else ">" if op == ">=" else op
            if not rest.is_number:
                signs.append((rest, ">" if sign_rest > 0 else "<"))
            if not a.is_number:
                signs.append((a, ">" if sign_a > 0 else "<"))
            if sign_rest * sign_a < 0:
                op = _FLIP[op]
            bound = _linear_root(a, b)
            if op == "==":
                equal.append(bound)
            elif op in ("<", "<=") and (bound, op == "<") not in upper:
                upper.append((bound, op == "<"))
            elif op in (">", ">=") and (bound, op == ">") not in lower:
                lower.append((bound, op == ">"))
            elif op == "!=":
                unsolved.append(cond)
        return _Solved(tuple(lower), tuple(upper), tuple(equal), tuple(other), tuple(unsolved), tuple(signs))

    def to_dict(self) -> dict[str, Any]:
        g = self.game
        return {
            "label": self.label,
            "classification": self.classification,
            "truthful": self.truthful,
            "supports": {g.types[t]: [g.messages[m] for m in s] for t, s in enumerate(self.supports)},
            "replies": {g.messages[m]: [g.actions[a] for a in b] for m, b in enumerate(self.replies)},
            "conditions": [str(c) for c in self.conditions],
            "assumptions": [str(c) for c in self.assumptions],
            "sender": {g.types[t]: {g.messages[m]: str(x) for m, x in enumerate(row)} for t, row in enumerate(self.sender)},
            "receiver": {g.messages[m]: {g.actions[a]: str(x) for a, x in enumerate(row)} for m, row in enumerate(self.receiver)},
            "beliefs": {g.messages[m]: {g.types[t]: str(x) for t, x in enumerate(row)} for m, row in enumerate(self.beliefs)},
            "free_variables": {str(i.variable): {"low": str(i.low), "high": str(i.high)}
                               for f in (self.sender_face, self.receiver_face, *self.offpath.values())
                               for i in f.intervals},
            "derived": self.derived,
        }


def _component(cond: Condition, factors: list[sympy.Expr], x: sympy.Symbol,
               point: Mapping[sympy.Symbol, sympy.Expr] | None) -> tuple[Any, Any] | None:
    """For a condition with several factors in ``x``, all linear: the bounds ``((lo, strict) |
    None, (hi, strict) | None)`` of the interval of ``x`` around ``point`` where it holds."""
    if point is None or x not in point or not cond.holds(point):
        return None
    x0 = point[x]
    others = {s: v for s, v in point.items() if s != x}
    roots = []
    for f in factors:
        coefficients = _linear_coefficients(f, x)
        if coefficients is None:
            return None
        root = _linear_root(*coefficients)
        value = _evaluate(root, others)
        if value is None or value.free_symbols:
            return None
        if value == x0:
            return None
        roots.append((value, root))
    below = max((r for r in roots if r[0] < x0), key=lambda r: r[0], default=None)
    above = min((r for r in roots if r[0] > x0), key=lambda r: r[0], default=None)

    def bound(r: tuple[sympy.Expr, sympy.Expr] | None) -> tuple[sympy.Expr, bool] | None:
        if r is None:
            return None
        return r[1], not cond.holds({**point, x: r[0]})

    return bound(below), bound(above)


def _find_symbol(conditions: ExistenceConditions, name: str) -> sympy.Symbol:
    for s in _parameters(conditions.game):
        if s.name == name:
            return s
    return sympy.Symbol(name, real=True)


def _entries(game: SignallingGame) -> list[Any]:
    return [x for arr in (game.sender_payoffs, game.receiver_payoffs) for r in arr for c in r for x in c]


def _point_of(point: Mapping[Any, Any] | None, game: SignallingGame | None = None) -> Point:
    """Keys as symbols (a name becomes the game's symbol of that name, else the real symbol of
    that name, as specs make them), values as ``sympy`` numbers."""
    named: dict[str, sympy.Symbol] = {}
    if game is not None and any(not isinstance(key, sympy.Symbol) for key in (point or {})):
        named = {s.name: s for s in _parameters(game)}
    out: Point = {}
    for key, value in (point or {}).items():
        if isinstance(key, sympy.Symbol):
            symbol = key
        else:
            symbol = named.get(str(key)) or sympy.Symbol(str(key), real=True)
        out[symbol] = _sympify_number(value)
    return out


def _parameters(game: SignallingGame) -> list[sympy.Symbol]:
    """The symbols of a game's entries, sorted by name."""
    return sorted(set().union(*(_sympify_number(x).free_symbols for x in (*game.prior, *_entries(game)))), key=str)


def _normalise_profile(game: SignallingGame, supports: Sequence[Sequence[Any]],
                       replies: Sequence[Sequence[Any]] | Mapping[Any, Sequence[Any]]) -> Profile:
    def index(names: tuple[str, ...], x: Any) -> int:
        return names.index(x) if isinstance(x, str) else int(x)

    n_t, n_m, _ = game.shape
    if len(supports) != n_t:
        raise GameStructureError(f"supports must list {n_t} message sets, one per type")
    s = tuple(tuple(sorted({index(game.messages, m) for m in ms})) for ms in supports)
    if isinstance(replies, Mapping):
        keyed = {index(game.messages, m): b for m, b in replies.items()}
        replies = [keyed[m] for m in range(n_m)]
    if len(replies) != n_m:
        raise GameStructureError(f"replies must list {n_m} action sets, one per message")
    b = tuple(tuple(sorted({index(game.actions, a) for a in acts})) for acts in replies)
    if any(not x for x in (*s, *b)):
        raise GameStructureError("every support must be non-empty")
    return s, b


def support_conditions(game: SignallingGame, supports: Sequence[Sequence[Any]],
                       replies: Sequence[Sequence[Any]] | Mapping[Any, Sequence[Any]], *,
                       at: Mapping[Any, Any] | None = None,
                       reports: Mapping[str, str] | None = None) -> ExistenceConditions:
    """The conditions on the symbolic parameters for PBE with one support profile to exist.

    Parameters
    ----------
    game:
        A signalling game whose entries may be ``sympy`` expressions.
    supports:
        For each type, the messages it sends with positive probability (indices or names).
    replies:
        For each message, the actions played with positive probability after it.
    at:
        A calibration point (parameter name or symbol -> value). Pivots and the signs needed by
        Fourier-Motzkin are taken there, so the conditions describe the stratum containing it;
        without it, only what ``sympy`` can decide is used.
    reports:
        Each type's truthful message, to label a separating profile ``truthful``.

    Returns
    -------
    ExistenceConditions
        The strategies and beliefs as expressions and the existence conditions (see the
        module docstring).

    Examples
    --------
    >>> p = sympy.Symbol("p", real=True)
    >>> g = SignallingGame.from_payoffs(name="g", types=["a", "b"], messages=["x", "y"],
    ...     actions=["l", "r"], prior=[p, 1 - p],
    ...     payoffs={"a": {"x": {"l": (1, 1), "r": (0, 0)}, "y": {"l": (1, 1), "r": (0, 0)}},
    ...              "b": {"x": {"l": (1, 0), "r": (0, 1)}, "y": {"l": (1, 0), "r": (0, 1)}}})
    >>> [str(c) for c in support_conditions(g, [[0], [0]], [[0], [0]], at={"p": 0.7}).conditions]
    ['p > 0', 'p - 1 < 0', '2*p - 1 >= 0']
    """
    supports_i, replies_i = _normalise_profile(game, supports, replies)
    point = _point_of(at, game) if at is not None else None
    n_t, n_m, n_a = game.shape
    T, M, A = game.types, game.messages, game.actions
    sigma_vars = [sympy.Symbol(f"sigma({M[m]}|{T[t]})", real=True) for t in range(n_t) for m in supports_i[t]]
    rho_vars = [sympy.Symbol(f"rho({A[a]}|{M[m]})", real=True) for m in range(n_m) for a in replies_i[m]]
    mu_vars = {m: [sympy.Symbol(f"mu({T[t]}|{M[m]})", real=True) for t in range(n_t)] for m in range(n_m)}
    lift = _Lift(_parameters(game), [*sigma_vars, *rho_vars, *(v for vs in mu_vars.values() for v in vs)])
    fld = lift.small
    out = _Collector(fld)
    prior = [fld(p) for p in game.prior]
    positive = []
    for p in prior:
        is_positive = fld.sign(p, point) == 1 if point is not None else p != 0
        positive.append(is_positive)
        if is_positive:
            out.condition(p, ">")
        else:
            out.assume(p, "==")
    enumerator = _SymbolicEnumerator(game, positive, fld)
    senders = {m: tuple(t for t in range(n_t) if positive[t] and m in supports_i[t]) for m in range(n_m)}
    on_path = [m for m in range(n_m) if senders[m]]
    off_path = [m for m in range(n_m) if not senders[m]]
    sigma = _solve_system(lift, enumerator.sender_system(supports_i, {m: replies_i[m] for m in on_path}),
                          sigma_vars, strict=True, point=point)
    rho = _solve_system(lift, enumerator.receiver_system(supports_i, list(replies_i)), rho_vars, strict=True,
                        point=point)
    everyone = tuple(range(n_t))
    offpath = {m: _solve_system(lift, enumerator.system(m, everyone, replies_i[m]), mu_vars[m], strict=False,
                                point=point) for m in off_path}
    faces = [sigma, rho, *offpath.values()]
    for face in faces:
        out.extend(face.conditions, face.assumptions)
    free = [v for face in faces for v in face.free]
    if free:  # strategies in the free variables: in Q(theta, x)
        fld = lift.field(free)
        prior = [fld(p) for p in prior]

    def elements(face: FaceSolution) -> list[Any]:
        if fld is lift.small:
            return [form[0] for form in face._elements]
        return [lift.element(form, face.free, fld) for form in face._elements]

    zero = fld.zero
    sender = [[zero] * n_m for _ in range(n_t)]
    sigma_index = [(t, m) for t in range(n_t) for m in supports_i[t]]  # the builders' variable order
    for (t, m), x in zip(sigma_index, elements(sigma)):
        sender[t][m] = x
    receiver = [[zero] * n_a for _ in range(n_m)]
    rho_index = [(m, a) for m in range(n_m) for a in replies_i[m]]
    for (m, a), x in zip(rho_index, elements(rho)):
        receiver[m][a] = x
    beliefs = []
    for m in range(n_m):
        if m in offpath:
            beliefs.append(elements(offpath[m]))
            continue
        mass = sum((prior[t] * sender[t][m] for t in range(n_t) if positive[t]), zero)
        beliefs.append([prior[t] * sender[t][m] / mass if positive[t] else zero for t in range(n_t)])
    classification = _classify(supports_i, positive, prior, beliefs, on_path)
    truthful = bool(classification == "separating" and reports and all(
        M[supports_i[t][0]] == reports.get(T[t]) for t in range(n_t) if positive[t]))
    feasible = out.feasible and all(f.feasible for f in faces)
    strategies = _Strategies(fld, supports_i, prior, sender, receiver, beliefs, enumerator.us, enumerator.ur)
    return ExistenceConditions(
        game=game, supports=supports_i, replies=replies_i, classification=classification, truthful=truthful,
        conditions=tuple(out.conditions), assumptions=tuple(out.assumptions),
        on_path=tuple(m in on_path for m in range(n_m)), sender_face=sigma, receiver_face=rho, offpath=offpath,
        feasible=feasible, derived=all(f.derived for f in faces), _strategies=strategies, point=point,
    )


class _Strategies:
    """One profile's strategies, beliefs and expected payoffs (field elements), turned into
    ``sympy`` expressions on first use: the threshold analysis never needs them.

    ``sender_payoffs[t]`` is :math:`\\sum_a \\rho(a|m) u_S(t, m, a)` for the first message ``m``
    type ``t`` sends (it is indifferent among them); ``receiver_payoff`` is
    :math:`\\sum_{t,m,a} p(t) \\sigma(m|t) \\rho(a|m) u_R(t, m, a)`.
    """

    def __init__(self, fld: _Field, supports: Sequence[Sequence[int]], prior: Sequence[Any],
                 sender: Sequence[Sequence[Any]], receiver: Sequence[Sequence[Any]],
                 beliefs: Sequence[Sequence[Any]], us: Sequence[Sequence[Sequence[Any]]],
                 ur: Sequence[Sequence[Sequence[Any]]]) -> None:
        self.fld, self.supports, self.prior = fld, supports, prior
        self._sender, self._receiver, self._beliefs = sender, receiver, beliefs
        self._us, self._ur = us, ur

    def _grid(self, grid: Sequence[Sequence[Any]]) -> tuple[tuple[sympy.Expr, ...], ...]:
        return tuple(tuple(self.fld.expr(x) for x in row) for row in grid)

    @functools.cached_property
    def sender(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._grid(self._sender)

    @functools.cached_property
    def receiver(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._grid(self._receiver)

    @functools.cached_property
    def beliefs(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        return self._grid(self._beliefs)

    @functools.cached_property
    def sender_payoffs(self) -> tuple[sympy.Expr, ...]:
        fld, receiver = self.fld, self._receiver
        us = [[[fld(x) for x in c] for c in r] for r in self._us]
        return tuple(fld.expr(sum((receiver[m][a] * us[t][m][a] for a in range(len(receiver[m]))), fld.zero))
                     for t in range(len(us)) for m in self.supports[t][:1])

    @functools.cached_property
    def receiver_payoff(self) -> sympy.Expr:
        fld, prior, sender, receiver = self.fld, self.prior, self._sender, self._receiver
        ur = [[[fld(x) for x in c] for c in r] for r in self._ur]
        return fld.expr(sum((prior[t] * sender[t][m] * receiver[m][a] * ur[t][m][a]
                             for t in range(len(ur)) for m in range(len(ur[t])) for a in range(len(ur[t][m]))),
                            fld.zero))


def _classify(supports: tuple[tuple[int, ...], ...], positive: Sequence[bool], prior: Sequence[Any],
              beliefs: Sequence[Sequence[Any]], on_path: Sequence[int]) -> str:
    """:func:`~intelgame.analysis.classify.classification_rule` of the profile, its facts decided
    on field elements: a posterior equals the prior (types of zero prior aside), a type sends a
    message for sure (its support is that message alone), or at all (it is in its support)."""
    n_t, n_m = len(supports), len(beliefs)
    pooled = [[not positive[t] or beliefs[m][t] == prior[t] for t in range(n_t)] for m in range(n_m)]
    sends = [[m in supports[t] for m in range(n_m)] for t in range(n_t)]
    sure = [[len(supports[t]) == 1 and m in supports[t] for m in range(n_m)] for t in range(n_t)]
    code = classification_rule(np.array([pooled]), np.array([sure]), np.array([sends]), np.array([positive]),
                               np.array([[m in on_path for m in range(n_m)]]))
    return CLASSIFICATIONS[int(code[0])]

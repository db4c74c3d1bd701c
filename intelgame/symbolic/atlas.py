"""A game with symbolic parameters and a calibration (from a spec or a ``sympy`` game), and the
atlas of the support profiles the numerical solver finds at its points, each with the
conditions derived where it was found."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy

from intelgame.symbolic.budget import charge, remaining
from intelgame.symbolic.conditions import Condition
from intelgame.symbolic.exact import (
    Point,
    _evaluate,
    _exact_value,
    _NotExact,
    _sympify_number,
    _to_fraction,
)
from intelgame.symbolic.profiles import (
    ExistenceConditions,
    Profile,
    _entries,
    support_conditions,
)
from intelgame.errors import GameStructureError, SolverError, WorkLimitExceeded
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.result import PBE, PBEResult
from intelgame.solvers.pbe.batch import pbe_solve_many
from intelgame.solvers.pbe.enumeration import WorkBudget, minimum_work, pbe_solve
from intelgame.spec.expressions import parse_expression
from intelgame.spec.loader import load_spec, resolve_parameters
from intelgame.spec.model import SignallingSpec, Spec
from intelgame.spec.parameters import unknown_parameter


@dataclass
class _Model:
    game: SignallingGame  # symbolic
    symbols: dict[str, sympy.Symbol]
    point: Point  # the calibration of every symbol
    reports: Mapping[str, str] | None

    def numeric_game(self, point: Point) -> SignallingGame | None:
        """The game at ``point`` (exact where rational); ``None`` if it is not a valid game."""
        def value(x: Any) -> Any:
            entry = _sympify_number(x)
            try:
                exact = _exact_value(entry, point)
            except _NotExact:
                v = _evaluate(entry, point)
                if v is None or v.free_symbols:
                    raise GameStructureError(f"entry {x} is undefined at the point") from None
                return _to_fraction(v)
            if exact is None:
                raise GameStructureError(f"entry {x} is undefined at the point")
            return exact

        g = self.game
        try:
            return SignallingGame(
                name=g.name, types=g.types, messages=g.messages, actions=g.actions,
                prior=tuple(value(p) for p in g.prior),
                sender_payoffs=tuple(tuple(tuple(value(x) for x in c) for c in r) for r in g.sender_payoffs),
                receiver_payoffs=tuple(tuple(tuple(value(x) for x in c) for c in r) for r in g.receiver_payoffs),
                description=g.description)
        except GameStructureError:
            return None


def _model(source: Spec | SignallingGame | str | Path, symbolic: Sequence[str] | None,
           at: Mapping[str, Any] | None, reports: Mapping[str, str] | None, ensure: Sequence[str] = ()) -> _Model:
    at = dict(at or {})
    if isinstance(source, (str, Path)):
        source = load_spec(source)
    if isinstance(source, SignallingGame):
        pool: dict[str, sympy.Symbol] = {}
        for x in (*source.prior, *_entries(source)):
            for s in sympy.sympify(x).free_symbols:
                pool[s.name] = s
        names = list(symbolic) if symbolic is not None else sorted(pool)
        for name in (*names, *ensure):
            if name not in pool:
                raise SolverError(f"'{name}' is not a symbol of the game (its symbols: {', '.join(sorted(pool)) or 'none'})")
        missing = sorted(set(pool) - set(at))
        if missing:
            raise SolverError(f"give a calibration value in `at` for every symbol of the game; missing: {', '.join(missing)}")
        fixed = {pool[n]: _sympify_number(v) for n, v in at.items() if n in pool and n not in names and n not in ensure}
        game = _substitute(source, fixed) if fixed else source
        chosen = {n: pool[n] for n in (*names, *ensure)}
        point = {pool[n]: _sympify_number(at[n]) for n in chosen}
        return _Model(game, chosen, point, reports)
    if not isinstance(source, SignallingSpec):
        raise SolverError("threshold analysis needs a signalling spec or game")
    spec = source
    for name in at:
        if name not in spec.parameters:
            raise SolverError(unknown_parameter(name, spec.parameters, where="in `at`"))
    overrides = {name: parse_expression(str(_sympify_number(v)), file="at", line=None, key=name) for name, v in at.items()}
    if symbolic is None:
        names = [n for n, e in spec.parameters.items() if not overrides.get(n, e).names()]
    else:
        names = list(symbolic)
    names += [n for n in ensure if n not in names]
    values = resolve_parameters(spec, overrides)
    fixed_overrides = {n: e for n, e in overrides.items() if n not in names}
    built = build_game(spec, fixed_overrides, symbolic=names)
    assert isinstance(built, SignallingGame)
    game = built
    chosen = {n: sympy.Symbol(n, real=True) for n in names}
    point = {chosen[n]: _sympify_number(values[n]) for n in names}
    if reports is None and spec.interpretation is not None:
        reports = dict(spec.interpretation.reports)
    return _Model(game, chosen, point, reports)


def _substitute(game: SignallingGame, values: Point) -> SignallingGame:
    def sub(x: Any) -> sympy.Expr:
        return _sympify_number(x).xreplace(values)

    return SignallingGame(
        name=game.name, types=game.types, messages=game.messages, actions=game.actions,
        prior=tuple(sub(p) for p in game.prior),
        sender_payoffs=tuple(tuple(tuple(sub(x) for x in c) for c in r) for r in game.sender_payoffs),
        receiver_payoffs=tuple(tuple(tuple(sub(x) for x in c) for c in r) for r in game.receiver_payoffs),
        description=game.description, parameters=game.parameters)


def _solve_many(games: Sequence[SignallingGame]) -> list[PBEResult]:
    """Every PBE of each of ``games``, within the work budget in force (:mod:`.budget`): each
    game is counted at least its belief cells up front, and the solves are stopped by what
    remains, their own count charged only on refusal. Only the support profiles are read: the
    float enumeration finds the same ones (its uncertain decisions are redone exactly), in half
    the time of the exact one, and the batched float enumeration
    (:func:`~intelgame.solvers.pbe.batch.pbe_solve_many`) the same again, several times faster a
    game (a family along a parameter shares its support profiles). The batch is given what
    remains for each of its games, in its own count (per game, a search step for each candidate
    profile, :func:`~intelgame.solvers.pbe.batch.pbe_table_many`). A game whose numbers overflow
    the floats' range (a payoff of high degree at a point with a large denominator) is solved
    alone, exactly."""
    for game in games:
        charge(minimum_work(game), "a numerical solve")
    floats = [k for k, game in enumerate(games) if _in_float_range(game)]
    work = remaining()
    budget = None if work is None or not floats else WorkBudget(work * len(floats), subject=games[floats[0]])
    try:
        try:
            batched = dict(zip(floats, pbe_solve_many([games[k] for k in floats], budget=budget)))
        except OverflowError:  # a float path's overflow inside a game: each game alone
            batched = {}
        return [batched[k] if k in batched else _solve_alone(game) for k, game in enumerate(games)]
    except WorkLimitExceeded as exc:  # the solves' own count passed what remains: the budget's refusal
        charge(exc.work, "a numerical solve")
        raise


def _solve_alone(game: SignallingGame) -> PBEResult:
    """``game``'s PBE in floats, or exactly if its numbers overflow them, within what remains."""
    try:
        return pbe_solve(game, exact=False, max_work=remaining())
    except OverflowError:
        return pbe_solve(game, exact=True, max_work=remaining())


def _in_float_range(game: SignallingGame) -> bool:
    """Whether every number of ``game`` converts to a float (none overflows)."""
    try:
        for x in (*game.prior, *_entries(game)):
            float(x)
    except OverflowError:
        return False
    return True


def _profile_of(eq: PBE) -> Profile:
    return (tuple(tuple(m for m, p in enumerate(row) if p > 0) for row in eq.sender),
            tuple(tuple(a for a, p in enumerate(row) if p > 0) for row in eq.receiver))


class _Atlas:
    """Derived conditions per support profile, added as equilibria are found at points."""

    def __init__(self, model: _Model) -> None:
        self.model = model
        self.derivations: dict[Profile, list[ExistenceConditions]] = {}
        self.found: dict[Profile, set[tuple[Any, ...]]] = {}
        self.probed: set[tuple[Any, ...]] = set()
        self._truth: dict[tuple[Condition, tuple[Any, ...]], bool] = {}

    @staticmethod
    def _key(point: Point) -> tuple[Any, ...]:
        return tuple(sorted((s.name, v) for s, v in point.items()))

    def probe(self, point: Point) -> bool:
        """Solve at ``point`` (rational), derive new profiles; True if something was added."""
        return self.probe_many([point])

    def probe_many(self, points: Sequence[Point]) -> bool:
        """Solve at each of ``points`` (rational) not yet probed, the games together
        (:func:`_solve_many`), and derive new profiles point by point, in order (as
        :meth:`probe` one point after the other would); True if something was added."""
        games: dict[tuple[Any, ...], tuple[Point, SignallingGame]] = {}
        for point in points:
            key = self._key(point)
            if key in self.probed:
                continue
            self.probed.add(key)
            game = self.model.numeric_game(point)
            if game is not None:
                games[key] = (point, game)
        added = False
        for (key, (point, _)), result in zip(games.items(), _solve_many([g for _, g in games.values()])):
            for eq in result:
                profile = _profile_of(eq)
                self.found.setdefault(profile, set()).add(key)
                known = self.derivations.setdefault(profile, [])
                if any(self.holds(d, point) for d in known):
                    continue
                known.append(support_conditions(self.model.game, *profile, at=point, reports=self.model.reports))
                added = True
        return added

    def holds(self, derivation: ExistenceConditions, point: Point) -> bool:
        """``derivation.holds(point)``, each condition's truth at a point decided once (the same
        conditions recur in the derivations of many profiles)."""
        if not derivation.feasible:
            return False
        key = self._key(point)
        for c in (*derivation.assumptions, *derivation.conditions):
            truth = self._truth.get((c, key))
            if truth is None:
                truth = self._truth[c, key] = c.holds(point)
            if not truth:
                return False
        return True

    def found_at(self, profile: Profile, point: Point) -> bool:
        """Whether the solver found ``profile``'s PBE at ``point``."""
        return self._key(point) in self.found.get(profile, set())

    def exists(self, profile: Profile, point: Point) -> bool:
        if self.found_at(profile, point):
            return True
        return any(self.holds(d, point) for d in self.derivations.get(profile, []))

    def all(self) -> list[ExistenceConditions]:
        return [d for ds in self.derivations.values() for d in ds]


# --- public entry points ----------------------------------------------------------------------

def equilibrium_conditions(source: Spec | SignallingGame | str | Path, symbolic: Sequence[str] | None = None,
                           at: Mapping[str, Any] | None = None, *,
                           ranges: Mapping[str, tuple[Any, Any]] | None = None, steps: int = 21,
                           reports: Mapping[str, str] | None = None) -> list[ExistenceConditions]:
    """The existence conditions of every PBE found at the calibration (and on a grid).

    Parameters
    ----------
    source:
        A signalling spec (or its path), or a signalling game with ``sympy`` symbols.
    symbolic:
        The parameters left symbolic (default: every parameter given by a number in the spec,
        every symbol of a game). Parameters of a spec not listed keep their (``at``) values.
    at:
        The calibration (name -> value); a spec's defaults fill in the rest. A game needs a
        value for every symbol.
    ranges:
        Optional ``name -> (low, high)``: each named parameter is also stepped over ``steps``
        evenly spaced points of its range (the others at the calibration), so equilibria that
        exist away from the calibration are found too.
    reports:
        Each type's truthful message (default: the spec's ``interpretation.reports``).

    Returns
    -------
    list of ExistenceConditions
        One entry per support profile found (a profile found in two strata of the parameter
        space, e.g. with a different binding constraint, gives two entries), each derived at
        the first point where it was found.
    """
    model = _model(source, symbolic, at, reports)
    points = [dict(model.point)]
    for name, (low, high) in (ranges or {}).items():
        if name not in model.symbols:
            raise SolverError(f"'{name}' has a range but is not symbolic")
        lo, hi = _sympify_number(low), _sympify_number(high)
        points += [{**model.point, model.symbols[name]: lo + (hi - lo) * sympy.Rational(i, max(steps, 2) - 1)}
                   for i in range(max(steps, 2))]
    atlas = _Atlas(model)
    atlas.probe_many(points)
    return atlas.all()

"""The signalling games of a spec at many parameter points at once, as float64 arrays.

:func:`build_game_grid` gives, at every point ``i``, the game that

    ``build_game(spec, {**overrides, names[0]: x_0, names[1]: x_1, ...})``

builds, with ``x_j`` the expression of ``points[i][j]`` (:func:`grid_value_expression`), in
float64 and within :data:`GRID_TOLERANCE`: ``|array entry - float(exact entry)| <=
GRID_TOLERANCE * max(1, |float(exact entry)|)``. It raises exactly the error that a loop calling
``build_game`` at each point in turn would raise first. How:

* Point 0 is built by ``build_game``: its errors, including every structural one (unknown or
  misordered parameters), are raised as they are. Its exact values are those of every
  parameter, prior and payoff that does not depend on a swept name at every point.
* Each parameter and payoff expression that depends on a swept name is folded once over the
  arrays of all the points (:meth:`~intelgame.spec.expressions.Expression.evaluate_bounded`;
  the payoff tables are walked by :func:`~intelgame.games.build.payoff_tables`, as in
  ``build_game``),
  with a rigorous bound on its rounding error and the points where its exact evaluation could
  fail (a divisor that may be 0, exact numbers or powers over their limits, values out of
  range, ...).
* A prior that depends on a swept name is evaluated exactly and checked by
  :func:`~intelgame.spec.parameters.resolve_priors`, once per combination of the swept values it
  depends on.
* Every *doubtful* point (its evaluation may fail, its prior may be invalid, or an error bound
  exceeds the tolerance) is built by ``build_game``, in grid order: the first that fails
  raises its own error, as the loop would, and the values of the others are used.

Examples
--------
>>> from intelgame.spec import parse_spec
>>> spec = parse_spec('''
... intelgame: 1
... kind: signalling
... name: beer-quiche
... parameters: {p: 1/10, d: 1}
... types: {weak: p, strong: 1 - p}
... messages: [beer, quiche]
... actions: [duel, defer]
... payoffs:
...   weak:   {beer: {duel: [0, d], defer: [2, 0]}, quiche: {duel: [1, d], defer: [3, 0]}}
...   strong: {beer: {duel: [1, -d], defer: [3, 0]}, quiche: {duel: [0, -d], defer: [2, 0]}}
... ''')
>>> grid = build_game_grid(spec, {}, ["p", "d"], [(Fraction(1, 10), 1), (Fraction(1, 2), 2.5)])
>>> grid.receiver.shape, grid.prior[1].tolist(), grid.receiver[1, 0, 0, 0]
((2, 2, 2, 2), [0.5, 0.5], np.float64(2.5))
>>> grid.game(1).parameters
(('p', 0.5), ('d', 2.5))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
import numpy as np

from intelgame.errors import SpecError
from intelgame.games.build import Table, build_game, payoff_tables, signalling_axes
from intelgame.games.signalling import SignallingGame
from intelgame.spec.expressions import MAX_BITS, Expression, parse_expression
from intelgame.spec.intervals import ROUNDING, Bounded
from intelgame.spec.model import SignallingSpec, Spec
from intelgame.spec.parameters import parameter_expressions, resolve_priors

GridValue = Fraction | float
#: The ``file`` of the expressions of grid values (and of their errors).
GRID_FILE = "--grid"
#: Largest error of an entry of a :class:`GameGrid`, relative to ``max(1, |entry|)``.
GRID_TOLERANCE = 1e-12


def grid_value_expression(name: str, value: GridValue | int) -> Expression:
    """The expression a grid value stands for, with file ``--grid`` and key ``name``.

    A ``Fraction`` is written ``n/d``, a ``float`` as its ``repr`` (so ``0.1`` is exactly 1/10).

    Examples
    --------
    >>> grid_value_expression("c", 0.1).evaluate({}), grid_value_expression("c", Fraction(-1, 3)).source
    (Fraction(1, 10), '-1/3')
    """
    source: str | float = f"{value.numerator}/{value.denominator}" if isinstance(value, Fraction) else value
    return parse_expression(source, file=GRID_FILE, line=None, key=name)


@dataclass(frozen=True, eq=False)
class GameGrid:
    """Float arrays of the signalling games of a spec at ``N`` parameter points.

    ``prior[i, t]``, ``sender[i, t, m, a]`` and ``receiver[i, t, m, a]`` (payoffs) are those of
    the game at point ``i``; ``parameters[i, k]`` is the value there of the ``k``-th parameter
    of ``parameter_names`` (every parameter of the spec, in order; ``names`` are the swept
    ones). ``scalar_points`` lists the points built one by one by ``build_game`` (see
    :mod:`intelgame.games.grid`). The arrays are read-only.
    """

    spec: SignallingSpec
    names: tuple[str, ...]
    parameter_names: tuple[str, ...]
    parameters: np.ndarray
    prior: np.ndarray
    sender: np.ndarray
    receiver: np.ndarray
    scalar_points: np.ndarray

    def __len__(self) -> int:
        return int(self.prior.shape[0])

    def game(self, i: int) -> SignallingGame:
        """The :class:`SignallingGame` at point ``i``, with float entries and its parameters'
        values (cheap: no check is repeated)."""
        spec = self.spec
        return SignallingGame.trusted(
            name=spec.name, types=tuple(spec.types), messages=spec.messages, actions=spec.actions,
            prior=tuple(self.prior[i].tolist()), sender_payoffs=_tuples(self.sender[i].tolist()),
            receiver_payoffs=_tuples(self.receiver[i].tolist()), description=spec.description,
            parameters=tuple(zip(self.parameter_names, self.parameters[i].tolist())),
        )


def _tuples(table: list[list[list[float]]]) -> tuple[tuple[tuple[float, ...], ...], ...]:
    return tuple([tuple([tuple(row) for row in grid]) for grid in table])


def build_game_grid(spec: Spec, overrides: Mapping[str, Expression], names: Sequence[str],
                    points: Sequence[Sequence[GridValue]]) -> GameGrid:
    """The games of ``spec`` at ``points``; ``points[i][j]`` is the value of ``names[j]``.

    See :mod:`intelgame.games.grid` for the semantics (those of ``build_game`` at each point,
    in float64 within :data:`GRID_TOLERANCE`) and the method.

    Raises
    ------
    SpecError
        When ``spec`` is not a signalling spec, and the first error that ``build_game`` raises
        at the points in order (or that the expression of a grid value raises).
    ValueError
        When ``names`` repeats a name or a point does not have one value per name.
    """
    if not isinstance(spec, SignallingSpec):
        raise SpecError(f"a game grid needs a signalling spec, found kind '{spec.kind}'", file=spec.path,
                        key="kind")
    names = tuple(names)
    if len(set(names)) != len(names):
        raise ValueError(f"the swept names repeat: {names}")
    points = list(points)
    if set(map(len, points)) - {len(names)}:
        raise ValueError(f"every point needs one value for each of {names}")
    shape = (len(points), *(len(x) for x in (spec.types, spec.messages, spec.actions)))
    parameter_names = tuple(spec.parameters)
    arrays = {"parameters": np.empty((len(points), len(parameter_names))), "prior": np.empty(shape[:2]),
              "sender": np.empty(shape), "receiver": np.empty(shape)}
    scalar_points = np.zeros(0, dtype=np.intp)
    if points:
        first = build_point(spec, overrides, names, points[0])
        doubtful = _fill(arrays, spec, overrides, names, points, first)
        doubtful[0] = True  # point 0 takes the values of ``first``
        scalar_points = np.flatnonzero(doubtful)
        for i in scalar_points:
            game = first if i == 0 else build_point(spec, overrides, names, points[i])
            arrays["prior"][i] = _floats(game.prior)
            arrays["sender"][i] = _floats(game.sender_payoffs)
            arrays["receiver"][i] = _floats(game.receiver_payoffs)
            arrays["parameters"][i] = _floats([value for _, value in game.parameters])
    for array in (*arrays.values(), scalar_points):
        array.setflags(write=False)
    return GameGrid(spec=spec, names=names, parameter_names=parameter_names, scalar_points=scalar_points,
                    **arrays)


def build_point(spec: SignallingSpec, overrides: Mapping[str, Expression], names: Sequence[str],
                point: Sequence[GridValue]) -> SignallingGame:
    """``build_game`` at one point (which raises that point's error): the exact game that the
    grid's float arrays approximate there (a float grid value stands for its decimal ``repr``)."""
    point_overrides = dict(overrides)
    point_overrides.update({name: grid_value_expression(name, value) for name, value in zip(names, point)})
    game = build_game(spec, point_overrides)
    assert isinstance(game, SignallingGame)
    return game


def _floats(entries: object) -> np.ndarray:
    """Exact (or float) entries as float64; beyond the float range they become +-inf."""
    floats: np.ndarray = np.vectorize(_float, otypes=[np.float64])(np.asarray(entries, dtype=object))
    return floats


def _float(x: Fraction | float) -> float:
    try:
        return float(x)
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


def _fill(arrays: dict[str, np.ndarray], spec: SignallingSpec, overrides: Mapping[str, Expression],
          names: tuple[str, ...], points: list[Sequence[GridValue]], first: SignallingGame) -> np.ndarray:
    """Fill ``arrays`` by evaluating over all points at once (see the module docstring); return
    the doubtful points."""
    doubtful = np.zeros(len(points), dtype=bool)
    exact0 = dict(first.parameters)
    columns = {name: _column(name, values) for name, values in zip(names, zip(*points))}
    expressions = parameter_expressions(spec, overrides)
    depends: dict[str, frozenset[str]] = {}  # the swept names each parameter depends on
    env: dict[str, Bounded] = {}  # the parameters' values at all points
    for k, name in enumerate(spec.parameters):
        if name in columns:
            depends[name], env[name] = frozenset({name}), columns[name].values
            doubtful |= env[name].doubtful
        else:
            expression = expressions[name]
            depends[name] = frozenset().union(*(depends[u] for u in expression.names()))
            env[name] = (_evaluate(expression, env, doubtful) if depends[name]
                         else Bounded.of(exact0[name]))
        arrays["parameters"][:, k] = env[name].value

    def entry(expression: Expression) -> np.ndarray | float:
        if any(depends[u] for u in expression.names()):
            array: np.ndarray = _evaluate(expression, env, doubtful).value
            return array
        return _float(expression.evaluate(exact0))  # as at point 0, where it did not fail

    sender, receiver = payoff_tables(spec.payoffs, signalling_axes(spec), entry)
    _write(arrays["sender"], sender)
    _write(arrays["receiver"], receiver)
    doubtful |= _priors(arrays["prior"], spec, expressions, depends, exact0, columns, first)
    return doubtful


def _write(out: np.ndarray, table: Table, index: tuple[int, ...] = ()) -> None:
    """``out[:, i_1, ..., i_k] = table[i_1]...[i_k]`` (an array over the points, or a scalar)."""
    if isinstance(table, tuple):
        for i, inner in enumerate(table):
            _write(out, inner, (*index, i))
    else:
        key: tuple[slice | int, ...] = (slice(None), *index)
        out[key] = table


def _evaluate(expression: Expression, env: Mapping[str, Bounded], doubtful: np.ndarray) -> Bounded:
    """``expression`` at all points; marks in ``doubtful`` the points where it may fail or its
    error may exceed :data:`GRID_TOLERANCE`. Coarse bounds first, precise ones if need be."""
    result = expression.evaluate_bounded(env)
    if result.doubtful is False and np.ndim(result.error) == 0:
        slack = result.error + ROUNDING * (result.magnitude + result.error)
        if slack <= GRID_TOLERANCE * (1 - ROUNDING):
            return result
    result = expression.evaluate_bounded(env, precise=True)
    doubtful |= _doubtful(result)
    return result


def _doubtful(result: Bounded) -> np.ndarray:
    """Where ``result`` may fail or its error bound (plus the rounding of the exact value to
    float) may exceed :data:`GRID_TOLERANCE` relative to ``max(1, |value|)``."""
    with np.errstate(all="ignore"):
        size = np.abs(result.value)
        slack = result.error + ROUNDING * (size + result.error)
        loose = np.logical_not(slack <= GRID_TOLERANCE * (1 - ROUNDING) * np.maximum(1.0, size - result.error))
    mask: np.ndarray = np.asarray(result.doubtful) | loose
    return mask


@dataclass(frozen=True)
class _Column:
    """The values of a swept parameter at all points: as a :class:`Bounded`, as the index of
    each point's value among the distinct ones, and those as exact numbers (``None`` for an
    invalid value: its points are doubtful)."""

    values: Bounded
    codes: np.ndarray
    exact: list[Fraction | None]


def _column(name: str, values: Sequence[GridValue]) -> _Column:
    # Distinct objects first (cheap: the points of a product grid share their value objects),
    # then distinct values among those.
    ids = np.fromiter(map(id, values), dtype=np.int64, count=len(values))
    _, first, by_id = np.unique(ids, return_index=True, return_inverse=True)
    distinct: dict[tuple[type, GridValue], int] = {}
    by_value = np.array([distinct.setdefault((type(values[i]), values[i]), len(distinct)) for i in first],
                        dtype=np.intp)
    exact = [_exact_value(name, value) for _, value in distinct]
    items = [Bounded.of(x) if x is not None else _INVALID for x in exact]
    codes = by_value[by_id.reshape(-1)]
    return _Column(Bounded.select(items, codes), codes, exact)


#: The value of an invalid grid value (every point with it is doubtful).
_INVALID = Bounded(np.float64("nan"), np.float64("inf"), float("inf"), True, 0, True)


def _exact_value(name: str, value: GridValue) -> Fraction | None:
    """What the expression of a grid value evaluates to (``None`` if it is invalid). A
    ``Fraction`` within :data:`MAX_BITS` is its own value (the expression ``n/d``)."""
    if isinstance(value, Fraction) and max(value.numerator.bit_length(), value.denominator.bit_length()) <= MAX_BITS:
        return value
    try:
        result = grid_value_expression(name, value).evaluate({})
    except SpecError:
        return None
    assert isinstance(result, Fraction)
    return result


def _priors(out: np.ndarray, spec: SignallingSpec, expressions: Mapping[str, Expression],
            depends: Mapping[str, frozenset[str]], exact0: Mapping[str, Fraction | float],
            swept: Mapping[str, _Column], first: SignallingGame) -> np.ndarray:
    """Fill ``out`` with the priors; return the points where they are invalid or doubtful.

    A prior depending on swept names is evaluated exactly and checked by ``resolve_priors``
    once per distinct combination of their values.
    """
    doubtful = np.zeros(out.shape[0], dtype=bool)
    used = frozenset().union(*(e.names() for e in spec.types.values()))
    relevant = sorted(frozenset().union(*(depends[u] for u in used)), key=list(swept).index)
    if not relevant:
        out[...] = _floats(first.prior)
        return doubtful
    needed: set[str] = set()  # the parameters to re-evaluate: those the priors use, transitively
    stack = list(used)
    while stack:
        name = stack.pop()
        if name not in needed and depends[name] and name not in swept:
            needed.add(name)
            stack.extend(expressions[name].names())
    order = [name for name in spec.parameters if name in needed]
    codes = np.stack([swept[name].codes for name in relevant], axis=1)
    _, representatives, groups = np.unique(codes, axis=0, return_index=True, return_inverse=True)
    rows = np.empty((len(representatives), out.shape[1]))
    bad = np.zeros(len(representatives), dtype=bool)
    for g, point in enumerate(representatives):
        chosen = {name: swept[name].exact[swept[name].codes[point]] for name in relevant}
        if any(value is None for value in chosen.values()):
            bad[g], rows[g] = True, np.nan
            continue
        values: dict[str, Fraction | float] = dict(exact0)
        values.update({name: value for name, value in chosen.items() if value is not None})
        try:
            for name in order:
                values[name] = expressions[name].evaluate(values)
            rows[g] = _floats(list(resolve_priors(spec, values).values()))
        except SpecError:
            bad[g], rows[g] = True, np.nan
    out[...] = rows[groups.reshape(-1)]
    return bad[groups.reshape(-1)]

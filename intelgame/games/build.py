"""Build game values from validated specs: evaluate every prior and payoff expression.

One builder serves one game and a parameter grid: :func:`payoff_tables` walks a spec's payoff
block and evaluates each entry with the function it is given. :func:`build_game` gives it the
exact evaluation at the resolved parameters (``Fraction``, ``float`` or ``sympy``);
:func:`intelgame.games.grid.build_game_grid` the float64 evaluation at many points at once,
falling back to :func:`build_game` wherever its error bounds cannot vouch for a point.

A spec's ``stage`` block is not used here: the two-stage solver builds one signalling game per
choice, substituting the stage parameter through ``overrides``.

Examples
--------
>>> from intelgame.spec import parse_spec, parse_overrides
>>> spec = parse_spec('''
... intelgame: 1
... kind: normal
... name: pd
... parameters: {t: 5}
... players: [row, column]
... strategies: {row: [c, d], column: [c, d]}
... payoffs:
...   c: {c: [3, 3], d: [0, t]}
...   d: {c: [t, 0], d: [1, 1]}
... ''')
>>> build_game(spec, parse_overrides(["t=9/2"])).row_payoffs
((Fraction(3, 1), Fraction(0, 1)), (Fraction(9, 2), Fraction(1, 1)))
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar, overload

from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame
from intelgame.spec.expressions import Expression
from intelgame.spec.model import NormalSpec, SignallingSpec, Spec
from intelgame.spec.parameters import resolve_spec

T = TypeVar("T")
#: A payoff table: nested tuples, one level per axis, with entries of type ``T``.
Table = Any


@overload
def build_game(spec: SignallingSpec, overrides: Mapping[str, Expression] | None = None, *,
               symbolic: Collection[str] = ()) -> SignallingGame: ...
@overload
def build_game(spec: NormalSpec, overrides: Mapping[str, Expression] | None = None, *,
               symbolic: Collection[str] = ()) -> NormalFormGame: ...
@overload
def build_game(spec: Spec, overrides: Mapping[str, Expression] | None = None, *,
               symbolic: Collection[str] = ()) -> SignallingGame | NormalFormGame: ...
def build_game(
    spec: Spec, overrides: Mapping[str, Expression] | None = None, *, symbolic: Collection[str] = (),
) -> SignallingGame | NormalFormGame:
    """The game of ``spec``, with ``overrides`` replacing parameter values.

    Entries are ``Fraction`` where the spec is rational, ``float`` where a float enters, and
    ``sympy`` expressions where they depend on a parameter named in ``symbolic``.

    Raises
    ------
    SpecError
        On an unknown or misordered parameter, an invalid prior, or an expression that cannot
        be evaluated (naming the payoff's key and line).
    """
    values, prior = resolve_spec(spec, overrides, symbolic=symbolic)

    def entry(expression: Expression) -> object:
        return expression.value(values)

    if isinstance(spec, NormalSpec):
        rows, columns = (spec.strategies[p] for p in spec.players)
        row_payoffs, column_payoffs = payoff_tables(spec.payoffs, (rows, columns), entry)
        return NormalFormGame(
            name=spec.name, players=spec.players, row_strategies=rows, column_strategies=columns,
            row_payoffs=row_payoffs, column_payoffs=column_payoffs, description=spec.description,
        )
    sender, receiver = payoff_tables(spec.payoffs, signalling_axes(spec), entry)
    return SignallingGame(
        name=spec.name, types=tuple(spec.types), messages=spec.messages, actions=spec.actions,
        prior=tuple(prior[t] for t in spec.types), sender_payoffs=sender, receiver_payoffs=receiver,
        description=spec.description, parameters=tuple(values.items()),
    )


def signalling_axes(spec: SignallingSpec) -> tuple[tuple[str, ...], ...]:
    """The axes of a signalling spec's payoff tables: types, messages, actions."""
    return tuple(spec.types), spec.messages, spec.actions


def payoff_tables(payoffs: Mapping[str, Any] | tuple[Expression, Expression], axes: Sequence[Sequence[str]],
                  entry: Callable[[Expression], T]) -> tuple[Table, Table]:
    """The two players' payoff tables of a spec's payoff block, ``entry`` applied to each cell.

    ``payoffs[n_1]...[n_k] = (u_1, u_2)`` with ``n_j`` in ``axes[j]``; the tables are nested
    tuples with ``table[i_1]...[i_k] = entry(u)`` in the order of the axes.
    """
    if isinstance(payoffs, tuple):
        return entry(payoffs[0]), entry(payoffs[1])
    cells = [payoff_tables(payoffs[name], axes[1:], entry) for name in axes[0]]
    return tuple(cell[0] for cell in cells), tuple(cell[1] for cell in cells)

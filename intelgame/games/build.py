"""Build game values from validated specs: evaluate every prior and payoff expression.

A spec's ``stage`` block is not used here: the two-stage solver builds one signalling game per
choice, substituting the stage parameter through ``overrides``. For the float64 games of a spec
at many parameter points at once see :func:`intelgame.games.grid.build_game_grid`.

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

from collections.abc import Collection, Mapping

from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame
from intelgame.spec.expressions import Expression
from intelgame.spec.loader import resolve_parameters, resolve_priors
from intelgame.spec.model import NormalSpec, SignallingSpec, Spec


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
    values = resolve_parameters(spec, overrides, symbolic=symbolic)
    if isinstance(spec, NormalSpec):
        return _normal_form(spec, values)
    return _signalling(spec, values)


def _signalling(spec: SignallingSpec, values: dict[str, object]) -> SignallingGame:
    prior = resolve_priors(spec, values)
    cells = [[[(spec.payoffs[t][m][a][0].value(values), spec.payoffs[t][m][a][1].value(values))
               for a in spec.actions] for m in spec.messages] for t in spec.types]
    return SignallingGame(
        name=spec.name, types=tuple(spec.types), messages=spec.messages, actions=spec.actions,
        prior=tuple(prior[t] for t in spec.types),
        sender_payoffs=tuple(tuple(tuple(c[0] for c in row) for row in grid) for grid in cells),
        receiver_payoffs=tuple(tuple(tuple(c[1] for c in row) for row in grid) for grid in cells),
        description=spec.description, parameters=tuple(values.items()),
    )


def _normal_form(spec: NormalSpec, values: dict[str, object]) -> NormalFormGame:
    rows, columns = (spec.strategies[p] for p in spec.players)
    cells = [[(spec.payoffs[r][c][0].value(values), spec.payoffs[r][c][1].value(values))
              for c in columns] for r in rows]
    return NormalFormGame(
        name=spec.name, players=spec.players, row_strategies=rows, column_strategies=columns,
        row_payoffs=tuple(tuple(c[0] for c in row) for row in cells),
        column_payoffs=tuple(tuple(c[1] for c in row) for row in cells),
        description=spec.description,
    )

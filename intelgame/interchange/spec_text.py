"""A game as the text of a YAML spec (``docs/SPEC_FORMAT.md``): what ``intelgame import``
writes, so that a game read from another tool can be solved, edited and kept as a spec.

Names are written as JSON strings (valid YAML scalars, whatever characters they hold), numbers
as integers or exact fractions ``"p/q"`` (floats as their shortest decimal).

Examples
--------
>>> from intelgame.games.normal_form import NormalFormGame
>>> from intelgame.spec import parse_spec
>>> from intelgame.games.build import build_game
>>> game = NormalFormGame.from_payoffs(name="pd", players=("row", "column"),
...     row_strategies=["c", "d"], column_strategies=["c", "d"],
...     payoffs={"c": {"c": (3, 3), "d": (0, 5)}, "d": {"c": (5, 0), "d": (1, 1)}})
>>> build_game(parse_spec(to_spec_text(game))) == game
True
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame, exact_number

__all__ = ["to_spec_text"]


def _value(x: Any) -> str:
    value = exact_number(x)
    return str(value) if value.denominator == 1 else json.dumps(str(value))


def _names(names: Sequence[str]) -> str:
    return "[" + ", ".join(map(json.dumps, names)) + "]"


def _cells(names: Sequence[str], first: Sequence[Any], second: Sequence[Any]) -> str:
    """``{"a": [u, v], ...}`` over ``names``."""
    return "{" + ", ".join(f"{json.dumps(n)}: [{_value(x)}, {_value(y)}]" for n, x, y in zip(names, first, second)) + "}"


def to_spec_text(game: SignallingGame | NormalFormGame, *, source: str = "") -> str:
    """The YAML spec of ``game`` (``source`` is named in a comment at the top)."""
    lines = [f"# written by intelgame import from {source}" if source else "# written by intelgame",
             "intelgame: 1", f"kind: {'signalling' if isinstance(game, SignallingGame) else 'normal'}",
             f"name: {json.dumps(game.name)}"]
    if game.description:
        lines.append(f"description: {json.dumps(game.description)}")
    if isinstance(game, SignallingGame):
        lines.append("types:")
        lines += [f"  {json.dumps(t)}: {_value(p)}" for t, p in zip(game.types, game.prior)]
        lines += [f"messages: {_names(game.messages)}", f"actions: {_names(game.actions)}",
                  "payoffs:                     # payoffs[type][message][action] = [sender, receiver]"]
        for t, type_name in enumerate(game.types):
            lines.append(f"  {json.dumps(type_name)}:")
            lines += [f"    {json.dumps(message)}: "
                      + _cells(game.actions, game.sender_payoffs[t][m], game.receiver_payoffs[t][m])
                      for m, message in enumerate(game.messages)]
    else:
        lines += [f"players: {_names(game.players)}",
                  f"strategies: {{{json.dumps(game.players[0])}: {_names(game.row_strategies)}, "
                  f"{json.dumps(game.players[1])}: {_names(game.column_strategies)}}}",
                  "payoffs:                     # payoffs[row strategy][column strategy] = [row, column]"]
        lines += [f"  {json.dumps(row)}: " + _cells(game.column_strategies, game.row_payoffs[i], game.column_payoffs[i])
                  for i, row in enumerate(game.row_strategies)]
    return "\n".join(lines) + "\n"

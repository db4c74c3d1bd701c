"""Solver results by name: pandas frames, name-keyed views and HTML tables for Jupyter.

The solvers keep strategies as positional tuples (``eq.sender[t][m]``), the fast and exact form.
This module reads them by the game's names without changing them:

* :func:`pbe_frame` / :func:`nash_frame` (``result.to_frame()``): one row per equilibrium,
  indexed by ``equilibrium`` (1-based, as ``intelgame solve`` numbers them);
* :func:`named_pbe` / :func:`named_nash` (``eq.by_name(game)``): read-only mappings, e.g.
  ``eq.by_name(game).sender["threat"]["warn"]``;
* :func:`pbe_result_html` / :func:`nash_result_html` (``_repr_html_``).

**Column names.** Every column that holds a number of the game is written ``family[name]...``
with square brackets: ``sigma[type][message]``, ``rho[message][action]``,
``mu[message][type]``, ``on_path[message]``, ``payoff[sender][type]``, ``payoff[receiver]``,
``parameter[name]`` (the parameter values the game was built with), and for a normal-form game
``row[strategy]``, ``column[strategy]``, ``payoff[player]``. The other columns (``pure``,
``continuum`` and those the analysis adds, :func:`intelgame.output.frames.analysed_frame`) are
fixed words without brackets. A parameter name is an identifier, so it can never contain a
bracket: parameters live in their own ``parameter[...]`` columns, and no parameter (``rho``,
``pure``) can collide with a column, which a flat ``rho`` parameter next to ``rho[m][a]``
columns would invite. Flat string columns (rather than a MultiIndex) survive ``to_csv`` and
``read_csv`` unchanged; ``frame.filter(like="sigma[")`` selects a family.

Numbers are floats by default (``exact=True`` keeps the ``Fraction`` objects of an exact
result, in columns of dtype ``object``). pandas is imported only when a frame is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from intelgame.games.html import cell_text, html_table
from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame

if TYPE_CHECKING:
    import pandas


class PBE(Protocol):
    """What is read here of a :class:`intelgame.solvers.pbe.result.PBE` (which imports this
    module, so it is described rather than imported)."""

    @property
    def sender(self) -> Sequence[Sequence[Any]]: ...
    @property
    def receiver(self) -> Sequence[Sequence[Any]]: ...
    @property
    def beliefs(self) -> Sequence[Sequence[Any]]: ...
    @property
    def on_path(self) -> Sequence[bool]: ...
    @property
    def sender_payoffs(self) -> Sequence[Any]: ...
    @property
    def receiver_payoff(self) -> Any: ...
    @property
    def is_pure(self) -> bool: ...
    @property
    def is_continuum(self) -> bool: ...


class PBEResult(Protocol):
    """What is read here of a :class:`intelgame.solvers.pbe.result.PBEResult`."""

    @property
    def game(self) -> SignallingGame: ...
    @property
    def equilibria(self) -> Sequence[PBE]: ...
    @property
    def method(self) -> str: ...
    @property
    def exact(self) -> bool: ...
    @property
    def tolerance(self) -> float: ...
    def __len__(self) -> int: ...


class NashEquilibrium(Protocol):
    """What is read here of a :class:`intelgame.solvers.nash.NashEquilibrium`."""

    @property
    def row(self) -> Sequence[Any]: ...
    @property
    def column(self) -> Sequence[Any]: ...
    @property
    def payoffs(self) -> Sequence[Any]: ...
    @property
    def is_pure(self) -> bool: ...
    @property
    def is_continuum(self) -> bool: ...


class NashResult(Protocol):
    """What is read here of a :class:`intelgame.solvers.nash.NashResult`."""

    @property
    def game(self) -> NormalFormGame: ...
    @property
    def equilibria(self) -> Sequence[NashEquilibrium]: ...
    @property
    def method(self) -> str: ...
    @property
    def exact(self) -> bool: ...
    def __len__(self) -> int: ...


def _mapping(names: Sequence[str], values: Sequence[Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(zip(names, values)))


def _nested(outer: Sequence[str], inner: Sequence[str], values: Sequence[Sequence[Any]]) -> Mapping[str, Mapping[str, Any]]:
    return MappingProxyType({name: _mapping(inner, row) for name, row in zip(outer, values)})


@dataclass(frozen=True)
class NamedPBE:
    """A PBE read by name: ``sender[type][message]``, ``receiver[message][action]``,
    ``beliefs[message][type]``, ``on_path[message]``, ``sender_payoffs[type]`` and
    ``receiver_payoff`` (read-only mappings over the same numbers)."""

    sender: Mapping[str, Mapping[str, Any]]
    receiver: Mapping[str, Mapping[str, Any]]
    beliefs: Mapping[str, Mapping[str, Any]]
    on_path: Mapping[str, bool]
    sender_payoffs: Mapping[str, Any]
    receiver_payoff: Any


@dataclass(frozen=True)
class NamedNash:
    """A Nash equilibrium read by name: ``row[strategy]``, ``column[strategy]``,
    ``payoffs[player]``."""

    row: Mapping[str, Any]
    column: Mapping[str, Any]
    payoffs: Mapping[str, Any]


def named_pbe(game: SignallingGame, equilibrium: PBE) -> NamedPBE:
    """``equilibrium`` of ``game`` keyed by the game's names (see :class:`NamedPBE`)."""
    if len(equilibrium.sender) != len(game.types) or len(equilibrium.receiver) != len(game.messages):
        raise ValueError(f"the equilibrium does not fit game '{game.name}' of shape {game.shape}")
    return NamedPBE(_nested(game.types, game.messages, equilibrium.sender),
                    _nested(game.messages, game.actions, equilibrium.receiver),
                    _nested(game.messages, game.types, equilibrium.beliefs),
                    _mapping(game.messages, equilibrium.on_path),
                    _mapping(game.types, equilibrium.sender_payoffs), equilibrium.receiver_payoff)


def named_nash(game: NormalFormGame, equilibrium: NashEquilibrium) -> NamedNash:
    """``equilibrium`` of ``game`` keyed by strategy and player names (see :class:`NamedNash`)."""
    if len(equilibrium.row) != len(game.row_strategies) or len(equilibrium.column) != len(game.column_strategies):
        raise ValueError(f"the equilibrium does not fit game '{game.name}' of shape {game.shape}")
    return NamedNash(_mapping(game.row_strategies, equilibrium.row),
                     _mapping(game.column_strategies, equilibrium.column),
                     _mapping(game.players, equilibrium.payoffs))


def pbe_columns(game: SignallingGame) -> list[str]:
    """The columns of :func:`pbe_frame` for ``game``, in order (see the module docstring)."""
    return [*(f"parameter[{k}]" for k, _ in game.parameters), "pure", "continuum",
            *(f"sigma[{t}][{m}]" for t in game.types for m in game.messages),
            *(f"rho[{m}][{a}]" for m in game.messages for a in game.actions),
            *(f"mu[{m}][{t}]" for m in game.messages for t in game.types),
            *(f"on_path[{m}]" for m in game.messages),
            *(f"payoff[sender][{t}]" for t in game.types), "payoff[receiver]"]


def _pbe_row(game: SignallingGame, eq: PBE) -> Iterator[Any]:
    yield from (v for _, v in game.parameters)
    yield eq.is_pure
    yield eq.is_continuum
    for table in (eq.sender, eq.receiver, eq.beliefs):
        for row in table:
            yield from row
    yield from eq.on_path
    yield from eq.sender_payoffs
    yield eq.receiver_payoff


def _frame(columns: list[str], rows: list[list[Any]], numeric: Sequence[bool], exact: bool) -> pandas.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns, index=pd.RangeIndex(1, len(rows) + 1, name="equilibrium"))
    for column, is_number in zip(columns, numeric):
        if is_number:
            frame[column] = frame[column].astype(object if exact else float)
        else:
            frame[column] = frame[column].astype(bool)
    return frame


def pbe_frame(result: PBEResult, *, exact: bool = False) -> pandas.DataFrame:
    """Every equilibrium of ``result`` as a row of named columns (:func:`pbe_columns`); floats
    unless ``exact`` (then the result's own numbers, ``Fraction`` on the exact path)."""
    game = result.game
    columns = pbe_columns(game)
    numeric = [not (c in ("pure", "continuum") or c.startswith("on_path[")) for c in columns]
    return _frame(columns, [list(_pbe_row(game, eq)) for eq in result.equilibria], numeric, exact)


def nash_frame(result: NashResult, *, exact: bool = False) -> pandas.DataFrame:
    """Every equilibrium of ``result`` as a row: ``pure``, ``continuum``, ``row[strategy]``,
    ``column[strategy]``, ``payoff[player]`` (floats unless ``exact``)."""
    game = result.game
    columns = ["pure", "continuum", *(f"row[{s}]" for s in game.row_strategies),
               *(f"column[{s}]" for s in game.column_strategies), *(f"payoff[{p}]" for p in game.players)]
    rows = [[eq.is_pure, eq.is_continuum, *eq.row, *eq.column, *eq.payoffs] for eq in result.equilibria]
    return _frame(columns, rows, [c not in ("pure", "continuum") for c in columns], exact)


def _mixture(names: Sequence[str], values: Sequence[Any]) -> str:
    """``warn`` for a pure choice, else ``warn: 1/3, stay: 2/3`` over the support."""
    support = [(n, v) for n, v in zip(names, values) if v != 0]
    if len(support) == 1 and support[0][1] == 1:
        return support[0][0]
    return ", ".join(f"{n}: {cell_text(v)}" for n, v in support)


def pbe_result_html(result: PBEResult) -> str:
    """An HTML table: one row per equilibrium with each type's and message's mixture."""
    game = result.game
    rows = [[k, *(_mixture(game.messages, row) for row in eq.sender),
             *((_mixture(game.actions, row) + ("" if on else " (off path)")) for row, on in zip(eq.receiver, eq.on_path)),
             "yes" if eq.is_continuum else ""]
            for k, eq in enumerate(result.equilibria, start=1)]
    caption = (f"{game.name}: {len(result)} PBE ({result.method}, "
               f"{'exact' if result.exact else f'tolerance {result.tolerance:g}'})")
    return html_table(["#", *(f"sender: {t}" for t in game.types), *(f"reply to {m}" for m in game.messages),
                       "continuum"], rows, caption=caption)


def nash_result_html(result: NashResult) -> str:
    """An HTML table: one row per Nash equilibrium with both mixtures and the payoffs."""
    game = result.game
    rows = [[k, _mixture(game.row_strategies, eq.row), _mixture(game.column_strategies, eq.column), *eq.payoffs,
             "yes" if eq.is_continuum else ""] for k, eq in enumerate(result.equilibria, start=1)]
    caption = f"{game.name}: {len(result)} Nash equilibria ({result.method}{', exact' if result.exact else ''})"
    return html_table(["#", game.players[0], game.players[1], f"payoff {game.players[0]}",
                       f"payoff {game.players[1]}", "continuum"], rows, caption=caption)

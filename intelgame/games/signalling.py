"""Finite signalling games (sender-receiver games with one round of communication).

A signalling game has a finite set of sender *types* ``T`` drawn by Nature with prior ``p``,
a finite set of *messages* ``M`` the sender may send and a finite set of *actions* ``A`` the
receiver may take after observing the message (but not the type). Payoffs are arrays indexed
``[type, message, action]``:

.. math:: u_S(t, m, a), \\qquad u_R(t, m, a).

A behaviour strategy of the sender is ``sigma[t][m] = P(m | t)``; of the receiver
``rho[m][a] = P(a | m)``; a belief system is ``mu[m][t] = P(t | m)``.

Entries are exact ``Fraction`` where the spec is rational, ``float`` otherwise, or ``sympy``
expressions for symbolic analysis. Games are immutable values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, Sequence

import numpy as np

from intelgame.errors import GameStructureError
from intelgame.games.html import cell_text, html_table
from intelgame.spec.parameters import sums_to_one

Scalar = Any  # Fraction | float | int | sympy.Expr: the entries of a game's arrays


def exact_number(x: Any) -> Fraction:
    """The rational a numeric entry stands for: itself if rational, and a ``float`` its shortest
    decimal ``repr`` (``0.1`` is 1/10), as for ``--grid`` and ``--set`` values. So a game written
    with decimal floats is solved as the decimal game its author wrote, not as the binary
    rounding of it (in which ``0.1 + 0.2 != 0.3`` breaks the ties the author meant).

    >>> exact_number(0.1), exact_number(Fraction(1, 3)), exact_number(2)
    (Fraction(1, 10), Fraction(1, 3), Fraction(2, 1))
    """
    if type(x) is Fraction:
        return x
    if isinstance(x, float):
        if x != x or x in (float("inf"), float("-inf")):
            raise GameStructureError(f"a game entry is {x}; only finite numbers can be solved")
        return Fraction(repr(x))
    return Fraction(x)


def _nested(values: Any, depth: int) -> Any:
    """Deep-convert nested sequences to tuples (the immutable storage form)."""
    if depth == 0:
        return values
    return tuple(_nested(v, depth - 1) for v in values)


def _check_names(kind: str, names: Sequence[str]) -> tuple[str, ...]:
    names = tuple(names)
    if not names:
        raise GameStructureError(f"a signalling game needs at least one {kind}")
    if len(set(names)) != len(names):
        raise GameStructureError(f"duplicate {kind} names: {names}")
    return names


@dataclass(frozen=True)
class SignallingGame:
    """An immutable finite signalling game.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> g = SignallingGame.from_payoffs(
    ...     name="tiny", types=["a", "b"], messages=["x", "y"], actions=["l", "r"],
    ...     prior=[F(1, 2), F(1, 2)],
    ...     payoffs={"a": {"x": {"l": (1, 1), "r": (0, 0)}, "y": {"l": (1, 1), "r": (0, 0)}},
    ...              "b": {"x": {"l": (0, 0), "r": (1, 1)}, "y": {"l": (0, 0), "r": (1, 1)}}})
    >>> g.shape
    (2, 2, 2)
    """

    name: str
    types: tuple[str, ...]
    messages: tuple[str, ...]
    actions: tuple[str, ...]
    prior: tuple[Scalar, ...]
    sender_payoffs: tuple[tuple[tuple[Scalar, ...], ...], ...]
    receiver_payoffs: tuple[tuple[tuple[Scalar, ...], ...], ...]
    description: str = ""
    parameters: tuple[tuple[str, Scalar], ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", _check_names("type", self.types))
        object.__setattr__(self, "messages", _check_names("message", self.messages))
        object.__setattr__(self, "actions", _check_names("action", self.actions))
        object.__setattr__(self, "prior", tuple(self.prior))
        object.__setattr__(self, "sender_payoffs", _nested(self.sender_payoffs, 3))
        object.__setattr__(self, "receiver_payoffs", _nested(self.receiver_payoffs, 3))
        n_t, n_m, n_a = self.shape
        if len(self.prior) != n_t:
            raise GameStructureError(f"prior has {len(self.prior)} entries for {n_t} types")
        for label, arr in (("sender", self.sender_payoffs), ("receiver", self.receiver_payoffs)):
            if len(arr) != n_t or any(len(row) != n_m for row in arr) or any(
                len(cell) != n_a for row in arr for cell in row
            ):
                raise GameStructureError(f"{label} payoffs must have shape {self.shape}")
        if self.is_numeric:
            if any(p < 0 for p in self.prior):
                raise GameStructureError("prior probabilities must be non-negative")
            if not sums_to_one(self.prior):
                raise GameStructureError(f"prior must sum to 1, sums to {sum(self.prior)}")

    @classmethod
    def from_payoffs(
        cls,
        *,
        name: str,
        types: Sequence[str],
        messages: Sequence[str],
        actions: Sequence[str],
        prior: Sequence[Scalar],
        payoffs: dict[str, dict[str, dict[str, tuple[Scalar, Scalar]]]],
        description: str = "",
    ) -> "SignallingGame":
        """Build from the nested mapping ``payoffs[type][message][action] = (u_S, u_R)``."""
        try:
            sender = [[[payoffs[t][m][a][0] for a in actions] for m in messages] for t in types]
            receiver = [[[payoffs[t][m][a][1] for a in actions] for m in messages] for t in types]
        except (KeyError, IndexError, TypeError) as exc:
            raise GameStructureError(f"payoffs must give [sender, receiver] for every type, message and action: {exc}") from None
        return cls(
            name=name, types=tuple(types), messages=tuple(messages), actions=tuple(actions),
            prior=tuple(prior), sender_payoffs=_nested(sender, 3), receiver_payoffs=_nested(receiver, 3),
            description=description,
        )

    @classmethod
    def trusted(
        cls,
        *,
        name: str,
        types: tuple[str, ...],
        messages: tuple[str, ...],
        actions: tuple[str, ...],
        prior: tuple[Scalar, ...],
        sender_payoffs: tuple[tuple[tuple[Scalar, ...], ...], ...],
        receiver_payoffs: tuple[tuple[tuple[Scalar, ...], ...], ...],
        description: str = "",
        parameters: tuple[tuple[str, Scalar], ...] = (),
    ) -> SignallingGame:
        """A numeric game from parts known to be valid, without the checks of the constructor.

        Only for callers that guarantee what the constructor checks: distinct non-empty names,
        nested tuples of shape ``(T, M, A)``, number entries, a prior ``>= 0`` summing to 1
        (:func:`~intelgame.spec.parameters.sums_to_one`), as
        :meth:`intelgame.games.grid.GameGrid.game` does. A few microseconds instead of tens.
        """
        game = object.__new__(cls)
        game.__dict__.update(
            name=name, types=types, messages=messages, actions=actions, prior=prior,
            sender_payoffs=sender_payoffs, receiver_payoffs=receiver_payoffs, description=description,
            parameters=parameters, is_numeric=True,
        )
        return game

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(|T|, |M|, |A|)``."""
        return len(self.types), len(self.messages), len(self.actions)

    @cached_property
    def is_numeric(self) -> bool:
        """True when every entry is a number (not a symbolic expression)."""
        entries = [*self.prior, *(x for r in self.sender_payoffs for c in r for x in c),
                   *(x for r in self.receiver_payoffs for c in r for x in c)]
        return all(isinstance(x, (int, float, Fraction)) for x in entries)

    @cached_property
    def is_rational(self) -> bool:
        """True when every entry is an exact rational (int or Fraction)."""
        entries = [*self.prior, *(x for r in self.sender_payoffs for c in r for x in c),
                   *(x for r in self.receiver_payoffs for c in r for x in c)]
        return all(isinstance(x, (int, Fraction)) for x in entries)

    def to_rational(self) -> SignallingGame:
        """This game with every entry exact (:func:`exact_number`) and the prior rescaled to sum
        to exactly 1: the game that float entries stand for."""
        if self.is_rational:
            return self
        prior = [exact_number(p) for p in self.prior]
        total = sum(prior)

        def exact(table: Any) -> Any:
            return tuple(tuple(tuple(map(exact_number, c)) for c in r) for r in table)

        return SignallingGame(name=self.name, types=self.types, messages=self.messages, actions=self.actions,
                              prior=tuple(p / total for p in prior), sender_payoffs=exact(self.sender_payoffs),
                              receiver_payoffs=exact(self.receiver_payoffs), description=self.description,
                              parameters=self.parameters)

    def _repr_html_(self) -> str:
        """The game as a caption (name, shape, parameters) and a row per (type, message, action)."""
        n_t, n_m, n_a = self.shape
        caption = f"{self.name}: {n_t} types x {n_m} messages x {n_a} actions"
        if self.parameters:
            caption += " (" + ", ".join(f"{k} = {cell_text(v)}" for k, v in self.parameters) + ")"
        rows = [[t if m == 0 and a == 0 else "", self.prior[i] if m == 0 and a == 0 else "",
                 self.messages[m] if a == 0 else "", self.actions[a], self.sender_payoffs[i][m][a],
                 self.receiver_payoffs[i][m][a]]
                for i, t in enumerate(self.types) for m in range(n_m) for a in range(n_a)]
        return html_table(["type", "prior", "message", "action", "sender", "receiver"], rows, caption=caption)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Float arrays ``(prior[T], u_S[T, M, A], u_R[T, M, A])``."""
        return (
            np.array([float(p) for p in self.prior]),
            np.array(self.sender_payoffs, dtype=float),
            np.array(self.receiver_payoffs, dtype=float),
        )

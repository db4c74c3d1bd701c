"""Safe arithmetic expressions for the entries of a game spec.

A spec is untrusted input, so its expressions are never handed to ``eval``, ``exec`` or
``sympify``: :mod:`intelgame.spec._parser` checks the text against a whitelist (numbers,
parameter names, ``+ - * / **``, parentheses, ``min``, ``max``, ``abs``) and keeps a small tree
of its own. An :class:`Expression` is that tree with its location in the spec, and three
meanings of it:

* :meth:`Expression.evaluate`: exact. A literal ``0.1`` is ``Fraction(1, 10)``; a result stays
  a ``Fraction`` while every input is one and every operation is rational (``**`` with an
  integer exponent) and becomes a ``float`` otherwise. Resource blow-ups are refused: the
  source is at most :data:`MAX_SOURCE_LENGTH` characters and :data:`MAX_DEPTH` levels deep, an
  exact number has at most :data:`MAX_BITS` bits in its numerator and denominator, and an exact
  power has an integer exponent of at most :data:`MAX_EXACT_EXPONENT` in absolute value.
* :meth:`Expression.evaluate_bounded`: many points at once (a parameter grid), in float64 with
  rigorous error bounds (:mod:`intelgame.spec.intervals`).
* :meth:`Expression.to_sympy`: symbolic; sympy is imported only then.

Examples
--------
>>> e = parse_expression("max(0, 1 - p) / 2", file="<doc>", line=1, key="x")
>>> sorted(e.names())
['p']
>>> e.evaluate({"p": Fraction(1, 10)})
Fraction(9, 20)
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction  # noqa: F401  (the doctests use it)
from typing import Any

from intelgame.errors import SpecError
from intelgame.spec._arithmetic import Number, NumericAlgebra, SympyAlgebra
from intelgame.spec._describe import describe
from intelgame.spec._parser import (
    ALLOWED,
    MAX_BITS,
    MAX_DEPTH,
    MAX_EXACT_EXPONENT,
    MAX_SOURCE_LENGTH,
    RESERVED_NAMES,
    Node,
    fold,
    names_in,
    parameter_name_problem,
    parse_tree,
)
from intelgame.spec.intervals import Bounded, evaluate_bounded

__all__ = ["MAX_BITS", "MAX_DEPTH", "MAX_EXACT_EXPONENT", "MAX_SOURCE_LENGTH", "RESERVED_NAMES", "Expression",
           "Number", "is_symbolic", "parameter_name_problem", "parse_expression"]


@dataclass(frozen=True)
class Expression:
    """A parsed, validated arithmetic expression of a spec, with where it came from.

    Construct with :func:`parse_expression` (or directly: the source is parsed and checked on
    construction). Equality compares the source and the location.

    Parameters
    ----------
    source:
        The expression text.
    line:
        1-based line of the value in its file, when known.
    file:
        The spec's path, ``"<string>"`` or ``"--set"``.
    key:
        Dotted key of the value in the spec, e.g. ``payoffs.weak.beer.duel[0]``.
    """

    source: str
    line: int | None
    file: str
    key: str
    _tree: Node = field(init=False, repr=False, compare=False)
    _names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tree = parse_tree(self)
        object.__setattr__(self, "_tree", tree)
        object.__setattr__(self, "_names", names_in(tree))

    def error(self, message: str) -> SpecError:
        """A :class:`SpecError` located at this expression (file, line and key)."""
        return SpecError(message, file=self.file, line=self.line, key=self.key)

    @property
    def tree(self) -> Node:
        """The parsed tree (for :mod:`intelgame.spec.formulas`, which rewrites payoff formulas)."""
        return self._tree

    def names(self) -> frozenset[str]:
        """The parameter names the expression uses."""
        return self._names

    def evaluate(self, values: Mapping[str, Number | int]) -> Number:
        """The value, exact (``Fraction``) when every input is rational, else ``float``.

        Raises
        ------
        SpecError
            On an unknown name, a division by zero, or a number out of range.

        Examples
        --------
        >>> parse_expression("0.1 * 3", file="f", line=1, key="k").evaluate({})
        Fraction(3, 10)
        """
        return fold(self._tree, NumericAlgebra(self, values))

    def evaluate_bounded(self, values: Mapping[str, Bounded], *, precise: bool = False) -> Bounded:
        """The value at many points at once, in float64 with an error bound (see :class:`Bounded`).

        ``values`` maps every name used to its :class:`Bounded` value (arrays of shape ``(N,)``,
        or scalars where the same at every point). The tree is folded once over the arrays.
        Where the result is not ``doubtful``, :meth:`evaluate` with the corresponding numbers
        returns a number within ``error`` of ``value`` without raising. With ``precise`` the
        error bounds are computed point by point (tighter, slower), else as one number for all
        points where possible.

        Raises
        ------
        SpecError
            On an unknown name (as :meth:`evaluate`); every other failure is a doubtful point.

        Examples
        --------
        >>> p = Bounded.of_numbers([Fraction(1, 4), Fraction(0), Fraction(1, 3)])
        >>> e = parse_expression("1 / p", file="f", line=1, key="k")
        >>> e.evaluate_bounded({"p": p}).doubtful  # coarse: no bound holds at every point
        True
        >>> r = e.evaluate_bounded({"p": p}, precise=True)
        >>> r.value.tolist(), r.doubtful.tolist()
        ([4.0, inf, 3.0], [False, True, False])
        """
        return evaluate_bounded(self._tree, self, values, precise=precise)

    def to_sympy(self, symbols: Mapping[str, object]) -> Any:
        """A ``sympy`` expression; names are replaced by the given symbols or values.

        Literals become ``sympy.Rational``; ``Fraction`` values ``sympy.Rational``, ``float``
        values ``sympy.Float``; ``min``/``max``/``abs`` become ``sympy.Min``/``Max``/``Abs``.

        Examples
        --------
        >>> import sympy
        >>> p = sympy.Symbol("p", real=True)
        >>> parse_expression("1 - p/2", file="f", line=1, key="k").to_sympy({"p": p})
        1 - p/2
        """
        return fold(self._tree, SympyAlgebra(self, symbols))

    def value(self, values: Mapping[str, object]) -> Any:
        """:meth:`evaluate` when every used name is bound to a number, :meth:`to_sympy` when
        some used name is bound to a ``sympy`` object (a symbolic parameter or a dependant)."""
        if any(is_symbolic(values.get(n)) for n in self._names):
            return self.to_sympy(values)
        return self.evaluate(values)  # type: ignore[arg-type]


def is_symbolic(value: object) -> bool:
    """True when ``value`` is a ``sympy`` object.

    sympy is imported lazily (it costs about half a second): while nothing has imported it, no
    value can be a sympy object, so the test does not import it.
    """
    basic = getattr(sys.modules.get("sympy"), "Basic", None)
    return basic is not None and isinstance(value, basic)


def parse_expression(text: str | int | float, *, file: str, line: int | None, key: str) -> Expression:
    """Parse and validate an expression (a YAML scalar, or a ``--set`` value).

    Parameters
    ----------
    text:
        The expression text, or a number (a ``float`` is read exactly from its ``repr``).
    file, line, key:
        Where the value is, for error messages.

    Raises
    ------
    SpecError
        When ``text`` is not a valid expression (the message says what was found and what is
        allowed).
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        found = "a boolean" if isinstance(text, bool) else describe(text)
        raise SpecError(f"expected a number or an expression ({ALLOWED}), found {found}",
                        file=file, line=line, key=key)
    if isinstance(text, float) and not math.isfinite(text):
        raise SpecError(f"expected a finite number, found {text}", file=file, line=line, key=key)
    source = repr(text) if isinstance(text, float) else str(int(text)) if isinstance(text, int) else text
    return Expression(source.strip(), line, file, key)


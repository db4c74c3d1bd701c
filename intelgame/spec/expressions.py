"""Safe arithmetic expressions for the entries of a game spec.

A spec is untrusted input, so its expressions are never handed to ``eval``, ``exec`` or
``sympify``. The text is parsed with :func:`ast.parse` (which only builds a syntax tree) and
the tree is checked against a whitelist and copied into a small private tree of its own:

* numbers: integers, decimals, scientific notation (``3``, ``0.1``, ``2.5e-3``), read exactly;
* parameter names (identifiers not starting with ``_``);
* the operators ``+ - * / **``, unary ``-`` and ``+``, parentheses;
* calls of ``min`` and ``max`` (one argument or more) and ``abs`` (one argument).

Everything else (attribute access, subscripts, other calls, strings, comparisons, lambdas,
...) is rejected with a :class:`~intelgame.errors.SpecError` that says what was found.

Evaluation is exact: a literal ``0.1`` is ``Fraction(1, 10)``; a result stays a ``Fraction``
while every input is one and every operation is rational (``**`` with an integer exponent)
and becomes a ``float`` otherwise. Resource blow-ups are refused rather than attempted: the
source is at most :data:`MAX_SOURCE_LENGTH` characters and :data:`MAX_DEPTH` levels deep,
an exact number has at most :data:`MAX_BITS` bits in its numerator and denominator, and an
exact power has an integer exponent of at most :data:`MAX_EXACT_EXPONENT` in absolute value.

For many points at once (a parameter grid), :meth:`Expression.evaluate_bounded` folds the same
tree over float64 arrays, with rigorous bounds on the rounding errors and the points where the
exact evaluation could fail (:class:`Bounded`). sympy is imported only when a symbolic value is
asked for (:meth:`Expression.to_sympy`).

Examples
--------
>>> e = parse_expression("max(0, 1 - p) / 2", file="<doc>", line=1, key="x")
>>> sorted(e.names())
['p']
>>> e.evaluate({"p": Fraction(1, 10)})
Fraction(9, 20)
"""

from __future__ import annotations

import ast
import functools
import importlib
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import ModuleType
from typing import Any, Generic, TypeVar

import numpy as np

from intelgame.errors import SpecError

#: Longest accepted expression source, in characters.
MAX_SOURCE_LENGTH = 2000
#: Deepest accepted nesting of operations in one expression.
MAX_DEPTH = 200
#: Largest bit length of the numerator or denominator of an exact number.
MAX_BITS = 1024
#: Largest absolute value of an exponent in exact (rational) arithmetic.
MAX_EXACT_EXPONENT = 64

Number = Fraction | float

_ALLOWED = ("numbers, parameter names, + - * / **, parentheses, min(...), max(...), abs(...)")
_BINARY_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
}
_UNARY_OPERATORS: dict[type[ast.unaryop], str] = {ast.USub: "-", ast.UAdd: "+"}
_FUNCTIONS: dict[str, tuple[int, int | None]] = {"min": (1, None), "max": (1, None), "abs": (1, 1)}
#: Names no parameter may take: the callable functions.
RESERVED_NAMES = frozenset(_FUNCTIONS)
_DESCRIPTIONS: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access", ast.Subscript: "subscript", ast.Lambda: "lambda",
    ast.Compare: "comparison", ast.BoolOp: "boolean operator", ast.IfExp: "conditional expression",
    ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict", ast.Set: "set",
    ast.ListComp: "comprehension", ast.SetComp: "comprehension", ast.DictComp: "comprehension",
    ast.GeneratorExp: "generator expression", ast.JoinedStr: "f-string",
    ast.NamedExpr: "assignment expression", ast.Starred: "starred expression",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "slice",
}


# --- the private syntax tree ------------------------------------------------------------------

@dataclass(frozen=True)
class _Literal:
    value: Fraction


@dataclass(frozen=True)
class _Name:
    name: str


@dataclass(frozen=True)
class _Unary:
    operator: str
    operand: _Node


@dataclass(frozen=True)
class _Binary:
    operator: str
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Call:
    function: str
    arguments: tuple[_Node, ...]


_Node = _Literal | _Name | _Unary | _Binary | _Call

T = TypeVar("T")


class _Algebra(Generic[T]):
    """The operations a fold over the tree needs (one subclass per kind of result)."""

    def literal(self, value: Fraction) -> T:
        raise NotImplementedError

    def name(self, name: str) -> T:
        raise NotImplementedError

    def unary(self, operator: str, operand: T) -> T:
        raise NotImplementedError

    def binary(self, operator: str, left: T, right: T) -> T:
        raise NotImplementedError

    def call(self, function: str, arguments: list[T]) -> T:
        raise NotImplementedError


def _fold(node: _Node, algebra: _Algebra[T]) -> T:
    """Evaluate ``node`` bottom-up with the operations of ``algebra``."""
    if isinstance(node, _Literal):
        return algebra.literal(node.value)
    if isinstance(node, _Name):
        return algebra.name(node.name)
    if isinstance(node, _Unary):
        return algebra.unary(node.operator, _fold(node.operand, algebra))
    if isinstance(node, _Binary):
        return algebra.binary(node.operator, _fold(node.left, algebra), _fold(node.right, algebra))
    return algebra.call(node.function, [_fold(a, algebra) for a in node.arguments])


def _collect_names(node: _Node) -> frozenset[str]:
    if isinstance(node, _Name):
        return frozenset({node.name})
    if isinstance(node, _Unary):
        return _collect_names(node.operand)
    if isinstance(node, _Binary):
        return _collect_names(node.left) | _collect_names(node.right)
    if isinstance(node, _Call):
        return frozenset().union(*(_collect_names(a) for a in node.arguments))
    return frozenset()


# --- the expression value ---------------------------------------------------------------------

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
    _tree: _Node = field(init=False, repr=False, compare=False)
    _names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tree = _Parser(self).parse()
        object.__setattr__(self, "_tree", tree)
        object.__setattr__(self, "_names", _collect_names(tree))

    def error(self, message: str) -> SpecError:
        """A :class:`SpecError` located at this expression (file, line and key)."""
        return SpecError(message, file=self.file, line=self.line, key=self.key)

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
        return _fold(self._tree, _NumericAlgebra(self, values))

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
        >>> import numpy as np
        >>> p = Bounded.of_numbers([Fraction(1, 4), Fraction(0), Fraction(1, 3)])
        >>> e = parse_expression("1 / p", file="f", line=1, key="k")
        >>> e.evaluate_bounded({"p": p}).doubtful  # coarse: no bound holds at every point
        True
        >>> r = e.evaluate_bounded({"p": p}, precise=True)
        >>> r.value.tolist(), r.doubtful.tolist()
        ([4.0, inf, 3.0], [False, True, False])
        """
        with np.errstate(all="ignore"):
            result = _fold(self._tree, _BoundedAlgebra(self, values, precise))
            doubtful = _or(result.doubtful, _too_big(result), np.logical_not(np.isfinite(result.error)))
        return replace(result, doubtful=doubtful)

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
        return _fold(self._tree, _SympyAlgebra(self, symbols))

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


def _sympy() -> ModuleType:
    """The ``sympy`` module, imported on first use."""
    return importlib.import_module("sympy")


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
        found = "a boolean" if isinstance(text, bool) else _describe_value(text)
        raise SpecError(f"expected a number or an expression ({_ALLOWED}), found {found}",
                        file=file, line=line, key=key)
    if isinstance(text, float) and not math.isfinite(text):
        raise SpecError(f"expected a finite number, found {text}", file=file, line=line, key=key)
    source = repr(text) if isinstance(text, float) else str(int(text)) if isinstance(text, int) else text
    return Expression(source.strip(), line, file, key)


def _describe_value(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


# --- parsing ----------------------------------------------------------------------------------

class _Parser:
    """Checks a Python syntax tree against the whitelist and converts it to the private tree."""

    def __init__(self, expression: Expression) -> None:
        self.expression = expression
        # One line, so that a YAML block scalar may span lines; offsets refer to this text.
        self.text = " ".join(expression.source.split())

    def fail(self, what: str) -> SpecError:
        return self.expression.error(f"{what} in expression '{_shorten(self.text)}'")

    def parse(self) -> _Node:
        if not self.text:
            raise self.expression.error(f"empty expression; expected a number or {_ALLOWED}")
        if len(self.text) > MAX_SOURCE_LENGTH:
            raise self.expression.error(
                f"expression of {len(self.text)} characters is too long (at most {MAX_SOURCE_LENGTH})")
        try:
            tree = ast.parse(self.text, mode="eval")
        except SyntaxError as exc:
            raise self.expression.error(f"invalid expression '{_shorten(self.text)}': {exc.msg}; "
                                        f"allowed: {_ALLOWED}") from None
        except (RecursionError, MemoryError, ValueError):
            raise self.fail("expression too complex") from None
        return self.convert(tree.body, 0)

    def convert(self, node: ast.AST, depth: int) -> _Node:
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, ast.Constant):
            return self.literal(node)
        if isinstance(node, ast.Name):
            return _Name(self.name(node.id))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY_OPERATORS:
            return _Unary(_UNARY_OPERATORS[type(node.op)], self.convert(node.operand, depth + 1))
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPERATORS:
            return _Binary(_BINARY_OPERATORS[type(node.op)], self.convert(node.left, depth + 1),
                           self.convert(node.right, depth + 1))
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            raise self.fail(f"operator '{self.segment(node)}' is not allowed (allowed: {_ALLOWED})")
        what = _DESCRIPTIONS.get(type(node), type(node).__name__)
        raise self.fail(f"{what} '{self.segment(node)}' is not allowed (allowed: {_ALLOWED})")

    def literal(self, node: ast.Constant) -> _Literal:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = {bool: "boolean", str: "string", bytes: "bytes", complex: "complex number"}.get(
                type(value), "constant")
            raise self.fail(f"{kind} '{self.segment(node)}' is not allowed (allowed: {_ALLOWED})")
        # Exact: read a decimal from its text ("0.1" -> 1/10), never from the binary float.
        exact = Fraction(value) if isinstance(value, int) else Fraction(self.segment(node))
        return _Literal(_check_exact(exact, self.expression))

    def name(self, name: str) -> str:
        if name.startswith("_"):
            raise self.fail(f"name '{name}' is not allowed (names may not start with '_')")
        if name in RESERVED_NAMES:
            raise self.fail(f"'{name}' is a function; call it as {name}(...)")
        return name

    def call(self, node: ast.Call, depth: int) -> _Call:
        function = node.func.id if isinstance(node.func, ast.Name) else None
        if function not in _FUNCTIONS:
            raise self.fail(f"call '{_shorten(self.segment(node))}' is not allowed "
                            "(only min(...), max(...) and abs(...) may be called)")
        assert function is not None
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(f"{function}() takes plain positional arguments only")
        low, high = _FUNCTIONS[function]
        if len(node.args) < low or (high is not None and len(node.args) > high):
            wanted = f"exactly {low}" if low == high else f"at least {low}"
            raise self.fail(f"{function}() takes {wanted} argument(s), found {len(node.args)}")
        return _Call(function, tuple(self.convert(a, depth + 1) for a in node.args))

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or type(node).__name__


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- arithmetic -------------------------------------------------------------------------------

def _check_exact(value: Fraction, expression: Expression) -> Fraction:
    """Refuse exact numbers too large (or too finely divided) to be a sensible game entry."""
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_BITS:
        raise expression.error(f"number out of range (more than {MAX_BITS} bits) "
                               f"in expression '{_shorten(expression.source)}'")
    return value


def _check_exact_power(base: Fraction, exponent: Fraction, expression: Expression) -> None:
    """Refuse an exact power whose exponent or result would be too large to compute."""
    size = max(base.numerator.bit_length(), base.denominator.bit_length())
    if abs(exponent) > MAX_EXACT_EXPONENT or size * math.ceil(abs(exponent)) > MAX_BITS:
        raise expression.error(
            f"power with exponent {exponent} is too large for exact arithmetic (exponents up to "
            f"{MAX_EXACT_EXPONENT} in absolute value, results up to {MAX_BITS} bits) in expression "
            f"'{_shorten(expression.source)}'")


def _unknown_name(expression: Expression, name: str, known: Mapping[str, object]) -> SpecError:
    defined = ", ".join(known) or "none"
    return expression.error(f"unknown parameter '{name}' in expression '{_shorten(expression.source)}' "
                            f"(defined: {defined})")


class _NumericAlgebra(_Algebra[Number]):
    """Exact ``Fraction`` arithmetic, falling back to ``float`` where a float is involved."""

    def __init__(self, expression: Expression, values: Mapping[str, Number | int]) -> None:
        self.expression = expression
        self.values = values

    def checked(self, compute: Callable[[], Number]) -> Number:
        try:
            result = compute()
        except OverflowError:
            raise self.error("number out of range") from None
        except ZeroDivisionError:
            raise self.error("division by zero") from None
        if isinstance(result, Fraction):
            return _check_exact(result, self.expression)
        if isinstance(result, complex):
            raise self.error("complex result (a negative number to a non-integer power)")
        if not math.isfinite(result):
            raise self.error("number out of range")
        return float(result)

    def error(self, what: str) -> SpecError:
        return self.expression.error(f"{what} in expression '{_shorten(self.expression.source)}'")

    def literal(self, value: Fraction) -> Number:
        return value

    def name(self, name: str) -> Number:
        if name not in self.values:
            raise _unknown_name(self.expression, name, self.values)
        value = self.values[name]
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
            raise TypeError(f"parameter {name!r} must be a number, not {type(value).__name__}")
        return self.checked(lambda: Fraction(value) if isinstance(value, int) else value)

    def unary(self, operator: str, operand: Number) -> Number:
        return -operand if operator == "-" else operand

    def binary(self, operator: str, left: Number, right: Number) -> Number:
        if operator == "+":
            return self.checked(lambda: left + right)
        if operator == "-":
            return self.checked(lambda: left - right)
        if operator == "*":
            return self.checked(lambda: left * right)
        if operator == "/":
            if right == 0:
                raise self.error("division by zero")
            return self.checked(lambda: left / right)
        return self.power(left, right)

    def power(self, base: Number, exponent: Number) -> Number:
        if isinstance(base, Fraction) and isinstance(exponent, Fraction) and exponent.denominator == 1:
            _check_exact_power(base, exponent, self.expression)
            exact_base, integer = base, int(exponent)
            return self.checked(lambda: exact_base ** integer)
        return self.checked(lambda: float(base) ** float(exponent))

    def call(self, function: str, arguments: list[Number]) -> Number:
        if function == "abs":
            return -arguments[0] if arguments[0] < 0 else arguments[0]
        chosen = arguments[0]
        for argument in arguments[1:]:
            if (argument < chosen) if function == "min" else (argument > chosen):
                chosen = argument
        return chosen


class _SympyAlgebra(_Algebra[Any]):
    """Exact symbolic arithmetic with ``sympy`` objects (never parsing a string)."""

    def __init__(self, expression: Expression, symbols: Mapping[str, object]) -> None:
        self.expression = expression
        self.symbols = symbols
        self.sympy: Any = _sympy()

    def error(self, what: str) -> SpecError:
        return self.expression.error(f"{what} in expression '{_shorten(self.expression.source)}'")

    def literal(self, value: Fraction) -> Any:
        return self.sympy.Rational(value.numerator, value.denominator)

    def name(self, name: str) -> Any:
        if name not in self.symbols:
            raise _unknown_name(self.expression, name, self.symbols)
        value = self.symbols[name]
        if isinstance(value, self.sympy.Basic):
            return value
        if isinstance(value, Fraction) or (isinstance(value, int) and not isinstance(value, bool)):
            return self.literal(Fraction(value))
        if isinstance(value, float):
            return self.sympy.Float(value)
        raise TypeError(f"parameter {name!r} must be a number or a sympy object, not {type(value).__name__}")

    def unary(self, operator: str, operand: Any) -> Any:
        return -operand if operator == "-" else operand

    def binary(self, operator: str, left: Any, right: Any) -> Any:
        if operator == "+":
            return left + right
        if operator == "-":
            return left - right
        if operator == "*":
            return left * right
        if operator == "/":
            if right.is_zero:
                raise self.error("division by zero")
            return left / right
        if left.is_Rational and right.is_Rational:
            _check_exact_power(Fraction(int(left.p), int(left.q)), Fraction(int(right.p), int(right.q)),
                               self.expression)
        if left.is_zero and right.is_negative:
            raise self.error("division by zero")
        return self.sympy.Pow(left, right)

    def call(self, function: str, arguments: list[Any]) -> Any:
        if function == "abs":
            return self.sympy.Abs(arguments[0])
        return (self.sympy.Min if function == "min" else self.sympy.Max)(*arguments)


# --- float arrays with error bounds -----------------------------------------------------------

#: Relative allowance for one rounding: ours and that of a float evaluation by ``evaluate``.
ROUNDING = 2.0 ** -52
#: Absolute allowance for one rounding in the subnormal range.
_TINY = 2.0 ** -1074
#: Magnitude from which a float evaluation may overflow (a margin below the largest float).
_FLOAT_LIMIT = 2.0 ** 1000

#: A per-point flag: a ``bool`` when the same at every point, else a boolean array.
Mask = bool | np.ndarray


@dataclass(frozen=True)
class Bounded:
    """The float64 values of an expression at ``N`` points, with what it takes to trust them.

    ``value``, ``error``, ``exact``, ``bits`` and ``doubtful`` are arrays of shape ``(N,)``, or
    scalars when the same at every point; ``magnitude`` is a scalar. Let ``v`` be what
    :meth:`Expression.evaluate` returns at a point. Where ``doubtful`` is false, ``evaluate``
    does not raise, ``|value - v| <= error``, ``|value| <= magnitude``, and ``v`` is a
    ``Fraction`` exactly where ``exact`` holds, whose numerator and denominator have at most
    ``bits`` bits (a float otherwise). Where ``doubtful`` is true nothing is promised:
    ``evaluate`` may raise (division by zero, out of range, complex result, an exact number or
    power over its limits) or the bounds may be lost.

    The error bounds are the textbook forward bounds, with one rounding of ``2**-52`` relative
    (ours and that of a float ``evaluate``) per operation: ``e(x +- y) = e_x + e_y``,
    ``e(x y) = |x| e_y + |y| e_x + e_x e_y``, ``e(x / y) = (e_x |y| + |x| e_y) / (|y| (|y| -
    e_y))`` (doubtful where ``|y| <= e_y``: ``y`` may be 0), ``e(min) = max e``; powers in
    :meth:`_BoundedAlgebra.power`. The bit bounds are those of unreduced fractions: ``b(x +- y)
    = b_x + b_y + 1``, ``b(x y) = b(x / y) = b_x + b_y``, ``b(x ** n) = |n| b_x``.
    """

    value: Any
    error: Any
    magnitude: float
    exact: Mask
    bits: Any
    doubtful: Mask

    @classmethod
    def of(cls, number: Number | int) -> Bounded:
        """A number known exactly: ``value`` is it rounded to float, ``error`` that rounding.

        >>> float(Bounded.of(Fraction(1, 3)).error) > 0, float(Bounded.of(Fraction(1, 4)).error)
        (True, 0.0)
        """
        return _bounded_number(number)

    @classmethod
    def of_numbers(cls, numbers: Sequence[Number | int]) -> Bounded:
        """Point ``i`` is ``numbers[i]`` (as :meth:`of`)."""
        return cls.select([cls.of(x) for x in numbers], np.arange(len(numbers)))

    @classmethod
    def select(cls, items: Sequence[Bounded], index: np.ndarray) -> Bounded:
        """Point ``i`` is the scalar ``items[index[i]]`` (a few numbers spread over many
        points). Its error, magnitude and bits are the largest of the items that are not
        doubtful, at every point."""
        exact = np.array([bool(b.exact) for b in items], dtype=bool)
        doubtful = np.array([bool(b.doubtful) for b in items], dtype=bool)
        sure = [b for b in items if not b.doubtful]
        return cls(
            value=np.array([b.value for b in items], dtype=np.float64)[index],
            error=np.float64(max((b.error for b in sure), default=0.0)),
            magnitude=max((b.magnitude for b in sure), default=0.0),
            exact=True if exact.all() else exact[index],
            bits=max((b.bits for b in sure), default=0),
            doubtful=doubtful[index] if doubtful.any() else False,
        )


@functools.lru_cache(maxsize=4096, typed=True)  # typed: 0.0 is a float, Fraction(0) is exact
def _bounded_number(number: Number | int) -> Bounded:
    """:meth:`Bounded.of` (cached: the literals of a spec recur in every evaluation)."""
    if isinstance(number, float):
        size = abs(number) if math.isfinite(number) else math.inf
        return Bounded(np.float64(number), np.float64(0.0), size, False, 0, not math.isfinite(number))
    exact = Fraction(number)
    bits = max(exact.numerator.bit_length(), exact.denominator.bit_length())
    try:
        value = float(exact)
    except OverflowError:
        return Bounded(np.float64(math.copysign(math.inf, exact)), np.float64(math.inf), math.inf, True,
                       bits, True)
    error = 0.0 if Fraction(value) == exact else abs(value) * ROUNDING / 2 + _TINY
    return Bounded(np.float64(value), np.float64(error), abs(value), True, bits, bits > MAX_BITS)


def _mask(flag: Any) -> Mask:
    """A flag as a :data:`Mask` (numpy booleans of a scalar become ``bool``)."""
    return flag if isinstance(flag, np.ndarray) and flag.ndim else bool(flag)


def _combine(flags: Sequence[Any], every: bool) -> Mask:
    """Point by point, whether every flag holds (``every``) or some flag does (not ``every``)."""
    result: Mask = every
    for flag in map(_mask, flags):
        if flag is (not every):
            return not every
        if flag is not every:
            result = flag if result is every else (result & flag) if every else (result | flag)
    return result


def _or(*flags: Any) -> Mask:
    return _combine(flags, every=False)


def _and(*flags: Any) -> Mask:
    return _combine(flags, every=True)


def _not(flag: Mask) -> Mask:
    return not flag if isinstance(flag, bool) else ~flag


def _too_big(x: Bounded) -> Mask:
    """Where ``x`` may be an exact number over :data:`MAX_BITS` bits (``evaluate`` refuses it)."""
    return _and(x.exact, x.bits > MAX_BITS)


def _largest(values: Any) -> float:
    """The largest ``|value|``; ``inf`` when some value is not a number."""
    top = float(np.max(np.abs(values)))
    return math.inf if math.isnan(top) else top


class _BoundedAlgebra(_Algebra[Bounded]):
    """float64 arithmetic over arrays with forward error bounds (see :class:`Bounded`).

    *Coarse* (``precise`` false), the bounds of an operation use the magnitudes of its operands
    (one number each) instead of their values at each point: the errors stay single numbers
    and cost nothing beside the values. *Precise*, they use the values at each point.

    A bit bound only grows towards the root along exact operations, so it is checked at the
    root (:meth:`Expression.evaluate_bounded`), where exactness may be lost, and at powers.
    """

    def __init__(self, expression: Expression, values: Mapping[str, Bounded], precise: bool) -> None:
        self.expression = expression
        self.values = values
        self.precise = precise

    def size(self, x: Bounded) -> Any:
        """An upper bound of ``|value|``: at each point, or over all points."""
        return np.abs(x.value) if self.precise else x.magnitude

    def literal(self, value: Fraction) -> Bounded:
        return Bounded.of(value)

    def name(self, name: str) -> Bounded:
        if name not in self.values:
            raise _unknown_name(self.expression, name, self.values)
        return self.values[name]

    def unary(self, operator: str, operand: Bounded) -> Bounded:
        return operand if operator == "+" else replace(operand, value=-operand.value)

    def binary(self, operator: str, left: Bounded, right: Bounded) -> Bounded:
        if operator == "**":
            return self.power(left, right)
        x, y, ex, ey = left.value, right.value, left.error, right.error
        zero: Mask = False
        if operator in ("+", "-"):
            value = x + y if operator == "+" else x - y
            error = ex + ey
            magnitude = left.magnitude + right.magnitude
            bits = left.bits + right.bits + 1
        elif operator == "*":
            value = x * y
            error = self.size(left) * ey + self.size(right) * ex + ex * ey
            magnitude = left.magnitude * right.magnitude
            bits = left.bits + right.bits
        else:
            value, error, magnitude, zero = self.divide(left, right)
            bits = left.bits + right.bits
        exact = _and(left.exact, right.exact)
        size = np.abs(value) if self.precise else magnitude
        error = error + size * ROUNDING + _TINY
        doubtful = _or(left.doubtful, right.doubtful, zero)
        if exact is not True:
            doubtful = _or(doubtful, _too_big(left), _too_big(right),
                           _and(_not(exact), size + error > _FLOAT_LIMIT))
        return Bounded(value, error, magnitude * (1 + ROUNDING), exact, bits, doubtful)

    def divide(self, left: Bounded, right: Bounded) -> tuple[Any, Any, float, Mask]:
        """``x / y``, its error before rounding, its magnitude, and where ``y`` may be 0."""
        x, y, ex, ey = left.value, right.value, left.error, right.error
        value = x / y
        low = np.abs(y)
        if self.precise:
            gap = low - ey
            return value, (ex * low + np.abs(x) * ey) / (low * gap), _largest(value), gap <= 0
        low = float(np.min(low))  # the bound decreases with |y|: take its smallest value
        gap = low - ey
        if not np.all(gap > 0):
            return value, np.float64(math.inf), math.inf, np.abs(y) <= ey
        return value, (ex * low + left.magnitude * ey) / (low * gap), left.magnitude / low, False

    def power(self, base: Bounded, exponent: Bounded) -> Bounded:
        """``x ** y`` as ``evaluate`` computes it, with error bounds at each point.

        Exactly when both are exact and ``y`` is an integer ``n``: ``|X^n - x^n| <= |n| e (|x|
        + e)^(|n| - 1)``, divided by ``(|x| - e)^|n| |x|^|n|`` when ``n < 0``. Otherwise as
        floats (of the operands rounded to floats), for ``x > e`` only: ``|X^Y - x^y| <=
        |x^y| expm1(|y| d + e_y (|ln x| + d))`` with ``d = e_x / (x - e_x)``.
        """
        x, y, ex, ey = base.value, exponent.value, base.error, exponent.error
        both = _and(base.exact, exponent.exact)
        n = np.round(y)
        exact = _and(both, (y == n) & (ey == 0))
        unsure = _and(both, (np.abs(y - n) <= ey) & (ey > 0))  # an exact exponent, maybe an integer
        value = np.power(x, y)
        size, m = np.abs(x), np.abs(n)
        grown = m * ex * np.power(size + ex, m - 1)
        exact_error = np.where(m == 0, 0.0, np.where(n < 0, grown / (np.power(size - ex, m) * np.power(size, m)),
                                                     grown))
        exact_doubt = (m > MAX_EXACT_EXPONENT) | (base.bits * m > MAX_BITS) | ((n < 0) & (size <= ex))
        fx, fy = ex + ROUNDING * size, ey + ROUNDING * np.abs(y)
        gap = x - fx
        spread = fx / gap
        float_error = np.abs(value) * np.expm1(np.abs(y) * spread + fy * (np.abs(np.log(x)) + spread))
        float_doubt = np.logical_not(gap > 0) | (np.abs(value) + float_error > _FLOAT_LIMIT)
        error = np.where(exact, exact_error, float_error) + np.abs(value) * (2 * ROUNDING) + _TINY
        doubtful = _or(base.doubtful, exponent.doubtful, _too_big(base), _too_big(exponent), unsure,
                       np.where(exact, exact_doubt, float_doubt),
                       np.logical_not(np.isfinite(x)), np.logical_not(np.isfinite(y)))
        return Bounded(value, error, _largest(value), exact, base.bits * m, doubtful)

    def call(self, function: str, arguments: list[Bounded]) -> Bounded:
        if function == "abs":
            return replace(arguments[0], value=np.abs(arguments[0].value))
        pick = np.minimum if function == "min" else np.maximum
        exact = _and(*(a.exact for a in arguments))
        doubtful = _or(*(a.doubtful for a in arguments))
        if exact is not True:  # where only some arguments are exact, the type of the result
            # depends on which one is picked
            doubtful = _or(doubtful, _and(_not(exact), _or(*(a.exact for a in arguments))),
                           *(_too_big(a) for a in arguments))
        return Bounded(functools.reduce(pick, (a.value for a in arguments)),
                       functools.reduce(np.maximum, (a.error for a in arguments)),
                       max(a.magnitude for a in arguments), exact,
                       functools.reduce(np.maximum, (a.bits for a in arguments)), doubtful)

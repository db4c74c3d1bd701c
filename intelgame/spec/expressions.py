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
import importlib
import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import ModuleType
from typing import Any, Generic, TypeVar

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

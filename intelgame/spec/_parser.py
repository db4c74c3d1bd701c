"""The safe expression parser: text -> a small whitelisted syntax tree, and the fold over it.

The text is parsed with :func:`ast.parse` (which only builds a syntax tree, it runs nothing); the
tree is checked against a whitelist and copied into the private tree of this module:

* numbers: integers, decimals, scientific notation (``3``, ``0.1``, ``2.5e-3``), read exactly;
* parameter names (identifiers not starting with ``_``);
* the operators ``+ - * / **``, unary ``-`` and ``+``, parentheses;
* calls of ``min`` and ``max`` (one argument or more) and ``abs`` (one argument);
* ``if(condition, x, y)`` (``x`` where the condition holds, else ``y``; only the branch chosen
  is evaluated on numbers) and ``ind(condition)`` (1 where it holds, else 0), whose condition
  is one comparison ``x < y`` (``<``, ``<=``, ``>``, ``>=``, ``==``, ``!=``): comparisons are
  allowed there and nowhere else;
* attributes of the cell's type, message and action in payoff formulas (``t.value``,
  ``m.cost``, ``a.value``), kept as the names ``"t.value"``... for
  :mod:`intelgame.spec.formulas` to replace by their values.

Everything else is rejected with a :class:`~intelgame.errors.SpecError` that says what was
found. An algebra (:class:`Algebra`) gives the tree its meaning: :func:`fold` evaluates the tree
bottom-up with the algebra's operations.
"""

from __future__ import annotations

import ast
import keyword
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, Protocol, TypeVar

from intelgame.errors import SpecError

#: Longest accepted expression source, in characters.
MAX_SOURCE_LENGTH = 2000
#: Deepest accepted nesting of operations in one expression.
MAX_DEPTH = 200
#: Largest bit length of the numerator or denominator of an exact number.
MAX_BITS = 1024
#: Largest absolute value of an exponent in exact (rational) arithmetic.
MAX_EXACT_EXPONENT = 64

ALLOWED = ("numbers, parameter names, + - * / **, parentheses, min(...), max(...), abs(...), "
           "if(x < y, then, else), ind(x < y)")
_BINARY_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
}
_UNARY_OPERATORS: dict[type[ast.unaryop], str] = {ast.USub: "-", ast.UAdd: "+"}
_FUNCTIONS: dict[str, tuple[int, int | None]] = {"min": (1, None), "max": (1, None), "abs": (1, 1),
                                                 "if": (3, 3), "ind": (1, 1)}
_COMPARISONS: dict[type[ast.cmpop], str] = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
                                            ast.Eq: "==", ast.NotEq: "!="}
#: The comparison operators, as the functions of :class:`Call` nodes they become.
COMPARISONS = frozenset(_COMPARISONS.values())
#: The objects whose attributes a payoff formula may read: the cell's type, message, action.
ATTRIBUTE_OWNERS = ("t", "m", "a")
#: Names no parameter may take: the callable functions.
RESERVED_NAMES = frozenset(_FUNCTIONS)
_IF = re.compile(r"\bif(\s*\()")  # 'if' is a Python keyword: parsed as the name '_if'

_WORD = re.compile(r"[^\W\d]\w*")
_DESCRIPTIONS: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access", ast.Subscript: "subscript", ast.Lambda: "lambda",
    ast.Compare: "comparison", ast.BoolOp: "boolean operator", ast.IfExp: "conditional expression",
    ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict", ast.Set: "set",
    ast.ListComp: "comprehension", ast.SetComp: "comprehension", ast.DictComp: "comprehension",
    ast.GeneratorExp: "generator expression", ast.JoinedStr: "f-string",
    ast.NamedExpr: "assignment expression", ast.Starred: "starred expression",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "slice",
}


class Located(Protocol):
    """An expression's source text and a way to raise an error located at it."""

    @property
    def source(self) -> str: ...

    def error(self, message: str) -> SpecError: ...


# --- the private syntax tree ------------------------------------------------------------------

@dataclass(frozen=True)
class Literal:
    value: Fraction


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Unary:
    operator: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    operator: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Node, ...]


Node = Literal | Name | Unary | Binary | Call

T = TypeVar("T")
V = TypeVar("V")


class Algebra(Generic[T, V]):
    """The operations a fold over the tree needs (one subclass per kind of result).

    ``values`` binds the parameter names to values of type ``V``; :meth:`lookup` finds one and
    :meth:`error` raises at the expression, both with the messages every algebra shares.
    """

    def __init__(self, expression: Located, values: Mapping[str, V]) -> None:
        self.expression = expression
        self.values = values

    def error(self, what: str) -> SpecError:
        return self.expression.error(f"{what} in expression '{shorten(self.expression.source)}'")

    def lookup(self, name: str) -> V:
        """The value bound to ``name``; an unknown name is a :class:`SpecError`."""
        if name not in self.values:
            raise self.expression.error(unknown_parameter(name, self.values, self.expression))
        return self.values[name]

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

    def decided(self, condition: T) -> bool | None:
        """Whether ``condition`` (the value of a comparison) holds, when this algebra can say
        so before the branches of ``if`` are folded; ``None`` folds both (symbolic, arrays)."""
        return None


def fold(node: Node, algebra: Algebra[T, V]) -> T:
    """Evaluate ``node`` bottom-up with the operations of ``algebra``."""
    if isinstance(node, Literal):
        return algebra.literal(node.value)
    if isinstance(node, Name):
        return algebra.name(node.name)
    if isinstance(node, Unary):
        return algebra.unary(node.operator, fold(node.operand, algebra))
    if isinstance(node, Binary):
        return algebra.binary(node.operator, fold(node.left, algebra), fold(node.right, algebra))
    if node.function == "if":  # only the branch chosen, where the algebra can choose
        condition = fold(node.arguments[0], algebra)
        chosen = algebra.decided(condition)
        if chosen is not None:
            return fold(node.arguments[1 if chosen else 2], algebra)
        return algebra.call("if", [condition, *(fold(a, algebra) for a in node.arguments[1:])])
    return algebra.call(node.function, [fold(a, algebra) for a in node.arguments])


def substitute(node: Node, replacements: Mapping[str, Node]) -> Node:
    """``node`` with each name in ``replacements`` replaced by its tree."""
    if isinstance(node, Name):
        return replacements.get(node.name, node)
    if isinstance(node, Unary):
        return Unary(node.operator, substitute(node.operand, replacements))
    if isinstance(node, Binary):
        return Binary(node.operator, substitute(node.left, replacements), substitute(node.right, replacements))
    if isinstance(node, Call):
        return Call(node.function, tuple(substitute(a, replacements) for a in node.arguments))
    return node


def unparse(node: Node) -> str:
    """Expression text that parses back to ``node`` (every operation in parentheses).

    A comparison reads back only as the condition of ``if``, which is where the parser puts it.
    """
    if isinstance(node, Literal):
        q = node.value
        return str(q.numerator) if q.denominator == 1 else f"({q.numerator}/{q.denominator})"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Unary):
        return f"({node.operator}{unparse(node.operand)})"
    if isinstance(node, Binary):
        return f"({unparse(node.left)} {node.operator} {unparse(node.right)})"
    if node.function in COMPARISONS:
        return f"{unparse(node.arguments[0])} {node.function} {unparse(node.arguments[1])}"
    return f"{node.function}({', '.join(unparse(a) for a in node.arguments)})"


def names_in(node: Node) -> frozenset[str]:
    """The parameter names a tree uses."""
    if isinstance(node, Name):
        return frozenset({node.name})
    if isinstance(node, Unary):
        return names_in(node.operand)
    if isinstance(node, Binary):
        return names_in(node.left) | names_in(node.right)
    if isinstance(node, Call):
        return frozenset().union(*(names_in(a) for a in node.arguments))
    return frozenset()


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters (``...`` marks the cut), for error messages."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: The most parameter names a message lists.
LISTED_NAMES = 20


def defined_parameters(parameters: Collection[str]) -> str:
    """``the spec defines: p, q`` (at most :data:`LISTED_NAMES` names, then how many more), or
    ``the spec defines no parameters``.

    Examples
    --------
    >>> defined_parameters([]), defined_parameters(["p", "q"])
    ('the spec defines no parameters', 'the spec defines: p, q')
    """
    if not parameters:
        return "the spec defines no parameters"
    names = list(parameters)
    more = f" and {len(names) - LISTED_NAMES} more" if len(names) > LISTED_NAMES else ""
    return f"the spec defines: {', '.join(names[:LISTED_NAMES])}{more}"


def unknown_parameter(name: str, parameters: Collection[str], expression: Located | None = None, *,
                      where: str = "") -> str:
    """The one message for an unknown parameter ``name``, used in ``expression`` or ``where``
    (``"in the grid"``), if given; it lists at most :data:`LISTED_NAMES` of the spec's parameters.

    >>> unknown_parameter("q", ["p"], where="in the grid")
    "unknown parameter 'q' in the grid; the spec defines: p"
    """
    if expression is not None:
        where = f"in expression '{shorten(expression.source)}'"
    return f"unknown parameter '{name}'{' ' + where if where else ''}; {defined_parameters(parameters)}"


def check_exact(value: Fraction, expression: Located) -> Fraction:
    """Refuse exact numbers too large (or too finely divided) to be a sensible game entry:
    more than :data:`MAX_BITS` bits in the numerator or the denominator."""
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_BITS:
        raise expression.error(f"number out of range (more than {MAX_BITS} bits) "
                               f"in expression '{shorten(expression.source)}'")
    return value


def parameter_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a parameter name, or ``None`` if it can.

    A parameter name is an identifier, not a Python keyword (``lambda``, ``None``), in Unicode
    normal form NFKC (Python reads ``ﬁ`` as ``fi``: two spellings must never name two
    parameters), not starting with ``_``, and not a function name (``min``, ``max``, ``abs``).

    Examples
    --------
    >>> parameter_name_problem("p"), parameter_name_problem("lambda")
    (None, "'lambda' is a reserved word (a Python keyword)")
    """
    if not name.isidentifier():
        return "not an identifier (letters, digits and '_', not starting with a digit)"
    normal = unicodedata.normalize("NFKC", name)
    if normal != name:
        return f"not in Unicode normal form NFKC (an expression reads it as {normal!r}); write {normal!r}"
    if keyword.iskeyword(name):
        return f"{name!r} is a reserved word (a Python keyword)"
    if name.startswith("_"):
        return "names may not start with '_'"
    if name in RESERVED_NAMES:
        return f"{name!r} is a function ({', '.join(_FUNCTIONS)})"
    return None


# --- parsing ----------------------------------------------------------------------------------

def parse_tree(expression: Located) -> Node:
    """The tree of ``expression.source``, checked against the whitelist.

    Raises
    ------
    SpecError
        At ``expression``: what was found and what is allowed.
    """
    return _Parser(expression).parse()


class _Parser:
    """Checks a Python syntax tree against the whitelist and converts it to the private tree."""

    def __init__(self, expression: Located) -> None:
        self.expression = expression
        # One line, so that a YAML block scalar may span lines; offsets refer to this text.
        self.text = " ".join(expression.source.split())

    def fail(self, what: str) -> SpecError:
        return self.expression.error(f"{what} in expression '{shorten(self.text)}'")

    def parse(self) -> Node:
        if not self.text:
            raise self.expression.error(f"empty expression; expected a number or {ALLOWED}")
        if len(self.text) > MAX_SOURCE_LENGTH:
            raise self.expression.error(
                f"expression of {len(self.text)} characters is too long (at most {MAX_SOURCE_LENGTH})")
        if "#" in self.text:  # Python would read the rest as a comment and drop it silently
            raise self.fail("'#' is not allowed (a YAML comment goes outside the quotes)")
        try:
            tree = ast.parse(_IF.sub(r"_if\1", self.text), mode="eval")
        except SyntaxError as exc:
            reserved = [w for w in _WORD.findall(_IF.sub(r"_if\1", self.text)) if keyword.iskeyword(w)]
            reason = (f"'{reserved[0]}' is a reserved word (a Python keyword), not a name" if reserved
                      else exc.msg)
            raise self.expression.error(f"invalid expression '{shorten(self.text)}': {reason}; "
                                        f"allowed: {ALLOWED}") from None
        except (RecursionError, MemoryError, ValueError):
            raise self.fail("expression too complex") from None
        return self.convert(tree.body, 0)

    def convert(self, node: ast.AST, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, ast.Constant):
            return self.literal(node)
        if isinstance(node, ast.Name):
            return Name(self.name(node))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY_OPERATORS:
            return Unary(_UNARY_OPERATORS[type(node.op)], self.convert(node.operand, depth + 1))
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPERATORS:
            return Binary(_BINARY_OPERATORS[type(node.op)], self.convert(node.left, depth + 1),
                          self.convert(node.right, depth + 1))
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Attribute):
            return Name(self.attribute(node))
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            raise self.fail(f"operator '{self.segment(node)}' is not allowed (allowed: {ALLOWED})")
        what = _DESCRIPTIONS.get(type(node), type(node).__name__)
        raise self.fail(f"{what} '{self.segment(node)}' is not allowed (allowed: {ALLOWED})")

    def literal(self, node: ast.Constant) -> Literal:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = {bool: "boolean", str: "string", bytes: "bytes", complex: "complex number",
                    type(None): "reserved word"}.get(type(value), "constant")
            raise self.fail(f"{kind} '{self.segment(node)}' is not allowed (allowed: {ALLOWED})")
        # Exact: read a decimal from its text ("0.1" -> 1/10), never from the binary float.
        exact = Fraction(value) if isinstance(value, int) else Fraction(self.segment(node))
        return Literal(check_exact(exact, self.expression))

    def name(self, node: ast.Name) -> str:
        name, written = node.id, self.segment(node)
        if written != name:  # Python normalised the identifier (NFKC)
            raise self.fail(f"name {written!r} is not in Unicode normal form NFKC (it reads as "
                            f"{name!r}); write {name!r}")
        if name.startswith("_"):
            raise self.fail(f"name '{name}' is not allowed (names may not start with '_')")
        if name in RESERVED_NAMES:
            raise self.fail(f"'{name}' is a function; call it as {name}(...)")
        return name

    def attribute(self, node: ast.Attribute) -> str:
        owner = node.value.id if isinstance(node.value, ast.Name) else None
        if owner not in ATTRIBUTE_OWNERS or node.attr.startswith("_"):
            raise self.fail(f"attribute access '{self.segment(node)}' is not allowed (allowed: {ALLOWED}; "
                            "in a payoff formula also t.NAME, m.NAME, a.NAME)")
        return f"{owner}.{node.attr}"

    def comparison(self, node: ast.AST, function: str, depth: int) -> Call:
        if not isinstance(node, ast.Compare) or len(node.ops) != 1 or type(node.ops[0]) not in _COMPARISONS:
            raise self.fail(f"the condition of {function}() must be one comparison such as 'x < y' "
                            f"(<, <=, >, >=, ==, !=), found '{self.segment(node)}'")
        return Call(_COMPARISONS[type(node.ops[0])],
                    (self.convert(node.left, depth + 1), self.convert(node.comparators[0], depth + 1)))

    def call(self, node: ast.Call, depth: int) -> Call:
        function = node.func.id if isinstance(node.func, ast.Name) else None
        function = "if" if function == "_if" else function
        if function not in _FUNCTIONS:
            raise self.fail(f"call '{shorten(self.segment(node))}' is not allowed "
                            "(only min(...), max(...), abs(...), if(...) and ind(...) may be called)")
        assert function is not None
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(f"{function}() takes plain positional arguments only")
        low, high = _FUNCTIONS[function]
        if len(node.args) < low or (high is not None and len(node.args) > high):
            wanted = f"exactly {low}" if low == high else f"at least {low}"
            raise self.fail(f"{function}() takes {wanted} argument(s), found {len(node.args)}")
        if function == "ind":
            return Call("if", (self.comparison(node.args[0], function, depth), Literal(Fraction(1)),
                               Literal(Fraction(0))))
        if function == "if":
            return Call("if", (self.comparison(node.args[0], function, depth),
                               *(self.convert(a, depth + 1) for a in node.args[1:])))
        return Call(function, tuple(self.convert(a, depth + 1) for a in node.args))

    def segment(self, node: ast.AST) -> str:
        text = ast.get_source_segment(_IF.sub(r"_if\1", self.text), node) or type(node).__name__
        return text.replace("_if(", "if(")

"""Safe spec expressions: exact evaluation, sympy conversion, and every rejection."""

from __future__ import annotations

import dataclasses
import os
from fractions import Fraction as F
from typing import Any

import pytest
import sympy

from intelgame.errors import SpecError
from intelgame.spec import Expression, parse_expression


def expr(text: Any) -> Expression:
    return parse_expression(text, file="game.yaml", line=7, key="payoffs.weak.beer.duel[0]")


def assert_located(error: SpecError, *fragments: str) -> None:
    """The message names the file, the line and the key (and the given fragments)."""
    message = str(error)
    assert "game.yaml:7" in message
    assert "key 'payoffs.weak.beer.duel[0]'" in message
    assert error.file == "game.yaml" and error.line == 7 and error.key == "payoffs.weak.beer.duel[0]"
    for fragment in fragments:
        assert fragment in message, message


# --- valid expressions ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("0.1", F(1, 10)),
    (0.1, F(1, 10)),                    # a YAML float, read from its repr, not its binary value
    (3, F(3)),
    ("1/10", F(1, 10)),
    ("2.5e-3", F(1, 400)),
    ("1E3", F(1000)),
    ("1_000", F(1000)),
    ("-p + +2", F(19, 10)),
    ("(1 - p) * 2 / 3", F(3, 5)),
    ("2 ** 3 ** 2", F(512)),           # right-associative, as in Python
    ("-2 ** 2", F(-4)),
    ("p ** -2", F(100)),
    ("min(p, 1/2) + max(1, 2, 3) + abs(-p)", F(32, 10)),
    ("min(p)", F(1, 10)),
    ("0.1 + 0.2", F(3, 10)),           # exact, unlike floats
    ("  p  ", F(1, 10)),
    ("1 +\n 2", F(3)),                 # YAML block scalars may span lines
])
def test_exact_values(text: Any, expected: F) -> None:
    value = expr(text).evaluate({"p": F(1, 10)})
    assert value == expected and isinstance(value, F)


def test_float_inputs_and_irrational_powers_give_floats() -> None:
    assert expr("p * 2").evaluate({"p": 0.25}) == 0.5
    assert isinstance(expr("p * 2").evaluate({"p": 0.25}), float)
    assert expr("2 ** 0.5").evaluate({}) == pytest.approx(2 ** 0.5)
    assert isinstance(expr("4 ** (1/2)").evaluate({}), float)
    assert expr("p ** 100").evaluate({"p": 1.01}) == pytest.approx(1.01 ** 100)   # float: no cap


def test_int_values_are_exact() -> None:
    assert expr("p / 3").evaluate({"p": 1}) == F(1, 3)


def test_names() -> None:
    assert expr("a * max(b, 1) + abs(c) - a").names() == frozenset({"a", "b", "c"})
    assert expr("3").names() == frozenset()


def test_expression_is_frozen_and_keeps_its_location() -> None:
    e = expr("1/2")
    assert (e.source, e.file, e.line, e.key) == ("1/2", "game.yaml", 7, "payoffs.weak.beer.duel[0]")
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.source = "2"  # type: ignore[misc]
    assert e == expr("1/2")


def test_to_sympy() -> None:
    p = sympy.Symbol("p", real=True)
    result = expr("min(p, 1/2) + abs(p) * 0.1 - 2 ** p + q / p").to_sympy({"p": p, "q": F(1, 3)})
    expected = sympy.Min(p, sympy.Rational(1, 2)) + sympy.Abs(p) / 10 - 2 ** p + sympy.Rational(1, 3) / p
    assert sympy.simplify(result - expected) == 0
    assert expr("0.1").to_sympy({}) == sympy.Rational(1, 10)
    assert expr("p").to_sympy({"p": 0.5}) == sympy.Float(0.5)


def test_to_sympy_substitutes_the_given_object_not_a_parsed_name() -> None:
    other = sympy.Symbol("zz")
    assert expr("p + 1").to_sympy({"p": other}) == other + 1


def test_value_dispatches_on_symbolic_inputs() -> None:
    p = sympy.Symbol("p", real=True)
    assert expr("1 - p").value({"p": F(1, 4)}) == F(3, 4)
    assert expr("1 - p").value({"p": p}) == 1 - p
    assert expr("q").value({"p": p, "q": F(1, 2)}) == F(1, 2)   # p unused: stays numeric


# --- rejections -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "fragment"), [
    ("__import__('os').system('x')", "is not allowed"),
    ("__import__('os')", "call '__import__('os')' is not allowed"),
    ("open('f')", "call 'open('f')' is not allowed"),
    ("().__class__", "attribute access '().__class__'"),
    ("x.y", "attribute access 'x.y'"),
    ("a[0]", "subscript 'a[0]'"),
    ("lambda: 1", "lambda"),
    ("a < b", "comparison"),
    ("a and b", "boolean operator"),
    ("1 if a else 2", "conditional expression"),
    ("'text'", "string"),
    ("[1, 2]", "list"),
    ("(1, 2)", "tuple"),
    ("f'{a}'", "f-string"),
    ("(a := 1)", "assignment expression"),
    ("1j", "complex number"),
    ("True", "boolean"),
    ("_x + 1", "name '_x' is not allowed"),
    ("__builtins__", "name '__builtins__' is not allowed"),
    ("min", "'min' is a function"),
    ("min()", "min() takes at least 1 argument"),
    ("abs(1, 2)", "abs() takes exactly 1 argument"),
    ("max(x=1)", "positional arguments only"),
    ("max(*a)", "positional arguments only"),
    ("1 // 2", "operator '1 // 2' is not allowed"),
    ("7 % 2", "operator"),
    ("~1", "operator"),
    ("not a", "operator"),
    ("1 +", "invalid expression '1 +'"),
    ("a; b", "invalid expression"),
    ("", "empty expression"),
    ("   ", "empty expression"),
    ("a" * 5000, "5000 characters is too long"),
    ("-" * 500 + "1", "nesting deeper than"),
    ("(" * 300 + "1" + ")" * 300, "invalid expression"),
    ("1e400", "out of range"),
    ("1e-400", "out of range"),
    ("9**9**9", "too large for exact arithmetic"),
    ("2 ** 65", "too large for exact arithmetic"),
    ("(2 ** 64) ** 17", "too large for exact arithmetic"),
])
def test_rejected_syntax(text: str, fragment: str) -> None:
    with pytest.raises(SpecError) as info:
        expr(text).evaluate({"a": F(1), "b": F(2), "x": F(1)})
    assert_located(info.value, fragment)


@pytest.mark.parametrize("text", ["x.y", "a[0]", "lambda: 1", "'s'", "a < b", "1 // 2", "1 +"])
def test_rejection_says_what_is_allowed(text: str) -> None:
    with pytest.raises(SpecError) as info:
        expr(text)
    assert_located(info.value, "allowed: numbers, parameter names, + - * / **", "min(...)")


def test_code_in_an_expression_is_never_run(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command))
    with pytest.raises(SpecError):
        expr("__import__('os').system('echo pwned')")
    assert calls == []


def test_power_tower_is_refused() -> None:
    for text in ("9**9**9", "(10**64)**64", "2**(2**(2**(2**64)))"):
        with pytest.raises(SpecError):
            expr(text).evaluate({})
        with pytest.raises(SpecError):
            expr(text).to_sympy({})


@pytest.mark.parametrize(("text", "values", "fragment"), [
    ("1 / (p - 1/10)", {"p": F(1, 10)}, "division by zero"),
    ("0 ** -1", {}, "division by zero"),
    ("1 / p", {"p": 0.0}, "division by zero"),
    ("q + 1", {"p": F(1)}, "unknown parameter 'q'"),
    ("(-8) ** (1/3)", {}, "complex result"),
    ("p ** 1000", {"p": 10.0}, "out of range"),
    ("p * 10", {"p": float("inf")}, "out of range"),
])
def test_evaluation_errors(text: str, values: dict[str, Any], fragment: str) -> None:
    with pytest.raises(SpecError) as info:
        expr(text).evaluate(values)
    assert_located(info.value, fragment)


def test_unknown_name_lists_the_defined_ones() -> None:
    with pytest.raises(SpecError) as info:
        expr("q").evaluate({"a": F(1), "b": F(2)})
    assert_located(info.value, "unknown parameter 'q'", "a, b")


def test_sympy_errors() -> None:
    p = sympy.Symbol("p", real=True)
    with pytest.raises(SpecError) as info:
        expr("1 / (p - p)").to_sympy({"p": p})
    assert_located(info.value, "division by zero")
    with pytest.raises(SpecError) as info:
        expr("q * p").to_sympy({"p": p})
    assert_located(info.value, "unknown parameter 'q'")


@pytest.mark.parametrize(("value", "fragment"), [
    (True, "found a boolean"),
    (None, "found nothing"),
    ([1], "found a sequence"),
    ({"a": 1}, "found a mapping"),
    (float("inf"), "finite number"),
    (float("nan"), "finite number"),
])
def test_non_expression_values(value: Any, fragment: str) -> None:
    with pytest.raises(SpecError) as info:
        expr(value)
    assert_located(info.value, fragment)

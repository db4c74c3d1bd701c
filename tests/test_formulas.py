"""Payoff formulas over attributes of types, messages and actions (intelgame.spec.formulas),
and the ``if``/``ind`` functions of the safe parser.

The oracle of the first test is the discrete Crawford-Sobel model (Crawford and Sobel 1982,
Econometrica 50(6)) written cell by cell, as the catalog wrote it before formulas existed.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy

import intelgame
from intelgame.errors import SpecError
from intelgame.games.grid import build_game_grid
from intelgame.spec.expressions import parse_expression
from intelgame.spec.intervals import Bounded


def _cheap_talk_by_cells() -> str:
    cells = "\n".join(
        f"  s{s}:\n" + "\n".join(
            f"    m{m}: {{" + ", ".join(f'a{a}: ["-({a} - {s} - b)**2", "-({a} - {s})**2"]' for a in (1, 2, 3)) + "}"
            for m in (1, 2, 3))
        for s in (1, 2, 3))
    return f"""
intelgame: 1
kind: signalling
name: crawford-sobel-discrete
parameters: {{b: "3/4"}}
types: {{s1: "1/3", s2: "1/3", s3: "1/3"}}
messages: [m1, m2, m3]
actions: [a1, a2, a3]
payoffs:
{cells}
"""


@pytest.mark.parametrize("b", ["3/4", "0.3", "7/8"])
def test_catalog_cheap_talk_formulas_give_the_cell_by_cell_game(b: str) -> None:
    overrides = intelgame.parse_overrides([f"b={b}"])
    by_formula = intelgame.build_game(intelgame.load_spec("crawford_sobel_discrete"), overrides)
    by_cells = intelgame.build_game(intelgame.parse_spec(_cheap_talk_by_cells()), overrides)
    assert by_formula.sender_payoffs == by_cells.sender_payoffs
    assert by_formula.receiver_payoffs == by_cells.receiver_payoffs
    assert by_formula.prior == by_cells.prior


SPEC = """
intelgame: 1
kind: signalling
name: costly
parameters: {k: 1, c: "1/2"}
types:
  low: {prior: "1/2", skill: 1}
  high: {prior: "1/2", skill: 2}
messages:
  none: {education: 0}
  school: {education: 1}
actions: {hire: {wage: 2}, pass: {wage: 0}}
payoffs:
  sender: "a.wage - c * m.education / t.skill - ind(m.education > k) * 5"
  receiver: "if(a.wage > 0, t.skill - 3/2, 0)"
  cells:
    high: {school: {pass: [-1, 0]}}
"""


def test_attributes_formulas_indicators_and_overrides() -> None:
    game = intelgame.build_game(intelgame.parse_spec(SPEC))
    assert game.types == ("low", "high") and game.messages == ("none", "school") and game.actions == ("hire", "pass")
    t, m, a = game.types.index("low"), game.messages.index("school"), game.actions.index("hire")
    assert game.sender_payoffs[t][m][a] == 2 - F(1, 2)
    assert game.receiver_payoffs[t][m][a] == F(-1, 2)
    assert game.receiver_payoffs[t][m][1] == 0
    assert game.sender_payoffs[1][1][1] == -1  # the override
    assert game.sender_payoffs[1][1][0] == 2 - F(1, 4)
    raised = intelgame.build_game(intelgame.parse_spec(SPEC), intelgame.parse_overrides(["k=0"]))
    assert raised.sender_payoffs[0][1][0] == 2 - F(1, 2) - 5  # ind(education > k) now holds


def test_grid_evaluation_agrees_with_exact_evaluation() -> None:
    spec = intelgame.parse_spec(SPEC)
    values = [F(0), F(1, 2), F(1), F(2)]
    grid = build_game_grid(spec, {}, ["k"], [[v] for v in values])
    for i, v in enumerate(values):
        exact = intelgame.build_game(spec, {"k": parse_expression(str(v), file="t", line=1, key="k")})
        assert grid.sender[i].tolist() == [[[float(x) for x in c] for c in r] for r in exact.sender_payoffs]


@pytest.mark.parametrize("text, fragment", [
    ("  sender: \"a.wage * t.height\"", "type 'low' has no attribute 'height'"),
    ("  sender: \"a.wage + q\"", "unknown parameter 'q'"),
    ("  sender: \"a.wage < 1\"", "comparison 'a.wage < 1' is not allowed"),
    ("  sender: \"x.wage\"", "attribute access 'x.wage' is not allowed"),
])
def test_formula_errors_name_the_file_and_line(text: str, fragment: str) -> None:
    spec = SPEC.replace('  sender: "a.wage - c * m.education / t.skill - ind(m.education > k) * 5"', text)
    with pytest.raises(SpecError, match=fragment) as caught:
        intelgame.parse_spec(spec, file="costly.yaml")
    assert str(caught.value).startswith("costly.yaml:14:")


def test_attribute_outside_a_formula_and_bad_blocks() -> None:
    with pytest.raises(SpecError, match="only be used in a payoff formula"):
        intelgame.parse_spec(SPEC.replace("{k: 1,", "{k: t.skill,"))
    with pytest.raises(SpecError, match="missing required key 'prior' in type 'low'"):
        intelgame.parse_spec(SPEC.replace('{prior: "1/2", skill: 1}', "{skill: 1}"))
    with pytest.raises(SpecError, match="unknown action 'fire'"):
        intelgame.parse_spec(SPEC.replace("{pass: [-1, 0]}", "{fire: [-1, 0]}"))
    with pytest.raises(SpecError, match=r"costly.yaml:14:.*division by zero.*\(low, none, hire\)"):
        intelgame.build_game(intelgame.parse_spec(SPEC.replace("/ t.skill", "/ m.education"), file="costly.yaml"))


def test_if_chooses_one_branch_in_every_arithmetic() -> None:
    e = parse_expression("if(p == 0, 0, 1/p) + ind(p >= 1/2)", file="f", line=1, key="k")
    assert [e.evaluate({"p": x}) for x in (F(0), F(1, 4), F(1))] == [0, 4, 2]
    p = sympy.Symbol("p")
    assert e.to_sympy({"p": p}).subs(p, sympy.Rational(1, 4)) == 4
    bounded = e.evaluate_bounded({"p": Bounded.of_numbers([F(1, 4), F(3, 4), F(1)])}, precise=True)
    assert bounded.value.tolist() == [4.0, 4 / 3 + 1, 2.0]


@pytest.mark.parametrize("text, fragment", [
    ("if(p, 1, 2)", "must be one comparison"),
    ("if(0 < p < 1, 1, 2)", "must be one comparison"),
    ("ind(p)", "must be one comparison"),
    ("p <= 1", "comparison"),
    ("if(p < 1, 2)", "exactly 3"),
    ("t.__class__", "attribute access"),
])
def test_if_and_ind_are_checked(text: str, fragment: str) -> None:
    with pytest.raises(SpecError, match=fragment):
        parse_expression(text, file="f", line=1, key="k")

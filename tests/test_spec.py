"""YAML specs: valid specs load and build to exact games; every invalid spec is rejected with
a SpecError naming the file, the line and the key."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
import sympy
from games_for_tests import beer_quiche

from intelgame.errors import SpecError
from intelgame.games import NormalFormGame, SignallingGame
from intelgame.games.build import build_game
from intelgame.spec import (
    NormalSpec,
    SignallingSpec,
    load_spec,
    parse_overrides,
    parse_spec,
    resolve_parameters,
)

# Cho and Kreps (1987), as in docs/SPEC_FORMAT.md.
BEER_QUICHE = """\
intelgame: 1
kind: signalling
name: beer-quiche
description: Cho and Kreps (1987)
parameters:
  p: 1/10
types:
  weak: p
  strong: 1 - p
messages: [beer, quiche]
actions: [duel, defer]
payoffs:
  weak:
    beer:   {duel: [0, 1], defer: [2, 0]}
    quiche: {duel: [1, 1], defer: [3, 0]}
  strong:
    beer:   {duel: [1, -1], defer: [3, 0]}
    quiche: {duel: [0, -1], defer: [2, 0]}
"""

PRISONERS_DILEMMA = """\
intelgame: 1
kind: normal
name: prisoners-dilemma
players: [row, column]
strategies: {row: [cooperate, defect], column: [cooperate, defect]}
payoffs:
  cooperate: {cooperate: [3, 3], defect: [0, 5]}
  defect:    {cooperate: [5, 0], defect: [1, 1]}
"""

EXTENSIONS = """\
interpretation:
  reports: {weak: quiche, strong: beer}
  correct_actions: {weak: duel, strong: defer}
  alarm: weak
stage:
  chooser: receiver
  parameter: p
  choices: [0, 1/4, 1/2]
  payoffs: {sender: 2 * p, receiver: -p}
  selection: sender_optimal
expect:
  - set: {p: 1/2}
    count: 2
    classifications: [pooling, pooling]
    intuitive_criterion: [true, false]
    qualities: [noisy]
    note: two pooling equilibria
  - count: 0
"""


def write(tmp_path: Path, text: str, name: str = "game.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str) -> int:
    """1-based number of the first line of ``text`` containing ``fragment``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def assert_rejected(action: Callable[[], Any], file: str, line: int | None, key: str | None,
                    *fragments: str) -> SpecError:
    """``action`` raises a SpecError whose message names ``file``, ``line`` and ``key``."""
    with pytest.raises(SpecError) as info:
        action()
    error, message = info.value, str(info.value)
    assert (error.file, error.line, error.key) == (file, line, key), message
    assert (f"{file}:{line}" if line is not None else file) in message
    if key is not None:
        assert f"key '{key}'" in message
    for fragment in fragments:
        assert fragment in message, message
    return error


def assert_spec_rejected(tmp_path: Path, text: str, line_fragment: str, key: str | None,
                         *fragments: str) -> None:
    """Loading ``text`` from a file fails at the line containing ``line_fragment``."""
    path = write(tmp_path, text)
    assert_rejected(lambda: load_spec(path), str(path), line_of(text, line_fragment), key, *fragments)


# --- valid specs ------------------------------------------------------------------------------

def test_beer_quiche_builds_the_published_game(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, BEER_QUICHE))
    assert isinstance(spec, SignallingSpec)
    assert (spec.name, spec.description, spec.kind) == ("beer-quiche", "Cho and Kreps (1987)", "signalling")
    assert spec.messages == ("beer", "quiche") and spec.actions == ("duel", "defer")
    game = build_game(spec)
    expected = beer_quiche()
    assert isinstance(game, SignallingGame)
    assert game.prior == (F(1, 10), F(9, 10))
    assert all(isinstance(x, F) for x in game.prior)
    assert game.sender_payoffs == expected.sender_payoffs
    assert game.receiver_payoffs == expected.receiver_payoffs
    assert game.parameters == (("p", F(1, 10)),)
    assert game.description == "Cho and Kreps (1987)"
    assert game.is_rational


def test_lines_of_keys(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, BEER_QUICHE))
    assert spec.lines["types.weak"] == 8
    assert spec.lines["messages[1]"] == 10
    assert spec.lines["payoffs.strong.quiche.defer"] == 18
    assert spec.payoffs["strong"]["quiche"]["defer"][1].line == 18
    assert spec.payoffs["strong"]["quiche"]["defer"][1].key == "payoffs.strong.quiche.defer[1]"
    assert spec.error("bad", "types.weak").line == 8


def test_prisoners_dilemma(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, PRISONERS_DILEMMA))
    assert isinstance(spec, NormalSpec)
    assert spec.players == ("row", "column")
    assert spec.strategies == {"row": ("cooperate", "defect"), "column": ("cooperate", "defect")}
    game = build_game(spec)
    assert isinstance(game, NormalFormGame)
    assert game.row_strategies == ("cooperate", "defect")
    assert game.row_payoffs == ((3, 0), (5, 1))
    assert game.column_payoffs == ((3, 5), (0, 1))
    assert game.is_rational


def test_fraction_arithmetic_in_parameters_and_payoffs() -> None:
    text = edit(BEER_QUICHE, "  p: 1/10\n", "  a: 0.25\n  b: 2 * a - 0.1\n  c: max(a, b) ** 2\n  p: c / 2\n")
    text = edit(text, "defer: [2, 0]}\n    quiche: {duel: [1, 1]", "defer: [b + 1/3, c]}\n    quiche: {duel: [1, 1]")
    spec = parse_spec(text)
    assert resolve_parameters(spec) == {"a": F(1, 4), "b": F(2, 5), "c": F(4, 25), "p": F(2, 25)}
    game = build_game(spec)
    assert isinstance(game, SignallingGame)
    assert game.prior == (F(2, 25), F(23, 25))
    assert game.sender_payoffs[0][0][1] == F(11, 15)
    assert game.receiver_payoffs[0][0][1] == F(4, 25)


def test_yaml_floats_are_exact() -> None:
    spec = parse_spec(edit(BEER_QUICHE, "p: 1/10", "p: 0.1"))
    assert resolve_parameters(spec)["p"] == F(1, 10)
    spec = parse_spec(edit(BEER_QUICHE, "p: 1/10", "p: 0.30000000000000001"))
    assert resolve_parameters(spec)["p"] == F(30000000000000001, 10 ** 17)


def test_overrides_re_evaluate_dependants() -> None:
    text = edit(BEER_QUICHE, "  p: 1/10\n", "  q: 1/5\n  p: q / 2\n")
    spec = parse_spec(text)
    assert resolve_parameters(spec) == {"q": F(1, 5), "p": F(1, 10)}
    assert resolve_parameters(spec, parse_overrides(["q=0.5"])) == {"q": F(1, 2), "p": F(1, 4)}
    assert resolve_parameters(spec, parse_overrides(["p = q * 2"])) == {"q": F(1, 5), "p": F(2, 5)}
    game = build_game(spec, parse_overrides(["q=1/3"]))
    assert isinstance(game, SignallingGame)
    assert game.prior == (F(1, 6), F(5, 6))
    assert game.parameters == (("q", F(1, 3)), ("p", F(1, 6)))


def test_symbolic_parameters() -> None:
    text = edit(BEER_QUICHE, "  p: 1/10\n", "  q: 1/5\n  p: q / 2\n  r: 3\n")
    spec = parse_spec(text)
    values = resolve_parameters(spec, symbolic=["q"])
    q = sympy.Symbol("q", real=True)
    assert values["q"] == q and values["p"] == q / 2 and values["r"] == F(3)
    game = build_game(spec, symbolic=["q"])
    assert isinstance(game, SignallingGame)
    assert game.prior == (q / 2, 1 - q / 2)
    assert not game.is_numeric
    assert game.sender_payoffs[0][0][0] == 0


def test_float_priors_use_a_tolerance() -> None:
    text = edit(BEER_QUICHE, "  weak: p\n  strong: 1 - p\n", "  weak: 0.5 ** 0.5\n  strong: 1 - 0.5 ** 0.5\n")
    game = build_game(parse_spec(text))
    assert isinstance(game, SignallingGame) and isinstance(game.prior[0], float)


def test_extension_blocks() -> None:
    spec = parse_spec(BEER_QUICHE + EXTENSIONS)
    assert isinstance(spec, SignallingSpec)
    assert spec.interpretation is not None and spec.stage is not None
    assert spec.interpretation.reports == {"weak": "quiche", "strong": "beer"}
    assert spec.interpretation.correct_actions == {"weak": "duel", "strong": "defer"}
    assert spec.interpretation.alarm == "weak"
    stage = spec.stage
    assert (stage.chooser, stage.parameter, stage.selection) == ("receiver", "p", "sender_optimal")
    assert [c.evaluate({}) for c in stage.choices] == [0, F(1, 4), F(1, 2)]
    assert stage.sender_payoff is not None and stage.sender_payoff.evaluate({"p": F(1, 2)}) == 1
    first, second = spec.expect
    assert first.overrides["p"].evaluate({}) == F(1, 2)
    assert (first.count, first.classifications, first.intuitive_criterion, first.qualities) == (
        2, ("pooling", "pooling"), (True, False), ("noisy",))
    assert first.note == "two pooling equilibria" and first.line == line_of(BEER_QUICHE + EXTENSIONS, "- set")
    assert (second.count, second.classifications, second.overrides, second.note) == (0, None, {}, "")


def test_stage_defaults() -> None:
    spec = parse_spec(BEER_QUICHE + "stage: {chooser: sender, parameter: p, choices: [1/2]}\n")
    assert isinstance(spec, SignallingSpec) and spec.stage is not None
    assert spec.stage.selection == "most_informative"
    assert spec.stage.sender_payoff is None and spec.stage.receiver_payoff is None


def test_build_game_ignores_the_stage_and_uses_overrides() -> None:
    spec = parse_spec(BEER_QUICHE + "stage: {chooser: sender, parameter: p, choices: [1/2]}\n")
    game = build_game(spec, parse_overrides(["p=1/2"]))
    assert isinstance(game, SignallingGame) and game.prior == (F(1, 2), F(1, 2))


def test_parse_spec_default_file_name() -> None:
    with pytest.raises(SpecError) as info:
        parse_spec("intelgame: 1\n")
    assert str(info.value).startswith("<string>:1:")


# --- rejections: the top level ----------------------------------------------------------------

#: Edits of ``BEER_QUICHE`` that make it invalid: (old, new, line_fragment, key, fragment).
TOP_LEVEL_EDITS = [
    ("intelgame: 1\n", "", "kind:", "intelgame", "missing required key 'intelgame'"),
    ("intelgame: 1", "intelgame: 2", "intelgame:", "intelgame", "unsupported spec format version 2"),
    ("intelgame: 1", "intelgame: '1'", "intelgame:", "intelgame", "unsupported spec format version"),
    ("intelgame: 1", "intelgame: 1.0", "intelgame:", "intelgame", "unsupported"),
    ("kind: signalling\n", "", "intelgame", "kind", "missing required key 'kind'"),
    ("kind: signalling", "kind: extensive", "kind:", "kind", "expected one of: signalling, normal"),
    ("name: beer-quiche\n", "", "intelgame", "name", "missing required key 'name'"),
    ("name: beer-quiche", "name: ''", "name:", "name", "non-empty"),
    ("name: beer-quiche", "name: [a]", "name:", "name", "found a sequence"),
    ("description: Cho and Kreps (1987)", "description: [x]", "description:", "description", "string"),
    ("messages: [beer, quiche]\n", "", "intelgame", "messages", "missing required key 'messages'"),
    ("actions: [duel, defer]\n", "actions: [duel, defer]\ncolour: red\n", "colour:", "colour",
     "unknown key 'colour' in the top level; allowed keys: intelgame, kind"),
    ("actions: [duel, defer]\n", "actions: [duel, defer]\nplayers: [a, b]\n", "players:", "players",
     "unknown key 'players'"),
    ("name: beer-quiche\n", "name: beer-quiche\nname: other\n", "name: other", "name", "duplicate key 'name'"),
]


@pytest.mark.parametrize("text", ["", "- 1\n- 2\n", "just text\n"])
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert_rejected(lambda: load_spec(path), str(path), 1, None, "top level")


def test_yaml_syntax_error(tmp_path: Path) -> None:
    text = edit(BEER_QUICHE, "messages: [beer, quiche]", "messages: [beer, quiche")
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert str(path) in str(info.value) and "invalid YAML" in str(info.value)
    assert info.value.line is not None and info.value.line >= line_of(text, "messages:")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    assert_rejected(lambda: load_spec(path), str(path), None, None, "cannot read spec")


# --- rejections: names, parameters, priors ----------------------------------------------------

#: Edits of ``BEER_QUICHE`` that make it invalid: (old, new, line_fragment, key, fragment).
NAME_PARAMETER_AND_PRIOR_EDITS = [
    ("  strong: 1 - p", "  weak: 1 - p", "weak: 1 - p", "types.weak", "duplicate key 'weak'"),
    ("types:\n  weak: p\n  strong: 1 - p\n", "types: {}\n", "types:", "types", "at least one type"),
    ("types:\n  weak: p\n  strong: 1 - p\n", "types: [weak, strong]\n", "types:", "types", "mapping"),
    ("  strong: 1 - p", "  ' strong': 1 - p", "' strong'", "types. strong", "invalid type name"),
    ("messages: [beer, quiche]", "messages: [beer, beer]", "messages:", "messages[1]",
     "duplicate message 'beer' (first at line 10)"),
    ("messages: [beer, quiche]", "messages: []", "messages:", "messages", "at least one message"),
    ("messages: [beer, quiche]", "messages: beer", "messages:", "messages", "list of message names"),
    ("messages: [beer, quiche]", "messages: [beer, 3]", "messages:", "messages[1]", "found 3"),
    ("messages: [beer, quiche]", "messages: [beer, 'quiche ']", "messages:", "messages[1]",
     "leading or trailing spaces"),
    ("messages: [beer, quiche]", "messages: [beer, '']", "messages:", "messages[1]", "non-empty"),
    ("actions: [duel, defer]", "actions:\n  - duel\n  - 'duel'", "'duel'", "actions[1]",
     "duplicate action 'duel'"),
    ("  p: 1/10", "  _p: 1/10", "_p:", "parameters._p", "invalid parameter name '_p'"),
    ("  p: 1/10", "  min: 1/10", "min:", "parameters.min", "invalid parameter name"),
    ("  p: 1/10", "  2p: 1/10", "2p:", "parameters.2p", "invalid parameter name"),
    ("  p: 1/10", "  p: q\n  q: 1/10", "p: q", "parameters.p", "'q', which is not defined above it"),
    ("  p: 1/10", "  p: p", "p: p", "parameters.p", "not defined above it"),
    ("  p: 1/10", "  p: z / 10", "p: z", "parameters.p", "unknown parameter 'z' in expression 'z / 10'; the spec defines: p"),
    ("  p: 1/10", "  p: 1/0", "p: 1/0", "parameters.p", "division by zero"),
    ("  p: 1/10", "  p: 1/10\n  p: 1/5", "p: 1/5", "parameters.p", "duplicate key 'p'"),
    ("  p: 1/10", "  p: open('f')", "p: open", "parameters.p", "is not allowed"),
    ("  p: 1/10", "  p:", "p:", "parameters.p", "found nothing"),
    ("  p: 1/10", "  p: true", "p: true", "parameters.p", "boolean"),
    ("  p: 1/10", "  p: .inf", "p: .inf", "parameters.p", "finite"),
    ("parameters:\n  p: 1/10", "parameters: [p]", "parameters:", "parameters", "mapping"),
    ("  weak: p\n", "  weak: -0.1\n", "weak:", "types.weak", "the prior of type 'weak' is -1/10"),
    ("  strong: 1 - p", "  strong: 0.8", "types:", "types", "(weak: 1/10, strong: 4/5) sum to 9/10; they must sum to 1"),
    ("  strong: 1 - p", "  strong: 1 - p + 10 ** -30", "types:", "types", "must sum to 1"),
    ("  weak: p\n", "  weak: q\n", "weak: q", "types.weak", "unknown parameter 'q'"),
]


# --- rejections: payoffs ----------------------------------------------------------------------

#: Edits of ``BEER_QUICHE`` that make it invalid: (old, new, line_fragment, key, fragment).
PAYOFF_EDITS = [
    ("quiche: {duel: [1, 1], defer: [3, 0]}", "quiche: {duel: [1, 1], fight: [3, 0]}",
     "fight", "payoffs.weak.quiche.fight", "unknown action 'fight'; expected one of: duel, defer"),
    ("quiche: {duel: [1, 1], defer: [3, 0]}", "quiche: {duel: [1, 1]}",
     "quiche: {duel: [1, 1]}", "payoffs.weak.quiche.defer", "missing entry for action 'defer'"),
    ("quiche: {duel: [1, 1], defer: [3, 0]}", "quiche: {duel: [1, 1], defer: [3, 0]}\n    wine: {}",
     "wine", "payoffs.weak.wine", "unknown message 'wine'"),
    ("  strong:\n    beer:   {duel: [1, -1], defer: [3, 0]}\n    quiche: {duel: [0, -1], defer: [2, 0]}\n",
     "", "payoffs:", "payoffs.strong", "missing entry for type 'strong'"),
    ("  strong:\n", "  strang:\n", "strang", "payoffs.strang", "unknown type 'strang'"),
    ("beer:   {duel: [0, 1], defer: [2, 0]}", "beer:   {duel: [0, 1, 2], defer: [2, 0]}",
     "[0, 1, 2]", "payoffs.weak.beer.duel", "exactly two expressions [sender, receiver], found 3"),
    ("beer:   {duel: [0, 1], defer: [2, 0]}", "beer:   {duel: [0], defer: [2, 0]}",
     "duel: [0]", "payoffs.weak.beer.duel", "found 1"),
    ("beer:   {duel: [0, 1], defer: [2, 0]}", "beer:   {duel: 5, defer: [2, 0]}",
     "duel: 5", "payoffs.weak.beer.duel", "expected a list of two expressions"),
    ("beer:   {duel: [0, 1], defer: [2, 0]}", "beer:   {duel: [0, 1], duel: [2, 0]}",
     "duel: [0, 1], duel", "payoffs.weak.beer.duel", "duplicate key 'duel'"),
    ("beer:   {duel: [0, 1], defer: [2, 0]}", "beer:   {duel: [0, 1], defer: [2 + q, 0]}",
     "2 + q", "payoffs.weak.beer.defer[0]", "unknown parameter 'q' in expression '2 + q'; the spec defines: p"),
    ("beer:   {duel: [0, 1], defer: [2, 0]}", "beer:   {duel: [0, 1], defer: [2 +, 0]}",
     "2 +", "payoffs.weak.beer.defer[0]", "invalid expression '2 +'"),
    ("beer:   {duel: [0, 1], defer: [2, 0]}",
     "beer:   {duel: [0, 1], defer: [\"__import__('os').system('x')\", 0]}",
     "__import__", "payoffs.weak.beer.defer[0]", "is not allowed"),
    ("beer:   {duel: [0, 1], defer: [2, 0]}", "beer:   {duel: [0, 1], defer: [2, x.y]}",
     "x.y", "payoffs.weak.beer.defer[1]", "attribute access 'x.y'"),
    ("beer:   {duel: [0, 1], defer: [2, 0]}", "beer:   {duel: [0, 1], defer: [2, 'a[0]']}",
     "a[0]", "payoffs.weak.beer.defer[1]", "subscript"),
    ("payoffs:\n  weak:", "payoffs:\n  1:", "  1:", "payoffs.1", "keys in a mapping from each type"),
]


def test_payoff_evaluation_error_names_the_payoff(tmp_path: Path) -> None:
    text = edit(BEER_QUICHE, "defer: [3, 0]}\n  strong", "defer: [1 / (p - 1/10), 0]}\n  strong")
    path = write(tmp_path, text)
    spec = load_spec(path)    # the expression is valid; its value is not
    assert_rejected(lambda: build_game(spec), str(path), line_of(text, "1 / (p"),
                    "payoffs.weak.quiche.defer[0]", "division by zero")
    game = build_game(spec, parse_overrides(["p=1/5"]))
    assert isinstance(game, SignallingGame) and game.sender_payoffs[0][1][1] == 10


def test_power_tower_in_a_spec(tmp_path: Path) -> None:
    text = edit(BEER_QUICHE, "  p: 1/10", "  p: 1/10\n  big: 9**9**9")
    assert_spec_rejected(tmp_path, text, "big:", "parameters.big", "too large for exact arithmetic")
    text = edit(BEER_QUICHE, "[0, 1], defer: [2, 0]}", "[0, 1], defer: [2, 9**9**9]}")
    spec = load_spec(write(tmp_path, text))   # payoffs are evaluated when the game is built
    assert_rejected(lambda: build_game(spec), spec.path, line_of(text, "9**9**9"),
                    "payoffs.weak.beer.defer[1]", "too large for exact arithmetic")


def test_long_expression_in_a_spec(tmp_path: Path) -> None:
    text = edit(BEER_QUICHE, "  weak: p\n", "  weak: " + "p + " * 1250 + "0\n")
    assert_spec_rejected(tmp_path, text, "weak:", "types.weak", "too long")


# --- rejections: overrides (--set) ------------------------------------------------------------

def test_unknown_set_name() -> None:
    spec = parse_spec(BEER_QUICHE)
    assert_rejected(lambda: build_game(spec, parse_overrides(["x=1"])), "--set", None, "x",
                    "unknown parameter 'x'; the spec defines: p")
    assert_rejected(lambda: resolve_parameters(spec, parse_overrides(["x=1"])), "--set", None, "x",
                    "unknown parameter 'x'")


@pytest.mark.parametrize(("item", "key", "fragment"), [
    ("p", "p", "expected NAME=VALUE"),
    ("=3", "=3", "expected NAME=VALUE"),
    ("1p=3", "1p", "expected NAME=VALUE"),
    ("p=", "p", "empty expression"),
    ("p=open('f')", "p", "is not allowed"),
    ("p=1 +", "p", "invalid expression"),
])
def test_malformed_set(item: str, key: str, fragment: str) -> None:
    assert_rejected(lambda: parse_overrides([item]), "--set", None, key, fragment)


def test_set_twice() -> None:
    assert_rejected(lambda: parse_overrides(["p=1/2", "p=1/3"]), "--set", None, "p", "set twice")


def test_override_errors() -> None:
    spec = parse_spec(BEER_QUICHE)
    assert_rejected(lambda: build_game(spec, parse_overrides(["p=2"])), "<string>",
                    line_of(BEER_QUICHE, "strong: 1 - p"), "types.strong", "priors must be >= 0")
    assert_rejected(lambda: build_game(spec, parse_overrides(["p=1/0"])), "--set", None, "p",
                    "division by zero")
    assert_rejected(lambda: build_game(spec, parse_overrides(["p=q"])), "--set", None, "p",
                    "unknown parameter 'q'")
    assert_rejected(lambda: build_game(spec, symbolic=["z"]), "<string>", None, "z",
                    "unknown parameter 'z'")


# --- rejections: normal-form specs ------------------------------------------------------------

#: Edits of ``PRISONERS_DILEMMA`` that make it invalid: (old, new, line_fragment, key, fragment).
NORMAL_FORM_EDITS = [
    ("players: [row, column]", "players: [row, column, third]", "players:", "players", "exactly two players"),
    ("players: [row, column]", "players: [row, row]", "players:", "players[1]", "duplicate player 'row'"),
    ("players: [row, column]\n", "", "intelgame", "players", "missing required key 'players'"),
    ("column: [cooperate, defect]}", "col: [cooperate, defect]}", "strategies:", "strategies.col",
     "unknown player 'col'"),
    ("column: [cooperate, defect]}", "column: []}", "strategies:", "strategies.column",
     "at least one column strategy"),
    ("defect:    {cooperate: [5, 0], defect: [1, 1]}", "defect:    {cooperate: [5, 0], defekt: [1, 1]}",
     "defekt", "payoffs.defect.defekt", "unknown column strategy 'defekt'"),
    ("defect:    {cooperate: [5, 0], defect: [1, 1]}\n", "", "payoffs:", "payoffs.defect",
     "missing entry for row strategy 'defect'"),
    ("defect: [0, 5]}", "defect: [0, 5, 1]}", "[0, 5, 1]", "payoffs.cooperate.defect",
     "exactly two expressions [row, column]"),
    ("name: prisoners-dilemma\n", "name: prisoners-dilemma\ntypes: {a: 1}\n", "types:", "types",
     "unknown key 'types'"),
]


# --- rejections: stage, interpretation, expect ------------------------------------------------

#: Edits of ``BEER_QUICHE + EXTENSIONS`` that make it invalid: (old, new, line_fragment, key, fragment).
EXTENSION_EDITS = [
    ("chooser: receiver", "chooser: nature", "chooser:", "stage.chooser", "expected one of: sender, receiver"),
    ("  chooser: receiver\n", "", "stage:", "stage.chooser", "missing required key 'chooser'"),
    ("parameter: p", "parameter: c", "parameter:", "stage.parameter", "unknown parameter 'c'"),
    ("choices: [0, 1/4, 1/2]", "choices: []", "choices:", "stage.choices", "at least one choice"),
    ("choices: [0, 1/4, 1/2]", "choices: 1/2", "choices:", "stage.choices", "list of choices"),
    ("choices: [0, 1/4, 1/2]", "choices: [0, 1/0]", "choices:", "stage.choices[1]", "division by zero"),
    ("choices: [0, 1/4, 1/2]", "choices: [0, c]", "choices:", "stage.choices[1]", "unknown parameter 'c'"),
    ("selection: sender_optimal", "selection: best", "selection:", "stage.selection",
     "expected one of: most_informative, sender_optimal, receiver_optimal"),
    ("selection: sender_optimal", "selection: best\n  when: now", "when:", "stage.when",
     "unknown key 'when' in stage"),
    ("payoffs: {sender: 2 * p, receiver: -p}", "payoffs: {sender: 2 * p, client: -p}", "client",
     "stage.payoffs.client", "unknown key 'client' in stage payoffs"),
    ("payoffs: {sender: 2 * p, receiver: -p}", "payoffs: {sender: 2 * p, receiver: -c}", "-c",
     "stage.payoffs.receiver", "unknown parameter 'c'"),
    ("reports: {weak: quiche, strong: beer}", "reports: {weak: quiche, strong: wine}", "reports:",
     "interpretation.reports.strong", "unknown message 'wine'"),
    ("reports: {weak: quiche, strong: beer}", "reports: {weak: beer, strong: beer}", "reports:",
     "interpretation.reports.strong", "both report 'beer'"),
    ("reports: {weak: quiche, strong: beer}", "reports: {weak: quiche}", "reports:",
     "interpretation.reports.strong", "missing entry for type 'strong'"),
    ("reports: {weak: quiche, strong: beer}", "reports: {weak: quiche, strong: beer, mid: beer}",
     "reports:", "interpretation.reports.mid", "unknown type 'mid'"),
    ("correct_actions: {weak: duel, strong: defer}", "correct_actions: {weak: duel, strong: run}",
     "correct_actions:", "interpretation.correct_actions.strong", "unknown action 'run'"),
    ("  correct_actions: {weak: duel, strong: defer}\n", "", "interpretation:",
     "interpretation.correct_actions", "missing required key 'correct_actions'"),
    ("alarm: weak", "alarm: medium", "alarm:", "interpretation.alarm", "unknown type 'medium'"),
    ("set: {p: 1/2}", "set: {c: 1/2}", "- set", "expect[0].set.c", "unknown parameter 'c'"),
    ("set: {p: 1/2}", "set: {p: 2}", "strong: 1 - p", "types.strong", "priors must be >= 0"),
    ("count: 2", "count: -1", "count: -1", "expect[0].count", "integer >= 0"),
    ("count: 2", "count: two", "count: two", "expect[0].count", "integer >= 0"),
    ("classifications: [pooling, pooling]", "classifications: [pooling, mixed]", "classifications:",
     "expect[0].classifications[1]", "unknown classification 'mixed'"),
    ("intuitive_criterion: [true, false]", "intuitive_criterion: [true, maybe]", "intuitive_criterion:",
     "expect[0].intuitive_criterion[1]", "true or false"),
    ("qualities: [noisy]", "qualities: noisy", "qualities:", "expect[0].qualities", "list of quality labels"),
    ("note: two pooling equilibria", "note: [a]", "note:", "expect[0].note", "string"),
    ("  - count: 0", "  - counts: 0", "counts:", "expect[1].counts", "unknown key 'counts' in an expect case"),
    ("  - count: 0", "  - 3", "  - 3", "expect[1]", "mapping"),
]


def test_extension_blocks_are_signalling_only(tmp_path: Path) -> None:
    text = PRISONERS_DILEMMA + "stage: {chooser: sender, parameter: p, choices: [1]}\n"
    assert_spec_rejected(tmp_path, text, "stage:", "stage", "unknown key 'stage'")


def test_stage_choices_are_resolved_as_overrides(tmp_path: Path) -> None:
    text = edit(BEER_QUICHE, "  p: 1/10", "  p: 1/10\n  late: 1/3")
    stage = "stage: {chooser: sender, parameter: p, choices: [1/2, late, 3/2]}\n"
    # 'late' is defined below p, so it cannot set p; 3/2 makes the prior of 'strong' negative.
    assert_spec_rejected(tmp_path, text + stage, "stage:", "stage.choices[1]", "not defined above it")
    text = edit(BEER_QUICHE, "  p: 1/10", "  early: 1/3\n  p: 1/10")
    assert_spec_rejected(tmp_path, text + stage.replace("late", "early"), "strong: 1 - p", "types.strong",
                         "(1 - p with p = 3/2)")


# --- every edit that makes a valid spec invalid -----------------------------------------------

def _edits(base: str, block: str, rows: list[tuple[str, str, str, str, str]]) -> list[Any]:
    return [pytest.param(base, *row, id=f"{block}-{i}") for i, row in enumerate(rows)]


@pytest.mark.parametrize(("base", "old", "new", "line_fragment", "key", "fragment"), (
    _edits(BEER_QUICHE, "top_level", TOP_LEVEL_EDITS) +
    _edits(BEER_QUICHE, "name_parameter_and_prior", NAME_PARAMETER_AND_PRIOR_EDITS) +
    _edits(BEER_QUICHE, "payoff", PAYOFF_EDITS) +
    _edits(PRISONERS_DILEMMA, "normal_form", NORMAL_FORM_EDITS) +
    _edits(BEER_QUICHE + EXTENSIONS, "extension", EXTENSION_EDITS)))
def test_edit_rejections(tmp_path: Path, base: str, old: str, new: str, line_fragment: str, key: str,
                         fragment: str) -> None:
    """Each edit is rejected at the line holding ``line_fragment``, naming ``key``."""
    assert_spec_rejected(tmp_path, edit(base, old, new), line_fragment, key, fragment)

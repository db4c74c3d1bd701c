"""Gambit files (issue 19, SPEC.md section 4): ``intelgame export`` / ``intelgame import``.

Every catalog model survives spec -> .efg/.nfg -> spec unchanged; files written by Gambit
itself (its own layout: actions and outcomes given once, null outcomes) are read; other shapes
are rejected with exit status 2. Where pygambit is installed (not a dependency, not in CI), the
exported files load in Gambit, every PBE intelgame finds has zero regret there, and the
equilibria Gambit computes are Nash equilibria of the Harsanyi form, with the support of one
that intelgame finds (where the Harsanyi form is small enough to enumerate).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from intelgame.analysis.verify import verify_nash
from intelgame.cli.app import main
from intelgame.errors import SpecError
from intelgame.games.build import build_game
from intelgame.games.harsanyi import behaviour_to_mixed, harsanyi_form
from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame
from intelgame.interchange.gambit import read_gambit, to_efg, to_nfg
from intelgame.interchange.spec_text import to_spec_text
from intelgame.solvers.nash import nash_solve
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import load_spec, parse_overrides, parse_spec
from intelgame.spec.catalog import model_names

MODELS = model_names()


def _content(game: SignallingGame | NormalFormGame) -> tuple[Any, ...]:
    if isinstance(game, SignallingGame):
        return (game.name, game.types, game.messages, game.actions, game.prior, game.sender_payoffs,
                game.receiver_payoffs)
    return game.name, game.players, game.row_strategies, game.column_strategies, game.row_payoffs, game.column_payoffs


@pytest.mark.parametrize("name", MODELS)
def test_catalog_models_survive_the_round_trip(name: str) -> None:
    game = build_game(load_spec(name))
    text = to_efg(game) if isinstance(game, SignallingGame) else to_nfg(game)
    back = read_gambit(text, file=f"{name}.gbt")
    assert _content(back) == _content(game)
    assert back.description == game.description
    spec = parse_spec(to_spec_text(back, source=f"{name}.gbt"))
    assert _content(build_game(spec)) == _content(game)
    assert all(isinstance(x, (int, Fraction)) for x in _flat(build_game(spec)))


def _flat(game: SignallingGame | NormalFormGame) -> list[Any]:
    if isinstance(game, SignallingGame):
        return [*game.prior, *(x for arr in (game.sender_payoffs, game.receiver_payoffs)
                              for grid in arr for row in grid for x in row)]
    return [x for arr in (game.row_payoffs, game.column_payoffs) for row in arr for x in row]


# Gambit's own layout (as pygambit 16.7 writes it): an information set's actions and an
# outcome's payoffs only at their first node, null outcomes (0), a chance move with decimals.
GAMBIT_EFG = r'''EFG 2 R "tiny \"signal\"" { "Player 1" "Player 2" }
"written by hand in Gambit's layout"

c "" 1 "" { "lo" 0.25 "hi" 3/4 } 0
p "" 1 1 "" { "x" "y" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 1 "a" { 1, -1/2 }
t "" 0
p "" 2 2 "" { "l" "r" } 0
t "" 2 "b" { 2 2 }
t "" 1
p "" 1 2 "" { "x" "y" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 0
t "" 2
p "" 2 2 0
t "" 1
t "" 0
'''


def test_a_file_in_gambits_layout_is_read() -> None:
    game = read_gambit(GAMBIT_EFG)
    assert isinstance(game, SignallingGame)
    assert (game.name, game.types, game.messages, game.actions) == ('tiny "signal"', ("lo", "hi"), ("x", "y"), ("l", "r"))
    assert game.prior == (Fraction(1, 4), Fraction(3, 4))
    assert game.sender_payoffs == (((1, 0), (2, 1)), ((0, 2), (1, 0)))
    assert game.receiver_payoffs == (((Fraction(-1, 2), 0), (2, Fraction(-1, 2))), ((0, 2), (Fraction(-1, 2), 0)))
    payoff_list = read_gambit('NFG 1 R "" { "1" "2" } { 2 2 }\n\n1 5 3 7 2 6 4 8\n', name="nf")
    assert isinstance(payoff_list, NormalFormGame)
    assert (payoff_list.name, payoff_list.row_strategies, payoff_list.column_strategies) == ("nf", ("1", "2"), ("1", "2"))
    assert payoff_list.row_payoffs == ((1, 2), (3, 4)) and payoff_list.column_payoffs == ((5, 6), (7, 8))


@pytest.mark.parametrize(("text", "message"), [
    ('EFG 2 R "" { "a" "b" } "" p "" 1 1 "" { "l" "r" } 0 t "" 1 "o" { 1, 2 } t "" 2 "p" { 3 4 }',
     "the root is not a chance move"),
    ('EFG 2 R "" { "a" "b" } "" c "" 1 "" { "u" 1/2 "v" 1/2 } 0 t "" 0 t "" 0',
     "not followed by moves of one player"),
    ('EFG 2 R "" { "a" "b" "c" } "" c "" 1 "" { "u" 1 } 0 t "" 0', "3 players"),
    ('EFG 2 R "" { "a" "b" } ""\nc "" 1 "" { "u" 1/2 "v" } 0', "line 2"),
    ('NFG 1 R "" { "a" "b" "c" } { 1 1 1 } 0 0 0', "3 players"),
    ("GAME", "not a Gambit file"),
])
def test_other_shapes_are_rejected(text: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        read_gambit(text, file="in.efg")
    assert message in str(caught.value) or message == "line 2" and "in.efg:2:" in str(caught.value)


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    efg, spec = tmp_path / "bq.efg", tmp_path / "bq.yaml"
    assert main(["export", "beer_quiche", "--out", str(efg)]) == 0
    assert efg.read_text().startswith('EFG 2 R "beer-quiche" { "sender" "receiver" }')
    assert main(["import", str(efg), "--out", str(spec)]) == 0
    assert _content(build_game(load_spec(spec))) == _content(build_game(load_spec("beer_quiche")))
    capsys.readouterr()
    assert main(["export", "beer_quiche", "--to", "nfg", "--set", "p=3/5"]) == 0
    harsanyi = read_gambit(capsys.readouterr().out)
    assert harsanyi == harsanyi_form(build_game(load_spec("beer_quiche"), parse_overrides(["p=3/5"])))
    assert main(["export", "prisoners_dilemma", "--to", "efg"]) == 2
    (tmp_path / "tree.efg").write_text('EFG 2 R "" { "a" "b" } "" p "" 1 1 "" { "l" } 0 t "" 0')
    assert main(["import", str(tmp_path / "tree.efg")]) == 2
    assert "not a signalling game" in capsys.readouterr().err


# --- against Gambit itself (pygambit, where installed) ------------------------------------------

SIGNALLING = [n for n in MODELS if isinstance(build_game(load_spec(n)), SignallingGame)
              and n not in ("crawford_sobel_discrete",)]  # 301 PBE: the regret check alone takes long


@pytest.mark.parametrize("name", SIGNALLING)
def test_gambit_agrees(name: str, tmp_path: Path) -> None:
    gbt = pytest.importorskip("pygambit")
    game = build_game(load_spec(name))
    path = tmp_path / f"{name}.efg"
    path.write_text(to_efg(game))
    tree = gbt.read_efg(str(path))
    assert [p.label for p in tree.players] == ["sender", "receiver"]
    sender_sets = {i.label: i for i in tree.players["sender"].infosets}
    receiver_sets = {i.label: i for i in tree.players["receiver"].infosets}
    assert list(sender_sets) == list(game.types) and list(receiver_sets) == list(game.messages)

    def gambit_profile(sender: Any, receiver: Any) -> Any:
        profile = tree.mixed_behavior_profile(rational=True)
        for rows, sets in ((sender, sender_sets), (receiver, receiver_sets)):
            for row, infoset in zip(rows, sets.values()):
                for x, action in zip(row, infoset.actions):
                    profile[action] = gbt.Rational(Fraction(x).numerator, Fraction(x).denominator)
        return profile

    for eq in pbe_solve(game, exact=True):  # every PBE is a Nash equilibrium of the tree
        assert gambit_profile(eq.sender, eq.receiver).max_regret() == 0, (name, eq)

    harsanyi = harsanyi_form(game)
    small = len(harsanyi.row_strategies) * len(harsanyi.column_strategies) <= 64  # 3x3x3: 27 x 27, 2^54 supports
    supports = {_support(e.row, e.column) for e in nash_solve(harsanyi, exact=True)} if small else set()
    found = list(gbt.nash.lcp_solve(tree, rational=True).equilibria)
    found += list(gbt.nash.enumpure_agent_solve(tree).equilibria)
    assert found
    for profile in found:
        sender = [[Fraction(str(profile[a])) for a in i.actions] for i in sender_sets.values()]
        receiver = [[Fraction(str(profile[a])) for a in i.actions] for i in receiver_sets.values()]
        row, column = behaviour_to_mixed(sender), behaviour_to_mixed(receiver)
        assert verify_nash(harsanyi, row, column).ok, (name, sender, receiver)
        assert not small or _support(row, column) in supports, (name, sender, receiver)


def _support(row: Any, column: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(i for i, x in enumerate(row) if x > 0), tuple(j for j, y in enumerate(column) if y > 0)


def test_hostile_gambit_files_exit_two(tmp_path: Path) -> None:
    """A tree nested thousands deep (RecursionError before) and strategy counts far beyond the
    file's entries (MemoryError before) are refused with one exit-2 line."""
    from intelgame.cli import main

    deep = tmp_path / "deep.efg"
    deep.write_text('EFG 2 R "t" { "A" "B" }\n' + "".join(f'c "" {i} "" {{ "x" 1 }} 0\n' for i in range(1, 3001)))
    huge = tmp_path / "huge.nfg"
    huge.write_text('NFG 1 R "x" { "a" "b" } { 100000000000 1 }\n0 0\n')
    for path in (deep, huge):
        assert main(["import", str(path)]) == 2

"""pandas frames, name-keyed views and HTML of results (intelgame.solvers.frames,
intelgame.output.frames).

Beer-Quiche (Cho and Kreps 1987, QJE 102(2)) with p = 1/10 has the 4 PBE entries of
``intelgame solve beer_quiche``; the frames must say what the JSON document says.
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import pandas as pd
import pytest

import intelgame
from intelgame.errors import IntelgameError
from intelgame.output.documents import describe_pbe_result
from intelgame.sweep import parse_grid, run_sweep


@pytest.fixture(scope="module")
def beer_quiche() -> tuple[intelgame.SignallingGame, intelgame.PBEResult]:
    game = intelgame.build_game(intelgame.load_spec("beer_quiche"))
    return game, intelgame.pbe_solve(game, exact=True)


def test_pbe_frame_has_one_named_row_per_equilibrium(beer_quiche: tuple[intelgame.SignallingGame, intelgame.PBEResult]) -> None:
    game, result = beer_quiche
    frame = result.to_frame()
    assert list(frame.index) == list(range(1, len(result) + 1)) and frame.index.name == "equilibrium"
    assert frame["parameter[p]"].tolist() == [0.1] * len(result)
    for k, eq in enumerate(result, start=1):
        for t, tname in enumerate(game.types):
            for m, mname in enumerate(game.messages):
                assert frame.at[k, f"sigma[{tname}][{mname}]"] == float(eq.sender[t][m])
                assert frame.at[k, f"mu[{mname}][{tname}]"] == float(eq.beliefs[m][t])
        for m, mname in enumerate(game.messages):
            assert frame.at[k, f"on_path[{mname}]"] == eq.on_path[m]
            for a, aname in enumerate(game.actions):
                assert frame.at[k, f"rho[{mname}][{aname}]"] == float(eq.receiver[m][a])
        assert frame.at[k, "payoff[receiver]"] == float(eq.receiver_payoff)
        assert frame.at[k, "pure"] == eq.is_pure
    assert frame["sigma[weak][beer]"].dtype == float and frame["pure"].dtype == bool
    exact = result.to_frame(exact=True)
    assert exact.at[1, "parameter[p]"] == F(1, 10) and exact["sigma[weak][beer]"].dtype == object


def test_parameter_columns_cannot_clash_with_strategy_columns() -> None:
    spec = intelgame.parse_spec("""
intelgame: 1
kind: signalling
name: clash
parameters: {rho: 1, pure: 2}
types: {a: 1/2, b: 1/2}
messages: [x]
actions: [l, r]
payoffs:
  a: {x: {l: [rho, 1], r: [0, 0]}}
  b: {x: {l: [pure, 0], r: [0, 1]}}
""")
    frame = intelgame.pbe_solve(intelgame.build_game(spec)).to_frame()
    assert frame.columns.is_unique
    assert {"parameter[rho]", "parameter[pure]", "pure", "rho[x][l]"} <= set(frame.columns)


def test_by_name_reads_the_positional_numbers(beer_quiche: tuple[intelgame.SignallingGame, intelgame.PBEResult]) -> None:
    game, result = beer_quiche
    eq = result.equilibria[2]
    named = eq.by_name(game)
    assert named.sender["weak"]["quiche"] == eq.sender[0][1]
    assert named.receiver["beer"]["defer"] == eq.receiver[0][1]
    assert named.beliefs["quiche"]["strong"] == eq.beliefs[1][1]
    assert named.sender_payoffs["strong"] == eq.sender_payoffs[1] and named.receiver_payoff == eq.receiver_payoff
    with pytest.raises(TypeError):
        named.sender["weak"]["beer"] = 0  # type: ignore[index]
    other = intelgame.build_game(intelgame.load_spec("crawford_sobel_discrete"))
    with pytest.raises(ValueError, match="does not fit"):
        eq.by_name(other)


def test_analysed_frame_agrees_with_the_json_document(beer_quiche: tuple[intelgame.SignallingGame, intelgame.PBEResult]) -> None:
    _, result = beer_quiche
    frame = intelgame.analysed_frame(result)
    document = describe_pbe_result(result)
    for k, entry in enumerate(document["equilibria"], start=1):
        assert frame.at[k, "classification"] == entry["classification"]
        assert frame.at[k, "quality"] == entry["quality"]["labels"][0]
        assert frame.at[k, "labels"] == ";".join(entry["quality"]["labels"])
        assert frame.at[k, "on_path_play"] == entry["on_path_play"] + 1  # 1-based, as in a sweep
        for criterion in ("intuitive_criterion", "d1", "d2", "universal_divinity", "nwbr"):
            assert frame.at[k, criterion] == entry["refinements"][criterion]
    assert str(frame["intuitive_criterion"].dtype) == "boolean"
    assert frame["classification"].dtype == "category"


def test_nash_frame_and_view() -> None:
    result = intelgame.nash_solve(intelgame.build_game(intelgame.load_spec("battle_of_the_sexes")), exact=True)
    frame = result.to_frame()
    game = result.game
    assert len(frame) == len(result)
    for k, eq in enumerate(result, start=1):
        for s, name in enumerate(game.row_strategies):
            assert frame.at[k, f"row[{name}]"] == float(eq.row[s]) == float(eq.by_name(game).row[name])
        assert frame.at[k, f"payoff[{game.players[1]}]"] == float(eq.payoffs[1])


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_read_sweep_gives_typed_columns(tmp_path: Path, fmt: str) -> None:
    spec = intelgame.load_spec("beer_quiche")
    run_sweep(spec, [parse_grid("p=0:1:5")], tmp_path, exact=True, fmt=fmt)  # type: ignore[arg-type]
    frame = intelgame.read_sweep(tmp_path)
    assert frame["p"].dtype == float and sorted(set(frame["p"])) == [0, 0.25, 0.5, 0.75, 1]
    assert str(frame["equilibrium"].dtype) == "Int64" and str(frame["pure"].dtype) == "boolean"
    assert frame["classification"].dtype == "category" and str(frame["labels"].dtype) == "string"
    assert frame["sigma[weak][beer]"].dtype == float
    exact = intelgame.read_sweep(tmp_path / f"sweep.{fmt}", exact=True)
    assert F(1, 4) in set(exact["p"])
    with pytest.raises(IntelgameError, match="no sweep"):
        intelgame.read_sweep(tmp_path / "nothing")


def test_html_of_games_and_results(beer_quiche: tuple[intelgame.SignallingGame, intelgame.PBEResult]) -> None:
    game, result = beer_quiche
    assert "<table" in game._repr_html_() and "p = 1/10" in game._repr_html_()
    text = result._repr_html_()
    assert text.count("<tr>") == len(result) + 1 and "quiche" in text
    spec = intelgame.parse_spec("""
intelgame: 1
kind: normal
name: "<script>"
players: [a, b]
strategies: {a: ["<x>", y], b: [l, r]}
payoffs: {"<x>": {l: [1, 1], r: [0, 0]}, y: {l: [0, 0], r: [1, 1]}}
""")
    nash = intelgame.nash_solve(intelgame.build_game(spec), exact=True)
    for text in (nash.game._repr_html_(), nash._repr_html_()):
        assert "<script>" not in text and "&lt;x&gt;" in text


def test_the_command_line_does_not_import_pandas() -> None:
    code = "import sys, intelgame.cli.app, intelgame.solvers.pbe.result; print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"

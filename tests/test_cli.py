"""Contract tests of the command line (SPEC.md section 2-3): output, JSON shape, exit statuses,
no traceback and no half-written file on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from intelgame.cli.app import main

BEER_QUICHE = """\
intelgame: 1
kind: signalling
name: beer-quiche
parameters: {p: 1/10}
types: {weak: p, strong: 1 - p}
messages: [beer, quiche]
actions: [duel, defer]
payoffs:
  weak:   {beer: {duel: [0, 1], defer: [2, 0]}, quiche: {duel: [1, 1], defer: [3, 0]}}
  strong: {beer: {duel: [1, -1], defer: [3, 0]}, quiche: {duel: [0, -1], defer: [2, 0]}}
"""


@pytest.fixture
def beer_quiche(tmp_path: Path) -> Path:
    path = tmp_path / "bq.yaml"
    path.write_text(BEER_QUICHE)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_solve_json_matches_the_contract(beer_quiche: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "solve", str(beer_quiche), "--json", "--exact")
    assert code == 0
    doc = json.loads(out)
    assert doc["game"] == "beer-quiche" and doc["kind"] == "signalling"
    assert doc["parameters"] == {"p": "1/10"}
    first = doc["equilibria"][0]
    assert first["classification"] == "pooling"
    assert first["sender"] == {"weak": {"beer": 1, "quiche": 0}, "strong": {"beer": 1, "quiche": 0}}
    assert first["receiver"] == {"beer": {"duel": 0, "defer": 1}, "quiche": {"duel": 1, "defer": 0}}
    assert first["beliefs"] == {"beer": {"weak": "1/10", "strong": "9/10"}, "quiche": {"weak": 1, "strong": 0}}
    assert first["on_path"] == ["beer"]
    assert first["offpath_beliefs"] == {"quiche": "P(weak | quiche) >= 1/2"}
    assert first["payoffs"] == {"sender": {"weak": 2, "strong": 3}, "receiver": 0}
    assert {k: v for k, v in first["refinements"].items() if k != "explanations"} == {
        "intuitive_criterion": True, "d1": True, "d2": True, "universal_divinity": True, "nwbr": True,
        "on_part_of_face": []}
    assert first["refinements"]["explanations"]["d1"]["quiche"]["pruned"] == ["strong"]
    pure = [e for e in doc["equilibria"] if e["pure"]]
    assert [e["refinements"]["intuitive_criterion"] for e in pure] == [True, False]
    assert all(not e["pure"] for e in doc["equilibria"][len(pure):])  # pure PBE first


def test_solve_float_json_uses_numbers(beer_quiche: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "solve", str(beer_quiche), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["equilibria"][0]["beliefs"]["beer"]["weak"] == pytest.approx(0.1)


def test_irrational_parameter_is_named_and_solved(beer_quiche: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A parameter that evaluates to an irrational number becomes a float: the solve says so and
    solves the game of its decimal value (the weak type's prior 2**-0.5 > 1/2: one
    semi-separating PBE), and the JSON is the same as for the decimal written out."""
    code, out, err = run(capsys, "solve", str(beer_quiche), "--set", "p=2**-0.5", "--json")
    assert code == 0 and "note: p = 0.7071067811865476 (not a rational number)" in err
    decimal = run(capsys, "solve", str(beer_quiche), "--set", "p=0.7071067811865476", "--json")
    assert json.loads(out)["equilibria"] == json.loads(decimal[1])["equilibria"]
    assert [e["classification"] for e in json.loads(out)["equilibria"]] == ["semi-separating"]


def test_select_and_refine(beer_quiche: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--refine keeps the survivors (beer pooling, Cho and Kreps 1987), --select one of them."""
    code, out, _ = run(capsys, "solve", str(beer_quiche), "--json", "--refine", "d1")
    assert code == 0 and {tuple(e["on_path"]) for e in json.loads(out)["equilibria"]} == {("beer",)}
    code, out, _ = run(capsys, "solve", str(beer_quiche), "--json", "--select", "sender_optimal")
    assert code == 0 and len(json.loads(out)["equilibria"]) == 1
    code, _, err = run(capsys, "solve", str(beer_quiche), "--select", "best")
    assert code == 2 and "unknown selection rule" in err


def test_table_output(beer_quiche: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "solve", str(beer_quiche), "--exact")
    assert code == 0 and "beer-quiche" in out and "pooling" in out


@pytest.mark.parametrize("args, fragment", [
    (["--set", "p=2"], ":5:"),                 # a negative prior: the line of `types:`
    (["--set", "q=1"], "unknown parameter"),
    (["--set", "p=__import__('os')"], "--set"),
])
def test_bad_input_exits_2_without_output_file(beer_quiche: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               args: list[str], fragment: str) -> None:
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "solve", str(beer_quiche), "--out", str(target), *args)
    assert code == 2
    assert fragment in err and "Traceback" not in err + out
    assert not target.exists() and not list(tmp_path.glob(".out.json*"))


def test_broken_spec_names_file_line_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BEER_QUICHE.replace("defer: [3, 0]}}", "defer: [3, 0, 1]}}"))
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "broken.yaml:9" in err and "payoffs.weak.quiche.defer" in err


def test_missing_file_and_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "solve", "/nonexistent/spec.yaml")[0] == 2
    assert run(capsys, "solve")[0] == 2
    assert run(capsys, "no-such-command")[0] == 2


def test_out_file_written(beer_quiche: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "sub" / "result.json"
    assert run(capsys, "solve", str(beer_quiche), "--out", str(target))[0] == 0
    assert json.loads(target.read_text())["game"] == "beer-quiche"


def test_console_script_runs_as_a_process(beer_quiche: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "intelgame.cli", "validate", str(beer_quiche)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "valid signalling game" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "intelgame.cli", "solve", str(beer_quiche), "--set", "p=-1"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


SWEEP_SPEC = Path(__file__).resolve().parents[1] / "models" / "intelligence_market.yaml"


def _sweep(capsys: pytest.CaptureFixture[str], out: Path) -> tuple[int, str, str]:
    return run(capsys, "sweep", str(SWEEP_SPEC), "--grid", "c=0:1:5", "--grid", "v=0:0.6:4", "--out", str(out))


def test_sweep_writes_the_table_and_the_phase_diagram(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _sweep(capsys, tmp_path / "s")
    assert code == 0, err
    assert "20 points" in out and f"phase diagram -> {tmp_path / 's' / 'phase_diagram.png'}" in out
    assert (tmp_path / "s" / "sweep.csv").read_text().count("\n") >= 21
    png = (tmp_path / "s" / "phase_diagram.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert not list((tmp_path / "s").glob(".*.tmp"))


def test_sweep_without_a_second_process_draws_the_same_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no process can start, the curves and the figure are made in this process instead."""
    from intelgame.cli import background

    assert _sweep(capsys, tmp_path / "a")[0] == 0

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(background.multiprocessing, "get_context", refuse)
    code, out, err = _sweep(capsys, tmp_path / "b")
    assert code == 0, err
    assert "no threshold curves" not in err
    for name in ("sweep.csv", "phase_diagram.png"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_normal_form_game_too_large_to_enumerate_is_refused(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The default path certifies nashpy with the exact support enumeration, exponential in the
    strategies: a 10 x 10 game (1e6 support pairs) is refused up front with exit 2, no traceback."""
    names = [f"s{i}" for i in range(10)]
    payoffs = "\n".join(f"  {r}: {{" + ", ".join(f"{c}: [{(i * 7 + j * 3) % 5}, {(i * 2 + j * 5) % 7}]"
                                                  for j, c in enumerate(names)) + "}"
                        for i, r in enumerate(names))
    spec = tmp_path / "big.yaml"
    spec.write_text(f"intelgame: 1\nkind: normal\nname: big\nplayers: [row, column]\n"
                    f"strategies: {{row: [{', '.join(names)}], column: [{', '.join(names)}]}}\npayoffs:\n{payoffs}\n")
    code, out, err = run(capsys, "solve", str(spec))
    assert code == 2 and "10 x 10 strategies" in err and "Traceback" not in err and out == ""

"""Terminal output (issue 19, item 6): tables at full width when piped, ``--width N`` on request,
and nothing on standard error when a command succeeds (no stray newline)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from intelgame.cli.app import main

REPO = Path(__file__).resolve().parents[1]
MARKET = str(REPO / "models" / "intelligence_market.yaml")


def piped(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """``intelgame ARGS`` with its output in a pipe and no COLUMNS in the environment."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH")])])  # this checkout
    return subprocess.run([sys.executable, "-m", "intelgame.cli", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_piped_tables_are_not_cut_at_80_columns() -> None:
    for args in (["models"], ["solve", "beer_quiche"]):
        done = piped(*args)
        assert done.returncode == 0 and done.stderr == ""
        assert widest(done.stdout) > 100, args  # rich's default for a pipe was 80
        assert "…" not in done.stdout


@pytest.mark.parametrize("command", [["models"], ["solve", "beer_quiche", "--exact"]])
def test_width_option_sets_the_width_for_one_command(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    before = os.environ.get("COLUMNS")
    assert main(["--width", "60", *command]) == 0
    out = capsys.readouterr().out
    assert widest(out) <= 60
    assert os.environ.get("COLUMNS") == before
    assert main(["--width", "5", *command]) == 2  # too narrow for any table: a usage error


@pytest.mark.parametrize("command", [
    ["persuade", "beer_quiche"], ["models"], ["export", "beer_quiche"], ["solve", "beer_quiche", "--json"],
    ["sweep", MARKET, "--grid", "c=0:1:3", "--grid", "v=0:1:2", "--no-curves", "--plot", "count"],
    ["sweep", MARKET, "--grid", "c=0:1:3", "--plot", "receiver_payoff"],
])
def test_successful_commands_write_nothing_on_stderr(tmp_path: Path, command: list[str]) -> None:
    extra = ["--out", str(tmp_path / "out")] if command[0] == "sweep" else []
    done = piped(*command, *extra, cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr

"""``intelgame solve``'s table leads with the outcomes; ``--all`` lists every face, continua
with each varying probability's interval, ends open or closed as on the face (#15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from intelgame.cli.app import app

MODELS = Path(__file__).parent.parent / "models"


def solve(*args: str) -> str:
    result = CliRunner().invoke(app, ["solve", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_many_faces_show_outcomes_only_unless_all() -> None:
    table = solve(str(MODELS / "crawford_sobel_discrete.yaml"), "--exact")
    assert "3 outcomes of 301 PBE entries (265 continua) in 7 connected components" in table
    assert "babbling" in table and "partially revealing" in table and "s2, s3" in table
    assert "perfect Bayesian equilibria" not in table
    assert len(table.splitlines()) < 60  # one screen
    assert "301 perfect Bayesian equilibria" in solve(str(MODELS / "crawford_sobel_discrete.yaml"), "--all")


@pytest.mark.parametrize("exact", [True, False])
def test_continuum_intervals_show_open_and_closed_ends(exact: bool) -> None:
    """Beer-quiche's pooling on beer, supported by a duel after quiche with probability in
    [1/2, 1): at 1 the receiver no longer mixes, which is another entry (the pure one)."""
    table = solve(str(MODELS / "beer_quiche.yaml"), *(["--exact"] if exact else []))
    assert "2 outcomes of 4 PBE entries" in table
    assert ("quiche: duel in [1/2, 1)" if exact else "quiche: duel in [0.5, 1.0)") in table

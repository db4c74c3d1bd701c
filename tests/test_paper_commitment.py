"""The reproduction's extension section (issue 18, item 5): the value of a binding sharing rule
to each ally, exactly at the calibrations and over (c, v), checked against independent
computations (scipy's LPs over reply assignments; the PBE payoffs of `pbe_solve`)."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from test_persuasion import brute_force

from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.paper.commitment import GRID, PANELS, commitment_section, exact_row
from intelgame.paper.reproduce import catalog_spec, run_reproduction
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import parse_overrides
from intelgame.symbolic import threshold_curves

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def best_pbe_value(game: SignallingGame) -> F:
    """The patron's best ex ante PBE payoff at the representative points (the calibrations'
    continua vary only off the path, where the payoffs do not move)."""
    return max(sum((p * u for p, u in zip(game.prior, eq.sender_payoffs)), F(0)) for eq in pbe_solve(game, exact=True))


@pytest.mark.parametrize(("model", "c", "committed", "pbe"), [
    ("intelligence_market", 0, F(71, 100), F(-31, 16)),   # docs/persuasion.md
    ("taepodong_1998", 0, None, None),
    ("intelligence_market", F(5, 6), F(359, 150), F(7, 3)),
    ("taepodong_1998", 1, None, None),
])
def test_exact_rows_against_independent_computations(model: str, c: F, committed: F | None, pbe: F | None) -> None:
    spec = catalog_spec(model)
    row = exact_row(model, spec, {}, c=c)
    game = build_game(spec, parse_overrides([f"c={c}"]))
    assert isinstance(game, SignallingGame)
    assert float(row.patron_commitment) == pytest.approx(brute_force(game, 0), abs=1e-9)
    assert row.patron_best_pbe == best_pbe_value(game)
    assert row.patron_value == row.patron_commitment - row.patron_best_pbe >= 0
    if committed is not None:
        assert (row.patron_commitment, row.patron_best_pbe) == (committed, pbe)


def test_the_1998_calibration() -> None:
    """At c = 0 the 1998 payoffs give the patron 147/400 from commitment and the client
    nothing; the rule acts on every threat. At c = 1 commitment is worth nothing and conceals."""
    spec = catalog_spec("taepodong_1998")
    row = exact_row("1998", spec, {}, c=0)
    assert (row.patron_commitment, row.patron_best_pbe, row.patron_value) == (F(-409, 200), F(-193, 80), F(147, 400))
    assert row.client_value == 0 and row.right_action == {"threat": 1, "no_threat": F(4, 15)}
    full = exact_row("1998", spec, {}, c=1)
    assert full.patron_value == 0 and full.client_value == 0 and full.right_action["threat"] == 0


def test_grid_and_figure(tmp_path: Path) -> None:
    model, case = catalog_spec("intelligence_market"), catalog_spec("taepodong_1998")
    curves = threshold_curves(model, "c", "v", truthful_only=True)
    section = commitment_section(model, case, {}, F(5, 6), tmp_path, lambda _: None, curves)
    assert section.figure is not None and section.figure.read_bytes().startswith(PNG_MAGIC)
    facts = section.grid
    assert facts["grid"] == list(GRID) and facts["points"] == 21 * 13
    assert facts["patron_range"][0] >= 0  # never below the best PBE
    assert facts["client_loses_only_where_c_at_least_c_star"] and facts["patron_gains_wherever_c_below_c_star"]
    # the grid's corner (c, v) = (0, 0) against the exact row there
    corner = exact_row("corner", model, {}, c=0, v=0)
    data = np.genfromtxt(tmp_path / "sweep_commitment" / "sweep.csv", delimiter=",", names=True, dtype=None,
                         encoding="utf-8", deletechars="")
    first = data[0]
    assert float(first[PANELS[0][0]]) == pytest.approx(float(corner.patron_value), abs=1e-12)
    assert float(first[PANELS[1][0]]) == pytest.approx(float(corner.client_value), abs=1e-12)


def test_report_has_the_section_and_keeps_the_claims(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_reproduction(tmp_path / "out", figures=False)
    assert [c.passed for c in run.claims] == [True] * 8
    text = run.markdown_path.read_text(encoding="utf-8")
    assert "## Extension: what a binding sharing rule is worth" in text
    assert "| paper calibration | c = 0 | 71/100 | -31/16 | 1059/400 |" in text
    assert "| 1998 calibration | c = 0 | -409/200 | -193/80 | 147/400 |" in text
    results = json.loads(run.json_path.read_text(encoding="utf-8"))
    assert [c["key"] for c in results["claims"]] == [f"C{i}" for i in range(1, 9)]
    rows = {r["label"]: r for r in results["commitment"]["rows"]}
    assert rows["at c*"]["setting"] == "c = 5/6" and rows["at c*"]["client_value_of_commitment"] == "-99/40"

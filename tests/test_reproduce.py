"""`intelgame reproduce`: the paper's claims C1-C8 pass, and the numbers it reports (all from the
solver and the symbolic analysis on models/*.yaml) equal MODEL.md's closed forms."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from intelgame.paper.reproduce import run_reproduction
from intelgame.spec import parse_overrides


def closed_form_c_star(beta=3, omega0=1, eta=0, L_P=6, gamma=4, v=F(1, 10), rho=6):  # type: ignore[no-untyped-def]
    """MODEL.md: c* = max(c_fab, c_con), kappa = v rho / (1 - v)."""
    kappa = v * rho / (1 - v)
    return max((beta + omega0 - kappa) / gamma, (omega0 + eta - L_P - kappa) / gamma)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("rep")  # outside the repository: the models come from the catalog
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        return run_reproduction(folder / "out", figures=False)


def test_all_claims_pass_at_the_default_calibration(default_run) -> None:  # type: ignore[no-untyped-def]
    assert [c.key for c in default_run.claims] == [f"C{i}" for i in range(1, 9)]
    failed = [f"{c.key}: {c.evidence}" for c in default_run.claims if not c.passed]
    assert not failed


def test_reported_numbers_match_model_closed_forms(default_run) -> None:  # type: ignore[no-untyped-def]
    data = {c.key: c.data for c in default_run.claims}
    assert data["C1"]["c_star"] == str(closed_form_c_star()) == "5/6"
    assert data["C3"]["full_information_value"] == "99/40"  # -(1-v) min(pi(L+e), (1-pi)(k+e)) in absolute value
    assert data["C6"]["v_bar"] == str(F(3 + 1, 3 + 1 + 6)) == "2/5"
    assert data["C6"]["c_star_by_v"] == [str(closed_form_c_star(v=v)) for v in (F(1, 20), F(1, 10), F(1, 5), F(3, 10))]
    assert data["C5"]["c_star_by_omega0"] == [str(closed_form_c_star(omega0=w)) for w in (1, 2, 3)]
    assert data["C7"]["optimal"] == "1" and data["C7"]["optimal_high_lam"] == "0"
    assert data["C8"]["offpath_alert_interval"] == ["6/133", "3/38"]
    assert data["C8"]["v_threshold"] == "7/13"
    assert default_run.markdown_path.exists() and default_run.json_path.exists()


def test_set_moves_the_numbers_as_the_closed_forms_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_reproduction(tmp_path, overrides=parse_overrides(["v=1/5"]), figures=False)
    data = {c.key: c.data for c in run.claims}
    assert data["C1"]["c_star"] == str(closed_form_c_star(v=F(1, 5))) == "5/8"
    assert all(c.passed for c in run.claims), [c.evidence for c in run.claims if not c.passed]


def test_the_extension_reports_which_pbe_survive_each_refinement(default_run) -> None:  # type: ignore[no-untyped-def]
    """The refinement table (intelgame.paper.refinement_survivors) is added to the report and
    results.json, with one row per model and stage concession, each the verdicts of the exact solve."""
    from intelgame.analysis.divinity import CRITERIA, refinement_verdicts
    from intelgame.games.build import build_game
    from intelgame.games.signalling import SignallingGame
    from intelgame.solvers.pbe.enumeration import pbe_solve
    from intelgame.spec import load_spec

    assert "## Extension: which PBE survive each refinement" in default_run.markdown_path.read_text()
    rows = json.loads(default_run.json_path.read_text())["refinement_survivors"]
    assert [(r["model"], r["c"]) for r in rows] == [(m, c) for m in ("intelligence_market", "taepodong_1998")
                                                    for c in ("0", "1/4", "1/2", "3/4", "1")]
    for row in rows:
        path = Path(__file__).resolve().parents[1] / "models" / f"{row['model']}.yaml"
        game = build_game(load_spec(path), parse_overrides([f"c={row['c']}"]))
        assert isinstance(game, SignallingGame)
        result = pbe_solve(game, exact=True)
        assert row["survives"] == {k: [v[k].passes for v in refinement_verdicts(result)] for k in CRITERIA}

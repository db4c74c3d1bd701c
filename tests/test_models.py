"""The model catalog: every ``models/*.yaml`` gives the results its ``expect:`` block states.

Each file is found by glob, so a new model is tested as soon as it is added. For every
``expect`` case the game is built with the case's overrides (passed as ``--set NAME=VALUE``
strings, as the CLI does), solved exactly (PBE for signalling games, Nash for normal form),
every equilibrium is checked by the independent verifier, and the count, the classifications
and the Intuitive Criterion verdicts are compared as multisets. The paper's game is also
compared entry by entry with its independent Python construction in ``games_for_tests``.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction as F
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from games_for_tests import intelligence_market

from intelgame.analysis.classify import classify
from intelgame.analysis.quality import assess
from intelgame.analysis.two_stage import interpretation_of
from intelgame.analysis.refinements import cells_for, intuitive_criterion
from intelgame.analysis.verify import verify_nash, verify_pbe
from intelgame.games.build import build_game
from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.nash import nash_solve
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.spec import Expectation, load_spec, parse_overrides
from intelgame.spec.model import NormalSpec, SignallingSpec

MODELS = Path(__file__).resolve().parents[1] / "models"
MODEL_FILES = sorted(MODELS.glob("*.yaml"))


def _set_items(case: Expectation | None) -> tuple[str, ...]:
    """The case's overrides as ``--set`` items ``NAME=VALUE``."""
    return () if case is None else tuple(f"{name}={e.source}" for name, e in case.overrides.items())


def _params() -> list[Any]:
    """One test per (file, expect case); a file without cases (or that fails to load) still
    gets one test, which loads, solves and verifies it at its defaults."""
    params = []
    for path in MODEL_FILES:
        try:
            cases = load_spec(path).expect
        except Exception:  # noqa: BLE001 - reported by the test itself
            cases = ()
        if not cases:
            params.append(pytest.param(path, None, id=f"{path.stem}"))
        for i, case in enumerate(cases):
            label = ",".join(_set_items(case)) or "defaults"
            params.append(pytest.param(path, i, id=f"{path.stem}[{i}:{label}]"))
    return params


@cache
def _solve(path: Path, items: tuple[str, ...]) -> tuple[Any, Any]:
    """Build ``path`` with ``--set`` items and solve it exactly (cached across tests)."""
    spec = load_spec(path)
    game = build_game(spec, parse_overrides(list(items)))
    if isinstance(spec, NormalSpec):
        return game, nash_solve(game, exact=True)
    return game, pbe_solve(game, exact=True)


def test_catalog_is_not_empty() -> None:
    names = {p.stem for p in MODEL_FILES}
    assert {"intelligence_market", "taepodong_1998", "beer_quiche", "spence_job_market",
            "crawford_sobel_discrete", "prisoners_dilemma", "battle_of_the_sexes",
            "matching_pennies"} <= names


@pytest.mark.parametrize(("path", "index"), _params())
def test_model_gives_expected_results(path: Path, index: int | None) -> None:
    spec = load_spec(path)
    case = None if index is None else spec.expect[index]
    where = f"{path.name}, expect case at line {case.line}" if case else path.name
    items = _set_items(case)

    # the --set route gives the same game as the parsed overrides
    game, result = _solve(path, items)
    if case is not None:
        assert build_game(spec, case.overrides) == game, where

    equilibria = list(result)
    if isinstance(spec, SignallingSpec):
        assert isinstance(game, SignallingGame)
        for eq in equilibria:
            certificate = verify_pbe(game, eq.sender, eq.receiver, eq.beliefs)
            assert certificate.ok, f"{where}: not a PBE: {certificate.violations}"
    else:
        assert isinstance(game, NormalFormGame)
        for eq in equilibria:
            certificate = verify_nash(game, eq.row, eq.column)
            assert certificate.ok, f"{where}: not a Nash equilibrium: {certificate.violations}"
    if case is None:
        return

    if case.count is not None:
        assert len(equilibria) == case.count, f"{where}: {len(equilibria)} equilibria, expected {case.count}"
    if case.classifications is not None:
        assert isinstance(game, SignallingGame), f"{where}: classifications apply to signalling games only"
        found = Counter(classify(game, eq, tolerance=result.tolerance) for eq in equilibria)
        assert found == Counter(case.classifications), f"{where}: classifications {dict(found)}"
    if case.intuitive_criterion is not None:
        assert isinstance(game, SignallingGame), f"{where}: the Intuitive Criterion applies to signalling games only"
        cells = cells_for(game, exact=True, tolerance=1e-9)
        verdicts = Counter(intuitive_criterion(eq, cells) for eq in equilibria)
        assert verdicts == Counter(case.intuitive_criterion), f"{where}: Intuitive Criterion {dict(verdicts)}"
    if case.qualities is not None:
        assert isinstance(game, SignallingGame), f"{where}: qualities apply to signalling games only"
        interpretation = interpretation_of(spec, game)  # type: ignore[arg-type]
        labels = Counter(", ".join(assess(game, eq, interpretation, tolerance=result.tolerance).labels)
                         for eq in equilibria)
        assert labels == Counter(case.qualities), f"{where}: qualities {dict(labels)}"


@pytest.mark.parametrize("path", MODEL_FILES, ids=[p.stem for p in MODEL_FILES])
def test_parameters_can_be_overridden(path: Path) -> None:
    """Every model with parameters has an ``expect`` case that changes one (its results are
    checked above), and ``--set`` with a parameter's own default leaves the game unchanged."""
    spec = load_spec(path)
    if not spec.parameters:
        pytest.skip("no parameters")
    assert any(case.overrides for case in spec.expect), f"{path.name}: no expect case with `set:`"
    default = build_game(spec)
    for name, expression in spec.parameters.items():
        assert build_game(spec, parse_overrides([f"{name}={expression.source}"])) == default, name


def _entries(game: SignallingGame) -> list[Any]:
    return [*game.prior, *(x for arr in (game.sender_payoffs, game.receiver_payoffs)
                           for grid in arr for row in grid for x in row)]


@pytest.mark.parametrize(("file", "items", "reference"), [
    ("intelligence_market.yaml", ["c=0"], {"c": 0}),
    ("intelligence_market.yaml", ["c=1/2"], {"c": F(1, 2)}),
    ("intelligence_market.yaml", ["c=1"], {"c": 1}),
    ("taepodong_1998.yaml", [], {"c": 0, "eta": 12, "v": F(1, 20)}),
    ("intelligence_market.yaml", ["eta=12", "v=1/20"], {"c": 0, "eta": 12, "v": F(1, 20)}),
], ids=["c=0", "c=1/2", "c=1", "taepodong", "market-as-1998"])
def test_yaml_game_equals_python_game(file: str, items: list[str], reference: dict[str, Any]) -> None:
    spec = load_spec(MODELS / file)
    game = build_game(spec, parse_overrides(items))
    expected = intelligence_market(**reference)
    assert isinstance(game, SignallingGame)
    assert (game.types, game.messages, game.actions) == (expected.types, expected.messages, expected.actions)
    assert all(isinstance(x, (int, F)) for x in _entries(game)), "entries must be exact rationals"
    assert game.prior == expected.prior
    assert game.sender_payoffs == expected.sender_payoffs
    assert game.receiver_payoffs == expected.receiver_payoffs


def test_market_and_1998_specs_share_their_structure() -> None:
    """The 1998 file is the market model at another calibration: same payoffs and stage."""
    market, case = load_spec(MODELS / "intelligence_market.yaml"), load_spec(MODELS / "taepodong_1998.yaml")
    assert isinstance(market, SignallingSpec) and isinstance(case, SignallingSpec)
    assert list(market.parameters) == list(case.parameters)
    assert {t: {m: {a: tuple(e.source for e in cell) for a, cell in row.items()} for m, row in grid.items()}
            for t, grid in market.payoffs.items()} == \
           {t: {m: {a: tuple(e.source for e in cell) for a, cell in row.items()} for m, row in grid.items()}
            for t, grid in case.payoffs.items()}
    assert market.stage is not None and case.stage is not None
    assert [c.source for c in market.stage.choices] == [c.source for c in case.stage.choices]
    assert market.interpretation == case.interpretation
    changed = {n for n in market.parameters if market.parameters[n].source != case.parameters[n].source}
    assert changed == {"eta", "v"}

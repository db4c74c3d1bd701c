"""Where commitment beats cheap talk for the sender along one parameter (issue 18, item 4):
`intelgame.symbolic.commitment.commitment_thresholds` against exact solves on a fine grid, by
`intelgame.persuade` (the full benchmark: its own LP selection and `pbe_solve`)."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from intelgame.analysis.persuasion import persuade
from intelgame.cli.app import main
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.spec import load_spec, parse_overrides
from intelgame.spec.model import SignallingSpec
from intelgame.symbolic.commitment import CommitmentThreshold, commitment_thresholds

MODELS = Path(__file__).resolve().parents[1] / "models"


def spec_of(name: str) -> SignallingSpec:
    spec = load_spec(MODELS / f"{name}.yaml")
    assert isinstance(spec, SignallingSpec)
    return spec


def gain(spec: SignallingSpec, sets: dict[str, F]) -> F:
    game = build_game(spec, parse_overrides([f"{k}={v}" for k, v in sets.items()]))
    assert isinstance(game, SignallingGame)
    value = persuade(game, exact=True).value_of_commitment("sender").worst
    assert isinstance(value, F) and value >= 0
    return value


CASES = [  # model, parameter, low, high, fine step, fixed parameters
    ("intelligence_market", "c", F(0), F(1), F(1, 200), {}),
    ("intelligence_market", "v", F(0), F(9, 10), F(1, 100), {"c": F(0)}),
    ("intelligence_market", "c", F(0), F(1), F(1, 100), {"v": F(1, 4)}),
    ("taepodong_1998", "c", F(0), F(1), F(1, 200), {}),
]


@pytest.mark.parametrize(("model", "parameter", "low", "high", "step", "fixed"), CASES)
def test_every_change_on_a_fine_grid_is_found_and_certified(model: str, parameter: str, low: F, high: F, step: F,
                                                             fixed: dict[str, F]) -> None:
    spec = spec_of(model)
    found = commitment_thresholds(spec, parameter, low, high,
                                  overrides=parse_overrides([f"{k}={v}" for k, v in fixed.items()]))
    grid = [low + step * i for i in range(int((high - low) / step) + 1)]
    beats = [gain(spec, fixed | {parameter: p}) > 0 for p in grid]
    changes = [(a, b) for a, b, x, y in zip(grid, grid[1:], beats, beats[1:]) if x != y]
    assert changes, "each case has a change"
    # no missed crossing: each change on the grid holds one reported bracket, and nothing else is reported
    assert len(found) == len(changes)
    for (a, b), t in zip(changes, found):
        assert a <= t.low < t.high <= b and t.high - t.low <= (high - low) / 2**30
        assert t.beats_below == (gain(spec, fixed | {parameter: a}) > 0)
    for t in found:
        certify(spec, parameter, fixed, t)


def certify(spec: SignallingSpec, parameter: str, fixed: dict[str, F], t: CommitmentThreshold) -> None:
    """The certificate re-solved independently, and the point where one is given."""
    assert gain(spec, fixed | {parameter: t.low}) == t.gain_low and gain(spec, fixed | {parameter: t.high}) == t.gain_high
    assert (t.gain_low > 0) == t.beats_below and (t.gain_high > 0) != t.beats_below
    if t.point is not None:
        assert t.low <= t.point <= t.high and gain(spec, fixed | {parameter: t.point}) == 0
        inside = t.point - F(1, 10**9) if t.beats_below else t.point + F(1, 10**9)
        assert gain(spec, fixed | {parameter: inside}) > 0


def test_the_paper_calibration_points() -> None:
    """Commitment pays the patron up to c = 19/22 (above c* = 5/6, where truthful cheap talk
    already exists) at v = 1/10, and up to c = 49/152 in the 1998 case."""
    (paper,) = commitment_thresholds(spec_of("intelligence_market"), "c", 0, 1)
    (case,) = commitment_thresholds(spec_of("taepodong_1998"), "c", 0, 1)
    assert (paper.point, paper.beats_below) == (F(19, 22), True)
    assert (case.point, case.beats_below) == (F(49, 152), True)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli(capsys: pytest.CaptureFixture[str]) -> None:
    model = str(MODELS / "intelligence_market.yaml")
    code, out, _ = run(capsys, "persuade", model, "--thresholds-in", "c", "--range", "0:1", "--json", "--samples", "16")
    assert code == 0 and [t["point"] for t in json.loads(out)] == ["19/22"]
    code, out, _ = run(capsys, "persuade", model, "--thresholds-in", "c", "--range", "0.9:1")
    assert code == 0 and "no change found" in out and "does not beat" in out
    for args, message in ((["--thresholds-in", "c"], "bounded interval"), (["--thresholds-in", "zz", "--range", "0:1"],
                          "unknown parameter 'zz'"), (["--thresholds-in", "c", "--range", "1:0"], "LOW < HIGH"),
                          (["--thresholds-in", "c", "--range", "0:1", "--set", "c=1"], "both set")):
        code, out, err = run(capsys, "persuade", model, *args)
        assert code == 2 and message in err and out == "" and "Traceback" not in err

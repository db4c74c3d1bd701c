"""Hostile specs for ``intelgame thresholds`` (issue #13, the symbolic side; issue #17): payoffs
of degree 50 in the varied parameter, nested powers, many parameters, coefficients of a
thousand bits. Each is a contract test of the command line in a subprocess limited to 1 GB and
20 s of CPU (:func:`test_hostile_input.run_cli`): exit 0, or exit 2 with one line saying the
work, the limit and ``--max-work``; never an internal error. The work budget itself
(:mod:`intelgame.symbolic.budget`) is tested in the library below."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sympy
from test_hostile_input import REPO, SECONDS, run_cli

from intelgame.errors import WorkLimitExceeded
from intelgame.symbolic import thresholds
from intelgame.symbolic.budget import check_entries, entry_size

MARKET = REPO / "models" / "intelligence_market.yaml"
MARKET_TEXT = MARKET.read_text()
CELL = '"(1 - v) * 0"]'  # the receiver's payoff of (threat, warn, alert) in the paper's model


def _spec(tmp_path: Path, payoff: str, parameters: str = "") -> Path:
    """The paper's model with the receiver's payoff of one cell replaced, and extra parameters."""
    path = tmp_path / "hostile.yaml"
    text = MARKET_TEXT.replace(CELL, f'"{payoff}"]', 1)
    path.write_text(text.replace("\n\ntypes:", "\n" + parameters + "\ntypes:", 1))  # after the others
    return path


def _big(rng: random.Random) -> str:
    return str(rng.getrandbits(1000) | 1)


RNG = random.Random(13)
HOSTILE = {
    # 50 rational roots in [0, 1]
    "degree-50, 50 roots": (" * ".join(f"(c - {i}/50)" for i in range(1, 51)), ""),
    # irreducible, with a large probe point: its float path overflowed (exit 1 before)
    "degree-50, random": (" + ".join(f"{RNG.randint(-9, 9)}*c**{i}" for i in range(51)), ""),
    "degree-50 in c and v": (" + ".join(f"{RNG.randint(-9, 9)}*c**{i}*v**{50 - i}" for i in range(51)), ""),
    "nested powers": ("((1 + c)**64)**64", ""),
    "nested powers, two symbols": ("(((c + v + 1)**8)**8)**2", ""),
    "nested powers through parameters": ("q3", "  q1: (1 + c + v)**16\n  q2: (q1 + 1)**16\n  q3: (q2 + 1)**16\n"),
    "many parameters": (" + ".join(f"p{i}*c**{i % 5}" for i in range(60)),
                        "".join(f"  p{i}: {i + 2}\n" for i in range(60))),
    "thousand-bit coefficients": (" + ".join(f"h{i}*c**{i}" for i in range(8)),
                                  "".join(f"  h{i}: {_big(RNG)}/{_big(RNG)}\n" for i in range(8))),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_specs_exit_0_or_2_within_the_limits(tmp_path: Path, name: str) -> None:
    payoff, parameters = HOSTILE[name]
    spec = _spec(tmp_path, payoff, parameters)
    code, out, err, elapsed = run_cli("thresholds", str(spec), "--in", "c")
    assert code in (0, 2), f"{name}: exit {code}: {err[-500:]}"
    assert "Traceback" not in err and "internal error" not in err
    assert elapsed < SECONDS
    if code == 2:
        assert out == "" and err.startswith("error: ") and err.count("\n") == 1 and len(err) < 700, err
        # the work budget, or the spec's own limits (exact powers, expression length) by file and key
        assert ("--max-work" in err and "budget of 3e+07" in err) or (f"{spec}:" in err and "(key '" in err), err
    else:
        assert err == "" and out.startswith("c"), (out, err)


def test_nested_powers_are_refused_before_any_work(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "((1 + c)**64)**64")
    code, out, err, elapsed = run_cli("thresholds", str(spec), "--in", "c")
    assert code == 2 and out == ""
    assert "needs at least" in err and "payoffs and prior expanded" in err and "--max-work" in err, err
    assert elapsed < 10


def test_the_budget_is_an_option_that_lowers_and_raises(tmp_path: Path) -> None:
    code, out, err, _ = run_cli("thresholds", str(MARKET), "--in", "c", "--max-work", "1000")
    assert code == 2 and out == "", err
    assert "budget of 1e+03" in err and "--max-work" in err and "intelligence_market.yaml: thresholds in c" in err
    spec = _spec(tmp_path, " * ".join(f"(c - {i}/50)" for i in range(1, 51)))
    code, out, err, _ = run_cli("thresholds", str(spec), "--in", "c", "--max-work", "1e9")
    assert code == 0 and err == "" and "c = 5/6" in out, err


def test_entry_sizes_bound_the_expansion() -> None:
    """The bounds read from the expression tree are at least the expanded polynomial's."""
    c, v = sympy.symbols("c v", real=True)
    for expr in [(1 + c) ** 7 * (c - v) ** 3, ((c + v + 1) ** 3) ** 2 - c * v, sympy.Rational(2**70, 3) * c ** 5 + v,
                 sympy.Mul(*[(c - sympy.Rational(i, 7)) for i in range(9)])]:
        terms, degree, bits = entry_size(expr)
        poly = sympy.Poly(sympy.expand(expr), c, v)
        assert terms >= len(poly.terms()) and degree >= poly.total_degree(), expr
        numerators = [abs(sympy.Rational(k).p).bit_length() for k in poly.coeffs()]
        assert bits >= max(numerators), expr
    assert entry_size(((1 + c) ** 64) ** 64)[:2] == (4097, 4096)


def test_library_budget_raises_before_and_during() -> None:
    c = sympy.Symbol("c", real=True)
    with pytest.raises(WorkLimitExceeded, match="needs at least"):
        check_entries([((1 + c) ** 64) ** 64], 10**6, None)
    assert check_entries([c + 1], 10**6, None) < 100
    with pytest.raises(WorkLimitExceeded, match="passed its work budget of 1e\\+03"):
        thresholds(MARKET, "c", max_work=1000)
    assert [str(t.value) for t in thresholds(MARKET, "c", max_work=3 * 10**7)] == ["5/6", "7/6"]

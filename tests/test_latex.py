"""The equilibrium table as LaTeX (``intelgame solve --format latex``, issue 19 item 5): booktabs
rules, exact fractions as ``\\frac``, every name escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intelgame.cli.app import main
from intelgame.output.latex import escape, latex_text
from intelgame.output.tables import PBE_COLUMNS

# beer-quiche with names that LaTeX would misread
AWKWARD = """\
intelgame: 1
kind: signalling
name: awkward_game
parameters: {p: 1/10}
types: {a_b: p, "50%": 1 - p}
messages: ["x&y", "#m"]
actions: ["{duel}", "de~fer^"]
payoffs:
  a_b:   {"x&y": {"{duel}": [0, 1], "de~fer^": [2, 0]}, "#m": {"{duel}": [1, 1], "de~fer^": [3, 0]}}
  "50%": {"x&y": {"{duel}": [1, -1], "de~fer^": [3, 0]}, "#m": {"{duel}": [0, -1], "de~fer^": [2, 0]}}
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_escape_prints_every_special_character_as_itself() -> None:
    assert escape("a_b 50% x&y #1 $5 {b} ~^ \\") == (
        r"a\_b 50\% x\&y \#1 \$5 \{b\} \textasciitilde{}\textasciicircum{} \textbackslash{}")


def test_fractions_and_comparisons_become_maths_but_not_inside_names() -> None:
    assert latex_text("P(w | m) >= 1/2, x1/2 -3/4") == (
        r"P(w \textbar{} m) $\geq$ $\frac{1}{2}$, x1/2 $-\frac{3}{4}$")


def test_solve_latex_table_escapes_names_and_keeps_the_columns(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "awkward.yaml"
    spec.write_text(AWKWARD)
    code, out, err = run(capsys, "solve", str(spec), "--exact", "--format", "latex")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("% awkward_game: 4 perfect Bayesian equilibria (exact)")
    assert lines[1:4] == ["\\begin{tabular}{rllllll}", "\\toprule",
                          " & ".join(escape(c) for c in PBE_COLUMNS) + " \\\\"]
    assert lines[4] == "\\midrule" and lines[-2:] == ["\\bottomrule", "\\end{tabular}"]
    rows = lines[5:-2]
    assert len(rows) == 4
    for row in rows:  # the column separators are the only unescaped '&'
        assert len(re.findall(r"(?<!\\)&", row)) == len(PBE_COLUMNS) - 1 and row.endswith(" \\\\")
        assert not re.search(r"(?<!\\)[%#_~^]", row.replace(r"\textasciitilde{}", "").replace(
            r"\textasciicircum{}", "")), row
    body = "\n".join(rows)
    for name in (r"a\_b", r"50\%", r"x\&y", r"\#m", r"\{duel\}", r"de\textasciitilde{}fer\textasciicircum{}"):
        assert name in body, name
    assert r"$\frac{1}{2}$" in body  # an exact belief threshold


def test_nash_latex_and_format_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "solve", "matching_pennies", "--exact", "--format", "latex")
    assert code == 0 and r"heads $\frac{1}{2}$, tails $\frac{1}{2}$" in out
    assert run(capsys, "solve", "beer_quiche", "--format", "json")[1] == run(capsys, "solve", "beer_quiche", "--json")[1]
    code, _, err = run(capsys, "solve", "beer_quiche", "--json", "--format", "latex")
    assert code == 2 and "two formats" in err
    assert run(capsys, "solve", "beer_quiche", "--format", "html")[0] == 2

"""An extension of the reproduction (not one of the claims C1-C8): which PBE of the paper's model
and of the 1998 case survive each refinement of :mod:`intelgame.analysis.divinity`, at every
concession of the stage's grid.

For each model and concession :math:`c` the game is solved exactly and every equilibrium
judged by the Intuitive Criterion, D1, D2, universal divinity and NWBR (outcome-level
verdicts, :func:`~intelgame.analysis.divinity.refinement_verdicts`; a continuum survives when
some equilibrium of its face does, :mod:`intelgame.analysis.entry_verdicts`). The report shows, per
row, how many PBE survive each criterion and the quality labels of those that fail one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from intelgame.analysis.divinity import CRITERIA
from intelgame.analysis.entry_verdicts import entry_verdicts
from intelgame.analysis.quality import Quality
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.result import PBEResult

Solve = Callable[[Any], tuple[SignallingGame, PBEResult, list[Quality]]]


@dataclass(frozen=True)
class SurvivorRow:
    """The PBE of one model at one concession: how many, the labels of each (primary label
    and on-path messages) and, by criterion, whether each survives."""

    model: str
    concession: str
    equilibria: tuple[str, ...]
    survives: dict[str, tuple[bool, ...]]

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "c": self.concession, "equilibria": list(self.equilibria),
                "survives": {c: list(v) for c, v in self.survives.items()}}


def survivor_rows(name: str, solve: Solve, concessions: Sequence[Any], fmt: Callable[[Any], str],
                  progress: Callable[[str], None]) -> list[SurvivorRow]:
    """One :class:`SurvivorRow` per concession of model ``name``, whose exact solve at
    concession ``c`` is ``solve(c)``."""
    rows = []
    for c in concessions:
        progress(f"refinements of {name} at c = {fmt(c)}")
        game, result, qualities = solve(c)
        verdicts = entry_verdicts(result, criteria_only=True)
        names = tuple(f"{q.label} ({'/'.join(game.messages[m] for m, on in enumerate(eq.on_path) if on)})"
                      for eq, q in zip(result, qualities))
        rows.append(SurvivorRow(name, fmt(c), names, {k: tuple(v.passes[k] for v in verdicts) for k in CRITERIA}))
    return rows


def survivor_markdown(rows: Sequence[SurvivorRow]) -> list[str]:
    """The report's section: a table of survivors per criterion, and the failing PBE."""
    lines = ["", "## Extension: which PBE survive each refinement", "",
             "Not one of the claims C1-C8: for each model and concession c of the stage's grid, the number of PBE "
             "whose outcome survives each criterion (intelgame/analysis/divinity.py; exact, outcome-level), out of "
             "all PBE, and the PBE that fail some criterion (quality label, messages on the path).", "",
             "| model | c | PBE | " + " | ".join(CRITERIA) + " | failing some criterion |",
             "| --- | --- | --- | " + " | ".join("---" for _ in CRITERIA) + " | --- |"]
    for row in rows:
        n = len(row.equilibria)
        failing = [f"{i + 1}. {label}: fails {', '.join(c for c in CRITERIA if not row.survives[c][i])}"
                   for i, label in enumerate(row.equilibria) if not all(row.survives[c][i] for c in CRITERIA)]
        counts = " | ".join(f"{sum(row.survives[c])}/{n}" for c in CRITERIA)
        lines.append(f"| {row.model} | {row.concession} | {n} | {counts} | {'; '.join(failing) or 'none'} |")
    lines += ["", "Criteria: the Intuitive Criterion and D1, D2 (Cho and Kreps 1987), universal divinity (Banks and "
              "Sobel 1987) and never a weak best response (Kohlberg and Mertens 1986); see the README's section "
              "\"Refinements and selection rules\".", ""]
    return lines

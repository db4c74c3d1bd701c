"""intelgame: every equilibrium of games of asymmetric information.

>>> import intelgame
>>> spec = intelgame.parse_spec('''
... intelgame: 1
... kind: signalling
... name: beer-quiche
... parameters: {p: 1/10}
... types: {weak: p, strong: 1 - p}
... messages: [beer, quiche]
... actions: [duel, defer]
... payoffs:
...   weak:   {beer: {duel: [0, 1], defer: [2, 0]}, quiche: {duel: [1, 1], defer: [3, 0]}}
...   strong: {beer: {duel: [1, -1], defer: [3, 0]}, quiche: {duel: [0, -1], defer: [2, 0]}}
... ''')
>>> game = intelgame.build_game(spec)
>>> result = intelgame.pbe_solve(game, exact=True)
>>> [intelgame.classify(game, eq) for eq in result if eq.is_pure]
['pooling', 'pooling']
>>> all(intelgame.verify_pbe(game, eq.sender, eq.receiver, eq.beliefs) for eq in result)
True

Importing the package is cheap: each public name is imported from its module when first used
(:data:`_HOMES`), so ``python -m intelgame.cli.app`` starts without the solvers, and sets up numpy
before anything imports it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intelgame.analysis.classify import classify
    from intelgame.analysis.persuasion import Persuasion, persuade
    from intelgame.analysis.quality import Interpretation, Quality, assess
    from intelgame.analysis.refinements import cells_for, intuitive_criterion
    from intelgame.output.documents import describe_pbe_result
    from intelgame.output.frames import analysed_frame, read_sweep
    from intelgame.output.shape_frames import component_frame, outcome_frame
    from intelgame.analysis.two_stage import StageResult, stage_solve
    from intelgame.analysis.verify import Certificate, verify_nash, verify_pbe
    from intelgame.catalog import CatalogEntry, list_models
    from intelgame.errors import GameStructureError, IntelgameError, SolverError, SpecError
    from intelgame.games import GameGrid, NormalFormGame, SignallingGame, build_game_grid, harsanyi_form
    from intelgame.games.build import build_game
    from intelgame.solvers.nash import NashResult, nash_solve
    from intelgame.solvers.pbe.result import PBE, PBEResult
    from intelgame.solvers.pbe.enumeration import pbe_solve
    from intelgame.solvers.pbe.batch import pbe_solve_many, pbe_table_many
    from intelgame.solvers.pbe.table import EquilibriumTable
    from intelgame.spec import load_spec, parse_overrides, parse_spec

__version__ = "0.1.0"

__all__ = [
    "CatalogEntry", "Certificate", "EquilibriumTable", "GameGrid", "GameStructureError", "IntelgameError",
    "Interpretation", "NashResult", "NormalFormGame", "PBE", "PBEResult", "Persuasion", "Quality", "SignallingGame",
    "SolverError", "SpecError", "StageResult", "analysed_frame", "assess", "build_game", "build_game_grid", "cells_for", "classify", "component_frame",
    "describe_pbe_result", "harsanyi_form", "intuitive_criterion", "list_models", "load_spec", "nash_solve",
    "outcome_frame", "parse_overrides", "parse_spec", "pbe_solve", "pbe_solve_many", "pbe_table_many", "persuade", "read_sweep", "stage_solve",
    "verify_nash", "verify_pbe",
]

#: The module each public name is imported from when first used.
_HOMES: dict[str, str] = {name: module for module, names in (
    ("intelgame.analysis.classify", ("classify",)),
    ("intelgame.analysis.persuasion", ("Persuasion", "persuade")),
    ("intelgame.analysis.quality", ("Interpretation", "Quality", "assess")),
    ("intelgame.analysis.refinements", ("cells_for", "intuitive_criterion")),
    ("intelgame.output.documents", ("describe_pbe_result",)),
    ("intelgame.output.frames", ("analysed_frame", "read_sweep")),
    ("intelgame.output.shape_frames", ("component_frame", "outcome_frame")),
    ("intelgame.analysis.two_stage", ("StageResult", "stage_solve")),
    ("intelgame.analysis.verify", ("Certificate", "verify_nash", "verify_pbe")),
    ("intelgame.catalog", ("CatalogEntry", "list_models")),
    ("intelgame.errors", ("GameStructureError", "IntelgameError", "SolverError", "SpecError")),
    ("intelgame.games", ("GameGrid", "NormalFormGame", "SignallingGame", "build_game_grid", "harsanyi_form")),
    ("intelgame.games.build", ("build_game",)),
    ("intelgame.solvers.nash", ("NashResult", "nash_solve")),
    ("intelgame.solvers.pbe.enumeration", ("PBE", "PBEResult", "pbe_solve")),
    ("intelgame.solvers.pbe.batch", ("pbe_solve_many", "pbe_table_many")),
    ("intelgame.solvers.pbe.table", ("EquilibriumTable",)),
    ("intelgame.spec", ("load_spec", "parse_overrides", "parse_spec")),
) for name in names}


if not TYPE_CHECKING:  # type checkers read the imports above (and still reject unknown names)
    def __getattr__(name: str) -> Any:
        """Import public name ``name`` from its module on first use (PEP 562)."""
        if name not in _HOMES:
            raise AttributeError(f"module 'intelgame' has no attribute {name!r}")
        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

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
"""

from intelgame.analysis.classify import classify
from intelgame.analysis.quality import Interpretation, Quality, assess
from intelgame.analysis.refinements import cells_for, intuitive_criterion
from intelgame.analysis.report import describe_pbe_result
from intelgame.analysis.two_stage import StageResult, stage_solve
from intelgame.analysis.verify import Certificate, verify_nash, verify_pbe
from intelgame.errors import GameStructureError, IntelgameError, SolverError, SpecError
from intelgame.games import GameGrid, NormalFormGame, SignallingGame, build_game_grid, harsanyi_form
from intelgame.games.build import build_game
from intelgame.solvers.nash import NashResult, nash_solve
from intelgame.solvers.pbe import PBE, PBEResult, pbe_solve
from intelgame.solvers.pbe_batch import pbe_solve_many
from intelgame.spec import load_spec, parse_overrides, parse_spec

__version__ = "0.1.0"

__all__ = [
    "Certificate", "GameGrid", "GameStructureError", "IntelgameError", "Interpretation", "NashResult",
    "NormalFormGame", "PBE", "PBEResult", "Quality", "SignallingGame", "SolverError", "SpecError",
    "StageResult", "assess", "build_game", "build_game_grid", "cells_for", "classify", "describe_pbe_result",
    "harsanyi_form", "intuitive_criterion", "load_spec", "nash_solve", "parse_overrides",
    "parse_spec", "pbe_solve", "pbe_solve_many", "stage_solve", "verify_nash", "verify_pbe",
]

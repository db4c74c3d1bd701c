"""Immutable game values: signalling games, 2-player normal-form games, the Harsanyi form, and
float arrays of the games of a spec over a parameter grid (:func:`build_game_grid`)."""

from intelgame.games.grid import GameGrid, build_game_grid
from intelgame.games.harsanyi import behaviour_to_mixed, harsanyi_form
from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame

__all__ = ["GameGrid", "NormalFormGame", "SignallingGame", "behaviour_to_mixed", "build_game_grid",
           "harsanyi_form"]

"""Immutable game values: signalling games, 2-player normal-form games, the Harsanyi form."""

from intelgame.games.harsanyi import behaviour_to_mixed, harsanyi_form
from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame

__all__ = ["SignallingGame", "NormalFormGame", "harsanyi_form", "behaviour_to_mixed"]

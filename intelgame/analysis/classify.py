"""Classification of signalling equilibria by how much the messages reveal.

With :math:`T^+` the types of positive prior and posteriors :math:`\\mu(\\cdot|m)` on the path:

* ``pooling``: every on-path posterior equals the prior (the messages carry no information;
  pure pooling and identical mixtures alike);
* ``separating``: every type in :math:`T^+` sends one message for sure and no two share one
  (every on-path posterior is degenerate);
* ``semi-separating`` (hybrid): everything else, some but not all information passes.
"""

from __future__ import annotations

from typing import Any, Literal

from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe import PBE

Classification = Literal["separating", "pooling", "semi-separating"]


def _close(a: Any, b: Any, tolerance: float) -> bool:
    return bool(a == b) if tolerance == 0 else bool(abs(a - b) <= tolerance)


def classify(game: SignallingGame, equilibrium: PBE, *, tolerance: float = 0) -> Classification:
    """``separating``, ``pooling`` or ``semi-separating`` (``tolerance`` 0 on exact results)."""
    informed = [t for t, p in enumerate(game.prior) if p > tolerance]
    on_path = [m for m, on in enumerate(equilibrium.on_path) if on]
    if all(_close(equilibrium.beliefs[m][t], game.prior[t], tolerance)
           for m in on_path for t in range(len(game.types))):
        return "pooling"
    pure = all(any(_close(p, 1, tolerance) for p in equilibrium.sender[t]) for t in informed)
    senders = [sum(1 for t in informed if equilibrium.sender[t][m] > tolerance) for m in on_path]
    if pure and all(k == 1 for k in senders):
        return "separating"
    return "semi-separating"

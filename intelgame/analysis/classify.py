"""Classification of signalling equilibria by how much the messages reveal.

With :math:`T^+` the types of positive prior and posteriors :math:`\\mu(\\cdot|m)` on the path:

* ``pooling``: every on-path posterior equals the prior (the messages carry no information;
  pure pooling and identical mixtures alike);
* ``separating``: every type in :math:`T^+` sends one message for sure and every on-path
  message has exactly one sender in :math:`T^+` (every on-path posterior is degenerate);
* ``semi-separating`` (hybrid): everything else, some but not all information passes.

The rule is written once (:func:`classification_rule`) over facts of a table of equilibria;
:func:`classifications` reads the facts off arrays with a tolerance :math:`\\tau`
(:math:`|\\mu(t|m) - p(t)| \\le \\tau`, :math:`|\\sigma(m|t) - 1| \\le \\tau`,
:math:`\\sigma(m|t) > \\tau`, :math:`T^+ = \\{t : p(t) > \\tau\\}`), and :func:`classify` reads
one equilibrium as a one-row table of its own numbers (exact stays exact). The symbolic layer
gives the rule facts decided on field elements.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from intelgame.analysis.rows import one_row
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.result import PBE
from intelgame.speed.short_axes import every, some

Classification = Literal["separating", "pooling", "semi-separating"]

#: The classifications, by the code :func:`classifications` gives.
CLASSIFICATIONS: tuple[Classification, ...] = ("pooling", "separating", "semi-separating")


def classification_rule(pooled: np.ndarray, sure: np.ndarray, sends: np.ndarray, informed: np.ndarray,
                        on_path: np.ndarray) -> np.ndarray:
    """The code in :data:`CLASSIFICATIONS` of each row, from boolean facts: ``pooled[r, m, t]``
    (:math:`\\mu(t|m) = p(t)`), ``sure[r, t, m]`` (:math:`\\sigma(m|t) = 1`), ``sends[r, t, m]``
    (:math:`\\sigma(m|t) > 0`), ``informed[r, t]`` (:math:`t \\in T^+`) and ``on_path[r, m]``."""
    pooling = every(pooled | ~on_path[:, :, None], axis=(1, 2))
    pure = every(some(sure, axis=2) | ~informed, axis=1)
    senders = (sends & informed[:, :, None]).sum(axis=1)
    separating = pure & every((senders == 1) | ~on_path, axis=1)
    return np.where(pooling, 0, np.where(separating, 1, 2))


def classifications(prior: np.ndarray, sender: np.ndarray, beliefs: np.ndarray, on_path: np.ndarray,
                    tolerance: float) -> np.ndarray:
    """:func:`classification_rule` of rows with priors ``prior`` (``R x T``), strategies
    ``sender`` (``R x T x M``), beliefs (``R x M x T``) and on-path messages (``R x M``), read
    with ``tolerance`` (float or object arrays; 0 on exact numbers)."""
    return classification_rule(within(beliefs, prior[:, None, :], tolerance), within(sender, 1, tolerance),
                               sender > tolerance, prior > tolerance, on_path)


def within(x: np.ndarray, y: np.ndarray | int, tolerance: float) -> np.ndarray:
    """:math:`|x - y| \\le \\tau`, entry by entry; with :math:`\\tau = 0`, ``x == y`` (a float
    compared exactly with a ``Fraction``, not rounded by the subtraction)."""
    close: np.ndarray = np.abs(x - y) <= tolerance if tolerance else x == y
    return close


def classify(game: SignallingGame, equilibrium: PBE, *, tolerance: float = 0) -> Classification:
    """``separating``, ``pooling`` or ``semi-separating`` (``tolerance`` 0 on exact results)."""
    code = classifications(one_row(game.prior), one_row(equilibrium.sender), one_row(equilibrium.beliefs),
                           np.array([equilibrium.on_path], dtype=bool), tolerance)
    return CLASSIFICATIONS[int(code[0])]


def canonical_values(values: np.ndarray, tolerance: float) -> np.ndarray:
    """``values`` (any shape, floats) with each replaced by the least of its cluster: sorted
    distinct values less than ``tolerance`` apart form one cluster. Float results are certified
    to far better than the reading tolerance, so values that are equal in exact arithmetic
    land in one cluster and compare equal (grouping rows by value, as the components do,
    then does not depend on the last bits). With ``tolerance`` 0 the values are returned as
    they are.

    >>> canonical_values(np.array([0.25, 0.25000000000000006, 0.5]), 1e-9).tolist()
    [0.25, 0.25, 0.5]
    """
    if not tolerance or not values.size:
        return values
    distinct, inverse = np.unique(values, return_inverse=True)
    starts = np.r_[True, np.diff(distinct) > tolerance]
    return np.asarray(distinct[np.flatnonzero(starts)[np.cumsum(starts) - 1]][inverse.reshape(values.shape)])

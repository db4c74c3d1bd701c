"""Symbolic existence conditions of equilibria, and the parameter thresholds where they switch.

A signalling game's payoffs and prior depend on parameters :math:`\\theta`, some kept as
``sympy`` symbols. For every support profile the PBE solver finds, the solver's own linear
systems are eliminated exactly over :math:`\\mathbb{Q}(\\theta)`, giving conditions
:math:`g_k(\\theta) \\mathrel{R_k} 0` under which PBE with that profile exist; along one
parameter the roots of those conditions are where the set of PBE may change, and it is solved
again between them to find where it does; over two parameters those thresholds are curves.

Modules, from the bottom up: :mod:`.exact` (numbers, evaluation at points), :mod:`.fields`
(the field :math:`\\mathbb{Q}(\\theta, x)` and factorisation), :mod:`.conditions` (normalised
conditions), :mod:`.linear` (polynomials of degree 1), :mod:`.elimination` (one linear system),
:mod:`.profiles` (one support profile: :func:`support_conditions`), :mod:`.atlas` (the profiles
found at points of a calibrated model: :func:`equilibrium_conditions`), :mod:`.roots`,
:mod:`.scan` (one parameter: :func:`thresholds`), :mod:`.curves` (two parameters:
:func:`threshold_curves`).
"""

from intelgame.symbolic.atlas import equilibrium_conditions
from intelgame.symbolic.conditions import Condition
from intelgame.symbolic.curves import threshold_curves
from intelgame.symbolic.elimination import FaceSolution, FreeInterval
from intelgame.symbolic.profiles import (
    ExistenceConditions,
    ParameterBounds,
    SymbolicArithmetic,
    support_conditions,
)
from intelgame.symbolic.scan import Threshold, thresholds

__all__ = [
    "Condition",
    "ExistenceConditions",
    "FaceSolution",
    "FreeInterval",
    "ParameterBounds",
    "SymbolicArithmetic",
    "Threshold",
    "equilibrium_conditions",
    "support_conditions",
    "threshold_curves",
    "thresholds",
]

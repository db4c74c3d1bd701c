"""The number type of the solvers' systems, defined once.

``Fraction`` on the exact path and ``float`` on the float path; the same kernels also take
``int`` (the fraction-free tableau), are compared with a :class:`~intelgame.geometry.faces.FilterBand`
on the float path, and the symbolic layer runs the builders on ``sympy`` expressions. The alias
is therefore ``Any`` to the type checker: the arithmetic, not the type, is what tells the paths
apart (:class:`~intelgame.geometry.faces.Arithmetic`).
"""

from __future__ import annotations

from typing import Any

Number = Any

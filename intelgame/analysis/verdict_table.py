"""Every criterion of :mod:`intelgame.analysis.divinity` on every row of a table of equilibria
(a float sweep's batched path): :func:`criteria_columns`.

A row that :func:`~intelgame.analysis.refinements.may_break` does not flag passes every
criterion. Such a row has, at each off-path message :math:`m`, :math:`u^*(t) \\le u_S(t,m,a)`
for every type and action, so every gain :math:`g_t \\ge 0` on :math:`MBR(T, m)`; the
equilibrium's own reply :math:`\\alpha^*` to :math:`m` deters every type, so
:math:`g_t(\\alpha^*) = 0` for all :math:`t`. Then no set :math:`D_{t'}` holds
:math:`\\alpha^*`, which lies in every :math:`W_t` and :math:`D^0_t`: D1, D2, NWBR and the
iterated D2 of universal divinity prune nobody, and :math:`\\alpha^*` deters every type at a
belief on all of them (the Intuitive Criterion, which prunes only types with
:math:`W_t = \\emptyset`, prunes nobody either). The other rows are judged exactly: their
point's game is solved exactly and its equilibria judged by
:func:`~intelgame.analysis.divinity.refinement_verdicts` (a point's rows are those of the
exact solve, in its order; see :mod:`~intelgame.solvers.pbe.table`), so the columns are those
of the exact path.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from intelgame.analysis.divinity import CRITERIA, Criterion, refinement_verdicts
from intelgame.analysis.refinements import may_break
from intelgame.errors import SolverError
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.enumeration import pbe_solve
from intelgame.solvers.pbe.table import EquilibriumTable


def criteria_columns(eqs: EquilibriumTable, sender_payoffs: np.ndarray,
                     game: Callable[[int], SignallingGame]) -> dict[Criterion, np.ndarray]:
    """Whether each row of ``eqs`` passes each criterion (one boolean array per criterion of
    :data:`~intelgame.analysis.divinity.CRITERIA`), with ``u_S`` of each point in
    ``sender_payoffs`` (N, T, M, A) and the exact game of point ``k`` ``game(k)`` (module
    docstring).

    Raises
    ------
    SolverError
        When the exact solve of a point does not have the point's number of rows.
    """
    out = {c: np.ones(len(eqs), dtype=bool) for c in CRITERIA}
    doubtful = np.unique(eqs.point[may_break(eqs, sender_payoffs)])
    first = np.searchsorted(eqs.point, doubtful)
    last = np.searchsorted(eqs.point, doubtful, side="right")
    for point, lo, hi in zip(doubtful.tolist(), first.tolist(), last.tolist()):
        exact = pbe_solve(game(point).to_rational(), exact=True)
        if len(exact) != hi - lo:
            raise SolverError(f"the exact solve of grid point {point} has {len(exact)} equilibria, "
                              f"the float one {hi - lo}")
        for r, verdicts in enumerate(refinement_verdicts(exact), start=lo):
            for c in CRITERIA:
                out[c][r] = verdicts[c].passes
    return out

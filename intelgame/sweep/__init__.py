"""Parameter sweeps: every PBE of a signalling spec at every point of a grid, as one tidy file.

A *grid* is the cartesian product of one or more axes, each a spec parameter and its values
(``--grid`` text: :func:`parse_grid`). :func:`run_sweep` builds the game at each point (the
grid values override the spec's parameters, and every parameter defined from them is
re-evaluated), solves it as :func:`~intelgame.solvers.pbe.enumeration.pbe_solve` would,
analyses each equilibrium as :func:`~intelgame.output.documents.analyse` would and writes one
*tidy* row per (point, equilibrium), or one row with an empty ``equilibrium`` and ``count`` 0
at a point without any. Columns, in order (:func:`sweep_columns`):

* the grid parameters (one column each, in the order of the axes);
* ``equilibrium`` (1-based index at the point, as in ``intelgame solve``), ``count``
  (equilibria at the point), ``classification`` (separating / pooling / semi-separating),
  ``quality`` (the primary label: truthful / noisy / babbling, or fully / partially revealing
  without an ``interpretation`` block), ``labels`` (all labels joined by ``;``),
  ``intuitive_criterion``, ``pure``, ``continuum``, ``on_path_play`` (1-based index of the
  equilibrium's on-path play among the point's: equilibria that differ only off the path share
  one; :mod:`~intelgame.analysis.on_path_play`; not the connected component of the PBE set);
* the metrics of :class:`~intelgame.analysis.quality.Quality` (empty where undefined);
* the strategies at the equilibrium's representative point: ``sigma[type][message]`` for every
  type and message, then ``rho[message][action]`` for every message and action;
* with ``persuade=True`` (``sweep --persuade``), the commitment benchmark of the point, the
  same in each of its rows (:data:`~intelgame.sweep.cells.PERSUASION_COLUMNS`);
* only in a sweep asked for refinements (``refinements``, ``refine`` or ``select`` of
  :func:`run_sweep`): ``passes[d1]``, ``passes[d2]``, ``passes[universal_divinity]``,
  ``passes[nwbr]``, whether the row's equilibrium outcome survives the criterion
  (:mod:`intelgame.analysis.divinity`). Whether *some* equilibrium of a point survives is the
  ``or`` of its rows; with ``select`` the point's one row is the selected equilibrium, so the
  columns say whether *it* survives;
* with ``outcomes=True`` (``sweep --outcomes``), last: ``outcome`` (0-based index of the
  row's outcome among its point's, as ``intelgame solve --json`` numbers it) and ``outcomes``
  (their number at the point), :data:`~intelgame.sweep.cells.OUTCOME_COLUMNS`.

With ``refine`` only the equilibria surviving the criterion are written, with ``select`` only
the one the rule picks (among those); ``equilibrium`` and ``count`` then number the kept ones,
as ``intelgame solve --refine/--select`` lists them, and a point where none is kept has the
empty row (``count`` 0).

Modules, in the order a sweep uses them: :mod:`~intelgame.sweep.grid` (axes and points),
:mod:`~intelgame.sweep.run` (the request and the file), :mod:`~intelgame.sweep.executors`
(serial, process pool, Dask; chunks come back in grid order, so the three write the same
bytes), :mod:`~intelgame.sweep.chunk` (solving and analysing one chunk of points),
:mod:`~intelgame.sweep.cells` (the rows' cells and their CSV or JSON text) and
:mod:`~intelgame.sweep.summary` (the result, with each point's dominant equilibrium).

Examples
--------
>>> tuple(parse_grid("c=0:1:3").values)
(Fraction(0, 1), Fraction(1, 2), Fraction(1, 1))
"""

from intelgame.sweep.cells import FORMATS, Format, sweep_columns
from intelgame.sweep.grid import GridAxis, GridValue, parse_grid
from intelgame.sweep.run import MAX_POINTS, check_sweep, run_sweep
from intelgame.sweep.summary import (
           DOMINANT_DTYPE,
           DOMINANT_LABELS,
           INFORMATION_TOLERANCE,
           SweepSummary,
)

__all__ = ["DOMINANT_DTYPE", "DOMINANT_LABELS", "FORMATS", "INFORMATION_TOLERANCE", "MAX_POINTS", "Format",
           "GridAxis", "GridValue", "SweepSummary", "check_sweep", "parse_grid", "run_sweep", "sweep_columns"]

"""On-path plays: equilibria that differ only off the path.

Two equilibria of one game have the same *on-path play* when they have the same sender
strategy ranges and the same ranges of the on-path replies, in message order (outcome-equivalent
PBE; a continuum's ranges are those of its face). On-path plays are numbered per game from 0 in
order of first appearance. Ranges are compared exactly on exact results, and through
:func:`~intelgame.analysis.classify.canonical_values` (clusters of values within the
tolerance) on float results.

This is not the connected component of the PBE set
(:func:`~intelgame.analysis.components.connected_components`), nor the outcome
(:mod:`intelgame.analysis.outcomes`, which also merges relabelled messages).
"""

from __future__ import annotations

import numpy as np

from intelgame.analysis.classify import canonical_values
from intelgame.analysis.rows import result_table
from intelgame.geometry.vertices import distinct_rows
from intelgame.solvers.pbe.result import PBEResult
from intelgame.solvers.pbe.table import EquilibriumTable


def on_path_play_column(eqs: EquilibriumTable, tolerance: float) -> np.ndarray:
    """The on-path play index of each row of ``eqs`` among its point's rows: the index, among its
    point's distinct keys in order of first appearance, of the row's key (its sender ranges and
    the ranges of its on-path replies in message order; float keys equal as floats, so ``-0.0
    == 0.0``; object arrays of exact numbers compare exactly). 0 at a point with one row."""
    index = np.zeros(len(eqs), dtype=np.intp)
    shared = np.flatnonzero(np.bincount(eqs.point)[eqs.point] > 1)  # rows of points with several
    if not len(shared):
        return index
    rows, n_m = len(shared), eqs.on_path.shape[1]
    on = eqs.on_path[shared]
    n_on = on.sum(axis=1)
    order = np.argsort(~on, axis=1, kind="stable")  # the on-path messages first, in order
    replies = np.take_along_axis(eqs.receiver_range[shared], order[:, :, None, None], axis=1)
    replies = np.where((np.arange(n_m) < n_on[:, None])[:, :, None, None], replies, -1)
    point = eqs.point[shared]
    ranges = np.concatenate([eqs.sender_range[shared].reshape(rows, -1), replies.reshape(rows, -1)], axis=1)
    if ranges.dtype == object:  # exact numbers: each value by its rank among the distinct ones
        ranges = np.unique(ranges, return_inverse=True)[1].reshape(ranges.shape).astype(float)
        tolerance = 0
    ranges = canonical_values(ranges, tolerance)
    keys = np.concatenate([point[:, None].astype(float), n_on[:, None].astype(float), ranges], axis=1) + 0.0
    _, inverse = distinct_rows(keys)
    _, first_row, key = np.unique(inverse, return_index=True, return_inverse=True)  # keys by first row
    by_appearance = np.argsort(first_row)
    points = point[first_row[by_appearance]]  # non-decreasing
    within = np.empty(len(first_row), dtype=np.intp)
    within[by_appearance] = np.arange(len(first_row)) - np.searchsorted(points, points, side="left")
    index[shared] = within[key.reshape(-1)]
    return index


def on_path_plays(result: PBEResult) -> list[int]:
    """The on-path play index of each equilibrium of ``result`` (:func:`on_path_play_column` of its
    table, in the arithmetic of the solve)."""
    if len(result) == 1:
        return [0]
    return [int(k) for k in on_path_play_column(result_table(result)[0], result.tolerance)]

"""What a sweep returns: :class:`SweepSummary`, with the *dominant* (most informative)
equilibrium of every point, picked by :func:`dominant_equilibria` among the equilibria the
sweep keeps (all, or those of ``--refine`` and ``--select``: then the rule's pick).

The dominant equilibrium of a point is the one of highest mutual information between state
and report; ties within :data:`INFORMATION_TOLERANCE` go to the better label (truthful first,
babbling last), then to the first equilibrium.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from intelgame.errors import SpecError
from intelgame.games.grid import GRID_FILE
from intelgame.sweep.cells import PERSUASION_COLUMNS, Format
from intelgame.sweep.grid import GridAxis

Method = Literal["serial", "processes", "dask"]

#: The labels of :attr:`SweepSummary.dominant` ``["label"]``, by code: ``none`` where a point
#: has no equilibrium, then the primary quality labels of
#: :func:`~intelgame.analysis.quality.assess` (the last two when the spec has no
#: ``interpretation`` block).
DOMINANT_LABELS: tuple[str, ...] = ("none", "babbling", "noisy", "truthful", "partially revealing",
                                    "fully revealing")
#: Tie-break among equally informative equilibria (higher first): the label's rank.
LABEL_RANK = {"truthful": 5, "fully revealing": 4, "noisy": 3, "partially revealing": 2, "babbling": 1}
#: Two mutual informations within this many bits count as equal when picking the dominant PBE.
INFORMATION_TOLERANCE = 1e-9
#: The fields of :attr:`SweepSummary.dominant`.
DOMINANT_DTYPE = np.dtype([
    ("label", np.int8), ("count", np.int32), ("mutual_information_bits", np.float64),
    ("false_report_probability", np.float64), ("manipulation_probability", np.float64),
    ("mismatch_probability", np.float64),
])
#: The metrics of :attr:`SweepSummary.dominant` after its label and count.
DOMINANT_METRICS = ("mutual_information_bits", "false_report_probability", "manipulation_probability",
                    "mismatch_probability")
#: The fields of :attr:`SweepSummary.commitment`: the :data:`~intelgame.sweep.cells.PERSUASION_COLUMNS`.
COMMITMENT_DTYPE = np.dtype([(name, np.float64) for name in PERSUASION_COLUMNS])
#: :attr:`SweepSummary.dominant` at a point without equilibrium.
NO_EQUILIBRIUM = (0, 0, math.nan, math.nan, math.nan, math.nan)


@dataclass(frozen=True)
class SweepSummary:
    """What :func:`~intelgame.sweep.run.run_sweep` wrote and how, with the dominant
    equilibrium of every point.

    ``dominant`` has shape ``tuple(len(axis) for axis in axes)`` and the fields of
    :data:`DOMINANT_DTYPE`: the code of the primary quality label (in
    :data:`DOMINANT_LABELS`; ``0`` = no equilibrium), the number of equilibria, and the mutual
    information, false report (fabrication or concealment), manipulation and mismatch
    probabilities of the point's *most informative* equilibrium (see the module docstring).
    Metrics are ``nan`` where undefined. ``commitment`` (a sweep with ``persuade=True``;
    ``None`` otherwise) has the same shape and the fields of :data:`COMMITMENT_DTYPE` (floats,
    ``nan`` at a point without equilibrium).
    With ``criterion`` (``--refine``) only the survivors
    of that criterion count (``count`` is theirs, label ``none`` where none survives); with
    ``rule`` (``--select``) the dominant equilibrium is the one the rule picks.
    """

    path: Path
    points: int
    rows: int
    seconds: float
    axes: tuple[GridAxis, ...]
    columns: tuple[str, ...]
    spec_name: str
    exact: bool
    tolerance: float
    fmt: Format
    method: Method
    dominant: np.ndarray = field(repr=False, compare=False)
    commitment: np.ndarray | None = field(default=None, repr=False, compare=False)
    rule: str | None = None
    criterion: str | None = None

    def axis(self, name: str) -> GridAxis:
        """The axis of parameter ``name``."""
        for axis in self.axes:
            if axis.name == name:
                return axis
        raise SpecError(f"'{name}' is not a grid parameter of this sweep; the grid parameters are: "
                        f"{', '.join(a.name for a in self.axes)}", file=GRID_FILE, key=name)

    def plane(self, field_name: str, x: str, y: str) -> np.ndarray:
        """``dominant[field_name]`` (or ``commitment[field_name]``, one of
        :data:`COMMITMENT_DTYPE`'s fields) as a 2-D array indexed ``[y index, x index]``.

        Every other axis must have a single value.

        Raises
        ------
        SpecError
            When ``x`` or ``y`` is not an axis, ``x == y``, or another axis has several values.
        """
        names = [a.name for a in self.axes]
        ix, iy = names.index(self.axis(x).name), names.index(self.axis(y).name)
        if ix == iy:
            raise SpecError("the two axes of a plane must differ", file=GRID_FILE, key=x)
        for i, axis in enumerate(self.axes):
            if i not in (ix, iy) and len(axis) != 1:
                raise SpecError(f"the sweep also varies '{axis.name}' ({len(axis)} values); a plane "
                                "over two parameters needs every other axis fixed", file=GRID_FILE, key=axis.name)
        if self.commitment is not None and field_name in (COMMITMENT_DTYPE.names or ()):
            data = self.commitment[field_name]
        else:
            data = self.dominant[field_name]
        index = tuple(slice(None) if i in (ix, iy) else 0 for i in range(len(self.axes)))
        plane: np.ndarray = data[index]
        return plane.T if ix < iy else plane

    def labels(self) -> np.ndarray:
        """The dominant label of every point as strings (shape of ``dominant``)."""
        names: np.ndarray = np.asarray(DOMINANT_LABELS, dtype=object)[self.dominant["label"]]
        return names


def dominant_rows(point: np.ndarray, points: int, rank: np.ndarray,
                  information: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points of ``points`` that have equilibria, and the row of each one's most
    informative equilibrium (see the module docstring). Row ``r`` is at point ``point[r]``
    (non-decreasing), its label has rank ``rank[r]`` (:data:`LABEL_RANK`) and its mutual
    information is ``information[r]``."""
    counts = np.bincount(point, minlength=points)
    found = np.flatnonzero(counts)
    if not len(point):
        return found, found
    starts = (np.cumsum(counts) - counts)[found]
    top = np.maximum.reduceat(information, starts)[np.searchsorted(found, point)]
    order = np.lexsort((np.arange(len(point)), -rank, information < top - INFORMATION_TOLERANCE, point))
    return found, order[starts]  # each point's first after sorting


def dominant_equilibria(point: np.ndarray, points: int, label: np.ndarray, label_sets: Sequence[tuple[str, ...]],
                        metrics: Mapping[str, np.ndarray]) -> np.ndarray:
    """:data:`DOMINANT_DTYPE` of each of ``points`` points: its most informative equilibrium,
    or :data:`NO_EQUILIBRIUM`. Equilibrium ``r`` is at point ``point[r]`` (non-decreasing),
    has the labels ``label_sets[label[r]]`` and the metric ``metrics[name][r]`` (floats)."""
    dominant = np.zeros(points, dtype=DOMINANT_DTYPE)
    dominant[...] = NO_EQUILIBRIUM
    if not len(point):
        return dominant
    rank = np.array([LABEL_RANK.get(names[0], 0) for names in label_sets])[label]
    found, best = dominant_rows(point, points, rank, metrics["mutual_information_bits"])
    dominant["label"][found] = np.array([DOMINANT_LABELS.index(names[0]) for names in label_sets])[label[best]]
    dominant["count"][found] = np.bincount(point, minlength=points)[found]
    for name in DOMINANT_METRICS:
        dominant[name][found] = metrics[name][best]
    return dominant

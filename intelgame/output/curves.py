"""Threshold curves as a figure draws them, without matplotlib: a curve is a ``(label, function)``
pair mapping an array of one parameter's values to the other's; :func:`curve_samples` says where
:func:`intelgame.output.figures.phase_diagram` evaluates it, and :class:`SampledCurve` carries its
values there from the process that derived it (the symbolic analysis's closures do not pickle).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: Points at which a curve is evaluated along its axis.
CURVE_SAMPLES = 512

Curve = tuple[str, Callable[[np.ndarray], np.ndarray]]


def cell_edges(values: np.ndarray) -> np.ndarray:
    """Cell edges around sorted centres: midpoints inside, half a step outside."""
    if len(values) == 1:
        half = 0.5 if values[0] == 0 else abs(values[0]) / 2
        return np.array([values[0] - half, values[0] + half])
    mid = (values[:-1] + values[1:]) / 2
    return np.concatenate([[values[0] - (mid[0] - values[0])], mid, [values[-1] + (values[-1] - mid[-1])]])


def evaluate_curve(function: Callable[[np.ndarray], np.ndarray], points: np.ndarray) -> np.ndarray:
    """``function(points)`` as floats, with every non-finite value ``nan`` (left out of a plot)."""
    with np.errstate(all="ignore"):
        out = np.broadcast_to(np.asarray(function(points), dtype=float), points.shape).copy()
    out[~np.isfinite(out)] = np.nan
    return out


def curve_samples(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Where :func:`intelgame.output.figures.phase_diagram` evaluates a curve along an axis with grid ``values``: evenly
    over the span of the axis's cells."""
    edges = cell_edges(np.sort(np.asarray(values, dtype=float), kind="stable"))
    return np.linspace(edges[0], edges[-1], CURVE_SAMPLES)


@dataclass(frozen=True, eq=False)
class SampledCurve:
    """A curve given by its values at :func:`curve_samples` points (picklable, unlike the
    closures of the symbolic analysis; computed in another process): called on those points it
    returns the values, elsewhere it interpolates linearly (``nan`` outside or across gaps)."""

    points: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, function: Callable[[np.ndarray], np.ndarray], points: np.ndarray) -> SampledCurve:
        return cls(points, evaluate_curve(function, points))

    def __call__(self, points: np.ndarray) -> np.ndarray:
        points = np.asarray(points, dtype=float)
        if points.shape == self.points.shape and np.array_equal(points, self.points):
            return self.values
        return np.asarray(np.interp(points, self.points, self.values, left=np.nan, right=np.nan))

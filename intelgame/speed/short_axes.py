"""``all``, ``any``, ``max`` and ``min`` over short axes of long arrays, by elementwise steps.

numpy reduces an axis of length 2 of a ``(6000, 2, 2)`` array some 10-30 times slower than it
combines two ``(6000, 2)`` slices (its reduction loop pays a fixed cost per outer element),
and the batched solver and the sweep's analysis reduce such axes of every equilibrium or
game. :func:`every`, :func:`some`, :func:`largest` and :func:`least` combine the slices of the
reduced axes one by one with the same ufunc (:data:`numpy.logical_and`, ``logical_or``,
``maximum``, ``minimum``), so they return what ``numpy.all``, ``any``, ``max`` and ``min``
return (these reductions do not depend on the order, except for the sign of a zero where
``0.0`` and ``-0.0`` tie in ``max``/``min``, which numpy's own reduction may resolve
otherwise; NaN propagates as in ``max``/``min``). Over more than :data:`MAX_SLICES` slices, or
none, they call numpy's own reduction. Sums are not offered: their rounding depends on the
order.

>>> x = np.arange(12.0).reshape(3, 2, 2)
>>> largest(x, axis=2).tolist() == x.max(axis=2).tolist(), every(x > 0, axis=(1, 2)).tolist()
(True, [False, True, True])
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Above this many slices, numpy's reduction is used.
MAX_SLICES = 16


def _reduce(ufunc: Any, x: np.ndarray, axis: int | tuple[int, ...]) -> np.ndarray:
    axes = tuple(a % x.ndim for a in ((axis,) if isinstance(axis, int) else axis))
    reduced = tuple(x.shape[a] for a in axes)
    count = int(np.prod(reduced))
    if count == 0 or count > MAX_SLICES:
        return np.asarray(ufunc.reduce(x, axis=axes))
    moved = np.moveaxis(x, axes, tuple(range(len(axes))))
    slices = [moved[index] for index in np.ndindex(*reduced)]
    if count == 1:
        return np.array(slices[0])
    out = np.asarray(ufunc(slices[0], slices[1]))  # an array even when every axis is reduced
    for part in slices[2:]:
        ufunc(out, part, out=out)
    return np.asarray(out)


def every(x: np.ndarray, axis: int | tuple[int, ...]) -> np.ndarray:
    """``numpy.all(x, axis=axis)`` of a boolean array."""
    return _reduce(np.logical_and, x, axis)


def some(x: np.ndarray, axis: int | tuple[int, ...]) -> np.ndarray:
    """``numpy.any(x, axis=axis)`` of a boolean array."""
    return _reduce(np.logical_or, x, axis)


def largest(x: np.ndarray, axis: int | tuple[int, ...]) -> np.ndarray:
    """``numpy.max(x, axis=axis)``."""
    return _reduce(np.maximum, x, axis)


def least(x: np.ndarray, axis: int | tuple[int, ...]) -> np.ndarray:
    """``numpy.min(x, axis=axis)``."""
    return _reduce(np.minimum, x, axis)

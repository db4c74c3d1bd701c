"""The short-axis reductions equal numpy's own (NaN, -0.0, empty and long axes included; a zero's sign may
differ where 0.0 and -0.0 tie in max/min)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from intelgame.speed import short_axes as _short_axes


@settings(max_examples=200, deadline=None)
@given(shape=st.lists(st.integers(0, 5), min_size=1, max_size=4), data=st.data())
def test_equal_to_numpy(shape: list[int], data: st.DataObject) -> None:
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = rng.choice([-1.0, -0.0, 0.0, 0.5, 1.0, np.nan, np.inf], size=shape)
    axes = data.draw(st.lists(st.integers(0, len(shape) - 1), min_size=1, max_size=len(shape), unique=True))
    axis = axes[0] if len(axes) == 1 and data.draw(st.booleans()) else tuple(axes)
    for ours, theirs, values in ((_short_axes.every, np.all, x > 0), (_short_axes.some, np.any, x > 0),
                                 (_short_axes.largest, np.max, x), (_short_axes.least, np.min, x)):
        if values.size == 0 and theirs in (np.max, np.min) and 0 in [shape[a] for a in axes]:
            continue  # numpy refuses an empty max/min
        expected = theirs(values, axis=axis)
        got = ours(values, axis)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        assert np.array_equal(got, expected, equal_nan=values.dtype != bool)


def test_long_axes_use_numpy() -> None:
    x = np.arange(40.0).reshape(2, 20)
    assert _short_axes.largest(x, 1).tolist() == [19.0, 39.0]
    assert _short_axes.every(x > 0, (0, 1)).item() is False

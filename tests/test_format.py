"""``format_floats`` is ``format_number`` in float mode, value by value (``None`` for NaN)."""

from __future__ import annotations

import math
import random

from hypothesis import given
from hypothesis import strategies as st

from intelgame.output.numbers import float_texts, format_floats, format_number

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.1 + 0.2, 1 / 3, 1e-300, 5e-324, -5e-324, 1e300, 123456789012.5, 0.999999999999951,
           1.0000000000004, math.inf, -math.inf, math.nan]


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and repr(a) == repr(b)  # repr: -0.0 differs from 0.0


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=50))
def test_equals_format_number(values: list[float]) -> None:
    values = values + SPECIAL + [random.Random(len(values)).uniform(-1, 1)]
    expected = [None if math.isnan(x) else format_number(x, False) for x in values]
    assert all(_same(a, b) for a, b in zip(format_floats(values), expected))


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=50))
def test_float_texts_are_the_repr_of_format_number(values: list[float]) -> None:
    rng = random.Random(len(values))
    values = values + SPECIAL + [rng.uniform(-1, 1) * 10 ** rng.randint(-20, 20) for _ in range(200)]
    values += [float(f"{rng.randint(1, 10**12)}e{rng.randint(-20, 20)}") for _ in range(200)]  # 12-digit decimals
    assert float_texts(values) == [repr(format_number(x, False)) for x in values]

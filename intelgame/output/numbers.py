"""One rule for writing numbers into JSON-ready output, shared by every JSON document (:mod:`intelgame.output.documents`).

* exact mode: a rational becomes the string ``"p/q"``, or a plain ``int`` when its denominator
  is 1 (``Fraction(1, 3) -> "1/3"``, ``Fraction(2) -> 2``);
* float mode: a rational or a float becomes a float rounded to 12 significant digits
  (``0.1 + 0.2 -> 0.3``), an integer-valued rational an ``int``;
* integers stay integers in both modes, and a float stays a (rounded) float even in exact mode,
  since its exact binary value is not what the user asked for.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from collections.abc import Iterable
from typing import Any

#: Significant digits kept when a float is written out.
SIGNIFICANT_DIGITS = 12
_FLOAT_FORMAT = f"%.{SIGNIFICANT_DIGITS}g"

JSONNumber = int | float | str


def format_number(x: Any, exact: bool) -> JSONNumber:
    """A JSON-ready form of the number ``x`` (see the module docstring).

    Examples
    --------
    >>> format_number(Fraction(1, 3), exact=True), format_number(Fraction(4, 2), exact=True)
    ('1/3', 2)
    >>> format_number(Fraction(1, 3), exact=False), format_number(0.1 + 0.2, exact=False)
    (0.333333333333, 0.3)
    >>> format_number(3, exact=False)
    3
    """
    if type(x) is not float:  # the solvers' own number types first, without abstract-class checks
        if type(x) is int:
            return x
        q = x if type(x) is Fraction else _rational(x)
        if q is None:
            x = float(x)
        elif q.denominator == 1:
            return q.numerator
        elif exact:
            return f"{q.numerator}/{q.denominator}"
        else:
            x = q.numerator / q.denominator
    if x == 0 or x == 1:  # the commonest probabilities, already round (and -0.0 becomes 0.0)
        return 1.0 if x else 0.0
    rounded = float(_FLOAT_FORMAT % x)  # to SIGNIFICANT_DIGITS significant digits
    return rounded if rounded != 0 else 0.0


def format_floats(values: Iterable[float]) -> list[float | None]:
    """:func:`format_number` of each float of ``values`` in float mode, ``None`` for NaN: the
    same rule (12 significant digits, ``-0.0`` to ``0.0``) in one comprehension, since a call
    per value costs as much as the formatting (a sweep formats thousands).

    >>> format_floats([0.1 + 0.2, -0.0, float("nan"), 1 / 3])
    [0.3, 0.0, None, 0.333333333333]
    """
    return [None if x != x else float(_FLOAT_FORMAT % x) or 0.0 for x in values]


def float_texts(values: Iterable[float]) -> list[str]:
    """``repr(format_number(x, False))`` of each float: the text a CSV writer gives the
    formatted number, without formatting it twice. ``'%.12g' % x`` has the digits of that
    ``repr`` (a decimal of at most 15 significant digits is the shortest one that reads back as
    its float, subnormals aside), so it is used as it is where the two notations agree: a
    fraction without exponent, or an exponent from -5 to -99. Elsewhere (whole numbers,
    exponents from 12 to 15 or below -99, zero, infinities, NaN) the number is formatted again.

    >>> float_texts([1 / 3, 2.0, 1.5e-7, 1e13 / 3, -0.0])
    ['0.333333333333', '2.0', '1.5e-07', '3333333333330.0', '0.0']
    """
    texts = [_FLOAT_FORMAT % x for x in values]
    return [s if ("." in s and "e" not in s) or s[-4:-2] == "e-" else repr(float(s) or 0.0) for s in texts]


def _rational(x: Any) -> Fraction | None:
    """``x`` as a ``Fraction`` in lowest terms if it is rational, ``None`` if it is another real.

    Raises
    ------
    TypeError
        When ``x`` is not a real number, or is a ``bool``.
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"format_number expects a real number, got {x!r}")
    if isinstance(x, numbers.Rational):  # integers included
        return Fraction(int(x.numerator), int(x.denominator))
    return None

"""The interval test of a support profile: each sender type alone, defined once for one game
and for a batch.

If the receiver mixes with support exactly :math:`B_m` after :math:`m`, type :math:`t`'s payoff
from :math:`m`, :math:`U_S(t,m,\\rho_m) = \\sum_a \\rho(a|m) u_S(t,m,a)`, ranges over the open
interval :math:`(\\min_{a \\in B_m} u_S(t,m,a), \\max_{a \\in B_m} u_S(t,m,a))` (the point when
the two ends are equal). In a PBE, type :math:`t`'s equilibrium payoff :math:`v_t` lies in the
interval of every message it sends and is at least a point of every other message's
interval: :math:`v_t > \\min` (:math:`\\ge` when the interval is a point). Those are the
:math:`\\rho`-face's constraints on type :math:`t` alone with :math:`\\rho` free message by
message, so a profile whose intervals do not meet for some type has no PBE.

The tests compare payoffs only, so they run on each payoff's *rank* among the game's sender
payoffs (:func:`payoff_ranks`). The interval algebra (:func:`meet`, :func:`nonempty`) is
written once, branch-free, for Python integers (one game, depth first) and for numpy arrays
(a batch, one entry per game).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from intelgame.errors import Uncertain
from intelgame.geometry.faces import ZERO_FLOOR, grey
from intelgame.speed.short_axes import some

#: A closed interval ``(L, H)`` of *doubled* payoff ranks: a rank ``r`` is ``2r``, just above it
#: ``2r + 1``, just below ``2r - 1`` (payoffs between two ranks exist, so an open end is the
#: closed doubled end beside it). Ints for one game, (N,) arrays (or scalars) for a batch.
Interval = tuple[Any, Any]
#: Above every doubled rank.
INF = 1 << 62
#: The whole line: what a type's payoff may be before any message constrains it.
UNLIMITED: Interval = (-1, INF)


def payoff_ranks(values: np.ndarray, *, exact: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each value's rank among its row's distinct values (rows: games, ``(N, F)``), and which
    rows are uncertain. Exactly (``exact``, fractions or integers), equal values share a rank;
    in floats, sorted values within :data:`~intelgame.geometry.faces.ZERO_FLOOR` of each other
    do, and a gap in the filter's band makes the row uncertain (its game must be solved exactly)."""
    order = np.argsort(values, axis=1, kind="stable")
    gaps = np.diff(np.take_along_axis(values, order, axis=1), axis=1)
    if exact:
        steps, uncertain = gaps != 0, np.zeros(len(values), dtype=bool)
    else:
        steps, uncertain = np.abs(gaps) > ZERO_FLOOR, some(grey(gaps), axis=1)
    ranks = np.empty(values.shape, dtype=np.intp)
    np.put_along_axis(ranks, order, np.concatenate([np.zeros((len(values), 1), dtype=np.intp),
                                                   np.cumsum(steps, axis=1)], axis=1), axis=1)
    return ranks, np.asarray(uncertain)


def game_ranks(values: Sequence[Any], *, exact: bool) -> list[int]:
    """:func:`payoff_ranks` of one game's flat sender payoffs, raising
    :class:`~intelgame.errors.Uncertain` where the batch would mark the game uncertain."""
    ranks, uncertain = payoff_ranks(np.array([values], dtype=object if exact else float), exact=exact)
    if uncertain[0]:
        raise Uncertain("sender payoffs closer than the filter's band")
    return [int(r) for r in ranks[0].tolist()]


def message_interval(low: Any, high: Any, sends: bool) -> Interval:
    """What type ``t`` needs of its payoff if its payoffs from ``m`` under the receiver's support
    have ranks from ``low`` to ``high``: the interval itself if ``t`` sends ``m`` (open, or the
    point when ``low == high``), and ``(low, inf)`` (``[low, inf)`` for a point) if it does not;
    in doubled ranks. ``low``, ``high``: ints, or (N,) arrays for a batch."""
    point = low == high  # bool or bool array: 1 where the ends are closed
    return 2 * low + 1 - point, (2 * high - 1 + point) if sends else INF


def meet(a: Interval, b: Interval, maximum: Callable[[Any, Any], Any] = max,
         minimum: Callable[[Any, Any], Any] = min) -> Interval:
    """The intersection of two intervals (``maximum``/``minimum``: ``numpy.maximum`` and
    ``numpy.minimum`` for a batch)."""
    return maximum(a[0], b[0]), minimum(a[1], b[1])


def nonempty(interval: Interval) -> Any:
    """Whether the interval holds a point (a bool array for a batch)."""
    return interval[0] <= interval[1]


def meet_all(intervals: Sequence[Interval], start: Interval = UNLIMITED) -> Interval | None:
    """The intersection of ``start`` and ``intervals`` (one game), or ``None`` once it is empty."""
    for interval in intervals:
        start = meet(start, interval)
        if not nonempty(start):
            return None
    return start

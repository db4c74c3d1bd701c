"""Support enumeration's one combinatorial primitive, shared by the PBE and Nash solvers."""

from __future__ import annotations

import itertools


def subsets(n: int) -> list[tuple[int, ...]]:
    """Non-empty subsets of ``range(n)``, smallest first, each in increasing order.

    >>> subsets(3)
    [(0,), (1,), (2,), (0, 1), (0, 2), (1, 2), (0, 1, 2)]
    """
    return [c for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]

"""Threshold curves :math:`x = f(y)` over two parameters, for a phase diagram."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import sympy

from intelgame.symbolic.atlas import _model
from intelgame.symbolic.budget import budget, check_entries
from intelgame.symbolic.profiles import _entries
from intelgame.symbolic.elimination import _envelope
from intelgame.symbolic.scan import _Scan
from intelgame.spec.model import Spec


def threshold_curves(spec: Spec, x: str, y: str, *, at: Mapping[str, Any] | None = None,
                     truthful_only: bool = False,
                     max_work: int | None = None) -> list[tuple[str, Callable[[np.ndarray], np.ndarray]]]:
    """Threshold curves ``x = f(y)`` for a phase diagram over ``(x, y)``.

    Each threshold in ``x`` (others at the calibration ``at``, ``y`` kept symbolic) whose
    closed form depends on no parameter but ``y`` becomes a vectorised function of ``y``
    (``truthful_only``: only where a truthful PBE appears), labelled by what appears there.
    A closed form ``Max`` (``Min``) of several bounds is evaluated as the maximum (minimum) of
    their values, without building (and simplifying) the ``sympy`` expression. ``max_work``
    bounds the derivation as for :func:`~intelgame.symbolic.thresholds`.
    """
    model = _model(spec, [y], at, None, ensure=(x,))
    with budget(max_work, model.game):
        check_entries((*model.game.prior, *_entries(model.game)), max_work, model.game)
        scan = _Scan(model, x, None, None)
        return _curves(scan, model.symbols[y], x, y, truthful_only)


def _curves(scan: _Scan, symbol: sympy.Symbol, x: str, y: str,
            truthful_only: bool) -> list[tuple[str, Callable[[np.ndarray], np.ndarray]]]:
    """The curves of :func:`threshold_curves` from the scan along ``x``."""
    curves: list[tuple[str, Callable[[np.ndarray], np.ndarray]]] = []
    for change in scan.changes():
        appears = [scan.labels[p] for p in change.appears]
        truthful = any(a.startswith("separating (truthful)") for a in appears)
        if truthful_only and not truthful:
            continue
        closed = scan.closed_bounds(change)
        upper = closed is not None and closed[1]
        if closed is not None and len(closed[0]) > 1:
            pieces = [b for b, _ in closed[0]]
        elif closed is not None:
            pieces = [_envelope(closed[0], upper=upper)]
        else:
            candidates = scan.expressions(change)
            if not candidates:
                continue
            pieces = [min(candidates, key=sympy.count_ops)]
        if any(s.name != y for e in pieces for s in e.free_symbols):
            continue
        named = appears or [scan.labels[p] for p in change.disappears] or [""]
        label = f"{x}*({y})" if truthful else f"{x} threshold: {named[0].split(' [')[0]}"
        curves.append((label, _vectorised(pieces, symbol, upper=upper)))
    return curves


def _vectorised(pieces: Sequence[sympy.Expr], symbol: sympy.Symbol, *,
                upper: bool) -> Callable[[np.ndarray], np.ndarray]:
    """The pointwise minimum (``upper``) or maximum of ``pieces`` (one piece: that piece) as a
    function of an array of values of ``symbol`` (an array of the same shape).

    The module object is given to ``lambdify`` rather than the name ``"numpy"``: the printed
    code is the same, without the ``from numpy import *`` that imports numpy's lazy submodules.
    """
    fn = sympy.lambdify([symbol], list(pieces), modules=[np])
    combine = np.minimum if upper else np.maximum

    def curve(values: np.ndarray) -> np.ndarray:
        arrays = [np.asarray(v, dtype=float) * np.ones_like(values) for v in fn(values)]
        result: np.ndarray = functools.reduce(combine, arrays)
        return result

    return curve

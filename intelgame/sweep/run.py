"""A parameter sweep from request to file: :func:`run_sweep`.

The request is checked, the grid cut into contiguous chunks of points
(:func:`~intelgame.sweep.executors.chunk_size`), each chunk solved where it runs
(:func:`~intelgame.sweep.chunk.solve_chunk`), and the chunks' rows written in grid order to a
temporary file in the output folder, renamed to ``sweep.csv`` (or ``sweep.jsonl``) only once
the sweep is complete: an interrupted run never leaves a half-written result, and memory does
not grow with the number of rows. The grid is never materialised: its axes compute their values
when read and each chunk reads only its own points, so what the sweep holds is a few chunks and
the summary's :data:`~intelgame.sweep.summary.DOMINANT_DTYPE` record per point (41 bytes), which
:data:`MAX_POINTS` bounds before any work starts.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from intelgame.analysis.selection import parse_criterion, parse_rule
from intelgame.errors import SolverError, SpecError, WorkLimitExceeded
from intelgame.games.grid import GRID_FILE
from intelgame.geometry.faces import FLOAT_TOLERANCE
from intelgame.output.files import atomic_file, new_folder
from intelgame.solvers.pbe.enumeration import upfront_detail, upfront_work
from intelgame.spec.expressions import Expression
from intelgame.spec.model import SignallingSpec, Spec
from intelgame.spec.parameters import unknown_parameter
from intelgame.sweep.cells import FORMATS, Format, check_columns, render_rows, sweep_columns
from intelgame.sweep.chunk import Failure, Task, solve_chunk
from intelgame.sweep.executors import chunk_size, run_in_order
from intelgame.sweep.grid import GridAxis
from intelgame.sweep.summary import COMMITMENT_DTYPE, DOMINANT_DTYPE, Method, SweepSummary

#: Permissions of the data file (``mkstemp`` creates 0600).
FILE_MODE = 0o644
#: Grid points a sweep accepts by default (the CLI's ``--max-points``): 4 MB of summary, and
#: about 10 s of solving for the paper's 2 x 2 x 2 model (a million points: 100 s, 760 MB of JSON lines).
MAX_POINTS = 10**5


def check_sweep(spec: Spec, axes: Sequence[GridAxis], overrides: Mapping[str, Expression], *,
                workers: int = 1, fmt: str = "csv", max_points: int = MAX_POINTS,
                max_work: int | None = None, select: str | None = None,
                refine: str | None = None, outcomes: bool = False, exact: bool = False) -> SignallingSpec:
    """The checks :func:`run_sweep` makes before any work (see its ``Raises``), for a caller that
    starts other work beside the sweep; the spec as a signalling spec."""
    if select is not None:
        parse_rule(select)
    if refine is not None:
        parse_criterion(refine)
    if not isinstance(spec, SignallingSpec):
        raise SpecError(f"a sweep needs a signalling spec, found kind '{spec.kind}'", file=spec.path, key="kind")
    if not axes:
        raise SpecError("a sweep needs at least one grid axis (NAME=START:STOP:COUNT)", file=GRID_FILE)
    seen: set[str] = set()
    for axis in axes:
        if axis.name not in spec.parameters:
            raise SpecError(unknown_parameter(axis.name, spec.parameters, where="in the grid"),
                            file=GRID_FILE, key=axis.name)
        if axis.name in seen:
            raise SpecError(f"parameter '{axis.name}' has two grid axes", file=GRID_FILE, key=axis.name)
        if axis.name in overrides:
            raise SpecError(f"parameter '{axis.name}' is both set (--set) and swept (--grid)",
                            file=GRID_FILE, key=axis.name)
        seen.add(axis.name)
    if fmt not in FORMATS:
        raise SpecError(f"unknown output format '{fmt}'; expected one of: {', '.join(FORMATS)}", file="--format")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise SolverError(f"workers must be a whole number >= 1, found {workers!r}")
    points = math.prod(len(a) for a in axes)
    if points > max_points:
        shape = " x ".join(f"{len(a)} ({a.name})" for a in axes)
        raise SpecError(f"the grid has {points:,} points ({shape}), more than the limit of {max_points:,}; "
                        "raise it with --max-points, or use fewer values", file=GRID_FILE)
    least = upfront_work(sweep_shape(spec), exact)  # what the batch charges a point before its search
    if max_work is not None and points * least > max_work:
        raise WorkLimitExceeded(points * least, max_work,
                                SimpleNamespace(name=spec.name, shape=sweep_shape(spec)), before=True, points=points,
                                detail="" if exact else upfront_detail(sweep_shape(spec)))
    check_columns(spec, axes, outcomes)
    return spec


def sweep_shape(spec: SignallingSpec) -> tuple[int, int, int]:
    """``(T, M, A)`` of the games of ``spec`` (the same at every point)."""
    return len(spec.types), len(spec.messages), len(spec.actions)


def run_sweep(
    spec: Spec,
    grids: Sequence[GridAxis],
    out_dir: Path,
    *,
    overrides: Mapping[str, Expression] | None = None,
    exact: bool = False,
    tolerance: float = FLOAT_TOLERANCE,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    fmt: Format = "csv",
    max_points: int = MAX_POINTS,
    persuade: bool = False,
    max_work: int | None = None,
    refinements: bool = False,
    select: str | None = None,
    refine: str | None = None,
    outcomes: bool = False,
) -> SweepSummary:
    """Solve ``spec`` at every point of the grid and write one tidy row per equilibrium.

    Parameters
    ----------
    spec:
        A signalling spec.
    grids:
        The axes; the points are their cartesian product (last axis fastest).
    out_dir:
        Folder of the data file ``sweep.csv`` / ``sweep.jsonl`` (created if missing; an
        existing file is replaced only when the sweep completes).
    overrides:
        Fixed parameter values (``--set``); a parameter may not be both set and swept.
    exact:
        Exact numbers in the file (the float sweep has the same equilibria: its decisions are
        certified, and a point where one is not is solved exactly).
    tolerance:
        The tolerance with which float results are read (classification, labels, on-path plays):
        their probabilities are certified, so this decides nothing about which equilibria exist.
    workers:
        Local processes; ``1`` solves in this process. The pool starts its processes with
        ``forkserver`` (``spawn`` where that is missing), never ``fork``, so a script calling
        this with ``workers > 1`` needs the usual ``if __name__ == "__main__":`` guard.
    scheduler:
        Address of a Dask distributed scheduler (needs ``pip install intelgame[dist]`` and
        intelgame on the workers); overrides ``workers``.
    progress:
        Called as ``progress(points_done, points_total)`` as chunks complete.
    fmt:
        ``"csv"`` or ``"jsonl"``.
    max_points:
        The largest grid accepted (checked before any work; memory grows with it by the
        summary's 41 bytes a point).
    persuade:
        Also the commitment benchmark at every point
        (:func:`~intelgame.analysis.persuasion.compare`): the
        :data:`~intelgame.sweep.cells.PERSUASION_COLUMNS` end each row, and the summary's
        ``commitment`` holds them per point (80 bytes more a point).
    max_work:
        The work budget of the whole sweep, in tableau entries (``None``: none): refused before
        any work when the points times each point's least work
        (:func:`~intelgame.solvers.pbe.enumeration.upfront_work`) exceed it, and stopped, with no
        file written, once the work done passes it (see
        :class:`~intelgame.solvers.pbe.enumeration.WorkBudget`; the outcome does not depend on
        ``workers``).
    refinements:
        Judge every equilibrium by every criterion of
        :mod:`~intelgame.analysis.divinity` and add the columns ``passes[d1]``, ``passes[d2]``,
        ``passes[universal_divinity]`` and ``passes[nwbr]`` (whether the row's equilibrium
        outcome survives; the Intuitive Criterion's is ``intuitive_criterion``). Implied by
        ``select`` and ``refine``.
    select:
        A selection rule (:mod:`~intelgame.analysis.selection`, e.g. ``receiver_optimal:d1``):
        only the equilibrium it picks at each point is written (the point's row is the empty
        one when it picks none), and it is the point's dominant equilibrium.
    refine:
        A criterion: only the equilibria surviving it are written (before ``select`` picks),
        and the dominant equilibrium is the most informative survivor. With ``select`` or
        ``refine``, ``equilibrium`` and ``count`` number the equilibria kept, as
        ``intelgame solve --select/--refine`` lists them.
    outcomes:
        Add the columns ``outcome`` and ``outcomes``, last: the index of the row's outcome
        (:mod:`~intelgame.analysis.outcomes`: the joint distribution of type and action) among
        its point's, in order of first appearance, and the number of outcomes at the point, as
        ``intelgame solve --json`` gives them there (with ``select``/``refine``, among the rows
        kept). Decided exactly on each point's faces (their vertices enumerated in rationals,
        each polytope charged to ``max_work`` as a search step), in float and exact sweeps alike.

    Returns
    -------
    SweepSummary
        The file's path and size, timing, provenance and the dominant equilibrium of each point.

    Raises
    ------
    SpecError
        On an unknown, repeated or also-``--set`` grid parameter, an unknown format, a spec
        that is not a signalling game, a grid of more than ``max_points`` points, two columns
        of the same name (:func:`~intelgame.sweep.cells.check_columns`), or a point where the
        spec cannot be evaluated (the message names the point).
    SolverError
        On a bad ``workers`` value, a missing Dask, or a point the solver cannot handle;
        :class:`~intelgame.errors.WorkLimitExceeded` beyond ``max_work``.
    """
    started = time.perf_counter()
    overrides = dict(overrides or {})
    axes = tuple(grids)
    signalling = check_sweep(spec, axes, overrides, workers=workers, fmt=fmt, max_points=max_points,
                             max_work=max_work, select=select, refine=refine, outcomes=outcomes, exact=exact)
    shape = tuple(len(a) for a in axes)
    points = math.prod(shape)
    rule = None if select is None else parse_rule(select)
    criterion = None if refine is None else parse_criterion(refine)
    judged = refinements or rule is not None or criterion is not None
    columns = sweep_columns(signalling, axes, persuade=persuade, verdicts=judged, outcomes=outcomes)
    dominant = np.zeros(points, dtype=DOMINANT_DTYPE)
    commitment = np.zeros(points, dtype=COMMITMENT_DTYPE) if persuade else None
    method: Method = "dask" if scheduler is not None else "processes" if workers > 1 else "serial"

    work = 0  # done by the chunks received so far; a chunk cut now is given what remains

    def tasks(parallelism: int) -> Iterator[Task]:
        size = chunk_size(points, parallelism, exact or persuade or outcomes)  # these: milliseconds a point
        for start in range(0, points, size):
            yield Task(signalling, axes, overrides, exact, float(tolerance), start, min(start + size, points), fmt,
                       persuade=persuade, max_work=max_work, work_before=work, verdicts=judged,
                       rule=rule, criterion=criterion, outcomes=outcomes)

    out_dir = Path(out_dir)
    path = out_dir / f"sweep.{fmt}"
    rows = 0
    with new_folder(out_dir), atomic_file(path, permissions=FILE_MODE, newline="") as handle:
        if fmt == "csv":
            handle.write(render_rows([columns], columns, fmt))
        done = 0
        if progress is not None:
            progress(0, points)
        with contextlib.closing(run_in_order(solve_chunk, tasks, method, workers, scheduler)) as chunks:
            for chunk in chunks:
                if isinstance(chunk, Failure):
                    raise chunk.exception()
                work += chunk.work
                if max_work is not None and work > max_work:  # chunks run side by side: their sum
                    raise WorkLimitExceeded(work, max_work, SimpleNamespace(name=signalling.name,
                                                                             shape=sweep_shape(signalling)),
                                            scope="the sweep")
                handle.write(chunk.text)
                rows += chunk.rows
                dominant[done:done + len(chunk.dominant)] = chunk.dominant
                if commitment is not None and chunk.commitment is not None:
                    commitment[done:done + len(chunk.dominant)] = chunk.commitment
                done += len(chunk.dominant)
                if progress is not None:
                    progress(done, points)
    return SweepSummary(path=path, points=points, rows=rows, seconds=time.perf_counter() - started,
                        axes=axes, columns=columns, spec_name=signalling.name, exact=exact,
                        tolerance=0.0 if exact else float(tolerance), fmt=fmt, method=method,
                        dominant=dominant.reshape(shape),
                        commitment=None if commitment is None else commitment.reshape(shape),
                        rule=select, criterion=refine)

"""Quantities of a sweep drawn for a paper: comparative statics and heat maps.

Both figures take the rows of a sweep as :func:`~intelgame.output.frames.read_sweep` returns
them (one row per equilibrium and point; a point without equilibrium has one row with an empty
``equilibrium``) and any numeric column of them (:func:`plottable_columns`):

* :func:`quantity_lines`: each column against one grid parameter, one panel per column. A
  column with one value per point (``count``) is a line; otherwise every equilibrium's value is
  a marker coloured by its quality label (the colours of the phase diagram) and a line follows
  the point's most informative equilibrium (the one the phase diagram shows, picked by
  :func:`~intelgame.sweep.summary.dominant_rows`);
* :func:`quantity_map`: one column over two grid parameters as a heat map, the value of each
  point's most informative equilibrium (grey where it has none or the value is undefined).

Legends list only the labels that appear, outside the axes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from intelgame.errors import SpecError
from intelgame.games.grid import GRID_FILE
from intelgame.output.curves import cell_edges
from intelgame.output.figures import LABEL_COLOURS, LEGEND_ORDER, STYLE, save_figure
from intelgame.sweep.summary import LABEL_RANK, dominant_rows

if TYPE_CHECKING:
    import pandas

#: Columns of a sweep that are text, not numbers (not plottable).
TEXT_COLUMNS = ("classification", "quality", "labels")
#: Legend entry of the line through the most informative equilibria.
DOMINANT_ENTRY = "most informative PBE"


def plottable_columns(columns: Sequence[str], axes: Sequence[str]) -> list[str]:
    """The columns of a sweep (names ``columns``, grid parameters ``axes``) that can be drawn."""
    return [c for c in columns if c not in TEXT_COLUMNS and c not in axes]


def figure_name(prefix: str, column: str, fmt: str) -> str:
    """A file name for the figure of ``column``: ``map_sigma_threat_warn.png`` for
    ``sigma[threat][warn]`` (characters other than letters, digits, ``-`` and ``_`` become ``_``)."""
    stem = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_-]", "_", column)).strip("_") or "column"
    return f"{prefix}_{stem}.{fmt}"


def check_plot_columns(wanted: Sequence[str], columns: Sequence[str], axes: Sequence[str]) -> None:
    """Refuse a ``--plot`` column that the sweep does not have or that is not numeric.

    Raises
    ------
    SpecError
        Naming the column and listing those that can be drawn.
    """
    allowed = plottable_columns(columns, axes)
    for column in wanted:
        if column not in allowed:
            what = "is not a number" if column in columns else "is not a column of this sweep"
            raise SpecError(f"'{column}' {what}; the columns that can be plotted are: {', '.join(allowed)}",
                            file="--plot", key=column)


def _grid(frame: pandas.DataFrame, axes: Sequence[str]) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The sorted values of each axis, the flat point index of each row that is an equilibrium,
    and those rows' positions in ``frame`` (ordered by point, then by row)."""
    values = [np.unique(frame[a].to_numpy(dtype=float)) for a in axes]
    rows = np.flatnonzero(frame["equilibrium"].notna().to_numpy())
    index = tuple(np.searchsorted(v, frame[a].to_numpy(dtype=float)[rows]) for v, a in zip(values, axes))
    point = np.ravel_multi_index(index, tuple(len(v) for v in values)) if len(rows) else np.zeros(0, dtype=np.intp)
    order = np.argsort(point, kind="stable")
    return values, point[order], rows[order]


def _dominant(frame: pandas.DataFrame, points: int, point: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points with equilibria and the frame position of each one's most informative row."""
    quality = frame["quality"].astype(object).to_numpy()[rows]
    rank = np.array([LABEL_RANK.get(str(q), 0) for q in quality], dtype=np.int64)
    information = np.nan_to_num(frame["mutual_information_bits"].to_numpy(dtype=float)[rows], nan=-np.inf)
    found, best = dominant_rows(point, points, rank, information)
    return found, rows[best]


def dominant_values(frame: pandas.DataFrame, axes: Sequence[str], column: str) -> tuple[list[np.ndarray], np.ndarray]:
    """The sorted values of each of ``axes`` and ``column`` of each point's most informative
    equilibrium, indexed ``[index along axes[0], index along axes[1], ...]`` (``nan`` at a point
    without equilibrium)."""
    values, point, rows = _grid(frame, axes)
    shape = tuple(len(v) for v in values)
    found, best = _dominant(frame, int(np.prod(shape)), point, rows)
    flat = np.full(int(np.prod(shape)), np.nan)
    flat[found] = _numbers(frame, column)[best]
    return values, flat.reshape(shape)


def _numbers(frame: pandas.DataFrame, column: str) -> np.ndarray:
    return np.asarray(frame[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan), dtype=float)


def quantity_lines(frame: pandas.DataFrame, x: str, columns: Sequence[str], path: Path, *,
                   xlabel: str | None = None, title: str = "") -> Path:
    """Draw each of ``columns`` against the grid parameter ``x`` (module docstring), one panel
    per column sharing the horizontal axis, and write the figure at ``path`` (PNG, SVG or PDF
    by suffix)."""
    values, point, rows = _grid(frame, [x])
    xs = values[0]
    found, best = _dominant(frame, len(xs), point, rows)
    quality = frame["quality"].astype(object).to_numpy()
    present = [q for q in LEGEND_ORDER if q in set(quality[rows])]
    with matplotlib.rc_context(cast(Any, STYLE)):
        figure = Figure(figsize=(7.5, 1.0 + 2.6 * len(columns)), layout="constrained")
        panels = figure.subplots(len(columns), 1, sharex=True, squeeze=False)[:, 0]
        handles: dict[str, Any] = {}
        for ax, column in zip(panels, columns):
            y = _numbers(frame, column)
            per_point = np.full(len(xs), np.nan)
            per_point[found] = y[best]
            each = y[rows]
            if np.allclose(each, per_point[point], equal_nan=True):  # one value per point
                ax.plot(xs, per_point, color="black", linewidth=1.8, marker="o" if len(xs) <= 60 else None,
                        markersize=3)
            else:
                for label in present:
                    mine = quality[rows] == label
                    handles[label] = ax.scatter(xs[point[mine]], each[mine], s=14, color=LABEL_COLOURS[label],
                                                edgecolors="#333333", linewidths=0.4, alpha=0.8, zorder=2, label=label)
                (handles[DOMINANT_ENTRY],) = ax.plot(xs, per_point, color="black", linewidth=1.5, zorder=3,
                                                     label=DOMINANT_ENTRY)
            ax.set_ylabel(column)
            ax.grid(True, alpha=0.3)
        panels[-1].set_xlabel(x if xlabel is None else xlabel)
        if len(xs) > 1:
            panels[-1].set_xlim(xs[0], xs[-1])
        if title:
            panels[0].set_title(title)
        if handles:
            panels[0].legend(handles=[handles[k] for k in [*present, DOMINANT_ENTRY] if k in handles],
                             title="equilibria", loc="upper left", bbox_to_anchor=(1.02, 1.0),
                             borderaxespad=0.0, frameon=False)
        return save_figure(figure, path)


def quantity_map(frame: pandas.DataFrame, x: str, y: str, column: str, path: Path, *,
                 xlabel: str | None = None, ylabel: str | None = None, title: str = "") -> Path:
    """Draw ``column`` of each point's most informative equilibrium over the grid parameters
    ``x`` (horizontal) and ``y`` as a heat map, and write it at ``path`` (PNG, SVG or PDF).

    Raises
    ------
    SpecError
        When ``x`` and ``y`` are the same parameter.
    """
    if x == y:
        raise SpecError("the two axes of a heat map must differ", file=GRID_FILE, key=x)
    (ys, xs), grid = dominant_values(frame, [y, x], column)
    with matplotlib.rc_context(cast(Any, STYLE)):
        figure = Figure(figsize=(7.5, 5.0), layout="constrained")
        ax = figure.add_subplot()
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#BBBBBB")
        mesh = ax.pcolormesh(cell_edges(xs), cell_edges(ys), np.ma.masked_invalid(grid),
                             cmap=cmap, shading="flat", edgecolors="face")
        bar = figure.colorbar(mesh, ax=ax)
        bar.set_label(f"{column}\n({DOMINANT_ENTRY})")
        if np.isnan(grid).any():
            ax.legend(handles=[Line2D([], [], linestyle="", marker="s", markersize=10, color="#BBBBBB",
                                      label="no equilibrium or undefined")],
                      loc="upper left", bbox_to_anchor=(0.0, -0.12), frameon=False)
        ax.set_xlabel(x if xlabel is None else xlabel)
        ax.set_ylabel(y if ylabel is None else ylabel)
        if title:
            ax.set_title(title)
        return save_figure(figure, path)

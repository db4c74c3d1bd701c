"""Figures of sweeps and reproductions: PNG, SVG or PDF files drawn with matplotlib.

Nothing here touches ``matplotlib.pyplot`` or the global backend: each figure is a
:class:`matplotlib.figure.Figure` on its own canvas, drawn under a local ``rc_context``
and written atomically (a temporary file, then a rename) in the format its file's suffix
names (:data:`FIGURE_FORMATS`; PNG at :data:`DPI` dots per inch, SVG and PDF as vector
graphics without a creation date, so that the same figure gives the same file).

* :func:`phase_diagram`: the label of the most informative equilibrium at every point of a
  two-parameter sweep (a categorical map with fixed colours, :data:`LABEL_COLOURS`), with
  threshold curves such as :math:`c^*(v)` drawn over it;
* :func:`line_figure`: one or more series against one variable (lines, or steps).

The quantities of a sweep's rows (a column against a parameter, or over two as a heat map)
are drawn by :mod:`intelgame.output.sweep_plots`, with :func:`save_figure` and :data:`STYLE`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, cast

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from intelgame.output.files import atomic_file
from intelgame.sweep.summary import DOMINANT_LABELS, SweepSummary
from intelgame.output.curves import Curve, cell_edges, curve_samples, evaluate_curve

#: The file formats of the figures, by suffix.
FIGURE_FORMATS = ("png", "svg", "pdf")
#: Resolution of every PNG written here.
DPI = 150
#: zlib level of the PNGs: 1 encodes a phase diagram in about half the time of the default 6
#: (20 ms less; same pixels, a sixth larger file).
PNG_COMPRESSION = 1
#: Fixed colour of each dominant label (Okabe-Ito palette, readable with colour-blindness).
LABEL_COLOURS: dict[str, str] = {
    "none": "#BBBBBB",
    "babbling": "#D55E00",
    "noisy": "#F0E442",
    "truthful": "#0072B2",
    "partially revealing": "#009E73",
    "fully revealing": "#56B4E9",
}
#: The order of the labels in a phase diagram's legend (which lists those present).
LEGEND_ORDER = ("truthful", "fully revealing", "noisy", "partially revealing", "babbling", "none")
#: The threshold curves of a phase diagram with legend entries of their own: curves of the same
#: label share one; beyond this many labels, the rest are drawn alike as "other thresholds".
MAX_CURVE_ENTRIES = 5
#: The legend entry of the threshold curves beyond :data:`MAX_CURVE_ENTRIES` labels.
OTHER_CURVES = "other thresholds"
STYLE: dict[str, Any] = {"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 12, "legend.fontsize": 10,
          "xtick.labelsize": 10, "ytick.labelsize": 10}
_LINE_STYLES = ("-", "--", ":", "-.")


def figure_format(path: Path) -> str:
    """The format of a figure file, from its suffix (one of :data:`FIGURE_FORMATS`).

    Raises
    ------
    ValueError
        For any other suffix.
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FIGURE_FORMATS:
        raise ValueError(f"{path}: a figure is written as {', '.join('.' + f for f in FIGURE_FORMATS)}, "
                         f"not '{Path(path).suffix or '(no suffix)'}'")
    return suffix


def save_figure(figure: Figure, path: Path) -> Path:
    """Write ``figure`` at ``path`` (format from the suffix, :func:`figure_format`) via a
    temporary file and a rename; folders are created."""
    path = Path(path)
    fmt = figure_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(figure)
    options: dict[str, Any] = (
        {"dpi": DPI, "pil_kwargs": {"compress_level": PNG_COMPRESSION}} if fmt == "png"
        else {"metadata": {"Date": None} if fmt == "svg" else {"CreationDate": None}})
    with atomic_file(path, "wb", permissions=0o644) as handle:
        figure.savefig(handle, format=fmt, bbox_inches="tight", **options)
    return path


def curve_groups(labels: Sequence[str], limit: int = MAX_CURVE_ENTRIES) -> list[str]:
    """The legend entry of each threshold curve of ``labels``: its label, trimmed (a blank
    label, or one that ends in ``:``, names what it is: ``threshold``), one entry for equal
    labels, and :data:`OTHER_CURVES` for those after the first ``limit`` distinct labels."""
    cleaned = [label.strip().rstrip(":").strip() or "threshold" for label in labels]
    kept = list(dict.fromkeys(cleaned))[:limit]
    return [label if label in kept else OTHER_CURVES for label in cleaned]


def warm_up() -> None:
    """Draw a small figure with text into memory: the first figure of a process pays for
    loading fonts and the Agg renderer, so a process can pay it before its figure is due."""
    with matplotlib.rc_context(cast(Any, STYLE)):
        figure = Figure(figsize=(1.0, 1.0))
        figure.add_subplot().set_title("warm-up")
        figure.savefig(io.BytesIO(), format="png")


def phase_diagram(
    summary: SweepSummary,
    x: str,
    y: str,
    path: Path,
    *,
    curves: Sequence[Curve] = (),
    curves_give: Literal["x", "y"] = "x",
    title: str = "",
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> Path:
    """Map the label of the most informative equilibrium over the grid parameters ``x``, ``y``.

    Each grid point is a cell coloured by :attr:`SweepSummary.dominant` ``["label"]``
    (truthful / noisy / babbling / none, colours :data:`LABEL_COLOURS`); cells span halfway to
    the neighbouring grid values.

    Parameters
    ----------
    summary:
        A sweep whose axes include ``x`` and ``y`` (any other axis must have one value).
    x, y:
        The grid parameters on the horizontal and vertical axes (the default axis labels).
    path:
        The figure to write, PNG, SVG or PDF by its suffix (folders are created).
    curves:
        ``(label, function)`` pairs drawn as lines over the map, e.g. ``("c*(v)", c_star)``.
        With ``curves_give="x"`` (the default) a function maps an array of ``y`` values to
        ``x`` values (a threshold ``x*(y)`` such as :math:`c^*(v)` with ``x = "c"``,
        ``y = "v"``); with ``curves_give="y"`` it maps ``x`` values to ``y`` values. Non-finite
        values are left out; the parts outside the grid are clipped. Curves of equal labels
        share one legend entry and line style (:func:`curve_groups`); the legend, outside the
        axes, lists only the labels present on the map.
    title, xlabel, ylabel:
        Text of the figure (axis labels default to the parameter names).

    Returns
    -------
    Path
        ``path``.
    """
    if curves_give not in ("x", "y"):
        raise ValueError(f"curves_give must be 'x' or 'y', found {curves_give!r}")
    codes = summary.plane("label", x, y)
    xs, ys = summary.axis(x).to_array(), summary.axis(y).to_array()
    ox, oy = np.argsort(xs, kind="stable"), np.argsort(ys, kind="stable")
    xs, ys, codes = xs[ox], ys[oy], codes[np.ix_(oy, ox)]
    xedges, yedges = cell_edges(xs), cell_edges(ys)
    with matplotlib.rc_context(cast(Any, STYLE)):
        figure = Figure(figsize=(7.5, 5.0), layout="constrained")
        ax = figure.add_subplot()
        cmap = ListedColormap([LABEL_COLOURS[label] for label in DOMINANT_LABELS])
        norm = BoundaryNorm(np.arange(len(DOMINANT_LABELS) + 1) - 0.5, len(DOMINANT_LABELS))
        ax.pcolormesh(xedges, yedges, codes, cmap=cmap, norm=norm, shading="flat", edgecolors="face")
        present = {DOMINANT_LABELS[int(c)] for c in np.unique(codes)}
        handles: list[Patch | Line2D] = [
            Patch(facecolor=LABEL_COLOURS[label], edgecolor="#444444", label=label)
            for label in LEGEND_ORDER if label in present]
        outline = [patheffects.Stroke(linewidth=4, foreground="white"), patheffects.Normal()]
        groups = curve_groups([label for label, _ in curves])
        entries: dict[str, Line2D] = {}
        for (_, function), group in zip(curves, groups):
            if curves_give == "x":
                along = curve_samples(ys)
                line_x, line_y = evaluate_curve(function, along), along
            else:
                along = curve_samples(xs)
                line_x, line_y = along, evaluate_curve(function, along)
            if group == OTHER_CURVES:
                style: dict[str, Any] = {"color": "#333333", "linewidth": 1.2, "linestyle": ":"}
            else:
                style = {"color": "black", "linewidth": 2,
                         "linestyle": _LINE_STYLES[list(dict.fromkeys(groups)).index(group) % len(_LINE_STYLES)]}
            (line,) = ax.plot(line_x, line_y, label=group, **style)
            line.set_path_effects(outline)
            entries.setdefault(group, line)
        handles.extend(entries.values())
        ax.set_xlim(xedges[0], xedges[-1])
        ax.set_ylim(yedges[0], yedges[-1])
        ax.set_xlabel(x if xlabel is None else xlabel)
        ax.set_ylabel(y if ylabel is None else ylabel)
        if title:
            ax.set_title(title)
        ax.legend(handles=handles, title="most informative PBE", loc="upper left",
                  bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, frameon=False)
        return save_figure(figure, path)


def line_figure(
    xs: Sequence[float],
    series: Mapping[str, Sequence[float]],
    path: Path,
    *,
    xlabel: str = "",
    ylabel: str = "",
    title: str = "",
    step: bool = False,
) -> Path:
    """Plot each of ``series`` (name -> values at ``xs``) against ``xs`` and write the figure (PNG, SVG or PDF by the suffix of ``path``).

    ``step=True`` draws piecewise-constant steps (each value held until the next ``x``), for
    quantities that jump, such as the optimal concession against ``v``. ``nan`` values leave
    gaps.

    Raises
    ------
    ValueError
        When a series does not have one value per ``x``.
    """
    x = np.asarray([float(v) for v in xs], dtype=float)
    with matplotlib.rc_context(cast(Any, STYLE)):
        figure = Figure(figsize=(7.0, 4.5), layout="constrained")
        ax = figure.add_subplot()
        marker = "o" if len(x) <= 60 else None
        for i, (name, values) in enumerate(series.items()):
            y = np.asarray([np.nan if v is None else float(v) for v in values], dtype=float)
            if y.shape != x.shape:
                raise ValueError(f"series '{name}' has {len(y)} values for {len(x)} x values")
            style = {"label": name, "linewidth": 2, "linestyle": _LINE_STYLES[i % len(_LINE_STYLES)],
                     "marker": marker, "markersize": 4}
            if step:
                ax.step(x, y, where="post", **style)  # type: ignore[arg-type]
            else:
                ax.plot(x, y, **style)  # type: ignore[arg-type]
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if title:
            ax.set_title(title)
        ax.grid(True, alpha=0.3)
        if series:
            ax.legend(loc="best")
        return save_figure(figure, path)

"""What ``intelgame sweep`` draws beside its data file: the checks of ``--plot`` columns before
any work, the threshold curves and the phase diagram (module-level functions: they run in the
helper processes of :mod:`intelgame.cli.background`), and the ``--plot`` figures after it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from intelgame.errors import IntelgameError, SpecError

if TYPE_CHECKING:
    from intelgame.output.curves import SampledCurve
    from intelgame.spec import SignallingSpec, Spec
    from intelgame.sweep import SweepSummary


def check_plots(spec: Spec, axes: list[Any], plot: list[str], persuade: bool = False, verdicts: bool = False,
                outcomes: bool = False) -> None:
    """Refuse ``--plot`` columns the sweep will not have, or over more than two axes (before any work)."""
    from intelgame.output.sweep_plots import check_plot_columns
    from intelgame.sweep import sweep_columns

    if len(axes) > 2:
        raise SpecError(f"--plot draws a sweep over one or two parameters; this one has {len(axes)} axes",
                        file="--plot")
    names = [a.name for a in axes]
    check_plot_columns(plot, sweep_columns(cast("SignallingSpec", spec), axes, persuade=persuade, verdicts=verdicts,
                                            outcomes=outcomes), names)


def quantity_figures(summary: SweepSummary, spec: Spec, plot: list[str], figure_format: str) -> list[Path]:
    """The ``--plot`` figures of a finished sweep: one of all columns against the parameter of a
    1-D sweep, one heat map per column of a 2-D sweep."""
    from intelgame.output.frames import read_sweep
    from intelgame.output.sweep_plots import quantity_lines, quantity_map, figure_name

    if not plot:
        return []
    frame = read_sweep(summary.path)
    folder = summary.path.parent
    names = [a.name for a in summary.axes]
    if len(names) == 1:
        return [quantity_lines(frame, names[0], plot, folder / f"quantities.{figure_format}",
                               xlabel=spec.parameter_label(names[0]), title=spec.title)]
    x, y = names
    return [quantity_map(frame, x, y, column, folder / figure_name("map", column, figure_format),
                         xlabel=spec.parameter_label(x), ylabel=spec.parameter_label(y), title=spec.title)
            for column in dict.fromkeys(plot)]


def threshold_curves(spec: Spec, x: str, y: str, at: dict[str, object],
                      along: list[float]) -> tuple[list[tuple[str, SampledCurve]], str | None]:
    """The threshold curves ``x = f(y)`` sampled where the phase diagram draws them (module
    level and picklable: it runs in another process), or none and the reason."""
    from intelgame.symbolic import threshold_curves
    from intelgame.output.curves import SampledCurve, curve_samples

    try:
        curves = threshold_curves(spec, x, y, at=at)
    except IntelgameError as exc:
        return [], str(exc)
    points = curve_samples(along)
    return [(label, SampledCurve.of(function, points)) for label, function in curves], None


def load_figures() -> None:
    """Import matplotlib and draw a small figure (fonts and the Agg canvas load on first use)."""
    from intelgame.output.figures import warm_up

    warm_up()


def phase_diagram(summary: SweepSummary, x: str, y: str, path: Path, curves: list[tuple[str, SampledCurve]],
                   title: str, xlabel: str | None = None, ylabel: str | None = None) -> Path:
    """:func:`intelgame.output.figures.phase_diagram` (module level and picklable: it runs in another process)."""
    from intelgame.output.figures import phase_diagram

    return phase_diagram(summary, x, y, path, curves=curves, title=title, xlabel=xlabel, ylabel=ylabel)

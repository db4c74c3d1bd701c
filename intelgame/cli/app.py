"""The ``intelgame`` command line: a thin layer over the public API.

Exit status: 0 success, 2 bad input or usage (one clear message naming file, line and key;
never a traceback, never a half-written output file), 1 internal error.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, cast

import typer
from rich.console import Console
from rich.progress import Progress

from intelgame.cli import sweep_figures
from intelgame import interrupts
from intelgame.cli.background import BoundedCall, helper_executor
from intelgame.cli.stopping import install_handlers, interrupt, terminate
from intelgame.cli.limits import with_spec_limits

if TYPE_CHECKING:  # the commands import what they use when they run (the CLI starts fast)
    from intelgame.output.curves import SampledCurve
    from intelgame.spec import Spec
    from intelgame.spec.limits import SpecLimits
    from intelgame.sweep import SweepSummary
    from intelgame.sweep.cells import Format
from intelgame.errors import IntelgameError, SolverError, SpecError
from intelgame.output.files import check_output, write_atomically
from intelgame.output.text import printable

# One BLAS thread, unless the user chose otherwise: the commands parallelise with processes
# (sweep workers, helper processes), and the small matrices of games gain nothing from
# threads, whereas starting OpenBLAS's pool added 0.06 s to numpy's import. Set before numpy is
# imported (this module imports it only within commands).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

app = typer.Typer(
    name="intelgame", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="Every equilibrium of games of asymmetric information: PBE of signalling games, Nash "
         "equilibria, refinements, information quality, thresholds, sweeps, and the "
         "reproduction of Chang (2023).",
)
err = Console(stderr=True)

def _max_work_option(default: float, what: str, unit: str = "tableau entries") -> Any:
    """The ``--max-work`` option with ``default``, the budget of ``what`` counted in ``unit``."""
    return typer.Option(default, "--max-work", min=1, max=1e18, help=f"Work budget of {what}, in {unit} (1e7 is "
                        "about 5 s); beyond it the command stops with exit 2, before any work if it must.")


MaxWorkOption = _max_work_option(3e7, "the enumeration")
#: A sweep's budget covers all its points (its default, 3e8, is 1.6 million points of 2x2x2).
SweepMaxWorkOption = _max_work_option(3e8, "the whole sweep")
ThresholdsMaxWorkOption = _max_work_option(3e7, "the derivation",
                                           "polynomial term operations and the solves' tableau entries")
#: Default of ``sweep --curves-budget``: seconds the threshold curves may take (they run beside
#: the sweep, so a sweep longer than this leaves them that long).
CURVES_BUDGET = 5.0
SetOption = typer.Option(None, "--set", help="Override a parameter: NAME=VALUE (an expression). Repeatable.")


@app.callback()
def _common(width: Optional[int] = typer.Option(
        None, "--width", min=20, metavar="N",
        help="Print tables N columns wide (default: the terminal's width; unwrapped when piped). Before the command: intelgame --width 100 solve SPEC.")) -> None:
    if width is not None:  # rich reads COLUMNS; main() restores it after the command
        os.environ["COLUMNS"] = str(width)


def _progress_bar(label: str) -> tuple[Progress, Callable[[int, int], None]]:
    progress = Progress(console=err, transient=True, disable=not err.is_terminal)  # else it ends with a newline
    task = progress.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, update


@app.command()
@with_spec_limits
def solve(
    spec_path: Path = typer.Argument(..., metavar="SPEC", help="A YAML game spec."),
    set_: Optional[list[str]] = SetOption,
    as_json: bool = typer.Option(False, "--json", help="Print the JSON document instead of tables."),
    exact: bool = typer.Option(False, "--exact", help="Exact rational numbers in the output (the default float output has the same equilibria: its decisions are certified or redone exactly)."),
    method: str = typer.Option("support_enumeration", "--method",
                               help="Normal-form games: support_enumeration, vertex_enumeration or lemke_howson (nashpy)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Also write the JSON document to this file."),
    max_work: float = MaxWorkOption,
    select: Optional[str] = typer.Option(None, "--select", help="Only the equilibrium this rule picks: most_informative, sender_optimal, receiver_optimal or pareto, optionally ':CRITERION' (e.g. receiver_optimal:d1); also the stage game's rule."),
    refine: Optional[str] = typer.Option(None, "--refine", help="Only the equilibria surviving this criterion: intuitive_criterion, d1, d2, universal_divinity or nwbr."),
    every: bool = typer.Option(False, "--all", help="Signalling games: list every face after the outcomes (done anyway for a few)."),
    output_format: Optional[str] = typer.Option(None, "--format", help="table (the default), json (as --json) or latex (the equilibrium table for a paper: booktabs, exact fractions as \\frac with --exact)."),
    *, limits: SpecLimits,
) -> None:
    """All equilibria of SPEC: PBE for signalling games, Nash for normal-form games."""
    from intelgame.output.documents import describe_nash_result, describe_pbe_result
    from intelgame.analysis.two_stage import interpretation_of, stage_solve
    from intelgame.games.build import build_game
    from intelgame.output.numbers import format_number
    from intelgame.output.shape_tables import FEW_ENTRIES, outcome_table
    from intelgame.output.tables import nash_table, pbe_table, print_tables, stage_document, stage_table
    from intelgame.solvers.pbe.enumeration import pbe_solve
    from intelgame.spec import SignallingSpec, load_spec, parse_overrides, resolve_parameters

    if output_format not in (None, "table", "json", "latex"):
        raise typer.BadParameter("--format must be table, json or latex")
    if as_json and output_format not in (None, "json"):
        raise typer.BadParameter(f"--json and --format {output_format} ask for two formats; give one")
    as_json = as_json or output_format == "json"
    if out is not None:
        check_output(out)
    spec = load_spec(spec_path, limits=limits)
    overrides = parse_overrides(set_ or [])
    parameters = {k: v for k, v in resolve_parameters(spec, overrides).items()}
    inexact = [f"{k} = {v!r}" for k, v in parameters.items() if isinstance(v, float)]
    if inexact and not exact:
        values = "this decimal value" if len(inexact) == 1 else "these decimal values"
        print(f"note: {', '.join(inexact)} (not a rational number); the equilibria are those of the game "
              f"with {values}, certified", file=sys.stderr)
    tables = []
    budget = int(max_work)
    if isinstance(spec, SignallingSpec):
        if method != "support_enumeration":
            raise SolverError(f"--method {method}: applies to normal-form games; {spec_path} is a signalling game "
                              "(its PBE are always found by support enumeration)")
        game = build_game(spec, overrides)
        progress, update = _progress_bar(f"solving {game.name}")
        with progress:
            result = pbe_solve(game, exact=exact, progress=update, max_work=budget)
        if select is not None or refine is not None:
            from intelgame.analysis.selection import restrict
            result = restrict(result, rule=select, criterion=refine,
                              chooser="receiver" if spec.stage is None else spec.stage.chooser)
        listed = every or len(result) <= FEW_ENTRIES  # the faces' table follows the outcomes'
        document = describe_pbe_result(result, interpretation=interpretation_of(spec, game), parameters=parameters,
                                       outcomes_only=not (listed or as_json or out is not None
                                                          or output_format == "latex"))
        tables.append(outcome_table(document))
        if listed:
            tables.append(pbe_table(document))
        if spec.stage is not None:
            progress, update = _progress_bar("solving the stage game")
            with progress:
                stage = stage_solve(spec, overrides, exact=exact, selection=select, progress=update)
            document["stage"] = stage_document(stage, exact)
            tables.append(stage_table(document["stage"]))
    else:
        from intelgame.solvers.nash import METHODS, Method, nash_solve

        if method not in METHODS:
            raise SolverError(f"--method {method}: unknown; expected one of {', '.join(METHODS)}")
        normal = build_game(spec, overrides)
        rows, columns = len(normal.row_strategies), len(normal.column_strategies)
        pairs = (2**rows - 1) * (2**columns - 1)
        if pairs > 2**18:
            raise SolverError(f"{normal.name} has {rows} x {columns} strategies: {pairs:.2e} support pairs to "
                              "enumerate (9 x 9 has 2.6e5, about a minute), beyond what intelgame enumerates in "
                              "reasonable time; the default path certifies nashpy with the same enumeration")
        document = describe_nash_result(nash_solve(normal, method=cast(Method, method), exact=exact))
        document["parameters"] = {k: format_number(v, exact) for k, v in parameters.items()}
        tables.append(nash_table(document))
    text = json.dumps(document, indent=2) if out is not None or as_json else ""
    if out is not None:
        write_atomically(out, text + "\n")
    if as_json:
        print(text)
    elif output_format == "latex":
        from intelgame.output.latex import nash_latex, pbe_latex

        print(pbe_latex(document) if isinstance(spec, SignallingSpec) else nash_latex(document), end="")
    else:
        print_tables(*tables)


@app.command()
@with_spec_limits
def validate(spec_path: Path = typer.Argument(..., metavar="SPEC", help="A YAML game spec."),
             set_: Optional[list[str]] = SetOption,
             *, limits: SpecLimits) -> None:
    """Check SPEC (and overrides) and build its game, without solving."""
    from intelgame.games.build import build_game
    from intelgame.spec import load_spec, parse_overrides

    spec = load_spec(spec_path, limits=limits)
    game = build_game(spec, parse_overrides(set_ or []))
    shape = "x".join(map(str, game.shape))
    print(f"{spec_path}: valid {spec.kind} game '{game.name}' ({shape})")


@app.command()
@with_spec_limits
def thresholds(
    spec_path: Path = typer.Argument(..., metavar="SPEC", help="A YAML signalling-game spec."),
    parameter: str = typer.Option(..., "--in", help="The parameter whose thresholds to derive."),
    set_: Optional[list[str]] = SetOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    interval: Optional[str] = typer.Option(None, "--range", help="LOW:HIGH, the interval of PARAMETER of interest (either side may be empty); default: the range declared in the spec, else the whole line."),
    fixed_others: bool = typer.Option(False, "--fixed-others", help="Keep every other parameter at its value (thresholds as numbers, not expressions): much faster on larger games."),
    verbose: bool = typer.Option(False, "--verbose", help="Also print where each changing PBE exists, with its full label."),
    max_work: float = ThresholdsMaxWorkOption,
    *, limits: SpecLimits,
) -> None:
    """Thresholds of PARAMETER where the equilibrium set changes, derived symbolically (sympy)."""
    from intelgame.errors import GameStructureError
    from intelgame.symbolic import thresholds as derive
    from intelgame.spec import SignallingSpec, load_spec, parse_overrides

    from intelgame.spec import resolve_parameters
    from intelgame.spec.parameters import parse_interval, unknown_parameter

    spec = load_spec(spec_path, limits=limits)
    overrides = parse_overrides(set_ or [])
    values = resolve_parameters(spec, overrides)
    if parameter not in values:
        raise SpecError(unknown_parameter(parameter, values), file=str(spec_path), key="--in")
    if not isinstance(spec, SignallingSpec):
        raise SpecError("thresholds are derived for signalling games; this is a normal-form game",
                        file=str(spec_path), key="kind")
    low, high = parse_interval(interval, spec.ranges.get(parameter), key="--range")
    try:
        found = derive(spec, parameter, at={k: values[k] for k in overrides if k != parameter}, low=low, high=high,
                       symbolic=[parameter] if fixed_others else None, max_work=int(max_work))
    except (SolverError, GameStructureError) as exc:  # the reason, named and on one short line
        reason = " ".join(str(exc).split())
        if len(reason) > 400:  # a long expression in the middle: keep the start and the end
            reason = f"{reason[:200]} ... {reason[-180:]}"
        raise SolverError(f"{spec_path}: thresholds in {parameter} (--in): {reason}") from None
    if as_json:
        print(json.dumps([t.to_dict() for t in found], indent=2))
        return
    if not found:
        print(f"{parameter}: no threshold; the set of PBE is the same at every value of {parameter} "
              "(the other parameters as calibrated)")
    for t in found:
        print(f"{t.summary()}\n  {t.description}" if verbose else t.summary())


@app.command()
@with_spec_limits
def sweep(
    spec_path: Path = typer.Argument(..., metavar="SPEC", help="A YAML signalling-game spec."),
    grid: list[str] = typer.Option(..., "--grid", help="NAME=START:STOP:COUNT or NAME=v1,v2,... Repeatable (1 or 2 for a figure)."),
    out: Path = typer.Option(Path("sweep_out"), "--out", help="Output folder."),
    set_: Optional[list[str]] = SetOption,
    workers: int = typer.Option(1, "--workers", help="Local processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask distributed scheduler address."),
    fmt: str = typer.Option("csv", "--format", help="csv or jsonl."),
    exact: bool = typer.Option(False, "--exact", help="Rational arithmetic."),
    curves_budget: float = typer.Option(CURVES_BUDGET, "--curves-budget", min=0, help="Seconds (from the start of the sweep) the phase diagram's symbolic threshold curves may take; beyond it they are skipped, with a note."),
    no_curves: bool = typer.Option(False, "--no-curves", help="Draw the phase diagram without threshold curves."),
    no_figure: bool = typer.Option(False, "--no-figure", help="Write the data file only (no phase diagram)."),
    max_points: int = typer.Option(100_000, "--max-points", min=1, help="The largest grid accepted, in points (checked before any work; 1e5 take about 10 s on a 2x2x2 game)."),
    persuade: bool = typer.Option(False, "--persuade", help="Also the commitment benchmark at each point (as intelgame persuade): commitment values, best/worst PBE values and value of commitment of each player, as columns commitment[...], cheap_talk[...], value_of_commitment[...] (a few ms a point)."),
    plot: Optional[list[str]] = typer.Option(None, "--plot", metavar="COLUMN", help="Also draw this numeric column of the sweep (e.g. 'rho[warn][alert]', receiver_payoff, mutual_information_bits, count): against the parameter of a 1-D sweep (quantities.FORMAT, one panel per column), as a heat map of the most informative PBE's value over a 2-D one (map_COLUMN.FORMAT). Repeatable."),
    figure_format: str = typer.Option("png", "--figure-format", help="png, svg or pdf: the format of the figures."),
    max_work: float = SweepMaxWorkOption,
    refinements: bool = typer.Option(False, "--refinements", help="Add the columns passes[d1], passes[d2], passes[universal_divinity], passes[nwbr]: whether each row's equilibrium survives the criterion (implied by --select and --refine; slower: equilibria with off-path messages are judged exactly)."),
    select: Optional[str] = typer.Option(None, "--select", help="Only the equilibrium this rule picks at each point (the phase diagram's colour): most_informative, sender_optimal, receiver_optimal or pareto, optionally ':CRITERION' (e.g. receiver_optimal:d1)."),
    refine: Optional[str] = typer.Option(None, "--refine", help="Only the equilibria surviving this criterion (the phase diagram colours the most informative survivor): intuitive_criterion, d1, d2, universal_divinity or nwbr."),
    outcomes: bool = typer.Option(False, "--outcomes", help="Add the columns outcome (the index of the row's outcome, the joint distribution of type and action, among its point's, as solve --json numbers it) and outcomes (their number at the point), decided exactly on each point's faces (slower: the faces' vertices are enumerated in rationals)."),
    *, limits: SpecLimits,
) -> None:
    """Solve SPEC at every point of a parameter grid; tidy data file and a phase diagram."""
    from intelgame.spec import load_spec, parse_overrides
    from intelgame.sweep import check_sweep, parse_grid, run_sweep

    if fmt not in ("csv", "jsonl"):
        raise typer.BadParameter("--format must be csv or jsonl")
    if figure_format not in ("png", "svg", "pdf"):
        raise typer.BadParameter("--figure-format must be png, svg or pdf")
    check_output(out, folder=True)
    spec = load_spec(spec_path, limits=limits)
    axes = [parse_grid(g) for g in grid]
    overrides = parse_overrides(set_ or [])
    signalling = check_sweep(spec, axes, overrides, workers=workers, fmt=fmt, max_points=max_points,
                             max_work=int(max_work), select=select, refine=refine, outcomes=outcomes, exact=exact)
    if plot:
        sweep_figures.check_plots(signalling, axes, plot, persuade, refinements or select is not None or refine is not None,
                                  outcomes)

    def sweep_with_progress() -> SweepSummary:
        progress, update = _progress_bar(f"sweeping {spec.name}")
        with progress:
            summary = run_sweep(spec, axes, out, overrides=overrides, exact=exact,
                                workers=workers, scheduler=scheduler, progress=update, fmt=cast("Format", fmt),
                                max_points=max_points, persuade=persuade, max_work=int(max_work),
                                refinements=refinements, select=select, refine=refine, outcomes=outcomes)
        print(f"{summary.points} points, {summary.rows} rows in {summary.seconds:.2f} s -> {summary.path}")
        return summary

    if len(axes) != 2 or no_figure:
        summary = sweep_with_progress()
        if plot and not no_figure:
            print(f"quantities -> {sweep_figures.quantity_figures(summary, spec, plot, figure_format)[0]}")
        return
    from intelgame.spec import resolve_parameters

    values = resolve_parameters(spec, overrides)
    with helper_executor(1) as helpers:  # matplotlib beside the sweep, and the curves in their own process
        curves = None if no_curves else BoundedCall(
            curves_budget, sweep_figures.threshold_curves, spec, axes[0].name, axes[1].name,
            {n: values[n] for n in overrides}, [float(v) for v in axes[1].values])
        helpers.submit(sweep_figures.load_figures)
        try:
            summary = sweep_with_progress()
        except BaseException:  # interrupted or failed: the curves are not needed
            if curves is not None:
                curves.cancel()
            raise
        found: list[tuple[str, SampledCurve]] = []
        if curves is not None:
            done, result = curves.result()
            reason = result[1] if done else f"not derived within --curves-budget {curves_budget:g} s"
            found = result[0] if done else []
            if reason is not None:
                err.print(f"no threshold curves: {reason}")
        kept = [f"{refine} survivors" if refine else "", f"chosen by {select}" if select else ""]
        title = f"{spec.title} ({', '.join(k for k in kept if k)})" if select or refine else spec.title
        figure = helpers.submit(sweep_figures.phase_diagram, summary, axes[0].name, axes[1].name,
                                out / f"phase_diagram.{figure_format}", found, title,
                                spec.parameter_label(axes[0].name), spec.parameter_label(axes[1].name)).result()
        print(f"phase diagram -> {figure}")
    for path in sweep_figures.quantity_figures(summary, spec, plot or [], figure_format):
        print(f"heat map -> {path}")


@app.command()
def reproduce(
    out: Path = typer.Option(Path("reproduce_out"), "--out", help="Folder for the report, figures and JSON."),
    set_: Optional[list[str]] = SetOption,
) -> None:
    """Reproduce Chang (2023): check claims C1-C8 on the catalog model intelligence_market, write the report."""
    from intelgame.paper.reproduce import run_reproduction
    from intelgame.spec import parse_overrides

    check_output(out, folder=True)
    report = run_reproduction(out, overrides=parse_overrides(set_ or []), console=err)
    for claim in report.claims:
        print(f"{'PASS' if claim.passed else 'FAIL'} {claim.key} {claim.title}: {claim.evidence}")
    print(f"report -> {report.markdown_path}")
    if not all(c.passed for c in report.claims):
        raise typer.Exit(1)


@app.command()
@with_spec_limits
def persuade(
    spec_path: Path = typer.Argument(..., metavar="SPEC", help="A YAML signalling-game spec."),
    exact: bool = typer.Option(False, "--exact", help="Exact rational numbers (the default float output has the same answer: its decisions are certified or redone exactly)."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON document instead of a table."),
    set_: Optional[list[str]] = SetOption,
    thresholds_in: Optional[str] = typer.Option(None, "--thresholds-in", help="Instead: where commitment starts or stops beating cheap talk for the sender as this parameter moves over --range (exact solves and bisection; brackets with their certificate)."),
    interval: Optional[str] = typer.Option(None, "--range", help="LOW:HIGH for --thresholds-in (default: the range declared in the spec)."),
    samples: int = typer.Option(64, "--samples", min=1, help="Evenly spaced scan intervals for --thresholds-in (a change narrower than one is missed)."),
    *, limits: SpecLimits,
) -> None:
    """The sender's optimal commitment (Bayesian persuasion) against the cheap-talk PBE of SPEC."""
    from intelgame.analysis.persuasion import persuade as commit
    from intelgame.analysis.two_stage import interpretation_of
    from intelgame.games.build import build_game
    from intelgame.games.signalling import SignallingGame
    from intelgame.output.persuasion import describe_persuasion, persuasion_tables
    from intelgame.output.tables import print_tables
    from intelgame.spec import load_spec, parse_overrides, resolve_parameters
    from intelgame.spec.model import SignallingSpec

    spec = load_spec(spec_path, limits=limits)
    overrides = parse_overrides(set_ or [])
    game = build_game(spec, overrides)
    if not isinstance(spec, SignallingSpec) or not isinstance(game, SignallingGame):
        raise SpecError(f"persuade needs a signalling game; this is a {spec.kind} game", file=str(spec_path), key="kind")
    if thresholds_in is not None:
        _commitment_thresholds(spec, thresholds_in, overrides, interval, samples, as_json)
        return
    found = commit(game, exact=exact, interpretation=interpretation_of(spec, game))
    document = describe_persuasion(found, parameters=resolve_parameters(spec, overrides))
    if as_json:
        print(json.dumps(document, indent=2))
    else:
        print_tables(*persuasion_tables(document))


def _commitment_thresholds(spec: Spec, parameter: str, overrides: dict[str, Any], interval: Optional[str],
                           samples: int, as_json: bool) -> None:
    """``persuade --thresholds-in``: :func:`intelgame.symbolic.commitment.commitment_thresholds`, printed."""
    from intelgame.spec import resolve_parameters
    from intelgame.spec.model import SignallingSpec
    from intelgame.spec.parameters import parse_interval, unknown_parameter
    from intelgame.spec.expressions import parse_expression
    from intelgame.symbolic.commitment import commitment_thresholds, sender_gain

    assert isinstance(spec, SignallingSpec)
    if parameter not in resolve_parameters(spec, overrides):
        raise SpecError(unknown_parameter(parameter, resolve_parameters(spec, overrides)), file=str(spec.path),
                        key="--thresholds-in")
    if parameter in overrides:
        raise SpecError(f"'{parameter}' is both set (--set) and varied (--thresholds-in)", file="--set", key=parameter)
    low, high = parse_interval(interval, spec.ranges.get(parameter), key="--range")
    if low is None or high is None:
        raise SpecError(f"--thresholds-in {parameter} needs a bounded interval: --range LOW:HIGH, or a range "
                        "declared in the spec", file="--range")
    found = commitment_thresholds(spec, parameter, low, high, overrides=overrides, samples=samples)
    if as_json:
        print(json.dumps([t.to_dict() for t in found], indent=2))
        return
    if not found:
        at_low = overrides | {parameter: parse_expression(str(low), file="--range", line=None, key=parameter)}
        state = "beats" if sender_gain(spec, at_low) > 0 else "does not beat"
        print(f"{parameter} in [{low}, {high}]: no change found ({samples + 1} points scanned and the PBE "
              f"thresholds); for the sender, commitment {state} cheap talk throughout")
    for t in found:
        print(t.summary())


@app.command()
def models(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The models of the catalog (descriptions shortened; in full with --json): pass a NAME wherever a SPEC file is expected (intelgame solve beer_quiche)."""
    from textwrap import shorten

    from rich.table import Table

    from intelgame.catalog import list_models
    from intelgame.output.tables import print_tables

    entries = list_models()
    if as_json:
        print(json.dumps([e.to_dict() for e in entries], indent=2))
        return
    table = Table(title=f"intelgame's catalog: {len(entries)} models", show_lines=True)
    for column in ("name", "kind", "shape", "description"):
        table.add_column(column, no_wrap=column != "description")
    for e in entries:
        table.add_row(e.name, e.kind, e.shape, shorten(e.description, 200, placeholder=" ..."))
    print_tables(table)


@app.command()
@with_spec_limits
def export(
    spec_path: Path = typer.Argument(..., metavar="SPEC", help="A YAML game spec or a catalog name."),
    to: Optional[str] = typer.Option(None, "--to", help="efg (a signalling game as an extensive game) or nfg "
                                     "(a normal-form game, or a signalling game's Harsanyi form); default: "
                                     "efg for signalling games, nfg for normal-form games."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write to this file instead of printing."),
    set_: Optional[list[str]] = SetOption,
    *, limits: SpecLimits,
) -> None:
    """Write SPEC as a Gambit file (.efg or .nfg), labels kept, numbers exact."""
    from intelgame.games.build import build_game
    from intelgame.games.harsanyi import harsanyi_form
    from intelgame.games.signalling import SignallingGame
    from intelgame.interchange.gambit import to_efg, to_nfg
    from intelgame.spec import load_spec, parse_overrides

    if to not in (None, "efg", "nfg"):
        raise typer.BadParameter("--to must be efg or nfg")
    game = build_game(load_spec(spec_path, limits=limits), parse_overrides(set_ or []))
    if isinstance(game, SignallingGame):
        text = to_nfg(harsanyi_form(game)) if to == "nfg" else to_efg(game)
    elif to == "efg":
        raise SpecError("a normal-form game is exported --to nfg", file=str(spec_path), key="--to")
    else:
        text = to_nfg(game)
    if out is None:
        print(text, end="")
    else:
        write_atomically(out, text)
        print(f"{out}: {to or ('efg' if isinstance(game, SignallingGame) else 'nfg')} file of '{game.name}'")


@app.command("import")
@with_spec_limits
def import_(
    path: Path = typer.Argument(..., metavar="FILE", help="A Gambit .efg (a signalling game) or .nfg (2 players) file."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the spec to this file instead of printing it."),
    *, limits: SpecLimits,
) -> None:
    """Read a Gambit file and write it as a YAML spec: a signalling game (Nature's move, one
    sender information set per type, one receiver information set per message) or a 2-player
    strategic game."""
    from intelgame.interchange.gambit import read_gambit
    from intelgame.interchange.spec_text import to_spec_text

    from intelgame.spec import read_spec_text

    text = read_spec_text(path, limits)  # a regular file, within the spec's byte cap
    spec = to_spec_text(read_gambit(text, file=str(path), name=path.stem), source=path.name)
    if out is None:
        print(spec, end="")
    else:
        write_atomically(out, spec)
        print(f"{out}: spec written")


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point: run the CLI and map errors to exit statuses (no tracebacks). A stop that a
    signal requested (:mod:`intelgame.interrupts`) is withdrawn when the command ends; one still
    pending then (its exception dropped after the last work check) sets the status."""
    command = typer.main.get_command(app)
    previous = install_handlers({signal.SIGTERM: terminate, signal.SIGINT: interrupt})
    if previous:  # the handlers are ours (main thread): no request of an earlier command stands
        interrupts.clear()
    try:
        status = _command_status(command, argv)
        stop = interrupts.pending() if previous else None
        if isinstance(stop, SystemExit) and isinstance(stop.code, int):
            return stop.code
        return 130 if isinstance(stop, KeyboardInterrupt) else status
    finally:
        try:
            install_handlers(previous)
        finally:
            if previous:
                interrupts.clear()


def _command_status(command: Any, argv: Optional[list[str]]) -> int:
    """Run ``command`` on ``argv``; its exit status, errors reported on one line."""
    columns = os.environ.get("COLUMNS")  # --width sets it for one command
    try:  # usage errors are reported here, on one line like every other error
        status = command.main(args=argv, prog_name="intelgame", standalone_mode=False)
    except typer.Abort:
        return 130
    except USAGE_ERROR as exc:  # a usage error: the option and what is wrong, on one line
        print(f"error: {' '.join(printable(exc.format_message()).split())}", file=sys.stderr)
        return int(exc.exit_code)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except (SpecError, SolverError, IntelgameError) as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except MemoryError:  # the work outgrew the memory this process may use: a size to lower, not a bug
        print("error: out of memory: the computation needs more memory than this process may use (a smaller game, "
              "grid or --max-work, or a higher memory limit)", file=sys.stderr)
        return 2
    except Exception as exc:  # an internal error: say so briefly, traceback only on request
        if os.environ.get("INTELGAME_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {printable(str(exc))} (set INTELGAME_DEBUG=1 for the "
              "traceback)", file=sys.stderr)
        return 1
    finally:
        if columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = columns
    return status if isinstance(status, int) else 0


#: The toolkit's usage errors (bad option values, unknown options, missing arguments): the base
#: class of its public ``BadParameter``, which it does not export by itself.
USAGE_ERROR: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def console_main() -> None:  # pragma: no cover - the console script
    """:func:`main` as a program: its status is the exit status. What is left is frozen first,
    so that the interpreter's collections while it exits skip it (the process frees it all)."""
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    console_main()

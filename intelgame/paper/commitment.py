"""An extension of the reproduction (not one of the paper's claims): what a *binding*
intelligence-sharing rule would be worth to each ally (issue 18).

In Chang (2023) the patron's reports are cheap talk. The opposite institution is a sharing
agreement to which the patron commits before it learns the state (Bayesian persuasion:
Kamenica and Gentzkow 2011, AER 101(6); ``docs/persuasion.md``). For each ally the *value of
commitment* is its value under the patron-optimal binding rule less its value in the PBE best
for it (``versus_best`` in ``intelgame persuade --json``). This module computes it

* exactly at named calibrations (:func:`exact_rows`: the paper's, ``c = c*``, ``c = 1`` and
  the 1998 case), with :func:`~intelgame.analysis.persuasion.persuade`;
* over the ``(c, v)`` plane with ``run_sweep(..., persuade=True)`` (certified floats), drawn
  as two heat maps with the symbolic threshold :math:`c^*(v)` over them
  (:func:`commitment_figure`);

and :func:`commitment_markdown` writes the report's section. Every number comes from the
solvers run on the catalog specs; nothing here is a closed form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from intelgame.analysis.persuasion import persuade
from intelgame.analysis.two_stage import interpretation_of
from intelgame.games.build import build_game
from intelgame.games.signalling import SignallingGame
from intelgame.output.curves import Curve, cell_edges, curve_samples, evaluate_curve
from intelgame.output.figures import save_figure
from intelgame.output.numbers import format_number
from intelgame.spec.expressions import Expression, parse_expression
from intelgame.spec.model import SignallingSpec
from intelgame.sweep import SweepSummary, parse_grid, run_sweep

#: The (c, v) grid of the figure: 21 x 13 points (about 1 s of CPU with the commitment LPs).
GRID = ("c=0:1:21", "v=0:0.6:13")
#: The two heat maps: the column of :data:`~intelgame.sweep.cells.PERSUASION_COLUMNS` and its title.
PANELS = (("value_of_commitment[sender][versus_best]", "patron (sender)"),
          ("value_of_commitment[receiver][versus_best]", "client (receiver)"))


@dataclass(frozen=True)
class CommitmentRow:
    """One calibration, solved exactly: each ally's committed and best-PBE values, the
    committed rule (``sigma[type][message]`` and the replies, by name) and how often it makes
    the client take the right action in each state."""

    label: str
    setting: str
    patron_commitment: Fraction
    patron_best_pbe: Fraction
    client_commitment: Fraction
    client_best_pbe: Fraction
    client_worst_pbe: Fraction
    rule: str
    right_action: dict[str, Fraction]

    @property
    def patron_value(self) -> Fraction:
        return self.patron_commitment - self.patron_best_pbe

    @property
    def client_value(self) -> Fraction:
        return self.client_commitment - self.client_best_pbe

    def to_dict(self) -> dict[str, Any]:
        text = {k: _fmt(v) for k, v in self.right_action.items()}
        return {"label": self.label, "setting": self.setting, "patron_commitment": _fmt(self.patron_commitment),
                "patron_best_pbe": _fmt(self.patron_best_pbe), "patron_value_of_commitment": _fmt(self.patron_value),
                "client_commitment": _fmt(self.client_commitment), "client_best_pbe": _fmt(self.client_best_pbe),
                "client_worst_pbe": _fmt(self.client_worst_pbe), "client_value_of_commitment": _fmt(self.client_value),
                "rule": self.rule, "right_action_by_state": text}


@dataclass(frozen=True)
class CommitmentSection:
    """The section's numbers: the exact rows and, with the figure, what the grid shows."""

    rows: tuple[CommitmentRow, ...]
    figure: Path | None
    grid: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"rows": [r.to_dict() for r in self.rows], "grid": self.grid,
                "figure": None if self.figure is None else self.figure.name}


def _fmt(x: Any) -> str:
    return str(format_number(Fraction(x), True))


def _literal(value: Any) -> Expression:
    return parse_expression(str(value), file="reproduce", line=None, key="value")


def exact_row(label: str, spec: SignallingSpec, overrides: Mapping[str, Expression], **values: Any) -> CommitmentRow:
    """The calibration ``overrides`` with ``values`` set, solved exactly by ``persuade``."""
    setting = dict(overrides) | {k: _literal(v) for k, v in values.items()}
    game = build_game(spec, setting)
    assert isinstance(game, SignallingGame)
    interpretation = interpretation_of(spec, game)
    found = persuade(game, exact=True, interpretation=interpretation)
    rule = found.commitment.sender_optimal
    sigma = "; ".join(f"{t}: " + ", ".join(f"{m} {_fmt(p)}" for m, p in zip(game.messages, row) if p)
                      for t, row in zip(game.types, rule.sigma))
    replies = ", ".join(f"{m} -> {game.actions[a]}" for m, a in zip(game.messages, rule.replies) if a is not None)
    right: dict[str, Fraction] = {}
    if interpretation is not None:  # P(the client's action is right for the state | state)
        for t, name in enumerate(game.types):
            correct = interpretation.correct_actions[t]
            right[name] = sum((Fraction(p) for m, p in enumerate(rule.sigma[t]) if rule.replies[m] == correct),
                              Fraction(0))
    shown = ", ".join(f"{k} = {_fmt(v)}" for k, v in values.items())
    talk = found.cheap_talk
    return CommitmentRow(label, shown, Fraction(found.sender_value), Fraction(talk.sender.best),
                         Fraction(found.receiver_value), Fraction(talk.receiver.best), Fraction(talk.receiver.worst),
                         f"{sigma}; replies {replies}", right)


def exact_rows(model: SignallingSpec, case: SignallingSpec, overrides: Mapping[str, Expression],
               c_star: Any, progress: Callable[[str], None]) -> list[CommitmentRow]:
    """The paper's calibration, ``c = c*`` (when ``c_star`` is not ``None``) and ``c = 1`` of
    the model, and the 1998 case at ``c = 0`` and ``c = 1`` (``v`` and the rest as calibrated in
    each spec)."""
    rows = []
    for label, spec, c in (("paper calibration", model, 0), ("at c*", model, c_star), ("full concession", model, 1),
                           ("1998 calibration", case, 0), ("1998, full concession", case, 1)):
        if c is None:  # c* not rational
            continue
        progress(f"commitment benchmark: {label}")
        rows.append(exact_row(label, spec, overrides, c=c))
    return rows


def commitment_sweep(model: SignallingSpec, overrides: Mapping[str, Expression], out: Path) -> SweepSummary:
    """The (c, v) grid of :data:`GRID` with the commitment columns (``out/sweep_commitment``)."""
    return run_sweep(model, [parse_grid(g) for g in GRID], out / "sweep_commitment", overrides=overrides,
                     persuade=True)


def grid_facts(summary: SweepSummary, c_star: Callable[[np.ndarray], np.ndarray] | None) -> dict[str, Any]:
    """What the grid shows: the range of each ally's value of commitment, the share of points
    where the patron gains and the client loses, and whether the client loses exactly where
    ``c >= c*(v)`` (where cheap talk can be truthful)."""
    assert summary.commitment is not None
    patron = summary.commitment[PANELS[0][0]]
    client = summary.commitment[PANELS[1][0]]
    facts: dict[str, Any] = {
        "grid": list(GRID), "points": int(patron.size),
        "patron_range": [float(np.nanmin(patron)), float(np.nanmax(patron))],
        "client_range": [float(np.nanmin(client)), float(np.nanmax(client))],
        "patron_gains_share": float(np.mean(patron > 0)), "client_loses_share": float(np.mean(client < 0)),
        "client_gains_anywhere": bool(np.any(client > 0)),
    }
    if c_star is not None:  # planes are indexed [v, c]
        cs = summary.axis("c").to_array()[None, :]
        above = cs >= evaluate_curve(c_star, summary.axis("v").to_array())[:, None] - 1e-12
        patron_plane, client_plane = summary.plane(PANELS[0][0], "c", "v"), summary.plane(PANELS[1][0], "c", "v")
        facts["client_loses_only_where_c_at_least_c_star"] = bool(np.all(above[client_plane < 0]))
        facts["patron_gains_wherever_c_below_c_star"] = bool(np.all(patron_plane[~above] > 0))
    return facts


def commitment_figure(summary: SweepSummary, path: Path, curves: Sequence[Curve] = ()) -> Path:
    """Two heat maps over (c, v): each ally's value of commitment against its best PBE (a
    diverging scale, white at 0), the curves ``c = f(v)`` drawn over both."""
    xs, ys = summary.axis("c").to_array(), summary.axis("v").to_array()
    xedges, yedges = cell_edges(xs), cell_edges(ys)
    style = {"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 12}
    with matplotlib.rc_context(cast(Any, style)):
        figure = Figure(figsize=(11.0, 4.6), layout="constrained")
        axes = figure.subplots(1, 2, sharey=True)
        for ax, (column, who) in zip(axes, PANELS):
            plane = summary.plane(column, "c", "v")
            low, high = float(np.nanmin(plane)), float(np.nanmax(plane))
            norm = TwoSlopeNorm(0.0, vmin=min(low, -1e-9), vmax=max(high, 1e-9))
            mesh = ax.pcolormesh(xedges, yedges, plane, cmap="RdBu", norm=norm, shading="flat", edgecolors="face")
            figure.colorbar(mesh, ax=ax, label="commitment minus best PBE value")
            for label, function in curves:
                along = curve_samples(ys)
                (line,) = ax.plot(evaluate_curve(function, along), along, color="black", linewidth=2, label=label)
                line.set_path_effects([patheffects.Stroke(linewidth=4, foreground="white"), patheffects.Normal()])
            ax.set_xlim(xedges[0], xedges[-1])
            ax.set_ylim(yedges[0], yedges[-1])
            ax.set_xlabel("concession c")
            ax.set_title(f"value of a binding sharing rule: {who}")
            if curves:
                ax.legend(loc="upper right")
        axes[0].set_ylabel("own capability v")
        return save_figure(figure, path)


def commitment_section(model: SignallingSpec, case: SignallingSpec, overrides: Mapping[str, Expression],
                       c_star: Any, out: Path | None, progress: Callable[[str], None],
                       curves: Sequence[Curve] = ()) -> CommitmentSection:
    """The exact rows, and with ``out`` the grid and its figure ``out/value_of_commitment_c_v.png``."""
    rows = exact_rows(model, case, overrides, c_star, progress)
    if out is None:
        return CommitmentSection(tuple(rows), None, {})
    progress("commitment benchmark over (c, v)")
    summary = commitment_sweep(model, overrides, out)
    figure = commitment_figure(summary, out / "value_of_commitment_c_v.png", curves)
    return CommitmentSection(tuple(rows), figure, grid_facts(summary, curves[0][1] if curves else None))


def commitment_markdown(section: CommitmentSection, out: Path) -> list[str]:
    """The report's section (markdown lines)."""
    lines = ["", "## Extension: what a binding sharing rule is worth (not a claim of the paper)", "",
             "If the patron could commit to its reporting rule before it learns the state (an intelligence-sharing "
             "agreement; Bayesian persuasion, Kamenica and Gentzkow 2011), it would choose the rule best for itself; "
             "the client best-replies to what each report reveals. The value of commitment of an ally is its value "
             "under that rule less its value in the PBE best for it (`intelgame persuade`, exact). See "
             "`docs/persuasion.md`.", "",
             "| calibration | setting | patron: committed | patron: best PBE | patron: value of commitment | "
             "client: committed | client: best PBE | client: value of commitment | patron-optimal rule | "
             "P(right action given the state) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in section.rows:
        right = ", ".join(f"{k}: {_fmt(v)}" for k, v in r.right_action.items())
        lines.append(f"| {r.label} | {r.setting} | {_fmt(r.patron_commitment)} | {_fmt(r.patron_best_pbe)} | "
                     f"{_fmt(r.patron_value)} | {_fmt(r.client_commitment)} | {_fmt(r.client_best_pbe)} | "
                     f"{_fmt(r.client_value)} | {r.rule} | {right} |")
    lines += ["", *_reading(section)]
    if section.figure is not None:
        facts = section.grid
        lines += ["", f"![value_of_commitment_c_v]({section.figure.relative_to(out)})", "",
                  f"Over the grid {', '.join(facts['grid'])} ({facts['points']} points, certified floats): the "
                  f"patron's value of commitment lies in [{facts['patron_range'][0]:.4g}, "
                  f"{facts['patron_range'][1]:.4g}] and is positive at {facts['patron_gains_share']:.0%} of the "
                  f"points; the client's lies in [{facts['client_range'][0]:.4g}, {facts['client_range'][1]:.4g}] "
                  f"and is negative at {facts['client_loses_share']:.0%} of the points"
                  + (" (never positive)" if not facts["client_gains_anywhere"] else "")
                  + (", and only at points with c >= c*(v), where cheap talk can be truthful"
                     if facts.get("client_loses_only_where_c_at_least_c_star") else "")
                  + ("; the patron gains at every point with c < c*(v)"
                     if facts.get("patron_gains_wherever_c_below_c_star") else "") + "."]
    return lines


def _reading(section: CommitmentSection) -> list[str]:
    """What the exact rows say, in words chosen by their numbers."""
    by = {r.label: r for r in section.rows}
    lines = []
    for row in (by.get("paper calibration"), by.get("1998 calibration")):
        if row is None:
            continue
        client = ("leaves the client exactly where its best PBE leaves it" if row.client_value == 0 else
                  f"changes the client's value by {_fmt(row.client_value)}")
        lines.append(f"At the {row.label} ({row.setting}) a binding rule is worth {_fmt(row.patron_value)} to the "
                     f"patron ({_fmt(row.patron_commitment)} against {_fmt(row.patron_best_pbe)} in its best PBE) "
                     f"and {client}.")
    case, full = by.get("1998 calibration"), by.get("1998, full concession")
    threat = next(iter(case.right_action), None) if case is not None else None
    if case is not None and threat is not None:
        acted = case.right_action[threat]
        others = {k: v for k, v in case.right_action.items() if k != threat}
        lines.append(f"In the 1998 case (claim C8: is the threat concealed in every PBE?), under the patron's binding rule at "
                     f"{case.setting} the client acts rightly in state {threat} with probability {_fmt(acted)} "
                     + ", ".join(f"and in state {k} with probability {_fmt(v)}" for k, v in others.items())
                     + (": the patron would trade concealment for false alarms, and gain from it, while the client "
                        "gains nothing." if acted == 1 and any(v < 1 for v in others.values()) else "."))
    if full is not None and full.patron_value == 0 and threat is not None:
        lines.append(f"At {full.setting} the binding rule is worth nothing to either ally and acts rightly on a "
                     f"threat with probability {_fmt(full.right_action[threat])}: with the 1998 payoffs a concession "
                     "does not buy a warning under commitment either; only the client's own capability does (C8).")
    return lines

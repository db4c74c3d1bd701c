"""Human-readable rendering of results with rich: tables for the terminal."""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence

from rich.console import Console
from rich.table import Table

from intelgame.analysis.classify import classify
from intelgame.analysis.two_stage import StageResult
from intelgame.output.numbers import format_number
from intelgame.output.text import plain


def _mixture(names: Sequence[str], probs: dict[str, Any]) -> str:
    """``{"warn": "11/15", "reassure": "4/15"}`` -> ``warn 11/15, reassure 4/15``; a sure
    choice is written by its name alone."""
    positive = [(n, p) for n, p in probs.items() if p not in (0, 0.0, "0")]
    if len(positive) == 1:
        return positive[0][0]
    return ", ".join(f"{n} {p}" for n, p in positive)


#: The columns of :func:`pbe_table` (and of its LaTeX form, :mod:`intelgame.output.latex`).
PBE_COLUMNS = ("#", "class", "information", "sender", "receiver", "off-path beliefs", "survives")
#: The columns of :func:`nash_table`.
NASH_COLUMNS = ("#", "row", "column", "payoffs", "continuum")


def pbe_title(document: dict[str, Any]) -> str:
    """The title of the equilibrium table of a ``describe_pbe_result`` document."""
    return f"{document['game']}: {len(document['equilibria'])} perfect Bayesian equilibria" + (
        " (exact)" if document["exact"] else "")


def nash_title(document: dict[str, Any]) -> str:
    """The title of the equilibrium table of a ``describe_nash_result`` document."""
    return f"{document['game']}: {len(document['equilibria'])} Nash equilibria" + (
        " (exact)" if document["exact"] else "")


def pbe_cells(document: dict[str, Any]) -> list[tuple[str, ...]]:
    """The cells of :data:`PBE_COLUMNS` for each equilibrium of a ``describe_pbe_result``
    document (lines of a cell separated by newlines)."""
    criteria = {"IC": "intuitive_criterion", "D1": "d1", "D2": "d2", "UD": "universal_divinity", "NWBR": "nwbr"}
    rows: list[tuple[str, ...]] = []
    for i, eq in enumerate(document["equilibria"], 1):
        sender = "\n".join(f"{t}: {_mixture(list(p), p)}" for t, p in eq["sender"].items())
        receiver = "\n".join(f"{m}{'' if m in eq['on_path'] else ' (off)'}: {_mixture(list(p), p)}"
                             for m, p in eq["receiver"].items())
        if eq["continuum"]:  # each varying probability, its ends open or closed as on the face
            intervals = eq["intervals"]
            sender += "\n" + "\n".join(f"{t}: {m} in {i}" for t, row in intervals["sender"].items() for m, i in row.items())
            receiver += "\n" + "\n".join(f"{m}: {a} in {i}" for m, row in intervals["receiver"].items()
                                         for a, i in row.items())
        klass = eq["classification"] + (" (continuum)" if eq["continuum"] else "")
        rows.append((str(i), klass, ", ".join(eq["quality"]["labels"]), sender, receiver,
                     "\n".join(eq["offpath_beliefs"].values()) or "-",
                     _survives(eq["refinements"], criteria)))
    return rows


def _survives(refinements: dict[str, Any], criteria: dict[str, str]) -> str:
    """The criteria some equilibrium of the entry survives, ``part`` after those that hold on
    part of a continuum only (``IC D1(part)``), or ``-``."""
    partial = set(refinements.get("on_part_of_face", ()))
    return " ".join(name + ("(part)" if key in partial else "") for name, key in criteria.items()
                    if refinements.get(key, False)) or "-"


def nash_cells(document: dict[str, Any]) -> list[tuple[str, ...]]:
    """The cells of :data:`NASH_COLUMNS` for each equilibrium of a ``describe_nash_result`` document."""
    return [(str(i), _mixture(list(eq["row"]), eq["row"]), _mixture(list(eq["column"]), eq["column"]),
             ", ".join(f"{k} {v}" for k, v in eq["payoffs"].items()), "yes" if eq["continuum"] else "no")
            for i, eq in enumerate(document["equilibria"], 1)]


def pbe_table(document: dict[str, Any]) -> Table:
    """The equilibria of a ``describe_pbe_result`` document as a table."""
    return _equilibrium_table(pbe_title(document), PBE_COLUMNS, pbe_cells(document))


def nash_table(document: dict[str, Any]) -> Table:
    """The equilibria of a :func:`~intelgame.output.documents.describe_nash_result` document as a table."""
    return _equilibrium_table(nash_title(document), NASH_COLUMNS, nash_cells(document))


def _equilibrium_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(title=plain(title), show_lines=True)
    for column in columns:
        table.add_column(column)
    for row in rows:
        _add_row(table, *row)
    return table


def stage_document(stage: StageResult, exact: bool) -> dict[str, Any]:
    """The two-stage solution as a JSON-ready dict."""

    def fmt(x: Any) -> Any:
        return None if x is None else format_number(x, exact)

    return {
        "chooser": stage.chooser, "parameter": stage.parameter, "selection": stage.selection,
        "optimal_choice": None if stage.optimal is None else fmt(stage.optimal.choice),
        "choices": [{"choice": fmt(o.choice), "equilibria": len(o.result),
                     "selected": None if o.quality is None else list(o.quality.labels),
                     "sender_value": fmt(o.sender_value), "receiver_value": fmt(o.receiver_value),
                     # what the other rules would have picked, where it is another equilibrium
                     "other_rules": {rule: (None if eq is None else classify(o.result.game, eq, tolerance=o.result.tolerance))
                                     for rule, eq in (o.alternatives or {}).items()
                                     if eq is not o.selected}}
                    for o in stage.outcomes],
    }


def stage_table(document: dict[str, Any]) -> Table:
    """The two-stage solution as a table."""
    table = Table(title=plain(f"stage: the {document['chooser']} chooses {document['parameter']} "
                              f"(selection: {document['selection']})"))
    for column in ("choice", "PBE", "selected", "sender value", "receiver value", ""):
        table.add_column(column)
    for row in document["choices"]:
        best = row["choice"] == document["optimal_choice"]
        others = "".join(f"\n{rule}: {pick or 'none'}" for rule, pick in row["other_rules"].items())
        _add_row(table, str(row["choice"]), str(row["equilibria"]), ", ".join(row["selected"] or ["none"]) + others,
                      str(row["sender_value"]), str(row["receiver_value"]), "optimal" if best else "")
    return table


def _add_row(table: Table, *cells: object) -> None:
    """A row of plain text (names are data: never markup, control characters escaped)."""
    table.add_row(*(plain(cell) for cell in cells))


#: The width of tables written to a pipe or file (rich's default there is 80 columns, which cuts
#: names); ``COLUMNS`` in the environment takes precedence.
PIPE_WIDTH = 1000


def print_tables(*tables: Table) -> None:
    """Print ``tables`` on standard output: at the terminal's width, or unwrapped when piped."""
    piped = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    console = Console(width=PIPE_WIDTH if piped else None)
    for table in tables:
        console.print(table)

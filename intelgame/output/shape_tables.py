"""The equilibrium set at a glance: the outcomes of a ``describe_pbe_result`` document as a
table, first in ``intelgame solve``'s output (every face follows with ``--all``, or when there
are few)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from intelgame.output.text import plain

#: Up to this many entries, ``intelgame solve`` lists every face after the outcomes anyway.
FEW_ENTRIES = 12


def _actions(distribution: dict[str, dict[str, Any]]) -> str:
    """``type: action`` lines from a joint distribution of type and action (by probability)."""
    lines = []
    for t, row in distribution.items():
        total = sum(float(p if not isinstance(p, str) else eval_fraction(p)) for p in row.values())
        if total == 0:
            continue
        positive = [(a, p) for a, p in row.items() if p not in (0, 0.0, "0")]
        lines.append(f"{t}: " + (positive[0][0] if len(positive) == 1 else
                                 ", ".join(f"{a} {_share(p, total)}" for a, p in positive)))
    return "\n".join(lines)


def eval_fraction(text: str) -> float:
    """``"3/4"`` -> 0.75 (the document's exact numbers are fraction strings)."""
    top, _, bottom = text.partition("/")
    return float(top) / float(bottom or 1)


def _share(p: Any, total: float) -> str:
    value = (eval_fraction(p) if isinstance(p, str) else float(p)) / total
    return f"{value:.4g}"


def _count(n: int, one: str, many: str) -> str:
    """``1 continuum``, ``2 continua``."""
    return f"{n} {one if n == 1 else many}"


def outcome_table(document: dict[str, Any]) -> Table:
    """The outcomes of a ``describe_pbe_result`` document: information, pooled types, actions by
    type, payoffs, and how many entries (faces) and continua have each."""
    entries = document["equilibria"]
    continua = sum(1 for e in entries if e["continuum"])
    title = (f"{document['game']}: {len(document['outcomes'])} outcomes of {len(entries)} PBE entries "
             f"({_count(continua, 'continuum', 'continua')}) in "
             f"{_count(len(document['components']), 'connected component', 'connected components')}"
             + (" (exact)" if document["exact"] else ""))
    table = Table(title=plain(title), show_lines=True)
    for column in ("outcome", "information", "pooled types", "actions by type", "payoffs", "entries"):
        table.add_column(column)
    for k, o in enumerate(document["outcomes"]):
        pooled = " | ".join(", ".join(c) for c in o["partition"])
        info = o["information"] + (" (noisy)" if o["noisy"] else "")
        if o["constant"]:
            actions = _actions(o["distribution"])
            payoffs = ", ".join(f"{t} {u}" for t, u in o["payoffs"]["sender"].items()) + \
                f"; receiver {o['payoffs']['receiver']}"
        else:
            info += "\nvaries over the face"
            actions = "\nor\n".join(_actions(p["distribution"]) for p in o["range"][:2]) + \
                ("\n..." if len(o["range"]) > 2 else "")
            payoffs = "varies"
        members = o["members"]
        n_continua = sum(1 for m in members if entries[m]["continuum"])
        table.add_row(*(plain(c) for c in (str(k), info, pooled, actions, payoffs,
                                           f"{len(members)} ({_count(n_continua, 'continuum', 'continua')})")))
    return table

"""Small HTML tables for Jupyter (``_repr_html_``), written without any rendering library.

Every cell is escaped (:func:`html.escape`), numbers are written as exact fractions where they
are rational (``1/3``) and to 6 significant digits where they are floats, so a notebook shows
what the solver found without a dependency (rich, pandas) being imported.

>>> html_table(["type", "prior"], [["weak", "1/10"], ["<b>", 1]])[:38]
'<table class="intelgame"><thead><tr><t'
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from fractions import Fraction
from typing import Any


#: At most this many rows of a table are written; a last row says how many were left out.
MAX_ROWS = 60


def cell_text(value: Any) -> str:
    """The text of one cell: ``p/q`` for a fraction, 6 significant digits for a float.

    >>> cell_text(Fraction(1, 3)), cell_text(2 / 3), cell_text(Fraction(4, 2)), cell_text(True)
    ('1/3', '0.666667', '2', 'True')
    """
    if isinstance(value, Fraction):
        return str(value)  # str(Fraction) is "p/q", or "p" when whole
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def html_table(header: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str = "") -> str:
    """An HTML ``<table>`` of ``rows`` under ``header`` (at most :data:`MAX_ROWS` rows)."""
    shown = rows[:MAX_ROWS]
    parts = ['<table class="intelgame">']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr></thead><tbody>")
    for row in shown:
        parts.append("<tr>" + "".join(f"<td>{html.escape(cell_text(c))}</td>" for c in row) + "</tr>")
    if len(rows) > len(shown):
        parts.append(f'<tr><td colspan="{len(header)}">... {len(rows) - len(shown)} more rows</td></tr>')
    parts.append("</tbody></table>")
    return "".join(parts)

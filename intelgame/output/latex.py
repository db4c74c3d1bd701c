"""The equilibrium table as LaTeX, for a paper's appendix (``intelgame solve SPEC --format latex``).

The table has the rows and columns of the terminal's (:func:`~intelgame.output.tables.pbe_cells`,
:func:`~intelgame.output.tables.nash_cells`), typeset as a ``tabular`` with the rules of the
``booktabs`` package (``\\toprule``, ``\\midrule``, ``\\bottomrule``); a cell of several lines is
a nested ``tabular``. Text is escaped (names are data: ``a_b``, ``50%``, ``&`` print as written);
exact fractions such as ``11/15`` become ``$\\frac{11}{15}$`` and comparisons (``>=``) math
symbols. Nothing but ``booktabs`` is needed; the output is a fragment for ``\\input``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from intelgame.output.tables import NASH_COLUMNS, PBE_COLUMNS, nash_cells, nash_title, pbe_cells, pbe_title

#: LaTeX's special characters and how to print each as text.
_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
#: A fraction or a comparison standing alone (not inside a name such as ``x1/2``).
_MATH = re.compile(r"(?<![\w./])(-?)(\d+)/(\d+)(?![\w./])|(>=|<=|!=)")
_OPERATORS = {">=": r"\geq", "<=": r"\leq", "!=": r"\neq"}


def escape(text: str) -> str:
    """``text`` as LaTeX text: every special character printed as itself."""
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def latex_text(text: str) -> str:
    """One line of a cell: escaped text, with its fractions and comparisons in math mode."""
    parts: list[str] = []
    last = 0
    for match in _MATH.finditer(text):
        parts.append(escape(text[last:match.start()]))
        sign, top, bottom, operator = match.groups()
        parts.append(f"${_OPERATORS[operator]}$" if operator else f"${sign}\\frac{{{top}}}{{{bottom}}}$")
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def _cell(text: str) -> str:
    lines = [latex_text(line) for line in text.split("\n") if line]
    if len(lines) <= 1:
        return "".join(lines)
    return "\\begin{tabular}[t]{@{}l@{}}" + " \\\\ ".join(lines) + "\\end{tabular}"


def latex_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A booktabs ``tabular`` of ``rows`` under the header ``columns``, after a comment with ``title``."""
    lines = [f"% {' '.join(title.split())} (intelgame); needs \\usepackage{{booktabs}}",
             "\\begin{tabular}{" + "r" + "l" * (len(columns) - 1) + "}", "\\toprule",
             " & ".join(escape(c) for c in columns) + " \\\\", "\\midrule"]
    lines += [" & ".join(_cell(cell) for cell in row) + " \\\\" for row in rows]
    lines += ["\\bottomrule", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


def pbe_latex(document: dict[str, Any]) -> str:
    """The equilibria of a ``describe_pbe_result`` document as a LaTeX table."""
    return latex_table(pbe_title(document), PBE_COLUMNS, pbe_cells(document))


def nash_latex(document: dict[str, Any]) -> str:
    """The equilibria of a ``describe_nash_result`` document as a LaTeX table."""
    return latex_table(nash_title(document), NASH_COLUMNS, nash_cells(document))

"""Names are data: text from a spec (game, type, message, action and parameter names, error
messages quoting them) made safe to print on a terminal.

Control characters (Unicode category ``Cc`` other than newline and tab) and the bidirectional
formatting characters (which reorder what a terminal shows) are written as Python escapes
(``\\x1b``, ``\\u202e``), so a name cannot clear the screen, retitle the terminal or disguise
itself. Tables build :class:`rich.text.Text` from such strings, which rich never parses as markup,
so ``[red]quiche`` is shown as written and ``[/]`` cannot break the table.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text

#: Bidirectional embeddings, overrides and isolates (Unicode 15, UAX #9).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """``text`` with control and bidirectional formatting characters escaped.

    >>> printable("quiche\\x1b[2J")
    'quiche\\\\x1b[2J'
    >>> printable("warn\\nreassure")
    'warn\\nreassure'
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch not in _BIDI):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def plain(text: object) -> Text:
    """``str(text)`` made :func:`printable`, as rich text that is never read as markup."""
    return Text(printable(str(text)))

"""A YAML value described in the user's terms, for error messages.

The rule: YAML's names for its node kinds (a mapping, a sequence) and for scalars their value
(the string 'x', the boolean true, nothing (null), the date 2001-12-14), never a Python class.

Examples
--------
>>> describe([1]), describe({"a": 1}), describe(None), describe(True), describe(0.5)
('a sequence', 'a mapping', 'nothing (null)', 'the boolean true', '0.5')
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Set


def describe(value: object) -> str:
    """What ``value`` is, as a YAML user would say it (see the module docstring)."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a sequence"
    if isinstance(value, Set):
        return "a set"
    if isinstance(value, str):
        return f"the string {quoted(value)}"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date {value.isoformat()}"
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        return repr(float(value))
    return "a value of an unsupported kind"


def quoted(text: str, limit: int = 60) -> str:
    """``repr(text)``, cut to ``limit`` characters of ``text`` (``...`` marks the cut), for
    echoing untrusted text in a message.

    >>> quoted("x" * 100, 5)
    "'xx...'"
    """
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")

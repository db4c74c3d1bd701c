"""The size limits of a spec, checked before any work is done on it.

A spec is untrusted input: the loader refuses, with exit status 2 and a message saying the size,
the limit and how to raise it, a file larger than :attr:`SpecLimits.max_bytes`, a YAML document
with more than :attr:`SpecLimits.max_nodes` nodes once its aliases are expanded or nested
deeper than :attr:`SpecLimits.max_depth`, and more than :attr:`SpecLimits.max_parameters`
parameters. The defaults are far above any real game (the largest model shipped has a few
hundred nodes) and low enough that a refused spec costs well under a second and a few MB.

Raise a limit with the command-line option of :data:`OPTIONS` (every command that reads a spec
has them), with an environment variable (:data:`ENVIRONMENT`; an option given wins), or in
Python by passing ``limits=SpecLimits(...)`` to :func:`~intelgame.spec.load_spec` or
:func:`~intelgame.spec.parse_spec`.

Examples
--------
>>> SpecLimits.from_environment({"INTELGAME_MAX_SPEC_BYTES": "2000000"}).max_bytes
2000000
>>> SpecLimits.from_environment({}, max_bytes=3000000).max_bytes
3000000
>>> SpecLimits().raise_hint("max_parameters")
'raise it with --max-parameters or INTELGAME_MAX_PARAMETERS'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from intelgame.errors import SpecError

__all__ = ["ENVIRONMENT", "OPTIONS", "SpecLimits"]

#: The command-line option that sets each limit (:mod:`intelgame.cli.limits` adds them).
OPTIONS: dict[str, str] = {
    "max_bytes": "--max-spec-bytes",
    "max_nodes": "--max-spec-nodes",
    "max_depth": "--max-spec-depth",
    "max_parameters": "--max-parameters",
}
#: The environment variable that sets each limit when its option is not given.
ENVIRONMENT: dict[str, str] = {
    "max_bytes": "INTELGAME_MAX_SPEC_BYTES",
    "max_nodes": "INTELGAME_MAX_SPEC_NODES",
    "max_depth": "INTELGAME_MAX_SPEC_DEPTH",
    "max_parameters": "INTELGAME_MAX_PARAMETERS",
}
#: The deepest nesting the loader accepts whatever the environment says: the YAML composer and
#: the loader recurse once per level, and Python's stack holds about a thousand frames.
DEPTH_CEILING = 200


@dataclass(frozen=True)
class SpecLimits:
    """The largest spec the loader reads.

    Parameters
    ----------
    max_bytes:
        Size of the spec file, in bytes (default 1 MiB).
    max_nodes:
        YAML nodes (mappings, sequences, scalars; keys included), counting each use of an
        alias as a copy of what it names (default 50,000).
    max_depth:
        Nesting of mappings and sequences (default 64; a spec needs 5); at most
        :data:`DEPTH_CEILING`.
    max_parameters:
        Entries of the ``parameters`` block (default 10,000).
    """

    max_bytes: int = 1 << 20
    max_nodes: int = 50_000
    max_depth: int = 64
    max_parameters: int = 10_000

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **given: int | None) -> SpecLimits:
        """The defaults, each replaced by its environment variable (:data:`ENVIRONMENT`) if set,
        and by the value ``given`` for it (a field name; ``None``: not given) over that.

        Raises
        ------
        SpecError
            When a value is not a positive integer (or the depth exceeds :data:`DEPTH_CEILING`),
            naming the option or the variable it came from.
        """
        environ = os.environ if environ is None else environ
        changes: dict[str, int] = {}
        for name, variable in ENVIRONMENT.items():
            value, text, source = given.get(name), "", OPTIONS[name]
            if value is None:
                text, source = environ.get(variable) or "", variable
                if not text.strip():
                    continue
                try:
                    value = int(text.strip().replace("_", ""))
                except ValueError:
                    value = 0
            ceiling = DEPTH_CEILING if name == "max_depth" else None
            if value < 1 or (ceiling is not None and value > ceiling):
                bound = f" of at most {ceiling}" if ceiling is not None else ""
                found = text[:40] if source == variable else value
                raise SpecError(f"expected a positive integer{bound}, found {found!r}", file=source, key=source)
            changes[name] = value
        return replace(cls(), **changes)

    def raise_hint(self, name: str) -> str:
        """How the user raises the limit ``name`` (a field name)."""
        assert name in {f.name for f in fields(self)}
        return f"raise it with {OPTIONS[name]} or {ENVIRONMENT[name]}"

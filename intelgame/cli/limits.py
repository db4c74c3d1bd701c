"""The spec-limit options of every command that reads a spec, defined once:
:func:`with_spec_limits`.

A command decorated with it gets the options of :data:`intelgame.spec.limits.OPTIONS`
(``--max-spec-bytes``, ``--max-spec-nodes``, ``--max-spec-depth``, ``--max-parameters``) and
receives, as its ``limits`` argument, the :class:`~intelgame.spec.limits.SpecLimits` they make
(an option not given falls back to its environment variable, then to the default). The limits'
refusals name these options.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Optional

import typer

from intelgame.spec.limits import ENVIRONMENT, OPTIONS, SpecLimits

#: What each option's help says.
HELP = {
    "max_bytes": "The largest spec file read, in bytes (default 1 MiB).",
    "max_nodes": "The most YAML nodes a spec may have, each alias counted as a copy (default 50,000).",
    "max_depth": "The deepest nesting of a spec's mappings and sequences (default 64, at most 200).",
    "max_parameters": "The most entries of a spec's parameters block (default 10,000).",
}


def with_spec_limits(command: Callable[..., Any]) -> Callable[..., Any]:
    """``command`` (whose ``limits`` parameter receives the limits) with the four options in
    place of that parameter, for the command-line toolkit that reads the signature."""
    signature = inspect.signature(command)
    kept = [p for p in signature.parameters.values() if p.name != "limits"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Optional[int],
                               default=typer.Option(None, flag, show_default=False,
                                                    help=f"{HELP[name]} Environment: {ENVIRONMENT[name]}."))
             for name, flag in OPTIONS.items()]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in OPTIONS}
        return command(*args, limits=SpecLimits.from_environment(**given), **kwargs)

    annotations = {k: v for k, v in command.__annotations__.items() if k != "limits"}
    run.__annotations__ = {**annotations, **{p.name: p.annotation for p in added}}
    setattr(run, "__signature__", signature.replace(parameters=[*kept, *added]))
    return run

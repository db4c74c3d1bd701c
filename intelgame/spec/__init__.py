"""Game specs: YAML files -> validated, frozen spec objects; safe expressions; located errors.

Modules: :mod:`~intelgame.spec.loader` (YAML text -> a validated spec, block by block, on top
of the located YAML values of ``_yaml``), :mod:`~intelgame.spec.model` (the spec types),
:mod:`~intelgame.spec.parameters` (overrides, parameter resolution, the prior check),
:mod:`~intelgame.spec.expressions` (the safe expressions: the whitelisted parser ``_parser``,
exact and symbolic evaluation ``_arithmetic``), :mod:`~intelgame.spec.intervals` (float64
interval arithmetic for parameter grids) and :mod:`~intelgame.spec.limits` (the size limits of
untrusted input: file bytes, YAML nodes and depth, parameters; checked by ``_files`` and
``_yaml_guard`` before any work).

Public names: :func:`load_spec`, :func:`parse_spec`, :func:`parse_overrides`,
:func:`resolve_parameters`, :func:`resolve_priors`, :func:`parse_expression`,
:class:`Expression`, and the spec types :data:`Spec` = :class:`SignallingSpec` |
:class:`NormalSpec`, :class:`StageSpec`, :class:`InterpretationSpec`, :class:`Expectation`.
"""

from intelgame.spec._files import read_spec_text
from intelgame.spec.expressions import Expression, parse_expression
from intelgame.spec.loader import load_spec, parse_spec
from intelgame.spec.model import (
    Expectation,
    InterpretationSpec,
    NormalSpec,
    SignallingSpec,
    Spec,
    StageSpec,
)
from intelgame.spec.parameters import parse_overrides, resolve_parameters, resolve_priors

__all__ = [
    "Expectation",
    "Expression",
    "InterpretationSpec",
    "NormalSpec",
    "SignallingSpec",
    "Spec",
    "StageSpec",
    "load_spec",
    "parse_expression",
    "parse_overrides",
    "parse_spec",
    "read_spec_text",
    "resolve_parameters",
    "resolve_priors",
]

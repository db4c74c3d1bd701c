"""Game specs: YAML files -> validated, frozen spec objects; safe expressions; located errors.

Public names: :func:`load_spec`, :func:`parse_spec`, :func:`parse_overrides`,
:func:`resolve_parameters`, :func:`resolve_priors`, :func:`parse_expression`,
:class:`Expression`, and the spec types :data:`Spec` = :class:`SignallingSpec` |
:class:`NormalSpec`, :class:`StageSpec`, :class:`InterpretationSpec`, :class:`Expectation`.
"""

from intelgame.spec.expressions import Expression, parse_expression
from intelgame.spec.loader import (
    load_spec,
    parse_overrides,
    parse_spec,
    resolve_parameters,
    resolve_priors,
)
from intelgame.spec.model import (
    Expectation,
    InterpretationSpec,
    NormalSpec,
    SignallingSpec,
    Spec,
    StageSpec,
)

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
    "resolve_parameters",
    "resolve_priors",
]

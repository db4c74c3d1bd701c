"""A spec's parameters: ``--set`` overrides, resolution in order, and the check of the prior.

Each parameter may use those defined above it (:func:`resolve_parameters`); the prior of a
signalling spec must be a probability distribution (:func:`resolve_priors`, whose rule on the
sum, :func:`sums_to_one`, is also the one :class:`~intelgame.games.signalling.SignallingGame`
applies).

Examples
--------
>>> sums_to_one([Fraction(1, 3), Fraction(2, 3)]), sums_to_one([0.1, 0.2, 0.7]), sums_to_one([0.5, 0.6])
(True, True, False)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction

from intelgame.errors import SpecError
from intelgame.spec._parser import LISTED_NAMES as LISTED_NAMES  # re-exported: the spec layer's messages
from intelgame.spec._parser import defined_parameters as defined_parameters
from intelgame.spec._parser import shorten
from intelgame.spec._parser import unknown_parameter as unknown_parameter
from intelgame.spec.expressions import Expression, Number, is_symbolic, parameter_name_problem, parse_expression
from intelgame.spec.model import SignallingSpec, Spec

#: Tolerance of the check that the prior sums to 1 when some prior entry is a float (an exact
#: prior must sum to exactly 1).
PRIOR_TOLERANCE = 1e-12


def sums_to_one(prior: Sequence[Fraction | float | int]) -> bool:
    """Whether the entries sum to 1: exactly when every entry is rational (``int`` or
    ``Fraction``), within :data:`PRIOR_TOLERANCE` when some entry is a float.

    A sum that is not a number (``nan``) is not refused here: the callers check the entries.
    """
    total = sum(prior)
    if all(isinstance(p, (int, Fraction)) for p in prior):
        return total == 1
    return not abs(float(total) - 1.0) > PRIOR_TOLERANCE


def parse_overrides(items: Sequence[str]) -> dict[str, Expression]:
    """Parse ``--set`` items ``NAME=VALUE`` (``VALUE`` an expression) into overrides.

    Examples
    --------
    >>> parse_overrides(["p=1/3"])["p"].evaluate({})
    Fraction(1, 3)
    """
    overrides: dict[str, Expression] = {}
    for item in items:
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals:
            raise SpecError(f"expected NAME=VALUE with NAME a parameter name, found '{item}'",
                            file="--set", key=name or item)
        problem = parameter_name_problem(name)
        if problem is not None:
            raise SpecError(f"expected NAME=VALUE with NAME a parameter name, found '{item}': "
                            f"{problem}", file="--set", key=name or item)
        if name in overrides:
            raise SpecError(f"parameter '{name}' is set twice", file="--set", key=name)
        overrides[name] = parse_expression(value, file="--set", line=None, key=name)
    return overrides


def parameter_expressions(spec: Spec, overrides: Mapping[str, Expression] | None = None) -> dict[str, Expression]:
    """Each parameter's expression, in the spec's order, an override replacing the default.

    Raises
    ------
    SpecError
        When an override names no parameter of the spec.
    """
    overrides = overrides or {}
    for name, expression in overrides.items():
        if name not in spec.parameters:
            raise expression.error(unknown_parameter(name, spec.parameters))
    return {name: overrides.get(name, default) for name, default in spec.parameters.items()}


def resolve_parameters(
    spec: Spec, overrides: Mapping[str, Expression] | None = None, *, symbolic: Collection[str] = (),
) -> dict[str, object]:
    """The values of the spec's parameters, in order, after applying ``overrides``.

    Each parameter may use those defined above it. An override replaces a parameter's
    expression (parameters below it are re-evaluated). A name in ``symbolic`` becomes
    ``sympy.Symbol(name, real=True)`` and every parameter depending on it a sympy expression.
    For a signalling spec the prior is checked too (see :func:`resolve_priors`).

    Raises
    ------
    SpecError
        On an unknown parameter name (in ``overrides``, ``symbolic`` or an expression), a use
        of a parameter defined further down, an evaluation error, or an invalid prior.
    """
    return resolve_spec(spec, overrides, symbolic=symbolic)[0]


def resolve_spec(
    spec: Spec, overrides: Mapping[str, Expression] | None = None, *, symbolic: Collection[str] = (),
) -> tuple[dict[str, object], dict[str, object]]:
    """:func:`resolve_parameters` and, for a signalling spec, the checked prior of each type
    (:func:`resolve_priors`; empty for a normal-form spec), evaluated once."""
    expressions = parameter_expressions(spec, overrides)
    for name in symbolic:
        if name not in spec.parameters:
            raise SpecError(unknown_parameter(name, spec.parameters), file=spec.path, key=name)
    values: dict[str, object] = {}
    for name, expression in expressions.items():
        # Not ``names() - values.keys()``: that copies the keys, quadratic in the parameters.
        for used in sorted(n for n in expression.names() if n not in values):
            if used in spec.parameters:
                raise expression.error(f"parameter '{name}' uses '{used}', which is not defined above "
                                       "it; a parameter may only use the parameters above it")
            raise expression.error(unknown_parameter(used, spec.parameters, expression))
        values[name] = _symbol(name) if name in symbolic else expression.value(values)
    priors = resolve_priors(spec, values) if isinstance(spec, SignallingSpec) else {}
    return values, priors


def _symbol(name: str) -> object:
    """``sympy.Symbol(name, real=True)``; sympy is imported here, on first use (it takes about
    half a second, which the command line should not pay when nothing is symbolic)."""
    import sympy

    return sympy.Symbol(name, real=True)


def resolve_priors(spec: SignallingSpec, values: Mapping[str, object]) -> dict[str, object]:
    """Evaluate the prior of every type and check it is a probability distribution.

    Each entry must be ``>= 0`` and they must sum to 1: exactly when all are rational, within
    :data:`PRIOR_TOLERANCE` when some is a float. A symbolic prior is not checked.

    Raises
    ------
    SpecError
        On a negative entry (at the type's line) or a sum other than 1 (at ``types``).
    """
    priors = {t: expression.value(values) for t, expression in spec.types.items()}
    if any(is_symbolic(v) for v in priors.values()):
        return priors
    for t, value in priors.items():
        if value < 0:
            expression = spec.types[t]
            used = ", ".join(f"{n} = {values[n]}" for n in sorted(expression.names()))
            given = f" ({expression.source} with {used})" if used else ""
            raise expression.error(f"the prior of type '{t}' is {value}{given}; priors must be >= 0")
    if not sums_to_one(list(priors.values())):
        total = sum(priors.values())
        listed = ", ".join(f"{t}: {v}" for t, v in priors.items())
        raise spec.error(f"the priors of the types ({listed}) sum to {total}; they must sum to 1", "types")
    return priors


def is_parameter_name(name: str) -> bool:
    """A valid parameter name (see :func:`~intelgame.spec.expressions.parameter_name_problem`)."""
    return parameter_name_problem(name) is None


def parse_interval(text: str | None, declared: tuple[Number, Number] | None,
                   key: str) -> tuple[Number | None, Number | None]:
    """``LOW:HIGH`` (either side may be empty: unbounded) as numbers; without ``text``, the
    ``declared`` range, else the whole line.

    Examples
    --------
    >>> parse_interval("0:1/2", None, "--range"), parse_interval(":3", None, "--range")
    ((Fraction(0, 1), Fraction(1, 2)), (None, Fraction(3, 1)))
    """
    if text is None:
        return declared if declared is not None else (None, None)
    low_text, colon, high_text = text.partition(":")
    if not colon:
        raise SpecError(f"expected LOW:HIGH, found '{text}'", file=key, key=key)
    low, high = (parse_expression(part, file=key, line=None, key=key).evaluate({}) if part.strip() else None
                 for part in (low_text, high_text))
    if low is not None and high is not None and not low < high:
        raise SpecError(f"expected LOW:HIGH with LOW < HIGH, found '{text}'", file=key, key=key)
    return low, high

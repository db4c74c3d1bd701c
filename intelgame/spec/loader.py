"""Read a YAML game spec, validate it, and resolve its parameters.

The format is ``docs/SPEC_FORMAT.md``: the base format plus the ``stage``, ``interpretation`` and
``expect`` blocks of ``docs/SPEC_FORMAT.md``. Every rejection is a
:class:`~intelgame.errors.SpecError` naming the file, the 1-based line and the dotted key
(``payoffs.weak.beer.duel``; list items as ``messages[1]``), and saying what was expected.

A spec is loaded as far as its default parameter values go: :func:`parse_spec` also resolves
the parameters (each may use those above it) and checks the prior, so a spec that loads is a
valid game; :func:`resolve_parameters` repeats the resolution with ``--set`` overrides or
symbolic parameters.

Examples
--------
>>> spec = parse_spec('''
... intelgame: 1
... kind: normal
... name: pd
... players: [row, column]
... strategies: {row: [c, d], column: [c, d]}
... payoffs:
...   c: {c: [3, 3], d: [0, 5]}
...   d: {c: [5, 0], d: [1, 1]}
... ''')
>>> spec.strategies["row"]
('c', 'd')
"""

from __future__ import annotations

import keyword
import math
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from intelgame.errors import SpecError
from intelgame.spec.expressions import (
    RESERVED_NAMES,
    Expression,
    is_symbolic,
    parse_expression,
)
from intelgame.spec.model import (
    CHOOSERS,
    SELECTIONS,
    Expectation,
    InterpretationSpec,
    NormalSpec,
    SignallingSpec,
    Spec,
    StageSpec,
)

#: The spec format versions this loader reads.
FORMAT_VERSIONS = (1,)
#: Tolerance of the check that the prior sums to 1 when some prior entry is a float (an exact
#: prior must sum to exactly 1).
PRIOR_TOLERANCE = 1e-12
#: The equilibrium classifications an ``expect`` case may list (signalling specs).
CLASSIFICATIONS = ("separating", "pooling", "semi-separating")

_COMMON_KEYS = ("intelgame", "kind", "name", "description", "parameters")
_KIND_KEYS: dict[str, tuple[str, ...]] = {
    "signalling": ("types", "messages", "actions", "payoffs", "stage", "interpretation", "expect"),
    "normal": ("players", "strategies", "payoffs", "expect"),
}
_KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "signalling": ("types", "messages", "actions", "payoffs"),
    "normal": ("players", "strategies", "payoffs"),
}
_EXPECT_KEYS = ("set", "count", "classifications", "intuitive_criterion", "qualities", "note")


# --- public API -------------------------------------------------------------------------------

def load_spec(path: str | Path) -> Spec:
    """Read and validate the spec in the YAML file ``path``.

    Raises
    ------
    SpecError
        When the file cannot be read or the spec is invalid.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(f"cannot read spec: not UTF-8 text ({exc.reason})", file=str(path)) from None
    except OSError as exc:
        raise SpecError(f"cannot read spec: {exc.strerror or exc}", file=str(path)) from None
    return parse_spec(text, file=str(path))


def parse_spec(text: str, *, file: str = "<string>") -> Spec:
    """Validate the YAML spec ``text``; ``file`` names it in error messages.

    Raises
    ------
    SpecError
        On the first problem found, with file, line and key.
    """
    root = _Node(_load_yaml(text, file), "", 1, file)
    top = root.mapping("the top level (a mapping with keys intelgame, kind, name, ...)")
    kind = _check_header(root, top)
    fields = root.fields(_COMMON_KEYS + _KIND_KEYS[kind], ("intelgame", "kind", "name")
                         + _KIND_REQUIRED[kind], "the top level")
    lines: dict[str, int] = {}
    root.record_lines(lines)
    name = fields["name"].name("spec name")
    description = fields["description"].string("description") if "description" in fields else ""
    parameters = _parameters(fields["parameters"]) if "parameters" in fields else {}
    spec: Spec
    if kind == "signalling":
        spec = _signalling(fields, file, name, description, parameters, lines)
    else:
        spec = _normal(fields, file, name, description, parameters, lines)
    _check_defaults(spec)
    return spec


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
        if not equals or not _is_parameter_name(name):
            raise SpecError(f"expected NAME=VALUE with NAME a parameter name, found '{item}'",
                            file="--set", key=name or item)
        if name in overrides:
            raise SpecError(f"parameter '{name}' is set twice", file="--set", key=name)
        overrides[name] = parse_expression(value, file="--set", line=None, key=name)
    return overrides


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
    overrides = dict(overrides or {})
    for name, expression in overrides.items():
        if name not in spec.parameters:
            raise expression.error(_unknown_parameter(name, spec.parameters))
    for name in symbolic:
        if name not in spec.parameters:
            raise SpecError(_unknown_parameter(name, spec.parameters), file=spec.path, key=name)
    values: dict[str, object] = {}
    for name, default in spec.parameters.items():
        expression = overrides.get(name, default)
        for used in sorted(expression.names() - values.keys()):
            if used in spec.parameters:
                raise expression.error(f"parameter '{name}' uses '{used}', which is not defined above "
                                       "it; a parameter may only use the parameters above it")
            raise expression.error(_unknown_parameter(used, spec.parameters, expression))
        values[name] = _symbol(name) if name in symbolic else expression.value(values)
    if isinstance(spec, SignallingSpec):
        resolve_priors(spec, values)
    return values


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
    total = sum(priors.values())
    exact = all(isinstance(v, Fraction) for v in priors.values())
    if (total != 1) if exact else abs(total - 1) > PRIOR_TOLERANCE:
        listed = ", ".join(f"{t}: {v}" for t, v in priors.items())
        raise spec.error(f"the priors of the types ({listed}) sum to {total}; they must sum to 1", "types")
    return priors


# --- YAML -------------------------------------------------------------------------------------

class _Float(float):
    """A YAML float that remembers its source text, so that ``0.1`` is read as exactly 1/10."""

    text: str


class _Constructor(RoundTripConstructor):
    def construct_yaml_float(self, node: Any) -> Any:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            return float(value)
        exact = _Float(value)
        exact.text = str(node.value)
        return exact


_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)


def _yaml(allow_duplicate_keys: bool = False) -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = allow_duplicate_keys
    return yaml


def _load_yaml(text: str, file: str) -> Any:
    try:
        return _yaml().load(text)
    except DuplicateKeyError as exc:
        raise _duplicate_key_error(text, exc, file) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise SpecError(f"invalid YAML: {exc.problem or exc.context}", file=file, line=line) from None
    except YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", file=file) from None


def _duplicate_key_error(text: str, exc: DuplicateKeyError, file: str) -> SpecError:
    """Name the duplicated key by its dotted path (found by reloading with duplicates kept)."""
    match = re.search(r'found duplicate key "(.*?)" with value', str(exc.problem))
    name = match.group(1) if match else "?"
    line = exc.problem_mark.line + 1
    key = name
    where = (exc.context_mark.line, exc.context_mark.column)
    for node in _Node(_yaml(allow_duplicate_keys=True).load(text), "", 1, file).walk():
        lc = getattr(node.value, "lc", None)
        if isinstance(node.value, dict) and lc is not None and (lc.line, lc.col) == where:
            key = node.child_key(name)
            break
    return SpecError(f"duplicate key '{name}' (each key may appear once per mapping)",
                     file=file, line=line, key=key)


# --- a located YAML value ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Node:
    """A value of the YAML document with its dotted key and line, and typed accessors that
    raise a located :class:`SpecError` when the value is not what was expected."""

    value: Any
    key: str
    line: int
    file: str

    def error(self, message: str, key: str | None = None) -> SpecError:
        return SpecError(message, file=self.file, line=self.line, key=key or self.key or None)

    def child_key(self, name: str | int) -> str:
        if isinstance(name, int):
            return f"{self.key}[{name}]"
        return f"{self.key}.{name}" if self.key else str(name)

    def children(self) -> Iterator[tuple[Any, _Node]]:
        """``(key or index, child)`` pairs of a mapping or list; nothing for a scalar."""
        lc = getattr(self.value, "lc", None)
        if isinstance(self.value, dict):
            for k, v in self.value.items():
                line = lc.key(k)[0] + 1 if lc is not None else self.line
                yield k, _Node(v, self.child_key(str(k)), line, self.file)
        elif isinstance(self.value, list):
            for i, v in enumerate(self.value):
                line = lc.item(i)[0] + 1 if lc is not None else self.line
                yield i, _Node(v, self.child_key(i), line, self.file)

    def walk(self) -> Iterator[_Node]:
        yield self
        for _, child in self.children():
            yield from child.walk()

    def record_lines(self, lines: dict[str, int]) -> None:
        for node in self.walk():
            if node.key:
                lines[node.key] = node.line

    def mapping(self, what: str) -> dict[str, _Node]:
        if not isinstance(self.value, dict):
            raise self.error(f"expected {what}, found {_describe(self.value)}")
        result: dict[str, _Node] = {}
        for k, child in self.children():
            if not isinstance(k, str):
                raise child.error(f"keys in {what} must be strings, found {_describe(k)}; quote it")
            result[k] = child
        return result

    def fields(self, allowed: Sequence[str], required: Sequence[str], what: str) -> dict[str, _Node]:
        """The entries of a mapping with a fixed set of keys."""
        entries = self.mapping(f"a mapping for {what}")
        for k, child in entries.items():
            if k not in allowed:
                raise child.error(f"unknown key '{k}' in {what}; allowed keys: {', '.join(allowed)}")
        for k in required:
            if k not in entries:
                raise self.error(f"missing required key '{k}' in {what}", key=self.child_key(k))
        return entries

    def keyed(self, what: str, names: Sequence[str], entry: str) -> dict[str, _Node]:
        """The entries of a mapping whose keys must be exactly ``names`` (in ``names`` order)."""
        entries = self.mapping(f"a mapping from each {what} to {entry}")
        for k, child in entries.items():
            if k not in names:
                raise child.error(f"unknown {what} '{k}'; expected one of: {', '.join(names)}")
        for k in names:
            if k not in entries:
                raise self.error(f"missing entry for {what} '{k}' (every {what} needs {entry})",
                                 key=self.child_key(k))
        return {k: entries[k] for k in names}

    def sequence(self, what: str) -> list[_Node]:
        if not isinstance(self.value, list):
            raise self.error(f"expected {what}, found {_describe(self.value)}")
        return [child for _, child in self.children()]

    def string(self, what: str) -> str:
        if not isinstance(self.value, str):
            raise self.error(f"expected {what} (a string), found {_describe(self.value)}")
        return self.value

    def name(self, what: str) -> str:
        value = self.string(f"a {what}")
        if not _is_name(value):
            raise self.error(f"invalid {what} {value!r}: names must be non-empty, without leading "
                             "or trailing spaces")
        return value

    def boolean(self, what: str) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(f"expected {what} (true or false), found {_describe(self.value)}")
        return self.value

    def expression(self, parameters: Collection[str]) -> Expression:
        """The value as an expression that may use the given parameters."""
        value = self.value
        text = value.text if isinstance(value, _Float) else value
        expression = parse_expression(text, file=self.file, line=self.line, key=self.key)
        for used in sorted(expression.names()):
            if used not in parameters:
                raise expression.error(_unknown_parameter(used, parameters, expression))
        return expression

    def names(self, what: str) -> tuple[str, ...]:
        """A non-empty list of distinct names."""
        items = self.sequence(f"a non-empty list of {what} names")
        if not items:
            raise self.error(f"expected at least one {what}")
        seen: dict[str, int] = {}
        for item in items:
            name = item.name(f"{what} name")
            if name in seen:
                raise item.error(f"duplicate {what} '{name}' (first at line {seen[name]})")
            seen[name] = item.line
        return tuple(seen)


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"{value!r}" if isinstance(value, (int, float)) else f"a {type(value).__name__}"


def _is_name(value: str) -> bool:
    return bool(value) and value == value.strip()


def _is_parameter_name(name: str) -> bool:
    return (name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")
            and name not in RESERVED_NAMES and unicodedata.normalize("NFKC", name) == name)


def _unknown_parameter(name: str, parameters: Collection[str], expression: Expression | None = None) -> str:
    where = f" in expression '{expression.source}'" if expression is not None else ""
    defined = f"the spec defines: {', '.join(parameters)}" if parameters else "the spec defines no parameters"
    return f"unknown parameter '{name}'{where}; {defined}"


# --- the blocks of a spec ---------------------------------------------------------------------

def _check_header(root: _Node, top: dict[str, _Node]) -> str:
    """Check ``intelgame`` (the format version) and return ``kind``."""
    for key in ("intelgame", "kind"):
        if key not in top:
            raise root.error(f"missing required key '{key}' at the top level", key=key)
    version = top["intelgame"]
    value = version.value
    if isinstance(value, bool) or not isinstance(value, int) or value not in FORMAT_VERSIONS:
        raise version.error(f"unsupported spec format version {_describe(version.value)}; "
                            f"expected one of: {', '.join(map(str, FORMAT_VERSIONS))} (e.g. intelgame: 1)")
    kind = top["kind"]
    if not isinstance(kind.value, str) or kind.value not in _KIND_KEYS:
        raise kind.error(f"unknown kind {_describe(kind.value)}; expected one of: {', '.join(_KIND_KEYS)}")
    return str(kind.value)


def _parameters(node: _Node) -> dict[str, Expression]:
    entries = node.mapping("a mapping from parameter names to values")
    for name, child in entries.items():
        if not _is_parameter_name(name):
            raise child.error(f"invalid parameter name '{name}': expected an identifier (letters, "
                              "digits, '_'; not starting with '_' or a digit; not min, max, abs)")
    # The order of use is checked when resolving (with the overrides in place).
    return {name: child.expression(entries) for name, child in entries.items()}


def _signalling(fields: dict[str, _Node], file: str, name: str, description: str,
                parameters: dict[str, Expression], lines: dict[str, int]) -> SignallingSpec:
    type_nodes = fields["types"].mapping("a mapping from type names to prior probabilities")
    if not type_nodes:
        raise fields["types"].error("expected at least one type")
    for type_name, child in type_nodes.items():
        if not _is_name(type_name):
            raise child.error(f"invalid type name {type_name!r}: names must be non-empty, without "
                              "leading or trailing spaces")
    types = {t: child.expression(parameters) for t, child in type_nodes.items()}
    messages = fields["messages"].names("message")
    actions = fields["actions"].names("action")
    axes = (("type", tuple(types)), ("message", messages), ("action", actions))
    payoffs = _payoff_table(fields["payoffs"], axes, parameters, "[sender, receiver]")
    return SignallingSpec(
        path=file, name=name, description=description, parameters=parameters, types=types,
        messages=messages, actions=actions, payoffs=payoffs,
        stage=_stage(fields["stage"], parameters) if "stage" in fields else None,
        interpretation=(_interpretation(fields["interpretation"], tuple(types), messages, actions)
                        if "interpretation" in fields else None),
        expect=_expect(fields["expect"], parameters, CLASSIFICATIONS) if "expect" in fields else (),
        lines=lines,
    )


def _normal(fields: dict[str, _Node], file: str, name: str, description: str,
            parameters: dict[str, Expression], lines: dict[str, int]) -> NormalSpec:
    players_node = fields["players"]
    players = players_node.names("player")
    if len(players) != 2:
        raise players_node.error(f"expected exactly two players [row, column], found {len(players)}")
    strategy_nodes = fields["strategies"].keyed("player", players, "a list of strategy names")
    strategies = {p: strategy_nodes[p].names(f"{p} strategy") for p in players}
    axes = (("row strategy", strategies[players[0]]), ("column strategy", strategies[players[1]]))
    payoffs = _payoff_table(fields["payoffs"], axes, parameters, "[row, column]")
    return NormalSpec(
        path=file, name=name, description=description, parameters=parameters,
        players=(players[0], players[1]), strategies=strategies, payoffs=payoffs,
        expect=_expect(fields["expect"], parameters, None) if "expect" in fields else (), lines=lines,
    )


def _payoff_table(node: _Node, axes: Sequence[tuple[str, tuple[str, ...]]],
                  parameters: Collection[str], cell: str) -> Any:
    """``payoffs[name_1]...[name_k] = (u_1, u_2)``, covering exactly every combination of names."""
    if not axes:
        entries = node.sequence(f"a list of two expressions {cell}")
        if len(entries) != 2:
            raise node.error(f"expected a list of exactly two expressions {cell}, found {len(entries)}")
        return entries[0].expression(parameters), entries[1].expression(parameters)
    (what, names), rest = axes[0], axes[1:]
    inner = f"its payoffs by {rest[0][0]}" if rest else f"a payoff pair {cell}"
    return {name: _payoff_table(child, rest, parameters, cell)
            for name, child in node.keyed(what, names, inner).items()}


def _stage(node: _Node, parameters: dict[str, Expression]) -> StageSpec:
    fields = node.fields(("chooser", "parameter", "choices", "payoffs", "selection"),
                         ("chooser", "parameter", "choices"), "stage")
    chooser = fields["chooser"].string("stage chooser")
    if chooser not in CHOOSERS:
        raise fields["chooser"].error(f"unknown chooser '{chooser}'; expected one of: {', '.join(CHOOSERS)}")
    parameter = fields["parameter"].string("the name of the parameter chosen")
    if parameter not in parameters:
        raise fields["parameter"].error(_unknown_parameter(parameter, parameters))
    choice_nodes = fields["choices"].sequence("a non-empty list of choices (expressions)")
    if not choice_nodes:
        raise fields["choices"].error("expected at least one choice")
    selection = fields["selection"].string("stage selection") if "selection" in fields else SELECTIONS[0]
    if selection not in SELECTIONS:
        raise fields["selection"].error(f"unknown selection '{selection}'; expected one of: "
                                        f"{', '.join(SELECTIONS)}")
    payoffs = (fields["payoffs"].fields(("sender", "receiver"), (), "stage payoffs")
               if "payoffs" in fields else {})
    return StageSpec(
        chooser=chooser, parameter=parameter,
        choices=tuple(c.expression(parameters) for c in choice_nodes),
        sender_payoff=payoffs["sender"].expression(parameters) if "sender" in payoffs else None,
        receiver_payoff=payoffs["receiver"].expression(parameters) if "receiver" in payoffs else None,
        selection=selection,
    )


def _interpretation(node: _Node, types: tuple[str, ...], messages: tuple[str, ...],
                    actions: tuple[str, ...]) -> InterpretationSpec:
    fields = node.fields(("reports", "correct_actions", "alarm"), ("reports", "correct_actions"),
                         "interpretation")
    reports = _name_map(fields["reports"], types, "message", messages)
    seen: dict[str, str] = {}
    for t, message in reports.items():
        if message in seen:
            raise fields["reports"].error(f"types '{seen[message]}' and '{t}' both report "
                                          f"'{message}'; each type needs its own message",
                                          key=fields["reports"].child_key(t))
        seen[message] = t
    correct = _name_map(fields["correct_actions"], types, "action", actions)
    alarm = None
    if "alarm" in fields:
        alarm = fields["alarm"].name("type name")
        if alarm not in types:
            raise fields["alarm"].error(f"unknown type '{alarm}'; expected one of: {', '.join(types)}")
    return InterpretationSpec(reports=reports, correct_actions=correct, alarm=alarm)


def _name_map(node: _Node, types: tuple[str, ...], what: str, targets: tuple[str, ...]) -> dict[str, str]:
    """A mapping from every type to one of ``targets``."""
    result: dict[str, str] = {}
    for t, child in node.keyed("type", types, f"a {what} name").items():
        target = child.name(f"{what} name")
        if target not in targets:
            raise child.error(f"unknown {what} '{target}'; expected one of: {', '.join(targets)}")
        result[t] = target
    return result


def _expect(node: _Node, parameters: dict[str, Expression],
            classifications: tuple[str, ...] | None) -> tuple[Expectation, ...]:
    cases = []
    for case in node.sequence("a list of expected results (mappings)"):
        fields = case.fields(_EXPECT_KEYS, (), "an expect case")
        overrides = {}
        for name, child in (fields["set"].mapping("a mapping from parameter names to values").items()
                            if "set" in fields else ()):
            if name not in parameters:
                raise child.error(_unknown_parameter(name, parameters))
            overrides[name] = child.expression(parameters)
        count = None
        if "count" in fields:
            value = fields["count"].value
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise fields["count"].error(f"expected a count (an integer >= 0), found {_describe(value)}")
            count = int(value)
        labels = _string_list(fields.get("classifications"), "classification", classifications)
        verdicts = (tuple(item.boolean("an Intuitive Criterion verdict") for item in
                          fields["intuitive_criterion"].sequence("a list of true/false"))
                    if "intuitive_criterion" in fields else None)
        qualities = _string_list(fields.get("qualities"), "quality label", None)
        note = fields["note"].string("note") if "note" in fields else ""
        cases.append(Expectation(overrides=overrides, count=count, classifications=labels,
                                 intuitive_criterion=verdicts, qualities=qualities, note=note,
                                 line=case.line))
    return tuple(cases)


def _string_list(node: _Node | None, what: str, allowed: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """An optional list of names (duplicates allowed: a multiset), each in ``allowed`` if given."""
    if node is None:
        return None
    result = []
    for item in node.sequence(f"a list of {what}s"):
        value = item.name(what)
        if allowed is not None and value not in allowed:
            raise item.error(f"unknown {what} '{value}'; expected one of: {', '.join(allowed)}")
        result.append(value)
    return tuple(result)


def _check_defaults(spec: Spec) -> None:
    """Resolve the parameters as given, under every ``expect`` case's overrides, and with the
    stage parameter set to each choice (as the two-stage solver will). Raises the first
    :class:`SpecError`."""
    resolve_parameters(spec)
    for case in spec.expect:
        resolve_parameters(spec, case.overrides)
    if isinstance(spec, SignallingSpec) and spec.stage is not None:
        for choice in spec.stage.choices:
            resolve_parameters(spec, {spec.stage.parameter: choice})

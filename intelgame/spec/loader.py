"""Read a YAML game spec and validate it, block by block, into a frozen spec.

The format is ``docs/SPEC_FORMAT.md``: the base format plus the ``stage``, ``interpretation`` and
``expect`` blocks. Every rejection is a
:class:`~intelgame.errors.SpecError` naming the file, the 1-based line and the dotted key
(``payoffs.weak.beer.duel``; list items as ``messages[1]``), and saying what was expected.

A spec is loaded as far as its default parameter values go: :func:`parse_spec` also resolves
the parameters (each may use those above it) and checks the prior, so a spec that loads is a
valid game; :func:`~intelgame.spec.parameters.resolve_parameters` repeats the resolution with
``--set`` overrides or symbolic parameters. The YAML layer (values with their key and line) is
:mod:`intelgame.spec._yaml`.

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

import dataclasses
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from intelgame.errors import SpecError
from intelgame.spec import formulas, model
from intelgame.spec._describe import quoted
from intelgame.spec._files import read_spec_text
from intelgame.spec._yaml import YamlNode, describe, load_yaml
from intelgame.spec.catalog import catalog_file
from intelgame.spec.expressions import Expression, Number, parameter_name_problem
from intelgame.spec.limits import SpecLimits
from intelgame.spec.parameters import (
    PRIOR_TOLERANCE,
    parse_overrides,
    resolve_parameters,
    resolve_priors,
    unknown_parameter,
)

__all__ = ["CLASSIFICATIONS", "FORMAT_VERSIONS", "PRIOR_TOLERANCE", "load_spec", "parse_overrides", "parse_spec",
           "resolve_parameters", "resolve_priors"]

#: The spec format versions this loader reads.
FORMAT_VERSIONS = (1,)
#: The equilibrium classifications an ``expect`` case may list (signalling specs).
CLASSIFICATIONS = ("separating", "pooling", "semi-separating")

_COMMON_KEYS = ("intelgame", "kind", "name", "label", "description", "parameters")
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

def load_spec(path: str | Path, *, limits: SpecLimits | None = None) -> model.Spec:
    """Read and validate the spec in the YAML file ``path`` (a regular file within ``limits``, by
    default :meth:`SpecLimits.from_environment`), or the catalog model of that name
    (``beer_quiche``, see :mod:`intelgame.spec.catalog`) when no such file exists.

    Raises
    ------
    SpecError
        When the file cannot be read, is not a regular file, is beyond a limit, or the spec is
        invalid.
    """
    limits = limits or SpecLimits.from_environment()
    if not Path(path).exists():
        found = catalog_file(str(path))
        if found is None and Path(path).parent == Path():
            raise SpecError("cannot read spec: no such file, nor a catalog model (`intelgame models` lists them)",
                            file=str(path))
        path = found or path
    return parse_spec(read_spec_text(path, limits), file=str(path), limits=limits)


def parse_spec(text: str, *, file: str = "<string>", limits: SpecLimits | None = None) -> model.Spec:
    """Validate the YAML spec ``text``; ``file`` names it in error messages; ``limits`` (by
    default :meth:`SpecLimits.from_environment`) bounds its size.

    Raises
    ------
    SpecError
        On the first problem found, with file, line and key.
    """
    limits = limits or SpecLimits.from_environment()
    root = YamlNode(load_yaml(text, file, limits), "", 1, file)
    top = root.mapping("the top level (a mapping with keys intelgame, kind, name, ...)")
    kind = _check_header(root, top)
    fields = root.fields(_COMMON_KEYS + _KIND_KEYS[kind], ("intelgame", "kind", "name")
                         + _KIND_REQUIRED[kind], "the top level")
    lines: dict[str, int] = {}
    root.record_lines(lines)
    name = fields["name"].name("spec name")
    description = fields["description"].string("description") if "description" in fields else ""
    label = _label(fields["label"], "the game's label") if "label" in fields else ""
    parameters, ranges, labels = _parameters(fields["parameters"], limits) if "parameters" in fields else ({}, {}, {})
    spec: model.Spec
    if kind == "signalling":
        spec = _signalling(fields, file, name, description, parameters, lines)
    else:
        spec = _normal(fields, file, name, description, parameters, lines)
    if ranges or labels or label:
        spec = dataclasses.replace(spec, ranges=ranges, parameter_labels=labels, label=label)
    _check_defaults(spec)
    return spec


# --- the blocks of a spec ---------------------------------------------------------------------

def _check_header(root: YamlNode, top: dict[str, YamlNode]) -> str:
    """Check ``intelgame`` (the format version) and return ``kind``."""
    for key in ("intelgame", "kind"):
        if key not in top:
            raise root.error(f"missing required key '{key}' at the top level", key=key)
    version = top["intelgame"]
    value = version.value
    if isinstance(value, bool) or not isinstance(value, int) or value not in FORMAT_VERSIONS:
        raise version.error(f"unsupported spec format version {describe(version.value)}; "
                            f"expected one of: {', '.join(map(str, FORMAT_VERSIONS))} (e.g. intelgame: 1)")
    kind = top["kind"]
    if not isinstance(kind.value, str) or kind.value not in _KIND_KEYS:
        raise kind.error(f"unknown kind {describe(kind.value)}; expected one of: {', '.join(_KIND_KEYS)}")
    return str(kind.value)


def _parameters(node: YamlNode, limits: SpecLimits) -> tuple[dict[str, Expression], dict[str, tuple[Number, Number]],
                                                              dict[str, str]]:
    """Each parameter's expression, the declared domains and labels (``name: {value: ...,
    range: [low, high], label: text}``; ``name: value`` declares neither)."""
    entries = node.mapping("a mapping from parameter names to values")
    if len(entries) > limits.max_parameters:
        raise node.error(f"{len(entries)} parameters, more than the limit of {limits.max_parameters} "
                         f"({limits.raise_hint('max_parameters')})")
    for name, child in entries.items():
        problem = parameter_name_problem(name)
        if problem is not None:
            raise child.error(f"invalid parameter name {quoted(name)}: {problem}")
    # The order of use is checked when resolving (with the overrides in place).
    values: dict[str, Expression] = {}
    ranges: dict[str, tuple[Number, Number]] = {}
    labels: dict[str, str] = {}
    for name, child in entries.items():
        if isinstance(child.value, dict):
            parts = child.fields(("value", "range", "label"), ("value",), f"parameter '{name}'")
            values[name] = parts["value"].expression(entries)
            if "range" in parts:
                ranges[name] = _range(parts["range"])
            if "label" in parts:
                labels[name] = _label(parts["label"], f"the label of parameter '{name}'")
        else:
            values[name] = child.expression(entries)
    return values, ranges, labels


def _label(node: YamlNode, what: str) -> str:
    """A label: text shown in figures and tables, non-empty, on one line."""
    text = node.string(what)
    if not text.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise node.error(f"expected {what} (text on one line, not empty), found {describe(text)}")
    return text


def _range(node: YamlNode) -> tuple[Number, Number]:
    """``[low, high]``: two numbers (or constant expressions), ``low < high``."""
    items = node.sequence("a range [low, high]")
    if len(items) != 2:
        raise node.error(f"expected a range [low, high] (two numbers), found {len(items)} entries")
    low, high = (item.expression(()).evaluate({}) for item in items)
    if not low < high:
        raise node.error(f"expected a range [low, high] with low < high, found [{low}, {high}]")
    return low, high


def _signalling(fields: dict[str, YamlNode], file: str, name: str, description: str,
                parameters: dict[str, Expression], lines: dict[str, int]) -> model.SignallingSpec:
    types, type_attributes = formulas.types_block(fields["types"], parameters)
    messages, message_attributes = formulas.names_block(fields["messages"], "message", parameters)
    actions, action_attributes = formulas.names_block(fields["actions"], "action", parameters)
    if formulas.is_formula_block(fields["payoffs"]):
        payoffs = formulas.formula_payoffs(fields["payoffs"], type_attributes, message_attributes,
                                           action_attributes, parameters)
    else:
        axes = (("type", tuple(types)), ("message", messages), ("action", actions))
        payoffs = _payoff_table(fields["payoffs"], axes, parameters, "[sender, receiver]")
    return model.SignallingSpec(
        path=file, name=name, description=description, parameters=parameters, types=types,
        messages=messages, actions=actions, payoffs=payoffs,
        stage=_stage(fields["stage"], parameters) if "stage" in fields else None,
        interpretation=(_interpretation(fields["interpretation"], tuple(types), messages, actions)
                        if "interpretation" in fields else None),
        expect=_expect(fields["expect"], parameters, CLASSIFICATIONS) if "expect" in fields else (),
        lines=lines,
    )


def _normal(fields: dict[str, YamlNode], file: str, name: str, description: str,
            parameters: dict[str, Expression], lines: dict[str, int]) -> model.NormalSpec:
    players_node = fields["players"]
    players = players_node.names("player")
    if len(players) != 2:
        raise players_node.error(f"expected exactly two players [row, column], found {len(players)}")
    strategy_nodes = fields["strategies"].keyed("player", players, "a list of strategy names")
    strategies = {p: strategy_nodes[p].names(f"{p} strategy") for p in players}
    axes = (("row strategy", strategies[players[0]]), ("column strategy", strategies[players[1]]))
    payoffs = _payoff_table(fields["payoffs"], axes, parameters, "[row, column]")
    return model.NormalSpec(
        path=file, name=name, description=description, parameters=parameters,
        players=(players[0], players[1]), strategies=strategies, payoffs=payoffs,
        expect=_expect(fields["expect"], parameters, None) if "expect" in fields else (), lines=lines,
    )


def _payoff_table(node: YamlNode, axes: Sequence[tuple[str, tuple[str, ...]]],
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


def _stage(node: YamlNode, parameters: dict[str, Expression]) -> model.StageSpec:
    fields = node.fields(("chooser", "parameter", "choices", "payoffs", "selection"),
                         ("chooser", "parameter", "choices"), "stage")
    chooser = fields["chooser"].string("stage chooser")
    if chooser not in model.CHOOSERS:
        raise fields["chooser"].error(f"unknown chooser '{chooser}'; expected one of: {', '.join(model.CHOOSERS)}")
    parameter = fields["parameter"].string("the name of the parameter chosen")
    if parameter not in parameters:
        raise fields["parameter"].error(unknown_parameter(parameter, parameters))
    choice_nodes = fields["choices"].sequence("a non-empty list of choices (expressions)")
    if not choice_nodes:
        raise fields["choices"].error("expected at least one choice")
    selection = fields["selection"].string("stage selection") if "selection" in fields else model.SELECTIONS[0]
    rule, _, criterion = selection.partition(":")
    if rule not in model.SELECTIONS or (criterion and criterion not in model.SELECTION_CRITERIA):
        raise fields["selection"].error(f"unknown selection '{selection}'; expected one of: "
                                        f"{', '.join(model.SELECTIONS)}, optionally followed by ':' and one of: "
                                        f"{', '.join(model.SELECTION_CRITERIA)}")
    payoffs = (fields["payoffs"].fields(("sender", "receiver"), (), "stage payoffs")
               if "payoffs" in fields else {})
    return model.StageSpec(
        chooser=chooser, parameter=parameter,
        choices=tuple(c.expression(parameters) for c in choice_nodes),
        sender_payoff=payoffs["sender"].expression(parameters) if "sender" in payoffs else None,
        receiver_payoff=payoffs["receiver"].expression(parameters) if "receiver" in payoffs else None,
        selection=selection,
    )


def _interpretation(node: YamlNode, types: tuple[str, ...], messages: tuple[str, ...],
                    actions: tuple[str, ...]) -> model.InterpretationSpec:
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
    return model.InterpretationSpec(reports=reports, correct_actions=correct, alarm=alarm)


def _name_map(node: YamlNode, types: tuple[str, ...], what: str, targets: tuple[str, ...]) -> dict[str, str]:
    """A mapping from every type to one of ``targets``."""
    result: dict[str, str] = {}
    for t, child in node.keyed("type", types, f"a {what} name").items():
        target = child.name(f"{what} name")
        if target not in targets:
            raise child.error(f"unknown {what} '{target}'; expected one of: {', '.join(targets)}")
        result[t] = target
    return result


def _expect(node: YamlNode, parameters: dict[str, Expression],
            classifications: tuple[str, ...] | None) -> tuple[model.Expectation, ...]:
    cases = []
    for case in node.sequence("a list of expected results (mappings)"):
        fields = case.fields(_EXPECT_KEYS, (), "an expect case")
        overrides = {}
        for name, child in (fields["set"].mapping("a mapping from parameter names to values").items()
                            if "set" in fields else ()):
            if name not in parameters:
                raise child.error(unknown_parameter(name, parameters))
            overrides[name] = child.expression(parameters)
        count = None
        if "count" in fields:
            value = fields["count"].value
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise fields["count"].error(f"expected a count (an integer >= 0), found {describe(value)}")
            count = int(value)
        labels = _string_list(fields.get("classifications"), "classification", classifications)
        verdicts = (tuple(item.boolean("an Intuitive Criterion verdict") for item in
                          fields["intuitive_criterion"].sequence("a list of true/false"))
                    if "intuitive_criterion" in fields else None)
        qualities = _string_list(fields.get("qualities"), "quality label", None)
        note = fields["note"].string("note") if "note" in fields else ""
        cases.append(model.Expectation(overrides=overrides, count=count, classifications=labels,
                                 intuitive_criterion=verdicts, qualities=qualities, note=note,
                                 line=case.line))
    return tuple(cases)


def _string_list(node: YamlNode | None, what: str, allowed: tuple[str, ...] | None) -> tuple[str, ...] | None:
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


def _check_defaults(spec: model.Spec) -> None:
    """Resolve the parameters as given, under every ``expect`` case's overrides, and with the
    stage parameter set to each choice (as the two-stage solver will). Raises the first
    :class:`SpecError`."""
    resolve_parameters(spec)
    for case in spec.expect:
        resolve_parameters(spec, case.overrides)
    if isinstance(spec, model.SignallingSpec) and spec.stage is not None:
        for choice in spec.stage.choices:
            resolve_parameters(spec, {spec.stage.parameter: choice})

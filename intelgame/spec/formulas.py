"""Attributes of types, messages and actions, and payoffs written as formulas of them.

A signalling spec may attach numbers to its names and give each player's payoff as one formula
instead of a table of cells (``docs/SPEC_FORMAT.md``)::

    types:                       # a type is its prior, or a mapping with `prior` and attributes
      s1: {prior: 1/3, value: 1}
      s2: {prior: 1/3, value: 2}
    messages: [m1, m2]           # a list of names, or a mapping name -> attributes
    actions: {a1: {value: 1}, a2: {value: 2}}
    payoffs:
      sender: -(a.value - t.value - b)**2     # t, m, a: the cell's type, message and action
      receiver: -(a.value - t.value)**2
      cells:                     # optional: [sender, receiver] of some cells, replacing the formulas
        s1: {m1: {a1: [0, 0]}}

A formula is an expression of the safe parser (:mod:`intelgame.spec.expressions`) that may
also read ``t.NAME``, ``m.NAME`` and ``a.NAME``. Attributes are expressions of the parameters.
The formula is expanded here into one ordinary expression per cell, each attribute replaced by
its own expression (in parentheses), so everything after loading (exact and bounded
evaluation, sympy) sees the same payoff table as if every cell had been written by hand.
Errors name the formula's file, line and key, and the cell (type, message, action).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from intelgame.spec._describe import quoted
from intelgame.spec._parser import ATTRIBUTE_OWNERS, Node, substitute, unparse
from intelgame.spec._yaml import YamlNode, is_name
from intelgame.spec.expressions import Expression, parameter_name_problem, parse_expression
from intelgame.spec.parameters import unknown_parameter

#: Attributes of each name: ``{name: {attribute: expression}}``.
Attributes = dict[str, dict[str, Expression]]
_PLAYERS = ("sender", "receiver")
_OWNER_WORDS = {"t": "type", "m": "message", "a": "action"}


def _attribute_block(node: YamlNode, owner: str, parameters: Collection[str], skip: str = "") -> dict[str, Expression]:
    """The attributes of one name: a mapping of identifiers to expressions (``skip`` is a key
    read elsewhere, such as a type's ``prior``)."""
    if node.value is None:
        return {}
    attributes = {}
    for key, child in node.mapping(f"a mapping of the {owner}'s attributes (name: number or expression)").items():
        if key == skip:
            continue
        problem = parameter_name_problem(key)
        if problem is not None:
            raise child.error(f"invalid attribute name {quoted(key)}: {problem}")
        attributes[key] = child.expression(parameters)
    return attributes


def types_block(node: YamlNode, parameters: Collection[str]) -> tuple[dict[str, Expression], Attributes]:
    """The priors and the attributes of the types: each entry is a prior, or a mapping with the
    key ``prior`` and attributes."""
    entries = node.mapping("a mapping from type names to prior probabilities")
    if not entries:
        raise node.error("expected at least one type")
    priors: dict[str, Expression] = {}
    attributes: Attributes = {}
    for name, child in entries.items():
        if not is_name(name):
            raise child.error(f"invalid type name {quoted(name)}: names must be non-empty, without "
                              "leading or trailing spaces or control characters")
        if isinstance(child.value, dict):
            fields = child.mapping("a type: its prior, or a mapping with `prior` and attributes")
            if "prior" not in fields:
                raise child.error(f"missing required key 'prior' in type '{name}'", key=child.child_key("prior"))
            priors[name] = fields["prior"].expression(parameters)
            attributes[name] = _attribute_block(child, "type", parameters, skip="prior")
        else:
            priors[name] = child.expression(parameters)
            attributes[name] = {}
    return priors, attributes


def names_block(node: YamlNode, what: str, parameters: Collection[str]) -> tuple[tuple[str, ...], Attributes]:
    """Message or action names: a list of names, or a mapping from names to attributes."""
    if not isinstance(node.value, dict):
        names = node.names(what)
        return names, {n: {} for n in names}
    entries = node.mapping(f"a list of {what} names, or a mapping from {what} names to attributes")
    if not entries:
        raise node.error(f"expected at least one {what}")
    attributes: Attributes = {}
    for name, child in entries.items():
        if not is_name(name):
            raise child.error(f"invalid {what} name {quoted(name)}: names must be non-empty, without "
                              "leading or trailing spaces or control characters")
        attributes[name] = _attribute_block(child, what, parameters)
    return tuple(entries), attributes


def is_formula_block(node: YamlNode) -> bool:
    """True when ``payoffs`` gives formulas (its ``sender`` entry is a scalar), not cells."""
    return isinstance(node.value, dict) and "sender" in node.value and not isinstance(node.value["sender"], (dict, list))


def _formula(node: YamlNode, parameters: Collection[str], owners: Mapping[str, Attributes]) -> Expression:
    """A formula, its names checked: parameters, and attributes that every name of the owner has."""
    value = node.value
    text = value.text if hasattr(value, "text") else value
    formula = parse_expression(text, file=node.file, line=node.line, key=node.key)
    for used in sorted(formula.names()):
        owner, dot, attribute = used.partition(".")
        if not dot:
            if used not in parameters:
                raise formula.error(unknown_parameter(used, parameters, formula))
            continue
        lacking = [name for name, attrs in owners[owner].items() if attribute not in attrs]
        if lacking:
            word = _OWNER_WORDS[owner]
            raise formula.error(f"'{used}' in formula '{formula.source}': {word} '{lacking[0]}' has no attribute "
                                f"'{attribute}' (give every {word} a '{attribute}:')")
    return formula


def _expand(formula: Expression, cell: tuple[str, str, str], owners: Mapping[str, Attributes]) -> Expression:
    """The formula at one cell: each ``t.NAME``/``m.NAME``/``a.NAME`` replaced by its expression."""
    replacements: dict[str, Node] = {}
    for used in formula.names():
        owner, dot, attribute = used.partition(".")
        if dot:
            name = cell[ATTRIBUTE_OWNERS.index(owner)]
            replacements[used] = owners[owner][name][attribute].tree
    source = unparse(substitute(formula.tree, replacements)) if replacements else formula.source
    return Expression(source, formula.line, formula.file, f"{formula.key} at ({', '.join(cell)})")


def formula_payoffs(node: YamlNode, types: Attributes, messages: Attributes, actions: Attributes,
                    parameters: Collection[str]) -> dict[str, dict[str, dict[str, tuple[Expression, Expression]]]]:
    """``payoffs[type][message][action] = (sender, receiver)`` from the formulas of ``node``
    (``sender``, ``receiver``) and its optional ``cells`` overrides."""
    fields = node.fields(("sender", "receiver", "cells"), _PLAYERS, "payoff formulas")
    owners = {"t": types, "m": messages, "a": actions}
    formulas = [_formula(fields[p], parameters, owners) for p in _PLAYERS]
    table = {t: {m: {a: (_expand(formulas[0], (t, m, a), owners), _expand(formulas[1], (t, m, a), owners))
                     for a in actions} for m in messages} for t in types}
    if "cells" in fields:
        _override(fields["cells"], table, (("type", tuple(types)), ("message", tuple(messages)),
                                           ("action", tuple(actions))), parameters)
    return table


def _override(node: YamlNode, table: dict[str, Any], axes: tuple[tuple[str, tuple[str, ...]], ...],
              parameters: Collection[str]) -> None:
    """Replace the cells ``node`` gives (a partial nested mapping) in ``table``."""
    (what, names), rest = axes[0], axes[1:]
    for name, child in node.mapping(f"a mapping from {what} names to the cells that replace the formulas").items():
        if name not in names:
            raise child.error(f"unknown {what} '{name}'; expected one of: {', '.join(names)}")
        if rest:
            _override(child, table[name], rest, parameters)
            continue
        pair = child.sequence("a list of two expressions [sender, receiver]")
        if len(pair) != 2:
            raise child.error(f"expected a list of exactly two expressions [sender, receiver], found {len(pair)}")
        table[name] = (pair[0].expression(parameters), pair[1].expression(parameters))


"""YAML with locations: read a spec's text into values that know their dotted key and line.

:func:`load_yaml` parses the text (a float keeps its source text, so that ``0.1`` is read as
exactly 1/10; a duplicated key is named by its dotted path) and :class:`YamlNode` wraps each
value with its key (``payoffs.weak.beer.duel``, list items as ``messages[1]``) and 1-based line.
Its typed accessors raise a :class:`~intelgame.errors.SpecError` located at the value when it
is not what was expected.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from intelgame.errors import SpecError
from intelgame.spec._describe import describe, quoted
from intelgame.spec._yaml_guard import CheckedYAML, EventChecker
from intelgame.spec.expressions import Expression, parse_expression
from intelgame.spec.limits import SpecLimits
from intelgame.spec.parameters import unknown_parameter

__all__ = ["YamlNode", "describe", "is_name", "load_yaml"]


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

    def construct_yaml_bool(self, node: Any) -> Any:
        """A plain ``bool`` (ruamel makes an anchored boolean an ``int`` subclass, which would
        pass for the number 1)."""
        return bool(super().construct_yaml_bool(node))


_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
_Constructor.add_constructor("tag:yaml.org,2002:bool", _Constructor.construct_yaml_bool)


def _yaml(file: str, limits: SpecLimits, allow_duplicate_keys: bool = False) -> YAML:
    yaml = CheckedYAML(EventChecker(file, limits))
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = allow_duplicate_keys
    return yaml


def load_yaml(text: str, file: str, limits: SpecLimits | None = None) -> Any:
    """The one YAML document of ``text``, its events checked as they are parsed by
    :mod:`intelgame.spec._yaml_guard` (no tags, no merge keys, bounded size and depth)."""
    limits = limits or SpecLimits()
    try:
        return _yaml(file, limits).load(text)
    except DuplicateKeyError as exc:
        raise _duplicate_key_error(text, exc, file, limits) from None
    except ReaderError as exc:  # a character YAML does not allow: locate it by line
        at = text.count("\n", 0, max(exc.position, 0)) + 1
        character: Any = exc.character
        code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
        raise SpecError(f"invalid YAML: the character U+{code:04X} is not allowed in YAML text",
                        file=file, line=at) from None
    except NotImplementedError as exc:  # ruamel's round-trip reader gives up on some comment layouts
        found = re.search(r"line: (\d+)", str(exc))
        raise SpecError("invalid YAML: the YAML reader cannot place a comment here (move the comment to a "
                        "line of its own, or remove it)", file=file,
                        line=int(found.group(1)) + 1 if found else None) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = "; ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise SpecError(f"invalid YAML: {what}", file=file, line=line) from None
    except YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", file=file) from None


def _duplicate_key_error(text: str, exc: DuplicateKeyError, file: str, limits: SpecLimits) -> SpecError:
    """Name the duplicated key by its dotted path (found by reloading with duplicates kept)."""
    match = re.search(r'found duplicate key "(.*?)" with value', str(exc.problem))
    name = match.group(1) if match else "?"
    line = exc.problem_mark.line + 1
    key = name
    where = (exc.context_mark.line, exc.context_mark.column)
    for node in YamlNode(_yaml(file, limits, allow_duplicate_keys=True).load(text), "", 1, file).walk():
        lc = getattr(node.value, "lc", None)
        if isinstance(node.value, dict) and lc is not None and (lc.line, lc.col) == where:
            key = node.child_key(name)
            break
    return SpecError(f"duplicate key '{name}' (each key may appear once per mapping)",
                     file=file, line=line, key=key)


# --- a located YAML value --------------------------------------------------------------------

@dataclass(frozen=True)
class YamlNode:
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

    def children(self) -> Iterator[tuple[Any, YamlNode]]:
        """``(key or index, child)`` pairs of a mapping or list; nothing for a scalar."""
        lc = getattr(self.value, "lc", None)
        if isinstance(self.value, dict):
            for k, v in self.value.items():
                line = lc.key(k)[0] + 1 if lc is not None else self.line
                yield k, YamlNode(v, self.child_key(str(k)), line, self.file)
        elif isinstance(self.value, list):
            for i, v in enumerate(self.value):
                line = lc.item(i)[0] + 1 if lc is not None else self.line
                yield i, YamlNode(v, self.child_key(i), line, self.file)

    def walk(self) -> Iterator[YamlNode]:
        yield self
        for _, child in self.children():
            yield from child.walk()

    def record_lines(self, lines: dict[str, int]) -> None:
        for node in self.walk():
            if node.key:
                lines[node.key] = node.line

    def mapping(self, what: str) -> dict[str, YamlNode]:
        if not isinstance(self.value, dict):
            raise self.error(f"expected {what}, found {describe(self.value)}")
        result: dict[str, YamlNode] = {}
        for k, child in self.children():
            if not isinstance(k, str):
                raise child.error(f"keys in {what} must be strings, found {describe(k)}; quote it")
            result[k] = child
        return result

    def fields(self, allowed: Sequence[str], required: Sequence[str], what: str) -> dict[str, YamlNode]:
        """The entries of a mapping with a fixed set of keys."""
        return self._entries(
            f"a mapping for {what}", allowed, required,
            lambda k: f"unknown key '{k}' in {what}; allowed keys: {', '.join(allowed)}",
            lambda k: f"missing required key '{k}' in {what}")

    def keyed(self, what: str, names: Sequence[str], entry: str) -> dict[str, YamlNode]:
        """The entries of a mapping whose keys must be exactly ``names`` (in ``names`` order)."""
        entries = self._entries(
            f"a mapping from each {what} to {entry}", names, names,
            lambda k: f"unknown {what} '{k}'; expected one of: {', '.join(names)}",
            lambda k: f"missing entry for {what} '{k}' (every {what} needs {entry})")
        return {k: entries[k] for k in names}

    def _entries(self, what: str, allowed: Sequence[str], required: Sequence[str],
                 unknown: Callable[[str], str], missing: Callable[[str], str]) -> dict[str, YamlNode]:
        """A mapping whose keys are all in ``allowed`` and include ``required``; the first key
        that is not is an error at that key (``unknown``) or at the mapping (``missing``)."""
        entries = self.mapping(what)
        for k, child in entries.items():
            if k not in allowed:
                raise child.error(unknown(k))
        for k in required:
            if k not in entries:
                raise self.error(missing(k), key=self.child_key(k))
        return entries

    def sequence(self, what: str) -> list[YamlNode]:
        if not isinstance(self.value, list):
            raise self.error(f"expected {what}, found {describe(self.value)}")
        return [child for _, child in self.children()]

    def string(self, what: str) -> str:
        if not isinstance(self.value, str):
            raise self.error(f"expected {what} (a string), found {describe(self.value)}")
        return self.value

    def name(self, what: str) -> str:
        value = self.string(f"a {what}")
        if not is_name(value):
            raise self.error(f"invalid {what} {quoted(value)}: names must be non-empty, without leading "
                             "or trailing spaces or control characters")
        return value

    def boolean(self, what: str) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(f"expected {what} (true or false), found {describe(self.value)}")
        return self.value

    def expression(self, parameters: Collection[str]) -> Expression:
        """The value as an expression that may use the given parameters."""
        value = self.value
        text = value.text if isinstance(value, _Float) else value
        expression = parse_expression(text, file=self.file, line=self.line, key=self.key)
        for used in sorted(expression.names()):
            if "." in used:
                raise expression.error(f"'{used}' (an attribute of the cell's type, message or action) can "
                                       "only be used in a payoff formula (payoffs: {sender: ..., receiver: ...})")
            if used not in parameters:
                raise expression.error(unknown_parameter(used, parameters, expression))
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


def is_name(value: str) -> bool:
    """A name of a type, message, action, player or strategy: non-empty, no surrounding spaces,
    no control characters (a name is printed in tables and messages)."""
    return bool(value) and value == value.strip() and value.isprintable()


"""The YAML event stream of a spec, checked as it is parsed, before anything is built from it.

:class:`CheckedParser` is ruamel's round-trip parser with every event passed to a
:class:`EventChecker` as the composer takes it: the checker sees a node's event before the
composer descends into it, keeps no more than a stack of the open collections (aliases not
expanded), and refuses, with the file, line and dotted key of the node:

* a second document (a spec is one YAML document);
* any tag (``!foo``, ``!!python/object/apply:...``, ``!!set``, even ``!!str``): a spec's values
  are plain data, and quoting makes a string;
* merge keys (``<<:``). Refused rather than supported: a merged entry would have no line of its
  own, and merging overrides keys silently where the spec format requires each key once;
* a key that is a mapping or a sequence (keys are names);
* an alias to an anchor not yet complete above it (undefined or recursive);
* nesting deeper than ``max_depth`` and more than ``max_nodes`` nodes, counting each alias as
  a copy of the node it names (so a "billion laughs" bomb is refused after a few events, before
  anything walks it), depth included;
* a number of more than :data:`MAX_NUMBER_CHARACTERS` characters (Python refuses to convert
  integers of more than 4300 digits; no game needs a hundredth of that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.parser import RoundTripParser

from intelgame.errors import SpecError
from intelgame.spec.limits import SpecLimits

#: Longest plain scalar read as a number, in characters.
MAX_NUMBER_CHARACTERS = 1000
_NUMBER = re.compile(r"[-+]?\.?[0-9][0-9a-fA-FxXoObB_.eE:+-]*")
_YAML_TAGS = "tag:yaml.org,2002:"


@dataclass
class _Collection:
    """An open mapping or sequence: its key, and what it holds so far (aliases expanded)."""

    kind: str
    key: str
    anchor: str | None
    nodes: int = 1
    levels: int = 1
    count: int = 0  # children so far; in a mapping, keys and values alternate
    last_key: str = ""


@dataclass(frozen=True)
class _Anchored:
    nodes: int
    levels: int
    text: str | None  # a scalar's value; None for a mapping or a sequence


class CheckedYAML(YAML):
    """ruamel's round-trip loader with :class:`CheckedParser` checking its events."""

    def __init__(self, checker: EventChecker) -> None:
        super().__init__(typ="rt")
        self.Parser = CheckedParser
        self.event_checker = checker


class CheckedParser(RoundTripParser):
    """ruamel's round-trip parser, each event passed to the ``event_checker`` of the
    :class:`CheckedYAML` that uses it before the composer gets it."""

    def get_event(self) -> Any:
        event = super().get_event()
        self.loader.event_checker.feed(event)
        return event


class EventChecker:
    """Checks a stream of events against the rules of the module docstring.

    Raises
    ------
    SpecError
        From :meth:`feed`, at the first offending node.
    """

    def __init__(self, file: str, limits: SpecLimits) -> None:
        self.file = file
        self.limits = limits
        self.stack: list[_Collection] = []
        self.anchors: dict[str, _Anchored] = {}
        self.nodes = 0
        self.documents = 0

    def feed(self, event: Event) -> None:
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.error(event, "", "a spec is one YAML document; a second one starts here "
                                 "(remove the '---' line and what follows, or merge the two)")
        elif isinstance(event, NodeEvent):
            self.node(event)
        elif isinstance(event, CollectionEndEvent):
            self.end()

    def error(self, event: Event, key: str, message: str) -> SpecError:
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        return SpecError(message, file=self.file, line=line, key=key or None)

    def node(self, event: NodeEvent) -> None:
        parent = self.stack[-1] if self.stack else None
        is_key = parent is not None and parent.kind == "mapping" and parent.count % 2 == 0
        key = self.key_of(event, parent, is_key)
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = str(tag).replace(_YAML_TAGS, "!!")
            raise self.error(event, key, f"YAML tags such as '{shown[:40]}' are not allowed in a spec "
                             "(values are plain data; quote a value to make it a string)")
        if isinstance(event, CollectionStartEvent):
            kind = "mapping" if isinstance(event, MappingStartEvent) else "sequence"
            if is_key:
                raise self.error(event, key, f"a key must be a name (a scalar), found a {kind}")
            self.count(event, key, 1, len(self.stack) + 1)
            self.stack.append(_Collection(kind, key, event.anchor))
            return
        if isinstance(event, AliasEvent):
            anchored = self.anchors.get(str(event.anchor))
            if anchored is None:
                raise self.error(event, key, f"alias '*{event.anchor}' names no complete anchor above it "
                                 "(aliases may only repeat a node defined earlier, never its own parent)")
            if is_key and anchored.text is None:
                raise self.error(event, key, "a key must be a name (a scalar), found an alias to a "
                                 "mapping or a sequence")
            self.count(event, key, anchored.nodes, len(self.stack) + anchored.levels)
            self.done(anchored.nodes, anchored.levels, anchored.text or "?")
            return
        assert isinstance(event, ScalarEvent)
        value = str(event.value)
        if event.style is None:
            if is_key and value == "<<":
                raise self.error(event, key, "merge keys ('<<') are not allowed in a spec; write the "
                                 "entries out (each key of a mapping has its own line)")
            if len(value) > MAX_NUMBER_CHARACTERS and _NUMBER.fullmatch(value):
                raise self.error(event, key, f"number of {len(value)} characters is too long (at most "
                                 f"{MAX_NUMBER_CHARACTERS})")
        self.count(event, key, 1, len(self.stack))
        if event.anchor is not None:
            self.anchors[str(event.anchor)] = _Anchored(1, 0, value)
        self.done(1, 0, value)

    def key_of(self, event: NodeEvent, parent: _Collection | None, is_key: bool) -> str:
        """The dotted key of the node (a key is located at the entry it opens)."""
        if parent is None:
            return ""
        if parent.kind == "sequence":
            return f"{parent.key}[{parent.count}]"
        name = (str(event.value) if isinstance(event, ScalarEvent) else "?") if is_key else parent.last_key
        return f"{parent.key}.{name}" if parent.key else name

    def count(self, event: Event, key: str, nodes: int, depth: int) -> None:
        """Add ``nodes`` nodes reaching ``depth`` levels; refuse beyond the limits."""
        self.nodes += nodes
        if depth > self.limits.max_depth:
            raise self.error(event, key, f"mappings and sequences nested {depth} deep, deeper than the "
                             f"limit of {self.limits.max_depth} ({self.limits.raise_hint('max_depth')})")
        if self.nodes > self.limits.max_nodes:
            raise self.error(event, key, f"more than {self.limits.max_nodes} YAML nodes (each use of an "
                             f"alias counting as a copy of what it names), beyond the limit "
                             f"({self.limits.raise_hint('max_nodes')})")

    def end(self) -> None:
        closed = self.stack.pop()
        if closed.anchor is not None:
            self.anchors[str(closed.anchor)] = _Anchored(closed.nodes, closed.levels, None)
        self.done(closed.nodes, closed.levels, "?")

    def done(self, nodes: int, levels: int, text: str) -> None:
        """Account a complete child (``nodes`` nodes, ``levels`` levels of collections) to its parent."""
        if not self.stack:
            return
        parent = self.stack[-1]
        if parent.kind == "mapping" and parent.count % 2 == 0:
            parent.last_key = text
        parent.count += 1
        parent.nodes += nodes
        parent.levels = max(parent.levels, 1 + levels)

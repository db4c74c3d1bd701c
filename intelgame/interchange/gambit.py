"""Gambit's text formats: signalling games as extensive games (``.efg``), normal-form games as
strategic games (``.nfg``), written and read by intelgame's own code (no pygambit needed).

The formats are those of Gambit's documentation ("Game representation formats"): an ``.efg``
file is a header ``EFG 2 R "title" { "player 1" "player 2" }``, a comment string, and the nodes
of the tree in preorder, each a chance node ``c "name" infoset "label" { "action" prob ... }
outcome``, a personal node ``p "name" player infoset "label" { "action" ... } outcome`` or a
terminal node ``t "name" outcome``; an outcome's first appearance carries its label and the
payoffs ``{ u_1, u_2 }``. An ``.nfg`` file is ``NFG 1 R "title" { players } { { strategies }
... }``, a comment, the outcomes ``{ "label" u_1, u_2 }`` and the outcome of each contingency,
the first player's strategy changing fastest. Numbers are integers, fractions ``p/q`` or
decimals, all read exactly.

A signalling game is written as the tree Gambit users draw: the root is Nature's move, its
actions labelled by the type names with the prior as probabilities; each type's node is an
information set of the sender (labelled by the type) whose actions are the messages; every
message leads to the receiver's information set of that message (one per message, across
types), whose actions are the receiver's actions. :func:`read_gambit` reads back files of
that shape, and 2-player strategic games.

Examples
--------
>>> from intelgame.games.normal_form import NormalFormGame
>>> game = NormalFormGame.from_payoffs(name="pd", players=("row", "column"),
...     row_strategies=["c", "d"], column_strategies=["c", "d"],
...     payoffs={"c": {"c": (3, 3), "d": (0, 5)}, "d": {"c": (5, 0), "d": (1, 1)}})
>>> print(to_nfg(game).splitlines()[0])
NFG 1 R "pd" { "row" "column" }
>>> read_gambit(to_nfg(game)) == game
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from intelgame.errors import SpecError
from intelgame.games.normal_form import NormalFormGame
from intelgame.games.signalling import SignallingGame, exact_number

__all__ = ["read_gambit", "to_efg", "to_nfg"]


# --- writing ----------------------------------------------------------------------------------

def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(x: Any) -> str:
    """An entry as Gambit writes it: ``3``, ``-1/2``; a float as its shortest exact decimal."""
    value = exact_number(x)
    return str(value)  # str(Fraction) is Gambit's own form: "3", "-1/2"


def _labels(names: Sequence[str]) -> str:
    return "{ " + " ".join(map(_quote, names)) + " }"


def to_efg(game: SignallingGame, *, players: tuple[str, str] = ("sender", "receiver")) -> str:
    """The ``.efg`` text of ``game``: Nature's move over the types, then the sender's
    information set of each type, then the receiver's information set of each message."""
    lines = [f"EFG 2 R {_quote(game.name)} {_labels(players)}", _quote(game.description), ""]
    chance = " ".join(f"{_quote(t)} {_number(p)}" for t, p in zip(game.types, game.prior))
    lines.append(f'c "" 1 "" {{ {chance} }} 0')
    outcome = 0
    for t, type_name in enumerate(game.types):
        lines.append(f'p "" 1 {t + 1} {_quote(type_name)} {_labels(game.messages)} 0')
        for m, message in enumerate(game.messages):
            lines.append(f'p "" 2 {m + 1} {_quote(message)} {_labels(game.actions)} 0')
            for a, action in enumerate(game.actions):
                outcome += 1
                payoffs = f"{_number(game.sender_payoffs[t][m][a])}, {_number(game.receiver_payoffs[t][m][a])}"
                lines.append(f't "" {outcome} {_quote(f"{type_name}, {message}, {action}")} {{ {payoffs} }}')
    return "\n".join(lines) + "\n"


def to_nfg(game: NormalFormGame) -> str:
    """The ``.nfg`` text of ``game`` (outcome form, strategy labels kept)."""
    rows, columns = game.row_strategies, game.column_strategies
    lines = [f"NFG 1 R {_quote(game.name)} {_labels(game.players)}", "",
             f"{{ {_labels(rows)}", f"{_labels(columns)}", "}", _quote(game.description), "", "{"]
    order: list[str] = []
    for j, column in enumerate(columns):
        for i, row in enumerate(rows):
            payoffs = f"{_number(game.row_payoffs[i][j])}, {_number(game.column_payoffs[i][j])}"
            lines.append(f"{{ {_quote(f'{row}, {column}')} {payoffs} }}")
            order.append(str(len(order) + 1))
    lines += ["}", " ".join(order)]
    return "\n".join(lines) + "\n"


# --- reading ----------------------------------------------------------------------------------

_TOKEN = re.compile(r'\s+|"((?:[^"\\]|\\.)*)"|([{},])|([^\s{},"]+)', re.DOTALL)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(/\d+)?$")


@dataclass
class _Tokens:
    """The tokens of a Gambit file: ``(kind, text, line)`` with kind ``str`` (a quoted
    string), ``sym`` (a brace or comma) or ``word``."""

    file: str
    items: list[tuple[str, str, int]] = field(default_factory=list)
    at: int = 0

    @classmethod
    def of(cls, text: str, file: str) -> _Tokens:
        tokens = cls(file)
        position, line = 0, 1
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise SpecError(f"cannot read {text[position]!r}", file=file, line=line)
            if match.group(1) is not None:
                tokens.items.append(("str", re.sub(r"\\(.)", r"\1", match.group(1)), line))
            elif match.group(2) is not None:
                tokens.items.append(("sym", match.group(2), line))
            elif match.group(3) is not None:
                tokens.items.append(("word", match.group(3), line))
            line += match.group(0).count("\n")
            position = match.end()
        return tokens

    def error(self, message: str) -> SpecError:
        line = self.items[min(self.at, len(self.items) - 1)][2] if self.items else None
        return SpecError(message, file=self.file, line=line)

    def peek(self) -> tuple[str, str]:
        if self.at >= len(self.items):
            return ("end", "")
        kind, text, _ = self.items[self.at]
        return kind, text

    def take(self, kind: str, what: str) -> str:
        found_kind, text = self.peek()
        if found_kind != kind:
            raise self.error(f"expected {what}, found {text or 'the end of the file'!r}")
        self.at += 1
        return text

    def optional(self, kind: str, text: str | None = None) -> bool:
        found_kind, found = self.peek()
        if found_kind == kind and (text is None or found == text):
            self.at += 1
            return True
        return False

    def integer(self, what: str) -> int:
        text = self.take("word", what)
        if not text.isdigit():
            raise self.error(f"expected {what} (an integer >= 0), found {text!r}")
        return int(text)

    def number(self) -> Fraction:
        self.optional("sym", ",")
        text = self.take("word", "a number")
        if not _NUMBER.match(text):
            raise self.error(f"expected a number, found {text!r}")
        numerator, _, denominator = text.partition("/")
        return Fraction(numerator) / (Fraction(denominator) if denominator else 1)

    def labels(self) -> list[str]:
        self.take("sym", "'{'")
        names = []
        while not self.optional("sym", "}"):
            names.append(self.take("str", "a quoted label or '}'"))
        return names

    def numbers(self, count: int | None = None) -> list[Fraction]:
        """``{ x, y, ... }`` (``count`` of them if given)."""
        self.take("sym", "'{'")
        values = []
        while not self.optional("sym", "}"):
            values.append(self.number())
            self.optional("sym", ",")
        if count is not None and len(values) != count:
            raise self.error(f"expected {count} numbers, found {len(values)}")
        return values


@dataclass
class _Node:
    kind: str  # "c", "p" or "t"
    player: int  # 0 for chance and terminal nodes
    infoset: int
    actions: list[str]
    probabilities: list[Fraction]
    payoffs: list[Fraction]  # of this node's outcome (zeros when it has none)
    children: list[_Node]


def _header(tokens: _Tokens, magic: str, version: str) -> tuple[str, list[str]]:
    tokens.take("word", f"the header {magic}")
    if tokens.items[tokens.at - 1][1] != magic:
        raise tokens.error(f"not a Gambit {magic} file: it should start with '{magic} {version} R'")
    if tokens.take("word", "the format version") != version:
        raise tokens.error(f"unsupported {magic} version: expected {version}")
    if tokens.take("word", "R or D") not in ("R", "D"):
        raise tokens.error("expected R or D after the version")
    title = tokens.take("str", "the game's title")
    return title, tokens.labels()


def _efg_tree(tokens: _Tokens, players: int) -> _Node:
    """The nodes in preorder; infosets' actions (and chance probabilities) and outcomes'
    payoffs are given on first use and may be omitted after."""
    infosets: dict[tuple[int, int], tuple[list[str], list[Fraction]]] = {}
    outcomes: dict[int, list[Fraction]] = {0: [Fraction(0)] * players}

    def outcome() -> list[Fraction]:
        number = tokens.integer("an outcome number")
        if tokens.optional("str"):
            outcomes[number] = tokens.numbers(players)
        if number not in outcomes:
            raise tokens.error(f"outcome {number} is used before its payoffs are given")
        return outcomes[number]

    def node() -> _Node:
        kind = tokens.take("word", "a node (c, p or t)")
        tokens.take("str", "the node's name")
        if kind == "t":
            return _Node("t", 0, 0, [], [], outcome(), [])
        if kind not in ("c", "p"):
            raise tokens.error(f"expected a node c, p or t, found {kind!r}")
        player = tokens.integer("a player number") if kind == "p" else 0
        if kind == "p" and not 1 <= player <= players:
            raise tokens.error(f"player {player} does not exist")
        infoset = tokens.integer("an information set number")
        tokens.optional("str")
        if tokens.peek() == ("sym", "{"):
            tokens.take("sym", "'{'")
            actions, probabilities = [], []
            while not tokens.optional("sym", "}"):
                actions.append(tokens.take("str", "an action label or '}'"))
                if kind == "c":
                    probabilities.append(tokens.number())
            infosets[player, infoset] = (actions, probabilities)
        if (player, infoset) not in infosets:
            raise tokens.error(f"information set {infoset} is used before its actions are given")
        actions, probabilities = infosets[player, infoset]
        payoffs = outcome()
        return _Node(kind, player, infoset, actions, probabilities, payoffs, [node() for _ in actions])

    root = node()
    if tokens.peek()[0] != "end":
        raise tokens.error("unexpected text after the game tree")
    return root


def _names(labels: Sequence[str], prefix: str) -> tuple[str, ...]:
    """``labels`` as names (stripped); unnamed or repeated labels become ``prefix1, ...``."""
    names = tuple(label.strip() for label in labels)
    if all(names) and len(set(names)) == len(names):
        return names
    return tuple(f"{prefix}{i + 1}" for i in range(len(names)))


def _signalling(root: _Node, title: str, description: str, player_names: Sequence[str],
                file: str) -> SignallingGame:
    """The signalling game a tree of that shape stands for (payoffs summed along each path)."""
    def reject(why: str) -> SpecError:
        return SpecError(f"not a signalling game of the shape intelgame reads ({why}); intelgame imports "
                         "trees with Nature's move at the root, one sender information set per type, "
                         "then one receiver information set per message", file=file)

    if len(player_names) != 2:
        raise reject(f"{len(player_names)} players")
    if root.kind != "c" or not root.children:
        raise reject("the root is not a chance move")
    sender_nodes = root.children
    if any(n.kind != "p" for n in sender_nodes) or len({n.player for n in sender_nodes}) != 1:
        raise reject("the chance move is not followed by moves of one player")
    sender = sender_nodes[0].player
    if len({n.infoset for n in sender_nodes}) != len(sender_nodes):
        raise reject("two types share an information set of the sender")
    messages = sender_nodes[0].actions
    if any(n.actions != messages for n in sender_nodes):
        raise reject("the types' moves have different actions")
    receiver_sets: list[int] | None = None
    actions: list[str] = []
    sender_payoffs: list[tuple[tuple[Fraction, ...], ...]] = []
    receiver_payoffs: list[tuple[tuple[Fraction, ...], ...]] = []
    for t_node in sender_nodes:
        replies = t_node.children
        if any(n.kind != "p" or n.player == sender for n in replies):
            raise reject("a message is not followed by a move of the other player")
        sets = [n.infoset for n in replies]
        if receiver_sets is None:
            receiver_sets, actions = sets, replies[0].actions
        if sets != receiver_sets or len(set(sets)) != len(sets):
            raise reject("the receiver's information sets are not one per message")
        if any(n.actions != actions for n in replies) or any(leaf.kind != "t" for n in replies for leaf in n.children):
            raise reject("the receiver's moves have different actions or are followed by further moves")
        base = [x + y for x, y in zip(root.payoffs, t_node.payoffs)]
        paths = [[[b + r + leaf for b, r, leaf in zip(base, n.payoffs, leaf_node.payoffs)]
                  for leaf_node in n.children] for n in replies]
        sender_payoffs.append(tuple(tuple(u[sender - 1] for u in row) for row in paths))
        receiver_payoffs.append(tuple(tuple(u[2 - sender] for u in row) for row in paths))
    return SignallingGame(
        name=title, types=_names(root.actions, "type"), messages=_names(messages, "message"),
        actions=_names(actions, "action"), prior=tuple(root.probabilities),
        sender_payoffs=tuple(sender_payoffs), receiver_payoffs=tuple(receiver_payoffs), description=description,
    )


def _normal(tokens: _Tokens, title: str, player_names: Sequence[str], file: str) -> NormalFormGame:
    if len(player_names) != 2:
        raise SpecError(f"a strategic game of {len(player_names)} players; intelgame imports 2-player games",
                        file=file)
    tokens.take("sym", "'{'")
    if tokens.peek() == ("sym", "{"):
        strategies = [tokens.labels() for _ in range(2)]
        tokens.take("sym", "'}'")
    else:
        counts = [tokens.integer("a number of strategies") for _ in range(2)]
        tokens.take("sym", "'}'")
        if counts[0] * counts[1] > len(tokens.items):  # every contingency needs a payoff or outcome token
            raise tokens.error(f"{counts[0]} x {counts[1]} strategies, but the file holds fewer entries than that")
        strategies = [[str(i + 1) for i in range(n)] for n in counts]
    description = tokens.take("str", "the comment") if tokens.peek()[0] == "str" else ""
    rows, columns = len(strategies[0]), len(strategies[1])
    cells = rows * columns
    if tokens.optional("sym", "{"):  # outcomes, then the outcome of each contingency
        outcomes = [[Fraction(0), Fraction(0)]]
        while not tokens.optional("sym", "}"):
            tokens.take("sym", "'{'")
            tokens.take("str", "an outcome label")
            values = [tokens.number(), tokens.number()]
            tokens.optional("sym", ",")
            tokens.take("sym", "'}'")
            outcomes.append(values)
        indices = [tokens.integer("an outcome number") for _ in range(cells)]
        if any(i >= len(outcomes) for i in indices):
            raise tokens.error("an outcome number beyond the outcomes listed")
        payoffs = [outcomes[i] for i in indices]
    else:
        flat = [tokens.number() for _ in range(2 * cells)]
        payoffs = [flat[2 * k: 2 * k + 2] for k in range(cells)]
    if tokens.peek()[0] != "end":
        raise tokens.error("unexpected text after the payoffs")
    row_names, column_names = _names(strategies[0], "r"), _names(strategies[1], "c")
    return NormalFormGame(
        name=title, players=(_names(player_names, "player")[0], _names(player_names, "player")[1]),
        row_strategies=row_names, column_strategies=column_names,
        row_payoffs=tuple(tuple(payoffs[j * rows + i][0] for j in range(columns)) for i in range(rows)),
        column_payoffs=tuple(tuple(payoffs[j * rows + i][1] for j in range(columns)) for i in range(rows)),
        description=description,
    )


def read_gambit(text: str, *, file: str = "<string>", name: str = "imported") -> SignallingGame | NormalFormGame:
    """The game of a Gambit ``.efg`` (a signalling game of the shape :func:`to_efg` writes) or
    ``.nfg`` file (2 players); ``name`` replaces an empty title.

    Raises
    ------
    SpecError
        On a syntax error (with its line) or a game of another shape.
    """
    tokens = _Tokens.of(text, file)
    magic = tokens.peek()[1]
    if magic == "EFG":
        title, player_names = _header(tokens, "EFG", "2")
        description = tokens.take("str", "the comment") if tokens.peek()[0] == "str" else ""
        try:
            root = _efg_tree(tokens, len(player_names))
        except RecursionError:  # a signalling game's tree is four levels deep
            raise SpecError("the game tree is nested too deep for a signalling game", file=file) from None
        return _signalling(root, title.strip() or name, description, player_names, file)
    if magic == "NFG":
        title, player_names = _header(tokens, "NFG", "1")
        return _normal(tokens, title.strip() or name, player_names, file)
    raise tokens.error("not a Gambit file: expected EFG or NFG at the start")

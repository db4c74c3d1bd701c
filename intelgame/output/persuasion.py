"""The commitment benchmark as a JSON document and a table: ``intelgame persuade``.

The document (SPEC.md section 4) has ``sender_value`` and ``receiver_value`` (ex ante, under
the sender-optimal commitment), ``sigma[type][message]``, ``receiver[message][action]`` (the
replies; ``null`` after a message the rule never sends, where no reply is defined),
``quality`` (as in ``intelgame solve``: labels and metrics of the committed rule), the
reference points ``receiver_optimal`` and ``full_disclosure`` (``null`` with fewer messages
than types) in the same shape, and ``cheap_talk``: the number of PBE entries, each player's
``best`` and ``worst`` PBE value, and ``value_of_commitment`` for each player, its value under
the sender-optimal commitment less its best (``versus_best``) and worst (``versus_worst``)
PBE value. Numbers follow :func:`intelgame.output.numbers.format_number`.
"""

from __future__ import annotations

from typing import Any, Mapping

from rich.table import Table

from intelgame.analysis.persuasion import Persuasion
from intelgame.games.signalling import SignallingGame
from intelgame.output.numbers import format_number
from intelgame.output.tables import _mixture
from intelgame.solvers.persuasion import Commitment
from intelgame.geometry.numbers import Number



def describe_commitment(game: SignallingGame, commitment: Commitment, exact: bool) -> dict[str, Any]:
    """One committed rule: its values, ``sigma`` and the receiver's replies, by name."""
    def fmt(x: Number) -> Any:
        return format_number(x, exact)

    return {
        "sender_value": fmt(commitment.sender_value),
        "receiver_value": fmt(commitment.receiver_value),
        "sigma": {t: {m: fmt(x) for m, x in zip(game.messages, row)} for t, row in zip(game.types, commitment.sigma)},
        "receiver": {m: {a: (None if reply is None else fmt(x)) for a, x in zip(game.actions, row)}
                     for m, reply, row in zip(game.messages, commitment.replies,
                                              commitment.receiver_strategy(len(game.actions)))},
    }


def describe_persuasion(found: Persuasion, *, parameters: Mapping[str, Number] | None = None) -> dict[str, Any]:
    """The JSON document of ``intelgame persuade --json`` (see the module docstring)."""
    result = found.commitment
    game, exact = result.game, result.exact

    def fmt(x: Number) -> Any:
        return format_number(x, exact)

    talk = found.cheap_talk
    full = result.full_disclosure
    return {
        "game": game.name,
        "kind": "persuasion",
        "parameters": {k: fmt(v) for k, v in (parameters or {}).items()},
        "method": result.method,
        "exact": exact,
        **describe_commitment(game, result.sender_optimal, exact),
        "quality": {"labels": list(found.quality.labels),
                    **{k: (None if v is None else fmt(v)) for k, v in found.quality.to_dict().items() if k != "labels"}},
        "receiver_optimal": describe_commitment(game, result.receiver_optimal, exact),
        "full_disclosure": None if full is None else describe_commitment(game, full, exact),
        "cheap_talk": {
            "equilibria": talk.equilibria,
            "sender": {"best": fmt(talk.sender.best), "worst": fmt(talk.sender.worst)},
            "receiver": {"best": fmt(talk.receiver.best), "worst": fmt(talk.receiver.worst)},
            "value_of_commitment": {
                player: {"versus_best": fmt(gain.worst), "versus_worst": fmt(gain.best)}
                for player, gain in (("sender", found.value_of_commitment("sender")),
                                     ("receiver", found.value_of_commitment("receiver")))},
        },
    }


def _rule(document: Mapping[str, Any]) -> tuple[str, str]:
    """A rule's sigma and replies as text: ``type: message p, ...`` and ``message: action``."""
    sigma = "\n".join(f"{t}: {_mixture(list(row), row)}" for t, row in document["sigma"].items())
    replies = "\n".join(f"{m}: {_mixture(list(row), row)}" for m, row in document["receiver"].items()
                        if all(p is not None for p in row.values()))
    return sigma, replies


def persuasion_tables(document: Mapping[str, Any]) -> list[Table]:
    """A ``describe_persuasion`` document as two tables: the committed rules, then cheap talk."""
    rules = Table(title=f"{document['game']}: committed reporting rules" + (" (exact)" if document["exact"] else ""),
                  caption=f"sender-optimal rule: {', '.join(document['quality']['labels'])}; "
                          f"I(type; message) = {document['quality']['mutual_information_bits']} bits",
                  show_lines=True)
    for column in ("rule", "sender", "receiver", "sigma(message | type)", "replies"):
        rules.add_column(column)
    for label, rule in (("sender-optimal", document), ("receiver-optimal", document["receiver_optimal"]),
                        ("full disclosure", document["full_disclosure"])):
        if rule is None:
            rules.add_row(label, "-", "-", "impossible: fewer messages than types", "")
        else:
            rules.add_row(label, str(rule["sender_value"]), str(rule["receiver_value"]), *_rule(rule))
    talk = document["cheap_talk"]
    versus = Table(title=f"against cheap talk ({talk['equilibria']} PBE entries)")
    for column in ("", "sender", "receiver"):
        versus.add_column(column)
    for end in ("best", "worst"):
        versus.add_row(f"{end} PBE value", str(talk["sender"][end]), str(talk["receiver"][end]))
    gain = talk["value_of_commitment"]
    for end in ("best", "worst"):
        versus.add_row(f"value of commitment vs {end}", str(gain["sender"][f"versus_{end}"]),
                       str(gain["receiver"][f"versus_{end}"]))
    return [rules, versus]

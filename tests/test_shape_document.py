"""The equilibrium set's shape in the JSON document (SPEC.md section 4)."""

from __future__ import annotations

import json
from fractions import Fraction as F
from typing import Any

from games_for_tests import beer_quiche
from intelgame.analysis.verify import verify_pbe
from intelgame.games import SignallingGame
from intelgame.output.documents import describe_pbe_result
from intelgame.solvers.pbe.enumeration import pbe_solve


def test_document_contract_for_continua_components_and_outcomes() -> None:
    """SPEC.md section 4: a continuum carries vertices (each a PBE), dimension and constraints;
    the document has components and outcomes; every entry belongs to one of each."""
    for exact in (True, False):
        game = beer_quiche()
        document = json.loads(json.dumps(describe_pbe_result(pbe_solve(game, exact=exact))))
        for entry in document["equilibria"]:
            assert ("vertices" in entry) == entry["continuum"]
            if entry["continuum"]:
                assert entry["dimension"] == 1 and entry["constraints"]["receiver"]["equalities"]
                for v in entry["vertices"]:
                    def matrix(d: dict[str, dict[str, Any]]) -> list[list[Any]]:
                        return [[F(x) if exact else x for x in row.values()] for row in d.values()]
                    assert verify_pbe(game, matrix(v["sender"]), matrix(v["receiver"]), matrix(v["beliefs"])).ok
        assert sorted(m for c in document["components"] for m in c["members"]) == list(range(4))
        assert sorted(m for o in document["outcomes"] for m in o["members"]) == list(range(4))
        sender = document["components"][0]["constant"]["sender"]
        assert {t: {m: F(x) for m, x in row.items()} for t, row in sender.items()} == {
            "weak": {"beer": 1, "quiche": 0}, "strong": {"beer": 1, "quiche": 0}}


def test_entry_component_is_its_connected_component_and_on_path_play_is_apart() -> None:
    """Each entry's ``component`` is the index of the top-level connected component listing it;
    ``on_path_play`` (entries that differ only off the path) is another grouping: in 2-type
    cheap talk the babbling faces and the mixtures joining them form one connected component
    of nine entries, each with its own on-path play."""
    payoffs = {t: {m: {a: (int(a == t), int(a == t)) for a in "ab"} for m in "xy"} for t in "ab"}
    game = SignallingGame.from_payoffs(name="cheap talk", types=["a", "b"], messages=["x", "y"], actions=["a", "b"],
                                       prior=[F(1, 2), F(1, 2)], payoffs=payoffs)
    for exact in (True, False):
        document = describe_pbe_result(pbe_solve(game, exact=exact))
        entries = document["equilibria"]
        for c, component in enumerate(document["components"]):
            assert [entries[k]["component"] for k in component["members"]] == [c] * len(component["members"])
        assert [len(c["members"]) for c in document["components"]] == [9, 1, 1]
        assert [e["on_path_play"] for e in entries] == list(range(11))

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


def test_outcomes_only_document_is_the_full_one_as_the_outcome_table_reads_it() -> None:
    """``outcomes_only`` (solve's table of many entries) skips the verdicts and face
    descriptions: every other key is the full document's, each entry keeps its ``continuum``
    and ``outcome``, and the outcome table is the same text."""
    from io import StringIO

    from rich.console import Console

    from intelgame.analysis.two_stage import interpretation_of
    from intelgame.games.build import build_game
    from intelgame.output.shape_tables import outcome_table
    from intelgame.spec import load_spec

    spec = load_spec("models/intelligence_three_levels.yaml")
    game = build_game(spec)
    for exact in (False, True):
        result = pbe_solve(game, exact=exact)  # type: ignore[arg-type]
        full = describe_pbe_result(result, interpretation=interpretation_of(spec, game))  # type: ignore[arg-type]
        part = describe_pbe_result(result, outcomes_only=True)
        assert {k: v for k, v in part.items() if k != "equilibria"} == \
            {k: v for k, v in full.items() if k != "equilibria"}
        assert part["equilibria"] == [{"continuum": e["continuum"], "outcome": e["outcome"]} for e in full["equilibria"]]
        assert any(e["continuum"] for e in part["equilibria"])

        def text(document: dict[str, Any]) -> str:
            console = Console(file=StringIO(), width=200)
            console.print(outcome_table(document))
            return console.file.getvalue()  # type: ignore[attr-defined]
        assert text(part) == text(full)

"""``outcome_frame`` and ``component_frame`` (issue 19, item 2): the outcomes and components of
a PBE result as named tables, checked against the equilibria they group."""

from __future__ import annotations

from fractions import Fraction

import pytest

import intelgame
from intelgame.output.documents import describe_pbe_result

FIXED = {"information", "noisy", "constant", "entries", "equilibria", "partition", "vertices", "outcome"}


def solved(name: str, exact: bool = True) -> intelgame.PBEResult:
    return intelgame.pbe_solve(intelgame.build_game(intelgame.load_spec(name)), exact=exact)


@pytest.mark.parametrize("name", ["beer_quiche", "intelligence_market", "intelligence_three_levels"])
def test_outcomes_are_the_joint_distributions_of_their_equilibria(name: str) -> None:
    result = solved(name)
    game = result.game
    frame, equilibria = intelgame.outcome_frame(result, exact=True), result.to_frame(exact=True)
    members = [int(k) for row in frame["equilibria"] for k in row.split(";")]
    assert sorted(members) == list(equilibria.index)  # every equilibrium in exactly one outcome
    assert set(frame.columns) - FIXED == {*(f"q[{t}][{a}]" for t in game.types for a in game.actions),
                                          *(f"payoff[sender][{t}]" for t in game.types), "payoff[receiver]"}
    for _, outcome in frame[frame["constant"]].iterrows():
        for k in map(int, outcome["equilibria"].split(";")):
            eq = equilibria.loc[k]
            for t, prior in zip(game.types, game.prior):
                for a in game.actions:  # q(t, a) = p(t) sum_m sigma(m|t) rho(a|m)
                    q = prior * sum(eq[f"sigma[{t}][{m}]"] * eq[f"rho[{m}][{a}]"] for m in game.messages)
                    assert outcome[f"q[{t}][{a}]"] == q and isinstance(q, Fraction)
                assert outcome[f"payoff[sender][{t}]"] == eq[f"payoff[sender][{t}]"]
            assert outcome["payoff[receiver]"] == eq["payoff[receiver]"]


@pytest.mark.parametrize("name", ["beer_quiche", "intelligence_three_levels"])
def test_components_are_those_of_the_json_entries(name: str) -> None:
    """The frame's components (1-based) group the entries whose JSON ``component`` is the
    frame's index less 1, and the entries listed in the top-level ``components``."""
    result = solved(name, exact=False)
    document = describe_pbe_result(result)
    components = intelgame.component_frame(result, document=document)
    for number, row in components.iterrows():
        members = [int(k) for k in row["equilibria"].split(";")]
        assert row["entries"] == len(members)
        assert [document["equilibria"][k - 1]["component"] for k in members] == [number - 1] * len(members)
        assert [k + 1 for k in document["components"][number - 1]["members"]] == members
    assert components["entries"].sum() == len(result)
    outcomes = intelgame.outcome_frame(result)
    for _, row in components.dropna(subset=["outcome"]).iterrows():  # one outcome: the same payoffs
        assert row["payoff[receiver]"] == outcomes.loc[row["outcome"], "payoff[receiver]"]

"""The outcomes and connected components of a PBE result as pandas frames.

The rows are the ``outcomes`` and ``components`` of ``intelgame solve --json``
(:func:`~intelgame.output.documents.describe_pbe_result`, one definition of their numbers):

* :func:`outcome_frame`: one row per outcome, indexed by ``outcome`` (0-based, the
  ``outcome`` of each equilibrium in the JSON and the terminal's table): ``information``,
  ``noisy``, ``constant``, ``entries`` (how many equilibria), ``equilibria`` (their numbers,
  1-based as the index of ``result.to_frame()``, joined by ``;``), ``partition`` (the pooled
  classes of types, ``|`` between classes), then ``q[type][action]`` (the joint distribution of
  type and action), ``payoff[sender][type]`` and ``payoff[receiver]``, ``nan`` for an outcome
  that varies over its continuum;
* :func:`component_frame`: one row per connected component of the PBE set, indexed by
  ``component`` (1-based: the ``component`` of an entry in the JSON, plus 1): ``entries``,
  ``equilibria``, ``vertices`` (extreme profiles), ``outcome`` (when one outcome holds on the
  whole component, else missing) and the payoffs when constant there.

Column names follow :mod:`intelgame.solvers.frames`: the game's numbers in ``family[name]``
columns, which no parameter name (an identifier) can clash with. Floats unless ``exact``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from intelgame.output.documents import describe_pbe_result
from intelgame.solvers.pbe.result import PBEResult

if TYPE_CHECKING:
    import pandas


def _number(value: Any, exact: bool) -> Any:
    if value is None:
        return math.nan
    number = Fraction(value) if isinstance(value, str) else value
    return number if exact else float(number)


def _payoffs(game_types: tuple[str, ...], payoffs: dict[str, Any] | None, receiver: Any, exact: bool) -> dict[str, Any]:
    return {**{f"payoff[sender][{t}]": _number(None if payoffs is None else payoffs[t], exact) for t in game_types},
            "payoff[receiver]": _number(receiver, exact)}


def _equilibria(members: list[int]) -> str:
    return ";".join(str(k + 1) for k in members)


def outcome_frame(result: PBEResult, *, exact: bool = False, document: dict[str, Any] | None = None) -> pandas.DataFrame:
    """The outcomes of ``result`` (module docstring); ``document``: its
    :func:`~intelgame.output.documents.describe_pbe_result`, if already made."""
    import pandas as pd

    game = result.game
    outcomes = (document or describe_pbe_result(result))["outcomes"]
    rows = []
    for o in outcomes:
        constant = o["constant"]
        q = {f"q[{t}][{a}]": _number(o["distribution"][t][a] if constant else None, exact)
             for t in game.types for a in game.actions}
        payoffs = o["payoffs"] if constant else None
        rows.append({"information": o["information"], "noisy": o["noisy"], "constant": constant,
                     "entries": len(o["members"]), "equilibria": _equilibria(o["members"]),
                     "partition": "|".join(",".join(c) for c in o["partition"]), **q,
                     **_payoffs(game.types, None if payoffs is None else payoffs["sender"],
                                None if payoffs is None else payoffs["receiver"], exact)})
    frame = pd.DataFrame(rows, index=pd.RangeIndex(0, len(rows), name="outcome"))
    return frame.astype({c: object for c in frame.columns if "[" in c}) if exact else frame


def component_frame(result: PBEResult, *, exact: bool = False,
                    document: dict[str, Any] | None = None) -> pandas.DataFrame:
    """The connected components of the PBE set of ``result`` (module docstring)."""
    import pandas as pd

    game = result.game
    components = (document or describe_pbe_result(result))["components"]
    rows = []
    for c in components:
        constant = c["constant"]
        rows.append({"entries": len(c["members"]), "equilibria": _equilibria(c["members"]),
                     "vertices": len(c["vertices"]), "outcome": constant.get("outcome"),
                     **_payoffs(game.types, constant.get("sender_payoffs"), constant.get("receiver_payoff"), exact)})
    frame = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="component"))
    frame["outcome"] = pd.array(frame["outcome"].tolist(), dtype="Int64")
    return frame.astype({c: object for c in frame.columns if "[" in c}) if exact else frame

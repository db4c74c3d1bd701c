"""pandas tables for analysis: equilibria with their analysis, and sweep files read back.

* :func:`analysed_frame`: :meth:`PBEResult.to_frame() <intelgame.solvers.pbe.result.PBEResult.to_frame>`
  plus the columns ``intelgame solve --json`` reports for each equilibrium (a continuum's as
  read off its whole face, :mod:`intelgame.analysis.entry_verdicts`): ``classification``,
  ``quality`` (the primary label), ``labels`` (all, joined by ``;``), ``on_path_play`` (1-based, as in a sweep;
  :mod:`~intelgame.analysis.on_path_play`),
  a boolean per refinement (``intuitive_criterion``, ``d1``, ``d2``, ``universal_divinity``,
  ``nwbr``) and the quality metrics (``mutual_information_bits``, ``match_probability``, ...).
  The solvers do not import the analysis; this layer joins the two.
* :func:`read_sweep`: the ``sweep.csv`` or ``sweep.jsonl`` of ``intelgame sweep`` as a frame
  with dtypes: grid parameters, metrics and strategies ``float`` (exact fraction strings
  ``"1/3"`` read as numbers; ``exact=True`` keeps them as ``Fraction``), ``equilibrium``,
  ``count`` and ``on_path_play`` (and ``outcome``, ``outcomes`` of ``sweep --outcomes``)
  nullable integers (``Int64``; empty at a point without equilibria), ``intuitive_criterion``, ``pure``, ``continuum`` and any ``passes[CRITERION]``
  nullable booleans,
  ``classification`` and ``quality`` categories and ``labels`` strings.

pandas is imported when a function is called, not with this module.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intelgame.analysis.divinity import CRITERIA
from intelgame.analysis.entry_verdicts import entry_verdicts
from intelgame.analysis.on_path_play import on_path_plays
from intelgame.analysis.quality import Interpretation, assess_all
from intelgame.analysis.two_stage import interpretation_of
from intelgame.errors import IntelgameError
from intelgame.solvers.pbe.result import PBEResult
from intelgame.spec.model import SignallingSpec
from intelgame.sweep.cells import EQUILIBRIUM_COLUMNS, OUTCOME_COLUMNS

if TYPE_CHECKING:
    import pandas

#: The columns :func:`analysed_frame` puts before those of ``to_frame()``.
ANALYSIS_COLUMNS = ("classification", "quality", "labels", "on_path_play", *CRITERIA)
_INTEGERS = ("equilibrium", "count", "on_path_play")
_BOOLEANS = ("intuitive_criterion", "pure", "continuum")
_CATEGORIES = ("classification", "quality")


def analysed_frame(result: PBEResult, *, interpretation: Interpretation | None = None,
                   spec: SignallingSpec | None = None, exact: bool = False) -> pandas.DataFrame:
    """``result.to_frame(exact=exact)`` with the analysis of every equilibrium in front (see
    the module docstring). The quality labels use ``interpretation``, or the ``interpretation``
    block of ``spec`` (the spec ``result.game`` was built from)."""
    import pandas as pd

    game = result.game
    if interpretation is None and spec is not None:
        interpretation = interpretation_of(spec, game)
    frame = result.to_frame(exact=exact)
    assessed = assess_all(game, result.equilibria, interpretation, tolerance=result.tolerance)
    judged = entry_verdicts(result, interpretation, assessed=assessed)  # on each face
    labels = [v.quality_labels or () for v in judged]  # asked for: never None here
    columns: dict[str, Any] = {
        "classification": pd.Categorical([v.classification for v in judged]),
        "quality": pd.Categorical([names[0] for names in labels]),
        "labels": pd.array([";".join(names) for names in labels], dtype="string"),
        "on_path_play": pd.array([k + 1 for k in on_path_plays(result)], dtype="Int64"),
        **{c: pd.array([v.passes[c] for v in judged], dtype="boolean") for c in CRITERIA},
    }
    metrics: dict[str, list[Any]] = {}
    for _, quality in assessed:
        for name, value in quality.to_dict().items():
            if name != "labels":
                metrics.setdefault(name, []).append(value)
    for name, values in metrics.items():
        columns[name] = [(math.nan if v is None else v) if exact else _float(v) for v in values]
    extra = pd.DataFrame(columns, index=frame.index)
    return pd.concat([extra, frame], axis=1)


def _float(value: Any) -> float:
    """A cell as a float: ``nan`` for ``None`` or an empty string, ``"p/q"`` read exactly."""
    if value is None or value == "":
        return math.nan
    return float(Fraction(value)) if isinstance(value, str) else float(value)


def _exact(value: Any) -> Any:
    if value is None or value == "":
        return math.nan
    if isinstance(value, float):
        return value
    return Fraction(value)


def _boolean(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}[str(value).lower()]


def _sweep_file(path: Path) -> Path:
    if path.is_file():
        return path
    for name in ("sweep.csv", "sweep.jsonl"):
        if (path / name).is_file():
            return path / name
    raise IntelgameError(f"{path}: no sweep.csv or sweep.jsonl here (write one with intelgame sweep ... --out {path})")


def read_sweep(path: str | Path, *, exact: bool = False) -> pandas.DataFrame:
    """The rows of a sweep (the folder ``intelgame sweep --out`` wrote, or its data file) as a
    DataFrame with the dtypes of the module docstring.

    Raises
    ------
    IntelgameError
        When ``path`` holds no sweep file.
    """
    import pandas as pd

    file = _sweep_file(Path(path))
    if file.suffix == ".jsonl":
        with open(file, encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        frame = pd.DataFrame.from_records(records)
        frame = frame.astype(object).where(frame.notna(), None)
    else:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    number = _exact if exact else _float
    out: dict[str, Any] = {}
    outcome_columns = tuple(frame.columns[-2:]) == OUTCOME_COLUMNS  # last when present; a grid parameter never is
    for column in frame.columns:
        values = frame[column].tolist()
        if column in _INTEGERS or (outcome_columns and column in OUTCOME_COLUMNS):
            out[column] = pd.array([None if v in (None, "") else int(v) for v in values], dtype="Int64")
        elif column in _BOOLEANS or column.startswith("passes["):
            out[column] = pd.array([_boolean(v) for v in values], dtype="boolean")
        elif column in _CATEGORIES:
            out[column] = pd.Categorical([None if v in (None, "") else v for v in values])
        elif column == "labels" or (column in EQUILIBRIUM_COLUMNS):
            out[column] = pd.array([None if v is None else str(v) for v in values], dtype="string")
        else:
            converted = [number(v) for v in values]
            out[column] = pd.Series(converted, dtype=object if exact else float)
    return pd.DataFrame(out)

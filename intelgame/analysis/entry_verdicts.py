"""The verdicts of an entry, read off its whole face: :func:`entry_verdicts`.

An entry of the support enumeration that is a continuum is a relatively open face :math:`F`
of the PBE set, and :mod:`intelgame.analysis.face_verdicts` splits it into the exact pieces
where its classification, quality labels and refinement verdicts are constant. The entry's own
fields are read off those pieces, never off its representative point alone:

* **Classification and quality labels** take their *generic* value, the one on the
  full-dimensional part of :math:`F`. They change only on the slices of the pooling equations
  :math:`\\sigma(m|t) = \\sigma(m|t_0)` and the equal-reply equations
  :math:`\\rho(a|m) = \\rho(a|m_0)`; a slice that does not contain :math:`F` has a smaller
  dimension, so the pieces of full dimension all carry one value. A representative point on
  such a slice (a barycentre of a symmetric face is pooling) does not decide them.
* **A criterion holds** for the entry iff some equilibrium of :math:`F` survives it (some piece
  passes); ``on_part_of_face`` lists the criteria that hold on part of :math:`F` only.
* **The surviving point** of such a criterion: the barycentre of the closure vertices of its
  passing piece of highest dimension (ties: the first). A piece :math:`C` is convex and the
  barycentre lies in the relative interior of its closure, which is the relative interior of
  :math:`C` (Rockafellar 1970, *Convex Analysis*, Thm 6.3), so it is a point of :math:`C`:
  an equilibrium of :math:`F` that survives. Selection rules restricted to the criterion
  (:mod:`intelgame.analysis.selection`) read the entry there.

An isolated equilibrium's verdicts are its own. Every verdict is decided exactly (on the game
a float result stands for), so float and exact results get the same fields.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

from intelgame.analysis.classify import Classification
from intelgame.analysis.divinity import CRITERIA, Criterion, Refiner, Verdicts, refinement_verdicts, replies_fixed
from intelgame.analysis.face_verdicts import VERDICTS, FaceJudge, FaceVerdicts, Piece
from intelgame.analysis.quality import Interpretation, Quality, assess_all
from intelgame.solvers.pbe.result import PBE, PBEResult, to_float
from intelgame.games.signalling import SignallingGame
from intelgame.solvers.pbe.shape import FaceShape, PolytopeMemo, SupportProfile, face_shaper, profile_shapes


@dataclass(frozen=True)
class EntryVerdicts:
    """The verdicts of one entry (module docstring): its ``classification`` and
    ``quality_labels``, whether some equilibrium of it survives each criterion (``passes``),
    the criteria that hold on part of it only (``on_part_of_face``, in the order of
    :data:`~intelgame.analysis.divinity.CRITERIA`), for each of those its passing pieces
    (``passing``) and the entry moved to its surviving point (``surviving``: the same face,
    its strategies, beliefs and payoffs at that point, in the result's numbers), and the
    whole face's verdicts (``face``, ``None`` for an isolated equilibrium or one not judged on
    its face). The classification and labels are ``None`` when not asked for."""

    classification: str | None
    quality_labels: tuple[str, ...] | None
    passes: Mapping[Criterion, bool]
    on_part_of_face: tuple[Criterion, ...] = ()
    passing: Mapping[Criterion, tuple[Piece, ...]] = dataclasses.field(default_factory=dict)
    surviving: Mapping[Criterion, PBE] = dataclasses.field(default_factory=dict)
    face: FaceVerdicts | None = None

    def point(self, eq: PBE, criterion: Criterion | None) -> PBE:
        """``eq`` (this entry) where a rule restricted to ``criterion`` reads it: its surviving
        point if ``criterion`` holds on part of it only, else ``eq`` itself."""
        return eq if criterion is None else self.surviving.get(criterion, eq)


def _generic(judged: FaceVerdicts, name: str, dimension: int) -> Any:
    """The value of verdict ``name`` on the full-dimensional part of the face."""
    if name in judged.constant:
        return judged.constant[name]
    values = {p.value for p in judged.pieces[name] if p.dimension == dimension}
    assert len(values) == 1, f"{name} takes {len(values)} values on the full-dimensional part of a face"
    return values.pop()


def _read(judged: FaceVerdicts, name: str, dimension: int) -> Any:
    """Verdict ``name`` of an entry whose face (of ``dimension``) is ``judged``: a criterion
    holds iff some piece passes; the classification and labels take their generic value."""
    if name in CRITERIA:
        return bool(judged.constant[name]) if name in judged.constant else True
    return _generic(judged, name, dimension)


def profile_verdicts(game: SignallingGame, profiles: Sequence[SupportProfile], names: Sequence[Sequence[str]],
                     interpretation: Interpretation | None = None,
                     memo: PolytopeMemo | None = None) -> list[dict[str, Any]]:
    """The verdicts ``names[k]`` (of :data:`~intelgame.analysis.face_verdicts.VERDICTS`) of the
    continuum of ``game`` with support profile ``profiles[k]``, read off its whole exact face as
    :func:`entry_verdicts` reads them, for callers that hold the profiles only (a sweep's rows:
    the float table's, read off its ranges, stand for the exact game's). The faces are rebuilt by
    :func:`~intelgame.solvers.pbe.shape.profile_shapes` (``memo`` shared with other games) and
    judged at their own exact points; an empty ``names[k]`` is not judged (``{}``)."""
    rational = game.to_rational()
    wanted = [k for k, asked in enumerate(names) if asked]
    judge = FaceJudge(PBEResult(rational, (), "support profiles", True, 0.0), interpretation)
    out: list[dict[str, Any]] = [{} for _ in profiles]
    for k, shape in zip(wanted, profile_shapes(rational, [profiles[k] for k in wanted], memo=memo)):
        sender, receiver, on_path = profiles[k]
        # the face's points are built by the judge (FaceJudge.point) from the support profile alone
        entry = PBE((), (), (), tuple(on_path), (None,) * len(on_path), (), (), (), 0, tuple(sender), tuple(receiver))
        judged = judge.judge(entry, shape, None, tuple(names[k]))
        out[k] = {name: _read(judged, name, shape.dimension) for name in names[k]}
    return out


def _surviving(judge: FaceJudge, eq: PBE, shape: FaceShape, pieces: Sequence[Piece], exact: bool) -> PBE:
    """``eq`` moved to the barycentre of the closure vertices of the passing piece of highest
    dimension (the first among equals) of ``pieces``."""
    best = max((p for p in pieces if p.value), key=lambda p: p.dimension)  # max keeps the first of ties
    count = len(best.vertices)

    def mean(part: int) -> tuple[tuple[Fraction, ...], ...]:
        matrices = [v[part] for v in best.vertices]
        return tuple(tuple(sum((Fraction(m[i][j]) for m in matrices), Fraction(0)) / count
                           for j in range(len(matrices[0][0]))) for i in range(len(matrices[0])))
    point = judge.point(eq, shape, mean(0), mean(1))
    if not exact:
        point = to_float(point)
    return dataclasses.replace(eq, sender=point.sender, receiver=point.receiver, beliefs=point.beliefs,
                               sender_payoffs=point.sender_payoffs, receiver_payoff=point.receiver_payoff)


def entry_verdicts(result: PBEResult, interpretation: Interpretation | None = None, *,
                   shapes: Sequence[FaceShape] | None = None,
                   verdicts: Sequence[Verdicts] | None = None,
                   assessed: Sequence[tuple[Classification, Quality]] | None = None,
                   criteria_only: bool = False, refiner: Refiner | None = None,
                   memo: PolytopeMemo | None = None) -> list[EntryVerdicts]:
    """:class:`EntryVerdicts` of every entry of ``result`` (module docstring). ``shapes``
    (:func:`~intelgame.solvers.pbe.shape.face_shapes`), ``verdicts``
    (:func:`~intelgame.analysis.divinity.refinement_verdicts`) and ``assessed`` (each
    representative point's classification and quality under ``interpretation``,
    :func:`~intelgame.analysis.quality.assess_all`) are computed unless given (the faces
    judged, on polytopes shared with other games through ``memo``,
    :func:`~intelgame.solvers.pbe.shape.profile_shapes`). ``criteria_only`` reads only the
    criteria off the faces (no classification or labels), and judges only the continua where
    the reply to a message some type sends varies (the others' verdicts are constant), without
    their representative points' verdicts (the judge decides every cell of such a face);
    ``refiner`` (of ``result``'s game) shares the verdicts already decided."""
    game = result.game
    # the points' and the faces' verdicts, shared; only their passes are read here
    refiner = Refiner(game, explain=False) if refiner is None else refiner
    if verdicts is None and not (result.exact or all(eq.sender_support and eq.receiver_support for eq in result)):
        verdicts = refinement_verdicts(result, shapes, refiner)  # by the exact solve's entries
    if criteria_only:
        assessed = [None] * len(result)  # type: ignore[list-item]
    elif assessed is None:
        assessed = assess_all(game, result.equilibria, interpretation, tolerance=result.tolerance)
    shaper: Callable[[PBE], FaceShape] | None = None  # made when a face is first needed
    judge = FaceJudge(result, interpretation, refiner)
    names = CRITERIA if criteria_only else VERDICTS
    out = []
    for k, (eq, own) in enumerate(zip(result, assessed)):
        whole = eq.is_continuum and not (criteria_only and replies_fixed(eq))  # judged on its face
        shape: FaceShape | None = None if shapes is None else shapes[k]
        if whole and shape is None:
            shaper = face_shaper(result, memo) if shaper is None else shaper
            shape = shaper(eq)
        known: dict[str, Any] | None = None
        if verdicts is not None or not (whole and criteria_only):
            v = verdicts[k] if verdicts is not None else refiner.verdicts(eq, shape)
            known = {c: v[c].passes for c in CRITERIA}
            if own is not None:
                known |= {"classification": own[0], "quality_labels": tuple(own[1].labels)}
        if not whole:
            assert known is not None
            out.append(EntryVerdicts(known.get("classification"), known.get("quality_labels"),
                                     {c: known[c] for c in CRITERIA}))
            continue
        assert shape is not None
        judged = judge.judge(eq, shape, known, names)
        partial = tuple(c for c in CRITERIA if c in judged.pieces)
        passing = {c: tuple(p for p in judged.pieces[c] if p.value) for c in partial}
        out.append(EntryVerdicts(
            None if criteria_only else _read(judged, "classification", shape.dimension),
            None if criteria_only else tuple(_read(judged, "quality_labels", shape.dimension)),
            {c: _read(judged, c, shape.dimension) for c in CRITERIA},
            partial, passing,
            {c: _surviving(judge, eq, shape, judged.pieces[c], result.exact) for c in partial},
            judged))
    return out

"""JSON-ready descriptions of the equilibrium set's shape (SPEC.md section 4): each continuum's
``vertices``, ``dimension`` and ``constraints``, and the document's top-level ``components``
and ``outcomes``.

Vertices are numbers in the result's arithmetic (fraction strings when exact, floats
otherwise, as an equilibrium's fields; the floats are the exact vertices rounded). Constraints
are text with exact rational coefficients in the game's own units, on either path: they are
the face's definition, not a computed value.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping, Sequence

from intelgame.analysis.components import Component
from intelgame.analysis.face_verdicts import Condition, FaceVerdicts, Piece
from intelgame.analysis.outcomes import Outcome, PointOutcome
from intelgame.games.signalling import SignallingGame
from intelgame.geometry.numbers import Number
from intelgame.output.numbers import format_number
from intelgame.solvers.pbe.shape import FacePolytope, FaceShape, Matrix


def _named(rows: Sequence[str], columns: Sequence[str], values: Matrix, exact: bool) -> dict[str, Any]:
    return {r: {c: format_number(v, exact) for c, v in zip(columns, row)} for r, row in zip(rows, values)}


def _profile(game: SignallingGame, sender: Matrix, receiver: Matrix, exact: bool) -> dict[str, Any]:
    return {"sender": _named(game.types, game.messages, sender, exact),
            "receiver": _named(game.messages, game.actions, receiver, exact)}


def _linear(row: Sequence[Number], names: Sequence[str]) -> str:
    """``2*x - 1/2*y``: a row's non-zero terms (exact coefficients)."""
    terms = []
    for c, name in zip(row, names):
        if not c:
            continue
        c = c if isinstance(c, Fraction) else Fraction(c)
        top, bottom = c.numerator, c.denominator  # |c| written as str(abs(c)) writes it
        size = "" if abs(top) == 1 and bottom == 1 else f"{abs(top)}*" if bottom == 1 else f"{abs(top)}/{bottom}*"
        terms.append(f"{'-' if top < 0 else '+'} {size}{name}")
    text = " ".join(terms) if terms else "0"
    return text[2:] if text.startswith("+ ") else "-" + text[2:] if text.startswith("- ") else text


def _constraints(polytope: FacePolytope, names: Sequence[str]) -> dict[str, list[str]]:
    system = polytope.system
    return {"equalities": [f"{_linear(r, names)} = {Fraction(b)}" for r, b in zip(system.eq_rows, system.eq_rhs)],
            "inequalities": [f"{_linear(r, names)} <= {Fraction(b)}" for r, b in zip(system.ub_rows, system.ub_rhs)],
            "positive": list(names)}


def describe_faces(game: SignallingGame, shapes: Sequence[FaceShape], exact: bool) -> list[dict[str, Any]]:
    """``vertices``, ``dimension``, ``constraints`` and ``intervals`` of each face.
    ``constraints`` has the sender's polytope (variables ``sigma(m|t)``) and the receiver's
    (``rho(a|m)``): their equalities and inequalities, and the variables ``positive`` on the
    (relatively open) face, every other probability being 0; the face's closure allows them to
    be 0 too. ``intervals`` are the probabilities that vary on the face (:func:`_intervals`).
    Each polytope is described once (many faces share one)."""
    parts: dict[int, tuple[dict[str, list[str]], dict[str, dict[str, str]]]] = {}

    def part(shape: FaceShape, k: int) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
        polytope = shape.sender if k == 0 else shape.receiver
        if id(polytope) not in parts:
            if k == 0:
                names = [f"sigma({game.messages[m]}|{game.types[t]})" for t, m in polytope.variables]
                rows, columns = game.types, game.messages
            else:
                names = [f"rho({game.actions[a]}|{game.messages[m]})" for m, a in polytope.variables]
                rows, columns = game.messages, game.actions
            parts[id(polytope)] = (_constraints(polytope, names), _intervals(polytope, rows, columns, exact))
        return parts[id(polytope)]
    written: dict[tuple[str, int], tuple[Matrix, dict[str, Any]]] = {}

    def write(kind: str, rows: Sequence[str], columns: Sequence[str], values: Matrix) -> dict[str, Any]:
        """``values`` by name, once per object (faces share their factors' vertex matrices, a
        face's vertices their sigma-vertex's beliefs)."""
        key = (kind, id(values))
        if key not in written:
            written[key] = (values, _named(rows, columns, values, exact))
        return written[key][1]
    out = []
    for shape in shapes:
        (sigma, sigma_intervals), (rho, rho_intervals) = part(shape, 0), part(shape, 1)
        out.append({
            "vertices": [{"sender": write("sender", game.types, game.messages, v.sender),
                          "receiver": write("receiver", game.messages, game.actions, v.receiver),
                          "beliefs": write("beliefs", game.messages, game.types, v.beliefs)} for v in shape.vertices],
            "dimension": shape.dimension,
            "constraints": {"sender": sigma, "receiver": rho},
            "intervals": {"sender": sigma_intervals, "receiver": rho_intervals},
        })
    return out


def _names(game: SignallingGame, polytope: FacePolytope, part: int) -> list[str]:
    """The face's variables by name: ``sigma(m|t)`` (``part`` 0) or ``rho(a|m)``."""
    if part == 0:
        return [f"sigma({game.messages[m]}|{game.types[t]})" for t, m in polytope.variables]
    return [f"rho({game.actions[a]}|{game.messages[m]})" for m, a in polytope.variables]


_RELATIONS = {-2: "<=", -1: "<", 0: "=", 1: ">", 2: ">="}


def _condition(condition: Condition, names: Sequence[str]) -> str:
    row, rhs, sign = condition
    return f"{_linear(row, names)} {_RELATIONS[sign]} {Fraction(rhs)}"


def _verdict_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _piece_conditions(piece: Piece, names: tuple[Sequence[str], Sequence[str]]) -> dict[str, list[str]]:
    return {"sender": [_condition(c, names[0]) for c in piece.sender],
            "receiver": [_condition(c, names[1]) for c in piece.receiver]}


def describe_passing_pieces(game: SignallingGame, shape: FaceShape,
                            passing: Mapping[Any, Sequence[Piece]]) -> dict[str, list[dict[str, Any]]]:
    """For each criterion that holds on part of a continuum only, the pieces where it holds:
    their ``conditions`` (as in :func:`describe_face_verdicts`) and ``dimension``."""
    names = (_names(game, shape.sender, 0), _names(game, shape.receiver, 1))
    return {c: [{"conditions": _piece_conditions(p, names), "dimension": p.dimension} for p in pieces]
            for c, pieces in passing.items()}


def describe_face_verdicts(game: SignallingGame, verdicts: FaceVerdicts, shape: FaceShape,
                           exact: bool) -> dict[str, Any]:
    """A continuum's ``verdicts_on_face`` (:mod:`intelgame.analysis.face_verdicts`):
    ``constant``, the verdicts that hold on the whole face, and ``pieces``, for each verdict
    that varies, the parts of the face where it takes each value: the ``value``, the
    ``conditions`` that cut the part out of the face (on ``sigma`` and ``rho``, exact
    coefficients; ``<``, ``>`` are strict), its ``dimension`` and the ``vertices`` of its
    closure (complete assessments, as a face's)."""
    names = (_names(game, shape.sender, 0), _names(game, shape.receiver, 1))
    prior = [Fraction(p) for p in game.to_rational().prior]

    assessed: dict[tuple[int, int], Any] = {}  # pieces share vertex matrices (FaceJudge): each assessed once

    def assessment(s: Matrix, r: Matrix) -> Any:
        key = (id(s), id(r))
        if key not in assessed:
            assessed[key] = shape.assessment(prior, s, r, exact)
        return assessed[key]

    def piece(p: Piece) -> dict[str, Any]:
        points = [assessment(s, r) for s, r in p.vertices]
        return {"value": _verdict_value(p.value), "dimension": p.dimension,
                "conditions": _piece_conditions(p, names),
                "vertices": [{**_profile(game, v.sender, v.receiver, exact),
                              "beliefs": _named(game.messages, game.types, v.beliefs, exact)} for v in points]}
    return {"constant": {name: _verdict_value(value) for name, value in verdicts.constant.items()},
            "pieces": {name: [piece(p) for p in pieces] for name, pieces in verdicts.pieces.items()}}


def _intervals(polytope: FacePolytope, rows: Sequence[str], columns: Sequence[str], exact: bool) -> dict[str, dict[str, str]]:
    """Each probability that varies on the face, as an interval with its ends open or closed
    as they are on the (relatively open) face: an end is attained iff the face of the closure
    where the probability takes it has a point with every support probability positive, i.e.
    iff the barycentre of that face's vertices has (exact, from the vertices)."""
    points = polytope.points
    out: dict[str, dict[str, str]] = {}
    for k, (i, j) in enumerate(polytope.variables):
        values = [p[k] for p in points]
        low, high = min(values), max(values)
        if low == high:
            continue
        ends = []
        for end in (low, high):
            on = [p for p in points if p[k] == end]
            ends.append(all(any(p[c] for p in on) for c in range(len(polytope.variables))))  # points are >= 0
        text = f"{'[' if ends[0] else '('}{_value(low, exact)}, {_value(high, exact)}{']' if ends[1] else ')'}"
        out.setdefault(rows[i], {})[columns[j]] = text
    return out


def _value(x: Fraction, exact: bool) -> Any:
    return format_number(x if exact else float(x), exact)


def _payoffs(game: SignallingGame, point: PointOutcome, exact: bool) -> dict[str, Any]:
    return {"sender": {t: _value(u, exact) for t, u in zip(game.types, point[1])}, "receiver": _value(point[2], exact)}


def _distribution(game: SignallingGame, point: PointOutcome, exact: bool) -> dict[str, Any]:
    return {t: {a: _value(q, exact) for a, q in zip(game.actions, row)} for t, row in zip(game.types, point[0])}


def describe_outcomes(game: SignallingGame, outcomes: Sequence[Outcome], exact: bool) -> list[dict[str, Any]]:
    """The top-level ``outcomes``: each with its member entries, its information (label,
    partition of the positive-prior types into pooled classes, ``noisy``), and, when constant,
    the joint distribution ``distribution[type][action]`` of type and action and the payoffs;
    a varying outcome lists those at its face's vertices as ``range``."""
    out = []
    for o in outcomes:
        item: dict[str, Any] = {
            "members": list(o.members),
            "information": o.information,
            "partition": [[game.types[t] for t in c] for c in o.partition],
            "noisy": o.noisy,
            "constant": o.is_constant,
        }
        if o.is_constant:
            item["distribution"] = _distribution(game, o.points[0], exact)
            item["payoffs"] = _payoffs(game, o.points[0], exact)
        else:
            item["range"] = [{"distribution": _distribution(game, p, exact), "payoffs": _payoffs(game, p, exact)}
                             for p in o.points]
        out.append(item)
    return out


def describe_components(game: SignallingGame, components: Sequence[Component], shapes: Sequence[FaceShape],
                        at: dict[int, PointOutcome], outcome_of: Sequence[int], exact: bool) -> list[dict[str, Any]]:
    """The top-level ``components``: member entries, extreme profiles (``sender``,
    ``receiver``; beliefs belong to the faces) and ``constant``: what takes one value on the
    whole component, among ``outcome`` (the index in ``outcomes``), ``sender_payoffs``,
    ``receiver_payoff`` and ``sender`` (the sender's strategy). Each is affine or bilinear on
    each face, hence constant on the component iff equal at all its vertices."""
    profiles: dict[int, tuple[Matrix, Matrix]] = {}
    for shape in shapes:
        profiles.update(zip(shape.vertex_ids, shape.profiles))
    out = []
    for c in components:
        points = [at[v] for v in c.vertices]
        constant: dict[str, Any] = {}
        outcomes = {outcome_of[k] for k in c.members}
        if len(outcomes) == 1 and len(set(points)) == 1:
            constant["outcome"] = outcomes.pop()
        if len({p[1] for p in points}) == 1:
            constant["sender_payoffs"] = _payoffs(game, points[0], exact)["sender"]
        if len({p[2] for p in points}) == 1:
            constant["receiver_payoff"] = _value(points[0][2], exact)
        senders = {profiles[v][0] for v in c.vertices}
        if len(senders) == 1:
            constant["sender"] = _named(game.types, game.messages, _rounded(senders.pop(), exact), exact)
        out.append({"members": list(c.members),
                    "vertices": [_profile(game, _rounded(profiles[v][0], exact), _rounded(profiles[v][1], exact), exact)
                                 for v in c.vertices],
                    "constant": constant})
    return out


def _rounded(matrix: Matrix, exact: bool) -> Matrix:
    return matrix if exact else tuple(tuple(float(x) for x in row) for row in matrix)

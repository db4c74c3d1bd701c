"""Faces of many small polytopes of one shape at once, by vertex enumeration (float path).

The batched PBE solver (:mod:`intelgame.solvers.pbe_batch`) asks the question of
:mod:`intelgame.solvers._polytope` for a stack of systems with the same rows but different
coefficients, one per game:

.. math:: P_k = \\{x \\in \\mathbb{R}^n : E_k x = b_k,\\; U_k x \\le d_k,\\; x \\ge 0\\},
          \\qquad k = 1, \\dots, N.

Every :math:`P_k` the solver builds is bounded (each block of variables sums to one), so it is
the convex hull of its vertices, and

* :math:`P_k \\neq \\emptyset` iff it has a vertex;
* the range of :math:`x_i` over :math:`P_k` is the min and max of :math:`x_i` over the vertices;
* :math:`P_k^{+} = P_k \\cap \\{x > 0\\} \\neq \\emptyset` iff every upper end is positive (the
  mean of the maximisers is then in :math:`P_k^{+}`).

Vertex enumeration decides which faces are empty, for all games at once. The faces a solver
reports come from :meth:`Faces.take`: a single point as found here, a larger face from the
scalar oracle on the same rows, so that the batched and per-game solvers report the same
point of it (a larger face has many points that could represent it).

If the rows of :math:`E_k` are independent (:math:`e \\le n` of them), every vertex solves
:math:`E_k x = b_k` together with :math:`n - e` further rows of :math:`U_k x = d_k` or
:math:`x_j = 0` taken as equalities, with a non-singular square matrix; all those
:math:`\\binom{u + n}{n - e}` square systems are solved at once with numpy and their feasible
solutions kept. When none of those systems is regular (the rows of :math:`E_k` are
dependent, as in a degenerate game, or :math:`e > n`), the rows of :math:`E_k` but one are
tried in the same way, and failing that, every :math:`n` rows among all of them (a vertex
solves some :math:`n` independent active rows); every solution is checked against every
constraint. A square system is regular when its determinant exceeds ``SINGULAR`` times
Hadamard's bound (the product of its row norms).

Tolerances are those of :class:`~intelgame.solvers._polytope.FloatArithmetic`: a residual or a
coordinate is zero within ``tolerance``, and returned values within ``tolerance`` of 0 or 1 are
snapped to it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from intelgame.errors import SolverError
from intelgame.solvers._polytope import Face, FloatArithmetic, LinearSystem

#: Square systems solved per numpy call (and game), to bound memory.
MAX_SQUARE_SYSTEMS = 4096
#: A square system is singular when ``|det| <= SINGULAR * prod(row norms)`` (Hadamard's bound).
SINGULAR = 1e-12


@dataclass(frozen=True)
class Faces:
    """The faces of a stack of ``N`` systems in ``n`` variables (rows where ``ok`` is false are
    meaningless), with the systems they came from."""

    ok: np.ndarray  # (N,) bool: the face is non-empty
    point: np.ndarray  # (N, n)
    lower: np.ndarray  # (N, n)
    upper: np.ndarray  # (N, n)
    system: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # eq, eq_rhs, ub, ub_rhs
    strict: bool
    tolerance: float
    scalar_faces: dict[int, Face] = field(default_factory=dict, compare=False)  # by game

    def take(self, rows: np.ndarray) -> Faces:
        """The faces of ``rows`` (all non-empty), each as :meth:`reported`."""
        point, lower, upper = self.point[rows].copy(), self.lower[rows].copy(), self.upper[rows].copy()
        for k in np.flatnonzero(np.any(lower != upper, axis=1)).tolist():
            face = self.reported(int(rows[k]))
            point[k], lower[k], upper[k] = face.point, face.lower, face.upper
        eq, eq_rhs, ub, ub_rhs = (a[rows] for a in self.system)
        return Faces(self.ok[rows], point, lower, upper, (eq, eq_rhs, ub, ub_rhs), self.strict, self.tolerance)

    def reported(self, k: int) -> Face:
        """Game ``k``'s face (``ok[k]`` must hold) as the per-game solver reports it: a single
        point as found here (equal to the scalar oracle's up to rounding); a larger face from
        the scalar oracle on the same rows (its choice of the point that represents the face)."""
        if np.all(self.lower[k] == self.upper[k]):
            return Face(tuple(self.point[k].tolist()), tuple(self.lower[k].tolist()), tuple(self.upper[k].tolist()))
        cached = self.scalar_faces.get(k)
        if cached is not None:
            return cached
        eq, eq_rhs, ub, ub_rhs = (a[k].tolist() for a in self.system)
        system = LinearSystem(len(self.point[k]), tuple(map(tuple, eq)), tuple(eq_rhs), tuple(map(tuple, ub)),
                              tuple(ub_rhs))
        arithmetic = FloatArithmetic(self.tolerance)
        face = arithmetic.open_face(system) if self.strict else arithmetic.closed_face(system)
        if face is None:
            raise SolverError("the scalar oracle found empty a face that vertex enumeration did not")
        self.scalar_faces[k] = face
        return face


@lru_cache(maxsize=None)
def _square_systems(fixed: tuple[int, ...], pool: tuple[int, ...], n: int) -> np.ndarray:
    """The row sets ``fixed + c`` for every ``(n - len(fixed))``-subset ``c`` of ``pool``, as
    an index array (C, n)."""
    chosen = [fixed + c for c in itertools.combinations(pool, n - len(fixed))]
    return np.array(chosen, dtype=np.intp).reshape(len(chosen), n)


def batch_faces(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray, *,
                strict: bool, tolerance: float) -> Faces:
    """The faces :math:`P_k^{+}` (``strict``) or :math:`P_k` of the stack ``eq`` (N, e, n),
    ``eq_rhs`` (N, e), ``ub`` (N, u, n), ``ub_rhs`` (N, u); see the module docstring.

    First, while some equality row has a single non-zero coefficient, on the same variable in
    every game (a block of one variable summing to one: a pure strategy), that variable is
    fixed and substituted out; a pure profile's system thus needs no square system at all."""
    system = (eq, eq_rhs, ub, ub_rhs)
    n_games, _, n = eq.shape
    tol = tolerance
    columns = list(range(n))
    fixed: dict[int, np.ndarray] = {}
    while (pick := _singleton_row(eq)) is not None:
        r, j = pick
        value = eq_rhs[:, r] / eq[:, r, j]
        fixed[columns.pop(j)] = value
        eq_rhs = np.delete(eq_rhs - eq[:, :, j] * value[:, None], r, axis=1)
        eq = np.delete(np.delete(eq, r, axis=1), j, axis=2)
        ub_rhs = ub_rhs - ub[:, :, j] * value[:, None]
        ub = np.delete(ub, j, axis=2)
    ok = np.zeros(n_games, dtype=bool)
    point, lower, upper = (np.zeros((n_games, n)) for _ in range(3))
    if n_games:
        reduced = [np.zeros((n_games, len(columns))) for _ in range(3)]
        _reduced_faces(eq, eq_rhs, ub, ub_rhs, tol, ok, *reduced)
        for values, part in zip((point, lower, upper), reduced):
            values[:, columns] = part
            for column, value in fixed.items():
                values[:, column] = value
        for value in fixed.values():
            ok &= value >= -tol
    if strict:
        ok &= np.all(upper > tol, axis=1)
    return Faces(ok, _snap(point, tol), _snap(lower, tol), _snap(upper, tol), system, strict, tolerance)


def _singleton_row(eq: np.ndarray) -> tuple[int, int] | None:
    """An equality row with exactly one non-zero entry, in the same column in every game."""
    nonzero = eq != 0
    for r in np.flatnonzero(np.all(nonzero.sum(axis=2) == 1, axis=0)).tolist():
        column = nonzero[:, r].argmax(axis=1)
        if np.all(column == column[0]):
            return r, int(column[0])
    return None


def _reduced_faces(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray, tol: float,
                   ok: np.ndarray, point: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
    """The faces of the systems (no presolve), written to the output arrays."""
    n_games, e, n = eq.shape
    if n == 0:  # nothing left to choose: the constraints hold or not
        ok[:] = np.all(np.abs(eq_rhs) <= tol, axis=1) & np.all(ub_rhs >= -tol, axis=1)
        return
    # A vertex solves n independent rows, all of E's among them if they are independent (the
    # first try), else all of E's but one if those are (the second), else any n rows (the last).
    todo = np.arange(n_games)
    others = tuple(range(e, e + ub.shape[1] + n))
    for drop in (0, 1):
        for removed in itertools.combinations(range(e), drop):
            if e - drop > n or not len(todo):
                continue
            fixed = tuple(r for r in range(e) if r not in removed)
            regular = _vertex_faces(eq[todo], eq_rhs[todo], ub[todo], ub_rhs[todo], fixed, others, tol,
                                    todo, ok, point, lower, upper)
            todo = todo[~regular]
    if len(todo):
        _vertex_faces(eq[todo], eq_rhs[todo], ub[todo], ub_rhs[todo], (), tuple(range(e)) + others, tol,
                      todo, ok, point, lower, upper)


def _feasible(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray, x: np.ndarray,
              tol: float) -> np.ndarray:
    """Which candidate points ``x`` (N, C, n) satisfy game ``g``'s constraints, within ``tol``."""
    feasible: np.ndarray = np.all(x >= -tol, axis=2)
    if eq.shape[1]:
        feasible &= np.all(np.abs(np.einsum("gij,gcj->gci", eq, x) - eq_rhs[:, None]) <= tol, axis=2)
    if ub.shape[1]:
        feasible &= np.all(np.einsum("gij,gcj->gci", ub, x) - ub_rhs[:, None] <= tol, axis=2)
    return feasible


def _vertex_faces(eq: np.ndarray, eq_rhs: np.ndarray, ub: np.ndarray, ub_rhs: np.ndarray, fixed: tuple[int, ...],
                  pool: tuple[int, ...], tol: float, where: np.ndarray, ok: np.ndarray, point: np.ndarray,
                  lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Vertex enumeration: solve every square system made of the rows ``fixed`` and
    ``n - len(fixed)`` rows of ``pool`` (indices into the rows of ``eq``, ``ub`` and
    ``-x <= 0``, stacked), keep the solutions that satisfy every constraint, and write the
    faces to rows ``where`` of the outputs. Returns which games had a regular square system."""
    n_games, e, n = eq.shape
    rows = np.concatenate([eq, ub, np.broadcast_to(-np.eye(n), (n_games, n, n))], axis=1)
    rows_rhs = np.concatenate([eq_rhs, ub_rhs, np.zeros((n_games, n))], axis=1)
    combos = _square_systems(fixed, pool, n)
    x = np.zeros((n_games, 0, n))
    regular = np.zeros((n_games, 0), dtype=bool)
    for start in range(0, len(combos), MAX_SQUARE_SYSTEMS):  # bounded memory per call
        chosen = combos[start:start + MAX_SQUARE_SYSTEMS]
        square, rhs = rows[:, chosen], rows_rhs[:, chosen]  # (N, C, n, n), (N, C, n)
        det = np.linalg.det(square)
        scale = np.prod(np.linalg.norm(square, axis=3), axis=2)
        good = np.abs(det) > SINGULAR * scale
        square = np.where(good[..., None, None], square, np.eye(n))
        x = np.concatenate([x, np.linalg.solve(square, rhs[..., None])[..., 0]], axis=1)
        regular = np.concatenate([regular, good], axis=1)
    feasible = regular & _feasible(eq, eq_rhs, ub, ub_rhs, x, tol)
    found = feasible.any(axis=1)
    low_x = np.where(feasible[..., None], x, np.inf)
    high_x = np.where(feasible[..., None], x, -np.inf)
    arg_low, arg_high = low_x.argmin(axis=1), high_x.argmax(axis=1)  # (N, n): first optimiser
    games = np.arange(n_games)[:, None]
    optimisers = np.concatenate([x[games, arg_low], x[games, arg_high]], axis=1)  # (N, 2n, n)
    ok[where] = found
    lower[where] = np.where(found[:, None], low_x.min(axis=1), 0.0)
    upper[where] = np.where(found[:, None], high_x.max(axis=1), 0.0)
    point[where] = np.where(found[:, None], optimisers.mean(axis=1), 0.0)
    return np.asarray(regular.any(axis=1))


def _snap(values: np.ndarray, tol: float) -> np.ndarray:
    """Values within ``tol`` of 0 or 1 become 0 or 1 (as ``FloatArithmetic`` cleans them)."""
    values = np.where(np.abs(values) <= tol, 0.0, values)
    return np.where(np.abs(values - 1.0) <= tol, 1.0, values)
